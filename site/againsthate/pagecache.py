"""A small in-process cache of whole public pages, in front of the app.

Most visitors read the same few pages. Rendering one costs a few milliseconds of
templates and translation look-ups; replaying a stored copy costs microseconds.

What may be stored is decided by the app itself, not here: only a 200 response to a
GET without cookies, that sets no cookie and that the app already marked
`Cache-Control: public` (security.py). So nothing personal, no form with a CSRF token,
no sensitive page, and no error page is ever stored. Each process keeps its own copy
(derived data, safe to lose); entries live for a short time so news and events changes
show within `PAGE_CACHE_SECONDS`.

Stored pages are answered before the rate limiter: replaying one costs less than the
limiter's own bookkeeping, so counting them would protect nothing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class _Entry:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    expires: float


class PageCache:
    def __init__(self, app, seconds: float, max_entries: int = 1024, clock=time.monotonic):
        self.app, self.seconds, self.max_entries, self.clock = app, seconds, max_entries, clock
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if (
            self.seconds <= 0
            or environ.get("REQUEST_METHOD") != "GET"
            or environ.get("HTTP_COOKIE")
        ):
            return self.app(environ, start_response)
        key = self._key(environ)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.expires > self.clock():
                self._entries.move_to_end(key)
                start_response(entry.status, list(entry.headers))
                return [entry.body]

        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        if not self._storable(captured):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self._store(
            key,
            _Entry(
                captured["status"], list(captured["headers"]), content, self.clock() + self.seconds
            ),
        )
        return [content]

    @staticmethod
    def _key(environ) -> tuple:
        # Everything the app's answer may depend on for a cookie-less GET: the address
        # (language prefix included), and the two headers it varies on.
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT_ENCODING", ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        )

    @staticmethod
    def _storable(captured: dict) -> bool:
        if not captured.get("status", "").startswith("200"):
            return False
        headers = {name.lower(): value for name, value in captured["headers"]}
        return "set-cookie" not in headers and headers.get("cache-control", "").startswith("public")

    def _store(self, key: tuple, entry: _Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
