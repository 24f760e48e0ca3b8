"""The CSV export: managers only, their own organisation's referrals only, every answer in
a column, formulas neutralised, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from againsthate.services.cases import neutralise
from tests.portal.casework import SAFE_CONTACT, audit_rows
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B

URL = "/portal/referrals/export.csv"


def _rows(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so spreadsheet programs read UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("role", ["caseworker", "admin"])
def test_only_managers_may_export(staff, signed_in, referral, portal_app, role):
    referral()
    assert signed_in(staff(role)).get(URL).status_code == 404
    assert audit_rows(portal_app, "referrals_exported") == []


def test_the_export_is_a_download_never_stored(staff, signed_in, referral):
    referral()
    response = signed_in(staff("manager")).get(URL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="referrals-{ORG_A}-'
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_the_export_holds_the_organisations_own_referrals_with_every_answer(
    staff, signed_in, referral
):
    ours = [
        referral(),
        referral(
            status="closed", answers={**ANSWERS, "about": ["race", "religion"], "religion": "sikh"}
        ),
    ]
    theirs = referral(ORG_B)
    rows = _rows(signed_in(staff("manager")).get(URL))
    assert sorted(r["reference"] for r in rows) == sorted(ours)
    assert theirs not in str(rows)
    first = next(r for r in rows if r["reference"] == ours[0])
    assert first["what"] == ANSWERS["what"] and first["name"] == "Sam"
    assert first["phone_times"] == ANSWERS["phone_times"] and first["methods"] == "Phone"
    assert (
        first["consent"] == "Yes"
        and first["status"] == "New"
        and first["characteristics"] == "Race, ethnicity or nationality"
    )
    second = next(r for r in rows if r["reference"] == ours[1])
    assert second["about"] == "Race, ethnicity or nationality; Religion or belief"
    assert second["religion"] == "sikh"
    assert second["status"] == "Closed"


def test_an_answer_the_journey_no_longer_asks_still_gets_a_column(staff, signed_in, referral):
    referral(answers={**ANSWERS, "retired_question": "kept"})
    [row] = _rows(signed_in(staff("manager")).get(URL))
    assert row["retired_question"] == "kept"


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(staff, signed_in, referral):
    reference = referral(
        answers={
            **ANSWERS,
            "what": '=HYPERLINK("https://evil.example","click")',
            "name": "+44 cmd|' /C calc'!A0",
            "where_place": "-2+3",
            "phone_times": "@SUM(1+1)",
            "language": "\tTabbed",
            "access": "\rReturn",
            "about_other": "a=1 is fine in the middle",
        }
    )
    [row] = _rows(signed_in(staff("manager")).get(URL))
    assert row["reference"] == reference
    assert row["what"] == '\'=HYPERLINK("https://evil.example","click")'
    assert row["name"] == "'+44 cmd|' /C calc'!A0"
    assert row["where_place"] == "'-2+3"
    assert row["phone_times"] == "'@SUM(1+1)"
    assert row["language"] == "'\tTabbed"
    assert row["access"] == "'\rReturn"
    assert row["about_other"] == "a=1 is fine in the middle"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("", ""),
        (" =1", " =1"),
        ("'=1", "'=1"),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_the_export_is_audited_with_the_count(staff, signed_in, referral, portal_app):
    for _ in range(3):
        referral()
    referral(ORG_B)
    manager = staff("manager")
    signed_in(manager).get(URL)
    [record] = audit_rows(portal_app, "referrals_exported")
    assert (record.actor_id, record.organisation, record.detail) == (
        manager.id,
        ORG_A,
        "3 referrals",
    )


# The columns (README, "The CSV export") -------------------------------------------------


def _one(client) -> dict:
    [row] = _rows(client.get(URL))
    return row


def test_the_columns_are_the_documented_ones_in_order(staff, signed_in, referral):
    from againsthate.services.export import RECORD_COLUMNS

    referral()
    text = signed_in(staff("manager")).get(URL).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(text[1:])))
    assert tuple(header[: len(RECORD_COLUMNS)]) == RECORD_COLUMNS
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for column in RECORD_COLUMNS:
        assert f"`{column}`" in readme, f"{column} is not documented in README"


def test_times_are_local_in_the_timezone_setting(portal_app, staff, signed_in, referral):
    summer = dt.datetime(2026, 7, 1, 12, 30, tzinfo=dt.UTC)  # BST: 13:30 in London
    referral(created_at=summer)
    row = _one(signed_in(staff("manager")))
    assert row["received_at"] == row["created_at"] == "2026-07-01 13:30"
    portal_app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Karachi"
    assert _one(signed_in(staff("manager")))["received_at"] == "2026-07-01 17:30"


def test_labels_are_in_the_managers_language(staff, signed_in, referral):
    referral()
    [row] = _rows(signed_in(staff("manager")).get("/pl" + URL))
    assert row["status"] not in ("new", "New") and row["status"]
    assert row["who_has_it"] not in ("Nobody", "")


def test_who_has_it_outcome_and_the_status_history(staff, signed_in, referral):
    reference = referral()
    manager = staff("manager", name="Morgan Manager")
    casey = staff("caseworker", name="Casey Caseworker")
    client = signed_in(manager)
    page = f"/portal/referrals/{reference}"
    client.post(f"{page}/assign", data={"assign-to": casey.id})
    client.post(f"{page}/status", data={"status-status": "closed", "status-outcome": "supported"})
    row = _one(client)
    assert row["who_has_it"] == "Casey Caseworker"
    assert (row["status"], row["outcome"]) == ("Closed", "Support given")
    assert row["closed_at"]
    lines = row["status_history"].split("\n")
    assert len(lines) == 2
    assert lines[0].endswith("Morgan Manager · Who has it: Nobody to Casey Caseworker")
    assert lines[1].endswith("Morgan Manager · Status: New to Closed (outcome: Support given)")


def test_contact_attempts_and_notes(staff, signed_in, referral):
    reference = referral()
    client = signed_in(staff("caseworker", name="Casey Caseworker"))
    page = f"/portal/referrals/{reference}"
    client.post(f"{page}/contacts", data={**SAFE_CONTACT, "contact-note": "No answer"})
    client.post(f"{page}/notes", data={"note-text": "Rang the school"})
    client.post(f"{page}/notes", data={"note-text": "=cmd|' /C calc'!A0"})
    row = _one(signed_in(staff("manager")))
    assert row["contact_attempts"] == "1" and row["last_contact_attempt_at"]
    assert "Casey Caseworker · Phone call; made at " in row["contact_history"]
    assert row["contact_history"].endswith(
        "; result: No answer; message left: No; said who we are: No; No answer"
    )
    notes = row["notes"].split("\n")
    assert notes[0].endswith("Casey Caseworker · Rang the school")
    assert notes[1].endswith("=cmd|' /C calc'!A0")
    assert not row["notes"].startswith(("=", "+", "-", "@"))


def test_a_history_cell_that_would_start_a_formula_is_neutralised(
    portal_app, staff, signed_in, referral
):
    reference = referral()
    client = signed_in(staff("manager", name="=HYPERLINK(evil)"))
    client.post(f"/portal/referrals/{reference}/notes", data={"note-text": "x"})
    row = _one(client)
    # The line starts with its time, so it could never run; the name cell stands alone:
    assert row["status_history"] == ""
    assert row["notes"][0].isdigit()
    client.post(
        f"/portal/referrals/{reference}/assign",
        data={"assign-to": staff("caseworker", name="-2+3").id},
    )
    assert _one(client)["who_has_it"] == "'-2+3"


def test_the_export_reads_in_batches_with_bounded_queries(
    portal_app, staff, signed_in, referral, monkeypatch
):
    from againsthate.services import export
    from tests.portal.test_queries import counting

    monkeypatch.setattr(export, "BATCH", 2)
    for _n in range(5):
        referral()
    client = signed_in(staff("manager"))
    with counting(portal_app) as statements:
        rows = _rows(client.get(URL))
    assert len(rows) == 5
    selects = [s for s in statements if "FROM referral " in s or "FROM referral\n" in s]
    # ids once, then per batch of 2 (3 batches), twice (answer keys, then the rows)
    assert len(selects) <= 1 + 2 * 3 + 1


def test_a_fetched_export_gives_its_database_connection_back(
    staff, signed_in, referral, portal_app
):
    """The export is streamed inside the request's context, which holds a database
    connection until the response is read to its end and closed, as a server does. Test
    clients must do the same: a connection still checked out when a test's database is
    disposed is never closed (PostgreSQL's driver then warns when it is collected, failing
    whichever test runs at that moment)."""
    from againsthate.extensions import db

    referral()
    client = signed_in(staff("manager"))
    response = client.get("/portal/referrals/export.csv")
    assert response.status_code == 200
    with portal_app.app_context():
        assert db.engine.pool.checkedout() == 0
