"""news and events: the area pack each came from, so a switch of pack hides the other's

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:20:00
"""

import tomllib
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The packs in this checkout (areas/*.toml), read as plain TOML: rows a pack seeded before
# this column existed are marked as that pack's by their slug (news) or title and date
# (events), which is how `flask pack load` told them apart. Rows matching no pack were
# written in the portal and stay unmarked, shown whatever the pack.
AREAS = Path(__file__).resolve().parents[5] / "areas"


def _own_text(value, language: str) -> str:
    return value.get(language, "") if isinstance(value, dict) else str(value)


def _packs() -> list[tuple[str, set[str], set[tuple[str, str]]]]:
    found = []
    for path in sorted(AREAS.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            area = data["area"]
            language = area.get("language", "en")
            news = {item["slug"] for item in data.get("news", [])}
            events = {
                (_own_text(e["title"], language), str(e["date"])) for e in data.get("events", [])
            }
            found.append((area["slug"], news, events))
        except (KeyError, TypeError, tomllib.TOMLDecodeError):
            continue  # not a pack this can read: its rows stay unmarked, as before
    return found


def upgrade() -> None:
    with op.batch_alter_table("news_item") as batch:
        batch.add_column(sa.Column("pack", sa.String(length=60), nullable=True))
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("pack", sa.String(length=60), nullable=True))

    connection = op.get_bind()
    news = sa.table("news_item", sa.column("slug"), sa.column("pack"))
    event = sa.table(
        "event", sa.column("id"), sa.column("title"), sa.column("date"), sa.column("pack")
    )
    rows = connection.execute(sa.select(event.c.id, event.c.title, event.c.date)).all()
    for slug, news_slugs, event_keys in _packs():
        if news_slugs:
            connection.execute(
                news.update()
                .where(news.c.slug.in_(news_slugs), news.c.pack.is_(None))
                .values(pack=slug)
            )
        for row in rows:
            if (row.title, str(row.date)) in event_keys:
                connection.execute(
                    event.update()
                    .where(event.c.id == row.id, event.c.pack.is_(None))
                    .values(pack=slug)
                )


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("pack")
    with op.batch_alter_table("news_item") as batch:
        batch.drop_column("pack")
