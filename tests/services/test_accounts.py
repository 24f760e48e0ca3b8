"""Invitations, two-factor set-up, password resets and changes, signing out."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from againsthate import clock
from againsthate.db.models import AccountToken, OutboxMessage, RecoveryCode, StaffUser
from againsthate.extensions import db
from againsthate.services import accounts, staff_sessions, tokens, two_factor
from againsthate.services.accounts import Policy
from tests.portal.conftest import PASSWORD, code_now, make_staff

NEW_PASSWORD = "plum orbit lantern seventeen"


def _invite(
    app, role="caseworker", organisation="derbyshire-victim-services", email="new@example.org"
):
    with app.app_context():
        _user, token = accounts.invite(
            db.session,
            email=email,
            name="Robin New",
            role=role,
            organisation=organisation,
            by=None,
            now=clock.now(),
            policy=Policy(),
        )
        db.session.commit()
    return token


def _secret_of(app, email):
    with app.app_context():
        user = accounts.find_by_email(db.session, email)
        return accounts.totp_secret(app.extensions["againsthate.keyring"], user)


def test_an_invitation_sets_password_then_two_factor_then_signs_in(portal_app):
    token = _invite(portal_app)
    client = portal_app.test_client()
    page = client.get(f"/portal/invite/{token}")
    assert page.status_code == 200 and "new@example.org" in page.text
    response = client.post(
        f"/portal/invite/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.location.endswith(f"/portal/invite/{token}/two-factor")
    setup = client.get(f"/portal/invite/{token}/two-factor")
    assert "<svg" in setup.text  # the QR code, drawn in the page: no request elsewhere
    secret = _secret_of(portal_app, "new@example.org")
    assert two_factor.grouped(secret) in setup.text  # and the key to type instead
    assert (
        client.get(f"/portal/invite/{token}/two-factor").text.count(two_factor.grouped(secret)) == 1
    )
    done = client.post(f"/portal/invite/{token}/two-factor", data={"code": code_now(secret)})
    assert done.status_code == 200 and "Your recovery codes" in done.text
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.text)
    assert len(codes) == 10
    assert client.get("/portal/referrals").status_code == 200  # signed in
    with portal_app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert sorted(stored) == sorted(two_factor.recovery_hash(c) for c in codes)
        assert all(c not in "".join(stored) for c in codes)  # only hashes kept
    # The link is used up.
    assert portal_app.test_client().get(f"/portal/invite/{token}").status_code == 410


def test_an_invitation_refuses_a_weak_or_mismatched_password(portal_app):
    token = _invite(portal_app)
    client = portal_app.test_client()
    for password, confirm, message in [
        ("short pass", "short pass", "at least 12 characters"),
        ("password1234", "password1234", "too common or too easy to guess"),
        ("Robin New example", "Robin New example", "too common or too easy to guess"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The passwords do not match"),
    ]:
        response = client.post(
            f"/portal/invite/{token}", data={"password": password, "confirm": confirm}
        )
        assert response.status_code == 200, password
        assert message in response.text, password
        assert "<title>Error:" in response.text


def test_the_set_up_code_must_be_right(portal_app):
    token = _invite(portal_app)
    client = portal_app.test_client()
    client.post(f"/portal/invite/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.get(f"/portal/invite/{token}/two-factor")
    response = client.post(f"/portal/invite/{token}/two-factor", data={"code": "123456"})
    assert response.status_code == 200 and "That code is not right" in response.text
    with portal_app.app_context():
        assert accounts.find_by_email(db.session, "new@example.org").activated_at is None


def test_an_expired_invitation_is_refused_with_a_clear_message(portal_app, monkeypatch):
    token = _invite(portal_app)
    later = clock.now() + dt.timedelta(hours=73)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = portal_app.test_client().get(f"/portal/invite/{token}")
    assert response.status_code == 410 and "This link cannot be used" in response.text


def test_a_made_up_link_is_refused(portal_app):
    response = portal_app.test_client().get("/portal/invite/not-a-real-token")
    assert response.status_code == 410
    assert portal_app.test_client().get("/portal/reset-password/nope").status_code == 410


def test_inviting_an_active_address_is_refused(portal_app):
    user, _ = make_staff(portal_app)
    with portal_app.app_context():
        try:
            accounts.invite(
                db.session,
                email=user.email,
                name="x",
                role="caseworker",
                organisation="derbyshire-victim-services",
                by=None,
                now=clock.now(),
                policy=Policy(),
            )
        except accounts.AccountError as error:
            assert error.reason == "exists"
        else:
            raise AssertionError("an active account was invited again")


def test_the_first_administrator_is_invited_from_the_command_line(portal_app):
    result = portal_app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", "Chief@Example.org", "--name", "Chief"]
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"http\S+/portal/invite/(\S+)", result.output)
    assert link, result.output
    assert portal_app.test_client().get(f"/portal/invite/{link.group(1)}").status_code == 200
    with portal_app.app_context():
        assert accounts.find_by_email(db.session, "chief@example.org").role == "admin"
    again = portal_app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", "chief@example.org", "--name", "Chief"]
    )
    assert again.exit_code == 0  # not yet set up: a new link for the same account
    make_staff(portal_app, "admin", email="boss@example.org")
    refused = portal_app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", "boss@example.org", "--name", "Boss"]
    )
    assert refused.exit_code != 0 and "already has an account" in refused.output


def test_password_reset_reveals_nothing_and_works_once(portal_app, signed_in):
    user, _secret = make_staff(portal_app)
    old_client = signed_in(user)
    client = portal_app.test_client()
    known = client.post("/portal/forgot-password", data={"email": user.email})
    unknown = client.post("/portal/forgot-password", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    with portal_app.app_context():
        messages = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
        ).all()
        assert len(messages) == 1
        body = portal_app.extensions["againsthate.keyring"].open(messages[0].body)
    token = re.search(r"/portal/reset-password/(\S+)", body).group(1)
    response = client.post(
        f"/portal/reset-password/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302 and "/portal/sign-in" in response.location
    # Every session ended, the old password no longer works, the new one does, and the link is spent.
    assert old_client.get("/portal/account").status_code == 302
    assert (
        client.post("/portal/sign-in", data={"email": user.email, "password": PASSWORD}).status_code
        == 200
    )
    assert (
        client.post(
            "/portal/sign-in", data={"email": user.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert client.get(f"/portal/reset-password/{token}").status_code == 410


def test_a_reset_link_expires(portal_app, monkeypatch):
    user, _ = make_staff(portal_app)
    with portal_app.app_context():
        _user, token = accounts.request_reset(db.session, user.email, clock.now(), Policy())
        db.session.commit()
    later = clock.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert portal_app.test_client().get(f"/portal/reset-password/{token}").status_code == 410


def test_changing_password_ends_other_sessions_but_not_this_one(portal_app, signed_in):
    user, _ = make_staff(portal_app)
    here, elsewhere = signed_in(user), signed_in(user)
    wrong = here.post(
        "/portal/account/password",
        data={"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert "Your current password is not right" in wrong.text
    response = here.post(
        "/portal/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 200 and "Your password has been changed" in response.text
    assert here.get("/portal/account").status_code == 200
    assert elsewhere.get("/portal/account").status_code == 302


def test_signing_out_makes_a_copied_cookie_useless(portal_app, signed_in):
    user, _ = make_staff(portal_app)
    client = signed_in(user)
    token = client.get_cookie(staff_sessions.COOKIE).value
    assert client.post("/portal/sign-out").status_code == 302
    thief = portal_app.test_client()
    thief.set_cookie(staff_sessions.COOKIE, token)
    response = thief.get("/portal/referrals")
    assert response.status_code == 302 and "/portal/sign-in" in response.location
    page = thief.get(response.location)
    assert (
        "Your session has ended or is not valid" in page.text or "You have signed out" in page.text
    )


def test_a_tampered_cookie_is_refused(portal_app, signed_in):
    user, _ = make_staff(portal_app)
    client = signed_in(user)
    token = client.get_cookie(staff_sessions.COOKIE).value
    client.set_cookie(
        staff_sessions.COOKIE, token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    )
    response = client.get("/portal/referrals")
    assert response.status_code == 302
    assert "Your session has ended or is not valid" in client.get(response.location).text


def test_sessions_end_after_30_idle_minutes_and_12_hours(portal_app, signed_in, monkeypatch):
    user, _ = make_staff(portal_app)
    client = signed_in(user)
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=29))
    assert client.get("/portal/account").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=29 + 31))
    response = client.get("/portal/account")
    assert response.status_code == 302
    assert "without activity" in client.get(response.location).text

    monkeypatch.setattr(clock, "now", lambda: start)
    busy = signed_in(user)
    moment = start
    for _ in range(13 * 4):  # a request every 15 minutes, all day
        moment += dt.timedelta(minutes=15)
        monkeypatch.setattr(clock, "now", lambda moment=moment: moment)
        last = busy.get("/portal/account").status_code
        if last != 200:
            break
    assert last == 302 and dt.timedelta(hours=12) < moment - start <= dt.timedelta(
        hours=12, minutes=15
    )


def test_removal_ends_sessions_at_once(portal_app, signed_in):
    user, _ = make_staff(portal_app)
    client = signed_in(user)
    with portal_app.app_context():
        accounts.remove(db.session, db.session.get(StaffUser, user.id), by=None, now=clock.now())
        db.commit()
    assert client.get("/portal/account").status_code == 302
    assert (
        client.post("/portal/sign-in", data={"email": user.email, "password": PASSWORD}).status_code
        == 200
    )


def test_quick_exit_ends_a_staff_session_on_the_server(portal_app, signed_in):
    user, _ = make_staff(portal_app)
    client = signed_in(user)
    token = client.get_cookie(staff_sessions.COOKIE).value
    client.get("/exit")
    copy = portal_app.test_client()
    copy.set_cookie(staff_sessions.COOKIE, token)
    assert copy.get("/portal/account").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(portal_app, signed_in):
    user, _ = make_staff(portal_app)
    client = signed_in(user)
    first = re.findall(
        r"<code>([a-z0-9-]{11})</code>", client.post("/portal/account/recovery-codes").text
    )
    second = re.findall(
        r"<code>([a-z0-9-]{11})</code>", client.post("/portal/account/recovery-codes").text
    )
    assert len(first) == len(second) == 10 and not set(first) & set(second)
    assert "You have 10 recovery codes left" in client.get("/portal/account").text


def test_tokens_are_stored_only_as_hashes(portal_app):
    token = _invite(portal_app)
    with portal_app.app_context():
        stored = db.session.scalars(select(AccountToken.token_hash)).all()
    assert token not in stored and tokens.digest(token) in stored


def test_portal_pages_are_never_stored(portal_app, signed_in):
    user, _ = make_staff(portal_app)
    for response in (
        portal_app.test_client().get("/portal/sign-in"),
        signed_in(user).get("/portal/account"),
    ):
        assert response.headers["Cache-Control"] == "no-store"


def test_portal_forms_need_the_csrf_token(csrf_app):
    response = csrf_app.test_client().post(
        "/portal/sign-in", data={"email": "a@example.org", "password": "x" * 12}
    )
    assert response.status_code == 400


def test_a_persons_name_and_a_cookies_name_are_told_apart_in_polish(portal_app, signed_in):
    # One "Name" served both; Polish says "Nazwa" for a thing, "Imię i nazwisko" for a person.
    user, _ = make_staff(portal_app)
    assert "<dt>Imię i nazwisko</dt>" in signed_in(user).get("/pl/portal/account").text
    assert '<th scope="col">Nazwa</th>' in portal_app.test_client().get("/pl/cookies").text
