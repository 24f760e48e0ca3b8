"""Switching AREA_PACK changes every local fact on the site: one database switched between
every shipped pack in turn never shows another pack's content, and keeps what staff wrote
(issue 14)."""

from __future__ import annotations

import datetime as dt

from markupsafe import escape

from againsthate import clock
from againsthate.extensions import db
from againsthate.paths import AREAS
from againsthate.services import content
from againsthate.services.areapack import load
from tests.conftest import SHIPPED_PACKS, make_app
from tests.pages import public_paths

PACKS = {name: load(AREAS / f"{name}.toml") for name in SHIPPED_PACKS}


def _facts(pack) -> set[str]:
    """What a page may show of this pack, as the page writes it (HTML-escaped)."""
    facts = {
        pack.name,
        pack.site_name,
        pack.partnership,
        pack.contact_email,
        pack.brand_colour,
        pack.police.name,
        pack.police.online_report_url,
    }
    for line in (pack.true_vision, pack.stop_hate, *pack.national_others):
        facts |= {line.name, line.website, line.phone, line.text, line.email}
        facts |= {str(line.description)} if line.description else set()
    for org in pack.organisations:
        facts |= {org.name, str(org.description), org.phone, org.email, org.website}
    for place in pack.places:
        facts |= {place.name, place.address, place.postcode, place.phone, place.website}
    for item in pack.news:
        facts |= {str(item.title), str(item.summary)}
    for event in pack.events:
        facts |= {str(event.title), str(event.location), str(event.description)}
    return {str(escape(fact)) for fact in facts if fact}


def _own_facts() -> dict[str, set[str]]:
    """Each pack's facts less those another pack shares (the national services, 101)."""
    facts = {name: _facts(pack) for name, pack in PACKS.items()}
    return {
        name: mine - set().union(*(theirs for other, theirs in facts.items() if other != name))
        for name, mine in facts.items()
    }


def _write_in_the_portal() -> tuple[str, str]:
    """A story and an event as an administrator writes them (no pack's): (slug, title)s."""
    story = content.create_news(
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
    return story.slug, "Our own event"


def test_one_database_switched_between_every_pack_shows_only_the_running_packs_content(
    tmp_path, monkeypatch
):
    """Each switch is what README says to do: AREA_PACK set, then `pack load` (make_app
    loads the pack's news and events, as `flask pack load` does). Then every public page,
    every news item and organisation page of every pack, is read: the running pack's facts
    are there, no other pack's are, and what staff wrote is kept. The packs run in turn and
    the first again, so a pack's content also goes when a later one comes and comes back
    with it."""
    every_event = [event.date for pack in PACKS.values() for event in pack.events]
    # A day before every pack's events, so each is upcoming and shown by its own pack.
    today = min(every_event) - dt.timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime.combine(today, dt.time(12), dt.UTC))
    own = _own_facts()
    assert all(own.values()), own
    instance = tmp_path / "one-database"
    order = [*SHIPPED_PACKS, SHIPPED_PACKS[0]]
    staff_story = None
    for name in order:
        app = make_app(instance, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / f"{name}.toml")
        if staff_story is None:
            with app.app_context():
                staff_story, staff_event = _write_in_the_portal()
        client = app.test_client()
        pages = set(public_paths(app)) | {f"/news/{staff_story}"}
        text = ""
        for pack in PACKS.values():
            for path in [f"/news/{n.slug}" for n in pack.news] + [
                f"/support/{o.slug}" for o in pack.organisations
            ]:
                response = client.get(path)
                if pack is PACKS[name]:
                    assert response.status_code == 200, f"{name}: {path}"
                    text += response.get_data(as_text=True)
                else:
                    assert response.status_code == 404, f"{pack.slug}'s {path} with {name}"
        for path in sorted(pages):
            response = client.get(path)
            assert response.status_code < 500, path
            text += response.get_data(as_text=True)
        for fact in own[name]:
            assert fact in text, f"{name}'s own {fact!r} is missing"
        for other in PACKS:
            shown = [fact for fact in own[other] if other != name and fact in text]
            assert not shown, f"{other}'s content shown with {name}: {shown}"
        assert "Our own story" in client.get("/news").get_data(as_text=True), name
        assert staff_event in client.get("/events").get_data(as_text=True), name
        with app.app_context():
            db.engine.dispose()


def test_an_administrator_cannot_open_another_areas_story_or_event(tmp_path):
    """The admin pages find a row by id only among the running pack's and the portal's."""
    from againsthate.db.models import Event, NewsItem
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


def test_a_story_or_event_another_pack_already_has_is_reported_or_added(tmp_path):
    """Walsall's pack, changed to give its story Derbyshire's story's slug and its
    event Derbyshire's event's title and date, loaded on a database that served Derbyshire:
    the story cannot take the address, and `flask pack load` says so; the event is this
    area's own and is added."""
    from againsthate.db.models import Event

    derbyshire = PACKS["derbyshire"]
    text = (AREAS / "walsall.toml").read_text(encoding="utf-8")
    walsall = PACKS["walsall"]
    text = text.replace(f'slug = "{walsall.news[0].slug}"', f'slug = "{derbyshire.news[0].slug}"')
    event = derbyshire.events[0]
    text = text.replace(f'title = "{walsall.events[0].title}"', f'title = "{event.title}"')
    text = text.replace(f"date = {walsall.events[0].date}", f"date = {event.date}")
    changed = tmp_path / "walsall.toml"
    changed.write_text(text, encoding="utf-8")
    instance = tmp_path / "one-database"
    make_app(instance, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / "derbyshire.toml")
    app = make_app(instance, WTF_CSRF_ENABLED=False, AREA_PACK=changed)
    with app.app_context():
        seeded = content.seed_from_pack(db.session, load(changed))
        db.session.commit()
        titles = [e.pack for e in db.session.query(Event).filter_by(title=str(event.title))]
    assert seeded.clashes == (derbyshire.news[0].slug,)
    assert sorted(titles) == ["derbyshire", "walsall"]
    runner = app.test_cli_runner()
    output = runner.invoke(args=["pack", "load"])
    assert output.exit_code == 0, output.output
    assert f"Not added: the news item '{derbyshire.news[0].slug}'" in output.stderr
