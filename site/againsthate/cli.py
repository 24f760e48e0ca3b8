"""flask commands: database set-up and the area pack."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .areas import current_pack
from .db import migrate
from .extensions import db
from .services import content

db_cli = AppGroup("db", help="The database schema.")
pack_cli = AppGroup("pack", help="The area pack.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (safe to run again)."""
    migrate.upgrade(db.engine)
    click.echo("The database is up to date.")


@pack_cli.command("check")
@click.argument("path", required=False)
def pack_check(path: str | None) -> None:
    """Check an area pack file (default: the one in AREA_PACK)."""
    from .services.areapack import AreaPackError, load

    try:
        pack = load(path) if path else current_pack()
    except AreaPackError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{pack.path}: OK ({len(pack.organisations)} organisations, "
               f"{len(pack.places)} places, {len(pack.districts)} postcode districts)")


@pack_cli.command("load")
def pack_load() -> None:
    """Copy the pack's news and events into the database."""
    pack = current_pack()
    content.seed_from_pack(db.session, pack)
    click.echo(f"Loaded {len(pack.news)} news items and {len(pack.events)} events "
               f"from {pack.path.name}.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(pack_cli)
