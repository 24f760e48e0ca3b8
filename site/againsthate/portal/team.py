"""A manager's page of their organisation's staff, where they approve or decline anyone an
administrator has invited into it (issue 12, item 8: an administrator alone cannot let
someone, themselves included, into an organisation's referrals)."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, url_for

from .. import access, clock, notifications
from ..db.models import StaffUser
from ..extensions import db
from ..services import accounts
from .blueprint import bp


def _member_or_404(user_id: int) -> StaffUser:
    """Someone of the manager's own organisation; anyone else is not found."""
    user = db.session.get(StaffUser, user_id)
    if user is None or user.organisation != g.staff.organisation:
        abort(404)
    return user


@bp.get("/team")
@access.roles("manager")
def team():
    people = accounts.staff_of(db.session, g.staff.organisation)
    return render_template(
        "portal/team.html",
        waiting=[u for u in people if u.approval == "waiting" and u.removed_at is None],
        people=[u for u in people if u.approval != "waiting"],
    )


@bp.post("/team/<id:user_id>/approve")
@access.roles("manager")
def team_approve(user_id: int):
    user = _member_or_404(user_id)
    token = accounts.approve(db.session, user, by=g.staff, now=clock.now(), policy=access.policy())
    if token is not None:
        notifications.staff_invitation(user, token, g.staff)
    db.commit()
    return redirect(url_for("portal.team"))


@bp.post("/team/<id:user_id>/decline")
@access.roles("manager")
def team_decline(user_id: int):
    user = _member_or_404(user_id)
    accounts.decline(db.session, user, by=g.staff, now=clock.now())
    db.commit()
    return redirect(url_for("portal.team"))
