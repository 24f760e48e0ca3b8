"""`make bench`: page weight, throughput, latency, whole self-referral journeys, memory,
the portal inbox and a mixed load, checked against targets (report.py).

Writes the report to bench/results/latest.md and prints it; exits 1 when a target fails.
Everything runs on 127.0.0.1 against gunicorn started here on throwaway databases, and
every server is stopped at the end, even on error. About eight minutes.

The targets are about the site as deployed, with its page cache, so its load figures are
mostly cache hits; for information, the same run measures what rendering a page costs
(the site with its cache off, and with a preferences cookie). Client and servers share
this machine's cores, so absolute requests/second say little: the ratio to a minimal
Flask app measured in the same run is the target. Last, once those servers have stopped,
the mixed load (mixed.py) on PostgreSQL and on SQLite.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import backends
import inbox
import journeys
import load
import mixed
import noise
import report
import servers
import weight

from againsthate.examples import in_language, public_paths

LANGS = ("en", "ur")  # English, and Urdu (right to left, the heaviest script)
LOAD_PAGES = ["/", "/report", "/what-is-hate-crime", "/support"]
LOAD_SECONDS = 15  # a URL
INFO_SECONDS = 8  # a URL, for information: shorter to keep the run short
INBOX_SECONDS = 8  # a URL
WARMUP_SECONDS = 2  # first requests import code and fill caches: not measured
JOURNEY_WARMUP, JOURNEY_SECONDS = 5, 20  # long enough for journeys to fall out of step
RESULTS = servers.ROOT / "bench" / "results" / "latest.md"


def ensure_tools() -> None:
    """wrk, Debian's chromium (browser downloads do not work here), PostgreSQL and Redis
    (backends.py starts its own: installing a package here starts no service)."""
    missing = [
        pkg
        for pkg, present in (
            ("wrk", Path("/usr/bin/wrk").exists()),
            ("chromium", Path(weight.CHROMIUM).exists()),
            ("postgresql", backends.pg_bin() is not None),
            ("redis-server", backends.redis_server() is not None),
        )
        if not present
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(
            f"Missing {', '.join(missing)}: run `sudo apt-get install -y {' '.join(missing)}`."
        )
    print(f"Installing {', '.join(missing)} with apt-get ...", flush=True)
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300"]  # another apt-get may be running
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*apt, "update", "-qq"], env=env, check=True, timeout=600)
    fonts = ["fonts-liberation", "fonts-dejavu-core"]
    subprocess.run(
        [*apt, "install", "-y", "-qq", "--no-install-recommends", *missing, *fonts],
        env=env,
        check=True,
        timeout=900,
        stdout=subprocess.DEVNULL,
    )


def check_cookie_bypass(url: str) -> tuple[str, bool]:
    """One request with the cookie: a page rendered for this visitor says `private` (a
    replayed copy would carry the `public` Cache-Control it was stored with)."""
    req = urllib.request.Request(url, headers={"Cookie": report.PREFS_COOKIE})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, cache_control = r.status, r.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as e:
        status, cache_control = e.code, e.headers.get("Cache-Control", "")
    text = f"{status} with `Cache-Control: {cache_control}`"
    return text, status == 200 and "private" in cache_control


def git_version() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], check=False, cwd=servers.ROOT, capture_output=True, text=True
        )
        return done.stdout.strip()

    dirty = " (with uncommitted changes)" if git("status", "--porcelain") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def main() -> int:
    started = time.monotonic()
    ensure_tools()
    with contextlib.ExitStack() as stack:  # unwound whatever happens: servers, then folder
        workdir = Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="againsthate-bench-"))
        )
        print("Preparing a throwaway database ...", flush=True)
        instance = servers.prepare(workdir)
        site_app = servers.app(instance)
        public = public_paths(site_app)  # every public page (English), from its URL map
        paths = [p if lang == "en" else in_language(p, lang) for lang in LANGS for p in public]
        print(f"Storing {inbox.COUNT:,} referrals for the inbox ...", flush=True)
        inbox_cookie = inbox.seed(site_app)
        site = stack.enter_context(servers.site(workdir))
        mini = stack.enter_context(servers.minimal(workdir))
        nocache = stack.enter_context(servers.site(workdir, PAGE_CACHE_SECONDS="0"))
        gunicorns = (site, mini, nocache)

        print(f"Page weight: {len(paths)} pages in Chromium ...", flush=True)
        weights = weight.measure(site.url, paths)
        print(
            f"Load: {len(LOAD_PAGES) + 1} URLs × {LOAD_SECONDS} s, then for information "
            f"{len(LOAD_PAGES) + 1} URLs × {INFO_SECONDS} s, then referral journeys, "
            f"{journeys.USERS} users × {JOURNEY_WARMUP} + {JOURNEY_SECONDS} s, then the "
            "portal inbox ...",
            flush=True,
        )
        site_pids, mini_pids, nocache_pids = (s.worker_pids() for s in gunicorns)
        ours = [*(s.proc.pid for s in gunicorns), *site_pids, *mini_pids, *nocache_pids]
        cookie_check = check_cookie_bypass(site.url + report.COOKIE_PAGE)

        def warm(server: servers.Gunicorn, path: str = "/", headers=()) -> None:
            """First requests import code and fill caches: run, not measured."""
            load.wrk(server.url + path, WARMUP_SECONDS, headers=headers)

        with noise.OtherLoad(ours) as other:  # one server at a time: each has the machine
            warm(site)
            site_loads = [load.wrk(site.url + p, LOAD_SECONDS, site_pids) for p in LOAD_PAGES]
            warm(mini)
            mini_load = load.wrk(mini.url + "/", LOAD_SECONDS, mini_pids)
            warm(nocache)  # for information: every request rendered
            nocache_loads = [
                load.wrk(nocache.url + p, INFO_SECONDS, nocache_pids) for p in LOAD_PAGES
            ]
            cookie = [f"Cookie: {report.PREFS_COOKIE}"]
            warm(site, report.COOKIE_PAGE, cookie)
            cookie_load = load.wrk(site.url + report.COOKIE_PAGE, INFO_SECONDS, site_pids, cookie)
            journey_run = journeys.run(  # whole journeys on the same server, then its database
                site.url,
                servers.sqlite_url(instance),
                JOURNEY_SECONDS,
                JOURNEY_WARMUP,
                server_cpu=lambda: noise.cpu_seconds(site_pids),
            )
            inbox_problems = inbox.check(site.url, inbox_cookie)  # signed in, all rendered
            staff = [f"Cookie: {inbox_cookie}"]
            warm(site, inbox.URLS[0], staff)
            inbox_loads = [
                load.wrk(site.url + u, INBOX_SECONDS, site_pids, staff) for u in inbox.URLS
            ]
        rss = [(s.label, pid, s.rss_bytes(pid)) for s in gunicorns for pid in s.worker_pids()]

    with tempfile.TemporaryDirectory(prefix="againsthate-bench-mixed-") as tmp:
        mixed_runs = mixed.measure(Path(tmp), public, log=lambda m: print(m, flush=True))

    text, ok = report.render(
        report.Run(
            LANGS,
            (LOAD_SECONDS, INFO_SECONDS, INBOX_SECONDS, WARMUP_SECONDS),
            weights,
            site_loads,
            mini_load,
            nocache_loads,
            cookie_load,
            cookie_check,
            journey_run,
            inbox_loads,
            inbox_problems,
            rss,
            mixed_runs,
            other.share,
            time.monotonic() - started,
            git_version(),
        )
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print("\n" + text.split("<details>")[0])  # wrk's raw output only in the file
    print(f"Written to {RESULTS.relative_to(servers.ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
