"""The self-referral journey in a real browser: /refer → one question a page → /refer/check
→ /refer/done/<reference>.

- by keyboard alone (English and Urdu), with focus visible on every control used;
- with JavaScript off (English and Arabic), and the done address in another context
  shows only the neutral page;
- axe and reflow on every step, every error state, the check and done pages (English and
  Urdu, default and largest text, 1280 and 320 px);
- the error summary takes focus and each of its links takes focus to its field;
- the quick exit in the middle of the journey deletes the answers;
- a page left open until its session ended still takes the answer (no server error).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, gettext

from againsthate import examples

from .conftest import EXIT_URL, RTL_LANGUAGE, route_exit_destination
from .test_accessibility import axe_violations, describe
from .test_keyboard import ACTIVE, FOCUS_CHANGE
from .test_layout import OVERFLOW

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^[2-9B-DF-HJ-NP-TV-Z]{4}-[2-9B-DF-HJ-NP-TV-Z]{4}$")
CONTINUE = "main form button.button[type=submit]"  # Continue, and Send on the check page
MAX_TABS = 60  # header, language and text-size links, then the form: about 25 stops

_A_MONTH_AGO = dt.date.today() - dt.timedelta(days=30)
_DAY, _MONTH, _YEAR = str(_A_MONTH_AGO.day), str(_A_MONTH_AGO.month), str(_A_MONTH_AGO.year)


@pytest.fixture(autouse=True)
def room_to_send(live_server, monkeypatch):
    """These tests send about a dozen referrals from 127.0.0.1; the site allows 10 an hour
    per address (REFERRAL_RATE_LIMIT, read at each request). Raised here, not removed."""
    monkeypatch.setitem(live_server.app.config, "REFERRAL_RATE_LIMIT", "1000 per hour")


def _prefix(language: str) -> str:
    return "" if language == "en" else f"/{language}"


def _path(page) -> str:
    return urlsplit(page.url).path


def _translated(live_server, language: str, message: str) -> str:
    with live_server.app.test_request_context(), force_locale(language):
        return gettext(message)


# --- Answers -------------------------------------------------------------------------
# An action is ("choose", radio name, value), ("tick", checkbox name, value or None for a
# single checkbox) or ("fill", field name, text). Actions are listed in page order.


def _target(kind: str, name: str, value: str | None) -> str:
    if kind == "fill":
        return f"main [name='{name}']"
    return f"main input[name='{name}']" + (f"[value='{value}']" if value is not None else "")


def act(page, actions) -> None:
    """Answer with the mouse (page.check / page.fill)."""
    for kind, name, value in actions:
        if kind == "fill":
            page.fill(_target(kind, name, None), value)
        else:
            page.check(_target(kind, name, value))


def submit(page) -> None:
    with page.expect_navigation():
        page.click(CONTINUE)


def act_quickly(page, actions) -> None:
    """The same answers in one round trip, for the walks that only look at the pages."""
    page.evaluate(
        """(actions) => {
      for (const [kind, selector, value] of actions) {
        const el = document.querySelector(selector);
        if (!el) { throw new Error("no " + selector); }
        if (kind === "fill") { el.value = value; } else { el.checked = true; }
      }
    }""",
        [[kind, _target(kind, name, value), value] for kind, name, value in actions],
    )


def submit_quickly(page) -> None:
    with page.expect_navigation():
        page.evaluate("s => document.querySelector(s).click()", CONTINUE)


def actions_for(slug: str, fields: dict) -> list:
    """A page's answers (the package's examples) as actions, by the kind of each field."""
    from wtforms import BooleanField, RadioField

    from againsthate.answers.steps import BY_SLUG

    form = BY_SLUG[slug].form
    actions: list = []
    for name, value in fields.items():
        kind = getattr(form, name).field_class
        if issubclass(kind, RadioField):  # form_helpers.Radios too
            actions.append(("choose", name, value))
        elif kind is BooleanField:
            actions.append(("tick", name, None))
        elif isinstance(value, list):
            actions += [("tick", name, item) for item in value]
        else:
            actions.append(("fill", name, value))
    return actions


# One way through, with a follow-up question on most pages (used by keyboard and no-JS).
ROUTE: list[tuple[str, list]] = [
    (slug, actions_for(slug, fields)) for slug, fields in examples.route(dt.date.today())
]


@dataclass(frozen=True)
class Visit:
    slug: str
    answer: list
    then: str  # the page the answer leads to
    empty_error: bool = False  # an empty answer is refused with an error
    wrong: list = field(default_factory=list)  # (what is wrong, actions): format errors
    again: bool = False  # gone back to, to open the other branch: not checked twice


# Every page of the journey (every slug in steps.STEPS), going back to open the other
# branches, with every page's empty error and the format errors.
WALK: list[Visit] = [
    Visit("who", [("choose", "who", "self")], "what", empty_error=True),
    Visit(
        "what",
        [("fill", "what", "Someone shouted at me at the bus stop.")],
        "when-where",
        empty_error=True,
    ),
    Visit(
        "when-where",
        [("choose", "when", "month"), ("choose", "where", "online")],
        "when-month",
        empty_error=True,
    ),
    Visit(
        "when-month",
        [
            ("choose", "when_month_name", "2"),
            ("choose", "when_month_year", str(dt.date.today().year - 1)),
        ],
        "where-online",
        empty_error=True,
    ),
    Visit("where-online", [("fill", "where_platform", "A messaging app")], "about"),
    Visit(
        "when-where",
        [("choose", "when", "date"), ("choose", "where", "place")],
        "when-date",
        again=True,
    ),
    Visit(
        "when-date",
        [("fill", "when_day", _DAY), ("fill", "when_month", _MONTH), ("fill", "when_year", _YEAR)],
        "where-place",
        empty_error=True,
        wrong=[
            (
                "a date that does not exist",
                [
                    ("fill", "when_day", "31"),
                    ("fill", "when_month", "2"),
                    ("fill", "when_year", "2024"),
                ],
            )
        ],
    ),
    Visit(
        "where-place",
        [("fill", "where_postcode", "DE22 1AB"), ("fill", "where_place", "The bus stop")],
        "about",
        wrong=[("a postcode in the wrong format", [("fill", "where_postcode", "not-a-postcode")])],
    ),
    Visit(
        "about",
        [("tick", "about", "religion"), ("tick", "about", "other")],
        "about-other",
        empty_error=True,
    ),
    Visit("about-other", [("fill", "about_other", "My accent")], "religion", empty_error=True),
    Visit("religion", [("choose", "religion", "jewish")], "police"),
    Visit("police", [("choose", "police", "pass_on")], "police-consent", empty_error=True),
    Visit("police-consent", [("tick", "pass_on_consent", None)], "help", empty_error=True),
    Visit("police", [("choose", "police", "yes")], "police-reference", again=True),
    Visit("police-reference", [("fill", "crime_reference", "CR-12345")], "help"),
    Visit(
        "help",
        [("tick", "help", "emotional_support"), ("choose", "contact", "yes")],
        "contact-details",
        empty_error=True,
    ),
    Visit(
        "contact-details",
        [
            ("fill", "name", "Sam"),
            ("tick", "methods", "phone"),
            ("tick", "methods", "email"),
            ("tick", "methods", "post"),
            ("fill", "phone", "07700 900982"),
            ("fill", "email", "sam@example.org"),
            ("fill", "address", "1 Example Street\nDerby"),
        ],
        "contact-safety",
        empty_error=True,
        wrong=[
            (
                "an email address in the wrong format",
                [("tick", "methods", "email"), ("fill", "email", "not-an-email")],
            ),
            (
                "a phone number in the wrong format",
                [("tick", "methods", "phone"), ("fill", "phone", "not a number")],
            ),
        ],
    ),
    Visit(
        "contact-safety",
        [
            ("choose", "phone_message", "no"),
            ("fill", "phone_times", "Weekdays"),
            ("choose", "phone_say_who", "no"),
            ("choose", "email_say_who", "yes"),
            ("choose", "post_say_who", "yes"),
        ],
        "needs",
        empty_error=True,
    ),
    Visit("needs", [], "consent"),
    Visit(
        "consent",
        [
            ("tick", "consent", None),
            ("choose", "heard", "other"),
            ("fill", "heard_other", "A neighbour"),
        ],
        "check",
        empty_error=True,
    ),
]


def test_the_walk_covers_every_step():
    from againsthate.answers.steps import STEPS

    assert {v.slug for v in WALK} == {s.slug for s in STEPS}, "a step of the journey is not walked"


def has_error_summary(page) -> bool:
    return page.locator("[data-error-summary]").count() == 1


def walk(page, live_server, language: str, inspect) -> tuple[str, list[str]]:
    """Start to done through WALK. inspect(label) is called on every page and error state.
    Returns the done page's reference and what went wrong on the way (not fatal).
    Answers are set by script: the keyboard and no-JavaScript tests answer as people do."""
    prefix = _prefix(language)
    problems: list[str] = []

    def arrived(slug: str) -> None:
        assert _path(page) == f"{prefix}/refer/{slug}", f"expected {slug}, on {page.url}"

    page.goto(live_server(f"{prefix}/refer"))
    inspect("start")
    with page.expect_navigation():
        page.evaluate("() => document.querySelector('main a.button').click()")  # Start now
    for visit in WALK:
        if visit.again:
            page.goto(live_server(f"{prefix}/refer/{visit.slug}"))
        arrived(visit.slug)
        if not visit.again:
            inspect(visit.slug)
            tries = ([("an empty answer", [])] if visit.empty_error else []) + visit.wrong
            for what, actions in tries:
                act_quickly(page, actions)
                submit_quickly(page)
                if has_error_summary(page):
                    inspect(f"{visit.slug} with {what} (error)")
                else:
                    problems.append(
                        f"{visit.slug}: {what} was accepted without an error "
                        f"(went on to {_path(page)})"
                    )
                    page.goto(live_server(f"{prefix}/refer/{visit.slug}"))
        act_quickly(page, visit.answer)
        submit_quickly(page)
        assert not has_error_summary(page), f"{visit.slug}: the answer {visit.answer} was refused"
        if visit.then != "check":
            arrived(visit.then)
    assert _path(page) == f"{prefix}/refer/check", page.url
    inspect("check")
    with page.expect_navigation():
        page.evaluate("() => document.querySelector('main a.clear-answers').click()")
    assert _path(page) == f"{prefix}/refer/clear", page.url
    inspect("clear my answers?")
    with page.expect_navigation():
        page.evaluate("() => [...document.querySelectorAll('main a')].pop().click()")  # No, go back
    assert _path(page) == f"{prefix}/refer/check", page.url
    submit_quickly(page)  # Send
    reference = _path(page).rsplit("/", 1)[-1]
    assert _path(page) == f"{prefix}/refer/done/{reference}", page.url
    inspect("done")
    return reference, problems


# --- a. Keyboard alone ---------------------------------------------------------------


def tab_to(page, selector: str, problems: list[str], where: str) -> None:
    """Press Tab until the element matching selector has focus; then its focus must show."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            break
    else:
        raise AssertionError(f"{where}: {MAX_TABS} Tabs never reached {selector}")
    focus_is_visible(page, problems, where)


