"""The catalogues are complete: every message translated, none fuzzy, placeholders intact,
and the committed messages.pot matches what the code says today."""

from __future__ import annotations

import gettext
import re
import tomllib
from collections import Counter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from againsthate.i18n import DEFAULT, LANGUAGES, SITE_NAME
from againsthate.paths import ROOT, TRANSLATIONS

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?([a-z0-9]+)")
OTHER_LANGUAGES = [code for code in LANGUAGES if code != DEFAULT]


def _extracted_ids() -> set[tuple[str | None, str]]:
    """(context, msgid) for every message the code and templates use."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    # As the Makefile's extract: Babel's defaults (pgettext among them) and our lazy names.
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "_l": None,
        "lazy_gettext": None,
        "lazy_pgettext": ((1, "c"), 2),
    }
    ids = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        ids.add((context, message[0] if isinstance(message, (tuple, list)) else message))
    return ids


def _catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=code)


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def test_messages_pot_is_up_to_date():
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        committed = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(pot) if m.id
        }
    current = _extracted_ids()
    new, gone = sorted(current - committed, key=str), sorted(committed - current, key=str)
    assert not new, f"run `make translations-update`: new {new[:5]}"
    assert not gone, f"run `make translations-update`: gone {gone[:5]}"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_catalogue_is_complete(code):
    catalogue = _catalogue(code)
    problems = []
    present = set()
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        present.add((message.context, msgid))
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {msgid!r}")
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else [message.id]
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for s in strings:
            got = set(PLACEHOLDER.findall(s))
            # A singular form may leave out the count ("one organisation"), nothing else.
            if got - wanted or (wanted - got) - {"num"}:
                problems.append(f"placeholders differ: {msgid!r} -> {s!r}")
            if Counter(TAG.findall(s)) != Counter(TAG.findall(ids[0])):
                problems.append(f"HTML tags differ: {msgid!r} -> {s!r}")
    missing = _extracted_ids() - present
    problems += [f"missing: {m!r}" for m in sorted(missing, key=str)]
    assert not problems, f"{code}: {len(problems)} problems\n" + "\n".join(problems[:40])


def test_every_language_has_a_catalogue_and_a_direction():
    for code, language in LANGUAGES.items():
        assert language.dir in ("ltr", "rtl")
        if code != DEFAULT:
            assert (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").exists(), code
    assert {"pl", "ro", "pa", "ur", "ar", "gu"} <= set(LANGUAGES)
    assert LANGUAGES["ur"].dir == LANGUAGES["ar"].dir == "rtl"


def test_no_translation_claims_to_be_checked_yet():
    # Flip `checked` in languages.toml only after a native speaker has read the catalogue.
    assert [code for code, lang in LANGUAGES.items() if code != DEFAULT and lang.checked] == []


# A number in groups ("07700 900 982", "27 3 2026") written in a right-to-left
# catalogue's own text: its groups would be laid out right to left unless it sits
# between Unicode's isolates (LRI ... PDI), the one mechanism i18n.ltr() also uses.
_GROUP = r"[A-Za-z0-9]*[0-9][A-Za-z0-9]*"
GROUPED_NUMBER = re.compile(_GROUP + r"(?:[ \u00a0\-\u2010-\u2013/:.]+" + _GROUP + r")+")
RIGHT_TO_LEFT = [code for code, language in LANGUAGES.items() if language.dir == "rtl"]


def unisolated_numbers(text: str) -> list[str]:
    return [
        m.group(0)
        for m in GROUPED_NUMBER.finditer(text)
        if not (text[: m.start()].endswith("\u2066") and text[m.end() :].startswith("\u2069"))
    ]


def test_unisolated_numbers_are_found():
    assert unisolated_numbers("مثل 07700 900 982") == ["07700 900 982"]
    assert unisolated_numbers("مثل \u206607700 900 982\u2069 و 27 3 2026") == ["27 3 2026"]


@pytest.mark.parametrize("code", RIGHT_TO_LEFT)
def test_numbers_in_right_to_left_catalogues_keep_their_written_order(code):
    found = {}
    for message in _catalogue(code):
        if not message.id:
            continue  # the catalogue's header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if unisolated_numbers(text or ""):
                found[str(message.id)] = unisolated_numbers(text)
    assert not found, f"{code}: wrap these numbers in \\u2066...\\u2069: {found}"


# An English term of several words kept in brackets in right-to-left text ("(third-party
# reporting centre)"): where the line wraps inside it, its brackets land apart, one beside
# each half, unless the bracketed term is one left-to-right run between the isolates.
BRACKETED_ENGLISH = re.compile(r"\(([A-Za-z][A-Za-z0-9'’.,]*(?:[ \-][A-Za-z0-9'’.,]+)+)\)")


def unisolated_english(text: str) -> list[str]:
    return [
        m.group(0)
        for m in BRACKETED_ENGLISH.finditer(text)
        if not (text[: m.start()].endswith("\u2066") and text[m.end() :].startswith("\u2069"))
    ]


def test_unisolated_english_is_found():
    assert unisolated_english("مراکز (third-party reporting centre) ہیں") == [
        "(third-party reporting centre)"
    ]
    assert unisolated_english("مراکز \u2066(hate crime)\u2069 (BSL) %(name)s") == []


@pytest.mark.parametrize("code", RIGHT_TO_LEFT)
def test_english_terms_in_brackets_in_right_to_left_catalogues_stay_together(code):
    found = {}
    for message in _catalogue(code):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if unisolated_english(text or ""):
                found[str(message.id)] = unisolated_english(text)
    assert not found, f"{code}: wrap these in \\u2066...\\u2069: {found}"


# What each catalogue once had for the site's name, before it was kept in English everywhere.
SITE_NAME_AS_TRANSLATED = [
    "Przeciw Nienawiści",
    "ਨਫ਼ਰਤ ਦੇ ਵਿਰੁੱਧ",
    "نفرت کے خلاف",
    "ضد الكراهية",
    "નફરત સામે",
    "Împotriva urii",
]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_site_name_is_not_translated(code):
    # README, "Adding a language": a name, so no message to translate and no translation of it.
    catalogue = _catalogue(code)
    assert SITE_NAME not in catalogue
    found = [
        (message.id, name)
        for message in catalogue
        for name in SITE_NAME_AS_TRANSLATED
        if message.id and name in "".join(_strings(message))
    ]
    assert not found, found


def test_polish_tells_a_persons_name_from_a_cookies_name():
    # One English "Name" was "Nazwa" (a thing's name) on the staff and account pages too.
    polish = _catalogue("pl")
    assert polish.get("Name", context="person").string == "Imię i nazwisko"
    assert polish.get("Name", context="name to use").string == "Imię"
    assert polish.get("Name", context="cookie").string == "Nazwa"


# Terms a review of the catalogues flagged (issue 11) -----------------------------------------


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]


def _translated(code: str, msgid: str, context: str | None = None) -> str:
    message = _catalogue(code).get(msgid, context=context)
    assert message is not None, (code, msgid, context)
    return message.string


# Everything about a self-referral and its reference (a police crime reference aside).
ABOUT_A_REFERRAL = re.compile(
    r"referr|refer yourself|(?<!crime )reference|request for support|new request|passing it on"
    r"|pass it to|routing",
    re.IGNORECASE,
)


def test_polish_never_calls_a_referral_a_report():
    # "Zgłoszenie" is also a report to the police: someone who had asked for support could
    # believe they had reported to the police. A referral is "prośba o pomoc", its reference
    # "numer referencyjny"; "zgłoszenie" and "zgłosić" are kept for reporting a crime.
    polish = _catalogue("pl")
    about = [m for m in polish if m.id and any(ABOUT_A_REFERRAL.search(i) for i in _ids(m))]
    assert len(about) > 60
    wrong = [(_ids(m)[0], s) for m in about for s in _strings(m) if "zgł" in s.lower()]
    assert not wrong, wrong[:10]
    assert _translated("pl", "Your reference is %(reference)s.") == (
        "Twój numer referencyjny to %(reference)s."
    )
    assert _translated("pl", "Reference") == "Numer referencyjny"
    assert _translated("pl", "Report it") == "Zgłoś"  # reporting a crime keeps its word


def test_polish_says_a_third_party_reporting_centre_is_not_the_police():
    centres = [
        m for m in _catalogue("pl") if m.id and "third-party reporting centre" in _ids(m)[0].lower()
    ]
    assert len(centres) >= 4
    assert all("niezależn" in s.lower() for m in centres for s in _strings(m)), [
        m.string for m in centres
    ]


def test_romanian_does_not_call_the_person_responsible_guilty():
    # Restorative justice can happen whether or not anyone was found guilty in court.
    assert not [
        m.id for m in _catalogue("ro") if m.id and "persoana vinovat" in "".join(_strings(m))
    ]
    assert "persoana care a făcut rău" in _translated(
        "ro", "The person responsible must also agree to take part."
    )


# The word each dual (n = 2) must use, by what the English plural counts.
ARABIC_DUALS = {
    "minutes": "دقيقتين",
    "hours": "ساعتين",
    "working days": "يومَي عمل",
    "recovery codes": "رمزان",
}


def test_arabic_says_two_of_something_with_the_dual():
    arabic = _catalogue("ar")
    form_for = gettext.c2py(arabic.plural_expr)
    wrong, seen = [], 0
    for message in arabic:
        if not message.id or not isinstance(message.id, (tuple, list)):
            continue
        two = message.string[form_for(2)]
        if re.search(r"%\(num\)d من ", two):
            wrong.append(two)  # "2 من الدقائق": a count construction, not the dual
        for counted, dual in ARABIC_DUALS.items():
            if re.search(rf"%\(num\)d {counted}\b", message.id[1]):
                seen += 1
                if dual not in two:
                    wrong.append(two)
    assert seen >= 8 and not wrong, wrong
    assert _translated("ar", "Emotional support") == "الدعم العاطفي"


def test_urdu_rather_not_say_and_names_of_official_bodies():
    for msgid in ("I'd rather not say", "I'd rather not say, or I'm not sure"):
        assert "نہیں بتانا چاہتا/چاہتی" in _translated("ur", msgid)
    # English names stay (what people search for), each with a short description in Urdu.
    glosses = {
        "If you are not happy with how we respond to your complaint, you can contact the "
        "Equality Advisory and Support Service (EASS).": ("Equality Advisory", "مساوات"),
        "The Equality and Human Rights Commission is responsible for enforcing the "
        "accessibility regulations.": (
            "Equality and Human Rights Commission",
            "مساوات اور انسانی حقوق کمیشن",
        ),
        "complain to the Information Commissioner’s Office, which makes sure organisations "
        "follow data protection law": ("Information Commissioner’s Office", "انفارمیشن کمشنر"),
    }
    for msgid, (english, urdu) in glosses.items():
        translated = _translated("ur", msgid)
        assert english in translated and urdu in translated, translated


def test_punjabi_and_gujarati_terms():
    assert not [m.id for m in _catalogue("pa") if m.id and "ਅਪਾਹਜ" in "".join(_strings(m))]
    assert _translated("pa", "Disability") == "ਅਪੰਗਤਾ"
    assert not [m.id for m in _catalogue("gu") if m.id and "આચારસંહિતા" in "".join(_strings(m))]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_what_to_review_first_is_listed_and_explained(code):
    # languages.toml lists what a native speaker should read first; each of those messages
    # says why in a translator's comment, which `make translations-update` keeps.
    listed = set(_languages_toml()[code].get("review_first", []))
    commented = {
        _ids(m)[0]
        for m in _catalogue(code)
        if m.id and " ".join(m.user_comments).startswith("Review first:")
    }
    assert listed == commented, (sorted(listed - commented), sorted(commented - listed))


def test_the_reviewed_languages_have_something_to_review_first():
    assert all(_languages_toml()[code].get("review_first") for code in OTHER_LANGUAGES)


def _languages_toml() -> dict:
    with open(TRANSLATIONS / "languages.toml", "rb") as toml:
        return tomllib.load(toml)
