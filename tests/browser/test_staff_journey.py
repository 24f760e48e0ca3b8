"""The whole staff journey by keyboard alone, in chromium with CSRF on: an administrator
invites a manager; the manager sets a password and two-factor sign-in, signs in, reads a
referral, adds a note, passes it on (and another), a caseworker of the receiving
organisation accepts one and returns the other with a reason, and the manager sees both
outcomes, finds a third by the person's phone number, takes it on, closes it, and
downloads the export.

Only Tab, Shift+Tab, arrow keys, typing and Enter/Space are used; each control is reached
by Tab and must show that it has focus. The only things read from outside the page are
the emailed invitation link (from the outbox, as the person's inbox) and the one-time
code an authenticator app would show for the key printed on the set-up page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from againsthate import clock
from againsthate.db.models import OutboxMessage, Referral, StaffUser
from againsthate.extensions import db
from againsthate.services import two_factor
from tests.browser.conftest import serving
from tests.browser.test_keyboard import FOCUS_CHANGE
from tests.conftest import ROOMY, make_app
from tests.portal.conftest import ORG_A, ORG_B, PASSWORD, add_referral, code_now, make_staff

pytestmark = pytest.mark.browser

MANAGER_EMAIL = "mo.manager@example.org"
MANAGER_PASSWORD = "violet harbour kettle ninety"
TAB_LIMIT = 250


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("staff-journey"), **ROOMY)  # CSRF on
    admin, admin_secret = make_staff(app, "admin", name="Ada Administrator")
    to_pass_on = add_referral(app, ORG_A)
    to_return = add_referral(app, ORG_A)
    to_close = add_referral(app, ORG_A)
    receiver, receiver_secret = make_staff(app, "caseworker", ORG_B, name="Rae Receiver")
    with serving(app) as live:
        yield {
            "app": app,
            "url": live.url,
            "admin": admin,
            "admin_secret": admin_secret,
            "to_pass_on": to_pass_on,
            "to_return": to_return,
            "to_close": to_close,
            "receiver": receiver,
            "receiver_secret": receiver_secret,
        }


def tab_to(page, selector: str, backwards: bool = False) -> None:
    """Press Tab until the focused element matches `selector`; it must show its focus."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            look = page.evaluate(FOCUS_CHANGE)
            assert look["shown"], f"{selector} on {page.url} shows no focus: {look}"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, name: str, value: str) -> None:
    """A radio in a group: Tab into the group, then arrow keys to the option (which checks it)."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    if not page.evaluate("() => document.activeElement.checked"):
        page.keyboard.press("Space")  # Tab lands on the first option without choosing it
    assert page.evaluate(
        "([n, v]) => document.querySelector(`input[name='${n}'][value='${v}']`).checked",
        [name, value],
    )


def press_button(page, text: str) -> None:
    _tab_to_button(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _tab_to_button(page, text: str) -> None:
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.textContent.trim()]"
        )
        if info[0] == "BUTTON" and info[1] == text:
            assert page.evaluate(FOCUS_CHANGE)["shown"], f"button {text!r} shows no focus"
            return
    raise AssertionError(f"Tab never reached the button {text!r} on {page.url}")


def follow(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def sign_in(page, base: str, email: str, password: str, code: str) -> None:
    page.goto(base + "/portal/sign-in")
    type_into(page, "input[name=email]", email)
    type_into(page, "input[name=password]", password)
    press_button(page, "Continue")
    assert heading(page) == "Enter your code", page.content()[:2000]
    type_into(page, "input[name=code]", code)
    press_button(page, "Sign in")


def test_the_whole_staff_journey_by_keyboard(site, browser):
    app, base = site["app"], site["url"]
    context = browser.new_context(base_url=base, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()

    # The administrator signs in and invites a manager of organisation A.
    sign_in(page, base, site["admin"].email, PASSWORD, code_now(site["admin_secret"]))
    assert heading(page) == "Overview"
    follow(page, "a[href$='/portal/admin/staff']")
    follow(page, "a[href$='/portal/admin/staff/invite']")
    type_into(page, "input[name=email]", MANAGER_EMAIL)
    type_into(page, "input[name=name]", "Mo Manager")
    choose(page, "role", "manager")
    tab_to(page, "select[name=organisation]")
    page.keyboard.type("Derbyshire Victim")  # typing picks the option, as in any select
    assert page.evaluate("() => document.activeElement.value") == ORG_A
    press_button(page, "Send the invitation")
    assert MANAGER_EMAIL in page.content()
    press_button(page, "Sign out")
    assert heading(page) == "Sign in to the portal"

    # The invitation arrives (the outbox stands in for the manager's inbox).
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "staff_invitation")
        ).one()
        body = app.extensions["againsthate.keyring"].open(message.body)
    # The link names SITE_URL; this test's server listens on its own port.
    link = base + re.search(r"http\S+(/portal/invite/\S+)", body).group(1)

    manager = browser.new_context(base_url=base, accept_downloads=True)
    manager.set_default_timeout(10_000)
    page = manager.new_page()
    page.goto(link)
    assert heading(page) == "Create a password"
    type_into(page, "input[name=password]", MANAGER_PASSWORD)
    type_into(page, "input[name=confirm]", MANAGER_PASSWORD)
    press_button(page, "Continue")
    assert heading(page) == "Set up two-factor sign-in"
    key = page.locator(".secret-key code").inner_text().replace(" ", "")
    moment = clock.now()
    type_into(page, "input[name=code]", two_factor.code_at(key, moment))
    press_button(page, "Continue")
    assert heading(page) == "Your recovery codes"
    assert len(page.locator(".recovery-codes code").all()) == 10
    follow(page, "a.button")
    assert heading(page) == "Referrals"

    # Signs out, and back in with the next code (the one used at set-up cannot be used again).
    press_button(page, "Sign out")
    sign_in(
        page,
        base,
        MANAGER_EMAIL,
        MANAGER_PASSWORD,
        two_factor.code_at(key, moment + dt.timedelta(seconds=30)),
    )
    assert heading(page) == "Referrals"

    # Reads a referral: the person's wishes are at the top.
    follow(page, f"a[href$='/portal/referrals/{site['to_pass_on']}']")
    assert site["to_pass_on"] in heading(page)
    assert "Do not leave a message" in page.content()

    # Adds a note.
    type_into(page, "textarea[name=note-text]", "Called twice, no answer. Will try on Tuesday.")
    press_button(page, "Add the note")
    assert "Called twice, no answer." in page.content()

    # Passes it on to organisation B, with a reason: it stays, read only, waiting.
    follow(page, "a[href$='/pass-on']")
    choose(page, "organisation", ORG_B)
    type_into(page, "textarea[name=reason]", "They need a disability specialist.")
    press_button(page, "Pass it on")
    assert "Passed on, waiting" in page.content()
    assert page.locator("textarea[name=note-text]").count() == 0
    # And another, which B will return.
    page.goto(base + f"/portal/referrals/{site['to_return']}")
    follow(page, "a[href$='/pass-on']")
    choose(page, "organisation", ORG_B)
    type_into(page, "textarea[name=reason]", "Perhaps yours.")
    press_button(page, "Pass it on")

    # A caseworker of B signs in: both wait in the inbox; accepts one, returns the other.
    receiving = browser.new_context(base_url=base)
    receiving.set_default_timeout(10_000)
    theirs = receiving.new_page()
    sign_in(theirs, base, site["receiver"].email, PASSWORD, code_now(site["receiver_secret"]))
    assert heading(theirs) == "Referrals"
    follow(theirs, f"a[href$='/portal/referrals/{site['to_pass_on']}']")
    assert "Read it and its history, then accept it or return it." in theirs.content()
    press_button(theirs, "Accept this referral")
    assert "You have accepted referral" in theirs.content()
    theirs.goto(base + "/portal/referrals")
    follow(theirs, f"a[href$='/portal/referrals/{site['to_return']}']")
    follow(theirs, f"a[href$='/portal/referrals/{site['to_return']}/return']")
    type_into(theirs, "textarea[name=reason]", "Outside the area we cover.")
    press_button(theirs, "Return it")
    assert "has been returned to Derbyshire Victim Services" in theirs.content()
    receiving.close()

    with app.app_context():
        moved = db.session.scalars(
            select(Referral).where(Referral.reference == site["to_pass_on"])
        ).one()
        assert moved.organisation == ORG_B
    page.goto(base + "/portal/referrals")
    assert f'/portal/referrals/{site["to_pass_on"]}"' not in page.content()
    follow(page, f"a[href$='/portal/referrals/{site['to_return']}']")
    assert "Returned by Disability Direct." in page.content()
    assert "Outside the area we cover." in page.content()
    page.goto(base + f"/portal/referrals/{site['to_pass_on']}")
    assert "accepted by them" in page.content()
    page.goto(base + "/portal/referrals")

    # Finds the third by the person's phone number, typed without its spaces, and takes it
    # on: a manager may give a referral to anyone of the organisation, themself included.
    type_into(page, "input[name=query]", "07700900982")
    press_button(page, "Search")
    assert heading(page) == "Find a referral"
    follow(page, f"a[href$='/portal/referrals/{site['to_close']}']")
    with app.app_context():
        me = db.session.scalars(select(StaffUser).where(StaffUser.email == MANAGER_EMAIL)).one()
    choose(page, "assign-to", str(me.id))
    type_into(page, "textarea[name=assign-reason]", "I will take this one.")
    press_button(page, "Change who has it")
    assert page.locator("dt:text-is('Who has it') + dd").inner_text().strip() == "Mo Manager"

    # Closes it with an outcome.
    choose(page, "status-status", "closed")
    choose(page, "status-outcome", "supported")
    press_button(page, "Change the status")
    with app.app_context():
        closed = db.session.scalars(
            select(Referral).where(Referral.reference == site["to_close"])
        ).one()
        assert (closed.status, closed.outcome) == ("closed", "supported")

    # Downloads the export.
    page.goto(base + "/portal/referrals")
    tab_to(page, "a[href$='/portal/referrals/export.csv']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert site["to_close"] in text and site["to_pass_on"] not in text
    context.close()
    manager.close()
