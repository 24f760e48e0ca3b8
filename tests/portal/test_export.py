"""The CSV export: managers only, their own organisation's referrals only, every answer in
a column, formulas neutralised, audited."""

from __future__ import annotations

import csv
import io

import pytest

from againsthate.services.cases import neutralise
from tests.portal.casework import audit_rows
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
    assert first["phone_times"] == ANSWERS["phone_times"] and first["methods"] == "phone"
    assert (
        first["consent"] == "yes"
        and first["status"] == "new"
        and first["characteristics"] == "race"
    )
    second = next(r for r in rows if r["reference"] == ours[1])
    assert second["about"] == "race; religion" and second["religion"] == "sikh"
    assert second["status"] == "closed"


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
