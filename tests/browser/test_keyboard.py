"""Keyboard only: the quick exit is the first thing Tab reaches, it is visible when focused,
and it leaves the site (Enter, or Shift three times), taking this site's cookies with it."""

from __future__ import annotations

import pytest

from .conftest import EXIT_URL, RTL_LANGUAGE, route_exit_destination

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]

ACTIVE = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || "").trim(),
          href: el.getAttribute("href"), quickExit: el.hasAttribute("data-quick-exit")};
}"""

# How the focused element shows its focus: any of a visible outline, a box shadow or a
# background that is not transparent.
FOCUS_STYLE = """() => {
  const s = getComputedStyle(document.activeElement);
  const visible = c => c && c !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(c);
  return {
    background: s.backgroundColor, outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    shadow: s.boxShadow,
    shown: visible(s.backgroundColor)
      || (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && visible(s.outlineColor))
      || (s.boxShadow !== "none" && s.boxShadow !== ""),
  };
}"""


# For any tab stop: does focus change how it looks? An outline that can be seen, or a
# background or box shadow different from the same element without focus.
FOCUS_CHANGE = """() => {
  const el = document.activeElement;
  const pick = s => ({background: s.backgroundColor, shadow: s.boxShadow,
                      outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
                      outlineShown: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
                        && s.outlineColor !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(s.outlineColor)});
  const focused = pick(getComputedStyle(el));
  el.blur();
  const plain = pick(getComputedStyle(el));
  el.focus();
  return {focused, plain, shown: focused.outlineShown
    || focused.background !== plain.background || focused.shadow !== plain.shadow};
}"""


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    view = page.viewport_size
    return (
        bool(box)
        and box["width"] > 1
        and box["height"] > 1
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= view["width"]
        and box["y"] + box["height"] <= view["height"]
    )


def set_our_cookies(page, live_server) -> None:
    """Leave a trace on this site: the preferences cookie and the session (CSRF) cookie."""
    page.goto(live_server("/settings/text-size/large?next=/settings"))
    names = {c["name"] for c in page.context.cookies(live_server.url)}
    assert "ah_prefs" in names, names


@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_first_tab_is_the_quick_exit_then_skip_to_content(
    new_context, live_server, language, width
):
    page = new_context(width=width).new_page()
    prefix = "" if language == "en" else f"/{language}"
    page.goto(live_server(prefix + "/support"))
    quick_exit = page.locator(".skip-link[data-quick-exit]")
    assert not in_viewport(page, quick_exit), "the quick-exit skip link shows before it is focused"

    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["quickExit"] and focused["href"] == prefix + "/exit", focused
    if language == "en":
        assert focused["text"] == "Leave this site quickly"
    assert in_viewport(page, quick_exit), (
        f"focused quick exit is off screen: {quick_exit.bounding_box()}"
    )
    style = page.evaluate(FOCUS_STYLE)
    assert style["shown"], f"no visible focus on the quick exit: {style}"

    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["href"] == "#main", focused
    if language == "en":
        assert focused["text"] == "Skip to main content"
    skip = page.locator(".skip-link[href='#main']")
    assert in_viewport(page, skip), f"focused skip link is off screen: {skip.bounding_box()}"
    style = page.evaluate(FOCUS_STYLE)
    assert style["shown"], f"no visible focus on the skip link: {style}"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")


@pytest.mark.parametrize("path", ["/", "/settings", "/ur/support"])
def test_every_tab_stop_shows_focus(new_context, live_server, path):
    """Tab through the whole page: every stop looks different when it has focus."""
    page = new_context().new_page()
    page.goto(live_server(path))
    seen, problems = 0, []
    for _ in range(120):
        page.keyboard.press("Tab")
        el = page.evaluate(ACTIVE)
        if el["tag"] == "body":
            break
        seen += 1
        style = page.evaluate(FOCUS_CHANGE)
        if not style["shown"]:
            problems.append(f"{el['tag']} {el['href'] or el['id']} '{el['text'][:40]}': {style}")
    assert seen >= 10, f"only {seen} tab stops on {path}"
    assert not problems, "focus not visible on:\n" + "\n".join(problems)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_enter_on_quick_exit_leaves_and_forgets(new_context, live_server, js):
    page = new_context(js=js).new_page()
    fulfilled = route_exit_destination(page)
    set_our_cookies(page, live_server)
    page.goto(live_server("/support"))
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["quickExit"]
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
    assert page.url == EXIT_URL
    assert fulfilled[0] == EXIT_URL
    assert page.context.cookies(live_server.url) == [], "this site's cookies survived the exit"


def test_shift_three_times_leaves(page, live_server):
    route_exit_destination(page)
    set_our_cookies(page, live_server)
    page.goto(live_server("/report"))
    status = page.locator("[data-exit-status]")
    assert status.get_attribute("role") == "status"
    assert status.text_content().strip() == ""

    page.keyboard.press("Shift")
    assert status.text_content() == "Shift, press 2 more times to leave this site."
    page.keyboard.press("Shift")
    assert status.text_content() == "Shift, press 1 more time to leave this site."
    assert page.url == live_server("/report"), "left after two presses"
    page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    assert page.context.cookies(live_server.url) == []


def test_other_keys_reset_the_shift_count(page, live_server):
    page.goto(live_server("/report"))
    status = page.locator("[data-exit-status]")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    assert status.text_content() == "Shift, press 2 more times to leave this site."
    assert page.url == live_server("/report")


def test_back_after_quick_exit_does_not_return(page, live_server):
    """With JavaScript the page you left is replaced in the history: Back skips it."""
    route_exit_destination(page)
    page.goto(live_server("/"))
    page.goto(live_server("/support"))  # the page someone is reading when they need to leave
    entries = page.evaluate("history.length")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
    assert page.evaluate("history.length") == entries, (
        "the exit added a history entry instead of replacing"
    )
    page.go_back()
    assert page.url != live_server("/support"), "Back returned to the page the visitor left"
    assert page.url == live_server("/")
