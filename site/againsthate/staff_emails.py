"""Emails about staff accounts, shared by the administrators' pages and the managers' own.

In English, like the portal's other emails: we do not know the language of the person
invited, and their organisation works in the pack's language.
"""

from __future__ import annotations

from flask import current_app, url_for

from . import access, clock
from .areas import current_pack
from .db.models import StaffUser
from .extensions import db
from .i18n import SITE_NAME
from .services import outbox

ROLE_IN_EMAIL = {"caseworker": "a caseworker", "manager": "a manager", "admin": "an administrator"}


def _organisation_name(slug: str) -> str:
    organisation = current_pack().organisation(slug)
    return organisation.name if organisation else slug


def _site(path: str) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path


def send_invitation(user: StaffUser, token: str, inviter: StaffUser) -> None:
    """The invitation link, to the person invited (the caller commits)."""
    config = current_app.config
    pack = current_pack()
    where = f" of {_organisation_name(user.organisation)}" if user.organisation else ""
    outbox.queue(
        db.session,
        access.keyring(),
        kind="staff_invitation",
        recipient=user.email,
        subject=f"Your invitation to the {SITE_NAME} {pack.name} portal",
        body=(
            f"Hello {user.name},\n\n"
            f"{inviter.name} has invited you to the {SITE_NAME} {pack.name} portal, as "
            f"{ROLE_IN_EMAIL.get(user.role, user.role)}{where}.\n\n"
            f"To set up your account, open this link within {config['INVITE_HOURS']} hours. "
            f"It works once:\n{_site(url_for('portal.invitation', token=token))}\n\n"
            "You will choose a password, then set up two-factor sign-in with an "
            "authenticator app on your phone.\n\n"
            "If you were not expecting this invitation, you can ignore this email.\n"
        ),
        now=clock.now(),
    )


def ask_managers(user: StaffUser, managers: list[StaffUser], inviter: StaffUser) -> None:
    """Tell an organisation's managers at once that an invitation waits for them."""
    organisation = _organisation_name(user.organisation or "")
    for manager in managers:
        outbox.queue(
            db.session,
            access.keyring(),
            kind="staff_approval_needed",
            recipient=manager.email,
            subject=f"Approve a new member of {organisation} on the portal?",
            body=(
                f"Hello {manager.name},\n\n"
                f"{inviter.name}, an administrator, has asked to add {user.name} "
                f"({user.email}) to {organisation} on the {SITE_NAME} portal, as "
                f"{ROLE_IN_EMAIL.get(user.role, user.role)}. They would see your "
                "organisation's referrals.\n\n"
                "Nothing is sent to them until a manager of your organisation approves. "
                "To approve or decline, sign in and open:\n"
                f"{_site(url_for('portal.team'))}\n\n"
                "If you do not know why they were invited, decline, and ask the "
                "commissioning office.\n"
            ),
            now=clock.now(),
        )
