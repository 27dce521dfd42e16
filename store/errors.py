"""Errors the store raises to its callers."""

from __future__ import annotations


class StoreError(Exception):
    """A store that cannot be opened or used; one line for the user."""
