"""What every template can use: the pack, the language, preferences, asset URLs."""
from __future__ import annotations

import hashlib
from functools import cache

from flask import Flask, g, request
from flask_babel import force_locale, format_date, gettext
from markupsafe import Markup

from . import i18n
from .areas import current_pack
from .paths import STATIC
from .services.preferences import COOKIE, Preferences
from .services.vocabulary import CHARACTERISTICS, OUTCOMES, PLACE_KINDS, ROLES, SERVICES, STATUSES


@cache
def _fingerprint(filename: str) -> str:
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:10]


def asset(filename: str) -> str:
    """A static file's URL without the language prefix, so one cached copy serves all languages."""
    return f"{i18n.site_root()}/static/{filename}?v={_fingerprint(filename)}"


def tel(number: str) -> Markup:
    """A phone number as a link people can tap, keeping the spaces that make it readable."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return Markup('<a class="phone" href="tel:{0}">{1}</a>').format(digits, i18n.ltr(number))


def load_preferences() -> None:
    g.prefs = Preferences.decode(request.cookies.get(COOKIE))


def register_templating(app: Flask) -> None:
    app.before_request(load_preferences)
    app.jinja_env.globals.update(
        asset=asset,
        tel=tel,
        ltr=i18n.ltr,
        path_in=i18n.path_in,
        offer_sentence=offer_sentence,
        format_date=format_date,
        CHARACTERISTICS=CHARACTERISTICS,
        SERVICES=SERVICES,
        PLACE_KINDS=PLACE_KINDS,
        LANGUAGES=i18n.LANGUAGES,
        SITE_NAME=i18n.SITE_NAME,
        role_name=role_name,
        organisation_name=organisation_name,
        STATUSES=STATUSES,
        OUTCOMES=OUTCOMES,
    )

    @app.context_processor
    def site_context() -> dict:
        return {
            "pack": current_pack(),
            "lang": i18n.current(),
            "offered_language": i18n.offered_language() if request else None,
            "prefs": g.get("prefs") or Preferences(),
            "staff": g.get("staff"),  # the signed-in member of staff, on portal pages
        }


def role_name(role: str) -> str:
    return str(ROLES.get(role, role))


def organisation_name(slug: str) -> str:
    """An organisation's name from the pack; the slug itself if the pack no longer has it."""
    organisation = current_pack().organisation(slug)
    return organisation.name if organisation else slug


def offer_sentence(language: i18n.Language) -> str:
    """"Read this page in Polski", written in Polish, for someone who may not read English."""
    with force_locale(language.code):
        return gettext("Read this page in %(language)s", language=language.name)
