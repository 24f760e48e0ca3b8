"""Forms for handling a referral: the inbox filter, who has it, status, notes, contact
attempts, passing on and erasing. Free text is cleaned (control characters out) and bounded.

The referral's page holds three forms at once, so each has a prefix: their fields (and
CSRF tokens) get ids of their own ("status-status", "note-text", "contact-method").
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..form_helpers import YES_NO, Radios, choices, clean
from ..services.vocabulary import CHARACTERISTICS, OUTCOMES, STATUSES


def _at_most(longest: int):
    return Length(max=longest, message=_l("Use %(max)d characters or fewer", max=longest))


# The inbox's "who has it" filter.
OWNERS = {"mine": _l("Mine"), "unassigned": _l("Nobody yet")}
NOBODY = "nobody"  # AssignForm's choice for leaving a referral with nobody


class InboxFilterForm(FlaskForm):
    """A GET form (no CSRF token). An unknown value in a hand-edited address is dropped,
    and the page says so, rather than failing."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Any status")), *choices(STATUSES)],
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ignored = False
        for field, allowed in (
            (self.status, STATUSES),
            (self.characteristic, CHARACTERISTICS),
            (self.owner, OWNERS),
        ):
            if field.data and field.data not in allowed:
                field.data = ""
                self.ignored = True


# How staff can try to reach someone (services.contact_safety.METHODS, in words).
CONTACT_METHODS = {
    "phone": _l("Phone call"),
    "email": _l("Email"),
    "post": _l("Letter"),
    "text": _l("Text message"),
    "in_person": _l("In person"),
}


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
    note = TextAreaField(
        _l("Note (optional)"),
        filters=[clean],
        description=_l("For example: no answer, or a time to try again."),
        validators=[Optional(), _at_most(500)],
    )
    # Shown, and required, only when the attempt goes against the person's wishes.
    understood = BooleanField(_l("I understand this goes against what the person asked"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "contact")
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
