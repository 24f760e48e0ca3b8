"""One form per question page. Error messages are instructions, kind and specific.

Every free-text answer is cleaned of control characters (NUL included: PostgreSQL
refuses it) and bounded in length; it is stored as typed and escaped on output.
"""

from __future__ import annotations

import re
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from .. import clock
from ..areas import current_pack
from ..form_helpers import YES_NO, AtLeastOne, Checkboxes, Radios, check_date, choices, clean, text
from ..services.vocabulary import (
    ABOUT,
    HEARD,
    HEARD_OTHER,
    HEARD_OTHER_LABEL,
    HELP,
    RELIGIONS,
    SAFE_TIMES,
)
from ..templating import pack_text
from ..validators import postcode

# How a field is drawn (referral/_field.html passes these to the components), on the field
# as WTForms' render_kw. The journey's forms say autocomplete="off", so a browser neither
# restores an answer when someone goes Back nor offers it again later. The four fields about
# the person (name, phone, email, address) name their purpose instead (WCAG 2.2 1.3.5), so the
# browser and assistive technology know what they are; those pages are never drawn once the
# answers are gone (views.question), so there is nothing for Back to refill.
# Numbers and addresses are typed left to right on every page: in an Arabic or Urdu box,
# "07700 900 982" would show its groups reversed while it is typed (i18n.ltr is for text;
# this is a field).
LEFT_TO_RIGHT = {"dir": "ltr", "spellcheck": "false"}


class WhoForm(FlaskForm):
    who = Radios(
        _l("Who is filling in this form?"),
        choices=[
            SelectChoice("self", _l("I am the person it happened to")),
            SelectChoice("helper", _l("I am helping the person it happened to, and they agree")),
            SelectChoice("witness", _l("I saw it happen to someone else")),
            SelectChoice(
                "professional", _l("I am a professional referring someone, with their agreement")
            ),
        ],
        validators=[InputRequired(_l("Select who is filling in this form"))],
    )


class WhatForm(FlaskForm):
    what = TextAreaField(
        _l("What happened?"),
        render_kw={"rows": 10},
        description=_l(
            "Tell us in your own words. Write as much or as little as you like. You can leave out anything you do not want to share."
        ),
        validators=[
            DataRequired(_l("Tell us what happened")),
            Length(max=5000, message=_l("Use 5,000 characters or fewer")),
        ],
        filters=[clean],
    )


def _year_choices() -> list[SelectChoice]:
    this_year = clock.today().year
    return [SelectChoice(str(y), str(y)) for y in range(this_year, this_year - 6, -1)]


MONTHS = [
    SelectChoice(str(n), label)
    for n, label in enumerate(
        [
            _l("January"),
            _l("February"),
            _l("March"),
            _l("April"),
            _l("May"),
            _l("June"),
            _l("July"),
            _l("August"),
            _l("September"),
            _l("October"),
            _l("November"),
            _l("December"),
        ],
        start=1,
    )
]


class WhenDateForm(FlaskForm):
    # No Optional() here: it would stop validate_when_day, which checks the whole date.
    when_day = StringField(_l("Day"), filters=[clean])
    when_month = StringField(_l("Month"), filters=[clean], validators=[Optional()])
    when_year = StringField(_l("Year"), filters=[clean], validators=[Optional()])

    def validate_when_day(self, field) -> None:
        # Long ago is fine (1900 on); the future is not.
        check_date(
            self.when_day.data,
            self.when_month.data,
            self.when_year.data,
            earliest_year=1900,
            not_after=clock.today(),
        )


class WhenMonthForm(FlaskForm):
    when_month_name = Radios(
        _l("Which month?"), choices=MONTHS, validators=[InputRequired(_l("Select the month"))]
    )
    when_month_year = Radios(
        _l("Which year?"), choices=_year_choices, validators=[InputRequired(_l("Select the year"))]
    )


