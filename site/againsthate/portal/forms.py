"""Forms for signing in and looking after one's own account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..form_helpers import clean
from ..services.passwords import MAX_LENGTH

_TOO_LONG = _l("Use %(max)d characters or fewer", max=MAX_LENGTH)


def new_password(label):
    return PasswordField(
        label,
        description=_l(
            "At least 12 characters. Three or four unrelated words make a strong password "
            "that is easy to remember."
        ),
        validators=[
            DataRequired(_l("Enter a password")),
            Length(max=MAX_LENGTH, message=_TOO_LONG),
        ],
    )


def password_again():
    return PasswordField(
        _l("Confirm the password"),
        validators=[
            DataRequired(_l("Enter the password again")),
            EqualTo("password", _l("The passwords do not match. Enter the same password twice")),
        ],
    )


class SignInForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[clean],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Use %(max)d characters or fewer", max=254)),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password")),
            Length(max=MAX_LENGTH, message=_TOO_LONG),
        ],
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        filters=[clean],
        description=_l(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        validators=[
            DataRequired(_l("Enter the code from your authenticator app")),
            Length(max=40, message=_l("Use %(max)d characters or fewer", max=40)),
        ],
    )


class SetUpCodeForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        filters=[clean],
        description=_l(
            "After adding the account, the app shows a 6-digit code that changes every 30 seconds."
        ),
        validators=[
            DataRequired(_l("Enter the 6-digit code from your authenticator app")),
            Length(max=40, message=_l("Use %(max)d characters or fewer", max=40)),
        ],
    )


class SetPasswordForm(FlaskForm):
    password = new_password(_l("Create a password"))
    confirm = password_again()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Enter your current password")),
            Length(max=MAX_LENGTH, message=_TOO_LONG),
        ],
    )
    password = new_password(_l("New password"))
    confirm = password_again()


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[clean],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Use %(max)d characters or fewer", max=254)),
        ],
    )


# What a service's AccountError reason means, said to the person.
PASSWORD_PROBLEMS = {
    "password_short": _l("Your password must be at least 12 characters"),
    "password_long": _TOO_LONG,
    "password_common": _l(
        "This password is too common or too easy to guess. Try three or four unrelated words"
    ),
}
