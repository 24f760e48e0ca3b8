"""Kind error pages. Each one repeats the phone numbers, because a person in need
who meets an error must still find another way to get help."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError

from .security import mark_sensitive


def _page(template: str, status: int):
    def handler(_error):
        mark_sensitive()
        return render_template(f"errors/{template}.html"), status

    return handler


def _database_unavailable(_error):
    """The database went away (a restart, a network break): a kind page and 503, which
    tells a proxy or a monitor it is passing. Nothing half-done was committed; the pool
    replaces dropped connections, so the next request works once the database is back."""
    from .extensions import db

    db.session.rollback()
    current_app.logger.exception("database unavailable")
    mark_sensitive()
    return render_template("errors/server-error.html"), 503, {"Retry-After": "30"}


def register_errors(app: Flask) -> None:
    app.register_error_handler(404, _page("not-found", 404))
    app.register_error_handler(405, _page("not-found", 405))
    app.register_error_handler(413, _page("too-large", 413))
    app.register_error_handler(429, _page("too-many-requests", 429))
    app.register_error_handler(500, _page("server-error", 500))
    app.register_error_handler(CSRFError, _page("form-expired", 400))
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
