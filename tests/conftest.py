"""Shared fixtures: an app on its own temporary instance folder and database."""
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


def make_app(instance: Path, **overrides):
    """An app with a migrated database and the pack's news and events loaded."""
    app = create_app(TestConfig(instance, **overrides))
    with app.app_context():
        migrate.upgrade(db.engine)
        content.seed_from_pack(db.session, current_pack())
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
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


@pytest.fixture(params=["derbyshire", "hertfordshire"])
def any_pack_app(request, tmp_path):
    """The same test against each shipped pack."""
    yield make_app(tmp_path, WTF_CSRF_ENABLED=False, AREA_PACK=AREAS / f"{request.param}.toml")
