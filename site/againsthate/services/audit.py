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
