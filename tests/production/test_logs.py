"""Structured logs: one JSON object a line, and nothing in them that could identify the
person using the site, even when something goes wrong."""

from __future__ import annotations

import json
import re

from sqlalchemy.exc import OperationalError

from againsthate.services import sending
from tests.referral.journey import complete_journey, reference_of, send

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.77"}
CANARY = {
    "what": {"what": "Canary-Q7X9 shouted at the bus stop"},
    "contact-details": {
        "name": "Canary Name",
        "methods": ["phone", "email"],
        "phone": "07700 900461",
        "email": "canary.q7x9@example.org",
    },
}
SECRETS = ["Canary", "Q7X9", "q7x9", "07700 900461", "203.0.113.77", "example.org"]


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_a_whole_referral_leaves_json_lines_with_nothing_personal(capfd, production_app):
    # capfd first: the app's log handler must write into this test's captured stderr.
    production_app.config["WTF_CSRF_ENABLED"] = False
    client = production_app.test_client()
    client.environ_base.update(
        {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.77"}
    )
    journey = complete_journey(client, CANARY, visit=True)
    sent = send(client, journey)
    assert sent.status_code == 303
    reference = reference_of(sent.headers["Location"])
    assert client.get(sent.headers["Location"]).status_code == 200

    output = capfd.readouterr().err
    lines = _lines(output)  # every line is JSON: json.loads fails the test otherwise
    requests = [line for line in lines if line["logger"] == "againsthate.request"]
    assert len(requests) >= 2 * len(journey.answers)  # each page shown and each answer posted
    assert {"route": "/refer/done/<reference>", "method": "GET", "status": 200}.items() <= {
        k: requests[-1][k] for k in ("route", "method", "status")
    }.items()
    assert all(isinstance(line["ms"], float) for line in requests)
    for secret in [*SECRETS, reference]:
        assert secret not in output, secret


def test_a_database_failure_is_logged_without_the_values(capfd, production_app, monkeypatch):
    production_app.config["WTF_CSRF_ENABLED"] = False
    client = production_app.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https"})
    journey = complete_journey(client, CANARY)

    def fail(*_args, **_kwargs):
        raise OperationalError(
            "INSERT INTO referral … Canary-Q7X9",
            {"what": "Canary-Q7X9"},
            Exception("server closed the connection: Canary-Q7X9"),
        )

    monkeypatch.setattr(sending, "submit", fail)
    assert send(client, journey).status_code == 503
    output = capfd.readouterr().err
    errors = [line for line in _lines(output) if line["level"] == "error"]
    assert errors and errors[0]["error"] == "sqlalchemy.exc.OperationalError"
    assert any("referral/views.py" in frame for frame in errors[0]["trace"])  # where it happened
    for secret in SECRETS:
        assert secret not in output, secret


# A value of the right shape for each kind of variable that can name a person's referral
# or unlock an account: none of them may reach a log line.
CANARY_VALUES = {"reference": "ZQ7X-9WKC", "token": "CanaryTokenQ7X9-secret_value"}
_VARIABLE = re.compile(r"<(?:(?P<converter>[a-z_]+)(?:\([^)]*\))?:)?(?P<name>[a-z_]+)>")


def _token_bearing_routes(app):
    """Every route with a reference or token in its path (found from the URL map, so a new
    one is covered without anyone listing it), as (rule, pattern as logged, path)."""
    found = []
    for rule in app.url_map.iter_rules():
        kinds = {m["converter"] or m["name"] for m in _VARIABLE.finditer(rule.rule)}
        if not kinds & set(CANARY_VALUES):
            continue
        path = _VARIABLE.sub(lambda m: CANARY_VALUES[m["converter"] or m["name"]], rule.rule)
        found.append((rule, _VARIABLE.sub(r"<\g<name>>", rule.rule), path))
    return found


def test_an_error_on_a_route_with_a_token_logs_its_pattern_not_its_path(
    capfd, production_app, monkeypatch
):
    production_app.config["WTF_CSRF_ENABLED"] = False
    client = production_app.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https"})
    routes = _token_bearing_routes(production_app)
    assert {"portal.referral", "portal.invitation", "portal.password_reset", "referral.done"} <= {
        rule.endpoint for rule, _pattern, _path in routes
    }

    def fail(**_values):
        raise RuntimeError("forced for the test")

    fail.open_to_all = True  # past the portal's sign-in check, straight to the view
    for rule, pattern, path in routes:
        monkeypatch.setitem(production_app.view_functions, rule.endpoint, fail)
        method = "GET" if "GET" in rule.methods else "POST"
        capfd.readouterr()
        assert client.open(path, method=method).status_code == 500, path
        output = capfd.readouterr().err
        errors = [line for line in _lines(output) if line["level"] == "error"]
        assert errors, (path, output)
        assert f"Exception on {pattern} [{method}]" in errors[0]["message"], errors[0]["message"]
        assert errors[0]["error"] == "builtins.RuntimeError"
        for value in CANARY_VALUES.values():
            assert value not in output, (path, output)
