"""News and events: added, changed and deleted by administrators, audited, sanitised, and
kept when the area pack is loaded again."""

from __future__ import annotations

import datetime as dt

import html5lib
import pytest

from againsthate import clock
from againsthate.areas import current_pack
from againsthate.db.models import Event, NewsItem
from againsthate.extensions import db
from againsthate.services import content
from tests.admin.conftest import audit_rows

NEWS = "/portal/admin/news/new"
EVENTS = "/portal/admin/events/new"


def _news(client, **fields):
    data = {
        "title": "Community awards",
        "slug": "",
        "summary": "Nominations are open.",
        "body": "<p>Tell us who made a difference.</p>",
        "day_published": "2",
        "month_published": "3",
        "year_published": "2026",
        **fields,
    }
    return client.post(NEWS, data=data)


def _event(client, url=EVENTS, **fields):
    data = {
        "title": "Drop-in session",
        "day_date": "14",
        "month_date": "5",
        "year_date": "2031",
        "time": "6pm to 8pm",
        "location": "Derby Library",
        "description": "Come and talk to us.",
        **fields,
    }
    return client.post(url, data=data)


def _stored(app, model, **filters):
    with app.app_context():
        row = db.session.query(model).filter_by(**filters).first()
        if row is not None:
            db.session.expunge(row)
        return row


def test_a_news_story_is_added_shown_and_audited(portal_app, admin, admin_client):
    response = _news(admin_client)
    item = _stored(portal_app, NewsItem, slug="community-awards")
    assert item is not None and item.published == dt.date(2026, 3, 2)
    assert response.location.endswith(f"/portal/admin/news/{item.id}/saved")
    saved = admin_client.get(response.location).text
    assert (
        "News story saved" in saved and "The public site shows the change within a minute" in saved
    )
    public = portal_app.test_client().get("/news/community-awards")
    assert public.status_code == 200 and "Tell us who made a difference." in public.text
    [record] = audit_rows(portal_app, "news_created")
    assert record.actor_id == admin.id and "community-awards" in record.detail
    assert "Community awards" in admin_client.get("/portal/admin/news").text


def test_script_event_handlers_and_javascript_links_are_made_harmless(portal_app, admin_client):
    body = (
        '<p onclick="steal()">Hello <strong>all</strong></p><script>alert("x")</script>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">click</a>'
        '<a href="https://example.org/ok" onmouseover="alert(3)">fine</a>'
        '<iframe src="https://evil.example"></iframe><svg onload="alert(4)"></svg>'
    )
    assert _news(admin_client, title="Safe story", body=body).status_code == 302
    stored = _stored(portal_app, NewsItem, slug="safe-story").body_html
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<img",
        "<iframe",
        "<svg",
    ):
        assert bad not in stored.lower(), bad
    assert "<strong>all</strong>" in stored and 'href="https://example.org/ok"' in stored

    page = portal_app.test_client().get("/news/safe-story").get_data(as_text=True)
    doc = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    article = doc.find(".//article")
    assert article is not None
    assert [e.tag for e in article.iter() if e.tag in {"script", "img", "iframe", "svg"}] == []
    for element in article.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
    hrefs = [a.get("href") for a in article.iter("a")]
    assert all(h is None or h.startswith(("https:", "http:", "mailto:", "tel:")) for h in hrefs), (
        hrefs
    )
    assert len(doc.findall(".//script")) == 1  # the layout's own quick-exit script only


def test_the_body_hint_names_the_allowed_tags(admin_client):
    from againsthate.services.sanitise import ALLOWED_TAGS

    page = admin_client.get(NEWS).text
    for tag in ALLOWED_TAGS:
        assert f"&lt;{tag}&gt;" in page


def test_a_body_with_nothing_left_once_cleaned_is_refused(portal_app, admin_client):
    response = _news(admin_client, body='<img src="x" onerror="alert(1)">')
    assert response.status_code == 200 and "nothing is left once HTML" in response.text
    assert _stored(portal_app, NewsItem, title="Community awards") is None


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Community awards", "community-awards"),
        (
            "  Café & Bar: Hate Crime Awareness Week 2026!  ",
            "cafe-bar-hate-crime-awareness-week-2026",
        ),
        ("ہیٹ کرائم", "news-2026-03-02"),  # nothing in Latin letters: the date instead
        ("word " * 40, "-".join(["word"] * 16)),  # shortened at a hyphen
    ],
)
def test_a_slug_is_made_from_the_title_when_left_empty(portal_app, admin_client, title, slug):
    assert _news(admin_client, title=title).status_code == 302
    item = _stored(portal_app, NewsItem, slug=slug)
    assert item is not None


