"""SQLAlchemy tables of the store (portable between SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# 64-bit ids for tables that grow with every fetch; SQLite's INTEGER PRIMARY KEY (the rowid,
# which autoincrements) is already 64-bit and must stay spelled INTEGER.
BigId = BigInteger().with_variant(Integer, "sqlite")

# The schema the migrations in store/migrations/versions/ build; tests/test_store_migrate.py
# checks that the two agree on both backends.
metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("issuer", Text),
    Column("state", String(16), nullable=False, default="active"),
    Column("group_id", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    Column("removed_at", UTCDateTime),
    # The feed's stable id of the item (RSS <guid>, Atom <id>): the document's identity when
    # its URL changes (a slug fixed with a 301) or is reused for another item (0005).
    Column("guid", String(2048), index=True),
    # The web site's issuer filter lists distinct issuers (0007_search).
    Index("ix_documents_issuer", "issuer"),
)

aliases = Table(
    "aliases", metadata,
    Column("url", String(2048), primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
)

bodies = Table(
    "bodies", metadata,
    Column("hash", String(64), primary_key=True),
    Column("content_type", String(128)),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

captures = Table(
    "captures", metadata,
    Column("id", BigId, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), index=True),
    Column("url", String(2048), nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("status", Integer),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(64)),
    Column("error", Text),
    Column("outcome", String(16), nullable=False),  # new | unchanged | not_modified | error | removed
    # "last fetch of URL" walks this index backwards: cheap after any number of fetches.
    Index("ix_captures_url_id", "url", "id"),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("canonical_text", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("title", Text, nullable=False),
    Column("normalizer_version", Integer, nullable=False),
    Column("published", UTCDateTime),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("capture_id", BigId, ForeignKey("captures.id")),
    Column("revert_of", Integer),
    UniqueConstraint("document_id", "seq", name="uq_versions_doc_seq"),
    Index("ix_versions_doc_first_seen", "document_id", "first_seen"),
    # New statements (seq 1) newest first, for the activity page (0007_search).
    Index("ix_versions_seq_first_seen", "seq", "first_seen", "id"),
)

changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("old_version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("new_version_id", Integer, ForeignKey("versions.id"), nullable=False, unique=True),
    Column("significance", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("diff", JSON, nullable=False),
    Column("revert", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    # The activity page walks edits newest first (0007_search).
    Index("ix_changes_created_at", "created_at", "id"),
)

quote_checks = Table(
    "quote_checks", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("statement_version_id", Integer, ForeignKey("versions.id"), index=True),
    Column("quote", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("details", JSON, nullable=False),
    Column("checked_at", UTCDateTime, nullable=False),
    # Hash of what was checked and found: a concurrent or repeated check stores nothing new.
    Column("check_key", String(64), nullable=False),
    UniqueConstraint("check_key", name="uq_quote_checks_check_key"),
    # The activity page walks misquotes and stale quotes newest first (0007_search).
    Index("ix_quote_checks_verdict_checked", "verdict", "checked_at", "id"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("dedupe_key", String(512), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("channel", String(128), nullable=False),
    Column("significance", String(16), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id"), index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_until", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("remote_id", String(128)),
)

threads = Table(
    "threads", metadata,
    Column("document_id", Integer, ForeignKey("documents.id"), primary_key=True),
    Column("channel", String(128), primary_key=True),
    Column("remote_id", String(128), nullable=False),
)

# -- alert delivery bookkeeping (alerts/deliver.py) ------------------------------------------
# Separate small tables rather than new outbox columns: create_all adds tables to an existing
# database, it never alters one.

# A send that began and was not known to fail: the message may be in Slack although the
# outbox does not say "sent" (a killed run, a timeout). Its time bounds the look-up.
outbox_sends = Table(
    "outbox_sends", metadata,
    Column("outbox_id", Integer, ForeignKey("outbox.id"), primary_key=True),
    Column("started_at", UTCDateTime, nullable=False),
)

# A channel stopped by a permanent error (invalid_auth, channel_not_found) for the settings
# whose fingerprint is stored (never the token itself); new settings lift the stop.
channel_blocks = Table(
    "channel_blocks", metadata,
    Column("channel", String(128), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("error", Text, nullable=False),
    Column("since", UTCDateTime, nullable=False),
)

# -- the quote index (store/quoteindex.py, compare/quote_engine.py) ---------------------------
# Written with each statement version, in its transaction. Blocks are deduplicated by the hash
# of their text, so versions of one statement share their unchanged paragraphs; postings are
# written once per distinct block.

quote_blocks = Table(
    "quote_blocks", metadata,
    Column("id", BigId, primary_key=True),
    Column("hash", String(64), nullable=False, unique=True),
    Column("text", Text, nullable=False),
)

quote_members = Table(
    "quote_members", metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True),
    Column("pos", Integer, primary_key=True),
    Column("block_id", BigId, ForeignKey("quote_blocks.id"), nullable=False),
    Column("sep", Text, nullable=False),  # the whitespace after the block in the version's text
    # block -> versions holding it (the engine's way from a voted block to statements).
    Index("ix_quote_members_block", "block_id", "version_id"),
)

quote_postings = Table(
    "quote_postings", metadata,
    Column("shingle", Integer, primary_key=True, autoincrement=False),  # signed 32-bit winnowed shingle hash
    Column("block_id", BigId, ForeignKey("quote_blocks.id"), primary_key=True),
)

# Statement sentence vectors (compare.embed), written with each statement version by the
# pipeline: keyed by model and sha256 of the sentence text, so a sentence that many versions
# (and statements) share is stored once; the vector in its packed form (float16 bytes).
sentence_vectors = Table(
    "sentence_vectors", metadata,
    Column("model", String(64), primary_key=True),
    Column("hash", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
)


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Alembic's filter: the full-text search index (store/searchindex.py) is derived data
    kept out of this metadata (an FTS5 virtual table has no SQLAlchemy form), so schema
    comparisons leave its tables alone."""
    from store.searchindex import is_index_table

    return not (type_ == "table" and is_index_table(name))


