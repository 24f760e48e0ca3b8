"""An organisation handling its referrals: the inbox, one referral's history, status,
tags, notes, contact attempts and passing a referral on (the CSV export is export.py).

Every lookup takes the caller's organisation: a referral of another organisation is
"not found", exactly like one that does not exist, so the views answer 404 for both and
a reference cannot be probed. Anything a person or a member of staff wrote is sealed in
ReferralEvent.detail; the audit log gets references and actions only.

No Flask here: callers pass the time, the keyring, the pack and who is acting.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload, load_only

from ..clock import as_utc
from ..db.models import Referral, ReferralEvent, ReferralPass, StaffUser
from . import audit, outbox
from .answers import Answers, from_json, put
from .areapack import AreaPack, Organisation
from .contact_safety import Attempt, breaches, chosen_methods, is_anonymous
from .crypto import Keyring
from .errors import ServiceError
from .vocabulary import OUTCOMES, STATUSES

PER_PAGE = 25


class CaseError(ServiceError):
    """A change that cannot be made; `reason` is a short code the view turns into words."""


class NeedsConfirmation(Exception):
    """A contact attempt goes against the person's wishes and was not confirmed as such."""

    def __init__(self, reasons: list[str]):
        super().__init__(", ".join(reasons))
        self.reasons = reasons


# Finding ----------------------------------------------------------------------------------


def find(session: Session, reference: str, organisation: str | None) -> Referral | None:
    """The referral, if it belongs to `organisation`; None otherwise (and for no organisation)."""
    if not organisation:
        return None
    return session.scalars(
        select(Referral).where(
            Referral.reference == reference, Referral.organisation == organisation
        )
    ).first()


def find_any(session: Session, reference: str) -> Referral | None:
    """Any organisation's referral: only for an administrator's audited, read-only look,
    when ADMIN_CAN_READ_REFERRALS is on. The caller checks that."""
    return session.scalars(select(Referral).where(Referral.reference == reference)).first()


def answers_of(keyring: Keyring, referral: Referral) -> Answers:
    """The person's answers; empty once the content has been deleted."""
    return from_json(json.loads(keyring.open(referral.content)) if referral.content else {})


def received(referral: Referral) -> dt.datetime:
    return as_utc(referral.received_at or referral.created_at)


# The inbox --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    rows: list[Referral]
    total: int
    page: int
    pages: int

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


# What a list of referrals shows: never the sealed content, which would be read for every row.
LISTED = (
    Referral.id,
    Referral.reference,
    Referral.status,
    Referral.created_at,
    Referral.received_at,
    Referral.characteristics,
    Referral.outcome,
    Referral.closed_at,
    Referral.purged_at,
    Referral.organisation,
    Referral.assigned_to,
    Referral.tags,
    Referral.last_activity_at,
)


def listed(*, content: bool = False) -> tuple:
    """What a list of referrals (the inbox, a search) loads: its columns and who has each,
    in the same query; `content`: the sealed content too (the inbox, for the names of one
    page of people: see `people`)."""
    return (
        load_only(*LISTED, *([Referral.content] if content else [])),
        joinedload(Referral.assignee).load_only(StaffUser.name, StaffUser.removed_at),
    )


# How the inbox can be sorted: the first is the default.
SORTS = ("newest", "oldest", "activity", "waiting")


def _order(sort: str) -> tuple:
    """The ORDER BY of a sort; ids break ties, so pages never overlap or skip a row.
    "waiting": the new referrals nobody has contacted yet, longest waiting first, then the
    rest, oldest first (services/cases.received: what the inbox's waiting time counts from)."""
    if sort == "oldest":
        return (Referral.received_at.asc(), Referral.id.asc())
    if sort == "activity":
        return (Referral.last_activity_at.desc(), Referral.id.desc())
    if sort == "waiting":
        not_waiting = case((Referral.status == "new", 0), else_=1)
        return (not_waiting, Referral.received_at.asc(), Referral.id.asc())
    return (Referral.received_at.desc(), Referral.id.desc())


