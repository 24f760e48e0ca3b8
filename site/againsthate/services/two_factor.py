"""Two-factor sign-in: time-based one-time codes (RFC 6238, via pyotp) and one-time
recovery codes. A QR code (segno, pure Python, as inline SVG) and the text key set it up.

A code is accepted once only: the newest accepted time step is stored, and a code for
that step or an earlier one is refused, so a code seen over someone's shoulder or
replayed from a log is useless.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import unicodedata

import pyotp
import segno

from . import tokens

DRIFT_STEPS = 1  # accept the previous and next 30 s code, for clocks a little out
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed by hand


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """`issuer`: the site's name as the authenticator app lists it (AreaPack.full_name)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code as an <svg> element to put straight into the page."""
    return segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", omitsize=False
    )


def grouped(secret: str) -> str:
    """The text key in groups of four, easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def accepted_step(secret: str, code: str, *, last_step: int | None, now: dt.datetime) -> int | None:
    """The time step this code belongs to if it is right and not used before, else None."""
    # Any decimal digit, as its number: a phone set to Arabic or Urdu types ٠-٩ or ۰-۹, and
    # those reaching the comparison below as they are made it raise (a 500, not "wrong").
    code = "".join(str(unicodedata.decimal(ch)) for ch in code if ch.isdecimal())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, now: dt.datetime) -> str:
    """The code an authenticator shows at `now` (for tests and the set-up check)."""
    return pyotp.TOTP(secret).at(now)


def new_recovery_codes() -> list[str]:
    return [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]


def recovery_hash(code: str) -> str:
    """Recovery codes are 50 random bits: a plain hash is enough (nothing to guess from)."""
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return tokens.digest(normal)
