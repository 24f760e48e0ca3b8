"""Throughput and latency with wrk, always against 127.0.0.1 and always time-bounded."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import noise

LUA = Path(__file__).with_name("stats.lua")
CONNECTIONS, THREADS = 20, 2


@dataclass
class LoadResult:
    url: str
    seconds: int
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    status_errors: int  # responses >= 400 (a 429 from the limiter would show here)
    socket_errors: int
    raw: str  # wrk's own report, kept for the appendix
    cpu_ms: float = 0.0  # server CPU per request: unlike req/s, other work barely moves it
    headers: tuple[str, ...] = ()  # extra request headers sent (besides Accept-Encoding)

    @property
    def path(self) -> str:
        return "/" + self.url.split("/", 3)[-1]

    @property
    def command(self) -> str:
        """The wrk call in short, for the appendix."""
        return " ".join(["wrk", *(f"-H '{h}'" for h in self.headers), self.url])


def _ms(microseconds: int) -> float:
    return microseconds / 1000


def wrk(
    url: str, seconds: int, server_pids: Sequence[int] = (), headers: Sequence[str] = ()
) -> LoadResult:
    """headers: extra "Name: value" lines sent with every request (wrk -H)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load may only target 127.0.0.1")
    cmd = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout"]
    cmd += ["5s", "--latency", *(a for h in headers for a in ("-H", h)), "-s", str(LUA), url]
    cpu_before = noise.cpu_seconds(server_pids)
    # wrk stops by itself after -d; the timeout is a second guard should it hang.
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    f = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    return LoadResult(
        url=url,
        seconds=seconds,
        requests=f["requests"],
        rps=f["requests"] / (f["duration_us"] / 1e6),
        p50_ms=_ms(f["p50_us"]),
        p95_ms=_ms(f["p95_us"]),
        p99_ms=_ms(f["p99_us"]),
        max_ms=_ms(f["max_us"]),
        status_errors=f["status_errors"],
        socket_errors=f["socket_errors"],
        raw=out.replace(line, "").strip(),
        cpu_ms=(noise.cpu_seconds(server_pids) - cpu_before) * 1000 / max(f["requests"], 1),
        headers=tuple(headers),
    )
