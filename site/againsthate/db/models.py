"""Every table of the site, in SQLAlchemy 2's typed style."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from ..services import areapack

# Named constraints, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class NewsItem(Base):
    """A news story. Its body is HTML that staff wrote, sanitised before it is stored."""

    __tablename__ = "news_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body_html: Mapped[str] = mapped_column(Text)
    published: Mapped[dt.date] = mapped_column(Date, index=True)
    # The slug of the area pack it came from, or None for what staff wrote in the portal.
    # A pack's content is that area's: after a switch of pack it is kept but never shown.
    pack: Mapped[str | None] = mapped_column(String(60))
    # {field: {language: text}}: the columns above are in the pack's own language, and a
    # page falls back to them (marked) for any language this leaves out. Always replaced
    # whole, never changed in place (JSON columns do not track changes inside them).
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")

    def text(self, name: str) -> areapack.Text:
        """One of title, summary, body_html with its translations, for `pack_text`."""
        return areapack.Text.from_dict(getattr(self, name), (self.translations or {}).get(name))


class Event(Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    time: Mapped[str] = mapped_column(String(100))
    location: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    pack: Mapped[str | None] = mapped_column(String(60))  # as NewsItem's
    translations: Mapped[dict] = mapped_column(
        JSON, default=dict, server_default="{}"
    )  # as NewsItem's

    def text(self, name: str) -> areapack.Text:
        """One of title, time, location, description with its translations, for `pack_text`."""
        return areapack.Text.from_dict(getattr(self, name), (self.translations or {}).get(name))


class Draft(Base):
    """Answers in progress, sealed, keyed by the hash of a random token in the session.

    Only the hash is stored, so a copy of the database cannot be used to resume
    someone's draft from a stolen or guessed cookie value.
    """

    __tablename__ = "draft"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[str] = mapped_column(Text)  # sealed JSON
    submission_key: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


def _received_or_created(context) -> dt.datetime | None:
    """A new referral's last activity, when whoever stores it does not say: when it was
    received (bulk inserts in tests and the bench, too)."""
    row = context.get_current_parameters()
    return row.get("received_at") or row.get("created_at")


class Referral(Base):
    """A referral as received: everything personal is in `content`, sealed."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # One per press of "Send": a double click or a resubmission finds the same row.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    organisation: Mapped[str] = mapped_column(String(120), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    content: Mapped[str] = mapped_column(Text)  # sealed JSON: the answers; "" once purged
    # When the current organisation received it (the sending date, or when it was passed on):
    # the inbox shows waiting time from here.
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The characteristics, unsealed, so the inbox can filter by them in the database. The
    # organisation it was routed to already says as much; cleared when content is purged.
    characteristics: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The member of the organisation's staff who has it (services/cases.assign); None:
    # nobody yet. Cleared when it is passed on: the receiver's staff decide who has it.
    assigned_to: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id"), nullable=True, index=True
    )
    # When `flask referrals remind` last told someone it had been too long in its status
    # (services/reminders.py): one reminder per status period, not one every run.
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The organisation's own tags on it (services/cases.set_tags): slugs from the pack's
    # `tags` for the organisation, space-separated like `characteristics`, so the inbox
    # can filter by one in the database. Not personal: the organisation's own marks.
    tags: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Loaded with the inbox's page in the same query (no query per row).
    assignee: Mapped[StaffUser | None] = relationship(foreign_keys=[assigned_to])
    # When anything last happened to it: sent, passed on, or a line written in its history
    # (a status change, a note, a contact attempt; services/cases._event). The inbox can
    # sort by it. Not null: a referral stored without it takes when it was received.
    last_activity_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_received_or_created
    )

    # The inbox lists one organisation's referrals, newest first, or by latest activity.
    __table_args__ = (
        Index("ix_referral_organisation_received", "organisation", "received_at"),
        Index("ix_referral_organisation_activity", "organisation", "last_activity_at"),
        # "Waiting longest" (new ones first) and a status filter: read from the index alone.
        Index("ix_referral_organisation_status", "organisation", "status", "received_at"),
        # Every filter and order's column, for the owner filters ("Mine", "Nobody yet"), the
        # ones caseworkers use most: counted and ordered from the index, no row read whole.
        Index(
            "ix_referral_organisation_holder",
            "organisation",
            "assigned_to",
            "status",
            "characteristics",
            "received_at",
            "last_activity_at",
        ),
    )


