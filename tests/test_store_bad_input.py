"""A corrupt store, an unknown database URL, an import with wrong types or dangling keys:
each is one line naming the file (and row) and the problem, exit status 2, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store, StoreError
from tests.test_store_transfer import dump, populate

ROOT = Path(__file__).resolve().parents[1]


def onrecord(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONRECORD_DATABASE_URL": db,
           "ONRECORD_CONFIG": str(ROOT / "no-such-sources.toml")}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def one_line_exit_2(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_corrupt_sqlite_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"this is not a database, just some bytes " * 200)
    for command in (["db", "upgrade"], ["deliver"], ["history", "https://gov.example/s"]):
        err = one_line_exit_2(onrecord(*command, db=f"sqlite:///{path}"))
        assert "store.sqlite" in err and "not a database" in err


@pytest.mark.parametrize("url", ["mysql://root@localhost/onrecord", "mongodb://x/y",
                                 "store.sqlite", "sqlite3:///x.db"])
def test_unknown_database_url_is_one_line(url: str) -> None:
    err = one_line_exit_2(onrecord("db", "upgrade", db=url))
    assert "unsupported database URL" in err
    with pytest.raises(StoreError, match="unsupported database URL"):
        Store(url)


@pytest.fixture
def export(tmp_path: Path) -> list[dict]:
    source = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    populate(source)
    lines = [json.loads(line) for line in dump(source).splitlines()]
    source.close()
    return lines


def _first(lines: list[dict], table: str) -> tuple[int, dict]:
    for i, obj in enumerate(lines):
        if obj.get("table") == table:
            return i, obj["row"]
    raise AssertionError(table)


def _write(tmp_path: Path, lines: list[dict]) -> Path:
    path = tmp_path / "bad-export.jsonl"
    path.write_text("".join(json.dumps(obj) + "\n" for obj in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(("table", "column", "value", "problem"), [
    ("documents", "id", "seven", "id is str"),
    ("versions", "seq", 1.5, "seq is float"),
    ("versions", "first_seen", "yesterday", "not an ISO 8601 time"),
    ("documents", "url", 42, "url is int"),
    ("versions", "document_id", 999_999, "refers to no documents row"),
    ("outbox", "document_id", 888_888, "refers to no documents row"),
])
def test_import_with_a_bad_row_names_the_file_and_row(
        tmp_path: Path, export: list[dict], table: str, column: str, value: object,
        problem: str) -> None:
    index, row = _first(export, table)
    if column == "document_id" and table == "outbox":
        index, row = next((i, o["row"]) for i, o in enumerate(export)
                          if o.get("table") == "outbox" and o["row"].get("document_id"))
    row[column] = value
    path = _write(tmp_path, export)
    target = f"sqlite:///{tmp_path / 'target.sqlite'}"
    err = one_line_exit_2(onrecord("import", str(path), db=target))
    assert str(path) in err and f"line {index + 1}" in err and problem in err
    store = Store(target)
    try:
        assert sum(store.counts().values()) - store.counts().get("alembic_version", 0) == 0
    finally:
        store.close()


def test_import_with_a_row_that_is_not_an_object(tmp_path: Path, export: list[dict]) -> None:
    export.insert(3, {"table": "documents", "row": [1, 2, 3]})
    path = _write(tmp_path, export)
    err = one_line_exit_2(onrecord("import", str(path), db=f"sqlite:///{tmp_path / 't.sqlite'}"))
    assert str(path) in err and "line 4" in err
