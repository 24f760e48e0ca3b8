"""referrals: the member of staff who has each one (issue 15, assignment)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 20:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_referral_assigned_to_staff_user"), "staff_user", ["assigned_to"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_referral_assigned_to"), ["assigned_to"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_assigned_to"))
        batch_op.drop_constraint(
            batch_op.f("fk_referral_assigned_to_staff_user"), type_="foreignkey"
        )
        batch_op.drop_column("assigned_to")
