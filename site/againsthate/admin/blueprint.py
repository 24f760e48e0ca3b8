"""The administrators' blueprint and what holds for all its pages: signed-in staff,
administrators only, and the helpers their templates use."""

from flask import Blueprint, abort, g

from .. import access
from . import display

bp = Blueprint("admin", __name__, url_prefix="/portal/admin")

access.protect(bp)


@bp.before_request
def administrators_only():
    # Runs after protect()'s sign-in check (before_request functions run in order).
    if g.staff is not None and g.staff.role != "admin":
        abort(404)


@bp.context_processor
def admin_helpers() -> dict:
    return {
        "moment": display.moment,
        "machine_time": display.machine_time,
        "action_name": display.action_name,
        "OUTBOX_KINDS": display.OUTBOX_KINDS,
        "OUTBOX_STATUSES": display.OUTBOX_STATUSES,
        "without_addresses": display.without_addresses,
    }
