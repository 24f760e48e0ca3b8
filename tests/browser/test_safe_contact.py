"""Safe contact at the moment of contact, in a real browser (Debian's Chromium): the contact
block (whether now is a safe time, the wishes, how to reach them, the action) is on the
first screen at 1280 x 800; a caseworker logs an attempt outside the person's safe times
with the keyboard alone, through the confirmation; and the block's states have zero axe
violations at 320 px and the largest text, in English and Urdu."""

from __future__ import annotations

import datetime as dt

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import staff_sessions
from tests.portal.casework import events
from tests.portal.conftest import ANSWERS, ORG_A, add_referral, make_staff

from .test_accessibility import audit_visits

pytestmark = pytest.mark.browser

# Monday 7 December 2026, 18:30 in London (winter: UTC): outside weekday mornings.
EVENING = dt.datetime(2026, 12, 7, 18, 30, tzinfo=dt.UTC)
MORNINGS = {**ANSWERS, "phone_periods": ["weekday_mornings"]}


@pytest.fixture
def outside(live_server, monkeypatch):
    """A referral whose safe times are weekday mornings, at 18:30 on a Monday; the path to
    its page, and a page factory signed in as a caseworker of its organisation."""
    monkeypatch.setattr(clock, "now", lambda: EVENING)
    app = live_server.app
    user, _ = make_staff(app, "caseworker", ORG_A)
    reference = add_referral(app, ORG_A, MORNINGS)

    def signed_in(new_context, **options):
        with app.app_context():
            token = staff_sessions.start(db.session, db.session.get(StaffUser, user.id), EVENING)
            db.commit()
        context = new_context(**options)
        context.add_cookies(
            [{"name": staff_sessions.COOKIE, "value": token, "url": live_server.url}]
        )
        return context.new_page()

    return f"/portal/referrals/{reference}", reference, signed_in


@pytest.mark.looks
def test_the_contact_block_and_its_action_are_on_the_first_screen(
    new_context, live_server, outside
):
    path, _, signed_in = outside
    page = signed_in(new_context, viewport_override={"width": 1280, "height": 800})
    page.goto(live_server(path))
    block = page.locator("section.contact-safety")
    box = block.bounding_box()
    assert box and box["y"] + box["height"] <= 800, box
    assert block.get_by_text("is outside their safe times").is_visible()
    assert block.get_by_role("link", name="Record a contact attempt").is_visible()
    # The wishes that keep them safe are bolder than the preferences.
    harm = block.locator(".wishes-harm li").first.evaluate("e => getComputedStyle(e).fontWeight")
    other = block.locator(".wishes-preferences li").first.evaluate(
        "e => getComputedStyle(e).fontWeight"
    )
    assert int(harm) > int(other)


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab (only Tab) until the element is focused: the keyboard's own path."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_call_outside_their_safe_times_is_logged_by_keyboard_through_the_confirmation(
    new_context, live_server, outside
):
    path, reference, signed_in = outside
    page = signed_in(new_context, js=False)
    page.goto(live_server(path))
    _tab_to(page, "a.button[href='#contact']")
    page.keyboard.press("Enter")  # to the form, just below
    _tab_to(page, "#contact-method-0")
    page.keyboard.press("Space")  # phone call: their chosen way
    _tab_to(page, "#contact-result-0")
    page.keyboard.press("ArrowDown")  # no answer
    _tab_to(page, "#contact-made_time")  # the time starts at now: left as it is
    _tab_to(page, "#contact-message_left-0")
    page.keyboard.press("ArrowRight")  # no
    _tab_to(page, "#contact-said_who-0")
    page.keyboard.press("ArrowRight")  # no
    _tab_to(page, "form[action$='/contacts'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    warning = page.locator("#contact-breaches").inner_text()
    assert "It is outside the times they said are safe" in warning
    assert [e.kind for e in events(live_server.app, reference)] == ["contact_refused"]
    assert page.locator("#contact-result-1").is_checked()  # what was typed is kept
    page.locator("body").focus()
    _tab_to(page, "#contact-understood", limit=80)
    page.keyboard.press("Space")
    _tab_to(page, "form[action$='/contacts'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Contact attempt recorded, against what the person asked." in page.content()
    assert [e.kind for e in events(live_server.app, reference)] == ["contact_refused", "contact"]


@pytest.mark.looks
@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_contact_block_and_the_outside_times_warning_have_no_axe_violations(
    new_context, live_server, axe_source, outside, language
):
    path, _, signed_in = outside
    prefix = "" if language == "en" else f"/{language}"
    failures = []
    for width in ("320", "desktop"):
        page = signed_in(new_context, width=width, text_size="largest")

        def submit(page=page):
            page.goto(live_server(prefix + path))
            for selector in (
                "#contact-method-0",
                "#contact-result-1",
                "#contact-message_left-1",
                "#contact-said_who-1",
            ):
                page.check(selector)
            with page.expect_navigation():
                page.locator(
                    "#contact button[type=submit], form[action$='/contacts'] button"
                ).first.click()

        visits = [
            ("referral", lambda page=page: page.goto(live_server(prefix + path))),
            ("outside times warning", submit),
        ]
        failures += audit_visits(page, visits, axe_source, language=language, width=width)
    assert not failures, "\n".join(failures)
