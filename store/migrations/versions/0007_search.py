"""Full-text search over versions (title, URL, text) for the web site, and the indexes its
pages read by.

- search_index: SQLite FTS5 (contentless) / PostgreSQL tsvector + GIN (store/searchindex.py),
  backfilled here for every existing version.
- changes(created_at), quote_checks and claim_checks(verdict, checked_at), versions(seq, first_seen), documents(issuer): the
  activity page walks each of these newest first, one page at a time (web/queries.py).

Revision ID: 0007_search
Revises: 0006_claims
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

from store import searchindex

revision = "0007_search"
down_revision = "0006_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    searchindex.create(conn)
    searchindex.rebuild(conn)
    op.create_index("ix_changes_created_at", "changes", ["created_at", "id"])
    op.create_index("ix_quote_checks_verdict_checked", "quote_checks",
                    ["verdict", "checked_at", "id"])
    op.create_index("ix_versions_seq_first_seen", "versions", ["seq", "first_seen", "id"])
    op.create_index("ix_documents_issuer", "documents", ["issuer"])
    op.create_index("ix_claim_checks_verdict_checked", "claim_checks",
                    ["verdict", "checked_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_claim_checks_verdict_checked", table_name="claim_checks")
    op.drop_index("ix_documents_issuer", table_name="documents")
    op.drop_index("ix_versions_seq_first_seen", table_name="versions")
    op.drop_index("ix_quote_checks_verdict_checked", table_name="quote_checks")
    op.drop_index("ix_changes_created_at", table_name="changes")
    searchindex.drop(op.get_bind())
