"""How administrators' pages show times and audit actions."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..clock import as_utc
from ..services.vocabulary import AUDIT_ACTIONS

# The partnerships this site is for are in the United Kingdom: times are shown as the
# office reads its clock (GMT or BST), whatever the server's own time zone.
LOCAL_TIME = ZoneInfo("Europe/London")

# Audit actions in words (shared with the managers' page of their organisation's log).
ACTIONS = AUDIT_ACTIONS


OUTBOX_KINDS = {
    "new_referral": _l("New referral notice to an organisation"),
    "passed_on": _l("Passed-on referral notice to an organisation"),
    "assigned": _l("Referral given to a member of staff"),
    "reminder": _l("Reminder of a referral left too long in its status"),
    "confirmation": _l("Confirmation to the person who referred"),
    "password_reset": _l("Password reset link"),
    "staff_invitation": _l("Staff invitation"),
    "staff_approval_needed": _l("Approval asked of an organisation's managers"),
    "sign_in_paused": _l("Wrong passwords notice to an account's owner"),
}

OUTBOX_STATUSES = {
    "waiting": _l("Waiting"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("Failed: no more tries"),
}

# A mail server's refusal often quotes the address it refused: a person's own address, for
# a confirmation. The outbox page shows the error without it.
_ADDRESS = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+")


def without_addresses(text: str | None) -> str:
    return _ADDRESS.sub("[address]", text or "")


def moment(value: dt.datetime | None) -> str:
    """A date and time, in the local time, in the reader's language; "" for none."""
    if value is None:
        return ""
    # The language's own medium date and 24-hour time without seconds, joined its own way.
    locale = get_locale() or Locale("en")
    local = as_utc(value).astimezone(LOCAL_TIME)
    date = format_date(local.date(), "medium", locale=locale)
    time = format_skeleton("Hm", local, tzinfo=LOCAL_TIME, locale=locale)
    return locale.datetime_formats["medium"].format(time, date).replace("'", "")


def machine_time(value: dt.datetime) -> str:
    """For <time datetime>: UTC, to the second (HTML allows at most 3 decimal places)."""
    return as_utc(value).isoformat(timespec="seconds")


def action_name(code: str) -> str:
    return str(ACTIONS.get(code, code))
