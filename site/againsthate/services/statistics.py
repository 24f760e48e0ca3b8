"""Figures for the commissioning office: counts, never content.

Two sources, kept apart on purpose:
- the anonymous ReferralStat table (one row per referral sent, with no link back to it),
  for what referrals were about and how people heard of the service;
- the Referral table's routing columns only (organisation, status, received_at), for the
  work waiting at each organisation. Its sealed content is never selected here.

Every figure is one grouped query, whatever the number of organisations or referrals.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import Referral, ReferralStat, StaffUser

MONTHS = 12


@dataclass(frozen=True)
class Figures:
    """What the anonymous statistics say about the months in `months`."""

    months: list[tuple[str, int]]  # ("2026-03", 4), oldest first, every month listed
    total: int
    anonymous: int
    characteristics: Counter[str]  # one referral can count under several
    organisations: Counter[str]
    heard_from: Counter[str]  # "" when the person did not say


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


def figures(session: Session, today: dt.date, count: int = MONTHS) -> Figures:
    months = last_months(today, count)
    window = (ReferralStat.month >= months[0], ReferralStat.month <= months[-1])

    def grouped(column) -> list[tuple]:
        return list(session.execute(
            select(column, func.count()).where(*window).group_by(column)).all())

    per_month = dict(grouped(ReferralStat.month))
    by_anonymous = dict(grouped(ReferralStat.anonymous))
    characteristics: Counter[str] = Counter()
    for keys, number in grouped(ReferralStat.characteristics):
        for key in (keys or "").split():
            characteristics[key] += number
    return Figures(
        months=[(month, per_month.get(month, 0)) for month in months],
        total=sum(by_anonymous.values()),
        anonymous=sum(n for anonymous, n in by_anonymous.items() if anonymous),
        characteristics=characteristics,
        organisations=Counter(dict(grouped(ReferralStat.organisation))),
        heard_from=Counter(dict(grouped(ReferralStat.heard_from))),
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


def workload(session: Session, organisations: Iterable[str], today: dt.date,
             response_days: int | None) -> list[Workload]:
    """Per organisation (those given first, in order, then any other found), referrals by
    status, and how many are still "new" after the response time (0 if there is none)."""
    by_status: dict[str, Counter[str]] = {}
    for organisation, status, number in session.execute(
            select(Referral.organisation, Referral.status, func.count())
            .group_by(Referral.organisation, Referral.status)):
        by_status.setdefault(organisation, Counter())[status] = number
    overdue: dict[str, int] = {}
    if response_days:
        received = func.coalesce(Referral.received_at, Referral.created_at)
        overdue = dict(session.execute(
            select(Referral.organisation, func.count())
            .where(Referral.status == "new", received < overdue_before(today, response_days))
            .group_by(Referral.organisation)).all())
    order = list(dict.fromkeys([*organisations, *sorted(by_status)]))
    return [Workload(slug, by_status.get(slug, Counter()), overdue.get(slug, 0)) for slug in order]


def open_referrals(session: Session) -> Counter[str]:
    """Referrals not yet closed, per organisation."""
    return Counter(dict(session.execute(
        select(Referral.organisation, func.count()).where(Referral.status != "closed")
        .group_by(Referral.organisation)).all()))


def active_staff(session: Session) -> Counter[str | None]:
    """People who can sign in, per organisation (None: the administrators)."""
    return Counter(dict(session.execute(
        select(StaffUser.organisation, func.count())
        .where(StaffUser.activated_at.is_not(None), StaffUser.removed_at.is_(None))
        .group_by(StaffUser.organisation)).all()))
