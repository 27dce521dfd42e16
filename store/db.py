"""The versioned store: documents, captures, versions, changes, quote and claim checks,
alert outbox."""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, Row
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from store import quoteindex, searchindex
from store import schema as t
from store.errors import Conflict, StoreError
from store.records import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    ChangeRecord,
    ClaimCheckRecord,
    CoverageRecord,
    DocumentRecord,
    LastFetch,
    NewAlert,
    Observation,
    OutboxAlert,
    QuoteCheckRecord,
    SaveResult,
    Version,
)

if TYPE_CHECKING:
    from compare.embed import SentenceVectors


def default_database_url() -> str:
    """ONRECORD_DATABASE_URL, else a SQLite file under the user's data directory."""
    url = os.environ.get("ONRECORD_DATABASE_URL")
    if url:
        return url
    path = Path(user_data_dir("onrecord")) / "onrecord.sqlite"
    return f"sqlite:///{path}"


def now() -> datetime:
    return datetime.now(UTC)


def _normalize_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


# Statements of the per-URL check path, built once. Every URL of every pass runs them; built
# per call, SQLAlchemy's expression building, cache keys and cached-compile lookups took
# about 40% of an unchanged check's store time (cProfile, bench/RESULTS.md). A prebuilt
# statement memoizes its cache key, so each call only binds the URL.
_DOC_BY_URL = select(t.documents).where(t.documents.c.url == bindparam("url"))
_DOC_BY_ALIAS = select(t.documents).join(
    t.aliases, t.aliases.c.document_id == t.documents.c.id).where(t.aliases.c.url == bindparam("url"))
_LAST_FETCH = (
    select(t.captures.c.etag, t.captures.c.last_modified, t.captures.c.body_hash)
    .where(t.captures.c.url == bindparam("url"), t.captures.c.error.is_(None),
           t.captures.c.outcome != "not_modified")
    .order_by(t.captures.c.id.desc()).limit(1))
_INSERT_CAPTURE = insert(t.captures)
# One statement for "move the latest version's last_seen": the latest seq is a subquery.
_TOUCH_LATEST = (
    update(t.versions)
    .where(t.versions.c.document_id == bindparam("doc_id"),
           t.versions.c.seq == select(func.max(t.versions.c.seq))
           .where(t.versions.c.document_id == bindparam("doc_id")).scalar_subquery(),
           t.versions.c.last_seen < bindparam("stamp"))
    .values(last_seen=bindparam("stamp")))


