"""Email from a referral: queued with it, and never carrying personal details."""

from __future__ import annotations

import email
import email.policy
import uuid

from againsthate.db.models import OutboxMessage
from tests.referral.journey import EVERY_BRANCH, complete_journey, merge, rows, send, sent_reference


def _opened(app) -> list[dict]:
    keyring = app.extensions["againsthate.keyring"]
    return [
        {
            "kind": m.kind,
            "to": keyring.open(m.recipient),
            "subject": m.subject,
            "body": keyring.open(m.body),
            "status": m.status,
        }
        for m in rows(app, OutboxMessage)
    ]


def _canary_journey(client, confirmation: bool):
    canary = f"PLAINTEXT-CANARY-{uuid.uuid4().hex}"
    answers = merge(
        EVERY_BRANCH,
        {
            "what": {"what": f"{canary} what"},
            "about": {"about": ["disability", "other"]},
            "contact-details": {
                "name": f"Name{canary}",
                "email": f"{canary.lower()}@example.org",
                "phone": "07700 900982",
                "address": f"{canary} Street",
            },
            "where-place": {"where_place": f"{canary} place"},
            "consent": {"consent": "y", **({"confirmation": "y"} if confirmation else {})},
        },
    )
    return canary, complete_journey(client, answers)


def test_sending_queues_one_notice_to_the_organisation(app, client):
    _, journey = _canary_journey(client, confirmation=False)
    reference = sent_reference(client, journey)
    [notice] = _opened(app)
    assert notice["kind"] == "new_referral" and notice["status"] == "waiting"
    assert notice["to"] == "referrals+disability-direct@example.org"
    assert reference in notice["subject"] and reference in notice["body"]
    assert "/portal/" in notice["body"]


def test_the_notice_holds_no_personal_details(app, client):
    canary, journey = _canary_journey(client, confirmation=True)
    send(client, journey)
    for message in _opened(app):
        text = f"{message['subject']}\n{message['body']}".lower()
        for personal in (
            canary.lower(),
            canary.split("-")[-1],
            "07700",
            "sam",
            "bus stop",
            "shouted",
        ):
            assert personal not in text, (message["kind"], personal)


def test_a_confirmation_goes_to_the_person_only_when_asked(app, client):
    canary, journey = _canary_journey(client, confirmation=True)
    reference = sent_reference(client, journey)
    messages = {m["kind"]: m for m in _opened(app)}
    assert set(messages) == {"new_referral", "confirmation"}
    confirmation = messages["confirmation"]
    assert confirmation["to"] == f"{canary.lower()}@example.org"
    assert reference in confirmation["subject"] and reference in confirmation["body"]
    # Someone else may read their inbox: not even the organisation's name.
    assert "Disability Direct" not in confirmation["body"] + confirmation["subject"]


def test_no_confirmation_without_the_tick(app, client):
    _, journey = _canary_journey(client, confirmation=False)
    send(client, journey)
    assert [m["kind"] for m in _opened(app)] == ["new_referral"]


def test_no_confirmation_without_an_email_address(app, client):
    journey = complete_journey(
        client,
        {
            "contact-details": {"methods": ["phone"], "email": None},
            "consent": {"consent": "y", "confirmation": "y"},
        },
    )
    send(client, journey)
    assert [m["kind"] for m in _opened(app)] == ["new_referral"]


def test_no_confirmation_on_the_anonymous_path(app, client):
    journey = complete_journey(
        client, {"contact": {"contact": "none"}, "consent": {"consent": "y", "confirmation": "y"}}
    )
    send(client, journey)
    assert [m["kind"] for m in _opened(app)] == ["new_referral"]


def test_the_consent_page_offers_a_confirmation_only_with_an_email(client):
    complete_journey(client, {"contact-details": {"methods": ["phone"], "email": None}})
    assert 'name="confirmation"' not in client.get("/refer/consent").get_data(as_text=True)
    client.post("/refer/contact-details", data={"methods": ["email"], "email": "a@example.org"})
    assert 'name="confirmation"' in client.get("/refer/consent").get_data(as_text=True)


def test_the_confirmation_is_in_the_language_the_person_used(app, client):
    journey = complete_journey(
        client, {"consent": {"consent": "y", "confirmation": "y"}}, prefix="/pl"
    )
    reference = sent_reference(client, journey)
    confirmation = next(m for m in _opened(app) if m["kind"] == "confirmation")
    assert reference in confirmation["body"]
    assert "Your reference is" not in confirmation["body"]  # written in Polish


def test_flask_outbox_send_delivers_the_referral_notices_as_eml_files(app, client, runner):
    _, journey = _canary_journey(client, confirmation=True)
    reference = sent_reference(client, journey)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "Sent 2" in result.output
    files = sorted((app.config["INSTANCE_PATH"] / "outbox").glob("*.eml"))
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    assert "referrals+disability-direct@example.org" in {m["To"] for m in parsed}
    assert all(reference in m["Subject"] for m in parsed)
    assert {m["status"] for m in _opened(app)} == {"sent"}
    assert "Sent 0" in runner.invoke(args=["outbox", "send"]).output