def skip_to_content(page, problems: list[str], where: str) -> None:
    """As keyboard users do: "Skip to main content" (the second tab stop), then on into the
    form. Its #main stays in the address through each Continue, so the pages after it
    open with focus already on <main>."""
    if page.evaluate("document.activeElement.id") == "main":
        return
    tab_to(page, "a.skip-link[href='#main']", problems, where)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", (
        f"{where}: the skip link did not move focus"
    )


def focus_is_visible(page, problems: list[str], where: str) -> None:
    style = page.evaluate(FOCUS_CHANGE)
    if not style["shown"]:
        el = page.evaluate(ACTIVE)
        problems.append(
            f"{where}: no visible focus on <{el['tag']} id={el['id']!r}> "
            f"'{el['text'][:40]}': {style}"
        )


def keyboard_answer(page, actions, problems: list[str], where: str) -> None:
    for kind, name, value in actions:
        target = _target(kind, name, value)
        if kind == "fill":
            tab_to(page, target, problems, where)
            page.keyboard.type(value)
        elif kind == "tick":
            tab_to(page, target, problems, where)
            page.keyboard.press("Space")
        else:  # a radio group: Tab reaches it once, arrows move (and choose) within it
            tab_to(page, f"main input[name='{name}']", problems, where)
            for _ in range(20):
                if page.evaluate("v => document.activeElement.value === v", value):
                    break
                page.keyboard.press("ArrowDown")
                focus_is_visible(page, problems, where)
            else:
                raise AssertionError(f"{where}: ArrowDown never reached {target}")
            if not page.locator(target).is_checked():
                page.keyboard.press("Space")
        if kind == "fill":
            assert page.locator(target).input_value() == value, f"{where}: typing into {target}"
        else:
            assert page.locator(target).is_checked(), f"{where}: {target} is not chosen"


