"""A pack marks which of its facts are examples field by field, and the page marks exactly
those (issue 14): `example = true` still marks every contact detail of an organisation (or a
whole place), and `example = ["email"]` marks only the email, leaving the real phone unmarked."""

from __future__ import annotations

import re

import pytest

from againsthate.paths import AREAS
from againsthate.services.areapack import AreaPackError, load

# No marks at all to start from, and Disability Direct without its phone (each test adds
# what it needs).
PACK = re.sub(
    r"(?m)^example = true\n",
    "",
    (AREAS / "derbyshire.toml")
    .read_text(encoding="utf-8")
    .replace('phone = "01632 960 102"\n', ""),
)
ORG = 'slug = "disability-direct"\n'
MARK = "(an example, not real)"


def _org_text(pack_app, extra: str) -> str:
    app = pack_app(PACK.replace(ORG, ORG + extra, 1))
    page = app.test_client().get("/support/disability-direct").get_data(as_text=True)
    return page[page.index("<main") :]


def _line_of(html: str, what: str) -> str:
    """The list item that holds `what`."""
    return next(item for item in re.findall(r"<li>.*?</li>", html, re.DOTALL) if what in item)


def test_only_the_fields_marked_are_marked(pack_app):
    page = _org_text(
        pack_app, 'phone = "01632 960456"\nemail = "dd@example.org"\nexample = ["email"]\n'
    )
    assert MARK in _line_of(page, "mailto:dd@example.org")
    assert MARK not in _line_of(page, "tel:01632960456")
    assert "These contact details are examples, not real." not in page


def test_example_true_still_marks_them_all(pack_app):
    page = _org_text(pack_app, 'phone = "01632 960456"\nexample = true\n')
    assert "These contact details are examples, not real." in page


def test_unmarked_is_unmarked(pack_app):
    page = _org_text(pack_app, 'phone = "01632 960456"\n')
    assert MARK not in page and "examples, not real" not in page


def test_a_field_that_cannot_be_an_example_is_named(pack_file):
    with pytest.raises(AreaPackError) as caught:
        load(pack_file(PACK.replace(ORG, ORG + 'example = ["fax"]\n', 1)))
    assert "'fax' is not one of" in str(caught.value), str(caught.value)


def test_a_places_marked_fields_are_marked(pack_app):
    place = 'opening_hours = "Monday to Friday, 9am to 5pm"\n'
    marked = place + 'phone = "01632 960789"\nexample = ["phone", "opening_hours"]\n'
    app = pack_app(PACK.replace(place, marked, 1))
    page = app.test_client().get("/places").get_data(as_text=True)
    card = next(c for c in page.split('<div class="card">') if "01632 960789" in c)
    assert card.count(MARK) == 2
    assert "This place is an example" not in card
