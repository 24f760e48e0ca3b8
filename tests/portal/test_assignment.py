"""Who has a referral (issue 15): a caseworker takes one nobody has or gives back their own;
a manager gives any to any active caseworker or manager of the organisation; never to
another organisation's staff, a removed account or an administrator. Every change is a
history line (names and reason, sealed) and an audit record; the inbox shows who has each
referral and filters by "mine" and "nobody yet"; a manager sees the workload."""

from __future__ import annotations

import re

import pytest

from againsthate import clock, notifications
from againsthate.areas import current_pack
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from tests.portal.casework import audit_rows, events, opened, references_listed, stored
from tests.portal.conftest import ORG_A, ORG_B


def _assign(client, reference: str, to, reason: str = ""):
    return client.post(
        f"/portal/referrals/{reference}/assign",
        data={"assign-to": str(to), "assign-reason": reason},
    )


def _remove(app, user: StaffUser) -> None:
    with app.app_context():
        db.session.get(StaffUser, user.id).removed_at = clock.now()
        db.session.commit()


def _holder(app, reference: str) -> int | None:
    return stored(app, reference).assigned_to


# The rules, per role ------------------------------------------------------------------------


def test_a_caseworker_takes_a_referral_nobody_has(staff, signed_in, referral, portal_app):
    sam = staff(name="Sam Caseworker")
    reference = referral()
    client = signed_in(sam)
    response = _assign(client, reference, sam.id)
    assert response.status_code == 303
    assert _holder(portal_app, reference) == sam.id
    page = client.get(f"/portal/referrals/{reference}").text
    assert "Sam Caseworker has it now." in page
    assert "Give it back" in page


def test_a_caseworker_cannot_give_a_referral_to_someone_else(
    staff, signed_in, referral, portal_app
):
    sam, kim = staff(name="Sam"), staff(name="Kim")
    reference = referral()
    response = _assign(signed_in(sam), reference, kim.id)
    assert response.status_code == 200
    assert "Ask a manager to give it to someone else" in response.text
    assert _holder(portal_app, reference) is None
    assert audit_rows(portal_app, "referral_assigned") == []


def test_a_caseworker_cannot_take_a_colleagues_referral(staff, signed_in, referral, portal_app):
    sam, kim = staff(name="Sam"), staff(name="Kim")
    reference = referral()
    assert _assign(signed_in(kim), reference, kim.id).status_code == 303
    response = _assign(signed_in(sam), reference, sam.id, "I have time")
    assert response.status_code == 200
    assert _holder(portal_app, reference) == kim.id
    # Nor leave it with nobody.
    assert _assign(signed_in(sam), reference, "nobody", "why not").status_code == 200
    assert _holder(portal_app, reference) == kim.id
    # The page offers them no form at all.
    page = signed_in(sam).get(f"/portal/referrals/{reference}").text
    assert "/assign" not in page


def test_a_caseworker_gives_back_their_own_with_a_reason(staff, signed_in, referral, portal_app):
    sam = staff(name="Sam")
    reference = referral()
    client = signed_in(sam)
    _assign(client, reference, sam.id)
    response = _assign(client, reference, "nobody", "")
    assert response.status_code == 200
    assert "Enter why you are changing who has it" in response.text
    assert _holder(portal_app, reference) == sam.id
    assert _assign(client, reference, "nobody", "Going on leave").status_code == 303
    assert _holder(portal_app, reference) is None


def test_a_caseworker_cannot_assign_across_organisations(staff, signed_in, referral, portal_app):
    theirs = staff("caseworker", ORG_B)
    reference = referral(ORG_A)
    assert _assign(signed_in(theirs), reference, theirs.id).status_code == 404
    assert _holder(portal_app, reference) is None


def test_a_manager_assigns_and_reassigns_with_a_reason(staff, signed_in, referral, portal_app):
    boss = staff("manager", name="Morgan Manager")
    sam, kim = staff(name="Sam Caseworker"), staff(name="Kim Caseworker")
    reference = referral()
    client = signed_in(boss)
    assert _assign(client, reference, sam.id).status_code == 303  # first time: no reason needed
    assert _holder(portal_app, reference) == sam.id
    response = _assign(client, reference, kim.id)
    assert response.status_code == 200
    assert "Enter why you are changing who has it" in response.text
    assert _holder(portal_app, reference) == sam.id
    assert _assign(client, reference, kim.id, "Kim speaks Polish").status_code == 303
    assert _holder(portal_app, reference) == kim.id
    assert _assign(client, reference, kim.id, "again").status_code == 200  # unchanged
    assert _assign(client, reference, boss.id, "Taking it myself").status_code == 303
    assert _holder(portal_app, reference) == boss.id


