"""How a question is drawn is said by its field (render_kw) and its step (layout, intro),
not by templates testing field names or slugs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.referral.journey import EVERY_BRANCH, complete_journey

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# field -> the attributes its input or textarea has (and, where it matters, has not).
DRAWN = {
    "what": ({'rows="10"'}, {"dir=", "autocomplete="}),
    "where_postcode": ({'class="input input-short"', 'dir="ltr"', 'spellcheck="false"'}, set()),
    "where_place": ({'class="input "'}, {"dir=", "spellcheck=", "autocomplete="}),
    "crime_reference": ({'dir="ltr"', 'spellcheck="false"'}, {"autocomplete=", "inputmode="}),
    "name": ({'autocomplete="name"'}, {"dir=", "spellcheck="}),
    "phone": ({'autocomplete="tel"', 'inputmode="tel"', 'dir="ltr"', 'spellcheck="false"'}, set()),
    "email": (
        {'autocomplete="email"', 'inputmode="email"', 'dir="ltr"', 'spellcheck="false"'},
        set(),
    ),
    "address": ({'autocomplete="street-address"', 'rows="4"'}, {"dir="}),
    "access": ({'rows="4"'}, {"autocomplete="}),
}


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_each_field_is_drawn_as_it_says(roomy_app, prefix):
    journey = complete_journey(roomy_app.test_client(), EVERY_BRANCH, prefix=prefix, visit=True)
    html = "".join(page.get_data(as_text=True) for page in journey.pages.values())
    for name, (has, has_not) in DRAWN.items():
        [tag] = re.findall(rf'<(?:input|textarea)\b[^>]*\bname="{name}"[^>]*>', html)
        assert {a for a in has if a not in tag} == set(), (name, tag)
        assert {a for a in has_not if a in tag} == set(), (name, tag)


@pytest.mark.parametrize(
    "path",
    sorted(p.name for p in (TEMPLATES / "referral").glob("*.html"))
    + ["../components/answers.html"],
)
def test_no_referral_template_tests_a_field_name_or_a_slug(path):
    text = (TEMPLATES / "referral" / path).read_text()
    tests = re.findall(r"(?:slug|\.name)\s*(?:==|!=|in\b)|\bin\s+f\.name", text)
    assert tests == [], path
