"""Who is signed in, and what they may reach.

Closed by default: each portal and admin request loads the staff session first and turns
away anyone not signed in, unless the view is marked @open_to_all (the sign-in pages).
Roles are checked by @roles; organisations by the services, which only ever look inside
the caller's organisation (another organisation's referral is "not found", a 404).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError

from . import clock, security
from .extensions import db
from .security import mark_sensitive, safe_next
from .services import kept_forms, staff_sessions
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


def keeps(kind: str) -> Callable:
    """A referral's form (note, contact, status) whose answers are kept when it arrives
    after the session ended, or with a stale CSRF token (services/kept_forms): the person
    signs in again and finds them in the form on the referral's page, not yet saved."""

    def decorate(view: Callable) -> Callable:
        view.keeps = kind  # type: ignore[attr-defined]
        return view

    return decorate


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
    blueprint.register_error_handler(CSRFError, _form_expired)


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
    kind = getattr(view, "keeps", None)
    if kind and request.method == "POST":
        return _keep(kind, found)
    return redirect(url_for("portal.sign_in", next=_come_back_to()))


def _come_back_to() -> str | None:
    """Where to go after signing in: this address, unless it only takes a POST (a button's
    action, such as assigning or accepting): then the referral it is about, or the start,
    never a "page not found"."""
    rule = request.url_rule
    if rule is not None and "GET" not in (rule.methods or set()):
        reference = (request.view_args or {}).get("reference")
        if reference:
            return url_for("portal.referral", reference=reference)
        return url_for("portal.home")
    here = (request.script_root + request.full_path).rstrip("?")
    return safe_next(here, default=None)


MARK = "staff_mark"  # in the signed session: a keyed hash of who last signed in here


def mark_key() -> bytes:
    import hashlib

    return hashlib.sha256(b"kept:" + current_app.config["SECRET_KEY"].encode()).digest()


def _keep(kind: str, found: staff_sessions.Found):
    """Keep what a referral's form sent (services/kept_forms) and go where it comes back:
    the referral's page, through signing in when the session is over. Never the form's
    own address, which only takes a POST."""
    reference = str((request.view_args or {}).get("reference", ""))
    who = found.user or found.was
    stored = session.get(MARK)
    token = kept_forms.keep(
        db.session,
        keyring(),
        kind=kind,
        reference=reference,
        form=request.form.to_dict(),
        user=who,
        browser_mark=stored if isinstance(stored, str) and who is None else None,
        now=clock.now(),
    )
    db.commit()
    page = url_for("portal.referral", reference=reference)
    if found.user is not None:
        return redirect(page, 303)
    response = make_response(redirect(url_for("portal.sign_in", next=page), 303))
    if token:
        security.set_cookie(
            response, kept_forms.COOKIE, token, max_age=int(kept_forms.KEEP_FOR.total_seconds())
        )
    return response


def _form_expired(_error):
    """A stale CSRF token (the page sat open across a sign-out, or the browser's session was
    lost): a referral's form is kept as after a timeout; any other form gets the kind
    "form expired" page."""
    mark_sensitive()
    view = current_app.view_functions.get(request.endpoint or "")
    kind = getattr(view, "keeps", None)
    if not kind or request.method != "POST":
        return render_template("errors/form-expired.html"), 400
    found = staff_sessions.resume(db.session, request.cookies.get(COOKIE), clock.now(), limits())
    return _keep(kind, found)


def claim_kept(user) -> None:
    """At sign-in: remember who signed in in this browser (a keyed hash), and make forms
    kept here while nobody could be told apart theirs, if they were (the caller commits)."""
    mark = kept_forms.mark(mark_key(), user)
    session[MARK] = mark
    kept_forms.claim(db.session, request.cookies.get(kept_forms.COOKIE), user, mark, clock.now())


def set_cookie(response, token: str):
    return security.set_cookie(response, COOKIE, token)


def clear_cookie(response):
    return security.expire_cookie(response, COOKIE)


def keyring():
    return current_app.extensions["againsthate.keyring"]


def landing() -> str:
    """Where a member of staff starts: administrators their overview, others the inbox."""
    return url_for("admin.home") if g.staff.role == "admin" else url_for("portal.inbox")
