"""The `Document`: one extracted statement or article, the unit passed to the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

STATEMENT = "statement"
COVERAGE = "coverage"
KINDS = (STATEMENT, COVERAGE)


@dataclass(frozen=True)
class Document:
    """Main text and metadata of one page, as published (display form)."""

    url: str
    title: str
    paragraphs: tuple[str, ...]
    kind: str = STATEMENT
    canonical_url: str | None = None
    published: datetime | None = None
    issuer: str | None = None
    links: tuple[str, ...] = field(default=(), compare=False)
    extractor: str = field(default="generic", compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def text(self) -> str:
        """Display text: paragraphs as published, separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def to_json(self) -> dict[str, object]:
        """The public `onrecord extract --format json` shape."""
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "issuer": self.issuer,
            "text": self.text,
            "paragraphs": list(self.paragraphs),
        }