def test_a_manager_cannot_assign_to_another_organisations_staff(
    staff, signed_in, referral, portal_app
):
    boss = staff("manager")
    theirs = staff("caseworker", ORG_B)
    reference = referral()
    response = _assign(signed_in(boss), reference, theirs.id)
    assert response.status_code == 200
    assert _holder(portal_app, reference) is None
    # Nor is the other organisation's person offered.
    assert f'value="{theirs.id}"' not in signed_in(boss).get(f"/portal/referrals/{reference}").text


def test_a_manager_cannot_assign_to_a_removed_account_or_an_administrator(
    staff, signed_in, referral, portal_app
):
    boss = staff("manager")
    gone, admin = staff(name="Gone Person"), staff("admin")
    _remove(portal_app, gone)
    reference = referral()
    client = signed_in(boss)
    for person in (gone, admin):
        assert _assign(client, reference, person.id).status_code == 200
        assert _holder(portal_app, reference) is None
    assert "Gone Person" not in client.get(f"/portal/referrals/{reference}").text


def test_the_service_refuses_what_the_form_would_not_offer(staff, referral, portal_app):
    """The rules hold below the form too (a stale page, another caller)."""
    from againsthate.services import cases
    from againsthate.services.cases import CaseError

    boss, gone, theirs = staff("manager"), staff(), staff("caseworker", ORG_B)
    sam, admin = staff(), staff("admin")
    _remove(portal_app, gone)
    reference = referral()
    # (to whom, by whom, the refusal): an administrator (no organisation) may not assign,
    # even to a real caseworker.
    cases_tried = ((gone, boss, "staff"), (theirs, boss, "staff"), (sam, admin, "forbidden"))
    with portal_app.app_context():
        keyring = portal_app.extensions["againsthate.keyring"]
        row = cases.find(db.session, reference, ORG_A)
        for to, by, refusal in cases_tried:
            with pytest.raises(CaseError) as refused:
                cases.assign(
                    db.session,
                    keyring,
                    row,
                    to=db.session.get(StaffUser, to.id),
                    reason="",
                    by=db.session.get(StaffUser, by.id),
                    now=clock.now(),
                    pack=current_pack(),
                    emails=notifications.ReferralEmails(),
                )
            assert refused.value.reason == refusal


def test_an_administrator_cannot_assign_even_when_allowed_to_read(
    staff, signed_in, referral, portal_app
):
    sam, admin = staff(), staff("admin")
    reference = referral()
    portal_app.config["ADMIN_CAN_READ_REFERRALS"] = True
    client = signed_in(admin)
    page = client.get(f"/portal/referrals/{reference}")
    assert page.status_code == 200  # reading, as before
    assert "/assign" not in page.text
    assert _assign(client, reference, sam.id).status_code == 404
    assert _holder(portal_app, reference) is None


# History and audit --------------------------------------------------------------------------


def test_each_change_is_a_history_line_and_an_audit_record_with_the_reason(
    staff, signed_in, referral, portal_app
):
    boss = staff("manager", name="Morgan Manager")
    sam, kim = staff(name="Sam Caseworker"), staff(name="Kim Caseworker")
    reference = referral()
    client = signed_in(boss)
    _assign(client, reference, sam.id)
    _assign(client, reference, kim.id, "Kim speaks Polish")

    lines = [e for e in events(portal_app, reference) if e.kind == "assigned"]
    assert [opened(portal_app, e) for e in lines] == [
        {"from": None, "from_name": None, "to": sam.id, "to_name": "Sam Caseworker", "reason": ""},
        {
            "from": sam.id,
            "from_name": "Sam Caseworker",
            "to": kim.id,
            "to_name": "Kim Caseworker",
            "reason": "Kim speaks Polish",
        },
    ]
    assert all("Polish" not in e.detail for e in lines)  # sealed
    assert all(e.staff_id == boss.id for e in lines)

    records = audit_rows(portal_app, "referral_assigned", reference)
    assert [r.detail for r in records] == [
        f"from nobody to {sam.email}",
        f"from {sam.email} to {kim.email}: Kim speaks Polish",
    ]
    assert all(r.actor == boss.email and r.organisation == ORG_A for r in records)

    page = client.get(f"/portal/referrals/{reference}").text
    assert "Who has it changed" in page
    assert "From Sam Caseworker to Kim Caseworker." in page
    assert "Kim speaks Polish" in page


