"""A pack that uses every optional key (tests/packs/every-key.toml: a logo, link colours,
its own site name, [legal] in full, other national services, hours day by day, places'
phones, websites and languages, examples marked field by field) on the pages where those
pieces show: zero axe violations in English and Urdu, desktop and 320 px wide; the logo
loads from the site itself and no request goes anywhere else; no sideways scrolling at
320 px; and the page's heading stays on a phone's first screen beside the logo.

One live server for the module. Set AGAINSTHATE_SCREENSHOTS=folder to keep a full-page
screenshot of each page (to look at, as a person would: the logo on the brand colour,
the header's one row on a phone, the Urdu pages).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.packs import EVERY_KEY

from .conftest import DESKTOP, NARROW, RTL_LANGUAGE, serving
from .test_accessibility import axe_violations, describe
from .test_layout import OVERFLOW

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/support",
    "/support/helpers",  # an organisation's hours day by day
    "/places",
    "/privacy",
    "/accessibility",
    "/refer/who",
]
# The <h1>'s top at most this far down at 320 × 640 (test_first_screen.py's budget).
FIRST_SCREEN = 320

LOGO = """() => {
  const img = document.querySelector("header .site-logo");
  if (!img) { return null; }
  const box = img.getBoundingClientRect();
  const row = img.closest(".header-row").getBoundingClientRect();
  return {loaded: img.complete && img.naturalWidth > 0, alt: img.alt, height: box.height,
          rowHeight: row.height, h1: document.querySelector("h1").getBoundingClientRect().top
          + window.scrollY};
}"""


@pytest.fixture(scope="module")
def every_key_server(tmp_path_factory):
    app = make_app(
        tmp_path_factory.mktemp("every-key"),
        AREA_PACK=EVERY_KEY,
        PUBLIC_RATE_LIMIT="100000 per minute",
    )
    with serving(app) as live:
        yield live


@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_every_optional_piece_is_accessible(browser, every_key_server, axe_source, language, width):
    shots = os.environ.get("AGAINSTHATE_SCREENSHOTS")
    context = browser.new_context(
        viewport=DESKTOP if width == "desktop" else NARROW, device_scale_factor=2 if shots else 1
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(every_key_server.url) else elsewhere.append(request.url)
        ),
    )
    prefix = "" if language == "en" else f"/{language}"
    failures = []
    try:
        for path in PAGES:
            response = page.goto(every_key_server(prefix + path))
            assert response is not None and response.status == 200, (path, response)
            logo = page.evaluate(LOGO)
            where = f"{prefix}{path} ({width})"
            if not logo or not logo["loaded"]:
                failures.append(f"{where}: the logo did not load: {logo}")
            elif width == "320":
                # One short row, and the heading still on the first screen.
                if logo["rowHeight"] > 3.5 * 16:
                    failures.append(f"{where}: the header row is {logo['rowHeight']} px tall")
                if logo["h1"] > FIRST_SCREEN:
                    failures.append(f"{where}: the <h1> starts {logo['h1']:.0f} px down")
                if page.evaluate(OVERFLOW):
                    failures.append(f"{where}: sideways scrolling: {page.evaluate(OVERFLOW)}")
            violations = axe_violations(page, axe_source)
            if violations:
                failures.append(describe(where, violations))
            if shots:
                name = f"{language}-{width}-{path.strip('/').replace('/', '-') or 'home'}"
                page.screenshot(path=str(Path(shots) / f"{name}-first-screen.png"))
                page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
    finally:
        context.close()
    assert not elsewhere, f"requests left for another site: {elsewhere}"
    assert not failures, "\n".join(failures)


def test_the_focused_logo_keeps_its_colours_in_a_yellow_ring(browser, every_key_server):
    """The yellow fill every other link gets on focus would hide a light logo's words."""
    context = browser.new_context(viewport=NARROW)
    try:
        page = context.new_page()
        page.goto(every_key_server("/"))
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.site-name')"):
                break
        else:
            pytest.fail("Tab never reached the logo")
        style = page.evaluate(
            "(({backgroundColor, boxShadow}) => ({backgroundColor, boxShadow}))"
            "(getComputedStyle(document.activeElement))"
        )
        assert style["backgroundColor"] == "rgba(0, 0, 0, 0)", style
        assert "rgb(255, 221, 0)" in style["boxShadow"], style
    finally:
        context.close()
