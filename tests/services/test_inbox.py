"""services/cases: the inbox's orders, its filters together, who each referral is from,
and the last activity every history line moves on."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from againsthate import clock
from againsthate.db.models import Referral
from againsthate.extensions import db
from againsthate.services import cases
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B, add_referral, make_staff

ANONYMOUS = {k: v for k, v in ANSWERS.items() if k not in ("name", "methods", "phone")} | {
    "contact": "none"
}


def _ago(**kwargs) -> dt.datetime:
    return clock.now() - dt.timedelta(**kwargs)


def _references(app, **kwargs) -> list[str]:
    with app.app_context():
        page = cases.inbox(db.session, ORG_A, **kwargs)
        return [r.reference for r in page.rows]


def _row(reference: str) -> Referral:
    return db.session.scalars(select(Referral).where(Referral.reference == reference)).one()


@pytest.fixture
def three(portal_app):
    """Received 3 days, 2 days and 1 day ago; the oldest contacted, the others new; the
    newest had a note an hour ago, the middle one none since it came."""
    old = add_referral(portal_app, created_at=_ago(days=3), status="contacted")
    middle = add_referral(portal_app, created_at=_ago(days=2))
    new = add_referral(portal_app, created_at=_ago(days=1))
    me = make_staff(portal_app)[0]
    with portal_app.app_context():
        keyring = portal_app.extensions["againsthate.keyring"]
        by = db.session.get(type(me), me.id)
        cases.add_note(db.session, keyring, _row(old), "Rang, no answer.", by=by, now=_ago(hours=1))
        db.session.commit()
    return old, middle, new


def test_each_order(portal_app, three):
    old, middle, new = three
    assert _references(portal_app) == [new, middle, old]
    assert _references(portal_app, sort="newest") == [new, middle, old]
    assert _references(portal_app, sort="oldest") == [old, middle, new]
    assert _references(portal_app, sort="activity") == [old, new, middle]
    # Waiting: the new ones, longest waiting first, then the rest.
    assert _references(portal_app, sort="waiting") == [middle, new, old]
    assert _references(portal_app, sort="sideways") == [new, middle, old]


def test_an_order_goes_through_pages_without_repeating_or_skipping(portal_app):
    same = _ago(days=1)  # equal times: the id decides, so pages never overlap
    made = [add_referral(portal_app, created_at=same) for _ in range(7)]
    for sort in cases.SORTS:
        seen = []
        for number in (1, 2, 3):
            with portal_app.app_context():
                page = cases.inbox(db.session, ORG_A, sort=sort, page=number, per_page=3)
                seen += [r.reference for r in page.rows]
        assert sorted(seen) == sorted(made), sort


def test_filters_work_together_in_any_order(portal_app):
    me = make_staff(portal_app)[0]
    religion = {**ANSWERS, "about": ["religion"]}
    wanted = add_referral(portal_app, ORG_A, religion, created_at=_ago(days=2))
    add_referral(portal_app, ORG_A, religion, status="closed")  # wrong status
    add_referral(portal_app, created_at=_ago(days=1))  # wrong characteristic
    mine = add_referral(portal_app, ORG_A, religion)
    add_referral(portal_app, ORG_B, religion)  # another organisation's
    with portal_app.app_context():
        _row(mine).assigned_to = me.id
        db.session.commit()
    both = {"status": "new", "characteristic": "religion"}
    for sort in cases.SORTS:
        assert _references(portal_app, unassigned=True, sort=sort, **both) == [wanted]
        assert _references(portal_app, assigned_to=me.id, sort=sort, **both) == [mine]
        assert sorted(_references(portal_app, sort=sort, **both)) == sorted([wanted, mine])


def test_people_opens_the_name_anonymity_and_methods_of_the_rows_given(portal_app):
    named = add_referral(portal_app, ORG_A, {**ANSWERS, "methods": ["post", "phone"]})
    anonymous = add_referral(portal_app, ORG_A, ANONYMOUS)
    nameless = add_referral(portal_app, ORG_A, {**ANSWERS, "name": "  "})
    with portal_app.app_context():
        keyring = portal_app.extensions["againsthate.keyring"]
        rows = cases.inbox(db.session, ORG_A).rows
        found = {r.reference: p for r, p in zip(rows, cases.people(keyring, rows).values())}
    assert found[named] == cases.Person("Sam", False, ("phone", "post"))
    assert found[anonymous] == cases.Person(None, True, ())
    assert found[nameless] == cases.Person(None, False, ("phone",))


def test_a_purged_referral_is_from_nobody_known(portal_app):
    reference = add_referral(portal_app)
    with portal_app.app_context():
        _row(reference).content = ""
        db.session.commit()
        keyring = portal_app.extensions["againsthate.keyring"]
        rows = cases.inbox(db.session, ORG_A).rows
        assert list(cases.people(keyring, rows).values()) == [cases.Person(None, False, ())]


def test_every_history_line_moves_the_last_activity_on(portal_app):
    reference = add_referral(portal_app, created_at=_ago(days=5))
    me = make_staff(portal_app)[0]
    with portal_app.app_context():
        keyring = portal_app.extensions["againsthate.keyring"]
        by = db.session.get(type(me), me.id)
        row = _row(reference)
        assert clock.as_utc(row.last_activity_at) == clock.as_utc(row.received_at)
        for hours, change in (
            (3, lambda at: cases.add_note(db.session, keyring, row, "A note", by=by, now=at)),
            (
                2,
                lambda at: cases.change_status(
                    db.session, keyring, row, status="contacted", outcome=None, by=by, now=at
                ),
            ),
        ):
            at = _ago(hours=hours)
            change(at)
            db.session.commit()
            assert clock.as_utc(_row(reference).last_activity_at) == clock.as_utc(at)
