"""Passing a referral to another organisation: the receiver is told (without personal data)
and accepts it (then it is theirs) or returns it with a reason (then it is the sender's
again); until then the sender reads it as "passed on, waiting", and after, one line of
what became of it. The history and the reasons go with it, sealed."""

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


def test_passing_on_waits_for_the_receiver_to_accept_it(
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
    receiver_user = staff("caseworker", ORG_B, name="Rae Receiver")
    moment = clock.now().replace(microsecond=0) + dt.timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: moment)

    response = _pass_on(sender, reference)
    assert response.status_code == 303
    assert response.location.endswith(f"/portal/referrals/{reference}")
    page = sender.get(response.location).text
    assert (
        f"Referral {reference} has been passed to Disability Direct. It stays here, read only, "
        "until they accept it or return it."
    ) in page
    assert 'id="passed-waiting"' in page and "Passed on, waiting" in page
    assert 'name="note-text"' not in page  # read only while they decide
    assert reference in references_listed(sender.get("/portal/referrals"))
    refused = sender.post(f"/portal/referrals/{reference}/notes", data={"note-text": "More"})
    assert refused.status_code == 303 and [e.kind for e in events(portal_app, reference)] == [
        "note",
        "passed_on",
    ]
    # Still the sender's until accepted: their counts, their workload.
    row = stored(portal_app, reference)
    assert (row.organisation, row.status) == (ORG_A, "contacted")

    receiver = signed_in(receiver_user)
    page = receiver.get(f"/portal/referrals/{reference}").text
    assert 'id="passed-to-you"' in page and "Accept this referral" in page
    assert 'name="note-text"' not in page  # nothing to change before accepting
    history = page[page.index('id="history"') :]
    assert (
        "Passed on" in history and "From Derbyshire Victim Services to Disability Direct" in history
    )
    assert 'Reason: <span class="answer-text">They need a disability specialist</span>' in history
    assert "Tried twice, no answer" in history
    assert history.count("Sol Sender, Derbyshire Victim Services") == 2
    assert reference in receiver.get("/portal/referrals").text  # "passed to you"
    assert (
        receiver.post(f"/portal/referrals/{reference}/notes", data={"note-text": "x"}).status_code
        == 404
    )

    later = moment + dt.timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    accepted = receiver.post(f"/portal/referrals/{reference}/accept")
    assert accepted.status_code == 303
    page = receiver.get(accepted.location).text
    assert "You have accepted referral" in page and 'name="note-text"' in page
    row = stored(portal_app, reference)
    assert (row.organisation, row.status, row.outcome, row.closed_at) == (ORG_B, "new", None, None)
    assert row.received_at.replace(tzinfo=dt.UTC) == later and row.assigned_to is None
    assert references_listed(receiver.get("/portal/referrals")) == [reference]

    # The sender sees one line of what became of it, and nothing of it.
    after = sender.get(f"/portal/referrals/{reference}")
    assert after.status_code == 200 and 'id="pass-outcome"' in after.text
    assert "accepted by them" in after.text
    for personal in ("Sam", "bus stop", "Tried twice", "disability specialist"):
        assert personal not in after.text
    assert reference not in references_listed(sender.get("/portal/referrals"))
    assert (
        sender.post(f"/portal/referrals/{reference}/notes", data={"note-text": "x"}).status_code
        == 404
    )
    [record] = audit_rows(portal_app, "referral_pass_accepted")
    assert (record.actor_id, record.organisation, record.detail) == (
        receiver_user.id,
        ORG_B,
        f"from {ORG_A}",
    )


def test_returned_it_comes_back_to_the_sender_with_the_reason_sealed(
    staff, signed_in, referral, portal_app
):
    reference = referral()
    sender = signed_in(staff())
    receiver_user = staff("caseworker", ORG_B)
    receiver = signed_in(receiver_user)
    _pass_on(sender, reference)
    form = receiver.get(f"/portal/referrals/{reference}/return")
    assert form.status_code == 200 and "Return referral" in form.text
    empty = receiver.post(f"/portal/referrals/{reference}/return", data={"reason": " "})
    assert empty.status_code == 200 and "Enter why you are returning it" in empty.text
    returned = receiver.post(
        f"/portal/referrals/{reference}/return", data={"reason": "Outside the area we cover"}
    )
    assert returned.status_code == 303 and returned.location.endswith("/portal/referrals")
    assert receiver.get(f"/portal/referrals/{reference}").status_code == 404

    page = sender.get(f"/portal/referrals/{reference}").text
    assert 'id="passed-waiting"' not in page and 'name="note-text"' in page  # theirs again
    history = page[page.index('id="history"') :]
    assert "Returned by Disability Direct." in history
    assert "Outside the area we cover" in history
    assert reference in references_listed(sender.get("/portal/referrals"))
    line = events(portal_app, reference)[-1]
    assert line.kind == "pass_returned" and "Outside" not in line.detail
    assert opened(portal_app, line) == {"by": ORG_B, "reason": "Outside the area we cover"}
    [record] = audit_rows(portal_app, "referral_pass_returned")
    assert (record.organisation, record.detail) == (ORG_B, f"back to {ORG_A}")
    assert "Outside" not in (record.detail or "")
    # Once returned it can be passed on again.
    assert _pass_on(sender, reference).status_code == 303


