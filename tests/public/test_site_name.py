"""A partnership's own name for the site (issue 14): `site_name` in the pack's [area] is
the name in every page's title and header, in the staff emails and in the authenticator
app; without it the site is "Against Hate", as before."""

from __future__ import annotations

import re

from againsthate.paths import AREAS
from tests.admin.conftest import outbox_rows
from tests.pages import public_paths
from tests.portal.conftest import make_staff

PACK = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
OWN = "Stand Up Derbyshire"


def test_the_packs_name_for_the_site_is_used_everywhere(pack_app):
    app = pack_app(PACK.replace("[area]\n", f'[area]\nsite_name = "{OWN}"\n', 1))
    client = app.test_client()
    for path in public_paths(app):
        for prefix in ("", "/ar"):
            html = client.get(prefix + path).get_data(as_text=True)
            title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)[1]
            assert OWN in title and "Against Hate" not in html, prefix + path
            # Written in the pack's own language, and marked so on another language's page.
            assert f'<span lang="en">{OWN}</span>' in html, prefix + path
    user, _secret = make_staff(app, "caseworker")
    client.post("/portal/forgot-password", data={"email": user.email})
    (_message, _recipient, _body), *_ = outbox_rows(app, "password_reset")
    assert OWN in _message.subject


def test_without_one_the_site_is_against_hate(pack_app):
    app = pack_app(PACK)
    html = app.test_client().get("/ur/").get_data(as_text=True)
    assert (
        '<span lang="en" dir="ltr">Against Hate <span class="site-area">Derbyshire</span></span>'
        in html
    )


def test_the_authenticator_shows_the_sites_name():
    from againsthate.services import two_factor

    uri = two_factor.provisioning_uri(two_factor.new_secret(), "sam@example.org", OWN)
    assert uri.endswith("issuer=Stand%20Up%20Derbyshire")
