"""Staff passwords: Argon2id hashes (argon2-cffi's defaults, which follow RFC 9106) and a
policy of at least 12 characters that are not a common or easily guessed password.

The common-password list and the guessability score come from zxcvbn, a maintained port
of Dropbox's estimator: its 30,000 most common passwords catch the obvious ones, and its
score catches "password1234"-style variations that a plain list misses.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 200  # Argon2 takes any length; this stops a megabyte "password" costing CPU

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    if not password_hash or len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker settings than today's."""
    return _hasher.check_needs_rehash(password_hash)


def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


_COMMON: frozenset[str] | None = None


def problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why this password is not allowed ("short", "long", "common"), or None if it is fine.

    `user_inputs` (the person's name and email) count as easy to guess."""
    global _COMMON
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    if _COMMON is None:
        _COMMON = _common()
    if password.lower() in _COMMON:
        return "common"
    from zxcvbn import zxcvbn

    # Score 4: at least 10^10 guesses. Three random words pass; "Derbyshire2026!" and the
    # person's own name with a word added do not. zxcvbn slows down on very long input and
    # gains nothing past 100 characters.
    if zxcvbn(password[:100], user_inputs=list(user_inputs))["score"] < 4:
        return "common"
    return None
