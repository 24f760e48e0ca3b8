"""An administrator cannot let themselves into an organisation (issue 12, item 8).

With ADMIN_CAN_READ_REFERRALS off, an administrator reads no referral; but inviting an
address they control as a manager would have given them the organisation's export. Now an
organisation's own managers approve anyone an administrator invites into it: the
invitation is held (no link exists) until one of them confirms, and they are told at once.
The one exception, an organisation with no active manager, is audited and shown on the
organisation's staff page.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from againsthate.db.models import AccountToken, AuditEvent, OutboxMessage, StaffUser
from againsthate.extensions import db
from tests.portal.conftest import ORG_A, ORG_B, code_now

MOLE = "mole@example.org"
NEW_PASSWORD = "plum orbit lantern seventeen"


def _messages(app, kind: str) -> list[tuple[str, str]]:
    keyring = app.extensions["againsthate.keyring"]
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        ).all()
        return [(keyring.open(m.recipient), keyring.open(m.body)) for m in rows]


def _invite(admin_client, email=MOLE, role="manager", organisation=ORG_A):
    return admin_client.post(
        "/portal/admin/staff/invite",
        data={"email": email, "name": "Morgan Mole", "role": role, "organisation": organisation},
    )


def _user(app, email=MOLE) -> StaffUser:
    with app.app_context():
        user = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
        db.session.expunge(user)
        return user


def _actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def _take_up(app, body: str) -> object:
    """Follow an emailed invitation to the end, as its reader: a signed-in client."""
    token = re.search(r"/portal/invite/([A-Za-z0-9_-]+)", body).group(1)
    client = app.test_client()
    client.post(f"/portal/invite/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.get(f"/portal/invite/{token}/two-factor")
    with app.app_context():
        from againsthate.services import accounts

        user = accounts.find_by_email(db.session, MOLE)
        secret = accounts.totp_secret(app.extensions["againsthate.keyring"], user)
    done = client.post(f"/portal/invite/{token}/two-factor", data={"code": code_now(secret)})
    assert "Your recovery codes" in done.text
    return client


def test_an_administrator_inviting_themselves_as_a_manager_gets_no_link(
    portal_app, staff, signed_in
):
    manager = staff("manager", ORG_A, name="Mina Manager")
    admin_client = signed_in(staff("admin"))
    response = _invite(admin_client)
    assert response.status_code == 302
    # No invitation went out and no link exists to be followed...
    assert _messages(portal_app, "staff_invitation") == []
    with portal_app.app_context():
        assert (
            db.session.scalars(
                select(AccountToken).where(
                    AccountToken.user_id == _user(portal_app).id, AccountToken.used_at.is_(None)
                )
            ).all()
            == []
        )
    # ...the administrator is told it waits, and the managers are told at once.
    waiting = admin_client.get(response.location)
    assert "Waiting for a manager" in waiting.text
    [(to, body)] = _messages(portal_app, "staff_approval_needed")
    assert to == manager.email and MOLE in body and "/portal/team" in body
    assert "staff_invite_held" in _actions(portal_app)


def test_a_manager_approves_and_only_then_the_invitation_goes(portal_app, staff, signed_in):
    manager = staff("manager", ORG_A)
    _invite(signed_in(staff("admin")))
    mole = _user(portal_app)
    manager_client = signed_in(manager)
    team = manager_client.get("/portal/team")
    assert (
        team.status_code == 200 and MOLE in team.text and "Waiting for your approval" in team.text
    )
    response = manager_client.post(f"/portal/team/{mole.id}/approve")
    assert response.status_code == 302 and response.location.endswith("/portal/team")
    [(to, body)] = _messages(portal_app, "staff_invitation")
    assert to == MOLE
    client = _take_up(portal_app, body)
    assert client.get("/portal/referrals/export.csv").status_code == 200  # a manager now
    assert "staff_approved" in _actions(portal_app)
    # Approved once: approving again sends nothing more.
    manager_client.post(f"/portal/team/{mole.id}/approve")
    assert len(_messages(portal_app, "staff_invitation")) == 1


def test_a_manager_can_decline_and_nothing_is_sent(portal_app, staff, signed_in):
    manager = staff("manager", ORG_A)
    admin_client = signed_in(staff("admin"))
    _invite(admin_client)
    mole = _user(portal_app)
    assert signed_in(manager).post(f"/portal/team/{mole.id}/decline").status_code == 302
    assert _messages(portal_app, "staff_invitation") == []
    assert _user(portal_app).removed_at is not None
    assert "staff_declined" in _actions(portal_app)
    # Sending the invitation "again" cannot get round the refusal.
    admin_client.post(f"/portal/admin/staff/{mole.id}/invite-again")
    assert _messages(portal_app, "staff_invitation") == []


def test_the_administrator_cannot_send_a_held_invitation_again(portal_app, staff, signed_in):
    staff("manager", ORG_A)
    admin_client = signed_in(staff("admin"))
    _invite(admin_client)
    mole = _user(portal_app)
    admin_client.post(f"/portal/admin/staff/{mole.id}/invite-again")
    _invite(admin_client)  # the form again, same address
    assert _messages(portal_app, "staff_invitation") == []


def test_only_a_manager_of_that_organisation_approves(portal_app, staff, signed_in):
    staff("manager", ORG_A)
    _invite(signed_in(staff("admin")))
    mole = _user(portal_app)
    for outsider in (staff("manager", ORG_B), staff("caseworker", ORG_A), staff("admin")):
        assert signed_in(outsider).post(f"/portal/team/{mole.id}/approve").status_code == 404
    assert _messages(portal_app, "staff_invitation") == []


def test_the_first_manager_of_an_organisation_without_one_is_the_audited_exception(
    portal_app, staff, signed_in
):
    admin_client = signed_in(staff("admin"))
    staff("caseworker", ORG_B)  # staff, but no manager
    response = _invite(admin_client, organisation=ORG_B)
    assert "We have emailed an invitation" in admin_client.get(response.location).text
    [(to, body)] = _messages(portal_app, "staff_invitation")
    assert to == MOLE
    assert "staff_invited_without_approval" in _actions(portal_app)
    client = _take_up(portal_app, body)
    team = client.get("/portal/team")
    assert team.status_code == 200
    assert "without a manager" in team.text and "Morgan Mole" in team.text


def test_a_removed_manager_does_not_count_as_one(portal_app, staff, signed_in):
    admin_client = signed_in(staff("admin"))
    gone = staff("manager", ORG_B)
    admin_client.post(f"/portal/admin/staff/{gone.id}/remove")
    _invite(admin_client, organisation=ORG_B)
    assert [to for to, _ in _messages(portal_app, "staff_invitation")] == [MOLE]
