"""A person walking the self-referral over real HTTP, as a browser without scripts would:
cookies kept, each page's CSRF token posted back, redirects followed. When the connection
breaks (a worker killed), they press the same button again, as a person would."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from tests.referral.journey import page_data

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
_SUGGESTED = re.compile(r'name="organisation" type="radio" value="([^"]+)" checked')
BROKEN = (
    ConnectionError,
    http.client.RemoteDisconnected,
    http.client.IncompleteRead,
    urllib.error.URLError,
    TimeoutError,
)


class Visitor:
    def __init__(self, base: str, tries: int = 20):
        self.base, self.tries, self.broken = base, tries, 0
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def _open(self, path: str, data: dict | None = None) -> tuple[str, str]:
        """(final URL, page) after redirects; again and again while the connection breaks."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        for _ in range(self.tries):
            try:
                with self.opener.open(self.base + path, data=body, timeout=20) as response:
                    return response.geturl(), response.read().decode()
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    raise
                self.broken += 1  # a 502/503 from a dying worker: press again
            except BROKEN:
                self.broken += 1
            time.sleep(0.05)
        raise AssertionError(f"{path} never answered in {self.tries} tries")

    def refer(self, what: str) -> str:
        """Answer every question, press Send; the reference the done page confirms."""
        url, page = self._open("/refer/who")
        for _ in range(40):
            path = urllib.parse.urlsplit(url).path
            if path == "/refer/check":
                break
            slug = path.removeprefix("/refer/")
            data = page_data(slug, {"what": {"what": what}})
            url, page = self._open(path, {**data, "csrf_token": _TOKEN.search(page).group(1)})
        else:
            raise AssertionError("the journey never reached the check page")
        url, page = self._open(
            "/refer/check",
            {
                "csrf_token": _TOKEN.search(page).group(1),
                "submission_key": _KEY.search(page).group(1),
                "organisation": _SUGGESTED.search(page).group(1),
            },
        )
        reference = urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]
        assert "/refer/done/" in url and reference in page, url
        return reference
