"""Staff: everyone by organisation, invitations by a single-use expiring link, removal."""
from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from .. import clock
from ..areas import current_pack
from ..db.models import StaffUser
from ..extensions import db
from ..i18n import SITE_NAME
from ..portal import access
from ..services import accounts, outbox
from ..services.accounts import AccountError
from . import bp
from .forms import ConfirmForm, InviteForm

# The email is in English, like the portal's other emails: we do not know the language of
# the person invited, and their organisation works in the pack's language.
ROLE_IN_EMAIL = {"caseworker": "a caseworker", "manager": "a manager", "admin": "an administrator"}


def state(user: StaffUser) -> str:
    if user.removed_at is not None:
        return "removed"
    return "active" if user.activated_at is not None else "invited"


def _groups(users: list[StaffUser]) -> list[tuple[str, list[StaffUser]]]:
    """The administrators, then each organisation of the pack, then any other found."""
    pack = current_pack()
    names = {None: _("Administrators"), **{o.slug: o.name for o in pack.organisations}}
    order = list(dict.fromkeys([None, *(o.slug for o in pack.organisations),
                                *sorted({u.organisation for u in users if u.organisation})]))
    return [(names.get(key, key), [u for u in users if u.organisation == key]) for key in order]


@bp.get("/staff")
def staff():
    users = accounts.everyone(db.session)
    removed = [db.session.get(StaffUser, int(i))
               for i in get_flashed_messages(category_filter=["staff_removed"]) if i.isdigit()]
    return render_template("admin/staff.html", groups=_groups(users), state=state,
                           invitations=accounts.invitations_open_until(db.session),
                           now=clock.now(), removed=[u for u in removed if u is not None])


def _send_invitation(user: StaffUser, token: str) -> None:
    config = current_app.config
    link = config["SITE_URL"].rstrip("/") + url_for("portal.invitation", token=token)
    pack = current_pack()
    where = ""
    if user.organisation:
        organisation = pack.organisation(user.organisation)
        where = f" of {organisation.name if organisation else user.organisation}"
    outbox.queue(
        db.session, access.keyring(), kind="staff_invitation", recipient=user.email,
        subject=f"Your invitation to the {SITE_NAME} {pack.name} portal",
        body=(f"Hello {user.name},\n\n"
              f"{g.staff.name} has invited you to the {SITE_NAME} {pack.name} portal, as "
              f"{ROLE_IN_EMAIL.get(user.role, user.role)}{where}.\n\n"
              f"To set up your account, open this link within {config['INVITE_HOURS']} hours. "
              f"It works once:\n{link}\n\n"
              "You will choose a password, then set up two-factor sign-in with an "
              "authenticator app on your phone.\n\n"
              "If you were not expecting this invitation, you can ignore this email.\n"),
        now=clock.now())


@bp.route("/staff/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm(organisations=current_pack().organisations)
    if form.validate_on_submit():
        try:
            user, token = accounts.invite(
                db.session, email=form.email.data, name=form.name.data, role=form.role.data,
                organisation=form.organisation.data or None, by=g.staff, now=clock.now(),
                policy=access.policy())
        except AccountError as error:
            db.session.rollback()
            if error.reason == "exists":
                existing = accounts.find_by_email(db.session, form.email.data)
                form.email.errors.append(
                    _("This email address belonged to someone whose access was removed, and "
                      "cannot be used again. Invite them with another address")
                    if existing is not None and existing.removed_at is not None else
                    _("There is already an account for this email address. If they cannot "
                      "sign in, they can reset their password from the sign-in page"))
            else:
                form.organisation.errors.append(_("Select an organisation from the list"))
        else:
            _send_invitation(user, token)
            db.session.commit()
            return redirect(url_for("admin.invited", user_id=user.id))
    return render_template("admin/invite.html", form=form, form_has_errors=bool(form.errors))


def _user_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/staff/<id:user_id>/invited")
def invited(user_id: int):
    user = _user_or_404(user_id)
    if user.activated_at is not None or user.removed_at is not None:
        return redirect(url_for("admin.staff"))  # nothing waiting: say nothing about emails
    return render_template("admin/invited.html", user=user)


@bp.post("/staff/<id:user_id>/invite-again")
def invite_again(user_id: int):
    """A new link for an account never set up (a lost email, an expired link)."""
    user = _user_or_404(user_id)
    if user.activated_at is not None:
        return redirect(url_for("admin.staff"))
    user, token = accounts.invite(db.session, email=user.email, name=user.name, role=user.role,
                                  organisation=user.organisation, by=g.staff, now=clock.now(),
                                  policy=access.policy())
    _send_invitation(user, token)
    db.session.commit()
    return redirect(url_for("admin.invited", user_id=user.id))


@bp.route("/staff/<id:user_id>/remove", methods=["GET", "POST"])
def remove_staff(user_id: int):
    user = _user_or_404(user_id)
    if user.id == g.staff.id:
        # Someone must always be left who can let people in.
        return render_template("admin/remove-self.html"), 403
    if user.removed_at is not None:
        return redirect(url_for("admin.staff"))
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.remove(db.session, user, by=g.staff, now=clock.now())  # commits
        flash(str(user.id), "staff_removed")
        return redirect(url_for("admin.staff"))
    return render_template("admin/remove.html", form=form, user=user)
