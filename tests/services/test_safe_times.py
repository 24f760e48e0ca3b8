"""Safe times a person ticked, checked against the organisation's wall-clock time: the
periods' edges, summer time (the caller converts; these rules see the local hour), and
"check their words" when only words were given."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from againsthate.services.contact_safety import (
    INSIDE,
    OUTSIDE,
    OUTSIDE_TIMES,
    WORDS,
    Attempt,
    Wish,
    breaches,
    in_period,
    periods,
    timing,
    wishes,
)
from tests.portal.conftest import ANSWERS

MORNINGS = {
    **ANSWERS,
    "phone_message": "yes",
    "phone_say_who": "yes",
    "phone_periods": ["weekday_mornings"],
    "phone_times": "",
}
LONDON = ZoneInfo("Europe/London")
# Monday 7 December 2026.
MONDAY = dt.date(2026, 12, 7)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.mark.parametrize(
    ("hour", "minute", "inside"),
    [(8, 59, False), (9, 0, True), (11, 59, True), (12, 0, False)],
)
def test_a_period_starts_on_its_hour_and_ends_just_before_its_last(hour, minute, inside):
    assert in_period("weekday_mornings", at(MONDAY, hour, minute)) is inside


def test_afternoon_starts_at_noon_and_evening_ends_before_eight():
    assert in_period("weekday_afternoons", at(MONDAY, 12))
    assert not in_period("weekday_afternoons", at(MONDAY, 17))
    assert in_period("weekday_evenings", at(MONDAY, 19, 59))
    assert not in_period("weekday_evenings", at(MONDAY, 20))


def test_weekdays_are_monday_to_friday_and_weekends_saturday_and_sunday():
    friday, saturday, sunday = (MONDAY + dt.timedelta(days=n) for n in (4, 5, 6))
    assert in_period("weekday_mornings", at(friday, 10))
    assert not in_period("weekday_mornings", at(saturday, 10))
    assert in_period("weekends", at(saturday, 10)) and in_period("weekends", at(sunday, 19))
    assert not in_period("weekends", at(friday, 10))
    assert not in_period("weekends", at(sunday, 21))


def test_any_time_is_inside_at_any_hour():
    answers = {**MORNINGS, "phone_periods": ["any", "weekday_mornings"]}
    assert periods(answers, "phone") == ("any",)
    assert timing(answers, "phone", at(MONDAY, 3)) == INSIDE


def test_summer_time_the_same_utc_moment_is_inside_in_summer_outside_in_winter():
    # 08:30 UTC is 09:30 in London in summer (inside the mornings) and 08:30 in winter.
    summer = dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC).astimezone(LONDON)
    winter = dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.UTC).astimezone(LONDON)
    assert timing(MORNINGS, "phone", summer.replace(tzinfo=None)) == INSIDE
    assert timing(MORNINGS, "phone", winter.replace(tzinfo=None)) == OUTSIDE


def test_the_morning_clocks_go_forward_an_hour_is_skipped_not_counted_twice():
    # Sunday 29 March 2026: 01:00 UTC becomes 02:00 BST. 08:59 UTC is 09:59 local.
    moment = dt.datetime(2026, 3, 30, 8, 59, tzinfo=dt.UTC).astimezone(LONDON)
    assert moment.hour == 9 and timing(MORNINGS, "phone", moment.replace(tzinfo=None)) == INSIDE


def test_a_call_outside_their_ticked_times_is_against_their_wishes():
    assert breaches(MORNINGS, Attempt("phone", at=at(MONDAY, 18))) == [OUTSIDE_TIMES]
    assert breaches(MORNINGS, Attempt("phone", at=at(MONDAY, 10))) == []
    # A text reaches the same phone: the same times hold (and a text is never their choice).
    assert breaches(MORNINGS, Attempt("text", at=at(MONDAY, 18))) == ["method", OUTSIDE_TIMES]


def test_an_attempt_without_a_time_is_not_checked_against_times():
    assert breaches(MORNINGS, Attempt("phone")) == []


def test_only_their_own_words_is_check_their_words_never_a_guess_nor_a_breach():
    words = {**MORNINGS, "phone_periods": [], "phone_times": "after 6pm"}
    assert timing(words, "phone", at(MONDAY, 10)) == WORDS
    assert breaches(words, Attempt("phone", at=at(MONDAY, 3))) == []


def test_nothing_said_about_times_is_none():
    assert timing({**MORNINGS, "phone_periods": []}, "phone", at(MONDAY, 3)) is None
    # Times of a way not chosen do not count (they may linger in a draft).
    assert timing(MORNINGS, "email", at(MONDAY, 3)) is None
    lingering = {**MORNINGS, "methods": ["email"], "email": "a@example.org"}
    assert periods(lingering, "phone") == ()


def test_ticked_times_are_a_wish_that_prevents_harm_before_a_language():
    found = wishes({**MORNINGS, "phone_periods": ["weekends", "weekday_mornings"]})
    assert Wish("call_periods", periods=("weekday_mornings", "weekends")) in found
    harm = [w.prevents_harm for w in found]
    assert harm == sorted(harm, reverse=True)  # every harm wish before every preference
    assert not found[-1].prevents_harm  # the interpreter
