"""The audit log: one call per thing worth a record. Append-only (see db.models.AuditEvent)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import AuditEvent, StaffUser

COMMAND_LINE = "command line"


def record(
    session: Session,
    *,
    actor: StaffUser | None,
    action: str,
    now: dt.datetime,
    organisation: str | None = None,
    reference: str | None = None,
    detail: str = "",
) -> AuditEvent:
    """Add a record to the session; it commits with the change it describes."""
    entry = AuditEvent(
        at=now,
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else COMMAND_LINE,
        action=action,
        organisation=organisation,
        reference=reference,
        detail=detail[:500],
    )
    session.add(entry)
    return entry


def page(
    session: Session,
    *,
    page: int,
    per_page: int = 50,
    reference: str | None = None,
    action: str | None = None,
) -> tuple[list[AuditEvent], int]:
    """Newest first; and how many there are in all."""
    query = select(AuditEvent)
    if reference:
        query = query.where(AuditEvent.reference == reference)
    if action:
        query = query.where(AuditEvent.action == action)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), total


def actions(session: Session) -> list[str]:
    """Every action the log holds, for the filter's choices."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


# An organisation's own log, for its managers --------------------------------------------

# Looks at one referral by one person closer together than this are one visit: the first
# is "referral_viewed", the rest "referral_viewed_again" (cases.record_view). Every look
# stays on record for the administrators; a manager's page shows one line per visit.
VISIT = dt.timedelta(minutes=30)
VIEWED, VIEWED_AGAIN = "referral_viewed", "referral_viewed_again"


def last_look(session: Session, actor_id: int, reference: str) -> dt.datetime | None:
    """When this person last looked at this referral (one indexed query)."""
    return session.scalar(
        select(AuditEvent.at)
        .where(
            AuditEvent.reference == reference,
            AuditEvent.actor_id == actor_id,
            AuditEvent.action.in_((VIEWED, VIEWED_AGAIN)),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


# The inbox's pages, which show names (cases.record_listing): the same page again within a
# visit is LISTED_AGAIN, kept for the administrators, left out of a manager's page.
LISTED, LISTED_AGAIN = "referrals_listed", "referrals_listed_again"


def last_listing(session: Session, actor_id: int, now: dt.datetime) -> str | None:
    """The references of the last inbox page this person saw within a visit, if any (one
    query, over the log's last VISIT only)."""
    return session.scalar(
        select(AuditEvent.detail)
        .where(
            AuditEvent.at >= now - VISIT,
            AuditEvent.actor_id == actor_id,
            AuditEvent.action.in_((LISTED, LISTED_AGAIN)),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def _of_organisation(organisation: str, actor_id: int | None, action: str | None) -> list:
    """What a manager of `organisation` may see: records about it, by its own staff (not
    an administrator's, not another organisation's, not the command line's), one line per
    visit to a referral."""
    conditions = [
        AuditEvent.organisation == organisation,
        StaffUser.organisation == organisation,
        AuditEvent.action.not_in((VIEWED_AGAIN, LISTED_AGAIN)),
    ]
    if actor_id is not None:
        conditions.append(AuditEvent.actor_id == actor_id)
    if action:
        conditions.append(AuditEvent.action == action)
    return conditions


def organisation_page(
    session: Session,
    organisation: str,
    *,
    page: int,
    per_page: int = 50,
    actor_id: int | None = None,
    action: str | None = None,
) -> tuple[list[tuple[AuditEvent, str]], int, int]:
    """One page of the organisation's own log, newest first, each record with the name of
    who did it; how many records in all; and the page shown (one past the end shows the
    last). Two queries whatever the log's size: a count, then the page."""
    conditions = _of_organisation(organisation, actor_id, action)
    joined = select(func.count(AuditEvent.id)).join(StaffUser, StaffUser.id == AuditEvent.actor_id)
    total = session.scalar(joined.where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(AuditEvent, StaffUser.name)
        .join(StaffUser, StaffUser.id == AuditEvent.actor_id)
        .where(*conditions)
        .order_by(AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [(event, name) for event, name in rows], total, page
