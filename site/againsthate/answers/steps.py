"""The journey: a question or a few related ones per page, in order, some only when an
answer calls for them, in four parts.

Each step names its URL slug, its form, its part, and when it applies. Moving on, going
back, "Change" links and the check page all follow this one list.

The shortest way through (anonymous, every optional question skipped) is 7 question
pages, so 10 screens with the start, check and done pages; with contact details it is
10 question pages, 13 screens (tests/referral/test_screen_counts.py holds both).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..services.answers import Answers, from_json, put
from . import forms

# The parts of the journey, in order: a person is told which part they are in.
SECTIONS = {
    "what": _l("What happened"),
    "help": _l("Help and support"),
    "contact": _l("Contact"),
    "sharing": _l("Sharing the answers"),
}


@dataclass(frozen=True)
class Condition:
    """A step that applies only when `key` was answered `value` (or, for a list of
    ticked boxes, includes it). Before `key` is answered the step may still apply."""

    key: str | None = None
    value: str | None = None
    ticked: bool = False

    def __call__(self, answers: Answers) -> bool:
        if self.key is None:
            return True
        if self.ticked:
            ticked = answers.get(self.key) or []
            return isinstance(ticked, list) and self.value in ticked
        return answers.get(self.key) == self.value

    def may_apply(self, answers: Answers) -> bool:
        return self.key is None or self.key not in answers or self(answers)


ALWAYS = Condition()


def _chose(key: str, value: str) -> Condition:
    return Condition(key, value)


def _ticked(key: str, value: str) -> Condition:
    return Condition(key, value, ticked=True)


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    section: str
    applies: Condition = field(default=ALWAYS)
    # Multi-field pages have their own heading; single-question pages use the question.
    heading: object | None = None
    # How templates/referral/question.html lays the page out: "questions", one after another;
    # "date", its three fields as one date; "by_method", its questions under each way of
    # contact chosen (the form's BY_METHOD).
    layout: str = "questions"
    # Words under the heading: the name of a macro in templates/referral/_intros.html.
    intro: str | None = None


STEPS: list[Step] = [
    Step("who", forms.WhoForm, "what"),
    Step("what", forms.WhatForm, "what"),
    Step("when-where", forms.WhenWhereForm, "what", heading=_l("When and where did it happen?")),
    Step(
        "when-date",
        forms.WhenDateForm,
        "what",
        _chose("when", "date"),
        heading=_l("What date did it happen?"),
        layout="date",
    ),
    Step(
        "when-month",
        forms.WhenMonthForm,
        "what",
        _chose("when", "month"),
        heading=_l("Which month did it happen?"),
    ),
    Step(
        "where-place",
        forms.WherePlaceForm,
        "what",
        _chose("where", "place"),
        heading=_l("Where did it happen?"),
    ),
    Step("where-online", forms.WhereOnlineForm, "what", _chose("where", "online")),
    Step("about", forms.AboutForm, "what"),
    Step("about-other", forms.AboutOtherForm, "what", _ticked("about", "other")),
    Step("religion", forms.ReligionForm, "what", _ticked("about", "religion")),
    Step("police", forms.PoliceForm, "help"),
    Step("police-reference", forms.PoliceReferenceForm, "help", _chose("police", "yes")),
    Step(
        "police-consent",
        forms.PoliceConsentForm,
        "help",
        _chose("police", "pass_on"),
        heading=_l("Passing it on to the police"),
    ),
    Step("help", forms.HelpForm, "help"),
    # No one contacts an anonymous person, so their language and access needs are not asked.
    Step(
        "contact-details",
        forms.ContactDetailsForm,
        "contact",
        _chose("contact", "yes"),
        heading=_l("How we can contact you"),
        intro="contact_details",
    ),
    Step(
        "contact-safety",
        forms.ContactSafetyForm,
        "contact",
        _chose("contact", "yes"),
        heading=_l("Keeping you safe when we contact you"),
        layout="by_method",
    ),
    Step(
        "needs",
        forms.NeedsForm,
        "contact",
        _chose("contact", "yes"),
        heading=_l("Language and access needs"),
    ),
    Step(
        "consent",
        forms.ConsentForm,
        "sharing",
        heading=_l("Sharing your answers"),
        intro="consent",
    ),
]

BY_SLUG = {step.slug: step for step in STEPS}

# Follow-up pages whose answers the check page shows in their question's row ("When did
# it happen? 3 February 2026"); that row's Change link walks them again (follow_up).
FOLDED = frozenset(
    {
        "when-date",
        "when-month",
        "where-place",
        "where-online",
        "about-other",
        "police-reference",
        "police-consent",
    }
)


def applicable(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def next_step(current: Step, answers: Answers) -> Step | None:
    """The next step that applies after `current`, or None when the questions are done."""
    later = STEPS[STEPS.index(current) + 1 :]
    return next((s for s in later if s.applies(answers)), None)


def follow_up(current: Step, origin: Step, answers: Answers) -> Step | None:
    """The next folded step after `current` that applies because of an answer on
    `origin`'s page (when-date after when-where, about-other after about), or None."""
    names = set(field_names(origin))
    later = STEPS[STEPS.index(current) + 1 :]
    return next(
        (s for s in later if s.slug in FOLDED and s.applies(answers) and s.applies.key in names),
        None,
    )


