"""The overview (statistics), the outbox and the audit log: pages that only read."""

from __future__ import annotations

import datetime as dt
import math

from flask import render_template, request
from flask_babel import format_percent
from flask_babel import gettext as _

from .. import clock
from ..answers.forms import heard_choices
from ..areas import current_pack
from ..db.models import AuditEvent
from ..extensions import db
from ..services import audit as audit_log
from ..services import outbox as outbox_service
from ..services import statistics
from ..services.vocabulary import ABOUT
from ..templating import organisation_name
from . import display
from .blueprint import bp
from .forms import AuditFilterForm

AUDIT_PER_PAGE = 50
LARGEST_PAGE = 100_000  # a page number from the address is bounded before it reaches SQL


def _rows(counts, labels: dict) -> list[tuple[object, int]]:
    """Every known key in its usual order (zeros too), then any other key found. A label
    stays as given: a pack's words come marked up with their language."""
    rows = [(label, counts.get(key, 0)) for key, label in labels.items()]
    return rows + [(key, counts[key]) for key in sorted(counts) if key not in labels]


@bp.get("/")
def home():
    pack = current_pack()
    today = clock.today()
    figures = statistics.figures(db.session, today)
    organisations = {o.slug: o.name for o in pack.organisations}
    # The pack's answers in its order (an answer a past campaign offered still shows, by its
    # slug, after them), then "not given".
    heard = _rows(
        figures.heard_from, {**{c.value: c.label for c in heard_choices()}, "": _("Not given")}
    )
    workload = statistics.workload(db.session, organisations, today, pack.referral_response_days)
    return render_template(
        "admin/home.html",
        figures=figures,
        months=[(dt.date(int(key[:4]), int(key[5:]), 1), count) for key, count in figures.months],
        characteristics=_rows(figures.characteristics, ABOUT),
        by_organisation=_rows(figures.organisations, organisations),
        heard=heard,
        anonymous_share=format_percent(figures.anonymous / figures.total)
        if figures.total
        else None,
        workload=[(organisation_name(w.organisation), w) for w in workload],
        response_days=pack.referral_response_days,
        overdue_since=statistics.working_days_before(today, pack.referral_response_days)
        if pack.referral_response_days
        else None,
    )


@bp.get("/outbox")
def outbox():
    return render_template("admin/outbox.html", messages=outbox_service.recent(db.session))


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), LARGEST_PAGE)


@bp.get("/audit")
def audit():
    # Every action in words, and any the log holds that this page has no words for yet.
    known = set(display.ACTIONS)
    actions = [(code, str(label)) for code, label in display.ACTIONS.items()] + [
        (code, code) for code in audit_log.actions(db.session) if code not in known
    ]
    form = AuditFilterForm(formdata=request.args, actions=actions)
    filtering = bool(request.args.get("reference") or request.args.get("action"))
    valid = form.validate() if filtering else True
    reference = form.normal_reference if valid else None
    action = form.action.data if valid else None
    page = _page_number(request.args.get("page"))
    rows: list[AuditEvent]
    if not valid:
        rows, total = [], 0
    else:
        rows, total = audit_log.page(
            db.session,
            page=page,
            per_page=AUDIT_PER_PAGE,
            reference=reference or None,
            action=action or None,
        )
        pages = max(1, math.ceil(total / AUDIT_PER_PAGE))
        if page > pages:  # past the end: show the last page rather than nothing
            page = pages
            rows, total = audit_log.page(
                db.session,
                page=page,
                per_page=AUDIT_PER_PAGE,
                reference=reference or None,
                action=action or None,
            )
    pages = max(1, math.ceil(total / AUDIT_PER_PAGE))
    filters = {key: value for key, value in (("reference", reference), ("action", action)) if value}
    return render_template(
        "admin/audit.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        filtering=filtering and valid,
    )
