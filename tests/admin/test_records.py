"""The audit log (newest first, paginated, filtered, read only) and the outbox (what was
sent and how, never to whom or what it said)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from againsthate import clock
from againsthate.db.models import OutboxMessage
from againsthate.extensions import db
from againsthate.services import audit, outbox
from tests.admin.conftest import ORG_A, main_text


def _record(
    app,
    count: int,
    *,
    action: str = "referral_viewed",
    reference: str | None = None,
    detail: str = "",
) -> None:
    start = clock.now() - dt.timedelta(hours=1)
    with app.app_context():
        for n in range(count):
            audit.record(
                db.session,
                actor=None,
                action=action,
                organisation=ORG_A,
                reference=reference,
                detail=detail or f"record {n}",
                now=start + dt.timedelta(seconds=n),
            )
        db.session.commit()


def _details(response) -> list[str]:
    return re.findall(r'<td class="detail">([^<]*)</td>', response.get_data(as_text=True))


def test_the_audit_log_is_newest_first_and_paginated(portal_app, admin_client):
    _record(portal_app, 120)
    first = admin_client.get("/portal/admin/audit")
    details = _details(first)
    assert len(details) == 50
    # In the order rows were added: the records above came after the administrator's own.
    assert details[0] == "record 119" and details[1] == "record 118"
    assert "Page 1 of 3" in first.text and "page=2" in first.text
    second = admin_client.get("/portal/admin/audit?page=2")
    assert _details(second)[0] == "record 69"
    assert "Page 2 of 3" in second.text and "<title>Audit log (page 2 of 3)" in second.text


def test_the_audit_log_filters_by_reference_and_by_action(portal_app, admin_client):
    _record(portal_app, 3, reference="BCDF-GHJK", detail="the one we want")
    _record(portal_app, 2, reference="MNPQ-RSTV", detail="another referral")
    _record(portal_app, 2, action="staff_removed", detail="someone removed")

    by_reference = admin_client.get("/portal/admin/audit?reference=BCDF-GHJK")
    assert _details(by_reference) == ["the one we want"] * 3
    assert "3 records match." in by_reference.text
    # Typed loosely: lower case, spaces, no hyphen.
    assert (
        _details(admin_client.get("/portal/admin/audit?reference=+bcdf ghjk+"))
        == ["the one we want"] * 3
    )

    by_action = admin_client.get("/portal/admin/audit?action=staff_removed")
    assert _details(by_action) == ["someone removed"] * 2
    assert (
        '<option selected value="staff_removed">' in by_action.text
        or '<option value="staff_removed" selected>' in by_action.text
    )
    both = admin_client.get("/portal/admin/audit?reference=MNPQ-RSTV&action=referral_viewed")
    assert _details(both) == ["another referral"] * 2
    assert _details(admin_client.get("/portal/admin/audit?reference=ZZZZ-ZZZZ")) == []
    # An action this page has no words for yet (a newer part of the portal) can be chosen too.
    _record(portal_app, 1, action="something_new", detail="a newer kind of record")
    newer = admin_client.get("/portal/admin/audit?action=something_new")
    assert 'value="something_new"' in newer.text
    assert _details(newer) == ["a newer kind of record"]


def test_pages_keep_the_filters(portal_app, admin_client):
    _record(portal_app, 60, reference="BCDF-GHJK")
    page = admin_client.get("/portal/admin/audit?reference=BCDF-GHJK").text
    assert "page=2" in page and "reference=BCDF-GHJK" in re.search(
        r'href="([^"]*page=2[^"]*)"', page
    ).group(1)


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-5",
        "page=0",
        "page=" + "9" * 40,
        "page=1e9",
        "page=%00",
        "action=%3Cscript%3Ealert(1)%3C/script%3E",
        "action=" + "a" * 5000,
        "reference=" + "x" * 5000,
        "reference=%00%01%02",
        "reference=%27%3B+DROP+TABLE+audit_event%3B--",
        "reference=BCDF-GHJK&page=999999",
        "action=signed_in&action=signed_out",
        "page=1&page=2",
    ],
)
def test_a_bad_value_in_the_address_never_fails(portal_app, admin_client, query):
    _record(portal_app, 3, reference="BCDF-GHJK")
    response = admin_client.get(f"/portal/admin/audit?{query}")
    assert response.status_code == 200, query
    assert "<script>alert" not in response.text


def test_a_filter_that_is_not_allowed_is_explained(portal_app, admin_client):
    response = admin_client.get("/portal/admin/audit?action=no_such_action")
    assert "Select an action from the list" in response.text
    assert response.text.count("<title>Error:") == 1
    response = admin_client.get("/portal/admin/audit?reference=" + "X" * 17)
    assert "Use 16 characters or fewer" in response.text


def test_a_page_past_the_end_shows_the_last_one(portal_app, admin_client):
    _record(portal_app, 70)
    response = admin_client.get("/portal/admin/audit?page=500")
    assert "Page 2 of 2" in response.text and _details(response)


def _queue(app, **fields) -> None:
    values = {
        "kind": "confirmation",
        "recipient": "private.person@example.net",
        "subject": "Your reference BCDF-GHJK",
        "body": "Only the person should ever read this sentence.",
        **fields,
    }
    with app.app_context():
        outbox.queue(db.session, app.extensions["againsthate.keyring"], now=clock.now(), **values)
        db.session.commit()


def test_the_outbox_shows_how_sending_went_never_to_whom_or_what(portal_app, admin_client):
    _queue(portal_app)
    _queue(
        portal_app,
        kind="new_referral",
        recipient="referrals@example.org",
        subject="New referral MNPQ-RSTV",
        body="Read it in the secure portal.",
    )
    with portal_app.app_context():
        failed = db.session.query(OutboxMessage).filter_by(kind="confirmation").one()
        failed.attempts, failed.status = 3, "waiting"
        failed.last_error = (
            "SMTPRecipientsRefused: {'private.person@example.net': "
            "(550, b'5.1.1 <private.person@example.net>: no such user')}"
        )
        db.session.commit()
    page = main_text(admin_client.get("/portal/admin/outbox"))
    assert "Your reference BCDF-GHJK" in page and "New referral MNPQ-RSTV" in page
    assert "Confirmation to the person who referred" in page and "Waiting" in page
    assert "SMTPRecipientsRefused" in page and "no such user" in page
    assert "[address]" in page
    for private in (
        "private.person",
        "example.net",
        "referrals@example.org",
        "Only the person should ever read",
        "Read it in the secure portal",
    ):
        assert private not in page, private
    rows = re.findall(r"<tr>\s*<td>", page)
    assert len(rows) == 2


def test_the_outbox_lists_the_newest_100(portal_app, admin_client):
    for n in range(105):
        _queue(portal_app, subject=f"Message number {n:03d}")
    page = main_text(admin_client.get("/portal/admin/outbox"))
    assert "Message number 104" in page and "Message number 005" in page
    assert "Message number 004" not in page
    assert page.index("Message number 104") < page.index("Message number 005")
