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

# The partnerships this site is for are in the United Kingdom: times are shown as the
# office reads its clock (GMT or BST), whatever the server's own time zone.
LOCAL_TIME = ZoneInfo("Europe/London")

# Audit actions in words. An action not listed (a newer part of the portal) shows its code.
ACTIONS = {
    "signed_in": _l("Signed in"),
    "signed_out": _l("Signed out"),
    "account_locked": _l("Account locked after wrong attempts"),
    "password_changed": _l("Password changed"),
    "password_reset_requested": _l("Password reset asked for"),
    "password_reset": _l("Password reset"),
    "recovery_codes_replaced": _l("New recovery codes made"),
    "staff_invited": _l("Staff invited"),
    "staff_activated": _l("Account set up"),
    "staff_removed": _l("Staff access removed"),
    "staff_invite_held": _l("Invitation held for a manager's approval"),
    "staff_approved": _l("Invitation approved by a manager"),
    "staff_declined": _l("Invitation declined by a manager"),
    "staff_invited_without_approval": _l(
        "Invited without a manager's approval (the organisation had none)"
    ),
    "news_created": _l("News story added"),
    "news_updated": _l("News story changed"),
    "news_deleted": _l("News story deleted"),
    "event_created": _l("Event added"),
    "event_updated": _l("Event changed"),
    "event_deleted": _l("Event deleted"),
    "referral_viewed": _l("Referral opened"),
    "referral_status_changed": _l("Referral status changed"),
    "referral_note_added": _l("Note added to a referral"),
    "referral_contact_logged": _l("Contact attempt recorded"),
    "referral_passed_on": _l("Referral passed to another organisation"),
    "referral_pass_accepted": _l("Referral passed on, accepted by the receiver"),
    "referral_pass_returned": _l("Referral passed on, returned by the receiver"),
    "referral_assigned": _l("Changed who has a referral"),
    "referrals_exported": _l("Referrals exported"),
    "referral_erased": _l("Referral content erased on request"),
    "referral_purged": _l("Referral content deleted after the retention period"),
}


OUTBOX_KINDS = {
    "new_referral": _l("New referral notice to an organisation"),
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
