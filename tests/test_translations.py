"""The catalogues are complete: every message translated, none fuzzy, placeholders intact,
and the committed messages.pot matches what the code says today."""
from __future__ import annotations

import re
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
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
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
        committed = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
                     for m in read_po(pot) if m.id}
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


# What each catalogue once had for the site's name, before it was kept in English everywhere.
SITE_NAME_AS_TRANSLATED = ["Przeciw Nienawiści", "ਨਫ਼ਰਤ ਦੇ ਵਿਰੁੱਧ", "نفرت کے خلاف", "ضد الكراهية",
                           "નફરત સામે", "Împotriva urii"]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_site_name_is_not_translated(code):
    # README, "Adding a language": a name, so no message to translate and no translation of it.
    catalogue = _catalogue(code)
    assert SITE_NAME not in catalogue
    found = [(message.id, name) for message in catalogue for name in SITE_NAME_AS_TRANSLATED
             if message.id and name in "".join(_strings(message))]
    assert not found, found


def test_polish_tells_a_persons_name_from_a_cookies_name():
    # One English "Name" was "Nazwa" (a thing's name) on the staff and account pages too.
    polish = _catalogue("pl")
    assert polish.get("Name", context="person").string == "Imię i nazwisko"
    assert polish.get("Name", context="name to use").string == "Imię"
    assert polish.get("Name", context="cookie").string == "Nazwa"
