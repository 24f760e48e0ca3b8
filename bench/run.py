"""`make bench`: page weight, throughput, latency and memory, checked against targets.

Prints a report and writes it to bench/results/latest.md; exits 1 when a target fails.
Everything runs on 127.0.0.1 against gunicorn started here on a throwaway database,
and every server is stopped at the end, even on error. About two and a half minutes.

Client and servers share this machine's cores, so absolute requests/second say
little; the ratio to a minimal Flask app measured in the same run is the target.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT / "tests")]  # our modules and tests/pages.py

import load
import noise
import servers
import weight

# Targets.
BUDGET_BYTES = 60 * 1024      # per page, all requests, as transferred
BUDGET_REQUESTS = 8           # per page
RATIO_TARGET = 0.5            # site req/s over minimal Flask req/s
P95_TARGET_MS = 50.0          # content pages, 20 connections
RSS_TARGET = 120 * 1024 * 1024  # per gunicorn worker

LANGS = ("en", "ur")          # English, and Urdu (right to left, the heaviest script)
LOAD_PAGES = ["/", "/report", "/what-is-hate-crime", "/support"]
LOAD_SECONDS = 15
NOISE = 0.05                  # others took more CPU than this: load figures are unreliable
WARMUP_SECONDS = 2            # first requests import code and fill caches: not measured

RESULTS = BENCH / "results" / "latest.md"


def ensure_tools() -> None:
    """wrk and Debian's chromium (browser downloads do not work here); idempotent."""
    missing = [pkg for pkg, path in (("wrk", "/usr/bin/wrk"), ("chromium", weight.CHROMIUM))
               if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"Missing {', '.join(missing)}: run `sudo apt-get install -y {' '.join(missing)}`.")
    print(f"Installing {', '.join(missing)} with apt-get ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    wait_for_lock = ["-o", "DPkg::Lock::Timeout=300"]  # another apt-get may be running
    subprocess.run(["apt-get", *wait_for_lock, "update", "-qq"], env=env, check=True, timeout=600)
    subprocess.run(["apt-get", *wait_for_lock, "install", "-y", "-qq", "--no-install-recommends",
                    *missing, "fonts-liberation", "fonts-dejavu-core"],
                   env=env, check=True, timeout=900, stdout=subprocess.DEVNULL)


def pages_to_weigh(instance: Path) -> list[str]:
    """Every public page, in each language, read from the app's own URL map."""
    os.environ.update(servers.site_env(instance))  # before the import: config reads them
    from againsthate import create_app
    from pages import in_language, public_paths

    paths = public_paths(create_app())
    return [p if lang == "en" else in_language(p, lang) for lang in LANGS for p in paths]


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def git_version() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    dirty = " (with uncommitted changes)" if git("status", "--porcelain") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def report(weights, site_loads, mini_load, rss, busy, elapsed) -> tuple[str, bool]:
    heaviest = max(weights, key=lambda w: w.bytes)
    busiest = max(weights, key=lambda w: w.requests)
    broken = [w for w in weights if w.status != 200]
    site_rps = sum(r.rps for r in site_loads) / len(site_loads)
    ratio = site_rps / mini_load.rps
    worst_p95 = max(site_loads, key=lambda r: r.p95_ms)
    errors = sum(r.status_errors + r.socket_errors for r in [*site_loads, mini_load])
    biggest = max(b for name, _, b in rss if name == "site")

    summary = [
        (f"Page weight, every page ({len(weights)}: {len(weights) // len(LANGS)} pages × en, ur)",
         f"≤ {BUDGET_BYTES:,} B", f"{heaviest.bytes:,} B max ({heaviest.path})",
         heaviest.bytes <= BUDGET_BYTES),
        ("Requests per page", f"≤ {BUDGET_REQUESTS}", f"{busiest.requests} max ({busiest.path})",
         busiest.requests <= BUDGET_REQUESTS),
        ("Every page answers 200", "all", f"{len(weights) - len(broken)}/{len(weights)}", not broken),
        ("Throughput, site ÷ minimal Flask", f"≥ {RATIO_TARGET}",
         f"{ratio:.2f} ({site_rps:,.0f} ÷ {mini_load.rps:,.0f} req/s)", ratio >= RATIO_TARGET),
        ("p95 latency, content pages, 20 connections", f"< {P95_TARGET_MS:.0f} ms",
         f"{worst_p95.p95_ms:.1f} ms max ({worst_p95.url.split('/', 3)[-1] or '/'})",
         worst_p95.p95_ms < P95_TARGET_MS),
        ("RSS per site worker after load", f"< {RSS_TARGET // 2**20} MB",
         f"{biggest / 2**20:.1f} MB max", biggest < RSS_TARGET),
        ("No errors under load (status ≥ 400, socket)", "0", str(errors), errors == 0),
    ]
    ok = all(row[-1] for row in summary)

    md = [f"# Benchmarks: {'all targets met' if ok else 'TARGETS FAILED'}", "",
          (f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, commit {git_version()}, "
           f"{os.cpu_count()} cores, Python {platform.python_version()}, run took {elapsed:.0f} s. "
           "Client and servers share the cores: compare ratios, not absolute figures."), "",
          f"CPU taken by other processes during the load test: {busy:.0%} of the machine."
          + (" **Other work was running: the throughput and latency figures are unreliable;"
             " run again on a quiet machine.**" if busy > NOISE else ""), "",
          "## Summary", "", "| Target | Goal | Measured | Result |", "|---|---|---|---|"]
    md += [f"| {t} | {g} | {m} | {verdict(p)} |" for t, g, m, p in summary]

    md += ["", "## 1. Page weight", "",
           ("Headless Chromium, a fresh context per page (empty cache). Bytes are as on the wire: "
            "response headers + body as transferred (compressed), from Playwright's "
            "`request.sizes()`, summed over every request the page made until the network was "
            "idle."), "",
           "| Page | Status | Requests | Transferred | Result |", "|---|---|---|---|---|"]
    for w in weights:
        ok_page = w.status == 200 and w.bytes <= BUDGET_BYTES and w.requests <= BUDGET_REQUESTS
        md.append(f"| `{w.path}` | {w.status} | {w.requests} | {w.bytes:,} B ({kb(w.bytes)}) "
                  f"| {verdict(ok_page)} |")
    md += ["", f"Requests of the heaviest page, `{heaviest.path}`:", ""]
    md += [f"- `{url}`: {b:,} B" for url, b in heaviest.items]

    md += ["", "## 2. Throughput and latency", "",
           (f"gunicorn, {servers.WORKERS} sync workers, each server on its own 127.0.0.1 port. "
            f"wrk, {load.THREADS} threads, {load.CONNECTIONS} connections, {LOAD_SECONDS} s a URL "
            f"after a {WARMUP_SECONDS} s warm-up, sending `Accept-Encoding: gzip, deflate, br` "
            "as browsers do (so the site compresses, as in real use). The site's per-address "
            "rate limit is raised for the run: all load comes from one address."), "",
           "| Server, URL | Req/s | p50 | p95 | p99 | Max | Errors | Server CPU per request |",
           "|---|---|---|---|---|---|---|---|"]
    for name, r in [*(("site", r) for r in site_loads), ("minimal Flask", mini_load)]:
        path = "/" + r.url.split("/", 3)[-1]
        md.append(f"| {name} `{path}` | {r.rps:,.0f} | {r.p50_ms:.1f} ms | {r.p95_ms:.1f} ms | "
                  f"{r.p99_ms:.1f} ms | {r.max_ms:.1f} ms | {r.status_errors + r.socket_errors} | "
                  f"{r.cpu_ms:.2f} ms |")
    site_cpu = sum(r.cpu_ms for r in site_loads) / len(site_loads)
    md += ["", (f"Server CPU per request, site ÷ minimal: {site_cpu:.2f} ÷ {mini_load.cpu_ms:.2f} ms"
                f" = {site_cpu / mini_load.cpu_ms:.1f}×. Other work on the machine moves this far "
                "less than requests/second: it is the figure to compare between runs.")]

    md += ["", "## 3. Memory", "", "VmRSS of each gunicorn worker after the load.", "",
           "| Server | Worker PID | RSS |", "|---|---|---|"]
    md += [f"| {name} | {pid} | {b / 2**20:.1f} MB |" for name, pid, b in rss]

    md += ["", "<details><summary>wrk's own output</summary>", ""]
    for r in [*site_loads, mini_load]:
        md += ["```", f"$ wrk {r.url}", r.raw, "```"]
    md += ["</details>", ""]
    return "\n".join(md), ok


def main() -> int:
    started = time.monotonic()
    ensure_tools()
    # Unwound in reverse whatever happens: both servers stop, then the folder goes.
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="againsthate-bench-")))
        print("Preparing a throwaway database ...", flush=True)
        paths = pages_to_weigh(servers.prepare(workdir))
        site = stack.enter_context(servers.site(workdir))
        mini = stack.enter_context(servers.minimal(workdir))

        print(f"Page weight: {len(paths)} pages in Chromium ...", flush=True)
        weights = weight.measure(site.url, paths)

        # One server at a time, so each has the machine to itself.
        print(f"Load: {len(LOAD_PAGES) + 1} URLs × {LOAD_SECONDS} s ...", flush=True)
        site_pids, mini_pids = (s.worker_pids() for s in (site, mini))
        ours = [site.proc.pid, mini.proc.pid, *site_pids, *mini_pids]
        with noise.OtherLoad(ours) as other:
            load.wrk(site.url + "/", WARMUP_SECONDS)
            site_loads = [load.wrk(site.url + p, LOAD_SECONDS, site_pids) for p in LOAD_PAGES]
            load.wrk(mini.url + "/", WARMUP_SECONDS)
            mini_load = load.wrk(mini.url + "/", LOAD_SECONDS, mini_pids)

        rss = [(s.name, pid, s.rss_bytes(pid)) for s in (site, mini) for pid in s.worker_pids()]

    text, ok = report(weights, site_loads, mini_load, rss, other.share,
                      time.monotonic() - started)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print("\n" + text.split("<details>")[0])  # wrk's raw output only in the file
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
