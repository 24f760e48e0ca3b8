"""The public information site: thin views over the area pack and content services."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError

from .. import clock
from ..areas import current_pack
from ..extensions import db
from ..security import (
    expire_cookie,
    inert_image,
    inert_svg,
    mark_sensitive,
    safe_next,
    set_cookie,
)
from ..services import content, drafts, staff_sessions
from ..services.areapack import nearest_places
from ..services.postcodes import outward_code
from ..services.preferences import COOKIE, REMEMBER_DAYS, TEXT_SIZES, Preferences
from .blueprint import bp
from .forms import FilterForm, SettingsForm

SIMPLE_PAGES = {
    "/what-is-hate-crime": "what-is-hate-crime",
    "/report": "report",
    "/witness": "witness",
    "/restorative-justice": "restorative-justice",
    "/staying-safe": "staying-safe",
    "/accessibility": "accessibility",
    "/privacy": "privacy",
    "/cookies": "cookies",
    "/contact": "contact",
}


def _simple_page(template: str):
    def view():
        return render_template(f"public/{template}.html")

    view.__name__ = template.replace("-", "_")
    return view


for _url, _template in SIMPLE_PAGES.items():
    bp.add_url_rule(_url, view_func=_simple_page(_template))


@bp.get("/")
def home():
    return render_template(
        "public/home.html", news=content.latest_news(db.session, current_pack().slug, limit=2)
    )


def _filter_form(endpoint: str) -> tuple[FilterForm, str | None, object | None]:
    """Read the filter; a full postcode is cut to its outward code and the URL tidied."""
    form = FilterForm(request.args, meta={"csrf": False})
    valid = form.validate() if request.args else True
    district = outward_code(form.postcode.data) if valid and form.postcode.data else None
    if district and form.postcode.data.strip().upper() != district:
        # Keep the full postcode out of the address bar and the browser history.
        args: dict[str, Any] = request.args.to_dict()
        args["postcode"] = district
        return form, district, redirect(url_for(endpoint, **args))
    if district is None and valid and not form.postcode.data:
        district = g.prefs.district
    return form, district, None


@bp.get("/support")
def support():
    form, district, tidy = _filter_form("public.support")
    if tidy:
        return tidy
    pack = current_pack()
    characteristic = form.characteristic.data or None
    organisations = [
        org
        for org in pack.organisations
        if (characteristic is None or characteristic in org.characteristics)
        and org.serves_district(district if district and pack.covers(district) else None)
    ]
    return render_template(
        "public/support.html",
        form=form,
        district=district,
        characteristic=characteristic,
        organisations=organisations,
    )


@bp.get("/support/<slug:slug>")
def organisation(slug: str):
    org = current_pack().organisation(slug)
    if org is None:
        abort(404)
    return render_template("public/organisation.html", org=org)


@bp.get("/places")
def places():
    form, district, tidy = _filter_form("public.places")
    if tidy:
        return tidy
    return render_template(
        "public/places.html",
        form=form,
        district=district,
        places=nearest_places(current_pack(), district),
    )


@bp.get("/news")
def news():
    return render_template(
        "public/news.html", items=content.latest_news(db.session, current_pack().slug)
    )


@bp.get("/news/<slug:slug>")
def news_item(slug: str):
    item = content.news_item(db.session, slug, current_pack().slug)
    if item is None:
        abort(404)
    return render_template("public/news-item.html", item=item)


@bp.get("/events")
def events():
    return render_template(
        "public/events.html",
        events=content.upcoming_events(db.session, clock.today(), current_pack().slug),
    )


def _with_preferences(response, prefs: Preferences):
    if prefs.is_default and not prefs.remember:
        return expire_cookie(response, COOKIE)
    return set_cookie(
        response, COOKIE, prefs.encode(), max_age=REMEMBER_DAYS * 86400 if prefs.remember else None
    )


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    mark_sensitive()
    prefs = g.prefs
    form = SettingsForm(
        text_size=prefs.text_size, postcode=prefs.district or "", remember=prefs.remember
    )
    if form.validate_on_submit():
        new = Preferences(
            text_size=form.text_size.data if form.text_size.data in TEXT_SIZES else "default",
            district=outward_code(form.postcode.data or ""),
            remember=bool(form.remember.data),
        )
        response = redirect(url_for("public.settings", saved=1))
        return _with_preferences(response, new)
    pack = current_pack()
    district = prefs.district
    return render_template(
        "public/settings.html",
        form=form,
        saved="saved" in request.args,
        outside=bool(district and not pack.covers(district)),
    )


@bp.get("/settings/text-size/<slug:size>")
def text_size(size: str):
    """The header's text-size links: works with no JavaScript and no form.

    It changes state on GET, so its answer is never stored (a browser or proxy replaying
    it would skip setting the cookie). It stays a link rather than a form: the only state
    is the visitor's own display preference, so another site sending someone here can do
    no more than change their text size, and links keep the menu simple to use."""
    mark_sensitive()
    if size not in TEXT_SIZES:
        abort(404)
    prefs = g.prefs
    new = Preferences(text_size=size, district=prefs.district, remember=prefs.remember)
    return _with_preferences(
        redirect(safe_next(request.args.get("next"), url_for("public.home"))), new
    )


@bp.get("/exit")
def exit():
    """Quick exit without JavaScript: forget everything we set, then go somewhere neutral."""
    mark_sensitive()
    drafts.discard(db.session, session.get(drafts.SESSION_KEY))  # answers in progress go at once
    # A member of staff leaving in a hurry is signed out on the server too, not just forgotten.
    staff_sessions.end(
        db.session, request.cookies.get(staff_sessions.COOKIE), clock.now(), reason="quick_exit"
    )
    db.commit()
    session.clear()
    response = make_response(redirect(current_pack().quick_exit_url, code=303))
    for name in request.cookies:
        expire_cookie(response, name)
    # "cache" also evicts this site's pages from the browser's back/forward cache.
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@bp.get("/logo.svg")
@inert_image
def logo():
    """The partnership's logo, as the pack check read it; `v` is its version (templating)."""
    logo = current_pack().logo
    if logo is None:
        abort(404)
    return inert_svg(logo.svg, versioned=request.args.get("v") == logo.version)


@bp.get("/healthz")
def healthz():
    """For the proxy and monitoring: 200 when this worker can reach the database."""
    mark_sensitive()
    try:
        db.session.execute(text("SELECT 1"))
    except (OperationalError, InterfaceError):
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}
