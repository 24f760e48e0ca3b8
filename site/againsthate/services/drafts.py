"""Answers in progress, kept on the server and sealed; the browser holds only a token.

A draft is deleted when it is sent, when the person clears it or leaves quickly, and
after DRAFT_IDLE without a save.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..db.models import Draft
from . import tokens
from .answers import Answers, from_json
from .crypto import Keyring

DRAFT_IDLE = dt.timedelta(hours=2)
# The only thing of a draft the browser holds: a random token, in the signed session.
SESSION_KEY = "draft_token"


def new_token() -> str:
    return tokens.new()


@dataclass
class InProgress:
    """Answers in progress, and the draft's bookkeeping kept beside them, never among them:
    which pages were saved (where to resume), and the key that makes sending it once only."""

    answers: Answers = field(default_factory=lambda: Answers())
    steps_done: list[str] = field(default_factory=list)
    submission_key: str = ""  # given by the first save


def load(
    session: Session, keyring: Keyring, token: str | None, now: dt.datetime
) -> InProgress | None:
    """The draft, or None if there is none or it has expired (then it is deleted: the
    caller commits)."""
    if not token:
        return None
    draft = session.get(Draft, tokens.digest(token))
    if draft is None:
        return None
    if now - as_utc(draft.updated_at) > DRAFT_IDLE:
        session.delete(draft)
        return None
    return _unsealed(json.loads(keyring.open(draft.answers)), draft.submission_key)


def _unsealed(stored: dict, submission_key: str) -> InProgress:
    if isinstance(stored.get("answers"), dict):
        return InProgress(from_json(stored["answers"]), list(stored["steps_done"]), submission_key)
    # Saved before the bookkeeping had its own place (a draft lives up to DRAFT_IDLE, so one
    # may be open across a deploy): the answers, with "steps_done" among them.
    steps_done = stored.pop("steps_done", [])
    answers = {k: v for k, v in stored.items() if not k.startswith("_")}
    return InProgress(from_json(answers), list(steps_done), submission_key)


def save(
    session: Session,
    keyring: Keyring,
    token: str,
    answers: Answers,
    steps_done: list[str],
    now: dt.datetime,
) -> None:
    """Create or replace the draft for this token."""
    stored = {"answers": answers, "steps_done": steps_done}
    sealed = keyring.seal(json.dumps(stored, ensure_ascii=False))
    draft = session.get(Draft, tokens.digest(token))
    if draft is None:
        draft = Draft(
            token_hash=tokens.digest(token),
            submission_key=tokens.new(24),
            answers=sealed,
            updated_at=now,
        )
        session.add(draft)
    else:
        draft.answers, draft.updated_at = sealed, now


def discard(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(Draft).where(Draft.token_hash == tokens.digest(token)))


def purge_expired(session: Session, now: dt.datetime) -> int:
    """Delete every draft idle for longer than DRAFT_IDLE; returns how many."""
    expired = list(
        session.scalars(select(Draft.token_hash).where(Draft.updated_at < now - DRAFT_IDLE))
    )
    if expired:
        session.execute(delete(Draft).where(Draft.token_hash.in_(expired)))
    return len(expired)


def delete_in(session: Session, token: str) -> None:
    """Delete the draft as part of the caller's transaction."""
    session.execute(delete(Draft).where(Draft.token_hash == tokens.digest(token)))
