"""Forms for handling a referral: the inbox filter, who has it, status, notes, contact
attempts, passing on and erasing. Free text is cleaned (control characters out) and bounded.

The referral's page holds three forms at once, so each has a prefix: their fields (and
CSRF tokens) get ids of their own ("status-status", "note-text", "contact-method").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..answers.forms import ContactSafetyForm
from ..form_helpers import YES_NO, Checkboxes, Radios, check_date, choices, clean
from ..services.vocabulary import CHARACTERISTICS, OUTCOMES, STATUSES


def _at_most(longest: int):
    return Length(max=longest, message=_l("Use %(max)d characters or fewer", max=longest))


# The inbox's "who has it" filter.
OWNERS = {"mine": _l("Mine"), "unassigned": _l("Nobody yet")}
NOBODY = "nobody"  # AssignForm's choice for leaving a referral with nobody

# The inbox's orders (services/cases.SORTS), the default first.
SORTS = {
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "activity": _l("Latest activity first"),
    "waiting": _l("Waiting longest first"),
}


# "Due" is not a status (the statistics' set stays the same): contacted, and nothing
# recorded on it for CONTACTED_DUE_DAYS (services/cases.inbox's due_before).
DUE = "due"
STATUSES_AND_DUE = {**STATUSES, DUE: _l("Due: contacted, not moved on")}


class InboxFilterForm(FlaskForm):
    """A GET form (no CSRF token). An unknown value in a hand-edited address is dropped,
    and the page says so, rather than failing."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Any status")), *choices(STATUSES_AND_DUE)],
        validators=[Optional()],
        validate_choice=False,
    )
    characteristic = SelectField(
        _l("About"),
        choices=[SelectChoice("", _l("Any kind of hate crime")), *choices(CHARACTERISTICS)],
        validators=[Optional()],
        validate_choice=False,
    )
    owner = SelectField(
        _l("Who has it"),
        choices=[SelectChoice("", _l("Anyone or nobody")), *choices(OWNERS)],
        validators=[Optional()],
        validate_choice=False,
    )
    sort = SelectField(
        _l("Sort by"),
        choices=choices(SORTS),
        validators=[Optional()],
        validate_choice=False,
    )

    tag = SelectField(_l("Tag"), validators=[Optional()], validate_choice=False)

    def __init__(self, *args, tags: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # The organisation's own tags (the pack's `tags`); none: the page leaves it out.
        self.tag.choices = [
            SelectChoice("", _l("Any tag or none")),
            *(SelectChoice(*t) for t in tags),
        ]
        self.ignored = False
        for field, allowed in (
            (self.status, STATUSES_AND_DUE),
            (self.characteristic, CHARACTERISTICS),
            (self.owner, OWNERS),
            (self.tag, dict(tags)),
            (self.sort, SORTS),
        ):
            if field.data and field.data not in allowed:
                field.data = ""
                self.ignored = True
        self.sort.data = self.sort.data or next(iter(SORTS))


# How staff can try to reach someone (services.contact_safety.METHODS, in words).
CONTACT_METHODS = {
    "phone": _l("Phone call"),
    "email": _l("Email"),
    "post": _l("Letter"),
    "text": _l("Text message"),
    "in_person": _l("In person"),
}


# What came of it (services/cases.RESULTS, in words).
CONTACT_RESULTS = {
    "answered": _l("They answered"),
    "no_answer": _l("No answer"),
    "left_no_message": _l("No answer, and I left no message"),
    "wrong_person": _l("Someone else answered"),
}

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class AssignForm(FlaskForm):
    """Who has the referral: a member of staff's id, or NOBODY. A manager chooses among
    everyone; a caseworker's form is a single button (take it, or give it back)."""

    to = Radios(
        _l("Who should have it?"),
        validators=[InputRequired(_l("Select who should have it"))],
    )
    reason = TextAreaField(
        _l("Reason"),
        filters=[clean],
        description=_l(
            "Needed when someone already has it. Kept in the history and the audit log, "
            "so do not name the person."
        ),
        validators=[Optional(), _at_most(300)],
    )

    def __init__(self, *args, people: list[SelectChoice], **kwargs):
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.to.choices = [*people, SelectChoice(NOBODY, _l("Nobody for now"))]


class StatusForm(FlaskForm):
    status = Radios(
        _l("Status"), choices=choices(STATUSES), validators=[InputRequired(_l("Select a status"))]
    )
    outcome = Radios(
        _l("Outcome"),
        choices=choices(OUTCOMES),
        validators=[Optional()],
        description=_l("Only when closing the referral."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.status.data == "closed" and not self.outcome.data:
            self.outcome.errors = [_l("Select an outcome to close the referral")]
            ok = False
        return ok


class SearchForm(FlaskForm):
    """Posted, never in the address: what is typed may be a name, a phone number or an email
    address, and an address ends up in browser history, server logs and bookmarks."""

    query = StringField(
        _l("Reference, name, phone number or email address"),
        filters=[clean],
        description=_l(
            "Names, phone numbers and email addresses are kept locked, so only an exact match "
            "is found: type the whole of one, as the person gave it. Capitals, spaces and "
            "hyphens do not matter."
        ),
        validators=[
            DataRequired(_l("Enter a reference, name, phone number or email address")),
            _at_most(200),
        ],
    )


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Note"),
        filters=[clean],
        description=_l(
            "Only what the organisation needs to support the person. They can ask to see it."
        ),
        validators=[DataRequired(_l("Enter the note")), _at_most(5000)],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)


class ContactForm(FlaskForm):
    method = Radios(
        _l("How did you try to contact them?"),
        choices=choices(CONTACT_METHODS),
        validators=[InputRequired(_l("Select how you tried to contact them"))],
    )
    result = Radios(
        _l("What happened?"),
        choices=choices(CONTACT_RESULTS),
        validators=[InputRequired(_l("Select what happened"))],
    )
    # When it was tried, in the organisation's time (the page fills in now): a day, month
    # and year as the GOV.UK date pattern, and a time. No Optional(): validate_made_day
    # checks the whole moment.
    made_day = StringField(_l("Day"), filters=[clean])
    made_month = StringField(_l("Month"), filters=[clean])
    made_year = StringField(_l("Year"), filters=[clean])
    made_time = StringField(
        _l("Time"), filters=[clean], description=_l("24-hour clock, for example 14:30.")
    )
    message_left = Radios(
        _l("Did you leave a message?"),
        choices=YES_NO,
        description=_l("A voicemail, a text, or a note left with someone or at the door."),
        validators=[InputRequired(_l("Select whether you left a message"))],
    )
    said_who = Radios(
        _l("Did you say who we are?"),
        choices=YES_NO,
        description=_l("Our name, in words, on an envelope or in an email."),
        validators=[InputRequired(_l("Select whether you said who we are"))],
    )
    next_day = StringField(_l("Day"), filters=[clean])
    next_month = StringField(_l("Month"), filters=[clean], validators=[Optional()])
    next_year = StringField(_l("Year"), filters=[clean], validators=[Optional()])
    note = TextAreaField(
        _l("Note (optional)"),
        filters=[clean],
        description=_l("For example: no answer, or a time to try again."),
        validators=[Optional(), _at_most(500)],
    )
    # Shown, and required, only when the attempt goes against the person's wishes.
    understood = BooleanField(_l("I understand this goes against what the person asked"))

    def __init__(self, *args, local_now: dt.datetime | None = None, **kwargs):
        """local_now: the organisation's wall-clock time now (naive), the latest an
        attempt can have been made; the boxes start at it."""
        kwargs.setdefault("prefix", "contact")
        self.local_now = local_now or dt.datetime(2000, 1, 1)
        if kwargs.get("formdata", ...) is None and local_now is not None:
            kwargs.setdefault(
                "data",
                {
                    "made_day": str(local_now.day),
                    "made_month": str(local_now.month),
                    "made_year": str(local_now.year),
                    "made_time": local_now.strftime("%H:%M"),
                },
            )
        super().__init__(*args, **kwargs)

    def _made_blank(self) -> bool:
        """Nothing typed in the four boxes (a form posted without them): it means now."""
        boxes = (self.made_day, self.made_month, self.made_year, self.made_time)
        return not any(box.data for box in boxes)

    def made_at(self) -> dt.datetime:
        """When it was tried, as typed (naive, the organisation's time); valid forms only."""
        if self._made_blank():
            return self.local_now
        day = dt.date(int(self.made_year.data), int(self.made_month.data), int(self.made_day.data))
        match = _TIME.match(self.made_time.data or "")
        assert match  # validated
        return dt.datetime.combine(day, dt.time(int(match[1]), int(match[2])))

    def next_try(self) -> dt.date | None:
        if not (self.next_day.data or self.next_month.data or self.next_year.data):
            return None
        return dt.date(int(self.next_year.data), int(self.next_month.data), int(self.next_day.data))

    def validate_made_day(self, field) -> None:
        if self._made_blank():
            return
        check_date(
            self.made_day.data,
            self.made_month.data,
            self.made_year.data,
            earliest_year=2000,
            not_after=self.local_now.date(),
        )

    def validate_made_time(self, field) -> None:
        if self._made_blank():
            return
        if not _TIME.match(field.data or ""):
            raise ValidationError(_l("Enter a time on the 24-hour clock, for example 14:30"))
        if self.made_day.errors:
            return
        # (ValidationError is a ValueError: the comparison stays outside the try.)
        try:
            made = self.made_at()
        except ValueError:
            return
        if made > self.local_now:
            raise ValidationError(_l("The time must be now or in the past"))

    def validate_next_day(self, field) -> None:
        if self.next_day.data or self.next_month.data or self.next_year.data:
            check_date(
                self.next_day.data,
                self.next_month.data,
                self.next_year.data,
                earliest_year=self.local_now.year,
                latest_year=self.local_now.year + 2,
            )


class WishesForm(FlaskForm):
    """The person now says something new about being contacted by phone. Starts at their
    answers as they are; what they said is required."""

    # The referral form's own questions, so the words are the person's.
    phone_periods = ContactSafetyForm.phone_periods
    phone_message = ContactSafetyForm.phone_message
    phone_say_who = ContactSafetyForm.phone_say_who
    words = TextAreaField(
        _l("What did they say, and when?"),
        filters=[clean],
        validators=[InputRequired(_l("Enter what they said, and when")), _at_most(500)],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "wishes")
        super().__init__(*args, **kwargs)


class PassOnForm(FlaskForm):
    organisation = Radios(
        _l("Which organisation should have it?"),
        validators=[InputRequired(_l("Select the organisation to pass it to"))],
    )
    reason = TextAreaField(
        _l("Why are you passing it on?"),
        filters=[clean],
        description=_l("The organisation you pass it to will see this."),
        validators=[DataRequired(_l("Enter why you are passing it on")), _at_most(2000)],
    )

    def __init__(self, *args, organisations: list[SelectChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = organisations


class AcceptForm(FlaskForm):
    """Accepting a referral passed to the organisation: a button and its CSRF token."""


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you returning it?"),
        filters=[clean],
        description=_l(
            "The organisation that passed it to you will see this. For example: it is "
            "outside the area we cover."
        ),
        validators=[DataRequired(_l("Enter why you are returning it")), _at_most(2000)],
    )


class EraseForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you deleting it?"),
        filters=[clean],
        description=_l(
            "For example: the person asked us to delete what they told us. This is "
            "kept in the audit log after the content is gone, so do not name anyone."
        ),
        validators=[DataRequired(_l("Enter why you are deleting it")), _at_most(500)],
    )


class AuditFilterForm(FlaskForm):
    """A manager's filters of their organisation's audit log: a GET form like the inbox's.
    An unknown value in a hand-edited address is dropped, and the page says so."""

    class Meta:
        csrf = False

    person = SelectField(_l("Who"), validators=[Optional()], validate_choice=False)
    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=False)

    def __init__(
        self,
        *args,
        people: Sequence[tuple[str, str]] = (),
        actions: Sequence[tuple[str, str]] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.person.choices = [SelectChoice("", _l("Anyone")), *(SelectChoice(*p) for p in people)]
        self.action.choices = [
            SelectChoice("", _l("Any action")),
            *(SelectChoice(*a) for a in actions),
        ]
        self.ignored = False
        for field, allowed in ((self.person, people), (self.action, actions)):
            if field.data and field.data not in {key for key, _label in allowed}:
                field.data = ""
                self.ignored = True


class TagsForm(FlaskForm):
    """The organisation's own tags on a referral (the pack's `tags`): tick what applies."""

    tags = Checkboxes(_l("Tags"), validators=[Optional()])

    def __init__(self, *args, tags: Sequence[tuple[str, str]] = (), **kwargs):
        kwargs.setdefault("prefix", "tags")
        super().__init__(*args, **kwargs)
        self.tags.choices = [SelectChoice(*t) for t in tags]
