"""The referral pages in a real browser (Debian's Chromium): zero axe-core violations
(WCAG 2.0-2.2 A/AA and best practice) and no sideways scrolling at 320 px, in English and
Urdu, at default and largest text, including the states reached by using the forms
(errors, the "against their wishes" warning), all without JavaScript's help.

It lives here, not in tests/portal, to share this folder's one live server and one
browser: Playwright's sync API cannot run two instances in one process."""

from __future__ import annotations

import pytest

from againsthate import clock
from againsthate.extensions import db
from againsthate.services import staff_sessions
from tests.portal.conftest import ANSWERS, ORG_A, add_referral, make_staff, session_token

from .bidi import numbers_in_order
from .test_accessibility import audit_visits

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def casework(live_server):
    """Referrals of every kind in the live server's app, and a manager's session token."""
    app = live_server.app
    manager, _ = make_staff(app, "manager", ORG_A)
    for _n in range(26):
        add_referral(app)
    referrals = {
        "busy": add_referral(app, ORG_A, {**ANSWERS, "bsl": True}),
        "anonymous": add_referral(app, ORG_A, {**ANSWERS, "contact": "none"}),
        "deleted": add_referral(app, ORG_A),
    }
    from againsthate.services import retention

    with app.app_context():
        retention.erase(db.session, referrals["deleted"], clock.now(), None, "test")
        db.commit()

    def token() -> str:
        return session_token(app, manager)

    return referrals, token


def _signed_in_page(new_context, live_server, token, **options):
    context = new_context(**options)
    context.add_cookies([{"name": staff_sessions.COOKIE, "value": token(), "url": live_server.url}])
    return context.new_page()


def _visits(page, live_server, prefix: str, referrals: dict):
    """Each page and state, as (name, loader); a loader leaves the page showing it."""
    busy = f"{prefix}/portal/referrals/{referrals['busy']}"

    def go(path):
        return lambda: page.goto(live_server(path))

    from flask_babel import force_locale, gettext

    def submit(label, checks=()):
        with live_server.app.test_request_context(), force_locale(prefix.strip("/") or "en"):
            label = gettext(label)  # the button as it reads in the page's language

        def run():
            page.goto(live_server(busy))
            for selector in checks:
                page.check(selector)
            with page.expect_navigation():
                page.get_by_role("button", name=label).click()

        return run

    return [
        ("inbox", go(f"{prefix}/portal/referrals")),
        ("inbox page 2", go(f"{prefix}/portal/referrals?page=2&status=bogus")),
        ("referral", go(busy)),
        ("anonymous", go(f"{prefix}/portal/referrals/{referrals['anonymous']}")),
        ("deleted", go(f"{prefix}/portal/referrals/{referrals['deleted']}")),
        ("pass on", go(f"{busy}/pass-on")),
        ("erase", go(f"{busy}/erase")),
        ("contact errors", submit("Record the contact attempt")),
        (
            "breach warning",
            submit(
                "Record the contact attempt",
                [
                    "#contact-method-4",
                    "#contact-result-1",
                    "#contact-message_left-1",
                    "#contact-said_who-1",
                ],
            ),
        ),
        ("note error", submit("Add the note")),
        ("assign error", submit("Change who has it")),  # nobody to nobody: nothing changes
        ("inbox, nobody's", go(f"{prefix}/portal/referrals?owner=unassigned")),
        ("workload", go(f"{prefix}/portal/workload")),
    ]


@pytest.mark.looks  # the same whichever database is behind it
@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_casework_pages_have_no_axe_violations_and_reflow(
    new_context, live_server, axe_source, casework, language, text_size, width
):
    referrals, token = casework
    page = _signed_in_page(new_context, live_server, token, width=width, text_size=text_size)
    prefix = "" if language == "en" else f"/{language}"
    failures = audit_visits(
        page,
        _visits(page, live_server, prefix, referrals),
        axe_source,
        language=language,
        width=width,
    )
    assert not failures, "\n".join(failures)


def test_the_breach_warning_is_reached_and_confirmed_without_javascript(
    new_context, live_server, casework
):
    referrals, token = casework
    page = _signed_in_page(new_context, live_server, token, js=False)
    page.goto(live_server(f"/portal/referrals/{referrals['busy']}"))
    page.check("#contact-method-1")  # email: not one of their choices
    page.check("#contact-result-1")
    page.check("#contact-message_left-1")
    page.check("#contact-said_who-1")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the contact attempt").click()
    assert (
        page.locator("#contact-breaches")
        .inner_text()
        .strip()
        .startswith("This goes against what the person asked:")
    )
    page.check("#contact-understood")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the contact attempt").click()
    assert page.locator("[role=status]").last.inner_text().strip() == (
        "Contact attempt recorded, against what the person asked."
    )
    assert "Against what the person asked:" in page.locator("#history ~ ol").inner_text()


@pytest.mark.looks  # the same whichever database is behind it
def test_casework_pages_show_numbers_in_written_order_in_arabic(new_context, live_server, casework):
    """Urdu is measured with axe above (audit_visits); Arabic here, every page and state."""
    referrals, token = casework
    page = _signed_in_page(new_context, live_server, token)
    wrong: list[str] = []
    measured = 0
    for name, load in _visits(page, live_server, "/ar", referrals):
        load()
        assert page.evaluate("document.documentElement.dir") == "rtl", name
        seen = numbers_in_order(page)
        measured += seen["checked"]
        wrong += [f"{name} ({page.url}): {w}" for w in seen["wrong"]]
    assert measured > 0
    assert not wrong, "\n".join(wrong)
