"""Delivery bookkeeping for exactly-once alerts.

- outbox_sends: a send that began (and may have reached Slack) before its run died; the
  next claim looks the message up instead of posting it again.
- channel_blocks: a channel stopped by a permanent error, with a fingerprint of the
  settings it failed with (never the token); changed settings lift the stop.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_sends",
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), primary_key=True),
        sa.Column("started_at", TS, nullable=False),
    )
    op.create_table(
        "channel_blocks",
        sa.Column("channel", sa.String(128), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("since", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("channel_blocks")
    op.drop_table("outbox_sends")
