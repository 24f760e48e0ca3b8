"""Whether an address has an account is never revealed by signing in or a reset, and a
stranger's wrong guesses cannot keep the account's owner out (issue 12, item 11).

Timing is not measured (a flaky test); instead the tests show the same work is done either
way: the password hasher runs, the same rows are written, the same page comes back.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from againsthate import clock
from againsthate.db.models import AuditEvent, OutboxMessage, ResetRequest
from againsthate.extensions import db
from againsthate.services import passwords
from tests.portal.conftest import PASSWORD, code_now, make_staff

STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _sign_in(client, email, password=PASSWORD):
    return client.post("/portal/sign-in", data={"email": email, "password": password})


def _without(text: str, *emails: str) -> str:
    for email in emails:
        text = text.replace(email, "EMAIL")
    return text


def test_after_many_wrong_passwords_a_real_and_an_unknown_address_answer_alike(portal_app):
    user, _ = make_staff(portal_app)
    unknown = "nobody-here@example.org"
    answers = {}
    for email in (user.email, unknown):
        client = _from(portal_app, STRANGER)
        for _ in range(portal_app.config["LOCKOUT_ATTEMPTS"] + 1):
            response = _sign_in(client, email, "wrong password number one")
        answers[email] = response
    real, made_up = answers[user.email], answers[unknown]
    assert real.status_code == made_up.status_code == 200
    assert _without(real.text, user.email) == _without(made_up.text, unknown)
    assert "Too many wrong attempts" in real.text


def test_the_password_hasher_runs_for_every_attempt_known_or_not(portal_app, monkeypatch):
    user, _ = make_staff(portal_app)
    calls = []
    original = passwords.verify
    monkeypatch.setattr(passwords, "verify", lambda *a: calls.append(1) or original(*a))
    client = _from(portal_app, STRANGER)
    attempts = portal_app.config["LOCKOUT_ATTEMPTS"] + 2  # some while locked
    for email in (user.email, "nobody-here@example.org"):
        calls.clear()
        for _ in range(attempts):
            _sign_in(client, email, "wrong password number one")
        assert len(calls) == attempts, email


def test_the_owner_signs_in_from_elsewhere_while_a_stranger_hammers(portal_app):
    user, secret = make_staff(portal_app)
    stranger = _from(portal_app, STRANGER)
    for _ in range(3 * portal_app.config["LOCKOUT_ATTEMPTS"]):
        _sign_in(stranger, user.email, "wrong password number one")
    assert "Too many wrong attempts" in _sign_in(stranger, user.email).text  # even the right one
    owner = _from(portal_app, OWNER)
    assert _sign_in(owner, user.email).status_code == 302
    response = owner.post("/portal/sign-in/code", data={"code": code_now(secret)})
    assert response.status_code == 302 and response.location.endswith("/portal/referrals")
    with portal_app.app_context():
        told = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "sign_in_paused")
        ).all()
        keyring = portal_app.extensions["againsthate.keyring"]
        assert [keyring.open(m.recipient) for m in told] == [user.email]  # once, not per lock
        assert "from one place" in keyring.open(told[0].body)
        assert db.session.query(AuditEvent).filter_by(action="account_locked").count() >= 1


def test_the_pause_lifts_after_its_time_and_with_a_password_reset(portal_app, monkeypatch):
    user, _ = make_staff(portal_app)
    client = _from(portal_app, STRANGER)
    for _ in range(portal_app.config["LOCKOUT_ATTEMPTS"]):
        _sign_in(client, user.email, "wrong password number one")
    assert _sign_in(client, user.email).status_code == 200
    later = clock.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _sign_in(client, user.email).status_code == 302

    for _ in range(portal_app.config["LOCKOUT_ATTEMPTS"]):
        _sign_in(client, user.email, "wrong password number one")
    client.post("/portal/forgot-password", data={"email": user.email})
    with portal_app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
        ).one()
        body = portal_app.extensions["againsthate.keyring"].open(message.body)
    token = re.search(r"/portal/reset-password/(\S+)", body).group(1)
    new = "plum orbit lantern seventeen"
    assert (
        client.post(
            f"/portal/reset-password/{token}", data={"password": new, "confirm": new}
        ).status_code
        == 302
    )
    assert _sign_in(client, user.email, new).status_code == 302


def test_forgot_password_does_the_same_work_for_an_unknown_address(portal_app):
    user, _ = make_staff(portal_app)
    client = portal_app.test_client()
    known = client.post("/portal/forgot-password", data={"email": user.email})
    unknown = client.post("/portal/forgot-password", data={"email": "nobody-here@example.org"})
    assert known.status_code == unknown.status_code == 200 and known.text == unknown.text
    with portal_app.app_context():
        # One request written (and committed) for each, known or not.
        assert len(db.session.scalars(select(ResetRequest)).all()) == 2


def test_reset_emails_are_limited_per_account_from_any_address(portal_app, monkeypatch):
    user, _ = make_staff(portal_app)
    limit = portal_app.config["RESET_EMAILS_PER_HOUR"]
    pages = {
        _from(portal_app, f"192.0.2.{n}")
        .post("/portal/forgot-password", data={"email": user.email})
        .text
        for n in range(limit + 3)
    }
    assert len(pages) == 1  # the same page every time: the limit is silent

    def resets() -> int:
        with portal_app.app_context():
            return len(
                db.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
                ).all()
            )

    assert resets() == limit
    later = clock.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(clock, "now", lambda: later)
    _from(portal_app, "192.0.2.200").post("/portal/forgot-password", data={"email": user.email})
    assert resets() == limit + 1


def test_wrong_passwords_long_after_a_pause_start_a_new_count(portal_app, monkeypatch):
    user, _ = make_staff(portal_app)
    client = _from(portal_app, STRANGER)
    for _ in range(portal_app.config["LOCKOUT_ATTEMPTS"]):
        _sign_in(client, user.email, "wrong password number one")
    later = clock.now() + dt.timedelta(minutes=40)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = _sign_in(client, user.email, "wrong password number two")
    assert (
        response.status_code == 200
        and "The email address or password is not right" in response.text
    )
    assert _sign_in(client, user.email).status_code == 302


def test_wrong_guesses_sent_at_once_all_count_and_pause_once(tmp_path, monkeypatch):
    from tests.conftest import ROOMY, make_app
    from tests.portal.live import Browser, at_once, hold_until_all_arrive, serving

    guesses = 10
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, DATABASE_POOL_SIZE=guesses + 2, **ROOMY)
    user, _ = make_staff(app)
    with serving(app) as live:
        hold_until_all_arrive(monkeypatch, passwords, "verify", guesses)
        answers = at_once(
            [
                lambda n=n: Browser(live.url).post(
                    "/portal/sign-in",
                    {"email": user.email, "password": f"wrong password number {n}"},
                )
                for n in range(guesses)
            ]
        )
        assert [a.status for a in answers] == [200] * guesses
        monkeypatch.undo()
        assert (
            "Too many wrong attempts"
            in Browser(live.url)
            .post("/portal/sign-in", {"email": user.email, "password": PASSWORD})
            .text
        )
    with app.app_context():
        told = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "sign_in_paused")
        ).all()
        assert len(told) == 1
