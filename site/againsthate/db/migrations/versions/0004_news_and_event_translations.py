"""News and event translations

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing stories and events have no translations: "{}" (shown in English, marked).
    with op.batch_alter_table("news_item") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), server_default="{}", nullable=False))
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("translations")
    with op.batch_alter_table("news_item") as batch:
        batch.drop_column("translations")
