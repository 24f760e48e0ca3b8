"""Email through an outbox table: a message is queued in the same transaction as the
referral that caused it, so none is lost if the mail server is down, and `flask outbox
send` delivers them with retries and back-off.

Recipients and bodies are sealed: a confirmation may go to a person's own address.
A message is marked sent only after the mail server accepted it; a crash between the
two can send it twice, never zero times (the safer failure for a referral notice).
Each message is claimed with a conditional UPDATE before it is sent, so two senders
running at once never both send it; a claim left by a crashed sender lapses after
CLAIM_FOR and the message is tried again.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..db.models import OutboxMessage, Referral, StaffUser
from ..db.rows import rowcount
from .areapack import Organisation
from .crypto import Keyring

MAX_ATTEMPTS = 8
BASE_DELAY = dt.timedelta(minutes=1)  # 1, 2, 4 … minutes, at most 6 hours apart
MAX_DELAY = dt.timedelta(hours=6)
CLAIM_FOR = dt.timedelta(minutes=10)


def queue(
    session: Session,
    keyring: Keyring,
    *,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    now: dt.datetime,
    reference: str | None = None,
) -> OutboxMessage:
    """Add a message to the caller's transaction (the caller commits). `reference`: the
    referral it is about, so that erasing the referral deletes it."""
    message = OutboxMessage(
        kind=kind,
        reference=reference,
        recipient=keyring.seal(recipient),
        subject=subject,
        body=keyring.seal(body),
        created_at=now,
        status="waiting",
        attempts=0,
        next_attempt_at=now,
    )
    session.add(message)
    return message


class Sender(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass
class SmtpSender:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 20

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


@dataclass
class FileSender:
    """Without a mail server (development, or MAIL_TO_FILES=1): each message becomes an .eml
    file to open in any mail program. They hold addresses, references and live links, so
    only the site's own user may read them (folder 0700, files 0600), and they are deleted
    with their outbox rows (`remove_files_without_rows`)."""

    folder: Path

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.chmod(0o700)  # also a folder an older version left open to everyone
        name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        # Created 0600 from the start: never readable by others, not even for an instant.
        handle = os.open(self.folder / f"{name}.eml", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "wb") as file:
            os.fchmod(file.fileno(), 0o600)  # a file that existed keeps its old mode otherwise
            file.write(bytes(message))


# The file name FileSender gives a message: from its Message-ID, "<outbox-ID-WHEN@...>".
_FILE = re.compile(r"outbox-(\d+)-\d+_againsthate\.eml")


def remove_files_without_rows(session: Session, folder: Path) -> int:
    """Delete every email file whose outbox row is gone (purged, or erased with its
    referral); returns how many. Run after the deletion has committed, so a file never
    goes while its row stays."""
    if not folder.is_dir():
        return 0
    kept = set(session.scalars(select(OutboxMessage.id)))
    removed = 0
    for path in folder.glob("outbox-*.eml"):
        found = _FILE.fullmatch(path.name)
        if found and int(found.group(1)) not in kept:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _email(keyring: Keyring, row: OutboxMessage, sender_address: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender_address
    message["To"] = keyring.open(row.recipient)
    message["Subject"] = row.subject
    # Stable per outbox row, so a message sent twice can be recognised as one.
    message["Message-ID"] = f"<outbox-{row.id}-{row.created_at:%Y%m%d%H%M%S}@againsthate>"
    message["Date"] = email.utils.format_datetime(row.created_at)
    message.set_content(keyring.open(row.body))
    return message


def _delay(attempts: int) -> dt.timedelta:
    return min(BASE_DELAY * (2 ** (attempts - 1)), MAX_DELAY)


def _claim(session: Session, row: OutboxMessage, now: dt.datetime) -> bool:
    """Take this message for this sender, unless another sender took it first."""
    taken = rowcount(
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row.id,
                OutboxMessage.status == row.status,
                OutboxMessage.next_attempt_at == row.next_attempt_at,
            )
            .values(status="sending", next_attempt_at=now + CLAIM_FOR)
            .execution_options(synchronize_session=False)
        )
    )
    # The one service that commits (the site's rule is: services add and flush, the request
    # or the command commits once, db.commit()). A claim must be visible to every other
    # sender before this one sends, or two senders could send the same message; it cannot
    # wait for the command's end (tests/test_architecture.py knows this exception).
    session.commit()
    if taken:
        session.refresh(row)
    return bool(taken)


def error_summary(error: BaseException) -> str:
    """What went wrong, by type and code only ("SMTPRecipientsRefused 550"). Never the
    error's text: a refusal quotes the address it refused (a person's own, for a
    confirmation), and this column is kept for 30 days, in every backup, and outlives the
    referral's erasure."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _message in error.recipients.values()})
        return " ".join([type(error).__name__, *map(str, codes)])
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    if isinstance(error, OSError) and isinstance(error.errno, int):
        return f"{type(error).__name__} errno {error.errno}"
    return type(error).__name__