def inbox(
    session: Session,
    organisation: str,
    *,
    status: str | None = None,
    characteristic: str | None = None,
    assigned_to: int | None = None,
    unassigned: bool = False,
    tag: str | None = None,
    sort: str = SORTS[0],
    due_before: dt.datetime | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the organisation's referrals in two queries whatever their number: a
    count, then the page with each one's owner and sealed content (opened only for the
    names on the page: `people`). `assigned_to`: only that person's; `unassigned`: only
    those nobody has; `sort`: one of SORTS (anything else: newest first); `due_before`:
    only those due (contacted, and no activity since that moment: is_due's rule, on the
    indexed last_activity_at). A page past the end shows the last page."""
    conditions = [Referral.organisation == organisation]
    if due_before is not None:
        conditions += [Referral.status == "contacted", Referral.last_activity_at <= due_before]
    if status:
        conditions.append(Referral.status == status)
    if assigned_to is not None:
        conditions.append(Referral.assigned_to == assigned_to)
    elif unassigned:
        conditions.append(Referral.assigned_to.is_(None))
    if characteristic:
        # Space-separated keys: pad both sides so "race" never matches part of another key.
        padded = " " + Referral.characteristics + " "
        conditions.append(padded.contains(f" {characteristic} ", autoescape=True))
    if tag:
        conditions.append((" " + Referral.tags + " ").contains(f" {tag} ", autoescape=True))
    # Count ids, not rows: a subquery of whole rows would read every sealed content too.
    total = session.scalar(select(func.count(Referral.id)).where(*conditions)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    order = _order(sort if sort in SORTS else SORTS[0])
    # The page's ids are chosen first, from the columns the order and filters need; only
    # those rows are then read whole (an order no index gives, "waiting", would otherwise
    # sort every row of the organisation with its sealed content). Still one statement.
    chosen = (
        select(Referral.id)
        .where(*conditions)
        .order_by(*order)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = session.scalars(
        select(Referral)
        .options(*listed(content=True))
        .where(Referral.id.in_(chosen))
        .order_by(*order)
    ).all()
    return Page(list(rows), total, page, pages)


@dataclass(frozen=True)
class Person:
    """What the inbox shows of the person a referral is from: the name they asked to be
    called (None: not given, or the content is deleted), whether they chose to stay
    anonymous, and the ways they agreed to be contacted (codes: phone, email, post)."""

    name: str | None
    anonymous: bool
    methods: tuple[str, ...]


def people(keyring: Keyring, rows: Iterable[Referral]) -> dict[int, Person]:
    """Each row's Person, by referral id, opened from its sealed content: only the rows
    given (a page of the inbox, at most PER_PAGE), in memory, never stored or logged."""
    found = {}
    for referral in rows:
        answers = answers_of(keyring, referral)
        name = answers.get("name")
        found[referral.id] = Person(
            name=(name.strip() or None) if isinstance(name, str) else None,
            anonymous=is_anonymous(answers),
            methods=chosen_methods(answers),
        )
    return found


# History ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a referral's history, opened."""

    at: dt.datetime
    kind: str  # status, note, contact, contact_refused, assigned, passed_on
    organisation: str  # whose history it was written in (the sender's, for a pass-on)
    staff_name: str | None  # None: written by the command line or an account since gone
    detail: dict

    @property
    def made_at(self) -> dt.datetime | None:
        """A contact attempt's own time (UTC), when it differs from when it was written."""
        value = self.detail.get("made_at")
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None

    @property
    def next_try(self) -> dt.date | None:
        value = self.detail.get("next_try")
        return dt.date.fromisoformat(value) if isinstance(value, str) else None


def history(session: Session, keyring: Keyring, referral: Referral) -> list[Line]:
    """Newest first. One query, the names of staff included (no query per line).

    Lines written while an earlier organisation held the referral stay with it, marked
    with that organisation: the person agreed to their answers being shared with the
    organisation that supports them, and whoever supports them now needs to know what
    was tried and why it was passed on."""
    rows = session.execute(
        select(ReferralEvent, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == ReferralEvent.staff_id)
        .where(ReferralEvent.referral_id == referral.id)
        .order_by(ReferralEvent.at.desc(), ReferralEvent.id.desc())
    ).all()
    return [
        Line(
            as_utc(event.at),
            event.kind,
            event.organisation,
            name,
            json.loads(keyring.open(event.detail)),
        )
        for event, name in rows
    ]


