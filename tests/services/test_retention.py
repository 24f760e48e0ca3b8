"""Retention and erasure: closed referrals lose their content after the pack's retention
period; one referral can be erased at once, from the command line or by a manager. The
anonymous statistics stay; every deletion is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from againsthate import clock
from againsthate.areas import current_pack
from againsthate.db.models import OutboxMessage, Referral, ReferralCount, ReferralEvent
from againsthate.extensions import db
from againsthate.paths import AREAS
from againsthate.services import retention, statistics
from againsthate.services.areapack import AreaPackError, load
from tests.conftest import make_app
from tests.portal.casework import SAFE_CONTACT, audit_rows, events, main_of, stored
from tests.portal.conftest import ORG_A, ORG_B, add_referral, make_staff, session_client

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)


def _closed(app, months_ago: float, organisation: str = ORG_A, outcome: str = "supported") -> str:
    """A closed referral with a note, closed about `months_ago` months before NOW."""
    reference = add_referral(
        app, organisation, created_at=NOW - dt.timedelta(days=31 * months_ago + 20)
    )
    keyring = app.extensions["againsthate.keyring"]
    with app.app_context():
        row = db.session.scalars(select(Referral).where(Referral.reference == reference)).one()
        row.status, row.outcome = "closed", outcome
        row.closed_at = NOW - dt.timedelta(days=30.5 * months_ago)
        db.session.add(
            ReferralEvent(
                referral_id=row.id,
                at=row.closed_at,
                staff_id=None,
                organisation=organisation,
                kind="note",
                detail=keyring.seal('{"text": "a note"}'),
            )
        )
        statistics.count_referral(
            db.session,
            {"who": "self", "about": ["race"], "police": "no"},
            organisation,
            dt.datetime(2025, 1, 15, tzinfo=dt.UTC),
            current_pack().heard_slugs,
        )
        db.session.commit()
    return reference


def _counters(app) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(ReferralCount.__table__))]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _assert_content_gone(app, reference: str, outcome: str | None) -> None:
    row = stored(app, reference)
    assert (row.content, row.characteristics, row.outcome) == ("", "", outcome)
    assert row.purged_at is not None
    assert events(app, reference) == []


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (
            dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC),
            1,
            dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC),
        ),
        (dt.datetime(2028, 3, 31, tzinfo=dt.UTC), 1, dt.datetime(2028, 2, 29, tzinfo=dt.UTC)),
        (dt.datetime(2026, 1, 15, tzinfo=dt.UTC), 12, dt.datetime(2025, 1, 15, tzinfo=dt.UTC)),
        (dt.datetime(2026, 1, 15, tzinfo=dt.UTC), 13, dt.datetime(2024, 12, 15, tzinfo=dt.UTC)),
        (dt.datetime(2026, 11, 22, tzinfo=dt.UTC), 120, dt.datetime(2016, 11, 22, tzinfo=dt.UTC)),
    ],
)
def test_months_before(moment, months, expected):
    assert retention.months_before(moment, months) == expected


def test_purge_deletes_content_closed_longer_ago_than_the_retention_period(portal_app):
    old = _closed(portal_app, 13)
    other_org = _closed(portal_app, 25, ORG_B, outcome="declined")
    recent = _closed(portal_app, 11)
    still_open = add_referral(portal_app, created_at=NOW - dt.timedelta(days=800))
    stats = _counters(portal_app)
    with portal_app.app_context():
        purged = retention.purge(db.session, NOW, 12)
        db.commit()
    assert sorted(purged) == sorted([old, other_org])
    _assert_content_gone(portal_app, old, "supported")
    _assert_content_gone(portal_app, other_org, "declined")
    for kept in (recent, still_open):
        row = stored(portal_app, kept)
        assert (
            row.content.startswith("v1.")
            and row.characteristics == "race"
            and row.purged_at is None
        )
    assert len(events(portal_app, recent)) == 1
    assert _counters(portal_app) == stats  # the anonymous figures stay
    records = audit_rows(portal_app, "referral_purged")
    assert sorted((r.reference, r.organisation, r.actor) for r in records) == sorted(
        [(old, ORG_A, "command line"), (other_org, ORG_B, "command line")]
    )
    assert records[0].detail == "closed more than 12 months ago"
    with portal_app.app_context():  # again: nothing more to do, nothing audited twice
        assert retention.purge(db.session, NOW, 12) == []
        db.commit()
    assert len(audit_rows(portal_app, "referral_purged")) == 2


def test_the_command_uses_the_packs_retention_period(tmp_path, monkeypatch):
    pack = (
        (AREAS / "derbyshire.toml")
        .read_text()
        .replace("retention_months = 12", "retention_months = 6")
    )
    assert "retention_months = 6" in pack
    (tmp_path / "pack.toml").write_text(pack)
    app = make_app(tmp_path / "instance", WTF_CSRF_ENABLED=False, AREA_PACK=tmp_path / "pack.toml")
    try:
        seven, five = _closed(app, 7), _closed(app, 5)
        monkeypatch.setattr(clock, "now", lambda: NOW)
        result = app.test_cli_runner().invoke(args=["referrals", "purge"])
        assert result.exit_code == 0, result.output
        assert "Deleted the content of 1 referrals closed more than 6 months ago." in result.output
        assert stored(app, seven).purged_at is not None and stored(app, five).purged_at is None
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_default_command_keeps_referrals_closed_for_under_12_months(portal_app, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    eleven, thirteen = _closed(portal_app, 11), _closed(portal_app, 13)
    result = portal_app.test_cli_runner().invoke(args=["referrals", "purge"])
    assert "Deleted the content of 1 referrals closed more than 12 months ago." in result.output
    assert stored(portal_app, eleven).purged_at is None
    assert stored(portal_app, thirteen).purged_at is not None


# The area pack key ---------------------------------------------------------------------------


def _pack_with(tmp_path, line: str | None):
    text = (AREAS / "derbyshire.toml").read_text()
    text = text.replace("retention_months = 12\n", "" if line is None else line + "\n")
    path = tmp_path / "pack.toml"
    path.write_text(text)
    return path


def test_retention_months_is_optional_and_twelve_by_default(tmp_path):
    assert load(_pack_with(tmp_path, None)).retention_months == 12
    assert load(_pack_with(tmp_path, "retention_months = 36")).retention_months == 36
    assert load(AREAS / "derbyshire.toml").retention_months == 12
    assert load(AREAS / "hertfordshire.toml").retention_months == 12


@pytest.mark.parametrize("value", ["0", "-1", "121", '"12"', "true", "1.5"])
def test_a_wrong_retention_months_stops_the_pack_with_its_key(tmp_path, value):
    with pytest.raises(
        AreaPackError, match=r"area\.retention_months: expected a whole number from 1 to 120"
    ):
        load(_pack_with(tmp_path, f"retention_months = {value}"))


# Erasing one referral ------------------------------------------------------------------------


def test_erase_from_the_command_line(portal_app):
    reference = add_referral(portal_app, ORG_B)
    stats = _counters(portal_app)
    runner = portal_app.test_cli_runner()
    result = runner.invoke(
        args=["referrals", "erase", reference, "--reason", "Asked by the person"]
    )
    assert result.exit_code == 0, result.output
    assert f"Deleted the content of referral {reference}." in result.output
    _assert_content_gone(portal_app, reference, None)
    assert stored(portal_app, reference).status == "new"
    [record] = audit_rows(portal_app, "referral_erased")
    assert (record.reference, record.organisation, record.actor, record.detail) == (
        reference,
        ORG_B,
        "command line",
        "Asked by the person",
    )
    assert _counters(portal_app) == stats

    again = runner.invoke(args=["referrals", "erase", reference, "--reason", "again"])
    assert again.exit_code != 0 and "was deleted already" in again.output
    unknown = runner.invoke(args=["referrals", "erase", "BCDF-GHJK", "--reason", "x"])
    assert unknown.exit_code != 0 and "There is no referral BCDF-GHJK." in unknown.output


@pytest.mark.parametrize("args", [[], ["--reason", "  "]])
def test_the_command_needs_a_reason(portal_app, args):
    reference = add_referral(portal_app)
    result = portal_app.test_cli_runner().invoke(args=["referrals", "erase", reference, *args])
    assert result.exit_code != 0
    assert stored(portal_app, reference).purged_at is None


def test_a_manager_erases_a_referral_from_the_portal(staff, signed_in, referral, portal_app):
    reference = referral()
    manager = staff("manager", name="Mo Manager")
    client = signed_in(manager)
    client.post(f"/portal/referrals/{reference}/contacts", data=SAFE_CONTACT)
    page = client.get(f"/portal/referrals/{reference}/erase")
    assert page.status_code == 200 and page.text.count("<h1") == 1
    assert "<title>Delete the content of referral " + reference in page.text

    refused = client.post(f"/portal/referrals/{reference}/erase", data={"reason": ""})
    assert refused.status_code == 200 and "<title>Error:" in refused.text
    assert '<a href="#reason">Enter why you are deleting it</a>' in refused.text
    assert stored(portal_app, reference).purged_at is None

    done = client.post(f"/portal/referrals/{reference}/erase", data={"reason": "Asked by phone"})
    assert done.status_code == 303 and done.location.endswith(f"/portal/referrals/{reference}")
    _assert_content_gone(portal_app, reference, None)
    [record] = audit_rows(portal_app, "referral_erased")
    assert (record.actor_id, record.organisation, record.detail) == (
        manager.id,
        ORG_A,
        "Asked by phone",
    )

    after = client.get(done.location)
    main = main_of(after)
    assert "The content of referral " + reference + " has been deleted." in main
    assert "This referral's content has been deleted" in main
    assert "Mo Manager deleted them on request." in main and "Asked by phone" in main
    for gone in (
        "What they told us",
        "Someone shouted",
        "Before you contact this person",
        '<form method="post"',
        "History",
        "/pass-on",
        "/erase",
    ):
        assert gone not in main, gone


@pytest.mark.parametrize("method", ["get", "post"])
def test_caseworkers_cannot_erase(staff, signed_in, referral, portal_app, method):
    reference = referral()
    client = signed_in(staff("caseworker"))
    assert (
        getattr(client, method)(
            f"/portal/referrals/{reference}/erase", data={"reason": "x"}
        ).status_code
        == 404
    )
    assert "/erase" not in client.get(f"/portal/referrals/{reference}").text
    assert stored(portal_app, reference).purged_at is None


def test_a_purged_referrals_page_says_when_and_offers_nothing_to_change(
    staff, signed_in, portal_app
):
    reference = _closed(portal_app, 13)
    with portal_app.app_context():
        retention.purge(db.session, NOW, 12)
        db.commit()
    client = signed_in(staff("manager"))
    main = main_of(client.get(f"/portal/referrals/{reference}"))
    assert "Its answers and history were deleted on 22 November 2026, 09:30." in main
    assert "They were kept for the retention period after it was closed." in main
    assert "Support given" in main  # the outcome stays
    assert "<form" not in main and "Someone shouted" not in main
    # Changes are turned away, back to the page that says why.
    for path, data in [
        ("/notes", {"note-text": "late"}),
        ("/contacts", SAFE_CONTACT),
        ("/status", {"status-status": "new"}),
        ("/pass-on", {"organisation": ORG_B, "reason": "x"}),
        ("/erase", {"reason": "x"}),
    ]:
        response = client.post(f"/portal/referrals/{reference}{path}", data=data)
        assert response.status_code == 303, path
    row = stored(portal_app, reference)
    assert (row.organisation, row.status, row.content) == (ORG_A, "closed", "")
    assert events(portal_app, reference) == []


def test_the_inbox_marks_deleted_content(staff, signed_in, portal_app):
    reference = _closed(portal_app, 13)
    with portal_app.app_context():
        retention.purge(db.session, NOW, 12)
        db.commit()
    response = signed_in(staff()).get("/portal/referrals")
    assert reference in response.text and "Content deleted" in response.text


def test_a_manager_of_another_organisation_cannot_erase(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    reference = add_referral(app, ORG_A)
    other, _ = make_staff(app, "manager", ORG_B)
    client = session_client(app, other)
    assert (
        client.post(f"/portal/referrals/{reference}/erase", data={"reason": "x"}).status_code == 404
    )
    assert stored(app, reference).purged_at is None
    with app.app_context():
        db.engine.dispose()


def test_a_manager_erasing_a_referral_deletes_its_email_and_their_files(
    staff, signed_in, portal_app
):
    from tests.referral.journey import complete_journey, sent_reference

    person = portal_app.test_client()
    reference = sent_reference(
        person,
        complete_journey(
            person,
            {
                "contact-details": {"name": "Robin", "email": "robin@example.org"},
                "consent": {"consent": "y", "confirmation": "y"},
            },
        ),
    )
    portal_app.test_cli_runner().invoke(args=["outbox", "send"])
    folder = portal_app.config["INSTANCE_PATH"] / "outbox"
    assert len(list(folder.glob("*.eml"))) == 2
    organisation = stored(portal_app, reference).organisation
    client = signed_in(staff("manager", organisation))
    done = client.post(f"/portal/referrals/{reference}/erase", data={"reason": "Asked by phone"})
    assert done.status_code == 303
    assert list(folder.glob("*.eml")) == []
    with portal_app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
