"""Alembic environment: the engine comes from the app (see db/migrate.py).

On SQLite, batch mode changes a table by copying it and dropping the old one. With foreign
keys enforced (db/__init__.py turns them on for every connection), dropping a table that
other rows point to fails ("FOREIGN KEY constraint failed": referral, once a referral has
history). So, as SQLite's documentation advises for such changes, enforcement is off while
the migrations run, every reference is checked before they are committed, and enforcement
is back on after. PRAGMA foreign_keys has no effect inside a transaction; SQLite's driver
begins none for a PRAGMA, so each is run on its own and the transaction SQLAlchemy opened
around it (with nothing in it) is ended with a rollback.
"""

from alembic import context

from againsthate.db.models import Base

engine = context.config.attributes["engine"]


class DanglingReferences(RuntimeError):
    """A migration left a row pointing at a row that is not there: nothing is committed."""


with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.rollback()
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies
            )
            context.run_migrations()
            if sqlite:
                dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if dangling:
                    raise DanglingReferences(f"rows point at rows that are not there: {dangling}")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.rollback()
