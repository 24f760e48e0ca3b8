"""Small helpers for forms, shared by every blueprint's forms (beside validators.py):
`clean` for free text, `choices` from a vocabulary, a bounded `text` answer, radio buttons
and groups of checkboxes that refuse an answer they did not offer kindly, the "at least one"
check, the yes/no choices, and a date typed in three boxes."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

# C0 (but tab and newline), DEL and C1: invisible, and some make HTML invalid.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str | None) -> str | None:
    """Control characters out, line endings as \\n, outer spaces trimmed."""
    if text is None:
        return None
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def choices(mapping: dict) -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in mapping.items()]


def text(label, max_length: int, required_message=None, conditional=False, **kwargs) -> StringField:
    """A bounded text answer. `conditional`: required or not is decided by the form's own
    validate_<name> (Optional would stop those checks from running on an empty answer)."""
    validators = (
        [DataRequired(required_message)]
        if required_message
        else []
        if conditional
        else [Optional()]
    )
    validators.append(
        Length(max=max_length, message=_l("Use %(max)d characters or fewer", max=max_length))
    )
    return StringField(label, validators=validators, filters=[clean], **kwargs)


# An answer the page did not offer (an old page, an area pack changed since, or a hand-made
# request): WTForms would say "Not a valid choice." in English whatever the page's language.
NOT_OFFERED = _l("Choose one of the answers shown")


class _OnlyOffered:
    """A choice field whose answer not among its choices gets NOT_OFFERED, in the page's
    language, rather than WTForms' English "Not a valid choice"."""

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)  # type: ignore[misc]
        except ValidationError:
            raise ValidationError(str(NOT_OFFERED)) from None


class Radios(_OnlyOffered, RadioField):
    """Radio buttons that answer an unoffered choice kindly."""


class Checkboxes(_OnlyOffered, SelectMultipleField):
    """Checkboxes that answer an unoffered choice kindly."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    """Like InputRequired, without putting `required` on every box of the group, which
    screen readers would announce as "required" for each one. (It sets no field_flags,
    which is what puts `required` on the inputs.)"""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            from wtforms.validators import StopValidation

            raise StopValidation(self.message)


YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


def check_date(
    day: str | None,
    month: str | None,
    year: str | None,
    *,
    earliest_year: int,
    latest_year: int | None = None,
    not_after: dt.date | None = None,
) -> dt.date:
    """A date typed in three boxes, or a ValidationError saying what to put right.

    The years a form accepts are its own (a hate incident can be long ago; news is dated
    this century); a year too large for a date at all is "not a real date" too."""
    if not (day and month and year):
        raise ValidationError(_l("Enter the day, month and year, for example 27 3 2026"))
    try:
        date = dt.date(int(year), int(month), int(day))
    except (ValueError, OverflowError):
        raise ValidationError(_l("Enter a real date, for example 27 3 2026")) from None
    if date.year < earliest_year or (latest_year is not None and date.year > latest_year):
        raise ValidationError(_l("Enter a real date, for example 27 3 2026"))
    if not_after is not None and date > not_after:
        raise ValidationError(_l("The date must be today or in the past"))
    return date
