"""Data types read from and written to the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compare.embed import SentenceVectors
    from compare.quoteblocks import IndexedText

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass(frozen=True)
class DocumentRecord:
    """A watched statement or article: one identity across URLs and versions."""

    id: int
    url: str
    kind: str
    title: str
    issuer: str | None
    state: str  # active | removed | replaced (its URL now holds another statement)
    group_id: int | None = None
    guid: str | None = None  # the feed's stable id of the item, when a feed listed it


@dataclass(frozen=True)
class LastFetch:
    """What the previous fetch of a URL left: validators for a conditional request."""

    etag: str | None
    last_modified: str | None
    body_hash: str | None


@dataclass(frozen=True)
class Version:
    """One distinct canonical text of a document."""

    id: int
    document_id: int
    seq: int
    text_hash: str
    canonical_text: str
    paragraphs: tuple[str, ...]
    title: str
    normalizer_version: int
    first_seen: datetime
    last_seen: datetime
    published: datetime | None = None
    revert_of: int | None = None  # seq of the earlier version this text returns to

    @property
    def display_text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Observation:
    """An extracted document fetched now, to be versioned."""

    url: str
    kind: str
    title: str
    paragraphs: tuple[str, ...]
    canonical_text: str
    text_hash: str
    normalizer_version: int
    status: int = 200
    issuer: str | None = None
    published: datetime | None = None
    canonical_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body: bytes | None = field(default=None, repr=False)
    body_hash: str | None = None
    content_type: str | None = None
    final_url: str | None = None
    guid: str | None = None  # the feed's id of the item (sources.discover.Item.guid)
    # A statement's quote index (compare.quoteblocks), computed before the write transaction
    # (store.quoteindex.prepare fills it when the caller did not).
    quote_index: IndexedText | None = field(default=None, repr=False)
    # A statement's sentence vectors (compare.embed), computed by the caller before the write
    # transaction (the sentences no stored vector covers yet); stored with a new version.
    sentence_vectors: SentenceVectors | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ChangeRecord:
    """A pair of versions and what their diff found."""

    significance: str
    summary: str
    diff: dict
    revert: bool = False
    id: int | None = None
    document_id: int | None = None
    old_version_id: int | None = None
    new_version_id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class NewAlert:
    """An alert to put in the outbox, in the same transaction as what caused it."""

    kind: str  # edit | misquote | removed | ...
    channel: str
    dedupe_key: str
    payload: dict
    significance: str = "minor"


@dataclass(frozen=True)
class OutboxAlert:
    """An alert waiting in (or delivered from) the outbox."""

    id: int
    kind: str
    channel: str
    dedupe_key: str
    payload: dict
    significance: str
    status: str
    attempts: int
    last_error: str | None
    document_id: int | None
    created_at: datetime
    sent_at: datetime | None = None
    remote_id: str | None = None


@dataclass(frozen=True)
class SaveResult:
    """Outcome of recording an observation."""

    document: DocumentRecord
    version: Version
    previous: Version | None
    created: bool
    change: ChangeRecord | None = None


@dataclass(frozen=True)
class QuoteCheckRecord:
    """A stored verdict on one quote of an article version."""

    article_version_id: int
    statement_version_id: int | None
    quote: str
    start: int
    end: int
    verdict: str
    severity: str
    details: dict
    id: int | None = None


@dataclass(frozen=True)
class ClaimCheckRecord:
    """A stored verdict on one reported claim of an article version (compare.claims)."""

    article_version_id: int
    statement_version_id: int | None
    text: str
    start: int
    end: int
    verdict: str  # compare.vocab.ClaimVerdict
    kind: str | None  # compare.vocab.DriftKind of a drift
    severity: str
    details: dict  # ClaimCheck.to_json()
    id: int | None = None


@dataclass(frozen=True)
class CoverageRecord:
    """How one article version reported one paragraph of a statement (CoverageHow)."""

    article_version_id: int
    statement_url: str
    paragraph: int
    text: str
    how: str  # compare.vocab.CoverageHow
    article_url: str = ""  # filled when read back across articles
    article_title: str = ""
