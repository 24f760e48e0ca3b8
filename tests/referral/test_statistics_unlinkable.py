"""The anonymous statistics cannot be joined back to a referral: not by a shared id, not by
a time, not by the order rows were written in, not by the database's own row numbers.

The proof: the same referrals, with different answers each, are sent in one order to one
database and in the opposite order to another. Apart from the referral rows themselves and
their own email, every table must then be the same in both, row for row, in the order the
database holds the rows (and with SQLite's rowid, or PostgreSQL's ctid, beside each): if
anything kept which answers came with which referral, or in which order, the two would
differ somewhere.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import DateTime, Integer, inspect, text

from againsthate.db.models import Base, Referral
from againsthate.extensions import db
from tests.conftest import ROOMY
from tests.referral.journey import complete_journey, rows, sent_reference

# Four people, every statistic different between them, all sent to the same organisation
# (so that the organisation does not tell them apart either).
PEOPLE = [
    {
        "who": {"who": "self"},
        "police": {"police": "no"},
        "help": {"help": ["emotional_support"], "contact": "yes"},
        "consent": {"consent": "y", "heard": "bus"},
    },
    {
        "who": {"who": "helper"},
        "police": {"police": "yes"},
        "help": {"help": ["practical_help"], "contact": "none"},
        "consent": {"consent": "y", "heard": "poster"},
    },
    {
        "who": {"who": "witness"},
        "police": {"police": "pass_on"},
        "help": {"help": ["information"], "contact": "yes"},
        "consent": {"consent": "y", "heard": "friend"},
    },
    {
        "who": {"who": "professional"},
        "police": {"police": "no"},
        "help": {"help": ["justice_process", "restorative_justice"], "contact": "none"},
        "consent": {"consent": "y", "heard": ""},
    },
]
# The referral's own rows: the referral, its search index (keyed hashes of its name, phone
# and email, which lead to it by design as its sealed content does, and go with it), and
# the email about it (which names it).
OWN = {"referral", "referral_index", "outbox_message"}


def _send_all(app, people) -> list[str]:
    references = []
    for answers in people:
        client = app.test_client()
        references.append(
            sent_reference(
                client, complete_journey(client, {**answers, "about": {"about": ["race"]}})
            )
        )
    return references


def _physical(connection, table: str) -> list[tuple]:
    """Every row as the database holds it, in its own order, with its own row number."""
    if connection.dialect.name == "postgresql":
        return [
            tuple(row) for row in connection.execute(text(f'SELECT ctid::text, * FROM "{table}"'))
        ]
    try:
        return [tuple(row) for row in connection.execute(text(f'SELECT rowid, * FROM "{table}"'))]
    except Exception:  # noqa: BLE001 - a WITHOUT ROWID table has no rowid: its key orders it
        connection.rollback()
        return [tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]


def _everything_else(app) -> dict[str, list[tuple]]:
    with app.app_context(), db.engine.connect() as connection:
        tables = sorted(set(inspect(connection).get_table_names()) - OWN - {"alembic_version"})
        return {table: _physical(connection, table) for table in tables}


def _no_autovacuum(app) -> None:
    """PostgreSQL only: a vacuum between two sends moves where the next row versions go, by
    the clock, not by anything the site did; keep it out of the comparison."""
    with app.app_context(), db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in Base.metadata.tables:
                connection.execute(text(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)'))


def test_no_table_keeps_which_answers_came_with_which_referral(new_app, tmp_path):
    forwards = new_app(tmp_path / "forwards", WTF_CSRF_ENABLED=False, **ROOMY)
    backwards = new_app(tmp_path / "backwards", WTF_CSRF_ENABLED=False, **ROOMY)
    for app in (forwards, backwards):
        _no_autovacuum(app)
    untouched = _everything_else(forwards)
    sent_forwards = _send_all(forwards, PEOPLE)
    sent_backwards = _send_all(backwards, PEOPLE[::-1])

    # The referrals themselves were stored in opposite orders, one organisation for all…
    assert {r.organisation for r in rows(forwards, Referral) + rows(backwards, Referral)} == {
        rows(forwards, Referral)[0].organisation
    }
    assert len(set(sent_forwards)) == len(set(sent_backwards)) == len(PEOPLE)
    # …and nothing else in the database can tell the two orders apart.
    first, second = _everything_else(forwards), _everything_else(backwards)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], f"{table} depends on which referral said what"
    written = [table for table in first if first[table] != untouched[table]]
    assert written, "the statistics were not written at all"
    # PostgreSQL stamps each row version with the transaction that wrote it (xmin), as it
    # stamps the referral's own row: every row the sending wrote carries the last one's.
    with forwards.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            for table in written:
                stamps = connection.scalar(
                    text(f'SELECT count(DISTINCT xmin::text) FROM "{table}"')
                )
                assert stamps == 1, f"{table}: rows written by different referrals"


def test_statistics_hold_counts_by_month_only(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, **ROOMY)
    before = _everything_else(app)
    references = _send_all(app, PEOPLE)
    ids = {r.id for r in rows(app, Referral)}
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    after = _everything_else(app)
    written = {
        name: Base.metadata.tables[name] for name in after if after[name] != before.get(name)
    }
    assert written, "the statistics were not written at all"
    for name, table in written.items():
        for column in table.columns:
            assert not isinstance(column.type, DateTime), f"{name}.{column.name} is a moment"
            assert not (
                column.primary_key
                and isinstance(column.type, Integer)
                and len(table.primary_key.columns) == 1
            ), f"{name}.{column.name} numbers its rows"
        with app.app_context(), db.engine.connect() as connection:
            for row in connection.execute(table.select()).mappings():
                for key, value in row.items():
                    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}.*", value):
                        assert value == month, f"{name}.{key} is finer than a month: {value}"
                    assert value not in references, f"{name}.{key} names a referral"
                    assert not (key.endswith("id") and value in ids), (
                        f"{name}.{key} is a referral's id"
                    )
    # Counts: the four referrals are one row's worth of figures, not four rows.
    from againsthate.services import statistics

    with app.app_context():
        figures = statistics.figures(db.session, dt.datetime.now(dt.UTC).date())
    assert figures.total == len(PEOPLE) and figures.anonymous == 2


def test_every_answer_the_forms_allow_has_its_counter(app):
    """The block of counters made for a month is every answer a form can give: an answer
    without one would not be counted (a counter made by one referral would tell its order)."""
    from againsthate.answers import forms
    from againsthate.areas import current_pack
    from againsthate.services import statistics

    def values(form_class, name) -> set[str]:
        return {choice.value for choice in getattr(form_class(meta={"csrf": False}), name).choices}

    with app.test_request_context():
        block = statistics.dimensions(current_pack().heard_slugs)
        assert set(block["who"]) == values(forms.WhoForm, "who")
        assert set(block["police"]) == values(forms.PoliceForm, "police")
        assert set(block["heard"]) == values(forms.ConsentForm, "heard") | {""}
        assert set(block["characteristic"]) == values(forms.AboutForm, "about")
        assert set(block["help"]) == values(forms.HelpForm, "help")
        assert {"none"} < values(forms.HelpForm, "contact")
