"""The `Alert`: what an outbox entry says, independent of where it is delivered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any
from urllib.parse import urlencode, urlsplit

from compare.vocab import AlertKind, Severity, Significance

EDIT, MISQUOTE, STALE, REMOVED, NEW_STATEMENT, DRIFT = (
    AlertKind.EDIT, AlertKind.MISQUOTE, AlertKind.STALE, AlertKind.REMOVED, AlertKind.NEW,
    AlertKind.DRIFT)


@dataclass(frozen=True)
class ChangeLine:
    """One change or one quote, as shown in an alert.

    `significance` is the change's Significance in an edit, the quote's (or reported
    claim's) Severity in a misquote, stale-quote or drift alert (then `old` is the official
    wording, `new` the press's).
    """

    op: str
    old: str
    new: str
    significance: Significance | Severity
    reasons: tuple[str, ...] = ()
    # A stale quote's CURRENT official wording (`old` is then the wording it quoted, since
    # edited): shown beside the quote so the reader sees then and now. Empty otherwise.
    current: str = ""


@dataclass(frozen=True)
class Alert:
    """An alert about one document: an edit, a misquote, a stale quote, a drifted reported
    claim, a removal.

    Values given as plain strings (a payload read back, a caller's literal) become the
    vocabulary's members, so `alert.kind is AlertKind.STALE` holds however it was built.
    """

    kind: AlertKind
    title: str
    url: str
    significance: Significance
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

    def __post_init__(self) -> None:
        kind = AlertKind(self.kind)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "significance", Significance(self.significance))
        object.__setattr__(self, "lines", tuple(
            ChangeLine(line.op, line.old, line.new, _line_level(kind, line.significance),
                       tuple(line.reasons), line.current)
            for line in self.lines))

    def to_payload(self) -> dict[str, Any]:
        """Plain JSON data: enum members are strings, so they serialise as their values."""
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


def _line_level(kind: AlertKind, value: str) -> Significance | Severity:
    """A line's level as a member: a quote's lines carry a Severity, an edit's a Significance
    (the other vocabulary is accepted too, for lines built by hand)."""
    first, second = (Severity, Significance) if kind.about_quote else (Significance, Severity)
    for vocab in (first, second):
        try:
            return vocab(value)
        except ValueError:
            continue
    raise ValueError(f"{value!r} is neither a significance nor a severity")


def safe_link(url: str | None) -> str | None:
    """An http(s) URL fit for a link or button (scraped URLs are untrusted), else None:
    no other scheme (`javascript:`), no whitespace, within Slack's 3,000-character limit."""
    if not url or len(url) > 3000 or any(c in url for c in "\r\n\t "):
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


# The web site's page that resolves an alert's link (web/app.py `/change`).
WEB_CHANGE_PATH = "/change"


def default_report_base(env: Mapping[str, str]) -> str | None:
    """The report base when a sink names none: $ONRECORD_REPORT_BASE, else the page of
    the web site at $ONRECORD_WEB_URL (`onrecord web`) that leads to the change."""
    explicit = env.get("ONRECORD_REPORT_BASE")
    if explicit:
        return explicit
    web = env.get("ONRECORD_WEB_URL")
    return web.rstrip("/") + WEB_CHANGE_PATH if web else None


def report_link(base: str | None, alert: Alert) -> str | None:
    """The full diff page of `alert` under the configured report base, if there is one;
    a quote or claim alert (misquote, stale, drift) also names its article. Shared by every
    sink.

    Under the web site's base (`default_report_base`) the link opens the compare page of
    the edit's two versions, or the article page of a misquote, stale quote or drifted claim."""
    return change_link(base, alert.subject_url, alert.version,
                       alert.url if alert.kind.about_quote else None)


def change_link(base: str | None, url: str, version: int | None = None,
                article: str | None = None) -> str | None:
    """The report page of the document at `url` (at version `version`; for a quote, of
    `article`'s verdict on it) under `base`: what report_link and the Prefect artifacts show."""
    if not base:
        return None
    params = {"url": url}
    if version is not None:
        params["version"] = str(version)
    if article:
        params["article"] = article
    sep = "&" if "?" in base else "?"
    return safe_link(f"{base}{sep}{urlencode(params)}")