def keyboard_submit(page, actions, problems: list[str], where: str) -> None:
    """Enter in a text box submits its form; otherwise Tab to Continue and press Enter."""
    last_is_text_box = (
        bool(actions)
        and actions[-1][0] == "fill"
        and page.evaluate("() => document.activeElement.tagName === 'INPUT'")
    )
    if not last_is_text_box:
        tab_to(page, CONTINUE, problems, where)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_whole_journey_by_keyboard(new_context, live_server, language):
    page = new_context().new_page()
    prefix = _prefix(language)
    problems: list[str] = []
    page.goto(live_server(f"{prefix}/refer"))
    skip_to_content(page, problems, "start")
    tab_to(page, "main a.button", problems, "start")  # Start now
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for slug, actions in ROUTE:
        assert _path(page) == f"{prefix}/refer/{slug}", f"expected {slug}, on {page.url}"
        skip_to_content(page, problems, slug)
        keyboard_answer(page, actions, problems, slug)
        keyboard_submit(page, actions, problems, slug)
        assert not has_error_summary(page), f"{slug}: the answer was refused"
    assert _path(page) == f"{prefix}/refer/check", page.url
    skip_to_content(page, problems, "check")
    tab_to(page, CONTINUE, problems, "check")  # Send
    with page.expect_navigation():
        page.keyboard.press("Enter")
    path = _path(page)
    assert path.startswith(f"{prefix}/refer/done/"), page.url
    reference = path.rsplit("/", 1)[-1]
    assert REFERENCE.match(reference), reference
    # On a right-to-left page the reference sits between Unicode's isolates (i18n.ltr).
    assert page.locator("main .reference").inner_text().strip().strip("\u2066\u2069") == reference
    assert not problems, "focus not visible:\n" + "\n".join(problems)


