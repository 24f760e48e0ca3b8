"""A backup, restored into a new database, gives back every referral, readable with the
keys (which are kept apart from the backup). The commands are the ones README.md gives:
pg_dump and pg_restore on PostgreSQL (the second pass of `make test`), SQLite's online
backup on SQLite (the first)."""

from __future__ import annotations

import glob
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from againsthate.db import migrate
from againsthate.extensions import db
from againsthate.services import sending
from tests import conftest
from tests.conftest import ROOMY
from tests.referral.journey import complete_journey, reference_of, send

WHAT = "Backup canary: a neighbour wrote on my door."


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _restore_copy(url: str, folder: Path) -> str:
    """Back up the database at `url` and restore it as a new one; the new one's URL."""
    if url.startswith("sqlite"):
        copy = folder / "restored.sqlite"
        with sqlite3.connect(make_url(url).database) as source, sqlite3.connect(copy) as target:
            source.backup(target)  # consistent even while the site writes
        return f"sqlite:///{copy}"
    tools = Path(max(glob.glob("/usr/lib/postgresql/*/bin")))  # the server's own version
    dump = folder / "againsthate.dump"
    subprocess.run(
        [tools / "pg_dump", "--format=custom", f"--file={dump}", _libpq(url)], check=True
    )
    restored = conftest.POSTGRES.empty()
    conftest._made.append((restored, None))  # dropped when the test ends
    subprocess.run(
        [
            tools / "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={_libpq(conftest.POSTGRES.url(restored))}",
            dump,
        ],
        check=True,
    )
    return conftest.POSTGRES.url(restored)


def test_a_restored_backup_gives_back_every_referral(new_app, tmp_path):
    app = new_app(WTF_CSRF_ENABLED=False, **ROOMY)
    client = app.test_client()
    reference = reference_of(
        send(client, complete_journey(client, {"what": {"what": WHAT}})).headers["Location"]
    )

    restored_url = _restore_copy(app.config["DATABASE_URL"], tmp_path)
    restored = new_app(DATABASE_URL=restored_url, WTF_CSRF_ENABLED=False)  # same keys
    with restored.app_context():
        assert not migrate.pending(db.engine)
        referral = sending.find_by_reference(db.session, reference)
        keyring = restored.extensions["againsthate.keyring"]
        assert sending.open_content(keyring, referral)["what"] == WHAT
    # The restored site works: it takes the next referral.
    other = restored.test_client()
    assert send(other, complete_journey(other)).status_code == 303
