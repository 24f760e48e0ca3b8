"""The journey: one question per page, in order, some only when an answer calls for them.

Each step names its URL slug, its form, and when it applies. Moving on, going back and
"Change" links on the check page all follow this one list.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import forms


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    applies: Callable[[dict], bool] = lambda answers: True
    # Multi-field pages have their own heading; single-question pages use the question.
    heading: object | None = None


def _chose(key: str, value: str) -> Callable[[dict], bool]:
    return lambda answers: answers.get(key) == value


def _ticked(key: str, value: str) -> Callable[[dict], bool]:
    return lambda answers: value in (answers.get(key) or [])


STEPS: list[Step] = [
    Step("who", forms.WhoForm),
    Step("what", forms.WhatForm),
    Step("when", forms.WhenForm),
    Step("when-date", forms.WhenDateForm, _chose("when", "date"), heading=_l("What date did it happen?")),
    Step("when-month", forms.WhenMonthForm, _chose("when", "month"), heading=_l("Which month did it happen?")),
    Step("where", forms.WhereForm),
    Step("where-place", forms.WherePlaceForm, _chose("where", "place"), heading=_l("Where did it happen?")),
    Step("where-online", forms.WhereOnlineForm, _chose("where", "online")),
    Step("about", forms.AboutForm),
    Step("about-other", forms.AboutOtherForm, _ticked("about", "other")),
    Step("religion", forms.ReligionForm, _ticked("about", "religion")),
    Step("police", forms.PoliceForm),
    Step("police-reference", forms.PoliceReferenceForm, _chose("police", "yes")),
    Step("police-consent", forms.PoliceConsentForm, _chose("police", "pass_on"),
         heading=_l("Passing it on to the police")),
    Step("help", forms.HelpForm),
    Step("contact", forms.ContactForm),
    Step("contact-details", forms.ContactDetailsForm, _chose("contact", "yes"),
         heading=_l("How we can contact you")),
    Step("contact-safety", forms.ContactSafetyForm, _chose("contact", "yes"),
         heading=_l("Keeping you safe when we contact you")),
    Step("needs", forms.NeedsForm, heading=_l("Language and access needs")),
    Step("heard", forms.HeardForm),
    Step("consent", forms.ConsentForm, heading=_l("Sharing your answers")),
]

BY_SLUG = {step.slug: step for step in STEPS}


def applicable(answers: dict) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def next_step(current: Step, answers: dict) -> Step | None:
    """The next step that applies after `current`, or None when the questions are done."""
    later = STEPS[STEPS.index(current) + 1:]
    return next((s for s in later if s.applies(answers)), None)


def previous_step(current: Step, answers: dict) -> Step | None:
    earlier = STEPS[:STEPS.index(current)]
    return next((s for s in reversed(earlier) if s.applies(answers)), None)


def first_unanswered(answers: dict) -> Step | None:
    """Where to resume: the first step that applies and was never saved."""
    done = set(answers.get("steps_done", []))
    return next((s for s in applicable(answers) if s.slug not in done), None)


def prune(answers: dict) -> dict:
    """Drop answers of steps that no longer apply (a changed answer closed a branch)."""
    live = {s.slug for s in applicable(answers)}
    pruned = dict(answers)
    for step in STEPS:
        if step.slug not in live:
            for name in field_names(step):
                pruned.pop(name, None)
    pruned["steps_done"] = [s for s in answers.get("steps_done", []) if s in live]
    return pruned


def field_names(step: Step) -> tuple[str, ...]:
    return tuple(name for name in step.form.__dict__ if _is_field(step.form, name))


def _is_field(form_class, name: str) -> bool:
    from wtforms.fields.core import UnboundField

    return isinstance(getattr(form_class, name, None), UnboundField)


def form_for(step: Step, answers: dict, formdata=None):
    """The step's form, filled from the saved answers (and from formdata when posted)."""
    data = {name: answers[name] for name in field_names(step) if name in answers}
    extra = {"methods": answers.get("methods") or []} if step.slug == "contact-safety" else {}
    return step.form(formdata=formdata, data=data, **extra)
