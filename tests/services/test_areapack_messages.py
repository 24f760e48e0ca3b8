"""Every message a broken pack can get, word for word.

A small pack of its own (every table and every optional key used once), broken in one
place at a time; each case gives the whole report after the file's name, a line a
problem. The messages were first recorded from the reader before it was split into model
and reader (issue 13); issue 14 changed them on purpose: every problem is reported at
once (a mistake that makes a second one, such as a renamed table, gives both lines), a
table in a list of tables is named by its position as people count, "(the 2nd
organisation)", beside its key, which counts from 0, a duplicated slug names both
entries, a value of the wrong type is named in plain words, examples come from the pack
being checked, and a key written below the wrong header is named where it is, with the
table it belongs in, and not also as missing there.
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
link_colour = "#1d5f8a"
visited_link_colour = "#4c2c92"
logo = "logo.svg"
logo_alt = "Stand Up Testshire"
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

[[heard]]
slug = "bus-advert"
label = { en = "An advert on a bus", pl = "Reklama w autobusie" }

[[heard]]
slug = "radio"
label = "A radio advert"
"""

# Logo files beside the pack, each wrong in one way (all written with every pack).
SVG = 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60"'
LOGOS = {
    "logo.svg": f'<svg {SVG}><rect width="200" height="60" fill="#fff"/></svg>',
    "logo.png": "\x89PNG\r\n",
    "images/logo.svg": f"<svg {SVG}/>",
    "script.svg": f"<svg {SVG}><script>alert(1)</script></svg>",
    "handler.svg": f'<svg {SVG} onload="alert(1)"/>',
    "foreign.svg": f"<svg {SVG}><foreignObject><p>Hi</p></foreignObject></svg>",
    "remote.svg": f'<svg {SVG}><image href="https://fonts.example.com/a.png"/></svg>',
    "data.svg": f'<svg {SVG}><rect fill="url(data:image/png;base64,AAAA)"/></svg>',
    "font.svg": f"<svg {SVG}><style>@import 'https://fonts.example.com/a.css';</style></svg>",
    "entities.svg": f'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg {SVG}>&a;</svg>',
    "stylesheet.svg": f'<?xml-stylesheet href="https://x.example/a.css"?><svg {SVG}/>',
    "plain.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"/>',
    "wide.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 60"/>',
    "html.svg": "<html><body>A logo</body></html>",
    "broken.svg": f"<svg {SVG}><g></svg>",
    "big.svg": f"<svg {SVG}><!-- {'x' * 51200} --></svg>",
}

