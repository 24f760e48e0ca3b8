"""Alembic, driven from code: `flask db upgrade` and the schema check at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def versions(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's revision, the code's newest); None for "none" (an empty database, or
    no migrations at all)."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def pending(engine: Engine) -> bool:
    """True when the database is behind the code's newest migration."""
    current, head = versions(engine)
    return current != head


UPGRADE_COMMAND = "flask --app againsthate.wsgi db upgrade"


class SchemaBehind(RuntimeError):
    """The database's schema is older than the code: start-up stops with this message."""


def require_current(engine: Engine) -> None:
    current, head = versions(engine)
    if current != head:
        raise SchemaBehind(
            f"the database schema is at {current or 'nothing (an empty database)'}, "
            f"and this version needs {head}. Back up the database, then run: {UPGRADE_COMMAND}"
        )
