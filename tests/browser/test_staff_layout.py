"""The staff layout in chromium: zero axe violations and no sideways scrolling at 320 px and
at the largest text size, in English and Urdu; the quick exit first in the focus order and
working by keyboard (Enter, and Shift three times); the account page's language and text
size reachable by keyboard and holding on the next portal page."""

from __future__ import annotations

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import staff_sessions
from tests.portal.conftest import ORG_A, add_referral, make_staff

from .conftest import EXIT_URL, route_exit_destination
from .test_accessibility import audit_visits
from .test_keyboard import ACTIVE, FOCUS_STYLE

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]


# What in the staff header, with the phone's menu open, shown and more than a pixel wide
# (not the visually hidden status line), lies beyond either side of the window.
HEADER_OUTSIDE = """() => {
  document.querySelectorAll("header.staff-header details").forEach(d => { d.open = true; });
  return [...document.querySelectorAll("header.staff-header *")]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 1)
  .filter(e => { const r = e.getBoundingClientRect();
                 return r.left < 0 || r.right > document.documentElement.clientWidth; })
  .map(e => `${e.tagName.toLowerCase()}.${e.className} [${Math.round(e.getBoundingClientRect().left)}..${Math.round(e.getBoundingClientRect().right)}]`);
}"""


@pytest.fixture
def manager(live_server):
    app = live_server.app
    user, _secret = make_staff(app, "manager", ORG_A, name="Layout Manager")
    reference = add_referral(app, ORG_A)

    def sign_in(page) -> None:
        with app.app_context():
            token = staff_sessions.start(
                db.session, db.session.get(StaffUser, user.id), clock.now()
            )
            db.commit()
        page.context.add_cookies(
            [{"name": staff_sessions.COOKIE, "value": token, "url": live_server.url}]
        )

    return sign_in, reference


@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_staff_pages_have_no_axe_violations_and_reflow(
    new_context, live_server, axe_source, manager, language, text_size, width
):
    sign_in, reference = manager
    page = new_context(width=width, text_size=text_size).new_page()
    sign_in(page)
    prefix = "" if language == "en" else f"/{language}"

    def go(path):
        return lambda: page.goto(live_server(prefix + path))

    visits = [
        ("inbox", go("/portal/referrals")),
        ("referral", go(f"/portal/referrals/{reference}")),
        ("account", go("/portal/account")),
        ("workload", go("/portal/workload")),
    ]
    failures = audit_visits(page, visits, axe_source, language=language, width=width)
    assert not failures, "\n".join(failures)
    for _name, load in visits:
        load()
        # The header fits the width, and is compact: the page's heading starts on the
        # first screen.
        outside = page.evaluate(HEADER_OUTSIDE)
        assert not outside, f"{page.url}: in the header, outside the width: {outside}"
        top = page.evaluate("document.querySelector('h1').getBoundingClientRect().top")
        # Half the screen at the default size; at the largest, the organisation's name, the
        # example notice and the buttons wrap onto more lines, and in Urdu the "translation
        # not yet checked" notice and the referral's back link come before the heading too
        # (at 320 x 640 in Urdu: about 540 px, the header some 310 of them): still on the
        # first screen.
        budget = page.viewport_size["height"] * (0.5 if text_size == "default" else 0.9)
        assert top < budget, f"{page.url}: <h1> at {top}px, more than {budget}px"


@pytest.mark.parametrize("width", ["desktop", "320"])
def test_quick_exit_is_the_first_tab_stop_and_leaves(new_context, live_server, manager, width):
    sign_in, reference = manager
    page = new_context(width=width).new_page()
    sign_in(page)
    seen = route_exit_destination(page)
    page.goto(live_server(f"/portal/referrals/{reference}"))
    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["quickExit"] and focused["href"] == "/exit", focused
    assert page.evaluate(FOCUS_STYLE)["shown"]
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["href"] == "#main"
    # The header's own small button is the next stop but one, past the organisation's name.
    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["quickExit"] and focused["text"] == "Leave this site", focused
    assert page.locator("header.staff-header a.exit-button").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
    assert seen, "the browser never reached the exit destination"
    names = {c["name"] for c in page.context.cookies(live_server.url)}
    assert staff_sessions.COOKIE not in names


def test_shift_three_times_leaves_a_staff_page(new_context, live_server, manager):
    sign_in, _reference = manager
    page = new_context().new_page()
    sign_in(page)
    route_exit_destination(page)
    page.goto(live_server("/portal/referrals"))
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)


def test_text_size_and_language_from_the_account_page_by_keyboard(
    new_context, live_server, manager
):
    sign_in, _reference = manager
    page = new_context().new_page()
    sign_in(page)
    page.goto(live_server("/portal/account"))
    largest = page.locator("main a.size-largest")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('size-largest')"):
            break
    else:
        pytest.fail("Tab never reached the largest text size on the account page")
    assert largest.is_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/portal/account")
    assert page.evaluate("document.documentElement.className") == "text-largest"
    page.locator("main a[hreflang=ur]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/ur/portal/account")
    with page.expect_navigation():
        page.locator("header.staff-header nav.main-nav a").first.click()
    assert page.url.endswith("/ur/portal/referrals")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.className]") == [
        "ur",
        "text-largest",
    ]
