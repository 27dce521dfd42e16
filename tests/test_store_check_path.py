"""The per-URL check path of the store (prebuilt statements), on SQLite and PostgreSQL:
what an unchanged or failed fetch records, and what the next check reads back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store import Store
from tests.storefixtures import obs, record

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
URL = "http://gov.example/readout"


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_unchanged_check_moves_only_the_latest_version_forward(store: Store) -> None:
    record(store, obs(URL, "First text."), at=at(0))
    record(store, obs(URL, "Second text."), at=at(1))
    store.record_check(URL, outcome="not_modified", status=304, etag='"e2"', at=at(3))
    store.record_check(URL, outcome="unchanged", status=200, body_hash="h", at=at(2))  # older
    v1, v2 = store.versions(URL)
    assert (v1.last_seen, v2.last_seen) == (at(0), at(3))  # never backwards, never the old one


def test_last_fetch_skips_errors_and_304s(store: Store) -> None:
    assert store.last_fetch(URL) is None
    store.record_check(URL, outcome="unchanged", status=200, etag='"a"', last_modified="Mon",
                       body_hash="h1", at=at(0))
    store.record_check(URL, outcome="not_modified", status=304, etag='"b"', at=at(1))
    store.record_check(URL, outcome="error", status=503, error="HTTP 503", at=at(2))
    last = store.last_fetch(URL)
    assert (last.etag, last.last_modified, last.body_hash) == ('"a"', "Mon", "h1")
    assert store.last_fetch("http://gov.example/other") is None


def test_document_found_by_url_or_alias_and_checks_attached(store: Store) -> None:
    # The alias is written with the version (a redirect's final URL or the canonical one).
    record(store, obs(URL, "Text.", canonical_url="http://gov.example/r?id=1"), at=at(0))
    assert store.document("http://gov.example/r?id=1").url == URL
    assert store.document(URL).url == URL
    assert store.document("http://gov.example/unknown") is None
    # A check of the alias belongs to the document and moves its version's last_seen.
    store.record_check("http://gov.example/r?id=1", outcome="not_modified", status=304, at=at(4))
    assert store.versions(URL)[0].last_seen == at(4)
