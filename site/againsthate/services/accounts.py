"""Staff accounts: invitations, passwords, two-factor set-up, sign-in with lock-out, and
password resets. No Flask here: callers pass the time, the keyring and the policy.

Links (invitations and resets) are random tokens of which only a hash is stored, used
once, and expire. Whether an address has an account is never revealed by a reset.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..clock import as_utc
from ..db.models import AccountToken, RecoveryCode, ResetRequest, SignInThrottle, StaffUser
from ..db.rows import rowcount
from . import audit, passwords, pending_sign_ins, staff_sessions, tokens, two_factor
from .crypto import Keyring
from .errors import ServiceError

ROLES = ("caseworker", "manager", "admin")
ORGANISATION_ROLES = ("caseworker", "manager")


@dataclass(frozen=True)
class Policy:
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    invite_hours: int = 72
    reset_minutes: int = 60
    reset_emails_per_hour: int = 3


class AccountError(ServiceError):
    """Something a person can put right; `reason` is a short code the view turns into words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.paused: StaffUser | None = None  # a sign-in pause that just began, for its owner


def normal_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> StaffUser | None:
    return session.scalars(select(StaffUser).where(StaffUser.email == normal_email(email))).first()


# Invitations -------------------------------------------------------------------------------


def invite(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    organisation: str | None,
    by: StaffUser | None,
    now: dt.datetime,
    policy: Policy,
) -> tuple[StaffUser, str | None]:
    """A new account waiting for its person, and the token for their invitation link, or
    None when the invitation is held for the organisation's managers to approve.

    An administrator inviting someone into an organisation that has an active manager only
    asks: the organisation's managers approve (`approve`) before any link exists, so an
    administrator cannot let themselves in to read its referrals. An organisation with no
    active manager is the exception (nobody could approve): the invitation goes at once,
    marked and audited so the organisation sees it. Invitations from the command line (the
    first administrator) and of administrators need no approval.

    Inviting an address again (a lost email, an expired link) makes a new link for the same
    account if it was never set up; an active or removed account is refused."""
    if role not in ROLES or (role == "admin") != (organisation is None):
        raise AccountError("role")
    user = find_by_email(session, email)
    if user is not None and user.activated_at is not None:
        raise AccountError("exists")
    if user is None:
        user = StaffUser(
            email=normal_email(email),
            name=name.strip(),
            role=role,
            organisation=organisation,
            created_at=now,
            failed_attempts=0,
        )
        session.add(user)
    else:
        if (user.role, user.organisation) != (role, organisation):
            user.approval = None  # an approval was for that role in that organisation
        user.name, user.role, user.organisation, user.removed_at = (
            name.strip(),
            role,
            organisation,
            None,
        )
    session.flush()
    _expire_tokens(session, user, "invite", now)
    audit.record(
        session,
        actor=by,
        action="staff_invited",
        organisation=organisation,
        now=now,
        detail=f"{user.email} as {role}",
    )
    if (
        by is not None
        and by.role == "admin"
        and organisation is not None
        and user.approval != "approved"
    ):
        if managers_of(session, organisation):
            user.approval = "waiting"
            audit.record(
                session,
                actor=by,
                action="staff_invite_held",
                organisation=organisation,
                now=now,
                detail=f"{user.email} as {role}",
            )
            return user, None
        user.approval = "without_approval"
        audit.record(
            session,
            actor=by,
            action="staff_invited_without_approval",
            organisation=organisation,
            now=now,
            detail=f"{user.email} as {role}",
        )
    token = _new_token(session, user, "invite", now, dt.timedelta(hours=policy.invite_hours))
    return user, token


def managers_of(session: Session, organisation: str) -> list[StaffUser]:
    """The organisation's active managers: those who approve its new members."""
    return [
        u
        for u in session.scalars(
            select(StaffUser).where(
                StaffUser.organisation == organisation,
                StaffUser.role == "manager",
                StaffUser.activated_at.is_not(None),
                StaffUser.removed_at.is_(None),
            )
        )
    ]


