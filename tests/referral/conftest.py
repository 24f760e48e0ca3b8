"""Fixtures for the referral journey: apps with room for many requests, and clean-up."""

from __future__ import annotations

import pytest

from againsthate.extensions import db
from tests.conftest import ROOMY, make_app


@pytest.fixture
def roomy_app(new_app):
    """CSRF off, rate limits out of the way."""
    return new_app(WTF_CSRF_ENABLED=False, **ROOMY)


@pytest.fixture(scope="module")
def module_app(tmp_path_factory):
    """One app for a whole module, for tests that each use their own client (and so their
    own draft) and do not count rows: building an app and its database takes a while."""
    app = make_app(tmp_path_factory.mktemp("instance"), WTF_CSRF_ENABLED=False, **ROOMY)
    yield app
    with app.app_context():
        db.engine.dispose()