def _event(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    kind: str,
    detail: dict,
    by: StaffUser,
    now: dt.datetime,
) -> None:
    referral.last_activity_at = now
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            at=now,
            staff_id=by.id,
            organisation=referral.organisation,
            kind=kind,
            detail=keyring.seal(json.dumps(detail, ensure_ascii=False)),
        )
    )


def _audit(
    session: Session, referral: Referral, action: str, detail: str, by: StaffUser, now: dt.datetime
) -> None:
    """A line of the audit log about this referral."""
    audit.record(
        session,
        actor=by,
        action=action,
        now=now,
        organisation=referral.organisation,
        reference=referral.reference,
        detail=detail,
    )


def _refuse_if_purged(referral: Referral) -> None:
    if referral.purged_at is not None:
        raise CaseError("purged")


# Reading ----------------------------------------------------------------------------------


def record_view(session: Session, referral: Referral, by: StaffUser, now: dt.datetime) -> None:
    """Every look at a referral's page is in the audit log; an administrator's is marked.

    A look within audit.VISIT of the same person's previous look at the same referral (a
    reload, the page again after adding a note) is recorded as "viewed again": decided
    here, when it is written, so a manager's page of the log is a plain filter that pages
    and counts exactly, and the full record stays for the administrators."""
    last = audit.last_look(session, by.id, referral.reference)
    again = last is not None and as_utc(now) - as_utc(last) < audit.VISIT
    audit.record(
        session,
        actor=by,
        action=audit.VIEWED_AGAIN if again else audit.VIEWED,
        now=now,
        organisation=referral.organisation,
        reference=referral.reference,
        detail="administrator, read only" if by.organisation is None else "",
    )


def record_listing(session: Session, rows: list[Referral], by: StaffUser, now: dt.datetime) -> None:
    """A page of the inbox shows the people's names, so it is a look at those referrals:
    one audit record, with the references shown (never the names). None for an empty page.
    The same page shown again to the same person within a visit (a reload, coming back
    from a referral) is "referrals_listed_again": on record for the administrators, one
    line in a manager's page of the log (as audit.VIEWED_AGAIN)."""
    if not rows:
        return
    shown = " ".join(r.reference for r in rows)
    last = audit.last_listing(session, by.id, now)
    audit.record(
        session,
        actor=by,
        action=audit.LISTED_AGAIN if last == shown else audit.LISTED,
        now=now,
        organisation=by.organisation,
        detail=shown,
    )


# Changes ----------------------------------------------------------------------------------


def change_status(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    *,
    status: str,
    outcome: str | None,
    by: StaffUser,
    now: dt.datetime,
) -> None:
    """Closing needs an outcome and sets closed_at; any other status clears both (a
    reopened referral has no outcome yet). CaseError: "status", "outcome", "unchanged"."""
    _refuse_if_purged(referral)
    if status not in STATUSES:
        raise CaseError("status")
    if status == "closed":
        if outcome not in OUTCOMES:
            raise CaseError("outcome")
    else:
        outcome = None
    if (status, outcome) == (referral.status, referral.outcome):
        raise CaseError("unchanged")
    before = referral.status
    referral.status, referral.outcome = status, outcome
    referral.closed_at = now if status == "closed" else None
    _event(
        session,
        keyring,
        referral,
        "status",
        {"from": before, "to": status, "outcome": outcome},
        by,
        now,
    )
    _audit(
        session,
        referral,
        "referral_status_changed",
        f"{before} to {status}" + (f" ({outcome})" if outcome else ""),
        by,
        now,
    )


def add_note(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    text: str,
    *,
    by: StaffUser,
    now: dt.datetime,
) -> None:
    _refuse_if_purged(referral)
    if not text.strip():
        raise CaseError("empty")
    _event(session, keyring, referral, "note", {"text": text}, by, now)
    audit.record(
        session,
        actor=by,
        action="referral_note_added",
        now=now,
        organisation=referral.organisation,
        reference=referral.reference,
    )


# What came of a contact attempt. "answered" is the one that reaches the person: a referral
# still new moves on to "contacted" (the statuses stay the statistics' set).
RESULTS = ("answered", "no_answer", "left_no_message", "wrong_person")