def approve(
    session: Session, user: StaffUser, *, by: StaffUser, now: dt.datetime, policy: Policy
) -> str | None:
    """A manager lets in someone an administrator invited: the token for their invitation
    link, or None if there was nothing waiting (approved already, declined, another
    organisation's). The caller sends the link and commits."""
    if (
        user.approval != "waiting"
        or user.removed_at is not None
        or by.role != "manager"
        or by.organisation != user.organisation
    ):
        return None
    user.approval = "approved"
    audit.record(
        session,
        actor=by,
        action="staff_approved",
        organisation=user.organisation,
        now=now,
        detail=f"{user.email} as {user.role}",
    )
    return _new_token(session, user, "invite", now, dt.timedelta(hours=policy.invite_hours))


def decline(session: Session, user: StaffUser, *, by: StaffUser, now: dt.datetime) -> bool:
    """A manager refuses an invitation waiting for them: the account is removed unused."""
    if (
        user.approval != "waiting"
        or user.removed_at is not None
        or by.role != "manager"
        or by.organisation != user.organisation
    ):
        return False
    user.approval, user.removed_at = "declined", now
    _expire_tokens(session, user, "invite", now)
    audit.record(
        session,
        actor=by,
        action="staff_declined",
        organisation=user.organisation,
        now=now,
        detail=f"{user.email} as {user.role}",
    )
    return True


def token_user(session: Session, token: str, kind: str, now: dt.datetime) -> StaffUser:
    """The account a link is for; AccountError("link") if it is unknown, used or expired."""
    row = session.get(AccountToken, tokens.digest(token))
    if row is None or row.kind != kind or row.used_at is not None or as_utc(row.expires_at) <= now:
        raise AccountError("link")
    user = session.get(StaffUser, row.user_id)
    if user is None or user.removed_at is not None:
        raise AccountError("link")
    return user


def set_first_password(session: Session, token: str, password: str, now: dt.datetime) -> StaffUser:
    user = token_user(session, token, "invite", now)
    if user.activated_at is not None:
        raise AccountError("link")
    _check_policy(user, password)
    password_hash = passwords.hash_password(password)
    # Only while no password is set: of two posts at once, one sets it and the other is
    # refused, rather than the second silently replacing the first.
    claimed = session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id, StaffUser.password_hash.is_(None))
        .values(password_hash=password_hash)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        session.rollback()
        raise AccountError("link")
    session.refresh(user)
    return user


def start_two_factor(keyring: Keyring, user: StaffUser) -> str:
    """A new secret for the set-up page (kept sealed on the account until confirmed)."""
    secret = two_factor.new_secret()
    user.totp_secret = keyring.seal(secret)
    return secret


def totp_secret(keyring: Keyring, user: StaffUser) -> str | None:
    return keyring.open(user.totp_secret) if user.totp_secret else None


def finish_invitation(
    session: Session, keyring: Keyring, token: str, code: str, now: dt.datetime
) -> tuple[StaffUser, list[str]]:
    """Confirm the authenticator with a code: the account becomes active, the link is used
    up, and the recovery codes are made (shown once, stored as hashes)."""
    user = token_user(session, token, "invite", now)
    secret = totp_secret(keyring, user)
    if user.password_hash is None or secret is None:
        raise AccountError("link")
    step = two_factor.accepted_step(secret, code, last_step=user.totp_last_step, now=now)
    if step is None or not _claim_step(session, user, step):
        raise AccountError("code")
    if not _claim_token(session, token, "invite", now):
        session.rollback()
        raise AccountError("link")
    user.activated_at = now
    codes = _replace_recovery_codes(session, user)
    audit.record(
        session, actor=user, action="staff_activated", organisation=user.organisation, now=now
    )
    return user, codes


# Signing in --------------------------------------------------------------------------------


