"""How many rows a conditional UPDATE or DELETE changed ("use once" under concurrency)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy.engine import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """The number of rows the UPDATE or DELETE that gave `result` changed."""
    # Session.execute() is typed as returning Result; for an UPDATE or DELETE it is a
    # CursorResult, which is the one that has rowcount (the cast SQLAlchemy documents).
    return cast(CursorResult[Any], result).rowcount
