"""Answers in progress, kept on the server and sealed; the browser holds only a token.

A draft is deleted when it is sent, when the person clears it or leaves quickly, and
after DRAFT_IDLE without a save.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..db.models import Draft
from . import tokens
from .crypto import Keyring

DRAFT_IDLE = dt.timedelta(hours=2)
# The only thing of a draft the browser holds: a random token, in the signed session.
SESSION_KEY = "draft_token"


def new_token() -> str:
    return tokens.new()


def load(session: Session, keyring: Keyring, token: str | None, now: dt.datetime) -> dict | None:
    """The answers so far, or None if there is no draft or it has expired (then it is
    deleted: the caller commits)."""
    if not token:
        return None
    draft = session.get(Draft, tokens.digest(token))
    if draft is None:
        return None
    if now - as_utc(draft.updated_at) > DRAFT_IDLE:
        session.delete(draft)
        return None
    answers = json.loads(keyring.open(draft.answers))
    answers["_submission_key"] = draft.submission_key
    return answers


def save(session: Session, keyring: Keyring, token: str, answers: dict, now: dt.datetime) -> None:
    """Create or replace the draft for this token."""
    clean = {k: v for k, v in answers.items() if not k.startswith("_")}
    sealed = keyring.seal(json.dumps(clean, ensure_ascii=False))
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
