"""A partnership's logo and colours (issue 14): the logo is served from the site itself, as
an inert image at an address that changes with it, and stands in the header in place of
the name with its text alternative; the colours reach the one inline style, allowed by
its hash."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from againsthate.paths import AREAS
from tests.conftest import ROOMY
from tests.packs import EVERY_KEY

LOGO = EVERY_KEY.with_name("every-key-logo.svg").read_bytes()


@pytest.fixture
def logo_app(new_app, tmp_path):
    return new_app(tmp_path / "instance", AREA_PACK=EVERY_KEY, **ROOMY)


def _logo_url(html: str) -> str:
    return re.search(r'<img class="site-logo" src="([^"]+)"', html)[1]


def test_the_logo_is_served_inert_from_the_site_itself(logo_app):
    client = logo_app.test_client()
    url = _logo_url(client.get("/").get_data(as_text=True))
    assert url == f"/logo.svg?v={hashlib.sha256(LOGO).hexdigest()[:12]}"
    response = client.get(url)
    assert response.status_code == 200 and response.data == LOGO
    assert response.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp  # so none: default-src 'none'
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_only_the_versioned_address_is_kept_long(logo_app):
    client = logo_app.test_client()
    for url in ("/logo.svg", "/logo.svg?v=0123456789ab"):
        response = client.get(url)
        assert response.data == LOGO
        assert response.headers["Cache-Control"] == "public, max-age=300", url
    # A visitor's cookies change nothing about an image: it is still cached, not no-store.
    client.set_cookie("ah_prefs", "x")
    url = _logo_url(client.get("/").get_data(as_text=True))
    assert client.get(url).headers["Cache-Control"].endswith("immutable")


def test_a_new_logo_has_a_new_address(new_app, tmp_path):
    pack = tmp_path / "pack" / "every-key.toml"
    pack.parent.mkdir()
    pack.write_text(EVERY_KEY.read_text(encoding="utf-8"), encoding="utf-8")
    (pack.parent / "every-key-logo.svg").write_bytes(LOGO.replace(b"#0b3d2e", b"#000000"))
    html = new_app(tmp_path / "i", AREA_PACK=pack).test_client().get("/").get_data(as_text=True)
    assert _logo_url(html) != f"/logo.svg?v={hashlib.sha256(LOGO).hexdigest()[:12]}"


@pytest.mark.parametrize(
    ("prefix", "marks"),
    [
        ("", {"alt": "Stand Up Testshire"}),
        ("/ur", {"alt": "اسٹینڈ اپ ٹیسٹ شائر"}),
        # Not given in Polish: the pack's own words, marked as English.
        ("/pl", {"alt": "Stand Up Testshire", "lang": "en"}),
        ("/ar", {"alt": "Stand Up Testshire", "lang": "en", "dir": "ltr"}),
    ],
)
def test_the_logo_stands_in_the_header_in_place_of_the_name(logo_app, prefix, marks):
    html = logo_app.test_client().get(f"{prefix}/report").get_data(as_text=True)
    header = re.search(
        r'<div class="width header-row has-logo">\s*<a class="site-name"[^>]*>(.*?)</a>',
        html,
        re.DOTALL,
    )[1]
    img = re.fullmatch(r"<img( [^>]*)>", header)  # the image alone: the name is said once
    assert img is not None, header
    attributes = dict(re.findall(r' ([a-z]+)="([^"]*)"', img[1]))
    assert attributes == {
        "class": "site-logo",
        "src": f"/logo.svg?v={hashlib.sha256(LOGO).hexdigest()[:12]}",
        "width": "197",  # its viewBox is 236 × 48
        "height": "40",
        **marks,
    }


def test_without_a_logo_there_is_none(client):
    assert client.get("/logo.svg").status_code == 404
    assert "site-logo" not in client.get("/").get_data(as_text=True)


def test_the_packs_colours_are_the_one_inline_style(logo_app):
    response = logo_app.test_client().get("/")
    body = response.get_data(as_text=True)
    (style,) = re.findall(r"<style>(.*?)</style>", body)
    assert style == ":root{--brand:#0b5d3b;--link:#005a70;--link-visited:#6b2a6b}"
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}'" in response.headers["Content-Security-Policy"]


def test_the_stylesheet_names_the_variables_the_pack_sets():
    css = (AREAS.parent / "static" / "css" / "site.css").read_text(encoding="utf-8")
    for variable in ("--brand", "--link", "--link-visited"):
        assert f"  {variable}: #" in css and f"var({variable})" in css, variable
