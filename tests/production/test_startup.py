"""Start-up against the database: refused on a schema that is behind, with what to run;
allowed for `flask db upgrade`; and gunicorn with the production settings says so too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from againsthate.db import make_engine, migrate
from againsthate.services.crypto import new_key_entry
from tests.faults.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TEST_"))}
    env.update(
        AGAINSTHATE_ENV="production",
        SECRET_KEY="s" * 64,
        REFERRAL_KEYS=new_key_entry("k1"),
        INSTANCE_PATH=str(tmp_path),
        DATABASE_URL=database_url,
        MAIL_TO_FILES="1",
        **extra,
    )
    return env


def _run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_the_app_refuses_a_schema_that_is_behind_and_says_what_to_run(tmp_path, empty_database_url):
    env = _env(tmp_path, empty_database_url)
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0002")  # the previous release's schema
    engine.dispose()

    refused = _run([sys.executable, "-c", "import againsthate.wsgi"], env)
    assert refused.returncode != 0
    assert "schema is at 0002" in refused.stderr
    assert "flask --app againsthate.wsgi db upgrade" in refused.stderr

    upgraded = _run([str(BIN / "flask"), "--app", "againsthate.wsgi", "db", "upgrade"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert _run([sys.executable, "-c", "import againsthate.wsgi"], env).returncode == 0


def test_gunicorn_with_the_production_settings_stops_with_the_message(tmp_path, empty_database_url):
    env = _env(
        tmp_path, empty_database_url, GUNICORN_BIND=f"127.0.0.1:{free_port()}", WEB_CONCURRENCY="1"
    )
    started = _run(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "againsthate.wsgi:app"], env
    )
    assert started.returncode != 0
    assert "Against Hate cannot start: the database schema is at nothing (an empty database)" in (
        started.stderr + started.stdout
    )


def test_an_unreachable_database_does_not_stop_the_start(tmp_path):
    # The phone numbers and advice need no database: serve them, and reconnect later.
    env = _env(tmp_path, f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    started = _run([sys.executable, "-c", "import againsthate.wsgi"], env)
    assert started.returncode == 0, started.stderr
    assert "could not be reached at start-up" in started.stderr


def test_production_without_a_mail_server_stops_with_the_message(tmp_path, empty_database_url):
    env = _env(tmp_path, empty_database_url)
    env.pop("SMTP_HOST", None)
    env.pop("MAIL_TO_FILES", None)
    refused = _run([sys.executable, "-c", "import againsthate.wsgi"], env)
    assert refused.returncode != 0
    assert "Against Hate cannot start: SMTP_HOST is not set" in refused.stderr
