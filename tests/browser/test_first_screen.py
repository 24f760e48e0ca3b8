"""The page's own heading is on the first screen of a phone, with the way out and 999.

Budgets, measured in chromium as the top of the <h1> from the top of the page:
  390 × 844: at most 300 CSS px; 320 × 640: at most 320 px; 390 × 844 at the largest
  text size: at most 700 px. On question pages the first answer control starts inside
  the first screen at 320 × 640 and 390 × 844.
Every one of them in English, Urdu and Arabic (the two right-to-left scripts are taller).
Whatever moved to make room stays within reach: the menu, languages and text size sit
in disclosures that open without JavaScript and by keyboard.
"""

from __future__ import annotations

import pytest

from .conftest import RTL_LANGUAGE

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]

PAGES = ["/", "/report", "/refer/who", "/refer/what"]
QUESTIONS = {"/refer/who", "/refer/what"}
LANGUAGES = ["en", RTL_LANGUAGE, "ar"]
# (viewport, text size, the most the <h1>'s top may be from the page's top)
BUDGETS = [
    ({"width": 390, "height": 844}, "default", 300),
    ({"width": 320, "height": 640}, "default", 320),
    ({"width": 390, "height": 844}, "largest", 700),
]

MEASURE = """() => {
  const top = el => el.getBoundingClientRect().top + window.scrollY;
  const bottom = el => el.getBoundingClientRect().bottom + window.scrollY;
  const h1s = document.querySelectorAll("h1");
  const control = document.querySelector(
    "main form input:not([type=hidden]), main form textarea, main form select");
  const exit = document.querySelector(".exit-bar a.exit-button");
  const emergency = [...document.querySelectorAll(".emergency")].find(e => e.offsetParent !== null);
  return {h1s: h1s.length, h1: h1s.length ? top(h1s[0]) : null,
          control: control ? top(control) : null,
          exit: exit && exit.offsetParent !== null ? bottom(exit) : null,
          emergency: emergency ? {bottom: bottom(emergency), text: emergency.innerText} : null};
}"""