def check_password(
    session: Session, email: str, password: str, now: dt.datetime, policy: Policy, place: str
) -> StaffUser:
    """The first step of signing in. Raises AccountError "wrong" or "locked", and answers
    alike whether or not the address has an account: the hasher runs every time (a stand-in
    hash for an unknown address), and wrong passwords pause an address as typed from one
    place (`place`: a keyed hash of the client's address), account or not. A pause keeps
    out only that place, so a stranger cannot lock the owner out from elsewhere.

    When a real account's pause begins, the error carries it as `.paused` (the caller tells
    its owner).

    Whether it returns or raises, the caller commits: a wrong password's count, and a
    right one's cleared throttle, are kept either way."""
    found = find_by_email(session, email)
    user = found if found is not None and found.active else None  # None: no account to check
    right = passwords.verify(user.password_hash if user else _dummy_hash(), password)
    key = tokens.digest(f"{normal_email(email)}\n{place}")
    throttle = session.get(SignInThrottle, key)
    if (
        throttle is not None
        and throttle.locked_until is not None
        and as_utc(throttle.locked_until) > now
    ):
        raise AccountError("locked")  # even the right password, from this place, for now
    if user is not None and user.password_hash is not None and right:
        if throttle is not None:
            session.delete(throttle)
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        return user
    error = AccountError("wrong")
    if _throttle_failed(session, key, user, now, policy):
        error = AccountError("locked")
        if user is not None:
            audit.record(
                session,
                actor=user,
                action="account_locked",
                now=now,
                organisation=user.organisation,
                detail="wrong passwords from one place",
            )
            error.paused = user
    raise error


