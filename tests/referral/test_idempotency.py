"""One press of Send, one referral: double clicks, Back then Send, and references."""

from __future__ import annotations

import datetime as dt
import re

from againsthate import notifications
from againsthate.db.models import OutboxMessage, Referral
from againsthate.extensions import db
from againsthate.services import references, sending
from tests.referral.journey import (
    SHORT,
    complete_journey,
    count,
    reference_of,
    rows,
    send,
    sent_reference,
)

REFERENCE = re.compile(r"^[2-9B-DF-HJ-NP-TV-Z]{4}-[2-9B-DF-HJ-NP-TV-Z]{4}$")


def test_a_double_click_sends_one_referral(app, client):
    journey = complete_journey(client)
    first = send(client, journey)
    second = send(client, journey)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, Referral) == 1
    assert count(app, OutboxMessage) == 1  # and one notice to the organisation


def test_back_then_check_shows_the_done_page(app, client):
    journey = complete_journey(client)
    done = send(client, journey).headers["Location"]
    response = client.get("/refer/check")
    assert response.status_code in (302, 303)
    assert response.headers["Location"] == done


def test_back_then_send_again_gives_the_same_reference(app, client):
    journey = complete_journey(client)
    done = send(client, journey).headers["Location"]
    client.get("/refer/check")
    again = send(client, journey)  # the old check page, still in the browser's history
    assert again.status_code == 303
    assert again.headers["Location"] == done
    assert count(app, Referral) == 1


def test_sending_again_with_another_organisation_changes_nothing(app, client):
    journey = complete_journey(client, {"about": {"about": ["disability"]}})
    done = send(client, journey, organisation="disability-direct").headers["Location"]
    again = send(client, journey, organisation="derbyshire-victim-services")
    assert again.headers["Location"] == done
    assert [r.organisation for r in rows(app, Referral)] == ["disability-direct"]


def test_the_same_submission_through_the_service_twice_is_one_referral(app, client):
    complete_journey(client)
    with client.session_transaction() as session:
        token = session["draft_token"]
    with app.test_request_context():
        from againsthate.areas import current_pack
        from againsthate.services import drafts

        keyring = app.extensions["againsthate.keyring"]
        now = dt.datetime.now(dt.UTC)
        draft = drafts.load(db.session, keyring, token, now)
        kwargs = {
            "token": token,
            "draft": draft,
            "organisation_slug": "",
            "emails": notifications.ReferralEmails(),
            "now": now,
        }
        first = sending.submit(db.session, keyring, current_pack(), **kwargs)
        second = sending.submit(db.session, keyring, current_pack(), **kwargs)
        db.commit()
    assert first == second
    assert count(app, Referral) == 1


def test_a_reference_is_easy_to_read_aloud(app, client):
    reference = reference_of(send(client, complete_journey(client, SHORT)).headers["Location"])
    assert REFERENCE.match(reference), reference


def test_new_references_use_no_confusable_characters_and_do_not_repeat():
    drawn = [references.new_reference() for _ in range(20000)]
    assert all(REFERENCE.match(r) for r in drawn), [r for r in drawn if not REFERENCE.match(r)][:5]
    assert not set("".join(drawn)) & set("01OIL"), "0/O or 1/I/L in a reference"
    assert len(set(drawn)) == len(drawn)


def test_references_are_unique_over_many_referrals(roomy_app):
    sent = []
    for _ in range(40):
        client = roomy_app.test_client()
        sent.append(sent_reference(client, complete_journey(client, SHORT)))
    assert len(set(sent)) == 40
    assert sorted(r.reference for r in rows(roomy_app, Referral)) == sorted(sent)


def test_a_reference_already_taken_is_drawn_again(app, monkeypatch):
    first_client = app.test_client()
    taken = sent_reference(first_client, complete_journey(first_client, SHORT))
    draws = iter([taken, taken, "BCDF-GHJK"])
    monkeypatch.setattr(sending, "new_reference", lambda: next(draws))
    second_client = app.test_client()
    response = send(second_client, complete_journey(second_client, SHORT))
    assert response.status_code == 303
    assert reference_of(response.headers["Location"]) == "BCDF-GHJK"
    assert sorted(r.reference for r in rows(app, Referral)) == sorted([taken, "BCDF-GHJK"])
    assert count(app, OutboxMessage) == 2  # the retry did not queue a message twice
