"""Area packs: the shipped ones load, and every kind of mistake is named precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from againsthate.i18n import LANGUAGES
from againsthate.paths import AREAS
from againsthate.services.areapack import (
    AreaPackError,
    Text,
    contrast_with_white,
    load,
    nearest_places,
)
from tests.conftest import SHIPPED_PACKS

DERBYSHIRE = AREAS / "derbyshire.toml"


@pytest.mark.parametrize("name", SHIPPED_PACKS)
def test_shipped_packs_load(name):
    pack = load(AREAS / f"{name}.toml")
    assert pack.slug == name
    assert pack.organisations and pack.places
    assert pack.police.non_emergency == "101"


# Disability Direct's description line, whatever translations the shipped pack gives it.
DD_DESCRIPTION = re.search(
    r"^description(?:\.en)? = .*A disabled people.*$(?:\ndescription\.[a-z]{2} = .*$)*",
    DERBYSHIRE.read_text(encoding="utf-8"),
    re.MULTILINE,
)[0]


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DERBYSHIRE.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the pack"
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('non_emergency = "101"', "non_emergency = 101", "police.non_emergency", "expected text"),
        ('brand_colour = "#4b2a7b"', 'brand_colour = "#ffff00"', "area.brand_colour", "too light"),
        (
            'brand_colour = "#4b2a7b"',
            'brand_colour = "purple"',
            "area.brand_colour",
            "is not a colour",
        ),
        (
            'name = "Disability Direct"\n',
            'name = "Disability Direct"\nfax = "1"\n',
            "organisations[1].fax",
            "unknown key",
        ),
        (
            'characteristics = ["disability"]',
            'characteristics = ["height"]',
            "organisations[1].characteristics",
            "'height' is not one of",
        ),
        (
            'postcode = "DE1 9ZZ"',
            'postcode = "NOT A CODE"',
            "places[0].postcode",
            "not a UK postcode",
        ),
        (
            'quick_exit_url = "https://www.bbc.co.uk/weather"',
            'quick_exit_url = "http://x.example"',
            "area.quick_exit_url",
            "https://",
        ),
        (
            'restorative_justice = "remedi"',
            'restorative_justice = "nobody"',
            "area.restorative_justice",
            "not the slug",
        ),
        (
            'slug = "tell-mama"',
            'slug = "remedi"',
            "organisations",
            (
                "organisations[4] (the 5th organisation) and organisations[5] (the 6th "
                "organisation) both use the slug 'remedi'"
            ),
        ),
        (
            'areas = ["DE1-DE24", "DE65", "DE72", "DE73", "DE74"]',
            'areas = ["AL1"]',
            "organisations[3].areas",
            "AL1",
        ),
        # A misspelt table is named once, where it is, with what it may have meant (not
        # also as "police: this table is missing").
        ("[police]\n", "[polic]\n", "polic", "unknown key (did you mean 'police'?"),
        ("[police]\n", "[extras]\nx = 1\n\n[police]\n", "extras", "unknown key"),
        (
            "published = 2017-09-14",
            'published = "yesterday"',
            "news[0].published",
            "expected a date",
        ),
        # Translations: a code the site does not have, an empty one, none in the pack's own
        # language, and a table where only one text is allowed (a name).
        (
            DD_DESCRIPTION,
            'description = { en = "A service.", xx = "Zzz." }',
            "organisations[1].description.xx",
            "'xx' is not a language of this site",
        ),
        (
            DD_DESCRIPTION,
            'description = { en = "A service.", ur = "  " }',
            "organisations[1].description.ur",
            "must not be empty",
        ),
        (
            DD_DESCRIPTION,
            'description = { ur = "خدمت" }',
            "organisations[1].description",
            "the text in the pack's own language is missing (en =",
        ),
        (
            DD_DESCRIPTION,
            'description = { en = "A service.", pl = 3 }',
            "organisations[1].description.pl",
            "expected text in quotes",
        ),
        (
            'name = "Disability Direct"',
            'name = { en = "Disability Direct", pl = "DD" }',
            "organisations[1].name",
            "names, addresses, numbers and links are written once",
        ),
        (
            'access_notes = "Ground floor. Accessible toilet."',
            'access_notes = { en = "Ground floor.", ar = "" }',
            "places[1].access_notes.ar",
            "must not be empty",
        ),
    ],
)
def test_a_mistake_names_file_key_and_problem(tmp_path, old, new, key, problem):
    _assert_refused(_broken(tmp_path, old, new), key, problem)


def _assert_refused(path: Path, key: str, problem: str) -> None:
    with pytest.raises(AreaPackError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert f": {key}" in message, message
    assert problem in message, message


def test_a_field_may_be_given_in_several_languages(tmp_path):
    path = _broken(
        tmp_path,
        DD_DESCRIPTION,
        'description = { ur = " اردو میں۔ ", en = " In English. ", pl = "Po polsku." }',
    )
    description = load(path).organisation("disability-direct").description
    assert isinstance(description, Text)
    assert str(description) == "In English."  # the pack's own language, stripped
    assert description.get("ur") == "اردو میں۔" and description.has("ur")
    assert description.get("pl") == "Po polsku."
    assert description.get("ar") == "In English." and not description.has("ar")
    assert not description.has("en")  # the pack's own text is the source, not a translation


def test_plain_text_is_in_the_packs_own_language(tmp_path):
    hours = load(DERBYSHIRE).places[0].opening_hours
    assert isinstance(hours, Text) and hours.translations == ()
    assert hours.get("ur") == str(hours) == "Monday to Friday, 9am to 5pm"


def test_translations_are_checked_against_the_languages_given(tmp_path):
    path = _broken(
        tmp_path, DD_DESCRIPTION, 'description = { en = "A service.", cy = "Gwasanaeth." }'
    )
    with pytest.raises(
        AreaPackError,
        match=re.escape(
            f"{path}: organisations[1].description.cy (the 2nd organisation): 'cy' is not"
        ),
    ):
        load(path)
    welsh_too = [*LANGUAGES, "cy"]
    assert (
        load(path, languages=welsh_too).organisation("disability-direct").description.get("cy")
        == "Gwasanaeth."
    )


def test_invalid_toml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[area\nname = ", encoding="utf-8")
    with pytest.raises(AreaPackError, match=re.escape(str(path)) + ": not valid TOML"):
        load(path)


def test_missing_file_says_check_area_pack(tmp_path):
    with pytest.raises(AreaPackError, match="AREA_PACK"):
        load(tmp_path / "nowhere.toml")


def test_a_broken_pack_stops_start_up(tmp_path):
    from againsthate import create_app
    from againsthate.config import TestConfig

    path = _broken(tmp_path, 'text_relay = "18000"', 'text_relay = ""')
    with pytest.raises(AreaPackError, match="police.text_relay: must not be empty"):
        create_app(TestConfig(tmp_path, AREA_PACK=path))


def test_district_ranges_expand():
    pack = load(DERBYSHIRE)
    assert {"DE1", "DE22", "DE75", "S40", "SK17"} <= pack.districts
    assert "DE76" not in pack.districts and "AL1" not in pack.districts


def test_the_example_district_is_the_first_the_pack_lists(tmp_path):
    """Hints say "like WS1" for Walsall, not its shortest district (B43, in Birmingham's
    postcode area), because a pack starts its list with its own town."""
    assert load(AREAS / "walsall.toml").example_district == "WS1"
    text = DERBYSHIRE.read_text(encoding="utf-8").replace(
        '["DE1-DE75", "S18",', '["S18", "DE1-DE75",'
    )
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    assert load(DERBYSHIRE).example_district == "DE1" and load(path).example_district == "S18"


def test_places_near_a_district_come_first():
    pack = load(DERBYSHIRE)
    assert nearest_places(pack, "S40")[0].postcode.startswith("S40")
    assert nearest_places(pack, "SK17")[0].postcode.startswith("SK17")
    # Same postcode area, different district: still before places elsewhere.
    assert nearest_places(pack, "DE22")[0].postcode.startswith("DE")


def test_contrast_check_matches_known_values():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert 4.5 <= contrast_with_white("#767676") < 4.6


# Mistakes that loaded before and broke pages or sent referrals astray (issue 14).
@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        # "WS10-WS1" was read as no districts at all; /support, /places and /privacy then
        # answered 500.
        (
            'postcode_districts = ["DE1-DE75",',
            'postcode_districts = ["DE75-DE1",',
            "area.postcode_districts",
            "'DE75-DE1' runs backwards: write it from the lower number, as DE1-DE75",
        ),
        # A place the area's own postcode lookup could never lead anyone to.
        (
            'postcode = "DE1 9ZZ"',
            'postcode = "WS1 1AA"',
            "places[0].postcode",
            "'WS1 1AA' is outside the area: WS1 is not in area.postcode_districts",
        ),
        # The fallback receives whatever no rule takes, so it must serve every strand.
        (
            'fallback_organisation = "derbyshire-victim-services"',
            'fallback_organisation = "disability-direct"',
            "area.fallback_organisation",
            (
                "'disability-direct' does not serve race, religion, sexual_orientation, "
                "transgender: it receives every referral no routing rule takes"
            ),
        ),
        # A rule sending a strand to an organisation that does not serve it.
        (
            'characteristics = ["disability"]\norganisation = "disability-direct"',
            'characteristics = ["disability"]\norganisation = "tell-mama"',
            "routing[2].organisation",
            "'tell-mama' does not serve disability, which this rule sends it",
        ),
    ],
)
def test_a_pack_that_would_misroute_or_break_pages_is_refused(tmp_path, old, new, key, problem):
    _assert_refused(_broken(tmp_path, old, new), key, problem)


# An organisation's own tags ---------------------------------------------------------------

ORG_A_TAGS = 'tags = { passed-to-police = { en = "Passed to the police"'


def test_an_organisation_may_list_its_own_tags():
    organisation = load(DERBYSHIRE).organisation("derbyshire-victim-services")
    assert [slug for slug, _label in organisation.tags][:2] == [
        "passed-to-police",
        "needs-interpreter",
    ]
    assert str(organisation.tag_label("passed-to-police")) == "Passed to the police"
    assert organisation.tag_label("unknown") is None
    assert load(DERBYSHIRE).organisation("disability-direct").tags == ()


@pytest.mark.parametrize(
    ("tags", "key", "problem"),
    [
        (
            'tags = { "Passed To Police" = "x" }',
            "organisations[0].tags.Passed To Police",
            "is not a tag's slug",
        ),
        ('tags = { passed = "" }', "organisations[0].tags.passed", "must not be empty"),
        ("tags = { passed = 3 }", "organisations[0].tags.passed", "expected text in quotes"),
        (
            'tags = { passed = { xx = "x", en = "x" } }',
            "organisations[0].tags.passed.xx",
            "is not a language",
        ),
        ("tags = {}", "organisations[0].tags", "lists no tags"),
        ('tags = ["passed-to-police"]', "organisations[0].tags", "expected a table"),
    ],
)
def test_a_mistake_in_tags_is_named_kindly(tmp_path, tags, key, problem):
    text = DERBYSHIRE.read_text(encoding="utf-8")
    start = text.index(ORG_A_TAGS)
    end = text.index("\n", start)
    path = tmp_path / "broken.toml"
    path.write_text(text[:start] + tags + text[end:], encoding="utf-8")
    _assert_refused(path, key, problem)


def test_too_many_tags_are_refused(tmp_path):
    many = ", ".join(f't{n} = "Tag {n}"' for n in range(31))
    text = DERBYSHIRE.read_text(encoding="utf-8")
    start = text.index(ORG_A_TAGS)
    path = tmp_path / "broken.toml"
    path.write_text(text[:start] + f"tags = {{ {many} }}" + text[text.index("\n", start) :])
    _assert_refused(path, "organisations[0].tags", "at most 30")
