"""referral_index: keyed hashes of a referral's name, phone and email, to search by them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 20:05:00

Existing referrals are indexed by `flask referrals index` (it needs the keys, which a
migration does not have).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referral_index",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_referral_index_referral_id_referral"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_index")),
    )
    with op.batch_alter_table("referral_index") as batch:
        batch.create_index(batch.f("ix_referral_index_referral_id"), ["referral_id"])
        batch.create_index(batch.f("ix_referral_index_digest"), ["digest"])


def downgrade() -> None:
    op.drop_table("referral_index")
