"""The time, from one place, so tests can move it (monkeypatch `clock.now`: `today` follows).

Everything is kept in UTC; pages turn it into the reader's time zone when they show it.
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in UTC (the server's own time zone is never consulted)."""
    return now().date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A time read back from the database, made aware: SQLite hands back naive datetimes;
    we always store UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
