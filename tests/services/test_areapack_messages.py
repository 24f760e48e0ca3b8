"""Every message a broken pack can get, word for word.

A small pack of its own (every table and every optional key used once), broken in one
place at a time; each case gives the whole message after the file's name. The messages
were recorded from the reader before it was split into model and reader (issue 13), so
the split is proved message for message. One mistake a pack: with several, the first
found is reported.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from againsthate.services.areapack import AreaPackError, load

LANGUAGES = ("en", "pl", "ur")

PACK = """\
[area]
name = "Testshire"
slug = "testshire"
language = "en"
partnership = "the Testshire partnership"
contact_email = "website@example.org"
brand_colour = "#4b2a7b"
example_data = true
quick_exit_url = "https://www.example.org/weather"
restorative_justice = "mediators"
referral_response_days = 2
retention_months = 24
fallback_organisation = "helpers"
postcode_districts = ["DE1-DE3", "S40"]

[police]
name = "Testshire Police"
non_emergency = "101"
text_relay = "18000"
online_report_url = "https://www.example.org/police/report"

[national.true_vision]
name = "True Vision"
website = "https://www.example.org/true-vision"

[national.stop_hate]
name = "Stop Hate UK"
phone = "0800 138 1625"
text = "07717 989 025"
email = "talk@example.org"
hours = { en = "Every day", pl = "Codziennie" }
website = "https://www.example.org/stop-hate"
bsl_url = "https://www.example.org/bsl"

[[organisations]]
slug = "helpers"
name = "Helpers"
characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]
services = ["emotional_support", "practical_help"]
description = { en = "We help.", ur = "ہم مدد کرتے ہیں۔" }
phone = "01632 960000"
email = "help@example.org"
website = "https://www.example.org/helpers"
hours = "Weekdays, 9am to 5pm"
referral_email = "referrals@example.org"
example = true

[[organisations]]
slug = "mediators"
name = "Mediators"
characteristics = ["race"]
services = ["restorative_justice"]
description = "We bring people together."
areas = ["DE1", "S40"]

[[routing]]
organisation = "mediators"
characteristics = ["race"]
religions = ["muslim"]
help_only = ["restorative_justice"]

[[places]]
name = "Library"
kind = "reporting_centre"
address = "1 High Street, Testtown"
postcode = "DE1 9ZZ"
opening_hours = "Monday to Friday"
access_notes = { en = "Step-free.", pl = "Bez schodów." }
example = true

[[news]]
slug = "opening"
title = "We are open"
published = 2026-01-05
summary = "A summary."
body = "<p>A body.</p>"

