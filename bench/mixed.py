"""A mixed load against gunicorn as deployed (deploy/gunicorn.conf.py), on PostgreSQL and
on SQLite side by side, the same Redis for the rate limits: only DATABASE_URL differs.

USERS virtual users (journeys.py): READERS read content pages in LANGUAGES, the others
complete self-referrals; each waits THINK seconds before each of their own actions (at
20 s a page, real people's pace, these 50 make the requests of about 1,000). For
information the same mix runs with no think time too, which saturates the server."""

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


def _workers(site: servers.Gunicorn, timeout: float = 15) -> int:
    """gunicorn answers once its first worker is up: wait until the number stays the same
    for a second, and say how many there are."""
    deadline, last, same = time.monotonic() + timeout, -1, 0
    while time.monotonic() < deadline and same < 4:
        n = len(site.worker_pids())
        same, last = (same + 1 if n == last and n else 0), n
        time.sleep(0.25)
    return last


def measure(workdir: Path, paths: list[str]) -> list[MixedRun]:
    """Start PostgreSQL and Redis, then for each database a fresh site under gunicorn: the
    mix with think time (the targets), then without (for information)."""
    reading, runs = reading_list(paths), []
    with backends.Services() as svc:
        for name, version, settings in (
            ("PostgreSQL", svc.version, {"DATABASE_URL": svc.database_url}),
            ("SQLite", f"SQLite {sqlite3.sqlite_version}", {}),
        ):
            settings["RATELIMIT_STORAGE_URI"] = svc.redis_url(len(runs) // 2)
            print(
                f"Mixed load on {name}: {USERS} users ({READERS} reading), {WARMUP} + {WINDOW} s, "
                f"then {NOTHINK_WARMUP} + {NOTHINK_WINDOW} s without think time ...",
                flush=True,
            )
            instance = servers.prepare(workdir, f"mixed-{name.lower()}", **settings)
            env = servers.site_env(instance, **settings)
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
