"""What every template can use: the pack, the language, preferences, asset URLs."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache

from babel.dates import get_day_names
from flask import Flask, g, request
from flask_babel import force_locale, format_date, get_locale, gettext
from markupsafe import Markup, escape

from . import i18n
from .areas import current_pack
from .paths import STATIC
from .services.areapack import Text
from .services.preferences import COOKIE, Preferences
from .services.vocabulary import (
    CHARACTERISTICS,
    DAYS,
    OUTCOMES,
    PLACE_KINDS,
    ROLES,
    SERVICES,
    STATUSES,
)


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


def day_name(day: str) -> str:
    """ "monday" in the page's language, as the locale writes a day on its own."""
    index = DAYS.index(day)  # babel counts from Monday too
    return get_day_names("wide", context="stand-alone", locale=get_locale())[index]


def pack_text(
    value: Text | str | None, tag: str | None = None, html: bool = False, **attributes: str
) -> Markup:
    """The pack's words (or a news or event text) for this page, in one element.

    In the visitor's language where the pack gives it; otherwise the pack's own text, marked
    with its `lang` (so a screen reader reads it in the right voice and a translator tool
    knows it) and with `dir` where it runs the other way from the page (English in an Arabic
    page must lay out left to right, or "LGBT+" becomes "+LGBT"). `tag` names the element
    to hold it, with `attributes` (`class_` for class); with no tag, a <span> appears only
    when a mark is needed. `html`: the text is cleaned HTML (a news story's body).
    """
    if value is None:
        return Markup("")
    text, marks = _for_this_page(value, html)
    content = Markup(text) if html else escape(text)
    if tag is None and not marks:
        return content
    return Markup("<{0}{1}>{2}</{0}>").format(
        Markup(tag or "span"), _attributes(attributes, marks), content
    )


def _for_this_page(value: Text | str, html: bool = False) -> tuple[str, dict[str, str]]:
    """The text for this page's language, and the `lang`/`dir` marks it needs."""
    page = i18n.current()
    if isinstance(value, Text) and value.has(page.code):
        text, language = value.get(page.code), page.code
    else:
        text, language = str(value), current_pack().language
    marks = {}
    if language != page.code:
        marks["lang"] = language
        known = i18n.LANGUAGES.get(language)
        direction = known.dir if known else "ltr"
        if direction != page.dir:
            marks["dir"] = direction
    if page.dir == "rtl" and "dir" not in marks:
        # Written in a right-to-left language: its numbers need the isolates ltr() gives
        # ours ("0800 138 1625" in an Urdu news story would otherwise read 1625 138 0800).
        text = i18n.isolate_numbers(text, html=html)
    return text, marks


def _attributes(attributes: Mapping[str, object], marks: dict[str, str]) -> Markup:
    named = {name.rstrip("_").replace("_", "-"): v for name, v in attributes.items()} | marks
    return Markup("").join(Markup(' {0}="{1}"').format(Markup(n), v) for n, v in named.items())


# The logo's height in CSS px for its width and height attributes, so the page keeps its
# room before the image arrives; site.css sets the height it is shown at, in rem.
LOGO_HEIGHT = 40


def site_logo() -> Markup:
    """The pack's logo as the header shows it: an <img> of this site's own, its text
    alternative in the page's language where the pack gives it (else marked with its own)."""
    logo = current_pack().logo
    if logo is None:
        return Markup("")
    alt, marks = _for_this_page(logo.alt)
    attributes = {
        "class_": "site-logo",
        "src": f"{i18n.site_root()}/logo.svg?v={logo.version}",
        "alt": alt,
        "width": round(LOGO_HEIGHT * logo.width / logo.height),
        "height": LOGO_HEIGHT,
    }
    return Markup("<img{0}>").format(_attributes(attributes, marks))


def load_preferences() -> None:
    g.prefs = Preferences.decode(request.cookies.get(COOKIE))


def register_templating(app: Flask) -> None:
    app.before_request(load_preferences)
    app.jinja_env.globals.update(
        asset=asset,
        tel=tel,
        ltr=i18n.ltr,
        pack_text=pack_text,
        site_logo=site_logo,
        path_in=i18n.path_in,
        offer_sentence=offer_sentence,
        format_date=format_date,
        day_name=day_name,
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
    """ "Read this page in Polski", written in Polish, for someone who may not read English."""
    with force_locale(language.code):
        return gettext("Read this page in %(language)s", language=language.name)
