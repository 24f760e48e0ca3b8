"""Clearing answers and the quick exit delete the draft on the server at once."""

from __future__ import annotations

from againsthate.db.models import Draft
from tests.referral.journey import complete_journey, count


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
    assert mine.get("/refer/what").headers["Location"] == "/refer"  # no form to refill
    assert someone_else.get("/refer/who").status_code == 200


def test_clear_with_nothing_to_clear_is_harmless(app, client):
    assert client.post("/refer/clear").status_code == 303
    assert count(app, Draft) == 0


def test_clear_asks_first_and_a_link_deletes_nothing(app, client):
    client.post("/refer/who", data={"who": "self"})
    page = client.get("/refer/clear?from=who")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Are you sure you want to clear your answers?" in body
    assert "This deletes every answer you have given so far" in body
    assert 'action="/refer/clear"' in body and 'method="post"' in body
    assert 'href="/refer/who">No, go back to my answers' in body
    assert page.headers["Cache-Control"] == "no-store"
    assert count(app, Draft) == 1


def test_clear_with_no_answers_goes_to_the_start(client):
    assert client.get("/refer/clear").headers["Location"] == "/refer"


def test_quick_exit_deletes_the_draft_and_leaves_for_a_neutral_page(app):
    mine, _someone_else = _two_people(app)
    response = mine.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert count(app, Draft) == 1
    assert '"cookies"' in response.headers["Clear-Site-Data"]
    assert '"cache"' in response.headers["Clear-Site-Data"]  # evicts the back/forward cache too
    assert mine.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    assert mine.get("/refer/what").headers["Location"] == "/refer"  # no form to refill


def test_quick_exit_in_another_language_deletes_the_draft_too(app, client):
    complete_journey(client, prefix="/ur")
    assert client.get("/ur/exit").status_code == 303
    assert count(app, Draft) == 0


def test_the_start_page_offers_to_continue_or_clear_a_draft(client):
    client.post("/refer/who", data={"who": "self"})
    start = client.get("/refer").get_data(as_text=True)
    assert 'href="/refer/what"' in start and "Continue where you left off" in start
    assert 'href="/refer/clear"' in start
