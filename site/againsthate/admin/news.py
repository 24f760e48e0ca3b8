"""News and events for the public site: list, add, change and delete (with a confirmation)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, get_flashed_messages, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import clock
from ..areas import current_pack
from ..db.models import Event, NewsItem
from ..extensions import db
from ..services import content
from ..services.content import ContentError
from .blueprint import bp
from .forms import ConfirmForm, EventForm, NewsForm

# Flashed after a deletion: "news" or "event", never the title (the cookie has a size limit,
# and a title may be 200 characters of anything).
DELETED = "content_deleted"


@bp.get("/news")
def news():
    return render_template(
        "admin/news.html",
        items=content.latest_news(db.session, current_pack().slug),
        events=content.all_events(db.session, current_pack().slug),
        today=clock.today(),
        deleted=get_flashed_messages(category_filter=[DELETED]),
    )


def _dated(date: dt.date, prefix: str) -> dict:
    return {
        f"day_{prefix}": str(date.day),
        f"month_{prefix}": str(date.month),
        f"year_{prefix}": str(date.year),
    }


# News --------------------------------------------------------------------------------------


def _news_or_404(item_id: int) -> NewsItem:
    item = content.news_by_id(db.session, item_id, current_pack().slug)
    if item is None:
        abort(404)
    return item


def _news_page(item: NewsItem | None):
    initial = (
        _dated(clock.today(), "published")
        if item is None
        else {
            "title": item.title,
            "slug": item.slug,
            "summary": item.summary,
            "body": item.body_html,
            **_dated(item.published, "published"),
            **NewsForm.initial_translations(item.translations),
        }
    )
    form = NewsForm(data=initial)
    if form.validate_on_submit():
        fields = {
            "title": form.title.data,
            "slug": form.slug.data or "",
            "summary": form.summary.data,
            "body": form.body.data,
            "published": form.date,
            "by": g.staff,
            "now": clock.now(),
            "translations": form.translations(),
        }
        try:
            item = (
                content.create_news(db.session, **fields)
                if item is None
                else content.update_news(db.session, item, **fields)
            )
        except ContentError as error:
            form.slug.errors.append(
                _("Another news story already uses this web address. Choose another")
                if error.reason == "slug_taken"
                else _(
                    "Use only lower-case letters, numbers and single hyphens between words, like "
                    "community-awards-2026"
                )
            )
        else:
            db.commit()
            return redirect(url_for("admin.news_saved", item_id=item.id))
    return render_template("admin/news-form.html", form=form, item=item)


@bp.route("/news/new", methods=["GET", "POST"])
def news_new():
    return _news_page(None)


@bp.route("/news/<id:item_id>/edit", methods=["GET", "POST"])
def news_edit(item_id: int):
    return _news_page(_news_or_404(item_id))


@bp.get("/news/<id:item_id>/saved")
def news_saved(item_id: int):
    item = _news_or_404(item_id)
    return render_template(
        "admin/saved.html",
        heading=_("News story saved"),
        title=item.title,
        public_url=url_for("public.news_item", slug=item.slug),
        edit_url=url_for("admin.news_edit", item_id=item.id),
        past=False,
    )


@bp.route("/news/<id:item_id>/delete", methods=["GET", "POST"])
def news_delete(item_id: int):
    item = _news_or_404(item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        content.delete_news(db.session, item, by=g.staff, now=clock.now())
        db.commit()
        flash("news", DELETED)
        return redirect(url_for("admin.news"))
    return render_template(
        "admin/delete.html",
        form=form,
        heading=_("Delete this news story?"),
        title=item.title,
        from_pack=content.from_pack(current_pack(), item),
    )


# Events ------------------------------------------------------------------------------------


def _event_or_404(event_id: int) -> Event:
    event = content.event_by_id(db.session, event_id, current_pack().slug)
    if event is None:
        abort(404)
    return event


def _event_page(event: Event | None):
    initial = (
        {}
        if event is None
        else {
            "title": event.title,
            "time": event.time,
            "location": event.location,
            "description": event.description,
            **_dated(event.date, "date"),
            **EventForm.initial_translations(event.translations),
        }
    )
    form = EventForm(data=initial)
    if form.validate_on_submit():
        fields = {
            "title": form.title.data,
            "date": form.date,
            "time": form.time.data,
            "location": form.location.data,
            "description": form.description.data,
            "by": g.staff,
            "now": clock.now(),
            "translations": form.translations(),
        }
        event = (
            content.create_event(db.session, **fields)
            if event is None
            else content.update_event(db.session, event, **fields)
        )
        db.commit()
        return redirect(url_for("admin.event_saved", event_id=event.id))
    return render_template("admin/event-form.html", form=form, event=event)


@bp.route("/events/new", methods=["GET", "POST"])
def event_new():
    return _event_page(None)


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
def event_edit(event_id: int):
    return _event_page(_event_or_404(event_id))


@bp.get("/events/<id:event_id>/saved")
def event_saved(event_id: int):
    event = _event_or_404(event_id)
    return render_template(
        "admin/saved.html",
        heading=_("Event saved"),
        title=event.title,
        public_url=url_for("public.events"),
        edit_url=url_for("admin.event_edit", event_id=event.id),
        past=event.date < clock.today(),
    )


@bp.route("/events/<id:event_id>/delete", methods=["GET", "POST"])
def event_delete(event_id: int):
    event = _event_or_404(event_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        content.delete_event(db.session, event, by=g.staff, now=clock.now())
        db.commit()
        flash("event", DELETED)
        return redirect(url_for("admin.news"))
    return render_template(
        "admin/delete.html",
        form=form,
        heading=_("Delete this event?"),
        title=event.title,
        from_pack=content.from_pack(current_pack(), event),
    )
