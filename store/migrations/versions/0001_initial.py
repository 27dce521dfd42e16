"""The first schema: documents, aliases, bodies, captures, versions, changes, quote checks,
outbox, threads (what the first cut created with metadata.create_all).

Revision ID: 0001
Revises:
Create Date: 2025-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Migrations spell their types out instead of importing store.schema: a revision must keep
# creating what it created on the day it was written, whatever the models say later.
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("issuer", sa.Text),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("group_id", sa.Integer),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("removed_at", TS),
    )
    op.create_table(
        "aliases",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
    )
    op.create_index("ix_aliases_document_id", "aliases", ["document_id"])
    op.create_table(
        "bodies",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("content_type", sa.String(128)),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("fetched_at", TS, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("body_hash", sa.String(64)),
        sa.Column("error", sa.Text),
        sa.Column("outcome", sa.String(16), nullable=False),
    )
    op.create_index("ix_captures_document_id", "captures", ["document_id"])
    op.create_index("ix_captures_url_time", "captures", ["url", "fetched_at"])
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("canonical_text", sa.Text, nullable=False),
        sa.Column("paragraphs", sa.JSON, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("normalizer_version", sa.Integer, nullable=False),
        sa.Column("published", TS),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("capture_id", sa.Integer, sa.ForeignKey("captures.id")),
        sa.Column("revert_of", sa.Integer),
        sa.UniqueConstraint("document_id", "seq", name="uq_versions_doc_seq"),
    )
    op.create_index("ix_versions_doc_first_seen", "versions", ["document_id", "first_seen"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("old_version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("new_version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False,
                  unique=True),
        sa.Column("significance", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("diff", sa.JSON, nullable=False),
        sa.Column("revert", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_changes_document_id", "changes", ["document_id"])
    op.create_table(
        "quote_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("statement_version_id", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("checked_at", TS, nullable=False),
    )
    op.create_index("ix_quote_checks_article_version_id", "quote_checks", ["article_version_id"])
    op.create_index("ix_quote_checks_statement_version_id", "quote_checks",
                    ["statement_version_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dedupe_key", sa.String(512), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(128), nullable=False),
        sa.Column("significance", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("claimed_until", TS),
        sa.Column("sent_at", TS),
        sa.Column("remote_id", sa.String(128)),
    )
    op.create_index("ix_outbox_document_id", "outbox", ["document_id"])
    op.create_index("ix_outbox_status", "outbox", ["status"])
    op.create_table(
        "threads",
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("channel", sa.String(128), primary_key=True),
        sa.Column("remote_id", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    for table in ("threads", "outbox", "quote_checks", "changes", "versions", "captures",
                  "bodies", "aliases", "documents"):
        op.drop_table(table)