class WhenWhereForm(FlaskForm):
    """Two short questions that belong together, on one page (GOV.UK: ask related
    questions together); each has a follow-up page only when its answer calls for one."""

    when = Radios(
        _l("When did it happen?"),
        choices=[
            SelectChoice("date", _l("On a date I know")),
            SelectChoice("month", _l("About a month ago, or in a month I remember")),
            SelectChoice("ongoing", _l("It keeps happening")),
            SelectChoice("not_sure", _l("I'm not sure")),
        ],
        validators=[InputRequired(_l("Select when it happened"))],
    )
    where = Radios(
        _l("Where did it happen?"),
        choices=[
            SelectChoice("place", _l("In a place, such as a street, a shop, a bus or at home")),
            SelectChoice("online", _l("Online, such as on social media, in messages or in a game")),
            SelectChoice("not_sure", _l("I'd rather not say, or I'm not sure")),
        ],
        validators=[InputRequired(_l("Select where it happened"))],
    )


class WherePlaceForm(FlaskForm):
    where_postcode = text(
        _l("Postcode (optional)"),
        10,
        description=_l(
            "If you know it. Only the first part is used to find local support, like %(example)s."
        ),
        render_kw={"class_": "input-short", **LEFT_TO_RIGHT},
    )
    where_place = text(
        _l("Describe the place (optional)"),
        300,
        description=_l("For example: the bus stop on the high street, or outside my home."),
    )

    def validate_where_postcode(self, field) -> None:
        postcode(self, field)


class WhereOnlineForm(FlaskForm):
    where_platform = text(
        _l("Which website, app or game? (optional)"),
        200,
        description=_l("For example: the name of the social media site or messaging app."),
    )


class AboutForm(FlaskForm):
    about = Checkboxes(
        _l("What do you think it was about?"),
        description=_l(
            "Select all that apply. It counts if they targeted you because of what they thought you are, even if they were wrong."
        ),
        choices=choices(ABOUT),
        validators=[AtLeastOne(_l("Select what you think it was about, or select I'm not sure"))],
    )

    def validate_about(self, field) -> None:
        if "not_sure" in field.data and len(field.data) > 1:
            raise ValidationError(
                _l("Select I'm not sure on its own, or the things you think it was about")
            )


class AboutOtherForm(FlaskForm):
    about_other = text(
        _l("What else do you think it was about?"),
        300,
        required_message=_l("Tell us what else you think it was about"),
    )


class ReligionForm(FlaskForm):
    religion = Radios(
        _l("Which religion or belief do you think they were targeting? (optional)"),
        description=_l("This helps us find a specialist service. You can skip this question."),
        choices=choices(RELIGIONS),
        validators=[Optional()],
    )


class PoliceForm(FlaskForm):
    police = Radios(
        _l("Have you told the police?"),
        choices=[
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No")),
            SelectChoice(
                "pass_on", _l("No, but I would like you to pass it on to the police for me")
            ),
        ],
        validators=[InputRequired(_l("Select whether you have told the police"))],
    )


class PoliceReferenceForm(FlaskForm):
    crime_reference = text(
        _l("Crime reference number (optional)"),
        50,
        description=_l(
            "You can find it on a letter, text or email from the police. Leave it blank if you do not have it."
        ),
        render_kw=LEFT_TO_RIGHT,
    )


class PoliceConsentForm(FlaskForm):
    pass_on_consent = BooleanField(
        _l(
            "I agree that the organisation can tell the police what happened, and give them my contact details if I have shared them"
        ),
        validators=[
            DataRequired(_l("Tick the box to agree, or go back and choose another answer"))
        ],
    )


CONTACT_CHOICES = {
    "yes": _l("Yes, I would like someone to contact me"),
    "none": _l("No, I want to stay anonymous"),
}


class HelpForm(FlaskForm):
    """The help wanted, and whether anyone may get in touch: the two answers that decide
    what happens next, asked together."""

    help = Checkboxes(
        _l("What would help you?"),
        description=_l("Select all that apply."),
        choices=choices(HELP),
        validators=[AtLeastOne(_l("Select what would help, or select I'm not sure"))],
    )
    contact = Radios(
        _l("Would you like someone to contact you?"),
        choices=choices(CONTACT_CHOICES),
        description=_l(
            "If you stay anonymous, what you tell us is still counted, so local services know what is happening. No one will be able to contact you."
        ),
        validators=[InputRequired(_l("Select whether you would like someone to contact you"))],
    )

    def validate_help(self, field) -> None:
        if "not_sure" in field.data and len(field.data) > 1:
            raise ValidationError(
                _l("Select I'm not sure on its own, or the things that would help")
            )


