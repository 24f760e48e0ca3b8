"""The step between a right password and the code, held on the server.

The browser's session holds only a random token; the table holds its hash, who, when and
where to go next. The step is used once (a conditional DELETE: of two requests with one
token, one finishes), lasts `PENDING_FOR`, and every step of a person ends when their
password is reset or changed, or their access removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..db.models import PendingSignIn, StaffUser
from ..db.rows import rowcount
from . import tokens

PENDING_FOR = dt.timedelta(minutes=5)


def start(session: Session, user: StaffUser, now: dt.datetime, next_url: str | None) -> str:
    """A new step for `user` (the caller commits); also clears everyone's lapsed steps."""
    session.execute(
        delete(PendingSignIn)
        .where(PendingSignIn.created_at < now - PENDING_FOR)
        .execution_options(synchronize_session=False)
    )  # times compared in SQL
    token = tokens.new()
    session.add(
        PendingSignIn(
            token_hash=tokens.digest(token), user_id=user.id, created_at=now, next_url=next_url
        )
    )
    return token


@dataclass(frozen=True)
class Pending:
    user: StaffUser
    next_url: str | None


def find(session: Session, token: str | None, now: dt.datetime) -> Pending | None:
    """Who this token is signing in, if the step is still open and the account active."""
    if not token:
        return None
    row = session.get(PendingSignIn, tokens.digest(token))
    if row is None or now - as_utc(row.created_at) > PENDING_FOR:
        return None
    user = session.get(StaffUser, row.user_id)
    return Pending(user, row.next_url) if user is not None and user.active else None


def finish(session: Session, token: str) -> bool:
    """Use the step up: True for exactly one request, however many arrive with the token."""
    return (
        rowcount(
            session.execute(
                delete(PendingSignIn).where(PendingSignIn.token_hash == tokens.digest(token))
            )
        )
        == 1
    )


def end_all(session: Session, user: StaffUser) -> None:
    """End every open step of this person (in the caller's transaction)."""
    session.execute(delete(PendingSignIn).where(PendingSignIn.user_id == user.id))
