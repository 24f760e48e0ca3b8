"""Referral references: short, easy to read aloud over the phone, never ambiguous."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, and no vowels (so no words are spelt by accident). 26 symbols.
ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
LENGTH = 8  # 28**8 ≈ 3.8e11: collisions are rare, and the database still refuses them


def new_reference() -> str:
    """Shown as AB12-CD34 style: two groups of four."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"