# -- polite polling (0005) ---------------------------------------------------------------------

# robots.txt per scheme+host with its expiry, so every process (each pass of `onrecord run`)
# does not fetch it again (sources/politeness.py RobotsCache, wired by flows/pipeline.py).
robots_files = Table(
    "robots_files", metadata,
    Column("base", String(512), primary_key=True),
    Column("status", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

# -- reported claims (0006, issue 14) ----------------------------------------------------------

# One row per judgement of a reported claim of an article version (compare/claims.py), like
# quote_checks: judged again after a statement edit, a claim gets a new row when the finding
# differs; the newest row per claim is its verdict now.
claim_checks = Table(
    "claim_checks", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("statement_version_id", Integer, ForeignKey("versions.id"), index=True),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("verdict", String(16), nullable=False),  # compare.vocab.ClaimVerdict
    Column("kind", String(16)),  # compare.vocab.DriftKind of a drift, else NULL
    Column("severity", String(8), nullable=False),
    Column("details", JSON, nullable=False),  # ClaimCheck.to_json()
    Column("checked_at", UTCDateTime, nullable=False),
    # Hash of what was judged and found: a concurrent or repeated judgement stores nothing new.
    Column("check_key", String(64), nullable=False),
    UniqueConstraint("check_key", name="uq_claim_checks_check_key"),
    # The activity page walks drifted claims newest first (0007_search).
    Index("ix_claim_checks_verdict_checked", "verdict", "checked_at", "id"),
)

# Which paragraphs of a statement an article version reported and how (CoverageHow): the
# current map, replaced for an (article version, statement) pair when it is judged again.
claim_coverage = Table(
    "claim_coverage", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("statement_document_id", Integer, ForeignKey("documents.id"), nullable=False,
           index=True),
    Column("paragraph", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("how", String(16), nullable=False),
    Column("checked_at", UTCDateTime, nullable=False),
    UniqueConstraint("article_version_id", "statement_document_id", "paragraph",
                     name="uq_claim_coverage_place"),
)