def test_made_slugs_never_clash(portal_app, admin_client):
    for _ in range(3):
        assert _news(admin_client).status_code == 302
    for slug in ("community-awards", "community-awards-2", "community-awards-3"):
        assert _stored(portal_app, NewsItem, slug=slug) is not None


@pytest.mark.parametrize(
    "slug",
    [
        "Community-Awards",
        "two  spaces",
        "trailing-",
        "-leading",
        "double--hyphen",
        "café",
        "under_score",
        "a/b",
        "x" * 121,
    ],
)
def test_a_typed_slug_must_be_lower_case_words_and_hyphens(portal_app, admin_client, slug):
    response = _news(admin_client, slug=slug)
    assert response.status_code == 200
    assert (
        "Use only lower-case letters" in response.text
        or "Use 120 characters or fewer" in response.text
    )
    assert response.text.count("<title>Error:") == 1


def test_a_typed_slug_must_be_unique(portal_app, admin_client):
    pack_slug = current_pack_news_slug(portal_app)
    response = _news(admin_client, slug=pack_slug)
    assert response.status_code == 200
    assert "Another news story already uses this web address" in response.text
    assert _news(admin_client, slug="my-own-slug").status_code == 302


def current_pack_news_slug(app) -> str:
    with app.app_context():
        return current_pack().news[0].slug


def test_a_story_keeps_its_own_slug_when_changed(portal_app, admin_client):
    _news(admin_client, slug="keep-me")
    item = _stored(portal_app, NewsItem, slug="keep-me")
    edit = f"/portal/admin/news/{item.id}/edit"
    form = admin_client.get(edit).text
    assert 'value="keep-me"' in form and "Tell us who made a difference." in form
    response = admin_client.post(
        edit,
        data={
            "title": "Awards: the winners",
            "slug": "keep-me",
            "summary": "And the winners are…",
            "body": "<p>Well done.</p>",
            "day_published": "5",
            "month_published": "3",
            "year_published": "2026",
        },
    )
    assert response.status_code == 302
    changed = _stored(portal_app, NewsItem, id=item.id)
    assert (changed.title, changed.slug, changed.published) == (
        "Awards: the winners",
        "keep-me",
        dt.date(2026, 3, 5),
    )
    assert len(audit_rows(portal_app, "news_updated")) == 1


def _translate(app, model, row_id, translations):
    with app.app_context():
        db.session.get(model, row_id).translations = translations
        db.session.commit()


def test_changing_a_storys_text_drops_only_that_texts_translations(portal_app, admin_client):
    """The portal writes English only: an Urdu title of the old title could say what is no
    longer true, so it goes; the Urdu summary of an unchanged summary stays."""
    _news(admin_client, slug="translated")
    item = _stored(portal_app, NewsItem, slug="translated")
    _translate(
        portal_app, NewsItem, item.id, {"title": {"ur": "پرانا عنوان"}, "summary": {"ur": "خلاصہ"}}
    )
    admin_client.post(
        f"/portal/admin/news/{item.id}/edit",
        data={
            "title": "Community awards: date changed",
            "slug": "translated",
            "summary": item.summary,
            "body": item.body_html,
            "day_published": "2",
            "month_published": "3",
            "year_published": "2026",
        },
    )
    assert _stored(portal_app, NewsItem, id=item.id).translations == {"summary": {"ur": "خلاصہ"}}
    page = portal_app.test_client().get("/ur/news/translated").text
    assert '<h1 lang="en" dir="ltr">Community awards: date changed</h1>' in page
    assert "خلاصہ" in portal_app.test_client().get("/ur/news").text


def test_changing_an_events_place_drops_only_its_translations(portal_app, admin_client):
    _event(admin_client)
    event = _stored(portal_app, Event, title="Drop-in session")
    _translate(
        portal_app, Event, event.id, {"title": {"pl": "Dyżur"}, "location": {"pl": "Biblioteka"}}
    )
    _event(admin_client, f"/portal/admin/events/{event.id}/edit", location="Chesterfield Library")
    assert _stored(portal_app, Event, id=event.id).translations == {"title": {"pl": "Dyżur"}}
    page = portal_app.test_client().get("/pl/events").text
    assert (
        '<h2 class="heading-m">Dyżur</h2>' in page
        and '<dd lang="en">Chesterfield Library</dd>' in page
    )


