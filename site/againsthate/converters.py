"""The types a URL variable may have, registered once for every blueprint.

Each one bounds what it accepts, so a value that could never name a row is a 404 before
any view runs: an id too big for the database once raised OverflowError (a 500), and a
reference or token of any length reached the services and the logs. A convention test
(tests/test_url_variables.py) keeps every route on one of these.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter

LARGEST_ID = 2**31 - 1  # PostgreSQL's integer, and the most any table here holds


class IdConverter(IntegerConverter):
    """A database id: 1 to 2**31 - 1 (at most 10 digits, so int() never sees a huge one)."""

    regex = r"[0-9]{1,10}"  # not \d: it matches Arabic-Indic and full-width digits too

    def __init__(self, url_map) -> None:
        super().__init__(url_map, min=1, max=LARGEST_ID)


class SlugConverter(BaseConverter):
    """Lower-case words and hyphens, as services.content and the area pack make them."""

    regex = r"[a-z0-9-]{1,120}"


class ReferenceConverter(BaseConverter):
    """A referral's reference (services.references makes AB12-CD34)."""

    regex = r"[A-Za-z0-9-]{1,16}"


class TokenConverter(BaseConverter):
    """An invitation or password-reset token: URL-safe base64 (secrets.token_urlsafe)."""

    regex = r"[A-Za-z0-9_-]{1,128}"


CONVERTERS = {
    "id": IdConverter,
    "slug": SlugConverter,
    "reference": ReferenceConverter,
    "token": TokenConverter,
}


def register_converters(app: Flask) -> None:
    app.url_map.converters.update(CONVERTERS)
