"""The targets, and the report of a run in Markdown: every target in a summary, then a
section per measurement, then wrk's own output. README's Benchmarks section says how
each is measured; the report says it in short."""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections import Counter

import inbox
import journeys
import load
import mixed
import scale
import servers
from journeys import percentile
from load import LoadResult
from weight import PageWeight

# The targets, each checked in targets() below, which also says what it is.
BUDGET_BYTES = 60 * 1024  # per page, all requests, as transferred
BUDGET_REQUESTS = 8  # per page
RATIO_TARGET = 0.5  # site req/s over minimal Flask req/s
P95_TARGET_MS = 50.0  # content pages, 20 connections
RSS_TARGET = 120 * 1024 * 1024  # per gunicorn worker
MIXED_P95_MS = 200.0  # every request of the mixed load with think time
NOISE = 0.05  # others took more CPU than this: load figures are unreliable
PREFS_COOKIE = "ah_prefs=large||0"  # large text: personalised, never stored or replayed
COOKIE_PAGE = "/report"
WRK_HEAD = ["Req/s", "÷ minimal", "p50", "p95", "p99", "Max", "Errors", "CPU"]


class Run:
    """Everything one `make bench` measured; run.py sets each as it measures it."""

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
    scale: tuple[list[scale.Measure], dict[int, float]]  # the inbox and a search by size
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


def pct(values: list[float], p: float) -> str:
    """A percentile of request or journey times, as text; – when there are none."""
    v = percentile(values, p)
    return "–" if v is None else f"{v:,.0f} ms" if v >= 10 else f"{v:.1f} ms"


def mean(rs: list[LoadResult], attr: str) -> float:
    return sum(getattr(r, attr) for r in rs) / len(rs)


def errors(*rs: LoadResult) -> int:
    return sum(r.errors for r in rs)


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


def mixed_ok(x: mixed.MixedRun) -> bool:
    """No errors, none lost, p95 under the target; and something ran."""
    p95 = percentile(x.run.ms(), 95)
    return x.run.ok and not x.run.db_error and (p95 or 0.0) < MIXED_P95_MS


def wrk_row(name: str, r: LoadResult, mini: LoadResult) -> list:
    times = (f"{v:.1f} ms" for v in (r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms))
    ratio, cpu = f"{r.rps / mini.rps:.2f}", f"{r.cpu_ms:.2f} ms"
    return [f"{name} `{cell(r.path)}`", f"{r.rps:,.0f}", ratio, *times, r.errors, cpu]


def targets(m: Run) -> list[tuple[str, str, str, bool]]:
    """Every target: what it is, its goal, what was measured, and whether it was met."""
    n, j, mini = len(m.weights), m.journeys, m.minimal
    heaviest = max(m.weights, key=lambda w: w.bytes)
    busiest = max(m.weights, key=lambda w: w.requests)
    broken = [w for w in m.weights if w.status != 200]
    site_rps, worst = mean(m.site, "rps"), max(m.site, key=lambda r: r.p95_ms)
    biggest = max(b for name, _, b in m.rss if name == "site")
    load_errors, in_errors = errors(*m.site, mini), errors(*m.inbox)
    pages = f"{n}: {n // len(m.langs)} pages × {', '.join(m.langs)}"
    rows = [
        (
            f"Page weight, every page ({pages})",
            f"≤ {BUDGET_BYTES:,} B",
            f"{heaviest.bytes:,} B max ({heaviest.path})",
            heaviest.bytes <= BUDGET_BYTES,
        ),
        (
            "Requests per page",
            f"≤ {BUDGET_REQUESTS}",
            f"{busiest.requests} max ({busiest.path})",
            busiest.requests <= BUDGET_REQUESTS,
        ),
        ("Every page answers 200", "all", f"{n - len(broken)}/{n}", not broken),
        (
            "Throughput, site ÷ minimal Flask",
            f"≥ {RATIO_TARGET}",
            f"{site_rps / mini.rps:.2f} ({site_rps:,.0f} ÷ {mini.rps:,.0f} req/s)",
            site_rps / mini.rps >= RATIO_TARGET,
        ),
        (
            f"p95 latency, content pages, {load.CONNECTIONS} connections",
            f"< {P95_TARGET_MS:.0f} ms",
            f"{worst.p95_ms:.1f} ms max ({worst.path})",
            worst.p95_ms < P95_TARGET_MS,
        ),
        (
            "RSS per site worker after load",
            f"< {RSS_TARGET // 2**20} MB",
            f"{biggest / 2**20:.1f} MB max",
            biggest < RSS_TARGET,
        ),
        ("No errors under load (status ≥ 400, socket)", "0", str(load_errors), not load_errors),
        (
            "Referral journeys: no errors, stored = confirmed",
            "0 errors, stored = confirmed",
            f"{len(j.errors)} errors; stored {stored(j)} confirmed",
            j.ok,
        ),
        (
            f"Portal inbox, {inbox.COUNT:,} referrals: every URL answers it, no errors under load",
            "0 errors",
            f"{in_errors} errors" + (f" ({m.inbox_problems})" * bool(m.inbox_problems)),
            not m.inbox_problems and in_errors == 0,
        ),
    ]
    for x, r in ((x, x.run) for x in m.mixed if x.run.think):
        who = f"{r.users} users ({r.readers} reading, {r.users - r.readers} referring)"
        got = f"{r.bad + len(r.errors)} errors; stored {stored(r)} confirmed; p95 "
        rows.append(
            (
                f"Mixed load on {x.database}: {who}, {r.window:.0f} s, {x.workers} workers",
                f"0 errors, stored = confirmed, p95 < {MIXED_P95_MS:.0f} ms",
                got + f"{pct(r.ms(), 95)}; {r.requests_per_s:,.0f} req/s",
                mixed_ok(x),
            )
        )
    return rows


