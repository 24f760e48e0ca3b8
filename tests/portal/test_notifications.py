"""Every kind of email, byte for byte as the site wrote it before the notifications module.

tests/portal/notifications-golden.json was captured from the code that built each email in place
(f-strings in views and services, gettext in the referral view), in English, Arabic (right
to left) and Polish, with names holding "&", "'", '"' and "<" that an HTML-escaping
template would change. Nothing here may be regenerated from the new code: a difference is
a change in what people receive.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from againsthate import clock, i18n, notifications
from againsthate.areas import current_pack
from againsthate.db.models import OutboxMessage, Referral, StaffUser
from againsthate.extensions import db
from againsthate.services import accounts, cases
from tests.portal.conftest import ORG_A

GOLDEN = json.loads((Path(__file__).parent / "notifications-golden.json").read_text("utf-8"))
LANGUAGES = ["en", "ar", "pl"]
ODD = "Smith & O'Brien's <Group>"  # an organisation's name as a pack might give it
USER = {
    "name": "Siân O'Neill & Co",
    "email": "sian@example.org",
    "role": "caseworker",
    "organisation": "disability-direct",
}
ADMIN = {
    "name": 'Ada "Admin" O\'Hara',
    "email": "ada@example.org",
    "role": "admin",
    "organisation": None,
}
INVITER = {"name": "Ali <Admin> & Son"}
MANAGERS = [
    {"name": "Mo Manager", "email": "mo@example.org"},
    {"name": "Max O'Manager", "email": "max@example.org"},
]
REFERENCE = "AB12-CD34"
PASSED_ON = {"en": "AB12-CD34", "ar": "EF56-GH78", "pl": "JK90-LM12"}


def _person(fields: dict) -> StaffUser:
    return SimpleNamespace(**fields)  # type: ignore[return-value]


def _in(app, lang: str, path: str = "/portal/team"):
    """A request for a page in `lang`, as the /<lang>/ prefix makes one."""
    if lang == "en":
        return app.test_request_context(path, base_url="http://localhost/")
    return app.test_request_context(
        path, base_url=f"http://localhost/{lang}/", environ_overrides={i18n.ENVIRON_KEY: lang}
    )


def _queued(app) -> list[dict]:
    """What the outbox holds, opened, oldest first; then emptied for the next kind."""
    keyring = app.extensions["againsthate.keyring"]
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    found = [
        {
            "kind": m.kind,
            "recipient": keyring.open(m.recipient),
            "subject": m.subject,
            "body": keyring.open(m.body),
            "reference": m.reference,
        }
        for m in rows
    ]
    for m in rows:
        db.session.delete(m)
    db.session.commit()
    return found


def _odd_pack():
    pack = current_pack()
    return dataclasses.replace(
        pack,
        organisations=tuple(
            dataclasses.replace(o, name=ODD) if o.slug == "disability-direct" else o
            for o in pack.organisations
        ),
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_emails_are_as_before(portal_app, lang):
    golden = GOLDEN[lang]
    with _in(portal_app, lang):
        notifications.staff_invitation(_person(USER), "tok-EN_123", _person(INVITER))
        notifications.staff_invitation(_person(ADMIN), "tok-AD_456", _person(INVITER))
        assert _queued(portal_app) == golden["invitation"]
        notifications.staff_approval_needed(
            _person(USER), [_person(m) for m in MANAGERS], _person(INVITER)
        )
        assert _queued(portal_app) == golden["approval_needed"]
        notifications.sign_in_paused(_person(USER))
        assert _queued(portal_app) == golden["sign_in_paused"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_reset_email_is_as_before(portal_app, monkeypatch, lang):
    monkeypatch.setattr(accounts, "request_reset", lambda *a, **k: (_person(USER), "reset-TOK_789"))
    prefix = "" if lang == "en" else f"/{lang}"
    page = portal_app.test_client().post(
        f"{prefix}/portal/forgot-password", data={"email": USER["email"]}
    )
    assert page.status_code == 200
    with portal_app.app_context():
        assert _queued(portal_app) == GOLDEN[lang]["password_reset"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_referral_notice_and_the_confirmation_are_as_before(portal_app, lang):
    notice, confirmation = GOLDEN[lang]["new_referral_and_confirmation"]
    with _in(portal_app, lang, "/refer/check"):
        # What the referral view hands the service: the language of the person's pages.
        emails = notifications.ReferralEmails(locale=i18n.get_locale())
        organisation = _odd_pack().organisation("disability-direct")
        assert emails.new_referral(organisation, REFERENCE) == (notice["subject"], notice["body"])
        assert emails.confirmation(REFERENCE) == (confirmation["subject"], confirmation["body"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pass_on_notice_is_as_before(portal_app, staff, lang):
    sender = staff(name="Sol Sender")
    staff("caseworker", "disability-direct")  # someone there to accept it
    keyring = portal_app.extensions["againsthate.keyring"]
    with _in(portal_app, lang, "/portal/referrals"):
        referral = Referral(
            reference=PASSED_ON[lang],
            submission_key=secrets.token_hex(16),
            organisation=ORG_A,
            status="new",
            created_at=clock.now(),
            received_at=clock.now(),
            characteristics="",
            content=keyring.seal("{}"),
        )
        db.session.add(referral)
        db.session.commit()
        cases.pass_on(
            db.session,
            keyring,
            _odd_pack(),
            referral,
            to="disability-direct",
            reason="why",
            by=db.session.get(StaffUser, sender.id),
            now=clock.now(),
            emails=notifications.ReferralEmails(),
        )
        assert _queued(portal_app) == GOLDEN[lang]["passed_on"]


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://against-hate.example.org", "https://against-hate.example.org/portal/"),
        ("https://against-hate.example.org/", "https://against-hate.example.org/portal/"),
        ("https://example.org/hate/", "https://example.org/hate/portal/"),
    ],
)
def test_links_go_to_the_site_url_in_a_request_and_outside_one(new_app, site_url, expected):
    app = new_app(SITE_URL=site_url)
    with app.app_context():
        assert notifications.link("portal.home") == expected
    with app.test_request_context("/portal/", base_url="http://10.0.0.7:8000/"):
        assert notifications.link("portal.home") == expected
        assert notifications.link("portal.team", language="ur") == expected.replace(
            "/portal/", "/ur/portal/team"
        )
