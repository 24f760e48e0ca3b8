"""Where a person is ("Part 2 of 4"), words written for whoever fills the form in, the
check page in parts, and a done page that says what happens next for each."""

from __future__ import annotations

import re

import pytest

from tests.referral.journey import (
    DEFAULTS,
    EVERY_BRANCH,
    SHORT,
    complete_journey,
    merge,
    reference_of,
    send,
)

PART = re.compile(r'<p class="caption">Part (\d) of (\d): ([^<]+)</p>')


def _part(response) -> tuple[int, int, str]:
    found = PART.findall(response.get_data(as_text=True))
    assert len(found) == 1, found
    number, total, title = found[0]
    return int(number), int(total), title


def test_every_question_page_says_which_part_it_is_in(client):
    journey = complete_journey(client, EVERY_BRANCH, visit=True)
    from againsthate.answers.steps import BY_SLUG, SECTIONS

    order = list(SECTIONS)
    for slug, page in journey.pages.items():
        number, total, title = _part(page)
        section = BY_SLUG[slug].section
        assert title == str(SECTIONS[section]), slug
        assert (number, total) == (order.index(section) + 1, 4), slug


def test_the_parts_stay_true_when_staying_anonymous_takes_one_away(client):
    journey = complete_journey(client, SHORT, visit=True)
    assert _part(journey.pages["police"]) == (2, 4, "Help and support")  # contact still open
    assert _part(journey.pages["consent"]) == (3, 3, "Sharing the answers")
    # Changing to "someone may contact me" brings the contact part back.
    response = client.post("/refer/help?change=help", data={"help": ["not_sure"], "contact": "yes"})
    assert _part(client.get(response.headers["Location"])) == (3, 4, "Contact")


def _texts(journey) -> str:
    return "\n".join(page.get_data(as_text=True) for page in journey.pages.values())


@pytest.mark.parametrize("who", ["helper", "witness", "professional"])
def test_someone_filling_it_in_for_another_person_reads_words_for_them(client, who):
    journey = complete_journey(client, {"who": {"who": who}}, visit=True)
    pages = _texts(journey)
    for words in (
        "What would help the person it happened to?",
        "Has anyone told the police?",
        "Would you like someone to get in touch?",
        "these answers can be shared with the organisation that will support the person it happened to",
        "Give the details of whoever we should contact",
    ):
        assert words in pages, words
    for words in ("What would help you?", "Have you told the police?", "support me"):
        assert words not in pages, words
    assert "What would help the person it happened to?" in journey.text
    assert "Who will give support" in journey.text and "Who will support you" not in journey.text


def test_the_person_it_happened_to_reads_words_for_themselves(client):
    journey = complete_journey(client, visit=True)
    pages = _texts(journey)
    assert "What would help you?" in pages and "Have you told the police?" in pages
    assert "the person it happened to?" not in pages
    assert "Who will support you" in journey.text


def test_the_check_page_is_in_parts_with_only_the_questions_asked(client):
    journey = complete_journey(
        client,
        merge(
            DEFAULTS,
            {"contact-details": {"methods": ["phone"], "email": ""}, "consent": {"heard": "bus"}},
        ),
    )
    body = journey.text
    headings = re.findall(r'<h2 class="heading-m summary-heading">([^<]+)</h2>', body)
    assert headings[:4] == ["What happened", "Help and support", "Contact", "Sharing the answers"]
    assert "Confirmation email" not in body  # no email address given, so it was not asked
    assert "Where:" not in body  # "somewhere else" was not chosen
    assert "Email me a confirmation" not in body
    # A follow-up is shown in its question's row: the date, and the postcode with the place.
    assert re.search(
        r"<dt>When did it happen\?</dt>\s*<dd class=\"summary-answer\">\s*"
        r"<span class=\"answer-text\">\d+ \w+ \d{4}</span>",
        body,
    )
    assert 'Postcode:</span> <span class="answer-text">DE22 1AB' in body


