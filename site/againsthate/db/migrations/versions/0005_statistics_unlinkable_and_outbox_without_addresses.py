"""issue 12: statistics that cannot be joined to a referral; the outbox keeps no address

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 13:00:00

- referral_stat (a row per referral, written with it: same id, its answers beside it) is
  replaced by referral_count: counters per (month, organisation, dimension, value), every
  counter of a month and organisation made at once (services/statistics.py says why).
  Each old row adds one to the counters of its answers; the old table is dropped.
  Downgrading makes an empty referral_stat again: counters cannot be split back into the
  rows they came from (that is the point).

- outbox_message.reference: the referral an email is about, so that erasing the referral
  deletes its email. Filled in for the email already queued from the reference in its
  subject ("New referral BCDF-GHJK", "Referral BCDF-GHJK passed to you", "Your reference
  BCDF-GHJK" in the person's language).
- outbox_message.last_error: cut down to the error's type, as a new failure is stored
  (type and code): the text of a refusal quoted the refused address.
"""

import re
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# services/references.py: two groups of four from its alphabet.
REFERENCE = re.compile(r"\b[23456789BCDFGHJKMNPQRSTVWXYZ]{4}-[23456789BCDFGHJKMNPQRSTVWXYZ]{4}\b")
ERROR_TYPE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")

# services/statistics.py DIMENSIONS, as of this revision (a migration must not change
# with later code).
DIMENSIONS = {
    "referrals": ("",),
    "characteristic": (
        "race",
        "religion",
        "sexual_orientation",
        "disability",
        "transgender",
        "other",
        "not_sure",
    ),
    "who": ("self", "helper", "witness", "professional"),
    "help": (
        "emotional_support",
        "practical_help",
        "justice_process",
        "restorative_justice",
        "information",
        "not_sure",
    ),
    "police": ("yes", "no", "pass_on"),
    "heard": (
        "bus",
        "poster",
        "social_media",
        "police",
        "school",
        "friend",
        "event",
        "search",
        "other",
        "",
    ),
    "contact": ("anonymous", "contact"),
}

old_stat = sa.table(
    "referral_stat",
    sa.column("month", sa.String),
    sa.column("organisation", sa.String),
    sa.column("who", sa.String),
    sa.column("characteristics", sa.String),
    sa.column("help", sa.String),
    sa.column("reported", sa.String),
    sa.column("heard_from", sa.String),
    sa.column("anonymous", sa.Boolean),
)

outbox = sa.table(
    "outbox_message",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("subject", sa.String),
    sa.column("reference", sa.String),
    sa.column("last_error", sa.String),
)


def _counters(connection) -> list[dict]:
    """The old rows as counters: every counter of each (month, organisation) that had a
    referral, in key order, the values the old rows held outside today's lists included."""
    counts: Counter = Counter()
    blocks = set()
    for row in connection.execute(sa.select(old_stat)).all():
        blocks.add((row.month, row.organisation))
        given = {
            ("referrals", ""),
            ("who", row.who or ""),
            ("police", row.reported or ""),
            ("heard", row.heard_from or ""),
            ("contact", "anonymous" if row.anonymous else "contact"),
            *(("characteristic", key) for key in (row.characteristics or "").split()),
            *(("help", key) for key in (row.help or "").split()),
        }
        for dimension, value in given:
            counts[(row.month, row.organisation, dimension, value)] += 1
    rows = []
    for month, organisation in sorted(blocks):
        keys = {(d, v) for d, values in DIMENSIONS.items() for v in values}
        keys |= {(d, v) for (m, o, d, v) in counts if (m, o) == (month, organisation)}
        rows += [
            {
                "month": month,
                "organisation": organisation,
                "dimension": d,
                "value": v,
                "count": counts[(month, organisation, d, v)],
            }
            for d, v in sorted(keys)
        ]
    return rows


def upgrade() -> None:
    counter = op.create_table(
        "referral_count",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month", "organisation", "dimension", "value", name=op.f("pk_referral_count")
        ),
        sqlite_with_rowid=False,
    )
    rows = _counters(op.get_bind())
    if rows:
        op.bulk_insert(counter, rows)
    with op.batch_alter_table("referral_stat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_stat_month"))
    op.drop_table("referral_stat")

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=16), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_message_reference"), ["reference"], unique=False
        )

    connection = op.get_bind()
    for row in connection.execute(
        sa.select(outbox.c.id, outbox.c.kind, outbox.c.subject, outbox.c.last_error)
    ).all():
        changes = {}
        found = REFERENCE.search(row.subject or "")
        if found and row.kind in ("new_referral", "passed_on", "confirmation", "organisation"):
            changes["reference"] = found.group(0)
        if row.last_error:
            kind = ERROR_TYPE.match(row.last_error)
            changes["last_error"] = kind.group(0) if kind else "Error"
        if changes:
            connection.execute(outbox.update().where(outbox.c.id == row.id).values(**changes))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_reference"))
        batch_op.drop_column("reference")
    op.create_table(
        "referral_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("who", sa.String(length=20), nullable=False),
        sa.Column("characteristics", sa.String(length=200), nullable=False),
        sa.Column("help", sa.String(length=200), nullable=False),
        sa.Column("reported", sa.String(length=20), nullable=False),
        sa.Column("heard_from", sa.String(length=40), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_stat")),
    )
    with op.batch_alter_table("referral_stat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_stat_month"), ["month"], unique=False)
    op.drop_table("referral_count")
