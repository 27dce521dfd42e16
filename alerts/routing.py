"""Which outbox channels an alert goes to: Slack routes by severity, kind or source, and each
channel's minimum significance. Pure functions; the pipeline calls `channels_for` at enqueue.

A route spec (``SLACK_ROUTES``) is a list separated by commas, semicolons or newlines of
``MATCH=CHANNEL`` or ``MATCH=CHANNEL@LEVEL``:

    substantive=C0URGENT, misquote=C0PRESS, stale=C0PRESS, host:state.gov=C0STATE@minor

MATCH is a significance (``substantive``, ``minor``, ``cosmetic``), an alert kind (``edit``,
``misquote``, ``stale``, ``removed``, ``new``; a stale quote is its own kind, so
``misquote=`` does not catch it), ``host:DOMAIN`` (the statement's host or a subdomain of
it: a channel per source site), ``issuer:TEXT`` (a substring of the issuer) or ``*``.
The first matching route wins; an alert no route matches goes to ``SLACK_CHANNEL``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from alerts.message import Alert
from compare.vocab import AlertKind, Significance

LEVELS = tuple(Significance.alertable())  # what a route may match or require
KINDS = tuple(AlertKind)
_ALL_LEVELS = frozenset(level.value for level in Significance)


@dataclass(frozen=True)
class Route:
    """Alerts matching `match` go to Slack channel `channel` (if at least `min_level`)."""

    match: str
    channel: str
    min_level: Significance | None = None

    @property
    def name(self) -> str:
        """The outbox channel name: stable while the Slack channel behind it may change."""
        return "slack" if self.match == "*" else f"slack:{self.match}"

    def matches(self, alert: Alert) -> bool:
        m = self.match
        if m == "*":
            return True
        if m in LEVELS:
            return alert.significance == m
        if m in KINDS:
            return alert.kind == m
        if m.startswith("host:"):
            want = m[5:].lower()
            host = (urlsplit(alert.statement_url or alert.url).hostname or "").lower()
            return host == want or host.endswith("." + want)
        if m.startswith("issuer:"):
            return m[7:].lower() in (alert.issuer or "").lower()
        return False


def parse_routes(spec: str | None) -> tuple[Route, ...]:
    """Routes from a spec; ValueError with a one-line reason for a bad entry."""
    routes: list[Route] = []
    for entry in re.split(r"[,;\n]", spec or ""):
        entry = entry.strip()
        if not entry:
            continue
        match, sep, target = entry.partition("=")
        match, target = match.strip().lower(), target.strip()
        if not sep or not match or not target:
            raise ValueError(f"SLACK_ROUTES entry {entry!r}: expected MATCH=CHANNEL")
        channel, _, level = target.partition("@")
        if level and level not in LEVELS:
            raise ValueError(f"SLACK_ROUTES entry {entry!r}: level must be cosmetic, minor or "
                             "substantive")
        known = (match == "*" or match in LEVELS or match in KINDS
                 or match.startswith(("host:", "issuer:")))
        if not known:
            raise ValueError(f"SLACK_ROUTES entry {entry!r}: unknown match {match!r}")
        routes.append(Route(match, channel.strip(), Significance(level) if level else None))
    return tuple(routes)


def reaches(significance: str, minimum: str) -> bool:
    """Is `significance` at least `minimum`? (unknown levels count as minor)."""
    def level(value: str) -> Significance:
        return Significance(value) if value in _ALL_LEVELS else Significance.MINOR
    return level(significance).reaches(level(minimum))


def channels_for(alert: Alert, sinks: Mapping[str, object], default_min: str) -> Iterator[str]:
    """Outbox channels for `alert`: every plain sink, and the first Slack route that matches.

    A sink with a `route` attribute is a routed Slack channel (build them in route order,
    the catch-all last); any other sink (console, webhook) receives every alert. Each sink's
    own `min_significance`, else `default_min`, filters what reaches it: below it, a change is
    stored but not posted.
    """
    routed = False
    for name, sink in sinks.items():
        route: Route | None = getattr(sink, "route", None)
        if route is not None:
            if routed or not route.matches(alert):
                continue
            routed = True  # chosen, even if its level then filters the alert out
        minimum = getattr(sink, "min_significance", None) or default_min
        if reaches(alert.significance, minimum):
            yield name
