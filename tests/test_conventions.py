"""The house style's conventions over every route, walked from `app.url_map`
(HOUSE-STYLE.md, habit 13). Typed URL variables have their own test (test_url_variables.py);
every portal route's protection is the access table (tests/portal/test_access.py)."""

from __future__ import annotations

import re

import pytest
from limits import parse

from againsthate.extensions import limiter

# Flask's own static files: their paths are the files' names, not ours to choose.
NOT_OURS = {"static"}
# Staff pages are behind sign-in, except those marked open to all (signing in, invitations,
# password resets): those, and every POST outside these blueprints, anyone can send.
STAFF_BLUEPRINTS = {"portal", "admin"}
VARIABLE = re.compile(r"<[^>]*>")
KEBAB = re.compile(r"[a-z0-9.-]*")  # lower-case words joined by hyphens (and a file's dot)
# Endpoint names: blueprint.thing or blueprint.thing_what_is_done, the thing first, as a
# page's address reads (/portal/account/password -> portal.password_change). A name that
# is one verb acts on the blueprint's own thing (referral.send: send the referral).
ENDPOINT = re.compile(r"[a-z]+\.[a-z]+(_[a-z0-9]+)*")
VERBS = {
    "add",
    "approve",
    "change",
    "clear",
    "confirm",
    "create",
    "decline",
    "delete",
    "edit",
    "erase",
    "export",
    "forgot",
    "invite",
    "new",
    "pass",
    "remove",
    "reset",
    "send",
    "show",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from tests.conftest import make_app

    return make_app(tmp_path_factory.mktemp("conventions"))


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_OURS]


def _is_public(app, rule) -> bool:
    view = app.view_functions[rule.endpoint]
    return rule.endpoint.partition(".")[0] not in STAFF_BLUEPRINTS or getattr(
        view, "open_to_all", False
    )


def _public_posts(app):
    return [
        rule for rule in _rules(app) if "POST" in (rule.methods or ()) and _is_public(app, rule)
    ]


def test_urls_are_kebab_case(app):
    wrong = []
    for rule in _rules(app):
        for part in VARIABLE.sub("", rule.rule).split("/"):
            if not KEBAB.fullmatch(part):
                wrong.append(rule.rule)
    assert not wrong, "URLs are lower-case words joined by hyphens: " + ", ".join(wrong)


def test_there_are_public_posts_to_check(app):
    # The limit test below would pass on nothing at all if the filter went wrong.
    endpoints = {rule.endpoint for rule in _public_posts(app)}
    assert {"public.settings", "referral.question", "referral.send", "portal.sign_in"} <= endpoints
    assert "portal.referral_note" not in endpoints  # signed-in staff only


def _active_limits(app, rule):
    """The limits Flask-Limiter would count a POST to `rule` against, as it resolves them
    for a request: the site-wide default unless the view is exempt or overrides it, plus
    the view's own."""
    blueprint = rule.endpoint.rpartition(".")[0] or None
    with app.test_request_context(method="POST"):
        defaults, decorated = limiter.limit_manager.resolve_limits(app, rule.endpoint, blueprint)
        return [limit for limit in [*defaults, *decorated] if not limit.method_exempt]


def test_every_public_post_is_rate_limited(app):
    assert app.config["RATELIMIT_ENABLED"] is not False
    unlimited = [rule.rule for rule in _public_posts(app) if not _active_limits(app, rule)]
    assert not unlimited, "every public POST needs a rate limit: " + ", ".join(unlimited)


def test_the_site_wide_default_is_the_public_rate_limit(app):
    # Most public POSTs are limited by the default alone: it must be PUBLIC_RATE_LIMIT.
    with app.test_request_context(method="POST"):
        defaults = [limit.limit for limit in limiter.limit_manager.default_limits]
    assert defaults == [parse(app.config["PUBLIC_RATE_LIMIT"])]


def _misnamed(endpoints) -> list[str]:
    wrong = []
    for endpoint in endpoints:
        if not ENDPOINT.fullmatch(endpoint):
            wrong.append(f"{endpoint}: not blueprint.snake_case")
            continue
        words = endpoint.partition(".")[2].split("_")
        if len(words) > 1 and words[0] in VERBS:
            wrong.append(f"{endpoint}: the thing first, then what is done to it")
    return wrong


def test_endpoint_names_put_the_thing_first(app):
    endpoints = sorted({rule.endpoint for rule in _rules(app)})
    assert len(endpoints) > 50
    assert _misnamed(endpoints) == []


def test_the_endpoint_name_check_can_fail():
    assert _misnamed(["admin.remove_staff", "portal.Account", "referral.send", "a.news_edit"]) == [
        "admin.remove_staff: the thing first, then what is done to it",
        "portal.Account: not blueprint.snake_case",
    ]
