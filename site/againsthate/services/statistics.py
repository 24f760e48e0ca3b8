"""Figures for the commissioning office: counts, never content.

Two sources, kept apart on purpose:
- the anonymous statistics (ReferralCount), for what referrals were about, who sent them,
  what they asked for and how people heard of the service;
- the Referral table's routing columns only (organisation, status, received_at), for the
  work waiting at each organisation. Its sealed content is never selected here.

Why counters, and why this shape. The statistics must not lead back to a referral, even
for someone holding the whole database or a backup: a row per referral does, whatever its
columns, because a shared id, a fine time, the order rows were written in, SQLite's rowid
or PostgreSQL's physical order (ctid) and row version (xmin) all pair it with the referral
written in the same transaction. So there are no rows per referral, only counters:
- one counter per (month, lead organisation, dimension, value): "in 2026-11, 3 referrals
  to Disability Direct were sent by a witness". The month is the finest time kept.
- Each dimension is counted on its own (referrals, characteristic, who, help, police,
  heard, contact). Characteristics and help take several answers at once: each answer
  given adds one to its own counter, so "race" counts every referral about race, as the
  figures have always meant. A counter per combination of every answer would keep, for a
  month with few referrals, each referral's whole set of answers in one row; counters per
  dimension keep only what each figure needs. What is given up: crossing two questions
  (help asked by characteristic, say); insight has month x organisation x one question.
- The organisation is in the key because insight shows each organisation its own
  figures. The Referral table already says how many referrals each organisation had in a
  month, so this adds nothing to find a referral by; but a month in which an organisation
  had one referral shows that referral's answers, as any count of one would. That is why
  figures shown beyond an administrator's screen must suppress small numbers.
- Every counter of a (month, organisation) block exists from that block's first referral
  (all at 0, inserted at once in a fixed order), and every referral to it rewrites the
  whole block, adding 1 where it applies and 0 elsewhere. So no row is created, moved or
  stamped by the answers: which rows exist, their order on disk and PostgreSQL's xmin of
  each are the same whichever answers came, and tell nothing the Referral table does not
  (tests/referral/test_statistics_unlinkable.py sends the same referrals in two orders and
  finds every other table identical, row ids and physical order included).
- Written in the referral's own transaction, so a referral and its count are one: none
  without the other. Concurrency: the block is created with INSERT ... ON CONFLICT DO
  NOTHING (SQLite and PostgreSQL), then locked in key order (SELECT ... FOR UPDATE
  ordered; SQLite has one writer at a time anyway) and updated in one statement, so two
  referrals at once neither lose a count nor deadlock.

The figures from the counters are one query; each workload figure is one grouped query:
the number does not grow with organisations or referrals.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..db.models import Referral, ReferralCount, StaffUser
from .answers import Answers
from .vocabulary import ABOUT, FILLED_IN_BY, HELP

MONTHS = 12

# Every value each dimension can take: the block of counters made for each month and
# organisation. An answer outside these (which the forms never send) is not counted, so
# that no counter is ever made by one referral alone. How people heard of the service is
# the area pack's own list of answers (AreaPack.heard_slugs), given to `dimensions`.
FIXED: dict[str, tuple[str, ...]] = {
    "referrals": ("",),
    "characteristic": tuple(ABOUT),  # the five strands, "other" and "not_sure"
    "who": FILLED_IN_BY,
    "help": tuple(HELP),
    "police": ("yes", "no", "pass_on"),
    "contact": ("anonymous", "contact"),
}


def dimensions(heard: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every counter of a block, with `heard` the answers the pack's question offers.

    A pack that changes its list mid-month adds the new answers' counters to a block
    the next time any referral rewrites it: which rows exist still follows the pack,
    never an answer."""
    return {**FIXED, "heard": (*heard, "")}  # "": not said


def counted(answers: Answers, heard: Iterable[str]) -> set[tuple[str, str]]:
    """The (dimension, value) counters a referral with these answers adds one to."""
    given = {
        ("referrals", ""),
        ("who", answers.get("who") or ""),
        ("police", answers.get("police") or ""),
        ("heard", answers.get("heard") or ""),
        ("contact", "anonymous" if answers.get("contact") == "none" else "contact"),
        *(("characteristic", key) for key in answers.get("about") or []),
        *(("help", key) for key in answers.get("help") or []),
    }
    known = dimensions(heard)
    return {(dimension, value) for dimension, value in given if value in known[dimension]}


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](ReferralCount)


