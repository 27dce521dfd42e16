"""Idempotent quote checks, an index for "last fetch of URL", 64-bit capture ids.

- quote_checks.check_key (unique): two runs checking the same article version at once
  store each verdict once (INSERT .. ON CONFLICT DO NOTHING).
- captures (url, id) replaces (url, fetched_at): "last fetch of URL" is an index lookup
  even after thousands of unchanged fetches.
- captures.id is BIGINT on PostgreSQL: captures grow with every fetch (SQLite's INTEGER
  primary key is already 64-bit).

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("quote_checks", sa.Column("check_key", sa.String(64), nullable=True))
    # Checks stored before this revision keep a key of their own: none is merged or lost.
    op.execute("UPDATE quote_checks SET check_key = 'legacy-' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("quote_checks") as batch:
        batch.alter_column("check_key", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_quote_checks_check_key", ["check_key"])
    op.drop_index("ix_captures_url_time", table_name="captures")
    op.create_index("ix_captures_url_id", "captures", ["url", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("captures", "id", type_=sa.BigInteger, existing_nullable=False)
        op.alter_column("versions", "capture_id", type_=sa.BigInteger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("versions", "capture_id", type_=sa.Integer)
        op.alter_column("captures", "id", type_=sa.Integer, existing_nullable=False)
    op.drop_index("ix_captures_url_id", table_name="captures")
    op.create_index("ix_captures_url_time", "captures", ["url", "fetched_at"])
    with op.batch_alter_table("quote_checks") as batch:
        batch.drop_constraint("uq_quote_checks_check_key", type_="unique")
        batch.drop_column("check_key")
