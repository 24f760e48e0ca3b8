"""issue 12: the outbox knows which referral an email is about and keeps no error text

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-07 13:00:00

- outbox_message.reference: the referral an email is about, so that erasing the referral
  deletes its email. Filled in for the email already queued from the reference in its
  subject ("New referral BCDF-GHJK", "Referral BCDF-GHJK passed to you", "Your reference
  BCDF-GHJK" in the person's language).
- outbox_message.last_error: cut down to the error's type, as a new failure is stored
  (type and code): the text of a refusal quoted the refused address.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None

# services/references.py: two groups of four from its alphabet.
REFERENCE = re.compile(r"\b[2-9B-DF-HJ-NP-TV-Z]{4}-[2-9B-DF-HJ-NP-TV-Z]{4}\b")
ERROR_TYPE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")

outbox = sa.table('outbox_message', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                  sa.column('subject', sa.String), sa.column('reference', sa.String),
                  sa.column('last_error', sa.String))


def upgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_reference'), ['reference'], unique=False)

    connection = op.get_bind()
    for row in connection.execute(sa.select(outbox.c.id, outbox.c.kind, outbox.c.subject,
                                            outbox.c.last_error)).all():
        changes = {}
        found = REFERENCE.search(row.subject or "")
        if found and row.kind in ('new_referral', 'passed_on', 'confirmation', 'organisation'):
            changes['reference'] = found.group(0)
        if row.last_error:
            kind = ERROR_TYPE.match(row.last_error)
            changes['last_error'] = kind.group(0) if kind else 'Error'
        if changes:
            connection.execute(outbox.update().where(outbox.c.id == row.id).values(**changes))


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_reference'))
        batch_op.drop_column('reference')
