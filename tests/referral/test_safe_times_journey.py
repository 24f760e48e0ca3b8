"""The person can tick when it is safe to call (so staff can check it at the moment they
dial), with their own words beside it; the check page shows both."""

from __future__ import annotations

import re

from tests.referral.journey import complete_journey


def test_the_contact_safety_page_offers_safe_times_to_tick_and_words_beside_them(client):
    journey = complete_journey(client, visit=True)
    page = journey.pages["contact-safety"].get_data(as_text=True)
    assert re.search(r"<input[^>]*name=\"phone_periods\"[^>]*value=\"weekday_mornings\"", page)
    assert 'value="any"' in page and "Select all that apply." in page
    assert "Anything else about when to call (optional)" in page


def test_ticked_safe_times_show_on_the_check_page_in_words(client):
    journey = complete_journey(
        client, {"contact-safety": {"phone_periods": ["weekday_mornings", "weekends"]}}
    )
    assert "Safe times to call" in journey.text
    assert "Weekday mornings, 9am–12pm, Weekends, 9am–8pm" in journey.text


def test_no_safe_times_ticked_is_still_accepted(client):
    journey = complete_journey(client, {"contact-safety": {"phone_periods": None}})
    assert "Safe times to call" not in journey.text
