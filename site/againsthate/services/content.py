"""News and events: seeded from the area pack into the database, then read from it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..db.models import Event, NewsItem
from .areapack import AreaPack
from .sanitise import clean_html


def seed_from_pack(session: Session, pack: AreaPack) -> None:
    """Replace news and events with the pack's. Staff-edited items come later (admin)."""
    session.execute(delete(NewsItem))
    session.execute(delete(Event))
    for item in pack.news:
        session.add(NewsItem(slug=item.slug, title=item.title, summary=item.summary,
                             body_html=clean_html(item.body), published=item.published))
    for event in pack.events:
        session.add(Event(title=event.title, date=event.date, time=event.time,
                          location=event.location, description=event.description))
    session.commit()


def latest_news(session: Session, limit: int | None = None) -> list[NewsItem]:
    query = select(NewsItem).order_by(NewsItem.published.desc(), NewsItem.id)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def news_item(session: Session, slug: str) -> NewsItem | None:
    return session.scalars(select(NewsItem).where(NewsItem.slug == slug)).first()


def upcoming_events(session: Session, today: dt.date) -> list[Event]:
    query = select(Event).where(Event.date >= today).order_by(Event.date, Event.id)
    return list(session.scalars(query))
