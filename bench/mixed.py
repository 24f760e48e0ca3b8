"""A mixed load against gunicorn as deployed, on PostgreSQL and on SQLite, side by side.

USERS virtual users for WINDOW seconds: READERS of them read content pages (a visit: a
language's home page, then VISIT_PAGES more of its pages at random, every public page
but the referral's own and the settings form; English, Polish, Urdu and Punjabi), the
others complete whole self-referral journeys (bench/journeys.py: the same client as
section 4 of the report, cookies, CSRF tokens, every question, Send, the done page).

Think time: each person waits THINK seconds (uniformly random) before each of their
own actions: a link followed, a form sent. Redirects are followed at once. Real people
take far longer, tens of seconds to read a page, minutes to write what happened, so
this is a much harsher load than 50 real visitors: at 20 s a page, these 50 users
make the requests of about 1,000 people on the site at once. It is still not a flood:
for information the same mix also runs with no think time at all (NOTHINK_WINDOW
seconds), which measures what the server manages when saturated.

Both runs use gunicorn with deploy/gunicorn.conf.py as in production (sync workers,
its default of 2 × cores + 1 of them, preload_app, max_requests) and the same Redis for
the rate limits; only DATABASE_URL differs. PostgreSQL runs with its default durability
settings (bench/backends.py), SQLite as the site sets it up (WAL, the default
synchronous=FULL): in both, a confirmed referral was on disk first.

Figures are over the window (what ended inside it, after a WARMUP); errors and the
referrals stored count the whole run, including the journeys under way at the end,
which each referrer finishes. Stored = confirmed compares the very references: the
rows the run added to `referral`, against the references the done pages showed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path[:0] = [str(BENCH), str(BENCH.parent / "tests")]

import backends
import journeys
import noise
import servers

USERS = 50
READERS = 40  # the other USERS - READERS complete referrals
THINK = (0.5, 1.5)  # seconds before each of a person's actions: 1 s on average
WARMUP = 5  # seconds: users start spread over THINK, the page cache fills
WINDOW = 60  # the measured window (the 60 seconds)
GRACE = 60  # referrers then finish their journey: about 20 actions × 1 s
NOTHINK_WARMUP, NOTHINK_WINDOW = 3, 15  # for information: the same mix with no think time
P95_TARGET_MS = 200.0
NOISE = 0.05  # others took more CPU than this: the figures are unreliable

# (language, weight): most visitors read English; the home page is the language's own.
LANGUAGES = (("en", 0.55), ("pl", 0.15), ("ur", 0.15), ("pa", 0.15))
NOT_READ = ("/refer", "/settings")  # the referral's own pages (the referrers') and a form
CONFIG = BENCH.parent / "deploy" / "gunicorn.conf.py"


def reading_list(paths: list[str]) -> list[tuple[float, list[str]]]:
    """From the public pages (unprefixed, as run.py weighs them): per language, its
    weight and the pages a reader reads there, its home page first."""
    from pages import in_language

    read = ["/", *(p for p in paths if p != "/" and not p.startswith(NOT_READ))]
    return [
        (weight, [p if lang == "en" else in_language(p, lang) for p in read])
        for lang, weight in LANGUAGES
    ]


@dataclass
class MixedRun(journeys.StoredCheck):
    database: str  # "PostgreSQL" or "SQLite"
    version: str  # e.g. "PostgreSQL 15.18", "SQLite 3.40.1"
    workers: int
    run: journeys.JourneyResult
    stored_before: list[str] | None
    stored_after: list[str] | None
    drafts_left: int | None
    other_share: float  # CPU that other processes took, share of the machine
    db_error: str = ""

    @property
    def think(self) -> bool:
        return self.run.think is not None

    @property
    def bad(self) -> int:
        """Responses not 2xx or 3xx, or no response at all."""
        return len(self.run.bad_statuses)

    @property
    def failures(self) -> int:
        """Journeys and visits that failed (a bad response, a form refused, a page
        without what it must show, a user still stuck after the grace period)."""
        return len(self.run.errors)

    def p(self, pct: float, ms: list[float] | None = None) -> float | None:
        """A percentile of every request in the window, or of `ms`; None if empty."""
        values = self.run.request_ms() if ms is None else ms
        return journeys.percentile(values, pct) if values else None

    @property
    def ok(self) -> bool:
        """The targets: no errors, none lost, p95 under P95_TARGET_MS; and something ran."""
        return (
            bool(self.run.confirmed)
            and not self.bad
            and not self.failures
            and self.stored_matches
            and not self.db_error
            and (self.p(95) or 0.0) < P95_TARGET_MS
        )


def _read(database: Path | str) -> tuple[list[str] | None, int | None, str]:
    try:
        return journeys.stored_references(database), journeys.drafts_left(database), ""
    except Exception as e:  # noqa: BLE001 - shown in the report, and the target fails
        return None, None, f"{type(e).__name__}: {e}"


def _workers(site: servers.Gunicorn, timeout: float = 15) -> int:
    """gunicorn answers once its first worker is up: wait until all are (the number
    stays the same for a second), and say how many there are."""
    deadline, last, same = time.monotonic() + timeout, -1, 0
    while time.monotonic() < deadline and same < 4:
        n = len(site.worker_pids())
        same, last = (same + 1 if n == last and n else 0), n
        time.sleep(0.25)
    return last


def _one(
    site: servers.Gunicorn,
    database: Path | str,
    name: str,
    version: str,
    reading,
    think: bool,
    service_pids: list[int],
) -> MixedRun:
    roots = [site.proc.pid, *service_pids]  # gunicorn and its workers, PostgreSQL, Redis
    before, _drafts, error = _read(database)
    workers = _workers(site)
    with noise.OtherLoad([], trees=roots) as other:
        result = journeys.run(
            site.url,
            WINDOW if think else NOTHINK_WINDOW,
            WARMUP if think else NOTHINK_WARMUP,
            USERS,
            readers=READERS,
            reading=reading,
            think=THINK if think else None,
            grace=GRACE,
            server_cpu=lambda: noise.tree_cpu_seconds(roots),
        )
    after, drafts, error_after = _read(database)
    return MixedRun(
        name, version, workers, result, before, after, drafts, other.share, error or error_after
    )


def measure(workdir: Path, paths: list[str], log=print) -> list[MixedRun]:
    """Start PostgreSQL and Redis, then for each database a fresh site under gunicorn:
    the mix with think time (the targets), then without (for information)."""
    import sqlite3

    reading = reading_list(paths)
    runs: list[MixedRun] = []
    with backends.Services() as svc:
        pg_version = "PostgreSQL " + svc.version.split(") ", 1)[-1].split()[0]
        setups = [
            (
                "PostgreSQL",
                pg_version,
                "mixed-pg",
                svc.database_url,
                {"DATABASE_URL": svc.database_url, "RATELIMIT_STORAGE_URI": svc.redis_url(0)},
            ),
            (
                "SQLite",
                f"SQLite {sqlite3.sqlite_version}",
                "mixed-sqlite",
                None,
                {"RATELIMIT_STORAGE_URI": svc.redis_url(1)},
            ),
        ]
        for name, version, folder, url, settings in setups:
            log(
                f"Mixed load on {name}: {USERS} users ({READERS} reading), "
                f"{WARMUP} + {WINDOW} s, then {NOTHINK_WARMUP} + {NOTHINK_WINDOW} s without "
                "think time ..."
            )
            instance = servers.prepare(workdir, folder, **settings)
            database = url or instance / "againsthate.sqlite"
            env = {**servers.site_env(instance), **settings}
            env.pop("WEB_CONCURRENCY", None)  # the configuration's own default
            with servers.Gunicorn(
                f"mixed-{name.lower()}",
                "againsthate.wsgi:app",
                env,
                workdir,
                extra=["-c", str(CONFIG)],
                ready_path="/healthz",
                label=f"site on {name}",
                workers=None,
            ) as site:
                for think in (True, False):
                    runs.append(_one(site, database, name, version, reading, think, svc.pids()))
    return runs


# The report.


def _ms(v: float | None) -> str:
    if v is None:
        return "–"  # nothing of that kind in the window
    return f"{v:,.0f} ms" if v >= 10 else f"{v:.1f} ms"


def _stored(m: MixedRun) -> str:
    confirmed = len(m.run.confirmed)
    if m.stored is None:
        return f"unreadable; confirmed {confirmed:,}"
    if m.stored_matches:
        return f"{len(m.stored):,} = {confirmed:,}"
    return f"**{len(m.stored):,} ≠ {confirmed:,}**"


def _errors(m: MixedRun) -> str:
    text = f"{m.bad} responses, {m.failures} journeys or visits failed"
    return text if not (m.bad or m.failures) else f"**{text}**"


def summary_rows(runs: list[MixedRun]) -> list[tuple[str, str, str, bool]]:
    """One target row per database (the runs with think time)."""
    rows = []
    for m in (m for m in runs if m.think):
        r = m.run
        rows.append(
            (
                (
                    f"Mixed load on {m.database}: {r.users} users ({r.readers} reading, "
                    f"{r.users - r.readers} referring), {r.window:.0f} s, gunicorn {m.workers} workers"
                ),
                f"0 errors, stored = confirmed, p95 < {P95_TARGET_MS:.0f} ms",
                (
                    f"{m.bad + m.failures} errors; stored {_stored(m)} confirmed; p95 "
                    f"{_ms(m.p(95))}; {r.requests_per_s:,.0f} req/s"
                ),
                m.ok,
            )
        )
    return rows


def summary_line(runs: list[MixedRun]) -> str:
    parts = [
        f"{m.database} {m.run.requests_per_s:,.0f} req/s, p95 {_ms(m.p(95))}, p99 "
        f"{_ms(m.p(99))}, {m.bad + m.failures} errors, stored {_stored(m)} confirmed"
        for m in runs
        if not m.think
    ]
    return (
        "Not a target (section 7), the same mix with no think time (saturation): "
        + "; ".join(parts)
        + "."
    )


def section(runs: list[MixedRun], number: int = 7) -> list[str]:
    think = [m for m in runs if m.think]
    flat = [m for m in runs if not m.think]
    first = think[0]
    r0 = first.run
    md = [
        "",
        f"## {number}. Mixed load: PostgreSQL and SQLite side by side",
        "",
        (
            f"{r0.users} virtual users (`bench/mixed.py`), {r0.readers} reading and "
            f"{r0.users - r0.readers} completing self-referrals, against gunicorn started with "
            f"`deploy/gunicorn.conf.py` as in production ({first.workers} sync workers, "
            "preload_app), each database fresh (the area pack loaded), the same Redis for the "
            "rate limits in both; only `DATABASE_URL` differs. "
            f"{first.version} runs with its default durability settings (fsync, "
            f"synchronous_commit on); {next((m.version for m in think if m.database == 'SQLite'), 'SQLite')} "
            "as the site sets it up (WAL, synchronous=FULL)."
        ),
        "",
        (
            f"- *Readers*: a visit is a language's home page, then {journeys.VISIT_PAGES} more of "
            "its pages at random (every public page but the referral's and the settings form; "
            + ", ".join(f"{lang} {w:.0%}" for lang, w in LANGUAGES)
            + " of visits), as a new visitor without cookies. HTML only, gzip."
        ),
        (
            "- *Referrers*: the whole self-referral journey of section 4 (every question, "
            "Send, the done page showing its reference), each journey a new visitor."
        ),
        (
            f"- *Think time*: a person waits {THINK[0]}–{THINK[1]} s (uniformly random, 1 s on "
            "average) before each of their own actions (a link, a form sent); redirects are "
            "followed at once. Real people take far longer (tens of seconds a page, minutes "
            "for what happened), so this is harsher than 50 real visitors: at 20 s a page, "
            "the requests of about 1,000 people at once."
        ),
        (
            f"- A {r0.warmup:.0f} s warm-up, then figures over a {r0.window:.0f} s window (the "
            "requests and journeys that ended in it); then readers stop and referrers finish "
            "the journey under way. Errors and referrals stored count the whole run. "
            "*Errors*: every response not 2xx or 3xx or no response, and every journey or "
            "visit that failed for another reason (a form refused, a page without what it "
            "must show). *Stored*: the rows the run added to `referral`, compared reference "
            "by reference with the done pages the users saw."
        ),
        (
            "- Latency is per HTTP request as the client timed it (a redirect's Location is "
            "a request of its own). Server CPU: gunicorn's master and workers, PostgreSQL "
            "(every backend) and Redis, over the window."
        ),
        "",
    ]

    def table(ms: list[MixedRun], targets: bool) -> list[str]:
        head = "| Measure | " + " | ".join(m.database for m in ms) + " |"
        rows = [head, "|---|" + "---|" * len(ms)]

        def row(name, f):
            rows.append(f"| {name} | " + " | ".join(f(m) for m in ms) + " |")

        row(
            "Requests in the window / a second",
            lambda m: f"{len(m.run.requests):,} / **{m.run.requests_per_s:,.1f} req/s**",
        )
        row(
            "p50 / p95 / p99 / max, every request",
            lambda m: f"{_ms(m.p(50))} / **{_ms(m.p(95))}** / **{_ms(m.p(99))}** / {_ms(m.p(100))}",
        )
        row(
            "p95 / p99, readers' pages",
            lambda m: f"{_ms(m.p(95, m.run.reader_ms()))} / {_ms(m.p(99, m.run.reader_ms()))}",
        )
        row(
            "p95 / p99, referrers' requests",
            lambda m: (
                f"{_ms(m.p(95, m.run.reader_ms(False)))} / {_ms(m.p(99, m.run.reader_ms(False)))}"
            ),
        )
        row(
            "p95 `POST /refer/check` (Send: the referral stored)",
            lambda m: _ms(m.p(95, m.run.request_ms("send"))),
        )
        row(
            "Journeys confirmed in the window / a second",
            lambda m: f"{len(m.run.journeys):,} / {m.run.journeys_per_s:.2f}",
        )
        row(
            "Whole journey p50 (its think time included)",
            lambda m: f"{m.p(50, m.run.journey_ms()) / 1000:.1f} s" if m.run.journeys else "–",
        )
        row(
            "Journeys begun / confirmed / failed; reader visits (whole run)",
            lambda m: (
                f"{m.run.started:,} / {len(m.run.confirmed):,} / "
                f"{m.run.started - len(m.run.confirmed):,}; {m.run.visits:,}"
            ),
        )
        row("**Errors** (whole run)", _errors)
        row("**Referrals stored = confirmed** (whole run)", _stored)
        row(
            "Drafts left (journeys under way leave none)",
            lambda m: "unreadable" if m.drafts_left is None else str(m.drafts_left),
        )
        row(
            "Server CPU per request (gunicorn, database, Redis)",
            lambda m: f"{m.run.server_cpu_s * 1000 / max(len(m.run.requests), 1):.2f} ms",
        )
        row(
            "Client CPU per request (it shares the cores)",
            lambda m: f"{m.run.client_cpu_s * 1000 / max(len(m.run.requests), 1):.2f} ms",
        )
        row(
            "CPU taken by other processes",
            lambda m: (
                f"{m.other_share:.0%}" + (" **(unreliable)**" if m.other_share > NOISE else "")
            ),
        )
        if targets:
            row(
                f"**Targets**: 0 errors, stored = confirmed, p95 < {P95_TARGET_MS:.0f} ms",
                lambda m: verdict(m.ok),
            )
        return rows

    md += table(think, True)
    if flat:
        f0 = flat[0].run
        md += [
            "",
            (
                "For information, not a target: the same mix with **no think time** "
                f"({f0.warmup:.0f} s warm-up, {f0.window:.0f} s window): each user sends its "
                "next request as soon as the last is answered, which saturates the workers "
                "and the client's cores, so this measures capacity, not what a visitor waits."
            ),
            "",
        ]
        md += table(flat, False)
    problems = [m for m in runs if m.run.errors or m.db_error or not m.stored_matches]
    if problems:
        md += ["", "**Problems:**", ""]
        for m in problems:
            label = f"{m.database}, {'think time' if m.think else 'no think time'}"
            if m.db_error:
                md.append(f"- {label}: the database could not be read: {m.db_error}")
            elif not m.stored_matches:
                seen, stored = {j.reference for j in m.run.confirmed}, set(m.stored or [])
                md.append(
                    f"- {label}: {len(stored - seen)} referrals stored that no user saw "
                    f"confirmed, {len(seen - stored)} confirmed but not stored."
                )
            for message, n in Counter(m.run.errors).most_common(8):
                md.append(f"- {label}: {n} × `{message.replace('`', chr(39))}`")
    return md


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def main() -> int:
    """This section alone: `python bench/mixed.py` (bench/run.py runs it in `make bench`)."""
    import run

    started = time.monotonic()
    run.ensure_tools()
    with tempfile.TemporaryDirectory(prefix="againsthate-bench-") as tmp:
        workdir = Path(tmp)
        paths = run.public_pages(servers.prepare(workdir))
        runs = measure(workdir, paths)
    rows = summary_rows(runs)
    print(
        "\n".join(
            [
                "| Target | Goal | Measured | Result |",
                "|---|---|---|---|",
                *(f"| {t} | {g} | {m} | {verdict(ok)} |" for t, g, m, ok in rows),
                "",
                summary_line(runs),
                *section(runs),
                "",
                f"{os.cpu_count()} cores; took {time.monotonic() - started:.0f} s.",
            ]
        )
    )
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