# (what to replace, with what, the message after "<file>: "; a tuple of them when the
# report has several lines). A tuple of replacements replaces several things, each
# wherever it is (to move a list of tables to a plain key, say).
CASES = [
    # Tables
    (
        (
            '[police]\nname = "Testshire Police"\nnon_emergency = "101"\ntext_relay = "18000"\n'
            'online_report_url = "https://www.example.org/police/report"\n'
        ),
        "",
        "police: this table is missing",
    ),
    (
        "[police]\n",
        "[polic]\n",
        "polic: unknown key (did you mean 'police'? check the spelling against README.md)",
    ),
    (
        "[national.true_vision]\n",
        "[national.true_visio]\n",
        "national.true_visio: unknown key (did you mean 'true_vision'? check the spelling against README.md)",
    ),
    (
        "[national.stop_hate]\n",
        "[national.stop_hat]\n",
        "national.stop_hat: unknown key (did you mean 'stop_hate'? check the spelling against README.md)",
    ),
    (
        "[area]\n",
        'area = "Testshire"\n[areas]\n',
        (
            "area: expected a table, found the text 'Testshire'",
            "areas: unknown key (check the spelling against README.md)",
        ),
    ),
    (
        "[national.true_vision]\n",
        "[national]\ntrue_vision = 1\n[national.tv]\n",
        (
            "national.true_vision: expected a table, found the number 1",
            "national.tv: unknown key (check the spelling against README.md)",
        ),
    ),
    (
        ("[area]\n", "[[places]]\n"),
        ('places = "Library"\n[area]\n', "[places_old]\n"),
        (
            "places: expected a list of tables ([[places]]), found the text 'Library'",
            "places_old: unknown key (check the spelling against README.md)",
        ),
    ),
    (
        ("[area]\n", "[[places]]\n"),
        ("places = [1, 2]\n[area]\n", "[places_old]\n"),
        (
            "places[0] (the 1st place): expected a table, found the number 1",
            "places[1] (the 2nd place): expected a table, found the number 2",
            "places_old: unknown key (check the spelling against README.md)",
        ),
    ),
    (
        ("[[organisations]]\n",),
        ("[[organisation]]\n",),
        "organisation: unknown key (did you mean 'organisations'? check the spelling against README.md)",
    ),
    (
        "[police]\n",
        "[extras]\nx = 1\n\n[police]\n",
        "extras: unknown key (check the spelling against README.md)",
    ),
    (
        "[national.true_vision]\n",
        "[national.other]\nx = 1\n\n[national.true_vision]\n",
        "national.other: unknown key (did you mean 'others'? check the spelling against README.md)",
    ),
    # How people heard of the service
    (
        'slug = "radio"\n',
        'slug = "other"\n',
        "heard[1].slug (the 2nd way of hearing about the service): 'other' is the site's own last answer (\"somewhere else\", with a box to say where), always offered: leave it out, or name a channel of your own",
    ),
    (
        'slug = "radio"\n',
        'slug = "bus-advert"\n',
        "heard: heard[0] (the 1st way of hearing about the service) and heard[1] (the 2nd way of hearing about the service) both use the slug 'bus-advert'",
    ),
    (
        'slug = "radio"\n',
        'slug = "Radio advert"\n',
        "heard[1].slug (the 2nd way of hearing about the service): 'Radio advert' is not a slug of lower-case words and hyphens",
    ),
    (
        'label = "A radio advert"\n',
        "",
        "heard[1].label (the 2nd way of hearing about the service): this key is missing",
    ),
    (
        'label = { en = "An advert on a bus", pl = "Reklama w autobusie" }\n',
        'label = { pl = "Reklama w autobusie" }\n',
        'heard[0].label (the 1st way of hearing about the service): the text in the pack\'s own language is missing (en = "…"): it is what a page shows in every language the table leaves out',
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
        'organisations[0].description (the 1st organisation): the text in the pack\'s own language is missing (pl = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'brand_colour = "#4b2a7b"',
        'brand_colour = "purple"',
        "area.brand_colour: 'purple' is not a colour written as # and six hex digits (\"#rrggbb\")",
    ),
    (
        'brand_colour = "#4b2a7b"',
        'brand_colour = "#ffff00"',
        "area.brand_colour: #ffff00 is too light: white text on it needs a contrast of at least 4.5:1 (it has 1.1:1)",
    ),
    (
        'link_colour = "#1d5f8a"',
        'link_colour = "#0077cc"',
        "area.link_colour: #0077cc is too light: links in it need a contrast of at least 4.5:1 on the white page and on the light grey (#f3f2f1) of boxes and the footer (it has 4.7:1 on white, 4.2:1 on the grey)",
    ),
    (
        'visited_link_colour = "#4c2c92"',
        'visited_link_colour = "#9370db"',
        "area.visited_link_colour: #9370db is too light: links in it need a contrast of at least 4.5:1 on the white page and on the light grey (#f3f2f1) of boxes and the footer (it has 3.8:1 on white, 3.4:1 on the grey)",
    ),
    (
        'link_colour = "#1d5f8a"',
        'link_colour = "blue"',
        "area.link_colour: 'blue' is not a colour written as # and six hex digits (\"#rrggbb\")",
    ),
    # The logo: a file beside the pack, an SVG that can only draw itself
    (
        'logo_alt = "Stand Up Testshire"\n',
        "",
        'area.logo_alt: this key is missing: a logo needs its text alternative, the words the logo shows or the partnership\'s name, such as "Stand Up Derbyshire"',
    ),
    (
        'logo = "logo.svg"\n',
        "",
        "area.logo_alt: there is no logo to describe: give logo too, or leave this out",
    ),
    (
        'logo_alt = "Stand Up Testshire"',
        'logo_alt = { ur = "اسٹینڈ اپ" }',
        'area.logo_alt: the text in the pack\'s own language is missing (en = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'logo = "logo.svg"',
        'logo = "nowhere.svg"',
        "area.logo: 'nowhere.svg' is not there: the logo's path is read from the pack file's folder",
    ),
    (
        'logo = "logo.svg"',
        'logo = "logo.png"',
        "area.logo: 'logo.png' is not an SVG file: the logo must be an SVG (a file ending .svg), which stays sharp at every text size",
    ),
    (
        'logo = "logo.svg"',
        'logo = "../logo.svg"',
        'area.logo: \'../logo.svg\' must be a path from the pack file\'s folder, such as "logo.svg" or "images/logo.svg"',
    ),
    (
        'logo = "logo.svg"',
        'logo = "big.svg"',
        "area.logo: 'big.svg' is 51 KB: a logo may be at most 50 KB (save it as optimised or plain SVG, without embedded pictures or fonts)",
    ),
    (
        'logo = "logo.svg"',
        'logo = "script.svg"',
        "area.logo: 'script.svg' has a <script>: a logo must not run code",
    ),
    (
        'logo = "logo.svg"',
        'logo = "handler.svg"',
        "area.logo: 'handler.svg' has an event handler (onload=…): a logo must not run code",
    ),
    (
        'logo = "logo.svg"',
        'logo = "foreign.svg"',
        "area.logo: 'foreign.svg' has a <foreignObject>: a logo must be drawn in SVG alone, with no HTML in it",
    ),
    (
        'logo = "logo.svg"',
        'logo = "remote.svg"',
        "area.logo: 'remote.svg' refers to something outside itself ('https://fonts.example.com/a.png'): a logo may point only to its own parts (#id), so that no request ever leaves for another site; put what it needs inside the file, or leave it out",
    ),
    (
        'logo = "logo.svg"',
        'logo = "data.svg"',
        "area.logo: 'data.svg' refers to something outside itself ('data:image/png;base64,AAAA'): a logo may point only to its own parts (#id), so that no request ever leaves for another site; put what it needs inside the file, or leave it out",
    ),
    (
        'logo = "logo.svg"',
        'logo = "font.svg"',
        "area.logo: 'font.svg' loads a stylesheet or picture from elsewhere (@import or image-set): a logo's styles must be written inside the file",
    ),
    (
        'logo = "logo.svg"',
        'logo = "entities.svg"',
        "area.logo: 'entities.svg' declares entities of its own (<!DOCTYPE … [ … ]>): a logo needs none",
    ),
    (
        'logo = "logo.svg"',
        'logo = "stylesheet.svg"',
        "area.logo: 'stylesheet.svg' has a processing instruction (<?xml-stylesheet …?>), which can load a stylesheet",
    ),
    (
        'logo = "logo.svg"',
        'logo = "plain.svg"',
        "area.logo: 'plain.svg' has no usable viewBox on its <svg> (such as viewBox=\"0 0 200 60\"): without one it cannot grow and shrink with the text",
    ),
    (
        'logo = "logo.svg"',
        'logo = "wide.svg"',
        "area.logo: 'wide.svg' is 13 times as wide as it is tall (its viewBox): at most 6 fits beside the language menu on a phone at a size people can read; use a stacked version of the logo",
    ),
    (
        'logo = "logo.svg"',
        'logo = "html.svg"',
        "area.logo: 'html.svg' is not an SVG image: its outer element is <html>, not <svg xmlns=\"http://www.w3.org/2000/svg\">",
    ),
    (
        'logo = "logo.svg"',
        'logo = "broken.svg"',
        "area.logo: 'broken.svg' is not a well-formed SVG file (mismatched tag, line 1): export it again as plain SVG",
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        "postcode_districts = []",
        'area.postcode_districts: expected a list of postcode districts such as ["AB1", "AB3-AB5"], found an empty list',
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        'postcode_districts = "DE1"',
        'area.postcode_districts: expected a list of postcode districts such as ["AB1", "AB3-AB5"], found the text \'DE1\'',
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        'postcode_districts = ["DE1-DE3", "Derby"]',
        "area.postcode_districts: 'Derby' is not a postcode district or range (such as DE1-DE3)",
    ),
    (
        'postcode_districts = ["DE1-DE3", "S40"]',
        'postcode_districts = ["DE1-S3"]',
        "area.postcode_districts: 'DE1-S3' is not a postcode district or range (such as AB1 or AB3-AB5)",
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
        "area.example_data: expected true or false, found the text 'yes'",
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
        "area.restorative_justice: 'nobody' is not the slug of an organisation in this pack (its organisations are: helpers, mediators)",
    ),
    (
        'restorative_justice = "mediators"',
        "restorative_justice = 3",
        "area.restorative_justice: expected text in quotes, found the number 3",
    ),
    ('fallback_organisation = "helpers"\n', "", "area.fallback_organisation: this key is missing"),
    (
        'fallback_organisation = "helpers"\n',
        'fallback_organisation = "nobody"\n',
        "area.fallback_organisation: 'nobody' is not the slug of an organisation in this pack (its organisations are: helpers, mediators)",
    ),
    (
        "referral_response_days = 2",
        "referral_response_days = 31",
        "area.referral_response_days: expected a whole number from 1 to 30, found the number 31",
    ),
    (
        "referral_response_days = 2",
        "referral_response_days = true",
        "area.referral_response_days: expected a whole number from 1 to 30, found true",
    ),
    (
        "retention_months = 24",
        "retention_months = 0",
        "area.retention_months: expected a whole number from 1 to 120, found the number 0",
    ),
    (
        "retention_months = 24",
        'retention_months = "a year"',
        "area.retention_months: expected a whole number from 1 to 120, found the text 'a year'",
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
        "police.non_emergency: expected text in quotes, found the number 101",
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
        'national.stop_hate.hours: expected text in quotes, or a table of it by language such as { en = "…", ur = "…" }, found the number 24',
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        'hours = { en = "Every day", cy = "Bob dydd" }',
        "national.stop_hate.hours.cy: 'cy' is not a language of this site (one of: en, pl, ur; see translations/languages.toml)",
    ),
    (
        'hours = { en = "Every day", pl = "Codziennie" }',
        'hours = { en = "Every day", pl = 7 }',
        "national.stop_hate.hours.pl: expected text in quotes, found the number 7",
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
        "organisations: organisations[0] (the 1st organisation) and organisations[1] (the 2nd organisation) both use the slug 'helpers'",
    ),
    (
        'slug = "helpers"',
        'slug = "Helpers!"',
        "organisations[0].slug (the 1st organisation): 'Helpers!' is not a slug of lower-case words and hyphens",
    ),
    (
        'name = "Mediators"\n',
        "",
        "organisations[1].name (the 2nd organisation): this key is missing",
    ),
    (
        'characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]',
        'characteristics = ["height"]',
        "organisations[0].characteristics (the 1st organisation): 'height' is not one of: race, religion, sexual_orientation, disability, transgender",
    ),
    (
        'characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]',
        "characteristics = []",
        'organisations[0].characteristics (the 1st organisation): expected a non-empty list such as ["race"], found an empty list',
    ),
    (
        'characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]',
        'characteristics = "race"',
        "organisations[0].characteristics (the 1st organisation): expected a non-empty list such as [\"race\"], found the text 'race'",
    ),
    (
        'services = ["restorative_justice"]',
        'services = ["hugs"]',
        "organisations[1].services (the 2nd organisation): 'hugs' is not one of: emotional_support, practical_help, advocacy, justice_process, restorative_justice, information, reporting",
    ),
    (
        'services = ["restorative_justice"]',
        "",
        'organisations[1].services (the 2nd organisation): this key is missing (expected a non-empty list such as ["emotional_support"])',
    ),
    (
        'description = "We bring people together."',
        "",
        "organisations[1].description (the 2nd organisation): this key is missing",
    ),
    (
        'description = "We bring people together."',
        'description = ["We bring people together."]',
        'organisations[1].description (the 2nd organisation): expected text in quotes, or a table of it by language such as { en = "…", ur = "…" }, found a list',
    ),
    (
        'description = { en = "We help.", ur = "ہم مدد کرتے ہیں۔" }',
        'description = { en = "We help.", xx = "Zzz." }',
        "organisations[0].description.xx (the 1st organisation): 'xx' is not a language of this site (one of: en, pl, ur; see translations/languages.toml)",
    ),
    (
        'description = { en = "We help.", ur = "ہم مدد کرتے ہیں۔" }',
        'description = { ur = "ہم مدد کرتے ہیں۔" }',
        'organisations[0].description (the 1st organisation): the text in the pack\'s own language is missing (en = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = ["AL1", "DE2", "AB9"]\n',
        "organisations[1].areas (the 2nd organisation): AB9, AL1 are not in area.postcode_districts",
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = ["DE"]\n',
        "organisations[1].areas (the 2nd organisation): 'DE' is not a postcode district or range (such as DE1-DE3 or S40)",
    ),
    (
        'areas = ["DE1", "S40"]\n',
        "areas = []\n",
        'organisations[1].areas (the 2nd organisation): expected a list of postcode districts such as ["DE1-DE3", "S40"], found an empty list',
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = "DE1"\n',
        'organisations[1].areas (the 2nd organisation): expected a list of postcode districts such as ["DE1-DE3", "S40"], found the text \'DE1\'',
    ),
    (
        'phone = "01632 960000"',
        'phone = "+44 1632 960000"',
        "organisations[0].phone (the 1st organisation): '+44 1632 960000' is not a phone number",
    ),
    (
        'email = "help@example.org"',
        'email = "help at example.org"',
        "organisations[0].email (the 1st organisation): 'help at example.org' is not an email address",
    ),
    (
        'website = "https://www.example.org/helpers"',
        'website = "http://www.example.org/helpers"',
        "organisations[0].website (the 1st organisation): 'http://www.example.org/helpers' must be a full https:// address",
    ),
    (
        'referral_email = "referrals@example.org"',
        'referral_email = "referrals"',
        "organisations[0].referral_email (the 1st organisation): 'referrals' is not an email address",
    ),
    (
        'hours = "Weekdays, 9am to 5pm"',
        'hours = ""',
        "organisations[0].hours (the 1st organisation): must not be empty",
    ),
    (
        "example = true\n\n[[organisations]]",
        "example = 1\n\n[[organisations]]",
        "organisations[0].example (the 1st organisation): expected true or false, found the number 1",
    ),
    (
        'areas = ["DE1", "S40"]\n',
        'areas = ["DE1", "S40"]\nfax = "1"\n',
        "organisations[1].fax (the 2nd organisation): unknown key (check the spelling against README.md)",
    ),
    # Routing
    (
        'organisation = "mediators"',
        'organisation = "nobody"',
        "routing[0].organisation (the 1st routing rule): 'nobody' is not the slug of an organisation in this pack (its organisations are: helpers, mediators)",
    ),
    (
        'organisation = "mediators"\n',
        "",
        "routing[0].organisation (the 1st routing rule): this key is missing",
    ),
    (
        'characteristics = ["race"]\nreligions',
        'characteristics = ["hieght"]\nreligions',
        "routing[0].characteristics (the 1st routing rule): 'hieght' is not one of: race, religion, sexual_orientation, disability, transgender",
    ),
    (
        'religions = ["muslim"]',
        'religions = ["jedi"]',
        "routing[0].religions (the 1st routing rule): 'jedi' is not one of: muslim, jewish, sikh, hindu, christian, buddhist, other, not_say",
    ),
    (
        'religions = ["muslim"]',
        "religions = []",
        'routing[0].religions (the 1st routing rule): expected a non-empty list such as ["muslim"], found an empty list',
    ),
    (
        'help_only = ["restorative_justice"]',
        'help_only = "restorative_justice"',
        "routing[0].help_only (the 1st routing rule): expected a non-empty list such as [\"emotional_support\"], found the text 'restorative_justice'",
    ),
    (
        'characteristics = ["race"]\nreligions = ["muslim"]\nhelp_only = ["restorative_justice"]\n',
        "",
        "routing[0] (the 1st routing rule): a rule needs at least one of characteristics, religions, help_only, who, interpreter, bsl",
    ),
    (
        'help_only = ["restorative_justice"]',
        'help_only = ["restorative_justice"]\nbsl = "yes"',
        "routing[0].bsl (the 1st routing rule): expected true or false, found the text 'yes'",
    ),
    (
        "[[places]]\n",
        '[[routing_tests]]\nexpect = "helpers"\nbsl = 1\n\n[[places]]\n',
        "routing_tests[0].bsl (the 1st routing test): expected true or false, found the number 1",
    ),
    (
        'help_only = ["restorative_justice"]',
        'help_only = ["restorative_justice"]\nelse = "helpers"',
        "routing[0].else (the 1st routing rule): unknown key (check the spelling against README.md)",
    ),
    (
        ("[area]\n", "[[routing]]\n"),
        ('routing = "first"\n[area]\n', "[routing_old]\n"),
        (
            "routing: expected a list of tables ([[routing]]), found the text 'first'",
            "routing_old: unknown key (did you mean 'routing_tests'? check the spelling against README.md)",
        ),
    ),
    # Places
    (
        'kind = "reporting_centre"',
        'kind = "police_station"',
        "places[0].kind (the 1st place): 'police_station' is not one of: reporting_centre, safe_space",
    ),
    ('kind = "reporting_centre"', "", "places[0].kind (the 1st place): this key is missing"),
    (
        'postcode = "DE1 9ZZ"',
        'postcode = "NOT A CODE"',
        "places[0].postcode (the 1st place): 'NOT A CODE' is not a UK postcode",
    ),
    (
        'address = "1 High Street, Testtown"',
        "address = 1",
        "places[0].address (the 1st place): expected text in quotes, found the number 1",
    ),
    (
        'opening_hours = "Monday to Friday"',
        "",
        "places[0].opening_hours (the 1st place): this key is missing (or give hours_by_day, day by day)",
    ),
    (
        'access_notes = { en = "Step-free.", pl = "Bez schodów." }',
        'access_notes = { en = "Step-free.", pl = "" }',
        "places[0].access_notes.pl (the 1st place): must not be empty (leave the language out instead: the page then shows the en text, marked as en)",
    ),
    (
        "example = true\n\n[[news]]",
        'example = "true"\n\n[[news]]',
        "places[0].example (the 1st place): expected true or false, found the text 'true'",
    ),
    (
        'access_notes = { en = "Step-free.", pl = "Bez schodów." }',
        'access_notes = "Step-free."\nwheelchair = true',
        "places[0].wheelchair (the 1st place): unknown key (check the spelling against README.md)",
    ),
    # News and events
    (
        'slug = "opening"',
        'slug = "Opening!"',
        "news[0].slug (the 1st news item): 'Opening!' is not a slug of lower-case words and hyphens",
    ),
    ('title = "We are open"', "", "news[0].title (the 1st news item): this key is missing"),
    (
        "published = 2026-01-05",
        'published = "yesterday"',
        "news[0].published (the 1st news item): expected a date such as 2026-10-12, found the text 'yesterday'",
    ),
    (
        "published = 2026-01-05",
        "published = 2026-01-05T10:00:00",
        "news[0].published (the 1st news item): expected a date such as 2026-10-12, found a date and time (2026-01-05 10:00:00)",
    ),
    (
        "published = 2026-01-05\n",
        "",
        "news[0].published (the 1st news item): this key is missing",
    ),
    (
        'summary = "A summary."',
        'summary = { pl = "Streszczenie." }',
        'news[0].summary (the 1st news item): the text in the pack\'s own language is missing (en = "…"): it is what a page shows in every language the table leaves out',
    ),
    (
        'body = "<p>A body.</p>"',
        'body = "<p>A body.</p>"\nauthor = "me"',
        "news[0].author (the 1st news item): unknown key (check the spelling against README.md)",
    ),
    (
        "date = 2026-02-01",
        'date = "2026-02-01"',
        "events[0].date (the 1st event): expected a date such as 2026-10-12, found the text '2026-02-01'",
    ),
    (
        'time = "6pm"',
        "time = 18",
        'events[0].time (the 1st event): expected text in quotes, or a table of it by language such as { en = "…", ur = "…" }, found the number 18',
    ),
    ('location = "Town hall"', "", "events[0].location (the 1st event): this key is missing"),
    (
        'description = "Come along."',
        'description = "Come along."\nprice = 0',
        "events[0].price (the 1st event): unknown key (check the spelling against README.md)",
    ),
    # Values of the wrong type, in plain words
    (
        'non_emergency = "101"',
        "non_emergency = true",
        "police.non_emergency: expected text in quotes, found true",
    ),
    (
        'non_emergency = "101"',
        'non_emergency = ["101"]',
        "police.non_emergency: expected text in quotes, found a list",
    ),
    (
        'name = "Testshire Police"',
        "name = 2026-01-05",
        "police.name: expected text in quotes, found a date (2026-01-05)",
    ),
    (
        "example_data = true",
        "example_data = { yes = true }",
        "area.example_data: expected true or false, found a table",
    ),
    (
        "retention_months = 24",
        "retention_months = 1.5",
        "area.retention_months: expected a whole number from 1 to 120, found the number 1.5",
    ),
    (
        'time = "6pm"',
        "time = 18:00:00",
        'events[0].time (the 1st event): expected text in quotes, or a table of it by language such as { en = "…", ur = "…" }, found a time (18:00:00)',
    ),
    # Examples come from the pack being checked
    (
        ('postcode_districts = ["DE1-DE3", "S40"]', 'areas = ["DE1", "S40"]\n', "DE1 9ZZ"),
        ('postcode_districts = ["WS1-WS3", "S40"]', 'areas = ["WS"]\n', "WS1 9ZZ"),
        "organisations[1].areas (the 2nd organisation): 'WS' is not a postcode district or range (such as WS1-WS3 or S40)",
    ),
    (
        ('slug = "helpers"', 'fallback_organisation = "helpers"', 'organisation = "mediators"'),
        ('slug = "remedi"', 'fallback_organisation = "remedi"', 'organisation = "helpers"'),
        "routing[0].organisation (the 1st routing rule): 'helpers' is not the slug of an organisation in this pack (its organisations are: remedi, mediators)",
    ),
    # A key written below the wrong header: unknown where it is, not also missing where
    # it belongs. TOML puts every key below a [[…]] header into that table.
    (
        ('fallback_organisation = "helpers"\n', 'description = "Come along."\n'),
        ("", 'description = "Come along."\nfallback_organisation = "helpers"\n'),
        "events[0].fallback_organisation (the 1st event): unknown key here: did you mean to put it in [area]? (every key below a [[events]] header, up to the next header, belongs to that event)",
    ),
    (
        ('restorative_justice = "mediators"\n', "example = true\n\n[[news]]"),
        ("", 'example = true\nrestorative_justice = "mediators"\n\n[[news]]'),
        "places[0].restorative_justice (the 1st place): unknown key here: did you mean to put it in [area]? (every key below a [[places]] header, up to the next header, belongs to that place)",
    ),
    (
        ("[[events]]\n", "retention_months = 24\n"),
        ("[events_old]\n", "retention_months = 24\nevents = []\n"),
        (
            "area.events: unknown key here: did you mean to put it in the top of the file, above every header? (a key belongs to the table whose header is above it)",
            "events_old: unknown key (did you mean 'events'? check the spelling against README.md)",
        ),
    ),
    (
        ('text_relay = "18000"\n', "[national.true_vision]\n"),
        ("", '[national.true_vision]\ntext_relay = "18000"\n'),
        "national.true_vision.text_relay: unknown key here: did you mean to put it in [police]? (a key belongs to the table whose header is above it)",
    ),
]


