"""CPU time from /proc: the servers' own (CPU per request), and the share of the machine
other work took while we measured (a test suite, a build), so the report can say when its
load figures are not to be trusted."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Self

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pids: Iterable[int]) -> float:
    """CPU-seconds (user + system) the given live processes have used so far."""
    return sum(int(f[11]) + int(f[12]) for f in map(_stat, pids)) / TICK


def parents() -> dict[int, int]:
    """Every process's parent."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            found[int(stat.parent.name)] = int(_stat(int(stat.parent.name))[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
    return found


def tree_cpu_seconds(roots: Iterable[int]) -> float:
    """CPU-seconds of each root and its descendants, ended ones too (cutime, cstime): a
    PostgreSQL backend, a gunicorn worker replaced after max_requests."""
    kids: dict[int, list[int]] = {}
    for pid, ppid in parents().items():
        kids.setdefault(ppid, []).append(pid)
    total, todo, seen = 0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            total += sum(int(f) for f in _stat(pid)[11:15])  # utime, stime, cutime, cstime
        except OSError:
            continue
        todo += kids.get(pid, [])
    return total / TICK


def _machine_busy() -> float:
    """CPU-seconds all cores spent not idle since boot (steal counts: the host took it)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields)
    return (user + nice + system + irq + softirq + steal) / TICK


class OtherLoad:
    """`with OtherLoad(pids, trees) as other: ...; other.share`: the share of the machine
    others took. Ours: this process, its finished children (wrk), pids and trees."""

    def __init__(self, pids: list[int], trees: list[int] | None = None):
        self.pids, self.trees, self.share = pids, trees or [], 0.0

    def _now(self) -> tuple[float, float, float]:
        t = os.times()
        ours = t.user + t.system + t.children_user + t.children_system
        ours += cpu_seconds(self.pids) + tree_cpu_seconds(self.trees)
        return time.monotonic(), _machine_busy(), ours

    def __enter__(self) -> Self:
        self.start = self._now()
        return self

    def __exit__(self, *exc: object) -> None:
        wall, busy, ours = (b - a for a, b in zip(self.start, self._now()))
        self.share = max(busy - ours, 0.0) / (wall * (os.cpu_count() or 1))
