"""Schema creation and upgrades."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from store.schema import metadata


def upgrade(engine: Engine) -> None:
    """Bring the database to the current schema."""
    metadata.create_all(engine)
