"""Virtual people against a live site: referrers complete the whole self-referral journey
again and again, readers read a few content pages a visit. Our own small client (wrk
cannot carry a session or follow a journey the server steers). Each journey or visit is
a new visitor with its own cookie jar. A referrer answers whichever question the server
sends it to with `againsthate.examples` (as the tests do), posting each page's
`csrf_token`, then Send, which must answer 303 to /refer/done/<reference>, a page that
must show it: only then is the journey *confirmed*. Redirects are followed and timed one
by one. Think time (optional) comes before each of a person's own actions, never before a
redirect's Location. Figures count a window after a warm-up; errors and `confirmed` the
whole run, which the database must match."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import http.client
import http.cookiejar
import math
import random
import re
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import create_engine, func, select

from againsthate import examples
from againsthate.db.models import Draft, Referral

USERS = 8  # concurrent virtual users (threads)
TIMEOUT = 10  # seconds, a request
MAX_REDIRECTS = 10  # a chain longer than this is a loop: an error
MAX_PAGES = 40  # question pages in one journey; more means the journey loops
VISIT_PAGES = 4  # a reader's pages after the home page, in one visit
START, CHECK, DONE = "/refer", "/refer/check", "/refer/done/"

# What each request is, for the per-kind latency table (Markdown, for the report).
KINDS = {
    "start": "`GET /refer` (start page)",
    "question": "`GET` a question page",
    "answer": "`POST` an answer (302 to the next page)",
    "check": "`GET /refer/check` (check your answers)",
    "send": "`POST /refer/check` (Send, 303)",
    "done": "`GET /refer/done/<reference>`",
    "page": "`GET` a content page (readers)",
}


def kind_of(method: str, path: str) -> str:
    post = method == "POST"
    if path in (START, CHECK) or path.startswith(DONE):
        return {START: "start", CHECK: "send" if post else "check"}.get(path, "done")
    return ("answer" if post else "question") if path.startswith(START + "/") else "page"


@dataclass
class Sample:
    kind: str  # a key of KINDS
    status: int  # 0: no answer (refused, reset, timed out)
    ms: float
    end: float  # time.monotonic() when the answer was in


@dataclass
class Result:
    users: int
    warmup: float
    window: float
    window_start: float  # time.monotonic()
    readers: int = 0  # of the users, how many read pages (the rest refer)
    think: tuple[float, float] | None = None  # seconds a user waits between actions
    confirmed: list[tuple[str, float, float]] = field(default_factory=list)  # ref, ms, end
    samples: list[Sample] = field(default_factory=list)  # every request, failed ones too
    errors: list[str] = field(default_factory=list)  # one line per failed journey or visit
    started: int = 0  # journeys begun
    visits: int = 0  # readers' visits begun
    client_cpu_s: float = 0.0  # this process during the window
    server_cpu_s: float = 0.0  # the server (and its database) during the window
    total_s: float = 0.0  # the whole run
    stored_before: set[str] | None = None  # referral references in the database
    stored_after: set[str] | None = None
    drafts_left: int | None = None  # only a failed journey leaves one
    db_error: str = ""

    def _in(self, end: float) -> bool:
        return self.window_start <= end < self.window_start + self.window

    @property
    def journeys(self) -> list[float]:  # in the window, ms
        return [ms for _ref, ms, end in self.confirmed if self._in(end)]

    def ms(self, kind: str | None = None, reading: bool | None = None) -> list[float]:
        """Requests in the window: of a kind, or of readers (True) or referrers (False)."""
        return [
            s.ms
            for s in self.samples
            if self._in(s.end) and kind in (None, s.kind) and reading in (None, s.kind == "page")
        ]

    @property
    def journeys_per_s(self) -> float:
        return len(self.journeys) / self.window

    @property
    def requests_per_s(self) -> float:
        return len(self.ms()) / self.window

    @property
    def bad(self) -> int:  # responses not 2xx or 3xx, or none (the whole run)
        return sum(not 200 <= s.status < 400 for s in self.samples)

    @property
    def stored(self) -> set[str] | None:  # the referrals the run added
        if self.stored_before is None or self.stored_after is None:
            return None
        return self.stored_after - self.stored_before

    @property
    def stored_matches(self) -> bool:  # the very references confirmed, no more, no fewer
        seen = [ref for ref, _ms, _end in self.confirmed]
        return self.stored is not None and sorted(self.stored) == sorted(seen)

    @property
    def ok(self) -> bool:
        return bool(self.confirmed) and not self.errors and not self.bad and self.stored_matches


def percentile(values: list[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not values:
        return None  # nothing of that kind in the window
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


def read_database(url: str) -> tuple[set[str], int]:
    """The references of every referral stored, and how many drafts are left."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            refs = set(conn.scalars(select(Referral.reference)))
            return refs, conn.scalar(select(func.count()).select_from(Draft)) or 0
    finally:
        engine.dispose()


