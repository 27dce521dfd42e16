"""Versioned storage: documents, captures, versions, changes, quote checks, alert outbox."""

from store.db import Store, StoreError, default_database_url

__all__ = ["Store", "StoreError", "default_database_url"]
