"""The site described by example, for the tests and the benchmark (bench/) alike: every
public page (one URL each), and ways through the self-referral journey with the answers
a visitor gives on each page. The site itself never imports this module.

Answers are form data by page slug, as posted: a list for ticked boxes, "y" for a single
checkbox. A journey answers whichever page the site sends it to, so `defaults()` has an
answer for every page; the other tables replace some of them, field by field (`merge`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, url_for

Fields = dict[str, str | list[str]]  # one page's form data
Answers = dict[str, Fields]  # by the page's slug


def defaults(today: dt.date) -> Answers:
    """One answer for every page of the journey, asked or not."""
    day = today - dt.timedelta(days=30)  # a past date, whatever the clock says
    return {
        "who": {"who": "self"},
        "what": {"what": "Someone shouted at me at the bus stop."},
        "when-where": {"when": "date", "where": "place"},
        "when-date": {
            "when_day": str(day.day),
            "when_month": str(day.month),
            "when_year": str(day.year),
        },
        "when-month": {"when_month_name": "2", "when_month_year": str(today.year - 1)},
        "where-place": {
            "where_postcode": "DE22 1AB",
            "where_place": "The bus stop on the high street",
        },
        "where-online": {"where_platform": "A messaging app"},
        "about": {"about": ["race"]},
        "about-other": {"about_other": "My accent"},
        "religion": {"religion": "jewish"},
        "police": {"police": "no"},
        "police-reference": {"crime_reference": "CR-12345"},
        "police-consent": {"pass_on_consent": "y"},
        "help": {"help": ["emotional_support"], "contact": "yes"},
        "contact-details": {
            "name": "Sam",
            "methods": ["phone", "email"],
            "phone": "07700 900982",
            "email": "sam@example.org",
            "address": "",
        },
        "contact-safety": {
            "phone_message": "no",
            "phone_times": "Weekdays, 10am to 2pm",
            "phone_say_who": "no",
            "email_say_who": "yes",
            "email_times": "",
            "post_say_who": "yes",
        },
        "needs": {"language": "", "interpreter": "", "access": ""},
        # "friend": an answer every shipped pack offers (and the site's general list).
        "consent": {"consent": "y", "heard": "friend", "heard_other": ""},
    }


# The quickest way through: no follow-up questions, anonymous.
SHORT: Answers = {
    "when-where": {"when": "not_sure", "where": "not_sure"},
    "about": {"about": ["not_sure"]},
    "help": {"help": ["not_sure"], "contact": "none"},
}

# Every optional page applies: date, place, other + religion, police reference, all methods.
EVERY_BRANCH: Answers = {
    "about": {"about": ["religion", "other"]},
    "police": {"police": "yes"},
    "contact-details": {
        "methods": ["phone", "email", "post"],
        "address": "1 Example Street\nDerby",
    },
    "consent": {"heard": "other", "heard_other": "A neighbour"},
}

# The benchmark's journey: a dated incident at a postcode, two characteristics, passed on
# to the police, contact by phone and email, language needs, a confirmation email.
FULL: Answers = {
    "about": {"about": ["disability", "religion"]},
    "religion": {"religion": "muslim"},
    "police": {"police": "pass_on"},
    "needs": {"language": "Polish", "interpreter": "yes"},
    "consent": {"confirmation": "y"},
}


def route(today: dt.date) -> list[tuple[str, Fields]]:
    """One way through in page order, with a follow-up question on most pages, as a
    person answers it (the browser tests, by keyboard and without JavaScript). Only
    what the person sets: every field left alone is absent."""
    day = defaults(today)["when-date"]
    return [
        ("who", {"who": "helper"}),
        ("what", {"what": "Someone shouted at me at the bus stop."}),
        ("when-where", {"when": "date", "where": "place"}),
        ("when-date", day),
        ("where-place", {"where_postcode": "DE22 1AB", "where_place": "The bus stop"}),
        ("about", {"about": ["religion"]}),
        ("religion", {"religion": "sikh"}),
        ("police", {"police": "pass_on"}),
        ("police-consent", {"pass_on_consent": "y"}),
        ("help", {"help": ["emotional_support", "information"], "contact": "yes"}),
        ("contact-details", {"name": "Sam", "methods": ["email"], "email": "sam@example.org"}),
        ("contact-safety", {"email_say_who": "yes"}),
        ("needs", {"language": "Punjabi"}),
        ("consent", {"consent": "y", "heard": "friend"}),
    ]


def merge(*layers: Answers | None) -> Answers:
    """Tables on top of each other, page by page (later layers win, field by field)."""
    merged: Answers = {}
    for layer in layers:
        for slug, data in (layer or {}).items():
            merged[slug] = {**merged.get(slug, {}), **data}
    return merged


def form_data(fields: Fields) -> list[tuple[str, str]]:
    """A page's answers as the pairs a browser posts (a ticked box, a pair each)."""
    return [
        (name, item)
        for name, value in fields.items()
        for item in (value if isinstance(value, list) else [value])
    ]


# --- Public pages ---------------------------------------------------------------------

# Endpoints that are not pages: they redirect or answer with data.
NOT_PAGES = {
    "static",
    "public.exit",
    "public.text_size",
    "public.healthz",
    "public.logo",  # an image (tests/public/test_logo.py)
    # The referral's check page and the "clear my answers?" page need answers first; send
    # and discard are POSTs. The journey's tests walk the whole journey instead.
    "referral.check",
    "referral.send",
    "referral.clear",
    "referral.discard",
}

STAFF_BLUEPRINTS = {"portal", "admin"}


def public_paths(app: Flask) -> list[str]:
    """One URL per public page (unprefixed, i.e. English), sorted, from the app's URL map,
    so a new page is visited without anyone listing it; variables from the area pack."""
    from .areas import current_pack

    with app.app_context():
        pack = current_pack()
        samples: dict[str, list[dict[str, Any]]] = {
            "public.organisation": [{"slug": pack.organisations[0].slug}],
            "public.news_item": [{"slug": n.slug} for n in pack.news[:1]],
            # The first question (later ones redirect until it is answered), and the
            # neutral page a "done" address shows to anyone but the sender.
            "referral.question": [{"slug": "who"}],
            "referral.done": [{"reference": "BCDF-GHJK"}],
        }
        paths = set()
        with app.test_request_context():
            for rule in app.url_map.iter_rules():
                if rule.endpoint.split(".")[0] in STAFF_BLUEPRINTS:
                    continue  # staff pages: tests/portal and tests/admin walk those
                if rule.endpoint in NOT_PAGES or "GET" not in (rule.methods or set()):
                    continue
                if rule.arguments:
                    if rule.endpoint not in samples:
                        raise AssertionError(
                            f"No sample values for {rule.endpoint}: add them to "
                            "site/againsthate/examples.py"
                        )
                    for values in samples[rule.endpoint]:
                        paths.add(url_for(rule.endpoint, **values))
                else:
                    paths.add(url_for(rule.endpoint))
    return sorted(paths)


def in_language(path: str, code: str) -> str:
    return f"/{code}{path}"
