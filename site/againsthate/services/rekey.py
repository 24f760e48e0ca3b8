"""Key rotation: seal every stored value again with the current key."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Draft, KeptForm, OutboxMessage, Referral, ReferralEvent, StaffUser
from .crypto import Keyring

SEALED_COLUMNS = {
    Referral: ("content",),
    Draft: ("answers",),
    OutboxMessage: ("recipient", "body"),
    ReferralEvent: ("detail",),
    StaffUser: ("totp_secret",),
    KeptForm: ("content",),
}


def reseal_all(session: Session, keyring: Keyring, batch: int = 500) -> Iterator[tuple[str, int]]:
    """Table by table, how many rows changed: the caller commits after each, so a run
    stopped midway keeps the tables done. Safe to run again."""
    for model, columns in SEALED_COLUMNS.items():
        changed = 0
        for row in session.scalars(select(model)).yield_per(batch):
            # Empty values (purged content, an account without two-factor yet) have no key.
            stale = [
                c
                for c in columns
                if getattr(row, c) and keyring.key_id_of(getattr(row, c)) != keyring.current_id
            ]
            for column in stale:
                setattr(row, column, keyring.reseal(getattr(row, column)))
            changed += bool(stale)
        session.flush()
        yield model.__tablename__, changed
