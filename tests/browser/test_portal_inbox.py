"""The inbox with who each referral is from, their contact methods, last activity and each
order, in a real browser (Debian's Chromium): zero axe-core violations, no sideways
scrolling of the page at 320 px (the table scrolls in its own region), no word broken
mid-word, at default and largest text, in English and Urdu."""

from __future__ import annotations

import datetime as dt

import pytest

from againsthate import clock
from againsthate.services import staff_sessions
from tests.portal.conftest import ANSWERS, ORG_A, add_referral, make_staff, session_token

from .test_accessibility import audit_visits

pytestmark = pytest.mark.browser

# Every word of the table whose text is drawn on more than one line: a word broken mid-word
# (a hyphenated name may wrap at its hyphen, as any text does: its parts are the words).
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("table.inbox"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/[^\\s\\-\u2010]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def inbox(live_server):
    """A caseworker's inbox of people named in both scripts, anonymous, nameless, by every
    contact method; and a session token."""
    app = live_server.app
    caseworker, _ = make_staff(app, "caseworker", ORG_A)
    people = [
        {**ANSWERS, "name": "Samira Khan", "methods": ["phone", "email", "post"]},
        {**ANSWERS, "name": "عائشہ بی بی", "methods": ["email"], "email": "a@example.org"},
        {**ANSWERS, "name": "Bartholomew Featherstonehaugh-Cholmondeley"},
        {**ANSWERS, "contact": "none"},
        {**ANSWERS, "name": ""},
    ]
    for n in range(27):
        add_referral(
            app, ORG_A, people[n % len(people)], created_at=clock.now() - dt.timedelta(hours=n)
        )

    def token() -> str:
        return session_token(app, caseworker)

    return token


@pytest.mark.looks  # the same whichever database is behind it
@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_inbox_with_people_and_orders_has_no_axe_violations_and_reflows(
    new_context, live_server, axe_source, inbox, language, text_size, width
):
    context = new_context(width=width, text_size=text_size)
    context.add_cookies([{"name": staff_sessions.COOKIE, "value": inbox(), "url": live_server.url}])
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    broken: list[str] = []

    def go(query: str):
        def load():
            page.goto(live_server(f"{prefix}/portal/referrals{query}"))
            assert page.locator("th[aria-sort]").count() == 1, query
            broken.extend(f"{query}: {word}" for word in page.evaluate(BROKEN_WORDS))

        return load

    visits = [
        ("newest", go("")),
        ("oldest, page 2", go("?sort=oldest&page=2")),
        ("latest activity", go("?sort=activity&status=new&characteristic=race")),
        ("waiting longest", go("?sort=waiting&owner=unassigned")),
    ]
    failures = audit_visits(page, visits, axe_source, language=language, width=width)
    assert not failures, "\n".join(failures)
    assert not broken, broken
