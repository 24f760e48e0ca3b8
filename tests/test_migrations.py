"""The Alembic migrations build exactly the schema the models describe, from nothing and
from every earlier revision, on SQLite and (second pass of `make test`) PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from againsthate.db import make_engine, migrate
from againsthate.db.models import Base, OutboxMessage, Referral, ReferralCount
from againsthate.services import statistics, vocabulary

REVISIONS = [
    r.revision
    for r in reversed(
        list(ScriptDirectory.from_config(migrate.alembic_config(None)).walk_revisions())
    )
]


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
        connection.execute(
            text(
                "INSERT INTO referral (reference, submission_key, organisation, status, created_at, content)"
                " VALUES ('BCDF-GHJK', 'k1', 'disability-direct', 'new', :at, 'v1.sealed')"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO referral_stat (month, organisation, who, characteristics, help, reported,"
                " heard_from, anonymous) VALUES ('2026-03', 'disability-direct', 'self', 'disability',"
                " 'talk', 'no', 'search', false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO outbox_message (kind, recipient, subject, body, created_at, status, attempts,"
                " next_attempt_at) VALUES ('organisation', 'v1.r', 'New referral', 'v1.b', :at,"
                " 'waiting', 0, :at)"
            ),
            {"at": at},
        )
    migrate.upgrade(engine)
    assert not migrate.pending(engine)
    with engine.connect() as connection:
        referral = connection.execute(select(Referral)).one()
        assert (referral.reference, referral.status, referral.content) == (
            "BCDF-GHJK",
            "new",
            "v1.sealed",
        )
        assert referral.characteristics == "" and referral.closed_at is None
        assert connection.execute(
            select(ReferralCount.organisation, ReferralCount.count).where(
                ReferralCount.dimension == "referrals"
            )
        ).all() == [("disability-direct", 1)]
        assert connection.execute(select(OutboxMessage.status)).scalars().all() == ["waiting"]


def _insert_portal_release_outbox(connection, at) -> None:
    """Email as the portal release (0003) left it: no reference column, and a refusal's
    whole text, address and all, in last_error."""
    for kind, subject, error in [
        ("new_referral", "New referral BCDF-GHJK", None),
        (
            "confirmation",
            "Your reference BCDF-GHJK",
            (
                "SMTPRecipientsRefused: {'sam@example.net': "
                "(550, b'5.1.1 <sam@example.net>: no such user')}"
            ),
        ),
        (
            "passed_on",
            "Referral MNPQ-RSTV passed to you",
            "ConnectionRefusedError: [Errno 111] refused",
        ),
        ("password_reset", "Reset your Against Hate portal password", None),
    ]:
        connection.execute(
            text(
                "INSERT INTO outbox_message (kind, recipient, subject, body, created_at, status, attempts,"
                " next_attempt_at, last_error) VALUES (:kind, 'v1.r', :subject, 'v1.b', :at, 'waiting', 0,"
                " :at, :error)"
            ),
            {"kind": kind, "subject": subject, "at": at, "error": error},
        )


STATS = [  # the portal release's referral_stat rows: month, organisation and answers
    (
        "2026-10",
        "disability-direct",
        "self",
        "disability race",
        "emotional_support information",
        "no",
        "bus",
        False,
    ),
    ("2026-10", "disability-direct", "witness", "disability", "not_sure", "pass_on", "", True),
    (
        "2026-11",
        "disability-direct",
        "helper",
        "religion",
        "practical_help",
        "yes",
        "poster",
        False,
    ),
    ("2026-11", "tell-mama", "self", "religion", "emotional_support", "no", "search", True),
    (
        "2026-11",
        "tell-mama",
        "professional",
        "religion race",
        "justice_process",
        "no",
        "a-leaflet",
        False,
    ),
]


def test_the_portal_release_keeps_its_figures_and_email_through_the_upgrade(engine):
    """A database of the last release (0003): its per-referral statistics become counters
    that give the same figures, the old table goes, and its email keeps no address."""
    migrate.upgrade(engine, "0003")
    with engine.begin() as connection:
        for month, organisation, who, about, helped, police, heard, anonymous in STATS:
            connection.execute(
                text(
                    "INSERT INTO referral_stat (month, organisation, who, characteristics, help, reported,"
                    " heard_from, anonymous) VALUES (:month, :organisation, :who, :about, :help, :police,"
                    " :heard, :anonymous)"
                ),
                {
                    "month": month,
                    "organisation": organisation,
                    "who": who,
                    "about": about,
                    "help": helped,
                    "police": police,
                    "heard": heard,
                    "anonymous": anonymous,
                },
            )
        _insert_portal_release_outbox(connection, dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    migrate.upgrade(engine)
    assert not migrate.pending(engine) and _differences(engine) == []

    with engine.connect() as connection:
        assert "referral_stat" not in inspect(connection).get_table_names()
        rows = connection.execute(
            select(OutboxMessage.kind, OutboxMessage.reference, OutboxMessage.last_error).order_by(
                OutboxMessage.id
            )
        ).all()
        counters = connection.execute(select(ReferralCount)).all()
    assert [tuple(row) for row in rows] == [
        ("new_referral", "BCDF-GHJK", None),
        ("confirmation", "BCDF-GHJK", "SMTPRecipientsRefused"),
        ("passed_on", "MNPQ-RSTV", "ConnectionRefusedError"),
        ("password_reset", None, None),
    ]
    # Every (month, organisation) that had a referral has its whole block of counters,
    # zeros included, and no other.
    blocks = {(c.month, c.organisation) for c in counters}
    assert blocks == {
        ("2026-10", "disability-direct"),
        ("2026-11", "disability-direct"),
        ("2026-11", "tell-mama"),
    }
    for block in blocks:
        keys = {(c.dimension, c.value) for c in counters if (c.month, c.organisation) == block}
        # 0005 made each block with the site's own list of answers to "how did you hear".
        made = statistics.dimensions((*vocabulary.HEARD, vocabulary.HEARD_OTHER))
        assert keys >= {(d, v) for d, values in made.items() for v in values}
    found = {(c.month, c.organisation, c.dimension, c.value): c.count for c in counters if c.count}
    assert found[("2026-10", "disability-direct", "referrals", "")] == 2
    assert found[("2026-11", "tell-mama", "characteristic", "religion")] == 2
    assert found[("2026-11", "tell-mama", "heard", "a-leaflet")] == 1  # an old answer, kept
    assert found[("2026-10", "disability-direct", "heard", "")] == 1

    from sqlalchemy.orm import Session

    with Session(engine) as session:
        figures = statistics.figures(session, dt.date(2026, 11, 30))
    assert figures.total == 5 and figures.anonymous == 2
    assert dict(figures.months)["2026-10"] == 2 and dict(figures.months)["2026-11"] == 3
    assert figures.characteristics == {"disability": 2, "race": 2, "religion": 3}
    assert figures.organisations == {"disability-direct": 3, "tell-mama": 2}
    assert figures.heard_from == {"bus": 1, "": 1, "poster": 1, "search": 1, "a-leaflet": 1}
    assert figures.who == {"self": 2, "witness": 1, "helper": 1, "professional": 1}
    assert figures.police == {"no": 3, "pass_on": 1, "yes": 1}
    assert figures.help == {
        "emotional_support": 2,
        "information": 1,
        "not_sure": 1,
        "practical_help": 1,
        "justice_process": 1,
    }


def test_news_and_events_a_pack_seeded_before_0007_become_that_packs(engine):
    """Rows a pack loaded before rows had a pack are marked as that pack's by their slug
    or title and date; rows written in the portal stay unmarked (shown with any pack)."""
    import tomllib

    from againsthate.db.models import Event, NewsItem
    from againsthate.paths import AREAS

    derbyshire = tomllib.loads((AREAS / "derbyshire.toml").read_text(encoding="utf-8"))
    story, event = derbyshire["news"][0], derbyshire["events"][0]
    title = event["title"]["en"] if isinstance(event["title"], dict) else event["title"]
    migrate.upgrade(engine, "0006")
    with engine.begin() as connection:
        for slug in (story["slug"], "written-in-the-portal"):
            connection.execute(
                text(
                    "INSERT INTO news_item (slug, title, summary, body_html, published)"
                    " VALUES (:slug, 'T', 'S', '<p>B</p>', '2026-01-01')"
                ),
                {"slug": slug},
            )
        for what, date in ((title, event["date"]), ("Written in the portal", "2026-01-01")):
            connection.execute(
                text(
                    "INSERT INTO event (title, date, time, location, description)"
                    " VALUES (:title, :date, '10am', 'Here', 'D')"
                ),
                {"title": what, "date": date},
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert dict(connection.execute(select(NewsItem.slug, NewsItem.pack)).all()) == {
            story["slug"]: "derbyshire",
            "written-in-the-portal": None,
        }
        assert dict(connection.execute(select(Event.title, Event.pack)).all()) == {
            title: "derbyshire",
            "Written in the portal": None,
        }


def test_last_activity_is_backfilled_from_the_latest_history_line_or_when_received(engine):
    """0012: a referral with history takes its latest line's time; one without, when it
    was received; both then sort by it."""
    migrate.upgrade(engine, "0009")
    received = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    lines = [received + dt.timedelta(days=d) for d in (2, 5, 3)]
    with engine.begin() as connection:
        for n, reference in enumerate(("BCDF-GHJK", "MNPQ-RSTV")):
            connection.execute(
                text(
                    "INSERT INTO referral (id, reference, submission_key, organisation, status,"
                    " created_at, received_at, content, characteristics)"
                    " VALUES (:id, :reference, :key, 'disability-direct', 'new', :at, :at, 'v1.s', '')"
                ),
                {"id": n + 1, "reference": reference, "key": f"k{n}", "at": received},
            )
        for at in lines:
            connection.execute(
                text(
                    "INSERT INTO referral_event (referral_id, at, organisation, kind, detail)"
                    " VALUES (1, :at, 'disability-direct', 'note', 'v1.s')"
                ),
                {"at": at},
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        found = dict(
            connection.execute(select(Referral.reference, Referral.last_activity_at)).all()
        )
    assert found["BCDF-GHJK"].replace(tzinfo=dt.UTC) == max(lines)
    assert found["MNPQ-RSTV"].replace(tzinfo=dt.UTC) == received


def test_a_database_with_history_upgrades_and_keeps_its_references_enforced(engine):
    """Batch mode on SQLite copies a table and drops the old one: with foreign keys
    enforced, dropping `referral` while its history points at it failed ("FOREIGN KEY
    constraint failed" at 0009), so no deployed SQLite site with a referral's history could
    upgrade. The history survives, and references are enforced again afterwards."""
    migrate.upgrade(engine, "0008")
    received = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO referral (id, reference, submission_key, organisation, status,"
                " created_at, received_at, content, characteristics)"
                " VALUES (1, 'BCDF-GHJK', 'k', 'disability-direct', 'new', :at, :at, 'v1.s', '')"
            ),
            {"at": received},
        )
        connection.execute(
            text(
                "INSERT INTO referral_event (referral_id, at, organisation, kind, detail)"
                " VALUES (1, :at, 'disability-direct', 'note', 'v1.s')"
            ),
            {"at": received},
        )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT referral_id FROM referral_event")).all() == [(1,)]
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO referral_event (referral_id, at, organisation, kind, detail)"
                " VALUES (99, :at, 'disability-direct', 'note', 'v1.s')"
            ),
            {"at": received},
        )
