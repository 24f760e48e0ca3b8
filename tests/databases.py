"""PostgreSQL databases for the suite's second pass (scripts/with-services.sh).

Each app gets a database of its own, copied from a template migrated once, so tests stay
as isolated as they are on SQLite files. Copying and dropping a database costs the server
tens of milliseconds with a checkpoint; two threads do it beside the tests (the server
works on the other core), keeping a few copies ready and dropping finished ones.
"""

from __future__ import annotations

import queue
import threading
import uuid

from sqlalchemy import text
from sqlalchemy.engine import make_url

from againsthate.db import make_engine, migrate

TEMPLATE = "againsthate_template"
READY = 3  # copies made ahead of need


class Postgres:
    def __init__(self, server_url: str):
        self.server_url = server_url
        self._ready: queue.Queue[str] = queue.Queue(maxsize=READY)
        self._finished: queue.Queue[str] = queue.Queue()
        self._started = False
        self._lock = threading.Lock()

    def url(self, name: str) -> str:
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def _server(self):
        return make_engine(self.server_url).execution_options(isolation_level="AUTOCOMMIT")

    def fresh(self) -> str:
        """The name of a new database at the newest schema."""
        with self._lock:
            if not self._started:
                self._build_template()
                for work in (self._make_copies, self._drop_finished):
                    threading.Thread(target=work, daemon=True).start()
                self._started = True
        return self._ready.get(timeout=60)

    def empty(self) -> str:
        """The name of a new database with nothing in it."""
        name = f"e_{uuid.uuid4().hex[:20]}"
        self._execute(f'CREATE DATABASE "{name}"')
        return name

    def drop(self, name: str) -> None:
        """Drop it soon, in the background (its engines must be disposed already)."""
        self._finished.put(name)

    def _execute(self, *statements: str) -> None:
        server = self._server()
        with server.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
        server.dispose()

    def _build_template(self) -> None:
        self._execute(
            f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)', f'CREATE DATABASE "{TEMPLATE}"'
        )
        engine = make_engine(self.url(TEMPLATE))
        migrate.upgrade(engine)
        engine.dispose()

    def _make_copies(self) -> None:
        with self._server().connect() as connection:
            while True:
                name = f"t_{uuid.uuid4().hex[:20]}"
                # FILE_COPY: a checkpoint and a folder copy, far quicker for a small
                # database than WAL_LOG's page by page.
                connection.execute(
                    text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')
                )
                self._ready.put(name)

    def _drop_finished(self) -> None:
        with self._server().connect() as connection:
            while True:
                name = self._finished.get()
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def rows_containing(engine, needles: list[str]) -> list[str]:
    """Every row of every table as text, on any database: `table: needle` for each needle
    found. (On SQLite the tests also read the files themselves.)"""
    from againsthate.db.models import Base

    found = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                text_of_row = " ".join(str(value) for value in row).lower()
                found += [f"{table.name}: {n}" for n in needles if n.lower() in text_of_row]
    return found
