"""Keeping referrals no longer than needed.

`purge` deletes the content of referrals closed more than the area pack's
`retention_months` ago (run it daily: `flask referrals purge`); `erase` does the same at
once for one referral, whatever its status (someone asked for their data to be deleted,
or it was sent in error). What stays: the reference, status, outcome and dates, so the
organisation's figures still add up, and the anonymous statistics (counters), which were never
linked to a referral. What goes: the sealed answers, the characteristics, the tags, the search
index of its name, phone and email, every line of its history (notes, contact attempts
and reasons are written about the person) and its email in the outbox (with their files,
where email is written to files).

Each deletion is in the audit log ("referral_purged", "referral_erased"); an erasure's
reason is kept there, so it must not name anyone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..db.models import AuditEvent, KeptForm, OutboxMessage, Referral, ReferralEvent, StaffUser
from . import audit, search
from .errors import ServiceError

ACTIONS = ("referral_purged", "referral_erased")


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same time `months` calendar months earlier (31 March less one month: 28 or 29
    February)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _delete_content(session: Session, referral: Referral, now: dt.datetime) -> None:
    referral.content = ""
    referral.characteristics = ""
    referral.tags = ""  # "needs an interpreter" is about the person too
    referral.purged_at = now
    session.execute(delete(ReferralEvent).where(ReferralEvent.referral_id == referral.id))
    session.execute(delete(KeptForm).where(KeptForm.referral_id == referral.id))
    search.forget(session, referral)  # the keyed hashes of its name, phone and email
    # Its email too, sent or not: a confirmation is addressed to the person.
    session.execute(delete(OutboxMessage).where(OutboxMessage.reference == referral.reference))


def purge(session: Session, now: dt.datetime, months: int) -> list[str]:
    """Delete the content of every referral closed more than `months` ago; returns their
    references. Safe to run again (a purged referral is not touched twice)."""
    cutoff = months_before(now, months)
    due = session.scalars(
        select(Referral)
        .where(
            Referral.status == "closed",
            Referral.closed_at.is_not(None),
            Referral.closed_at < cutoff,
            Referral.purged_at.is_(None),
        )
        .order_by(Referral.id)
    ).all()
    for referral in due:
        _delete_content(session, referral, now)
        audit.record(
            session,
            actor=None,
            action="referral_purged",
            now=now,
            organisation=referral.organisation,
            reference=referral.reference,
            detail=f"closed more than {months} months ago",
        )
    return [r.reference for r in due]


class NotErasable(ServiceError):
    """`reason`: "unknown" (no such referral) or "purged" (its content is gone already)."""


def erase_referral(
    session: Session,
    referral: Referral,
    *,
    now: dt.datetime,
    by: StaffUser | None,
    reason: str,
) -> None:
    """Delete this referral's content now, whatever its status, and its email. The caller
    has checked the referral is theirs to erase (a manager's own organisation; anyone on
    the command line); it commits, then removes the email's files where email is written
    to files (outbox.remove_files_without_rows), so no file goes before its row."""
    if referral.purged_at is not None:
        raise NotErasable("purged")
    _delete_content(session, referral, now)
    audit.record(
        session,
        actor=by,
        action="referral_erased",
        now=now,
        organisation=referral.organisation,
        reference=referral.reference,
        detail=reason.strip(),
    )


def erase(
    session: Session,
    reference: str,
    now: dt.datetime,
    by: StaffUser | None,
    reason: str = "",
) -> Referral:
    """The command line's erasure: any organisation's referral, by its reference."""
    referral = session.scalars(select(Referral).where(Referral.reference == reference)).first()
    if referral is None:
        raise NotErasable("unknown")
    erase_referral(session, referral, now=now, by=by, reason=reason)
    return referral


@dataclass(frozen=True)
class Deletion:
    at: dt.datetime
    erased: bool  # True: erased on request; False: purged after the retention period
    by: str | None  # the name of the member of staff; None for the command line
    reason: str


def deletion(session: Session, referral: Referral) -> Deletion | None:
    """When, by whom and why the referral's content was deleted, from the audit log."""
    row = session.execute(
        select(AuditEvent, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == AuditEvent.actor_id)
        .where(AuditEvent.reference == referral.reference, AuditEvent.action.in_(ACTIONS))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    event, name = row
    return Deletion(
        as_utc(event.at),
        event.action == "referral_erased",
        name,
        event.detail if event.action == "referral_erased" else "",
    )
