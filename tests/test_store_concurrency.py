"""Several runs at once, and a run killed mid-write, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

from alerts.console import ConsoleSink
from compare.observe import Outcome
from flows.pipeline import CheckOutcome, Pipeline, Runtime
from sources.document import Document
from sources.fetch import Fetcher
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


class RacingStore(Store):
    """A real store whose first read of a document waits until both writers have read it,
    so each decides against the same version before either writes (the race, every time)."""

    def __init__(self, url: str, barrier: threading.Barrier) -> None:
        super().__init__(url)
        self.barrier = barrier
        self.reads: list[tuple[str, int | None]] = []
        self._lock = threading.Lock()

    # The pipeline reads a document's prior by id, once, while it identifies the document.
    def prior_of(self, document_id: int | None):  # noqa: ANN201
        latest, hashes = super().prior_of(document_id)
        with self._lock:
            self.reads.append((threading.current_thread().name, latest.seq if latest else None))
            first = sum(1 for name, _ in self.reads
                        if name == threading.current_thread().name) == 1
        if first:
            self.barrier.wait(30)
        return latest, hashes


def race(db_url: str, texts: tuple[str, str]) -> tuple[RacingStore, list[CheckOutcome]]:
    """Two pipeline writers (threads) record a new text of one statement at the same time."""
    store = RacingStore(db_url, threading.Barrier(2))
    store.record_observation(obs(RACE_URL, *RACE_V1))
    pipe = Pipeline(Runtime(store, Fetcher(allow_private=True), {"console": ConsoleSink()}))
    docs = [Document(RACE_URL, "Assistance", (RACE_V1[0], text)) for text in texts]
    with ThreadPoolExecutor(2, thread_name_prefix="writer") as pool:
        outcomes = list(pool.map(pipe.record_document, docs))
    return store, outcomes


RACE_URL = "http://race.example/statement"
RACE_V1 = ("The Secretary announced new assistance today.", "The amount is $80 million.")


def test_racing_writers_loser_decides_again_against_the_winner(db_url: str) -> None:
    store, outcomes = race(db_url, ("The amount is $58 million.", "The amount is $90 million."))
    try:
        versions = store.versions(RACE_URL)
        assert [v.seq for v in versions] == [1, 2, 3]  # no duplicate seq, nothing lost
        # Both read version 1 first; exactly one had to read again, and then saw version 2.
        assert sorted(seq for _, seq in store.reads) == [1, 1, 2]
        assert sorted(o.version for o in outcomes) == [2, 3]
        changes = store.changes(RACE_URL)
        ids = [v.id for v in versions]
        # The loser's change is against the winner's version, not the one it first read.
        assert [(c.old_version_id, c.new_version_id) for c in changes] == [
            (ids[0], ids[1]), (ids[1], ids[2])]
        loser = versions[2].canonical_text
        winner, mine = ("58", "90") if "$90" in loser else ("90", "58")
        assert [(c["old"], c["new"]) for c in changes[1].diff["changes"]] == [(winner, mine)]
        edits = [a.payload for a in store.alerts()]
        assert sorted(p["version"] for p in edits) == [2, 3]
    finally:
        store.close()


def test_racing_writers_of_the_same_text_create_one_version(db_url: str) -> None:
    store, outcomes = race(db_url, ("The amount is $58 million.",) * 2)
    try:
        assert [v.seq for v in store.versions(RACE_URL)] == [1, 2]
        assert sorted(o.status for o in outcomes) == ["changed", "unchanged"]
        assert len(store.changes(RACE_URL)) == 1
        assert [a.payload["version"] for a in store.alerts()] == [2]  # one alert, not two
        assert sorted(seq for _, seq in store.reads) == [1, 1, 2]
    finally:
        store.close()
