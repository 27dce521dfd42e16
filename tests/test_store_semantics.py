"""What the store promises about versions, on SQLite and PostgreSQL: time travel, reverts,
removal, errors, aliases, idempotent quote checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store import Store
from store.records import NewAlert, QuoteCheckRecord
from tests.storefixtures import obs, record

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
URL = "http://gov.example/statement"


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_time_travel_text_as_it_stood(store: Store) -> None:
    record(store, obs(URL, "We pledge $80 million."), at=at(0))
    record(store, obs(URL, "We pledge $80 million."), at=at(5))  # unchanged
    record(store, obs(URL, "We pledge $58 million."), at=at(10))
    record(store, obs(URL, "We pledge $80 million."), at=at(20))  # revert

    assert store.text_at(URL, at(-1)) is None  # not yet seen
    assert store.text_at(URL, at(0)).canonical_text == "We pledge $80 million."
    assert store.text_at(URL, at(9.99)).seq == 1
    assert store.text_at(URL, at(10)).canonical_text == "We pledge $58 million."
    assert store.text_at(URL, at(19)).seq == 2
    third = store.text_at(URL, at(1000))
    assert third.seq == 3 and third.revert_of == 1
    v1 = store.versions(URL)[0]
    assert (v1.first_seen, v1.last_seen) == (at(0), at(5))


def test_revert_a_b_a_is_a_new_version_marked_revert(store: Store) -> None:
    for text in ("A text.", "B text.", "A text.", "B text."):
        record(store, obs(URL, text))
    versions = store.versions(URL)
    assert [v.revert_of for v in versions] == [None, None, 1, 2]
    assert [c.revert for c in store.changes(URL)] == [False, True, True]


def test_unchanged_fetches_add_captures_only(store: Store) -> None:
    store.record_observation(obs(URL, "Same text."))
    for _ in range(5):
        record(store, obs(URL, "Same text."))
        store.record_check(URL, outcome="not_modified", status=304)
    counts = store.counts()
    assert (counts["versions"], counts["captures"], counts["bodies"]) == (1, 11, 1)


def test_errors_never_create_versions(store: Store) -> None:
    store.record_check("http://gov.example/never", outcome="error", status=500, error="HTTP 500")
    store.record_observation(obs(URL, "Text."))
    store.record_check(URL, outcome="error", status=503, error="HTTP 503")
    assert store.document("http://gov.example/never") is None
    assert len(store.versions(URL)) == 1
    assert store.last_fetch(URL).body_hash is not None  # the error is not "the last fetch"
    assert store.counts()["captures"] == 3


def test_removed_statement_gets_a_state_not_an_empty_version(store: Store) -> None:
    store.record_observation(obs(URL, "Text that will vanish."))
    gone = NewAlert("removed", "console", f"removed|{URL}", {"url": URL}, "substantive")
    assert store.mark_removed(URL, 404, [gone]) is True
    assert store.mark_removed(URL, 410, [gone]) is False  # already removed: no second alert
    doc = store.document(URL)
    assert doc.state == "removed"
    assert len(store.versions(URL)) == 1 and len(store.alerts()) == 1
    assert store.text_at(URL, datetime.now(UTC)).canonical_text == "Text that will vanish."
    record(store, obs(URL, "Text that will vanish."))  # back again
    assert store.document(URL).state == "active" and len(store.versions(URL)) == 1


def test_aliases(store: Store) -> None:
    store.record_observation(obs(URL, "Joint statement.", canonical_url="http://gov.example/s?id=1"))
    assert store.document("http://gov.example/s?id=1").url == URL
    # The page the watched URL redirected to is an alias of the same document.
    record(store, obs(URL, "Joint statement.", final_url="http://gov.example/old-slug"))
    assert store.latest_version("http://gov.example/old-slug").canonical_text == "Joint statement."


def test_quote_checks_are_stored_once(store: Store) -> None:
    st = store.record_observation(obs(URL, "We will not cut aid."))
    art = store.record_observation(obs("http://news.example/a", "They said 'we will cut aid'.",
                                       kind="coverage"))
    check = QuoteCheckRecord(art.version.id, st.version.id, "we will cut aid", 10, 25,
                             "misquote", "major", {"reasons": ["negation removed: not"]})
    alert = NewAlert("misquote", "console", "quote|a|1", {"url": "http://news.example/a"})
    store.save_quote_checks(art.version.id, [check], (alert,), art.document.id)
    store.save_quote_checks(art.version.id, [check], (alert,), art.document.id)  # a second run
    assert len(store.quote_checks(art.version.id)) == 1 and len(store.alerts()) == 1
    assert store.articles_quoting(st.document.id) == ["http://news.example/a"]