def log_contact(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    answers: Answers,
    attempt: Attempt,
    note: str,
    *,
    confirmed: bool,
    by: StaffUser,
    now: dt.datetime,
    made_at: dt.datetime | None = None,
    result: str = "",
    next_try: dt.date | None = None,
) -> list[str]:
    """Record a contact attempt, made at `made_at` (UTC; default now). One that goes against
    the person's wishes (attempt.at, its local time, is checked against their safe times) is
    refused (NeedsConfirmation, with the reasons) unless `confirmed`: the refusal itself is a
    line in the history and the audit log, even if nobody confirms afterwards. Recorded, it
    carries the reasons in its history line and "against wishes" in the audit log. An
    answered attempt moves a new referral on to "contacted". Returns the reasons."""
    _refuse_if_purged(referral)
    reasons = breaches(answers, attempt)
    if reasons and not confirmed:
        _event(
            session,
            keyring,
            referral,
            "contact_refused",
            {"method": attempt.method, "breaches": reasons},
            by,
            now,
        )
        _audit(
            session,
            referral,
            "referral_contact_refused",
            f"by {attempt.method}; against wishes: {', '.join(reasons)}",
            by,
            now,
        )
        raise NeedsConfirmation(reasons)
    if result and result not in RESULTS:
        raise CaseError("result")
    _event(
        session,
        keyring,
        referral,
        "contact",
        {
            "method": attempt.method,
            "message_left": attempt.message_left,
            "said_who": attempt.said_who,
            "note": note,
            "breaches": reasons,
            "made_at": (made_at or now).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "result": result,
            "next_try": next_try.isoformat() if next_try else None,
        },
        by,
        now,
    )
    detail = f"by {attempt.method}"
    if result:
        detail += f", {result}"
    if reasons:
        detail += f"; against wishes: {', '.join(reasons)}"
    _audit(session, referral, "referral_contact_logged", detail, by, now)
    if result == "answered" and referral.status == "new":
        change_status(session, keyring, referral, status="contacted", outcome=None, by=by, now=now)
    return reasons


# Tags -------------------------------------------------------------------------------------


def tags_of(referral: Referral) -> list[str]:
    return referral.tags.split()


def set_tags(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    tags: Iterable[str],
    *,
    allowed: Iterable[str],
    by: StaffUser,
    now: dt.datetime,
) -> tuple[list[str], list[str]]:
    """Give the referral exactly `tags`, written in its history and the audit log as what
    was added and removed. `allowed`: the organisation's tags from its pack, in its order;
    a tag the referral has that the pack no longer lists may be kept or removed, never
    added. Returns (added, removed). CaseError: "tags" (not the organisation's),
    "unchanged"."""
    _refuse_if_purged(referral)
    order = list(allowed)
    wanted = set(tags)
    before = tags_of(referral)
    if wanted - set(order) - set(before):
        raise CaseError("tags")
    added = [t for t in order if t in wanted and t not in before]
    removed = [t for t in before if t not in wanted]
    if not added and not removed:
        raise CaseError("unchanged")
    kept = [t for t in order if t in wanted] + [t for t in before if t in wanted and t not in order]
    referral.tags = " ".join(kept)
    _event(session, keyring, referral, "tags", {"added": added, "removed": removed}, by, now)
    _audit(
        session,
        referral,
        "referral_tags_changed",
        f"added: {', '.join(added) or '-'}; removed: {', '.join(removed) or '-'}",
        by,
        now,
    )
    return added, removed


# What staff may update when the person tells them something new about being contacted
# ("call me after 6 now", "you can leave a message now"): the rules read these answers.
CHANGEABLE_WISHES = ("phone_periods", "phone_message", "phone_say_who")


def update_wishes(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    changes: dict,
    words: str,
    *,
    by: StaffUser,
    now: dt.datetime,
) -> None:
    """The person now says something new about being contacted: their answers change (so
    the contact rules follow them), with what they said, in the history and audit log, the
    answers before and after included. CaseError: "words" (what they said is needed),
    "unchanged" (nothing would change), "purged"."""
    _refuse_if_purged(referral)
    if not words.strip():
        raise CaseError("words")
    answers = answers_of(keyring, referral)
    changed = {
        key: value
        for key, value in changes.items()
        if key in CHANGEABLE_WISHES and answers.get(key) != value
    }
    if not changed:
        raise CaseError("unchanged")
    before = {key: answers.get(key) for key in changed}
    for key, value in changed.items():
        put(answers, key, value)
    referral.content = keyring.seal(json.dumps(answers, ensure_ascii=False))
    _event(
        session,
        keyring,
        referral,
        "wishes_changed",
        {"before": before, "after": changed, "words": words},
        by,
        now,
    )
    _audit(session, referral, "referral_wishes_changed", ", ".join(changed), by, now)


