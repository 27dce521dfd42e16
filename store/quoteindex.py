"""The statement quote index in the store: written with each statement version, queried by SQL.

Tables (store/schema.py): quote_blocks (distinct blocks by content hash), quote_members
(version -> ordered blocks and the whitespace between them), quote_postings (winnowed
shingle -> block, written once per distinct block), sentence_vectors (model, sentence hash ->
packed vector: compare.claims' alignment units, embedded by the pipeline before the write).
The blocks and hashes are computed by compare.quoteblocks before the write transaction
(`prepare`), the vectors by the caller; inside it `write` and `write_vectors` only insert.
`StoreQuoteIndex` answers compare.quote_engine.StatementIndex with a few indexed queries, so
any process checks an article without building anything in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import BindParameter, Connection, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from compare.quote_engine import IndexedVersion
from compare.quoteblocks import Block, IndexedText, index_text
from store import schema as t
from store.records import Observation

if TYPE_CHECKING:
    from compare.embed import SentenceVectors
    from store.db import Store

STATEMENT = "statement"
CHUNK = 500  # values per IN (...) / per multi-row insert: well under SQLite's variable limit
T = TypeVar("T")


def prepare(obs: Observation) -> Observation:
    """The observation with its quote index computed (statements only; pure, no store access).

    Called before the write transaction, so the lock covers inserts only.
    """
    if obs.kind != STATEMENT or obs.quote_index is not None:
        return obs
    return replace(obs, quote_index=index_text("\n\n".join(obs.paragraphs)))


def write(conn: Connection, version_id: int, indexed: IndexedText | None) -> None:
    """Index one new version in the caller's transaction (nothing for coverage)."""
    if indexed is not None:
        write_many(conn, [(version_id, indexed)])


def write_many(conn: Connection, items: Sequence[tuple[int, IndexedText]]) -> None:
    """Index several new versions at once (the migration's backfill and bulk loads)."""
    blocks = {b.hash: b for _, doc in items for b in doc.blocks}
    if not blocks:
        return
    ids = _block_ids(conn, blocks)
    rows = [{"version_id": vid, "pos": i, "block_id": ids[b.hash], "sep": s}
            for vid, doc in items for i, (b, s) in enumerate(zip(doc.blocks, doc.seps, strict=True))]
    for chunk in _chunks(rows, CHUNK):
        conn.execute(insert(t.quote_members), chunk)


def write_vectors(conn: Connection, vectors: SentenceVectors | None) -> None:
    """Store sentence vectors in the caller's transaction; a (model, hash) already stored
    (another version's sentence, a concurrent writer) is left as it is."""
    if vectors is None or not vectors.rows:
        return
    rows = {h: v for h, v in vectors.rows}
    known: set[str] = set()
    for chunk in _chunks(list(rows), CHUNK):
        known.update(conn.execute(_VECTOR_KEYS, {"model": vectors.model_id, "ids": list(chunk)}).scalars())
    new = [{"model": vectors.model_id, "hash": h, "vector": v} for h, v in rows.items() if h not in known]
    if not new:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(t.sentence_vectors).on_conflict_do_nothing(index_elements=["model", "hash"])
    for rows_chunk in _chunks(new, CHUNK):
        conn.execute(stmt, rows_chunk)


def stored_vector_keys(conn: Connection, model_id: str, keys: Sequence[str]) -> set[str]:
    """Those of `keys` with a stored vector for the model."""
    out: set[str] = set()
    for chunk in _chunks(list(keys), CHUNK):
        out.update(conn.execute(_VECTOR_KEYS, {"model": model_id, "ids": list(chunk)}).scalars())
    return out


