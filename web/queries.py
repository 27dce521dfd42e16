"""Read-only queries for the web site's pages, over the store's tables.

Every list is a page: newest first, `limit` rows, and a cursor (keyset) for the next page,
so a page costs the same at 100 documents and at 100,000. Each walk follows an index
(store/schema.py, migration 0007_search): changes(created_at, id), quote_checks(verdict,
checked_at, id), versions(seq, first_seen, id), the search index. Nothing here writes.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, and_, exists, or_, select, text

from compare.vocab import Severity, Significance
from store import Store, searchindex
from store import schema as t
from store.records import CoverageRecord

# What the activity page lists, in the order of equal times.
EVENT_KINDS = ("edit", "misquote", "stale", "drift", "new")
PAGE = 50
MAX_PAGE = 200
# An issuer or site filter that leaves at most this many documents (able to have the events
# listed) is applied first, as their ids: the page then reads their events, instead of
# walking every event newest first to meet theirs late or never (bench/web_pages.py: a site
# with no edits made the edit walk read all 250,000 changes of a 100,000-document store).
FEW_DOCUMENTS = 200

# A misquote's severity stands for a significance in the activity filter.
_SEVERITY_LEVEL = {Severity.MAJOR: Significance.SUBSTANTIVE, Severity.MINOR: Significance.MINOR,
                   Severity.NONE: Significance.COSMETIC}


class NotFound(LookupError):
    """No such statement, article or version."""


# Document and version ids are 32-bit on PostgreSQL: a larger number names nothing (and
# would be a database error, not a 404).
MAX_ID = 2**31 - 1


def _known_id(value: int, what: str) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFound(f"no {what} {value}")
    return value


@dataclass(frozen=True)
class DocRef:
    """A document as pages name it."""

    id: int
    url: str
    kind: str
    title: str
    issuer: str | None
    state: str


@dataclass(frozen=True)
class Event:
    """One line of the activity page: an edit, a new statement, a misquote, a stale quote,
    a drifted reported claim."""

    kind: str
    at: datetime
    id: int  # the row's id in its own table (changes, versions, quote_checks)
    document: DocRef  # the statement (edit, new) or the article (misquote, stale, drift)
    significance: str | None
    summary: str
    version_id: int | None = None
    old_version_id: int | None = None
    statement: DocRef | None = None  # a quote or claim event's statement

    @property
    def cursor(self) -> str:
        return encode_cursor(self.at, self.kind, self.id)


@dataclass(frozen=True)
class ActivityFilter:
    """The activity page's filters (all optional): issuer (exact), source site (host),
    kind (one of EVENT_KINDS), significance (this level or above; events without one are
    left out when it is given)."""

    issuer: str | None = None
    source: str | None = None
    kind: str | None = None
    significance: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


@dataclass(frozen=True)
class VersionRow:
    """A version in a statement's timeline, with the change that made it."""

    id: int
    seq: int
    title: str
    text_hash: str
    first_seen: datetime
    last_seen: datetime
    revert_of: int | None
    significance: str | None
    summary: str
    change_id: int | None = None


class _Judged:
    """What a stored verdict's details say (the check's to_json): its reasons, the statement
    words it matched and the speaker; shared by quotes and reported claims."""

    details: dict[str, Any]

    @property
    def reasons(self) -> list[str]:
        return [str(r) for r in self.details.get("reasons", [])]

    @property
    def matched(self) -> str:
        return str(self.details.get("matched") or "")

    @property
    def speaker(self) -> str:
        return str(self.details.get("speaker") or "")


@dataclass(frozen=True)
class QuoteRow(_Judged):
    """A stored verdict on one quote, with the documents on both sides."""

    id: int
    article: DocRef
    article_version_id: int
    article_seq: int
    statement: DocRef | None
    statement_version_id: int | None
    statement_seq: int | None
    quote: str
    start: int
    end: int
    verdict: str
    severity: str
    details: dict[str, Any] = field(default_factory=dict)
    # Verdicts stored earlier for the same quote (a re-check after the statement changed):
    # (verdict, statement version seq), oldest first.
    earlier: tuple[tuple[str, int | None], ...] = ()

    @property
    def role(self) -> str:
        return str(self.details.get("role") or "")


