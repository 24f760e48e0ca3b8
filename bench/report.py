"""The targets, and the report of a run in Markdown: every target in a summary, then a
section per measurement, then wrk's own output. README's Benchmarks section says how
each is measured; the report says it in short."""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections import Counter
from dataclasses import dataclass

import inbox
import journeys
import load
import mixed
import servers
from load import LoadResult
from weight import PageWeight

BUDGET_BYTES = 60 * 1024  # per page, all requests, as transferred
BUDGET_REQUESTS = 8  # per page
RATIO_TARGET = 0.5  # site req/s over minimal Flask req/s
P95_TARGET_MS = 50.0  # content pages, 20 connections
RSS_TARGET = 120 * 1024 * 1024  # per gunicorn worker
NOISE = 0.05  # others took more CPU than this: load figures are unreliable
PREFS_COOKIE = "ah_prefs=large||0"  # large text: personalised, never stored or replayed
COOKIE_PAGE = "/report"


@dataclass
class Run:
    """Everything one `make bench` measured."""

    langs: tuple[str, ...]
    seconds: tuple[int, int, int, int]  # a URL: load, information, inbox; the warm-up
    weights: list[PageWeight]
    site: list[LoadResult]  # the content pages, the site as deployed (the targets)
    minimal: LoadResult
    nocache: list[LoadResult]  # the same pages, the site with PAGE_CACHE_SECONDS=0
    cookie: LoadResult  # the cached site, COOKIE_PAGE with PREFS_COOKIE
    cookie_check: tuple[str, bool]  # what one such request answered; rendered for us?
    journeys: journeys.Result
    inbox: list[LoadResult]
    inbox_problems: str  # what the check request before the run found wrong
    rss: list[tuple[str, int, int]]  # server, worker pid, bytes
    mixed: list[mixed.MixedRun]
    busy: float  # share of the machine other processes took during the load
    elapsed: float
    version: str  # the commit measured


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def cell(text: str) -> str:
    """For a Markdown table cell: GitHub splits cells at `|`, even inside code."""
    return text.replace("|", "\\|")


