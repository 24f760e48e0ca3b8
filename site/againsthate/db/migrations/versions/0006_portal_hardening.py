"""portal: sign-in steps on the server, sign-in pauses per place, reset requests, approvals

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Issue 12, item 10: the step between the password and the code, on the server.
    op.create_table(
        "pending_sign_in",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("next_url", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_pending_sign_in_user_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_pending_sign_in")),
    )
    op.create_index(
        op.f("ix_pending_sign_in_user_id"), "pending_sign_in", ["user_id"], unique=False
    )
    op.create_index(
        op.f("ix_pending_sign_in_created_at"), "pending_sign_in", ["created_at"], unique=False
    )

    # Item 11: wrong passwords counted per address and place; reset requests per address.
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", TZ, nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_sign_in_throttle_user_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttle")),
    )
    op.create_index(
        op.f("ix_sign_in_throttle_user_id"), "sign_in_throttle", ["user_id"], unique=False
    )
    op.create_index(
        op.f("ix_sign_in_throttle_updated_at"), "sign_in_throttle", ["updated_at"], unique=False
    )
    op.create_table(
        "reset_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reset_request")),
    )
    op.create_index(
        op.f("ix_reset_request_address_key"), "reset_request", ["address_key"], unique=False
    )
    op.create_index(
        op.f("ix_reset_request_created_at"), "reset_request", ["created_at"], unique=False
    )

    # Item 8: an administrator's invitation into an organisation waits for its managers.
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approval", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("approval")
    for table in ("reset_request", "sign_in_throttle", "pending_sign_in"):
        op.drop_table(table)
