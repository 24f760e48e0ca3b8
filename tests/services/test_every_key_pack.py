"""tests/packs/every-key.toml uses every key README.md's "Every key" names (by name, in
any table), so the tests that serve it (tests/browser/test_every_key.py,
tests/public/test_logo.py) see every optional piece; a key added to README without it fails here."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from againsthate.paths import AREAS
from againsthate.services.areapack import load
from tests.packs import EVERY_KEY

README = AREAS.parent / "README.md"


def documented_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Every key") : text.index("### The pack's words")]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {key for row in rows for key in re.findall(r"`([a-z_]+)`", row.split("|")[1])}


def used_keys(table: Any) -> set[str]:
    if isinstance(table, list):
        return set().union(*(used_keys(item) for item in table))
    if not isinstance(table, dict):
        return set()
    return set(table) | set().union(*(used_keys(value) for value in table.values()))


def test_readme_documents_keys():
    assert {"logo", "logo_alt", "link_colour", "hours_by_day", "dpo_email"} <= documented_keys()


def test_the_every_key_pack_uses_every_documented_key():
    used = used_keys(tomllib.loads(EVERY_KEY.read_text(encoding="utf-8")))
    assert documented_keys() - used == set()


def test_the_every_key_pack_passes_the_check():
    pack = load(EVERY_KEY)
    assert pack.logo is not None and pack.national_others and pack.legal.dpo_email
