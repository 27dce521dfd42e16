"""Functions run in separate processes by the store's concurrency tests (spawn start method:
each worker is a fresh interpreter with its own connections, like a second run would be)."""

from __future__ import annotations

import os
import random
import signal

from sqlalchemy import event

from compare.observe import Outcome
from store import Store
from store.records import ChangeRecord, NewAlert
from tests.storefixtures import obs, record


def text_for(url: str, round_: int) -> tuple[str, ...]:
    return (f"Statement at {url}.", f"Wording of round {round_}: the figure is ${round_ * 10} million.")


def write_rounds(db_url: str, urls: list[str], rounds: int, barrier, seed: int) -> None:  # noqa: ANN001
    """Every worker writes the same text for every URL in each round, in its own order.

    The edit alert's dedupe key names the worker, so a version created twice would show up
    as two alerts; the `shared` alert uses one key for all workers and must dedupe.
    """
    rng = random.Random(seed)
    store = Store(db_url)
    try:
        for r in range(rounds):
            barrier.wait(60)
            order = urls[:]
            rng.shuffle(order)
            for url in order:
                def alerts(decision, url=url, r=r):  # noqa: ANN001, ANN202
                    if decision.outcome is not Outcome.CHANGED:
                        return ()  # a first version is news to no one; a repeat is no news
                    return (NewAlert("edit", "console", f"edit|{url}|{r}|{os.getpid()}",
                                     {"url": url, "round": r}),)

                record(store, obs(url, *text_for(url, r)), alerts=alerts)
                store.enqueue([NewAlert("note", "console", f"shared|{url}|{r}", {"url": url})])
    finally:
        store.close()


def die_inside_write(db_url: str, url: str) -> None:
    """Start recording a new version, then get SIGKILLed between its insert and the commit."""
    store = Store(db_url)

    @event.listens_for(store.engine, "before_cursor_execute")
    def _die(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            # The capture, version and change rows are written, the transaction is open.
            os.kill(os.getpid(), signal.SIGKILL)

    store.record_observation(obs(url, "Second wording, never committed."), expected_latest=1,
                             change=ChangeRecord("substantive", "reworded", {"changes": []}),
                             alerts=(NewAlert("edit", "console", f"edit|{url}|2", {"url": url}),))
    raise SystemExit(3)  # not reached
