"""Which outbox channels an alert goes to. Pure functions; the pipeline calls `channels_for`
at enqueue.

Every sink has a minimum significance and `Routes` (alert kinds, hosts, issuers: the
`routes = {...}` of a [[sink]] table); sinks with a `route` also form a chain in which an
alert goes to the first whose route matches (the `SLACK_ROUTES` semantics, and `route = "..."`
in a [[sink]] table).

A route spec (``SLACK_ROUTES``) is a list separated by commas, semicolons or newlines of
``MATCH=CHANNEL`` or ``MATCH=CHANNEL@LEVEL``:

    substantive=C0URGENT, misquote=C0PRESS, stale=C0PRESS, host:state.gov=C0STATE@minor

MATCH is a significance (``substantive``, ``minor``, ``cosmetic``), an alert kind (``edit``,
``misquote``, ``stale``, ``drift``, ``removed``, ``new``; a stale quote and a drifted
reported claim are their own kinds, so ``misquote=`` catches neither), ``host:DOMAIN`` (the statement's host or a subdomain of
it: a channel per source site), ``issuer:TEXT`` (a substring of the issuer) or ``*``.
The first matching route wins; an alert no route matches goes to ``SLACK_CHANNEL``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from alerts.message import Alert
from compare.vocab import AlertKind, Significance

LEVELS = tuple(Significance.alertable())  # what a route may match or require
KINDS = tuple(AlertKind)
_ALL_LEVELS = frozenset(level.value for level in Significance)


def _host(alert: Alert) -> str:
    return (urlsplit(alert.statement_url or alert.url).hostname or "").lower()


def _on_host(host: str, want: str) -> bool:
    return host == want or host.endswith("." + want)


@dataclass(frozen=True)
class Routes:
    """Which alerts a sink takes: any of `kinds`, from any of `hosts` (a statement's host or
    a subdomain of it), by any of `issuers` (substrings); an empty field takes everything.
    A stale quote is its own kind: `misquote` does not take it, as in the route chain."""

    kinds: frozenset[AlertKind] = frozenset()
    hosts: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()

    @classmethod
    def of(cls, kinds: Sequence[str] = (), hosts: Sequence[str] = (),
           issuers: Sequence[str] = ()) -> Routes:
        """Routes from lists as written; ValueError names an unknown kind."""
        wrong = [k for k in kinds if k.lower() not in KINDS]
        if wrong:
            raise ValueError(f"unknown alert kind {wrong[0]!r} (one of {', '.join(KINDS)})")
        return cls(frozenset(AlertKind(k.lower()) for k in kinds),
                   tuple(h.lower().strip(".") for h in hosts),
                   tuple(i.lower() for i in issuers))

    def matches(self, alert: Alert) -> bool:
        if self.kinds and alert.kind not in self.kinds:
            return False
        if self.hosts and not any(_on_host(_host(alert), h) for h in self.hosts):
            return False
        issuer = (alert.issuer or "").lower()
        return not self.issuers or any(i in issuer for i in self.issuers)


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
            return _on_host(_host(alert), m[5:].lower())
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
        if not _known(match):
            raise ValueError(f"SLACK_ROUTES entry {entry!r}: unknown match {match!r}")
        routes.append(Route(match, channel.strip(), Significance(level) if level else None))
    return tuple(routes)


def _known(match: str) -> bool:
    return (match == "*" or match in LEVELS or match in KINDS
            or match.startswith(("host:", "issuer:")))


def parse_route(match: str, channel: str) -> Route:
    """One MATCH (as in SLACK_ROUTES, without `=CHANNEL`) for the sink `channel`."""
    match = match.strip().lower()
    if not _known(match):
        raise ValueError(f"unknown match {match!r} (a significance, an alert kind, "
                         "host:DOMAIN, issuer:TEXT or *)")
    return Route(match, channel)


def reaches(significance: str, minimum: str) -> bool:
    """Is `significance` at least `minimum`? (unknown levels count as minor)."""
    def level(value: str) -> Significance:
        return Significance(value) if value in _ALL_LEVELS else Significance.MINOR
    return level(significance).reaches(level(minimum))


class Routed(Protocol):
    """What routing reads of a sink (alerts.sink.Sink has it all)."""

    route: Route | None
    routes: Routes
    min_significance: str | None


def channels_for(alert: Alert, sinks: Mapping[str, Routed], default_min: str) -> Iterator[str]:
    """Outbox channels for `alert`: every sink whose `routes` take it, except that of the
    chained sinks (those with a `route`, in order, the catch-all last) only the first whose
    route matches does.

    Each sink's own `min_significance`, else `default_min`, then filters what reaches it:
    below it, a change is stored but not posted.
    """
    routed = False
    for name, sink in sinks.items():
        if not sink.routes.matches(alert):
            continue
        route = sink.route
        if route is not None:
            if routed or not route.matches(alert):
                continue
            routed = True  # chosen, even if its level then filters the alert out
        minimum = sink.min_significance or default_min
        if reaches(alert.significance, minimum):
            yield name
