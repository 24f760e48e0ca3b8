"""Structured logs: one JSON object a line, and nothing in them that could identify the
person using the site, even when something goes wrong."""
from __future__ import annotations

import json

from sqlalchemy.exc import OperationalError

from againsthate.services import referrals
from tests.referral.journey import complete_journey, reference_of, send

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.77"}
CANARY = {
    "what": {"what": "Canary-Q7X9 shouted at the bus stop"},
    "contact-details": {"name": "Canary Name", "methods": ["phone", "email"],
                        "phone": "07700 900461", "email": "canary.q7x9@example.org"},
}
SECRETS = ["Canary", "Q7X9", "q7x9", "07700 900461", "203.0.113.77", "example.org"]


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_a_whole_referral_leaves_json_lines_with_nothing_personal(capfd, production_app):
    # capfd first: the app's log handler must write into this test's captured stderr.
    production_app.config["WTF_CSRF_ENABLED"] = False
    client = production_app.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https",
                                "HTTP_X_FORWARDED_FOR": "203.0.113.77"})
    journey = complete_journey(client, CANARY, visit=True)
    sent = send(client, journey)
    assert sent.status_code == 303
    reference = reference_of(sent.headers["Location"])
    assert client.get(sent.headers["Location"]).status_code == 200

    output = capfd.readouterr().err
    lines = _lines(output)  # every line is JSON: json.loads fails the test otherwise
    requests = [line for line in lines if line["logger"] == "againsthate.request"]
    assert len(requests) >= 2 * len(journey.answers)  # each page shown and each answer posted
    assert {"route": "/refer/done/<reference>", "method": "GET", "status": 200} .items() <= {
        k: requests[-1][k] for k in ("route", "method", "status")}.items()
    assert all(isinstance(line["ms"], float) for line in requests)
    for secret in [*SECRETS, reference]:
        assert secret not in output, secret


def test_a_database_failure_is_logged_without_the_values(capfd, production_app, monkeypatch):
    production_app.config["WTF_CSRF_ENABLED"] = False
    client = production_app.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https"})
    journey = complete_journey(client, CANARY)

    def fail(*_args, **_kwargs):
        raise OperationalError("INSERT INTO referral … Canary-Q7X9", {"what": "Canary-Q7X9"},
                               Exception("server closed the connection: Canary-Q7X9"))

    monkeypatch.setattr(referrals, "submit", fail)
    assert send(client, journey).status_code == 503
    output = capfd.readouterr().err
    errors = [line for line in _lines(output) if line["level"] == "error"]
    assert errors and errors[0]["error"] == "sqlalchemy.exc.OperationalError"
    assert any("referral/views.py" in frame for frame in errors[0]["trace"])  # where it happened
    for secret in SECRETS:
        assert secret not in output, secret
