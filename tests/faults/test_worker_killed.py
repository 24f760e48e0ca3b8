"""Workers killed mid-request (SIGKILL, as the kernel's out-of-memory killer or a crash
would) while people send referrals through gunicorn with the production settings:
nothing confirmed is lost, nothing is stored twice, and no referral is half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from againsthate.db import make_engine, migrate
from againsthate.db.models import OutboxMessage, Referral, ReferralCount
from againsthate.services.crypto import new_key_entry

from .servers import free_port
from .visitor import Visitor

ROOT = Path(__file__).resolve().parents[2]
PEOPLE, EACH = 4, 4  # people sending at once, referrals each


def _workers(master: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"PPid:\t{master}\n" in status.read_text():
                pids.append(int(status.parent.name))
        except OSError:
            continue  # gone while we looked
    return pids


def _gunicorn(tmp_path: Path, database_url: str, port: int, log) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TEST_"))}
    env.update(
        AGAINSTHATE_ENV="production",
        SECRET_KEY="s" * 64,
        REFERRAL_KEYS=new_key_entry("k1"),
        INSTANCE_PATH=str(tmp_path),
        DATABASE_URL=database_url,
        MAIL_TO_FILES="1",
        FORCE_HTTPS="0",
        TRUSTED_PROXIES="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        PUBLIC_RATE_LIMIT="100000 per minute",
        REFERRAL_RATE_LIMIT="100000 per minute",
        LOG_LEVEL="warning",
        LOG_REQUESTS="0",
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "againsthate.wsgi:app",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    raise AssertionError((tmp_path / "gunicorn.log").read_text()[-3000:])


def test_killed_workers_lose_nothing_confirmed(tmp_path, empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = _gunicorn(tmp_path, empty_database_url, port, log)
    confirmed: list[str] = []
    visitors: list[Visitor] = []
    failures: list[str] = []
    kills = 0

    def person(n: int) -> None:
        visitor = Visitor(f"http://127.0.0.1:{port}")
        visitors.append(visitor)
        try:
            for m in range(EACH):
                confirmed.append(visitor.refer(f"Person {n}, referral {m}"))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(f"person {n}: {type(error).__name__}: {error}")

    try:
        people = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
        for thread in people:
            thread.start()
        chooser = random.Random(5)
        while any(thread.is_alive() for thread in people):
            time.sleep(chooser.uniform(0.1, 0.4))
            workers = _workers(server.pid)
            if workers:
                os.kill(chooser.choice(workers), signal.SIGKILL)
                kills += 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    assert failures == []
    assert kills >= 5 and sum(v.broken for v in visitors) >= 1, "no request was cut off"
    with engine.connect() as connection:
        stored = connection.scalars(select(Referral.reference)).all()
        stats = connection.scalar(
            select(func.sum(ReferralCount.count)).where(ReferralCount.dimension == "referrals")
        )
        notices = connection.scalar(select(func.count()).select_from(OutboxMessage))
    engine.dispose()
    assert len(confirmed) == PEOPLE * EACH
    assert sorted(stored) == sorted(confirmed)  # none lost, none stored twice
    assert stats == len(stored) and notices >= len(stored)  # each one whole
