"""Store fixtures: every store test runs on SQLite (a temporary file) and on PostgreSQL.

PostgreSQL comes from ONRECORD_TEST_POSTGRES_URL (default the local `test` database); each
test session creates a database of its own there and drops it at the end. When the server
cannot be reached the PostgreSQL variants are skipped, unless ONRECORD_REQUIRE_POSTGRES=1
(CI), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from compare.observe import Decision, Observed, decide
from flows.pipeline import WRITE_ATTEMPTS, as_prior, change_record
from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash
from store import Store
from store import schema as t
from store.errors import Conflict
from store.records import NewAlert, Observation, SaveResult

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", "postgresql"]


def _libpq(url: str) -> str:
    """A SQLAlchemy-style URL as a plain libpq URL (psycopg.connect wants no +driver)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin_url() -> str:
    return os.environ.get("ONRECORD_TEST_POSTGRES_URL") or DEFAULT_PG


def admin_connection() -> psycopg.Connection:
    """An autocommit connection to the PostgreSQL server; skip (or fail, when CI requires
    PostgreSQL with ONRECORD_REQUIRE_POSTGRES=1) if it is unreachable."""
    admin = _admin_url()
    try:
        return psycopg.connect(_libpq(admin), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL not reachable at {admin}: {' '.join(str(exc).split())}"
        if os.environ.get("ONRECORD_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this session (dropped afterwards)."""
    admin = _admin_url()
    conn = admin_connection()
    name = f"onrecord_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def pg_schema_url(base: str, schema: str) -> str:
    """`base` with its own fresh schema first on the search path (for migration tests)."""
    with psycopg.connect(_libpq(base), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return make_url(base).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def truncate_all(url: str) -> None:
    """Empty every store table of a PostgreSQL database (ids start again at 1)."""
    names = ", ".join(t.metadata.tables)
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass('documents')").fetchone()[0]
        if exists:
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    url = request.getfixturevalue("pg_url")
    truncate_all(url)
    yield url
    truncate_all(url)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


def obs(url: str, *paras: str, kind: str = "statement", **extra: object) -> Observation:
    """An observation of `url` whose main text is `paras`."""
    canonical = canonical_text(paras)
    fields: dict[str, object] = {"body": b"<p>x</p>", "body_hash": "h-" + text_hash(canonical)[:8],
                                 **extra}
    return Observation(url=url, kind=kind, title="Title", paragraphs=paras,
                       canonical_text=canonical, text_hash=text_hash(canonical),
                       normalizer_version=NORMALIZER_VERSION, **fields)  # type: ignore[arg-type]


def record(store: Store, o: Observation, *, at: datetime | None = None,
           alerts: Callable[[Decision], Sequence[NewAlert]] | None = None) -> SaveResult:
    """Record `o` the way the pipeline does: read the prior, decide (compare/), write what was
    decided with `alerts(decision)`; decide again when another writer got in first."""
    observed = Observed(o.canonical_text, o.paragraphs, o.text_hash, o.normalizer_version)
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        latest, hashes = store.prior(o.url)
        decision = decide(as_prior(latest), hashes, observed)
        try:
            return store.record_observation(
                o, expected_latest=decision.prior_seq, change=change_record(decision),
                alerts=tuple(alerts(decision)) if alerts else (), revert_of=decision.revert_of,
                at=at)
        except Conflict:
            if attempt == WRITE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")
