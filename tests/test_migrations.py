"""The Alembic migrations build exactly the schema the models describe, from nothing and
from every earlier revision, on SQLite and (second pass of `make test`) PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from againsthate.db import make_engine, migrate
from againsthate.db.models import Base, OutboxMessage, Referral, ReferralStat

REVISIONS = [r.revision for r in reversed(list(
    ScriptDirectory.from_config(migrate.alembic_config(None)).walk_revisions()))]


def _differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


@pytest.fixture
def engine(empty_database_url):
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_migrations_match_the_models(engine):
    migrate.upgrade(engine)
    assert _differences(engine) == [], "make a migration for: " + repr(_differences(engine))


def test_a_new_database_is_behind_until_upgraded(engine):
    assert migrate.pending(engine)
    migrate.upgrade(engine)
    assert not migrate.pending(engine)
    migrate.upgrade(engine)  # running it again changes nothing
    assert not migrate.pending(engine)


@pytest.mark.parametrize("start", REVISIONS[:-1])
def test_every_earlier_revision_upgrades_to_the_models(engine, start):
    migrate.upgrade(engine, start)
    assert migrate.pending(engine)
    migrate.upgrade(engine)
    assert _differences(engine) == []


def test_the_self_referral_release_keeps_its_data_through_the_upgrade(engine):
    """A database of the release before the portal (0002), with a referral, its count
    and its email in it, upgrades, and the code of today reads them."""
    migrate.upgrade(engine, "0002")
    at = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO referral (reference, submission_key, organisation, status, created_at, content)"
            " VALUES ('BCDF-GHJK', 'k1', 'disability-direct', 'new', :at, 'v1.sealed')"), {"at": at})
        connection.execute(text(
            "INSERT INTO referral_stat (month, organisation, who, characteristics, help, reported,"
            " heard_from, anonymous) VALUES ('2026-03', 'disability-direct', 'self', 'disability',"
            " 'talk', 'no', 'search', false)"))
        connection.execute(text(
            "INSERT INTO outbox_message (kind, recipient, subject, body, created_at, status, attempts,"
            " next_attempt_at) VALUES ('organisation', 'v1.r', 'New referral', 'v1.b', :at,"
            " 'waiting', 0, :at)"), {"at": at})
    migrate.upgrade(engine)
    assert not migrate.pending(engine)
    with engine.connect() as connection:
        referral = connection.execute(select(Referral)).one()
        assert (referral.reference, referral.status, referral.content) == ("BCDF-GHJK", "new", "v1.sealed")
        assert referral.characteristics == "" and referral.closed_at is None
        assert connection.execute(select(ReferralStat.organisation)).scalars().all() == ["disability-direct"]
        assert connection.execute(select(OutboxMessage.status)).scalars().all() == ["waiting"]


def _insert_portal_release_outbox(connection, at) -> None:
    """Email as the portal release (0003) left it: no reference column, and a refusal's
    whole text, address and all, in last_error."""
    for kind, subject, error in [
        ("new_referral", "New referral BCDF-GHJK", None),
        ("confirmation", "Your reference BCDF-GHJK", ("SMTPRecipientsRefused: {'sam@example.net': "
                                                      "(550, b'5.1.1 <sam@example.net>: no such user')}")),
        ("passed_on", "Referral MNPQ-RSTV passed to you", "ConnectionRefusedError: [Errno 111] refused"),
        ("password_reset", "Reset your Against Hate portal password", None),
    ]:
        connection.execute(text(
            "INSERT INTO outbox_message (kind, recipient, subject, body, created_at, status, attempts,"
            " next_attempt_at, last_error) VALUES (:kind, 'v1.r', :subject, 'v1.b', :at, 'waiting', 0,"
            " :at, :error)"), {"kind": kind, "subject": subject, "at": at, "error": error})


def test_the_portal_release_keeps_its_email_through_the_upgrade_without_addresses(engine):
    migrate.upgrade(engine, "0003")
    with engine.begin() as connection:
        _insert_portal_release_outbox(connection, dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    migrate.upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(select(OutboxMessage.kind, OutboxMessage.reference,
                                         OutboxMessage.last_error).order_by(OutboxMessage.id)).all()
    assert [tuple(row) for row in rows] == [
        ("new_referral", "BCDF-GHJK", None),
        ("confirmation", "BCDF-GHJK", "SMTPRecipientsRefused"),
        ("passed_on", "MNPQ-RSTV", "ConnectionRefusedError"),
        ("password_reset", None, None),
    ]
