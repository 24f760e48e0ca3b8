"""Passing a referral to another organisation: access moves at once, the receiver is told
(without personal data), and the history and the reason go with it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from againsthate import clock
from againsthate.db.models import OutboxMessage
from againsthate.extensions import db
from tests.portal.casework import audit_rows, events, opened, references_listed, stored
from tests.portal.conftest import ORG_A, ORG_B

RECEIVER_EMAIL = "referrals+disability-direct@example.org"  # areas/derbyshire.toml


def _pass_on(client, reference, organisation=ORG_B, reason="They need a disability specialist"):
    return client.post(
        f"/portal/referrals/{reference}/pass-on",
        data={"organisation": organisation, "reason": reason},
    )


def _outbox(app) -> list[tuple[str, str, str, str]]:
    keyring = app.extensions["againsthate.keyring"]
    with app.app_context():
        return [
            (m.kind, keyring.open(m.recipient), m.subject, keyring.open(m.body))
            for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def test_the_page_offers_every_other_organisation_of_the_pack(
    staff, signed_in, referral, portal_app
):
    reference = referral()
    page = signed_in(staff()).get(f"/portal/referrals/{reference}/pass-on")
    assert page.status_code == 200
    offered = re.findall(r'name="organisation" required type="radio" value="([^"]+)"', page.text)
    with portal_app.app_context():
        from againsthate.areas import current_pack

        slugs = [o.slug for o in current_pack().organisations]
    assert offered == [s for s in slugs if s != ORG_A] and ORG_B in offered
    assert page.text.count("<h1") == 1 and "<title>Pass referral " + reference in page.text


def test_passing_on_moves_the_referral_and_the_senders_access_ends(
    staff, signed_in, referral, portal_app, monkeypatch
):
    reference = referral(status="contacted", created_at=clock.now() - dt.timedelta(days=5))
    sender = signed_in(staff(name="Sol Sender"))
    assert (
        sender.post(
            f"/portal/referrals/{reference}/notes", data={"note-text": "Tried twice, no answer"}
        ).status_code
        == 303
    )
    moment = clock.now().replace(microsecond=0) + dt.timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: moment)

    response = _pass_on(sender, reference)
    assert response.status_code == 303 and response.location.endswith("/portal/referrals")
    inbox = sender.get(response.location)
    assert (
        f"Referral {reference} has been passed to Disability Direct. Your organisation can "
        "no longer see it."
    ) in inbox.text
    assert reference not in references_listed(inbox)
    assert sender.get(f"/portal/referrals/{reference}").status_code == 404  # at once

    row = stored(portal_app, reference)
    assert (row.organisation, row.status, row.outcome, row.closed_at) == (ORG_B, "new", None, None)
    assert row.received_at.replace(tzinfo=dt.UTC) == moment

    receiver = signed_in(staff("caseworker", ORG_B))
    assert references_listed(receiver.get("/portal/referrals")) == [reference]
    page = receiver.get(f"/portal/referrals/{reference}").text
    history = page[page.index('id="history"') :]
    # The earlier organisation's lines stay, marked with who wrote them and where.
    assert (
        "Passed on" in history and "From Derbyshire Victim Services to Disability Direct" in history
    )
    assert 'Reason: <span class="answer-text">They need a disability specialist</span>' in history
    assert "Tried twice, no answer" in history
    assert history.count("Sol Sender, Derbyshire Victim Services") == 2
    assert "<dt>Waiting</dt><dd>0 minutes</dd>" in page


def test_the_receiver_is_told_with_a_reference_and_a_link_only(
    staff, signed_in, referral, portal_app
):
    reference = referral()
    _pass_on(signed_in(staff()), reference)
    [(kind, recipient, subject, body)] = _outbox(portal_app)
    assert (kind, recipient) == ("passed_on", RECEIVER_EMAIL)
    assert reference in subject and reference in body
    assert f"/portal/referrals/{reference}" in body
    for personal in ("Sam", "07700", "bus stop", "Polish", "disability specialist"):
        assert personal not in body and personal not in subject


def test_passing_on_is_audited_and_the_reason_sealed(staff, signed_in, referral, portal_app):
    reference = referral()
    user = staff()
    _pass_on(signed_in(user), reference, reason="Specialist help needed")
    [record] = audit_rows(portal_app, "referral_passed_on")
    assert (record.actor_id, record.organisation, record.reference) == (user.id, ORG_A, reference)
    assert record.detail == f"from {ORG_A} to {ORG_B}"
    [line] = events(portal_app, reference)
    assert (line.kind, line.organisation, line.staff_id) == ("passed_on", ORG_A, user.id)
    assert "Specialist" not in line.detail
    assert opened(portal_app, line) == {
        "from": ORG_A,
        "to": ORG_B,
        "reason": "Specialist help needed",
    }


@pytest.mark.parametrize(
    ("organisation", "reason", "error"),
    [
        (ORG_B, "", "Enter why you are passing it on"),
        (ORG_B, " \x00 ", "Enter why you are passing it on"),
        (ORG_B, "x" * 2001, "Use 2000 characters or fewer"),
        ("", "A reason", "Select the organisation to pass it to"),
        (
            ORG_A,
            "A reason",
            "Choose one of the answers shown",
        ),  # its own organisation is not offered
        ("nowhere", "A reason", "Choose one of the answers shown"),
    ],
)
def test_passing_on_needs_another_organisation_and_a_reason(
    staff, signed_in, referral, portal_app, organisation, reason, error
):
    reference = referral()
    response = _pass_on(signed_in(staff()), reference, organisation, reason)
    assert response.status_code == 200
    assert "<title>Error: Pass referral" in response.text and error in response.text
    assert stored(portal_app, reference).organisation == ORG_A
    assert events(portal_app, reference) == [] and _outbox(portal_app) == []


def test_a_closed_referral_passed_on_arrives_as_new(staff, signed_in, referral, portal_app):
    reference = referral()
    client = signed_in(staff())
    client.post(
        f"/portal/referrals/{reference}/status",
        data={"status-status": "closed", "status-outcome": "referred_elsewhere"},
    )
    assert _pass_on(client, reference).status_code == 303
    row = stored(portal_app, reference)
    assert (row.status, row.outcome, row.closed_at) == ("new", None, None)
