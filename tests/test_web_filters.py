"""The activity page's issuer and site filters give the same events whichever way they are
read: the ids of few matching documents first, or the newest-first walk of every event
(web/queries.py, Queries.few_documents). The store is filled through the pipeline (tests/webworld.py)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from store import Store
from tests.webworld import World, build_world
from web.queries import ActivityFilter, Queries


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Store]]:
    tmp = tmp_path_factory.mktemp("web-filters")
    world = build_world(tmp / "store.sqlite", tmp)
    store = Store(world.database_url)
    yield world, store
    store.close()


def _walk(q: Queries, filters: ActivityFilter) -> list[tuple[str, int]]:
    """Every event under `filters`, page by page (two at a time, so cursors are used)."""
    out, cursor = [], None
    while True:
        page = q.activity(filters, cursor, limit=2)
        out += [(e.kind, e.id) for e in page.items]
        if not page.next_cursor:
            return out
        cursor = page.next_cursor


def test_few_documents_first_and_the_walk_agree(world: tuple[World, Store]) -> None:
    w, store = world
    q = Queries(store)
    host = urlsplit(w.statement_url).netloc
    cases = [ActivityFilter(source=host), ActivityFilter(source=host.upper()),
             ActivityFilter(source="elsewhere.example.org"),
             ActivityFilter(issuer="Demo Ministry of Foreign Affairs"),
             ActivityFilter(issuer="Nobody"), ActivityFilter(source=host, kind="edit"),
             ActivityFilter(source=host, kind="misquote"),
             ActivityFilter(issuer="Demo Ministry of Foreign Affairs", significance="substantive")]
    first = {c: _walk(q, c) for c in cases}
    walking = Queries(store, few_documents=0)  # every filter read by the walk
    walked = {c: _walk(walking, c) for c in cases}
    assert first == walked
    everything = _walk(q, ActivityFilter())
    # The filters select: the site has every event, another site and issuer none.
    assert sorted(first[cases[0]]) == sorted(everything) == sorted(first[cases[1]])
    assert first[cases[2]] == [] and first[cases[4]] == []
    kinds = {k for k, _ in first[cases[0]]}
    assert {"edit", "new", "misquote", "stale"} <= kinds
    assert {k for k, _ in first[cases[5]]} == {"edit"} and len(first[cases[5]]) == 3
    assert {k for k, _ in first[cases[6]]} == {"misquote"}


def test_few_documents_reads_only_matching_ids(world: tuple[World, Store]) -> None:
    w, store = world
    host = urlsplit(w.statement_url).netloc
    with store.engine.connect() as conn:
        q = Queries(store)
        edited = q._few_documents(conn, "edit", ActivityFilter(source=host))
        statements = q._few_documents(conn, "new", ActivityFilter(source=host))
        none = q._few_documents(conn, "edit", ActivityFilter(source="elsewhere.example.org"))
        unfiltered = q._few_documents(conn, "edit", ActivityFilter())
    ids = {store.document(u).id for u in (w.statement_url, w.hostile_url)}  # type: ignore[union-attr]
    assert set(edited or []) == ids  # both statements were edited; the articles were not
    assert set(statements or []) == ids
    assert none == [] and unfiltered is None