class Store:
    """One database: every method is a short transaction, safe from several threads."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = _normalize_url(url or default_database_url())
        scheme = self.url.split(":", 1)[0].split("+", 1)[0].lower()
        if "://" not in self.url or scheme not in ("sqlite", "postgresql"):
            # SQLAlchemy would name a dialect plugin it failed to load, with a traceback.
            shown = self.url.split("://", 1)[0] if "://" in self.url else "no scheme"
            raise StoreError(f"unsupported database URL ({shown}): use sqlite:///PATH or "
                             "postgresql://USER@HOST/DB")
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            path = self.url.split("///", 1)[1] if "///" in self.url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, connect_args={"timeout": 30, "check_same_thread": False}
            )
            _sqlite_pragmas(self.engine)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        # Writers take SQLite's write lock up front (BEGIN IMMEDIATE); readers never do.
        self._writer = self.engine.execution_options(immediate=True)
        if migrate:
            self.migrate()

    @property
    def safe_url(self) -> str:
        """The URL without a password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def location(self) -> str:
        if self.is_sqlite:
            return self.url.split("///", 1)[1]
        return self.safe_url

    def migrate(self) -> str:
        """Create or upgrade the schema (idempotent, safe from several processes at once)."""
        from store.migrate import upgrade

        try:
            return upgrade(self.engine)
        except DBAPIError as exc:
            # A missing server, a locked or corrupt file ("file is not a database"): the
            # driver's message in one line, not a traceback through Alembic.
            detail = " ".join(str(exc.orig).split())[:300]
            raise StoreError(f"cannot open store {self.safe_url}: {detail}") from None

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        from store.migrate import current_revision

        with self.engine.connect() as conn:
            return current_revision(conn)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self._writer.begin() as conn:
            yield conn

    # -- documents -------------------------------------------------------------------

    def _doc_row(self, conn: Connection, url: str) -> Row | None:
        row = conn.execute(_DOC_BY_URL, {"url": url}).first()
        if row is None:
            row = conn.execute(_DOC_BY_ALIAS, {"url": url}).first()
        return row

    def document(self, url: str) -> DocumentRecord | None:
        """The document known at `url` (its own URL or an alias)."""
        with self.engine.connect() as conn:
            row = self._doc_row(conn, url)
        return _doc(row) if row else None

    def document_by_guid(self, guid: str) -> DocumentRecord | None:
        """The document stored with the feed guid `guid` (the newest, should there be two)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.documents).where(t.documents.c.guid == guid)
                               .order_by(t.documents.c.id.desc()).limit(1)).first()
        return _doc(row) if row else None

    def document_by_id(self, document_id: int) -> DocumentRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.documents).where(t.documents.c.id == document_id)).first()
        return _doc(row) if row else None

    def documents(self, kind: str | None = None) -> list[DocumentRecord]:
        q = select(t.documents).order_by(t.documents.c.id)
        if kind:
            q = q.where(t.documents.c.kind == kind)
        with self.engine.connect() as conn:
            return [_doc(r) for r in conn.execute(q)]

    def _ensure_document(self, conn: Connection, obs: Observation) -> Row:
        row = self._doc_row(conn, obs.url)
        if row is None:
            # Another run may create it at the same moment: the unique URL settles it.
            conn.execute(_insert_ignore(conn, t.documents, "url").values(
                url=obs.url, kind=obs.kind, title=obs.title, issuer=obs.issuer,
                state="active", created_at=now(), guid=obs.guid))
            row = self._doc_row(conn, obs.url)
        assert row is not None
        if obs.guid and row.guid is None:
            # A document stored before its feed's guid was known (or before 0005) gets it.
            conn.execute(update(t.documents).where(t.documents.c.id == row.id)
                         .values(guid=obs.guid))
        for alias in {obs.canonical_url, obs.final_url} - {None, obs.url}:
            taken = conn.execute(select(t.documents.c.id).where(t.documents.c.url == alias)).first()
            if not taken:
                conn.execute(_insert_ignore(conn, t.aliases, "url")
                             .values(url=alias, document_id=row.id))
        return row

    # -- captures --------------------------------------------------------------------

    def last_fetch(self, url: str) -> LastFetch | None:
        """Validators and body hash of the last successful fetch of `url`."""
        with self.engine.connect() as conn:
            row = conn.execute(_LAST_FETCH, {"url": url}).first()
        return LastFetch(row.etag, row.last_modified, row.body_hash) if row else None

    def record_check(self, url: str, *, outcome: str, status: int | None = None,
                     error: str | None = None, etag: str | None = None,
                     last_modified: str | None = None, body_hash: str | None = None,
                     at: datetime | None = None) -> None:
        """A fetch that creates no version: not modified, unchanged body, or an error.

        Only a small capture row is written (errors never create versions); an unchanged
        fetch also moves the latest version's `last_seen`.
        """
        stamp = at or now()
        with self._tx() as conn:
            doc = self._doc_row(conn, url)
            conn.execute(_INSERT_CAPTURE, {
                "document_id": doc.id if doc else None, "url": url, "fetched_at": stamp,
                "status": status, "etag": etag, "last_modified": last_modified,
                "body_hash": body_hash, "error": error, "outcome": outcome})
            if doc is not None and outcome in ("unchanged", "not_modified"):
                if doc.state == "removed":
                    # The page answers again with the text it had: it is back, as it is when
                    # the text is recorded through record_observation.
                    conn.execute(update(t.documents).where(t.documents.c.id == doc.id)
                                 .values(state="active", removed_at=None))
                conn.execute(_TOUCH_LATEST, {"doc_id": doc.id, "stamp": stamp})

    def record_listing(self, url: str, *, status: int, etag: str | None,
                       last_modified: str | None, body: bytes | None, body_hash: str | None,
                       content_type: str | None = None, at: datetime | None = None) -> None:
        """A fetch of a feed, listing page or sitemap: its validators for the next conditional
        request, and (on 200) its body, so a 304 next time can be read from the store."""
        stamp = at or now()
        with self._tx() as conn:
            if body is not None and body_hash and not conn.execute(
                    select(t.bodies.c.hash).where(t.bodies.c.hash == body_hash)).first():
                conn.execute(_insert_ignore(conn, t.bodies, "hash"), {
                    "hash": body_hash, "content_type": content_type, "size": len(body),
                    "data": zlib.compress(body, 6)})
            conn.execute(_INSERT_CAPTURE, {
                "document_id": None, "url": url, "fetched_at": stamp, "status": status,
                "etag": etag, "last_modified": last_modified,
                "body_hash": body_hash if status != 304 else None, "error": None,
                "outcome": "not_modified" if status == 304 else "listed"})

    # -- robots.txt (sources.politeness.RobotsStore) -----------------------------------

    def load_robots(self, base: str) -> tuple[int, str, float] | None:
        """(status, text, expiry as a POSIX time) of the robots.txt kept for `base`."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.robots_files).where(t.robots_files.c.base == base)).first()
        return (row.status, row.text, row.expires_at.timestamp()) if row else None

    def save_robots(self, base: str, status: int, text: str, expires: float) -> None:
        values = {"status": status, "text": text,
                  "expires_at": datetime.fromtimestamp(expires, UTC)}
        with self._tx() as conn:
            done = conn.execute(update(t.robots_files).where(t.robots_files.c.base == base)
                                .values(**values)).rowcount
            if not done:
                conn.execute(_insert_ignore(conn, t.robots_files, "base").values(base=base, **values))

    def mark_removed(self, url: str, status: int, alerts: Sequence[NewAlert] = (),
                     at: datetime | None = None) -> bool:
        """A seen document answered 404/410: removed state; True if it was active before.

        `alerts` are queued in the same transaction as the state change, and only when the
        state really changes: a crash in between can neither lose nor repeat them.
        """
        stamp = at or now()
        with self._tx() as conn:
            doc = self._doc_row(conn, url)
            if doc is None:
                return False
            conn.execute(insert(t.captures).values(
                document_id=doc.id, url=url, fetched_at=stamp, status=status,
                error=f"HTTP {status}", outcome="removed"))
            if doc.state == "removed":
                return False
            conn.execute(update(t.documents).where(t.documents.c.id == doc.id)
                         .values(state="removed", removed_at=stamp))
            self._enqueue(conn, alerts, doc.id)
            return True

    # -- versions --------------------------------------------------------------------

    def prior_of(self, document_id: int | None) -> tuple[Version | None, dict[str, int]]:
        """`prior` of a document given by id (None: a document yet to be created)."""
        if document_id is None:
            return None, {}
        with self.engine.connect() as conn:
            latest = self._latest(conn, document_id)
            rows = conn.execute(select(t.versions.c.text_hash, t.versions.c.seq)
                                .where(t.versions.c.document_id == document_id)
                                .order_by(t.versions.c.seq))
            return latest, {r.text_hash: r.seq for r in rows}

    def prior(self, url: str) -> tuple[Version | None, dict[str, int]]:
        """The latest version of the document at `url`, and every version's text hash -> seq.

        Read from one snapshot; what a decision about a new observation is made against.
        When a text occurs in several versions, the newest seq is given.
        """
        with self.engine.connect() as conn:
            doc = self._doc_row(conn, url)
            if doc is None:
                return None, {}
            latest = self._latest(conn, doc.id)
            rows = conn.execute(select(t.versions.c.text_hash, t.versions.c.seq)
                                .where(t.versions.c.document_id == doc.id)
                                .order_by(t.versions.c.seq))
            return latest, {r.text_hash: r.seq for r in rows}

    def record_observation(
        self, obs: Observation, *, expected_latest: int | None = None,
        change: ChangeRecord | None = None, alerts: Sequence[NewAlert] = (),
        revert_of: int | None = None, at: datetime | None = None,
        move: int | None = None, replace: int | None = None,
    ) -> SaveResult:
        """Record an observation as decided; the new version, change and alerts commit together.

        Optimistic concurrency: the caller decided what `obs` means against the version with
        seq `expected_latest` (None, the default: no version yet). If another writer has moved the
        document on since, nothing is written and `Conflict` is raised: re-read, decide
        again, retry. Otherwise the text of the latest version again is only a capture (and a
        later `last_seen`); a new text becomes version `expected_latest + 1` with `change`,
        `revert_of` and `alerts` as given. Nothing is computed here. `at` is when the page
        was fetched (default: now); it never goes back before the latest version's last
        sighting, so versions stay in time order for `text_at`.

        Identity, as decided by compare.identity: `replace` is a document that held
        `obs.url` and gives it up (its history stays under its id, state "replaced");
        `move` is a document that moves to `obs.url`, its old URL kept as an alias.
        `alerts` are queued whether or not the text is new (a move with the same text has one).
        """
        obs = quoteindex.prepare(obs)  # blocks and hashes outside the write lock
        for attempt in range(5):
            try:
                return self._record(obs, expected_latest, change, tuple(alerts), revert_of, at,
                                    move, replace)
            except IntegrityError:
                # A concurrent writer got there first (same new document, same seq): run
                # again, now seeing its commit, which the expected-latest check turns into a
                # Conflict. The unique constraints are the backstop behind the check.
                if attempt == 4:
                    raise
            except OperationalError as exc:
                # PostgreSQL chose this transaction as a deadlock victim (two runs queueing
                # the same alert keys in opposite order): it was rolled back whole; run again.
                if attempt == 4 or getattr(exc.orig, "sqlstate", None) not in _RETRYABLE:
                    raise
        raise AssertionError("unreachable")

    def _record(self, obs: Observation, expected_latest: int | None,
                given_change: ChangeRecord | None, alerts: tuple[NewAlert, ...],
                revert_of: int | None, at: datetime | None, move: int | None = None,
                replace: int | None = None) -> SaveResult:
        # One short transaction: reads and writes only; the decision was made before it.
        with self._tx() as conn:
            if not self.is_sqlite:
                # Serialise writers of one document; SQLite's BEGIN IMMEDIATE already does.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (obs.url,))
            if replace is not None:
                _release_url(conn, replace, obs.url)
            if move is not None:
                _move_document(conn, move, obs.url)
            doc = self._ensure_document(conn, obs)
            latest = self._latest(conn, doc.id)
            actual = latest.seq if latest else None
            if actual != expected_latest:
                raise Conflict(obs.url, expected_latest, actual)  # rolls the transaction back
            if doc.state == "removed":
                conn.execute(update(t.documents).where(t.documents.c.id == doc.id)
                             .values(state="active", removed_at=None))
            stamp = at or now()
            if latest is not None and stamp < latest.last_seen:
                stamp = latest.last_seen
            if obs.body is not None and obs.body_hash:
                # Content-addressed: one compressed copy per distinct body, whoever saw it.
                if not conn.execute(select(t.bodies.c.hash).where(t.bodies.c.hash == obs.body_hash)).first():
                    conn.execute(_insert_ignore(conn, t.bodies, "hash"), {
                        "hash": obs.body_hash, "content_type": obs.content_type,
                        "size": len(obs.body), "data": zlib.compress(obs.body, 6)})
            outcome = "unchanged" if latest and latest.text_hash == obs.text_hash else "new"
            # Statements take their values as parameters (not .values()): compiled once,
            # cached, which is most of the cost of a write.
            capture_id = conn.execute(insert(t.captures), {
                "document_id": doc.id, "url": obs.url, "fetched_at": stamp, "status": obs.status,
                "etag": obs.etag, "last_modified": obs.last_modified, "body_hash": obs.body_hash,
                "outcome": outcome}).inserted_primary_key[0]
            document = _doc(doc)
            if latest is not None and outcome == "unchanged":
                conn.execute(update(t.versions).where(t.versions.c.id == latest.id)
                             .values(last_seen=stamp))
                # Only an identity alert comes with the same text (a move): queued with it.
                self._enqueue(conn, alerts, doc.id)
                return SaveResult(document, latest, latest, created=False)
            seq = (latest.seq + 1) if latest else 1
            values = {
                "document_id": doc.id, "seq": seq, "text_hash": obs.text_hash,
                "canonical_text": obs.canonical_text, "paragraphs": list(obs.paragraphs),
                "title": obs.title, "normalizer_version": obs.normalizer_version,
                "published": obs.published, "first_seen": stamp, "last_seen": stamp,
                "capture_id": capture_id, "revert_of": revert_of}
            vid = conn.execute(insert(t.versions), values).inserted_primary_key[0]
            quoteindex.write(conn, vid, obs.quote_index)
            quoteindex.write_vectors(conn, obs.sentence_vectors)
            searchindex.write(conn, vid, obs.title or doc.title, obs.url, obs.canonical_text)
            title, issuer = obs.title or doc.title, obs.issuer or doc.issuer
            if (title, issuer) != (doc.title, doc.issuer):
                conn.execute(update(t.documents).where(t.documents.c.id == doc.id)
                             .values(title=title, issuer=issuer))
            version = Version(
                id=vid, document_id=doc.id, seq=seq, text_hash=obs.text_hash,
                canonical_text=obs.canonical_text, paragraphs=tuple(obs.paragraphs),
                title=obs.title, normalizer_version=obs.normalizer_version, first_seen=stamp,
                last_seen=stamp, published=obs.published, revert_of=revert_of)
            change = None
            if given_change is not None and latest is not None:
                ch = given_change
                cid = conn.execute(insert(t.changes), {
                    "document_id": doc.id, "old_version_id": latest.id, "new_version_id": vid,
                    "significance": ch.significance, "summary": ch.summary, "diff": ch.diff,
                    "revert": ch.revert, "created_at": stamp,
                }).inserted_primary_key[0]
                change = ChangeRecord(ch.significance, ch.summary, ch.diff, ch.revert, cid,
                                      doc.id, latest.id, vid, stamp)
            self._enqueue(conn, alerts, doc.id)
            return SaveResult(document, version, latest, created=True, change=change)

    def _latest(self, conn: Connection, document_id: int) -> Version | None:
        row = conn.execute(select(t.versions).where(t.versions.c.document_id == document_id)
                           .order_by(t.versions.c.seq.desc()).limit(1)).first()
        return _version(row) if row else None

    def _versions(self, conn: Connection, document_id: int) -> list[Version]:
        rows = conn.execute(select(t.versions).where(t.versions.c.document_id == document_id)
                            .order_by(t.versions.c.seq))
        return [_version(r) for r in rows]

    def _version_by_id(self, conn: Connection, vid: int) -> Version:
        return _version(conn.execute(select(t.versions).where(t.versions.c.id == vid)).one())

    def latest_version(self, url: str) -> Version | None:
        with self.engine.connect() as conn:
            doc = self._doc_row(conn, url)
            return self._latest(conn, doc.id) if doc else None

    def versions(self, url: str) -> list[Version]:
        """Every version of the document at `url`, oldest first."""
        with self.engine.connect() as conn:
            doc = self._doc_row(conn, url)
            return self._versions(conn, doc.id) if doc else []

    def version(self, version_id: int) -> Version:
        with self.engine.connect() as conn:
            return self._version_by_id(conn, version_id)

    def text_at(self, url: str, when: datetime) -> Version | None:
        """The version of the document at `url` as it stood at time `when`."""
        with self.engine.connect() as conn:
            doc = self._doc_row(conn, url)
            if doc is None:
                return None
            row = conn.execute(select(t.versions)
                               .where(t.versions.c.document_id == doc.id,
                                      t.versions.c.first_seen <= when)
                               .order_by(t.versions.c.seq.desc()).limit(1)).first()
        return _version(row) if row else None

    def changes(self, url: str) -> list[ChangeRecord]:
        with self.engine.connect() as conn:
            doc = self._doc_row(conn, url)
            if doc is None:
                return []
            rows = conn.execute(select(t.changes).where(t.changes.c.document_id == doc.id)
                                .order_by(t.changes.c.id))
            return [ChangeRecord(r.significance, r.summary, r.diff, r.revert, r.id, r.document_id,
                                 r.old_version_id, r.new_version_id, r.created_at) for r in rows]

    def statement_versions(self) -> list[tuple[DocumentRecord, Version]]:
        """Every version of every statement (for quote matching)."""
        docs = {d.id: d for d in self.documents("statement")}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.versions, t.documents.c.url.label("doc_url"))
                .join(t.documents, t.documents.c.id == t.versions.c.document_id)
                .where(t.documents.c.kind == "statement")
                .order_by(t.versions.c.document_id, t.versions.c.seq))
            return [(docs[r.document_id], _version(r)) for r in rows]

    def body(self, body_hash: str) -> bytes | None:
        """The raw body stored under `body_hash`."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.bodies.c.data).where(t.bodies.c.hash == body_hash)).first()
        return zlib.decompress(row.data) if row else None

    # -- quote checks ----------------------------------------------------------------

    def save_quote_checks(self, article_version_id: int, checks: list[QuoteCheckRecord],
                          alerts: tuple[NewAlert, ...] = (), document_id: int | None = None) -> None:
        """Store the verdicts on one article version and their alerts in one transaction.

        A verdict already stored (same versions, quote, place and finding) is not stored
        again, so two runs checking the same article at once leave one row per verdict.
        """
        with self._tx() as conn:
            stamp = now()
            if checks:  # one statement for all rows, as for claim checks
                conn.execute(_insert_ignore(conn, t.quote_checks, "check_key"), [
                    {"article_version_id": article_version_id,
                     "statement_version_id": c.statement_version_id, "quote": c.quote,
                     "start": c.start, "end": c.end, "verdict": c.verdict,
                     "severity": c.severity, "details": c.details, "checked_at": stamp,
                     "check_key": _check_key(article_version_id, c)} for c in checks])
            self._enqueue(conn, alerts, document_id)

    def quote_checks(self, article_version_id: int) -> list[QuoteCheckRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.quote_checks)
                                .where(t.quote_checks.c.article_version_id == article_version_id)
                                .order_by(t.quote_checks.c.id))
            return [QuoteCheckRecord(r.article_version_id, r.statement_version_id, r.quote,
                                     r.start, r.end, r.verdict, r.severity, r.details, r.id)
                    for r in rows]

    def articles_quoting(self, statement_document_id: int) -> list[str]:
        """URLs of coverage whose quotes were matched to any version of this statement."""
        with self.engine.connect() as conn:
            art = t.versions.alias("art")
            st = t.versions.alias("st")
            rows = conn.execute(
                select(t.documents.c.url).distinct()
                .select_from(t.quote_checks
                             .join(art, art.c.id == t.quote_checks.c.article_version_id)
                             .join(st, st.c.id == t.quote_checks.c.statement_version_id)
                             .join(t.documents, t.documents.c.id == art.c.document_id))
                .where(st.c.document_id == statement_document_id))
            return [r.url for r in rows]

    # -- statement sentence vectors (issue 14) ---------------------------------------

    def stored_vector_keys(self, model_id: str, keys: Sequence[str]) -> set[str]:
        """Those of `keys` (compare.embed.text_key) with a stored vector for the model: the
        pipeline embeds only the others before writing a version."""
        with self.engine.connect() as conn:
            return quoteindex.stored_vector_keys(conn, model_id, keys)

    def statement_ids(self, after: int = 0, limit: int = 100) -> list[tuple[int, str]]:
        """(document id, url) of up to `limit` statements with ids above `after`, in id
        order: a pass over every statement in batches that can resume where it stopped."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.documents.c.id, t.documents.c.url)
                                .where(t.documents.c.kind == quoteindex.STATEMENT, t.documents.c.id > after)
                                .order_by(t.documents.c.id).limit(limit))
            return [(int(i), str(u)) for i, u in rows]

    def statement_count(self, after: int = 0) -> int:
        """Statements with ids above `after` (what a pass from there has to go over)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.documents)
                                    .where(t.documents.c.kind == quoteindex.STATEMENT,
                                           t.documents.c.id > after)).scalar_one())

    def save_sentence_vectors(self, vectors: SentenceVectors | None) -> None:
        """Store sentence vectors computed outside a version write (an article check that
        found a statement's vectors missing: a version stored before they were)."""
        if vectors is None or not vectors.rows:
            return
        with self._tx() as conn:
            quoteindex.write_vectors(conn, vectors)

    # -- claim checks (issue 14) -----------------------------------------------------

    def save_claim_checks(self, article_version_id: int, checks: Sequence[ClaimCheckRecord],
                          coverage: Sequence[CoverageRecord] = (),
                          alerts: tuple[NewAlert, ...] = (),
                          document_id: int | None = None) -> None:
        """Store the verdicts on one article version's reported claims, its coverage map and
        their alerts in one transaction (nothing is judged here).

        A verdict already stored (same versions, claim, place and finding) is not stored
        again, as with quote checks. `coverage` is the article version's whole map: it
        replaces what the version had (a statement it no longer reports drops out).
        """
        stamp = now()
        with self._tx() as conn:
            urls = {c.statement_url for c in coverage}
            doc_ids = {}
            for url in sorted(urls):
                row = self._doc_row(conn, url)
                if row is None:
                    raise StoreError(f"coverage of {url}: no such statement in the store")
                doc_ids[url] = row.id
            # One statement for all rows (executemany): compiling an INSERT per row cost
            # more than judging the claims (2,000 compilations per 30 articles at 100k).
            if checks:
                conn.execute(_insert_ignore(conn, t.claim_checks, "check_key"), [
                    {"article_version_id": article_version_id,
                     "statement_version_id": c.statement_version_id, "text": c.text,
                     "start": c.start, "end": c.end, "verdict": c.verdict, "kind": c.kind,
                     "severity": c.severity, "details": c.details, "checked_at": stamp,
                     "check_key": _claim_key(article_version_id, c)} for c in checks])
            cov = t.claim_coverage
            insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(cov)
            upsert = insert.on_conflict_do_update(
                index_elements=["article_version_id", "statement_document_id", "paragraph"],
                set_={"text": insert.excluded.text, "how": insert.excluded.how,
                      "checked_at": insert.excluded.checked_at})
            conn.execute(cov.delete().where(
                cov.c.article_version_id == article_version_id,
                cov.c.statement_document_id.not_in(list(doc_ids.values()))))
            for url, doc_id in doc_ids.items():
                rows = [p for p in coverage if p.statement_url == url]
                conn.execute(cov.delete().where(
                    cov.c.article_version_id == article_version_id,
                    cov.c.statement_document_id == doc_id,
                    cov.c.paragraph.not_in([p.paragraph for p in rows])))
                if rows:
                    conn.execute(upsert, [
                        {"article_version_id": article_version_id,
                         "statement_document_id": doc_id, "paragraph": p.paragraph,
                         "text": p.text, "how": p.how, "checked_at": stamp} for p in rows])
            self._enqueue(conn, alerts, document_id)

    def claim_checks(self, article_version_id: int, *,
                     latest: bool = True) -> list[ClaimCheckRecord]:
        """The verdicts on an article version's claims, in article order: with `latest`, the
        newest judgement of each claim (its verdict now), else every judgement ever stored."""
        cc = t.claim_checks
        q = select(cc).where(cc.c.article_version_id == article_version_id)
        if latest:
            newest = (select(func.max(cc.c.id))
                      .where(cc.c.article_version_id == article_version_id)
                      .group_by(cc.c.start, cc.c.end))
            q = q.where(cc.c.id.in_(newest))
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(cc.c.start, cc.c.id))
            return [ClaimCheckRecord(r.article_version_id, r.statement_version_id, r.text,
                                     r.start, r.end, r.verdict, r.kind, r.severity, r.details,
                                     r.id) for r in rows]

    def coverage(self, *, article_version_id: int | None = None,
                 statement_url: str | None = None) -> list[CoverageRecord]:
        """Stored coverage rows: of one article version, of one statement across every stored
        article version (the latest version of each article), or both narrowed at once.
        Ordered by statement, paragraph, article."""
        cov, art = t.claim_coverage, t.versions.alias("art")
        st, ad = t.documents.alias("st"), t.documents.alias("ad")
        q = (select(cov, st.c.url.label("statement_url"), ad.c.url.label("article_url"),
                    ad.c.title.label("article_title"))
             .select_from(cov.join(st, st.c.id == cov.c.statement_document_id)
                          .join(art, art.c.id == cov.c.article_version_id)
                          .join(ad, ad.c.id == art.c.document_id)))
        with self.engine.connect() as conn:
            if article_version_id is not None:
                q = q.where(cov.c.article_version_id == article_version_id)
            else:
                # An article's older versions are history: the map is its latest version's.
                newest = (select(func.max(t.versions.c.seq))
                          .where(t.versions.c.document_id == art.c.document_id)
                          .scalar_subquery())
                q = q.where(art.c.seq == newest)
            if statement_url is not None:
                doc = self._doc_row(conn, statement_url)
                if doc is None:
                    return []
                q = q.where(cov.c.statement_document_id == doc.id)
            rows = conn.execute(q.order_by(st.c.url, cov.c.paragraph, ad.c.url))
            return [CoverageRecord(r.article_version_id, r.statement_url, r.paragraph, r.text,
                                   r.how, r.article_url, r.article_title) for r in rows]

    def articles_reporting(self, statement_document_id: int) -> list[str]:
        """URLs of coverage whose claims were judged against any version of this statement,
        or whose coverage map includes it."""
        cc, art, st = t.claim_checks, t.versions.alias("art"), t.versions.alias("st")
        cov, art2 = t.claim_coverage, t.versions.alias("art2")
        with self.engine.connect() as conn:
            judged = (select(t.documents.c.url)
                      .select_from(cc.join(art, art.c.id == cc.c.article_version_id)
                                   .join(st, st.c.id == cc.c.statement_version_id)
                                   .join(t.documents, t.documents.c.id == art.c.document_id))
                      .where(st.c.document_id == statement_document_id))
            mapped = (select(t.documents.c.url)
                      .select_from(cov.join(art2, art2.c.id == cov.c.article_version_id)
                                   .join(t.documents, t.documents.c.id == art2.c.document_id))
                      .where(cov.c.statement_document_id == statement_document_id))
            rows = conn.execute(judged.union(mapped))
            return sorted({r.url for r in rows})

    # -- outbox ----------------------------------------------------------------------

    def _enqueue(self, conn: Connection, alerts: tuple[NewAlert, ...] | list[NewAlert],
                 document_id: int | None) -> None:
        stamp = now()
        for a in alerts:
            # The same alert from a retried or concurrent run hits the unique dedupe key and
            # is skipped by the database itself (a read-then-insert would race).
            conn.execute(_insert_ignore(conn, t.outbox, "dedupe_key"), {
                "dedupe_key": a.dedupe_key, "kind": a.kind, "channel": a.channel,
                "significance": a.significance, "payload": a.payload,
                "document_id": document_id, "status": PENDING, "attempts": 0,
                "created_at": stamp, "next_attempt_at": stamp})

    def enqueue(self, alerts: list[NewAlert], document_id: int | None = None) -> None:
        with self._tx() as conn:
            self._enqueue(conn, alerts, document_id)

    def claim_alerts(self, channel: str | None = None, limit: int = 100,
                     lease: timedelta = timedelta(minutes=5)) -> list[OutboxAlert]:
        """Take due alerts for delivery; a claim expires after `lease` if its run dies."""
        stamp = now()
        with self._tx() as conn:
            q = (select(t.outbox.c.id)
                 .where(((t.outbox.c.status == PENDING) & (t.outbox.c.next_attempt_at <= stamp))
                        | ((t.outbox.c.status == SENDING) & (t.outbox.c.claimed_until < stamp)))
                 .order_by(t.outbox.c.id).limit(limit))
            if channel:
                q = q.where(t.outbox.c.channel == channel)
            if not self.is_sqlite:
                q = q.with_for_update(skip_locked=True)
            ids = [r.id for r in conn.execute(q)]
            if not ids:
                return []
            conn.execute(update(t.outbox).where(t.outbox.c.id.in_(ids))
                         .values(status=SENDING, claimed_until=stamp + lease,
                                 attempts=t.outbox.c.attempts + 1))
            rows = conn.execute(select(t.outbox).where(t.outbox.c.id.in_(ids)).order_by(t.outbox.c.id))
            return [_alert(r) for r in rows]

    def mark_sent(self, alert_id: int, remote_id: str | None = None) -> None:
        with self._tx() as conn:
            conn.execute(update(t.outbox).where(t.outbox.c.id == alert_id)
                         .values(status=SENT, sent_at=now(), remote_id=remote_id,
                                 last_error=None, claimed_until=None))

    def mark_retry(self, alert_id: int, error: str, retry_at: datetime) -> None:
        with self._tx() as conn:
            conn.execute(update(t.outbox).where(t.outbox.c.id == alert_id)
                         .values(status=PENDING, last_error=error, next_attempt_at=retry_at,
                                 claimed_until=None))

    def mark_failed(self, alert_id: int, error: str) -> None:
        with self._tx() as conn:
            conn.execute(update(t.outbox).where(t.outbox.c.id == alert_id)
                         .values(status=FAILED, last_error=error, claimed_until=None))

    def requeue_failed(self, channel: str | None = None) -> int:
        """Put failed alerts back to pending, due now (`onrecord deliver --retry-failed`,
        after the message or the settings that failed them were fixed). Returns how many."""
        with self._tx() as conn:
            q = update(t.outbox).where(t.outbox.c.status == FAILED)
            if channel:
                q = q.where(t.outbox.c.channel == channel)
            return conn.execute(q.values(status=PENDING, next_attempt_at=now(),
                                         claimed_until=None)).rowcount

    def alerts(self, status: str | None = None) -> list[OutboxAlert]:
        q = select(t.outbox).order_by(t.outbox.c.id)
        if status:
            q = q.where(t.outbox.c.status == status)
        with self.engine.connect() as conn:
            return [_alert(r) for r in conn.execute(q)]

    def thread_id(self, document_id: int, channel: str) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.threads.c.remote_id).where(
                t.threads.c.document_id == document_id, t.threads.c.channel == channel)).first()
        return row.remote_id if row else None

    def set_thread_id(self, document_id: int, channel: str, remote_id: str) -> None:
        with self._tx() as conn:
            # The first thread wins; a concurrent second one is ignored.
            conn.execute(_insert_ignore(conn, t.threads, "document_id", "channel")
                         .values(document_id=document_id, channel=channel, remote_id=remote_id))

    def counts(self) -> dict[str, int]:
        """Row counts per table, for summaries."""
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in t.metadata.tables.items()}

    # == alert delivery bookkeeping (added for alerts/deliver.py; self-contained) ==========
    # Uses t.outbox_sends and t.channel_blocks only; nothing above depends on these methods.

    def send_started(self, alert_id: int) -> datetime | None:
        """When a send of this alert began that may have reached the sink, if one did."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.outbox_sends.c.started_at)
                               .where(t.outbox_sends.c.outbox_id == alert_id)).first()
        return row.started_at if row else None

    def begin_send(self, alert_id: int, when: datetime) -> None:
        """Record, before sending, that the alert may be delivered from `when` on."""
        with self._tx() as conn:
            conn.execute(t.outbox_sends.delete().where(t.outbox_sends.c.outbox_id == alert_id))
            conn.execute(insert(t.outbox_sends).values(outbox_id=alert_id, started_at=when))

    def clear_send(self, alert_id: int) -> None:
        """The send's outcome is known (sent, or certainly not delivered)."""
        with self._tx() as conn:
            conn.execute(t.outbox_sends.delete().where(t.outbox_sends.c.outbox_id == alert_id))

    def channel_block(self, channel: str) -> tuple[str, str, datetime] | None:
        """(settings fingerprint, error, since) of a channel stopped by a permanent error."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.channel_blocks)
                               .where(t.channel_blocks.c.channel == channel)).first()
        return (row.fingerprint, row.error, row.since) if row else None

    def block_channel(self, channel: str, fingerprint: str, error: str) -> None:
        with self._tx() as conn:
            conn.execute(t.channel_blocks.delete().where(t.channel_blocks.c.channel == channel))
            conn.execute(insert(t.channel_blocks).values(
                channel=channel, fingerprint=fingerprint, error=error, since=now()))

    def unblock_channel(self, channel: str) -> None:
        with self._tx() as conn:
            conn.execute(t.channel_blocks.delete().where(t.channel_blocks.c.channel == channel))

    def pending_count(self, channel: str) -> int:
        """Alerts of a channel not yet sent or failed."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t.outbox).where(
                t.outbox.c.channel == channel,
                t.outbox.c.status.in_([PENDING, SENDING]))).scalar_one()
    def outbox_tally(self, channel: str) -> tuple[int, int]:
        """(alerts due now but not claimed, alerts failed) of a channel: what a delivery run
        reports as left for the next run and as needing `--retry-failed`."""
        stamp = now()
        with self.engine.connect() as conn:
            due = conn.execute(select(func.count()).select_from(t.outbox).where(
                t.outbox.c.channel == channel,
                ((t.outbox.c.status == PENDING) & (t.outbox.c.next_attempt_at <= stamp))
                | ((t.outbox.c.status == SENDING) & (t.outbox.c.claimed_until < stamp))))
            due_n = due.scalar_one()
            failed = conn.execute(select(func.count()).select_from(t.outbox).where(
                t.outbox.c.channel == channel, t.outbox.c.status == FAILED)).scalar_one()
        return due_n, failed
    # == end of alert delivery bookkeeping ================================================


