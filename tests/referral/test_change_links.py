"""Change links on the check page: change one answer and come straight back."""
from __future__ import annotations

import re

from tests.referral.journey import (
    EVERY_BRANCH,
    checked_values,
    complete_journey,
    field_value,
    slug_of,
)


def _change_links(journey) -> dict[str, str]:
    return {slug: href for href, slug in
            re.findall(r'<a class="change" href="(/refer/([a-z-]+)\?change=1)"', journey.text)}


def test_every_answer_on_the_check_page_has_a_change_link(client):
    journey = complete_journey(client, EVERY_BRANCH)
    links = _change_links(journey)
    assert set(links) == set(journey.answers)


def test_a_change_page_goes_back_to_the_check_page(client):
    journey = complete_journey(client)
    page = client.get(_change_links(journey)["what"])
    assert page.status_code == 200
    assert re.search(r'<a class="back-link" href="/refer/check">', page.get_data(as_text=True))
    assert field_value(page, "what") == journey.answers["what"]["what"]


def test_changing_an_answer_returns_to_the_check_page(client):
    journey = complete_journey(client)
    response = client.post(_change_links(journey)["what"], data={"what": "A new account of it"})
    assert response.status_code == 302
    assert slug_of(response.headers["Location"]) == "check"
    check = client.get("/refer/check").get_data(as_text=True)
    assert "A new account of it" in check and journey.answers["what"]["what"] not in check


def test_changing_a_later_answer_returns_to_the_check_page_not_the_next_question(client):
    journey = complete_journey(client)
    response = client.post(_change_links(journey)["help"], data={"help": ["information"]})
    assert slug_of(response.headers["Location"]) == "check"


def test_changing_where_from_place_to_online_asks_the_new_question_then_returns(client):
    journey = complete_journey(client)  # where: place, postcode DE22 1AB
    assert "DE22 1AB" in journey.text
    response = client.post(_change_links(journey)["where"], data={"where": "online"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/refer/where-online?change=1"
    follow_up = client.get(response.headers["Location"])
    assert follow_up.status_code == 200
    assert 'href="/refer/check"' in follow_up.get_data(as_text=True)  # Back: to check
    response = client.post("/refer/where-online?change=1", data={"where_platform": "A gaming chat"})
    assert slug_of(response.headers["Location"]) == "check"
    check = client.get("/refer/check").get_data(as_text=True)
    assert "A gaming chat" in check
    assert "DE22 1AB" not in check and "The bus stop on the high street" not in check


def test_an_answer_from_a_closed_branch_is_forgotten(client):
    journey = complete_journey(client)
    client.post(_change_links(journey)["where"], data={"where": "online"})
    client.post("/refer/where-online?change=1", data={"where_platform": "A gaming chat"})
    # Going back to "place" later does not bring the old postcode back.
    client.post("/refer/where?change=1", data={"where": "place"})
    page = client.get("/refer/where-place?change=1")
    assert field_value(page, "where_postcode") == ""


def test_changing_where_to_not_sure_asks_nothing_more(client):
    journey = complete_journey(client)
    response = client.post(_change_links(journey)["where"], data={"where": "not_sure"})
    assert slug_of(response.headers["Location"]) == "check"
    assert "DE22 1AB" not in client.get("/refer/check").get_data(as_text=True)


def test_changing_contact_to_yes_asks_for_details_and_safety_then_returns(client):
    journey = complete_journey(client, {"contact": {"contact": "none"}})
    response = client.post(_change_links(journey)["contact"], data={"contact": "yes"})
    assert response.headers["Location"] == "/refer/contact-details?change=1"
    response = client.post(response.headers["Location"], data={
        "methods": ["phone"], "phone": "07700 900982"})
    assert response.headers["Location"] == "/refer/contact-safety?change=1"
    response = client.post(response.headers["Location"], data={"phone_message": "yes", "phone_say_who": "no"})
    assert slug_of(response.headers["Location"]) == "check"
    assert "07700 900982" in client.get("/refer/check").get_data(as_text=True)


def test_ticking_something_else_asks_what_else_then_returns(client):
    journey = complete_journey(client)
    response = client.post(_change_links(journey)["about"], data={"about": ["race", "other"]})
    assert response.headers["Location"] == "/refer/about-other?change=1"
    response = client.post(response.headers["Location"], data={"about_other": "My accent"})
    assert slug_of(response.headers["Location"]) == "check"


def test_changing_about_keeps_religion_only_while_religion_is_ticked(client):
    journey = complete_journey(client, {"about": {"about": ["religion"]}, "religion": {"religion": "muslim"}})
    assert "Tell MAMA" in journey.text
    client.post(_change_links(journey)["about"], data={"about": ["race"]})
    check = client.get("/refer/check").get_data(as_text=True)
    assert "Muslim" not in check and "Tell MAMA" not in check
    response = client.post("/refer/about?change=1", data={"about": ["race", "religion"]})
    assert response.headers["Location"] == "/refer/religion?change=1"
    assert checked_values(client.get(response.headers["Location"]), "religion") == []
