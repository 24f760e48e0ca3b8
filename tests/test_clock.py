"""The time comes from `clock` only, so a test that moves `clock.now` moves all of it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from againsthate import clock

PACKAGE = Path(clock.__file__).parent
ASKS_THE_SYSTEM = re.compile(r"\b(?:datetime\.(?:now|utcnow|today)|date\.today)\(")


def test_no_module_but_the_clock_asks_the_system_for_the_time():
    asking = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ASKS_THE_SYSTEM.search(line)
    ]
    assert asking == []


def test_today_follows_a_moved_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2030, 1, 2, 23, 59, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2030, 1, 2)


def test_a_time_read_back_naive_is_taken_as_utc():
    naive = dt.datetime(2026, 6, 1, 0, 30)
    assert clock.as_utc(naive) == dt.datetime(2026, 6, 1, 0, 30, tzinfo=dt.UTC)
    aware = dt.datetime(2026, 6, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert clock.as_utc(aware) is aware
