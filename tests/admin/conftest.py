"""Fixtures for the administrators' pages: the portal's (an app, staff of every role,
signed-in clients, stored referrals), an administrator's client, and helpers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask

from againsthate.areas import current_pack
from againsthate.db.models import AuditEvent, OutboxMessage
from againsthate.extensions import db
from tests.portal.conftest import (  # noqa: F401  (fixtures, used by name)
    ANSWERS,
    ORG_A,
    ORG_B,
    add_referral,
    make_staff,
    portal_app,
    referral,
    session_client,
    signed_in,
    staff,
)

# Values for the admin routes that take a variable, made by `sample_rows`.
SAMPLES = ("user_id", "item_id", "event_id")
# Endpoints that only answer POST (the others are pages).
POST_ONLY = {"admin.staff_invite_again"}


@pytest.fixture
def admin(staff):  # noqa: F811  (the fixture imported above)
    return staff("admin", name="Ada Administrator")


@pytest.fixture
def admin_client(admin, signed_in):  # noqa: F811
    return signed_in(admin)


def sample_rows(app: Flask) -> dict[str, int]:
    """Someone invited (not yet set up), a news story and an event to fill the routes'
    variables."""
    from againsthate import clock
    from againsthate.db.models import Event, NewsItem
    from againsthate.services import accounts

    with app.app_context():
        user, _token = accounts.invite(
            db.session,
            email="sample.person@example.org",
            name="Sample Person",
            role="caseworker",
            organisation=ORG_B,
            by=None,
            now=clock.now(),
            policy=accounts.Policy(),
        )
        db.session.commit()
        item = db.session.query(NewsItem).order_by(NewsItem.id).first()
        event = db.session.query(Event).order_by(Event.id).first()
        assert item is not None and event is not None, "the pack's news and events are loaded"
        return {"user_id": user.id, "item_id": item.id, "event_id": event.id}


def admin_urls(
    app: Flask, values: dict[str, int], methods: set[str] | None = None
) -> list[tuple[str, str, set[str]]]:
    """(endpoint, url, methods) for every route of the admin blueprint."""
    from flask import url_for

    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("admin."):
                continue
            allowed = set(rule.methods or ()) - {"HEAD", "OPTIONS"}
            if methods and not allowed & methods:
                continue
            found.append(
                (
                    rule.endpoint,
                    url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}),
                    allowed,
                )
            )
    return sorted(found)


def pages(app: Flask, values: dict[str, int]) -> list[str]:
    """Every admin page that answers GET."""
    return [url for _endpoint, url, methods in admin_urls(app, values) if "GET" in methods]


def add_stat(
    app: Flask,
    *,
    month: str,
    organisation: str = ORG_A,
    characteristics: str = "race",
    heard_from: str = "",
    anonymous: bool = False,
    who: str = "self",
) -> None:
    """One referral counted in the anonymous statistics, as sending one counts it."""
    from againsthate.services import statistics

    answers = {
        "who": who,
        "about": characteristics.split(),
        "help": ["emotional_support"],
        "police": "no",
        "heard": heard_from,
        "contact": "none" if anonymous else "yes",
    }
    year, number = map(int, month.split("-"))
    with app.app_context():
        statistics.count_referral(
            db.session,
            answers,
            organisation,
            dt.datetime(year, number, 15, 12, tzinfo=dt.UTC),
            current_pack().heard_slugs,
        )
        db.session.commit()


def outbox_rows(app: Flask, kind: str | None = None) -> list[tuple[OutboxMessage, str, str]]:
    """Queued messages with their recipient and body opened (tests only)."""
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        query = db.session.query(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.filter_by(kind=kind)
        return [(m, keyring.open(m.recipient), keyring.open(m.body)) for m in query]


def audit_rows(app: Flask, action: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = db.session.query(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.filter_by(action=action)
        rows = query.all()
        db.session.expunge_all()
        return rows


def main_text(response) -> str:
    """The page's <main>, as HTML."""
    body = response.get_data(as_text=True)
    found = re.search(r"<main\b.*?</main>", body, re.DOTALL)
    assert found, "no <main> on the page"
    return found.group(0)
