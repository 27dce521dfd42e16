"""Drain the store's outbox into sinks: retries with backoff, each alert sent once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from alerts.message import Alert
from alerts.sink import Sink
from store import Store
from store.db import now

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


def deliver(store: Store, sinks: Mapping[str, Sink], limit: int = 500) -> DeliveryReport:
    """Send due outbox alerts to the sink named by their channel."""
    sent = retrying = failed = 0
    errors: list[str] = []
    blocked: set[str] = set()
    for channel, sink in sinks.items():
        for item in store.claim_alerts(channel=channel, limit=limit):
            if channel in blocked:
                store.mark_retry(item.id, "not attempted: channel blocked this run", now())
                continue
            alert = Alert.from_payload(item.payload)
            thread = store.thread_id(item.document_id, channel) if item.document_id else None
            result = sink.send(alert, thread)
            if result.ok:
                store.mark_sent(item.id, result.remote_id)
                if item.document_id and result.remote_id and thread is None:
                    store.set_thread_id(item.document_id, channel, result.remote_id)
                sent += 1
            elif result.permanent or item.attempts >= MAX_ATTEMPTS:
                store.mark_failed(item.id, result.error or "failed")
                if result.error not in errors:
                    errors.append(f"{channel}: {result.error}")
                    log.error("alert delivery to %s failed permanently: %s", channel, result.error)
                blocked.add(channel)
                failed += 1
            else:
                delay = result.retry_after or min(600.0, 2.0 ** item.attempts)
                store.mark_retry(item.id, result.error or "error", now() + timedelta(seconds=delay))
                blocked.add(channel)  # an outage or rate limit: stop hammering this run
                retrying += 1
                errors.append(f"{channel}: {result.error}")
    return DeliveryReport(sent, retrying, failed, tuple(dict.fromkeys(errors)))
