"""Alembic environment of the store.

`store.migrate.upgrade` runs it with `config.attributes["connection"]`: a connection that is
already inside a transaction holding the migration lock, so every revision and the version
stamp commit together (PostgreSQL and SQLite both have transactional DDL). Run by hand
(`alembic -c store/alembic.ini ...`), it opens the store named by ONRECORD_DATABASE_URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.schema import include_object, metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


_given = config.attributes.get("connection")
if _given is not None:
    _run(_given)
else:
    from store.db import Store

    _store = Store(config.get_main_option("sqlalchemy.url") or None, migrate=False)
    try:
        with _store.engine.begin() as _conn:
            _run(_conn)
    finally:
        _store.close()
