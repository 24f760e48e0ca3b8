"""News and events: seeded from the area pack, written by administrators, read by the site.

Every change made by a member of staff is audited in the same transaction. News bodies
are HTML and pass through services/sanitise.py before they are stored; event text is
plain and is escaped wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db.models import Event, NewsItem, StaffUser
from . import audit
from .areapack import AreaPack, Text
from .errors import ServiceError
from .sanitise import clean_html

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_LENGTH = 120
_GENERATED_LENGTH = 80  # leaves room for "-2", "-3" … and keeps addresses readable


class ContentError(ServiceError):
    """Something the person can put right; `reason` is a short code ("slug_taken")."""


class Seeded(NamedTuple):
    """What loading a pack added, and the news it could not add."""

    news: int
    events: int
    # Slugs of the pack's news that a story of another area's pack, or one written in the
    # portal, already has: a story's address is its slug, so the pack's is not added.
    clashes: tuple[str, ...] = ()


def seed_from_pack(session: Session, pack: AreaPack) -> Seeded:
    """Add the pack's news (by slug) and events (by title and date) that are not there yet,
    marked as the pack's; returns how many of each were added.

    Nothing is changed or deleted: what administrators wrote or edited in the portal stays
    when the pack is loaded again (`make run` does that every time). Another area's
    content (on a database that served another pack) neither counts as this pack's nor
    stops an event of this pack's from being added."""
    owners: dict[str, str | None] = {
        slug: owner for slug, owner in session.execute(select(NewsItem.slug, NewsItem.pack))
    }
    events = {
        (title, date)
        for title, date in session.execute(
            select(Event.title, Event.date).where(_shown(Event, pack.slug))
        )
    }
    news_added = events_added = 0
    clashes: list[str] = []
    for item in pack.news:
        if item.slug in owners and owners[item.slug] != pack.slug:
            clashes.append(item.slug)
        elif item.slug not in owners:
            body = Text(
                clean_html(str(item.body)),
                tuple((code, clean_html(html)) for code, html in item.body.translations),
            )
            session.add(
                NewsItem(
                    slug=item.slug,
                    title=str(item.title),
                    summary=str(item.summary),
                    body_html=body.source,
                    published=item.published,
                    pack=pack.slug,
                    translations=_translations(
                        title=item.title, summary=item.summary, body_html=body
                    ),
                )
            )
            owners[item.slug] = pack.slug
            news_added += 1
    for event in pack.events:
        if (str(event.title), event.date) not in events:
            session.add(
                Event(
                    title=str(event.title),
                    date=event.date,
                    time=str(event.time),
                    location=str(event.location),
                    description=str(event.description),
                    pack=pack.slug,
                    translations=_translations(
                        title=event.title,
                        time=event.time,
                        location=event.location,
                        description=event.description,
                    ),
                )
            )
            events.add((str(event.title), event.date))
            events_added += 1
    return Seeded(news_added, events_added, tuple(clashes))


def _translations(**fields: Text) -> dict[str, dict[str, str]]:
    """{field: {language: text}} for the fields that have any translation."""
    return {name: text.as_dict() for name, text in fields.items() if text.translations}


# Reading -----------------------------------------------------------------------------------


def _shown(model: type[NewsItem | Event], pack: str):
    """Written in the portal, or from the pack the site runs on: never another area's."""
    return or_(model.pack.is_(None), model.pack == pack)


def latest_news(session: Session, pack: str, limit: int | None = None) -> list[NewsItem]:
    query = (
        select(NewsItem)
        .where(_shown(NewsItem, pack))
        .order_by(NewsItem.published.desc(), NewsItem.id)
    )
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def news_item(session: Session, slug: str, pack: str) -> NewsItem | None:
    query = select(NewsItem).where(NewsItem.slug == slug, _shown(NewsItem, pack))
    return session.scalars(query).first()


def news_by_id(session: Session, item_id: int, pack: str) -> NewsItem | None:
    query = select(NewsItem).where(NewsItem.id == item_id, _shown(NewsItem, pack))
    return session.scalars(query).first()


def upcoming_events(session: Session, today: dt.date, pack: str) -> list[Event]:
    query = (
        select(Event).where(Event.date >= today, _shown(Event, pack)).order_by(Event.date, Event.id)
    )
    return list(session.scalars(query))


def all_events(session: Session, pack: str) -> list[Event]:
    """Every event, the latest date first (past ones included, for administrators)."""
    query = select(Event).where(_shown(Event, pack)).order_by(Event.date.desc(), Event.id)
    return list(session.scalars(query))


def event_by_id(session: Session, event_id: int, pack: str) -> Event | None:
    query = select(Event).where(Event.id == event_id, _shown(Event, pack))
    return session.scalars(query).first()


# News --------------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Café awards!" -> "cafe-awards"); "" when
    nothing of the text survives (a title in another script, say)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > _GENERATED_LENGTH:
        slug = slug[:_GENERATED_LENGTH].rsplit("-", 1)[0] or slug[:_GENERATED_LENGTH]
    return slug.strip("-")


