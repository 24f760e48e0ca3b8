"""The Big List of Naughty Strings through every free-text field an administrator types:
the invitation's name, a news story's title, summary and body, and an event's text.

For each string: no page fails; a field refuses it only for being empty or too long (and
the body for having nothing left once cleaned); what is kept is shown escaped, as typed
(control characters out; one-line fields on one line); no tag or script from the input
reaches a page."""

from __future__ import annotations

import re

import html5lib
import pytest
from markupsafe import escape
from sqlalchemy import select

from againsthate.admin.forms import one_line
from againsthate.db.models import NewsItem, StaffUser
from againsthate.extensions import db
from againsthate.form_helpers import clean
from againsthate.services.sanitise import clean_html
from tests.admin.conftest import ORG_A, make_staff, session_client
from tests.conftest import ROOMY, make_app
from tests.referral.test_naughty_input import STRINGS

# Tags the strings try to smuggle in, and how many of each the layout itself has.
TAGS_IN_LAYOUT = {"<script": 1, "<img": 0, "<svg": 0, "<iframe": 0}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    # No page cache: the public pages are read again after every change.
    app = make_app(
        tmp_path_factory.mktemp("naughty"), WTF_CSRF_ENABLED=False, PAGE_CACHE_SECONDS=0, **ROOMY
    )
    admin, _ = make_staff(app, "admin", name="Ada Administrator")
    yield app, session_client(app, admin)
    with app.app_context():
        db.engine.dispose()


def _shown(text: str, single_line: bool) -> str:
    cleaned = clean(text) or ""
    return one_line(cleaned) if single_line else cleaned


def _refused(text: str, limit: int, single_line: bool) -> bool:
    shown = _shown(text, single_line)
    return not shown or len(shown) > limit


def _anchors(response) -> set[str]:
    body = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.DOTALL)
    return set(re.findall(r'<a href="#([^"]+)">', summary.group(0))) if summary else set()


def _no_markup_from_input(response) -> None:
    assert response.status_code < 500
    if response.status_code in (301, 302, 303):
        return
    body = response.get_data(as_text=True)
    lowered = body.lower()
    for tag, expected in TAGS_IN_LAYOUT.items():
        assert lowered.count(tag) == expected, f"a {tag} tag from the input reached the page"
    doc = html5lib.parse(body, treebuilder="etree", namespaceHTMLElements=False)
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
        href = (element.get("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), href


def _post(
    client,
    url: str,
    data: dict,
    limits: dict[str, tuple[int, bool]],
    text: str,
    extra_refused=frozenset(),
):
    """Post; the page must refuse exactly the fields `limits` says cannot take `text`."""
    response = client.post(url, data=data)
    _no_markup_from_input(response)
    refused = {
        f
        for f, (limit, single) in limits.items()
        if f in data and data[f] == text and _refused(text, limit, single)
    } | set(extra_refused)
    if refused:
        assert response.status_code == 200, f"{sorted(refused)} should have refused {text!r}"
        assert _anchors(response) == refused
    else:
        assert response.status_code == 302, (_anchors(response), text)
    return response, refused


def _assert_escaped(page: str, value: str) -> None:
    assert str(escape(value)) in page, f"{value!r} is not shown escaped"


@pytest.mark.parametrize("text", STRINGS, ids=[f"blns-{n}" for n in range(len(STRINGS))])
def test_a_naughty_string_in_every_admin_field(world, text):
    app, client = world
    index = STRINGS.index(text)

    # The invitation: only the name takes free text.
    limits = {"name": (200, True)}
    response, refused = _post(
        client,
        "/portal/admin/staff/invite",
        {
            "email": f"blns-{index}@example.org",
            "name": text,
            "role": "caseworker",
            "organisation": ORG_A,
        },
        limits,
        text,
    )
    if not refused:
        page = client.get(response.location.replace("/invited", "/remove"))
        _no_markup_from_input(page)
        _assert_escaped(page.get_data(as_text=True), _shown(text, True))

    # A news story: title, summary and body.
    limits = {"title": (200, True), "summary": (500, False), "body": (20000, False)}
    data = {
        "title": text,
        "slug": "",
        "summary": text,
        "body": text,
        "day_published": "1",
        "month_published": "2",
        "year_published": "2026",
    }
    nothing_left = not _refused(text, 20000, False) and not clean_html(_shown(text, False)).strip()
    response, refused = _post(
        client, "/portal/admin/news/new", data, limits, text, {"body"} if nothing_left else set()
    )
    if refused:  # the same string through the fields that take it
        data.update(
            {"title": "A title", "summary": "A summary", "body": "<p>A body</p>"}
            if refused == set(limits)
            else {
                field: {"title": "A title", "summary": "A summary", "body": "<p>A body</p>"}[field]
                for field in refused
            }
        )
        response, _ = _post(client, "/portal/admin/news/new", data, limits, text)
    item_id = int(re.search(r"/news/(\d+)/saved", response.location).group(1))
    with app.app_context():
        item = db.session.get(NewsItem, item_id)
        slug, title, summary = item.slug, item.title, item.summary
    if data["title"] == text:
        assert title == _shown(text, True)
    if data["summary"] == text:
        assert summary == _shown(text, False)
    story = client.__class__(app).get(f"/news/{slug}")  # as the public sees it: no cookies
    assert story.status_code == 200
    _no_markup_from_input(story)
    story_page = story.get_data(as_text=True)
    _assert_escaped(story_page, title)
    listing = client.__class__(app).get("/news")
    _no_markup_from_input(listing)
    _assert_escaped(listing.get_data(as_text=True), summary)
    edit = client.get(f"/portal/admin/news/{item_id}/edit")
    _no_markup_from_input(edit)
    _assert_escaped(edit.get_data(as_text=True), summary)
    assert client.post(f"/portal/admin/news/{item_id}/delete").status_code == 302

    # An event: every field is plain text.
    limits = {
        "title": (200, True),
        "time": (100, True),
        "location": (300, True),
        "description": (5000, False),
    }
    harmless = {"title": "An event", "time": "6pm", "location": "Derby", "description": "About it."}
    data = {
        "title": text,
        "day_date": "1",
        "month_date": "2",
        "year_date": "2099",
        "time": text,
        "location": text,
        "description": text,
    }
    response, refused = _post(client, "/portal/admin/events/new", data, limits, text)
    if refused:
        data.update({field: harmless[field] for field in refused})
        response, _ = _post(client, "/portal/admin/events/new", data, limits, text)
    event_id = int(re.search(r"/events/(\d+)/saved", response.location).group(1))
    events = client.__class__(app).get("/events")
    _no_markup_from_input(events)
    page = events.get_data(as_text=True)
    for field, (_limit, single) in limits.items():
        if data[field] == text:
            _assert_escaped(page, _shown(text, single))
    assert client.post(f"/portal/admin/events/{event_id}/delete").status_code == 302


def test_every_name_together_on_the_staff_page(world):
    """Whatever names the strings above left (all of them, or only the administrator's when
    this runs first), the staff list shows each one escaped, and nothing else of them."""
    app, client = world
    with app.app_context():
        names = [name for (name,) in db.session.execute(select(StaffUser.name))]
    response = client.get("/portal/admin/staff")
    assert response.status_code == 200
    _no_markup_from_input(response)
    page = response.get_data(as_text=True)
    for name in names:
        _assert_escaped(page, name)
