"""Helpers for the tests of handling referrals: what the database holds, what a page shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import select

from againsthate.db.models import AuditEvent, Referral, ReferralEvent
from againsthate.extensions import db

# A contact attempt that keeps to ANSWERS' wishes: by phone, no message, not saying who we are.
SAFE_CONTACT = {
    "contact-method": "phone",
    "contact-result": "no_answer",
    "contact-message_left": "no",
    "contact-said_who": "no",
}


def stored(app, reference: str) -> Referral:
    with app.app_context():
        row = db.session.scalars(select(Referral).where(Referral.reference == reference)).one()
        db.session.expunge(row)
        return row


def events(app, reference: str) -> list[ReferralEvent]:
    """The referral's history lines as stored (sealed), oldest first."""
    with app.app_context():
        referral = db.session.scalars(select(Referral).where(Referral.reference == reference)).one()
        rows = db.session.scalars(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral.id)
            .order_by(ReferralEvent.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def opened(app, event: ReferralEvent) -> dict:
    return json.loads(app.extensions["againsthate.keyring"].open(event.detail))


def audit_rows(app, action: str | None = None, reference: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        if reference:
            query = query.where(AuditEvent.reference == reference)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return list(rows)


def references_listed(response) -> list[str]:
    """The references in the inbox table, in the order shown."""
    return re.findall(r'<th scope="row"><a href="/portal/referrals/([^"]+)">', response.text)


def main_of(response) -> str:
    """The page's <main>, where everything of the referral is."""
    match = re.search(r"<main\b.*?</main>", response.text, re.DOTALL)
    assert match, "no <main> on the page"
    return match.group(0)


def files_containing(folder: Path, needles: list[str]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes().lower()
            found += [f"{path.name}: {n}" for n in needles if n.lower().encode() in data]
    return found
