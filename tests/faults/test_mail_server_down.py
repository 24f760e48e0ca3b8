"""The mail server is down: notifications wait in the outbox, and when it returns each
one goes, once. A real SMTP conversation on 127.0.0.1, not a stand-in for smtplib."""

from __future__ import annotations

import datetime as dt

from againsthate import clock
from againsthate.db.models import OutboxMessage
from tests.conftest import ROOMY
from tests.referral.journey import complete_journey, rows, send

from .servers import MailServer

PEOPLE = 3


def test_notifications_wait_for_the_mail_server_and_go_once(new_app, monkeypatch):
    mail = MailServer()  # not started yet: its port refuses connections
    app = new_app(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=mail.port,
        SMTP_STARTTLS=False,
        WTF_CSRF_ENABLED=False,
        **ROOMY,
    )
    for n in range(PEOPLE):
        client = app.test_client()
        assert (
            send(client, complete_journey(client, {"what": {"what": f"Person {n}"}})).status_code
            == 303
        )
    queued = rows(app, OutboxMessage)
    assert len(queued) >= PEOPLE  # at least each organisation's notice
    runner = app.test_cli_runner()
    start = dt.datetime.now(dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: start)

    # Down: every message is tried, kept, and put off.
    assert f"Sent 0, will retry {len(queued)}." in runner.invoke(args=["outbox", "send"]).output
    waiting = rows(app, OutboxMessage)
    assert {(m.status, m.attempts) for m in waiting} == {("waiting", 1)}
    assert all("ConnectionRefusedError" in m.last_error for m in waiting)

    mail.start()
    try:
        # Back, but the retry is not due yet: nothing goes early.
        assert "Sent 0, will retry 0." in runner.invoke(args=["outbox", "send"]).output
        assert mail.received == []
        # Due: each goes once; asked again, a day later, nothing goes twice.
        monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=2))
        assert f"Sent {len(queued)}, will retry 0." in runner.invoke(args=["outbox", "send"]).output
        monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(days=1))
        assert "Sent 0, will retry 0." in runner.invoke(args=["outbox", "send"]).output
    finally:
        mail.stop()
    ids = [message["Message-ID"] for message in mail.received]
    assert len(ids) == len(queued) == len(set(ids))
    assert sorted(ids) == sorted(
        f"<outbox-{m.id}-{m.created_at:%Y%m%d%H%M%S}@againsthate>" for m in queued
    )
    assert {m.status for m in rows(app, OutboxMessage)} == {"sent"}
