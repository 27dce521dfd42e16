"""Document identity beyond the URL, and robots.txt kept across processes.

- documents.guid: the feed's stable id of the item (RSS <guid>, Atom <id>), indexed; with it a
  slug change (301) moves the document and a reused URL starts a new one.
- robots_files: robots.txt per scheme+host with its expiry.

Revision ID: 0005_identity
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_identity"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("guid", sa.String(2048)))
    op.create_index("ix_documents_guid", "documents", ["guid"])
    op.create_table(
        "robots_files",
        sa.Column("base", sa.String(512), primary_key=True),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("robots_files")
    op.drop_index("ix_documents_guid", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("guid")