METHODS = {"phone": _l("Phone"), "email": _l("Email"), "post": _l("Post")}


class ContactDetailsForm(FlaskForm):
    name = text(
        _l("What name should we use? (optional)"),
        100,
        description=_l("It does not have to be your full name."),
        render_kw={"autocomplete": "name"},
    )
    methods = Checkboxes(
        _l("How can we contact you?"),
        description=_l("Select all that are safe for you."),
        choices=choices(METHODS),
        validators=[AtLeastOne(_l("Select at least one way to contact you"))],
    )
    phone = text(
        _l("Phone number"),
        30,
        conditional=True,
        description=_l("Only if you ticked Phone."),
        render_kw={"autocomplete": "tel", "inputmode": "tel", **LEFT_TO_RIGHT},
    )
    email = text(
        _l("Email address"),
        254,
        conditional=True,
        description=_l("Only if you ticked Email."),
        render_kw={"autocomplete": "email", "inputmode": "email", **LEFT_TO_RIGHT},
    )
    address = TextAreaField(
        _l("Postal address"),
        filters=[clean],
        description=_l("Only if you ticked Post."),
        validators=[Length(max=500, message=_l("Use %(max)d characters or fewer", max=500))],
        render_kw={"autocomplete": "street-address"},
    )

    def validate_phone(self, field) -> None:
        if "phone" in (self.methods.data or []):
            digits = re.sub(r"[\s()+-]", "", field.data or "")
            if not digits:
                raise ValidationError(_l("Enter a phone number, or untick Phone"))
            if not digits.isdigit() or not 7 <= len(digits) <= 15:
                raise ValidationError(_l("Enter a phone number, like 07700 900 982"))

    def validate_email(self, field) -> None:
        if "email" in (self.methods.data or []):
            if not field.data:
                raise ValidationError(_l("Enter an email address, or untick Email"))
            Email(_l("Enter an email address in the right format, like name@example.com"))(
                self, field
            )

    def validate_address(self, field) -> None:
        if "post" in (self.methods.data or []) and not field.data:
            raise ValidationError(_l("Enter a postal address, or untick Post"))


