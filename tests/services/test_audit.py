"""The audit log can be added to, and never changed or emptied: not by the app, not in SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from againsthate import clock
from againsthate.db.models import AppendOnlyError, AuditEvent
from againsthate.extensions import db
from againsthate.services import audit


def _one(app):
    with app.app_context():
        audit.record(
            db.session,
            actor=None,
            action="referral_viewed",
            now=clock.now(),
            organisation="x",
            reference="ABCD-EFGH",
        )
        db.session.commit()


def test_a_record_is_kept_with_who_what_and_when(app):
    _one(app)
    with app.app_context():
        rows, total = audit.page(db.session, page=1, reference="ABCD-EFGH")
        assert (
            total == 1
            and rows[0].actor == audit.COMMAND_LINE
            and rows[0].action == "referral_viewed"
        )


def test_the_session_refuses_to_change_or_delete_a_record(app):
    _one(app)
    with app.app_context():
        row = db.session.query(AuditEvent).one()
        row.detail = "rewritten"
        with pytest.raises(AppendOnlyError):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.query(AuditEvent).one())
        with pytest.raises(AppendOnlyError):
            db.session.commit()


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(detail="rewritten"),
        delete(AuditEvent),
    ],
)
def test_the_database_refuses_to_change_or_delete_a_record(app, statement):
    _one(app)
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("DELETE FROM audit_event"))
        db.session.rollback()
        assert db.session.query(AuditEvent).count() == 1
