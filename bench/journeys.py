"""The whole self-referral journey under load: virtual users who each, again and again,
open /refer, answer every question page, check their answers and send them.

A small client of our own (wrk cannot carry a session, read a form or follow a journey
that the server steers), standard library only:

- each journey is a new visitor, with its own cookie jar (`http.cookiejar`), so the
  signed session cookie and its CSRF token go back as a browser would send them;
- every question page is fetched, its `csrf_token` read from the form, and the answers
  for that page posted (the answers are those of a full journey: dated incident, a
  place with a postcode, two characteristics, passed on to the police, contact by
  phone and email with safety preferences, language needs, a confirmation email);
- redirects are followed one by one, as a browser does (a GET to each Location), and
  timed as requests of their own. The client never decides the order of the pages:
  it answers whichever page the server sends it to, until it lands on /refer/check;
- the check page's `csrf_token`, `submission_key` and the organisation ticked by
  default are posted to Send, which must answer 303 to /refer/done/<reference>; that
  page must answer 200 and show the reference. Only then is the journey *confirmed*.

Like a browser, it asks for gzip (and decompresses). It fetches HTML only: a browser
would also fetch the CSS, script and images, but once, from its cache, after the
first page. gunicorn's sync workers close each connection, so every request is a new
connection, as it is for wrk.

Each user stops starting journeys at the deadline and finishes the one under way; the
figures are taken over the whole time, from the first request to the last answer.

`run` also drives the mixed load of bench/mixed.py: some of the users are *readers*
instead, who visit a few content pages each (a new visitor a visit), and every user
may pause between the things they do (think time: reading a page, filling a form). A
redirect is followed at once, as a browser does: only a person's own actions wait.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import http.client
import http.cookiejar
import math
import random
import re
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import noise

USERS = 8  # concurrent virtual users (threads)
TIMEOUT = 10  # seconds, a request
MAX_REDIRECTS = 10  # a chain longer than this is a loop: an error
MAX_PAGES = 40  # question pages in one journey; more means the journey loops
GRACE = 30  # seconds after the deadline to finish journeys under way
VISIT_PAGES = 4  # a reader's pages after the home page, in one visit

START, CHECK, DONE = "/refer", "/refer/check", "/refer/done/"

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([\w-]+)(?:\s*=\s*"([^"]*)")?')
_START_LINK = re.compile(r'<a class="button" href="([^"]+)"')


def answers_by_page(today: dt.date) -> dict[str, list[tuple[str, str]]]:
    """What a visitor types on each question page, by its slug (as /tmp/journey.py)."""
    day = today - dt.timedelta(days=30)  # a past date, whatever the machine's clock says
    return {
        "who": [("who", "self")],
        "what": [
            (
                "what",
                (
                    "Two men shouted at me at the bus stop on the high street.\r\n"
                    "They called me names because of my headscarf and my wheelchair, "
                    "and one of them spat at me. It was the third time this month."
                ),
            )
        ],
        "when": [("when", "date")],
        "when-date": [
            ("when_day", str(day.day)),
            ("when_month", str(day.month)),
            ("when_year", str(day.year)),
        ],
        "where": [("where", "place")],
        "where-place": [("where_postcode", "DE22 1AB"), ("where_place", "bus stop")],
        "about": [("about", "disability"), ("about", "religion")],
        "religion": [("religion", "muslim")],
        "police": [("police", "pass_on")],
        "police-consent": [("pass_on_consent", "y")],
        "help": [("help", "emotional_support")],
        "contact": [("contact", "yes")],
        "contact-details": [
            ("name", "Sam"),
            ("methods", "phone"),
            ("methods", "email"),
            ("phone", "07700 900982"),
            ("email", "sam@example.org"),
        ],
        "contact-safety": [
            ("phone_message", "no"),
            ("phone_times", "10-2"),
            ("phone_say_who", "no"),
            ("email_say_who", "yes"),
        ],
        "needs": [("language", "Polish"), ("interpreter", "yes")],
        "heard": [("heard", "bus")],
        "consent": [("consent", "y"), ("confirmation", "y")],
    }


# What each request of a journey is, for the per-kind latency table.
KINDS = {  # Markdown, for the report
    "start": "`GET /refer` (start page)",
    "question": "`GET` a question page",
    "answer": "`POST` an answer (302 to the next page)",
    "check": "`GET /refer/check` (check your answers)",
    "send": "`POST /refer/check` (Send, 303)",
    "done": "`GET /refer/done/<reference>`",
    "page": "`GET` a content page (readers)",
    "other": "anything else",
}


def kind_of(method: str, path: str) -> str:
    if path == START:
        return "start"
    if path == CHECK:
        return "send" if method == "POST" else "check"
    if path.startswith(DONE):
        return "done"
    if path.startswith(START + "/"):
        return "answer" if method == "POST" else "question"
    return "page" if method == "GET" else "other"


@dataclass
class Sample:
    kind: str  # a key of KINDS
    status: int  # 0: no answer (refused, reset, timed out)
    ms: float
    end: float  # time.monotonic() when the answer was in


@dataclass
class Journey:
    reference: str
    ms: float
    end: float  # time.monotonic() when the done page was in


@dataclass
class JourneyResult:
    """A run: a warm-up, then the measured window; users then finish their journey.

    Throughput and latency are over the window only (what ended inside it), when every
    user is busy and their journeys are out of step; errors and `confirmed` are over
    the whole run, as is what the database must hold."""

    users: int
    warmup: float  # seconds before the window
    window: float  # seconds measured
    confirmed: list[Journey]  # every journey whose done page showed its reference
    samples: list[Sample]  # every request, of failed journeys too
    errors: list[str]  # one line per failed journey
    window_start: float  # time.monotonic()
    client_cpu_s: float = 0.0  # this process (the client) during the window
    server_cpu_s: float = 0.0  # the site's workers during the window
    started: int = 0  # journeys begun
    total_s: float = 0.0  # the whole run, warm-up and finishing included
    readers: int = 0  # of the users, how many read pages (the rest refer)
    visits: int = 0  # readers' visits begun
    think: tuple[float, float] | None = None  # seconds a user waits between actions

    def _in_window(self, end: float) -> bool:
        return self.window_start <= end < self.window_start + self.window

    @property
    def journeys(self) -> list[Journey]:
        return [j for j in self.confirmed if self._in_window(j.end)]

    @property
    def requests(self) -> list[Sample]:
        return [s for s in self.samples if self._in_window(s.end)]

    @property
    def journeys_per_s(self) -> float:
        return len(self.journeys) / self.window

    @property
    def requests_per_s(self) -> float:
        return len(self.requests) / self.window

    def journey_ms(self) -> list[float]:
        return [j.ms for j in self.journeys]

    def request_ms(self, kind: str | None = None) -> list[float]:
        return [s.ms for s in self.requests if kind is None or s.kind == kind]

    def reader_ms(self, reading: bool = True) -> list[float]:
        """Requests in the window of readers (content pages) or, False, of referrers."""
        return [s.ms for s in self.requests if (s.kind == "page") == reading]

    @property
    def bad_statuses(self) -> list[Sample]:
        """Every response that was not 2xx or 3xx (or no response), the whole run."""
        return [s for s in self.samples if not 200 <= s.status < 400]


class JourneyError(Exception):
    pass


class _NoRaise(urllib.request.HTTPErrorProcessor):
    """Hand back every response as it is: redirects and errors are ours to handle."""

    def http_response(self, request, response):
        return response

    https_response = http_response


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


def _inputs(page: str) -> list[dict[str, str]]:
    return [
        {k.lower(): html.unescape(v or "") for k, v in _ATTR.findall(tag[6:-1])}
        for tag in _INPUT.findall(page)
    ]


def _field(page: str, name: str, where: str) -> str:
    for attrs in _inputs(page):
        if attrs.get("name") == name and attrs.get("value"):
            return attrs["value"]
    raise JourneyError(f"no {name} on {where}")


def _checked_organisation(page: str) -> str:
    """What a browser sends: the radio ticked by default (the suggestion)."""
    for attrs in _inputs(page):
        if attrs.get("name") == "organisation" and "checked" in attrs:
            return attrs["value"]
    raise JourneyError("no organisation ticked on the check page")


class Visitor:
    """One journey's browser: a cookie jar, and every request recorded."""

    def __init__(self, base: str, samples: list[Sample]):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRaise()
        )
        self.samples = samples
        self.url = base

    def _one(self, url: str, data: list[tuple[str, str]] | None) -> tuple[int, str, str]:
        method = "POST" if data is not None else "GET"
        kind = kind_of(method, urllib.parse.urlsplit(url).path)
        headers = {"Accept-Encoding": "gzip", "Accept": "text/html"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.base,
                    "Referer": self.url,
                }
            )
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        t0 = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as r:
                raw = r.read()
                status, location = r.status, r.headers.get("Location", "")
                encoding = r.headers.get("Content-Encoding", "")
        except (OSError, http.client.HTTPException) as e:  # refused, reset, timed out, cut
            self.samples.append(
                Sample(kind, 0, (time.perf_counter() - t0) * 1000, time.monotonic())
            )
            raise JourneyError(f"{method} {url}: {type(e).__name__}: {e}") from None
        self.samples.append(
            Sample(kind, status, (time.perf_counter() - t0) * 1000, time.monotonic())
        )
        if not 200 <= status < 400:
            raise JourneyError(f"{method} {urllib.parse.urlsplit(url).path}: status {status}")
        text = (gzip.decompress(raw) if encoding == "gzip" else raw).decode("utf-8")
        return status, location, text

    def go(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        """One request, then its redirects as a browser follows them (GET each Location).

        Returns the first response's status and the final page; self.url is its address."""
        url = urllib.parse.urljoin(self.url, path)
        first, location, text = self._one(url, data)
        status, hops = first, 0
        while 300 <= status < 400:
            if not location:
                raise JourneyError(f"{status} without a Location from {url}")
            if hops == MAX_REDIRECTS:
                raise JourneyError(f"more than {MAX_REDIRECTS} redirects from {path}")
            url, hops = urllib.parse.urljoin(url, location), hops + 1
            status, location, text = self._one(url, None)
        self.url = url
        return first, text

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path


def journey(
    base: str,
    answers: dict[str, list[tuple[str, str]]],
    samples: list[Sample],
    think: Callable[[], object] = lambda: None,
) -> str:
    """One visitor from /refer to the done page; returns the reference shown there.

    think: called before each of the visitor's own actions after the first (a link
    followed, a form sent), never between a redirect and its Location."""
    v = Visitor(base, samples)
    _status, page = v.go(START)
    link = _START_LINK.search(page)
    if not link:
        raise JourneyError("no Start now link on /refer")
    think()
    _status, page = v.go(html.unescape(link.group(1)))
    for _page in range(MAX_PAGES):
        if v.path == CHECK:
            break
        slug = v.path.rsplit("/", 1)[-1]
        if slug not in answers:
            raise JourneyError(f"sent to {v.path}, a page the client has no answers for")
        asked = v.path
        think()
        status, page = v.go(
            asked, [("csrf_token", _field(page, "csrf_token", asked)), *answers[slug]]
        )
        if status != 302:  # a valid answer moves on; the page again means it was refused
            raise JourneyError(f"answer to {asked} refused: {status}, now on {v.path}")
    else:
        raise JourneyError(f"more than {MAX_PAGES} question pages")
    # On the check page, where the last answer's redirect led.
    form = [
        ("csrf_token", _field(page, "csrf_token", CHECK)),
        ("submission_key", _field(page, "submission_key", CHECK)),
        ("organisation", _checked_organisation(page)),
    ]
    think()
    status, page = v.go(CHECK, form)
    if status != 303:
        raise JourneyError(f"send answered {status}, not 303")
    if not v.path.startswith(DONE):
        raise JourneyError(f"send led to {v.path}, not {DONE}<reference>")
    reference = urllib.parse.unquote(v.path[len(DONE) :])
    if f'class="reference">{html.escape(reference)}<' not in page:
        raise JourneyError(f"done page for {reference} does not show the reference")
    return reference


def run(
    base: str,
    window: float,
    warmup: float,
    users: int = USERS,
    server_pids: Sequence[int] = (),
    *,
    readers: int = 0,
    reading: Sequence[tuple[float, Sequence[str]]] = (),
    think: tuple[float, float] | None = None,
    grace: float = GRACE,
    server_cpu: Callable[[], float] | None = None,
) -> JourneyResult:
    """`users` threads, `readers` of them reading and the rest referring, for `warmup` +
    `window` seconds; then each referrer finishes the journey under way (at most `grace`
    seconds more) and stops, and each reader stops at once.

    reading: (weight, paths) per language, the first path its home page. A reader's
    visit picks a language by weight, opens its home page, then reads VISIT_PAGES more
    of its pages at random; then a new visit, as a new visitor.
    think: (low, high): a user waits a uniformly random time in that range, in seconds,
    before each of their actions after the first of a visit or journey (and, once,
    before their very first, so users do not start in step). None: no waiting.
    server_cpu: CPU-seconds of the server so far (default: of `server_pids`)."""
    if not base.startswith("http://127.0.0.1:"):
        raise ValueError("load may only target 127.0.0.1")
    if readers and not reading:
        raise ValueError("readers need pages to read")
    cpu_of_server = server_cpu or (lambda: noise.cpu_seconds(server_pids))
    answers = answers_by_page(dt.date.today())
    lock = threading.Lock()
    confirmed: list[Journey] = []
    samples: list[Sample] = []
    errors: list[str] = []
    started, visits = [0], [0]
    began = time.monotonic()
    window_start = began + warmup
    deadline = window_start + window
    weights = [w for w, _paths in reading]

    def referrer(pause: Callable[[], object], mine: list[Sample]) -> None:
        while time.monotonic() < deadline:
            with lock:
                started[0] += 1
            t0 = time.perf_counter()
            try:
                reference = journey(base, answers, mine, pause)
            except JourneyError as e:
                with lock:
                    errors.append(str(e))
            except Exception as e:  # noqa: BLE001 - a page we could not read: a failure too
                with lock:
                    errors.append(f"{type(e).__name__}: {e}")
            else:
                with lock:
                    confirmed.append(
                        Journey(reference, (time.perf_counter() - t0) * 1000, time.monotonic())
                    )
            pause()  # before the next journey, a new visitor

    def reader(pause: Callable[[], object], mine: list[Sample], rng: random.Random) -> None:
        while time.monotonic() < deadline:
            with lock:
                visits[0] += 1
            paths = rng.choices(reading, weights)[0][1]
            v = Visitor(base, mine)
            for path in [paths[0], *rng.choices(paths[1:], k=VISIT_PAGES)]:
                if time.monotonic() >= deadline:
                    return
                try:
                    v.go(path)
                except JourneyError as e:
                    with lock:
                        errors.append(f"reading: {e}")
                    break
                except Exception as e:  # noqa: BLE001 - a page we could not read: a failure too
                    with lock:
                        errors.append(f"reading {path}: {type(e).__name__}: {e}")
                    break
                pause()

    def user(i: int) -> None:
        rng = random.Random(i)  # the same pauses and pages, run after run
        mine: list[Sample] = []

        def pause() -> None:
            if think:
                time.sleep(rng.uniform(*think))

        try:
            if think:
                time.sleep(rng.uniform(0, think[1]))
            if i < readers:
                reader(pause, mine, rng)
            else:
                referrer(pause, mine)
        finally:
            with lock:
                samples.extend(mine)

    threads = [
        threading.Thread(target=user, args=(i,), name=f"user-{i}", daemon=True)
        for i in range(users)
    ]
    for t in threads:
        t.start()
    time.sleep(max(window_start - time.monotonic(), 0))
    cpu = (time.process_time(), cpu_of_server())
    time.sleep(max(deadline - time.monotonic(), 0))
    client_cpu, server_cpu_s = (b - a for a, b in zip(cpu, (time.process_time(), cpu_of_server())))
    for t in threads:
        t.join(timeout=max(deadline + grace - time.monotonic(), 0))
    stuck = sum(t.is_alive() for t in threads)
    with lock:
        if stuck:
            errors.append(f"{stuck} users still in a journey {grace:.0f} s after the window")
        return JourneyResult(
            users=users,
            warmup=warmup,
            window=window,
            confirmed=list(confirmed),
            samples=list(samples),
            errors=list(errors),
            window_start=window_start,
            client_cpu_s=client_cpu,
            server_cpu_s=server_cpu_s,
            started=started[0],
            total_s=time.monotonic() - began,
            readers=readers,
            visits=visits[0],
            think=think,
        )


def _rows(database: Path | str, sql: str) -> list[tuple]:
    """database: the bench's SQLite file (opened read-only), or a PostgreSQL URL
    (`postgresql+psycopg://...`, as the site's DATABASE_URL)."""
    if isinstance(database, Path):
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql).fetchall()
    import psycopg  # only the PostgreSQL runs need it

    with psycopg.connect(database.replace("+psycopg", "", 1), connect_timeout=10) as conn:
        return conn.execute(sql).fetchall()


def stored_references(database: Path | str) -> list[str]:
    """The references of the referral rows in the bench's database (see _rows)."""
    return [row[0] for row in _rows(database, "SELECT reference FROM referral")]


def drafts_left(database: Path | str) -> int:
    return _rows(database, "SELECT count(*) FROM draft")[0][0]


class StoredCheck:
    """Stored = confirmed, for a result with `run` (a JourneyResult) and the referral
    references read before (`stored_before`) and after (`stored_after`) it."""

    run: JourneyResult
    stored_before: list[str] | None
    stored_after: list[str] | None

    @property
    def stored(self) -> list[str] | None:
        """The referrals the run added."""
        if self.stored_before is None or self.stored_after is None:
            return None
        before = set(self.stored_before)
        return [r for r in self.stored_after if r not in before]

    @property
    def stored_matches(self) -> bool:
        """The same count, and the very references the client saw."""
        confirmed = sorted(j.reference for j in self.run.confirmed)
        return self.stored is not None and sorted(self.stored) == confirmed
