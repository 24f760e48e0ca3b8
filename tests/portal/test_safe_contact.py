"""Safe contact at the moment of contact: the page says whether now is inside the person's
safe times (in the organisation's time zone) before anyone dials; outside them, an attempt
needs the same confirmation as any against their wishes; an attempt has its own time, result
and next try; an answered one moves a new referral on; a contacted one left alone is due."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from againsthate import clock
from tests.portal.casework import SAFE_CONTACT, events, opened
from tests.portal.conftest import ANSWERS

# Monday 7 December 2026 (winter: London is UTC).
MORNING = dt.datetime(2026, 12, 7, 10, 30, tzinfo=dt.UTC)
EVENING = dt.datetime(2026, 12, 7, 18, 30, tzinfo=dt.UTC)
MORNINGS = {**ANSWERS, "phone_periods": ["weekday_mornings"]}


@pytest.fixture
def at(monkeypatch):
    def move(moment: dt.datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    return move


def _page(client, reference):
    return client.get(f"/portal/referrals/{reference}").text


def _block(page: str) -> str:
    return re.search(r'<section class="contact-safety".*?</section>', page, re.DOTALL).group(0)


def _contact(client, reference, **fields):
    data = {**SAFE_CONTACT, **{f"contact-{k}": v for k, v in fields.items()}}
    return client.post(f"/portal/referrals/{reference}/contacts", data=data)


def test_inside_their_safe_times_the_page_says_so_before_anyone_dials(
    at, staff, signed_in, referral
):
    at(MORNING)
    reference = referral(answers=MORNINGS)
    block = _block(_page(signed_in(staff()), reference))
    assert "Phone: now (Monday 10:30) is inside their safe times." in block
    assert "<li>Only call: Weekday mornings, 9am–12pm</li>" in block
    assert "07700 900982" in block or "07700" in block  # how to reach them, beside it


def test_summer_time_is_the_organisations_clock_not_utc(at, staff, signed_in, referral):
    # 08:30 UTC in June is 09:30 in London: inside the mornings.
    at(dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC))
    reference = referral(answers=MORNINGS)
    assert "now (Monday 09:30) is inside" in _block(_page(signed_in(staff()), reference))


def test_outside_them_a_call_needs_confirming_and_both_lines_are_in_the_history(
    at, staff, signed_in, referral, portal_app
):
    at(EVENING)
    reference = referral(answers=MORNINGS)
    client = signed_in(staff())
    assert "now (Monday 18:30) is outside their safe times" in _block(_page(client, reference))
    first = _contact(client, reference)
    assert first.status_code == 200
    assert "<li>It is outside the times they said are safe</li>" in first.text
    [refusal] = events(portal_app, reference)
    assert refusal.kind == "contact_refused"
    assert opened(portal_app, refusal)["breaches"] == ["outside_times"]
    confirmed = _contact(client, reference, understood="y")
    assert confirmed.status_code == 303
    kinds = [e.kind for e in events(portal_app, reference)]
    assert kinds == ["contact_refused", "contact"]
    history = _page(client, reference)
    history = history[history.index('id="history"') :]
    assert "Contact attempt stopped" in history and "Contact attempt" in history


def test_an_attempt_typed_as_made_earlier_is_checked_at_its_own_time(
    at, staff, signed_in, referral, portal_app
):
    at(EVENING)
    reference = referral(answers=MORNINGS)
    client = signed_in(staff())
    earlier = {"made_day": "7", "made_month": "12", "made_year": "2026", "made_time": "10:15"}
    assert _contact(client, reference, **earlier).status_code == 303
    [line] = events(portal_app, reference)
    assert opened(portal_app, line)["made_at"] == "2026-12-07T10:15:00Z"
    history = _page(client, reference)
    assert "Tried at <time" in history[history.index('id="history"') :]


def test_an_attempt_cannot_be_in_the_future(at, staff, signed_in, referral, portal_app):
    at(MORNING)
    reference = referral(answers=MORNINGS)
    later = {"made_day": "7", "made_month": "12", "made_year": "2026", "made_time": "11:00"}
    response = _contact(signed_in(staff()), reference, **later)
    assert response.status_code == 200
    assert "The time must be now or in the past" in response.text
    assert events(portal_app, reference) == []
    bad = {**later, "made_time": "25:00"}
    assert (
        "Enter a time on the 24-hour clock" in _contact(signed_in(staff()), reference, **bad).text
    )


def test_only_their_own_words_says_check_their_words(at, staff, signed_in, referral):
    at(EVENING)
    reference = referral()  # ANSWERS: "weekdays between 10am and 2pm", nothing ticked
    block = _block(_page(signed_in(staff()), reference))
    assert "they gave their safe times in their own words. Check their words" in block
    assert "inside their safe times" not in block and "outside their safe times" not in block


def test_an_answered_attempt_moves_a_new_referral_to_contacted(
    at, staff, signed_in, referral, portal_app
):
    at(MORNING)
    reference = referral(answers=MORNINGS)
    client = signed_in(staff())
    response = _contact(
        client, reference, result="answered", next_day="14", next_month="12", next_year="2026"
    )
    assert response.status_code == 303
    assert [e.kind for e in events(portal_app, reference)] == ["contact", "status"]
    page = _page(client, reference)
    assert "What happened: They answered." in page
    assert "Try next on 14 December 2026." in page
    assert '<strong class="tag">Contacted</strong>' in page


def test_a_contacted_referral_left_alone_comes_back_as_due(at, staff, signed_in, referral):
    at(MORNING)
    reference = referral(answers=MORNINGS, status="contacted")
    client = signed_in(staff())
    assert "Contacted, and nothing recorded for 14 days" not in _page(client, reference)
    at(MORNING + dt.timedelta(days=15))
    client = signed_in(staff())
    assert "Contacted, and nothing recorded for 14 days" in _block(_page(client, reference))


def test_the_person_now_says_changes_their_wishes_and_the_change_is_in_the_history(
    at, staff, signed_in, referral, portal_app
):
    at(EVENING)
    reference = referral(answers=MORNINGS)
    client = signed_in(staff())
    changed = client.post(
        f"/portal/referrals/{reference}/wishes",
        data={
            "wishes-phone_periods": ["weekday_evenings"],
            "wishes-phone_message": "no",
            "wishes-phone_say_who": "no",
            "wishes-words": "Texted on Monday: evenings are safe now",
        },
    )
    assert changed.status_code == 303
    [line] = events(portal_app, reference)
    assert line.kind == "wishes_changed"
    assert opened(portal_app, line)["after"] == {"phone_periods": ["weekday_evenings"]}
    # Now the call at 18:30 keeps to their wishes: recorded at once.
    assert _contact(client, reference).status_code == 303
    page = _page(client, reference)
    history = page[page.index('id="history"') :]
    assert "Contact wishes changed" in history
    assert "Texted on Monday: evenings are safe now" in history
    assert (
        "Safe times to call: from Weekday mornings, 9am–12pm to Weekday evenings, 5pm–8pm"
        in history
    )
    assert "now (Monday 18:30) is inside their safe times" in _block(page)


def test_the_person_now_says_needs_their_words_and_a_change(
    at, staff, signed_in, referral, portal_app
):
    at(EVENING)
    reference = referral(answers=MORNINGS)
    client = signed_in(staff())
    url = f"/portal/referrals/{reference}/wishes"
    same = {
        "wishes-phone_periods": ["weekday_mornings"],
        "wishes-phone_message": "no",
        "wishes-phone_say_who": "no",
    }
    assert "Enter what they said, and when" in client.post(url, data=same).text
    unchanged = client.post(url, data={**same, "wishes-words": "Same as before"})
    assert "Nothing would change" in unchanged.text
    assert events(portal_app, reference) == []


def test_the_inbox_lists_the_due_ones_in_one_filter(at, staff, signed_in, referral):
    at(MORNING)
    left = referral(answers=MORNINGS, status="contacted")
    busy = referral(answers=MORNINGS, status="contacted")
    new = referral(answers=MORNINGS)
    at(MORNING + dt.timedelta(days=15))
    client = signed_in(staff())
    client.post(f"/portal/referrals/{busy}/notes", data={"note-text": "Rang the police"})
    page = client.get("/portal/referrals?status=due").text
    assert left in page
    assert busy not in page and new not in page
    assert '<option selected value="due">' in page or 'value="due" selected' in page
