"""The contact-safety rules on their own: what a person asked, and what an attempt breaks."""

from __future__ import annotations

import pytest

from againsthate.services.contact_safety import Attempt, Wish, breaches, wishes
from tests.portal.conftest import ANSWERS

ANONYMOUS = {**ANSWERS, "contact": "none"}
# Phone, email and post chosen; each with its own safety answers.
ALL_METHODS = {
    **ANSWERS,
    "methods": ["post", "email", "phone"],
    "email": "sam@example.org",
    "address": "1 Example Street",
    "email_say_who": "no",
    "email_times": "after 6pm",
    "post_say_who": "no",
    "phone_message": "yes",
    "phone_say_who": "yes",
    "phone_times": "",
    "interpreter": "no",
    "language": "Polish",
    "bsl": True,
}


def kinds(found: list[Wish]) -> list[str]:
    return [w.kind for w in found]


def test_the_example_referral_asks_for_phone_only_no_message_safe_times_no_name_an_interpreter():
    assert wishes(ANSWERS) == [
        Wish("only_methods", methods=("phone",)),
        Wish("no_message"),
        Wish("call_times", words="weekdays between 10am and 2pm"),
        Wish("phone_no_name"),
        Wish("interpreter", words="Polish"),
    ]


def test_an_anonymous_referral_has_one_wish_no_contact():
    assert wishes(ANONYMOUS) == [Wish("anonymous")]


def test_every_method_chosen_brings_its_own_wishes_in_a_fixed_order():
    found = wishes(ALL_METHODS)
    assert found[0] == Wish("only_methods", methods=("phone", "email", "post"))
    assert kinds(found) == [
        "only_methods",
        "email_no_name",
        "email_times",
        "post_no_name",
        "language",
        "bsl",
    ]
    assert Wish("email_times", words="after 6pm") in found


def test_answers_for_a_method_not_chosen_are_ignored():
    # Phone safety answers left over from a draft where Phone was ticked, then unticked.
    answers = {**ANSWERS, "methods": ["email"], "email_say_who": "yes"}
    assert kinds(wishes(answers)) == ["only_methods", "interpreter"]
    assert breaches(answers, Attempt("email", message_left=True, said_who=True)) == []


def test_an_interpreter_without_a_language_is_still_a_wish():
    assert Wish("interpreter") in wishes({**ANSWERS, "language": ""})


def test_no_chosen_method_means_no_way_is_allowed():
    answers = {**ANSWERS, "methods": []}
    assert wishes(answers)[0] == Wish("only_methods", methods=())
    assert breaches(answers, Attempt("phone")) == ["method"]


@pytest.mark.parametrize(
    ("answers", "attempt", "expected"),
    [
        (ANSWERS, Attempt("phone"), []),
        (ANSWERS, Attempt("email"), ["method"]),
        (ANSWERS, Attempt("post"), ["method"]),
        (ANSWERS, Attempt("in_person"), ["method"]),
        (ANSWERS, Attempt("text"), ["method"]),  # a text is never one of their choices
        (ANSWERS, Attempt("phone", message_left=True), ["message"]),
        (ANSWERS, Attempt("phone", said_who=True), ["said_who"]),
        (
            ANSWERS,
            Attempt("text", message_left=True, said_who=True),
            ["method", "message", "said_who"],
        ),
        (
            ANSWERS,
            Attempt("in_person", message_left=True, said_who=True),
            ["method", "message", "said_who"],
        ),
        (ANSWERS, Attempt("carrier pigeon"), ["method"]),
        (
            {**ANSWERS, "phone_message": "yes", "phone_say_who": "yes"},
            Attempt("phone", message_left=True, said_who=True),
            [],
        ),
        (ALL_METHODS, Attempt("email", said_who=True), ["said_who"]),
        (ALL_METHODS, Attempt("email", message_left=True), []),  # the email is the message
        (ALL_METHODS, Attempt("post", said_who=True), ["said_who"]),
        (ALL_METHODS, Attempt("phone", message_left=True, said_who=True), []),
        (ALL_METHODS, Attempt("in_person", said_who=True), ["method", "said_who"]),
        (ANONYMOUS, Attempt("phone"), ["anonymous"]),
        (ANONYMOUS, Attempt("post", message_left=True, said_who=True), ["anonymous"]),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_what_a_contact_attempt_goes_against(answers, attempt, expected):
    assert breaches(answers, attempt) == expected


def test_the_rules_need_no_flask():
    """Loaded on their own (the package itself imports Flask), they import nothing of it."""
    import subprocess
    import sys

    from againsthate.services import contact_safety

    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('rules', {contact_safety.__file__!r})\n"
        "module = sys.modules['rules'] = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "sys.exit(any(m.split('.')[0] in ('flask', 'flask_babel') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
