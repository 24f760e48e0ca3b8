"""The time, from one place, so tests can move it (monkeypatch `clock.now`)."""
from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
