"""Clearing answers and the quick exit delete the draft on the server at once."""
from __future__ import annotations

from againsthate.db.models import Draft
from tests.referral.journey import complete_journey, count, field_value


def _two_people(app):
    mine, someone_else = app.test_client(), app.test_client()
    complete_journey(mine)
    someone_else.post("/refer/who", data={"who": "witness"})
    assert count(app, Draft) == 2
    return mine, someone_else


def test_clear_deletes_my_draft_and_only_mine(app):
    mine, someone_else = _two_people(app)
    response = mine.post("/refer/clear")
    assert response.status_code == 303
    assert response.headers["Location"] == "/refer?cleared=1"
    assert count(app, Draft) == 1
    start = mine.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answers have been deleted." in start
    assert "Continue where you left off" not in start
    assert field_value(mine.get("/refer/what"), "what") == ""
    assert someone_else.get("/refer/who").status_code == 200


def test_clear_with_nothing_to_clear_is_harmless(app, client):
    assert client.post("/refer/clear").status_code == 303
    assert count(app, Draft) == 0


def test_clear_cannot_be_triggered_by_a_link(app, client):
    client.post("/refer/who", data={"who": "self"})
    assert client.get("/refer/clear").status_code in (404, 405)
    assert count(app, Draft) == 1


def test_quick_exit_deletes_the_draft_and_leaves_for_a_neutral_page(app):
    mine, _someone_else = _two_people(app)
    response = mine.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert count(app, Draft) == 1
    assert '"cookies"' in response.headers["Clear-Site-Data"]
    assert mine.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    assert field_value(mine.get("/refer/what"), "what") == ""


def test_quick_exit_in_another_language_deletes_the_draft_too(app, client):
    complete_journey(client, prefix="/ur")
    assert client.get("/ur/exit").status_code == 303
    assert count(app, Draft) == 0


def test_the_start_page_offers_to_continue_or_clear_a_draft(client):
    client.post("/refer/who", data={"who": "self"})
    start = client.get("/refer").get_data(as_text=True)
    assert 'href="/refer/what"' in start and "Continue where you left off" in start
    assert 'action="/refer/clear"' in start
