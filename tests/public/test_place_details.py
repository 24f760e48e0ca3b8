"""What a partnership can say of a place and an organisation (issue 14): a place's phone,
website and the languages spoken there, and opening hours day by day, each day named in
the visitor's language."""

from __future__ import annotations

import pytest

from againsthate.paths import AREAS
from againsthate.services.areapack import AreaPackError, load

PACK = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
PLACE = 'opening_hours = "Monday to Friday, 9am to 5pm"\n'
DETAILS = """phone = "01632 960123"
website = "https://www.example.org/library"
languages = ["Polish", "Urdu", "British Sign Language"]
hours_by_day = { monday = "9am to 5pm", saturday = { en = "10am to 1pm", pl = "10:00–13:00" } }
"""
ORG = 'slug = "disability-direct"\n'


def test_a_places_phone_website_languages_and_days(pack_app):
    assert PLACE in PACK
    client = pack_app(PACK.replace(PLACE, DETAILS, 1)).test_client()
    page = client.get("/places").get_data(as_text=True)
    assert 'href="tel:01632960123"' in page
    assert 'href="https://www.example.org/library"' in page
    assert "Polish, Urdu, British Sign Language" in page
    assert "Monday" in page and "9am to 5pm" in page and "Saturday" in page
    assert "<dt>Tuesday</dt>" not in page  # only the days the pack gives
    polish = client.get("/pl/places").get_data(as_text=True)
    assert "sobota" in polish and "10:00–13:00" in polish
    arabic = client.get("/ar/places").get_data(as_text=True)
    assert "الاثنين" in arabic


def test_an_organisations_days(pack_app):
    client = pack_app(
        PACK.replace(ORG, ORG + 'hours_by_day = { tuesday = "Noon to 8pm" }\n', 1),
    ).test_client()
    page = client.get("/support/disability-direct").get_data(as_text=True)
    assert "Tuesday" in page and "Noon to 8pm" in page


def test_an_organisations_days_and_hours_are_one_item_days_first(pack_app):
    """Given both, "Opening hours:" is said once: the days, then `hours` as a note."""
    both = 'hours = "Closed on bank holidays"\nhours_by_day = { tuesday = "Noon to 8pm" }\n'
    client = pack_app(PACK.replace(ORG, ORG + both, 1)).test_client()
    page = client.get("/support/disability-direct").get_data(as_text=True)
    item = page[page.index("Opening hours:") :]
    assert page.count("Opening hours:") == 1
    assert item.index("Noon to 8pm") < item.index("Closed on bank holidays") < item.index("</li>")


@pytest.mark.parametrize(
    ("new", "key", "problem"),
    [
        ('hours_by_day = { mon = "9am" }\n', "places[0].hours_by_day.mon", "unknown key"),
        ('languages = "Polish"\n', "places[0].languages", "expected a list"),
        ('phone = "call us"\n', "places[0].phone", "is not a phone number"),
    ],
)
def test_a_wrong_detail_is_named(pack_file, new, key, problem):
    with pytest.raises(AreaPackError) as caught:
        load(pack_file(PACK.replace(PLACE, PLACE + new, 1)))
    assert f": {key}" in str(caught.value) and problem in str(caught.value), str(caught.value)


def test_a_place_needs_its_hours_one_way_or_the_other(pack_file):
    with pytest.raises(AreaPackError) as caught:
        load(pack_file(PACK.replace(PLACE, "", 1)))
    assert "places[0].opening_hours" in str(caught.value)
    place = load(pack_file(PACK.replace(PLACE, 'hours_by_day = { friday = "9am" }\n', 1)))
    assert place.places[0].opening_hours is None