def _release_url(conn: Connection, document_id: int, url: str) -> None:
    """The document gives `url` up to another statement; it keeps its id and history under a
    URL no page has (fragments are stripped from fetched URLs) and state "replaced"."""
    conn.execute(t.aliases.delete().where(t.aliases.c.url == url,
                                          t.aliases.c.document_id == document_id))
    conn.execute(update(t.documents)
                 .where(t.documents.c.id == document_id, t.documents.c.url == url)
                 .values(url=f"{url}#replaced-{document_id}", state="replaced"))


def _move_document(conn: Connection, document_id: int, url: str) -> None:
    """The document now lives at `url`; its old URL becomes an alias. Idempotent (a retry
    after a concurrent run moved it finds it there)."""
    row = conn.execute(select(t.documents.c.url).where(t.documents.c.id == document_id)).first()
    if row is None or row.url == url:
        return
    conn.execute(t.aliases.delete().where(t.aliases.c.url == url))
    conn.execute(update(t.documents).where(t.documents.c.id == document_id).values(url=url))
    conn.execute(_insert_ignore(conn, t.aliases, "url").values(url=row.url, document_id=document_id))


def _max_seq(conn: Connection, document_id: int) -> int:
    return conn.execute(select(func.max(t.versions.c.seq))
                        .where(t.versions.c.document_id == document_id)).scalar() or 0