def render(m: Run) -> tuple[str, bool]:
    load_s, info_s, inbox_s, warm_s = m.seconds
    mini, j, cookie = m.minimal, m.journeys, m.cookie
    heaviest = max(m.weights, key=lambda w: w.bytes)
    site_rps, site_cpu = mean(m.site, "rps"), mean(m.site, "cpu_ms")
    nc_rps, nc_cpu = mean(m.nocache, "rps"), mean(m.nocache, "cpu_ms")
    nc_worst = max(m.nocache, key=lambda r: r.p95_ms)
    in_worst = max(m.inbox, key=lambda r: r.p95_ms)
    jms, rms = j.journeys, j.ms()
    per_journey = len(j.samples) / max(len(j.confirmed), 1)
    j_cpu = j.server_cpu_s * 1000 / max(len(rms), 1)
    jps, jrps = j.journeys_per_s, j.requests_per_s
    cached = next((r for r in m.site if r.path == COOKIE_PAGE), None)
    info_errors = errors(*m.nocache, cookie)
    think = [x for x in m.mixed if x.run.think]
    flat = [x for x in m.mixed if not x.run.think]
    rows = targets(m)
    ok = all(row[3] for row in rows)
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
        *table(["Target", "Goal", "Measured", "Result"], [[*r[:3], verdict(r[3])] for r in rows]),
        "",
        f"- Referral journeys (section 4): {jps:.2f} journeys/s and {jrps:,.1f} req/s inside",
        f"them ({j.users} users), {jrps / site_rps:.3f} of the content pages' {site_rps:,.0f}",
        f"req/s; a journey p95 {pct(jms, 95)}, a request p95 {pct(rms, 95)}.",
        f"- Not a target (section 3), every request rendered: without page cache {nc_rps:,.0f}",
        f"req/s ({nc_rps / mini.rps:.2f} of minimal), p95 up to {nc_worst.p95_ms:.1f} ms",
        f"(`{nc_worst.path}`),",
        f"{nc_cpu:.2f} ms server CPU a request; with a preferences cookie on `{COOKIE_PAGE}`",
        f"{cookie.rps:,.0f} req/s ({cookie.rps / mini.rps:.2f} of minimal), p95",
        f"{cookie.p95_ms:.1f} ms.",
        f"- Not a target (section 6), the portal inbox of {inbox.COUNT:,} referrals at",
        f"{load.CONNECTIONS} connections: p95 up to {in_worst.p95_ms:.1f} ms",
        f"({cell(in_worst.path)}), {in_worst.cpu_ms:.1f} ms server CPU a request.",
        "- Not a target (section 7), the same mix with no think time (saturation): "
        + "; ".join(
            f"{x.database} {x.run.requests_per_s:,.0f} req/s, p95 {pct(x.run.ms(), 95)}, p99 "
            f"{pct(x.run.ms(), 99)}, {x.run.bad + len(x.run.errors)} errors, stored "
            f"{stored(x.run)}"
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
                [f"`{w.path}`", w.status, w.requests, f"{w.bytes:,} B ({w.bytes / 1024:.1f} KB)"]
                + [verdict(page_ok(w))]
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
            ["Server, URL", *WRK_HEAD],
            [
                *(wrk_row("site", r, mini) for r in m.site),
                wrk_row("minimal Flask", mini, mini),
                *(wrk_row("site without page cache", r, mini) for r in m.nocache),
                wrk_row(f"site, `Cookie: {cell(PREFS_COOKIE)}`", cookie, mini),
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
        "- Without page cache and with a preferences cookie: in the summary above."
        + (
            f" `{COOKIE_PAGE}` cached: {cached.rps:,.0f} req/s, p95 {cached.p95_ms:.1f} ms."
            if cached
            else ""
        ),
        f"- For scale only: the targets (≥ {RATIO_TARGET} of minimal, p95 <"
        f" {P95_TARGET_MS:.0f} ms) do not apply here."
        + (f" **{info_errors} errors: these may not measure rendering.**" if info_errors else ""),
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
        *run_table([("Value", j)]),
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
        f"answer writes the sealed draft: {j_cpu:.2f} ms server CPU a request (a journey",
        f"{j_cpu * per_journey:,.0f} ms), against {site_cpu:.2f} cached and {nc_cpu:.2f} rendered.",
        f"Not like for like: wrk uses little CPU; the journey client is {j.users} Python threads.",
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
        *table(["URL", *WRK_HEAD], [wrk_row("", r, mini) for r in m.inbox]),
        *mixed_section(think, flat),
        "",
        "## 8. The inbox and a search as referrals grow",
        "",
        "One request at a time, in process (`bench/scale.py`): SQL statements and time a",
        "request, each inbox URL rendered through the app, the search as its page calls it.",
        "",
        *scale.markdown(*m.scale),
        "",
        "<details><summary>wrk's own output</summary>",
        "",
    ]
    for r in [*m.site, mini, *m.nocache, cookie, *m.inbox]:
        md += ["```", f"$ {r.command}", r.raw, "```"]
    return "\n".join([*md, "</details>", ""]), ok


def run_table(cols: list[tuple[str, journeys.Result]], extra=()) -> list[str]:
    """Sections 4 and 7: a column for each run of virtual people; extra: rows of our own."""

    def times(values: list[float]) -> str:
        return f"{pct(values, 50)} / **{pct(values, 95)}** / {pct(values, 99)} / {pct(values, 100)}"

    def per_request(r: journeys.Result, seconds: float) -> str:
        return f"{seconds * 1000 / max(len(r.ms()), 1):.2f} ms"

    reading = any(r.readers for _, r in cols)
    rows = {
        "Requests in the window / a second": lambda r: (
            f"{len(r.ms()):,} / **{r.requests_per_s:,.1f} req/s**"
        ),
        "p50 / p95 / p99 / max, every request": lambda r: times(r.ms()),
        **(
            {
                "p50 / p95 / p99 / max, readers' pages": lambda r: times(r.ms(reading=True)),
                "p50 / p95 / p99 / max, referrers' requests": lambda r: times(r.ms(reading=False)),
            }
            if reading
            else {}
        ),
        "p50 / p95 / p99 / max, `POST /refer/check` (Send: stored)": lambda r: times(r.ms("send")),
        "Journeys confirmed in the window / a second": lambda r: (
            f"{len(r.journeys):,} / **{r.journeys_per_s:.2f} journeys/s**"
        ),
        "Whole journey, p50 / p95 / p99 / max (with any think time)": lambda r: times(r.journeys),
        "Journeys begun / confirmed / failed; reader visits (whole run)": lambda r: (
            f"{r.started:,} / {len(r.confirmed):,} / {len(r.errors)}; {r.visits:,}"
        ),
        "**Errors**: responses not 2xx or 3xx or none; journeys or visits failed": lambda r: (
            f"{r.bad}; {len(r.errors)}"
        ),
        "**Referrals stored = confirmed** (rows added to `referral`, whole run)": lambda r: (
            f"{stored(r)} (before: {len(r.stored_before or ())})"
        ),
        "Drafts left (only a failed journey leaves one)": lambda r: str(r.drafts_left),
        "Server CPU a request (section 7: gunicorn, database, Redis)": lambda r: per_request(
            r, r.server_cpu_s
        ),
        "Client CPU a request": lambda r: per_request(r, r.client_cpu_s),
    }
    body = [[name, *(f(r) for _, r in cols)] for name, f in rows.items()]
    return table(["Measure", *(head for head, _ in cols)], [*body, *extra])


def mixed_table(xs: list[mixed.MixedRun]) -> list[str]:
    def unreliable(x: mixed.MixedRun) -> str:
        return " **(unreliable)**" if x.other_share > NOISE else ""

    extra = [["CPU taken by other processes", *(f"{x.other_share:.0%}{unreliable(x)}" for x in xs)]]
    if xs[0].run.think:
        goal = f"**Targets**: 0 errors, stored = confirmed, p95 < {MIXED_P95_MS:.0f} ms"
        extra.append([goal, *(verdict(mixed_ok(x)) for x in xs)])
    return run_table([(x.database, x.run) for x in xs], extra)


def mixed_section(think: list[mixed.MixedRun], flat: list[mixed.MixedRun]) -> list[str]:
    x, r = think[0], think[0].run
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
        *mixed_table(think),
    ]
    if flat:
        f = flat[0].run
        md += ["", f"For information: **no think time** ({f.warmup:.0f} s + {f.window:.0f} s),"]
        md += ["each user flat out: capacity, not what a visitor waits.", "", *mixed_table(flat)]
    bad = [
        line
        for x in [*think, *flat]
        if not x.run.ok
        for line in problems(f"{x.database}, {'' if x.run.think else 'no '}think time", x.run)
    ]
    return md + (["", "**Problems:**", "", *bad] if bad else [])
