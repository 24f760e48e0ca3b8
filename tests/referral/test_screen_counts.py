"""How many screens a person goes through, from the start page to the done page inclusive.

Budgets: the shortest way (anonymous, every optional question skipped) at most 10; with
contact details at most 13; the same for a helper, a witness and a professional. Each
count is walked through the app's own redirects, so a new page shows up here."""

from __future__ import annotations

import pytest

from tests.referral.journey import SHORT, complete_journey, merge, send

# Contact wanted, every optional question skipped, no follow-up branch opened.
WITH_CONTACT = merge(
    SHORT,
    {
        "help": {"contact": "yes"},
        "contact-details": {"name": "", "methods": ["phone"], "phone": "07700 900982", "email": ""},
        "contact-safety": {"phone_message": "no", "phone_say_who": "no", "phone_times": ""},
        "consent": {"heard": ""},
    },
)
ROLES = ["self", "helper", "witness", "professional"]


def _screens(client, overrides) -> int:
    start = client.get("/refer")
    assert start.status_code == 200
    journey = complete_journey(client, overrides)
    done = send(client, journey)
    assert done.status_code == 303 and "/refer/done/" in done.headers["Location"]
    assert client.get(done.headers["Location"]).status_code == 200
    return 1 + len(journey.answers) + 1 + 1  # start, the questions, check, done


@pytest.mark.parametrize("who", ROLES)
def test_the_shortest_way_is_at_most_10_screens(roomy_app, who):
    assert _screens(roomy_app.test_client(), merge(SHORT, {"who": {"who": who}})) <= 10


@pytest.mark.parametrize("who", ROLES)
def test_with_contact_details_it_is_at_most_13_screens(roomy_app, who):
    assert _screens(roomy_app.test_client(), merge(WITH_CONTACT, {"who": {"who": who}})) <= 13


def test_the_counts_are_what_the_journey_says(roomy_app):
    """steps.py's docstring names the counts: 10 and 13. Kept honest here."""
    assert _screens(roomy_app.test_client(), SHORT) == 10
    assert _screens(roomy_app.test_client(), WITH_CONTACT) == 13


def _words(response) -> int:
    import html
    import re

    main = re.search(r"<main.*?</main>", response.get_data(as_text=True), re.DOTALL).group(0)
    return len(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_the_start_pages_time_rests_on_the_words_there_are_to_read(roomy_app):
    """The start page says "about 10 minutes". The basis: the words on the start page,
    every question page and the check page of a journey with contact details, read at
    150 words a minute (slower than a fluent adult, for a frightened person or a second
    language), leave time to write what happened. More words than that, and the estimate
    must change with them."""
    client = roomy_app.test_client()
    start = client.get("/refer")
    assert "It takes about 10 minutes." in start.get_data(as_text=True)
    journey = complete_journey(client, None, visit=True)
    words = (
        _words(start) + sum(_words(page) for page in journey.pages.values()) + _words(journey.check)
    )
    assert words <= 150 * 9, f"{words} words: about {words / 150:.1f} minutes of reading alone"
