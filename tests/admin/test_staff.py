"""Staff: the list by organisation, invitations by a single-use expiring link, removal."""

from __future__ import annotations

import re

import pytest

from againsthate.db.models import StaffUser
from againsthate.extensions import db
from tests.admin.conftest import ORG_A, ORG_B, audit_rows, main_text, outbox_rows

INVITE = "/portal/admin/staff/invite"


def _invite(client, **fields):
    data = {
        "email": "new.person@example.org",
        "name": "New Person",
        "role": "caseworker",
        "organisation": ORG_B,
        **fields,
    }
    return client.post(INVITE, data=data)


def _user(app, email: str) -> StaffUser | None:
    with app.app_context():
        user = db.session.query(StaffUser).filter_by(email=email).first()
        if user is not None:
            db.session.expunge(user)
        return user


def _link(body: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:5000(/portal/invite/[A-Za-z0-9_-]+)", body)
    assert found, f"no invitation link in {body!r}"
    return found.group(1)


def test_an_invitation_makes_an_account_emails_a_working_link_and_is_audited(
    portal_app, admin, admin_client
):
    response = _invite(admin_client)
    user = _user(portal_app, "new.person@example.org")
    assert user is not None and user.role == "caseworker" and user.organisation == ORG_B
    assert user.activated_at is None and user.name == "New Person"
    assert response.status_code == 302
    assert response.location.endswith(f"/portal/admin/staff/{user.id}/invited")

    confirmation = admin_client.get(response.location)
    assert "We have emailed an invitation to new.person@example.org" in confirmation.text
    assert "/portal/invite/" not in confirmation.text  # the link itself is not shown

    [(_message, recipient, body)] = outbox_rows(portal_app, "staff_invitation")
    assert recipient == "new.person@example.org"
    assert "Disability Direct" in body and "Ada Administrator" in body and "72 hours" in body
    link = _link(body)
    assert portal_app.test_client().get(link).status_code == 200  # the set-password page

    [record] = audit_rows(portal_app, "staff_invited")[-1:]
    assert record.actor_id == admin.id and record.organisation == ORG_B
    assert "new.person@example.org" in record.detail


def test_the_staff_page_groups_people_by_organisation_with_role_and_state(
    portal_app, admin_client, staff, admin
):
    staff("caseworker", ORG_A, name="Casey Worker")
    staff("manager", ORG_B, name="Morgan Manager")
    _invite(admin_client, email="pending@example.org", name="Pat Pending", organisation=ORG_A)
    removed = staff("caseworker", ORG_B, name="Rory Removed")
    admin_client.post(f"/portal/admin/staff/{removed.id}/remove")

    page = main_text(admin_client.get("/portal/admin/staff"))
    sections = dict(
        re.findall(
            r'<h2 class="heading-m" id="group-\d+">([^<]+)</h2>(.*?)(?=<h2|</main>)',
            page,
            re.DOTALL,
        )
    )
    assert list(sections)[:3] == [
        "Administrators",
        "Derbyshire Victim Services",
        "Disability Direct",
    ]
    assert "Ada Administrator" in sections["Administrators"]
    victim_services = sections["Derbyshire Victim Services"]
    assert "Casey Worker" in victim_services and "Pat Pending" in victim_services
    assert re.search(
        r"Pat Pending.*?Caseworker.*?Invited: the link works until", victim_services, re.DOTALL
    )
    disability = sections["Disability Direct"]
    assert re.search(r"Morgan Manager.*?Manager.*?Active", disability, re.DOTALL)
    assert re.search(r"Rory Removed.*?Removed on", disability, re.DOTALL)
    # Removed people come after the others.
    assert disability.index("Morgan Manager") < disability.index("Rory Removed")


def test_an_address_with_an_active_account_is_refused_kindly(portal_app, admin_client, staff):
    existing = staff("caseworker", ORG_A, email="taken@example.org")
    response = _invite(admin_client, email="Taken@Example.org")
    assert response.status_code == 200
    assert "There is already an account for this email address" in response.text
    assert response.text.count("<title>Error:") == 1
    assert outbox_rows(portal_app, "staff_invitation") == []
    assert _user(portal_app, "taken@example.org").organisation == existing.organisation == ORG_A


@pytest.mark.parametrize(
    ("role", "organisation", "message"),
    [
        ("caseworker", "", "Select the organisation they work for"),
        ("manager", "", "Select the organisation they work for"),
        ("admin", ORG_A, "Select None for an administrator"),
        ("caseworker", "not-an-organisation", "Select an organisation from the list"),
        ("owner", "", "Select their role"),
        ("", "", "Select their role"),
    ],
)
def test_role_and_organisation_must_agree(portal_app, admin_client, role, organisation, message):
    response = _invite(admin_client, role=role, organisation=organisation)
    assert response.status_code == 200
    assert message in response.text
    assert response.text.count("<title>Error:") == 1
    assert _user(portal_app, "new.person@example.org") is None
    assert outbox_rows(portal_app) == []


def test_an_administrator_is_invited_with_no_organisation(portal_app, admin_client):
    response = _invite(admin_client, role="admin", organisation="")
    assert response.status_code == 302
    user = _user(portal_app, "new.person@example.org")
    assert user.role == "admin" and user.organisation is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": ""}, "Enter their email address"),
        ({"email": "not an address"}, "Enter an email address in the right format"),
        ({"name": "   "}, "Enter their name"),
        ({"name": "x" * 201}, "Use 200 characters or fewer"),
    ],
)
def test_email_and_name_are_checked(portal_app, admin_client, fields, message):
    response = _invite(admin_client, **fields)
    assert response.status_code == 200 and message in response.text
    assert outbox_rows(portal_app) == []


