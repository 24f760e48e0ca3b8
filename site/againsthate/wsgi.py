"""Entry point for gunicorn and `flask run`: `againsthate.wsgi:app`."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.exc import OperationalError

from . import create_app
from .cli import pack_checker
from .config import ConfigError
from .db import KEY, migrate
from .services.areapack import AreaPackError
from .services.crypto import CryptoError


def _cli_without_schema() -> bool:
    """`flask db upgrade` loads this module too, on a database that is behind by nature;
    so does `flask keys new`, run before there is a database at all."""
    if Path(sys.argv[0]).name not in {"flask", "__main__.py"}:
        return False
    args = sys.argv[1:]
    return "db" in args or ("keys" in args and "new" in args)


def _checking_a_pack() -> bool:
    """`flask pack check`: runs before any setting exists (cli.pack_checker)."""
    if Path(sys.argv[0]).name not in {"flask", "__main__.py"}:
        return False
    args = sys.argv[1:]
    return any(args[i : i + 2] == ["pack", "check"] for i in range(len(args)))


def check_schema(app) -> None:
    """Refuse to serve on a schema older than the code: pages would fail one by one.
    A database that cannot be reached does not stop the start: the phone numbers, the
    advice and the quick exit need no database, and the pool reconnects when it returns."""
    engine = app.extensions[KEY][0]
    try:
        migrate.require_current(engine)
    except OperationalError:
        app.logger.warning("the database could not be reached at start-up; serving anyway")
    finally:
        engine.dispose()  # no connection made here may be shared with forked workers


try:
    app = pack_checker() if _checking_a_pack() else create_app()
    if not (_cli_without_schema() or _checking_a_pack()):
        check_schema(app)
except (ConfigError, AreaPackError, CryptoError, migrate.SchemaBehind) as error:
    # A setting, the area pack or the schema is wrong: say which, without a traceback.
    raise SystemExit(f"Against Hate cannot start: {error}") from None
