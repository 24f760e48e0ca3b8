"""UK postcodes: we keep only the outward code (for example "DE1"), never the full postcode."""

from __future__ import annotations

import re

# Outward code: area letters, district digits, optional letter (EC1A, W1B). The inward
# code (digit + two letters) is optional: people may type only "DE22".
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*(?:[0-9][A-Z]{2})?$")
_RANGE = re.compile(r"^([A-Z]{1,2})([0-9]{1,2})-\1([0-9]{1,2})$")


def outward_code(text: str) -> str | None:
    """The outward code of a full or partial postcode, or None when it is not a postcode."""
    cleaned = re.sub(r"\s+", " ", (text or "").upper()).strip()
    match = _POSTCODE.match(cleaned)
    return match.group(1) if match else None


def postcode_area(outward: str) -> str:
    """The letters at the start: "DE" for "DE22"."""
    return re.match(r"[A-Z]+", outward).group(0)  # type: ignore[union-attr]


def expand_districts(entries: list[str]) -> set[str]:
    """Districts from a pack's list, where "DE1-DE75" stands for DE1, DE2 … DE75."""
    districts: set[str] = set()
    for entry in entries:
        entry = entry.strip().upper()
        ranged = _RANGE.match(entry)
        if ranged:
            letters, start, end = ranged.group(1), int(ranged.group(2)), int(ranged.group(3))
            districts.update(f"{letters}{n}" for n in range(start, end + 1))
        else:
            districts.add(entry)
    return districts


def reversed_range(entry: str) -> str | None:
    """For a range written backwards ("WS10-WS1"), the same range written forwards."""
    ranged = _RANGE.match(entry.strip().upper())
    if ranged and int(ranged.group(2)) > int(ranged.group(3)):
        letters = ranged.group(1)
        return f"{letters}{ranged.group(3)}-{letters}{ranged.group(2)}"
    return None


def is_district_entry(entry: str) -> bool:
    entry = entry.strip().upper()
    return bool(_RANGE.match(entry) or re.fullmatch(r"[A-Z]{1,2}[0-9][0-9A-Z]?", entry))
