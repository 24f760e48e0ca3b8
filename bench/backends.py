"""A private PostgreSQL and Redis for the mixed load, on 127.0.0.1 and free ports, data in
a temporary folder, stopped (by their own PIDs) however the run ends. As
scripts/with-services.sh, but PostgreSQL keeps its default durability settings (fsync,
synchronous_commit, full_page_writes), as in production: a benchmark without them would
flatter PostgreSQL. Debian's postgresql and redis-server provide the programs."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from servers import Stopping, free_port

DATABASE = "againsthate"


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them per version)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else None


def redis_server() -> str | None:
    return shutil.which("redis-server")


def _pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class Services(Stopping):
    """`with Services() as s:` s.database_url (SQLAlchemy, psycopg 3), s.redis_url(db)."""

    def __init__(self) -> None:
        self.bin = pg_bin()
        if self.bin is None or redis_server() is None:
            raise RuntimeError("PostgreSQL or redis-server is not installed")
        self.pg_port, self.redis_port = free_port(), free_port()
        self.work = Path(tempfile.mkdtemp(prefix="againsthate-bench-services-"))
        self.work.chmod(0o755)  # PostgreSQL's own user must reach its folders inside
        self.data, self.sock = self.work / "pg", self.work / "sock"
        # initdb refuses to run as root: as root, PostgreSQL runs as its own user.
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.redis_pid = self.work / "redis.pid"
        self.database_url = f"postgresql+psycopg://postgres@127.0.0.1:{self.pg_port}/{DATABASE}"
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def redis_url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/{db}"

    def _pg(self, program: str, *args: str, timeout: float = 60) -> str:
        cmd = [*self.as_pg, str(self.bin / program), *args]
        return subprocess.run(
            cmd, check=True, capture_output=True, text=True, timeout=timeout
        ).stdout

    def _start(self) -> None:
        for folder in (self.data, self.sock):
            folder.mkdir()
            if self.as_pg:
                shutil.chown(folder, "postgres", "postgres")
        init = ["-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        self._pg("initdb", *init, "--locale=C.UTF-8", timeout=120)
        # Only where it listens is set: every other setting is PostgreSQL's default.
        where = f"-c listen_addresses=127.0.0.1 -p {self.pg_port} -k {self.sock}"
        log = str(self.sock / "postgres.log")
        self._pg("pg_ctl", "-D", str(self.data), "-l", log, "-w", "start", "-o", where)
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", DATABASE)
        version = self._pg("postgres", "--version").strip()  # "postgres (PostgreSQL) 15.18"
        self.version = "PostgreSQL " + version.split(") ", 1)[-1].split()[0]
        redis = [str(redis_server()), "--bind", "127.0.0.1", "--port", str(self.redis_port)]
        redis += ["--daemonize", "yes", "--pidfile", str(self.redis_pid), "--save", ""]
        redis += ["--appendonly", "no", "--logfile", str(self.work / "redis.log")]
        subprocess.run(redis, check=True, timeout=30)
        for _ in range(100):
            if not self.redis_pid.exists():
                time.sleep(0.05)

    def pids(self) -> list[int]:
        """The postmaster and Redis: their process trees are the services' CPU."""
        return [pid for f in (self.data / "postmaster.pid", self.redis_pid) if (pid := _pid(f))]

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            stop = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            subprocess.run([*self.as_pg, *stop], check=False, capture_output=True, timeout=60)
        if pid := _pid(self.redis_pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)  # Redis's own PID only
            time.sleep(0.2)
        shutil.rmtree(self.work, ignore_errors=True)
