"""kept forms: a note, contact attempt or status change sent after the session ended
(issue 15, nothing lost)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 22:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("claim_hash", sa.String(length=64), nullable=True),
        sa.Column("mark", sa.String(length=64), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_kept_form_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_kept_form_user_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_form")),
    )
    with op.batch_alter_table("kept_form", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_form_claim_hash"), ["claim_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_form_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_form_referral_id"), ["referral_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_form_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kept_form", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_form_user_id"))
        batch_op.drop_index(batch_op.f("ix_kept_form_referral_id"))
        batch_op.drop_index(batch_op.f("ix_kept_form_created_at"))
        batch_op.drop_index(batch_op.f("ix_kept_form_claim_hash"))
    op.drop_table("kept_form")
