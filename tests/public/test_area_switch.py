"""Switching AREA_PACK changes every local fact on the site."""

from __future__ import annotations

from againsthate.paths import AREAS
from againsthate.services.areapack import load
from tests.conftest import make_app
from tests.pages import public_paths


def _site_text(tmp_path, name):
    app = make_app(tmp_path / name, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / f"{name}.toml")
    client = app.test_client()
    return "".join(client.get(p).data.decode() for p in public_paths(app))


def _local_facts(pack):
    facts = {
        pack.name,
        pack.police.name,
        pack.police.online_report_url,
        pack.partnership,
        pack.contact_email,
        pack.brand_colour,
    }
    for org in pack.organisations:
        facts |= {org.name} | {v for v in (org.phone, org.email) if v}
    for place in pack.places:
        facts |= {place.name, place.postcode}
    return facts


def test_each_pack_shows_its_own_facts_and_none_of_the_other(tmp_path):
    derbyshire, herts = load(AREAS / "derbyshire.toml"), load(AREAS / "hertfordshire.toml")
    from markupsafe import escape

    d_text, h_text = _site_text(tmp_path, "derbyshire"), _site_text(tmp_path, "hertfordshire")
    d_facts, h_facts = _local_facts(derbyshire), _local_facts(herts)
    for fact in d_facts - h_facts:
        assert str(escape(fact)) in d_text, f"Derbyshire fact missing: {fact}"
        assert str(escape(fact)) not in h_text, (
            f"Derbyshire fact shown with the Hertfordshire pack: {fact}"
        )
    for fact in h_facts - d_facts:
        assert str(escape(fact)) in h_text, f"Hertfordshire fact missing: {fact}"
        assert str(escape(fact)) not in d_text, (
            f"Hertfordshire fact shown with the Derbyshire pack: {fact}"
        )