# A referral "contacted" and not moved on for this many days comes back as due (config
# CONTACTED_DUE_DAYS, 14 unless set): try again, or move it on.
def is_due(status: str, last_activity: dt.datetime, *, days: int, now: dt.datetime) -> bool:
    """Contacted, and nothing recorded on it (a contact, a note, a status) for `days` days."""
    return status == "contacted" and as_utc(last_activity) <= now - dt.timedelta(days=days)


# Who has it ---------------------------------------------------------------------------------

# Who may hold a referral: its organisation's caseworkers and managers, while active.
HOLDERS = ("caseworker", "manager")


def assignable(session: Session, organisation: str) -> list[StaffUser]:
    """The organisation's active caseworkers and managers, by name: who a referral can go to."""
    return list(
        session.scalars(
            select(StaffUser)
            .where(
                StaffUser.organisation == organisation,
                StaffUser.role.in_(HOLDERS),
                StaffUser.activated_at.is_not(None),
                StaffUser.removed_at.is_(None),
            )
            .order_by(StaffUser.name, StaffUser.id)
        )
    )


def may_assign(by: StaffUser, referral: Referral, to: StaffUser | None) -> bool:
    """The rules, as a victim-support charity runs its caseload: a manager shares out the
    work, so may give any referral of the organisation to any of its active caseworkers
    or managers, take it from one and give it to another, or leave it with nobody; a
    caseworker may take a referral nobody has, and give back one they have, but never
    take one from a colleague or hand one to someone else (that is the manager's call)."""
    if by.organisation is None or by.organisation != referral.organisation:
        return False
    if by.role == "manager":
        return True
    if by.role == "caseworker":
        taking = referral.assigned_to is None and to is not None and to.id == by.id
        giving_back = referral.assigned_to == by.id and to is None
        return taking or giving_back
    return False


def assign(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    *,
    to: StaffUser | None,
    reason: str,
    by: StaffUser,
    now: dt.datetime,
    pack: AreaPack,
    emails: outbox.EmailWriter,
) -> None:
    """Give the referral to `to` (None: to nobody), written in its history (with the names
    then, and the reason) and in the audit log (addresses, and the reason). A reason is
    needed whenever someone already has it: taking a case from a colleague, or leaving it
    with nobody, should say why. Someone given it by another is told by email (a reference
    and a link: no personal data); someone taking it themselves is not. CaseError: "staff"
    (not an active caseworker or manager of its organisation), "forbidden" (see
    may_assign), "unchanged", "reason", "purged"."""
    _refuse_if_purged(referral)
    if to is not None and (
        to.organisation != referral.organisation or to.role not in HOLDERS or not to.active
    ):
        raise CaseError("staff")
    if not may_assign(by, referral, to):
        raise CaseError("forbidden")
    if referral.assigned_to == (to.id if to else None):
        raise CaseError("unchanged")
    reason = reason.strip()
    if referral.assigned_to is not None and not reason:
        raise CaseError("reason")
    before = session.get(StaffUser, referral.assigned_to) if referral.assigned_to else None
    referral.assigned_to = to.id if to else None
    referral.assignee = to
    _event(
        session,
        keyring,
        referral,
        "assigned",
        {
            "from": before.id if before else None,
            "from_name": before.name if before else None,
            "to": to.id if to else None,
            "to_name": to.name if to else None,
            "reason": reason,
        },
        by,
        now,
    )
    organisation = pack.organisation(referral.organisation)
    if to is not None and to.id != by.id and organisation is not None:
        outbox.alert(
            session,
            keyring,
            referral,
            organisation,
            kind="assigned",
            words=emails.assigned(organisation, referral.reference),
            now=now,
        )
    detail = f"from {before.email if before else 'nobody'} to {to.email if to else 'nobody'}"
    _audit(
        session, referral, "referral_assigned", detail + (f": {reason}" if reason else ""), by, now
    )


