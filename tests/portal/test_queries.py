"""The inbox and a referral's page cost a fixed number of SQL statements, however many
referrals or history lines there are (no query per row)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets

from sqlalchemy import event, insert

from againsthate import clock
from againsthate.db.models import Referral, ReferralEvent
from againsthate.extensions import db
from tests.portal.casework import references_listed
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B, make_staff

# Loading the session and its person (2), counting the referrals (1), one page of them with
# their owners and sealed content (1), the referrals passed on and waiting (1), the last
# page this person saw and the audit record of this one (2); none for one per row.
INBOX_BOUND = 7


@contextlib.contextmanager
def counting(app):
    """Every statement sent to the database meanwhile, as text."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def store_many(
    app, number: int, organisation: str = ORG_A, holders: tuple[int | None, ...] = (None,)
) -> None:
    """`number` referrals in one bulk insert, all with the same sealed content (fast),
    shared out among `holders` (staff ids; None: nobody has it)."""
    now = clock.now()
    with app.app_context():
        content = app.extensions["againsthate.keyring"].seal(json.dumps(ANSWERS))
        rows = [
            {
                "reference": f"Q{secrets.token_hex(6).upper()}",
                "submission_key": secrets.token_hex(16),
                "organisation": organisation,
                "status": ("new", "contacted", "closed")[n % 3],
                "created_at": now - dt.timedelta(minutes=n),
                "received_at": now - dt.timedelta(minutes=n),
                "characteristics": ("race", "disability", "race religion")[n % 3],
                "content": content,
                "assigned_to": holders[n % len(holders)],
            }
            for n in range(number)
        ]
        db.session.execute(insert(Referral), rows)
        db.session.commit()


def test_the_inbox_needs_the_same_few_queries_for_10_or_10000_referrals(
    portal_app, signed_in, staff
):
    me = staff()
    client = signed_in(me)
    # Referrals held by a dozen people (each name loaded with the page, not one by one).
    holders = (None, me.id, *(make_staff(portal_app, name=f"Holder {n}")[0].id for n in range(12)))
    store_many(portal_app, 10, holders=holders)
    store_many(portal_app, 5, ORG_B)
    client.get("/portal/referrals")  # anything done once per process (compiling, caches)

    queries = (
        "",
        "?status=new&characteristic=race",
        "?page=3",
        "?owner=mine",
        "?owner=unassigned",
        "?sort=oldest&page=2",
        "?sort=activity&status=contacted&characteristic=disability&owner=mine",
        "?sort=waiting&owner=unassigned",
    )
    counts = {}
    for size, more in ((10, 0), (10_000, 9_990)):
        if more:
            store_many(portal_app, more, holders=holders)
        for query in queries:
            with counting(portal_app) as statements:
                response = client.get(f"/portal/referrals{query}")
            assert response.status_code == 200
            counts[size, query] = len(statements)
        assert len(references_listed(client.get("/portal/referrals"))) == min(size, 25)
    assert f"{10_000:,} referrals, newest first" in client.get("/portal/referrals").text
    assert max(counts.values()) <= INBOX_BOUND, counts
    assert "Holder 11" in client.get("/portal/referrals").text
    assert "<bdi>Sam</bdi>" in client.get("/portal/referrals").text  # names: same count
    for query in queries:
        assert counts[10, query] == counts[10_000, query], counts


def test_a_referrals_history_is_read_in_one_query_whatever_its_length(
    portal_app, signed_in, staff, referral
):
    client = signed_in(staff())
    reference = referral()
    with portal_app.app_context():
        referral_id = db.session.query(Referral.id).filter_by(reference=reference).scalar()
    # History lines by 40 different members of staff.
    writers = [make_staff(portal_app, name=f"Writer {n}")[0] for n in range(40)]
    keyring = portal_app.extensions["againsthate.keyring"]

    def add_lines(people) -> None:
        with portal_app.app_context():
            for person in people:
                db.session.add(
                    ReferralEvent(
                        referral_id=referral_id,
                        at=clock.now(),
                        staff_id=person.id,
                        organisation=ORG_A,
                        kind="note",
                        detail=keyring.seal(json.dumps({"text": f"by {person.name}"})),
                    )
                )
            db.session.commit()

    counts = []
    for people in (writers[:1], writers[1:]):
        add_lines(people)
        client.get(f"/portal/referrals/{reference}")
        with counting(portal_app) as statements:
            response = client.get(f"/portal/referrals/{reference}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert all(f"Writer {n}, Derbyshire Victim Services" in response.text for n in range(40))
    assert counts[0] == counts[1], counts


def test_the_workload_needs_the_same_few_queries_for_3_or_30_people(portal_app, signed_in, staff):
    client = signed_in(staff("manager"))
    client.get("/portal/workload")
    counts = []
    for number in (3, 27):
        people = [make_staff(portal_app, name=f"Person {n}")[0].id for n in range(number)]
        store_many(portal_app, 200, holders=(None, *people))
        with counting(portal_app) as statements:
            response = client.get("/portal/workload")
        assert response.status_code == 200
        counts.append(len(statements))
    assert all(f"Person {n}" in response.text for n in range(27))
    assert counts[0] == counts[1], counts
