"""Full-text search over every version: title, URL and text (the web site's search).

Written by the store in the transaction of each new version (`write`), backfilled by
migration 0007_search and rebuilt after an import (`rebuild`). The index is derived data, so it
is not in store/schema.py's metadata (an export does not carry it):

- SQLite: `search_index`, a contentless FTS5 table (the texts are already in `versions`; a
  second copy would double the store), rowid = the version's id;
- PostgreSQL: `search_index(version_id, tsv)` with a GIN index on the tsvector.

Both use no stemming and no stop words (FTS5's unicode61 tokenizer, PostgreSQL's `simple`
configuration), so one query finds the same versions on either backend. A query is reduced
to words before it reaches SQL (`terms`): no user text is ever FTS5 or tsquery syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import Connection, text

TABLE = "search_index"
# FTS5 keeps these shadow tables beside the virtual one.
SQLITE_SHADOWS = tuple(f"{TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))
BATCH = 500

_WORD = re.compile(r"[^\W_]+")  # letters and digits: what unicode61 keeps
MAX_TERMS = 12  # a pasted paragraph is cut to its first words, not sent whole


def is_index_table(name: str | None) -> bool:
    """True for the tables the search index consists of (derived data, not in the metadata)."""
    return name is not None and (name == TABLE or name in SQLITE_SHADOWS)


def create(conn: Connection) -> None:
    """Create the index (empty) for the connection's backend."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            f"CREATE TABLE {TABLE} (version_id INTEGER PRIMARY KEY "
            "REFERENCES versions(id) ON DELETE CASCADE, tsv TSVECTOR NOT NULL)"))
        conn.execute(text(f"CREATE INDEX ix_{TABLE}_tsv ON {TABLE} USING GIN (tsv)"))
    else:
        conn.execute(text(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, url, body, content='', "
            "tokenize='unicode61 remove_diacritics 2')"))


def drop(conn: Connection) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def url_words(url: str) -> str:
    """A URL as words: its host, path and query split at punctuation, so `state.gov` or a
    slug's words find it (the PostgreSQL parser would keep a URL as one token)."""
    return " ".join(_WORD.findall(url))


# Combining marks of the Latin, Greek and Cyrillic scripts (what NFKD splits accents into).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    """Lower case without accents: what unicode61 with remove_diacritics does, for
    PostgreSQL's `simple` side too. Whole texts at once (a 50,000-word version in a few ms)."""
    text = text.lower()
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def write(conn: Connection, version_id: int, title: str, url: str, body: str) -> None:
    """Index one new version in the caller's transaction."""
    write_many(conn, [(version_id, title, url, body)])


def write_many(conn: Connection, rows: Sequence[tuple[int, str, str, str]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            f"INSERT INTO {TABLE} (version_id, tsv) VALUES (:id, "
            "setweight(to_tsvector('simple', :title), 'A') || "
            "setweight(to_tsvector('simple', :url), 'B') || "
            "to_tsvector('simple', :body)) ON CONFLICT (version_id) DO NOTHING"),
            [{"id": vid, "title": _folded(title), "url": _folded(url_words(url)),
              "body": _folded(body)} for vid, title, url, body in rows])
    else:
        conn.execute(text(f"INSERT INTO {TABLE} (rowid, title, url, body) "
                          "VALUES (:id, :title, :url, :body)"),
                     [{"id": vid, "title": title, "url": url_words(url), "body": body}
                      for vid, title, url, body in rows])


def _folded(value: str) -> str:
    # PostgreSQL's `simple` configuration lowercases but keeps accents, and its parser keeps
    # "state.gov" or "a_b" whole: folded and split here as FTS5's tokenizer does.
    return " ".join(_WORD.findall(_fold(value)))


def rebuild(conn: Connection) -> int:
    """Index every version again (after an import, or in the migration). Returns how many."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"DELETE FROM {TABLE}"))
    else:
        # Contentless FTS5: the special 'delete-all' command empties it.
        conn.execute(text(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')"))
    done, last = 0, 0
    while True:
        batch = conn.execute(text(
            "SELECT v.id, v.title, d.url, v.canonical_text FROM versions v "
            "JOIN documents d ON d.id = v.document_id WHERE v.id > :last ORDER BY v.id LIMIT :n"),
            {"last": last, "n": BATCH}).all()
        if not batch:
            return done
        write_many(conn, [(r[0], r[1] or "", r[2], r[3]) for r in batch])
        done += len(batch)
        last = batch[-1][0]


_PART = re.compile(r'"([^"]*)"|(\S+)')


def terms(query: str) -> list[list[str]]:
    """The query as phrases of words: text in double quotes is one phrase, and so is each
    other whitespace-separated part (`state.gov` -> ["state", "gov"]); every phrase must
    match. Empty when no word is left."""
    phrases = []
    for m in _PART.finditer(query):
        words = _WORD.findall(_fold(m.group(1) if m.group(1) is not None else m.group(2)))
        if words:
            phrases.append(words)
    return phrases[:MAX_TERMS]


def fts5_query(phrases: list[list[str]]) -> str:
    """FTS5 MATCH syntax for `terms`: each phrase double-quoted (the words are \\w only)."""
    return " AND ".join('"' + " ".join(p) + '"' for p in phrases)


def tsquery(phrases: list[list[str]]) -> str:
    """PostgreSQL to_tsquery syntax for `terms`: words quoted, phrases with <->."""
    return " & ".join("(" + " <-> ".join(f"'{w}'" for w in p) + ")" for p in phrases)
