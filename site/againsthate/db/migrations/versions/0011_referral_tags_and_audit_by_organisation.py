"""referrals: the organisation's own tags on each one; the audit log: an index by
organisation, for a manager's page of it (issue 15, oversight)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tags", sa.Text(), nullable=False, server_default=""))
    op.create_index(
        "ix_audit_event_organisation_id", "audit_event", ["organisation", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_audit_event_organisation_id", table_name="audit_event")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("tags")
