"""The administrators' routing page says every condition a rule has: a rule by who fills in
the form, by the need for an interpreter or by BSL showed an empty list (issue 14)."""

from __future__ import annotations

import re

from againsthate.paths import AREAS
from tests.conftest import ROOMY
from tests.packs import EVERY_KEY
from tests.portal.conftest import make_staff, session_client


def _rules(page: str) -> list[str]:
    """Each rule's conditions, as text."""
    listed = page.split('<ol class="rules">', 1)[1].split("</ol>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rule)).strip()
        for rule in listed.split("<li>\n")[1:]
    ]


def _page(new_app, pack, tmp_path, prefix=""):
    app = new_app(tmp_path / pack.stem, WTF_CSRF_ENABLED=False, AREA_PACK=pack, **ROOMY)
    admin = session_client(app, make_staff(app, "admin", None)[0])
    return admin.get(f"{prefix}/portal/admin/routing").get_data(as_text=True)


def test_rules_by_who_and_interpreter_say_so(new_app, tmp_path):
    rules = _rules(_page(new_app, AREAS / "walsall.toml", tmp_path))
    assert any("the form was filled in by any of: a witness" in rule for rule in rules), rules
    assert any("the person asked for an interpreter" in rule for rule in rules), rules
    assert all("when all of these are true: " in rule + " " and len(rule) > 60 for rule in rules)


def test_a_rule_by_bsl_says_so_in_every_language(new_app, tmp_path):
    page = _page(new_app, EVERY_KEY, tmp_path, "/ur")
    assert "یہ شخص برطانوی اشاروں کی زبان (BSL) استعمال کرتا ہے" in page
