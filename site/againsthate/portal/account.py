"""A member of staff's own account: details, password, recovery codes."""

from __future__ import annotations

from flask import g, redirect, render_template, request
from flask_babel import gettext as _

from .. import access, clock
from ..extensions import db
from ..services import accounts
from ..services.accounts import AccountError
from .blueprint import bp
from .forms import PASSWORD_PROBLEMS, ChangePasswordForm


@bp.get("/")
def home():
    return redirect(access.landing())


@bp.get("/account")
def account():
    return render_template(
        "portal/account.html",
        user=g.staff,
        recovery_left=accounts.remaining_recovery_codes(db.session, g.staff),
    )


@bp.route("/account/password", methods=["GET", "POST"])
def password_change():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                db.session,
                g.staff,
                form.current.data,
                form.password.data,
                clock.now(),
                keep_session=request.cookies.get(access.COOKIE),
            )
        except AccountError as error:
            if error.reason == "current":
                form.current.errors.append(_("Your current password is not right"))
            else:
                form.password.errors.append(PASSWORD_PROBLEMS.get(error.reason, error.reason))
        else:
            db.commit()
            return render_template("portal/password-changed.html")
    return render_template("portal/change-password.html", form=form)


@bp.post("/account/recovery-codes")
def recovery_codes_new():
    codes = accounts.new_recovery_codes(db.session, g.staff, clock.now())
    db.commit()
    return render_template("portal/recovery-codes.html", codes=codes, first_time=False)
