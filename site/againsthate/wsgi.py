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


def _flask_args() -> list[str] | None:
    """The arguments of a `flask …` command line, or None when this is not one (gunicorn)."""
    return sys.argv[1:] if Path(sys.argv[0]).name in {"flask", "__main__.py"} else None


def _cli_without_schema(args: list[str]) -> bool:
    """`flask db upgrade` loads this module too, on a database that is behind by nature;
    so does `flask keys new`, run before there is a database at all."""
    return "db" in args or ("keys" in args and "new" in args)


def _checking_a_pack(args: list[str]) -> bool:
    """`flask pack check`: runs before any setting exists (cli.pack_checker)."""
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
    _args = _flask_args()
    _pack_check = _args is not None and _checking_a_pack(_args)
    app = pack_checker() if _pack_check else create_app()
    if not (_pack_check or (_args is not None and _cli_without_schema(_args))):
        check_schema(app)
except (ConfigError, AreaPackError, CryptoError, migrate.SchemaBehind) as error:
    # A setting, the area pack or the schema is wrong: say which, without a traceback.
    raise SystemExit(f"Against Hate cannot start: {error}") from None
