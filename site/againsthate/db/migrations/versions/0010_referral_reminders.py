"""referrals: when a reminder last went out about one left too long in a status (issue 15,
alerts): `flask referrals remind` sends one per status period, not one every run

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
