"""Sending is rate limited per address, with a kind page that still gives phone numbers."""

from __future__ import annotations

from againsthate.db.models import Draft, Referral
from tests.referral.journey import SHORT, complete_journey, count, send


def test_the_third_send_from_one_address_gets_the_kind_429_page(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="2 per hour")
    statuses = []
    for _ in range(3):
        client = app.test_client()
        response = send(client, complete_journey(client, SHORT))
        statuses.append(response.status_code)
    assert statuses == [303, 303, 429]
    body = response.get_data(as_text=True)
    assert "Please wait a little while" in body
    assert "Nothing you have done is wrong." in body
    for number in ("999", "101", "0800 138 1625"):
        assert number in body, number
    assert response.headers["Cache-Control"] == "no-store"
    assert count(app, Referral) == 2
    assert count(app, Draft) == 1  # the third person's answers are still there
    assert client.get("/refer/check").status_code == 200


def test_the_limit_counts_sends_not_page_views(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="2 per hour")
    client = app.test_client()
    journey = complete_journey(client, SHORT)
    for _ in range(5):
        assert client.get("/refer/check").status_code == 200
    assert send(client, journey).status_code == 303


def test_another_address_is_not_held_up(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="1 per hour")
    first = app.test_client()
    assert send(first, complete_journey(first, SHORT)).status_code == 303
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert send(elsewhere, complete_journey(elsewhere, SHORT)).status_code == 303
