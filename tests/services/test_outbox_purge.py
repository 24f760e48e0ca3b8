"""Finished email is deleted after 30 days; waiting email never is."""

from __future__ import annotations

import datetime as dt

from againsthate import clock
from againsthate.db.models import OutboxMessage
from againsthate.extensions import db
from againsthate.services import outbox


def _queue(app, status: str, age_days: int) -> None:
    with app.app_context():
        outbox.queue(
            db.session,
            app.extensions["againsthate.keyring"],
            kind="confirmation",
            recipient="sam@example.org",
            subject="s",
            body="b",
            now=clock.now() - dt.timedelta(days=age_days),
        )
        db.session.flush()
        db.session.query(OutboxMessage).filter(
            OutboxMessage.status == "waiting", OutboxMessage.subject == "s"
        ).order_by(OutboxMessage.id.desc()).first().status = status
        db.session.commit()


def test_flask_outbox_purge_deletes_only_old_finished_messages(app):
    for status, age in [("sent", 31), ("failed", 45), ("sent", 5), ("waiting", 60)]:
        _queue(app, status, age)
    result = app.test_cli_runner().invoke(args=["outbox", "purge"])
    assert result.exit_code == 0 and "Deleted 2 finished messages" in result.output
    with app.app_context():
        left = sorted((m.status, m.created_at.day) for m in db.session.query(OutboxMessage))
    assert [s for s, _ in left] == ["sent", "waiting"]
