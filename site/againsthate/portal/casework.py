"""The organisation's referrals: the inbox, a referral's page, and what staff do with one
(who has it, status, notes, contact attempts, passing it on, erasing it), the CSV export
and the workload by caseworker.

Who may do what:
- caseworkers and managers: their own organisation's referrals, read and handle;
- who has a referral: a caseworker may take one nobody has, or give back their own; a
  manager may give any to any active caseworker or manager of the organisation
  (services/cases.may_assign);
- managers only: export, erase, the workload;
- administrators: nothing here, unless ADMIN_CAN_READ_REFERRALS is on; then they may read
  a referral's page (audited, marked as theirs), never change it.
Another organisation's referral, or an unknown reference, is a 404 either way: the
services only look inside the caller's organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import cast
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import (
    abort,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from .. import access, clock, i18n, notifications
from ..answers import steps
from ..answers.forms import METHODS as CHOSEN_METHODS
from ..answers.summary import summary_rows
from ..areas import current_pack
from ..clock import as_utc
from ..db.models import Referral, StaffUser
from ..extensions import db
from ..i18n import ltr
from ..services import cases, contact_safety, export, kept_forms, outbox, retention, search
from ..services.cases import CaseError, NeedsConfirmation
from ..services.contact_safety import Attempt
from ..services.vocabulary import CHARACTERISTICS, OUTCOMES, SAFE_TIMES, STATUSES
from ..templating import organisation_name
from .blueprint import bp
from .case_forms import (
    CONTACT_METHODS,
    CONTACT_RESULTS,
    DUE,
    NOBODY,
    AcceptForm,
    AssignForm,
    ContactForm,
    EraseForm,
    InboxFilterForm,
    NoteForm,
    PassOnForm,
    ReturnForm,
    SearchForm,
    StatusForm,
    TagsForm,
    WishesForm,
)

DONE = "case_done"  # flashed "what just happened" messages, shown in a role="status" region
REFERENCE = "<reference:reference>"


def _messages() -> dict:
    """What just happened, for the page's status region: this module's messages, and how
    many recovery codes are left after signing in with one (portal/auth.py flashes that
    before sending the person here). Reading flashes takes them all from the session, so
    both are read here together."""
    # with_categories=True always gives (category, message) pairs; Flask's annotation is
    # the union of both shapes.
    flashed = cast(list[tuple[str, str]], get_flashed_messages(with_categories=True))
    left = [int(m) for category, m in flashed if category == "recovery_used" and m.isdigit()]
    return {
        "done": [m for category, m in flashed if category == DONE],
        "recovery_left": left[-1] if left else None,
    }


def _waiting(referral: Referral) -> str | None:
    """How long a new referral has waited, in words ("3 days"); None once it is picked up."""
    if referral.status != "new" or referral.purged_at is not None:
        return None
    waited = max(clock.now() - cases.received(referral), dt.timedelta(0))  # never "-2 minutes"
    return format_timedelta(waited, granularity="minute")


# The inbox --------------------------------------------------------------------------------


@bp.get("/referrals")
@access.roles("caseworker", "manager")
def inbox():
    form = InboxFilterForm(request.args, tags=_tag_choices(g.staff.organisation))
    filters = {
        "status": form.status.data or None,
        "characteristic": form.characteristic.data or None,
        "owner": form.owner.data or None,
        "tag": form.tag.data or None,
    }
    sort = form.sort.data
    page = cases.inbox(
        db.session,
        g.staff.organisation,
        page=request.args.get("page", 1, type=int),
        status=None if filters["status"] == DUE else filters["status"],
        due_before=(
            clock.now() - dt.timedelta(days=current_app.config["CONTACTED_DUE_DAYS"])
            if filters["status"] == DUE
            else None
        ),
        characteristic=filters["characteristic"],
        assigned_to=g.staff.id if filters["owner"] == "mine" else None,
        unassigned=filters["owner"] == "unassigned",
        tag=filters["tag"],
        sort=sort,
    )
    cases.record_listing(db.session, page.rows, g.staff, clock.now())
    db.commit()  # the page shows names: the look is on record before it shows them
    # The order stays in the address of every page (the default is left out).
    kept = {**filters, "sort": sort if sort != cases.SORTS[0] else None}

    def page_url(number: int) -> str:
        return url_for("portal.inbox", page=number, **{k: v for k, v in kept.items() if v})

    passed_to_us, passed_by_us = cases.passes_waiting(db.session, g.staff.organisation)
    return render_template(
        "portal/inbox.html",
        form=form,
        passed_to_us=passed_to_us,
        passed_by_us=passed_by_us,
        page=page,
        page_url=page_url,
        sort=sort,
        waiting={r.id: _waiting(r) for r in page.rows},
        people=cases.people(access.keyring(), page.rows),
        methods=CHOSEN_METHODS,
        filtered=any(filters.values()),
        search_form=SearchForm(formdata=None),
        **_messages(),
    )


@bp.route("/referrals/search", methods=["GET", "POST"])
@access.roles("caseworker", "manager")
def referrals_search():
    """Find a referral by its reference, or the person's name, phone number or email address.

    POST, never GET: what is typed may be personal, and must not reach an address (browser
    history, server logs, bookmarks). The results list references and statuses, no content,
    so a search is not a look at a referral; opening one is, and is audited as ever."""
    form = SearchForm()
    results = None
    if form.validate_on_submit():
        results = search.find(db.session, access.keyring(), form.query.data, g.staff.organisation)
    return render_template(
        "portal/search.html",
        form=form,
        results=results,
        waiting={r.id: _waiting(r) for r in results or []},
        error_form=form if form.errors else None,
    )


@bp.get("/referrals/export.csv")
@access.roles("manager")
def referrals_export():
    """The organisation's referrals as CSV, streamed a row at a time (services/export.py):
    values in words in the language of the page it is downloaded from, times in the
    organisation's time zone (the TIMEZONE setting)."""
    now = clock.now()
    organisation = g.staff.organisation
    export.record_export(db.session, organisation, by=g.staff, now=now)
    db.commit()  # the export's audit record, before any of it leaves
    columns = [name for step in steps.STEPS for name in steps.field_names(step)]
    lines = export.rows(
        db.session,
        access.keyring(),
        organisation,
        answer_columns=columns,
        words=_export_words(),
        zone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
    )

    def file():
        yield "\ufeff"  # a byte order mark, so spreadsheet programs read the file as UTF-8
        yield from lines

    response = current_app.response_class(stream_with_context(file()), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="referrals-{organisation}-{now:%Y-%m-%d}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _export_words() -> export.Words:
    """The export's words, in the page's language."""
    pack = current_pack()
    return export.Words(
        statuses={k: str(v) for k, v in STATUSES.items()},
        outcomes={k: str(v) for k, v in OUTCOMES.items()},
        characteristics={k: str(v) for k, v in CHARACTERISTICS.items()},
        methods={k: str(v) for k, v in CHOSEN_METHODS.items()},
        contact_methods={k: str(v) for k, v in CONTACT_METHODS.items()},
        organisations={o.slug: str(o.name) for o in pack.organisations},
        tags=dict(_tag_choices(g.staff.organisation)),
        results={k: str(v) for k, v in CONTACT_RESULTS.items()},
        phrases={
            "yes": _("Yes"),
            "no": _("No"),
            "nobody": _("Nobody"),
            "someone": _("Someone no longer on the staff"),
            "status": _("Status: %(before)s to %(after)s"),
            "outcome": _("(outcome: %(outcome)s)"),
            "assigned": _("Who has it: %(before)s to %(after)s"),
            "passed_on": _("Passed to %(organisation)s"),
            "message_left": _("message left: %(answer)s"),
            "said_who": _("said who we are: %(answer)s"),
            "against_wishes": _("against what the person asked"),
            "result": _("result: %(result)s"),
            "made_at": _("made at %(at)s"),
            "next_try": _("try again on %(date)s"),
            "refused": _("Stopped before recording (%(method)s): against what the person asked"),
            "wishes_changed": _("The person now says: %(words)s"),
            "tags": _("Tags added: %(added)s; removed: %(removed)s"),
        },
    )


@bp.get("/workload")
@access.roles("manager")
def workload():
    return render_template(
        "portal/workload.html",
        loads=cases.workload(db.session, g.staff.organisation),
        open_statuses=[key for key in STATUSES if key != "closed"],
    )


# Tags ---------------------------------------------------------------------------------------


def _tag_choices(organisation: str | None) -> list[tuple[str, str]]:
    """The organisation's own tags (its pack's `tags`), in the page's language."""
    found = current_pack().organisation(organisation) if organisation else None
    language = i18n.current().code
    return [(slug, label.get(language)) for slug, label in found.tags] if found else []


def _tags_form(referral: Referral, formdata=None) -> TagsForm:
    """The organisation's tags, and any the referral has that its pack no longer lists
    (by slug), so those can be unticked too."""
    choices = _tag_choices(referral.organisation)
    offered = {slug for slug, _label in choices}
    choices += [(slug, slug) for slug in cases.tags_of(referral) if slug not in offered]
    if formdata is None:
        return TagsForm(formdata=None, data={"tags": cases.tags_of(referral)}, tags=choices)
    return TagsForm(tags=choices)


@bp.post(f"/referrals/{REFERENCE}/tags")
def referral_tags(reference: str):
    referral = _to_handle(reference)
    form = _tags_form(referral, formdata=request.form)
    if form.validate():
        try:
            cases.set_tags(
                db.session,
                access.keyring(),
                referral,
                form.tags.data or [],
                allowed=[choice.value for choice in form.tags.choices],
                by=g.staff,
                now=clock.now(),
            )
        except CaseError:
            form.tags.errors = [_("Nothing would change. Tick or untick a tag")]
        else:
            db.commit()
            flash(_("Tags saved."), DONE)
            return _back_to(referral)
    return _page(referral, tags_form=form, error_form=form)


# Finding a referral -----------------------------------------------------------------------


def _to_read(reference: str) -> Referral:
    """The referral this member of staff may read, or 404: their organisation's, or one
    passed to it and waiting for it to accept or return it."""
    if g.staff.organisation:
        referral = cases.find(db.session, reference, g.staff.organisation) or cases.find_passed_to(
            db.session, reference, g.staff.organisation
        )
    elif g.staff.role == "admin" and current_app.config["ADMIN_CAN_READ_REFERRALS"]:
        referral = cases.find_any(db.session, reference)
    else:
        referral = None
    if referral is None:
        abort(404)
    return referral


def _to_handle(reference: str) -> Referral:
    """The referral this member of staff may change (their organisation's), or 404. One whose
    content is deleted has nothing left to change: back to its page, which says so."""
    referral = cases.find(db.session, reference, g.staff.organisation)
    if referral is None:
        abort(404)
    if referral.purged_at is not None or cases.waiting_pass(db.session, referral) is not None:
        abort(_back_to(referral))  # read only while another organisation decides
    return referral


def _to_answer(reference: str) -> Referral:
    """A referral passed to this member of staff's organisation, waiting for its answer."""
    referral = cases.find_passed_to(db.session, reference, g.staff.organisation)
    if referral is None:
        abort(404)
    return referral


def _back_to(referral: Referral):
    return redirect(url_for("portal.referral", reference=referral.reference), 303)


# A referral's page ------------------------------------------------------------------------


def _assign_form(referral: Referral, formdata=None) -> AssignForm:
    """Everyone the referral can go to; posted back as is, or empty for showing the page."""
    people = [
        SelectChoice(str(p.id), p.name) for p in cases.assignable(db.session, referral.organisation)
    ]
    if formdata is None:
        holder = str(referral.assigned_to) if referral.assigned_to else NOBODY
        return AssignForm(formdata=None, data={"to": holder}, people=people)
    return AssignForm(people=people)


def _page(
    referral: Referral,
    *,
    assign_form: AssignForm | None = None,
    status_form: StatusForm | None = None,
    note_form: NoteForm | None = None,
    contact_form: ContactForm | None = None,
    tags_form: TagsForm | None = None,
    wishes_form: WishesForm | None = None,
    breaches: list[str] | None = None,
    error_form=None,
):
    """The page, with one form posted back when it needs correcting. Every showing of a
    referral's page is in the audit log, errors included: they show its content too."""
    keyring = access.keyring()
    answers = cases.answers_of(keyring, referral)
    passing = cases.waiting_pass(db.session, referral)
    can_change = (
        g.staff.organisation == referral.organisation
        and referral.purged_at is None
        and passing is None
    )
    messages = _messages()
    if can_change:
        kept = kept_forms.take(db.session, keyring, g.staff, referral, clock.now())
        if kept:
            note_form, contact_form, status_form = _kept_forms(
                kept, note_form, contact_form, status_form
            )
            messages["done"].append(
                _(
                    "What you typed when your session ended has been kept, and is in its "
                    "form below. It is not saved yet: check it and press the button again."
                )
            )
    cases.record_view(db.session, referral, g.staff, clock.now())
    db.commit()  # the look (and any kept form given back) is on record before the page shows
    history = cases.history(db.session, keyring, referral) if answers else []
    now = clock.now()
    return render_template(
        "portal/referral.html",
        referral=referral,
        rows=summary_rows(answers) if answers else [],
        wishes=contact_safety.wishes(answers) if answers else [],
        history=history,
        # Before anyone dials: is now inside their safe times, way by way, in our time zone.
        safe_now=_safe_now(answers) if answers else [],
        now_time=babel_dates.format_datetime(
            now, "EEEE HH:mm", tzinfo=_zone(), locale=get_locale()
        ),
        contact_details=_contact_details(answers) if answers else [],
        due=cases.is_due(
            referral.status,
            referral.last_activity_at,
            days=current_app.config["CONTACTED_DUE_DAYS"],
            now=now,
        ),
        deletion=retention.deletion(db.session, referral) if referral.purged_at else None,
        waiting=_waiting(referral),
        can_change=can_change,
        can_erase=can_change and g.staff.role == "manager",
        assign_form=(assign_form or _assign_form(referral)) if can_change else None,
        status_form=status_form
        or StatusForm(formdata=None, data={"status": referral.status, "outcome": referral.outcome}),
        note_form=note_form or NoteForm(formdata=None),
        tags_form=tags_form or _tags_form(referral),
        tag_names=dict(_tag_choices(referral.organisation)),
        contact_form=contact_form or ContactForm(formdata=None, local_now=_local(now)),
        wishes_form=wishes_form or _wishes_form(answers),
        breaches=breaches or [],
        error_form=error_form,
        CONTACT_METHODS=CONTACT_METHODS,
        CHOSEN_METHODS=CHOSEN_METHODS,
        CONTACT_RESULTS=CONTACT_RESULTS,
        SAFE_TIMES=SAFE_TIMES,
        passing=passing,
        passing_at=as_utc(passing.at) if passing else None,
        receiving=passing is not None and passing.to_organisation == g.staff.organisation,
        accept_form=AcceptForm(formdata=None),
        **messages,
    )


def _wishes_form(answers) -> WishesForm:
    return WishesForm(
        formdata=None, data={key: answers.get(key) for key in cases.CHANGEABLE_WISHES}
    )


def _zone() -> ZoneInfo:
    """The organisation's time zone (config TIMEZONE): safe times are its wall-clock times."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _local(moment: dt.datetime) -> dt.datetime:
    """A UTC moment as the organisation's wall-clock time (naive)."""
    return moment.astimezone(_zone()).replace(tzinfo=None)


def _safe_now(answers) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, INSIDE/OUTSIDE/WORDS, ticked periods) for each way chosen that has times."""
    local = _local(clock.now())
    found = []
    for method in contact_safety.chosen_methods(answers):
        timing = contact_safety.timing(answers, method, local)
        if timing:
            found.append((method, timing, contact_safety.periods(answers, method)))
    return found


def _contact_details(answers) -> list[tuple[str, str]]:
    """(method, how to reach them) for each way they chose, to have beside their wishes."""
    keys = {"phone": "phone", "email": "email", "post": "address"}
    return [
        (method, str(answers.get(keys[method]) or ""))
        for method in contact_safety.chosen_methods(answers)
    ]


def _kept_forms(
    kept: dict[str, dict[str, str]],
    note_form: NoteForm | None,
    contact_form: ContactForm | None,
    status_form: StatusForm | None,
) -> tuple[NoteForm | None, ContactForm | None, StatusForm | None]:
    """The page's forms filled with what was kept (services/kept_forms), not checked: the
    person reads it over and presses the button again."""
    if "note" in kept:
        note_form = NoteForm(formdata=MultiDict(kept["note"]))
    if "contact" in kept:
        contact_form = ContactForm(formdata=MultiDict(kept["contact"]))
    if "status" in kept:
        status_form = StatusForm(formdata=MultiDict(kept["status"]))
    return note_form, contact_form, status_form


@bp.get(f"/referrals/{REFERENCE}")
def referral(reference: str):
    passed = cases.passed_from(db.session, reference, g.staff.organisation)
    if passed is not None and cases.find(db.session, reference, g.staff.organisation) is None:
        # Passed on and accepted: the sender sees what became of it, and nothing of it.
        return render_template(
            "portal/passed-on.html",
            reference=reference,
            passed=passed,
            passed_at=as_utc(passed.at),
            accepted_at=as_utc(passed.decided_at or passed.at),
            **_messages(),
        )
    return _page(_to_read(reference))


# Words for a refused change of who has it (services/cases.assign's reasons).
def _assign_refusal(reason: str) -> str:
    if reason == "reason":
        return _("Enter why you are changing who has it")
    if reason == "unchanged":
        return _("Nothing would change. Select someone else")
    if reason == "forbidden":
        return _(
            "You can take a referral nobody has, or give back your own. Ask a manager to "
            "give it to someone else"
        )
    return _("Select who should have it")


@bp.post(f"/referrals/{REFERENCE}/assign")
def referral_assign(reference: str):
    referral = _to_handle(reference)
    form = _assign_form(referral, formdata=request.form)
    if form.validate():
        to = None if form.to.data == NOBODY else db.session.get(StaffUser, int(form.to.data))
        try:
            cases.assign(
                db.session,
                access.keyring(),
                referral,
                to=to,
                reason=form.reason.data or "",
                by=g.staff,
                now=clock.now(),
                pack=current_pack(),
                emails=notifications.ReferralEmails(),
            )
        except CaseError as error:
            field = form.reason if error.reason == "reason" else form.to
            field.errors = [_assign_refusal(error.reason)]
        else:
            db.commit()
            flash(
                _("%(name)s has it now.", name=to.name)
                if to
                else _("Nobody has it now. It shows as unassigned in the inbox."),
                DONE,
            )
            return _back_to(referral)
    return _page(referral, assign_form=form, error_form=form)


@bp.post(f"/referrals/{REFERENCE}/status")
@access.keeps("status")
def referral_status(reference: str):
    referral = _to_handle(reference)
    form = StatusForm()
    if form.validate():
        try:
            cases.change_status(
                db.session,
                access.keyring(),
                referral,
                status=form.status.data,
                outcome=form.outcome.data,
                by=g.staff,
                now=clock.now(),
            )
        except CaseError as error:
            if error.reason == "outcome":
                form.outcome.errors.append(_("Select an outcome to close the referral"))
            else:
                form.status.errors.append(
                    _(
                        "The referral is already %(status)s. Select a different status or outcome",
                        status=STATUSES[referral.status],
                    )
                )
        else:
            db.commit()
            message = _("Status changed to %(status)s.", status=STATUSES[referral.status])
            if referral.outcome:
                message += " " + _("Outcome: %(outcome)s.", outcome=OUTCOMES[referral.outcome])
            flash(message, DONE)
            return _back_to(referral)
    return _page(referral, status_form=form, error_form=form)


@bp.post(f"/referrals/{REFERENCE}/notes")
@access.keeps("note")
def referral_note(reference: str):
    referral = _to_handle(reference)
    form = NoteForm()
    if form.validate():
        cases.add_note(
            db.session, access.keyring(), referral, form.text.data, by=g.staff, now=clock.now()
        )
        db.commit()
        flash(_("Note added."), DONE)
        return _back_to(referral)
    return _page(referral, note_form=form, error_form=form)


@bp.post(f"/referrals/{REFERENCE}/contacts")
@access.keeps("contact")
def referral_contact(reference: str):
    referral = _to_handle(reference)
    keyring = access.keyring()
    form = ContactForm(local_now=_local(clock.now()))
    breaches: list[str] = []
    if form.validate():
        made_local = form.made_at()
        attempt = Attempt(
            form.method.data,
            message_left=form.message_left.data == "yes",
            said_who=form.said_who.data == "yes",
            at=made_local,
        )
        try:
            reasons = cases.log_contact(
                db.session,
                keyring,
                referral,
                cases.answers_of(keyring, referral),
                attempt,
                form.note.data or "",
                confirmed=form.understood.data,
                by=g.staff,
                now=clock.now(),
                made_at=made_local.replace(tzinfo=_zone()).astimezone(dt.UTC),
                result=form.result.data,
                next_try=form.next_try(),
            )
        except NeedsConfirmation as refused:
            # Never recorded by accident: the form comes back with what it goes against,
            # and only a ticked box records it. The refusal is a line in the history.
            db.commit()
            breaches = refused.reasons
            form.understood.errors = [
                _(
                    "Tick the box to confirm you understand this goes against what the person "
                    "asked, or change your answers"
                )
            ]
        else:
            db.commit()
            flash(
                _("Contact attempt recorded, against what the person asked.")
                if reasons
                else _("Contact attempt recorded."),
                DONE,
            )
            return _back_to(referral)
    return _page(referral, contact_form=form, breaches=breaches, error_form=form)


@bp.post(f"/referrals/{REFERENCE}/wishes")
def referral_wishes(reference: str):
    """The person now says something new about being contacted: recorded, with their words."""
    referral = _to_handle(reference)
    form = WishesForm()
    if form.validate():
        try:
            cases.update_wishes(
                db.session,
                access.keyring(),
                referral,
                {
                    "phone_periods": form.phone_periods.data or [],
                    "phone_message": form.phone_message.data or None,
                    "phone_say_who": form.phone_say_who.data or None,
                },
                form.words.data or "",
                by=g.staff,
                now=clock.now(),
            )
        except CaseError:
            form.phone_periods.errors = [_("Nothing would change. Change what they now say")]
        else:
            db.commit()
            flash(_("What they now say is recorded, and their wishes are updated."), DONE)
            return _back_to(referral)
    return _page(referral, wishes_form=form, error_form=form)


# Passing on -------------------------------------------------------------------------------


@bp.route(f"/referrals/{REFERENCE}/pass-on", methods=["GET", "POST"])
def referral_pass_on(reference: str):
    referral = _to_handle(reference)
    pack = current_pack()
    staffed = cases.staffed(db.session)
    others = [
        SelectChoice(
            o.slug,
            o.name
            if o.slug in staffed
            else _("%(name)s (nobody there uses the portal yet)", name=o.name),
        )
        for o in pack.organisations
        if o.slug != referral.organisation
    ]
    form = PassOnForm(organisations=others)
    if others and form.validate_on_submit():
        try:
            receiver = cases.pass_on(
                db.session,
                access.keyring(),
                pack,
                referral,
                to=form.organisation.data,
                reason=form.reason.data,
                by=g.staff,
                now=clock.now(),
                emails=notifications.ReferralEmails(),
            )
        except CaseError as error:
            form.organisation.errors.append(
                _(
                    "Nobody at that organisation uses the portal yet, so nobody could accept "
                    "it. Select another organisation"
                )
                if error.reason == "nobody"
                else _("Select the organisation to pass it to")
            )
        else:
            db.commit()
            flash(
                _(
                    "Referral %(reference)s has been passed to %(organisation)s. It stays "
                    "here, read only, until they accept it or return it.",
                    reference=ltr(referral.reference),
                    organisation=receiver.name,
                ),
                DONE,
            )
            return _back_to(referral)
    return render_template(
        "portal/pass-on.html",
        referral=referral,
        form=form,
        has_others=bool(others),
    )


@bp.post(f"/referrals/{REFERENCE}/accept")
def referral_accept(reference: str):
    referral = _to_answer(reference)
    if AcceptForm().validate():
        passed = cases.accept(db.session, access.keyring(), referral, by=g.staff, now=clock.now())
        db.commit()
        flash(
            _(
                "You have accepted referral %(reference)s from %(organisation)s. It is your "
                "organisation's now, in the inbox as new.",
                reference=ltr(referral.reference),
                organisation=organisation_name(passed.from_organisation),
            ),
            DONE,
        )
    return _back_to(referral)


@bp.route(f"/referrals/{REFERENCE}/return", methods=["GET", "POST"])
def referral_return(reference: str):
    referral = _to_answer(reference)
    passing = cases.waiting_pass(db.session, referral)
    sender = organisation_name(passing.from_organisation) if passing else ""
    form = ReturnForm()
    if form.validate_on_submit():
        cases.give_back(
            db.session,
            access.keyring(),
            referral,
            reason=form.reason.data,
            by=g.staff,
            now=clock.now(),
        )
        db.commit()
        flash(
            _(
                "Referral %(reference)s has been returned to %(organisation)s.",
                reference=ltr(referral.reference),
                organisation=sender,
            ),
            DONE,
        )
        return redirect(url_for("portal.inbox"), 303)
    return render_template("portal/pass-return.html", referral=referral, form=form, sender=sender)


# Erasing ----------------------------------------------------------------------------------


@bp.route(f"/referrals/{REFERENCE}/erase", methods=["GET", "POST"])
@access.roles("manager")
def referral_erase(reference: str):
    referral = _to_handle(reference)
    form = EraseForm()
    if form.validate_on_submit():
        retention.erase_referral(
            db.session,
            referral,
            now=clock.now(),
            by=g.staff,
            reason=form.reason.data,
        )
        db.commit()
        # Only once the rows are gone: a file never goes before its row.
        outbox.remove_files_without_rows(db.session, current_app.config["MAIL_FILES_FOLDER"])
        flash(
            _(
                "The content of referral %(reference)s has been deleted.",
                reference=ltr(referral.reference),
            ),
            DONE,
        )
        return _back_to(referral)
    return render_template("portal/erase.html", referral=referral, form=form)
