"""Start and stop the servers the benchmarks measure: the site, the site without its
page cache, and a minimal Flask app.

All run under the same gunicorn settings (2 sync workers, 127.0.0.1 only), so the
ratio of their throughputs shows what the site itself costs on this machine.
"""

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


def site_env(instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FLASK_DEBUG", None)  # debug mode would reload templates on every request
    # The default, SQLite under INSTANCE_PATH, whatever the developer's shell says: the
    # journey benchmark stores hundreds of referrals, and counts them in that file.
    env.pop("DATABASE_URL", None)
    env.update(
        AGAINSTHATE_ENV="development",  # a secret key is made in the temporary instance
        FORCE_HTTPS="0",  # no TLS on 127.0.0.1; a redirect would skew everything
        INSTANCE_PATH=str(instance),  # never touch the developer's database
        # Every request comes from one address here, which the per-address limit
        # (300/min) would turn into 429s within a second; real visitors are spread
        # over many addresses. The limiter still runs and its cost is measured.
        PUBLIC_RATE_LIMIT="100000000 per minute",
        # Likewise for sending a referral (10 per hour per address): the journey
        # benchmark (journeys.py) sends hundreds from 127.0.0.1, which would be refused
        # with 429 after the tenth. This limit too still runs and is measured.
        REFERRAL_RATE_LIMIT="100000000 per minute",
    )
    return env


def app(instance: Path) -> Flask:
    """The site in this process, on the database in `instance` (to list pages, to seed)."""
    os.environ.update(site_env(instance))  # read when the configuration is made
    os.environ.pop("DATABASE_URL", None)  # as site_env: the throwaway SQLite only

    class Bench(Config):
        INSTANCE_PATH = instance  # the default is read from the environment at import

    return create_app(Bench())


def prepare(workdir: Path, name: str = "instance", **settings: str) -> Path:
    """A throwaway instance folder with the schema and the area pack's content.

    settings: more environment for the site (DATABASE_URL=... for another database)."""
    instance = workdir / name
    env = {**site_env(instance), **settings}
    for args in (["db", "upgrade"], ["pack", "load"]):
        subprocess.run(
            [str(VENV_BIN / "flask"), "--app", "againsthate.wsgi", *args],
            env=env,
            cwd=ROOT,
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )
    return instance


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sqlite_url(instance: Path) -> str:
    """The site's database in `instance` when DATABASE_URL is not set (config.py)."""
    return f"sqlite:///{instance / 'againsthate.sqlite'}"


class Gunicorn:
    """One gunicorn master and its workers; a context manager that always stops them.

    config: a gunicorn configuration file, which then sets the number of workers."""

    def __init__(
        self,
        name: str,
        env: dict[str, str],
        logdir: Path,
        app: str = "againsthate.wsgi:app",
        config: Path | None = None,
        label: str = "",
        ready_path: str = "/healthz",
    ):
        self.name, self.label, self.port = name, label or name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = logdir / f"gunicorn-{name}.log"  # name: short, also names the log file
        if config:
            env = {k: v for k, v in env.items() if k != "WEB_CONCURRENCY"}  # the file's own
        cmd = [str(VENV_BIN / "gunicorn"), "-b", f"127.0.0.1:{self.port}", "--log-level"]
        cmd += ["warning", "--error-logfile", str(self.log)]
        cmd += ["-c", str(config)] if config else ["-w", str(WORKERS)]
        self.proc = subprocess.Popen([*cmd, app], env=env, cwd=ROOT, start_new_session=True)
        self._wait_ready(ready_path)

    def _wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not start; log:\n{self.log.read_text()[-3000:]}")

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def site(workdir: Path, **settings: str) -> Gunicorn:
    """settings: PAGE_CACHE_SECONDS=0 for the site with its page cache off."""
    env = {**site_env(workdir / "instance"), **settings}
    label = "site without page cache" if settings else "site"
    return Gunicorn("site-nocache" if settings else "site", env, workdir, label=label)


def minimal(workdir: Path) -> Gunicorn:
    env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}
    return Gunicorn("minimal", env, workdir, "bench.minimal_app:app", None, "minimal Flask", "/")
