"""Structured logs, one JSON object a line, with no personal data in them.

What a line may hold is decided here, not at each call: a request line names the
route's pattern (`/portal/referrals/<reference>`, never the reference itself), the
method, status, language and time taken. It never holds the client's address, the
query string, the user agent, a cookie, a referrer or anything typed into a form.
SQL parameters are hidden from database errors by the engine (db.make_engine).

The people this site serves may be identified by where they connect from; a log is
kept and copied far more casually than a database, so it holds nothing to identify
them by.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import traceback

from flask import Flask, g, request

REQUEST_LOGGER = "againsthate.request"
# Attributes every LogRecord has; anything else on a record was passed as `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_CONVERTER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def route_pattern() -> str | None:
    """The matched route as `/portal/referrals/<reference>`: its variables' names, never
    their values (nor the converters, which would only make the lines longer)."""
    rule = request.url_rule
    return _CONVERTER.sub(r"<\1>", rule.rule) if rule is not None else None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[0]:
            # The exception's type and where it was raised: not its message, nor the
            # source lines, which can carry the values that caused it.
            kind, _error, trace = record.exc_info
            line["error"] = f"{kind.__module__}.{kind.__qualname__}"
            line["trace"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(trace)
            ]
        return json.dumps(line, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is written, not when the handler was
    made: a process may swap it (gunicorn's daemon mode, a test's capture)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


class Site(Flask):
    """Flask, but an unhandled error is logged with the route's pattern: Flask's own line
    ("Exception on /portal/referrals/27Y8-7GQG [GET]") would put a reference, or an
    invitation or reset token, in the log."""

    def log_exception(self, exc_info) -> None:
        where = route_pattern() or "an unmatched address"
        self.logger.error(f"Exception on {where} [{request.method}]", exc_info=exc_info)


def configure(app: Flask) -> None:
    """JSON lines on stderr in production (LOG_FORMAT=json), plain text in development."""
    if app.config["LOG_FORMAT"] == "json":
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(app.config["LOG_LEVEL"])
        app.logger.handlers.clear()  # Flask's own handler would print a second, plain line
        app.logger.propagate = True
        logging.getLogger("werkzeug").disabled = True  # its lines hold the client address
    if app.config["LOG_REQUESTS"]:
        app.before_request(_started)
        app.after_request(_log_request)


def _started() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    logging.getLogger(REQUEST_LOGGER).info(
        "request",
        extra={
            "method": request.method,
            "route": route_pattern(),
            "status": response.status_code,
            "lang": request.environ.get("againsthate.lang"),
            "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        },
    )
    return response
