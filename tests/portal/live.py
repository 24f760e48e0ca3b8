"""Real HTTP against a served portal, for races: each `Browser` keeps its own cookies and
sees redirects as they are (not followed), and `at_once` fires requests from threads that
start together. The server is tests/browser's `serving()`: the real app on 127.0.0.1."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from tests.browser.conftest import serving  # noqa: F401  (re-exported for the portal's tests)


@dataclass
class Answer:
    status: int
    location: str
    text: str
    cookies: dict[str, str]  # what the browser holds after this answer


class Browser:
    def __init__(self, base: str, cookies: dict[str, str] | None = None):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = dict(cookies or {})

    def copy(self) -> Browser:
        """Another browser holding copies of these cookies (a stolen or replayed cookie)."""
        return Browser(f"http://{self.host}:{self.port}", self.cookies)

    def open(self, method: str, path: str, data: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Answer(
                response.status, response.headers.get("Location", ""), text, dict(self.cookies)
            )
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self.open("GET", path)

    def post(self, path: str, data: dict) -> Answer:
        return self.open("POST", path, data)


def at_once(calls: list[Callable[[], Answer]]) -> list[Answer]:
    """Run every call in its own thread, all released at the same moment; their answers in
    order. A call that raises fails the test with its error."""
    ready = threading.Barrier(len(calls), timeout=30)
    answers: list[Answer | None] = [None] * len(calls)
    errors: list[str] = []

    def run(n: int) -> None:
        try:
            ready.wait()
            answers[n] = calls[n]()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(f"call {n}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    assert errors == [], errors
    return answers  # type: ignore[return-value]


def hold_until_all_arrive(monkeypatch, module, name: str, count: int) -> None:
    """Make `module.name` wait until `count` requests have reached it, so every racing
    request has read the state before any of them writes: the race happens every run,
    not only on a lucky one. A request that never arrives releases the others after 10 s."""
    original = getattr(module, name)
    arrived = threading.Barrier(count, timeout=10)

    def held(*args, **kwargs):
        try:
            arrived.wait()
        except threading.BrokenBarrierError:
            pass
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
