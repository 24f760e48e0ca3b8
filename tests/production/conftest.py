"""An app built from the real production settings (Config read from the environment),
not the test settings: what a deployment gets is what is tested here."""

from __future__ import annotations

import logging

import pytest

from againsthate import create_app
from againsthate.config import Config
from againsthate.db import migrate
from againsthate.extensions import db
from againsthate.services.crypto import new_key_entry


@pytest.fixture
def production_env(monkeypatch, tmp_path, empty_database_url):
    for name in (
        "FORCE_HTTPS",
        "TRUSTED_PROXIES",
        "LOG_FORMAT",
        "LOG_REQUESTS",
        "DATABASE_URL",
        "RATELIMIT_STORAGE_URI",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AGAINSTHATE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a" * 64)
    monkeypatch.setenv("REFERRAL_KEYS", new_key_entry("k1"))
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    # No mail server here: email goes to files under the test's own instance folder.
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setenv("MAIL_TO_FILES", "1")
    return monkeypatch


@pytest.fixture
def production_app(production_env):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    app = create_app(Config())
    with app.app_context():
        migrate.upgrade(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()
    root.handlers[:] = handlers  # production logging replaces the root handlers: put back
    root.setLevel(level)
