"""Who is signed in, and what they may reach.

Closed by default: each portal and admin request loads the staff session first and turns
away anyone not signed in, unless the view is marked @open_to_all (the sign-in pages).
Roles are checked by @roles; organisations by the services, which only ever look inside
the caller's organisation (another organisation's referral is "not found", a 404).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for

from . import clock, security
from .extensions import db
from .security import mark_sensitive, safe_next
from .services import staff_sessions
from .services.accounts import Policy

COOKIE = staff_sessions.COOKIE

# Why a session ended, as the sign-in page says it.
ENDED = {
    "idle",
    "too_long",
    "signed_out",
    "password_changed",
    "password_reset",
    "removed",
    "unknown",
    "ended",
}


def open_to_all(view: Callable) -> Callable:
    view.open_to_all = True  # type: ignore[attr-defined]
    return view


def roles(*allowed: str) -> Callable:
    """Only these roles; others get 404, so a route's existence is not confirmed either."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.staff.role not in allowed:
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def policy() -> Policy:
    config = current_app.config
    return Policy(
        lockout_attempts=config["LOCKOUT_ATTEMPTS"],
        lockout_minutes=config["LOCKOUT_MINUTES"],
        invite_hours=config["INVITE_HOURS"],
        reset_minutes=config["RESET_MINUTES"],
        reset_emails_per_hour=config["RESET_EMAILS_PER_HOUR"],
    )


def place() -> str:
    """Where a request comes from, as the rate limits see it: a keyed hash of the address."""
    from .extensions import hashed_client_address

    return hashed_client_address()


def address_key() -> bytes:
    """A key for hashing email addresses kept briefly (reset requests): from SECRET_KEY."""
    import hashlib

    return hashlib.sha256(b"address:" + current_app.config["SECRET_KEY"].encode()).digest()


def limits() -> staff_sessions.Limits:
    import datetime as dt

    config = current_app.config
    return staff_sessions.Limits(
        idle=dt.timedelta(minutes=config["STAFF_IDLE_MINUTES"]),
        longest=dt.timedelta(hours=config["STAFF_SESSION_HOURS"]),
    )


def protect(blueprint: Blueprint) -> None:
    """Install the sign-in check on a blueprint (portal and admin both use it)."""
    blueprint.before_request(_load_staff)


def _load_staff():
    mark_sensitive()
    g.staff = None
    view = current_app.view_functions.get(request.endpoint or "")
    found = staff_sessions.resume(db.session, request.cookies.get(COOKIE), clock.now(), limits())
    db.commit()  # a session ended, or seen, stays so whatever the view does next
    g.staff = found.user
    if found.user is not None or getattr(view, "open_to_all", False):
        return None
    if found.ended in ENDED:
        flash(found.ended, "session_ended")
    here = (request.script_root + request.full_path).rstrip("?")
    return redirect(url_for("portal.sign_in", next=safe_next(here, default=None)))


def set_cookie(response, token: str):
    return security.set_cookie(response, COOKIE, token)


def clear_cookie(response):
    return security.expire_cookie(response, COOKIE)


def keyring():
    return current_app.extensions["againsthate.keyring"]


def landing() -> str:
    """Where a member of staff starts: administrators their overview, others the inbox."""
    return url_for("admin.home") if g.staff.role == "admin" else url_for("portal.inbox")
