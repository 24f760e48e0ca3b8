"""The national helpline's hours are the pack's words, not a fixed "any time, day or
night" (issue 14): on the home page, in every page's other ways to get help, and on the
error pages, in each language the pack gives them."""

from __future__ import annotations

import re

import pytest

from againsthate.paths import AREAS

PACK = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
HOURS = next(line for line in PACK.splitlines() if line.startswith('hours = { en = "24 hours'))


def _helpline_lines(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", line).strip()
        for line in html.splitlines()
        if "Stop Hate UK" in line and "tel:" in line
    ]


@pytest.mark.parametrize("path", ["/", "/support", "/no-such-page"])
def test_the_packs_hours_are_shown(pack_app, path):
    assert HOURS in PACK
    app = pack_app(PACK.replace(HOURS, 'hours = "Weekdays, 9am to 9pm"'))
    lines = _helpline_lines(app.test_client().get(path).get_data(as_text=True))
    assert lines, path
    for line in lines:
        assert "Weekdays, 9am to 9pm" in line, line
        assert "day or night" not in line, line


def test_no_hours_claims_none(pack_app):
    app = pack_app(PACK.replace(HOURS + "\n", ""))
    lines = _helpline_lines(app.test_client().get("/").get_data(as_text=True))
    assert lines and all(line.startswith("Stop Hate UK: 0800 138 1625") for line in lines), lines


def test_hours_in_the_visitors_language(pack_app):
    app = pack_app(
        PACK.replace(HOURS, 'hours = { en = "Every day", pl = "Codziennie" }'),
    )
    lines = _helpline_lines(app.test_client().get("/pl/").get_data(as_text=True))
    assert lines and all("Codziennie" in line for line in lines), lines
