"""Many people sending at once: every referral stored once, each person sees their own."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from againsthate.db.models import Draft, OutboxMessage, Referral
from againsthate.services import sending
from tests.conftest import ROOMY
from tests.referral.journey import SHORT, complete_journey, count, counted, reference_of, rows, send

PEOPLE = 200


def test_200_people_sending_at_once_each_get_their_own_referral(new_app):
    # A connection for each person: one process stands in for many workers here.
    app = new_app(WTF_CSRF_ENABLED=False, DATABASE_POOL_SIZE=PEOPLE, **ROOMY)
    ready = threading.Barrier(PEOPLE, timeout=120)
    results: list[dict | None] = [None] * PEOPLE
    errors: list[str] = []

    def person(n: int) -> None:
        try:
            client = app.test_client()
            journey = complete_journey(client, {**SHORT, "what": {"what": f"Person {n}"}})
            ready.wait()  # everyone presses Send at the same moment
            response = send(client, journey)
            result = {"status": response.status_code, "location": response.headers.get("Location")}
            if response.status_code == 303:
                done = client.get(result["location"])
                result["done_page"] = done.get_data(as_text=True)
            results[n] = result
        except Exception as error:  # noqa: BLE001 - reported below, with the thread number
            errors.append(f"person {n}: {type(error).__name__}: {error}")
            ready.abort()

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=150)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    assert errors == [], errors[:5]
    assert time.monotonic() - started < 90

    statuses = [r["status"] for r in results]
    assert statuses == [303] * PEOPLE, {s: statuses.count(s) for s in set(statuses)}
    references = [reference_of(r["location"]) for r in results]
    assert len(set(references)) == PEOPLE
    for result, reference in zip(results, references, strict=True):
        assert urlsplit(result["location"]).path == f"/refer/done/{reference}"
        assert reference in result["done_page"], "someone saw a page without their reference"

    assert count(app, Referral) == PEOPLE
    assert sorted(r.reference for r in rows(app, Referral)) == sorted(references)
    assert count(app, Draft) == 0
    assert count(app, OutboxMessage) == PEOPLE
    assert counted(app) == PEOPLE  # one block of counters for all: not one count lost


def _same_browser_twice(app):
    """Two clients holding the same session cookie: one browser sending twice at once."""
    first = app.test_client()
    journey = complete_journey(first, SHORT)
    second = app.test_client()
    cookie = first.get_cookie(app.config["SESSION_COOKIE_NAME"])
    second.set_cookie(cookie.key, cookie.value)
    return journey, first, second


def test_a_double_click_racing_itself_stores_one_referral_and_both_see_it(roomy_app, monkeypatch):
    """Both requests read "not sent yet" before either commits (forced with a barrier)."""
    app = roomy_app
    journey, first, second = _same_browser_twice(app)
    both_checked = threading.Barrier(2, timeout=10)
    waited = threading.local()
    original = sending.find_sent

    def find_sent_then_wait(session, key):
        found = original(session, key)
        if not getattr(waited, "done", False):
            waited.done = True
            try:
                both_checked.wait()
            except threading.BrokenBarrierError:
                pass
        return found

    monkeypatch.setattr(sending, "find_sent", find_sent_then_wait)
    responses: dict[str, object] = {}
    errors: list[str] = []

    def press(name, client):
        try:
            responses[name] = send(client, journey)
        except Exception as error:  # noqa: BLE001
            errors.append(f"{name}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=press, args=pair) for pair in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [], errors
    assert count(app, Referral) == 1
    assert [responses[n].status_code for n in "ab"] == [303, 303]
    assert responses["a"].headers["Location"] == responses["b"].headers["Location"]


def test_a_second_press_sent_before_the_first_answered_shows_the_done_page(roomy_app):
    """A double click, or Send pressed again after the answer was lost on a bad connection:
    the browser still has the cookie from before the first send. The person must see
    their reference, not the start page (which reads as if the answers were lost)."""
    app = roomy_app
    journey, first, second = _same_browser_twice(app)
    done = send(first, journey).headers["Location"]
    again = send(second, journey)
    assert count(app, Referral) == 1
    assert again.status_code == 303
    assert again.headers["Location"] == done
    page = second.get(done)
    assert reference_of(done) in page.get_data(as_text=True)