def test_a_story_can_be_written_in_other_languages_too(portal_app, admin_client):
    form = admin_client.get(NEWS).text
    assert (
        '<input class="input " dir="rtl" id="title_ur" lang="ur" maxlength="200" name="title_ur"'
        in form
    )
    _news(
        admin_client,
        slug="in-urdu",
        title_ur="  کمیونٹی ایوارڈز  ",
        body_ur='<p onclick="x()">اردو</p>',
        summary_pl="",
    )
    item = _stored(portal_app, NewsItem, slug="in-urdu")
    assert item.translations == {
        "title": {"ur": "کمیونٹی ایوارڈز"},
        "body_html": {"ur": "<p>اردو</p>"},
    }
    public = portal_app.test_client()
    assert "<h1>کمیونٹی ایوارڈز</h1>" in public.get("/ur/news/in-urdu").text
    assert "<div><p>اردو</p></div>" in public.get("/ur/news/in-urdu").text
    assert "<h1>Community awards</h1>" in public.get("/news/in-urdu").text
    assert '<h1 lang="en">Community awards</h1>' in public.get("/pl/news/in-urdu").text
    assert 'value="کمیونٹی ایوارڈز"' in admin_client.get(f"/portal/admin/news/{item.id}/edit").text


def test_a_translation_changed_with_its_english_stays(portal_app, admin_client):
    _news(admin_client, slug="both", title_ur="پرانا")
    item = _stored(portal_app, NewsItem, slug="both")
    admin_client.post(
        f"/portal/admin/news/{item.id}/edit",
        data={
            "title": "New title",
            "slug": "both",
            "summary": item.summary,
            "body": item.body_html,
            "day_published": "2",
            "month_published": "3",
            "year_published": "2026",
            "title_ur": "نیا",
        },
    )
    assert _stored(portal_app, NewsItem, id=item.id).translations == {"title": {"ur": "نیا"}}


def test_translations_are_checked_like_the_english(portal_app, admin_client):
    response = _news(admin_client, title_ar="x" * 201, body_gu='<img src="x" onerror="alert(1)">')
    assert response.status_code == 200
    assert "Use 200 characters or fewer" in response.text
    assert "nothing is left once HTML that is not allowed is removed" in response.text
    assert 'href="#title_ar"' in response.text and 'href="#body_gu"' in response.text
    # The languages with a mistake are open, so the error summary's links reach their boxes.
    assert response.text.count("<details open>") == 2
    assert _stored(portal_app, NewsItem, slug="community-awards") is None


def test_an_event_can_be_written_in_other_languages_too(portal_app, admin_client):
    _event(admin_client, title_pl="Dyżur", location_ar="مكتبة ديربي")
    event = _stored(portal_app, Event, title="Drop-in session")
    assert event.translations == {"title": {"pl": "Dyżur"}, "location": {"ar": "مكتبة ديربي"}}
    assert '<h2 class="heading-m">Dyżur</h2>' in portal_app.test_client().get("/pl/events").text
    assert "<dd>مكتبة ديربي</dd>" in portal_app.test_client().get("/ar/events").text


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "3", "2026", "Enter the day, month and year"),
        ("31", "2", "2026", "Enter a real date"),
        ("x", "y", "z", "Enter a real date"),
        ("1", "1", "1066", "Enter a real date"),
        ("1", "1", "9" * 5000, "Enter a real date"),
    ],
)
def test_the_published_date_is_checked(portal_app, admin_client, day, month, year, message):
    response = _news(admin_client, day_published=day, month_published=month, year_published=year)
    assert response.status_code == 200 and message in response.text
    assert 'href="#day_published"' in response.text  # the summary links to the day box


def test_a_story_cannot_be_published_in_the_future(admin_client):
    tomorrow = clock.now().date() + dt.timedelta(days=1)
    response = _news(
        admin_client,
        day_published=str(tomorrow.day),
        month_published=str(tomorrow.month),
        year_published=str(tomorrow.year),
    )
    assert response.status_code == 200 and "The date must be today or in the past" in response.text


def test_deleting_a_story_asks_first_then_deletes_and_audits(portal_app, admin_client):
    _news(admin_client, slug="short-lived")
    item = _stored(portal_app, NewsItem, slug="short-lived")
    url = f"/portal/admin/news/{item.id}/delete"
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "Delete this news story?" in confirm.text
    assert "come back the next time the pack is loaded" not in confirm.text  # not from the pack
    assert _stored(portal_app, NewsItem, slug="short-lived") is not None
    response = admin_client.post(url)
    assert response.status_code == 302 and response.location.endswith("/portal/admin/news")
    assert "The news story has been deleted." in admin_client.get(response.location).text
    assert _stored(portal_app, NewsItem, slug="short-lived") is None
    assert len(audit_rows(portal_app, "news_deleted")) == 1
    assert portal_app.test_client().get("/news/short-lived").status_code == 404
    assert admin_client.post(url).status_code == 404


def test_deleting_a_story_from_the_pack_warns_it_will_come_back(portal_app, admin_client):
    item = _stored(portal_app, NewsItem, slug=current_pack_news_slug(portal_app))
    page = admin_client.get(f"/portal/admin/news/{item.id}/delete").text
    assert "come back the next time the pack is loaded" in page


