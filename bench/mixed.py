"""A mixed load against gunicorn as deployed, on PostgreSQL and on SQLite, side by side.

USERS virtual users (journeys.py): READERS read content pages (a visit: a language's home
page, then VISIT_PAGES more of its pages at random, every public page but the referral's
and the settings form; English, Polish, Urdu and Punjabi), the others complete whole
self-referrals. Each waits THINK seconds before each of their own actions; real people
take far longer (tens of seconds a page), so at 20 s a page these 50 users make the
requests of about 1,000 people at once. For information the same mix also runs with no
think time, which saturates the server.

gunicorn runs with deploy/gunicorn.conf.py as in production, the same Redis for the rate
limits in both; only DATABASE_URL differs. PostgreSQL keeps its default durability
settings (backends.py), SQLite is as the site sets it up (WAL, synchronous=FULL): in
both, a confirmed referral was on disk first.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import backends
import journeys
import noise
import servers

from againsthate.examples import in_language

USERS = 50
READERS = 40  # the other USERS - READERS complete referrals
THINK = (0.5, 1.5)  # seconds before each of a person's actions: 1 s on average
WARMUP, WINDOW = 5, 60  # seconds: users start spread over THINK; the 60 s
GRACE = 60  # referrers then finish their journey: about 20 actions × 1 s
NOTHINK_WARMUP, NOTHINK_WINDOW = 3, 15  # for information: the same mix with no think time
P95_TARGET_MS = 200.0
LANGUAGES = (("en", 0.55), ("pl", 0.15), ("ur", 0.15), ("pa", 0.15))  # (language, weight)
NOT_READ = ("/refer", "/settings")  # the referrers' own pages, and a form
CONFIG = servers.ROOT / "deploy" / "gunicorn.conf.py"


def reading_list(paths: list[str]) -> list[tuple[float, list[str]]]:
    """Per language, its weight and the pages a reader reads there, its home page first."""
    read = ["/", *(p for p in paths if p != "/" and not p.startswith(NOT_READ))]
    return [
        (weight, [p if lang == "en" else in_language(p, lang) for p in read])
        for lang, weight in LANGUAGES
    ]


@dataclass
class MixedRun:
    database: str  # "PostgreSQL" or "SQLite"
    version: str  # e.g. "PostgreSQL 15.18"
    workers: int
    run: journeys.Result
    other_share: float  # CPU that other processes took, share of the machine

    def p(self, pct: float, ms: list[float] | None = None) -> float | None:
        """A percentile of every request in the window, or of `ms`; None if empty."""
        values = self.run.ms() if ms is None else ms
        return journeys.percentile(values, pct) if values else None

    @property
    def ok(self) -> bool:
        """No errors, none lost, p95 under the target; and something ran."""
        return self.run.ok and not self.run.db_error and (self.p(95) or 0.0) < P95_TARGET_MS


def _workers(site: servers.Gunicorn, timeout: float = 15) -> int:
    """gunicorn answers once its first worker is up: wait until the number stays the same
    for a second, and say how many there are."""
    deadline, last, same = time.monotonic() + timeout, -1, 0
    while time.monotonic() < deadline and same < 4:
        n = len(site.worker_pids())
        same, last = (same + 1 if n == last and n else 0), n
        time.sleep(0.25)
    return last


def measure(workdir: Path, paths: list[str], log=print) -> list[MixedRun]:
    """Start PostgreSQL and Redis, then for each database a fresh site under gunicorn: the
    mix with think time (the targets), then without (for information)."""
    reading, runs = reading_list(paths), []
    with backends.Services() as svc:
        pg = "PostgreSQL " + svc.version.split(") ", 1)[-1].split()[0]
        for name, version, settings in (
            (
                "PostgreSQL",
                pg,
                {"DATABASE_URL": svc.database_url, "RATELIMIT_STORAGE_URI": svc.redis_url(0)},
            ),
            (
                "SQLite",
                f"SQLite {sqlite3.sqlite_version}",
                {"RATELIMIT_STORAGE_URI": svc.redis_url(1)},
            ),
        ):
            log(
                f"Mixed load on {name}: {USERS} users ({READERS} reading), {WARMUP} + {WINDOW} s, "
                f"then {NOTHINK_WARMUP} + {NOTHINK_WINDOW} s without think time ..."
            )
            instance = servers.prepare(workdir, f"mixed-{name.lower()}", **settings)
            env = {**servers.site_env(instance), **settings}
            with servers.Gunicorn(
                f"mixed-{name.lower()}", env, workdir, config=CONFIG, label=f"site on {name}"
            ) as site:
                for think in (True, False):
                    roots = [site.proc.pid, *svc.pids()]  # gunicorn, PostgreSQL, Redis
                    workers = _workers(site)
                    with noise.OtherLoad([], trees=roots) as other:
                        result = journeys.run(
                            site.url,
                            settings.get("DATABASE_URL", servers.sqlite_url(instance)),
                            WINDOW if think else NOTHINK_WINDOW,
                            WARMUP if think else NOTHINK_WARMUP,
                            USERS,
                            readers=READERS,
                            reading=reading,
                            think=THINK if think else None,
                            grace=GRACE,
                            server_cpu=lambda roots=roots: noise.tree_cpu_seconds(roots),
                        )
                    runs.append(MixedRun(name, version, workers, result, other.share))
    return runs