def _started(context, live_server, prefix: str) -> None:
    """/refer/what is asked only once the first question is answered."""
    page = context.new_page()
    page.goto(live_server(f"{prefix}/refer/who"))
    page.check("main input[name='who'][value='self']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("viewport", "text_size", "budget"),
    BUDGETS,
    ids=[f"{v['width']}x{v['height']}-{t}" for v, t, _b in BUDGETS],
)
def test_heading_and_first_answer_are_on_the_first_screen(
    new_context, live_server, language, viewport, text_size, budget
):
    context = new_context(text_size=text_size, viewport_override=viewport)
    prefix = "" if language == "en" else f"/{language}"
    _started(context, live_server, prefix)
    page = context.new_page()
    problems = []
    for path in PAGES:
        page.goto(live_server(prefix + path))
        seen = page.evaluate(MEASURE)
        where = f"{prefix}{path} at {viewport['width']}×{viewport['height']}, text {text_size}"
        if seen["h1s"] != 1 or seen["h1"] is None:
            problems.append(f"{where}: {seen['h1s']} <h1>s")
            continue
        if seen["h1"] > budget:
            problems.append(f"{where}: the <h1> starts {seen['h1']:.0f} px down (budget {budget})")
        if (
            path in QUESTIONS
            and text_size == "default"
            and (seen["control"] is None or seen["control"] >= viewport["height"])
        ):
            problems.append(
                f"{where}: the first answer starts at {seen['control']} px, "
                f"below the first screen ({viewport['height']} px)"
            )
        if seen["exit"] is None or seen["exit"] > viewport["height"]:
            problems.append(f"{where}: the quick exit is not on the first screen")
        if (
            seen["emergency"] is None
            or seen["emergency"]["bottom"] > viewport["height"]
            or "999" not in seen["emergency"]["text"]
        ):
            problems.append(
                f"{where}: 'In danger now? Call 999.' is not on the first screen: "
                f"{seen['emergency']}"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_the_999_line_stays_in_view_as_the_page_scrolls(new_context, live_server, language):
    page = new_context(viewport_override={"width": 390, "height": 844}).new_page()
    page.goto(
        live_server(
            "/what-is-hate-crime" if language == "en" else f"/{language}/what-is-hate-crime"
        )
    )
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = page.locator(".exit-bar .emergency").bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 844, box
    assert page.locator(".exit-bar a.exit-button").is_visible()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_on_a_phone_menu_and_languages_open_by_keyboard(new_context, live_server, js):
    """The disclosures are <details>: they open with Enter, with or without scripts."""
    page = new_context(js=js, viewport_override={"width": 320, "height": 640}).new_page()
    page.goto(live_server("/report"))
    assert not page.locator("nav.languages").is_visible(), "the full language list shows on a phone"
    assert not page.locator("nav.main-nav").is_visible()
    menu = page.locator(".exit-menu summary")
    language = page.locator(".header-language summary")
    assert menu.is_visible() and language.is_visible()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.exit-menu summary')"):
            break
    else:
        pytest.fail("Tab never reached the menu")
    page.keyboard.press("Enter")
    witnesses = page.locator(".exit-menu a", has_text="Witnesses")
    assert witnesses.is_visible()
    assert page.locator(".exit-menu a", has_text="Largest").is_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, "the open menu makes the page scroll sideways at 320 px"
    page.keyboard.press("Enter")  # and closes again
    assert not witnesses.is_visible()
    language.focus()
    page.keyboard.press("Enter")
    urdu = page.locator(".header-language a[hreflang='ur']")
    assert urdu.is_visible()
    with page.expect_navigation():
        urdu.click()
    assert page.url.endswith("/ur/report")
    assert page.evaluate("document.documentElement.dir") == "rtl"


@pytest.mark.parametrize(
    ("viewport", "shown"),
    [({"width": 390, "height": 844}, False), ({"width": 1280, "height": 900}, True)],
    ids=["phone", "desktop"],
)
def test_shift_three_times_is_offered_only_where_a_keyboard_is_likely(
    new_context, live_server, viewport, shown
):
    page = new_context(viewport_override=viewport).new_page()
    page.goto(live_server("/"))
    assert page.locator("[data-exit-hint]").is_visible() is shown


def test_the_home_page_says_call_999_once(page, live_server):
    page.goto(live_server("/"))
    visible = page.evaluate("""() => [...document.querySelectorAll('body *')]
      .filter(e => e.children.length === 0 && e.offsetParent !== null
                   && /in danger now/i.test(e.textContent)).length""")
    assert visible == 1


def _answer_everything(context, live_server, prefix: str, overrides=None) -> None:
    """Every question answered over HTTP in this browser's own session (its cookies)."""
    import re
    from urllib.parse import urlencode

    from tests.referral.journey import page_data

    slug = "who"
    for _ in range(30):
        form = context.request.get(live_server(f"{prefix}/refer/{slug}")).text()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        data = {**page_data(slug, overrides), "csrf_token": token}
        body = urlencode(
            [
                (k, v)
                for k, value in data.items()
                for v in (value if isinstance(value, list) else [value])
            ]
        )
        response = context.request.post(
            live_server(f"{prefix}/refer/{slug}"),
            data=body,
            max_redirects=0,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status == 302, (slug, response.status)
        slug = response.headers["location"].split("/refer/")[1].split("?")[0]
        if slug == "check":
            return
    raise AssertionError("the journey never reached the check page")


# Send's top at most this far from the top of the check page at 390 × 844, for a journey
# with contact details by phone and email and a follow-up to most questions (the defaults
# of tests/referral/journey.py): "within about two screens". Measured: about 1,850 px.
SEND_WITHIN = 2.25 * 844


@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_send_is_within_about_two_screens_of_the_check_pages_top(
    new_context, live_server, language
):
    context = new_context(viewport_override={"width": 390, "height": 844})
    prefix = "" if language == "en" else f"/{language}"
    _answer_everything(context, live_server, prefix)
    page = context.new_page()
    page.goto(live_server(f"{prefix}/refer/check"))
    send = page.evaluate(
        "document.querySelector('main form button[type=submit]')"
        ".getBoundingClientRect().top + scrollY"
    )
    assert send <= SEND_WITHIN, f"Send starts {send:.0f} px down ({send / 844:.2f} screens)"


@pytest.mark.parametrize("text_size", ["default", "largest"])
def test_the_open_menu_leaves_999_in_view_and_every_link_reachable(
    new_context, live_server, text_size
):
    page = new_context(
        text_size=text_size, viewport_override={"width": 320, "height": 640}
    ).new_page()
    page.goto(live_server("/refer/who"))
    page.locator(".exit-menu summary").click()
    panel = page.locator(".exit-menu .disclosure-panel")
    emergency = page.locator(".exit-bar .emergency").bounding_box()
    box = panel.bounding_box()
    assert box["y"] >= emergency["y"] + emergency["height"] - 1, (box, emergency)
    for link in panel.locator("a").all():
        link.scroll_into_view_if_needed()
        seen = link.bounding_box()
        assert seen is not None and seen["y"] >= 0 and seen["y"] + seen["height"] <= 640, (
            f"{link.inner_text()!r} cannot be brought into view: {seen}"
        )
