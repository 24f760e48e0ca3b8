"""Every email the site sends is written here, and only here: one function per kind.

The words are text templates under templates/email/ (the first line is the subject, then
a blank line, then the body); links are built from the URL map against SITE_URL. What
goes out is queued in the outbox (services/outbox.py), which sends it.

Emails to staff and to organisations are in English: we do not know the language of the
person invited, and organisations work in the pack's language. The person's confirmation
is in the language they used on the site, from the same catalogues as the pages.

Staff emails are queued here, called by the view (which commits). Referral emails are
queued by the services, in the transaction that stores what they are about: the view
hands the service a `ReferralEmails`, which writes the words while the service decides
who is told and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from . import access, clock, i18n
from .areas import current_pack
from .db.models import StaffUser
from .extensions import db
from .services import outbox
from .services.areapack import Organisation
from .services.vocabulary import STATUSES

ROLE_IN_EMAIL = {"caseworker": "a caseworker", "manager": "a manager", "admin": "an administrator"}


def link(endpoint: str, *, language: str | None = None, **values: Any) -> str:
    """An absolute link to a page of the site at SITE_URL, in a request or in a command.

    `language`: the /<lang>/ prefix to keep (the language of the page the email was asked
    from), or None for the unprefixed page.

    Built by the URL map bound to SITE_URL rather than by url_for: inside a request,
    url_for(_external=True) uses the request's own host, and pushing a second request
    context (base_url=SITE_URL) in the middle of one runs the request's teardown hooks on
    the way out (Flask-Limiter resets its state there). The map's build is what url_for
    calls underneath, with the same converters and the same errors for a wrong endpoint.
    """
    site = urlsplit(current_app.config["SITE_URL"])
    root = site.path.rstrip("/") + (f"/{language}" if language else "")
    adapter = current_app.url_map.bind(site.netloc, script_name=root or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _written(template: str, locale: str = i18n.DEFAULT, **context: Any) -> tuple[str, str]:
    """The subject and body a template writes, in `locale`. Text templates are not
    HTML-escaped (Flask escapes .html only): a name with "&" or "'" stays as written."""
    with force_locale(locale):
        pack = current_pack()
        text = render_template(
            f"email/{template}.txt",
            site_name=pack.site_name or i18n.SITE_NAME,
            full_name=pack.full_name(i18n.SITE_NAME),
            **context,
        )
    subject, _blank, body = text.partition("\n\n")
    # Jinja drops a template's final newline; every email ends with one.
    return subject, body + "\n"


def _queue(kind: str, recipient: str, words: tuple[str, str]) -> None:
    subject, body = words
    outbox.queue(
        db.session,
        access.keyring(),
        kind=kind,
        recipient=recipient,
        subject=subject,
        body=body,
        now=clock.now(),
    )


def _organisation_name(slug: str) -> str:
    organisation = current_pack().organisation(slug)
    return organisation.name if organisation else slug


def _role(user: StaffUser) -> str:
    return ROLE_IN_EMAIL.get(user.role, user.role)


# To staff, queued here (the caller commits) --------------------------------------------------


def staff_invitation(user: StaffUser, token: str, inviter: StaffUser) -> None:
    """The invitation link, to the person invited."""
    words = _written(
        "staff-invitation",
        user=user,
        inviter=inviter,
        pack=current_pack(),
        role=_role(user),
        organisation=_organisation_name(user.organisation) if user.organisation else None,
        hours=current_app.config["INVITE_HOURS"],
        link=link("portal.invitation", language=i18n.url_language(), token=token),
    )
    _queue("staff_invitation", user.email, words)


def staff_approval_needed(
    user: StaffUser, managers: Sequence[StaffUser], inviter: StaffUser
) -> None:
    """Tell an organisation's managers at once that an invitation waits for them."""
    for manager in managers:
        words = _written(
            "staff-approval-needed",
            user=user,
            manager=manager,
            inviter=inviter,
            role=_role(user),
            organisation=_organisation_name(user.organisation or ""),
            link=link("portal.team", language=i18n.url_language()),
        )
        _queue("staff_approval_needed", manager.email, words)


def sign_in_paused(user: StaffUser) -> None:
    """Signing in to this account from one place is paused: its owner hears at once."""
    config = current_app.config
    words = _written(
        "sign-in-paused",
        user=user,
        attempts=config["LOCKOUT_ATTEMPTS"],
        minutes=config["LOCKOUT_MINUTES"],
    )
    _queue("sign_in_paused", user.email, words)


def password_reset(user: StaffUser, token: str) -> None:
    """The reset link, in the language of the page it was asked for from."""
    words = _written(
        "password-reset",
        minutes=current_app.config["RESET_MINUTES"],
        link=link("portal.password_reset", language=i18n.url_language(), token=token),
    )
    _queue("password_reset", user.email, words)


# About referrals: the words, for the services that queue them --------------------------------


@dataclass(frozen=True)
class ReferralEmails:
    """The words of the emails about a referral (services/outbox.EmailWriter).

    `locale`: the language the person used on the site, for their confirmation."""

    locale: str = i18n.DEFAULT

    def new_referral(self, organisation: Organisation, reference: str) -> tuple[str, str]:
        return _written(
            "referral-received",
            organisation=organisation,
            reference=reference,
            link=link("portal.referral", reference=reference),
        )

    def passed_on(self, organisation: Organisation, reference: str) -> tuple[str, str]:
        return _written(
            "referral-passed-on",
            organisation=organisation,
            reference=reference,
            link=link("portal.referral", reference=reference),
        )

    def assigned(self, organisation: Organisation, reference: str) -> tuple[str, str]:
        return _written(
            "referral-assigned",
            organisation=organisation,
            reference=reference,
            link=link("portal.referral", reference=reference),
        )

    def reminder(
        self, organisation: Organisation, reference: str, status: str, days: int
    ) -> tuple[str, str]:
        """The status in English words ("in support"), as every email to staff is."""
        with force_locale(i18n.DEFAULT):
            status_words = str(STATUSES.get(status, status)).lower()
        return _written(
            "referral-reminder",
            organisation=organisation,
            reference=reference,
            status=status_words,
            days=days,
            link=link("portal.referral", reference=reference),
        )

    def confirmation(self, reference: str) -> tuple[str, str]:
        return _written("referral-confirmation", self.locale, reference=reference, ltr=i18n.ltr)
