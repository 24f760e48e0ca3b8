"""Forms of the administrators' pages. Free text is cleaned (control characters out) and
bounded; choices are checked here with our own translated messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from .. import clock, i18n
from ..form_helpers import Radios, check_date, clean
from ..services import content
from ..services.accounts import ORGANISATION_ROLES
from ..services.areapack import Organisation
from ..services.sanitise import ALLOWED_PROTOCOLS, ALLOWED_TAGS, clean_html
from ..services.vocabulary import ROLES


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Use %(max)d characters or fewer", max=limit))


def one_line(text: str | None) -> str | None:
    """Runs of white space, line breaks included, as one space: titles and names are one line."""
    return None if text is None else " ".join(text.split())


def _text(label, limit: int, required, description=None) -> StringField:
    return StringField(
        label,
        description=description,
        filters=[clean, one_line],
        validators=[DataRequired(required), _at_most(limit)],
    )


def _area(label, limit: int, required, description=None) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        filters=[clean],
        validators=[DataRequired(required), _at_most(limit)],
    )


# Staff -------------------------------------------------------------------------------------


class InviteForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[clean],
        description=_l("Their work address. The invitation link is sent there."),
        validators=[
            DataRequired(_l("Enter their email address")),
            _at_most(254),
            Email(_l("Enter an email address in the right format, like name@example.org")),
        ],
    )
    name = _text(
        lazy_pgettext("person", "Name"),
        200,
        _l("Enter their name"),
        description=_l("As their colleagues know them."),
    )
    role = Radios(
        _l("Role"),
        choices=[SelectChoice(key, label) for key, label in ROLES.items()],
        validate_choice=False,
    )
    organisation = SelectField(
        _l("Organisation"),
        validate_choice=False,
        description=_l(
            "Caseworkers and managers belong to one organisation. Administrators belong to none."
        ),
    )

    def __init__(self, *args, organisations: tuple[Organisation, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [
            SelectChoice("", _l("None (administrators)")),
            *(SelectChoice(o.slug, o.name) for o in organisations),
        ]
        self._slugs = {o.slug for o in organisations}

    def validate_role(self, field) -> None:
        if field.data not in ROLES:
            raise ValidationError(_l("Select their role"))

    def validate_organisation(self, field) -> None:
        if field.data and field.data not in self._slugs:
            raise ValidationError(_l("Select an organisation from the list"))
        if self.role.data in ORGANISATION_ROLES and not field.data:
            raise ValidationError(
                _l("Select the organisation they work for: caseworkers and managers belong to one")
            )
        if self.role.data == "admin" and field.data:
            raise ValidationError(
                _l(
                    "Select None for an administrator: administrators do not "
                    "belong to an organisation"
                )
            )


class ConfirmForm(FlaskForm):
    """A button and its CSRF token, for actions confirmed on a page of their own."""


# News and events ---------------------------------------------------------------------------


def _day_fields():
    return (
        StringField(_l("Day"), filters=[clean]),
        StringField(_l("Month"), filters=[clean]),
        StringField(_l("Year"), filters=[clean]),
    )


class _Dated(FlaskForm):
    """Three boxes for a date (day_, month_, year_ + `DATE`); the error goes on the day."""

    DATE = ""

    def date_fields(self) -> tuple:
        return tuple(self[f"{part}_{self.DATE}"] for part in ("day", "month", "year"))

    @property
    def date(self) -> dt.date:
        day, month, year = self.date_fields()
        return dt.date(int(year.data), int(month.data), int(day.data))

    def check_the_date(self, not_after: dt.date | None = None) -> None:
        day, month, year = self.date_fields()
        check_date(
            day.data,
            month.data,
            year.data,
            earliest_year=2000,
            latest_year=2100,
            not_after=not_after,
        )


_TAGS = ", ".join(f"<{tag}>" for tag in ALLOWED_TAGS)
_PROTOCOLS = ", ".join(ALLOWED_PROTOCOLS)


# Translations of a story or event: optional, one set of boxes a language.

# Every language of the site but English, the shipped packs' own (what the main boxes hold).
OTHER_LANGUAGES = tuple(code for code in i18n.LANGUAGES if code != i18n.DEFAULT)


def _some_html_left(form, field) -> None:
    if field.data and not clean_html(field.data).strip():
        raise ValidationError(
            _l("Enter the story as text: nothing is left once HTML that is not allowed is removed")
        )


def _optional_text(label, limit: int) -> StringField:
    return StringField(label, filters=[clean, one_line], validators=[Optional(), _at_most(limit)])


def _optional_area(label, limit: int, *extra) -> TextAreaField:
    return TextAreaField(label, filters=[clean], validators=[Optional(), _at_most(limit), *extra])


class _Translated:
    """Boxes named `<field>_<language>` for each field in TRANSLATED ({form field: column})."""

    TRANSLATED: ClassVar[dict[str, str]] = {}
    OTHER_LANGUAGES = OTHER_LANGUAGES

    def translated_fields(self, code: str) -> list:
        return [self[f"{name}_{code}"] for name in self.TRANSLATED]  # type: ignore[index]

    def translations(self) -> dict[str, dict[str, str]]:
        """What was typed, as stored: {column: {language: text}}, empty boxes left out."""
        result = {}
        for name, column in self.TRANSLATED.items():
            texts = {
                code: self[f"{name}_{code}"].data  # type: ignore[index]
                for code in OTHER_LANGUAGES
                if self[f"{name}_{code}"].data  # type: ignore[index]
            }
            if texts:
                result[column] = texts
        return result

    @classmethod
    def initial_translations(cls, stored: dict | None) -> dict[str, str]:
        """The form's starting values from a stored item's translations."""
        return {
            f"{name}_{code}": text
            for name, column in cls.TRANSLATED.items()
            for code, text in (stored or {}).get(column, {}).items()
            if code in OTHER_LANGUAGES
        }


def _add_translations(form_class: type, **makers) -> None:
    for code in OTHER_LANGUAGES:
        for name, make in makers.items():
            setattr(form_class, f"{name}_{code}", make())


class NewsForm(_Translated, _Dated):
    DATE = "published"
    TRANSLATED: ClassVar[dict[str, str]] = {
        "title": "title",
        "summary": "summary",
        "body": "body_html",
    }

    title = _text(_l("Title"), 200, _l("Enter a title"))
    slug = StringField(
        _l("Web address (optional)"),
        filters=[clean],
        description=_l(
            "The last part of the story's address, in lower-case letters, numbers and hyphens, "
            "like community-awards-2026. Leave it empty to make one from the title. Changing it "
            "breaks links to the old address."
        ),
        validators=[Optional(), _at_most(content.SLUG_LENGTH)],
    )
    summary = _area(
        _l("Summary"),
        500,
        _l("Enter a summary"),
        description=_l("One or two sentences, shown in the list of news."),
    )
    body = TextAreaField(
        _l("Story"),
        filters=[clean],
        description=_l(
            "Written in HTML. Only these tags are kept: %(tags)s. Links can only use these kinds "
            "of address: %(protocols)s. Any other tag, attribute or script is removed when you "
            "save.",
            tags=_TAGS,
            protocols=_PROTOCOLS,
        ),
        validators=[DataRequired(_l("Enter the story")), _at_most(20000)],
    )
    day_published, month_published, year_published = _day_fields()

    def validate_slug(self, field) -> None:
        if field.data and not content.SLUG.match(field.data):
            raise ValidationError(
                _l(
                    "Use only lower-case letters, numbers and single hyphens "
                    "between words, like community-awards-2026"
                )
            )

    def validate_body(self, field) -> None:
        if field.data and not clean_html(field.data).strip():
            raise ValidationError(
                _l(
                    "Enter the story as text: nothing is left once HTML that "
                    "is not allowed is removed"
                )
            )

    def validate_day_published(self, field) -> None:
        self.check_the_date(not_after=clock.today())


class EventForm(_Translated, _Dated):
    DATE = "date"
    TRANSLATED: ClassVar[dict[str, str]] = {
        "title": "title",
        "time": "time",
        "location": "location",
        "description": "description",
    }

    title = _text(_l("Title"), 200, _l("Enter a title"))
    day_date, month_date, year_date = _day_fields()
    time = _text(
        _l("Time"),
        100,
        _l("Enter the time, for example 6pm to 8pm"),
        description=_l("For example: 6pm to 8pm, or all day."),
    )
    location = _text(
        _l("Place"), 300, _l("Enter where it takes place"), description=_l("An address, or Online.")
    )
    description = _area(
        _l("Description"),
        5000,
        _l("Enter a description"),
        description=_l("Plain text: it is shown exactly as you type it."),
    )

    def validate_day_date(self, field) -> None:
        self.check_the_date()


_add_translations(
    NewsForm,
    title=lambda: _optional_text(_l("Title"), 200),
    summary=lambda: _optional_area(_l("Summary"), 500),
    body=lambda: _optional_area(_l("Story"), 20000, _some_html_left),
)
_add_translations(
    EventForm,
    title=lambda: _optional_text(_l("Title"), 200),
    time=lambda: _optional_text(_l("Time"), 100),
    location=lambda: _optional_text(_l("Place"), 300),
    description=lambda: _optional_area(_l("Description"), 5000),
)


# The audit log -----------------------------------------------------------------------------


class AuditFilterForm(FlaskForm):
    """Read from the address (GET): no CSRF token, and any value is refused kindly."""

    class Meta:
        csrf = False

    reference = StringField(
        _l("Reference"),
        filters=[clean],
        validators=[Optional(), _at_most(16)],
        description=_l("For example BCDF-GHJK."),
    )
    action = SelectField(_l("Action"), validate_choice=False)

    def __init__(self, *args, actions: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [
            SelectChoice("", _l("Any action")),
            *(SelectChoice(key, label) for key, label in actions),
        ]
        self._actions = {key for key, _label in actions}

    def validate_action(self, field) -> None:
        if field.data and field.data not in self._actions:
            raise ValidationError(_l("Select an action from the list"))

    @property
    def normal_reference(self) -> str:
        """Upper case, spaces out, and the hyphen put back if it was left out."""
        reference = "".join((self.reference.data or "").split()).upper()
        if len(reference) == 8 and reference.isalnum():
            reference = f"{reference[:4]}-{reference[4:]}"
        return reference
