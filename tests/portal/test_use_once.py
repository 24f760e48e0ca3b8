""" "Use once" holds when the same code or link arrives many times at the same moment:
real requests from threads against the served app, on SQLite and on PostgreSQL.

Each race is made certain, not left to luck: every request is held at the slow step
(checking the code, hashing the password) until all of them have read the state, so each
has seen the code or link as unused before any of them writes.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from againsthate import clock
from againsthate.db.models import StaffSession, StaffUser
from againsthate.extensions import db
from againsthate.services import accounts, passwords, two_factor
from againsthate.services.accounts import Policy
from tests.conftest import ROOMY, make_app
from tests.portal.conftest import PASSWORD, code_now, make_staff
from tests.portal.live import Browser, at_once, hold_until_all_arrive, serving

RACERS = 6
NEW_PASSWORDS = [
    "plum orbit lantern seventeen",
    "violet harbour pencil ninety",
    "copper meadow whistle eleven",
    "amber tunnel saucepan forty",
]


@pytest.fixture
def live(tmp_path):
    # A connection for each racer: one process stands in for many workers.
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, DATABASE_POOL_SIZE=RACERS + 2, **ROOMY)
    with serving(app) as server:
        yield server


def _sessions_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(StaffSession).where(StaffSession.user_id == user_id)
        )


def test_one_code_from_six_sign_ins_at_once_opens_one_session(live, monkeypatch):
    user, secret = make_staff(live.app)
    browsers = [Browser(live.url) for _ in range(RACERS)]
    for browser in browsers:
        assert (
            browser.post("/portal/sign-in", {"email": user.email, "password": PASSWORD}).status
            == 302
        )
    code = code_now(secret)
    hold_until_all_arrive(monkeypatch, two_factor, "accepted_step", RACERS)
    answers = at_once(
        [lambda b=b: b.post("/portal/sign-in/code", {"code": code}) for b in browsers]
    )
    signed_in = [a for a in answers if a.status == 302 and "ah_staff" in a.cookies]
    assert len(signed_in) == 1, [a.status for a in answers]
    assert all(a.status == 200 and "used already" in a.text for a in answers if a not in signed_in)
    assert _sessions_of(live.app, user.id) == 1


def _reset_token(app, email: str) -> str:
    with app.app_context():
        _user, token = accounts.request_reset(db.session, email, clock.now(), Policy())
        db.session.commit()
    return token


def test_one_reset_link_posted_four_times_at_once_sets_one_password(live, monkeypatch):
    user, _secret = make_staff(live.app)
    token = _reset_token(live.app, user.email)
    hold_until_all_arrive(monkeypatch, passwords, "hash_password", len(NEW_PASSWORDS))
    answers = at_once(
        [
            lambda p=p: Browser(live.url).post(
                f"/portal/reset-password/{token}", {"password": p, "confirm": p}
            )
            for p in NEW_PASSWORDS
        ]
    )
    done = [n for n, a in enumerate(answers) if a.status == 302]
    assert len(done) == 1, [a.status for a in answers]
    assert all(a.status == 410 for a in answers if a.status != 302)
    with live.app.app_context():
        stored = db.session.get(StaffUser, user.id).password_hash
    works = [p for p in NEW_PASSWORDS if passwords.verify(stored, p)]
    assert works == [NEW_PASSWORDS[done[0]]]


def _invitation(app, email="new@example.org") -> str:
    with app.app_context():
        _user, token = accounts.invite(
            db.session,
            email=email,
            name="Robin New",
            role="caseworker",
            organisation="derbyshire-victim-services",
            by=None,
            now=clock.now(),
            policy=Policy(),
        )
        db.session.commit()
    return token


def test_one_invitation_posted_four_times_at_once_sets_one_password(live, monkeypatch):
    token = _invitation(live.app)
    hold_until_all_arrive(monkeypatch, passwords, "hash_password", len(NEW_PASSWORDS))
    answers = at_once(
        [
            lambda p=p: Browser(live.url).post(
                f"/portal/invite/{token}", {"password": p, "confirm": p}
            )
            for p in NEW_PASSWORDS
        ]
    )
    done = [n for n, a in enumerate(answers) if a.status == 302]
    assert len(done) == 1, [a.status for a in answers]
    assert all(a.status == 410 for a in answers if a.status != 302)
    with live.app.app_context():
        stored = accounts.find_by_email(db.session, "new@example.org").password_hash
    assert [p for p in NEW_PASSWORDS if passwords.verify(stored, p)] == [NEW_PASSWORDS[done[0]]]


def test_one_invitation_finished_six_times_at_once_activates_once(live, monkeypatch):
    token = _invitation(live.app)
    first = Browser(live.url)
    first.post(
        f"/portal/invite/{token}", {"password": NEW_PASSWORDS[0], "confirm": NEW_PASSWORDS[0]}
    )
    assert first.get(f"/portal/invite/{token}/two-factor").status == 200  # makes the secret
    with live.app.app_context():
        user = accounts.find_by_email(db.session, "new@example.org")
        secret = accounts.totp_secret(live.app.extensions["againsthate.keyring"], user)
    code = code_now(secret)
    hold_until_all_arrive(monkeypatch, two_factor, "accepted_step", RACERS)
    answers = at_once(
        [
            lambda: Browser(live.url).post(f"/portal/invite/{token}/two-factor", {"code": code})
            for _ in range(RACERS)
        ]
    )
    finished = [a for a in answers if a.status == 200 and "Your recovery codes" in a.text]
    assert len(finished) == 1, [a.status for a in answers]
    assert _sessions_of(live.app, user.id) == 1
    # The recovery codes shown are the ones that work: no other racer replaced them.
    shown = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", finished[0].text)
    with live.app.app_context():
        assert accounts.remaining_recovery_codes(db.session, user) == len(shown) == 10
        assert accounts._use_recovery_code(db.session, user, shown[0], clock.now())
