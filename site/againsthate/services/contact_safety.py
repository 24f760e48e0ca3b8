"""What a person asked about being contacted, and whether a contact attempt goes against it.

Pure logic on the referral's answers (no Flask, no database), so the banner on a referral's
page and the check on the contact log are the same rules, tested on their own. The words
are the templates' (templates/portal/_case-words.html): here are only codes and the
person's own words.

A person's answers (every key is in services/answers.py): `contact` "yes" or "none" (anonymous);
`methods` any of phone, email, post; per method chosen, `phone_message`, `phone_say_who`,
`email_say_who`, `post_say_who` ("yes" or "no"), `phone_times` and `email_times` in their
own words; `language`, `interpreter` ("yes"/"no"), `bsl` (true/false).
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Wish:
    """One thing to respect when contacting the person.

    kind: anonymous, only_methods, no_message, call_times, phone_no_name, email_no_name,
    email_times, post_no_name, interpreter, language, bsl.
    words: their own words (safe times, a language), to show as typed.
    methods: for only_methods, the ways they chose.
    """

    kind: str
    words: str = ""
    methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attempt:
    method: str
    message_left: bool = False
    said_who: bool = False


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
    return found
