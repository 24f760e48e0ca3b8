"""Render the site's pages into a folder, to compare two commits of a refactoring.

Not part of the suite (the file name does not start with test_). Run it explicitly on
each commit and compare the folders:

    RENDER_OUT=/tmp/before .venv/bin/pytest -q -p no:cacheprovider tests/tools/render_pages.py
    (check out the other commit)
    RENDER_OUT=/tmp/after .venv/bin/pytest -q -p no:cacheprovider tests/tools/render_pages.py
    diff -r /tmp/before /tmp/after

Pages: every public page in every language; the referral journey with every branch
(each question, each question with an error, the check page, the done page) in every
language; every portal and admin page a caseworker, a manager and an administrator see,
with a referral in it. What differs by chance between two runs (CSRF tokens, nonces,
references, keys, times) is replaced by a placeholder.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from tests.admin.conftest import outbox_rows
from tests.conftest import ROOMY, make_app
from tests.pages import public_paths
from tests.portal.conftest import ORG_A, add_referral, make_staff, session_client
from tests.referral.journey import EVERY_BRANCH, complete_journey, send

from againsthate.paths import ROOT

LANGUAGES = list(tomllib.loads((ROOT / "translations" / "languages.toml").read_text()))

_CHANCE = [
    (re.compile(r'(name="csrf_token"[^>]*value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(name="submission_key"[^>]*value=")[^"]+'), r"\1KEY"),
    (re.compile(r'nonce="[^"]+"'), 'nonce="NONCE"'),
    (re.compile(r"\bR[0-9A-F]{8}\b"), "REF"),
    (re.compile(r"\b[B-Z0-9]{4}-[B-Z0-9]{4}\b"), "REF"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z"), "DATETIME"),
    (re.compile(r"(?<![\d.:])\d{1,2}:\d{2}(:\d{2})?\b\s*(am|pm)?"), "TIME"),
    (re.compile(r"/(reset-password|invite)/[A-Za-z0-9_-]+"), r"/\1/TOKEN"),
    (re.compile(r"/(staff|user|news|events|referrals)/\d+"), r"/\1/ID"),
]


def _normal(text: str) -> str:
    for pattern, replacement in _CHANCE:
        text = pattern.sub(replacement, text)
    return text


def _save(out: Path, name: str, response) -> None:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", _normal(name)).strip("_") or "root"
    body = _normal(response.get_data(as_text=True))
    (out / f"{safe}.html").write_text(f"{response.status_code}\n{body}", encoding="utf-8")


def test_render(tmp_path):
    out = Path(os.environ["RENDER_OUT"])
    out.mkdir(parents=True, exist_ok=True)
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, **ROOMY)

    client = app.test_client()
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        for path in public_paths(app):
            _save(out, f"public{prefix}{path}", client.get(f"{prefix}{path}"))

        journey_client = app.test_client()
        journey = complete_journey(
            journey_client,
            {**EVERY_BRANCH, "consent": {**EVERY_BRANCH["consent"], "confirmation": "y"}},
            prefix=prefix,
            visit=True,
        )
        for slug, page in journey.pages.items():
            _save(out, f"refer{prefix}/{slug}", page)
            # Each question sent empty: the page with its errors (or the next page).
            _save(out, f"refer{prefix}/{slug}-empty", journey_client.post(f"{prefix}/refer/{slug}"))
        _save(out, f"refer{prefix}/check", journey_client.get(f"{prefix}/refer/check"))
        _save(out, f"refer{prefix}/start-in-progress", journey_client.get(f"{prefix}/refer"))
        _save(out, f"refer{prefix}/clear", journey_client.get(f"{prefix}/refer/clear?from=who"))
        sent = send(journey_client, journey)
        done = journey_client.get(sent.headers["Location"])
        _save(out, f"refer{prefix}/done", done)

    reference = add_referral(app, ORG_A)
    for role in ("caseworker", "manager", "admin"):
        user, _secret = make_staff(app, role, ORG_A)
        staff = session_client(app, user)
        with app.test_request_context():
            from flask import url_for

            for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
                blueprint = rule.endpoint.split(".")[0]
                if blueprint not in ("portal", "admin") or "GET" not in (rule.methods or ()):
                    continue
                values = {}
                if "reference" in rule.arguments:
                    values["reference"] = reference
                if set(rule.arguments) - {"reference"}:
                    continue  # tokens and row ids: reached by the tests of those pages
                url = url_for(rule.endpoint, **values)
                _save(out, f"{role}{url}", staff.get(url))
    # An invitation and a password reset, for their emails.
    admin = session_client(app, make_staff(app, "admin", None)[0])
    invite = {"email": "new.person@example.org", "name": "New Person", "role": "caseworker"}
    _save(
        out,
        "admin-invite-sent",
        admin.post("/portal/admin/staff/invite", data={**invite, "organisation": ORG_A}),
    )
    with app.app_context():
        from againsthate.db.models import StaffUser
        from againsthate.extensions import db

        invited = db.session.query(StaffUser).filter_by(email=invite["email"]).one()
    manager = session_client(app, make_staff(app, "manager", ORG_A)[0])
    _save(out, "team-approved", manager.post(f"/portal/team/{invited.id}/approve"))
    forgot = app.test_client().post("/portal/forgot-password", data={"email": user.email})
    _save(out, "forgot-password-sent", forgot)

    # Every email the above queued (confirmations in each language, notices to staff).
    emails = sorted(
        _normal(f"{message.kind} to {recipient}\n{message.subject}\n{body}")
        for message, recipient, body in outbox_rows(app)
    )
    (out / "emails.txt").write_text("\n\n----\n\n".join(emails), encoding="utf-8")
    assert len(list(out.iterdir())) > 100
