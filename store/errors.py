"""Errors the store raises to its callers."""

from __future__ import annotations


class StoreError(Exception):
    """A store that cannot be opened or used; one line for the user."""


class Conflict(StoreError):
    """A write decided against a version that is no longer the latest one.

    Another writer recorded a version of the same document in between; nothing was written.
    The caller re-reads the document, decides again and retries.
    """

    def __init__(self, url: str, expected: int | None, actual: int | None) -> None:
        super().__init__(f"{url}: decided against version {expected}, the latest is {actual}")
        self.url, self.expected, self.actual = url, expected, actual
