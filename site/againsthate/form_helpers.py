"""Small helpers for forms, shared by every blueprint's forms (beside validators.py):
`clean` for free text, `choices` from a vocabulary, a bounded `text` answer, a group of
checkboxes and its "at least one" check, and the yes/no choices."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
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


class Checkboxes(SelectMultipleField):
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
