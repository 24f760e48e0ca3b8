"""Staff: everyone by organisation, invitations by a single-use expiring link, removal."""

from __future__ import annotations

from typing import cast

from flask import (
    abort,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from .. import access, clock, notifications
from ..areas import current_pack
from ..db.models import StaffUser
from ..extensions import db
from ..services import accounts
from ..services.accounts import AccountError
from .blueprint import bp
from .forms import ConfirmForm, InviteForm


def state(user: StaffUser) -> str:
    if user.removed_at is not None:
        return "removed"
    return "active" if user.activated_at is not None else "invited"


def _groups(users: list[StaffUser]) -> list[tuple[str, list[StaffUser]]]:
    """The administrators, then each organisation of the pack, then any other found."""
    pack = current_pack()
    names: dict[str | None, str] = {
        None: _("Administrators"),
        **{o.slug: o.name for o in pack.organisations},
    }
    order: list[str | None] = list(
        dict.fromkeys(
            [
                None,
                *(o.slug for o in pack.organisations),
                *sorted({u.organisation for u in users if u.organisation}),
            ]
        )
    )
    return [
        (names[key] if key in names else str(key), [u for u in users if u.organisation == key])
        for key in order
    ]


@bp.get("/staff")
def staff():
    users = accounts.everyone(db.session)
    # Without with_categories the messages come alone; Flask's annotation is the union.
    flashed = cast(list[str], get_flashed_messages(category_filter=["staff_removed"]))
    removed = [db.session.get(StaffUser, int(i)) for i in flashed if i.isdigit()]
    return render_template(
        "admin/staff.html",
        groups=_groups(users),
        state=state,
        invitations=accounts.invitations_open_until(db.session),
        now=clock.now(),
        removed=[u for u in removed if u is not None],
    )


@bp.route("/staff/invite", methods=["GET", "POST"])
def staff_invite():
    form = InviteForm(organisations=current_pack().organisations)
    if form.validate_on_submit():
        try:
            user, token = accounts.invite(
                db.session,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                organisation=form.organisation.data or None,
                by=g.staff,
                now=clock.now(),
                policy=access.policy(),
            )
        except AccountError as error:
            db.session.rollback()
            if error.reason == "exists":
                existing = accounts.find_by_email(db.session, form.email.data)
                form.email.errors.append(
                    _(
                        "This email address belonged to someone whose access was removed, and "
                        "cannot be used again. Invite them with another address"
                    )
                    if existing is not None and existing.removed_at is not None
                    else _(
                        "There is already an account for this email address. If they cannot "
                        "sign in, they can reset their password from the sign-in page"
                    )
                )
            else:
                form.organisation.errors.append(_("Select an organisation from the list"))
        else:
            _invitation_sent_or_held(user, token)
            db.commit()
            return redirect(url_for("admin.staff_invited", user_id=user.id))
    return render_template("admin/invite.html", form=form)


def _user_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/staff/<id:user_id>/invited")
def staff_invited(user_id: int):
    user = _user_or_404(user_id)
    if user.activated_at is not None or user.removed_at is not None:
        return redirect(url_for("admin.staff"))  # nothing waiting: say nothing about emails
    return render_template("admin/invited.html", user=user)


@bp.post("/staff/<id:user_id>/invite-again")
def staff_invite_again(user_id: int):
    """A new link for an account never set up (a lost email, an expired link)."""
    user = _user_or_404(user_id)
    if user.activated_at is not None:
        return redirect(url_for("admin.staff"))
    user, token = accounts.invite(
        db.session,
        email=user.email,
        name=user.name,
        role=user.role,
        organisation=user.organisation,
        by=g.staff,
        now=clock.now(),
        policy=access.policy(),
    )
    _invitation_sent_or_held(user, token)
    db.commit()
    return redirect(url_for("admin.staff_invited", user_id=user.id))


def _invitation_sent_or_held(user: StaffUser, token: str | None) -> None:
    """The link to the person, or, when it is held, word to the organisation's managers."""
    if token is not None:
        notifications.staff_invitation(user, token, g.staff)
    elif user.organisation:
        notifications.staff_approval_needed(
            user, accounts.managers_of(db.session, user.organisation), g.staff
        )


@bp.route("/staff/<id:user_id>/remove", methods=["GET", "POST"])
def staff_remove(user_id: int):
    user = _user_or_404(user_id)
    if user.id == g.staff.id:
        # Someone must always be left who can let people in.
        return render_template("admin/remove-self.html"), 403
    if user.removed_at is not None:
        return redirect(url_for("admin.staff"))
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.remove(db.session, user, by=g.staff, now=clock.now())
        db.commit()
        flash(str(user.id), "staff_removed")
        return redirect(url_for("admin.staff"))
    return render_template("admin/remove.html", form=form, user=user)
