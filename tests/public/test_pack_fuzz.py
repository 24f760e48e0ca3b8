"""No pack that passes the check makes a page answer 500 (issue 14): the shipped pack with
each optional section taken out, each optional key taken out, and each list of tables cut
to none, is either refused by the check or served whole."""

from __future__ import annotations

import re
import tomllib
from functools import partial

import pytest

from againsthate.paths import AREAS
from againsthate.services.areapack import AreaPackError, load
from tests.pages import public_paths

PACK = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
DATA = tomllib.loads(PACK)


def _without_tables(text: str, header: str) -> str:
    """The text with every table under `header` ([x] or [[x]]) removed."""
    pattern = re.compile(rf"(?ms)^\[{{1,2}}{re.escape(header)}\]{{1,2}}\n.*?(?=^\[|\Z)")
    return pattern.sub("", text)


def _without_key(text: str, table: str, key: str) -> str:
    start = text.index(f"[{table}]\n")
    end = text.find("\n[", start + 1)
    block = text[start:end]
    return text[:start] + re.sub(rf"(?m)^{key}(\.[a-z]+)? = .*\n", "", block) + text[end:]


VARIANTS = {
    **{
        f"no [[{name}]]": partial(_without_tables, header=name)
        for name in ("places", "news", "events", "routing_tests")
    },
    # Without rules, the pack's own routing tests expect what no rule does any more.
    "no [[routing]]": lambda t: _without_tables(_without_tables(t, "routing"), "routing_tests"),
    "no [legal]": partial(_without_tables, header="legal"),
    **{f"no area.{key}": partial(_without_key, table="area", key=key) for key in DATA["area"]},
    **{
        f"no national.stop_hate.{key}": partial(_without_key, table="national.stop_hate", key=key)
        for key in DATA["national"]["stop_hate"]
    },
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_a_pack_the_check_passes_serves_every_page(pack_file, pack_app, name):
    text = VARIANTS[name](PACK)
    assert text != PACK, f"{name}: the variant changed nothing"
    try:
        load(pack_file(text))
    except AreaPackError:
        return  # refused, with its reasons: nothing is served from it
    app = pack_app(text)
    client = app.test_client()
    broken = [
        f"{prefix}{p}: {status}"
        for p in public_paths(app)
        for prefix in ("", "/ar")
        if (status := client.get(prefix + p).status_code) >= 500
    ]
    assert not broken, broken


@pytest.mark.parametrize("name", [n for n in sorted(VARIANTS) if n.startswith("no [")])
def test_every_optional_section_may_be_left_out(pack_file, name):
    """So the crawl above really serves these variants rather than seeing them refused."""
    load(pack_file(VARIANTS[name](PACK)))
