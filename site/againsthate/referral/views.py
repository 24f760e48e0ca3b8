"""The self-referral journey: start, a question (or two that belong together) per page, check, send, done.

Answers never live in the browser: the session holds a random token, the answers are
sealed in the `draft` table. Every page here is marked no-store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from .. import clock, notifications
from ..answers import steps
from ..answers.summary import reason_for, summary_sections
from ..areas import current_pack
from ..extensions import db, limiter
from ..i18n import get_locale
from ..security import mark_sensitive
from ..services import drafts, sending, tokens
from ..services.answers import Answers
from .blueprint import bp

TOKEN = drafts.SESSION_KEY
SENT = "sent_referral"
DONE_VISIBLE_FOR = dt.timedelta(minutes=30)


def _keyring():
    return current_app.extensions["againsthate.keyring"]


def _draft() -> drafts.InProgress | None:
    draft = drafts.load(db.session, _keyring(), session.get(TOKEN), clock.now())
    db.commit()  # an expired draft it found is deleted now
    return draft


@bp.before_request
def no_store() -> None:
    mark_sensitive()


@bp.get("")
def start():
    draft = _draft()
    return render_template(
        "referral/start.html",
        has_draft=draft is not None,
        resume=steps.first_unanswered(draft.answers, draft.steps_done) if draft else None,
        cleared="cleared" in request.args,
    )


def _render_question(
    step: steps.Step,
    form: FlaskForm,
    answers: Answers,
    status: int = 200,
    restarted: bool = False,
    **notes,
):
    previous = steps.previous_step(step, answers)
    back = (
        url_for("referral.question", slug=previous.slug) if previous else url_for("referral.start")
    )
    if request.args.get("change"):
        back = url_for("referral.check")
    return render_template(
        "referral/question.html",
        step=step,
        form=form,
        back=back,
        place=steps.place_of(step, answers),
        answers=answers,
        change=bool(request.args.get("change")),
        asked=lambda field: steps.asked(step, field.name, answers),
        restarted=restarted,
        **notes,
    ), status


@bp.route("/<slug:slug>", methods=["GET", "POST"])
def question(slug: str):
    step = steps.BY_SLUG.get(slug)
    if step is None:
        abort(404)
    try:
        stored = _draft()
    except OperationalError:
        if request.method != "POST":
            raise  # nothing typed to keep: the kind error page
        return _not_saved(step, {}, steps.form_for(step, {}, request.form))
    draft = stored or drafts.InProgress()
    answers = draft.answers
    expired = request.method == "POST" and session.get(TOKEN) and stored is None
    if stored is None and not expired and step is not steps.STEPS[0]:
        # No answers here (never begun, cleared, sent, or left by the quick exit): a later
        # question is not drawn at all, so a browser going Back has no form to refill; and a
        # form the browser sends again from its history (Back, then reload, on a page that
        # showed an error) is neither shown back nor kept.
        return redirect(url_for("referral.start"), 303)
    if not step.applies(answers) and not expired:
        resume = steps.first_unanswered(answers, draft.steps_done)
        return redirect(
            url_for("referral.question", slug=resume.slug) if resume else url_for("referral.check")
        )
    form = steps.form_for(step, answers, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        steps.save_page(answers, step, form)
        answers, steps_done = steps.prune(answers, sorted({*draft.steps_done, step.slug}))
        token = session[TOKEN] if stored is not None else drafts.new_token()
        try:
            drafts.save(db.session, _keyring(), token, answers, steps_done, clock.now())
            db.commit()  # saved at every step
        except OperationalError:
            return _not_saved(step, answers, form)
        session[TOKEN] = token
        following = steps.next_step(step, answers)
        changing = request.args.get("change")
        if changing and not sending.missing(answers):
            origin = steps.BY_SLUG.get(changing, step)
            following = _after_a_change(step, origin, answers, steps_done)
        still_changing: dict[str, Any] = (
            {"change": (steps.BY_SLUG.get(changing) or step).slug} if changing else {}
        )
        target = (
            url_for("referral.question", slug=following.slug, **still_changing)
            if following
            else url_for("referral.check")
        )
        if expired:
            target += ("&" if "?" in target else "?") + "restarted=1"
        return redirect(target)
    return _render_question(step, form, answers, restarted="restarted" in request.args)


def _not_saved(step: steps.Step, answers: Answers, form: FlaskForm):
    """The database is away: keep what they typed on the page and ask them to press
    Continue again (answers live only on the server, so the page is their only copy)."""
    db.session.rollback()
    current_app.logger.exception("draft not saved: database unavailable")
    return _render_question(step, form, answers, status=503, not_saved=True)


def _after_a_change(
    step: steps.Step, origin: steps.Step, answers: Answers, steps_done: list[str]
) -> steps.Step | None:
    """After a Change, walk the follow-up questions of the page whose Change link was
    pressed (`origin`: the check page shows them in its row, so this is where they are
    changed too), then any question the new answer opened, then back to check."""
    return steps.follow_up(step, origin, answers) or steps.first_unanswered(answers, steps_done)


@bp.errorhandler(CSRFError)
def form_expired(_error):
    """The page sat open too long. Keep what they typed and ask them to press Continue again."""
    mark_sensitive()
    slug = (request.view_args or {}).get("slug")
    step = steps.BY_SLUG.get(slug or "")
    if request.endpoint != "referral.question" or step is None:
        return redirect(
            url_for("referral.check")
            if request.endpoint == "referral.send"
            else url_for("referral.start")
        )
    if not session.get(TOKEN) and step is not steps.STEPS[0]:
        # Not a page left open too long by the person answering (their session would still
        # name their draft): a form sent again from the history after the quick exit, which
        # ended the session. Not shown back. (The first question holds only a choice of
        # who is filling it in, and no draft exists before it: that choice is kept.)
        return redirect(url_for("referral.start"), 303)
    answers = (_draft() or drafts.InProgress()).answers
    form = steps.form_for(step, answers, request.form)
    return _render_question(step, form, answers, status=400, timed_out=True)


@bp.get("/check")
def check():
    draft = _draft()
    if draft is None:
        return _after_send_or_start()
    answers = draft.answers
    resume = steps.first_unanswered(answers, draft.steps_done)
    if resume is not None or sending.missing(answers):
        return redirect(url_for("referral.question", slug=(resume or steps.STEPS[0]).slug))
    pack = current_pack()
    choices = sending.choices_for(pack, answers)
    return render_template(
        "referral/check.html",
        sections=summary_sections(answers),
        who=answers.get("who"),
        route=sending.route_for(pack, answers),
        choices=choices,
        reason=reason_for(pack, answers),
        submission_key=draft.submission_key,
    )


def _referral_limit() -> str:
    return current_app.config["REFERRAL_RATE_LIMIT"]


@bp.post("/check")
@limiter.limit(_referral_limit, methods=["POST"])
def send():
    draft = _draft()
    if draft is None or not tokens.same(request.form.get("submission_key"), draft.submission_key):
        # Sent already (double click, Back then Send), or the draft is gone.
        sent = sending.find_sent(db.session, request.form.get("submission_key", ""))
        if sent is not None:
            # The submission key was only ever on this browser's own check page, so this
            # is the same person pressing Send again: show them their reference.
            session[SENT] = {
                "reference": sent.reference,
                "at": clock.as_utc(sent.created_at).isoformat(),
            }
            session.pop(TOKEN, None)
            return redirect(url_for("referral.done", reference=sent.reference), code=303)
        if draft is None:
            return _after_send_or_start()
    try:
        result = sending.submit(
            db.session,
            _keyring(),
            current_pack(),
            token=session[TOKEN],
            draft=draft,
            organisation_slug=request.form.get("organisation", ""),
            now=clock.now(),
            emails=notifications.ReferralEmails(locale=get_locale()),
        )
        db.commit()  # a referral confirmed is committed
    except sending.NotReady:
        return redirect(url_for("referral.check"))
    except OperationalError:
        db.session.rollback()
        current_app.logger.exception("referral not stored: database unavailable")
        return render_template("referral/unavailable.html"), 503
    session[SENT] = {"reference": result.reference, "at": clock.now().isoformat()}
    session.pop(TOKEN, None)
    return redirect(url_for("referral.done", reference=result.reference), code=303)


def _after_send_or_start():
    sent = session.get(SENT)
    if sent:
        return redirect(url_for("referral.done", reference=sent["reference"]))
    return redirect(url_for("referral.start"))


@bp.get("/done/<reference:reference>")
def done(reference: str):
    """Details only for the browser session that sent it, and only for a short while:
    this address stays in the history, and an organisation's name can out someone."""
    sent = session.get(SENT) or {}
    fresh = False
    if sent.get("reference") == reference:
        fresh = clock.now() - dt.datetime.fromisoformat(sent["at"]) < DONE_VISIBLE_FOR
    if not fresh:
        return render_template("referral/done-neutral.html")
    referral = sending.find_by_reference(db.session, reference)
    if referral is None:
        return render_template("referral/done-neutral.html")
    organisation = current_pack().organisation(referral.organisation)
    return render_template(
        "referral/done.html",
        reference=reference,
        organisation=organisation,
        outcome=sending.outcome_of(_keyring(), referral),
    )


@bp.get("/clear")
def clear():
    """Ask first: a slip of the finger should not delete ten minutes of answers."""
    if _draft() is None:
        return redirect(url_for("referral.start"))
    back = request.args.get("from", "")
    step = steps.BY_SLUG.get(back)
    return_to = url_for("referral.question", slug=step.slug) if step else url_for("referral.check")
    return render_template("referral/clear.html", return_to=return_to)


@bp.post("/clear")
def discard():
    drafts.discard(db.session, session.pop(TOKEN, None))
    db.commit()
    return redirect(url_for("referral.start", cleared=1), code=303)
