"""`make bench`: page weight, throughput, latency, whole self-referral journeys, memory,
the portal inbox, a mixed load, and the inbox and a search at 10,000 and 100,000
referrals (scale.py), checked against the targets (report.py); the report
goes to bench/results/latest.md, and the exit status is 1 when a target fails.

Everything runs on 127.0.0.1 against gunicorn started here on throwaway databases, each
server stopped at the end, even on error. The targets are about the site as deployed,
with its page cache; for information the run also measures what rendering a page costs.
Client and servers share the cores: the target is the ratio to a minimal Flask app."""

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
import scale
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
    """wrk, Debian's chromium (browser downloads do not work here), PostgreSQL, Redis."""
    present = {
        "wrk": Path("/usr/bin/wrk").exists(),
        "chromium": Path(weight.CHROMIUM).exists(),
        "postgresql": backends.pg_bin() is not None,
        "redis-server": backends.redis_server() is not None,
    }
    if not (missing := [pkg for pkg, ok in present.items() if not ok]):
        return
    if os.geteuid() != 0:
        sys.exit(f"Missing {', '.join(missing)}: `sudo apt-get install -y {' '.join(missing)}`.")
    print(f"Installing {', '.join(missing)} with apt-get ...", flush=True)
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "-qq"]  # another apt-get may be running
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    fonts = ["fonts-liberation", "fonts-dejavu-core"]
    for args in (["update"], ["install", "-y", "--no-install-recommends", *missing, *fonts]):
        subprocess.run([*apt, *args], env=env, check=True, timeout=900, stdout=subprocess.DEVNULL)


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
    started, m = time.monotonic(), report.Run()
    m.langs, m.seconds = LANGS, (LOAD_SECONDS, INFO_SECONDS, INBOX_SECONDS, WARMUP_SECONDS)
    ensure_tools()
    with contextlib.ExitStack() as stack:  # unwound whatever happens: servers, then folder
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="againsthate-")))
        print("Preparing a throwaway database ...", flush=True)
        instance = servers.prepare(workdir)
        site_app = servers.app(instance)
        public = public_paths(site_app)  # every public page (English), from its URL map
        paths = [p if lang == "en" else in_language(p, lang) for lang in LANGS for p in public]
        print(f"Storing {inbox.COUNT:,} referrals for the inbox ...", flush=True)
        staff = [f"Cookie: {inbox.seed(site_app)}"]
        site = stack.enter_context(servers.site(workdir))
        mini = stack.enter_context(servers.minimal(workdir))
        nocache = stack.enter_context(servers.site(workdir, PAGE_CACHE_SECONDS="0"))
        print(f"Page weight: {len(paths)} pages in Chromium ...", flush=True)
        m.weights = weight.measure(site.url, paths)
        print(
            f"Load: {len(LOAD_PAGES) + 1} URLs × {LOAD_SECONDS} s, then for information "
            f"{len(LOAD_PAGES) + 1} URLs × {INFO_SECONDS} s, then referral journeys, "
            f"{journeys.USERS} users × {JOURNEY_WARMUP} + {JOURNEY_SECONDS} s, then the "
            "portal inbox ...",
            flush=True,
        )
        pids = {s: s.worker_pids() for s in (site, mini, nocache)}
        m.cookie_check = check_cookie_bypass(site.url + report.COOKIE_PAGE)

        def wrk(server: servers.Gunicorn, paths, seconds: int, headers=()) -> list:
            """First requests import code and fill caches: a warm-up, not measured."""
            load.wrk(server.url + paths[0], WARMUP_SECONDS, headers=headers)
            return [load.wrk(server.url + p, seconds, pids[server], headers) for p in paths]

        ours = [*(s.proc.pid for s in pids), *(p for ps in pids.values() for p in ps)]
        with noise.OtherLoad(ours) as other:  # one server at a time: each has the machine
            m.site = wrk(site, LOAD_PAGES, LOAD_SECONDS)
            [m.minimal] = wrk(mini, ["/"], LOAD_SECONDS)
            m.nocache = wrk(nocache, LOAD_PAGES, INFO_SECONDS)  # every request rendered
            cookie = [f"Cookie: {report.PREFS_COOKIE}"]
            [m.cookie] = wrk(site, [report.COOKIE_PAGE], INFO_SECONDS, cookie)
            m.journeys = journeys.run(  # whole journeys on the same server, then its database
                site.url,
                servers.sqlite_url(instance),
                JOURNEY_SECONDS,
                JOURNEY_WARMUP,
                server_cpu=lambda: noise.cpu_seconds(pids[site]),
            )
            m.inbox_problems = inbox.check(site.url, staff[0].removeprefix("Cookie: "))
            m.inbox = wrk(site, inbox.URLS, INBOX_SECONDS, staff)
        m.busy = other.share
        m.rss = [(s.label, pid, s.rss_bytes(pid)) for s in pids for pid in s.worker_pids()]

    with tempfile.TemporaryDirectory(prefix="againsthate-bench-mixed-") as tmp:
        m.mixed = mixed.measure(Path(tmp), public)
    m.scale = scale.measure()  # one request at a time: after every load, alone
    m.elapsed, m.version = time.monotonic() - started, git_version()
    text, ok = report.render(m)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print("\n" + text.split("<details>")[0])  # wrk's raw output only in the file
    print(f"Written to {RESULTS.relative_to(servers.ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