def test_an_event_is_added_changed_deleted_and_audited(portal_app, admin, admin_client):
    response = _event(admin_client)
    event = _stored(portal_app, Event, title="Drop-in session")
    assert event.date == dt.date(2031, 5, 14) and event.location == "Derby Library"
    assert response.location.endswith(f"/portal/admin/events/{event.id}/saved")
    assert "within a minute" in admin_client.get(response.location).text
    assert "Drop-in session" in portal_app.test_client().get("/events").text

    _event(
        admin_client,
        f"/portal/admin/events/{event.id}/edit",
        title="Drop-in (moved)",
        location="Chesterfield Library",
    )
    changed = _stored(portal_app, Event, id=event.id)
    assert (changed.title, changed.location) == ("Drop-in (moved)", "Chesterfield Library")

    response = admin_client.post(f"/portal/admin/events/{event.id}/delete")
    assert response.status_code == 302
    assert "The event has been deleted." in admin_client.get(response.location).text
    assert _stored(portal_app, Event, id=event.id) is None
    actions = [r.action for r in audit_rows(portal_app) if r.action.startswith("event_")]
    assert actions == ["event_created", "event_updated", "event_deleted"]
    assert all(
        r.actor_id == admin.id for r in audit_rows(portal_app) if r.action.startswith("event_")
    )


def test_event_text_is_plain_and_escaped(portal_app, admin_client):
    _event(
        admin_client,
        title="<b>Bold</b> claims",
        description='<script>alert("x")</script> & more',
        location="<img src=x onerror=alert(1)>",
    )
    page = portal_app.test_client().get("/events").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.lower().count("<script") == 1 and "<img" not in page.lower()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"time": ""}, "Enter the time"),
        ({"location": " "}, "Enter where it takes place"),
        ({"description": ""}, "Enter a description"),
        ({"day_date": "30", "month_date": "2"}, "Enter a real date"),
        ({"title": "x" * 201}, "Use 200 characters or fewer"),
    ],
)
def test_event_fields_are_checked(portal_app, admin_client, fields, message):
    response = _event(admin_client, **fields)
    assert response.status_code == 200 and message in response.text
    assert _stored(portal_app, Event, location="Derby Library") is None


def test_unknown_items_are_not_found(admin_client):
    for url in (
        "/portal/admin/news/999999/edit",
        "/portal/admin/news/999999/delete",
        "/portal/admin/news/999999/saved",
        "/portal/admin/events/999999/edit",
        "/portal/admin/events/999999/delete",
        "/portal/admin/events/999999/saved",
    ):
        assert admin_client.get(url).status_code == 404, url


# Loading the pack again --------------------------------------------------------------------


def test_loading_the_pack_again_keeps_what_staff_wrote_and_adds_only_what_is_missing(
    portal_app, admin_client
):
    _news(admin_client, slug="staff-story")
    _event(admin_client)
    pack_slug = current_pack_news_slug(portal_app)
    pack_item = _stored(portal_app, NewsItem, slug=pack_slug)
    admin_client.post(
        f"/portal/admin/news/{pack_item.id}/edit",
        data={
            "title": "Edited by staff",
            "slug": pack_slug,
            "summary": "Edited.",
            "body": "<p>Edited.</p>",
            "day_published": "1",
            "month_published": "1",
            "year_published": "2026",
        },
    )
    with portal_app.app_context():
        pack = current_pack()
        before_news = db.session.query(NewsItem).count()
        before_events = db.session.query(Event).count()
        added = content.seed_from_pack(db.session, pack)
        db.commit()
        assert added == (0, 0, ())
        assert db.session.query(NewsItem).count() == before_news
        assert db.session.query(Event).count() == before_events
    assert _stored(portal_app, NewsItem, slug="staff-story") is not None
    assert _stored(portal_app, Event, title="Drop-in session") is not None
    assert _stored(portal_app, NewsItem, slug=pack_slug).title == "Edited by staff"


def test_loading_the_pack_again_brings_back_a_deleted_pack_item(portal_app, admin_client):
    """What the delete page warns about: the pack is the source of its own items."""
    pack_slug = current_pack_news_slug(portal_app)
    pack_item = _stored(portal_app, NewsItem, slug=pack_slug)
    admin_client.post(f"/portal/admin/news/{pack_item.id}/delete")
    assert _stored(portal_app, NewsItem, slug=pack_slug) is None
    with portal_app.app_context():
        assert content.seed_from_pack(db.session, current_pack()) == (1, 0, ())
        db.commit()
    assert _stored(portal_app, NewsItem, slug=pack_slug) is not None
