"""referrals: when anything last happened to each, for the inbox to sort by, and the
indexes its orders need (issue 15)

Backfilled from the latest line of its history, or when it was received (or stored).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 22:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE referral SET last_activity_at = COALESCE("
        "(SELECT MAX(e.at) FROM referral_event e WHERE e.referral_id = referral.id),"
        " received_at, created_at)"
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.alter_column(
            "last_activity_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
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
