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

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
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


class Gunicorn:
    """One gunicorn master and its workers; a context manager that always stops them."""

    def __init__(
        self,
        name: str,
        app: str,
        env: dict[str, str],
        logdir: Path,
        extra: list[str] | None = None,
        ready_path: str = "/",
        label: str = "",
        workers: int | None = WORKERS,
    ):
        """workers: None leaves the number to the configuration (`extra`: `-c FILE`)."""
        self.name, self.port = name, free_port()  # name: short, also names the log file
        self.label = label or name  # as the report shows it
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = logdir / f"gunicorn-{name}.log"
        cmd = [
            str(VENV_BIN / "gunicorn"),
            *(["-w", str(workers)] if workers else []),
            "-b",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--error-logfile",
            str(self.log),
            *(extra or []),
            app,
        ]
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
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
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":\t", 1)
                    for line in status.read_text().splitlines()
                    if ":\t" in line
                )
            except OSError:
                continue  # the process ended while we looked
            if int(fields.get("PPid", "0").strip()) == self.proc.pid:
                pids.append(int(status.parent.name))
        return sorted(pids)

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


def site(workdir: Path) -> Gunicorn:
    return Gunicorn(
        "site",
        "againsthate.wsgi:app",
        site_env(workdir / "instance"),
        workdir,
        ready_path="/healthz",
    )


def site_without_cache(workdir: Path) -> Gunicorn:
    """The same site with its page cache off: every request renders the page."""
    env = {**site_env(workdir / "instance"), "PAGE_CACHE_SECONDS": "0"}
    return Gunicorn(
        "site-nocache",
        "againsthate.wsgi:app",
        env,
        workdir,
        ready_path="/healthz",
        label="site without page cache",
    )


def minimal(workdir: Path) -> Gunicorn:
    env = dict(os.environ)
    env.pop("FLASK_DEBUG", None)
    return Gunicorn(
        "minimal",
        "minimal_app:app",
        env,
        workdir,
        extra=["--chdir", str(BENCH)],
        label="minimal Flask",
    )