def _write(tmp_path: Path, text: str) -> Path:
    for name, svg in LOGOS.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(svg, encoding="utf-8")
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
    assert pack.heard_slugs == ("bus-advert", "radio", "other")
    assert pack.heard[0].label.get("pl") == "Reklama w autobusie"
    assert pack.logo is not None and str(pack.logo.alt) == "Stand Up Testshire"
    assert pack.logo.svg == LOGOS["logo.svg"].encode() and pack.logo.width == 200
    assert (pack.link_colour, pack.visited_link_colour) == ("#1d5f8a", "#4c2c92")


def test_a_logo_may_be_in_a_folder_below_the_pack(tmp_path):
    pack = load(
        _broken(tmp_path, 'logo = "logo.svg"', 'logo = "images/logo.svg"'), languages=LANGUAGES
    )
    assert pack.logo is not None and pack.logo.height == 60


@pytest.mark.parametrize(("old", "new", "message"), CASES)
def test_each_mistake_has_its_message(tmp_path, old, new, message):
    path = _broken(tmp_path, old, new)
    with pytest.raises(AreaPackError) as caught:
        load(path, languages=LANGUAGES)
    lines = (message,) if isinstance(message, str) else message
    assert str(caught.value) == "\n".join(f"{path}: {line}" for line in lines)


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