def test_an_organisation_with_no_active_staff_is_marked_and_refused(
    staff, signed_in, referral, portal_app
):
    reference = referral()
    sender = signed_in(staff())
    page = sender.get(f"/portal/referrals/{reference}/pass-on").text
    assert "Disability Direct (nobody there uses the portal yet)" in page
    refused = _pass_on(sender, reference)
    assert refused.status_code == 200
    assert "Nobody at that organisation uses the portal yet" in refused.text
    assert events(portal_app, reference) == [] and _outbox(portal_app) == []
    staff("caseworker", ORG_B)
    assert (
        "Disability Direct (nobody" not in sender.get(f"/portal/referrals/{reference}/pass-on").text
    )
    assert _pass_on(sender, reference).status_code == 303


def test_the_receiver_is_told_with_a_reference_and_a_link_only(
    staff, signed_in, referral, portal_app
):
    reference = referral()
    staff("caseworker", ORG_B)
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
    staff("caseworker", ORG_B)
    _pass_on(signed_in(user), reference, reason="Specialist help needed")
    [record] = audit_rows(portal_app, "referral_passed_on")
    assert (record.actor_id, record.organisation, record.reference) == (user.id, ORG_A, reference)
    assert record.detail == f"from {ORG_A} to {ORG_B}, waiting for them to accept"
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
    staff("caseworker", ORG_B)
    response = _pass_on(signed_in(staff()), reference, organisation, reason)
    assert response.status_code == 200
    assert "<title>Error: Pass referral" in response.text and error in response.text
    assert stored(portal_app, reference).organisation == ORG_A
    assert events(portal_app, reference) == [] and _outbox(portal_app) == []


def test_a_closed_referral_passed_on_arrives_as_new(staff, signed_in, referral, portal_app):
    reference = referral()
    client = signed_in(staff())
    signed_in(staff("caseworker", ORG_B))
    receiver = signed_in(staff("caseworker", ORG_B))
    client.post(
        f"/portal/referrals/{reference}/status",
        data={"status-status": "closed", "status-outcome": "referred_elsewhere"},
    )
    assert _pass_on(client, reference).status_code == 303
    assert stored(portal_app, reference).status == "closed"  # until accepted
    receiver.post(f"/portal/referrals/{reference}/accept")
    row = stored(portal_app, reference)
    assert (row.status, row.outcome, row.closed_at) == ("new", None, None)


def test_the_lead_organisations_counts_move_only_when_accepted(
    staff, signed_in, referral, portal_app
):
    """statistics.workload (the administrators' view of each organisation's referrals) and
    the monthly counters: a referral waiting is the sender's; accepted, the receiver's;
    returned, the sender's still. The monthly counters never move (they are the routing's)."""
    from againsthate.db.models import ReferralCount
    from againsthate.services import statistics

    def loads() -> dict[str, dict[str, int]]:
        with portal_app.app_context():
            rows = statistics.workload(db.session, [ORG_A, ORG_B], clock.now().date(), None)
            return {w.organisation: dict(+w.by_status) for w in rows}

    def counters() -> list[tuple]:
        with portal_app.app_context():
            return sorted(
                (c.month, c.organisation, c.dimension, c.value, c.count)
                for c in db.session.scalars(select(ReferralCount))
            )

    accepted, returned = referral(status="contacted"), referral(status="contacted")
    sender = signed_in(staff())
    receiver = signed_in(staff("caseworker", ORG_B))
    before, counted = loads(), counters()
    assert before[ORG_A] == {"contacted": 2} and before[ORG_B] == {}
    _pass_on(sender, accepted)
    _pass_on(sender, returned)
    assert loads() == before  # waiting: still the sender's
    receiver.post(f"/portal/referrals/{accepted}/accept")
    receiver.post(f"/portal/referrals/{returned}/return", data={"reason": "Not ours"})
    assert loads() == {ORG_A: {"contacted": 1}, ORG_B: {"new": 1}}
    assert counters() == counted