def _block_ids(conn: Connection, blocks: dict[str, Block]) -> dict[str, int]:
    """Ids of the blocks, inserting the new ones (and their postings) first.

    The unique hash settles a race between two writers of the same new block: the one whose
    insert goes through writes its postings; the other finds the block.
    """
    ids: dict[str, int] = {}
    for hashes in _chunks(list(blocks), CHUNK):
        ids.update(conn.execute(select(t.quote_blocks.c.hash, t.quote_blocks.c.id)
                                .where(t.quote_blocks.c.hash.in_(hashes))).tuples().all())
    new = [b for h, b in blocks.items() if h not in ids]
    if not new:
        return ids
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(t.quote_blocks).on_conflict_do_nothing(index_elements=["hash"])
            .returning(t.quote_blocks.c.hash, t.quote_blocks.c.id))
    mine: dict[str, int] = {}
    for fresh in _chunks(new, CHUNK):
        got = conn.execute(stmt, [{"hash": b.hash, "text": b.text} for b in fresh])
        mine.update(got.tuples().all())
    ids.update(mine)
    postings = [{"shingle": s, "block_id": bid} for h, bid in mine.items()
                for s in blocks[h].shingles]
    for rows in _chunks(postings, 5 * CHUNK):
        conn.execute(insert(t.quote_postings), rows)
    lost = [h for h in blocks if h not in ids]
    for chunk in _chunks(lost, CHUNK):
        ids.update(conn.execute(select(t.quote_blocks.c.hash, t.quote_blocks.c.id)
                                .where(t.quote_blocks.c.hash.in_(chunk))).tuples().all())
    return ids


