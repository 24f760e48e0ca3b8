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


def _extracted_ids() -> set[str]:
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        ids.add(message[0] if isinstance(message, (tuple, list)) else message)
    return ids


def _catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=code)


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def test_messages_pot_is_up_to_date():
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        committed = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    current = _extracted_ids()
    assert not current - committed, f"run `make translations-update`: new {sorted(current - committed)[:5]}"
    assert not committed - current, f"run `make translations-update`: gone {sorted(committed - current)[:5]}"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_catalogue_is_complete(code):
    catalogue = _catalogue(code)
    problems = []
    present = set()
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        present.add(msgid)
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
    problems += [f"missing: {m!r}" for m in sorted(missing)]
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
