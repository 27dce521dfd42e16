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
from datetime import datetime, timedelta

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
# A Retry-After longer than this is not waited out (by us or by the Slack client): the alert
# stays pending with next_attempt_at = now + Retry-After and the run goes on. Waiting a
# 120 s Retry-After twice blocked `onrecord deliver` for 243 s; 3600 would block for hours.
MAX_WAIT = 30.0
CLAIM_BATCH = 50  # alerts claimed at a time: ~1 message a second fits well in a lease


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did. `errors` are new problems; `blocked`, channels still
    stopped by an earlier permanent error; `failed_total`, failed alerts waiting in the
    outbox (this run's and earlier ones'); `left`, alerts due but not attempted because the
    run's limit or time budget was spent.

    Nothing stops silently: `problems` lists, for every run until fixed, each stopped
    channel and failed alert count, and `ok` is False while there are any.
    """

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    recovered: int = 0  # found already delivered by an earlier, interrupted attempt
    failed_total: int = 0
    left: int = 0

    @property
    def ok(self) -> bool:
        """No channel stopped and no failed alert waiting: nothing needs a person."""
        return not self.blocked and not self.failed_total and not any(
            e.endswith(STOPPED) for e in self.errors)

    @property
    def problems(self) -> tuple[str, ...]:
        """One line each: what cannot be delivered, and what to do about it."""
        lines = [*self.errors, *(f"{b}; fix its settings to resume" for b in self.blocked)]
        if self.failed_total:
            lines.append(f"{self.failed_total} failed alert(s) in the outbox: requeue them "
                         "with `onrecord deliver --retry-failed`")
        if self.left:
            lines.append(f"{self.left} alert(s) left for the next run")
        return tuple(lines)


STOPPED = "(stopped until its settings change)"


class _Run:
    """Mutable tallies of one deliver() call."""

    def __init__(self) -> None:
        self.sent = self.retrying = self.failed = self.recovered = 0
        self.failed_total = self.left = 0
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.paused: dict[str, datetime] = {}  # channel -> rate-limited until

    def report(self) -> DeliveryReport:
        return DeliveryReport(self.sent, self.retrying, self.failed,
                              tuple(dict.fromkeys(self.errors)), tuple(self.blocked),
                              self.recovered, self.failed_total, self.left)


def deliver(store: Store, sinks: Mapping[str, Sink], limit: int = 500, *,
            lease: timedelta = LEASE, attempts_per_run: int = 3,
            backoff: float = 1.0, budget: float | None = None) -> DeliveryReport:
    """Send due outbox alerts to the sink named by their channel.

    `limit` caps the alerts a channel is sent per run; `budget`, if given, the seconds a run
    keeps claiming new batches (a batch under way is finished). What is left is reported.
    `backoff` is the first wait, in seconds, between attempts (doubling each time), within
    this run and across runs.
    """
    run = _Run()
    started = time.monotonic()
    for channel, sink in sinks.items():
        _drain(store, channel, sink, run, limit, lease, attempts_per_run, backoff,
               None if budget is None else started + budget)
        due, failed = store.outbox_tally(channel)
        run.failed_total += failed
        if store.channel_block(channel) is None:  # a stopped channel's alerts wait instead
            run.left += due
    if run.left:
        log.warning("%d alert(s) left for the next run", run.left)
    if run.failed_total:
        log.warning("%d failed alert(s) in the outbox; `onrecord deliver --retry-failed` "
                    "requeues them", run.failed_total)
    return run.report()


def _drain(store: Store, channel: str, sink: Sink, run: _Run, limit: int, lease: timedelta,
           attempts_per_run: int, backoff: float, deadline: float | None) -> None:
    """Deliver one channel's due alerts, up to `limit` and until `deadline` (monotonic)."""
    if _channel_stopped(store, channel, sink, run):
        return
    digest_min = sink.digest_min if sink.abilities.digests else 0
    # Claim in small batches: every claimed alert must be sent well within its lease,
    # or an overlapping run could claim it again while this one still holds it.
    chunk = limit if digest_min else min(limit, CLAIM_BATCH)
    remaining = limit
    while remaining > 0 and (deadline is None or time.monotonic() < deadline):
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


def _deliver_batches(store: Store, channel: str, sink: Sink,
                     batches: Sequence[Sequence[OutboxAlert]], run: _Run, attempts: int,
                     backoff: float) -> bool:
    """Deliver batches in order; False when the channel stopped for this run."""
    for i, batch in enumerate(batches):
        if not _deliver_batch(store, channel, sink, batch, run, attempts, backoff):
            # An outage, a rate limit or a stop: leave the rest for a later run without
            # hammering the channel now.
            rest = [item for later in batches[i + 1:] for item in later]
            # Not attempted, so due again at once; a stop or the failed alert's own
            # backoff is what paces the channel. A rate limit is the channel's, not one
            # alert's: the rest wait out the same Retry-After.
            due = run.paused.get(channel) or now()
            for item in rest:
                store.mark_retry(item.id, "not attempted: channel unavailable this run", due)
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
        # Said on every run (a warning; the error itself was logged once, when it
        # happened): a stopped channel with alerts piling up must never look healthy.
        waiting = store.pending_count(channel)
        log.warning("alert delivery to %s stopped since %s UTC: %s; %d alert(s) wait",
                    channel, f"{since:%Y-%m-%d %H:%M}", error, waiting)
        run.blocked.append(f"{channel}: stopped since {since:%Y-%m-%d %H:%M} UTC by {error}, "
                           f"{waiting} alert(s) waiting")
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
            run.errors.append(f"{channel}: {error} {STOPPED}")
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
    if retry_after is not None:
        run.paused[channel] = now() + timedelta(seconds=retry_after)
    log.warning("alert delivery to %s: %s; %d alert(s) left for a later run", channel, error,
                len(pending))
    run.errors.append(f"{channel}: {error}")
    run.retrying += len(pending)
