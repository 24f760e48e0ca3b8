"""Phone numbers, references, postcodes, dates and times read in their written order on
every right-to-left page, as chromium draws them (see bidi.py for how it is measured).

Every public page and the 404 page, every page and error state of the referral journey
(its check page shows the phone number typed, its done page the reference), in Arabic
and Urdu. The portal's pages are measured in Urdu by audit_visits (test_accessibility).
"""

from __future__ import annotations

import pytest

from .bidi import numbers_in_order, numbers_out_of_order
from .conftest import paths_in
from .test_accessibility import NOT_FOUND
from .test_referral_journey import walk

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]

RTL = ["ar", "ur"]
# An answer typed in English on a right-to-left page: its full stop to the right of its
# first letter (the answer takes its direction from its own text).
FULL_STOP = """(sentence) => {
  const el = [...document.querySelectorAll(".answer-text")].find(e => e.textContent === sentence);
  if (!el) return {found: false};
  const n = el.firstChild, r = document.createRange();
  r.setStart(n, 0); r.setEnd(n, 1); const first = r.getBoundingClientRect().left;
  r.setStart(n, sentence.length - 1); r.setEnd(n, sentence.length);
  return {found: true, first, stop: r.getBoundingClientRect().left};
}"""
LEFT_TO_RIGHT_BOXES = ("phone", "email", "where_postcode", "crime_reference")
BOXES = """(names) => Object.fromEntries([...document.querySelectorAll("main input")]
  .filter(el => names.includes(el.name)).map(el => [el.name, getComputedStyle(el).direction]))"""


@pytest.mark.parametrize("language", RTL)
def test_every_public_page_shows_numbers_in_written_order(
    new_context, live_server, pages_to_visit, language
):
    page = new_context().new_page()
    wrong: list[str] = []
    measured = tel = 0
    for path in paths_in(language, pages_to_visit + [NOT_FOUND]):
        page.goto(live_server(path))
        assert page.evaluate("document.documentElement.dir") == "rtl", path
        seen = numbers_in_order(page)
        wrong += [f"{path}: {w}" for w in seen["wrong"]]
        measured += seen["checked"]
        tel += seen["tel"]
    # Not vacuous: the footer alone carries several phone numbers on every page.
    assert tel >= 3 * len(pages_to_visit) and measured >= len(pages_to_visit), (tel, measured)
    assert not wrong, f"{len(wrong)} numbers out of order in {language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", RTL)
def test_the_referral_journey_shows_numbers_in_written_order(new_context, live_server, language):
    page = new_context().new_page()
    wrong: list[str] = []
    measured: dict[str, int] = {}

    def inspect(label: str) -> None:
        seen = numbers_in_order(page)
        measured[label] = seen["checked"]
        wrong.extend(f"{label}: {w}" for w in seen["wrong"])
        # What is typed into a box is not text a Range can measure: a box for a number or
        # an address runs left to right, so its groups show in the order typed.
        if label == "check":
            typed = page.evaluate(FULL_STOP, "Someone shouted at me at the bus stop.")
            if not typed["found"] or not typed["stop"] > typed["first"]:
                wrong.append(f"check: the English answer's full stop is not at its end ({typed})")
        for name, direction in page.evaluate(BOXES, list(LEFT_TO_RIGHT_BOXES)).items():
            boxes[name] = direction
            if direction != "ltr":
                wrong.append(f"{label}: the {name} box runs {direction}")

    boxes: dict[str, str] = {}
    walk(page, live_server, language, inspect)
    assert set(boxes) == set(LEFT_TO_RIGHT_BOXES), boxes
    # The check page holds the phone number typed; the phone error its example number.
    assert (
        measured["check"] > 0
        and measured["contact-details with a phone number in the wrong format (error)"] > 0
    ), measured
    assert not wrong, f"{len(wrong)} numbers out of order in {language}:\n" + "\n".join(wrong)


def test_the_measure_sees_a_reversed_number(new_context, live_server):
    """The check itself: an unisolated grouped number in right-to-left text is caught."""
    page = new_context().new_page()
    page.goto(live_server("/ar/report"))
    page.evaluate("""() => { const p = document.createElement("p");
        p.textContent = "اتصل على 0800 138 1625 الآن"; document.querySelector("main").prepend(p); }""")
    wrong = numbers_out_of_order(page, "/ar/report")
    assert any("0800 138 1625" in w and "1625 138 0800" in w for w in wrong), wrong


SITE_NAME_WORDS = """() => {
  const link = document.querySelector(".site-name");
  const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
  const words = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const w of n.data.matchAll(/\\S+/g)) {
      const r = document.createRange();
      r.setStart(n, w.index); r.setEnd(n, w.index + w[0].length);
      words.push({text: w[0], left: r.getBoundingClientRect().left});
    }
  }
  return {written: words.map(w => w.text), shown: [...words].sort((a, b) => a.left - b.left).map(w => w.text)};
}"""


@pytest.mark.parametrize("language", RTL)
def test_the_sites_english_name_reads_in_its_own_order_on_a_right_to_left_page(
    new_context, live_server, language
):
    """ "Against Hate Derbyshire" is one English name: on an Urdu page its words stay in
    their order, left to right (it showed "Derbyshire Against Hate")."""
    page = new_context().new_page()
    page.goto(live_server(f"/{language}/"))
    words = page.evaluate(SITE_NAME_WORDS)
    assert words["written"] == ["Against", "Hate", "Derbyshire"], words
    assert words["shown"] == words["written"], words
