"""A referral's answers: every key they may hold, named once, with the type of its value.

The journey's forms (answers/forms.py) ask them, one field per key; the check page and the
portal show them (answers/summary.py); sending needs some (referrals.REQUIRED); the contact
safety rules read some (contact_safety); the export writes them all (export.rows).

A TypedDict, not a dataclass: the answers are stored as sealed JSON, in drafts and in every
referral already sent, and a TypedDict is that same JSON object, typed. Nothing stored has to
be read differently, and a key a referral sent long ago holds but no form asks any more is
kept (the export shows it), where a dataclass would have to drop it or fail.

Not here: a draft's bookkeeping (which pages were saved, its submission key), kept beside
the answers in drafts.Draft, so it never reaches a sent referral.
"""

from __future__ import annotations

from typing import TypedDict, cast


class Answers(TypedDict, total=False):
    """Every key is optional: a draft holds the answers given so far, and a question asked
    only on a branch (a date, a crime reference) is absent when the branch was not taken.
    Radio answers are a choice's code, None when an optional one was skipped."""

    who: str  # self, helper, witness, professional
    what: str
    when: str  # date, month, ongoing, not_sure
    when_day: str | None
    when_month: str | None
    when_year: str | None
    when_month_name: str  # "1" to "12"
    when_month_year: str
    where: str  # place, online, not_sure
    where_postcode: str | None
    where_place: str | None
    where_platform: str | None
    about: list[str]  # vocabulary.ABOUT codes
    about_other: str
    religion: str | None  # vocabulary.RELIGIONS code
    police: str  # yes, no, pass_on
    crime_reference: str | None
    pass_on_consent: bool
    help: list[str]  # vocabulary.HELP codes
    contact: str  # yes, none (anonymous)
    name: str | None
    methods: list[str]  # phone, email, post
    phone: str | None
    email: str | None
    address: str | None
    phone_message: str | None  # yes, no
    phone_periods: list[str]  # contact_safety.PERIODS codes, or "any"
    phone_times: str | None
    phone_say_who: str | None  # yes, no
    email_say_who: str | None  # yes, no
    email_times: str | None
    post_say_who: str | None  # yes, no
    language: str | None
    interpreter: str | None  # yes, no
    bsl: bool
    access: str | None
    consent: bool
    confirmation: bool
    heard: str | None  # forms.HEARD code
    heard_other: str | None


KEYS = frozenset(Answers.__optional_keys__)


def from_json(data: dict) -> Answers:
    """Answers read back from stored JSON, as they were stored."""
    return cast(Answers, data)


def put(answers: Answers, key: str, value: object) -> None:
    """Set the answer to the question (form field) `key`. The forms' field names are the
    keys (tests/services/test_answers.py checks both ways), so a name not here is a bug."""
    if key not in KEYS:
        raise KeyError(key)
    cast(dict, answers)[key] = value