@dataclass(frozen=True)
class ClaimRow(_Judged):
    """A stored verdict on one reported claim (compare/claims.py), with both documents."""

    id: int
    article: DocRef
    article_version_id: int
    article_seq: int
    statement: DocRef | None
    statement_version_id: int | None
    statement_seq: int | None
    text: str
    start: int
    end: int
    verdict: str  # compare.vocab.ClaimVerdict
    kind: str | None  # compare.vocab.DriftKind of a drift
    severity: str
    details: dict[str, Any] = field(default_factory=dict)
    earlier: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class CoverageLine:
    """One paragraph of a statement in its coverage map: how the stored articles reported it
    (merged across articles by compare.claims.merge_coverage) and which did."""

    paragraph: int | None  # number in the latest version, from 1; None: an earlier version's
    text: str
    how: str  # compare.vocab.CoverageHow
    articles: tuple[tuple[str, str, str], ...]  # (article URL, title, how)

    @property
    def covered(self) -> bool:
        return self.how != "none"


def coverage_lines(statement_url: str, paragraphs: Sequence[str],
                   rows: Sequence[CoverageRecord]) -> list[CoverageLine]:
    """A statement's coverage map from the stored rows (Store.coverage), for the web pages
    and `onrecord coverage` alike: today's paragraphs in order, then the paragraphs only an
    earlier version had. Paragraphs are keyed by their text, so an article judged against an
    earlier version still counts for the paragraphs that version shares with today's; each
    article's rows make one report, and the reports are merged by compare/ (quoted here and
    paraphrased there = both)."""
    from compare.claims import ClaimReport, ParagraphCoverage, merge_coverage
    from compare.vocab import CoverageHow

    current = list(paragraphs)
    texts = current + sorted({r.text for r in rows} - set(current))
    place = {text: i for i, text in enumerate(texts)}
    by_article: dict[str, list[ParagraphCoverage]] = {}
    for r in rows:
        by_article.setdefault(r.article_url, []).append(
            ParagraphCoverage(statement_url, place[r.text], r.text, CoverageHow(r.how)))
    merged = {p.text: p.how for p in merge_coverage(
        ClaimReport((), tuple(cov)) for cov in by_article.values())}
    return [CoverageLine(i + 1 if i < len(current) else None, text,
                         merged.get(text, CoverageHow.NONE).value,
                         tuple((r.article_url, r.article_title, r.how) for r in rows
                               if r.text == text and r.how != CoverageHow.NONE))
            for i, text in enumerate(texts)]


@dataclass(frozen=True)
class Capture:
    """One fetch of a version's page: when, what the server said, which body."""

    id: int
    fetched_at: datetime
    status: int | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    outcome: str
    url: str


@dataclass(frozen=True)
class BodyInfo:
    hash: str
    content_type: str | None
    size: int


@dataclass(frozen=True)
class SearchHit:
    document: DocRef
    version_id: int
    seq: int
    title: str
    first_seen: datetime


