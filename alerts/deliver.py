"""Drain the store's outbox into sinks: retries with backoff, each alert delivered once.

Exactly once, step by step:

- alerts are claimed with a lease; a run that dies leaves them 'sending' until the lease
  expires, then another run may claim them;
- before each send the store records that the alert *may* be delivered from now on
  (`begin_send`); a definite outcome (sent, or an answer saying it was not posted) clears it;
- an alert claimed with such a record (a killed run, a timeout, a 5xx) is first looked up,
  by a sink that declares `history_lookup` (Slack), by the ref carried in its message
  metadata: if it is there, it is marked sent with that message's id and not posted again.

What a sink can do (threads, look-ups, digests) is read from its declared `Abilities`.

A permanent error (invalid_auth, channel_not_found) stops the channel, logged once, and the
channel stays stopped while the settings' fingerprint is the same; its alerts wait, pending.
Transient errors (an outage, a 429) never fail an alert: it is retried with backoff, by
this run a few times and by later runs until it goes through.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from alerts.message import Alert
from alerts.sink import Sink, alert_ref
from store import Store
from store.db import now
from store.records import OutboxAlert

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
# Slack's clock and ours may differ; look a little further back than our own record says.
LOOKUP_SKEW = timedelta(minutes=5)
MAX_DELAY = 900.0  # seconds between attempts across runs, at most
MAX_WAIT = 30.0
CLAIM_BATCH = 50  # alerts claimed at a time: ~1 message a second fits well in a lease  # a Retry-After longer than this is left to a later run


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did. `errors` are new problems; `blocked`, channels still
    stopped by an earlier permanent error (already reported when it happened)."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    recovered: int = 0  # found already delivered by an earlier, interrupted attempt


class _Run:
    """Mutable tallies of one deliver() call."""

    def __init__(self) -> None:
        self.sent = self.retrying = self.failed = self.recovered = 0
        self.errors: list[str] = []
        self.blocked: list[str] = []

    def report(self) -> DeliveryReport:
        return DeliveryReport(self.sent, self.retrying, self.failed,
                              tuple(dict.fromkeys(self.errors)), tuple(self.blocked),
                              self.recovered)


def deliver(store: Store, sinks: Mapping[str, Sink], limit: int = 500, *,
            lease: timedelta = LEASE, attempts_per_run: int = 3,
            backoff: float = 1.0) -> DeliveryReport:
    """Send due outbox alerts to the sink named by their channel.

    `backoff` is the first wait, in seconds, between attempts (doubling each time), within
    this run and across runs.
    """
    run = _Run()
    for channel, sink in sinks.items():
        if _channel_stopped(store, channel, sink, run):
            continue
        digest_min = sink.digest_min if sink.abilities.digests else 0
        # Claim in small batches: every claimed alert must be sent well within its lease,
        # or an overlapping run could claim it again while this one still holds it.
        chunk = limit if digest_min else min(limit, CLAIM_BATCH)
        remaining = limit
        while remaining > 0:
            items = store.claim_alerts(channel=channel, limit=min(chunk, remaining), lease=lease)
            if not items:
                break
            remaining -= len(items)
            if digest_min and len(items) >= max(2, digest_min):
                batches = [items]
            else:
                batches = [[item] for item in items]
            if not _deliver_batches(store, channel, sink, batches, run, attempts_per_run,
                                    backoff):
                break
            if digest_min:
                break  # one digest per run
    return run.report()


def _deliver_batches(store: Store, channel: str, sink: Sink,
                     batches: Sequence[Sequence[OutboxAlert]], run: _Run, attempts: int,
                     backoff: float) -> bool:
    """Deliver batches in order; False when the channel stopped for this run."""
    for i, batch in enumerate(batches):
        if not _deliver_batch(store, channel, sink, batch, run, attempts, backoff):
            # An outage, a rate limit or a stop: leave the rest for a later run without
            # hammering the channel now.
            rest = [item for later in batches[i + 1:] for item in later]
            for item in rest:
                # Not attempted, so due again at once; a stop or the failed alert's own
                # backoff is what paces the channel.
                store.mark_retry(item.id, "not attempted: channel unavailable this run", now())
            run.retrying += len(rest)
            return False
    return True


def _channel_stopped(store: Store, channel: str, sink: Sink, run: _Run) -> bool:
    """Is the channel stopped by a permanent error under the same settings?"""
    fp = sink.fingerprint or None
    block = store.channel_block(channel)
    if block is None:
        return False
    stored_fp, error, since = block
    if fp is not None and stored_fp == fp:
        # Reported when it happened; saying it again every run is noise.
        log.debug("channel %s still stopped since %s: %s", channel, since, error)
        run.blocked.append(f"{channel}: {error} (since {since:%Y-%m-%d %H:%M} UTC)")
        return True
    store.unblock_channel(channel)
    log.info("settings of %s changed since its error (%s): delivering again", channel, error)
    return False


def _thread_for(store: Store, sink: Sink, item: OutboxAlert, alert: Alert
                ) -> tuple[int | None, str | None]:
    """(document the thread belongs to, thread id in this sink) for an alert.

    A misquote threads under the statement it concerns, so every alert about a statement,
    its edits and the quotes they affect, reads as one conversation.
    """
    scope = sink.thread_scope
    if not sink.abilities.threads or scope is None:
        return None, None
    doc_id = item.document_id
    if alert.statement_url:
        subject = store.document(alert.statement_url)
        doc_id = subject.id if subject else doc_id
    if doc_id is None:
        return None, None
    return doc_id, store.thread_id(doc_id, scope)


def _deliver_batch(store: Store, channel: str, sink: Sink, batch: Sequence[OutboxAlert],
                   run: _Run, attempts: int, backoff: float) -> bool:
    """Deliver one message (one alert, or a digest of several). False: stop the channel."""
    alerts = [Alert.from_payload(item.payload) for item in batch]
    refs = [alert_ref(item.dedupe_key) for item in batch]
    doc_id, thread = (_thread_for(store, sink, batch[0], alerts[0]) if len(batch) == 1
                      else (None, None))
    pending = list(zip(batch, alerts, refs, strict=True))
    for attempt in range(max(1, attempts)):
        # 1. Was an earlier, uncertain attempt delivered after all?
        uncertain = [(i, store.send_started(i.id)) for i, _, _ in pending]
        starts = [s for _, s in uncertain if s is not None]
        if starts and sink.abilities.history_lookup:
            lookup = sink.find_sent([r for _, _, r in pending], min(starts) - LOOKUP_SKEW, thread)
            for item, _alert, ref in pending:
                if ref in lookup.found:
                    _sent(store, sink, item, doc_id, thread, lookup.found[ref])
                    run.sent += 1
                    run.recovered += 1
                    log.info("alert %s was already delivered to %s (an interrupted run); "
                             "not sending it again", item.id, channel)
            pending = [p for p in pending if p[2] not in lookup.found]
            if not pending:
                return True
            if lookup.error and not lookup.unsupported:
                # Cannot tell yet whether it was posted: sending now could duplicate it.
                if attempt + 1 < attempts:
                    time.sleep(backoff * 2 ** attempt)
                    continue
                _retry(store, pending, lookup.error, backoff, None, run, channel)
                return False
            if lookup.unsupported:
                log.warning("%s: cannot check earlier sends (%s); sending again, a duplicate "
                            "is possible", channel, lookup.error)

        # 2. Send, recording first that it may be delivered from now on.
        stamp = now()
        for item, _, _ in pending:
            store.begin_send(item.id, stamp)
        if len(pending) == 1:
            item, alert, ref = pending[0]
            result = sink.send(alert, thread, ref)
        else:
            result = sink.send_digest([a for _, a, _ in pending], [r for _, _, r in pending])
        if result.ok:
            for item, _, _ in pending:
                _sent(store, sink, item, doc_id, thread, result.remote_id)
            run.sent += len(pending)
            return True
        if not result.ambiguous:
            for item, _, _ in pending:
                store.clear_send(item.id)  # Slack answered: it was not posted
        error = result.error or "error"
        if result.permanent:
            fp = sink.fingerprint or "none"
            store.block_channel(channel, fp, error)
            waiting = store.pending_count(channel)
            for item, _, _ in pending:
                store.mark_retry(item.id, error, now())
            log.error("alert delivery to %s stopped: %s. %d alert(s) wait in the outbox and "
                      "go out once the token or channel settings change.", channel, error,
                      waiting)
            run.errors.append(f"{channel}: {error} (stopped until its settings change)")
            run.retrying += len(pending)
            return False
        if result.rejected:
            for item, _, _ in pending:
                store.mark_failed(item.id, error)
            log.error("alert delivery to %s: message rejected: %s", channel, error)
            run.errors.append(f"{channel}: {error}")
            run.failed += len(pending)
            return True  # the channel itself works
        wait = result.retry_after if result.retry_after is not None else backoff * 2 ** attempt
        if attempt + 1 < attempts and wait <= MAX_WAIT and result.retry_after is None:
            # A 429 was already waited out and retried by the client: leave it to a later
            # run. Other transient errors get a few backed-off attempts now.
            time.sleep(wait)
            continue
        _retry(store, pending, error, backoff, result.retry_after, run, channel)
        return False
    return False


def _sent(store: Store, sink: Sink, item: OutboxAlert, doc_id: int | None,
          thread: str | None, remote_id: str | None) -> None:
    store.mark_sent(item.id, remote_id)
    store.clear_send(item.id)
    scope = sink.thread_scope if sink.abilities.threads else None
    if scope and doc_id is not None and remote_id and thread is None:
        # The first alert about a document starts its thread; later ones reply in it.
        store.set_thread_id(doc_id, scope, remote_id)


def _retry(store: Store, pending: Sequence[tuple[OutboxAlert, Alert, str]], error: str,
           backoff: float, retry_after: float | None, run: _Run, channel: str) -> None:
    for item, _, _ in pending:
        # Honour Retry-After; otherwise back off exponentially, capped, and never give up
        # on a transient error: an outage leaves alerts pending for a later run.
        delay = retry_after if retry_after is not None else min(
            MAX_DELAY, backoff * 2 ** min(item.attempts, 20))
        store.mark_retry(item.id, error, now() + timedelta(seconds=delay))
    log.warning("alert delivery to %s: %s; %d alert(s) left for a later run", channel, error,
                len(pending))
    run.errors.append(f"{channel}: {error}")
    run.retrying += len(pending)
