"""The outbox: queued with what caused it, delivered later with retries and back-off."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools
import smtplib

import pytest
from sqlalchemy import select

from againsthate.db.models import OutboxMessage
from againsthate.extensions import db
from againsthate.services import outbox

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Recorder:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)


class Refuses:
    def __init__(self):
        self.tries = 0

    def send(self, message):
        self.tries += 1
        raise ConnectionRefusedError("the mail server is down")


class RefusesSome:
    """Refuses messages to one address, sends the rest."""

    def __init__(self, refused: str):
        self.refused, self.sent = refused, []

    def send(self, message):
        if message["To"] == self.refused:
            raise OSError("mailbox unavailable")
        self.sent.append(message)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def keyring(ctx):
    return ctx.extensions["againsthate.keyring"]


def _queue(
    keyring,
    recipient="org@example.org",
    subject="New referral BCDF-GHJK",
    body="Reference: BCDF-GHJK\n",
    kind="new_referral",
    now=NOW,
) -> int:
    message = outbox.queue(
        db.session, keyring, kind=kind, recipient=recipient, subject=subject, body=body, now=now
    )
    db.session.commit()
    return message.id


def _row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def _send(keyring, sender, now=NOW):
    return outbox.send_due(db.session, keyring, sender, "againsthate@example.org", now)


def test_queue_seals_recipient_and_body_and_waits(keyring):
    message_id = _queue(
        keyring, recipient="person@example.org", body="Your reference is BCDF-GHJK."
    )
    row = _row(message_id)
    assert row.status == "waiting" and row.attempts == 0 and row.sent_at is None
    assert _aware(row.next_attempt_at) == NOW
    assert "person@example.org" not in row.recipient and "BCDF" not in row.body
    assert keyring.open(row.recipient) == "person@example.org"
    assert keyring.open(row.body) == "Your reference is BCDF-GHJK."


def test_queue_is_part_of_the_callers_transaction(keyring):
    outbox.queue(
        db.session,
        keyring,
        kind="new_referral",
        recipient="org@example.org",
        subject="s",
        body="b",
        now=NOW,
    )
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_due_message_is_sent_once_and_marked_sent(keyring):
    message_id = _queue(keyring)
    sender = Recorder()
    assert _send(keyring, sender) == (1, 0)
    row = _row(message_id)
    assert row.status == "sent" and row.attempts == 1 and row.last_error is None
    assert _aware(row.sent_at) == NOW

    message = sender.sent[0]
    assert message["To"] == "org@example.org"
    assert message["From"] == "againsthate@example.org"
    assert message["Subject"] == "New referral BCDF-GHJK"
    assert message.get_content().strip() == "Reference: BCDF-GHJK"
    assert message["Message-ID"].startswith(f"<outbox-{message_id}-")


def test_a_message_marked_sent_is_never_sent_again(keyring):
    _queue(keyring)
    _send(keyring, Recorder())
    later = Recorder()
    for hours in (0, 1, 24, 24 * 30):
        assert _send(keyring, later, NOW + dt.timedelta(hours=hours)) == (0, 0)
    assert later.sent == []


def test_a_message_not_yet_due_waits(keyring):
    _queue(keyring, now=NOW + dt.timedelta(minutes=5))
    sender = Recorder()
    assert _send(keyring, sender, NOW) == (0, 0)
    assert _send(keyring, sender, NOW + dt.timedelta(minutes=5)) == (1, 0)


def test_failures_back_off_and_give_up_after_max_attempts(keyring):
    message_id = _queue(keyring)
    sender = Refuses()
    now = NOW
    delays = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        # Not due yet: nothing is tried before next_attempt_at.
        if attempt > 1:
            assert _send(keyring, sender, now - dt.timedelta(seconds=1)) == (0, 0)
        assert _send(keyring, sender, now) == (0, 1)
        row = _row(message_id)
        assert row.attempts == attempt == sender.tries
        assert "ConnectionRefusedError" in row.last_error
        if attempt < outbox.MAX_ATTEMPTS:
            assert row.status == "waiting"
            delay = _aware(row.next_attempt_at) - now
            delays.append(delay)
            now = _aware(row.next_attempt_at)
    assert row.status == "failed"
    assert delays[0] == dt.timedelta(minutes=1)
    assert all(later > earlier for earlier, later in itertools.pairwise(delays)), delays
    assert all(d <= outbox.MAX_DELAY for d in delays)

    # A failed message is not tried again.
    assert _send(keyring, sender, now + dt.timedelta(days=7)) == (0, 0)
    assert sender.tries == outbox.MAX_ATTEMPTS


def test_back_off_never_waits_more_than_the_maximum(keyring, monkeypatch):
    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 20)
    message_id = _queue(keyring)
    now = NOW
    longest = dt.timedelta(0)
    for _ in range(19):
        _send(keyring, Refuses(), now)
        row = _row(message_id)
        longest = max(longest, _aware(row.next_attempt_at) - now)
        now = _aware(row.next_attempt_at)
    assert longest == outbox.MAX_DELAY


def test_one_failing_message_does_not_hold_up_the_others(keyring):
    refused = _queue(keyring, recipient="broken@example.org")
    fine = _queue(keyring, recipient="fine@example.org")
    sender = RefusesSome("broken@example.org")
    assert _send(keyring, sender) == (1, 1)
    assert [m["To"] for m in sender.sent] == ["fine@example.org"]
    assert _row(refused).status == "waiting" and _row(fine).status == "sent"


class RefusesRecipient:
    """What smtplib raises when the server refuses the only recipient: the error carries
    the address, and its text repeats it."""

    def send(self, message):
        address = message["To"]
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, f"5.1.1 <{address}>: no such user".encode())}
        )


class Raises:
    def __init__(self, error: Exception):
        self.error = error

    def send(self, message):
        raise self.error


def test_a_refused_recipient_leaves_no_address_in_the_outbox(keyring):
    message_id = _queue(keyring, recipient="private.person@example.net", kind="confirmation")
    assert _send(keyring, RefusesRecipient()) == (0, 1)
    row = _row(message_id)
    assert row.last_error == "SMTPRecipientsRefused 550"
    assert "@" not in row.last_error and "private" not in row.last_error


@pytest.mark.parametrize(
    ("error", "kept"),
    [
        (
            smtplib.SMTPSenderRefused(
                553, b"5.7.1 <againsthate@example.org>: sender refused", "againsthate@example.org"
            ),
            "SMTPSenderRefused 553",
        ),
        (
            smtplib.SMTPDataError(554, b"5.7.1 message to person@example.net rejected"),
            "SMTPDataError 554",
        ),
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.net": (550, b"no"), "b@example.net": (452, b"full")}
            ),
            "SMTPRecipientsRefused 452 550",
        ),
        (
            ConnectionRefusedError(111, "Connection refused by person@example.net"),
            "ConnectionRefusedError errno 111",
        ),
        (OSError("mailbox person@example.net unavailable"), "OSError"),
        (RuntimeError("person@example.net"), "RuntimeError"),
    ],
)
def test_only_the_type_and_code_of_a_failure_are_kept(keyring, error, kept):
    message_id = _queue(keyring, recipient="person@example.net")
    _send(keyring, Raises(error))
    assert _row(message_id).last_error == kept


def test_flask_outbox_send_without_smtp_writes_eml_files_and_marks_them_sent(app, keyring):
    first = _queue(keyring, recipient="org@example.org", subject="New referral BCDF-GHJK")
    second = _queue(
        keyring,
        recipient="person@example.org",
        subject="Your reference BCDF-GHJK",
        kind="confirmation",
    )
    assert app.config["SMTP_HOST"] is None
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2" in result.output

    folder = app.config["INSTANCE_PATH"] / "outbox"
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2
    messages = [
        email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files
    ]
    assert sorted(m["To"] for m in messages) == ["org@example.org", "person@example.org"]
    assert all(m["From"] == app.config["MAIL_FROM"] for m in messages)
    assert {_row(first).status, _row(second).status} == {"sent"}

    again = runner.invoke(args=["outbox", "send"])
    assert "Sent 0" in again.output
    assert len(list(folder.glob("*.eml"))) == 2


def test_flask_outbox_send_uses_smtp_when_configured(new_smtp_app):
    app, sessions = new_smtp_app
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        message_id = _queue(keyring, recipient="org@example.org")
        result = app.test_cli_runner().invoke(args=["outbox", "send"])
        assert result.exit_code == 0, result.output
        assert _row(message_id).status == "sent"
    assert len(sessions) == 1
    smtp = sessions[0]
    assert (smtp.host, smtp.port) == ("smtp.example.org", 2525)
    assert smtp.started_tls and smtp.login_as == ("mailer", "secret")
    assert [m["To"] for m in smtp.messages] == ["org@example.org"]
    assert not (app.config["INSTANCE_PATH"] / "outbox").exists()


@pytest.fixture
def new_smtp_app(tmp_path, monkeypatch):
    from tests.conftest import make_app

    sessions = []

    class FakeSMTP:
        def __init__(self, host, port, timeout=None):
            self.host, self.port, self.timeout = host, port, timeout
            self.started_tls, self.login_as, self.messages = False, None, []
            sessions.append(self)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context=None):
            self.started_tls = True

        def login(self, username, password):
            self.login_as = (username, password)

        def send_message(self, message):
            self.messages.append(message)

    monkeypatch.setattr(outbox.smtplib, "SMTP", FakeSMTP)
    app = make_app(
        tmp_path,
        SMTP_HOST="smtp.example.org",
        SMTP_PORT=2525,
        SMTP_USERNAME="mailer",
        SMTP_PASSWORD="secret",
        SMTP_STARTTLS=True,
    )
    yield app, sessions
    with app.app_context():
        db.engine.dispose()


def test_two_senders_at_once_never_send_one_message_twice(empty_database_url):
    """Each message is claimed before sending; the second sender skips what the first took
    (SQLite in the first pass of `make test`, PostgreSQL's row locking in the second)."""
    import datetime as dt

    from sqlalchemy.orm import Session

    from againsthate.db import make_engine, migrate
    from againsthate.db.models import OutboxMessage
    from againsthate.services import outbox
    from againsthate.services.crypto import new_key_entry, parse_keys

    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    keyring = parse_keys(new_key_entry("k1"))
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    with Session(engine) as session:
        outbox.queue(
            session,
            keyring,
            kind="new_referral",
            recipient="a@example.org",
            subject="New referral",
            body="Reference",
            now=now,
        )
        session.commit()

    class SendsWhileOtherSenderRuns:
        """While sending, a second sender runs over the same outbox."""

        def __init__(self):
            self.sent = []

        def send(self, message):
            self.sent.append(message["To"])
            if len(self.sent) == 1:
                with Session(engine) as other:
                    outbox.send_due(other, keyring, self, "from@example.org", now)

    sender = SendsWhileOtherSenderRuns()
    with Session(engine) as session:
        result = outbox.send_due(session, keyring, sender, "from@example.org", now)
        assert result == (1, 0)
        assert session.query(OutboxMessage).one().status == "sent"
    assert sender.sent == ["a@example.org"]
    engine.dispose()
