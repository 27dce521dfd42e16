"""What every sink returns, and the sink interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from alerts.message import Alert


@dataclass(frozen=True)
class Delivery:
    """Result of one send: ok, or an error that is retryable or permanent."""

    ok: bool
    remote_id: str | None = None
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None


class Sink(Protocol):
    name: str

    def send(self, alert: Alert, thread: str | None = None) -> Delivery: ...