class ReferralEvent(Base):
    """One line of a referral's history: a status change, a note, a contact attempt or a
    pass-on. Anything a person wrote is in `detail`, sealed; purged with the content."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    organisation: Mapped[str] = mapped_column(String(120))  # whose history this line is part of
    kind: Mapped[str] = mapped_column(String(20))  # status, note, contact, passed_on
    detail: Mapped[str] = mapped_column(Text)  # sealed JSON


class ReferralPass(Base):
    """A referral passed from one organisation to another (services/cases.pass_on). While
    `state` is "waiting" it stays the sender's (read only for them; their counts and
    workload) and the receiver may read it to accept or return it; "accepted" moves it to
    the receiver, "returned" leaves it with the sender. Kept after either, so the sender
    still sees what became of it. The reasons are in the history (sealed), not here."""

    __tablename__ = "referral_pass"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    from_organisation: Mapped[str] = mapped_column(String(120), index=True)
    to_organisation: Mapped[str] = mapped_column(String(120), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(20), default="waiting", index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)


class ReferralIndex(Base):
    """A blind index of a referral: a keyed hash of each normalised name, phone number and
    email address in its sealed content, so staff can find it by one of them without the
    database holding any of them (services/search.py). Deleted with the content."""

    __tablename__ = "referral_index"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # name, phone, email
    key_id: Mapped[str] = mapped_column(String(32))  # the keyring key its index key came from
    digest: Mapped[str] = mapped_column(String(64), index=True)  # HMAC-SHA256, hex


class StaffUser(Base):
    """Someone who signs in to the portal: a caseworker or manager of one organisation, or an
    administrator of the commissioning office (organisation is None). Never deleted, so the
    audit log keeps pointing at a person; removal ends access and sessions."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # caseworker, manager, admin
    organisation: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(Text, nullable=True)  # sealed
    # The newest time step a code was accepted for: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    activated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # An administrator's invitation into an organisation (services/accounts.invite):
    # "waiting" for a manager of it, "approved" by one, "declined", or "without_approval"
    # (the organisation had no active manager: the documented exception). None: no
    # approval was needed (an administrator, the command line, before approvals existed).
    approval: Mapped[str | None] = mapped_column(String(20), nullable=True)

    @property
    def active(self) -> bool:
        return self.activated_at is not None and self.removed_at is None


class RecoveryCode(Base):
    """A one-time code to sign in without the authenticator; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class StaffSession(Base):
    """A signed-in staff session, held on the server. The cookie holds a random token and
    this table its hash: ending the row ends the session, whatever copies of the cookie exist."""

    __tablename__ = "staff_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)


class PendingSignIn(Base):
    """Someone who gave the right password and has not yet given their code. The browser's
    session holds a random token and this table its hash: the step is used once (deleted
    when the code is accepted), lasts minutes, and ends with a password reset or change,
    so a copy of the cookie replayed later opens nothing."""

    __tablename__ = "pending_sign_in"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    next_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)


class KeptForm(Base):
    """A note, contact attempt or status change sent after its sender's session ended,
    kept sealed for a short time (services/kept_forms.py) so it can come back in its form
    once they sign in again. For one member of staff: `user_id` when the ended session
    still says who they were; otherwise `claim_hash` (the hash of a random token in a
    short cookie) and `mark` (a keyed hash of who this browser last signed in as), bound to
    the person signing in only if both are theirs."""

    __tablename__ = "kept_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id"), nullable=True, index=True
    )
    claim_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    mark: Mapped[str | None] = mapped_column(String(64), nullable=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # note, contact, status
    content: Mapped[str] = mapped_column(Text)  # sealed JSON: the form's fields as sent
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SignInThrottle(Base):
    """Wrong passwords for one address (as typed) from one place: after LOCKOUT_ATTEMPTS in a
    row, that address is paused from that place only, so a stranger's guesses cannot keep
    the owner out from anywhere else. Kept alike for addresses with no account, so the
    answers never tell the two apart. `key` is a hash of the address and the place's keyed
    hash; `user_id` is set for a real account, so a password reset can lift its pauses."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id"), nullable=True, index=True
    )
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class ResetRequest(Base):
    """One "forgot password" request, written whether or not the address has an account
    (the same work either way), and counted to limit reset emails per address per hour.
    `address_key` is a keyed hash of the address as typed; rows go after an hour."""

    __tablename__ = "reset_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class AccountToken(Base):
    """A single-use, expiring link: an invitation or a password reset (hash of the token only)."""

    __tablename__ = "account_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # invite, reset
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEvent(Base):
    """Who did what to which referral or account, and when. Append-only: the app has no code
    that changes or removes a row, the session refuses to, and database triggers refuse too.
    No referral content is written here: references, organisations and actions only."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id"), nullable=True, index=True
    )
    actor: Mapped[str] = mapped_column(String(254))  # the email then, or "command line"
    action: Mapped[str] = mapped_column(String(40), index=True)
    organisation: Mapped[str | None] = mapped_column(String(120), nullable=True)
    reference: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(String(500), default="")

    # A manager's page of their organisation's log reads it newest first by organisation.
    __table_args__ = (Index("ix_audit_event_organisation_id", "organisation", "id"),)


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit record."""


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, _context, _instances) -> None:
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, AuditEvent):
            raise AppendOnlyError("the audit log is append-only")


class ReferralCount(Base):
    """The anonymous statistics: how many referrals sent in a month to an organisation gave
    an answer, one counter per (month, organisation, question, answer). No row belongs to a
    referral: no id, no time finer than the month, and every counter of a month and
    organisation is written by every referral to it (services/statistics.py says why)."""

    __tablename__ = "referral_count"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-11
    organisation: Mapped[str] = mapped_column(String(120), primary_key=True)  # the lead, when sent
    # referrals (value ""), characteristic, who, help, police, heard, contact
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)

    # SQLite: no hidden rowid numbering the rows as they were added; kept in key order.
    # (A tuple ending in the options dict: immutable, and SQLAlchemy's own annotation.)
    __table_args__ = ({"sqlite_with_rowid": False},)


class OutboxMessage(Base):
    """An email waiting to be sent; queued in the same transaction as what caused it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # The referral it is about, if any: erasing the referral deletes its email too.
    reference: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    recipient: Mapped[str] = mapped_column(Text)  # sealed: it may be a person's address
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # sealed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="waiting", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)  # type and code only