def send_due(
    session: Session,
    keyring: Keyring,
    sender: Sender,
    sender_address: str,
    now: dt.datetime,
    limit: int = 100,
) -> tuple[int, int]:
    """Send what is due; returns (sent, failed this round)."""
    due = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status.in_(("waiting", "sending")), OutboxMessage.next_attempt_at <= now
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for row in due:
        if not _claim(session, row, now):
            continue
        try:
            sender.send(_email(keyring, row, sender_address))
        except Exception as error:  # noqa: BLE001 - any failure means "try again later"
            row.attempts += 1
            row.last_error = error_summary(error)
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.status, row.next_attempt_at = "waiting", now + _delay(row.attempts)
            failed += 1
        else:
            row.attempts += 1
            row.status, row.sent_at, row.last_error = "sent", now, None
            sent += 1
        # One row at a time, the same exception as the claim's: a crash loses no record of
        # what went.
        session.commit()
    return sent, failed


def recent(session: Session, limit: int = 100) -> list:
    """The newest messages for the administrators' page: what, when and how sending went.
    Recipient and body are not even read, so nothing sealed is opened or shown."""
    return list(
        session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.kind,
                OutboxMessage.subject,
                OutboxMessage.created_at,
                OutboxMessage.status,
                OutboxMessage.attempts,
                OutboxMessage.next_attempt_at,
                OutboxMessage.last_error,
            )
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


class EmailWriter(Protocol):
    """The words of the emails about a referral: subject and body. The view passes the
    notifications module's writer (templates, links, the person's language); services
    decide who is told and when, never what the email says."""

    def new_referral(self, organisation: Organisation, reference: str) -> tuple[str, str]: ...

    def passed_on(self, organisation: Organisation, reference: str) -> tuple[str, str]: ...

    def confirmation(self, reference: str) -> tuple[str, str]: ...

    def assigned(self, organisation: Organisation, reference: str) -> tuple[str, str]: ...

    def reminder(
        self, organisation: Organisation, reference: str, status: str, days: int
    ) -> tuple[str, str]: ...


def notify_organisation(
    session: Session,
    keyring: Keyring,
    organisation: Organisation,
    *,
    kind: str,
    words: tuple[str, str],
    reference: str,
    now: dt.datetime,
) -> None:
    """Tell an organisation a referral is waiting for it, if the pack gives it an address.
    `words`: the subject and body (a reference and where to read it, no personal data)."""
    if not organisation.referral_email:
        return
    subject, body = words
    queue(
        session,
        keyring,
        kind=kind,
        reference=reference,
        recipient=organisation.referral_email,
        subject=subject,
        body=body,
        now=now,
    )


def alert(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    organisation: Organisation,
    *,
    kind: str,
    words: tuple[str, str],
    now: dt.datetime,
) -> str | None:
    """Tell whoever should act on the referral: the member of staff who has it, or, while
    nobody does (or they have left), the organisation's address if the pack gives one.
    Returns the address told, or None. `words`: a reference, a status at most, and the
    link to the referral; never anything of the person."""
    holder = session.get(StaffUser, referral.assigned_to) if referral.assigned_to else None
    # Only a holder of this organisation: while a referral passed on waits to be accepted,
    # it is still held by someone of the sender's, and the receiver's address is told.
    held = holder is not None and holder.active and holder.organisation == organisation.slug
    recipient = holder.email if held and holder is not None else None
    recipient = recipient or organisation.referral_email
    if not recipient:
        return None
    subject, body = words
    queue(
        session,
        keyring,
        kind=kind,
        reference=referral.reference,
        recipient=recipient,
        subject=subject,
        body=body,
        now=now,
    )
    return recipient


KEEP_FINISHED = dt.timedelta(days=30)


def purge_finished(
    session: Session,
    now: dt.datetime,
    keep: dt.timedelta = KEEP_FINISHED,
) -> int:
    """Delete messages sent, or given up on, more than `keep` ago: a sent confirmation still
    holds the person's email address (sealed), and nothing needs it once it has gone. The
    caller commits, then removes their files (remove_files_without_rows) where FileSender
    writes them."""
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.created_at < now - keep
        )
    )
    return rowcount(result)
