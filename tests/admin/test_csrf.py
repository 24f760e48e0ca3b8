"""Every form of the administrators' pages carries a CSRF token, and a post without one
changes nothing (CSRF is on here, as in production)."""

from __future__ import annotations

import re

import pytest

from againsthate.db.models import Event, NewsItem, OutboxMessage, StaffUser
from againsthate.extensions import db
from tests.admin.conftest import ORG_A, make_staff, session_client
from tests.conftest import ROOMY, make_app


@pytest.fixture
def csrf_world(tmp_path):
    app = make_app(tmp_path, **ROOMY)  # WTF_CSRF_ENABLED stays on
    admin, _ = make_staff(app, "admin")
    person, _ = make_staff(app, "caseworker", ORG_A, name="Sam Staying")
    yield app, session_client(app, admin), person
    with app.app_context():
        db.engine.dispose()


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def _counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.query(model).count() for model in (StaffUser, NewsItem, Event, OutboxMessage)
        )


def test_posts_without_a_token_change_nothing(csrf_world):
    app, client, person = csrf_world
    before = _counts(app)
    with app.app_context():
        item_id = db.session.query(NewsItem.id).first()[0]
        event_id = db.session.query(Event.id).first()[0]
    for url, data in [
        ("/portal/admin/staff/invite", {"email": "a@example.org", "name": "A", "role": "admin"}),
        (f"/portal/admin/staff/{person.id}/remove", {}),
        (f"/portal/admin/staff/{person.id}/invite-again", {}),
        (
            "/portal/admin/news/new",
            {
                "title": "T",
                "summary": "S",
                "body": "B",
                "day_published": "1",
                "month_published": "1",
                "year_published": "2026",
            },
        ),
        (f"/portal/admin/news/{item_id}/delete", {}),
        (f"/portal/admin/events/{event_id}/delete", {}),
    ]:
        assert client.post(url, data=data).status_code == 400, url
    assert _counts(app) == before
    with app.app_context():
        assert db.session.get(StaffUser, person.id).removed_at is None


def test_forms_carry_a_token_that_works(csrf_world):
    app, client, person = csrf_world
    page = client.get("/portal/admin/staff/invite").text
    response = client.post(
        "/portal/admin/staff/invite",
        data={
            "csrf_token": _token(page),
            "email": "new@example.org",
            "name": "New Person",
            "role": "manager",
            "organisation": ORG_A,
        },
    )
    assert response.status_code == 302
    staff_page = client.get("/portal/admin/staff").text
    assert (
        client.post(
            re.search(r'action="(/portal/admin/staff/\d+/invite-again)"', staff_page).group(1),
            data={"csrf_token": _token(staff_page)},
        ).status_code
        == 302
    )
    remove = client.get(f"/portal/admin/staff/{person.id}/remove").text
    assert (
        client.post(
            f"/portal/admin/staff/{person.id}/remove", data={"csrf_token": _token(remove)}
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(StaffUser, person.id).removed_at is not None
