"""Languages: which we offer, how a request's language is chosen, and its direction.

The language lives in the URL (/ur/report), so a leaflet or QR code can link
straight to it and a page in one language can be cached. Order of choice:
1. a language prefix in the path (moved out of PATH_INFO by LanguagePrefix);
2. otherwise English, the default; on an unprefixed page the layout *offers*
   the visitor's Accept-Language match as a link rather than redirecting, so the
   same URL always shows the same page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from flask import has_request_context, request
from markupsafe import Markup

from .paths import TRANSLATIONS

DEFAULT = "en"

# The site's name is a name, not a phrase to translate: the same in every language, as on
# the logo, in the staff emails and in the authenticator app, so what people search for and
# tell each other is one thing. A page in another language marks it lang="en" (README,
# "Adding a language").
SITE_NAME = "Against Hate"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own language, as the switcher shows it
    dir: str
    checked: bool


def _load_languages() -> dict[str, Language]:
    data = tomllib.loads((TRANSLATIONS / "languages.toml").read_text(encoding="utf-8"))
    return {code: Language(code, v["name"], v["dir"], v["checked"]) for code, v in data.items()}


LANGUAGES = _load_languages()
ENVIRON_KEY = "againsthate.lang"
ROOT_KEY = "againsthate.root"


class LanguagePrefix:
    """WSGI middleware: /ur/report is served as /report in Urdu.

    The prefix moves into SCRIPT_NAME, so every url_for() on that page keeps the
    language without any view knowing about it.
    """

    def __init__(self, app, codes):
        self.app, self.codes = app, set(codes)

    def __call__(self, environ, start_response):
        script = environ.get("SCRIPT_NAME", "")
        environ[ROOT_KEY] = script
        path = environ.get("PATH_INFO", "") or "/"
        parts = path.split("/", 2)
        if len(parts) >= 2 and parts[1] in self.codes:
            environ[ENVIRON_KEY] = parts[1]
            environ["SCRIPT_NAME"] = f"{script}/{parts[1]}"
            environ["PATH_INFO"] = "/" + (parts[2] if len(parts) == 3 else "")
        return self.app(environ, start_response)


def url_language() -> str | None:
    """The language named in the URL, if any."""
    return request.environ.get(ENVIRON_KEY) if has_request_context() else None


# Formatting conventions for a language where the bare code would pick another country's
# (Babel's "en" writes dates the American way).
FORMAT_LOCALES = {"en": "en_GB"}


def get_locale() -> str:
    """The locale for translations and for formatting dates and numbers."""
    code = url_language() or DEFAULT
    return FORMAT_LOCALES.get(code, code)


def current() -> Language:
    return LANGUAGES[url_language() or DEFAULT]


# Unicode's isolates: LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE.
LRI, PDI = "\u2066", "\u2069"


def ltr(value: str) -> str:
    """A phone number, reference, postcode, date or time kept in its written order.

    In Arabic or Urdu text the bidirectional algorithm lays out the groups of
    "0800 138 1625" right to left ("1625 138 0800"): the link dials right, but the eye
    and a hand copying it down read the wrong number. The Unicode isolates are the one
    mechanism used for this everywhere, because they work wherever text goes: in HTML,
    in a <title>, inside a translated message (numbers passed into gettext, and numbers
    written in a right-to-left catalogue's own text, which tests/test_translations.py
    checks), in an error message made in Python and in a plain-text email. On
    left-to-right pages nothing is added, so English text and copied numbers stay as
    they are. Markup stays Markup.
    """
    if not has_request_context() or current().dir != "rtl":
        return value
    if isinstance(value, Markup):
        return Markup(LRI) + value + Markup(PDI)
    return f"{LRI}{value}{PDI}"


# A number written in groups: digits (with any letters, as in "DE22" or "6pm") joined by
# spaces, hyphens, dashes, slashes, colons or dots ("0800 138 1625", "10:00–16:00").
_GROUP = r"[A-Za-z0-9]*[0-9][A-Za-z0-9]*"
GROUPED_NUMBER = re.compile(_GROUP + r"(?:[ \u00a0\-\u2010-\u2013/:.]+" + _GROUP + r")+")
_TAG = re.compile(r"(<[^>]*>)")


def isolate_numbers(text: str, html: bool = False) -> str:
    """Every grouped number inside right-to-left text that someone wrote (a pack's or a
    member of staff's translation) put between the isolates, as ltr() would; those already
    isolated are left. `html`: only the text between tags is touched."""

    def wrap(match: re.Match[str]) -> str:
        before, after = match.string[: match.start()], match.string[match.end() :]
        if before.endswith(LRI) and after.startswith(PDI):
            return match.group(0)
        return f"{LRI}{match.group(0)}{PDI}"

    if not html:
        return GROUPED_NUMBER.sub(wrap, text)
    return "".join(
        part if _TAG.fullmatch(part) else GROUPED_NUMBER.sub(wrap, part)
        for part in _TAG.split(text)
    )


def site_root() -> str:
    """The site's mount point without any language prefix."""
    return request.environ.get(ROOT_KEY, "")


def offered_language() -> Language | None:
    """On an unprefixed page, the visitor's preferred language if we have it and it is not English."""
    if url_language() is not None:
        return None
    match = request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT)
    return LANGUAGES[match] if match and match != DEFAULT else None


def path_in(code: str) -> str:
    """This page's URL in another language (the switcher keeps you on the same page)."""
    query = request.query_string.decode("latin-1")
    return f"{site_root()}/{code}{request.path}" + (f"?{query}" if query else "")
