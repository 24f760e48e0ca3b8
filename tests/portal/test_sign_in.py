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
        codes = accounts.new_recovery_codes(
            db.session, db.session.get(type(user), user.id), clock.now()
        )
        db.commit()
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
    statuses = [
        _password_step(client, "a@example.org", "whatever it is here").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    with app.app_context():
        db.engine.dispose()


def test_next_only_goes_inside_the_portal(portal_app):
    user, secret = make_staff(portal_app)
    client = portal_app.test_client()
    client.post(
        "/portal/sign-in?next=https://evil.example/portal",
        data={"email": user.email, "password": PASSWORD},
    )
    response = client.post("/portal/sign-in/code", data={"code": code_now(secret)})
    assert response.location.endswith("/portal/referrals")


# The step between the password and the code (issue 12, item 10) ---------------------------


def _recovery_codes(app, user):
    from againsthate.db.models import StaffUser
    from againsthate.services import accounts

    with app.app_context():
        codes = accounts.new_recovery_codes(
            db.session, db.session.get(StaffUser, user.id), clock.now()
        )
        db.commit()
        return codes


def _copy_of_browser_session(app, client):
    """Another client holding a copy of `client`'s session cookie, as replayed by a thief."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def test_a_copied_password_step_cannot_be_replayed_after_the_sign_in(portal_app):
    user, secret = make_staff(portal_app)
    codes = _recovery_codes(portal_app, user)
    client = portal_app.test_client()
    _password_step(client, user.email)
    thief = _copy_of_browser_session(portal_app, client)
    assert client.post("/portal/sign-in/code", data={"code": code_now(secret)}).status_code == 302
    replay = thief.post("/portal/sign-in/code", data={"code": codes[1]})
    assert replay.status_code == 302 and replay.location.endswith("/portal/sign-in")
    assert thief.get_cookie(staff_sessions.COOKIE) is None


def test_a_password_reset_ends_a_sign_in_waiting_for_its_code(portal_app):
    from againsthate.db.models import StaffUser
    from againsthate.services import accounts
    from againsthate.services.accounts import Policy

    user, _secret = make_staff(portal_app)
    codes = _recovery_codes(portal_app, user)
    waiting = portal_app.test_client()
    _password_step(waiting, user.email)
    with portal_app.app_context():
        _user, token = accounts.request_reset(db.session, user.email, clock.now(), Policy())
        accounts.reset_password(db.session, token, "plum orbit lantern seventeen", clock.now())
        db.commit()
        assert db.session.get(StaffUser, user.id) is not None
    response = waiting.post("/portal/sign-in/code", data={"code": codes[0]})
    assert response.status_code == 302 and response.location.endswith("/portal/sign-in")
    assert waiting.get_cookie(staff_sessions.COOKIE) is None


def test_a_password_change_ends_a_sign_in_waiting_for_its_code(portal_app, signed_in):
    user, _secret = make_staff(portal_app)
    codes = _recovery_codes(portal_app, user)
    waiting = portal_app.test_client()
    _password_step(waiting, user.email)
    changed = signed_in(user).post(
        "/portal/account/password",
        data={
            "current": PASSWORD,
            "password": "plum orbit lantern seventeen",
            "confirm": "plum orbit lantern seventeen",
        },
    )
    assert changed.status_code == 200
    response = waiting.post("/portal/sign-in/code", data={"code": codes[0]})
    assert response.status_code == 302 and response.location.endswith("/portal/sign-in")


def test_the_browser_holds_only_a_random_token_between_the_steps(portal_app):
    from sqlalchemy import select

    from againsthate.db.models import PendingSignIn
    from againsthate.services import tokens

    user, _secret = make_staff(portal_app)
    client = portal_app.test_client()
    _password_step(client, user.email)
    cookie = client.get_cookie(portal_app.config["SESSION_COOKIE_NAME"])
    held = portal_app.session_interface.get_signing_serializer(portal_app).loads(cookie.value)
    assert set(held) == {"staff_signin"} and isinstance(held["staff_signin"], str)
    with portal_app.app_context():
        rows = db.session.scalars(select(PendingSignIn)).all()
        assert [(r.token_hash, r.user_id) for r in rows] == [
            (tokens.digest(held["staff_signin"]), user.id)
        ]
    client.post("/portal/sign-in/code", data={"code": "000000"})  # a wrong code keeps it
    with portal_app.app_context():
        assert db.session.scalars(select(PendingSignIn)).all() != []


def test_the_step_between_password_and_code_lasts_five_minutes(portal_app, monkeypatch):
    import datetime as dt

    user, secret = make_staff(portal_app)
    client = portal_app.test_client()
    _password_step(client, user.email)
    later = clock.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = client.post("/portal/sign-in/code", data={"code": code_now(secret, later)})
    assert response.status_code == 302 and response.location.endswith("/portal/sign-in")
