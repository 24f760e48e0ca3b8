"""portal: sign-in steps held on the server

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-07 12:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Issue 12, item 10: the step between the password and the code, on the server.
    op.create_table('pending_sign_in',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', TZ, nullable=False),
    sa.Column('next_url', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_pending_sign_in_user_id_staff_user')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_pending_sign_in'))
    )
    op.create_index(op.f('ix_pending_sign_in_user_id'), 'pending_sign_in', ['user_id'], unique=False)
    op.create_index(op.f('ix_pending_sign_in_created_at'), 'pending_sign_in', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_table('pending_sign_in')
