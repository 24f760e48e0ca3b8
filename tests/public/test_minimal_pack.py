"""A pack with only what is required (no routing rules, places, news, events, nor any
optional key) passes the check, and then no page answers 500 (issue 14: a pack that
passes the check must never break a page)."""

from __future__ import annotations

import pytest

from againsthate.services.areapack import load
from tests.pages import public_paths
from tests.portal.conftest import make_staff, session_client
from tests.referral.journey import EVERY_BRANCH, SHORT, complete_journey, send

MINIMAL = """\
[area]
name = "Plainshire"
slug = "plainshire"
language = "en"
partnership = "the Plainshire partnership"
contact_email = "website@example.org"
brand_colour = "#4b2a7b"
quick_exit_url = "https://www.example.org/weather"
fallback_organisation = "helpers"
postcode_districts = ["WS1"]

[police]
name = "Plainshire Police"
non_emergency = "101"
text_relay = "18000"
online_report_url = "https://www.example.org/report"

[national.true_vision]
name = "True Vision"
website = "https://www.example.org/true-vision"

[national.stop_hate]
name = "Stop Hate UK"
website = "https://www.example.org/stop-hate"

[[organisations]]
slug = "helpers"
name = "Helpers"
characteristics = ["race", "religion", "sexual_orientation", "disability", "transgender"]
services = ["emotional_support"]
description = "We help."
"""


@pytest.fixture
def minimal_app(pack_file, pack_app):
    pack = load(pack_file(MINIMAL))
    assert not (pack.routing or pack.places or pack.news or pack.events)
    return pack_app(MINIMAL)


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_every_page_of_a_minimal_pack_answers(minimal_app, prefix):
    client = minimal_app.test_client()
    broken = []
    for path in public_paths(minimal_app):
        response = client.get(f"{prefix}{path}")
        if response.status_code >= 500:
            broken.append(f"{prefix}{path}: {response.status_code}")
    for overrides in (SHORT, EVERY_BRANCH):
        journey_client = minimal_app.test_client()
        journey = complete_journey(journey_client, overrides, prefix=prefix, visit=True)
        assert "Helpers" in journey.text
        sent = send(journey_client, journey)
        assert sent.status_code == 303, sent.status_code
        assert journey_client.get(sent.headers["Location"]).status_code == 200
    admin = session_client(minimal_app, make_staff(minimal_app, "admin", None)[0])
    for path in ("/portal/admin/", "/portal/admin/routing", "/portal/admin/organisations"):
        response = admin.get(path)
        if response.status_code != 200:
            broken.append(f"{path}: {response.status_code}")
    assert not broken, broken