def count_referral(
    session: Session,
    answers: Answers,
    organisation: str,
    now: dt.datetime,
    heard: Iterable[str],
) -> None:
    """Add a sent referral to the counters, in the caller's transaction (the caller commits).
    `heard`: the answers the pack offers to "how did you hear about this service?"."""
    heard = tuple(heard)
    month = f"{now:%Y-%m}"
    block = [
        {
            "month": month,
            "organisation": organisation,
            "dimension": dimension,
            "value": value,
            "count": 0,
        }
        for dimension, values in dimensions(heard).items()
        for value in values
    ]
    session.execute(
        _insert(session)
        .values(block)
        .on_conflict_do_nothing(index_elements=["month", "organisation", "dimension", "value"])
    )
    here = (ReferralCount.month == month, ReferralCount.organisation == organisation)
    # Lock the block's rows in key order, so referrals sent at once queue, never deadlock.
    session.execute(
        select(ReferralCount.dimension)
        .where(*here)
        .order_by(ReferralCount.dimension, ReferralCount.value)
        .with_for_update()
    ).all()
    applies = or_(
        *(
            and_(ReferralCount.dimension == dimension, ReferralCount.value == value)
            for dimension, value in sorted(counted(answers, heard))
        )
    )
    # Every row of the block is rewritten, those that do not apply with + 0: see above.
    session.execute(
        update(ReferralCount)
        .where(*here)
        .values(count=ReferralCount.count + case((applies, 1), else_=0))
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Figures:
    """What the anonymous statistics say about the months in `months`."""

    months: list[tuple[str, int]]  # ("2026-03", 4), oldest first, every month listed
    total: int
    anonymous: int
    characteristics: Counter[str]  # one referral can count under several
    organisations: Counter[str]
    heard_from: Counter[str]  # "" when the person did not say
    who: Counter[str] = field(default_factory=Counter)
    help: Counter[str] = field(default_factory=Counter)  # one referral can count under several
    police: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Workload:
    """One organisation's referrals by status, and how many wait too long for contact."""

    organisation: str
    by_status: Counter[str]
    overdue: int


def last_months(today: dt.date, count: int = MONTHS) -> list[str]:
    """The keys ("2026-03") of the last `count` months, this one included, oldest first."""
    year, month = today.year, today.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def counts(
    session: Session, first: str, last: str, organisation: str | None = None
) -> dict[tuple[str, str, str, str], int]:
    """Every counter above 0 from month `first` to `last` (both "2026-03"), for one
    organisation or all: (month, organisation, dimension, value) -> count. One query."""
    query = select(
        ReferralCount.month,
        ReferralCount.organisation,
        ReferralCount.dimension,
        ReferralCount.value,
        ReferralCount.count,
    ).where(ReferralCount.month >= first, ReferralCount.month <= last, ReferralCount.count > 0)
    if organisation is not None:
        query = query.where(ReferralCount.organisation == organisation)
    return {
        (month, org, dimension, value): number
        for month, org, dimension, value, number in session.execute(query)
    }


def figures(
    session: Session, today: dt.date, count: int = MONTHS, organisation: str | None = None
) -> Figures:
    months = last_months(today, count)
    per_month: Counter[str] = Counter()
    organisations: Counter[str] = Counter()
    by: dict[str, Counter[str]] = {dimension: Counter() for dimension in dimensions(())}
    for (month, org, dimension, value), number in counts(
        session, months[0], months[-1], organisation
    ).items():
        by.setdefault(dimension, Counter())[value] += number
        if dimension == "referrals":
            per_month[month] += number
            organisations[org] += number
    return Figures(
        months=[(month, per_month[month]) for month in months],
        total=sum(per_month.values()),
        anonymous=by["contact"]["anonymous"],
        characteristics=by["characteristic"],
        organisations=organisations,
        heard_from=by["heard"],
        who=by["who"],
        help=by["help"],
        police=by["police"],
    )


def referrals_counted(session: Session) -> int:
    """How many referrals the statistics hold, all months together."""
    return (
        session.scalar(
            select(func.coalesce(func.sum(ReferralCount.count), 0)).where(
                ReferralCount.dimension == "referrals"
            )
        )
        or 0
    )


def working_days_before(day: dt.date, days: int) -> dt.date:
    """The date `days` working days (Monday to Friday) before `day`."""
    while days > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def overdue_before(today: dt.date, response_days: int) -> dt.datetime:
    """Referrals received before this moment have waited more than `response_days` working
    days: their last day to be contacted (the day received, plus those days) is past."""
    cutoff = working_days_before(today, response_days)
    return dt.datetime.combine(cutoff, dt.time.min, tzinfo=dt.UTC)


def workload(
    session: Session, organisations: Iterable[str], today: dt.date, response_days: int | None
) -> list[Workload]:
    """Per organisation (those given first, in order, then any other found), referrals by
    status, and how many are still "new" after the response time (0 if there is none)."""
    by_status: dict[str, Counter[str]] = {}
    for organisation, status, number in session.execute(
        select(Referral.organisation, Referral.status, func.count()).group_by(
            Referral.organisation, Referral.status
        )
    ):
        by_status.setdefault(organisation, Counter())[status] = number
    overdue: dict[str, int] = {}
    if response_days:
        received = func.coalesce(Referral.received_at, Referral.created_at)
        overdue = dict(
            session.execute(
                select(Referral.organisation, func.count())
                .where(Referral.status == "new", received < overdue_before(today, response_days))
                .group_by(Referral.organisation)
            ).all()
        )
    order = list(dict.fromkeys([*organisations, *sorted(by_status)]))
    return [Workload(slug, by_status.get(slug, Counter()), overdue.get(slug, 0)) for slug in order]


def open_referrals(session: Session) -> Counter[str]:
    """Referrals not yet closed, per organisation."""
    return Counter(
        dict(
            session.execute(
                select(Referral.organisation, func.count())
                .where(Referral.status != "closed")
                .group_by(Referral.organisation)
            ).all()
        )
    )


def active_staff(session: Session) -> Counter[str | None]:
    """People who can sign in, per organisation (None: the administrators)."""
    return Counter(
        dict(
            session.execute(
                select(StaffUser.organisation, func.count())
                .where(StaffUser.activated_at.is_not(None), StaffUser.removed_at.is_(None))
                .group_by(StaffUser.organisation)
            ).all()
        )
    )
