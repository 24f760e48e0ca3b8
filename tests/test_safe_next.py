"""Every route that takes a `next` address sends people only to a path on this site
(issue 12, items 1 and 12): one table of hostile values, walked over every such route."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from againsthate import security
from tests.conftest import ROOMY
from tests.portal.conftest import PASSWORD, code_now, make_staff

PACKAGE = Path(security.__file__).parent
# Reads the `next` query value: request.args.get("next"), request.args["next"].
READS_NEXT = re.compile(r"""args(?:\.get\(|\[)\s*["']next["']""")

# As they would stand in the query string (percent-encoded where a browser would encode).
HOSTILE = [
    "/%09/evil.example/",  # Werkzeug drops the tab: //evil.example/
    "/%0a",
    "/%0d%0aSet-Cookie:%20x=1",
    "%0d%0a/",
    "/%0aevil",
    "/%00",
    "%09//evil.example",
    "%20//evil.example",
    "/%20/evil.example",
    "//evil.example",
    "///evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%5C/evil.example",
    "/a%5C..%5C..%5Cevil",
    "https://evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hello",
    "%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "evil.example",
    "",
    "%E2%80%AE/evil.example",
    "/%E2%80%AEevil",  # right-to-left override
    "/%E2%80%8B/evil.example",  # zero-width space
    "/%E3%80%80/evil.example",  # ideographic space
    "%EF%BC%8F%EF%BC%8Fevil.example",  # fullwidth solidus twice
    "/%EF%BC%8Fevil.example",  # fullwidth solidus after ours
    "/%C2%A0/evil.example",  # no-break space
    "/%7F/evil.example",  # DEL
    "/x/..//evil.example",  # a browser resolves the dots: //evil.example
    "/.%2e/%2e%2e//evil.example",
    "/a//evil.example",
    "/./",
    "/..",
]


def _stays_here(location: str) -> bool:
    """Whether a browser following `location` stays on this site (it drops tabs and line
    breaks and reads a backslash as a slash before it resolves the address)."""
    tidied = re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip()
    parts = urlsplit(tidied)
    if parts.scheme or parts.netloc:
        return parts.netloc == "localhost"
    return tidied.startswith("/") and tidied[1:2] != "/"


def _text_size(app, value: str) -> tuple[int, str | None]:
    response = app.test_client().get(f"/settings/text-size/large?next={value}")
    return response.status_code, response.headers.get("Location")


_staff_count = iter(range(10**6))


def _sign_in(app, value: str) -> tuple[int, str | None]:
    """Password, then code, from a sign-in address carrying `value`: where it ends."""
    user, secret = make_staff(app, email=f"next{next(_staff_count)}@example.org")
    client = app.test_client()
    first = client.post(
        f"/portal/sign-in?next={value}", data={"email": user.email, "password": PASSWORD}
    )
    if first.status_code != 302:
        return first.status_code, None
    second = client.post("/portal/sign-in/code", data={"code": code_now(secret)})
    return second.status_code, second.headers.get("Location")


# endpoint -> (how to try a value, where a refused value goes, a good value and its answer)
ROUTES = {
    "public.text_size": (_text_size, "/", "/ur/report?x=1"),
    "portal.sign_in": (_sign_in, "/portal/referrals", "/portal/referrals?status=new"),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from tests.conftest import make_app

    return make_app(tmp_path_factory.mktemp("next"), WTF_CSRF_ENABLED=False, **ROOMY)


def test_every_route_reading_next_is_in_the_table(app):
    readers = set()
    for rule in app.url_map.iter_rules():
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        if READS_NEXT.search(inspect.getsource(view)):
            readers.add(rule.endpoint)
    assert readers == set(ROUTES), "add every route that reads ?next= to ROUTES"
    # And nothing outside those views reads it (a helper they call would hide from the walk).
    in_views = sum(
        len(READS_NEXT.findall(inspect.getsource(inspect.unwrap(app.view_functions[e]))))
        for e in ROUTES
    )
    in_package = sum(len(READS_NEXT.findall(path.read_text())) for path in PACKAGE.rglob("*.py"))
    assert in_package == in_views


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_next_goes_home(app, endpoint, value):
    attempt, home, _good = ROUTES[endpoint]
    status, location = attempt(app, value)
    assert status == 302, (status, value)
    assert _stays_here(location), location
    assert urlsplit(location).path == home, location


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_a_path_on_this_site_is_kept(app, endpoint):
    attempt, _home, good = ROUTES[endpoint]
    assert attempt(app, good.replace("?", "%3F").replace("=", "%3D").replace("&", "%26")) == (
        302,
        good,
    )


def test_a_sign_in_link_with_a_line_break_still_signs_in(app):
    """Item 12: the crafted link once ended a correct sign-in in a 500, the code used up."""
    user, secret = make_staff(app, email="crafted@example.org")
    client = app.test_client()
    client.post(
        "/portal/sign-in?next=/portal/referrals%0a",
        data={"email": user.email, "password": PASSWORD},
    )
    response = client.post("/portal/sign-in/code", data={"code": code_now(secret)})
    assert response.status_code == 302 and response.headers["Location"] == "/portal/referrals"
    assert client.get("/portal/referrals").status_code == 200  # signed in


@pytest.mark.parametrize(
    "value",
    [
        "/",
        "/ur/report",
        "/portal/referrals?page=2&status=new",
        "/support?characteristic=race",
    ],
)
def test_safe_next_keeps_paths_here(value):
    assert security.safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "/\t/evil.example/",
        "/\n",
        "/\r\n",
        "//x",
        "/\\x",
        "http://x",
        "javascript:x",
        "/\u202ex",
        "/\uff0fx",
    ],
)
def test_safe_next_refuses_the_rest_with_each_callers_default(value):
    assert security.safe_next(value) == "/"
    assert security.safe_next(value, default=None) is None