# --- b. No JavaScript ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_whole_journey_without_javascript(new_context, live_server, language):
    context = new_context(js=False)
    page = context.new_page()
    prefix = _prefix(language)
    page.goto(live_server(f"{prefix}/refer"))
    assert page.locator("[data-exit-hint]").is_hidden(), "JavaScript is on in a no-JS context"
    with page.expect_navigation():
        page.click("main a.button")  # Start now
    for slug, actions in ROUTE:
        assert _path(page) == f"{prefix}/refer/{slug}", f"expected {slug}, on {page.url}"
        act(page, actions)
        submit(page)
        assert not has_error_summary(page), f"{slug}: the answer was refused"
    assert _path(page) == f"{prefix}/refer/check", page.url
    chosen = page.locator("main input[name='organisation']:checked")
    # The choice sits in a closed disclosure (the suggestion ticked): read its text, not what shows.
    organisation = (
        page.locator(f"label[for='{chosen.get_attribute('id')}'] span").text_content().strip()
    )
    assert organisation
    with page.expect_navigation():
        page.click(CONTINUE)  # Send
    done_url = page.url
    reference = _path(page).rsplit("/", 1)[-1]
    assert REFERENCE.match(reference), done_url
    main = page.locator("main").inner_text()
    assert reference in main and organisation in main, main

    # The address stays in the history; anyone else opening it sees nothing about it.
    other = new_context(js=False).new_page()
    response = other.goto(done_url)
    assert response is not None and response.status == 200
    main = other.locator("main").inner_text()
    title = other.title()
    assert other.locator("main h1").inner_text().strip() == _translated(
        live_server, language, "Thank you"
    )
    for secret in (reference, organisation):
        assert secret not in main and secret not in title, (
            f"the neutral page shows {secret!r}: {main}"
        )
    assert other.locator(".reference").count() == 0


# --- c. axe and reflow on every page and error state ---------------------------------


