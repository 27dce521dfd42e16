"""Alembic migrations: they build exactly the models, adopt a pre-Alembic store, and run
once when several processes open a new database at the same moment."""

from __future__ import annotations

import multiprocessing
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from store import Store, StoreError, searchindex
from store import schema as t
from store.migrate import alembic_config, head_revision
from tests.storefixtures import obs, pg_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with nothing in it (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    return pg_schema_url(request.getfixturevalue("pg_url"), f"m_{uuid.uuid4().hex[:10]}")


def test_first_use_upgrades_to_head_and_matches_the_models(fresh_url: str) -> None:
    store = Store(fresh_url)
    try:
        assert store.schema_revision() == head_revision()
        with store.engine.connect() as conn:
            # The search index (store/searchindex.py) is derived data outside the metadata;
            # it is checked on its own below.
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": t.include_object}),
                t.metadata)
        assert diff == []  # the migrations build exactly what store/schema.py describes
        assert searchindex.TABLE in inspect(store.engine).get_table_names()
        assert store.migrate() == head_revision()  # idempotent
    finally:
        store.close()


def test_store_created_before_alembic_is_adopted(fresh_url: str) -> None:
    # What the first cut left: revision 0001's tables, rows in them, no alembic_version.
    bare = Store(fresh_url, migrate=False)
    with bare.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("INSERT INTO documents (id, url, kind, title, state, created_at) "
                          "VALUES (1, 'http://old/1', 'statement', 'Old', 'active', "
                          "'2024-01-01 00:00:00')"))
    bare.close()
    store = Store(fresh_url)
    try:
        assert store.schema_revision() == head_revision()
        assert store.document("http://old/1").title == "Old"
        assert store.record_observation(obs("http://old/1", "Now versioned.")).created
    finally:
        store.close()


def test_newer_schema_is_refused(fresh_url: str) -> None:
    Store(fresh_url).close()
    bare = Store(fresh_url, migrate=False)
    with bare.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    bare.close()
    with pytest.raises(StoreError, match="newer than this onrecord"):
        Store(fresh_url)


def _open(url: str, start: multiprocessing.synchronize.Event) -> None:
    start.wait(10)
    Store(url).close()


def test_concurrent_first_use_upgrades_once(fresh_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_open, args=(fresh_url, start)) for _ in range(3)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = Store(fresh_url)
    try:
        assert store.schema_revision() == head_revision()
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        store.close()


def test_claims_migration_goes_down_and_up_again(fresh_url: str) -> None:
    """0006_claims adds claim_checks and claim_coverage; its downgrade removes them and
    leaves 0005's schema, which upgrades to head again."""
    from alembic import command
    from sqlalchemy import inspect

    from store.migrate import alembic_config

    Store(fresh_url).close()
    bare = Store(fresh_url, migrate=False)
    try:
        with bare.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0005_identity")
        with bare.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert "claim_checks" not in tables and "claim_coverage" not in tables
            assert "quote_checks" in tables
        assert bare.migrate() == head_revision()
        with bare.engine.connect() as conn:
            assert {"claim_checks", "claim_coverage"} <= set(inspect(conn).get_table_names())
    finally:
        bare.close()
