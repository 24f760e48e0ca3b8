"""Every answer key is named once, in services/answers.py: the forms ask exactly those keys,
and every rule that names a key (sending, contact safety, the summary) names one of them."""

from __future__ import annotations

import pytest

from againsthate.answers import steps, summary
from againsthate.services import contact_safety, sending
from againsthate.services.answers import KEYS, Answers, put


def _asked() -> set[str]:
    return {name for step in steps.STEPS for name in steps.field_names(step)}


def test_every_question_asked_is_an_answer_key():
    assert _asked() - KEYS == set()


def test_every_answer_key_is_asked_by_a_question():
    assert KEYS - _asked() == set()


@pytest.mark.parametrize(
    ("where", "names"),
    [
        ("sending.REQUIRED", set(sending.REQUIRED)),
        (
            "contact_safety.SAY_WHO",
            {key for keys in contact_safety.SAY_WHO.values() for key in keys},
        ),
        ("summary.SHORT_LABELS", set(summary.SHORT_LABELS)),
        ("summary.NUMBERS", set(summary.NUMBERS)),
        ("steps conditions", {s.applies.key for s in steps.STEPS if s.applies.key}),
    ],
)
def test_every_key_a_rule_names_is_an_answer_key(where, names):
    assert names - KEYS == set(), where


def test_an_answer_is_put_only_under_a_known_key():
    answers: Answers = {}
    put(answers, "what", "Someone shouted")
    assert answers == {"what": "Someone shouted"}
    with pytest.raises(KeyError):
        put(answers, "steps_done", ["who"])
    assert answers == {"what": "Someone shouted"}
