"""Reported claims (issue 14): the verdict on each claim of an article version, and which
statement paragraphs each article version reported.

- claim_checks: one row per judgement of a claim (like quote_checks): the article version,
  the statement version it was judged against, the claim's text and place, verdict, drift
  kind, severity and the engine's JSON; a unique check_key makes a repeated or concurrent
  judgement store nothing new.
- claim_coverage: per (article version, statement document, paragraph) how the article
  reported it (quoted, paraphrased, both, none): the current map, replaced when the article
  is judged again after the statement is edited.

Revision ID: 0006_claims
Revises: 0005_identity
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_claims"
down_revision = "0005_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_version_id", sa.Integer, sa.ForeignKey("versions.id"),
                  nullable=False, index=True),
        sa.Column("statement_version_id", sa.Integer, sa.ForeignKey("versions.id"), index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16)),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("check_key", sa.String(64), nullable=False),
        sa.UniqueConstraint("check_key", name="uq_claim_checks_check_key"),
    )
    op.create_table(
        "claim_coverage",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_version_id", sa.Integer, sa.ForeignKey("versions.id"),
                  nullable=False),
        sa.Column("statement_document_id", sa.Integer, sa.ForeignKey("documents.id"),
                  nullable=False, index=True),
        sa.Column("paragraph", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("how", sa.String(16), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("article_version_id", "statement_document_id", "paragraph",
                            name="uq_claim_coverage_place"),
    )


def downgrade() -> None:
    op.drop_table("claim_coverage")
    op.drop_table("claim_checks")
