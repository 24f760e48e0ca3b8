"""The commissioning office's administration: staff, organisations, routing, news and
events, the outbox, the audit log and statistics. Administrators only."""

from flask import Blueprint, abort, g

from ..portal import access
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


from . import news, organisations, staff, views  # noqa: F401  (routes register on import)
