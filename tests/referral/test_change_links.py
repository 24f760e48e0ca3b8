"""Change links on the check page: change one answer and come straight back."""

from __future__ import annotations

import re

from againsthate.answers.steps import FOLDED
from tests.referral.journey import (
    EVERY_BRANCH,
    checked_values,
    complete_journey,
    field_value,
    slug_of,
)


def _change_links(journey) -> dict[str, str]:
    return {
        slug: href
        for href, slug in re.findall(
            r'<a class="change" href="(/refer/([a-z-]+)\?change=\2)"', journey.text
        )
    }


def test_every_answer_on_the_check_page_has_a_change_link(client):
    journey = complete_journey(client, EVERY_BRANCH)
    links = _change_links(journey)
    # A follow-up's answer is in its question's row, changed through that row's link.
    assert set(links) == set(journey.answers) - FOLDED


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
    response = client.post(
        _change_links(journey)["help"], data={"help": ["information"], "contact": "yes"}
    )
    assert slug_of(response.headers["Location"]) == "check"


def test_changing_where_from_place_to_online_asks_the_new_question_then_returns(client):
    journey = complete_journey(client)  # when: a date; where: place, postcode DE22 1AB
    assert "DE22 1AB" in journey.text
    response = client.post(
        _change_links(journey)["when-where"], data={"when": "date", "where": "online"}
    )
    assert response.status_code == 302
    # The row's follow-ups are walked, kept as they were: the date, then the new question.
    assert response.headers["Location"] == "/refer/when-date?change=when-where"
    date = journey.answers["when-date"]
    assert field_value(client.get(response.headers["Location"]), "when_day") == date["when_day"]
    response = client.post(response.headers["Location"], data=date)
    assert response.headers["Location"] == "/refer/where-online?change=when-where"
    follow_up = client.get(response.headers["Location"])
    assert follow_up.status_code == 200
    assert 'href="/refer/check"' in follow_up.get_data(as_text=True)  # Back: to check
    response = client.post(
        "/refer/where-online?change=when-where", data={"where_platform": "A gaming chat"}
    )
    assert slug_of(response.headers["Location"]) == "check"
    check = client.get("/refer/check").get_data(as_text=True)
    assert "A gaming chat" in check
    assert "DE22 1AB" not in check and "The bus stop on the high street" not in check


def test_an_answer_from_a_closed_branch_is_forgotten(client):
    journey = complete_journey(client)
    client.post(_change_links(journey)["when-where"], data={"when": "date", "where": "online"})
    client.post("/refer/where-online?change=when-where", data={"where_platform": "A gaming chat"})
    # Going back to "place" later does not bring the old postcode back.
    client.post("/refer/when-where?change=when-where", data={"when": "date", "where": "place"})
    page = client.get("/refer/where-place?change=when-where")
    assert field_value(page, "where_postcode") == ""


def test_changing_where_to_not_sure_asks_nothing_more(client):
    journey = complete_journey(client, {"when-where": {"when": "not_sure"}})
    response = client.post(
        _change_links(journey)["when-where"], data={"when": "not_sure", "where": "not_sure"}
    )
    assert slug_of(response.headers["Location"]) == "check"
    assert "DE22 1AB" not in client.get("/refer/check").get_data(as_text=True)


def test_changing_contact_to_yes_asks_for_details_safety_and_needs_then_returns(client):
    journey = complete_journey(client, {"contact": {"contact": "none"}})
    response = client.post(
        _change_links(journey)["help"], data={"help": ["emotional_support"], "contact": "yes"}
    )
    assert response.headers["Location"] == "/refer/contact-details?change=help"
    response = client.post(
        response.headers["Location"], data={"methods": ["phone"], "phone": "07700 900982"}
    )
    assert response.headers["Location"] == "/refer/contact-safety?change=help"
    response = client.post(
        response.headers["Location"], data={"phone_message": "yes", "phone_say_who": "no"}
    )
    assert (
        response.headers["Location"] == "/refer/needs?change=help"
    )  # asked only when someone will contact
    response = client.post(response.headers["Location"], data={"language": "Polish"})
    assert slug_of(response.headers["Location"]) == "check"
    assert "07700 900982" in client.get("/refer/check").get_data(as_text=True)


def test_ticking_something_else_asks_what_else_then_returns(client):
    journey = complete_journey(client)
    response = client.post(_change_links(journey)["about"], data={"about": ["race", "other"]})
    assert response.headers["Location"] == "/refer/about-other?change=about"
    response = client.post(response.headers["Location"], data={"about_other": "My accent"})
    assert slug_of(response.headers["Location"]) == "check"


def test_changing_about_keeps_religion_only_while_religion_is_ticked(client):
    journey = complete_journey(
        client, {"about": {"about": ["religion"]}, "religion": {"religion": "muslim"}}
    )
    assert "Tell MAMA" in journey.text
    client.post(_change_links(journey)["about"], data={"about": ["race"]})
    check = client.get("/refer/check").get_data(as_text=True)
    assert "Muslim" not in check and "Tell MAMA" not in check
    response = client.post("/refer/about?change=about", data={"about": ["race", "religion"]})
    assert response.headers["Location"] == "/refer/religion?change=about"
    assert checked_values(client.get(response.headers["Location"]), "religion") == []