@pytest.mark.looks  # the same whichever database is behind it
@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_journey_has_no_axe_violations_and_reflows(
    new_context, live_server, axe_source, language, text_size, width
):
    page = new_context(width=width, text_size=text_size).new_page()
    expected_html = [language, "rtl" if language == RTL_LANGUAGE else "ltr", f"text-{text_size}"]
    checked: list[str] = []
    failures: list[str] = []

    def inspect(label: str) -> None:
        html = page.evaluate(
            "[document.documentElement.lang, document.documentElement.dir,"
            " document.documentElement.className]"
        )
        assert html == expected_html, f"{label}: <html> has {html}"
        where = f"{label} ({_path(page)})"
        # axe looks at the page from its top. On an error the script focuses the summary and
        # the page scrolls; axe then places the sticky exit bar and the off-screen skip links
        # as if they sat where the scroll left them (dequelabs/axe-core#3720) and reports
        # target-size and color-contrast on links nobody can see. Whether the sticky bar
        # hides what has focus is checked by the error-summary test instead.
        page.evaluate("window.scrollTo(0, 0)")
        violations = axe_violations(page, axe_source)
        if violations:
            failures.append(describe(where, violations))
        if width == "320":
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                failures.append(
                    f"{where}:\n  [reflow] sideways scrolling at 320 px: scrollWidth "
                    f"{overflow['scrollWidth']} > {overflow['clientWidth']}; sticking out: "
                    + "; ".join(overflow["elements"])
                )
        checked.append(label)

    reference, problems = walk(page, live_server, language, inspect)
    assert REFERENCE.match(reference), reference
    # start, every step, every error state (less those that showed no error), check,
    # "clear my answers?", done
    states = sum(v.empty_error + len(v.wrong) for v in WALK if not v.again)
    assert len(checked) == 1 + len({v.slug for v in WALK}) + states - len(problems) + 3, checked
    assert not failures and not problems, (
        f"{language}, text {text_size}, {width} wide: {len(failures)} of {len(checked)} pages "
        f"fail:\n" + "\n".join(failures + problems)
    )


# --- d. The error summary ------------------------------------------------------------

# Is any of the focused element under the exit bar, which stays stuck to the top of the
# window? WCAG 2.2's 2.4.11 (Focus Not Obscured, AA) asks that it is not entirely hidden;
# we ask that none of it is (2.4.12, AAA).
UNDER_EXIT_BAR = """() => {
  const bar = document.querySelector("[data-exit-bar]").getBoundingClientRect();
  const el = document.activeElement.getBoundingClientRect();
  return {hidden: el.top < bar.bottom - 1,
          bar: [Math.round(bar.top), Math.round(bar.bottom)], field: [Math.round(el.top), Math.round(el.bottom)]};
}"""


# The question of the focused field (its fieldset's legend, or its label): on the screen
# below the exit bar, whenever the question and the field fit on one screen together.
QUESTION_IN_VIEW = """() => {
  const field = document.activeElement;
  const fieldset = field.closest("fieldset");
  const question = (fieldset && fieldset.querySelector("legend"))
    || document.querySelector(`label[for='${field.id}']`);
  const bar = document.querySelector("[data-exit-bar]").getBoundingClientRect();
  const q = question.getBoundingClientRect(), f = field.getBoundingClientRect();
  return {shown: q.top >= bar.bottom - 1 && q.top < window.innerHeight,
          fits: f.bottom - q.top <= window.innerHeight - bar.height,
          question: [Math.round(q.top), Math.round(q.bottom)], bar: Math.round(bar.bottom)};
}"""


