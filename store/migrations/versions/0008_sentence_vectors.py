"""Statement sentence vectors (issue 14, speed): the embedding of each statement sentence (and
clause of a long one) that compare.claims aligns reported claims against, computed by the
pipeline before it writes a version and stored in the version's transaction.

- sentence_vectors: (model, sha256 of the text) -> the vector as float16 bytes
  (compare.embed.pack); one row per distinct text, whatever number of versions share it.

No backfill: versions stored before this revision get their vectors lazily (an article check
embeds the sentences it finds no vector for and the pipeline stores them after the check).

Revision ID: 0008_sentence_vectors
Revises: 0007_search
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_sentence_vectors"
down_revision = "0007_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sentence_vectors",
        sa.Column("model", sa.String(64), primary_key=True),
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sentence_vectors")
