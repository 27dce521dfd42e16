"""What every sink returns, and the sink interface."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from alerts.message import Alert


@dataclass(frozen=True)
class Delivery:
    """Result of one send.

    A failure is one of: `permanent` (the channel's settings are wrong: stop the channel until
    they change), `rejected` (this message can never be sent: fail the alert only), or
    transient. `ambiguous` marks a transient failure after which the message may still have
    been posted (a timeout, a 5xx): the next attempt looks it up before sending again.
    """

    ok: bool
    remote_id: str | None = None
    error: str | None = None
    permanent: bool = False
    rejected: bool = False
    retry_after: float | None = None
    ambiguous: bool = False


@dataclass(frozen=True)
class Lookup:
    """What a sink found of earlier sends: alert ref -> message id, or why it cannot tell."""

    found: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    # True when retrying the look-up is pointless (e.g. a missing scope): send anyway.
    unsupported: bool = False


def alert_ref(dedupe_key: str) -> str:
    """A short, stable reference to an outbox alert, carried in the message's metadata."""
    return hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:24]


def fingerprint(*parts: str | None) -> str:
    """A hash of sink settings: tells whether they changed without storing a secret."""
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


class Sink(Protocol):
    """A delivery target; `send` never raises for a delivery problem."""

    name: str

    def send(self, alert: Alert, thread: str | None = None, ref: str | None = None) -> Delivery: ...


@runtime_checkable
class LookupSink(Protocol):
    """A sink that can tell whether an earlier, uncertain send was in fact delivered."""

    def find_sent(self, refs: Sequence[str], since: datetime,
                  thread: str | None = None) -> Lookup: ...


@runtime_checkable
class DigestSink(Protocol):
    """A sink that can post many alerts as one message (digest mode)."""

    digest_min: int

    def send_digest(self, alerts: Sequence[Alert], refs: Sequence[str]) -> Delivery: ...
