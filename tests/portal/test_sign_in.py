"""Signing in: password, then a one-time code; wrong answers, lock-out and replays."""
from __future__ import annotations

from againsthate import clock
from againsthate.db.models import AuditEvent
from againsthate.extensions import db
from againsthate.services import staff_sessions
from tests.portal.conftest import PASSWORD, code_now, make_staff


def _password_step(client, email, password=PASSWORD):
    return client.post("/portal/sign-in", data={"email": email, "password": password})


def test_sign_in_with_password_and_code_reaches_the_inbox(portal_app):
    user, secret = make_staff(portal_app)
    client = portal_app.test_client()
    response = _password_step(client, user.email.upper())  # any case of the address
    assert response.status_code == 302 and response.location.endswith("/portal/sign-in/code")
    response = client.post("/portal/sign-in/code", data={"code": code_now(secret)})
    assert response.status_code == 302 and response.location.endswith("/portal/referrals")
    cookie = client.get_cookie(staff_sessions.COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    assert client.get("/portal/referrals").status_code == 200


def test_an_administrator_lands_on_the_overview(portal_app):
    user, secret = make_staff(portal_app, "admin")
    client = portal_app.test_client()
    _password_step(client, user.email)
    response = client.post("/portal/sign-in/code", data={"code": code_now(secret)})
    assert response.location.endswith("/portal/admin/")


def test_wrong_password_and_unknown_address_get_the_same_message(portal_app):
    user, _ = make_staff(portal_app)
    client = portal_app.test_client()
    wrong = _password_step(client, user.email, "not the password at all")
    unknown = _password_step(client, "nobody@example.org")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "The email address or password is not right" in response.text
        assert response.text.count("<title>Error:") == 1


def test_the_code_page_needs_the_password_first(portal_app):
    response = portal_app.test_client().get("/portal/sign-in/code")
    assert response.status_code == 302 and "/portal/sign-in" in response.location


def test_a_wrong_code_is_refused_kindly(portal_app):
    user, _ = make_staff(portal_app)
    client = portal_app.test_client()
    _password_step(client, user.email)
    response = client.post("/portal/sign-in/code", data={"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get_cookie(staff_sessions.COOKIE) is None


def test_a_code_cannot_be_used_twice(portal_app):
    user, secret = make_staff(portal_app)
    code = code_now(secret)
    first = portal_app.test_client()
    _password_step(first, user.email)
    assert first.post("/portal/sign-in/code", data={"code": code}).status_code == 302
    second = portal_app.test_client()
    _password_step(second, user.email)
    replay = second.post("/portal/sign-in/code", data={"code": code})
    assert replay.status_code == 200 and "used already" in replay.text


def test_repeated_failures_lock_the_account(portal_app):
    user, _secret = make_staff(portal_app)
    client = portal_app.test_client()
    for _ in range(portal_app.config["LOCKOUT_ATTEMPTS"]):
        _password_step(client, user.email, "wrong password number one")
    response = _password_step(client, user.email)  # even the right password now
    assert "locked for 15 minutes" in response.text
    with portal_app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="account_locked").count() == 1


def test_the_lock_lifts_after_its_time(portal_app, monkeypatch):
    import datetime as dt

    user, _secret = make_staff(portal_app)
    client = portal_app.test_client()
    for _ in range(portal_app.config["LOCKOUT_ATTEMPTS"]):
        _password_step(client, user.email, "wrong password number one")
    later = clock.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _password_step(client, user.email).status_code == 302


def test_a_recovery_code_signs_in_once(portal_app):
    from againsthate.services import accounts

    user, _ = make_staff(portal_app)
    with portal_app.app_context():
        codes = accounts.new_recovery_codes(db.session, db.session.get(type(user), user.id), clock.now())
    client = portal_app.test_client()
    _password_step(client, user.email)
    assert client.post("/portal/sign-in/code", data={"code": codes[0].upper()}).status_code == 302
    again = portal_app.test_client()
    _password_step(again, user.email)
    assert again.post("/portal/sign-in/code", data={"code": codes[0]}).status_code == 200


def test_sign_in_is_rate_limited(tmp_path):
    from tests.conftest import make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, SIGNIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [_password_step(client, "a@example.org", "whatever it is here").status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    with app.app_context():
        db.engine.dispose()


def test_next_only_goes_inside_the_portal(portal_app):
    user, secret = make_staff(portal_app)
    client = portal_app.test_client()
    client.post("/portal/sign-in?next=https://evil.example/portal", data={"email": user.email, "password": PASSWORD})
    response = client.post("/portal/sign-in/code", data={"code": code_now(secret)})
    assert response.location.endswith("/portal/referrals")