@dataclass(frozen=True)
class Load:
    """One person's open referrals, by status; `person` None: the referrals nobody has."""

    person: StaffUser | None
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def workload(session: Session, organisation: str) -> list[Load]:
    """Open (not closed) referrals of the organisation per person who has them, in two
    queries whatever their number: the counts, grouped, then the staff. Everyone who can
    hold a referral is listed (with none, too); someone removed only while they still
    hold some, so a manager sees what to share out again. Nobody's referrals come first."""
    counts: dict[int | None, dict[str, int]] = {}
    for holder, status, number in session.execute(
        select(Referral.assigned_to, Referral.status, func.count(Referral.id))
        .where(Referral.organisation == organisation, Referral.status != "closed")
        .group_by(Referral.assigned_to, Referral.status)
    ):
        counts.setdefault(holder, {})[status] = number
    people = session.scalars(
        select(StaffUser)
        .where(StaffUser.organisation == organisation, StaffUser.role.in_(HOLDERS))
        .order_by(StaffUser.name, StaffUser.id)
    ).all()
    loads = [Load(None, counts.get(None, {}))]
    loads += [Load(p, counts.get(p.id, {})) for p in people if p.active or counts.get(p.id)]
    return loads


def staffed(session: Session) -> set[str]:
    """The organisations with someone who could accept a referral passed to them. One query."""
    return set(
        session.scalars(
            select(StaffUser.organisation)
            .where(
                StaffUser.organisation.is_not(None),
                StaffUser.role.in_(HOLDERS),
                StaffUser.activated_at.is_not(None),
                StaffUser.removed_at.is_(None),
            )
            .distinct()
        )
    )


def has_active_staff(session: Session, organisation: str) -> bool:
    """Whether anyone of the organisation could accept a referral passed to it (an account
    set up and not removed)."""
    return bool(assignable(session, organisation))


def waiting_pass(session: Session, referral: Referral) -> ReferralPass | None:
    """The pass-on of this referral waiting for its receiver, if any."""
    return session.scalars(
        select(ReferralPass).where(
            ReferralPass.referral_id == referral.id, ReferralPass.state == "waiting"
        )
    ).first()


def find_passed_to(session: Session, reference: str, organisation: str | None) -> Referral | None:
    """A referral passed to `organisation` and waiting for it to accept or return it: its
    staff may read it to decide, and change nothing else."""
    if not organisation:
        return None
    return session.scalars(
        select(Referral)
        .join(ReferralPass, ReferralPass.referral_id == Referral.id)
        .where(
            Referral.reference == reference,
            ReferralPass.to_organisation == organisation,
            ReferralPass.state == "waiting",
        )
    ).first()


def passed_from(session: Session, reference: str, organisation: str | None) -> ReferralPass | None:
    """What became of a referral `organisation` passed on and no longer holds (accepted by
    the receiver): the last such pass, for the one line the sender still sees."""
    if not organisation:
        return None
    return session.scalars(
        select(ReferralPass)
        .join(Referral, ReferralPass.referral_id == Referral.id)
        .where(
            Referral.reference == reference,
            Referral.organisation != organisation,
            ReferralPass.from_organisation == organisation,
            ReferralPass.state == "accepted",
        )
        .order_by(ReferralPass.id.desc())
    ).first()


@dataclass(frozen=True)
class Passed:
    reference: str
    other: str  # the other organisation's slug: the receiver, or the sender
    at: dt.datetime


def passes_waiting(session: Session, organisation: str) -> tuple[list[Passed], list[Passed]]:
    """For the inbox: (passed to this organisation, to accept or return; passed on by it,
    waiting for the receiver), oldest first. One query."""
    rows = session.execute(
        select(Referral.reference, ReferralPass)
        .join(ReferralPass, ReferralPass.referral_id == Referral.id)
        .where(
            ReferralPass.state == "waiting",
            (ReferralPass.to_organisation == organisation)
            | (ReferralPass.from_organisation == organisation),
        )
        .order_by(ReferralPass.at, ReferralPass.id)
    ).all()
    to_us = [
        Passed(ref, p.from_organisation, as_utc(p.at))
        for ref, p in rows
        if p.to_organisation == organisation
    ]
    from_us = [
        Passed(ref, p.to_organisation, as_utc(p.at))
        for ref, p in rows
        if p.from_organisation == organisation
    ]
    return to_us, from_us


