"""Every variable in a URL has a type that bounds it (issue 12, item 14): a number too
big for the database, or a reference of the wrong shape, is a 404, never a 500."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOMY
from tests.portal.conftest import make_staff, session_client

# The converters a route may use, and why each exists (site/againsthate/converters.py).
ALLOWED = {
    "id": "a database id: 1 to 2**31 - 1, at most 10 digits",
    "slug": "lower-case words and hyphens, at most 120 characters",
    "reference": "a referral's reference: letters, digits and hyphens, at most 16",
    "token": "an invitation or reset token: URL-safe base64, at most 128 characters",
}
# Flask's own static files take a path; nothing else may.
PATH_ALLOWED = {"static"}
VARIABLE = re.compile(r"<(?:(?P<converter>[a-z_]+)(?:\([^)]*\))?:)?(?P<name>[a-z_]+)>")

HUGE = "99999999999999999999999"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from tests.conftest import make_app

    return make_app(tmp_path_factory.mktemp("urls"), WTF_CSRF_ENABLED=False, **ROOMY)


@pytest.fixture(scope="module")
def admin(app):
    return make_staff(app, "admin")[0]


@pytest.fixture(scope="module")
def caseworker(app):
    return make_staff(app)[0]


def test_every_url_variable_is_typed(app):
    untyped = []
    for rule in app.url_map.iter_rules():
        for match in VARIABLE.finditer(rule.rule):
            converter = match["converter"]
            if converter == "path" and rule.endpoint in PATH_ALLOWED:
                continue
            if converter not in ALLOWED:
                untyped.append(f"{rule.rule} ({converter or 'untyped'})")
    assert not untyped, "use one of the converters in ALLOWED: " + ", ".join(untyped)


@pytest.fixture
def admin_client(app, admin):
    return session_client(app, admin)


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", f"/portal/admin/staff/{HUGE}/remove"),
        ("GET", f"/portal/admin/staff/{HUGE}/remove"),
        ("GET", f"/portal/admin/staff/{HUGE}/invited"),
        ("POST", f"/portal/admin/staff/{HUGE}/invite-again"),
        ("GET", f"/portal/admin/news/{HUGE}/edit"),
        ("GET", f"/portal/admin/news/{HUGE}/saved"),
        ("POST", f"/portal/admin/news/{HUGE}/delete"),
        ("GET", f"/portal/admin/events/{HUGE}/edit"),
        ("POST", f"/portal/admin/events/{HUGE}/delete"),
        ("GET", "/portal/admin/news/2147483648/edit"),  # one past the largest id
        ("GET", "/portal/admin/news/0/edit"),
        ("GET", "/portal/admin/news/" + "9" * 5000 + "/edit"),  # past int()'s digit limit
    ],
)
def test_an_id_too_big_is_not_found(admin_client, method, path):
    assert admin_client.open(path, method=method).status_code == 404


def test_the_largest_id_is_still_an_id(admin_client):
    assert admin_client.get("/portal/admin/news/2147483647/edit").status_code == 404  # none


@pytest.mark.parametrize(
    "path",
    [
        "/portal/referrals/" + "A" * 17,
        "/portal/referrals/AB%0ACD",
        "/portal/referrals/ab cd",
        "/portal/invite/" + "a" * 129,
        "/portal/invite/a.b",
        "/portal/reset-password/a%00b",
        "/news/" + "a" * 121,
        "/news/Not-A-Slug",
        "/support/a_b",
        "/refer/done/" + "B" * 17,
        "/settings/text-size/LARGE",
    ],
)
def test_a_variable_of_the_wrong_shape_is_not_found(app, caseworker, path):
    assert session_client(app, caseworker).get(path).status_code == 404


@pytest.mark.parametrize(
    "digits",
    ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"],
    ids=["full-width", "arabic-indic", "extended-arabic-indic"],
)
def test_an_id_in_other_digits_is_not_found(admin_client, admin, digits):
    """int() reads these, and a regex's \\d matches them: one row, many addresses."""
    written = "".join(digits[int(c)] for c in str(admin.id))
    assert admin_client.get(f"/portal/admin/staff/{admin.id}/remove").status_code != 404
    assert admin_client.get(f"/portal/admin/staff/{written}/remove").status_code == 404
