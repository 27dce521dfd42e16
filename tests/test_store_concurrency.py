"""Several runs at once, and a run killed mid-write, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing

from compare.observe import Outcome
from store import Store
from store.records import NewAlert
from tests.store_workers import die_inside_write, text_for, write_rounds
from tests.storefixtures import obs, record

SPAWN = multiprocessing.get_context("spawn")


def test_concurrent_writers_create_each_version_and_alert_once(db_url: str) -> None:
    Store(db_url).close()  # schema first: this test is about the writes
    urls = [f"http://race.example/{i}" for i in range(12)]
    rounds, workers = 3, 3
    barrier = SPAWN.Barrier(workers)
    procs = [SPAWN.Process(target=write_rounds, args=(db_url, urls, rounds, barrier, seed))
             for seed in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * workers

    store = Store(db_url)
    try:
        alerts = store.alerts()
        for url in urls:
            versions = store.versions(url)
            # exactly one version per distinct text, in order, no revert invented
            assert [v.paragraphs for v in versions] == [text_for(url, r) for r in range(rounds)]
            assert [v.seq for v in versions] == list(range(1, rounds + 1))
            assert all(v.revert_of is None for v in versions)
            assert len(store.changes(url)) == rounds - 1
            edits = [a for a in alerts if a.dedupe_key.startswith(f"edit|{url}|")]
            assert sorted(a.payload["round"] for a in edits) == list(range(1, rounds))
            shared = [a for a in alerts if a.dedupe_key.startswith(f"shared|{url}|")]
            assert len(shared) == rounds
        assert store.counts()["captures"] == len(urls) * rounds * workers
        assert len(store.documents()) == len(urls)
    finally:
        store.close()


def test_killed_mid_write_leaves_nothing_and_rerun_writes_once(db_url: str) -> None:
    url = "http://kill.example/statement"
    store = Store(db_url)
    try:
        record(store, obs(url, "First wording."))
        before = store.counts()
        proc = SPAWN.Process(target=die_inside_write, args=(db_url, url))
        proc.start()
        proc.join(60)
        assert proc.exitcode == -9  # really killed, inside the transaction

        # No partial version, change, capture or alert: the transaction never committed.
        assert store.counts() == before
        assert [v.seq for v in store.versions(url)] == [1]

        def alerts(decision):  # noqa: ANN001, ANN202
            return ((NewAlert("edit", "console", f"edit|{url}|2", {"url": url}),)
                    if decision.outcome is Outcome.CHANGED else ())

        # The next run (the lock the dead one held is free again) writes it all, once.
        second = obs(url, "Second wording, never committed.")
        saved = record(store, second, alerts=alerts)
        assert saved.created and saved.version.seq == 2 and saved.change is not None
        again = record(store, second, alerts=alerts)
        assert not again.created
        assert len(store.versions(url)) == 2
        assert len(store.changes(url)) == 1
        assert [a.dedupe_key for a in store.alerts()] == [f"edit|{url}|2"]
    finally:
        store.close()