def test_passing_on_leaves_it_with_nobody_at_the_receiver(staff, signed_in, referral, portal_app):
    boss = staff("manager")
    staff("caseworker", ORG_B)
    reference = referral()
    client = signed_in(boss)
    _assign(client, reference, boss.id)
    response = client.post(
        f"/portal/referrals/{reference}/pass-on",
        data={"organisation": ORG_B, "reason": "Better placed"},
    )
    assert response.status_code == 303
    assert _holder(portal_app, reference) == boss.id  # still theirs until accepted
    receiver = signed_in(staff("caseworker", ORG_B))
    assert receiver.post(f"/portal/referrals/{reference}/accept").status_code == 303
    assert _holder(portal_app, reference) is None


# The inbox ----------------------------------------------------------------------------------


def _owners(response) -> dict[str, str]:
    """Reference -> the inbox's "who has it" cell, as text."""
    rows = re.findall(
        r'<th scope="row"><a href="/portal/referrals/([^"]+)">.*?</tr>', response.text, re.DOTALL
    )
    cells = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", response.text, re.DOTALL)
    return {
        ref: re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", cell, re.DOTALL)[-1]).strip()
        for ref, cell in zip(rows, cells, strict=True)
    }


def test_the_inbox_shows_who_has_each_and_filters_mine_and_nobodys(
    staff, signed_in, referral, portal_app
):
    boss = staff("manager")
    sam, kim = staff(name="Sam Caseworker"), staff(name="Kim Caseworker")
    for_sam, for_kim, nobodys = referral(), referral(), referral()
    client = signed_in(boss)
    _assign(client, for_sam, sam.id)
    _assign(client, for_kim, kim.id)
    _remove(portal_app, kim)

    everything = client.get("/portal/referrals")
    assert _owners(everything) == {
        for_sam: "Sam Caseworker",
        for_kim: "Kim Caseworker (no longer on the staff)",
        nobodys: "Nobody yet",
    }
    sams = signed_in(sam)
    assert references_listed(sams.get("/portal/referrals?owner=mine")) == [for_sam]
    assert references_listed(sams.get("/portal/referrals?owner=unassigned")) == [nobodys]
    assert references_listed(client.get("/portal/referrals?owner=mine")) == []
    # Kept with the other filters, and in the page links.
    assert references_listed(sams.get("/portal/referrals?owner=mine&status=closed")) == []
    assert references_listed(sams.get("/portal/referrals?owner=mine&status=new")) == [for_sam]
    unknown = sams.get("/portal/referrals?owner=everyone")
    assert "We did not recognise one of the filters" in unknown.text
    assert len(references_listed(unknown)) == 3


# The workload -------------------------------------------------------------------------------


def test_a_manager_sees_open_referrals_by_who_has_them(staff, signed_in, referral, portal_app):
    boss = staff("manager", name="Morgan Manager")
    sam, kim = staff(name="Sam Caseworker"), staff(name="Kim Caseworker")
    idle = staff(name="Idle Caseworker")
    staff("caseworker", ORG_B, name="Other Org Person")
    client = signed_in(boss)
    for _ in range(2):
        _assign(client, referral(), sam.id)
    _assign(client, referral(status="contacted"), sam.id)
    _assign(client, referral(status="closed"), sam.id)  # closed: not counted
    _assign(client, referral(), kim.id)
    _remove(portal_app, kim)
    referral()
    referral(ORG_B)

    response = client.get("/portal/workload")
    assert response.status_code == 200
    rows = {
        re.sub(r"<[^>]+>", "", head).strip(): [c.strip() for c in cells]
        for head, cells in (
            (m.group(1), re.findall(r'<td class="numeric">(.*?)</td>', m.group(2)))
            for m in re.finditer(r'<th scope="row">(.*?)</th>(.*?)</tr>', response.text, re.DOTALL)
        )
    }
    # New, contacted, in support, all open.
    assert rows == {
        "Nobody yet": ["1", "0", "0", "1"],
        "Idle Caseworker": ["0", "0", "0", "0"],
        "Kim Caseworker (no longer on the staff)": ["1", "0", "0", "1"],
        "Morgan Manager": ["0", "0", "0", "0"],
        "Sam Caseworker": ["2", "1", "0", "3"],
    }
    assert idle.name in response.text
    assert "Other Org Person" not in response.text
    assert signed_in(sam).get("/portal/workload").status_code == 404


def test_administrators_read_the_change_in_the_audit_log_in_words(
    staff, signed_in, referral, portal_app
):
    boss, sam = staff("manager"), staff()
    reference = referral()
    _assign(signed_in(boss), reference, sam.id)
    page = signed_in(staff("admin")).get("/portal/admin/audit?action=referral_assigned").text
    assert "Changed who has a referral" in page
    assert f"from nobody to {sam.email}" in page