def test_inviting_again_replaces_the_link_of_an_account_never_set_up(portal_app, admin_client):
    _invite(admin_client)
    first = _link(outbox_rows(portal_app, "staff_invitation")[0][2])
    user = _user(portal_app, "new.person@example.org")

    staff_page = admin_client.get("/portal/admin/staff").text
    assert f"/portal/admin/staff/{user.id}/invite-again" in staff_page
    response = admin_client.post(f"/portal/admin/staff/{user.id}/invite-again")
    assert response.location.endswith(f"/portal/admin/staff/{user.id}/invited")
    second = _link(outbox_rows(portal_app, "staff_invitation")[1][2])

    anonymous = portal_app.test_client()
    assert anonymous.get(first).status_code == 410  # the old link no longer works
    assert anonymous.get(second).status_code == 200
    # The invite form does the same for the same address.
    assert _invite(admin_client).status_code == 302
    assert anonymous.get(second).status_code == 410
    assert len(audit_rows(portal_app, "staff_invited")) >= 3


def test_an_active_account_is_not_invited_again(portal_app, admin_client, staff):
    active = staff("caseworker", ORG_A)
    response = admin_client.post(f"/portal/admin/staff/{active.id}/invite-again")
    assert response.status_code == 302 and response.location.endswith("/portal/admin/staff")
    assert outbox_rows(portal_app) == []
    invited = admin_client.get(f"/portal/admin/staff/{active.id}/invited")
    assert invited.status_code == 302 and invited.location.endswith("/portal/admin/staff")


def test_removal_ends_the_persons_session_at_once(
    portal_app, admin, admin_client, staff, signed_in
):
    person = staff("caseworker", ORG_A, name="Sam Leaving")
    their_client = signed_in(person)
    assert their_client.get("/portal/referrals").status_code == 200

    confirm = admin_client.get(f"/portal/admin/staff/{person.id}/remove")
    assert confirm.status_code == 200 and "Remove access for Sam Leaving?" in confirm.text
    assert their_client.get("/portal/referrals").status_code == 200  # asking is not removing

    response = admin_client.post(f"/portal/admin/staff/{person.id}/remove")
    assert response.status_code == 302 and response.location.endswith("/portal/admin/staff")
    assert "Access removed for Sam Leaving" in admin_client.get(response.location).text

    after = their_client.get("/portal/referrals")
    assert after.status_code == 302 and "/portal/sign-in" in after.location
    assert _user(portal_app, person.email).removed_at is not None
    [record] = audit_rows(portal_app, "staff_removed")
    assert record.actor_id == admin.id and record.detail == person.email


def test_an_administrator_cannot_remove_themselves(portal_app, admin, admin_client):
    assert admin_client.get(f"/portal/admin/staff/{admin.id}/remove").status_code == 403
    response = admin_client.post(f"/portal/admin/staff/{admin.id}/remove")
    assert response.status_code == 403
    assert "You cannot remove your own access" in response.text
    assert _user(portal_app, admin.email).removed_at is None
    assert admin_client.get("/portal/admin/").status_code == 200  # still signed in
    assert (
        f"/portal/admin/staff/{admin.id}/remove" not in admin_client.get("/portal/admin/staff").text
    )


def test_another_administrator_can_be_removed(portal_app, admin_client, staff):
    other = staff("admin", name="Other Admin")
    assert admin_client.post(f"/portal/admin/staff/{other.id}/remove").status_code == 302
    assert _user(portal_app, other.email).removed_at is not None


def test_removing_someone_unknown_is_not_found(admin_client):
    assert admin_client.get("/portal/admin/staff/999999/remove").status_code == 404
    assert admin_client.post("/portal/admin/staff/999999/remove").status_code == 404
    assert admin_client.get("/portal/admin/staff/999999/invited").status_code == 404
