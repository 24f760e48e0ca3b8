"""Sending a referral: one transaction holds the referral, its anonymous statistics
and its notifications, and removes the draft. The person is told "sent" only after
that transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db.models import Referral
from . import drafts, outbox, search, statistics
from .answers import Answers, from_json
from .areapack import AreaPack, Organisation
from .crypto import Keyring
from .postcodes import outward_code
from .references import new_reference
from .routing import Route, alternatives, route


class NotReady(Exception):
    """The answers are not complete enough to send (a required question is missing)."""


@dataclass(frozen=True)
class Sent:
    reference: str
    organisation: str


def characteristics_of(answers: Answers) -> set[str]:
    from .vocabulary import CHARACTERISTICS

    return {a for a in answers.get("about", []) if a in CHARACTERISTICS}


def district_of(answers: Answers) -> str | None:
    return (
        outward_code(answers.get("where_postcode") or "")
        if answers.get("where") == "place"
        else None
    )


def route_for(pack: AreaPack, answers: Answers) -> Route:
    return route(
        pack,
        characteristics_of(answers),
        set(answers.get("help", [])),
        religion=answers.get("religion"),
        district=district_of(answers),
        who=answers.get("who"),
        interpreter=answers.get("interpreter") == "yes",
        bsl=answers.get("bsl") is True,
    )


def choices_for(pack: AreaPack, answers: Answers) -> list[Organisation]:
    """The routed organisation first, then the others that serve this need."""
    routed = route_for(pack, answers).organisation
    others = [
        o
        for o in alternatives(pack, characteristics_of(answers), district_of(answers))
        if o.slug != routed.slug
    ]
    return [routed, *others]


REQUIRED = ("who", "what", "about", "police", "help", "contact", "consent")


def missing(answers: Answers) -> list[str]:
    return [key for key in REQUIRED if not answers.get(key)]


def find_sent(session: Session, submission_key: str) -> Referral | None:
    return session.scalars(
        select(Referral).where(Referral.submission_key == submission_key)
    ).first()


def find_by_reference(session: Session, reference: str) -> Referral | None:
    return session.scalars(select(Referral).where(Referral.reference == reference)).first()


def open_content(keyring: Keyring, referral: Referral) -> Answers:
    return from_json(json.loads(keyring.open(referral.content)))


@dataclass(frozen=True)
class Outcome:
    """What the done page needs to say what happens next, and to whom."""

    who: str  # self, helper, witness, professional
    anonymous: bool
    police: str  # yes, no, pass_on


def outcome_of(keyring: Keyring, referral: Referral) -> Outcome:
    content = open_content(keyring, referral)
    return Outcome(
        who=content.get("who", "self"),
        anonymous=content.get("contact") == "none",
        police=content.get("police", ""),
    )


def submit(
    session: Session,
    keyring: Keyring,
    pack: AreaPack,
    *,
    token: str,
    draft: drafts.InProgress,
    organisation_slug: str,
    now: dt.datetime,
    emails: outbox.EmailWriter,
) -> Sent:
    """Store the referral once, whatever happens: a second call with the same draft
    (double click, resubmission, Back then Send) returns the first referral.

    `emails` writes the notice to the organisation and the confirmation to the person (in
    their language), sent only if they asked for one and gave an address. The caller commits
    before it confirms anything to the person."""
    submission_key, answers = draft.submission_key, draft.answers
    existing = find_sent(session, submission_key)
    if existing is not None:
        return Sent(existing.reference, existing.organisation)
    if missing(answers):
        raise NotReady(", ".join(missing(answers)))
    allowed = {o.slug for o in choices_for(pack, answers)}
    organisation = pack.organisation(organisation_slug) if organisation_slug in allowed else None
    if organisation is None:
        organisation = route_for(pack, answers).organisation

    for _attempt in range(5):
        reference = new_reference()
        referral = Referral(
            reference=reference,
            submission_key=submission_key,
            organisation=organisation.slug,
            status="new",
            created_at=now,
            received_at=now,
            last_activity_at=now,
            characteristics=" ".join(sorted(characteristics_of(answers))),
            content=keyring.seal(json.dumps(answers, ensure_ascii=False)),
        )
        try:
            # Everything inside the try: any statement may flush the pending insert, and a
            # racing request with the same submission key makes that flush fail.
            session.add(referral)
            search.index(session, keyring, referral, answers)
            statistics.count_referral(session, answers, organisation.slug, now, pack.heard_slugs)
            _notify(session, keyring, organisation, answers, reference, now, emails)
            drafts.delete_in(session, token)
            session.flush()  # a clash shows here, not in the caller's commit
        except IntegrityError:
            session.rollback()
            existing = find_sent(session, submission_key)
            if existing is not None:  # another request sent this same draft first
                return Sent(existing.reference, existing.organisation)
            continue  # the reference was taken: draw another
        return Sent(reference, organisation.slug)
    raise RuntimeError("could not find a free reference after 5 tries")


def _notify(
    session: Session,
    keyring: Keyring,
    organisation: Organisation,
    answers: Answers,
    reference: str,
    now: dt.datetime,
    emails: outbox.EmailWriter,
) -> None:
    # No personal data in either message: a reference and where to look, nothing more.
    outbox.notify_organisation(
        session,
        keyring,
        organisation,
        kind="new_referral",
        words=emails.new_referral(organisation, reference),
        reference=reference,
        now=now,
    )
    if answers.get("confirmation") and answers.get("email"):
        # No organisation name either: the person's inbox may be read by someone else.
        subject, body = emails.confirmation(reference)
        outbox.queue(
            session,
            keyring,
            kind="confirmation",
            recipient=answers["email"] or "",  # given: checked above
            subject=subject,
            body=body,
            now=now,
            reference=reference,
        )
