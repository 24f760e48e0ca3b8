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
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # responses >= 400 (a 429 from the limiter would show here), socket errors
    raw: str  # wrk's own report, kept for the appendix
    cpu_ms: float  # server CPU per request: unlike req/s, other work barely moves it
    command: str  # the wrk call in short, for the appendix

    @property
    def path(self) -> str:
        return "/" + self.url.split("/", 3)[-1]


def wrk(
    url: str, seconds: int, server_pids: Sequence[int] = (), headers: Sequence[str] = ()
) -> LoadResult:
    """headers: extra "Name: value" lines sent with every request (wrk -H)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load may only target 127.0.0.1")
    h = [a for line in headers for a in ("-H", line)]
    cmd = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout"]
    cmd += ["5s", "--latency", *h, "-s", str(LUA), url]
    cpu_before = noise.cpu_seconds(server_pids)
    # wrk stops by itself after -d; the timeout is a second guard should it hang.
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 30)
    line = next(l for l in out.stdout.splitlines() if l.startswith("BENCH "))
    f = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    n = f["requests"]
    return LoadResult(
        url,
        n / (f["duration_us"] / 1e6),
        *(f[f"{k}_us"] / 1000 for k in ("p50", "p95", "p99", "max")),
        f["status_errors"] + f["socket_errors"],
        out.stdout.replace(line, "").strip(),
        (noise.cpu_seconds(server_pids) - cpu_before) * 1000 / max(n, 1),
        " ".join(["wrk", *(f"-H '{line}'" for line in headers), url]),
    )