# deadlock_detected, serialization_failure
_RETRYABLE = {"40P01", "40001"}


def _insert_ignore(conn: Connection, table: Table, *unique: str):  # noqa: ANN202
    """INSERT .. ON CONFLICT (unique columns) DO NOTHING, on SQLite and PostgreSQL."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=list(unique))


def _check_key(article_version_id: int, c: QuoteCheckRecord) -> str:
    what = [article_version_id, c.statement_version_id, c.quote, c.start, c.end, c.verdict,
            c.severity, c.details]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def _claim_key(article_version_id: int, c: ClaimCheckRecord) -> str:
    what = ["claim", article_version_id, c.statement_version_id, c.text, c.start, c.end,
            c.verdict, c.kind, c.severity, c.details]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        # IMMEDIATE takes the write lock up front: two runs never interleave a read-then-write.
        immediate = conn.get_execution_options().get("immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _doc(row: Row) -> DocumentRecord:
    return DocumentRecord(row.id, row.url, row.kind, row.title, row.issuer, row.state, row.group_id,
                          row.guid)


def _version(row: Row) -> Version:
    return Version(
        id=row.id, document_id=row.document_id, seq=row.seq, text_hash=row.text_hash,
        canonical_text=row.canonical_text, paragraphs=tuple(row.paragraphs), title=row.title,
        normalizer_version=row.normalizer_version, first_seen=row.first_seen,
        last_seen=row.last_seen, published=row.published, revert_of=row.revert_of)


def _alert(row: Row) -> OutboxAlert:
    return OutboxAlert(
        id=row.id, kind=row.kind, channel=row.channel, dedupe_key=row.dedupe_key,
        payload=row.payload, significance=row.significance, status=row.status,
        attempts=row.attempts, last_error=row.last_error, document_id=row.document_id,
        created_at=row.created_at, sent_at=row.sent_at, remote_id=row.remote_id)