def test_the_change_link_of_a_row_with_a_follow_up_walks_it_again(client):
    journey = complete_journey(client, EVERY_BRANCH)
    response = client.post("/refer/police?change=police", data={"police": "yes"})
    assert response.headers["Location"] == "/refer/police-reference?change=police"
    response = client.post(response.headers["Location"], data={"crime_reference": "CR-999"})
    assert response.headers["Location"] == "/refer/check"
    assert "CR-999" in client.get("/refer/check").get_data(as_text=True)
    assert journey.answers["police-reference"]["crime_reference"] != "CR-999"


def _done(client, overrides) -> str:
    journey = complete_journey(client, overrides)
    sent = send(client, journey)
    page = client.get(f"/refer/done/{reference_of(sent.headers['Location'])}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_done_says_the_police_will_be_told_and_given_the_contact_details(roomy_app):
    body = _done(roomy_app.test_client(), {"police": {"police": "pass_on"}})
    assert "the organisation will tell the police what happened" in body
    assert "They will also give the police the contact details you shared" in body
    assert "We have sent your answers to" in body


def test_done_for_an_anonymous_pass_on_says_the_police_cannot_get_in_touch(roomy_app):
    body = _done(roomy_app.test_client(), merge(SHORT, {"police": {"police": "pass_on"}}))
    assert "the organisation will tell the police what happened" in body
    assert "the police will not be able to get in touch" in body
    assert "They will also give the police" not in body


def test_done_when_the_police_were_not_told_says_it_can_still_be_reported(roomy_app):
    body = _done(roomy_app.test_client(), {"police": {"police": "no"}})
    assert (
        "We have not told the police. It can still be reported to the police at any time." in body
    )
    assert 'href="/report"' in body


def test_done_for_an_anonymous_witness_speaks_of_the_person_it_happened_to(roomy_app):
    body = _done(roomy_app.test_client(), merge(SHORT, {"who": {"who": "witness"}}))
    assert "If the person it happened to would like support" in body
    assert "no one will get in touch" in body
    assert "If you would like support, you can contact" not in body


def test_done_for_a_helper_who_wants_contact(roomy_app):
    body = _done(roomy_app.test_client(), {"who": {"who": "helper"}})
    assert (
        "Someone from the organisation will get in touch in the ways you told us are safe." in body
    )


def test_the_home_page_says_call_999_once(client):
    body = client.get("/").get_data(as_text=True)
    assert body.count("In danger now? Call 999.") == 1
    assert "If you are in danger now, call 999." not in body


def test_a_helper_asking_for_it_to_go_to_the_police_reads_words_for_them(client):
    journey = complete_journey(
        client, {"who": {"who": "helper"}, "police": {"police": "pass_on"}}, visit=True
    )
    police, consent = (
        journey.pages[s].get_data(as_text=True) for s in ("police", "police-consent")
    )
    assert "No, but I would like you to pass it on to the police<" in police
    assert "for me" not in police
    assert (
        "give them the contact details given here, if any" in consent
        and "my contact details" not in consent
    )


def test_done_for_a_helper_says_when_they_aim_to_get_in_touch(roomy_app):
    body = _done(roomy_app.test_client(), {"who": {"who": "helper"}})
    assert (
        "They aim to get in touch within" in body and "They aim to contact you within" not in body
    )


def test_phone_and_email_bring_up_the_right_keyboard(client):
    complete_journey(client)
    page = client.get("/refer/contact-details").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="phone"[^>]*inputmode="tel"', page)
    assert re.search(r'<input[^>]*id="email"[^>]*inputmode="email"', page)


def test_an_unticked_box_is_not_shown_as_an_answer(client):
    journey = complete_journey(client)  # BSL not ticked, no confirmation email asked for
    assert "British Sign Language:" not in journey.text
    assert "Confirmation email:" not in journey.text
