"""Redis goes away. The rate limits fail open to each worker's own memory, on purpose
(README.md, "When Redis goes away"): a person in need is never turned away because a
counter cannot be reached, yet each worker still limits a flood, and the limits go
back to Redis by themselves when it returns."""

from __future__ import annotations

import time

import redis

from againsthate.db.models import Referral
from tests.referral.journey import complete_journey, count, send

PHONE = "0800 138 1625"  # the national line in the demonstration pack
LIMIT = 6  # requests a minute from one address, for this test


def _app(new_app, redis_server, limit: int = LIMIT):
    return new_app(
        RATELIMIT_STORAGE_URI=redis_server.url,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        PUBLIC_RATE_LIMIT=f"{limit} per minute",
        REFERRAL_RATE_LIMIT="10 per hour",
        PAGE_CACHE_SECONDS=0,
        WTF_CSRF_ENABLED=False,
    )


def _counters(redis_server) -> list:
    with redis.Redis.from_url(redis_server.url) as r:
        return r.keys("*")


def test_pages_and_referrals_go_on_when_redis_goes_away(new_app, redis_server):
    app = _app(new_app, redis_server, limit=1000)  # room for a whole journey
    client = app.test_client()
    assert client.get("/report").status_code == 200
    counters = _counters(redis_server)
    assert counters  # the count is in Redis while it is up, under no visitor's address
    assert not any(b"127.0.0.1" in key for key in counters)
    redis_server.kill()

    # The phone numbers and a whole referral, with Redis gone.
    page = client.get("/report")
    assert page.status_code == 200 and PHONE in page.get_data(as_text=True)
    sender = app.test_client()
    assert send(sender, complete_journey(sender)).status_code == 303
    assert count(app, Referral) == 1


def test_while_redis_is_away_each_worker_still_limits_a_flood(new_app, redis_server):
    app = _app(new_app, redis_server)
    client = app.test_client()
    redis_server.kill()
    statuses = [client.get("/report").status_code for _ in range(LIMIT + 2)]
    assert statuses[:LIMIT] == [200] * LIMIT and statuses[-1] == 429
    # Even the page that says "too many requests" gives the phone numbers.
    assert PHONE in client.get("/report").get_data(as_text=True)


def test_the_limits_go_back_to_redis_when_it_returns(new_app, redis_server):
    app = _app(new_app, redis_server)
    client = app.test_client()
    redis_server.kill()
    assert client.get("/report").status_code == 200  # counted in memory
    redis_server.start()
    assert _counters(redis_server) == []
    deadline = time.monotonic() + 20  # the limiter looks again after 1, 2, 4… seconds
    while not _counters(redis_server) and time.monotonic() < deadline:
        client.get("/news")
        time.sleep(0.25)
    assert _counters(redis_server), "the limits never went back to Redis"
