"""flask commands: database set-up and the area pack."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .areas import current_pack
from .config import area_pack_path
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


@click.command("check")
@click.argument("path", required=False)
def pack_check(path: str | None) -> None:
    """Check an area pack file (default: the one in AREA_PACK)."""
    from .services.areapack import AreaPackError, load

    try:
        pack = load(Path(path) if path else area_pack_path())
    except AreaPackError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{pack.path}: OK ({len(pack.organisations)} organisations, "
        f"{len(pack.places)} places, {len(pack.districts)} postcode districts)"
    )


pack_cli.add_command(pack_check)


def pack_checker() -> Flask:
    """An app with `flask pack check` alone. A partnership checks its pack before it has a
    SECRET_KEY, a database or a pack that loads, none of which the site's app starts without."""
    app = Flask(__name__)
    checker = AppGroup("pack", help="The area pack.")
    checker.add_command(pack_check)
    app.cli.add_command(checker)
    return app


@pack_cli.command("load")
def pack_load() -> None:
    """Add the pack's news and events that the database does not have yet."""
    pack = current_pack()
    seeded = content.seed_from_pack(db.session, pack)
    db.commit()
    click.echo(
        f"Added {seeded.news} of the {len(pack.news)} news items and {seeded.events} of the "
        f"{len(pack.events)} events in {pack.path.name}; the rest were there already."
    )
    for slug in seeded.clashes:
        click.echo(
            f"Not added: the news item {slug!r}. A story from another pack or written in the "
            "portal has that slug (its address, /news/<slug>): give the pack's another slug.",
            err=True,
        )


keys_cli = AppGroup("keys", help="Encryption keys for referral content.")
outbox_cli = AppGroup("outbox", help="Email waiting to be sent.")
drafts_cli = AppGroup("drafts", help="Answers in progress.")


@keys_cli.command("new")
@click.argument("key_id")
def keys_new(key_id: str) -> None:
    """Print a new key entry to put first in REFERRAL_KEYS."""
    from .services.crypto import new_key_entry

    click.echo(new_key_entry(key_id))


@keys_cli.command("reencrypt")
def keys_reencrypt() -> None:
    """Seal every stored value again with the current (first) key."""
    from .services.rekey import reseal_all

    counts = {}
    for table, changed in reseal_all(db.session, current_app.extensions["againsthate.keyring"]):
        db.commit()  # table by table: stopped midway, the tables done stay done
        counts[table] = changed
    click.echo(f"Sealed again with the current key: {counts}")


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send the email that is due, with retries and back-off for failures."""
    from . import clock
    from .services import outbox

    config = current_app.config
    if config["SMTP_HOST"]:
        sender: outbox.Sender = outbox.SmtpSender(
            config["SMTP_HOST"],
            config["SMTP_PORT"],
            config["SMTP_USERNAME"],
            config["SMTP_PASSWORD"],
            config["SMTP_STARTTLS"],
        )
    else:
        sender = outbox.FileSender(config["MAIL_FILES_FOLDER"])
    sent, failed = outbox.send_due(
        db.session,
        current_app.extensions["againsthate.keyring"],
        sender,
        config["MAIL_FROM"],
        clock.now(),
    )
    click.echo(f"Sent {sent}, will retry {failed}.")


@outbox_cli.command("purge")
def outbox_purge() -> None:
    """Delete email sent (or given up on) more than 30 days ago."""
    from . import clock
    from .services import outbox

    deleted = outbox.purge_finished(db.session, clock.now())
    db.commit()
    # Only once the rows are gone: a file never goes before its row.
    outbox.remove_files_without_rows(db.session, current_app.config["MAIL_FILES_FOLDER"])
    click.echo(f"Deleted {deleted} finished messages.")


@drafts_cli.command("purge")
def drafts_purge() -> None:
    """Delete answers in progress idle for 2 hours, and staff forms kept over 30 minutes."""
    from . import clock
    from .services import drafts, kept_forms

    purged = drafts.purge_expired(db.session, clock.now())
    kept = kept_forms.purge_expired(db.session, clock.now())
    db.commit()
    click.echo(f"Deleted {purged} expired drafts and {kept} forms kept when a staff session ended.")


users_cli = AppGroup("users", help="Staff accounts for the portal.")


@users_cli.command("create-admin")
@click.option("--email", prompt="Email address", help="The administrator's email address.")
@click.option("--name", prompt="Name", help="Their name, as colleagues know them.")
def users_create_admin(email: str, name: str) -> None:
    """Invite the first administrator: prints a single-use link to set up the account."""
    from . import clock, notifications
    from .access import policy
    from .services import accounts

    try:
        _user, token = accounts.invite(
            db.session,
            email=email,
            name=name,
            role="admin",
            organisation=None,
            by=None,
            now=clock.now(),
            policy=policy(),
        )
    except accounts.AccountError as error:
        message = {"exists": f"{email} already has an account."}.get(error.reason, error.reason)
        raise click.ClickException(message) from None
    db.commit()
    link = notifications.link("portal.invitation", token=token)
    click.echo(
        f"Open this link within {current_app.config['INVITE_HOURS']} hours to choose a "
        f"password and set up two-factor sign-in (it works once):\n{link}"
    )


referrals_cli = AppGroup(
    "referrals", help="Keeping referrals no longer than needed, and their search index."
)


@referrals_cli.command("purge")
def referrals_purge() -> None:
    """Delete the content of referrals closed more than the pack's retention_months ago."""
    from . import clock
    from .services import retention

    months = current_pack().retention_months
    purged = retention.purge(db.session, clock.now(), months)
    db.commit()
    click.echo(
        f"Deleted the content of {len(purged)} referrals closed more than {months} months ago."
    )


