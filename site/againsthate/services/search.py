"""Finding a referral by its reference, or by the person's name, phone number or email
address, without the database holding any of those in plaintext.

A blind index: for each of the three a referral's sealed content holds, the value is
normalised (below) and a keyed hash of it (HMAC-SHA256, `Keyring.blind`) is stored in
ReferralIndex beside the referral. A search normalises what was typed the same way, hashes
it under each key of the keyring, and looks the digests up: one query, whatever the number
of referrals, and no sealed row is opened.

What it cannot do: a hash matches only the whole value, so "Sam" finds "sam" and " Sam "
but never "Samira", and "07700" finds nothing. Whoever has the database and the referral
keys can test guesses against the digests; without the keys, nobody can.

No Flask here: callers pass the session, the keyring and the organisation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from ..db.models import Referral, ReferralIndex
from .answers import Answers
from .cases import answers_of, listed
from .crypto import Keyring
from .references import ALPHABET, LENGTH

KINDS = ("name", "phone", "email")
MOST_RESULTS = 50  # a search that matches more than this is not finding one referral


# Normalising ------------------------------------------------------------------------------


def reference(text: str) -> str | None:
    """`395p-cgs9`, `395P CGS9` and `395PCGS9` are all `395P-CGS9`; None when what is left
    cannot be a reference. The alphabet already leaves out the look-alikes (0/O, 1/I/L), so
    there is no confusion to undo: a typed O could be 0 or Q, and neither guess is safe."""
    compact = re.sub(r"[\s\-‐‑–—]+", "", text).upper()
    if len(compact) != LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return f"{compact[:4]}-{compact[4:]}"


def name(text: str) -> str:
    """Case, width and spacing do not matter: "  SAM  o'Neill" is "sam o'neill"."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def phone(text: str) -> str:
    """Digits only, UK numbers in their national form: +44 7700 900982, 0044 7700 900982
    +44 (0)7700 900982 and 07700 900982 are all 07700900982. Empty when there are too few digits to be one."""
    digits = "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())
    for prefix in ("0044", "44"):
        # 9 or 10 digits after the country code; 11 with the (0) some people write in it.
        if digits.startswith(prefix) and len(digits) - len(prefix) in (9, 10, 11):
            digits = "0" + digits[len(prefix) :].removeprefix("0")
            break
    return digits if len(digits) >= 6 else ""


def email(text: str) -> str:
    """Trimmed and lower-cased (no provider is known to treat case as different people)."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


NORMALISE = {"name": name, "phone": phone, "email": email}


def values_of(answers: Answers) -> Iterator[tuple[str, str]]:
    """(kind, normalised value) for each of name, phone and email the answers hold."""
    for kind in KINDS:
        given = answers.get(kind)
        value = NORMALISE[kind](given) if isinstance(given, str) else ""
        if value:
            yield kind, value


def _message(kind: str, value: str) -> str:
    # The kind is part of what is hashed, so a name can never match a phone number.
    return f"{kind}:{value}"


# Writing ----------------------------------------------------------------------------------


def index(session: Session, keyring: Keyring, referral: Referral, answers: Answers) -> None:
    """Replace the referral's index rows with ones for these answers, under the current key.
    Added to the caller's transaction (sending: the same one that stores the referral)."""
    if referral.id is None:
        session.flush()  # a referral being sent: its id, for the rows below
    forget(session, referral)
    key_id = keyring.current_id
    for kind, value in values_of(answers):
        session.add(
            ReferralIndex(
                referral_id=referral.id,
                kind=kind,
                key_id=key_id,
                digest=keyring.blind(key_id, _message(kind, value)),
            )
        )


def forget(session: Session, referral: Referral) -> None:
    """Delete the referral's index rows (its content is being deleted)."""
    if referral.id is not None:
        session.execute(delete(ReferralIndex).where(ReferralIndex.referral_id == referral.id))


def index_all(session: Session, keyring: Keyring, batch: int = 500) -> int:
    """Index every referral with content that has no index rows under the current key (one
    stored before the index existed, or before a key rotation); returns how many. Safe to
    run again: a referral indexed under the current key is left alone. `batch` referrals
    are opened at a time, so memory stays bounded whatever their number."""
    current = select(ReferralIndex.referral_id).where(ReferralIndex.key_id == keyring.current_id)
    count, after = 0, 0
    while True:
        due = session.scalars(
            select(Referral)
            .where(
                Referral.id > after,
                Referral.purged_at.is_(None),
                Referral.content != "",
                Referral.id.not_in(current),
            )
            .order_by(Referral.id)
            .limit(batch)
        ).all()
        if not due:
            return count
        for referral in due:
            index(session, keyring, referral, answers_of(keyring, referral))
        session.flush()
        count, after = count + len(due), due[-1].id


# Searching --------------------------------------------------------------------------------


def digests(keyring: Keyring, text: str) -> list[str]:
    """The digests `text` would have as each kind, under every key of the keyring (rows
    written before a key rotation are found until `flask referrals index` redoes them)."""
    found = []
    for kind in KINDS:
        value = NORMALISE[kind](text)
        if value:
            found += [keyring.blind(key_id, _message(kind, value)) for key_id, _ in keyring.keys]
    return found


def find(session: Session, keyring: Keyring, text: str, organisation: str) -> list[Referral]:
    """The organisation's referrals whose reference, or the person's name, phone number or
    email address, is what was typed; newest first. One query, no sealed content read:
    another organisation's referral is never among them."""
    if not organisation or not text.strip():
        return []
    wanted = [ReferralIndex.digest.in_(digests(keyring, text))]
    typed = reference(text)
    references = {typed} if typed else set()
    references.add(text.strip().upper())  # a reference of an older shape, as it was shown
    # The few candidates first, by the reference's and the digests' own indexes; then
    # those of the organisation. (An OR of the two in the outer query let the database walk
    # every referral of the organisation newest first, testing each: time grew with their
    # number, bench/scale.py.)
    candidates = union(
        select(Referral.id.label("id")).where(Referral.reference.in_(references)),
        select(ReferralIndex.referral_id.label("id")).where(*wanted),
    ).subquery()
    return list(
        session.scalars(
            select(Referral)
            .join(candidates, candidates.c.id == Referral.id)
            .options(*listed())
            .where(Referral.organisation == organisation)
            .order_by(Referral.received_at.desc(), Referral.id.desc())
            .limit(MOST_RESULTS)
        )
    )
