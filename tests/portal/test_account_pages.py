"""Every page of signing in and looking after an account, in each state (errors, a used
link, a session that ended), is valid HTML and keeps the page rules. English and Urdu
(right to left); CSRF on, as in production."""

from __future__ import annotations

import re

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import accounts
from againsthate.services.accounts import Policy
from tests.conftest import ROOMY, make_app
from tests.portal.conftest import PASSWORD, code_now, make_staff, session_client
from tests.portal.test_casework_pages import test_casework_pages_keep_the_page_rules as page_rules
from tests.test_html_valid import LANGUAGES, Rendered, save_page
from tests.test_html_valid import test_every_page_is_valid_html as nu_html_check

NEW_PASSWORD = "amber quiet walrus ladder"


def _post(client, url: str, data: dict):
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).text)
    assert token, f"no CSRF token on {url}"
    return client.post(url, data={**data, "csrf_token": token.group(1)})


def _invite(app, email: str) -> str:
    with app.app_context():
        _user, token = accounts.invite(
            db.session,
            email=email,
            name="Nia New",
            role="caseworker",
            organisation="derbyshire-victim-services",
            by=None,
            now=clock.now(),
            policy=Policy(),
        )
        db.session.commit()
    return token


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Rendered]:
    app = make_app(tmp_path_factory.mktemp("account-html"), **ROOMY)
    folder = tmp_path_factory.mktemp("account-pages")
    pages: list[Rendered] = []
    user, _secret = make_staff(app, "caseworker")
    manager, admin = make_staff(app, "manager")[0], make_staff(app, "admin")[0]
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"

        def keep(label, response, expected=200, code=code):
            save_page(folder, pages, f"{label} [{code}]", code, response, expected)

        visitor = app.test_client()
        keep("sign in", visitor.get(f"{prefix}/portal/sign-in"))
        keep(
            "sign in error",
            _post(
                visitor,
                f"{prefix}/portal/sign-in",
                {"email": user.email, "password": "wrong wrong wrong"},
            ),
        )
        response = _post(
            visitor, f"{prefix}/portal/sign-in", {"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        keep("code", visitor.get(f"{prefix}/portal/sign-in/code"))
        keep("code error", _post(visitor, f"{prefix}/portal/sign-in/code", {"code": "000000"}))
        keep("forgot password", visitor.get(f"{prefix}/portal/forgot-password"))
        keep(
            "forgot password error",
            _post(visitor, f"{prefix}/portal/forgot-password", {"email": ""}),
        )
        keep(
            "forgot password sent",
            _post(visitor, f"{prefix}/portal/forgot-password", {"email": "x@example.org"}),
        )
        keep("link expired", visitor.get(f"{prefix}/portal/invite/made-up"), expected=410)

        newcomer = app.test_client()
        token = _invite(app, f"new-{code}@example.org")
        keep("create password", newcomer.get(f"{prefix}/portal/invite/{token}"))
        keep(
            "create password error",
            _post(
                newcomer,
                f"{prefix}/portal/invite/{token}",
                {"password": "short", "confirm": "short"},
            ),
        )
        _post(
            newcomer,
            f"{prefix}/portal/invite/{token}",
            {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        two_factor_url = f"{prefix}/portal/invite/{token}/two-factor"
        keep("two-factor set-up", newcomer.get(two_factor_url))
        keep("two-factor set-up error", _post(newcomer, two_factor_url, {"code": "123456"}))
        with app.app_context():
            key = accounts.totp_secret(
                app.extensions["againsthate.keyring"],
                accounts.find_by_email(db.session, f"new-{code}@example.org"),
            )
        keep("recovery codes", _post(newcomer, two_factor_url, {"code": code_now(key)}))

        with app.app_context():  # an administrator's invitation, held for the manager
            held, _none = accounts.invite(
                db.session,
                email=f"held-{code}@example.org",
                name="Hal Held",
                role="caseworker",
                organisation="derbyshire-victim-services",
                now=clock.now(),
                policy=Policy(),
                by=db.session.get(StaffUser, admin.id),
            )
            db.session.commit()
        keep("team with one waiting", session_client(app, manager).get(f"{prefix}/portal/team"))
        keep(
            "invitation held",
            session_client(app, admin).get(f"{prefix}/portal/admin/staff/{held.id}/invited"),
        )

        staff = session_client(app, user)
        keep("account", staff.get(f"{prefix}/portal/account"))
        keep("change password", staff.get(f"{prefix}/portal/account/password"))
        keep(
            "change password error",
            _post(
                staff,
                f"{prefix}/portal/account/password",
                {"current": "", "password": "", "confirm": ""},
            ),
        )
        ended = staff.post(
            f"{prefix}/portal/sign-out",
            data={
                "csrf_token": re.search(
                    r'name="csrf_token" value="([^"]+)"', staff.get(f"{prefix}/portal/account").text
                ).group(1)
            },
        )
        assert ended.status_code == 302
        keep("signed out", staff.get(ended.location))
    yield pages
    with app.app_context():
        db.engine.dispose()


def test_every_account_page_is_valid_html(rendered):
    assert len(rendered) == 2 * 19
    nu_html_check(rendered)


def test_account_pages_keep_the_page_rules(rendered, tmp_path):
    page_rules(rendered, tmp_path)