@pytest.mark.looks  # the same whichever database is behind it
@pytest.mark.parametrize("text_size", ["default", "largest"])
def test_error_summary_takes_focus_and_its_links_reach_the_fields(
    new_context, live_server, text_size
):
    """At 320 px wide, where the sticky exit bar is tallest (three rows at the largest
    text). JavaScript on: the script focuses the summary, and a link in it brings the
    field's question into view with the field."""
    page = new_context(width="320", text_size=text_size).new_page()
    failures: list[str] = []
    seen: list[str] = []

    def inspect(label: str) -> None:
        if "(error)" not in label:
            return
        seen.append(label)
        focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
        if not focused:
            failures.append(
                f"{label}: the error summary does not have focus "
                f"(focus is on {page.evaluate(ACTIVE)})"
            )
        elif not page.evaluate(FOCUS_CHANGE)["shown"]:
            failures.append(f"{label}: the focused error summary shows no focus")
        hrefs = page.eval_on_selector_all(
            "[data-error-summary] a", "els => els.map(e => e.getAttribute('href'))"
        )
        if not hrefs:
            failures.append(f"{label}: the error summary has no links")
        for href in hrefs:
            target = href[1:]
            exists = page.evaluate("id => document.getElementById(id) !== null", target)
            page.locator(f"[data-error-summary] a[href='{href}']").focus()
            page.keyboard.press("Enter")  # follow the link
            now = page.evaluate(ACTIVE)
            if not exists:
                failures.append(
                    f"{label}: the link to {href} goes nowhere: no element has id {target!r}"
                )
            elif now["id"] != target:
                failures.append(
                    f"{label}: following {href} put focus on <{now['tag']} id={now['id']!r}>"
                )
            else:
                cover = page.evaluate(UNDER_EXIT_BAR)
                if cover["hidden"]:
                    failures.append(
                        f"{label}: following {href}, the focused field is hidden under the "
                        f"sticky exit bar (field at y {cover['field']}, bar {cover['bar']})"
                    )
                question = page.evaluate(QUESTION_IN_VIEW)
                if question["fits"] and not question["shown"]:
                    failures.append(
                        f"{label}: following {href}, its question is out of sight ({question})"
                    )
        # Answer on from a clean address: a kept #fragment would move focus on the next page.
        page.evaluate("history.replaceState(null, '', location.pathname)")

    walk(page, live_server, "en", inspect)
    assert len(seen) >= 15, seen
    assert not failures, "\n".join(failures)


# --- e. Quick exit in the middle of the journey --------------------------------------


def test_quick_exit_during_the_journey_deletes_the_answers(new_context, live_server):
    context = new_context()
    page = context.new_page()
    fulfilled = route_exit_destination(page)
    page.goto(live_server("/refer"))
    with page.expect_navigation():
        page.click("main a.button")
    for slug, actions in ROUTE[:2]:
        assert _path(page) == f"/refer/{slug}"
        act(page, actions)
        submit(page)
    assert _path(page) == f"/refer/{ROUTE[2][0]}"
    # The answers so far are kept: /refer offers to continue.
    page.goto(live_server("/refer"))
    assert page.locator("main a.button").inner_text().strip() == "Continue where you left off"
    page.go_back()
    assert _path(page) == f"/refer/{ROUTE[2][0]}"
    session_cookies = context.cookies(live_server.url)
    assert session_cookies, "no session cookie holds the draft"

    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    assert fulfilled and fulfilled[0] == EXIT_URL

    page.goto(live_server("/refer"))
    start = page.locator("main a.button")
    assert start.inner_text().strip() == "Start now"
    assert "Continue where you left off" not in page.locator("main").inner_text()

    # Not just the cookie forgotten: the answers are gone from the server. The old
    # session cookie, put back, no longer finds a draft.
    other = new_context()
    other.add_cookies(session_cookies)
    again = other.new_page()
    again.goto(live_server("/refer"))
    assert again.locator("main a.button").inner_text().strip() == "Start now", (
        "the draft survived the quick exit"
    )


# --- A page left open too long -------------------------------------------------------


def test_a_page_left_open_too_long_keeps_the_answer(new_context, live_server):
    """The CSRF token is tied to the session cookie. When that is gone (the session ended,
    or the quick exit was used in another tab) pressing Continue on the first question must
    not lose the choice: the journey says the page was paused and shows it again
    (views.form_expired). A later question's answer is not shown again without the session
    (tests/referral/test_nothing_lost.py: the quick exit comes first)."""
    context = new_context(js=False)
    page = context.new_page()
    page.goto(live_server("/refer/who"))
    page.check("main input[name='who'][value='witness']")
    context.clear_cookies()
    with page.expect_navigation() as navigation:
        page.click(CONTINUE)
    response = navigation.value
    assert response is not None and response.status == 400, (
        f"answered {response and response.status}: {page.locator('body').inner_text()[:300]}"
    )
    assert "This page was open for a long time" in page.locator("main").inner_text()
    assert page.locator("main input[name='who'][value='witness']").is_checked()
