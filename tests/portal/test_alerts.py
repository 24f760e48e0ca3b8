"""Alerts about referrals go to the member of staff who has one, or to the organisation's
address while nobody does: a new referral, a passed-on one, one given to someone, and one
left too long in a status (`flask referrals remind`, once per status period). Each holds
no personal detail and links to the referral itself."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from againsthate import clock, notifications
from againsthate.areas import current_pack
from againsthate.db.models import OutboxMessage, Referral, StaffUser
from againsthate.extensions import db
from againsthate.services import cases, reminders
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B

ORG_A_ADDRESS = "referrals+derbyshire-victim-services@example.org"
ORG_B_ADDRESS = "referrals+disability-direct@example.org"
# What the person told us, none of which may be in an alert; and the characteristic, which
# with a place and a date could point at someone.
PERSONAL = [
    ANSWERS["name"],
    ANSWERS["phone"],
    ANSWERS["what"],
    ANSWERS["where_place"],
    ANSWERS["where_postcode"],
    ANSWERS["phone_times"],
    ANSWERS["language"],
    "race",
    "Race",
]


def _alerts(app, kind: str | None = None) -> list[dict]:
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        return [
            {
                "kind": m.kind,
                "to": keyring.open(m.recipient),
                "subject": m.subject,
                "body": keyring.open(m.body),
                "reference": m.reference,
            }
            for m in db.session.scalars(query)
        ]


def _no_personal_detail_and_a_link(alert: dict, reference: str) -> None:
    text = alert["subject"] + "\n" + alert["body"]
    for detail in PERSONAL:
        assert detail not in text, f"{alert['kind']} alert holds {detail!r}"
    assert f"http://127.0.0.1:5000/portal/referrals/{reference}\n" in alert["body"]
    assert alert["reference"] == reference  # erased with the referral


def _assign(client, reference: str, to) -> None:
    response = client.post(
        f"/portal/referrals/{reference}/assign", data={"assign-to": str(to), "assign-reason": ""}
    )
    assert response.status_code == 303, response.text[:500]


def test_a_new_referral_links_to_itself_and_goes_to_the_organisation(portal_app):
    with portal_app.test_request_context():
        organisation = current_pack().organisation(ORG_A)
        subject, body = notifications.ReferralEmails().new_referral(organisation, "AB12-CD34")
    assert "http://127.0.0.1:5000/portal/referrals/AB12-CD34\n" in body
    assert subject == "New referral AB12-CD34"


def test_a_referral_given_to_someone_tells_them(portal_app, staff, signed_in, referral):
    boss, sam = staff("manager"), staff(email="sam.holder@example.org")
    reference = referral()
    _assign(signed_in(boss), reference, sam.id)
    [alert] = _alerts(portal_app, "assigned")
    assert alert["to"] == "sam.holder@example.org"
    assert alert["subject"] == f"Referral {reference} is now with you"
    _no_personal_detail_and_a_link(alert, reference)


def test_taking_a_referral_yourself_sends_nothing(portal_app, staff, signed_in, referral):
    sam = staff()
    reference = referral()
    _assign(signed_in(sam), reference, sam.id)
    assert _alerts(portal_app, "assigned") == []


def test_a_passed_on_referral_goes_to_the_receivers_address(portal_app, staff, referral):
    """Nobody of the receiver's has it yet: while it waits to be accepted it is still held
    by someone of the sender's, who is not told (the alert goes to a holder of the
    organisation alerted only)."""
    sender, holder = staff("manager"), staff()
    staff("caseworker", ORG_B)  # someone there to accept it
    reference = referral()
    with portal_app.test_request_context():
        keyring = portal_app.extensions["againsthate.keyring"]
        row = cases.find(db.session, reference, ORG_A)
        row.assigned_to = holder.id
        cases.pass_on(
            db.session,
            keyring,
            current_pack(),
            row,
            to=ORG_B,
            reason="their specialism",
            by=db.session.get(StaffUser, sender.id),
            now=clock.now(),
            emails=notifications.ReferralEmails(),
        )
        db.session.commit()
    [alert] = _alerts(portal_app, "passed_on")
    assert alert["to"] == ORG_B_ADDRESS
    _no_personal_detail_and_a_link(alert, reference)


# Reminders --------------------------------------------------------------------------------


def _remind(app, after: str = "new=2,contacted=7,in_support=28", now=None):
    with app.test_request_context():
        sent = reminders.remind(
            db.session,
            app.extensions["againsthate.keyring"],
            current_pack(),
            after=reminders.thresholds(after),
            now=now or clock.now(),
            emails=notifications.ReferralEmails(),
        )
        db.session.commit()
    return sent


def _days_ago(days: float) -> dt.datetime:
    return clock.now() - dt.timedelta(days=days)


def test_a_referral_left_new_too_long_is_reminded_about_once(portal_app, referral):
    waiting = referral(created_at=_days_ago(3))
    referral(created_at=_days_ago(0.5))  # not yet too long, nor tomorrow
    referral(created_at=_days_ago(30), status="closed")  # closed: never
    assert [r.reference for r in _remind(portal_app)] == [waiting]
    [alert] = _alerts(portal_app, "reminder")
    assert alert["to"] == ORG_A_ADDRESS  # nobody has it
    assert alert["subject"] == f"Referral {waiting} has waited 3 days"
    assert "has been new for 3 days" in alert["body"]
    _no_personal_detail_and_a_link(alert, waiting)
    # Cron runs it again, and again tomorrow: no second reminder in the same status.
    assert _remind(portal_app) == []
    assert _remind(portal_app, now=clock.now() + dt.timedelta(days=1)) == []
    assert len(_alerts(portal_app, "reminder")) == 1


def test_a_change_of_status_starts_a_new_period(portal_app, staff, referral):
    sam = staff(email="sam.contacted@example.org")
    reference = referral(created_at=_days_ago(12))
    assert len(_remind(portal_app, now=_days_ago(9))) == 1  # new for 3 days then
    with portal_app.app_context():
        row = cases.find(db.session, reference, ORG_A)
        row.assigned_to = sam.id
        cases.change_status(
            db.session,
            portal_app.extensions["againsthate.keyring"],
            row,
            status="contacted",
            outcome=None,
            by=db.session.get(StaffUser, sam.id),
            now=_days_ago(8),
        )
        db.session.commit()
    # Contacted 8 days ago, more than the 7 allowed: a reminder for this new period, to the
    # person who has it now.
    [sent] = _remind(portal_app)
    assert (sent.reference, sent.status, sent.recipient) == (
        reference,
        "contacted",
        "sam.contacted@example.org",
    )
    assert _remind(portal_app) == []
    alert = _alerts(portal_app, "reminder")[-1]
    assert "has been contacted for 8 days" in alert["body"]
    _no_personal_detail_and_a_link(alert, reference)


def test_a_holder_who_has_left_is_not_emailed_the_organisation_is(portal_app, staff, referral):
    gone = staff(email="gone@example.org")
    reference = referral(created_at=_days_ago(3))
    with portal_app.app_context():
        db.session.scalars(
            select(Referral).where(Referral.reference == reference)
        ).one().assigned_to = gone.id
        db.session.get(StaffUser, gone.id).removed_at = clock.now()
        db.session.commit()
    [sent] = _remind(portal_app)
    assert sent.recipient == ORG_A_ADDRESS


def test_a_status_set_to_0_or_left_out_is_never_reminded_about(portal_app, referral):
    referral(created_at=_days_ago(100))
    referral(created_at=_days_ago(100), status="in_support")
    assert _remind(portal_app, "new=0,contacted=7") == []


@pytest.mark.parametrize("setting", ["new=two", "old=3", "closed=3", "new", "new=-1", "new=1.5"])
def test_a_mistaken_setting_is_refused_with_what_is_wrong(setting):
    with pytest.raises(ValueError, match="REMIND_AFTER"):
        reminders.thresholds(setting)


def test_the_setting_reads_days_per_status():
    assert reminders.thresholds(" new=2, contacted = 7 ,in_support=0") == {
        "new": dt.timedelta(days=2),
        "contacted": dt.timedelta(days=7),
    }


def test_the_command_reminds_once(portal_app, referral):
    referral(created_at=_days_ago(5))
    runner = portal_app.test_cli_runner()
    first = runner.invoke(args=["referrals", "remind"])
    assert first.exit_code == 0, first.output
    assert "Reminded about 1 referrals" in first.output
    again = runner.invoke(args=["referrals", "remind"])
    assert "Reminded about 0 referrals" in again.output
    assert len(_alerts(portal_app, "reminder")) == 1


def test_the_command_refuses_a_mistaken_setting(portal_app):
    portal_app.config["REMIND_AFTER"] = "new=soon"
    result = portal_app.test_cli_runner().invoke(args=["referrals", "remind"])
    assert result.exit_code != 0 and "REMIND_AFTER" in result.output
