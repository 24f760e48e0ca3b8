"""referral passes: a pass-on waits for the receiver to accept or return it (issue 15)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXED = ("from_organisation", "referral_id", "state", "to_organisation")


def upgrade() -> None:
    op.create_table(
        "referral_pass",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("from_organisation", sa.String(length=120), nullable=False),
        sa.Column("to_organisation", sa.String(length=120), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"], ["staff_user.id"], name=op.f("fk_referral_pass_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["staff_user.id"],
            name=op.f("fk_referral_pass_decided_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_pass_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_pass")),
    )
    with op.batch_alter_table("referral_pass", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.create_index(batch_op.f(f"ix_referral_pass_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referral_pass", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.drop_index(batch_op.f(f"ix_referral_pass_{column}"))
    op.drop_table("referral_pass")
