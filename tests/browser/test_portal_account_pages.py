"""Signing in and account pages in chromium: zero axe-core violations and no sideways
scrolling at 320 px, in English and Urdu, at default and largest text, including the
error states, the two-factor set-up page (with its QR code) and the recovery codes."""

from __future__ import annotations

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import accounts, staff_sessions
from againsthate.services.accounts import Policy
from tests.portal.conftest import PASSWORD, code_now, make_staff

from .test_accessibility import audit_visits

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]

NEW_PASSWORD = "amber quiet walrus ladder"


@pytest.fixture
def people(live_server):
    # A new account for each run: the wrong passwords and codes tried here would lock a
    # shared one after a few runs.
    app = live_server.app
    user, secret = make_staff(app, "caseworker", name="Axe Tester")
    counter = iter(range(10_000))

    def token_for(person: StaffUser) -> str:
        with app.app_context():
            token = staff_sessions.start(
                db.session, db.session.get(StaffUser, person.id), clock.now()
            )
            db.commit()
            return token

    def session_token() -> str:
        return token_for(user)

    def invitation() -> str:
        with app.app_context():
            _new, token = accounts.invite(
                db.session,
                email=f"axe{next(counter)}-{user.id}@example.org",
                name="Ann Other",
                role="caseworker",
                organisation="derbyshire-victim-services",
                by=None,
                now=clock.now(),
                policy=Policy(),
            )
            db.session.commit()
        return token

    # A manager with someone an administrator invited into their organisation, waiting
    # for their approval on the team page.
    manager, _ = make_staff(app, "manager", name="Mona Manager")
    admin, _ = make_staff(app, "admin")
    with app.app_context():
        _waiting, token = accounts.invite(
            db.session,
            email=f"waiting-{manager.id}@example.org",
            name="Wendy Waiting",
            role="caseworker",
            organisation=manager.organisation,
            by=db.session.get(StaffUser, admin.id),
            now=clock.now(),
            policy=Policy(),
        )
        db.session.commit()
    assert token is None, "the invitation waits for the manager"

    session_token.manager = lambda: token_for(manager)  # type: ignore[attr-defined]
    return user, secret, session_token, invitation


def _submit(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_account_pages_have_no_axe_violations_and_reflow(
    new_context, live_server, axe_source, people, language, text_size, width
):
    from flask_babel import force_locale, gettext

    user, _secret, session_token, invitation = people
    prefix = "" if language == "en" else f"/{language}"
    with live_server.app.test_request_context(), force_locale(language):
        words = {w: gettext(w) for w in ("Continue", "Sign in", "Send the link", "Change password")}
    page = new_context(width=width, text_size=text_size).new_page()
    url = live_server

    def sign_in_error():
        page.goto(url(f"{prefix}/portal/sign-in"))
        page.fill("#email", user.email)
        page.fill("#password", "not the right one at all")
        _submit(page, words["Continue"])

    def code_page():
        page.goto(url(f"{prefix}/portal/sign-in"))
        page.fill("#email", user.email)
        page.fill("#password", PASSWORD)
        _submit(page, words["Continue"])

    def code_error():
        code_page()
        page.fill("#code", "000000")
        _submit(page, words["Sign in"])

    def forgot_error():
        page.goto(url(f"{prefix}/portal/forgot-password"))
        _submit(page, words["Send the link"])

    def forgot_sent():
        page.goto(url(f"{prefix}/portal/forgot-password"))
        page.fill("#email", "someone@example.org")
        _submit(page, words["Send the link"])

    invited = {}

    def create_password_error():
        invited["token"] = invitation()
        page.goto(url(f"{prefix}/portal/invite/{invited['token']}"))
        page.fill("#password", "short")
        page.fill("#confirm", "short")
        _submit(page, words["Continue"])

    def two_factor_page():
        page.fill("#password", NEW_PASSWORD)
        page.fill("#confirm", NEW_PASSWORD)
        _submit(page, words["Continue"])

    def two_factor_error():
        page.fill("#code", "123456")
        _submit(page, words["Continue"])

    def recovery_codes():
        key = page.locator(".secret-key code").inner_text().replace(" ", "")
        page.fill("#code", code_now(key))
        _submit(page, words["Continue"])

    def signed_in(path, token=session_token):
        def go():
            page.context.clear_cookies()
            page.context.add_cookies(
                [{"name": staff_sessions.COOKIE, "value": token(), "url": live_server.url}]
            )
            page.goto(url(f"{prefix}{path}"))

        return go

    def change_password_error():
        signed_in("/portal/account/password")()
        _submit(page, words["Change password"])

    def team_with_someone_waiting():
        signed_in("/portal/team", session_token.manager)()
        assert "Wendy Waiting" in page.locator("main").inner_text(), page.url

    visits = [
        ("sign in", lambda: page.goto(url(f"{prefix}/portal/sign-in"))),
        ("sign in error", sign_in_error),
        ("code", code_page),
        ("code error", code_error),
        ("forgot password", lambda: page.goto(url(f"{prefix}/portal/forgot-password"))),
        ("forgot password error", forgot_error),
        ("forgot password sent", forgot_sent),
        ("link expired", lambda: page.goto(url(f"{prefix}/portal/reset-password/made-up"))),
        ("create password error", create_password_error),
        ("two-factor set-up", two_factor_page),
        ("two-factor set-up error", two_factor_error),
        ("recovery codes", recovery_codes),
        ("account", signed_in("/portal/account")),
        ("change password", signed_in("/portal/account/password")),
        ("change password error", change_password_error),
        ("team, someone waiting", team_with_someone_waiting),
    ]
    failures = audit_visits(page, visits, axe_source, language=language, width=width)
    assert not failures, "\n".join(failures)