class ContactSafetyForm(FlaskForm):
    """Per contact method: is a message safe, when is safe, may we say who we are."""

    # The questions about each way of contact, in order, under its name; the page asks
    # only those of the ways chosen.
    BY_METHOD = (
        (
            "phone",
            METHODS["phone"],
            ("phone_message", "phone_periods", "phone_times", "phone_say_who"),
        ),
        ("email", METHODS["email"], ("email_say_who", "email_times")),
        ("post", METHODS["post"], ("post_say_who",)),
    )

    phone_message = Radios(
        _l("Is it safe to leave a voicemail or message?"), choices=YES_NO, validators=[Optional()]
    )
    # Ticked times staff can check at the moment they call; their own words beside them.
    phone_periods = Checkboxes(
        _l("When is it safe to call? (optional)"),
        choices=choices(SAFE_TIMES),
        description=_l("Select all that apply."),
        validators=[Optional()],
    )
    phone_times = text(
        _l("Anything else about when to call (optional)"),
        200,
        description=_l("For example: weekdays between 10am and 2pm."),
    )
    phone_say_who = Radios(
        _l("Can we say who we are when we call?"), choices=YES_NO, validators=[Optional()]
    )
    email_say_who = Radios(
        _l("Can we say who we are in the email?"), choices=YES_NO, validators=[Optional()]
    )
    # No ticked times for email: it waits until they open it, so what keeps them safe is
    # who sees it (say who we are) and, in their words, when it is safer to arrive.
    email_times = text(
        _l("Is there a time when it is safer for you to get an email? (optional)"), 200
    )
    post_say_who = Radios(
        _l("Can our name be on the envelope?"), choices=YES_NO, validators=[Optional()]
    )

    def __init__(self, *args, methods: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.methods = methods or []

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        needed = {
            "phone": ["phone_message", "phone_say_who"],
            "email": ["email_say_who"],
            "post": ["post_say_who"],
        }
        for method in self.methods:
            for name in needed.get(method, []):
                field = self[name]
                if not field.data:
                    field.errors = [*field.errors, _l("Select yes or no")]
                    ok = False
        return ok


class NeedsForm(FlaskForm):
    language = text(_l("Which language would you like us to use? (optional)"), 100)
    interpreter = Radios(
        _l("Would you like an interpreter?"), choices=YES_NO, validators=[Optional()]
    )
    bsl = BooleanField(_l("I use British Sign Language (BSL)"))
    access = TextAreaField(
        _l("Is there anything that would make it easier for you to get support? (optional)"),
        description=_l(
            "For example: large print, easy read, a quiet place, someone with you, or step-free access."
        ),
        filters=[clean],
        validators=[
            Optional(),
            Length(max=1000, message=_l("Use %(max)d characters or fewer", max=1000)),
        ],
    )


def heard_choices() -> list[SelectChoice]:
    """The answers to "how did you hear about this service?": the area's own campaign
    channels where its pack lists them (in the page's language where it gives one, else
    marked as its own), else the site's list; "somewhere else" last, always."""
    pack = current_pack()
    own = (
        [SelectChoice(option.slug, pack_text(option.label)) for option in pack.heard]
        if pack.heard
        else choices(HEARD)
    )
    return [*own, SelectChoice(HEARD_OTHER, HEARD_OTHER_LABEL)]


class ConsentForm(FlaskForm):
    """The last page: agreeing to share, a confirmation email, and (optional) how they
    heard of the service, for the campaign figures."""

    # Asked only when the answer named was given: a confirmation needs an address to go to.
    ASKED_ONLY_WITH: ClassVar[dict[str, str]] = {"confirmation": "email"}

    consent = BooleanField(
        _l("I agree that my answers can be shared with the organisation that will support me"),
        validators=[
            DataRequired(
                _l("Tick the box to agree, so that we can share your answers with the organisation")
            )
        ],
    )
    confirmation = BooleanField(_l("Email me a confirmation with my reference number"))
    heard = Radios(
        _l("How did you hear about this service? (optional)"),
        description=_l("This helps us know which campaigns reach people."),
        choices=[],  # the area's own: see __init__
        validators=[Optional()],
    )
    heard_other = text(_l("Where did you hear about it? (optional)"), 200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.heard.choices = heard_choices()


# Someone filling in the form for another person (a helper, a witness, a professional)
# reads questions about that person, not about themselves: field -> what changes.
FOR_SOMEONE_ELSE: dict[str, dict] = {
    "about": {
        "description": _l(
            "Select all that apply. It counts if they targeted the person because of what they thought the person is, even if they were wrong."
        )
    },
    "police": {
        "label": _l("Has anyone told the police?"),
        "choices": {"pass_on": _l("No, but I would like you to pass it on to the police")},
    },
    "pass_on_consent": {
        "label": _l(
            "I agree that the organisation can tell the police what happened, and give them the contact details given here, if any"
        )
    },
    "help": {"label": _l("What would help the person it happened to?")},
    "contact": {
        "label": _l("Would you like someone to get in touch?"),
        "choices": {"yes": _l("Yes, I would like someone to get in touch")},
    },
    "consent": {
        "label": _l(
            "I agree that these answers can be shared with the organisation that will support the person it happened to"
        )
    },
}


def reword_for(form: FlaskForm, who: str | None) -> None:
    """Put the words for a helper, witness or professional on a form built for the person."""
    if who in (None, "self"):
        return
    for name, change in FOR_SOMEONE_ELSE.items():
        if name not in form:
            continue
        field = form[name]
        if "label" in change:
            field.label.text = change["label"]
        if "description" in change:
            field.description = change["description"]
        if "choices" in change:
            field.choices = [
                SelectChoice(value, change["choices"].get(value, label))
                for value, label, *_rest in field.choices
            ]
