"""Every security header, cookie and caching rule, in one place.

- A Content-Security-Policy with no 'unsafe-inline' and no nonces: our one script is a
  file, and the one inline <style> (the area's colours) is allowed by its hash.
  Without a per-request nonce, a public page is the same bytes for everyone, so it
  can be cached (pagecache.py) without weakening the policy.
- Referrer-Policy same-origin: no other site, the quick-exit destination included,
  learns which page the visitor came from, yet our own forms still send a Referer,
  which flask-wtf checks on HTTPS (no-referrer would break every form there).
- frame-ancestors 'none' and X-Frame-Options DENY: nobody can frame the site.
- Only 'self' anywhere: no request leaves for a third party. The partnership's logo is
  served from the site itself, and kept inert (LOGO_CSP, inert_svg).
- Every cookie the site sets is in COOKIES, and is set and expired through this module,
  so its flags are written once. All are HttpOnly (no script of ours reads a cookie) and
  Secure whenever the site forces HTTPS (SESSION_COOKIE_SECURE).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import overload
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

from .extensions import talisman
from .services import kept_forms, preferences, staff_sessions
from .services.areapack import AreaPack

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
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "interest-cohort": "()",
}


@dataclass(frozen=True)
class CookieRule:
    """How one cookie is sent: what a browser needs to keep it to this site's own requests."""

    same_site: str
    http_only: bool = True


SESSION_COOKIE = "ah_session"
COOKIES: dict[str, CookieRule] = {
    # Flask's signed session (the draft's key, the CSRF token). Lax: a visitor following a
    # link here from elsewhere keeps the answers they had started.
    SESSION_COOKIE: CookieRule(same_site="Lax"),
    # The visitor's display preferences (text size, postcode). Lax for the same reason.
    preferences.COOKIE: CookieRule(same_site="Lax"),
    # A member of staff's sign-in token. Strict: never sent on a request another site
    # starts, not even a link, so no other site can act, or be seen acting, as them.
    staff_sessions.COOKIE: CookieRule(same_site="Strict"),
    # A random token for forms kept when no session said whose they were (minutes only).
    kept_forms.COOKIE: CookieRule(same_site="Strict"),
}


def set_cookie(
    response: Response, name: str, value: str, *, max_age: int | None = None
) -> Response:
    """Set one of COOKIES on `response` with its rule's flags (a session cookie without `max_age`)."""
    rule = COOKIES[name]
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=rule.http_only,
        samesite=rule.same_site,
    )
    return response


def expire_cookie(response: Response, name: str) -> Response:
    """Tell the browser to forget `name`: with its rule's flags when it is one of ours,
    bare for any other (the quick exit forgets every cookie the browser sent)."""
    rule = COOKIES.get(name)
    if rule is None:
        response.delete_cookie(name)
    else:
        response.delete_cookie(
            name,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=rule.http_only,
            samesite=rule.same_site,
        )
    return response


def brand_style(pack: AreaPack) -> str:
    """The one inline style: the area's colours as CSS variables (site.css has the rest)."""
    colours = {
        "--brand": pack.brand_colour,
        "--link": pack.link_colour,
        "--link-visited": pack.visited_link_colour,
    }
    return ":root{" + ";".join(f"{name}:{value}" for name, value in colours.items() if value) + "}"


# The logo (public.logo), opened on its own, is a document: it may draw itself with its
# own styles and do nothing more (no script, no request of any kind), in a sandbox that
# nobody can frame. In an <img> a browser runs and fetches nothing anyway, and the pack
# check refuses a logo that would try (services/areapack/svg.py).
LOGO_CSP = {
    "default-src": "'none'",
    "style-src": "'unsafe-inline'",
    "frame-ancestors": "'none'",
    "sandbox": "",
}
inert_image = talisman(content_security_policy=LOGO_CSP)


def inert_svg(svg: bytes, *, versioned: bool) -> Response:
    """The logo as an image of this site's own: SVG, never sniffed as anything else
    (X-Content-Type-Options, as on every response), kept a year at its versioned address
    (a new logo has a new one) and five minutes at any other, for this site's pages only."""
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if versioned else "public, max-age=300"
    )
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    g.own_cache_rule = True
    return response


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def register_security(app: Flask) -> None:
    from .areas import current_pack

    with app.app_context():
        style = brand_style(current_pack())
    csp = dict(CSP, **{"style-src": f"'self' {_csp_hash(style)}"})
    app.jinja_env.globals["brand_style"] = style
    session = COOKIES[SESSION_COOKIE]
    app.config["SESSION_COOKIE_NAME"] = SESSION_COOKIE
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=session.http_only,
        session_cookie_samesite=session.same_site,
        content_security_policy=csp,
        referrer_policy="same-origin",
        frame_options="DENY",
        permissions_policy=PERMISSIONS_POLICY,
    )
    app.after_request(_cache_rules)


@overload
def safe_next(target: str | None, default: str = "/") -> str: ...
@overload
def safe_next(target: str | None, default: None) -> str | None: ...
def safe_next(target: str | None, default: str | None = "/") -> str | None:
    """`target` when it is a path on this site, else `default`: the one rule for every
    "come back here afterwards" value (the text-size links, the portal's sign-in).

    Checked as it arrived, before anything tidies it: Werkzeug and browsers drop tabs and
    line breaks from a Location, so `/<tab>/evil.example/` would leave as `//evil.example/`,
    and a line break in a header is a 500. So any control, format or space character
    refuses the value, and so do a scheme, a host, a backslash (browsers read it as `/`),
    a second leading slash, an empty path segment and a dot segment.
    """
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return default
    if (
        not target.isascii()
        or "\\" in target
        or any(not ch.isprintable() or ch.isspace() for ch in target)
    ):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    # Dot segments and empty ones: a browser resolves "/x/..//evil.example" to
    # "//evil.example" (on this host, but a path no page of ours has).
    if "//" in parts.path or any(seg in (".", "..") for seg in parts.path.split("/")):
        return default
    return target


def mark_sensitive() -> None:
    """Call from a view whose page must never be stored by a browser or proxy."""
    g.sensitive = True


def _cache_rules(response: Response) -> Response:
    if request.endpoint == "static" or g.get("own_cache_rule"):
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