def _free_slug(session: Session, base: str, item_id: int | None) -> str:
    """`base`, or `base-2`, `base-3` … whichever no other story uses."""
    taken = set(
        session.scalars(
            select(NewsItem.slug).where(
                NewsItem.slug.startswith(base, autoescape=True),
                *([NewsItem.id != item_id] if item_id is not None else []),
            )
        )
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _choose_slug(
    session: Session, slug: str, title: str, published: dt.date, item_id: int | None
) -> str:
    if not slug:
        return _free_slug(session, slugify(title) or f"news-{published.isoformat()}", item_id)
    if not SLUG.match(slug) or len(slug) > SLUG_LENGTH:
        raise ContentError("slug_format")
    clash = session.scalars(select(NewsItem.id).where(NewsItem.slug == slug)).first()
    if clash is not None and clash != item_id:
        raise ContentError("slug_taken")
    return slug


def _flush(session: Session) -> None:
    # Two administrators saving the same new slug at once: the database refuses the second
    # (here, at the flush, not later in the caller's commit).
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ContentError("slug_taken") from None


def create_news(
    session: Session,
    *,
    title: str,
    slug: str,
    summary: str,
    body: str,
    published: dt.date,
    by: StaffUser | None,
    now: dt.datetime,
    translations: dict | None = None,
) -> NewsItem:
    """A new story; `slug` "" makes one from the title. The body (and its translations,
    {column: {language: text}}) is sanitised here."""
    item = NewsItem(
        slug=_choose_slug(session, slug, title, published, None),
        title=title,
        summary=summary,
        body_html=clean_html(body),
        published=published,
        translations=_clean_translations(translations or {}),
    )
    session.add(item)
    session.flush()
    audit.record(
        session, actor=by, action="news_created", now=now, detail=f"news {item.id}: {item.slug}"
    )
    _flush(session)
    return item


def _clean_translations(translations: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Bodies are HTML: each language's is sanitised like the English one."""
    return {
        name: (
            {code: clean_html(text) for code, text in texts.items()}
            if name == "body_html"
            else dict(texts)
        )
        for name, texts in translations.items()
    }


def _translations_after(item: NewsItem | Event, translations: dict | None, **new: str) -> dict:
    """The translations to store when an item changes: those given (the item's own when
    None), less any left exactly as they were for a text whose own words change.

    A translation of the text before the change could say something no longer true (a
    corrected date, a cancelled session), so unless it was changed too, that language
    falls back to the new text, marked, until someone translates it again."""
    old = item.translations or {}
    given = old if translations is None else translations
    result = {}
    for name, texts in given.items():
        changed = name in new and new[name] != getattr(item, name)
        kept = {
            code: text
            for code, text in texts.items()
            if not (changed and old.get(name, {}).get(code) == text)
        }
        if kept:
            result[name] = kept
    return result


def update_news(
    session: Session,
    item: NewsItem,
    *,
    title: str,
    slug: str,
    summary: str,
    body: str,
    published: dt.date,
    by: StaffUser | None,
    now: dt.datetime,
    translations: dict | None = None,
) -> NewsItem:
    """`translations` None keeps the item's own (see _translations_after)."""
    item.slug = _choose_slug(session, slug, title, published, item.id)
    body_html = clean_html(body)
    item.translations = _translations_after(
        item,
        None if translations is None else _clean_translations(translations),
        title=title,
        summary=summary,
        body_html=body_html,
    )
    item.title, item.summary, item.published = title, summary, published
    item.body_html = body_html
    audit.record(
        session, actor=by, action="news_updated", now=now, detail=f"news {item.id}: {item.slug}"
    )
    _flush(session)
    return item


def delete_news(
    session: Session, item: NewsItem, *, by: StaffUser | None, now: dt.datetime
) -> None:
    audit.record(
        session, actor=by, action="news_deleted", now=now, detail=f"news {item.id}: {item.slug}"
    )
    session.delete(item)


# Events ------------------------------------------------------------------------------------


def _event_detail(event: Event) -> str:
    return f"event {event.id}: {event.date.isoformat()} {event.title}"


def create_event(
    session: Session,
    *,
    title: str,
    date: dt.date,
    time: str,
    location: str,
    description: str,
    by: StaffUser | None,
    now: dt.datetime,
    translations: dict | None = None,
) -> Event:
    event = Event(
        title=title,
        date=date,
        time=time,
        location=location,
        description=description,
        translations=dict(translations or {}),
    )
    session.add(event)
    session.flush()
    audit.record(session, actor=by, action="event_created", now=now, detail=_event_detail(event))
    return event


def update_event(
    session: Session,
    event: Event,
    *,
    title: str,
    date: dt.date,
    time: str,
    location: str,
    description: str,
    by: StaffUser | None,
    now: dt.datetime,
    translations: dict | None = None,
) -> Event:
    event.translations = _translations_after(
        event, translations, title=title, time=time, location=location, description=description
    )
    event.title, event.date, event.time = title, date, time
    event.location, event.description = location, description
    audit.record(session, actor=by, action="event_updated", now=now, detail=_event_detail(event))
    return event


def delete_event(session: Session, event: Event, *, by: StaffUser | None, now: dt.datetime) -> None:
    audit.record(session, actor=by, action="event_deleted", now=now, detail=_event_detail(event))
    session.delete(event)


def from_pack(pack: AreaPack, item: NewsItem | Event) -> bool:
    """Whether loading the pack would add this item again if it were deleted."""
    if isinstance(item, NewsItem):
        return any(news.slug == item.slug for news in pack.news)
    return any((str(event.title), event.date) == (item.title, item.date) for event in pack.events)
