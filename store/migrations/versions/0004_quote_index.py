"""The statement quote index: distinct text blocks, version membership, shingle postings.

- quote_blocks: distinct blocks of statement text, unique by the hash of their text.
- quote_members: version -> its blocks in order, with the whitespace after each.
- quote_postings: winnowed 3-word shingle -> block (written once per distinct block).

Backfilled here for every existing statement version with the same code the store writes
with (compare.quoteblocks + store.quoteindex), in batches.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer, "sqlite")
BATCH = 200  # versions indexed per round (bounded memory on a large store)


def upgrade() -> None:
    op.create_table(
        "quote_blocks",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "quote_members",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("pos", sa.Integer, primary_key=True),
        sa.Column("block_id", BigId, sa.ForeignKey("quote_blocks.id"), nullable=False),
        sa.Column("sep", sa.Text, nullable=False),
    )
    op.create_index("ix_quote_members_block", "quote_members", ["block_id", "version_id"])
    op.create_table(
        "quote_postings",
        sa.Column("shingle", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("block_id", BigId, sa.ForeignKey("quote_blocks.id"), primary_key=True),
    )
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    from compare.quoteblocks import index_text
    from store import quoteindex
    from store import schema as t

    v, d = t.versions, t.documents
    ids = list(conn.execute(sa.select(v.c.id).join(d, d.c.id == v.c.document_id)
                            .where(d.c.kind == "statement").order_by(v.c.id)).scalars())
    for i in range(0, len(ids), BATCH):
        rows = conn.execute(sa.select(v.c.id, v.c.paragraphs).where(v.c.id.in_(ids[i:i + BATCH]))
                            .order_by(v.c.id)).all()
        quoteindex.write_many(conn, [(vid, index_text("\n\n".join(paras))) for vid, paras in rows])


def downgrade() -> None:
    op.drop_table("quote_postings")
    op.drop_index("ix_quote_members_block", table_name="quote_members")
    op.drop_table("quote_members")
    op.drop_table("quote_blocks")