class JourneyError(Exception):
    pass


class _NoRaise(urllib.request.HTTPErrorProcessor):  # redirects, errors: ours to handle
    def http_response(self, request, response):
        return response


def _inputs(page: str) -> list[dict[str, str]]:
    return [
        {k.lower(): html.unescape(v) for k, v in re.findall(r'([\w-]+)(?:="([^"]*)")?', tag)}
        for tag in re.findall(r"<input\b([^>]*)>", page)
    ]


def _field(page: str, name: str, checked: bool = False) -> str:
    for attrs in _inputs(page):
        if attrs.get("name") == name and attrs.get("value") and ("checked" in attrs or not checked):
            return attrs["value"]
    raise JourneyError(f"no {name}{' ticked' if checked else ''} on the page")


class Visitor:
    """One visitor's browser: a cookie jar, and every request recorded."""

    def __init__(self, base: str, samples: list[Sample]):
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar, _NoRaise())
        self.base, self.url, self.samples = base, base, samples

    def _one(self, url: str, data: list[tuple[str, str]] | None) -> tuple[int, str, str]:
        method = "POST" if data is not None else "GET"
        headers = {"Accept-Encoding": "gzip", "Accept": "text/html"}
        if data is not None:
            headers |= {"Origin": self.base, "Referer": self.url}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        sample = Sample(kind_of(method, urllib.parse.urlsplit(url).path), 0, 0.0, 0.0)
        t0 = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as r:
                raw, sample.status, got = r.read(), r.status, r.headers
        except (OSError, http.client.HTTPException) as e:  # refused, reset, timed out, cut
            raise JourneyError(f"{method} {url}: {type(e).__name__}: {e}") from None
        finally:
            sample.ms, sample.end = (time.perf_counter() - t0) * 1000, time.monotonic()
            self.samples.append(sample)
        if not 200 <= sample.status < 400:
            raise JourneyError(f"{method} {urllib.parse.urlsplit(url).path}: {sample.status}")
        text = gzip.decompress(raw) if got.get("Content-Encoding") == "gzip" else raw
        return sample.status, got.get("Location", ""), text.decode()

    def go(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        """One request and its redirects: the first status and the final page (at self.url)."""
        url = urllib.parse.urljoin(self.url, path)
        first, location, text = self._one(url, data)
        status = first
        for _hop in range(MAX_REDIRECTS + 1):
            if not 300 <= status < 400:
                self.url = url
                return first, text
            url = urllib.parse.urljoin(url, location)
            status, location, text = self._one(url, None)
        raise JourneyError(f"more than {MAX_REDIRECTS} redirects from {path}")

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path


def journey(base: str, answers: examples.Answers, samples: list[Sample], think=lambda: None) -> str:
    """One visitor from /refer to the done page; returns the reference shown there."""
    v = Visitor(base, samples)
    _status, page = v.go(START)
    link = re.search(r'<a class="button" href="([^"]+)"', page)
    if not link:
        raise JourneyError("no Start now link on /refer")
    think()
    _status, page = v.go(html.unescape(link.group(1)))
    for _page in range(MAX_PAGES):
        if v.path == CHECK:
            break
        asked, slug = v.path, v.path.rsplit("/", 1)[-1]
        if slug not in answers:
            raise JourneyError(f"sent to {asked}, a page with no example answers")
        think()
        form = [("csrf_token", _field(page, "csrf_token")), *examples.form_data(answers[slug])]
        status, page = v.go(asked, form)
        if status != 302:  # a valid answer moves on; the page again means it was refused
            raise JourneyError(f"answer to {asked} refused: {status}, now on {v.path}")
    else:
        raise JourneyError(f"more than {MAX_PAGES} question pages")
    form = [(name, _field(page, name)) for name in ("csrf_token", "submission_key")]
    think()
    status, page = v.go(CHECK, [*form, ("organisation", _field(page, "organisation", True))])
    if status != 303 or not v.path.startswith(DONE):
        raise JourneyError(f"send answered {status}, leading to {v.path}")
    reference = urllib.parse.unquote(v.path[len(DONE) :])
    if f'class="reference">{html.escape(reference)}<' not in page:
        raise JourneyError(f"done page for {reference} does not show the reference")
    return reference


def run(
    base: str,
    database_url: str,
    window: float,
    warmup: float,
    users: int = USERS,
    *,
    readers: int = 0,
    reading: Sequence[tuple[float, Sequence[str]]] = (),
    think: tuple[float, float] | None = None,
    grace: float = 30,
    server_cpu: Callable[[], float] = lambda: 0.0,
) -> Result:
    """`users` threads for `warmup` + `window` seconds, the first `readers` reading, the rest
    referring, who then finish their journey (within `grace` seconds). reading: (weight,
    paths) per language, its home page first, then VISIT_PAGES more at random. think:
    (low, high) seconds before each action (and once at the start, out of step)."""
    if not base.startswith("http://127.0.0.1:"):
        raise ValueError("load may only target 127.0.0.1")
    answers = examples.merge(examples.defaults(dt.date.today()), examples.FULL)
    began = time.monotonic()
    r = Result(users, warmup, window, began + warmup, readers, think)
    try:
        r.stored_before, _drafts = read_database(database_url)
    except Exception as e:  # noqa: BLE001 - shown in the report, and the target fails
        r.db_error = f"{type(e).__name__}: {e}"
    deadline, lock, closed = r.window_start + window, threading.Lock(), threading.Event()

    def record(items: list, item) -> None:
        with lock:
            if not closed.is_set():  # a user stuck past the grace period changes nothing
                items.append(item)

    def user(i: int) -> None:
        rng, mine = random.Random(i), []  # the same pauses and pages, run after run

        def pause() -> None:
            if think:
                time.sleep(rng.uniform(*think))

        if think:
            time.sleep(rng.uniform(0, think[1]))
        try:
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                try:
                    if i < readers:
                        with lock:
                            r.visits += 1
                        paths = rng.choices(reading, [w for w, _p in reading])[0][1]
                        v = Visitor(base, mine)
                        for path in [paths[0], *rng.choices(paths[1:], k=VISIT_PAGES)]:
                            if time.monotonic() >= deadline:
                                return
                            v.go(path)
                            pause()
                        continue
                    with lock:
                        r.started += 1
                    reference = journey(base, answers, mine, pause)
                    ms = (time.perf_counter() - t0) * 1000
                    record(r.confirmed, (reference, ms, time.monotonic()))
                except Exception as e:  # noqa: BLE001 - a failed journey or visit, counted
                    record(r.errors, f"{'reading: ' if i < readers else ''}{e}")
                pause()  # before the next journey or visit, a new visitor
        finally:
            for sample in mine:
                record(r.samples, sample)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    time.sleep(max(r.window_start - time.monotonic(), 0))
    cpu = (time.process_time(), server_cpu())
    time.sleep(max(deadline - time.monotonic(), 0))
    r.client_cpu_s, r.server_cpu_s = (
        b - a for a, b in zip(cpu, (time.process_time(), server_cpu()))
    )
    for t in threads:
        t.join(timeout=max(deadline + grace - time.monotonic(), 0))
    with lock:
        closed.set()
        if stuck := sum(t.is_alive() for t in threads):
            r.errors.append(f"{stuck} users still in a journey {grace:.0f} s after the window")
        r.total_s = time.monotonic() - began
        try:
            r.stored_after, r.drafts_left = read_database(database_url)
        except Exception as e:  # noqa: BLE001 - as above
            r.db_error = r.db_error or f"{type(e).__name__}: {e}"
    return r
