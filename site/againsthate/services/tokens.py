"""Random tokens (links, cookies, drafts) made, hashed and compared in one place.

The browser or the email holds the token; the database holds only its SHA-256, so a copy of
the database opens nothing. A token is 32 random bytes: a plain hash is enough (nothing to
guess from), and a lookup by hash compares no secret in Python.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new(nbytes: int = 32) -> str:
    """A fresh URL-safe token of `nbytes` random bytes."""
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    """What we store for a token: its SHA-256, in hex (64 characters)."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(given: str | None, expected: str | None) -> bool:
    """Whether a token a request sent is the one expected, in constant time; never for None."""
    if given is None or expected is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
