"""The check-your-answers page: each answer in words, and why an organisation was chosen."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _

from ..services import referrals
from ..services.areapack import AreaPack
from ..services.vocabulary import CHARACTERISTICS, HELP
from . import steps


@dataclass(frozen=True)
class Row:
    question: str
    answer: object  # text, or a list of texts
    step: str
    field: str


def _display(field) -> object:
    """The answer as the person would say it: labels, not codes."""
    data = field.data
    if field.type in ("RadioField", "SelectField"):
        return next((str(label) for value, label, *_ in field.iter_choices() if value == data), "")
    if field.type in ("Checkboxes", "SelectMultipleField"):
        labels = {value: str(label) for value, label, *_ in field.iter_choices()}
        return [labels.get(value, value) for value in data or []]
    if field.type == "BooleanField":
        return _("Yes") if data else _("No")
    return data or ""


def summary_rows(answers: dict) -> list[Row]:
    rows = []
    methods = set(answers.get("methods") or [])
    for step in steps.applicable(answers):
        if step.slug in ("when-date", "when-month"):
            rows.append(Row(str(step.heading), _date_answer(step.slug, answers), step.slug, ""))
            continue
        form = steps.form_for(step, answers)
        for name in steps.field_names(step):
            # Contact details and safety questions only for the ways they chose.
            method = name.split("_")[0]
            if step.slug in ("contact-details", "contact-safety") and method in ("phone", "email", "post") \
                    and method not in methods:
                continue
            if step.slug == "contact-details" and name == "address" and "post" not in methods:
                continue
            if name == "heard_other" and answers.get("heard") != "other":
                continue
            answer = _display(form[name])
            if answer in ("", []) and name not in ("what",):
                answer = _("Not given")
            rows.append(Row(str(form[name].label.text), answer, step.slug, name))
    return rows


def _date_answer(slug: str, answers: dict) -> str:
    """"3 February 2026" or "February 2026", in the reader's language."""
    try:
        if slug == "when-date":
            day = dt.date(int(answers["when_year"]), int(answers["when_month"]), int(answers["when_day"]))
            return format_date(day, "long")
        month = dt.date(int(answers["when_month_year"]), int(answers["when_month_name"]), 1)
        return format_date(month, "LLLL y")
    except (KeyError, ValueError):
        return _("Not given")


def reason_for(pack: AreaPack, answers: dict) -> tuple[str, list[str]]:
    """A sentence saying why this organisation, and the answers it rests on."""
    route = referrals.route_for(pack, answers)
    name = route.organisation.name
    rule = route.rule
    if rule is None:
        return (_("%(organisation)s supports anyone affected by hate crime in %(area)s.",
                  organisation=name, area=pack.name), [])
    if rule.help_only:
        wanted = [str(HELP[h]) for h in answers.get("help", []) if h in HELP]
        return (_("We chose %(organisation)s because of the help you asked for:", organisation=name),
                wanted)
    chosen = referrals.characteristics_of(answers) & set(rule.characteristics)
    return (_("We chose %(organisation)s because it specialises in supporting people targeted because of:",
              organisation=name), [str(CHARACTERISTICS[c]) for c in CHARACTERISTICS if c in chosen])

