"""The `Alert`: what an outbox entry says, independent of where it is delivered."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

EDIT, MISQUOTE, REMOVED, NEW_STATEMENT = "edit", "misquote", "removed", "new"


@dataclass(frozen=True)
class ChangeLine:
    """One change or one misquote, as shown in an alert."""

    op: str
    old: str
    new: str
    significance: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alert:
    """An alert about one document: an edit, a misquote, a removal."""

    kind: str
    title: str
    url: str
    significance: str
    summary: str
    issuer: str | None = None
    when: str | None = None  # ISO 8601
    version: int | None = None
    lines: tuple[ChangeLine, ...] = field(default=())
    statement_url: str | None = None
    revert: bool = False

    @property
    def subject_url(self) -> str:
        """The statement this alert is about: a misquote's statement, else its own document.

        Alerts are threaded by subject, so a misquote or a stale quote lands in the thread of
        the statement it concerns, beside that statement's edits.
        """
        return self.statement_url or self.url

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Alert:
        # Keys unknown to this version (written by a newer one) are ignored, not fatal.
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["lines"] = tuple(
            ChangeLine(**{**line, "reasons": tuple(line.get("reasons", ()))})
            for line in data.get("lines", ())
        )
        return cls(**data)
