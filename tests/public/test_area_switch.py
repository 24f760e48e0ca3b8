"""Switching AREA_PACK changes every local fact on the site."""

from __future__ import annotations

from againsthate.paths import AREAS
from againsthate.services.areapack import load
from tests.conftest import make_app
from tests.pages import public_paths


def _site_text(tmp_path, name):
    app = make_app(tmp_path / name, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / f"{name}.toml")
    client = app.test_client()
    return "".join(client.get(p).data.decode() for p in public_paths(app))


def _local_facts(pack):
    facts = {
        pack.name,
        pack.police.name,
        pack.police.online_report_url,
        pack.partnership,
        pack.contact_email,
        pack.brand_colour,
    }
    for org in pack.organisations:
        facts |= {org.name} | {v for v in (org.phone, org.email) if v}
    for place in pack.places:
        facts |= {place.name, place.postcode}
    return facts


def test_each_pack_shows_its_own_facts_and_none_of_the_other(tmp_path):
    derbyshire, herts = load(AREAS / "derbyshire.toml"), load(AREAS / "hertfordshire.toml")
    from markupsafe import escape

    d_text, h_text = _site_text(tmp_path, "derbyshire"), _site_text(tmp_path, "hertfordshire")
    d_facts, h_facts = _local_facts(derbyshire), _local_facts(herts)
    for fact in d_facts - h_facts:
        assert str(escape(fact)) in d_text, f"Derbyshire fact missing: {fact}"
        assert str(escape(fact)) not in h_text, (
            f"Derbyshire fact shown with the Hertfordshire pack: {fact}"
        )
    for fact in h_facts - d_facts:
        assert str(escape(fact)) in h_text, f"Hertfordshire fact missing: {fact}"
        assert str(escape(fact)) not in d_text, (
            f"Hertfordshire fact shown with the Derbyshire pack: {fact}"
        )


def test_switching_packs_on_one_database_never_shows_the_other_areas_news_or_events(tmp_path):
    """A database first set up with the default pack (as `make db` does when AREA_PACK is
    not set), then switched: the first pack's news and events go with it, and what staff
    wrote in the portal stays (issue 14)."""
    import datetime as dt

    from againsthate import clock
    from againsthate.extensions import db
    from againsthate.services import content

    instance = tmp_path / "one-database"
    derbyshire, herts = load(AREAS / "derbyshire.toml"), load(AREAS / "hertfordshire.toml")
    first = make_app(instance, WTF_CSRF_ENABLED=False)  # the default pack
    assert derbyshire.news and derbyshire.events
    with first.app_context():
        content.create_news(
            db.session,
            title="Our own story",
            slug="",
            summary="Written in the portal.",
            body="<p>Kept.</p>",
            published=clock.today(),
            by=None,
            now=clock.now(),
        )
        content.create_event(
            db.session,
            title="Our own event",
            date=clock.today() + dt.timedelta(days=3),
            time="10am",
            location="The library",
            description="Kept too.",
            by=None,
            now=clock.now(),
        )
        db.session.commit()
    d_story = derbyshire.news[0]
    assert first.test_client().get(f"/news/{d_story.slug}").status_code == 200

    switched = make_app(
        instance, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / "hertfordshire.toml"
    ).test_client()
    news, events = switched.get("/news").data.decode(), switched.get("/events").data.decode()
    home = switched.get("/").data.decode()
    for item in derbyshire.news:
        if item.slug not in {n.slug for n in herts.news}:
            assert str(item.title) not in news + home, item.title
            assert switched.get(f"/news/{item.slug}").status_code == 404, item.slug
    for event in derbyshire.events:
        assert str(event.title) not in events, event.title
    assert "Our own story" in news and "Our own event" in events
    for item in herts.news:
        assert str(item.title) in news, item.title


def test_an_administrator_cannot_open_another_areas_story_or_event(tmp_path):
    """The admin pages find a row by id only among the running pack's and the portal's."""
    from againsthate.db.models import Event, NewsItem
    from againsthate.extensions import db
    from tests.portal.conftest import make_staff, session_client

    instance = tmp_path / "one-database"
    make_app(instance, WTF_CSRF_ENABLED=False)  # the default pack's news and events
    switched = make_app(instance, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / "hertfordshire.toml")
    with switched.app_context():
        story = db.session.query(NewsItem).filter_by(pack="derbyshire").first()
        event = db.session.query(Event).filter_by(pack="derbyshire").first()
        assert story is not None and event is not None
        story_id, event_id = story.id, event.id
    admin = session_client(switched, make_staff(switched, "admin", None)[0])
    assert admin.get(f"/portal/admin/news/{story_id}/edit").status_code == 404
    assert admin.get(f"/portal/admin/events/{event_id}/edit").status_code == 404
