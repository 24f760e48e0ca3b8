"""The check-your-answers page: each answer in words, and why an organisation was chosen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import format_date, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..i18n import ltr
from ..services import sending
from ..services.answers import Answers
from ..services.areapack import AreaPack
from ..services.vocabulary import CHARACTERISTICS, HELP
from . import steps


@dataclass(frozen=True)
class Row:
    question: str
    answer: object  # text, or a list of texts
    step: str
    # A page of several small answers: (question, answer) for each one given.
    lines: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]


def _plain(label: object) -> str:
    return label if isinstance(label, Markup) else str(label)


def _display(field) -> object:
    """The answer as the person would say it: labels, not codes."""
    data = field.data
    if field.type in ("Radios", "SelectField"):
        # A pack's label comes marked with its language (templating.pack_text): kept so.
        return next(
            (_plain(label) for value, label, *_ in field.iter_choices() if value == data), ""
        )
    if field.type in ("Checkboxes", "SelectMultipleField"):
        labels = {value: str(label) for value, label, *_ in field.iter_choices()}
        return [labels.get(value, value) for value in data or []]
    if field.type == "BooleanField":
        return _("Yes") if data else _("No")
    return data or ""


# Pages of several small answers are one row each, a short line per answer given:
# "Phone: 07700 900982". The questions are long; these are their names in the summary.
# "Name" has a context: the name we were asked to use ("Imię" in Polish), not a full name
# ("Imię i nazwisko", a member of staff) nor a cookie's name ("Nazwa").
GROUPED = ("contact-details", "contact-safety", "needs", "consent")
SHORT_LABELS = {
    "name": lazy_pgettext("name to use", "Name"),
    "methods": _l("Ways to contact"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "address": _l("Address"),
    "phone_message": _l("Voicemail or message"),
    "phone_periods": _l("Safe times to call"),
    "phone_times": _l("When to call"),
    "phone_say_who": _l("Say who we are on the phone"),
    "email_say_who": _l("Say who we are in emails"),
    "email_times": _l("When to email"),
    "post_say_who": _l("Our name on the envelope"),
    "language": _l("Language"),
    "interpreter": _l("Interpreter"),
    "bsl": _l("British Sign Language"),
    "access": _l("Access needs"),
    "consent": _l("Agreed to share the answers"),
    "confirmation": _l("Confirmation email"),
    "heard": _l("Heard about this service from"),
    "heard_other": _l("Where"),
    "where_postcode": _l("Postcode"),
    "where_place": _l("Place"),
    "where_platform": _l("Website, app or game"),
    "about_other": _l("What else"),
    "crime_reference": _l("Crime reference number"),
}


def _asked(step: steps.Step, name: str, answers: Answers) -> bool:
    """Was this field on the page the person saw? (Only the ways of contact they chose,
    a confirmation email only with an email address, "where else" only for "somewhere else".)"""
    methods = set(answers.get("methods") or [])
    method = name.split("_")[0] if name != "address" else "post"
    if step.slug in ("contact-details", "contact-safety") and method in ("phone", "email", "post"):
        return method in methods
    if not steps.asked(step, name, answers):
        return False
    if name == "heard_other":
        return answers.get("heard") == "other"
    return True


# Answers that are numbers in groups: kept in their written order on right-to-left pages.
NUMBERS = {"phone", "where_postcode", "crime_reference"}


def _shown(name: str, answer: str) -> str:
    return ltr(answer) if name in NUMBERS else answer


def _lines(answers: Answers, *names: str) -> tuple[tuple[str, str], ...]:
    given = ((n, answers.get(n)) for n in names)
    return tuple((str(SHORT_LABELS[n]), _shown(n, str(value))) for n, value in given if value)


def _row(step: steps.Step, answers: Answers) -> list[Row]:
    form = steps.form_for(step, answers)
    if step.slug == "when-where":
        when = answers.get("when")
        when_answer = (
            _date_answer("when-date" if when == "date" else "when-month", answers)
            if when in ("date", "month")
            else _display(form["when"])
        )
        return [
            Row(str(form["when"].label.text), when_answer, step.slug),
            Row(
                str(form["where"].label.text),
                _display(form["where"]),
                step.slug,
                _lines(answers, "where_postcode", "where_place", "where_platform"),
            ),
        ]
    if step.slug == "about":
        return [
            Row(
                str(form["about"].label.text),
                _display(form["about"]),
                step.slug,
                _lines(answers, "about_other"),
            )
        ]
    if step.slug == "police":
        return [
            Row(
                str(form["police"].label.text),
                _display(form["police"]),
                step.slug,
                _lines(answers, "crime_reference"),
            )
        ]
    asked = [form[name] for name in steps.field_names(step) if _asked(step, name, answers)]
    if step.slug in GROUPED:
        lines = []
        for f in asked:
            answer = _display(f)
            # An unticked box is no answer (BSL left unticked is not "No").
            if answer not in ("", []) and not (f.type == "BooleanField" and not f.data):
                shown = ", ".join(answer) if isinstance(answer, list) else _plain(answer)
                lines.append((str(SHORT_LABELS[f.name]), _shown(f.name, shown)))
        return [Row(str(step.heading), "" if lines else _("Not given"), step.slug, tuple(lines))]
    rows = []
    for f in asked:
        answer = _display(f)
        if answer in ("", []):
            answer = _("Not given")
        rows.append(Row(str(f.label.text), answer, step.slug))
    return rows


def summary_rows(answers: Answers) -> list[Row]:
    """Every row, in order, without the parts (the portal's view of a referral)."""
    return [row for section in summary_sections(answers) for row in section.rows]


def summary_sections(answers: Answers) -> list[Section]:
    """The answers in the journey's parts, one row per question asked."""
    sections: dict[str, list[Row]] = {}
    for step in steps.applicable(answers):
        if step.slug not in steps.FOLDED:
            sections.setdefault(step.section, []).extend(_row(step, answers))
    return [Section(str(steps.SECTIONS[key]), rows) for key, rows in sections.items()]


def _date_answer(slug: str, answers: Answers) -> str:
    """ "3 February 2026" or "February 2026", in the reader's language."""
    try:
        if slug == "when-date":
            # Each part may be None to the type (the page checks the whole date, not each).
            day = dt.date(
                int(answers["when_year"] or ""),
                int(answers["when_month"] or ""),
                int(answers["when_day"] or ""),
            )
            return format_date(day, "long")
        month = dt.date(int(answers["when_month_year"]), int(answers["when_month_name"]), 1)
        return format_date(month, "LLLL y")
    except (KeyError, ValueError):
        return _("Not given")


def reason_for(pack: AreaPack, answers: Answers) -> tuple[str, list[str]]:
    """A sentence saying why this organisation, and the answers it rests on."""
    route = sending.route_for(pack, answers)
    name = route.organisation.name
    rule = route.rule
    if rule is None:
        return (
            _(
                "%(organisation)s supports anyone affected by hate crime in %(area)s.",
                organisation=name,
                area=pack.name,
            ),
            [],
        )
    if rule.help_only:
        wanted = [str(HELP[h]) for h in answers.get("help", []) if h in HELP]
        return (
            _("We chose %(organisation)s because of the help you asked for:", organisation=name),
            wanted,
        )
    # The strands the rule names (a rule by religions alone names religion), of those chosen.
    named = set(rule.characteristics) or ({"religion"} if rule.religions else set())
    chosen = sending.characteristics_of(answers) & named
    if not chosen and rule.who:
        who = _display(steps.form_for(steps.BY_SLUG["who"], answers)["who"])
        return (
            _(
                "We chose %(organisation)s because of who is filling in this form:",
                organisation=name,
            ),
            [str(who)],
        )
    if not chosen and rule.interpreter:
        return (
            _("We chose %(organisation)s because you asked for an interpreter.", organisation=name),
            [],
        )
    if not chosen and rule.bsl:
        return (
            _(
                "We chose %(organisation)s because you use British Sign Language (BSL).",
                organisation=name,
            ),
            [],
        )
    return (
        _(
            "We chose %(organisation)s because it specialises in supporting people targeted because of:",
            organisation=name,
        ),
        [str(CHARACTERISTICS[c]) for c in CHARACTERISTICS if c in chosen],
    )
