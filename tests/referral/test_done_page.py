"""The done page: details only for the browser that sent it, and only for a while."""

from __future__ import annotations

import datetime as dt

import pytest

from againsthate import clock
from tests.referral.journey import SHORT, complete_journey, sent_reference, visible_text

ORGANISATION = "Disability Direct"  # where {"about": ["disability"]} is routed


@pytest.fixture
def sent(client):
    reference = sent_reference(
        client, complete_journey(client, {"about": {"about": ["disability"]}})
    )
    return reference, f"/refer/done/{reference}"


def test_the_sender_sees_the_reference_and_the_organisation(client, sent):
    reference, url = sent
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert reference in visible_text(response)
    assert f"We have sent your answers to {ORGANISATION}." in body
    assert "999" in body


def _assert_neutral(response, reference: str) -> None:
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    text = visible_text(response)
    assert "Thank you" in text and "no longer shown" in text
    # The address itself holds the reference (so do the language links); the page must not show it.
    assert reference not in text
    assert ORGANISATION not in body
    assert "Your answers have been sent" not in body


def test_another_browser_opening_the_address_sees_the_neutral_page(app, sent):
    reference, url = sent
    _assert_neutral(app.test_client().get(url), reference)


def test_the_sender_sees_the_neutral_page_after_30_minutes(client, sent):
    reference, url = sent
    with client.session_transaction() as session:
        session["sent_referral"] = {
            **session["sent_referral"],
            "at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)).isoformat(),
        }
    _assert_neutral(client.get(url), reference)


def test_the_sender_still_sees_the_details_after_29_minutes(client, sent):
    reference, url = sent
    with client.session_transaction() as session:
        session["sent_referral"] = {
            **session["sent_referral"],
            "at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=29)).isoformat(),
        }
    assert reference in client.get(url).get_data(as_text=True)


def test_when_the_clock_moves_on_30_minutes_the_page_turns_neutral(client, sent, monkeypatch):
    reference, url = sent
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    _assert_neutral(client.get(url), reference)


def test_the_sender_opening_another_reference_sees_the_neutral_page(app, client, sent):
    other = app.test_client()
    other_reference = sent_reference(other, complete_journey(other, SHORT))
    _assert_neutral(client.get(f"/refer/done/{other_reference}"), other_reference)


def test_a_made_up_reference_gets_the_neutral_page(client):
    _assert_neutral(client.get("/refer/done/BCDF-GHJK"), "BCDF-GHJK")


def test_the_anonymous_path_says_no_one_will_contact_them(client):
    reference = sent_reference(client, complete_journey(client, {"contact": {"contact": "none"}}))
    body = client.get(f"/refer/done/{reference}").get_data(as_text=True)
    assert reference in body
    assert "You chose to stay anonymous, so no one will contact you." in body
    assert "will contact you in the ways you told us are safe" not in body


def test_the_contact_path_says_they_will_be_contacted(client, sent):
    body = client.get(sent[1]).get_data(as_text=True)
    assert (
        "Someone from the organisation will contact you in the ways you told us are safe." in body
    )
    assert "no one will contact you" not in body
    assert "within 2 working days" in body
