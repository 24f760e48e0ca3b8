"""Staff sessions held on the server.

The browser's cookie holds a random token; the table holds its SHA-256 hash. A session
ends after `idle` without a request or `longest` in all, and at once when its person signs
out, changes or resets their password, or is removed: then the cookie, and every copy of
it, opens nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..db.models import StaffSession, StaffUser
from . import tokens


@dataclass(frozen=True)
class Limits:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    longest: dt.timedelta = dt.timedelta(hours=12)


COOKIE = "ah_staff"  # holds the token; HttpOnly, SameSite=Strict, Secure outside development

# Writing last_seen_at on every request is a write per page; once a minute is as good.
TOUCH_EVERY = dt.timedelta(minutes=1)


def start(session: Session, user: StaffUser, now: dt.datetime) -> str:
    token = tokens.new()
    session.add(
        StaffSession(
            token_hash=tokens.digest(token), user_id=user.id, created_at=now, last_seen_at=now
        )
    )
    return token


@dataclass(frozen=True)
class Found:
    user: StaffUser | None
    ended: str | None = None  # why the session is over: idle, too_long, signed_out, ...
    # Whose the ended session was, while their account is active: what they sent as it
    # ended can be kept for them (services/kept_forms). None for an unknown token.
    was: StaffUser | None = None


def resume(session: Session, token: str | None, now: dt.datetime, limits: Limits) -> Found:
    """The person this token signs in, or why it does not. Ends a session past its time,
    or notes it was seen (the caller, a before_request hook, commits either)."""
    if not token:
        return Found(None)
    row = session.get(StaffSession, tokens.digest(token))
    if row is None:
        return Found(None, "unknown")
    if row.ended_at is not None:
        return Found(None, row.end_reason or "ended", _active(session, row.user_id))
    reason = None
    if now - as_utc(row.last_seen_at) > limits.idle:
        reason = "idle"
    elif now - as_utc(row.created_at) > limits.longest:
        reason = "too_long"
    user = session.get(StaffUser, row.user_id)
    if reason is None and (user is None or not user.active):
        reason = "removed"
    if reason:
        row.ended_at, row.end_reason = now, reason
        return Found(None, reason, user if user is not None and user.active else None)
    if now - as_utc(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
    return Found(user)


def _active(session: Session, user_id: int) -> StaffUser | None:
    user = session.get(StaffUser, user_id)
    return user if user is not None and user.active else None


def end(session: Session, token: str | None, now: dt.datetime, reason: str = "signed_out") -> None:
    if not token:
        return
    session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == tokens.digest(token), StaffSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    )


def end_all(
    session: Session,
    user: StaffUser,
    now: dt.datetime,
    reason: str,
    except_token: str | None = None,
) -> None:
    """Ends this person's sessions (in the caller's transaction)."""
    query = update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.ended_at.is_(None)
    )
    if except_token:
        query = query.where(StaffSession.token_hash != tokens.digest(except_token))
    session.execute(query.values(ended_at=now, end_reason=reason))