def _throttle_failed(
    session: Session, key: str, user: StaffUser | None, now: dt.datetime, policy: Policy
) -> bool:
    """Count a wrong password for this address and place; True when it starts a pause.

    Statements that count in the database, not in Python, so guesses sent at the same
    moment each count, and exactly one of them starts the pause (and its email)."""
    window = dt.timedelta(minutes=policy.lockout_minutes)
    session.execute(
        delete(SignInThrottle)
        .where(
            SignInThrottle.key != key,
            SignInThrottle.updated_at < now - window,
            (SignInThrottle.locked_until.is_(None)) | (SignInThrottle.locked_until < now),
        )
        .execution_options(synchronize_session=False)
    )
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(SignInThrottle)
        .values(key=key, user_id=user.id if user else None, failures=0, updated_at=now)
        .on_conflict_do_nothing()
    )
    # An old run of failures, or a pause that has ended, starts the count again.
    session.execute(
        update(SignInThrottle)
        .where(
            SignInThrottle.key == key,
            (SignInThrottle.updated_at < now - window) | (SignInThrottle.locked_until < now),
        )
        .values(failures=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.key == key)
        .values(failures=SignInThrottle.failures + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    started = session.execute(
        update(SignInThrottle)
        .where(
            SignInThrottle.key == key,
            SignInThrottle.failures >= policy.lockout_attempts,
            SignInThrottle.locked_until.is_(None),
        )
        .values(failures=0, locked_until=now + window)
        .execution_options(synchronize_session=False)
    )
    return rowcount(started) == 1


def check_second_factor(
    session: Session, keyring: Keyring, user: StaffUser, code: str, now: dt.datetime, policy: Policy
) -> str:
    """The second step: an authenticator code, or a recovery code (used up). Returns which
    ("code" or "recovery"); raises AccountError "code" or "locked". A success resets the count.
    The caller commits either way: a failure's count is kept too."""
    _refuse_if_locked(user, now)
    secret = totp_secret(keyring, user)
    used = None
    step = (
        two_factor.accepted_step(secret, code, last_step=user.totp_last_step, now=now)
        if secret
        else None
    )
    if step is not None and _claim_step(session, user, step):
        used = "code"
    elif _use_recovery_code(session, user, code, now):
        used = "recovery"
    if used is None:
        _failed(session, user, now, policy)
        raise AccountError("locked" if _locked(user, now) else "code")
    user.failed_attempts = 0
    user.locked_until = None
    return used


def remaining_recovery_codes(session: Session, user: StaffUser) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def _use_recovery_code(session: Session, user: StaffUser, code: str, now: dt.datetime) -> bool:
    # A conditional UPDATE, so two requests cannot both use the same code.
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == two_factor.recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return rowcount(result) == 1


def _claim_step(session: Session, user: StaffUser, step: int) -> bool:
    """Record `step` as the newest code used, if no request has used it (or a later one)
    yet. A conditional UPDATE, like a recovery code's: of many requests with one code at
    the same moment, exactly one sees its row changed."""
    result = session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            (StaffUser.totp_last_step.is_(None)) | (StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _claim_token(session: Session, token: str, kind: str, now: dt.datetime) -> bool:
    """Use up a link, if no other request has: True for exactly one of many at once."""
    result = session.execute(
        update(AccountToken)
        .where(
            AccountToken.token_hash == tokens.digest(token),
            AccountToken.kind == kind,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def _replace_recovery_codes(session: Session, user: StaffUser) -> list[str]:
    for old in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(old)
    codes = two_factor.new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=two_factor.recovery_hash(c)) for c in codes
    )
    return codes


def new_recovery_codes(session: Session, user: StaffUser, now: dt.datetime) -> list[str]:
    codes = _replace_recovery_codes(session, user)
    audit.record(
        session,
        actor=user,
        action="recovery_codes_replaced",
        now=now,
        organisation=user.organisation,
    )
    return codes


def _locked(user: StaffUser, now: dt.datetime) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > now


def _refuse_if_locked(user: StaffUser, now: dt.datetime) -> None:
    if _locked(user, now):
        raise AccountError("locked")


def _failed(session: Session, user: StaffUser, now: dt.datetime, policy: Policy) -> None:
    user.failed_attempts = (user.failed_attempts or 0) + 1
    if user.failed_attempts >= policy.lockout_attempts:
        user.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
        user.failed_attempts = 0
        audit.record(
            session, actor=user, action="account_locked", now=now, organisation=user.organisation
        )


# Passwords ---------------------------------------------------------------------------------


def change_password(
    session: Session,
    user: StaffUser,
    current: str,
    new: str,
    now: dt.datetime,
    keep_session: str | None,
) -> None:
    """Ends every other session of this person (a thief's included); keeps `keep_session`."""
    if not passwords.verify(user.password_hash, current):
        raise AccountError("current")
    _check_policy(user, new)
    user.password_hash = passwords.hash_password(new)
    staff_sessions.end_all(session, user, now, reason="password_changed", except_token=keep_session)
    pending_sign_ins.end_all(session, user)
    audit.record(
        session, actor=user, action="password_changed", now=now, organisation=user.organisation
    )


def request_reset(
    session: Session, email: str, now: dt.datetime, policy: Policy, key: bytes = b""
) -> tuple[StaffUser, str] | None:
    """A reset link's token for an active account, or None: none for an unknown address,
    and none past `policy.reset_emails_per_hour` for one address, from anywhere. The caller
    says the same thing to the person either way.

    Every request is written and counted the same way, account or not (`key` keys the
    hash of the address), so the work done does not tell the two apart. The caller commits
    either way."""
    address = hmac.new(key, normal_email(email).encode(), hashlib.sha256).hexdigest()
    hour_ago = now - dt.timedelta(hours=1)
    session.execute(
        delete(ResetRequest)
        .where(ResetRequest.created_at < hour_ago)
        .execution_options(synchronize_session=False)
    )
    session.add(ResetRequest(address_key=address, created_at=now))
    session.flush()
    asked = session.scalars(
        select(func.count())
        .select_from(ResetRequest)
        .where(ResetRequest.address_key == address, ResetRequest.created_at >= hour_ago)
    ).one()
    user = find_by_email(session, email)
    if user is None or not user.active or asked > policy.reset_emails_per_hour:
        return None
    _expire_tokens(session, user, "reset", now)
    token = _new_token(session, user, "reset", now, dt.timedelta(minutes=policy.reset_minutes))
    audit.record(
        session,
        actor=user,
        action="password_reset_requested",
        now=now,
        organisation=user.organisation,
    )
    return user, token


def reset_password(session: Session, token: str, password: str, now: dt.datetime) -> StaffUser:
    """Sets the password and ends every session; two-factor stays as it was."""
    user = token_user(session, token, "reset", now)
    _check_policy(user, password)
    password_hash = passwords.hash_password(password)  # before the claim: no lock held
    if not _claim_token(session, token, "reset", now):
        raise AccountError("link")
    user.password_hash = password_hash
    user.failed_attempts, user.locked_until = 0, None
    staff_sessions.end_all(session, user, now, reason="password_reset")
    pending_sign_ins.end_all(session, user)
    # A reset lifts the pauses on this account: whoever reset it holds its email.
    session.execute(delete(SignInThrottle).where(SignInThrottle.user_id == user.id))
    audit.record(
        session, actor=user, action="password_reset", now=now, organisation=user.organisation
    )
    return user


def _check_policy(user: StaffUser, password: str) -> None:
    # Their name and address, whole and word by word, count as easy to guess.
    words = re.split(r"[^\w]+", f"{user.name} {user.email}".lower())
    problem = passwords.problem(password, user_inputs=(user.email, user.name, *filter(None, words)))
    if problem:
        raise AccountError(f"password_{problem}")


# Administration ----------------------------------------------------------------------------


def remove(session: Session, user: StaffUser, *, by: StaffUser | None, now: dt.datetime) -> None:
    """Access ends at once: the account cannot sign in and its sessions are over."""
    user.removed_at = now
    staff_sessions.end_all(session, user, now, reason="removed")
    pending_sign_ins.end_all(session, user)
    _expire_tokens(session, user, "invite", now)
    _expire_tokens(session, user, "reset", now)
    audit.record(
        session,
        actor=by,
        action="staff_removed",
        organisation=user.organisation,
        now=now,
        detail=user.email,
    )


def staff_of(session: Session, organisation: str | None) -> list[StaffUser]:
    """Everyone of one organisation (None: the administrators), removed ones last."""
    query = select(StaffUser).where(
        StaffUser.organisation.is_(None)
        if organisation is None
        else StaffUser.organisation == organisation
    )
    return list(session.scalars(query.order_by(StaffUser.removed_at.is_not(None), StaffUser.name)))


def everyone(session: Session) -> list[StaffUser]:
    """Every account, removed ones after the others, then by name: one query for the
    administrators' list, which groups them by organisation."""
    return list(
        session.scalars(
            select(StaffUser).order_by(
                StaffUser.removed_at.is_not(None), StaffUser.name, StaffUser.id
            )
        )
    )


def invitations_open_until(session: Session) -> dict[int, dt.datetime]:
    """For each account with an unused invitation link: when the newest one expires."""
    return {
        user_id: as_utc(expires)
        for user_id, expires in session.execute(
            select(AccountToken.user_id, func.max(AccountToken.expires_at))
            .where(AccountToken.kind == "invite", AccountToken.used_at.is_(None))
            .group_by(AccountToken.user_id)
        )
    }


def _new_token(
    session: Session, user: StaffUser, kind: str, now: dt.datetime, lifetime: dt.timedelta
) -> str:
    token = tokens.new()
    session.add(
        AccountToken(
            token_hash=tokens.digest(token),
            kind=kind,
            user_id=user.id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def _expire_tokens(session: Session, user: StaffUser, kind: str, now: dt.datetime) -> None:
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.kind == kind,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )


@functools.cache
def _dummy_hash() -> str:
    return passwords.hash_password(secrets.token_hex(16))
