"""How much CPU other work took while we measured load.

Client and servers already share the cores; anything else running at the same time
(a test suite, a build) lowers throughput and raises latency unpredictably. We count
the whole machine's busy CPU time during the load test and subtract our own (wrk,
which this process waits for, the journey client's threads in this process, and the
gunicorn processes), so the report can say when its figures are not to be trusted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Self

TICK = os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float:
    """CPU-seconds all cores spent not idle since boot (steal counts: the host took it)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / TICK


def cpu_seconds(pids: Iterable[int]) -> float:
    """CPU-seconds (user + system) the given live processes have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
        kids.setdefault(ppid, []).append(int(stat.parent.name))
    return kids


def tree_cpu_seconds(roots: Iterable[int]) -> float:
    """CPU-seconds of each root and all its descendants, ended ones included.

    A process's own time plus what its children that ended and were waited for took
    (cutime, cstime): so the difference between two readings counts the CPU the tree
    used in between, even of processes that came and went (a PostgreSQL backend, a
    gunicorn worker replaced after max_requests)."""
    kids, total = _children(), 0
    todo, seen = list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        todo += kids.get(pid, [])
    return total / TICK


def _ours(pids: list[int], trees: list[int]) -> float:
    """CPU-seconds of this process (the journey client), our finished children (wrk),
    the given live processes, and the given process trees."""
    t = os.times()
    return (
        t.user
        + t.system
        + t.children_user
        + t.children_system
        + cpu_seconds(pids)
        + tree_cpu_seconds(trees)
    )


class OtherLoad:
    """Use around the load test: `with OtherLoad(pids) as other: ...; other.share`.

    trees: roots of process trees that are ours too (a database server and its
    backends), counted with their descendants."""

    def __init__(self, pids: list[int], trees: list[int] | None = None):
        self.pids, self.trees, self.share = pids, trees or [], 0.0

    def __enter__(self) -> Self:
        self.start = (time.monotonic(), _machine_busy(), _ours(self.pids, self.trees))
        return self

    def __exit__(self, *exc: object) -> None:
        wall, busy, ours = (
            b - a
            for a, b in zip(
                self.start, (time.monotonic(), _machine_busy(), _ours(self.pids, self.trees))
            )
        )
        self.share = max(busy - ours, 0.0) / (wall * (os.cpu_count() or 1))
