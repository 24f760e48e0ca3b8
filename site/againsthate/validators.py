"""Form checks shared by more than one part of the site."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from .services.postcodes import outward_code


def postcode(form, field) -> None:
    """A UK postcode, full or just its first part. One kind message for every kind of
    wrong, long ones included (a bounded length). %(example)s is filled from the pack."""
    if field.data and (len(field.data) > 10 or outward_code(field.data) is None):
        raise ValidationError(_l("Enter a postcode in the right format, like %(example)s"))
