"""`flask pack check PATH` is what a partnership writing its pack runs first: before it
has a SECRET_KEY, a database or any production setting, and whatever AREA_PACK says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from againsthate.paths import AREAS, ROOT
from tests.conftest import SHIPPED_PACKS

FLASK = Path(sys.executable).parent / "flask"


def _check(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AGAINSTHATE", "SECRET"))}
    clean.pop("AREA_PACK", None)
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(FLASK), "--app", "againsthate.wsgi", "pack", "check", *args],
        check=False,  # the tests read the exit code
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", SHIPPED_PACKS)
def test_a_pack_is_checked_without_any_setting(name):
    result = _check(str(AREAS / f"{name}.toml"))
    assert result.returncode == 0, result.stderr
    assert f"{name}.toml: OK" in result.stdout


def test_a_broken_pack_is_named_with_its_key(tmp_path):
    broken = tmp_path / "broken.toml"
    text = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace('"DE1-DE75"', '"DE75-DE1"', 1), encoding="utf-8")
    result = _check(str(broken))
    assert result.returncode != 0
    assert f"{broken}: area.postcode_districts: 'DE75-DE1' runs backwards" in result.stderr


def test_the_pack_in_area_pack_is_checked_even_when_another_is_broken(tmp_path):
    """Checking a new pack does not need the configured one to be right, and with no PATH
    the configured pack is the one checked."""
    broken = tmp_path / "broken.toml"
    broken.write_text("[area]\n", encoding="utf-8")
    good = _check(str(AREAS / "hertfordshire.toml"), AREA_PACK=str(broken))
    assert good.returncode == 0, good.stderr
    configured = _check(AREA_PACK=str(broken))
    assert configured.returncode != 0
    assert f"{broken}: area.name: this key is missing" in configured.stderr


def test_every_mistake_is_printed_at_once(tmp_path):
    """Three mistakes, three lines: one run of the check names them all, and a key written
    after the last table is named where it is, not also as missing from [area]."""
    broken = tmp_path / "broken.toml"
    text = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
    fallback = 'fallback_organisation = "derbyshire-victim-services"\n'
    assert text.count(fallback) == 1, "test setup: the fallback is not once in the pack"
    text = text.replace('"DE1-DE75"', '"DE75-DE1"', 1).replace(fallback, "")
    text = text.replace('non_emergency = "101"', "non_emergency = 101", 1)
    broken.write_text(text + fallback, encoding="utf-8")
    result = _check(str(broken))
    assert result.returncode != 0
    lines = result.stderr.removeprefix("Error: ").splitlines()
    assert lines == [
        (
            f"{broken}: area.postcode_districts: 'DE75-DE1' runs backwards: write it from the "
            "lower number, as DE1-DE75"
        ),
        f"{broken}: police.non_emergency: expected text in quotes, found the number 101",
        (
            f"{broken}: events[0].fallback_organisation (the 1st event): unknown key here: did "
            "you mean to put it in [area]? (every key below a [[events]] header, up to the next "
            "header, belongs to that event)"
        ),
    ]