def test_every_mistake_is_reported_at_once(tmp_path):
    """Three separate mistakes, three lines, in the order of the file; none of them adds
    noise about what depends on it (the organisation whose slug is wrong is still named by
    the routing rule and the fallback, so no "not the slug of an organisation" follows)."""
    path = _broken(
        tmp_path,
        ('non_emergency = "101"', 'slug = "mediators"', "published = 2026-01-05"),
        ("non_emergency = 101", 'slug = "Mediators"', 'published = "5 January"'),
    )
    with pytest.raises(AreaPackError) as caught:
        load(path, languages=LANGUAGES)
    assert str(caught.value).splitlines() == [
        f"{path}: police.non_emergency: expected text in quotes, found the number 101",
        (
            f"{path}: organisations[1].slug (the 2nd organisation): 'Mediators' is not a slug "
            "of lower-case words and hyphens"
        ),
        (
            f"{path}: news[0].published (the 1st news item): expected a date such as "
            "2026-10-12, found the text '5 January'"
        ),
    ]


def test_a_broken_value_adds_no_noise_downstream(tmp_path):
    """What a broken value decides is not checked against its placeholder: districts that
    cannot be read do not put every place and organisation outside the area; a language
    that cannot be read does not make every translated text lack it."""
    path = _broken(
        tmp_path,
        ('postcode_districts = ["DE1-DE3", "S40"]', 'language = "en"'),
        ('postcode_districts = "DE1-DE3"', 'language = "English"'),
    )
    with pytest.raises(AreaPackError) as caught:
        load(path, languages=LANGUAGES)
    assert str(caught.value).splitlines() == [
        f"{path}: area.language: 'English' is not a language code such as \"en\"",
        (
            f"{path}: area.postcode_districts: expected a list of postcode districts such as "
            '["AB1", "AB3-AB5"], found the text \'DE1-DE3\''
        ),
    ]


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (103, "103rd"),
        (111, "111th"),
    ],
)
def test_positions_are_said_as_people_count(n, said):
    from againsthate.services.areapack.reader import ordinal

    assert ordinal(n) == said


def test_a_list_of_the_wrong_things_is_named_not_a_crash(tmp_path):
    path = _broken(tmp_path, 'religions = ["muslim"]', 'religions = [{ name = "muslim" }]')
    with pytest.raises(AreaPackError) as caught:
        load(path, languages=LANGUAGES)
    assert str(caught.value) == (
        f"{path}: routing[0].religions (the 1st routing rule): expected text in quotes, one "
        "of: muslim, jewish, sikh, hindu, christian, buddhist, other, not_say; found a table"
    )
