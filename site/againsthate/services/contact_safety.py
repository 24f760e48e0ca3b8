"""What a person asked about being contacted, and whether a contact attempt goes against it.

Pure logic on the referral's answers (no Flask, no database), so the banner on a referral's
page and the check on the contact log are the same rules, tested on their own. The words
are the templates' (templates/portal/_case-words.html): here are only codes and the
person's own words.

A person's answers (every key is in services/answers.py): `contact` "yes" or "none" (anonymous);
`methods` any of phone, email, post; per method chosen, `phone_message`, `phone_say_who`,
`email_say_who`, `post_say_who` ("yes" or "no"), `phone_periods` (the safe times to call
they ticked: PERIODS codes), `phone_times` and `email_times` (safe times in their own
words); `language`, `interpreter` ("yes"/"no"), `bsl` (true/false).

Safe times are checked in the organisation's time zone (config TIMEZONE): the caller passes
the local wall-clock time, so summer time is the caller's one conversion, not a rule here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the types only: these rules load on their own (see their test)
    from .answers import Answers

# How staff may try to reach someone. The person could choose only the first three:
# a text message or a visit is never one of their choices, so it always needs the
# "against what the person asked" confirmation (a text to a shared phone can be read by
# the very person they fear, as a voicemail can).
METHODS = ("phone", "email", "post", "in_person", "text")
CHOOSABLE = ("phone", "email", "post")

# Methods whose "message left" is a voicemail, a text or a note left with someone: what the
# person answered "Is it safe to leave a voicemail or message?" about. An email or a letter
# is the message itself, so for them the question does not arise.
MESSAGE_METHODS = ("phone", "text", "in_person")

# Which "can we say who we are" answer governs each method. In person, any "no" counts.
SAY_WHO = {
    "phone": ("phone_say_who",),
    "text": ("phone_say_who",),
    "email": ("email_say_who",),
    "post": ("post_say_who",),
    "in_person": ("phone_say_who", "email_say_who", "post_say_who"),
}

# Why an attempt goes against their wishes (codes; the template has the words).
ANONYMOUS = "anonymous"  # they asked not to be contacted at all
METHOD = "method"  # a way of contacting them they did not choose
MESSAGE = "message"  # a message was left when they said it is not safe
SAID_WHO = "said_who"  # we said who we are when they said not to
OUTSIDE_TIMES = "outside_times"  # at a time they did not tick as safe for this method

# The safe times a person can tick, each (days, from hour, to hour): Monday is 0; a period
# starts on its hour and ends just before its last one (12:00 is afternoon, not morning).
# "any" is any time at all. Words for them: answers/forms.SAFE_PERIODS.
WEEKDAYS = (0, 1, 2, 3, 4)
PERIODS: dict[str, tuple[tuple[int, ...], int, int]] = {
    "weekday_mornings": (WEEKDAYS, 9, 12),
    "weekday_afternoons": (WEEKDAYS, 12, 17),
    "weekday_evenings": (WEEKDAYS, 17, 20),
    "weekends": ((5, 6), 9, 20),
}
ANY_TIME = "any"

# Which ticked times govern each method: a text arrives on the phone they gave.
TIMES_OF = {"phone": "phone", "text": "phone", "email": "email"}
# (The journey asks ticked times for the phone only, since an email waits until it is opened;
# an `email_periods` answer would be read the same way.)

# What the page can say about now (timing()).
INSIDE = "inside"  # now is inside a period they ticked (or they ticked "any time")
OUTSIDE = "outside"  # they ticked periods and now is in none of them
WORDS = "words"  # only their own words: staff read them, nothing is guessed


@dataclass(frozen=True)
class Wish:
    """One thing to respect when contacting the person.

    kind: anonymous, only_methods, no_message, call_periods, call_times, phone_no_name,
    email_no_name, email_times, post_no_name, interpreter, language, bsl.
    words: their own words (safe times, a language), to show as typed.
    methods: for only_methods, the ways they chose.
    periods: for call_periods, the safe times they ticked.
    """

    kind: str
    words: str = ""
    methods: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()

    @property
    def prevents_harm(self) -> bool:
        """A wish that keeps them safe (how, when, what is said), not a preference such
        as a language: the page gives these more weight, and puts them first."""
        return self.kind not in PREFERENCES


PREFERENCES = ("interpreter", "language", "bsl")


@dataclass(frozen=True)
class Attempt:
    method: str
    message_left: bool = False
    said_who: bool = False
    # When it was made, in the organisation's own time zone (naive local wall-clock time);
    # None: not checked against their safe times.
    at: dt.datetime | None = None


def periods(answers: Answers, method: str) -> tuple[str, ...]:
    """The safe times they ticked for the method's way of contact, in PERIODS order
    ("any" alone if ticked); none if not ticked, or if that way was not chosen."""
    way = TIMES_OF.get(method)
    if way is None or way not in chosen_methods(answers):
        return ()
    given = answers.get(f"{way}_periods")
    ticked: list = given if isinstance(given, list) else []
    if ANY_TIME in ticked:
        return (ANY_TIME,)
    return tuple(p for p in PERIODS if p in ticked)


def in_period(period: str, local: dt.datetime) -> bool:
    """Is this local wall-clock time inside the period?"""
    if period == ANY_TIME:
        return True
    days, start, end = PERIODS[period]
    return local.weekday() in days and start <= local.hour < end


def timing(answers: Answers, method: str, local: dt.datetime) -> str | None:
    """Whether `local` (the organisation's wall-clock time) suits their safe times for the
    method: INSIDE, OUTSIDE, WORDS (only their own words: check them), or None (nothing
    said about times for it)."""
    ticked = periods(answers, method)
    if ticked:
        return INSIDE if any(in_period(p, local) for p in ticked) else OUTSIDE
    way = TIMES_OF.get(method)
    if way in chosen_methods(answers) and _words(answers, f"{way}_times"):
        return WORDS
    return None


def is_anonymous(answers: Answers) -> bool:
    return answers.get("contact") == "none"


def chosen_methods(answers: Answers) -> tuple[str, ...]:
    """The ways they chose, in a fixed order; none for an anonymous referral."""
    if is_anonymous(answers):
        return ()
    chosen = set(answers.get("methods") or [])
    return tuple(m for m in CHOOSABLE if m in chosen)


def _said_no(answers: Answers, key: str) -> bool:
    return answers.get(key) == "no"


def _words(answers: Answers, key: str) -> str:
    value = answers.get(key)
    return value.strip() if isinstance(value, str) else ""


def wishes(answers: Answers) -> list[Wish]:
    """Everything to respect, most important first. An anonymous referral has one wish:
    no contact at all (the other answers were never asked)."""
    if is_anonymous(answers):
        return [Wish(ANONYMOUS)]
    methods = chosen_methods(answers)
    found = [Wish("only_methods", methods=methods)]
    # A method's safety answers count only if that method was chosen: answers of a method
    # later unticked may linger in the draft, and would otherwise say too much or too little.
    if "phone" in methods:
        if _said_no(answers, "phone_message"):
            found.append(Wish("no_message"))
        if periods(answers, "phone"):
            found.append(Wish("call_periods", periods=periods(answers, "phone")))
        if _words(answers, "phone_times"):
            found.append(Wish("call_times", words=_words(answers, "phone_times")))
        if _said_no(answers, "phone_say_who"):
            found.append(Wish("phone_no_name"))
    if "email" in methods:
        if _said_no(answers, "email_say_who"):
            found.append(Wish("email_no_name"))
        if _words(answers, "email_times"):
            found.append(Wish("email_times", words=_words(answers, "email_times")))
    if "post" in methods and _said_no(answers, "post_say_who"):
        found.append(Wish("post_no_name"))
    language = _words(answers, "language")
    if answers.get("interpreter") == "yes":
        found.append(Wish("interpreter", words=language))
    elif language:
        found.append(Wish("language", words=language))
    if answers.get("bsl") is True:
        found.append(Wish("bsl"))
    return found


def breaches(answers: Answers, attempt: Attempt) -> list[str]:
    """What this attempt goes against (codes, in a fixed order); empty if nothing."""
    if is_anonymous(answers):
        return [ANONYMOUS]
    found = []
    if attempt.method not in chosen_methods(answers):
        found.append(METHOD)
    if (
        attempt.message_left
        and attempt.method in MESSAGE_METHODS
        and _said_no(answers, "phone_message")
    ):
        found.append(MESSAGE)
    if attempt.said_who and any(_said_no(answers, key) for key in SAY_WHO.get(attempt.method, ())):
        found.append(SAID_WHO)
    if attempt.at is not None and timing(answers, attempt.method, attempt.at) == OUTSIDE:
        found.append(OUTSIDE_TIMES)
    return found