[[events]]
title = "Open meeting"
date = 2026-02-01
time = "6pm"
location = "Town hall"
description = "Come along."
"""

# (what to replace, with what, the message after "<file>: "). A tuple replaces several
# things, each wherever it is (to move a list of tables to a plain key, say).
CASES = [
    # Tables
    ("[police]\n", "[polic]\n", "police: this table is missing"),
    (
        "[national.true_vision]\n",
        "[national.true_visio]\n",
        "national.true_vision: this table is missing",
    ),
    (
        "[national.stop_hate]\n",
        "[national.stop_hat]\n",
        "national.stop_hate: this table is missing",
    ),
    ("[area]\n", 'area = "Testshire"\n[areas]\n', "area: expected a table, found str"),
    (
        "[national.true_vision]\n",
        "[national]\ntrue_vision = 1\n[national.tv]\n",
        "national.true_vision: expected a table, found int",
    ),
    (
        ("[area]\n", "[[places]]\n"),
        ('places = "Library"\n[area]\n', "[places_old]\n"),
        "places: expected a list of tables ([[places]])",
    ),
    (
        ("[area]\n", "[[places]]\n"),
        ("places = [1, 2]\n[area]\n", "[places_old]\n"),
        "places[0]: expected a table, found int",
    ),
    (
        ("[[organisations]]\n",),
        ("[[organisation]]\n",),
        "organisations: the pack lists no organisations",
    ),
    (
        "[police]\n",
        "[extras]\nx = 1\n\n[police]\n",
        "extras: unknown key (check the spelling against README.md)",
    ),
    (
        "[national.true_vision]\n",
        "[national.other]\nx = 1\n\n[national.true_vision]\n",
        "national.other: unknown key (check the spelling against README.md)",
    ),
    # The area
    ('language = "en"\n', "", "area.language: this key is missing"),
    (
        'language = "en"\n',
        'language = "eng"\n',
        "area.language: 'eng' is not a language code such as \"en\"",
    ),
    (
        'language = "en"\n',
        'language = "pl"\n',
        'organisations[0].description: the text in the pack\'s own language is missing (pl = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'brand_colour = "#4b2a7b"',
        'brand_colour = "purple"',
        "area.brand_colour: 'purple' is not a colour such as \"#4b2a7b\"",
    ),
    (
        'brand_colour = "#4b2a7b"',
        'brand_colour = "#ffff00"',
        "area.brand_colour: #ffff00 is too light: white text on it needs a contrast of at least 4.5:1 (it has 1.1:1)",
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        "postcode_districts = []",
        'area.postcode_districts: expected a list of postcode districts such as ["DE1", "DE21-DE24"]',
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        'postcode_districts = "DE1"',
        'area.postcode_districts: expected a list of postcode districts such as ["DE1", "DE21-DE24"]',
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        'postcode_districts = ["DE1-DE3", "Derby"]',
        "area.postcode_districts: 'Derby' is not a postcode district (DE1) or range (DE1-DE75)",
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        'postcode_districts = ["DE1-S3"]',
        "area.postcode_districts: 'DE1-S3' is not a postcode district (DE1) or range (DE1-DE75)",
    ),
    ('name = "Testshire"\n', "", "area.name: this key is missing"),
    ('name = "Testshire"\n', 'name = "  "\n', "area.name: must not be empty"),
    (
        'slug = "testshire"',
        'slug = "Test Shire"',
        "area.slug: 'Test Shire' is not a slug of lower-case words and hyphens",
    ),
    (
        "example_data = true",
        'example_data = "yes"',
        "area.example_data: expected true or false, found 'yes'",
    ),
    (
        'contact_email = "website@example.org"',
        'contact_email = "website"',
        "area.contact_email: 'website' is not an email address",
    ),
    (
        'quick_exit_url = "https://www.example.org/weather"',
        'quick_exit_url = "http://x.example"',
        "area.quick_exit_url: 'http://x.example' must be a full https:// address",
    ),
    (
        'restorative_justice = "mediators"',
        'restorative_justice = "nobody"',
        "area.restorative_justice: 'nobody' is not the slug of an organisation in this pack",
    ),
    (
        'restorative_justice = "mediators"',
        "restorative_justice = 3",
        "area.restorative_justice: expected text in quotes, found int 3",
    ),
    ('fallback_organisation = "helpers"\n', "", "area.fallback_organisation: this key is missing"),
    (
        'fallback_organisation = "helpers"\n',
        'fallback_organisation = "nobody"\n',
        "area.fallback_organisation: 'nobody' is not the slug of an organisation in this pack",
    ),
    (
        "referral_response_days = 2",
        "referral_response_days = 31",
        "area.referral_response_days: expected a whole number from 1 to 30, found 31",
    ),
    (
        "referral_response_days = 2",
        "referral_response_days = true",
        "area.referral_response_days: expected a whole number from 1 to 30, found True",
    ),
    (
        "retention_months = 24",
        "retention_months = 0",
        "area.retention_months: expected a whole number from 1 to 120, found 0",
    ),
    (
        "retention_months = 24",
        'retention_months = "a year"',
        "area.retention_months: expected a whole number from 1 to 120, found 'a year'",
    ),
    (
        "retention_months = 24",
        "retention_months = 24\nretention = 1",
        "area.retention: unknown key (check the spelling against README.md)",
    ),
    # The police and the national services
    (
        'non_emergency = "101"',
        "non_emergency = 101",
        "police.non_emergency: expected text in quotes, found int 101",
    ),
    ('text_relay = "18000"', 'text_relay = ""', "police.text_relay: must not be empty"),
    (
        'text_relay = "18000"',
        'text_relay = "eighteen thousand"',
        "police.text_relay: 'eighteen thousand' is not a phone number",
    ),
    (
        'online_report_url = "https://www.example.org/police/report"',
        "",
        "police.online_report_url: this key is missing",
    ),
    (
        'name = "Testshire Police"',
        'name = { en = "Testshire Police" }',
        "police.name: expected text in quotes: names, addresses, numbers and links are written once, in the pack's language; only descriptions, hours and notes take translations (see README.md)",
    ),
    (
        'non_emergency = "101"',
        'non_emergency = "101"\nemergency = "999"',
        "police.emergency: unknown key (check the spelling against README.md)",
    ),
    (
        'website = "https://www.example.org/true-vision"',
        "",
        "national.true_vision.website: this key is missing",
    ),
    (
        'phone = "0800 138 1625"',
        'phone = "call us"',
        "national.stop_hate.phone: 'call us' is not a phone number",
    ),
    (
        'email = "talk@example.org"',
        'email = "talk"',
        "national.stop_hate.email: 'talk' is not an email address",
    ),
    (
        'bsl_url = "https://www.example.org/bsl"',
        'bsl_url = "www.example.org/bsl"',
        "national.stop_hate.bsl_url: 'www.example.org/bsl' must be a full https:// address",
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        "hours = 24",
        'national.stop_hate.hours: expected text in quotes, or a table of it by language such as { en = "…", ur = "…" }, found int 24',
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        'hours = { en = "Every day", cy = "Bob dydd" }',
        "national.stop_hate.hours.cy: 'cy' is not a language of this site (one of: en, pl, ur; see translations/languages.toml)",
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        'hours = { en = "Every day", pl = 7 }',
        "national.stop_hate.hours.pl: expected text in quotes, found int 7",
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        'hours = { en = "Every day", pl = " " }',
        "national.stop_hate.hours.pl: must not be empty (leave the language out instead: the page then shows the en text, marked as en)",
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        'hours = { pl = "Codziennie" }',
        'national.stop_hate.hours: the text in the pack\'s own language is missing (en = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        'hours = { en = "" }',
        "national.stop_hate.hours.en: must not be empty (leave the language out instead: the page then shows the en text, marked as en)",
    ),
    (
        'website = "https://www.example.org/stop-hate"',
        'website = "https://www.example.org/stop-hate"\nfax = "1"',
        "national.stop_hate.fax: unknown key (check the spelling against README.md)",
    ),
    # Organisations
    (
        'slug = "mediators"',
        'slug = "helpers"',
        "organisations: the slug 'helpers' is used more than once",
    ),
    (
        'slug = "helpers"',
        'slug = "Helpers!"',
        "organisations[0].slug: 'Helpers!' is not a slug of lower-case words and hyphens",
    ),
    ('name = "Mediators"\n', "", "organisations[1].name: this key is missing"),
    (
        'characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]',
        'characteristics = ["height"]',
        "organisations[0].characteristics: 'height' is not one of: race, religion, sexual_orientation, disability, transgender",
    ),
    (
        'characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]',
        "characteristics = []",
        'organisations[0].characteristics: expected a non-empty list such as ["race"]',
    ),
    (
        'characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]',
        'characteristics = "race"',
        'organisations[0].characteristics: expected a non-empty list such as ["race"]',
    ),
    (
        'services = ["restorative_justice"]',
        'services = ["hugs"]',
        "organisations[1].services: 'hugs' is not one of: emotional_support, practical_help, advocacy, justice_process, restorative_justice, information, reporting",
    ),
    (
        'services = ["restorative_justice"]',
        "",
        'organisations[1].services: expected a non-empty list such as ["emotional_support"]',
    ),
    (
        'description = "We bring people together."',
        "",
        "organisations[1].description: this key is missing",
    ),
    (
        'description = "We bring people together."',
        'description = ["We bring people together."]',
        'organisations[1].description: expected text in quotes, or a table of it by language such as { en = "…", ur = "…" }, found list [\'We bring people together.\']',
    ),
    (
        'description = { en = "We help.", ur = "ہم مدد کرتے ہیں۔" }',
        'description = { en = "We help.", xx = "Zzz." }',
        "organisations[0].description.xx: 'xx' is not a language of this site (one of: en, pl, ur; see translations/languages.toml)",
    ),
    (
        'description = { en = "We help.", ur = "ہم مدد کرتے ہیں۔" }',
        'description = { ur = "ہم مدد کرتے ہیں۔" }',
        'organisations[0].description: the text in the pack\'s own language is missing (en = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = ["AL1", "DE2", "AB9"]\n',
        "organisations[1].areas: AB9, AL1 are not in area.postcode_districts",
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = ["DE"]\n',
        "organisations[1].areas: 'DE' is not a postcode district (DE1) or range (DE1-DE75)",
    ),
    (
        'areas = ["DE1", "S40"]\n',
        "areas = []\n",
        'organisations[1].areas: expected a list of postcode districts such as ["DE1", "DE21-DE24"]',
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = "DE1"\n',
        'organisations[1].areas: expected a list of postcode districts such as ["DE1", "DE21-DE24"]',
    ),
    (
        'phone = "01632 960000"',
        'phone = "+44 1632 960000"',
        "organisations[0].phone: '+44 1632 960000' is not a phone number",
    ),
    (
        'email = "help@example.org"',
        'email = "help at example.org"',
        "organisations[0].email: 'help at example.org' is not an email address",
    ),
    (
        'website = "https://www.example.org/helpers"',
        'website = "http://www.example.org/helpers"',
        "organisations[0].website: 'http://www.example.org/helpers' must be a full https:// address",
    ),
    (
        'referral_email = "referrals@example.org"',
        'referral_email = "referrals"',
        "organisations[0].referral_email: 'referrals' is not an email address",
    ),
    ('hours = "Weekdays, 9am to 5pm"', 'hours = ""', "organisations[0].hours: must not be empty"),
    (
        "example = true\n\n[[organisations]]",
        "example = 1\n\n[[organisations]]",
        "organisations[0].example: expected true or false, found 1",
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = ["DE1", "S40"]\nfax = "1"\n',
        "organisations[1].fax: unknown key (check the spelling against README.md)",
    ),
    # Routing
    (
        'organisation = "mediators"',
        'organisation = "nobody"',
        "routing[0].organisation: 'nobody' is not the slug of an organisation in this pack",
    ),
    ('organisation = "mediators"\n', "", "routing[0].organisation: this key is missing"),
    (
        'characteristics = ["race"]\nreligions',
        'characteristics = ["hieght"]\nreligions',
        "routing[0].characteristics: 'hieght' is not one of: race, religion, sexual_orientation, disability, transgender",
    ),
    (
        'religions = ["muslim"]',
        'religions = ["jedi"]',
        "routing[0].religions: 'jedi' is not one of: muslim, jewish, sikh, hindu, christian, buddhist, other, not_say",
    ),
    (
        'religions = ["muslim"]',
        "religions = []",
        'routing[0].religions: expected a non-empty list such as ["muslim"]',
    ),
    (
        'help_only = ["restorative_justice"]',
        'help_only = "restorative_justice"',
        'routing[0].help_only: expected a non-empty list such as ["emotional_support"]',
    ),
    (
        'characteristics = ["race"]\nreligions = ["muslim"]\nhelp_only = ["restorative_justice"]\n',
        "",
        "routing[0]: a rule needs at least one of characteristics, religions, help_only",
    ),
    (
        'help_only = ["restorative_justice"]',
        'help_only = ["restorative_justice"]\nelse = "helpers"',
        "routing[0].else: unknown key (check the spelling against README.md)",
    ),
    (
        ("[area]\n", "[[routing]]\n"),
        ('routing = "first"\n[area]\n', "[routing_old]\n"),
        "routing: expected a list of tables ([[routing]])",
    ),
    # Places
    (
        'kind = "reporting_centre"',
        'kind = "police_station"',
        "places[0].kind: 'police_station' is not one of: reporting_centre, safe_space",
    ),
    ('kind = "reporting_centre"', "", "places[0].kind: this key is missing"),
    (
        'postcode = "DE1 9ZZ"',
        'postcode = "NOT A CODE"',
        "places[0].postcode: 'NOT A CODE' is not a UK postcode",
    ),
    (
        'address = "1 High Street, Testtown"',
        "address = 1",
        "places[0].address: expected text in quotes, found int 1",
    ),
    ('opening_hours = "Monday to Friday"', "", "places[0].opening_hours: this key is missing"),
    (
        'access_notes = { en = "Step-free.", pl = "Bez schodów." }',
        'access_notes = { en = "Step-free.", pl = "" }',
        "places[0].access_notes.pl: must not be empty (leave the language out instead: the page then shows the en text, marked as en)",
    ),
    (
        "example = true\n\n[[news]]",
        'example = "true"\n\n[[news]]',
        "places[0].example: expected true or false, found 'true'",
    ),
    (
        'access_notes = { en = "Step-free.", pl = "Bez schodów." }',
        'access_notes = "Step-free."\nwheelchair = true',
        "places[0].wheelchair: unknown key (check the spelling against README.md)",
    ),
    # News and events
    (
        'slug = "opening"',
        'slug = "Opening!"',
        "news[0].slug: 'Opening!' is not a slug of lower-case words and hyphens",
    ),
    ('title = "We are open"', "", "news[0].title: this key is missing"),
    (
        "published = 2026-01-05",
        'published = "yesterday"',
        "news[0].published: expected a date such as 2026-10-12, found 'yesterday'",
    ),
    (
        "published = 2026-01-05",
        "published = 2026-01-05T10:00:00",
        "news[0].published: expected a date such as 2026-10-12, found datetime.datetime(2026, 1, 5, 10, 0)",
    ),
    (
        "published = 2026-01-05\n",
        "",
        "news[0].published: expected a date such as 2026-10-12, found None",
    ),
    (
        'summary = "A summary."',
        'summary = { pl = "Streszczenie." }',
        'news[0].summary: the text in the pack\'s own language is missing (en = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'body = "<p>A body.</p>"',
        'body = "<p>A body.</p>"\nauthor = "me"',
        "news[0].author: unknown key (check the spelling against README.md)",
    ),
    (
        "date = 2026-02-01",
        'date = "2026-02-01"',
        "events[0].date: expected a date such as 2026-10-12, found '2026-02-01'",
    ),
    (
        'time = "6pm"',
        "time = 18",
        'events[0].time: expected text in quotes, or a table of it by language such as { en = "…", ur = "…" }, found int 18',
    ),
    ('location = "Town hall"', "", "events[0].location: this key is missing"),
    (
        'description = "Come along."',
        'description = "Come along."\nprice = 0',
        "events[0].price: unknown key (check the spelling against README.md)",
    ),
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _broken(tmp_path: Path, old: str | tuple[str, ...], new: str | tuple[str, ...]) -> Path:
    if isinstance(old, str):
        assert PACK.count(old) == 1, f"test setup: {old!r} is not once in the pack"
        return _write(tmp_path, PACK.replace(old, new))
    text = PACK
    for one_old, one_new in zip(old, new, strict=True):
        assert one_old in text, f"test setup: {one_old!r} is not in the pack"
        text = text.replace(one_old, one_new)
    return _write(tmp_path, text)


def test_the_test_pack_loads(tmp_path):
    pack = load(_write(tmp_path, PACK), languages=LANGUAGES)
    assert pack.slug == "testshire" and len(pack.organisations) == 2
    assert pack.districts == {"DE1", "DE2", "DE3", "S40"}
    assert pack.stop_hate.hours is not None and pack.stop_hate.hours.get("pl") == "Codziennie"


@pytest.mark.parametrize(("old", "new", "message"), CASES)
def test_each_mistake_has_its_message(tmp_path, old, new, message):
    path = _broken(tmp_path, old, new)
    with pytest.raises(AreaPackError) as caught:
        load(path, languages=LANGUAGES)
    assert str(caught.value) == f"{path}: {message}"


def test_a_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(AreaPackError) as caught:
        load(path, languages=LANGUAGES)
    assert str(caught.value) == f"{path}: the area pack file does not exist (check AREA_PACK)"


def test_a_file_that_is_not_toml(tmp_path):
    path = _broken(tmp_path, "[police]\n", "[police\n")
    with pytest.raises(tomllib.TOMLDecodeError) as parsing:
        tomllib.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(AreaPackError) as caught:
        load(path, languages=LANGUAGES)
    assert str(caught.value) == f"{path}: not valid TOML: {parsing.value}"


def test_an_optional_table_may_be_left_out_and_is_located_when_given(tmp_path):
    from againsthate.services.areapack.reader import TableReader, _Languages

    path = tmp_path / "pack.toml"
    top = TableReader(path, "", {"national": {"x": {}}}, _Languages("en", frozenset(LANGUAGES)))
    national = top.required_child("national")
    assert national.optional_child("stop_hate") is None
    given = national.optional_child("x")
    assert given is not None
    with pytest.raises(AreaPackError) as caught:
        given.fail("name", "this key is missing")
    assert str(caught.value) == f"{path}: national.x.name: this key is missing"
