"""Schema upgrades with Alembic, run programmatically (works from an installed wheel).

The migrations live in store/migrations/ (package data). Every Store runs `upgrade` when it
opens: a cheap read when the schema is current, otherwise one transaction that takes a
migration lock first, so two processes opening a new database at once upgrade it once.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.engine import Engine

from store.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant for pg_advisory_xact_lock: "onrecord schema" (fits in a signed int64).
PG_LOCK_KEY = 0x6F6E7265636F7264 & 0x7FFFFFFFFFFFFFFF
# The revision whose schema the pre-Alembic first cut created with metadata.create_all.
BASELINE = "0001"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _known(revision: str) -> bool:
    try:
        return _script().get_revision(revision) is not None
    except Exception:  # alembic raises its own ResolutionError for an unknown id
        return False


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code knows."""
    head = _script().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at (None: empty, or created before Alembic)."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the database to the head revision; returns it. Idempotent and concurrency-safe."""
    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return head  # the common case: no lock, no write
    # SQLite: BEGIN IMMEDIATE takes the database write lock (see store.db). PostgreSQL: a
    # transaction-scoped advisory lock. Either way a second process waits here, then finds
    # the schema current and does nothing.
    with engine.execution_options(immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK_KEY,))
        current = current_revision(conn)
        if current == head:
            return head
        if current is not None and not _known(current):
            raise StoreError(f"the store's schema ({current}) is newer than this onrecord "
                             f"(knows up to {head}): upgrade onrecord")
        cfg = alembic_config(conn)
        if current is None and inspect(conn).has_table("documents"):
            # Created by the first cut without Alembic: its tables are revision 0001.
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, "head")
    return head
