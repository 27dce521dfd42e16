"""Store semantics on SQLite and PostgreSQL: versions, reverts, time travel, outbox."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from compare.observe import Outcome
from store import Store
from store.records import ChangeRecord, NewAlert
from tests.storefixtures import obs, record


def test_unchanged_fetch_adds_no_version(store: Store) -> None:
    a = record(store, obs("http://x/1", "Alpha text here."))
    b = record(store, obs("http://x/1", "Alpha text here."))
    assert a.created and not b.created
    assert b.version.id == a.version.id
    assert len(store.versions("http://x/1")) == 1
    assert store.counts()["captures"] == 2


def test_revert_is_recorded(store: Store) -> None:
    record(store, obs("http://x/r", "Version A."))
    record(store, obs("http://x/r", "Version B."))
    c = record(store, obs("http://x/r", "Version A."))
    assert c.created and c.version.seq == 3 and c.version.revert_of == 1
    assert c.change is not None and c.change.revert


def test_text_at_time(store: Store) -> None:
    record(store, obs("http://x/t", "First wording."))
    time.sleep(0.01)
    middle = datetime.now(UTC)
    time.sleep(0.01)
    record(store, obs("http://x/t", "Second wording."))
    assert store.text_at("http://x/t", middle).canonical_text == "First wording."
    assert store.text_at("http://x/t", datetime.now(UTC)).canonical_text == "Second wording."
    assert store.text_at("http://x/t", datetime(2000, 1, 1, tzinfo=UTC)) is None


def test_version_change_and_alerts_commit_together(store: Store) -> None:
    record(store, obs("http://x/a", "One."))

    # The version and its change are inserted, then the alert cannot be written: the whole
    # transaction is rolled back.
    unwritable = NewAlert("edit", "console", "k0", {"not json": object()})
    with pytest.raises(Exception, match="JSON serializable"):
        store.record_observation(obs("http://x/a", "Two."), expected_latest=1,
                                 change=ChangeRecord("minor", "s", {}), alerts=(unwritable,))
    assert len(store.versions("http://x/a")) == 1  # nothing partial
    assert store.changes("http://x/a") == [] and store.alerts() == []
    alert = NewAlert("edit", "console", "k1", {"title": "t"})
    saved = record(store, obs("http://x/a", "Two."),
                   alerts=lambda d: (alert,) if d.outcome is Outcome.CHANGED else ())
    assert saved.created
    assert [a.dedupe_key for a in store.alerts()] == ["k1"]
    store.enqueue([alert])  # the same dedupe key again: no second alert
    assert len(store.alerts()) == 1


def test_outbox_claim_and_mark(store: Store) -> None:
    store.enqueue([NewAlert("edit", "console", "a", {}), NewAlert("edit", "slack:#x", "b", {})])
    claimed = store.claim_alerts("console")
    assert [c.dedupe_key for c in claimed] == ["a"]
    assert store.claim_alerts("console") == []  # claimed alerts are not handed out twice
    store.mark_sent(claimed[0].id, "ts1")
    assert store.alerts("sent")[0].remote_id == "ts1"


def test_raw_body_stored_once_compressed(store: Store) -> None:
    o = obs("http://x/b", "Body text.")
    record(store, o)
    record(store, obs("http://x/b2", "Body text."))
    assert store.body(o.body_hash) == b"<p>x</p>"
    assert store.counts()["bodies"] == 1
