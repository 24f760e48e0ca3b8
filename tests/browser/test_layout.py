"""Layout: the pages reflow at 320 CSS px (WCAG 1.4.10) and the text-size setting works."""

from __future__ import annotations

import pytest

from .conftest import RTL_LANGUAGE, paths_in

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]

# Sideways scrolling, and if there is any, the elements that stick out (for the message).
OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) { return null; }
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > width + 0.5 || r.left < -0.5)) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "");
      out.push(`${name} [${Math.round(r.left)}..${Math.round(r.right)}]`
        + ` "${(el.textContent || "").trim().slice(0, 40)}"`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, elements: out.slice(0, 8)};
}"""


@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_no_horizontal_scroll_at_320px(
    new_context, live_server, pages_to_visit, language, text_size
):
    page = new_context(width="320", text_size=text_size).new_page()
    failures = []
    paths = paths_in(language, pages_to_visit)
    for path in paths:
        response = page.goto(live_server(path))
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        assert page.evaluate("document.documentElement.clientWidth") == 320
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            failures.append(
                f"{path}: scrollWidth {overflow['scrollWidth']} > clientWidth "
                f"{overflow['clientWidth']}; sticking out: " + "; ".join(overflow["elements"])
            )
    assert not failures, (
        f"Sideways scrolling at 320 px ({language}, text {text_size}) on "
        f"{len(failures)} of {len(paths)} pages:\n" + "\n".join(failures)
    )


def _sizes(page) -> dict[str, float]:
    return page.evaluate("""() => ({
      html: parseFloat(getComputedStyle(document.documentElement).fontSize),
      h1: parseFloat(getComputedStyle(document.querySelector("main h1")).fontSize),
      body: parseFloat(getComputedStyle(document.body).fontSize),
    })""")


@pytest.mark.parametrize("path", ["/", "/support", "/ur/report"])
def test_text_size_scales(new_context, live_server, path):
    default = new_context().new_page()
    default.goto(live_server(path))
    largest = new_context(text_size="largest").new_page()
    largest.goto(live_server(path))
    assert largest.evaluate("document.documentElement.className") == "text-largest"
    small, big = _sizes(default), _sizes(largest)
    assert small["html"] == 16, f"default root font size is {small['html']}px"
    assert big["html"] == pytest.approx(1.5 * small["html"]), (small, big)
    assert big["body"] == pytest.approx(1.5 * small["body"]), (small, big)
    assert big["h1"] > small["h1"] * 1.25, f"the main heading hardly grows: {small} -> {big}"


def test_text_size_links_in_header_change_the_size(new_context, live_server):
    """The header's Large link works as a person would use it, and comes back to the page."""
    page = new_context().new_page()
    page.goto(live_server("/support"))
    before = _sizes(page)["html"]
    page.locator("nav.text-size a.size-large").click()
    page.wait_for_load_state()
    assert page.url == live_server("/support")
    assert page.evaluate("document.documentElement.className") == "text-large"
    assert _sizes(page)["html"] == pytest.approx(1.25 * before)