def encode_cursor(at: datetime, kind: str, row_id: int) -> str:
    raw = f"{at.isoformat()}|{kind}|{row_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str, int]:
    """The position a cursor names; ValueError for anything else (a tampered cursor)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, kind, row_id = raw.split("|")
        stamp = datetime.fromisoformat(at)
        if stamp.tzinfo is None or kind not in (*EVENT_KINDS, "search"):
            raise ValueError
        return stamp, kind, int(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("bad cursor") from exc


def _doc_ref(row: Any, prefix: str = "") -> DocRef:
    get = (lambda name: getattr(row, prefix + name)) if prefix else (lambda name: getattr(row, name))
    return DocRef(get("id"), get("url"), get("kind"), get("title"), get("issuer"), get("state"))


def _doc_cols(doc: Any, prefix: str) -> list[Any]:
    return [doc.c.id.label(prefix + "id"), doc.c.url.label(prefix + "url"),
            doc.c.kind.label(prefix + "kind"), doc.c.title.label(prefix + "title"),
            doc.c.issuer.label(prefix + "issuer"), doc.c.state.label(prefix + "state")]


def _levels_at_least(level: str) -> list[str]:
    floor = Significance(level).rank
    return [s.value for s in Significance if s.rank >= floor]


def _severities_at_least(level: str) -> list[str]:
    floor = Significance(level).rank
    return [sev.value for sev, sig in _SEVERITY_LEVEL.items() if sig.rank >= floor]


def _host_filter(url_col: Any, host: str) -> Any:
    # The document's site: its URL starts with the scheme and this host.
    host = host.strip().lower()
    return or_(url_col.like(f"https://{_like(host)}/%", escape="\\"),
               url_col.like(f"http://{_like(host)}/%", escape="\\"),
               url_col == f"https://{host}", url_col == f"http://{host}")


def _host_range(url_col: Any, host: str) -> Any:
    """`_host_filter` as ranges of the url index (SQLite's BINARY order: URLs are stored with
    their host in lower case, so the ranges hold exactly the URLs the LIKEs match)."""
    host = host.strip().lower()
    return or_(*(and_(url_col >= f"{scheme}://{host}/", url_col < f"{scheme}://{host}0")
                 for scheme in ("https", "http")),
               url_col == f"https://{host}", url_col == f"http://{host}")


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Queries:
    """The pages' reads over one store (plain calls; the web app is one caller)."""

    def __init__(self, store: Store, few_documents: int = FEW_DOCUMENTS,
                 search_walk: int = 0) -> None:
        self.store = store
        self.few_documents = few_documents
        self.search_walk = search_walk or SEARCH_WALK

    def _conn(self) -> Connection:
        return self.store.engine.connect()

    # -- activity -----------------------------------------------------------------------

    def activity(self, filters: ActivityFilter = ActivityFilter(), cursor: str | None = None,
                 limit: int = PAGE) -> Page:
        """Edits, new statements, misquotes and stale quotes, newest first."""
        limit = max(1, min(limit, MAX_PAGE))
        after = decode_cursor(cursor) if cursor else None
        kinds = [filters.kind] if filters.kind else list(EVENT_KINDS)
        if filters.kind and filters.kind not in EVENT_KINDS:
            raise ValueError(f"unknown kind {filters.kind!r}")
        if filters.significance:
            Significance(filters.significance)  # ValueError for an unknown level
        events: list[Event] = []
        few: dict[str, list[int] | None] = {}  # the filter's documents, read once per page
        with self._conn() as conn:
            for kind in kinds:
                events += self._events(conn, kind, filters, after, limit + 1, few)
        rank = {k: i for i, k in enumerate(EVENT_KINDS)}
        events.sort(key=lambda e: (-e.at.timestamp(), rank[e.kind], -e.id))
        page = events[:limit]
        more = len(events) > limit
        return Page(page, page[-1].cursor if more and page else None)

    def _after(self, kind: str, at_col: Any, id_col: Any,
               after: tuple[datetime, str, int] | None) -> Any:
        """Rows of `kind` that come after the cursor in (time desc, kind, id desc) order."""
        if after is None:
            return None
        at, ckind, cid = after
        rank = {k: i for i, k in enumerate(EVENT_KINDS)}
        if rank[kind] > rank.get(ckind, -1):
            return at_col <= at
        if kind == ckind:
            return or_(at_col < at, and_(at_col == at, id_col < cid))
        return at_col < at

    def _scoped(self, q: Select[Any], doc_id: Any, filters: ActivityFilter) -> Select[Any]:
        """`q` kept to the events whose document (`doc_id`) the issuer and site filters
        leave. When they leave many documents, the newest-first walk of the events' time
        index is the fast plan; a correlated look-up of each walked event's document keeps
        it (a condition on the joined document made SQLite read every document for a bloom
        filter, 14 ms, or take all of an issuer's 14,000 documents' changes and sort them,
        367 ms, at 100,000 documents)."""
        if not (filters.issuer or filters.source):
            return q
        x = t.documents.alias("scope")
        cond = exists().where(x.c.id == doc_id)
        if filters.issuer:
            cond = cond.where(x.c.issuer == filters.issuer)
        if filters.source:
            cond = cond.where(_host_filter(x.c.url, filters.source))
        return q.where(cond)

    def _few_documents(self, conn: Connection, kind: str, filters: ActivityFilter,
                       memo: dict[str, list[int] | None] | None = None) -> list[int] | None:
        """Ids of the documents an issuer or site filter leaves that can have events of
        `kind`, when at most `few_documents`; None without such a filter or when more (their
        events are then dense enough for the newest-first walk to meet them early)."""
        if not (filters.issuer or filters.source):
            return None
        # Edits can be of any document; every other event is of a statement.
        which = "edit" if kind == "edit" else "statement"
        if memo is not None and which in memo:
            return memo[which]
        d = t.documents
        q = select(d.c.id)
        if filters.issuer:
            q = q.where(d.c.issuer == filters.issuer)
        if filters.source:
            q = q.where(_host_filter(d.c.url, filters.source))
            if conn.dialect.name == "sqlite":
                # SQLite's LIKE ignores case, so it never uses the url index; the ranges do.
                # (PostgreSQL uses the index for the LIKEs under the C collation.)
                q = q.where(_host_range(d.c.url, filters.source))
        if kind == "edit":
            q = q.where(exists().where(t.changes.c.document_id == d.c.id))
        else:
            # A new statement, or the statement a quote or claim was checked against.
            q = q.where(d.c.kind == "statement")
        ids = list(conn.execute(q.limit(self.few_documents + 1)).scalars())
        found = ids if len(ids) <= self.few_documents else None
        if memo is not None:
            memo[which] = found
        return found

    def _events(self, conn: Connection, kind: str, filters: ActivityFilter,
                after: tuple[datetime, str, int] | None, n: int,
                memo: dict[str, list[int] | None] | None = None) -> list[Event]:
        d = t.documents
        few = self._few_documents(conn, kind, filters, memo)
        if few == []:
            return []
        if kind == "edit":
            c = t.changes
            q = (select(c.c.id, c.c.created_at, c.c.significance, c.c.summary,
                        c.c.old_version_id, c.c.new_version_id, *_doc_cols(d, "d_"))
                 .join(d, d.c.id == c.c.document_id))
            if filters.significance:
                q = q.where(c.c.significance.in_(_levels_at_least(filters.significance)))
            if few is not None:
                q = q.where(c.c.document_id.in_(few))
            cond = self._after(kind, c.c.created_at, c.c.id, after)
            if cond is not None:
                q = q.where(cond)
            q = self._scoped(q, c.c.document_id, filters).order_by(c.c.created_at.desc(),
                                                                  c.c.id.desc()).limit(n)
            return [Event("edit", r.created_at, r.id, _doc_ref(r, "d_"), r.significance, r.summary,
                          r.new_version_id, r.old_version_id) for r in conn.execute(q)]
        if kind == "new":
            if filters.significance:
                return []  # a first version has no significance
            v = t.versions
            q = (select(v.c.id, v.c.first_seen, v.c.title, *_doc_cols(d, "d_"))
                 .join(d, d.c.id == v.c.document_id)
                 .where(v.c.seq == 1, d.c.kind == "statement"))
            if few is not None:
                q = q.where(v.c.document_id.in_(few))
            cond = self._after(kind, v.c.first_seen, v.c.id, after)
            if cond is not None:
                q = q.where(cond)
            q = self._scoped(q, v.c.document_id, filters).order_by(v.c.first_seen.desc(),
                                                                  v.c.id.desc()).limit(n)
            return [Event("new", r.first_seen, r.id, _doc_ref(r, "d_"), None,
                          "new statement", r.id) for r in conn.execute(q)]
        # misquote | stale: the article's verdict on a quote; drift: on a reported claim.
        checks = t.claim_checks if kind == "drift" else t.quote_checks
        said = checks.c.text if kind == "drift" else checks.c.quote
        art_v, st_v = t.versions.alias("art_v"), t.versions.alias("st_v")
        art, st = t.documents.alias("art"), t.documents.alias("st")
        q = (select(checks.c.id, checks.c.checked_at, said.label("said"), checks.c.severity,
                    checks.c.article_version_id, checks.c.statement_version_id,
                    *_doc_cols(art, "a_"), *_doc_cols(st, "s_"))
             .join(art_v, art_v.c.id == checks.c.article_version_id)
             .join(art, art.c.id == art_v.c.document_id)
             .outerjoin(st_v, st_v.c.id == checks.c.statement_version_id)
             .outerjoin(st, st.c.id == st_v.c.document_id)
             .where(checks.c.verdict == kind))
        if filters.significance:
            if kind == "stale":
                return []  # a stale quote matched an older text exactly: no severity
            q = q.where(checks.c.severity.in_(_severities_at_least(filters.significance)))
        if few is not None:
            q = q.where(checks.c.statement_version_id.in_(
                select(t.versions.c.id).where(t.versions.c.document_id.in_(few))))
        cond = self._after(kind, checks.c.checked_at, checks.c.id, after)
        if cond is not None:
            q = q.where(cond)
        # Issuer and site are the statement's (whose words were quoted or reported).
        q = self._scoped(q, st_v.c.document_id, filters).order_by(checks.c.checked_at.desc(),
                                                  checks.c.id.desc()).limit(n)
        out = []
        for r in conn.execute(q):
            level = (_SEVERITY_LEVEL[Severity(r.severity)].value
                     if kind != "stale" and r.severity in Severity.__members__.values() else None)
            statement = _doc_ref(r, "s_") if r.s_id is not None else None
            out.append(Event(kind, r.checked_at, r.id, _doc_ref(r, "a_"), level, r.said,
                             r.article_version_id, r.statement_version_id, statement))
        return out

    def issuers(self, limit: int = 200) -> list[str]:
        """Issuers for the activity filter, in order. A loose index scan (one ix_documents_issuer
        look-up per distinct issuer): DISTINCT would read every document on PostgreSQL
        (82 ms at 100,000 documents, against under 1 ms this way)."""
        sql = text(
            "WITH RECURSIVE r(issuer) AS ("
            " SELECT min(issuer) FROM documents"
            " UNION ALL"
            " SELECT (SELECT min(d.issuer) FROM documents d WHERE d.issuer > r.issuer)"
            " FROM r WHERE r.issuer IS NOT NULL)"
            " SELECT issuer FROM r WHERE issuer IS NOT NULL LIMIT :n")
        with self._conn() as conn:
            return [r.issuer for r in conn.execute(sql, {"n": limit})]

    # -- documents and versions ---------------------------------------------------------------

    def document(self, document_id: int, kind: str | None = None) -> DocRef:
        _known_id(document_id, kind or "document")
        with self._conn() as conn:
            row = conn.execute(select(*_doc_cols(t.documents, "d_"))
                               .where(t.documents.c.id == document_id)).first()
        if row is None or (kind and row.d_kind != kind):
            raise NotFound(f"no {kind or 'document'} {document_id}")
        return _doc_ref(row, "d_")

    def document_by_url(self, url: str) -> DocRef | None:
        found = self.store.document(url)
        if found is None:
            return None
        return DocRef(found.id, found.url, found.kind, found.title, found.issuer, found.state)

    def timeline(self, document_id: int, limit: int = 1000) -> list[VersionRow]:
        """The document's versions, oldest first, each with the change that made it."""
        v, c = t.versions, t.changes
        q = (select(v.c.id, v.c.seq, v.c.title, v.c.text_hash, v.c.first_seen, v.c.last_seen,
                    v.c.revert_of, c.c.id.label("change_id"), c.c.significance, c.c.summary)
             .outerjoin(c, c.c.new_version_id == v.c.id)
             .where(v.c.document_id == document_id).order_by(v.c.seq).limit(limit))
        with self._conn() as conn:
            return [VersionRow(r.id, r.seq, r.title, r.text_hash, r.first_seen, r.last_seen,
                               r.revert_of, r.significance,
                               r.summary if r.change_id else ("first seen" if r.seq == 1
                                                              else "no change recorded"),
                               r.change_id)
                    for r in conn.execute(q)]

    def version(self, version_id: int) -> tuple[DocRef, Any]:
        """(document, store.records.Version) of a version id; NotFound if there is none."""
        _known_id(version_id, "version")
        with self._conn() as conn:
            row = conn.execute(select(t.versions.c.document_id)
                               .where(t.versions.c.id == version_id)).first()
        if row is None:
            raise NotFound(f"no version {version_id}")
        return self.document(row.document_id), self.store.version(version_id)

    def version_by_seq(self, document_id: int, seq: int) -> int | None:
        with self._conn() as conn:
            row = conn.execute(select(t.versions.c.id).where(
                t.versions.c.document_id == document_id, t.versions.c.seq == seq)).first()
        return row.id if row else None

    def neighbours(self, document_id: int, seq: int) -> tuple[int | None, int | None]:
        """Ids of the versions just before and after `seq`."""
        return (self.version_by_seq(document_id, seq - 1) if seq > 1 else None,
                self.version_by_seq(document_id, seq + 1))

    def captures(self, version_id: int, limit: int = 50) -> list[Capture]:
        """The fetches that saw this version's text: from the one that created it until the
        next version (newest first, at most `limit`)."""
        v = t.versions
        _known_id(version_id, "version")
        with self._conn() as conn:
            cur = conn.execute(select(v.c.document_id, v.c.seq, v.c.capture_id, v.c.first_seen)
                               .where(v.c.id == version_id)).first()
            if cur is None:
                raise NotFound(f"no version {version_id}")
            nxt = conn.execute(select(v.c.first_seen).where(
                v.c.document_id == cur.document_id, v.c.seq == cur.seq + 1)).first()
            cp = t.captures
            q = select(cp).where(cp.c.document_id == cur.document_id,
                                 cp.c.fetched_at >= cur.first_seen,
                                 cp.c.outcome.in_(("new", "unchanged", "not_modified")))
            if cur.capture_id is not None:
                q = q.where(cp.c.id >= cur.capture_id)
            if nxt is not None:
                q = q.where(cp.c.fetched_at < nxt.first_seen)
            rows = conn.execute(q.order_by(cp.c.id.desc()).limit(limit))
            return [Capture(r.id, r.fetched_at, r.status, r.etag, r.last_modified, r.body_hash,
                            r.outcome, r.url) for r in rows]

    def first_capture(self, version_id: int) -> Capture | None:
        """The fetch that recorded the version (its validators and raw body)."""
        _known_id(version_id, "version")
        v, cp = t.versions, t.captures
        with self._conn() as conn:
            r = conn.execute(select(cp).join(v, v.c.capture_id == cp.c.id)
                             .where(v.c.id == version_id)).first()
        return (Capture(r.id, r.fetched_at, r.status, r.etag, r.last_modified, r.body_hash,
                        r.outcome, r.url) if r else None)

    def body_info(self, body_hash: str | None) -> BodyInfo | None:
        if not body_hash:
            return None
        b = t.bodies
        with self._conn() as conn:
            r = conn.execute(select(b.c.hash, b.c.content_type, b.c.size)
                             .where(b.c.hash == body_hash)).first()
        return BodyInfo(r.hash, r.content_type, r.size) if r else None

    def body(self, body_hash: str) -> tuple[bytes, str | None] | None:
        b = t.bodies
        with self._conn() as conn:
            r = conn.execute(select(b.c.data, b.c.content_type).where(b.c.hash == body_hash)).first()
        return (zlib.decompress(r.data), r.content_type) if r else None

    # -- quotes ---------------------------------------------------------------------------------

    def _quote_rows(self, where: Any, limit: int) -> list[QuoteRow]:
        qc = t.quote_checks
        art_v, st_v = t.versions.alias("art_v"), t.versions.alias("st_v")
        art, st = t.documents.alias("art"), t.documents.alias("st")
        q = (select(qc, art_v.c.seq.label("a_seq"), st_v.c.seq.label("s_seq"),
                    *_doc_cols(art, "a_"), *_doc_cols(st, "s_"))
             .join(art_v, art_v.c.id == qc.c.article_version_id)
             .join(art, art.c.id == art_v.c.document_id)
             .outerjoin(st_v, st_v.c.id == qc.c.statement_version_id)
             .outerjoin(st, st.c.id == st_v.c.document_id)
             .where(where).order_by(qc.c.article_version_id.desc(), qc.c.start, qc.c.id)
             .limit(limit))
        with self._conn() as conn:
            return [QuoteRow(r.id, _doc_ref(r, "a_"), r.article_version_id, r.a_seq,
                             _doc_ref(r, "s_") if r.s_id is not None else None,
                             r.statement_version_id, r.s_seq, r.quote, r.start, r.end,
                             r.verdict, r.severity, dict(r.details or {}))
                    for r in conn.execute(q)]

    def quotes_of_statement(self, document_id: int, limit: int = 500) -> list[QuoteRow]:
        """The latest verdict on each quote matched to any version of the statement."""
        ids = select(t.versions.c.id).where(t.versions.c.document_id == document_id)
        return latest_verdicts(self._quote_rows(
            t.quote_checks.c.statement_version_id.in_(ids.scalar_subquery()), limit))

    def quotes_of_article(self, article_version_id: int, limit: int = 2000) -> list[QuoteRow]:
        """The latest verdict on each quote of an article version, in text order."""
        return latest_verdicts(self._quote_rows(
            t.quote_checks.c.article_version_id == article_version_id, limit))

    def _claim_rows(self, where: Any, limit: int) -> list[ClaimRow]:
        cc = t.claim_checks
        art_v, st_v = t.versions.alias("art_v"), t.versions.alias("st_v")
        art, st = t.documents.alias("art"), t.documents.alias("st")
        q = (select(cc, art_v.c.seq.label("a_seq"), st_v.c.seq.label("s_seq"),
                    *_doc_cols(art, "a_"), *_doc_cols(st, "s_"))
             .join(art_v, art_v.c.id == cc.c.article_version_id)
             .join(art, art.c.id == art_v.c.document_id)
             .outerjoin(st_v, st_v.c.id == cc.c.statement_version_id)
             .outerjoin(st, st.c.id == st_v.c.document_id)
             .where(where).order_by(cc.c.article_version_id.desc(), cc.c.start, cc.c.id)
             .limit(limit))
        with self._conn() as conn:
            rows = [ClaimRow(r.id, _doc_ref(r, "a_"), r.article_version_id, r.a_seq,
                             _doc_ref(r, "s_") if r.s_id is not None else None,
                             r.statement_version_id, r.s_seq, r.text, r.start, r.end,
                             r.verdict, r.kind, r.severity, dict(r.details or {}))
                    for r in conn.execute(q)]
        return latest_verdicts(rows)

    def claims_of_article(self, article_version_id: int, limit: int = 2000) -> list[ClaimRow]:
        """The latest verdict on each reported claim of an article version, in text order."""
        return self._claim_rows(t.claim_checks.c.article_version_id == article_version_id,
                                limit)

    def claims_of_statement(self, document_id: int, limit: int = 500) -> list[ClaimRow]:
        """The latest verdict on each claim judged against any version of the statement."""
        ids = select(t.versions.c.id).where(t.versions.c.document_id == document_id)
        return self._claim_rows(
            t.claim_checks.c.statement_version_id.in_(ids.scalar_subquery()), limit)

    def coverage_map(self, doc: DocRef) -> list[CoverageLine]:
        """Which paragraphs of the statement the stored coverage reported, and how: the
        store's reader (Store.coverage: each article's latest version), merged as
        `onrecord coverage` merges it (coverage_lines)."""
        latest = self.store.latest_version(doc.url)
        return coverage_lines(doc.url, latest.paragraphs if latest else (),
                              self.store.coverage(statement_url=doc.url))

    def latest_version_id(self, document_id: int) -> int | None:
        with self._conn() as conn:
            row = conn.execute(select(t.versions.c.id).where(t.versions.c.document_id == document_id)
                               .order_by(t.versions.c.seq.desc()).limit(1)).first()
        return row.id if row else None

    # -- search ---------------------------------------------------------------------------------

    def search(self, query: str, cursor: str | None = None, limit: int = PAGE) -> Page:
        """Versions whose title, URL or text hold every word of `query` (each
        whitespace-separated part as a phrase), newest version first."""
        limit = max(1, min(limit, MAX_PAGE))
        phrases = searchindex.terms(query)
        if not phrases:
            return Page([], None)
        before = decode_cursor(cursor)[2] if cursor else None
        with self._conn() as conn:
            if self.store.is_sqlite:
                ids = _search_fts5(conn, phrases, before, limit + 1)
            else:
                ids = _search_pg(conn, phrases, before, limit + 1, self.search_walk)
            more = len(ids) > limit
            ids = ids[:limit]
            rows = conn.execute(select(t.versions.c.id.label("vid"), t.versions.c.seq,
                                       t.versions.c.title.label("v_title"), t.versions.c.first_seen,
                                       *_doc_cols(t.documents, "d_"))
                                .join(t.documents, t.documents.c.id == t.versions.c.document_id)
                                .where(t.versions.c.id.in_(ids))).all() if ids else []
        by_id = {r.vid: r for r in rows}
        hits = [SearchHit(_doc_ref(r, "d_"), r.vid, r.seq, r.v_title, r.first_seen)
                for r in (by_id[i] for i in ids if i in by_id)]
        nxt = (encode_cursor(hits[-1].first_seen, "search", hits[-1].version_id)
               if more and hits else None)
        return Page(hits, nxt)


