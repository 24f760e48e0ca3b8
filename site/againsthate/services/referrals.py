"""Sending a referral: one transaction holds the referral, its anonymous statistics
and its notifications, and removes the draft. The person is told "sent" only after
that transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db.models import Referral
from . import drafts, outbox, statistics
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


def characteristics_of(answers: dict) -> set[str]:
    from .vocabulary import CHARACTERISTICS

    return {a for a in answers.get("about", []) if a in CHARACTERISTICS}


def district_of(answers: dict) -> str | None:
    return (
        outward_code(answers.get("where_postcode") or "")
        if answers.get("where") == "place"
        else None
    )


def route_for(pack: AreaPack, answers: dict) -> Route:
    return route(
        pack,
        characteristics_of(answers),
        set(answers.get("help", [])),
        religion=answers.get("religion"),
        district=district_of(answers),
    )


def choices_for(pack: AreaPack, answers: dict) -> list[Organisation]:
    """The routed organisation first, then the others that serve this need."""
    routed = route_for(pack, answers).organisation
    others = [
        o
        for o in alternatives(pack, characteristics_of(answers), district_of(answers))
        if o.slug != routed.slug
    ]
    return [routed, *others]


REQUIRED = ("who", "what", "about", "police", "help", "contact", "consent")


def missing(answers: dict) -> list[str]:
    return [key for key in REQUIRED if not answers.get(key)]


def find_sent(session: Session, submission_key: str) -> Referral | None:
    return session.scalars(
        select(Referral).where(Referral.submission_key == submission_key)
    ).first()


def find_by_reference(session: Session, reference: str) -> Referral | None:
    return session.scalars(select(Referral).where(Referral.reference == reference)).first()


def open_content(keyring: Keyring, referral: Referral) -> dict:
    return json.loads(keyring.open(referral.content))


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
    answers: dict,
    organisation_slug: str,
    site_url: str,
    now: dt.datetime,
    confirmation: Callable[[str], tuple[str, str]] | None = None,
) -> Sent:
    """Store the referral once, whatever happens: a second call with the same draft
    (double click, resubmission, Back then Send) returns the first referral.

    `confirmation(reference)` gives the subject and body of the email to the person, in
    their language; it is sent only if they asked for one and gave an address. The caller
    commits before it confirms anything to the person."""
    submission_key = answers["_submission_key"]
    existing = find_sent(session, submission_key)
    if existing is not None:
        return Sent(existing.reference, existing.organisation)
    if missing(answers):
        raise NotReady(", ".join(missing(answers)))
    allowed = {o.slug for o in choices_for(pack, answers)}
    organisation = pack.organisation(organisation_slug) if organisation_slug in allowed else None
    if organisation is None:
        organisation = route_for(pack, answers).organisation

    content = {k: v for k, v in answers.items() if not k.startswith("_") and k != "steps_done"}
    for _attempt in range(5):
        reference = new_reference()
        referral = Referral(
            reference=reference,
            submission_key=submission_key,
            organisation=organisation.slug,
            status="new",
            created_at=now,
            received_at=now,
            characteristics=" ".join(sorted(characteristics_of(answers))),
            content=keyring.seal(json.dumps(content, ensure_ascii=False)),
        )
        try:
            # Everything inside the try: any statement may flush the pending insert, and a
            # racing request with the same submission key makes that flush fail.
            session.add(referral)
            statistics.count_referral(session, answers, organisation.slug, now)
            _notify(session, keyring, organisation, answers, reference, site_url, now, confirmation)
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
    answers: dict,
    reference: str,
    site_url: str,
    now: dt.datetime,
    confirmation: Callable[[str], tuple[str, str]] | None,
) -> None:
    # No personal data in either message: a reference and where to look, nothing more.
    outbox.notify_organisation(
        session,
        keyring,
        organisation,
        kind="new_referral",
        subject=f"New referral {reference}",
        opening=f"A new self-referral has arrived for {organisation.name}.",
        reference=reference,
        link=f"{site_url.rstrip('/')}/portal/",
        now=now,
    )
    if confirmation and answers.get("confirmation") and answers.get("email"):
        # No organisation name either: the person's inbox may be read by someone else.
        subject, body = confirmation(reference)
        outbox.queue(
            session,
            keyring,
            kind="confirmation",
            recipient=answers["email"],
            subject=subject,
            body=body,
            now=now,
            reference=reference,
        )
