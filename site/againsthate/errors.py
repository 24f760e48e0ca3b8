"""Kind error pages. Each one repeats the phone numbers, because a person in need
who meets an error must still find another way to get help."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from .security import mark_sensitive


def _page(template: str, status: int):
    def handler(_error):
        mark_sensitive()
        return render_template(f"errors/{template}.html"), status

    return handler


def register_errors(app: Flask) -> None:
    app.register_error_handler(404, _page("not-found", 404))
    app.register_error_handler(405, _page("not-found", 405))
    app.register_error_handler(429, _page("too-many-requests", 429))
    app.register_error_handler(500, _page("server-error", 500))
    app.register_error_handler(CSRFError, _page("form-expired", 400))
