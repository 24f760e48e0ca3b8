"""Nothing lost when a session ends: a note, contact attempt or status change sent after its
sender's staff session timed out (or ended) is kept, sealed, for `KEEP_FOR`, and comes back
in its form on the referral's page once the same person signs in again. It is never saved
by itself: they check it and press the button again.

Whose it is:
- the ended session still names its person (its row stays, with why it ended): the kept
  form is theirs alone;
- no session says who (no cookie, or one the server does not know): the form is kept
  against a random token for a short cookie (its hash here) and a `mark`, a keyed hash of
  who this browser last signed in as (from the signed Flask session). At sign-in it
  becomes the person's only if both match them; otherwise it is deleted.

Only what the form holds is kept (not its CSRF token, not "I understand", which must be
ticked again on purpose), only for a referral of the person's own organisation, and only
the person it belongs to ever sees it (take() deletes it as it gives it back). Lapsed
forms go with `flask drafts purge`, and whenever a form is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..db.models import KeptForm, Referral, StaffUser
from ..db.rows import rowcount
from . import tokens
from .crypto import Keyring

KEEP_FOR = dt.timedelta(minutes=30)
COOKIE = "ah_kept"  # the random token, when no session said whose a kept form is

# What each kind of form sends that is worth keeping, by field name (the page's prefixes).
FIELDS = {
    "note": ("note-text",),
    "contact": ("contact-method", "contact-message_left", "contact-said_who", "contact-note"),
    "status": ("status-status", "status-outcome"),
}
LONGEST = 5000  # characters of one field: more than any of these forms accepts


def mark(key: bytes, user: StaffUser) -> str:
    """A keyed hash of who signed in, for the browser's signed session: says nothing by
    itself, and cannot be made for someone else without the key."""
    return hmac.new(key, f"staff:{user.id}".encode(), hashlib.sha256).hexdigest()


def _fields(kind: str, form: dict[str, str]) -> dict[str, str]:
    return {
        name: str(form[name])[:LONGEST] for name in FIELDS[kind] if form.get(name) not in (None, "")
    }


def keep(
    session: Session,
    keyring: Keyring,
    *,
    kind: str,
    reference: str,
    form: dict[str, str],
    user: StaffUser | None,
    browser_mark: str | None,
    now: dt.datetime,
) -> str | None:
    """Keep what was sent, if there is anything to keep. For a known `user` (their ended
    session said who) returns None; otherwise returns the token for the browser's cookie,
    or None when nothing was kept. The caller commits."""
    purge_expired(session, now)
    fields = _fields(kind, form)
    if kind not in FIELDS or not fields:
        return None
    query = select(Referral).where(Referral.reference == reference, Referral.purged_at.is_(None))
    if user is not None:
        if not user.organisation:
            return None
        query = query.where(Referral.organisation == user.organisation)
    elif not browser_mark:
        return None  # nobody this could ever be given back to
    referral = session.scalars(query).first()
    if referral is None:
        return None
    token = None if user is not None else tokens.new()
    session.add(
        KeptForm(
            user_id=user.id if user is not None else None,
            claim_hash=tokens.digest(token) if token else None,
            mark=None if user is not None else browser_mark,
            referral_id=referral.id,
            kind=kind,
            content=keyring.seal(json.dumps(fields)),
            created_at=now,
        )
    )
    return token


def claim(
    session: Session, token: str | None, user: StaffUser, user_mark: str, now: dt.datetime
) -> int:
    """At sign-in: forms kept against this browser's token become `user`'s if they were
    theirs (the same mark); others kept against the token are deleted. Returns how many
    became theirs. The caller commits."""
    if not token:
        return 0
    rows = session.scalars(
        select(KeptForm).where(
            KeptForm.claim_hash == tokens.digest(token), KeptForm.user_id.is_(None)
        )
    ).all()
    bound = 0
    for row in rows:
        if (
            row.mark
            and hmac.compare_digest(row.mark, user_mark)
            and now - as_utc(row.created_at) <= KEEP_FOR
        ):
            row.user_id, row.claim_hash, row.mark = user.id, None, None
            bound += 1
        else:
            session.delete(row)
    return bound


def take(
    session: Session, keyring: Keyring, user: StaffUser, referral: Referral, now: dt.datetime
) -> dict[str, dict[str, str]]:
    """This person's kept forms for this referral, by kind (the newest of each), deleted as
    they are given back. The caller commits."""
    rows = session.scalars(
        select(KeptForm)
        .where(KeptForm.user_id == user.id, KeptForm.referral_id == referral.id)
        .order_by(KeptForm.id)
    ).all()
    kept: dict[str, dict[str, str]] = {}
    for row in rows:
        if now - as_utc(row.created_at) <= KEEP_FOR and row.kind in FIELDS:
            kept[row.kind] = json.loads(keyring.open(row.content))
        session.delete(row)
    return kept


def purge_expired(session: Session, now: dt.datetime) -> int:
    """Delete every kept form older than KEEP_FOR (`flask drafts purge`)."""
    return rowcount(
        session.execute(
            delete(KeptForm)
            .where(KeptForm.created_at < now - KEEP_FOR)
            .execution_options(synchronize_session=False)
        )
    )
