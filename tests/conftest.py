"""Shared fixtures: an app on its own temporary instance folder and database.

Run plainly, each app has a SQLite file in its test's temporary folder. Run under
scripts/with-services.sh (the second pass of `make test`), each app has a PostgreSQL
database of its own, copied from a template migrated once, dropped when its test ends,
and the rate limits live in a real Redis, emptied between tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("AGAINSTHATE_ENV", "development")

from againsthate import create_app
from againsthate.areas import current_pack
from againsthate.config import TestConfig
from againsthate.db import migrate
from againsthate.extensions import db
from againsthate.paths import AREAS
from againsthate.services import content

from .databases import Postgres

SERVER_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
POSTGRES = Postgres(SERVER_URL) if SERVER_URL else None
# Rate limits raised out of the way (not removed), for tests that send many requests from
# one test client address (127.0.0.1): pages, a journey's steps, sign-ins.
ROOMY = {
    "PUBLIC_RATE_LIMIT": "1000000 per minute",
    "REFERRAL_RATE_LIMIT": "100000 per hour",
    "SIGNIN_RATE_LIMIT": "100000 per minute",
}
# Every area pack shipped in areas/, by name: a new pack is tested wherever these are,
# without anyone listing it.
SHIPPED_PACKS = sorted(path.stem for path in AREAS.glob("*.toml"))
# (PostgreSQL database to drop or None, app to dispose or None), in the order made.
_made: list[tuple[str | None, object]] = []
# An instance folder's database, as the SQLite file in it would be: an app made again on
# the same folder (a restart, in a test) finds the same data. Folder -> (name, index in _made).
_by_instance: dict[Path, tuple[str, int]] = {}


@pytest.fixture(autouse=True, scope="session")
def _close_long_lived_apps():
    """Apps made for a module or the session: close their connections at the very end,
    before the interpreter would find them still open."""
    yield
    for _name, app in _made:
        if app is not None:
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(autouse=True)
def _own_servers_state():
    """PostgreSQL and Redis only: drop the databases this test made, empty Redis.
    Databases made for module- or session-wide apps were made before this runs, and stay."""
    before = len(_made)
    if REDIS_URL:
        import redis

        with redis.Redis.from_url(REDIS_URL) as r:
            r.flushdb()
    yield
    for name, app in _made[before:]:
        if app is not None:
            with app.app_context():
                db.engine.dispose()  # close its connections before they are cut
        if name is not None:
            POSTGRES.drop(name)
    del _made[before:]
    for instance, (name, _index) in list(_by_instance.items()):
        if _index >= before:
            del _by_instance[instance]


def make_app(instance: Path, **overrides):
    """An app with a migrated database and the pack's news and events loaded."""
    new_database = None
    if POSTGRES and "DATABASE_URL" not in overrides:
        if instance in _by_instance:
            database = _by_instance[instance][0]
        else:
            database = new_database = POSTGRES.fresh()
            _by_instance[instance] = (database, len(_made))
        overrides["DATABASE_URL"] = POSTGRES.url(database)
    app = create_app(TestConfig(instance, **overrides))
    if POSTGRES:
        _made.append((new_database, app))
    with app.app_context():
        migrate.upgrade(db.engine)
        content.seed_from_pack(db.session, current_pack())
        db.commit()
    return app


@pytest.fixture
def empty_database_url(tmp_path) -> str:
    """A database with nothing in it, not even the schema: a new SQLite file, or a new
    PostgreSQL database (dropped when the test ends; dispose your engines first)."""
    if not POSTGRES:
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    name = POSTGRES.empty()
    _made.append((name, None))
    return POSTGRES.url(name)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def new_app(tmp_path):
    """make_app, with every engine disposed afterwards. new_app(**config) or
    new_app(instance_path, **config)."""
    made = []

    def factory(instance=None, **overrides):
        app = make_app(instance or tmp_path, **overrides)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path):
    """CSRF switched on, for tests of the protection itself."""
    yield make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(params=SHIPPED_PACKS)
def any_pack_app(request, tmp_path):
    """The same test against each shipped pack."""
    yield make_app(tmp_path, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / f"{request.param}.toml")
