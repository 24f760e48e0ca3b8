"""The database: one engine per app, one session per app context.

Who commits: services add and flush; the request or the command commits once, through
`db.commit()`. The outbox's per-message claim is the one exception (services/outbox.py).

The engine lives in app.extensions (not on this object), so two apps in one
process, as in the tests, never share a connection pool by accident.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

KEY = "againsthate.db"


def make_engine(url: str, pool_size: int = 5) -> Engine:
    # pool_pre_ping: a connection the database dropped (a restart) is replaced before use,
    # so the site recovers by itself. hide_parameters: an error never carries the values
    # of a statement into a log.
    options: dict = {"pool_pre_ping": True, "hide_parameters": True, "pool_size": pool_size}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], app.config["DATABASE_POOL_SIZE"])
        app.extensions[KEY] = (engine, sessionmaker(bind=engine, expire_on_commit=False))
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Engine:
        return current_app.extensions[KEY][0]

    @property
    def session(self) -> Session:
        """The current app context's session, made on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions[KEY][1]()
        return g.db_session

    def commit(self) -> None:
        """Make the request's (or the command's) work permanent: the one place the site
        commits. Services add and flush; the view, hook or command that called them calls
        this once its work is whole (services/outbox.py's per-message claim aside)."""
        self.session.commit()

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and one writer work at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
