"""Forms of the public pages. Messages are instructions, written for a worried reader."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional

from ..form_helpers import Radios
from ..services.preferences import TEXT_SIZES
from ..services.vocabulary import CHARACTERISTICS
from ..validators import postcode

TEXT_SIZE_LABELS = {
    "default": _l("Default"),
    "large": _l("Large"),
    "largest": _l("Largest"),
}


class SettingsForm(FlaskForm):
    text_size = Radios(
        _l("Text size"),
        choices=[SelectChoice(size, TEXT_SIZE_LABELS[size]) for size in TEXT_SIZES],
        default="default",
    )
    postcode = StringField(
        _l("Your postcode (optional)"),
        description=_l("We keep only the first part, like %(example)s, to show help near you."),
        validators=[Optional(), postcode],
    )
    remember = BooleanField(_l("Remember these settings on this device"))


class FilterForm(FlaskForm):
    """The directory and places filters: a GET form, so it needs no CSRF token."""

    class Meta:
        csrf = False

    characteristic = SelectField(
        _l("Support for"),
        choices=[SelectChoice("", _l("Any kind of hate crime"))]
        + [SelectChoice(key, label) for key, label in CHARACTERISTICS.items()],
        validators=[Optional()],
        validate_choice=False,
    )
    postcode = StringField(
        _l("Postcode (optional)"),
        description=_l("Only the first part is used, like %(example)s."),
        validators=[Optional(), postcode],
    )

    def validate_characteristic(self, field) -> None:
        if field.data and field.data not in CHARACTERISTICS:
            field.data = ""  # an unknown value in a hand-edited URL simply shows everything
