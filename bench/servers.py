"""Start and stop the servers the benchmarks measure (the site, the site without its page
cache, a minimal Flask app) under the same gunicorn settings, on 127.0.0.1 only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Self

import noise
from flask import Flask

from againsthate import create_app
from againsthate.config import Config

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent  # gunicorn and flask from the same venv as us
WORKERS = 2
UNLIMITED = "100000000 per minute"


def site_env(instance: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_DEBUG", "DATABASE_URL")}
    # No debug (it reloads templates on every request), no TLS on 127.0.0.1, and the
    # throwaway SQLite in `instance` unless `settings` name another database. All load
    # comes from one address: the per-address limits (pages, sending a referral) would
    # answer 429 within seconds, so they are raised, still running and measured.
    env.update(AGAINSTHATE_ENV="development", FORCE_HTTPS="0", INSTANCE_PATH=str(instance))
    env.update(PUBLIC_RATE_LIMIT=UNLIMITED, REFERRAL_RATE_LIMIT=UNLIMITED)
    return env | settings


def app(instance: Path) -> Flask:
    """The site in this process, on the database in `instance` (to list pages, to seed)."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(site_env(instance))  # read when the configuration is made

    class Bench(Config):
        INSTANCE_PATH = instance  # the default is read from the environment at import

    return create_app(Bench())


def prepare(workdir: Path, name: str = "instance", **settings: str) -> Path:
    """A throwaway instance folder with the schema and the area pack's content."""
    instance = workdir / name
    for args in (["db", "upgrade"], ["pack", "load"]):
        cmd = [str(VENV_BIN / "flask"), "--app", "againsthate.wsgi", *args]
        env = site_env(instance, **settings)
        subprocess.run(cmd, env=env, cwd=ROOT, check=True, timeout=120, stdout=subprocess.DEVNULL)
    return instance


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sqlite_url(instance: Path) -> str:
    """The site's database in `instance` when DATABASE_URL is not set (config.py)."""
    return f"sqlite:///{instance / 'againsthate.sqlite'}"


class Stopping:
    """A server we started: `with` it, and it is stopped however the block ends."""

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Gunicorn(Stopping):
    """One gunicorn master and its workers. config: a gunicorn configuration file, which
    then sets the number of workers."""

    def __init__(
        self,
        name: str,
        env: dict[str, str],
        logdir: Path,
        app="againsthate.wsgi:app",
        config: Path | None = None,
        label: str = "",
        ready: str = "/healthz",
    ):
        self.name, self.label, self.port = name, label or name, free_port()
        self.url, self.log = f"http://127.0.0.1:{self.port}", logdir / f"gunicorn-{name}.log"
        if config:
            env = {k: v for k, v in env.items() if k != "WEB_CONCURRENCY"}  # the file's own
        cmd = [str(VENV_BIN / "gunicorn"), "-b", f"127.0.0.1:{self.port}", "--log-level"]
        cmd += ["warning", "--error-logfile", str(self.log)]
        cmd += ["-c", str(config)] if config else ["-w", str(WORKERS)]
        self.proc = subprocess.Popen([*cmd, app], env=env, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + ready, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{name} did not start; log:\n{self.log.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        """The workers are the master's children (gunicorn forks them)."""
        return sorted(pid for pid, ppid in noise.parents().items() if ppid == self.proc.pid)

    @staticmethod
    def rss_bytes(pid: int) -> int:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024  # the kernel reports kB
        raise RuntimeError(f"no VmRSS for {pid}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only our processes
                self.proc.wait(timeout=5)


def site(workdir: Path, **settings: str) -> Gunicorn:
    """settings: PAGE_CACHE_SECONDS=0 for the site with its page cache off."""
    env = site_env(workdir / "instance", **settings)
    name, label = ("site-nocache", "site without page cache") if settings else ("site", "site")
    return Gunicorn(name, env, workdir, label=label)


def minimal(workdir: Path) -> Gunicorn:
    env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}
    return Gunicorn("minimal", env, workdir, "bench.minimal_app:app", None, "minimal Flask", "/")
