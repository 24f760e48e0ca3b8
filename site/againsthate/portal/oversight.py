"""A manager's view of their own organisation's audit log (issue 15, "Oversight").

Only records about the organisation made by its own staff: not another organisation's,
not the administrators', not the command line's (services/audit.organisation_page). Who
did it by name; organisations by name; one "opened" line per visit to a referral (a
reload within half an hour is recorded as "opened again", and left out here).
"""

from __future__ import annotations

import re

from flask import g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import access, i18n
from ..areas import current_pack
from ..extensions import db
from ..services import accounts, audit
from ..services.vocabulary import AUDIT_ACTIONS, OUTCOMES, ROLES, STATUSES
from .blueprint import bp
from .case_forms import CONTACT_METHODS, AuditFilterForm

PER_PAGE = 50
LARGEST_PAGE = 100_000  # a page number from the address is bounded before it reaches SQL

# What a manager's page offers to filter by: what their staff do (not "opened again",
# which the page leaves out, nor the administrators' own actions).
ORGANISATION_ACTIONS = (
    "referral_viewed",
    "referral_assigned",
    "referral_status_changed",
    "referral_note_added",
    "referral_contact_logged",
    "referral_tags_changed",
    "referral_passed_on",
    "referral_erased",
    "referrals_exported",
    "signed_in",
    "signed_out",
    "password_changed",
    "password_reset",
    "recovery_codes_replaced",
    "account_locked",
    "staff_activated",
    "staff_approved",
    "staff_declined",
)

_ADDRESS = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+")
_STATUS_CHANGE = re.compile(r"^(\w+) to (\w+)(?: \((\w+)\))?$")
_PASSED_ON = re.compile(r"^from (\S+) to (\S+)$")
_CONTACT = re.compile(r"^by (\w+)(; against wishes: .*)?$")
_EXPORTED = re.compile(r"^(\d+) referrals$")
_TAGS_CHANGE = re.compile(r"^added: (.*); removed: (.*)$")
_AS_ROLE = re.compile(r" as (caseworker|manager|admin)$")


def detail_in_words(
    action: str,
    detail: str,
    names: dict[str, str],
    organisations: dict[str, str],
    tags: dict[str, str] | None = None,
) -> str:
    """A record's detail as a manager reads it: people by name rather than address, and
    statuses, outcomes, organisations and tags in words rather than codes."""
    if action == "referral_tags_changed" and (match := _TAGS_CHANGE.match(detail)):
        changes: list[str] = []
        for key, listed in zip(("added", "removed"), match.groups(), strict=True):
            slugs = [t for t in listed.split(", ") if t and t != "-"]
            if slugs:
                named = ", ".join((tags or {}).get(t, t) for t in slugs)
                changes.append(
                    _("Added: %(tags)s.", tags=named)
                    if key == "added"
                    else _("Removed: %(tags)s.", tags=named)
                )
        return " ".join(changes)
    if action == "referral_status_changed" and (match := _STATUS_CHANGE.match(detail)):
        before, after, outcome = match.groups()
        words = _(
            "%(before)s to %(after)s",
            before=STATUSES.get(before, before),
            after=STATUSES.get(after, after),
        )
        return f"{words} ({OUTCOMES.get(outcome, outcome)})" if outcome else words
    if action == "referral_passed_on" and (match := _PASSED_ON.match(detail)):
        sender, receiver = match.groups()
        return _(
            "from %(sender)s to %(receiver)s",
            sender=organisations.get(sender, sender),
            receiver=organisations.get(receiver, receiver),
        )
    if action == "referral_contact_logged" and (match := _CONTACT.match(detail)):
        method, against = match.groups()
        words = str(CONTACT_METHODS.get(method, method))
        return f"{words}; {_('against what the person asked')}" if against else words
    if action == "referrals_exported" and (match := _EXPORTED.match(detail)):
        number = int(match.group(1))
        return ngettext("%(num)d referral", "%(num)d referrals", number)
    if action == "signed_in" and detail == "with a recovery code":
        return _("With a recovery code")
    if action == "account_locked" and detail == "wrong passwords from one place":
        return _("After wrong passwords from one place")
    words = _ADDRESS.sub(lambda m: names.get(m.group(0).lower(), _("someone else")), detail)
    return _AS_ROLE.sub(lambda m: f" ({ROLES.get(m.group(1), m.group(1))})", words)


@bp.get("/audit")
@access.roles("manager")
def audit_log():
    organisation = g.staff.organisation
    people = accounts.staff_of(db.session, organisation)
    form = AuditFilterForm(
        request.args,
        people=[(str(p.id), p.name) for p in people],
        actions=[(code, str(AUDIT_ACTIONS[code])) for code in ORGANISATION_ACTIONS],
    )
    person, action = form.person.data or None, form.action.data or None
    rows, total, page = audit.organisation_page(
        db.session,
        organisation,
        page=min(max(1, request.args.get("page", 1, type=int) or 1), LARGEST_PAGE),
        per_page=PER_PAGE,
        actor_id=int(person) if person else None,
        action=action,
    )
    filters = {key: value for key, value in (("person", person), ("action", action)) if value}
    names = {p.email: p.name for p in people}
    pack = current_pack()
    organisations = {o.slug: str(o.name) for o in pack.organisations}
    own = pack.organisation(organisation)
    language = i18n.current().code
    tags = {slug: label.get(language) for slug, label in own.tags} if own else {}

    def page_url(number: int) -> str:
        return url_for("portal.audit_log", page=number, **filters)

    return render_template(
        "portal/audit.html",
        form=form,
        rows=[
            (event, name, detail_in_words(event.action, event.detail, names, organisations, tags))
            for event, name in rows
        ],
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        page_url=page_url,
        filtered=bool(filters),
        action_name=lambda code: str(AUDIT_ACTIONS.get(code, code)),
    )