def pass_on(
    session: Session,
    keyring: Keyring,
    pack: AreaPack,
    referral: Referral,
    *,
    to: str,
    reason: str,
    by: StaffUser,
    now: dt.datetime,
    emails: outbox.EmailWriter,
) -> Organisation:
    """Offer the referral to another organisation of the pack. It stays the sender's (read
    only for them, in their counts and workload) until the receiver accepts it (accept) or
    returns it with a reason (give_back); the receiver is told by email if the pack gives
    an address (a reference and a link only: no personal data). Returns the receiver.
    CaseError: "organisation" (unknown, or its own), "nobody" (no active staff there to
    accept it), "reason" (empty), "waiting" (already passed on, not yet answered)."""
    _refuse_if_purged(referral)
    receiver = pack.organisation(to)
    if receiver is None or receiver.slug == referral.organisation:
        raise CaseError("organisation")
    if not reason.strip():
        raise CaseError("reason")
    if not has_active_staff(session, receiver.slug):
        raise CaseError("nobody")
    if waiting_pass(session, referral) is not None:
        raise CaseError("waiting")
    sender = referral.organisation
    # The line is written in the sender's history (organisation=sender), and stays with
    # the referral: the receiver sees why it came to them.
    _event(
        session,
        keyring,
        referral,
        "passed_on",
        {"from": sender, "to": receiver.slug, "reason": reason},
        by,
        now,
    )
    session.add(
        ReferralPass(
            referral_id=referral.id,
            from_organisation=sender,
            to_organisation=receiver.slug,
            by_id=by.id,
            at=now,
            state="waiting",
        )
    )
    # Nobody of the receiver's has it yet, so this goes to the receiver's address.
    outbox.alert(
        session,
        keyring,
        referral,
        receiver,
        kind="passed_on",
        words=emails.passed_on(receiver, referral.reference),
        now=now,
    )
    _audit(
        session,
        referral,
        "referral_passed_on",
        f"from {sender} to {receiver.slug}, waiting for them to accept",
        by,
        now,
    )
    return receiver


def _waiting_for(session: Session, referral: Referral, by: StaffUser) -> ReferralPass:
    """The pass waiting for `by`'s organisation to answer, or CaseError("not_waiting")."""
    _refuse_if_purged(referral)
    passed = waiting_pass(session, referral)
    if passed is None or not by.organisation or passed.to_organisation != by.organisation:
        raise CaseError("not_waiting")
    return passed


def accept(
    session: Session, keyring: Keyring, referral: Referral, *, by: StaffUser, now: dt.datetime
) -> ReferralPass:
    """The receiver takes the referral on: it becomes theirs, as new (received now), with
    nobody holding it yet; the sender's access ends, but for the line saying so."""
    passed = _waiting_for(session, referral, by)
    passed.state, passed.decided_at, passed.decided_by_id = "accepted", now, by.id
    referral.organisation = passed.to_organisation
    referral.received_at = now
    referral.status, referral.outcome, referral.closed_at = "new", None, None
    referral.assigned_to = None  # the receiver's staff decide who has it
    referral.tags = ""  # tags are the sender's own marks: the receiver has its own
    _event(session, keyring, referral, "pass_accepted", {"from": passed.from_organisation}, by, now)
    _audit(session, referral, "referral_pass_accepted", f"from {passed.from_organisation}", by, now)
    return passed


def give_back(
    session: Session,
    keyring: Keyring,
    referral: Referral,
    *,
    reason: str,
    by: StaffUser,
    now: dt.datetime,
) -> ReferralPass:
    """The receiver returns the referral, with a reason (sealed in its history): it is the
    sender's again, to handle or pass elsewhere. CaseError "reason": empty."""
    passed = _waiting_for(session, referral, by)
    if not reason.strip():
        raise CaseError("reason")
    passed.state, passed.decided_at, passed.decided_by_id = "returned", now, by.id
    # Written in the sender's history (the referral is theirs): they see why.
    _event(
        session,
        keyring,
        referral,
        "pass_returned",
        {"by": passed.to_organisation, "reason": reason},
        by,
        now,
    )
    audit.record(
        session,
        actor=by,
        action="referral_pass_returned",
        now=now,
        organisation=passed.to_organisation,
        reference=referral.reference,
        detail=f"back to {passed.from_organisation}",
    )
    return passed


# Export -----------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# such a cell gets a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
