"""The whole store as JSON Lines: for backups, and for moving from SQLite to PostgreSQL.

Format (one JSON object per line, keys sorted, so equal stores export byte-for-byte equal):

    {"format": "onrecord-export", "version": 1, "schema": "<alembic revision>"}
    {"table": "documents", "row": {...}}          every row of every table, parents first
    ...
    {"end": true, "counts": {"documents": N, ...}}

Values keep their database meaning exactly: datetimes as ISO 8601 in UTC, raw bodies as
base64 of the stored (compressed) bytes, JSON columns as JSON, ids as they were (so every
reference between rows survives). The end line lets an import notice a truncated file.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Connection, LargeBinary, Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError, StatementError

from store import schema as t
from store import searchindex
from store.db import Store
from store.errors import StoreError
from store.migrate import current_revision

FORMAT, FORMAT_VERSION = "onrecord-export", 1
BATCH = 1000


def tables() -> tuple[Table, ...]:
    """Every table of the store's schema, parents before children.

    Taken from the schema itself, so a table added to store/schema.py is exported and
    imported without a change here; the order (foreign keys first, then by name) lets an
    import insert in file order with foreign keys on, and is stable, so equal stores export
    byte for byte equal.
    """
    return tuple(t.metadata.sorted_tables)


def _encode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, bytes | memoryview):
            value = base64.b64encode(bytes(value)).decode("ascii")
        out[name] = value
    return out


def _kind(column: Any) -> type | tuple[type, ...] | None:
    """The JSON type an exported value of `column` must have (None: any)."""
    try:
        py = column.type.python_type
    except NotImplementedError:  # JSON and custom types
        py = None
    if isinstance(column.type, t.UTCDateTime | LargeBinary):
        return str
    if py is bool:
        return bool
    if py is int:
        return int
    if py is float:
        return (int, float)
    if py is str:
        return str
    return None


def _decoder(table: Table):  # noqa: ANN202
    """A function turning an exported row (line `number`) back into column values of
    `table`, or a StoreError naming the line, the column and the problem."""
    times = {c.name for c in table.columns if isinstance(c.type, t.UTCDateTime)}
    blobs = {c.name for c in table.columns if isinstance(c.type, LargeBinary)}
    known = {c.name for c in table.columns}
    kinds = {c.name: _kind(c) for c in table.columns}
    required = {c.name for c in table.columns
                if not c.nullable and c.default is None and c.server_default is None
                and not (c.primary_key and c.autoincrement in (True, "auto"))}

    def decode(row: dict[str, Any], number: int) -> dict[str, Any]:
        where = f"import: line {number} ({table.name})"
        unknown = set(row) - known
        if unknown:
            raise StoreError(f"import: unknown column(s) {sorted(unknown)} in {table.name} "
                             f"(line {number})")
        missing = sorted(required - {k for k, v in row.items() if v is not None})
        if missing:
            raise StoreError(f"{where}: no value for {', '.join(missing)}")
        for name, value in row.items():
            kind = kinds[name]
            # bool is an int to Python; a JSON true in an integer column is still wrong.
            if value is not None and kind is not None and (
                    not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
                raise StoreError(f"{where}: {name} is {type(value).__name__} "
                                 f"{_show(value)}, not {_type_name(kind)}")
        out = dict(row)
        for name in times:
            if out.get(name) is not None:
                try:
                    stamp = datetime.fromisoformat(out[name])
                except ValueError:
                    raise StoreError(f"{where}: {name} {_show(out[name])} is not an ISO 8601 "
                                     "time") from None
                if stamp.tzinfo is None:
                    raise StoreError(f"{where}: {name} {_show(out[name])} has no UTC offset")
                out[name] = stamp
        for name in blobs:
            if out.get(name) is not None:
                try:
                    out[name] = base64.b64decode(out[name], validate=True)
                except ValueError:
                    raise StoreError(f"{where}: {name} is not base64") from None
        return out

    return decode


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "an integer", str: "a string", bool: "true or false", float: "a number"}
    return names.get(kind[-1] if isinstance(kind, tuple) else kind, "valid")


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


class _References:
    """Keys imported so far, to name a row that points at a row the file does not have
    (parents come first in an export, so every reference is to an earlier line)."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self.fks = {tb.name: [(fk.parent.name, fk.column.table.name, fk.column.name)
                              for fk in tb.foreign_keys] for tb in tables}
        wanted = {(parent, col) for fks in self.fks.values() for _, parent, col in fks}
        self.seen: dict[tuple[str, str], set[Any]] = {key: set() for key in wanted}

    def check(self, table: Table, row: dict[str, Any], number: int) -> None:
        for column, parent, col in self.fks[table.name]:
            value = row.get(column)
            if value is not None and value not in self.seen[(parent, col)]:
                raise StoreError(f"import: line {number} ({table.name}): {column} {value!r} "
                                 f"refers to no {parent} row")
        for (parent, col), keys in self.seen.items():
            if parent == table.name and row.get(col) is not None:
                keys.add(row[col])


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def export_lines(store: Store) -> Iterator[str]:
    """Every row of the store as JSON Lines, from one consistent snapshot."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # One snapshot for all tables: a run writing meanwhile cannot tear the export.
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():  # SQLite in WAL mode: one read transaction is one snapshot too
            yield _line({"format": FORMAT, "version": FORMAT_VERSION,
                         "schema": current_revision(conn)})
            counts = {}
            for table in tables():
                n = 0
                query = select(table).order_by(*table.primary_key.columns)
                rows = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
                for row in rows.mappings():
                    yield _line({"table": table.name, "row": _encode(table, dict(row))})
                    n += 1
                counts[table.name] = n
            yield _line({"end": True, "counts": counts})


def export_jsonl(store: Store, out: IO[str]) -> dict[str, int]:
    """Write the store to `out`; returns rows per table."""
    counts: dict[str, int] = {}
    for line in export_lines(store):
        out.write(line)
        if line.startswith('{"counts"'):
            counts = json.loads(line)["counts"]
    return counts


def import_jsonl(store: Store, lines: Iterable[str]) -> dict[str, int]:
    """Load an export into an empty store, all or nothing; returns rows per table."""
    by_name = {table.name: table for table in tables()}
    decoders = {table.name: _decoder(table) for table in tables()}
    counts = dict.fromkeys(by_name, 0)
    it = iter(lines)
    header = _parse(next(it, ""), 1)
    if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
        raise StoreError("import: not an onrecord export (bad first line)")
    with store._tx() as conn:
        if header.get("schema") != current_revision(conn):
            # Columns can differ between revisions; upgrade the older side first.
            raise StoreError(f"import: export is schema {header.get('schema')}, store is "
                             f"{current_revision(conn)}; run `onrecord db upgrade` on the "
                             f"older side and export again")
        if any(conn.execute(select(func.count()).select_from(tb)).scalar_one()
               for tb in by_name.values()):
            raise StoreError(f"import: the store at {store.location} is not empty")
        refs = _References(by_name.values())
        pending: list[dict[str, Any]] = []
        pending_table: str | None = None
        end = None
        for number, raw in enumerate(it, start=2):
            if not raw.strip():
                continue
            obj = _parse(raw, number)
            if "end" in obj:
                end = obj
                break
            name = obj.get("table")
            if name not in by_name or not isinstance(obj.get("row"), dict):
                raise StoreError(f"import: line {number}: unknown table {name!r}")
            if name != pending_table and pending:
                _flush(conn, by_name[pending_table], pending)  # type: ignore[index]
                pending = []
            pending_table = name
            row = decoders[name](obj["row"], number)
            refs.check(by_name[name], row, number)
            pending.append(row)
            counts[name] += 1
            if len(pending) >= BATCH:
                _flush(conn, by_name[name], pending)
                pending = []
        if pending:
            _flush(conn, by_name[pending_table], pending)  # type: ignore[index]
        if end is None:
            raise StoreError("import: the file ends early (no end line); nothing imported")
        # An export made before a table existed has no count for it (and no rows).
        said = end.get("counts")
        if not isinstance(said, dict) or {k: n for k, n in counts.items()
                                          if n or k in said} != said:
            raise StoreError(f"import: row counts {counts} differ from the export's "
                             f"{end.get('counts')}; nothing imported")
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        # The search index is derived from the versions, not exported: built again here.
        searchindex.rebuild(conn)
    return counts


def _parse(raw: str, number: int) -> dict[str, Any]:
    try:
        obj = json.loads(raw)
    except ValueError:
        raise StoreError(f"import: line {number} is not JSON") from None
    if not isinstance(obj, dict):
        raise StoreError(f"import: line {number} is not a JSON object")
    return obj


def _flush(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    try:
        conn.execute(insert(table), rows)
    except (DBAPIError, StatementError) as exc:
        # What the checks above cannot see (a duplicate key, a value too long for
        # PostgreSQL): one line, without the SQL and every parameter of the batch.
        orig = getattr(exc, "orig", None) or exc
        detail = " ".join(str(orig).split())[:200]
        raise StoreError(f"import: rows of {table.name} refused by the database: "
                         f"{detail}; nothing imported") from None


def _reset_sequences(conn: Connection) -> None:
    """Explicit ids were inserted: move each id sequence past them for new rows."""
    for table in tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"))