Row = TypeVar("Row", QuoteRow, ClaimRow)


def _search_fts5(conn: Connection, phrases: list[list[str]], before: int | None,
                 n: int) -> list[int]:
    # FTS5 walks its doclists in rowid order itself: newest first costs no sort.
    sql = (f"SELECT rowid AS vid FROM {searchindex.TABLE} WHERE {searchindex.TABLE} MATCH :q"
           + (" AND rowid < :before" if before is not None else "") + " ORDER BY rowid DESC LIMIT :n")
    return [r.vid for r in conn.execute(text(sql), {"q": searchindex.fts5_query(phrases),
                                                    "before": before, "n": n})]


# Versions the PostgreSQL search reads newest first before asking the GIN index instead.
SEARCH_WALK = 2000


def _search_pg(conn: Connection, phrases: list[list[str]], before: int | None,
               n: int, walk: int) -> list[int]:
    """Newest matching versions first, in two bounded steps.

    One plan fits neither case: walking the primary key newest first and testing each
    tsvector is instant for a common word and reads the whole table for a rare one (136 ms at
    125,000 versions), while the GIN index is instant for a rare word and sorts every match
    of a common one (134 ms). So: test the newest SEARCH_WALK versions; if they hold fewer
    than `n` matches, the rest come from the GIN index below them, and are then few.
    (`walk`: SEARCH_WALK.)"""
    q = searchindex.tsquery(phrases)
    below = " WHERE version_id < :before" if before is not None else ""
    params = {"q": q, "before": before, "n": n, "walk": walk}
    ids = [r.vid for r in conn.execute(text(
        f"SELECT version_id AS vid FROM (SELECT version_id, tsv FROM {searchindex.TABLE}{below} "
        "ORDER BY version_id DESC LIMIT :walk) w WHERE tsv @@ to_tsquery('simple', :q) "
        "ORDER BY version_id DESC LIMIT :n"), params)]
    if len(ids) >= n:
        return ids
    edge = conn.execute(text(
        f"SELECT version_id FROM {searchindex.TABLE}{below} ORDER BY version_id DESC "
        "OFFSET :skip LIMIT 1"), {**params, "skip": walk - 1}).first()
    if edge is None:
        return ids  # the walk saw every version
    # "+ 0": order without the primary key, so the planner takes the GIN index.
    ids += [r.vid for r in conn.execute(text(
        f"SELECT version_id AS vid FROM {searchindex.TABLE} WHERE version_id < :edge AND "
        "tsv @@ to_tsquery('simple', :q) ORDER BY version_id + 0 DESC LIMIT :m"),
        {"q": q, "edge": edge.version_id, "m": n - len(ids)})]
    return ids


def latest_verdicts(rows: list[Row]) -> list[Row]:
    """One row per quote or claim (article version and place): its latest verdict, the
    earlier ones (it is judged again when its statement changes) kept in `earlier`."""
    groups: dict[tuple[int, int, int], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.article_version_id, row.start, row.end), []).append(row)
    out = []
    for group in groups.values():
        group.sort(key=lambda r: r.id)
        last = group[-1]
        out.append(replace(last, earlier=tuple((r.verdict, r.statement_seq) for r in group[:-1])))
    return sorted(out, key=lambda r: (-r.article_version_id, r.start, r.id))


def statement_paragraph(paragraphs: Sequence[str], matched: str
                        ) -> tuple[int, str, int, int] | None:
    """The statement paragraph holding the passage a quote matched, and where it is in it:
    (paragraph number from 1, paragraph, start, end); None when the passage is not found
    word for word."""
    if not matched:
        return None
    needle = " ".join(matched.split())
    for n, para in enumerate(paragraphs, 1):
        flat = " ".join(para.split())
        at = flat.find(needle)
        if at >= 0:
            return n, flat, at, at + len(needle)
    return None

