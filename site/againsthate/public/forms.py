"""Forms of the public pages. Messages are instructions, written for a worried reader."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..services.postcodes import outward_code
from ..services.preferences import TEXT_SIZES
from ..services.vocabulary import CHARACTERISTICS

TEXT_SIZE_LABELS = {
    "default": _l("Default"),
    "large": _l("Large"),
    "largest": _l("Largest"),
}


def _postcode(form, field) -> None:
    if field.data and outward_code(field.data) is None:
        raise ValidationError(_l("Enter a postcode in the right format, like DE1 2AB or DE1"))


class SettingsForm(FlaskForm):
    text_size = RadioField(
        _l("Text size"),
        choices=[(size, TEXT_SIZE_LABELS[size]) for size in TEXT_SIZES],
        default="default",
    )
    postcode = StringField(
        _l("Your postcode (optional)"),
        description=_l("We keep only the first part, like DE1, to show help near you."),
        validators=[Optional(), Length(max=10, message=_l("Postcodes are 8 characters or fewer")),
                    _postcode],
    )
    remember = BooleanField(_l("Remember these settings on this device"))


class FilterForm(FlaskForm):
    """The directory and places filters: a GET form, so it needs no CSRF token."""

    class Meta:
        csrf = False

    characteristic = SelectField(
        _l("Support for"),
        choices=[("", _l("Any kind of hate crime"))] + list(CHARACTERISTICS.items()),
        validators=[Optional()],
        validate_choice=False,
    )
    postcode = StringField(
        _l("Postcode (optional)"),
        description=_l("Only the first part is used, like DE1."),
        validators=[Optional(), Length(max=10, message=_l("Postcodes are 8 characters or fewer")),
                    _postcode],
    )

    def validate_characteristic(self, field) -> None:
        if field.data and field.data not in CHARACTERISTICS:
            field.data = ""  # an unknown value in a hand-edited URL simply shows everything
