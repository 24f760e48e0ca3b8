"""Reminders about referrals left too long in one status, sent by `flask referrals remind`
from cron: to the member of staff who has the referral, or to the organisation's address
while nobody has it (outbox.alert), with no personal detail (a reference, its status, how
long, and the link to it).

A status period starts when the referral reached its organisation (received_at: sent, or
passed on) or at its latest change of status there, whichever is later. One reminder per
period: `reminded_at` records when it went, and a referral reminded since its period began
is not reminded again, however often the command runs; a change of status starts a new
period, which may earn a reminder of its own.

How long is too long, per status, comes from the REMIND_AFTER setting ("new=2,
contacted=7, in_support=28": days); a status not named, or named with 0, is never
reminded about. Closed referrals never are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..clock import as_utc
from ..db.models import Referral, ReferralEvent
from . import outbox
from .areapack import AreaPack
from .crypto import Keyring
from .vocabulary import STATUSES


def thresholds(setting: str) -> dict[str, dt.timedelta]:
    """REMIND_AFTER read: {status: how long}. ValueError, saying what is wrong, for a status
    that is not one, a closed one, or a number of days that is not a whole number."""
    found: dict[str, dt.timedelta] = {}
    for part in setting.replace(";", ",").split(","):
        if not part.strip():
            continue
        status, equals, days = (p.strip() for p in part.partition("="))
        if not equals or status not in STATUSES or status == "closed":
            open_statuses = ", ".join(s for s in STATUSES if s != "closed")
            raise ValueError(f"REMIND_AFTER: {part.strip()!r} is not STATUS=DAYS ({open_statuses})")
        if not days.isdigit():
            raise ValueError(f"REMIND_AFTER: {days!r} for {status} is not a whole number of days")
        if int(days):
            found[status] = dt.timedelta(days=int(days))
    return found


@dataclass(frozen=True)
class Reminded:
    reference: str
    status: str
    recipient: str | None  # None: nobody to tell (no holder and no address in the pack)


def remind(
    session: Session,
    keyring: Keyring,
    pack: AreaPack,
    *,
    after: dict[str, dt.timedelta],
    now: dt.datetime,
    emails: outbox.EmailWriter,
) -> list[Reminded]:
    """Queue a reminder for each referral past its status's time and not yet reminded in
    this status period; the caller commits. One query, however many referrals: the
    candidates with their latest status change and their holders (joined, so outbox.alert
    finds each holder in the session rather than asking the database again)."""
    if not after:
        return []
    last_change = (
        select(
            ReferralEvent.referral_id,
            ReferralEvent.organisation,
            func.max(ReferralEvent.at).label("at"),
        )
        .where(ReferralEvent.kind == "status")
        .group_by(ReferralEvent.referral_id, ReferralEvent.organisation)
        .subquery()
    )
    # Only referrals that have been with their organisation at least the shortest time:
    # newer ones cannot be due, whatever their status.
    rows = session.execute(
        select(Referral, last_change.c.at)
        .outerjoin(
            last_change,
            (last_change.c.referral_id == Referral.id)
            & (last_change.c.organisation == Referral.organisation),
        )
        .where(
            Referral.status.in_(list(after)),
            Referral.purged_at.is_(None),
            func.coalesce(Referral.received_at, Referral.created_at) <= now - min(after.values()),
        )
        .options(joinedload(Referral.assignee))
        .order_by(Referral.id)
    ).all()
    reminded = []
    for referral, changed_at in rows:
        arrived = as_utc(referral.received_at or referral.created_at)
        since = max(arrived, as_utc(changed_at)) if changed_at else arrived
        waited = now - since
        if waited < after[referral.status]:
            continue
        if referral.reminded_at is not None and as_utc(referral.reminded_at) >= since:
            continue  # reminded once in this status period already
        organisation = pack.organisation(referral.organisation)
        recipient = None
        if organisation is not None:
            recipient = outbox.alert(
                session,
                keyring,
                referral,
                organisation,
                kind="reminder",
                words=emails.reminder(
                    organisation, referral.reference, referral.status, waited.days
                ),
                now=now,
            )
        referral.reminded_at = now
        reminded.append(Reminded(referral.reference, referral.status, recipient))
    return reminded