def previous_step(current: Step, answers: Answers) -> Step | None:
    earlier = STEPS[: STEPS.index(current)]
    return next((s for s in reversed(earlier) if s.applies(answers)), None)


def first_unanswered(answers: Answers, steps_done: list[str]) -> Step | None:
    """Where to resume: the first step that applies and was never saved."""
    done = set(steps_done)
    return next((s for s in applicable(answers) if s.slug not in done), None)


def prune(answers: Answers, steps_done: list[str]) -> tuple[Answers, list[str]]:
    """Drop answers of steps that no longer apply (a changed answer closed a branch), and
    those steps from the ones saved."""
    live = {s.slug for s in applicable(answers)}
    closed = {name for s in STEPS if s.slug not in live for name in field_names(s)}
    pruned = from_json({name: value for name, value in answers.items() if name not in closed})
    return pruned, [s for s in steps_done if s in live]


def save_page(answers: Answers, step: Step, form) -> None:
    """Put the answers given on `step`'s page (its validated form) among the answers."""
    for name in field_names(step):
        put(answers, name, form[name].data)


def field_names(step: Step) -> tuple[str, ...]:
    return tuple(name for name in step.form.__dict__ if _is_field(step.form, name))


def asked(step: Step, name: str, answers: Answers) -> bool:
    """Is this field on the page? Some need another answer first (the form's ASKED_ONLY_WITH:
    a confirmation email needs an email address)."""
    needs = getattr(step.form, "ASKED_ONLY_WITH", {}).get(name)
    return needs is None or bool(answers.get(needs))


def _is_field(form_class, name: str) -> bool:
    from wtforms.fields.core import UnboundField

    return isinstance(getattr(form_class, name, None), UnboundField)


def form_for(step: Step, answers: Answers, formdata=None):
    """The step's form, filled from the saved answers (and from formdata when posted),
    in the words for whoever is filling it in."""
    names = field_names(step)
    data = {name: value for name, value in answers.items() if name in names}
    extra = {"methods": answers.get("methods") or []} if step.slug == "contact-safety" else {}
    form = step.form(formdata=formdata, data=data, **extra)
    forms.reword_for(form, answers.get("who"))
    return form


@dataclass(frozen=True)
class Place:
    """Where a step sits: "Part 2 of 4: Help and support"."""

    number: int
    total: int
    title: str


def place_of(step: Step, answers: Answers) -> Place:
    """Counted from the parts that still may apply, so it stays true as branches open
    and close: choosing to stay anonymous takes the contact part away."""
    live = [
        key
        for key in SECTIONS
        if any(s.section == key and s.applies.may_apply(answers) for s in STEPS)
    ]
    return Place(live.index(step.section) + 1, len(live), str(SECTIONS[step.section]))
