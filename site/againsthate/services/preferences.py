"""Display preferences (text size, postcode district), kept in one cookie.

The cookie holds nothing of a referral and nothing that identifies the person: a
text size and, if they set one, the outward part of a postcode ("DE22").
It lasts for the browser session unless they tick "remember on this device".
"""

from __future__ import annotations

from dataclasses import dataclass

from .postcodes import outward_code

COOKIE = "ah_prefs"
TEXT_SIZES = ("default", "large", "largest")
REMEMBER_DAYS = 365


@dataclass(frozen=True)
class Preferences:
    text_size: str = "default"
    district: str | None = None
    remember: bool = False

    def encode(self) -> str:
        return "|".join([self.text_size, self.district or "", "1" if self.remember else "0"])

    @property
    def is_default(self) -> bool:
        return self.text_size == "default" and self.district is None

    @classmethod
    def decode(cls, raw: str | None) -> Preferences:
        """Anything unexpected falls back to the defaults rather than failing."""
        parts = (raw or "").split("|")
        if len(parts) != 3:
            return cls()
        size, district, remember = parts
        return cls(
            text_size=size if size in TEXT_SIZES else "default",
            district=outward_code(district) if district else None,
            remember=remember == "1",
        )
