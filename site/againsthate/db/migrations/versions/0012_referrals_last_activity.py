"""referrals: when anything last happened to each, for the inbox to sort by, and the
indexes its orders need (issue 15)

Backfilled from the latest line of its history, or when it was received (or stored).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 22:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added not null with a placeholder default, then filled in: making a column not null
    # afterwards would make SQLite copy the table, which its history lines' foreign keys
    # refuse. The app always sets the column (db/models.py), never relying on the default.
    op.add_column(
        "referral",
        sa.Column(
            "last_activity_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("'1970-01-01 00:00:00'"),
        ),
    )
    op.execute(
        "UPDATE referral SET last_activity_at = COALESCE("
        "(SELECT MAX(e.at) FROM referral_event e WHERE e.referral_id = referral.id),"
        " received_at, created_at)"
    )
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot drop a default in place
        op.alter_column("referral", "last_activity_at", server_default=None)
    op.create_index(
        "ix_referral_organisation_activity", "referral", ["organisation", "last_activity_at"]
    )
    op.create_index(
        "ix_referral_organisation_status", "referral", ["organisation", "status", "received_at"]
    )
    holder = ["organisation", "assigned_to", "status", "characteristics"]
    holder += ["received_at", "last_activity_at"]
    op.create_index("ix_referral_organisation_holder", "referral", holder)


def downgrade() -> None:
    op.drop_index("ix_referral_organisation_holder", table_name="referral")
    op.drop_index("ix_referral_organisation_status", table_name="referral")
    op.drop_index("ix_referral_organisation_activity", table_name="referral")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("last_activity_at")
