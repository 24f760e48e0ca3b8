"""Signing in (password, then a second factor), signing out, invitations and resets."""

from __future__ import annotations

from typing import cast

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import access, clock, i18n, notifications, security
from ..areas import current_pack
from ..extensions import db, limiter
from ..security import safe_next
from ..services import accounts, audit, kept_forms, pending_sign_ins, staff_sessions, two_factor
from ..services.accounts import AccountError
from .blueprint import bp
from .forms import (
    PASSWORD_PROBLEMS,
    CodeForm,
    ForgotPasswordForm,
    SetPasswordForm,
    SetUpCodeForm,
    SignInForm,
)

PENDING = "staff_signin"  # between the password and the code: a token (services/pending_sign_ins)


def _signin_limit() -> str:
    return current_app.config["SIGNIN_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@access.open_to_all
@limiter.limit(_signin_limit, methods=["POST"])
def sign_in():
    if g.staff is not None:
        return redirect(access.landing())
    form = SignInForm()
    next_url = safe_next(request.args.get("next"), default=None)
    if form.validate_on_submit():
        try:
            user = accounts.check_password(
                db.session,
                form.email.data,
                form.password.data,
                clock.now(),
                access.policy(),
                access.place(),
            )
        except AccountError as error:
            if error.paused is not None:
                _tell_owner_of_pause(error.paused)
            db.commit()  # the wrong password counts, though the page says no
            form.password.errors.append(
                _locked_message()
                if error.reason == "locked"
                else _("The email address or password is not right. Check them and try again")
            )
        else:
            # Only a random token in the browser: who is signing in stays on the server.
            session[PENDING] = pending_sign_ins.start(db.session, user, clock.now(), next_url)
            db.commit()
            return redirect(url_for("portal.sign_in_code"))
    ended = [reason for reason in _flashed("session_ended")]
    return render_template("portal/sign-in.html", form=form, ended=ended[0] if ended else None)


def _tell_owner_of_pause(user) -> None:
    """Someone's wrong passwords paused signing in to this account from one place: its
    owner hears at once (in English, like the portal's other emails)."""
    notifications.sign_in_paused(user)
    db.commit()


def _flashed(category: str) -> list[str]:
    from flask import get_flashed_messages

    # Without with_categories the messages come alone; Flask's annotation is the union.
    return cast(list[str], get_flashed_messages(category_filter=[category]))


def _locked_message() -> str:
    return ngettext(
        "Too many wrong attempts: this account is locked for %(num)d minute. "
        "Try again after that, or reset your password.",
        "Too many wrong attempts: this account is locked for %(num)d minutes. "
        "Try again after that, or reset your password.",
        current_app.config["LOCKOUT_MINUTES"],
    )


@bp.route("/sign-in/code", methods=["GET", "POST"])
@access.open_to_all
@limiter.limit(_signin_limit, methods=["POST"])
def sign_in_code():
    stored = session.get(PENDING)
    token = stored if isinstance(stored, str) else None
    pending = pending_sign_ins.find(db.session, token, clock.now())
    if pending is None or token is None:
        session.pop(PENDING, None)
        flash("pending_expired", "session_ended")
        return redirect(url_for("portal.sign_in"))
    user = pending.user
    form = CodeForm()
    if form.validate_on_submit():
        now = clock.now()
        try:
            used = accounts.check_second_factor(
                db.session, access.keyring(), user, form.code.data, now, access.policy()
            )
        except AccountError as error:
            if error.reason == "locked":
                session.pop(PENDING, None)
                pending_sign_ins.finish(db.session, token)
            db.commit()  # the wrong code counts, though the page says no
            form.code.errors.append(
                _locked_message()
                if error.reason == "locked"
                else _(
                    "That code is not right, or it has been used already. Enter the newest code "
                    "from your app, or a recovery code"
                )
            )
        else:
            session.pop(PENDING, None)
            if not pending_sign_ins.finish(db.session, token):
                # Another request with this step (a copy of the cookie) finished it first.
                db.commit()
                flash("pending_expired", "session_ended")
                return redirect(url_for("portal.sign_in"))
            next_url = pending.next_url
            audit.record(
                db.session,
                actor=user,
                action="signed_in",
                now=now,
                organisation=user.organisation,
                detail="with a recovery code" if used == "recovery" else "",
            )
            token = staff_sessions.start(db.session, user, now)
            access.claim_kept(user)  # forms kept here while signed out, if they were theirs
            db.commit()  # the session, the code used up and the audit record, together
            if used == "recovery":
                flash(str(accounts.remaining_recovery_codes(db.session, user)), "recovery_used")
            g.staff = user
            response = access.set_cookie(redirect(next_url or access.landing()), token)
            return security.expire_cookie(response, kept_forms.COOKIE)
    return render_template("portal/sign-in-code.html", form=form)


@bp.post("/sign-out")
def sign_out():
    now = clock.now()
    audit.record(
        db.session, actor=g.staff, action="signed_out", now=now, organisation=g.staff.organisation
    )
    staff_sessions.end(db.session, request.cookies.get(access.COOKIE), now)
    db.commit()
    flash("signed_out", "session_ended")
    return access.clear_cookie(redirect(url_for("portal.sign_in")))


# Invitations -------------------------------------------------------------------------------


def _link_expired():
    return make_response(render_template("portal/link-expired.html"), 410)


@bp.route("/invite/<token:token>", methods=["GET", "POST"])
@access.open_to_all
@limiter.limit(_signin_limit, methods=["POST"])
def invitation(token: str):
    try:
        user = accounts.token_user(db.session, token, "invite", clock.now())
    except AccountError:
        return _link_expired()
    if user.password_hash is not None:
        return redirect(url_for("portal.invitation_two_factor", token=token))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_first_password(db.session, token, form.password.data, clock.now())
        except AccountError as error:
            if error.reason == "link":  # another request set the password first
                return _link_expired()
            form.password.errors.append(PASSWORD_PROBLEMS.get(error.reason, error.reason))
        else:
            db.commit()
            return redirect(url_for("portal.invitation_two_factor", token=token))
    return render_template("portal/set-password.html", form=form, user=user, invited=True)


@bp.route("/invite/<token:token>/two-factor", methods=["GET", "POST"])
@access.open_to_all
@limiter.limit(_signin_limit, methods=["POST"])
def invitation_two_factor(token: str):
    now = clock.now()
    try:
        user = accounts.token_user(db.session, token, "invite", now)
    except AccountError:
        return _link_expired()
    if user.password_hash is None:
        return redirect(url_for("portal.invitation", token=token))
    keyring = access.keyring()
    secret = accounts.totp_secret(keyring, user)
    if secret is None:
        # Made once and kept, so reloading the page does not undo a scanned QR code.
        secret = accounts.start_two_factor(keyring, user)
        db.commit()
    form = SetUpCodeForm()
    if form.validate_on_submit():
        try:
            user, codes = accounts.finish_invitation(
                db.session, keyring, token, form.code.data, now
            )
        except AccountError:
            form.code.errors.append(
                _(
                    "That code is not right. Check the app shows the account "
                    "you just added, and enter its newest code"
                )
            )
        else:
            session_token = staff_sessions.start(db.session, user, now)
            db.commit()  # the link used up, the account active, its session begun
            g.staff = user
            response = make_response(
                render_template("portal/recovery-codes.html", codes=codes, first_time=True)
            )
            return access.set_cookie(response, session_token)
    uri = two_factor.provisioning_uri(secret, user.email, current_pack().full_name(i18n.SITE_NAME))
    return render_template(
        "portal/two-factor-setup.html",
        form=form,
        qr=two_factor.qr_svg(uri),
        key=two_factor.grouped(secret),
    )


# Resets ------------------------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@access.open_to_all
@limiter.limit(_signin_limit, methods=["POST"])
def password_reset_request():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        now = clock.now()
        found = accounts.request_reset(
            db.session, form.email.data, now, access.policy(), access.address_key()
        )
        if found is not None:
            user, token = found
            notifications.password_reset(user, token)
        db.commit()  # counted alike, account or not
        # The same page whether or not the address has an account.
        return render_template("portal/forgot-password-sent.html")
    return render_template("portal/forgot-password.html", form=form)


@bp.route("/reset-password/<token:token>", methods=["GET", "POST"])
@access.open_to_all
@limiter.limit(_signin_limit, methods=["POST"])
def password_reset(token: str):
    try:
        user = accounts.token_user(db.session, token, "reset", clock.now())
    except AccountError:
        return _link_expired()
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(db.session, token, form.password.data, clock.now())
        except AccountError as error:
            if error.reason == "link":  # used by another request in the meantime
                return _link_expired()
            form.password.errors.append(PASSWORD_PROBLEMS.get(error.reason, error.reason))
        else:
            db.commit()
            flash("password_reset", "session_ended")
            return access.clear_cookie(redirect(url_for("portal.sign_in")))
    return render_template("portal/set-password.html", form=form, user=user, invited=False)