@referrals_cli.command("remind")
def referrals_remind() -> None:
    """Remind whoever has a referral (else its organisation) that it has been in one status
    longer than REMIND_AFTER allows: once per status period, however often this runs."""
    from . import clock, notifications
    from .services import reminders

    try:
        after = reminders.thresholds(current_app.config["REMIND_AFTER"])
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    sent = reminders.remind(
        db.session,
        current_app.extensions["againsthate.keyring"],
        current_pack(),
        after=after,
        now=clock.now(),
        emails=notifications.ReferralEmails(),
    )
    db.commit()
    told = sum(1 for r in sent if r.recipient)
    click.echo(
        f"Reminded about {len(sent)} referrals left too long in their status "
        f"({told} by email; the rest have no one to tell: no holder, and no address in the pack)."
    )


@referrals_cli.command("index")
def referrals_index() -> None:
    """Build the search index (keyed hashes of name, phone, email) for referrals without one."""
    from .services import search

    indexed = search.index_all(db.session, current_app.extensions["againsthate.keyring"])
    db.commit()
    click.echo(f"Indexed {indexed} referrals for search; the others were indexed already.")


@referrals_cli.command("erase")
@click.argument("reference")
@click.option(
    "--reason",
    required=True,
    help="Why (kept in the audit log, so name no one): for example, asked by the person.",
)
def referrals_erase(reference: str, reason: str) -> None:
    """Delete one referral's content now, whatever its status."""
    from . import clock
    from .services import outbox, retention, search

    if not reason.strip():
        raise click.ClickException("Give a reason with --reason.")
    try:
        retention.erase(
            db.session,
            # Typed as it was read out: "395p cgs9" is 395P-CGS9.
            search.reference(reference) or reference.strip().upper(),
            clock.now(),
            None,
            reason,
        )
    except retention.NotErasable as error:
        raise click.ClickException(
            {
                "unknown": f"There is no referral {reference}.",
                "purged": f"The content of referral {reference} was deleted already.",
            }[error.reason]
        ) from None
    db.commit()
    outbox.remove_files_without_rows(db.session, current_app.config["MAIL_FILES_FOLDER"])
    click.echo(f"Deleted the content of referral {reference}.")


def register_commands(app: Flask) -> None:
    for group in (db_cli, pack_cli, keys_cli, outbox_cli, drafts_cli, users_cli, referrals_cli):
        app.cli.add_command(group)
