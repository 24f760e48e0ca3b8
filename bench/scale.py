"""The portal inbox and a search at 10,000 and 100,000 referrals, in process: SQL statements
and time a request, to show both stay flat as an organisation's referrals grow.

For each size, a throwaway SQLite database gets that many referrals of one organisation in
bulk inserts (sealed contents reused: their size matters, not their words; a blind-index
row for each one's name, as sending writes), half of another organisation's on top, and a
signed-in caseworker. Each inbox URL (the people columns, filters, orders, a far page) is
requested through the app with the Flask test client, rendering included; the search is
services/search.find, as the search page calls it. Statements are counted on the engine;
time is the median of ROUNDS after one warm-up.

Run alone with `.venv/bin/python bench/scale.py` (about a minute); `make bench` runs it too.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import servers
from flask import Flask
from sqlalchemy import event, insert

from againsthate import clock
from againsthate.db.models import Referral, ReferralIndex, StaffUser
from againsthate.extensions import db
from againsthate.services import search, staff_sessions

SIZES = (10_000, 100_000)
ROUNDS = 15
BATCH = 10_000
ORGANISATION = "derbyshire-victim-services"
OTHER = "another-organisation"
URLS = [
    "/portal/referrals",
    "/portal/referrals?sort=oldest&page=40",
    "/portal/referrals?sort=activity&status=new&characteristic=race&owner=unassigned",
    "/portal/referrals?sort=waiting&owner=mine",
]
SEARCHED = "Person 4321"  # one name among the referrals, found by its blind index


@dataclass(frozen=True)
class Measure:
    size: int
    what: str
    statements: int
    median_ms: float
    p90_ms: float
    cpu_ms: float  # median CPU time of this process (SQLite runs in it): steadier on a busy machine


def _contents(keyring) -> list[str]:
    base = {"who": "self", "what": "Someone shouted at me at the bus stop.", "about": ["race"]}
    base |= {"police": "no", "consent": True, "help": ["emotional_support"]}
    named = {"contact": "yes", "name": "A person", "methods": ["phone", "email"]}
    named |= {"phone": "07700 900 982", "email": "a@example.org"}
    return [
        keyring.seal(json.dumps(base | named)),
        keyring.seal(json.dumps(base | {"contact": "none"})),
    ]


def seed(app: Flask, size: int) -> tuple[str, int]:
    """`size` referrals of ORGANISATION and size / 2 of another, in bulk; return a signed-in
    caseworker's session token and the seconds it took."""
    started = time.monotonic()
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        now = clock.now()
        user = StaffUser(email="scale@example.org", name="Bench", role="caseworker")
        user.organisation, user.created_at, user.activated_at = ORGANISATION, now, now
        user.failed_attempts = 0
        db.session.add(user)
        db.session.flush()
        contents, key_id = _contents(keyring), keyring.current_id
        start = now - dt.timedelta(days=800)
        total = size + size // 2
        for first in range(0, total, BATCH):
            rows, names = [], []
            for i in range(first, min(first + BATCH, total)):
                at = start + dt.timedelta(minutes=(800 * 24 * 60 // total) * i)
                rows.append(
                    {
                        "id": i + 1,  # a fresh database: ids given, so no RETURNING is needed
                        "reference": f"S{i:07d}",
                        "submission_key": secrets.token_hex(16),
                        "organisation": ORGANISATION if i < size else OTHER,
                        "status": ("new", "contacted", "in_support", "closed")[i % 4],
                        "created_at": at,
                        "received_at": at,
                        "last_activity_at": at + dt.timedelta(days=i % 30),
                        "characteristics": ("race", "religion", "disability race")[i % 3],
                        "content": contents[i % 7 == 0],
                        "assigned_to": (None, user.id, None)[i % 3],
                    }
                )
                names.append(f"name:{search.name(f'Person {i}')}")
            # Core inserts: many rows a statement (an ORM insert with RETURNING goes row by row).
            db.session.execute(insert(Referral.__table__), rows)
            ids = [row["id"] for row in rows]
            db.session.execute(
                insert(ReferralIndex.__table__),
                [
                    {
                        "referral_id": rid,
                        "kind": "name",
                        "key_id": key_id,
                        "digest": keyring.blind(key_id, n),
                    }
                    for rid, n in zip(ids, names, strict=True)
                ],
            )
        db.session.commit()
        token = staff_sessions.start(db.session, user, clock.now())
        db.session.commit()
    return token, time.monotonic() - started


def _timed(app: Flask, call) -> tuple[int, float, float, float]:
    """Statements of one call, then the median and 90th percentile of ROUNDS and their
    median CPU time (ms)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    call()  # warm-up: compiling, caches
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    times, cpu = [], []
    for _ in range(ROUNDS):
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    p90 = statistics.quantiles(times, n=10)[-1]
    return len(statements), statistics.median(times), p90, statistics.median(cpu)


def measure_size(workdir: Path, size: int) -> tuple[list[Measure], float]:
    instance = servers.prepare(workdir, name=f"scale-{size}")
    app = servers.app(instance)
    token, seeded = seed(app, size)
    client = app.test_client()
    client.set_cookie(staff_sessions.COOKIE, token)
    results = []
    for url in URLS:

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200 or "<bdi>A person</bdi>" not in response.text:
                raise RuntimeError(f"{url}: {response.status_code}, not the inbox with names")

        results.append(Measure(size, url, *_timed(app, get)))

    def find():
        with app.app_context():
            found = search.find(
                db.session, app.extensions["againsthate.keyring"], SEARCHED, ORGANISATION
            )
            if [r.reference for r in found] != ["S0004321"]:
                raise RuntimeError(f"search found {found}")

    results.append(Measure(size, f"search.find({SEARCHED!r})", *_timed(app, find)))
    with app.app_context():
        db.engine.dispose()
    return results, seeded


def measure() -> tuple[list[Measure], dict[int, float]]:
    results, seeding = [], {}
    with tempfile.TemporaryDirectory(prefix="againsthate-bench-scale-") as tmp:
        for size in SIZES:
            print(f"Inbox and search over {size:,} referrals ...", flush=True)
            found, seeding[size] = measure_size(Path(tmp), size)
            results += found
    return results, seeding


def markdown(results: list[Measure], seeding: dict[int, float]) -> list[str]:
    small, large = SIZES
    by = {(m.size, m.what): m for m in results}
    rows = []
    for what in dict.fromkeys(m.what for m in results):
        a, b = by[small, what], by[large, what]
        rows.append(
            f"| `{what}` | {a.statements} / {b.statements} | {a.median_ms:.1f} / {b.median_ms:.1f} ms"
            f" | {a.p90_ms:.1f} / {b.p90_ms:.1f} ms | {a.cpu_ms:.1f} / {b.cpu_ms:.1f} ms"
            f" | {b.median_ms / a.median_ms:.2f} |"
        )
    return [
        (
            f"| request | statements, {small:,} / {large:,} | median | 90th percentile"
            f" | CPU (median) | median ×, {large:,} ÷ {small:,} |"
        ),
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Seeding (bulk inserts, referrals and their index rows, half as many again of another"
        " organisation): " + ", ".join(f"{s:,} in {t:.1f} s" for s, t in seeding.items()) + ".",
    ]


def main() -> int:
    results, seeding = measure()
    print("\n".join(markdown(results, seeding)))
    flat = all(
        a.statements == b.statements
        for a in results
        for b in results
        if a.what == b.what and a.size != b.size
    )
    print("Statements the same at every size:", "yes" if flat else "NO")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