def _chunks(items: Sequence[T], n: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _int_list(ids: Iterable[int]) -> str:
    """Integers as an SQL list literal: int() makes injection impossible, and a literal list
    spares the driver thousands of bound parameters (and SQLite its variable limit)."""
    return ",".join(map(str, map(int, ids)))


def _raw(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    """Rows of `sql` (no parameters) from the driver's cursor as plain tuples.

    The hot queries return tens of thousands of integer pairs per article: building
    SQLAlchemy rows for them cost more CPU than the database's work.
    """
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(sql)
        return list(cur.fetchall())  # tuples on both drivers
    finally:
        cur.close()


def _ids() -> BindParameter[list[object]]:
    return bindparam("ids", expanding=True)


# Built once: an IN (...) list is one expanding parameter, so each query is compiled once per
# process and a call costs the database round trip, not the construction of a statement.
_p, _m, _v, _d, _b = t.quote_postings, t.quote_members, t.versions, t.documents, t.quote_blocks
_POSTINGS = select(_p.c.shingle, _p.c.block_id).where(_p.c.shingle.in_(_ids()))
_HEADS = (select(_d.c.url, _v.c.id, _v.c.seq, _v.c.first_seen).join(_d, _d.c.id == _v.c.document_id)
          .where(_d.c.url.in_(_ids()), _d.c.kind == STATEMENT).order_by(_d.c.url, _v.c.seq))
_TEXTS = select(_b.c.id, _b.c.text).where(_b.c.id.in_(_ids()))
_KNOWN = select(_d.c.url).where(_d.c.url.in_(_ids()), _d.c.kind == STATEMENT)
# A document is created in the transaction of its first version: every statement has one.
_FEW = select(_d.c.url).where(_d.c.kind == STATEMENT).order_by(_d.c.id).limit(bindparam("limit"))
_BLOCK_COUNT = select(func.max(_b.c.id))
_sv = t.sentence_vectors
_VECTOR_KEYS = select(_sv.c.hash).where(_sv.c.model == bindparam("model"), _sv.c.hash.in_(_ids()))
_VECTORS = select(_sv.c.hash, _sv.c.vector).where(_sv.c.model == bindparam("model"), _sv.c.hash.in_(_ids()))


class StoreQuoteIndex:
    """compare.quote_engine.StatementIndex over a Store (read-only, short queries)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def few_statements(self, limit: int) -> list[str] | None:
        with self.store.engine.connect() as conn:
            urls = list(conn.execute(_FEW, {"limit": limit + 1}).scalars())
        return urls if len(urls) <= limit else None

    def statements_among(self, urls: Sequence[str]) -> list[str]:
        if not urls:
            return []
        with self.store.engine.connect() as conn:
            known = set(conn.execute(_KNOWN, {"ids": list(urls)}).scalars())
        return [u for u in urls if u in known]

    def block_count(self) -> int:
        # max(id), not count(*): an index lookup on both backends, and a weight only needs
        # the order of magnitude.
        with self.store.engine.connect() as conn:
            return int(conn.execute(_BLOCK_COUNT).scalar() or 0)

    def postings(self, shingles: Sequence[int]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        with self.store.engine.connect() as conn:
            for chunk in _chunks(shingles, CHUNK):
                out.extend(conn.execute(_POSTINGS, {"ids": list(chunk)}).tuples().all())
        return out

    def postings_under(self, shingles: Sequence[int], cap: int) -> tuple[dict[int, int], list[tuple[int, int]]]:
        counts: dict[int, int] = {}
        rows: list[tuple[int, int]] = []
        with self.store.engine.connect() as conn:
            for chunk in _chunks(shingles, 4 * CHUNK):
                # Counts from the primary key index alone, then the postings of the shingles
                # at most `cap` blocks hold; ordered by shingle: the engine sums in that order.
                # (Two plain queries: PostgreSQL planned a join of the two as a scan of every
                # posting.)
                got = _raw(conn, f"SELECT shingle, count(*) FROM quote_postings "
                                 f"WHERE shingle IN ({_int_list(chunk)}) GROUP BY shingle")
                counts.update(got)
                wanted = [h for h, n in got if n <= cap]
                if wanted:
                    rows.extend(_raw(conn, f"SELECT shingle, block_id FROM quote_postings WHERE shingle IN "
                                           f"({_int_list(wanted)}) ORDER BY shingle, block_id"))
        return counts, rows

    def versions_with(self, blocks: Sequence[int], fanout: int) -> list[tuple[int, int, str]]:
        held: list[tuple[int, int]] = []
        urls: dict[int, str] = {}
        with self.store.engine.connect() as conn:
            for chunk in _chunks(blocks, CHUNK):
                # The first `fanout` versions per block: boilerplate in thousands of versions
                # costs the database a scan of its index entries, not a transfer of them all.
                # A thousand rows an article: read through the driver's cursor, not as
                # SQLAlchemy rows.
                held.extend(_raw(conn, f"SELECT block_id, version_id FROM (SELECT block_id, version_id, "
                                       f"row_number() OVER (PARTITION BY block_id ORDER BY version_id) AS rn "
                                       f"FROM quote_members WHERE block_id IN ({_int_list(chunk)})) h "
                                       f"WHERE rn <= {int(fanout)}"))
            # Statement urls by primary key, version by version, in a second query: joined
            # with the one above, PostgreSQL misjudged the rows and hashed every version
            # (a scan of the whole versions table: 0.55 s for the first article at 100,000).
            for chunk in _chunks(sorted({vid for _, vid in held}), CHUNK):
                urls.update(_raw(conn, f"SELECT v.id, (SELECT d.url FROM documents d WHERE d.id = v.document_id) "
                                       f"FROM versions v WHERE v.id IN ({_int_list(chunk)})"))
        return [(b, vid, urls[vid]) for b, vid in held if urls.get(vid) is not None]

    def versions(self, urls: Sequence[str]) -> dict[str, list[IndexedVersion]]:
        with self.store.engine.connect() as conn:
            heads = conn.execute(_HEADS, {"ids": list(urls)}).all()
            parts: dict[int, tuple[list[int], list[str]]] = {row[1]: ([], []) for row in heads}
            for chunk in _chunks(list(parts), CHUNK):
                for vid, bid, sep in _raw(conn, f"SELECT version_id, block_id, sep FROM quote_members "
                                                f"WHERE version_id IN ({_int_list(chunk)}) ORDER BY version_id, pos"):
                    parts[vid][0].append(bid)
                    parts[vid][1].append(sep)
        out: dict[str, list[IndexedVersion]] = {}
        for url, vid, seq, seen in heads:
            out.setdefault(url, []).append(
                IndexedVersion(url, seq, vid, seen, tuple(parts[vid][0]), tuple(parts[vid][1])))
        return out

    def block_texts(self, blocks: Iterable[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        with self.store.engine.connect() as conn:
            for chunk in _chunks(list(blocks), CHUNK):
                out.update(conn.execute(_TEXTS, {"ids": list(chunk)}).tuples().all())
        return out

    def sentence_vectors(self, model_id: str, keys: Sequence[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        if not keys:
            return out
        with self.store.engine.connect() as conn:
            for chunk in _chunks(list(keys), CHUNK):
                out.update((h, bytes(v)) for h, v in conn.execute(_VECTORS, {"model": model_id, "ids": list(chunk)}))
        return out

    def size(self) -> dict[str, int]:
        """Rows in the index tables (for reports and benchmarks)."""
        with self.store.engine.connect() as conn:
            return {tb.name: int(conn.execute(select(func.count()).select_from(tb)).scalar_one())
                    for tb in (t.quote_blocks, t.quote_members, t.quote_postings)}