def table(head: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def ms(v: float | None) -> str:
    if v is None:
        return "–"  # nothing of that kind in the window
    return f"{v:,.0f} ms" if v >= 10 else f"{v:.1f} ms"


def pct(values: list[float], p: float) -> str:
    return f"{journeys.percentile(values, p):,.0f} ms"


def mean(rs: list[LoadResult], attr: str) -> float:
    return sum(getattr(r, attr) for r in rs) / len(rs)


def errors(*rs: LoadResult) -> int:
    return sum(r.status_errors + r.socket_errors for r in rs)


def stored(r: journeys.Result) -> str:
    if r.stored is None:
        return f"unreadable; confirmed {len(r.confirmed):,}"
    text = f"{len(r.stored):,} {'=' if r.stored_matches else '≠'} {len(r.confirmed):,}"
    return text if r.stored_matches else f"**{text}**"


def problems(label: str, r: journeys.Result) -> list[str]:
    lines = [f"- {label}: no journey was confirmed."] if not r.confirmed else []
    if r.db_error:
        lines.append(f"- {label}: the database could not be read: {r.db_error}")
    elif not r.stored_matches:
        seen, kept = {ref for ref, _ms, _end in r.confirmed}, r.stored or set()
        lines.append(f"- {label}: {len(kept - seen)} stored unconfirmed, {len(seen - kept)} lost.")
    for message, n in Counter(r.errors).most_common(8):
        lines.append(f"- {label}: {n} × `{message.replace('`', chr(39))}`")
    return lines


def page_ok(w: PageWeight) -> bool:
    return w.status == 200 and w.bytes <= BUDGET_BYTES and w.requests <= BUDGET_REQUESTS


def wrk_row(name: str, r: LoadResult, mini: LoadResult) -> list:
    times = (f"{v:.1f} ms" for v in (r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms))
    ratio = f"{r.rps / mini.rps:.2f}"
    return [
        f"{name} `{cell(r.path)}`",
        f"{r.rps:,.0f}",
        ratio,
        *times,
        errors(r),
        f"{r.cpu_ms:.2f} ms",
    ]


def render(m: Run) -> tuple[str, bool]:
    load_s, info_s, inbox_s, warm_s = m.seconds
    mini, j, n = m.minimal, m.journeys, len(m.weights)
    heaviest = max(m.weights, key=lambda w: w.bytes)
    busiest = max(m.weights, key=lambda w: w.requests)
    broken = [w for w in m.weights if w.status != 200]
    site_rps, site_cpu = mean(m.site, "rps"), mean(m.site, "cpu_ms")
    nc_rps, nc_cpu = mean(m.nocache, "rps"), mean(m.nocache, "cpu_ms")
    worst = max(m.site, key=lambda r: r.p95_ms)
    nc_worst = max(m.nocache, key=lambda r: r.p95_ms)
    in_worst = max(m.inbox, key=lambda r: r.p95_ms)
    biggest = max(b for name, _, b in m.rss if name == "site")
    jms, rms = j.journeys, j.ms()
    per_journey = len(j.samples) / max(len(j.confirmed), 1)
    j_cpu = j.server_cpu_s * 1000 / max(len(rms), 1)
    jps, jrps = j.journeys_per_s, j.requests_per_s
    cached = next((r for r in m.site if r.path == COOKIE_PAGE), None)
    load_errors, in_errors = errors(*m.site, mini), errors(*m.inbox)
    think = [x for x in m.mixed if x.run.think]
    flat = [x for x in m.mixed if not x.run.think]

    summary = [
        [
            f"Page weight, every page ({n}: {n // len(m.langs)} pages × {', '.join(m.langs)})",
            f"≤ {BUDGET_BYTES:,} B",
            f"{heaviest.bytes:,} B max ({heaviest.path})",
            heaviest.bytes <= BUDGET_BYTES,
        ],
        [
            "Requests per page",
            f"≤ {BUDGET_REQUESTS}",
            f"{busiest.requests} max ({busiest.path})",
            busiest.requests <= BUDGET_REQUESTS,
        ],
        ["Every page answers 200", "all", f"{n - len(broken)}/{n}", not broken],
        [
            "Throughput, site ÷ minimal Flask",
            f"≥ {RATIO_TARGET}",
            f"{site_rps / mini.rps:.2f} ({site_rps:,.0f} ÷ {mini.rps:,.0f} req/s)",
            site_rps / mini.rps >= RATIO_TARGET,
        ],
        [
            f"p95 latency, content pages, {load.CONNECTIONS} connections",
            f"< {P95_TARGET_MS:.0f} ms",
            f"{worst.p95_ms:.1f} ms max ({worst.path})",
            worst.p95_ms < P95_TARGET_MS,
        ],
        [
            "RSS per site worker after load",
            f"< {RSS_TARGET // 2**20} MB",
            f"{biggest / 2**20:.1f} MB max",
            biggest < RSS_TARGET,
        ],
        ["No errors under load (status ≥ 400, socket)", "0", load_errors, load_errors == 0],
        [
            "Referral journeys: no errors, stored = confirmed",
            "0 errors, stored = confirmed",
            f"{len(j.errors)} errors; stored {stored(j)} confirmed",
            j.ok,
        ],
        [
            f"Portal inbox, {inbox.COUNT:,} referrals: every URL answers it, no errors under load",
            "0 errors",
            f"{in_errors} errors" + (f" ({m.inbox_problems})" if m.inbox_problems else ""),
            not m.inbox_problems and in_errors == 0,
        ],
    ]
    for x in think:
        r = x.run
        summary.append(
            [
                f"Mixed load on {x.database}: {r.users} users ({r.readers} reading, "
                + f"{r.users - r.readers} referring), {r.window:.0f} s, {x.workers} workers",
                f"0 errors, stored = confirmed, p95 < {mixed.P95_TARGET_MS:.0f} ms",
                f"{r.bad + len(r.errors)} errors; stored {stored(r)} confirmed; "
                + f"p95 {ms(x.p(95))}; {r.requests_per_s:,.0f} req/s",
                x.ok,
            ]
        )
    ok = all(row[-1] for row in summary)
    md = [
        f"# Benchmarks: {'all targets met' if ok else 'TARGETS FAILED'}",
        "",
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, commit {m.version}, ",
        f"{os.cpu_count()} cores, Python {platform.python_version()}, run took {m.elapsed:.0f} s.",
        "Client and servers share the cores: compare ratios, not absolute figures.",
        "",
        f"CPU taken by other processes during the load test: {m.busy:.0%} of the machine."
        + (" **Other work was running: load figures are unreliable.**" if m.busy > NOISE else ""),
        "",
        "## Summary",
        "",
        *table(
            ["Target", "Goal", "Measured", "Result"], [[*r[:3], verdict(r[3])] for r in summary]
        ),
        "",
        f"- Referral journeys (section 4): {jps:.2f} journeys/s and {jrps:,.1f} req/s inside",
        f"them ({j.users} users), {jrps / site_rps:.3f} of the content pages' {site_rps:,.0f}",
        f"req/s; a journey p95 {pct(jms, 95)}, a request p95 {pct(rms, 95)}.",
        f"- Not a target (section 3), every request rendered: without page cache {nc_rps:,.0f}",
        f"req/s ({nc_rps / mini.rps:.2f} of minimal), p95 up to {nc_worst.p95_ms:.1f} ms,",
        f"{nc_cpu:.2f} ms server CPU a request; with a preferences cookie on `{COOKIE_PAGE}`",
        f"{m.cookie.rps:,.0f} req/s ({m.cookie.rps / mini.rps:.2f} of minimal), p95",
        f"{m.cookie.p95_ms:.1f} ms.",
        f"- Not a target (section 6), the portal inbox of {inbox.COUNT:,} referrals at",
        f"{load.CONNECTIONS} connections: p95 up to {in_worst.p95_ms:.1f} ms",
        f"({cell(in_worst.path)}), {in_worst.cpu_ms:.1f} ms server CPU a request.",
        "- Not a target (section 7), the same mix with no think time (saturation): ",
        "; ".join(
            f"{x.database} {x.run.requests_per_s:,.0f} req/s, p95 {ms(x.p(95))}, p99 "
            f"{ms(x.p(99))}, {x.run.bad + len(x.run.errors)} errors, stored {stored(x.run)}"
            for x in flat
        )
        + ".",
        "",
        "## 1. Page weight",
        "",
        "Headless Chromium, a fresh context per page (empty cache); bytes as on the wire",
        "(headers + compressed body, Playwright's `request.sizes()`) until the network is idle.",
        "",
        *table(
            ["Page", "Status", "Requests", "Transferred", "Result"],
            [
                [
                    f"`{w.path}`",
                    w.status,
                    w.requests,
                    f"{w.bytes:,} B ({w.bytes / 1024:.1f} KB)",
                    verdict(page_ok(w)),
                ]
                for w in m.weights
            ],
        ),
        "",
        f"Requests of the heaviest page, `{heaviest.path}`:",
        "",
        *(f"- `{url}`: {b:,} B" for url, b in heaviest.items),
        "",
        "## 2. Throughput and latency",
        "",
        f"gunicorn, {servers.WORKERS} sync workers a server; wrk, {load.THREADS} threads,",
        f"{load.CONNECTIONS} connections, {load_s} s a URL after a {warm_s} s warm-up, asking",
        "for gzip, deflate, br; the per-address rate limits raised (all load is from one",
        f"address). Below the minimal app, for information (section 3), {info_s} s a URL.",
        "",
        *table(
            ["Server, URL", "Req/s", "÷ minimal", "p50", "p95", "p99", "Max", "Errors", "CPU"],
            [
                *(wrk_row("site", r, mini) for r in m.site),
                wrk_row("minimal Flask", mini, mini),
                *(wrk_row("site without page cache", r, mini) for r in m.nocache),
                wrk_row(f"site, `Cookie: {cell(PREFS_COOKIE)}`", m.cookie, mini),
            ],
        ),
        "",
        f"CPU: the server's, per request. Site ÷ minimal: {site_cpu:.2f} ÷ {mini.cpu_ms:.2f} ms",
        f"= {site_cpu / mini.cpu_ms:.1f}×; other work moves this far less than req/s.",
        "",
        "## 3. For information, not a target: the cost of rendering a page",
        "",
        "Section 2's site figures are mostly page-cache hits (`PAGE_CACHE_SECONDS`:",
        f"{os.environ.get('PAGE_CACHE_SECONDS', '60, the default')}). A visitor with a",
        "preferences cookie gets a page rendered on every request, as does the first visitor",
        "after each expiry. *Without page cache*: a third gunicorn with `PAGE_CACHE_SECONDS=0`.",
        f"Before the cookie run one such request answered {m.cookie_check[0]}"
        + (
            ": rendered for this visitor."
            if m.cookie_check[1]
            else ". **Not rendered for this visitor: that row does not measure rendering.**"
        ),
        "",
        f"- **Rendering costs about {nc_cpu:.2f} ms of server CPU a request**, against",
        f"{site_cpu:.2f} ms for a replayed copy ({nc_cpu / site_cpu:.1f}×) and {mini.cpu_ms:.2f}",
        f"ms for the minimal Flask page ({nc_cpu / mini.cpu_ms:.1f}×).",
        f"- **Without its page cache the site serves {nc_rps:,.0f} req/s,",
        f"{nc_rps / mini.rps:.2f} of the minimal app's {mini.rps:,.0f}**, p95 up to",
        f"{nc_worst.p95_ms:.1f} ms (`{nc_worst.path}`).",
        f"- **With a preferences cookie on `{COOKIE_PAGE}`: {m.cookie.rps:,.0f} req/s",
        f"({m.cookie.rps / mini.rps:.2f} of minimal), p95 {m.cookie.p95_ms:.1f} ms**"
        + (
            f", against {cached.rps:,.0f} req/s and p95 {cached.p95_ms:.1f} ms cached."
            if cached
            else "."
        ),
        f"- For scale only: the targets (≥ {RATIO_TARGET} of minimal, p95 <"
        + f" {P95_TARGET_MS:.0f} ms) do not apply here."
        + (
            f" **{errors(*m.nocache, m.cookie)} errors: these may not measure rendering.**"
            if errors(*m.nocache, m.cookie)
            else ""
        ),
        "",
        "## 4. Self-referral journeys",
        "",
        f"{j.users} virtual users (`bench/journeys.py`) complete the self-referral journey",
        "against section 2's site, each journey a new visitor: `/refer`, *Start now*, every",
        "question the server asks (its `csrf_token` and the answers of `againsthate.examples`),",
        "Send, and the done page, which must show the reference. A dated incident at a",
        "postcode, two characteristics, passed on to the police, contact by phone and email:",
        f"{per_journey:.0f} requests a journey. Figures over a {j.window:.0f} s window after a",
        f"{j.warmup:.0f} s warm-up; errors and the database count the whole run",
        f"({j.total_s:.0f} s).",
        "",
        *table(
            ["Measure", "Value"],
            [
                ["Journeys confirmed in the window", f"{len(jms):,}: **{jps:.2f} journeys/s**"],
                ["Requests in the window", f"{len(rms):,}: **{jrps:,.1f} req/s**"],
                [
                    f"Whole journey ({per_journey:.0f} requests), p50 / p95 / max",
                    f"{pct(jms, 50)} / **{pct(jms, 95)}** / {pct(jms, 100)}",
                ],
                [
                    "A request inside a journey, p50 / p95 / max",
                    f"{pct(rms, 50)} / **{pct(rms, 95)}** / {pct(rms, 100)}",
                ],
                [
                    "Server CPU a request / a journey",
                    f"{j_cpu:.2f} / {j_cpu * per_journey:,.0f} ms",
                ],
                ["Client CPU a request", f"{j.client_cpu_s * 1000 / max(len(rms), 1):.2f} ms"],
                [
                    "Journeys begun / confirmed / failed (whole run)",
                    f"{j.started:,} / {len(j.confirmed):,} / {len(j.errors)}",
                ],
                ["Responses not 2xx or 3xx, or none (whole run)", j.bad],
                [
                    "Referrals stored (rows added to `referral`) = confirmed",
                    f"{stored(j)} (before: {len(j.stored_before or ())})",
                ],
                ["Drafts left (only a failed journey leaves one)", j.drafts_left],
            ],
        ),
        "",
        f"- **{jps:.2f} journeys/s against {site_rps:,.0f} content-page req/s**"
        + (
            f": one journey costs about {site_rps / jps:,.0f} cached content pages, or"
            f" {nc_rps / jps:,.0f} rendered ones."
            if jps
            else ". **No journey was confirmed in the window.**"
        ),
        f"- **Requests inside journeys: {jrps / site_rps:.3f} of the content pages' req/s**",
        f"({jrps / nc_rps:.2f} of rendered ones); every journey page is rendered and each",
        f"answer writes the sealed draft: {j_cpu:.2f} ms server CPU a request, against",
        f"{site_cpu:.2f} cached and {nc_cpu:.2f} rendered. Not like for like: wrk uses little",
        f"CPU; the journey client is {j.users} Python threads on the same cores.",
        "",
        *table(
            ["Request", "Count", "p50", "p95", "Max"],
            [
                [cell(label), f"{len(v):,}", pct(v, 50), pct(v, 95), pct(v, 100)]
                for kind, label in journeys.KINDS.items()
                if (v := j.ms(kind))
            ],
        ),
        *(["", "**Problems:**", "", *problems("journeys", j)] if not j.ok else []),
        "",
        "## 5. Memory",
        "",
        *table(
            ["Server", "Worker PID", "RSS after the load"],
            [[name, pid, f"{b / 2**20:.1f} MB"] for name, pid, b in m.rss],
        ),
        "",
        "## 6. Portal inbox",
        "",
        f"A caseworker of an organisation with {inbox.COUNT:,} referrals, signed in: the first",
        "page, a filtered page and one deep in the list, every request rendered. wrk as in",
        f"section 2, {inbox_s} s a URL, after a check that each answers 200 with the inbox.",
        "",
        *table(
            ["URL", "Req/s", "÷ minimal", "p50", "p95", "p99", "Max", "Errors", "CPU"],
            [wrk_row("", r, mini) for r in m.inbox],
        ),
        *mixed_section(think, flat),
        "",
        "<details><summary>wrk's own output</summary>",
        "",
    ]
    for r in [*m.site, mini, *m.nocache, m.cookie, *m.inbox]:
        md += ["```", f"$ {r.command}", r.raw, "```"]
    return "\n".join([*md, "</details>", ""]), ok


def _mixed_rows(xs: list[mixed.MixedRun], targets: bool) -> list[str]:
    def of(x: mixed.MixedRun, kind: str | None = None, reading: bool | None = None) -> str:
        values = x.run.ms(kind, reading)
        return f"{ms(x.p(95, values))} / {ms(x.p(99, values))}"

    def per_request(x: mixed.MixedRun, seconds: float) -> str:
        return f"{seconds * 1000 / max(len(x.run.ms()), 1):.2f} ms"

    def unreliable(x: mixed.MixedRun) -> str:
        return " **(unreliable)**" if x.other_share > NOISE else ""

    rows = {
        "Requests in the window / a second": lambda x: (
            f"{len(x.run.ms()):,} / **{x.run.requests_per_s:,.1f} req/s**"
        ),
        "p50 / p95 / p99 / max, every request": lambda x: (
            f"{ms(x.p(50))} / **{ms(x.p(95))}** / **{ms(x.p(99))}** / {ms(x.p(100))}"
        ),
        "p95 / p99, readers' pages": lambda x: of(x, reading=True),
        "p95 / p99, referrers' requests": lambda x: of(x, reading=False),
        "p95 / p99 `POST /refer/check` (Send: the referral stored)": lambda x: of(x, "send"),
        "Journeys confirmed in the window / a second": lambda x: (
            f"{len(x.run.journeys):,} / {x.run.journeys_per_s:.2f}"
        ),
        "Whole journey p50 (its think time included)": lambda x: (
            f"{x.p(50, x.run.journeys) / 1000:.1f} s" if x.run.journeys else "–"
        ),
        "Journeys begun / confirmed; reader visits (whole run)": lambda x: (
            f"{x.run.started:,} / {len(x.run.confirmed):,}; {x.run.visits:,}"
        ),
        "**Errors**: responses not 2xx or 3xx or none; journeys or visits failed": lambda x: (
            f"{x.run.bad}; {len(x.run.errors)}"
        ),
        "**Referrals stored = confirmed** (whole run)": lambda x: stored(x.run),
        "Drafts left (journeys under way leave none)": lambda x: str(x.run.drafts_left),
        "Server CPU a request (gunicorn, database, Redis)": lambda x: per_request(
            x, x.run.server_cpu_s
        ),
        "Client CPU a request": lambda x: per_request(x, x.run.client_cpu_s),
        "CPU taken by other processes": lambda x: f"{x.other_share:.0%}{unreliable(x)}",
    }
    if targets:
        rows[f"**Targets**: 0 errors, stored = confirmed, p95 < {mixed.P95_TARGET_MS:.0f} ms"] = (
            lambda x: verdict(x.ok)
        )
    heads = ["Measure", *(x.database for x in xs)]
    return table(heads, [[name, *(f(x) for x in xs)] for name, f in rows.items()])


def mixed_section(think: list[mixed.MixedRun], flat: list[mixed.MixedRun]) -> list[str]:
    r, x = think[0].run, think[0]
    md = [
        "",
        "## 7. Mixed load: PostgreSQL and SQLite side by side",
        "",
        f"{r.users} virtual users (`bench/mixed.py`): {r.readers} read content pages (a visit:",
        f"a language's home page and {journeys.VISIT_PAGES} more of its pages at random; "
        + ", ".join(f"{lang} {w:.0%}" for lang, w in mixed.LANGUAGES)
        + "),",
        f"{r.users - r.readers} complete self-referrals as in section 4; each waits",
        f"{mixed.THINK[0]}–{mixed.THINK[1]} s before each of their own actions. gunicorn with",
        f"`deploy/gunicorn.conf.py` ({x.workers} workers), Redis for the rate limits; only",
        f"`DATABASE_URL` differs: {x.version} (default durability settings),",
        f"{think[-1].version} (WAL, synchronous=FULL). A {r.warmup:.0f} s warm-up, then a",
        f"{r.window:.0f} s window; errors and stored = confirmed (reference by reference) count",
        "the whole run. Server CPU: gunicorn, PostgreSQL and Redis.",
        "",
        *_mixed_rows(think, True),
    ]
    if flat:
        f = flat[0].run
        md += ["", f"For information: **no think time** ({f.warmup:.0f} s + {f.window:.0f} s),"]
        md += ["each user flat out: capacity, not what a visitor waits.", ""]
        md += _mixed_rows(flat, False)
    bad = [
        line
        for x in [*think, *flat]
        if not x.run.ok
        for line in problems(f"{x.database}, {'' if x.run.think else 'no '}think time", x.run)
    ]
    return md + (["", "**Problems:**", "", *bad] if bad else [])
