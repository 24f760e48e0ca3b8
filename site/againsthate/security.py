"""Every security header and caching rule, in one place.

- A Content-Security-Policy with no 'unsafe-inline': our one script is a file; the one
  inline <style> (the area's brand colour) carries a per-request nonce.
- Referrer-Policy same-origin: no other site, the quick-exit destination included,
  learns which page the visitor came from, yet our own forms still send a Referer,
  which flask-wtf checks on HTTPS (no-referrer would break every form there).
- frame-ancestors 'none' and X-Frame-Options DENY: nobody can frame the site.
- Only 'self' anywhere: no request leaves for a third party.
"""
from __future__ import annotations

from flask import Flask, Response, g, request

from .extensions import talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}

PERMISSIONS_POLICY = {
    "camera": "()", "microphone": "()", "geolocation": "()", "interest-cohort": "()",
}


def register_security(app: Flask) -> None:
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src", "style-src"],
        referrer_policy="same-origin",
        frame_options="DENY",
        permissions_policy=PERMISSIONS_POLICY,
    )
    app.after_request(_cache_rules)


def mark_sensitive() -> None:
    """Call from a view whose page must never be stored by a browser or proxy."""
    g.sensitive = True


def _cache_rules(response: Response) -> Response:
    if request.endpoint == "static":
        return response
    if g.get("sensitive") or response.status_code >= 400 or request.method != "GET":
        response.headers["Cache-Control"] = "no-store"
    elif request.cookies:
        # Personalised by the visitor's own cookies: never shared, never kept.
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers.setdefault("Cache-Control", "public, max-age=300")
    response.vary.add("Cookie")
    if request.environ.get("againsthate.lang") is None:
        response.vary.add("Accept-Language")  # unprefixed pages offer a language match
    return response
