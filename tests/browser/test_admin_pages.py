"""The administrators' pages in Debian's chromium: zero axe-core violations (WCAG 2.2 A/AA
and best practices) and no sideways scrolling at 320 px, in English and Urdu (right to
left), at default and largest text, with data and with form errors on the pages."""

from __future__ import annotations

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import staff_sessions
from tests.admin.conftest import (
    ORG_A,
    add_referral,
    add_stat,
    make_staff,
    pages,
    sample_rows,
)
from tests.browser.bidi import numbers_out_of_order

# The browser fixtures come from tests/browser/conftest.py: importing them here would make
# a second Playwright in the same session, which Playwright refuses.
from tests.browser.conftest import LiveServer, serving, set_text_size
from tests.browser.test_accessibility import axe_violations, describe
from tests.browser.test_layout import OVERFLOW
from tests.conftest import ROOMY, make_app

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory):
    """A live server with data on every admin page, and an administrator's session token."""
    app = make_app(tmp_path_factory.mktemp("admin-live"), WTF_CSRF_ENABLED=False, **ROOMY)
    admin, _ = make_staff(app, "admin", name="Ada Administrator")
    values = sample_rows(app)
    add_referral(app, ORG_A)
    add_stat(app, month=clock.now().strftime("%Y-%m"), heard_from="bus")
    with app.app_context():
        token = staff_sessions.start(db.session, db.session.get(StaffUser, admin.id), clock.now())
        db.commit()
    paths = pages(app, values)
    # A page with form errors (the error summary and messages by the fields).
    paths.append("/portal/admin/audit?action=not-an-action&reference=" + "X" * 20)
    with serving(app) as live:
        yield live, token, paths


def _context(browser, live: LiveServer, token: str, width: int, text_size: str):
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live.url)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": staff_sessions.COOKIE, "value": token, "url": live.url}])
    if text_size != "default":
        set_text_size(context, live, text_size)
    return context


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_admin_pages_have_no_axe_violations_and_reflow(
    browser, axe_source, admin_site, language, text_size, width
):
    live, token, paths = admin_site
    context = _context(browser, live, token, width, text_size)
    page = context.new_page()
    failures = []
    try:
        for path in paths:
            url = path if language == "en" else f"/{language}{path}"
            response = page.goto(live(url))
            assert response is not None and response.status == 200, (
                f"{url}: {response and response.status}"
            )
            assert page.url.endswith(url), f"{url} went to {page.url}"  # still signed in
            # As in tests/browser/test_referral_journey.py: on a form error the script focuses
            # the error summary and the page scrolls; axe then misplaces the sticky exit bar
            # (dequelabs/axe-core#3720) and reports the links under it as too small.
            page.evaluate("window.scrollTo(0, 0)")
            violations = axe_violations(page, axe_source)
            if violations:
                failures.append(describe(url, violations))
            if width == 320:
                overflow = page.evaluate(OVERFLOW)
                if overflow:
                    failures.append(
                        f"{url}: sideways scrolling at 320 px: " + "; ".join(overflow["elements"])
                    )
            if language != "en" and width == 1280:
                failures += numbers_out_of_order(page, url)
                page.goto(live(f"/ar{path}"))  # and in Arabic, the other right-to-left script
                failures += numbers_out_of_order(page, f"/ar{path}")
    finally:
        context.close()
    assert not failures, "\n".join(failures)
