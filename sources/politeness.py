"""Politeness: a per-host minimum delay and concurrency limit, and robots.txt."""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class HostPolicy:
    """How hard one host may be hit: requests start at least `min_delay` seconds apart,
    and at most `max_concurrent` are in flight at once."""

    min_delay: float = 1.0
    max_concurrent: int = 2


class HostLimiter:
    """Per-host slots; `with limiter.slot(host):` waits for a turn. Thread-safe.

    The delay is between request *starts*, so a slow host is not also penalised by
    the delay; concurrency bounds how many of its requests are open at once.
    """

    def __init__(
        self,
        default: HostPolicy | None = None,
        per_host: dict[str, HostPolicy] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.default = default or HostPolicy()
        self.per_host = {h.lower(): p for h, p in (per_host or {}).items()}
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._sems: dict[str, threading.BoundedSemaphore] = {}

    def policy(self, host: str) -> HostPolicy:
        host = host.lower()
        while host:
            if host in self.per_host:
                return self.per_host[host]
            host = host.partition(".")[2]
        return self.default

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        host = host.lower()
        policy = self.policy(host)
        with self._lock:
            sem = self._sems.get(host)
            if sem is None:
                sem = self._sems[host] = threading.BoundedSemaphore(max(1, policy.max_concurrent))
        with sem:
            if policy.min_delay > 0:
                # Reserve a start time under the lock, then sleep outside it.
                with self._lock:
                    now = self._clock()
                    start = max(now, self._next_start.get(host, now))
                    self._next_start[host] = start + policy.min_delay
                if start > now:
                    self._sleep(start - now)
            yield


@dataclass(frozen=True)
class RobotsFile:
    """A robots.txt as fetched: HTTP status (0: could not be fetched at all), its text,
    and how long the server said it may be kept (Cache-Control max-age), if it did."""

    status: int
    text: str = ""
    max_age: float | None = None


class RobotsStore(Protocol):
    """Where robots.txt files outlive the process (the store implements it; the pipeline wires
    it, so sources/ needs no store). Expiry is a POSIX time: a monotonic clock does not
    survive a restart."""

    def load_robots(self, base: str) -> tuple[int, str, float] | None:
        """(status, text, expiry) kept for `base` ("https://host"), or None."""

    def save_robots(self, base: str, status: int, text: str, expires: float) -> None:
        """Keep `base`'s robots.txt until `expires`."""


class RobotsCache:
    """robots.txt per scheme+host, fetched once and kept until it expires.

    `get(robots_url) -> RobotsFile` does the fetching (the Fetcher's, so the same safety
    checks, size and time limits apply). As RFC 9309 says: 4xx means no rules, 5xx or an
    unreachable host means "disallow everything" for now. A rule set is kept for `ttl`
    seconds (24 hours, RFC 9309's ceiling) or the server's shorter max-age; a 5xx
    answer only for `error_ttl`, so a passing outage does not close a host for a day.
    When robots.txt could not be fetched at all (status 0), the page request goes ahead
    uncached: it fails on its own with the real reason (connection refused, DNS), which
    is the more useful error.

    With `persist` (a RobotsStore) a kept rule set is also written there with its expiry and
    read back by the next process, so a pass every few minutes does not ask the host for its
    robots.txt each time.
    """

    def __init__(
        self,
        get: Callable[[str], RobotsFile],
        user_agent: str,
        ttl: float = 24 * 3600,
        error_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        persist: RobotsStore | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._get, self._clock, self.ttl, self.error_ttl = get, clock, ttl, error_ttl
        self.persist, self._wall = persist, wall
        self.agent = user_agent.split("/")[0]
        self._lock = threading.Lock()
        # base -> (expiry on `clock`, parser)
        self._cache: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}

    def _parser(self, base: str) -> urllib.robotparser.RobotFileParser:
        with self._lock:
            hit = self._cache.get(base)
        if hit and self._clock() < hit[0]:
            return hit[1]
        if self.persist is not None:
            kept = self.persist.load_robots(base)
            left = kept[2] - self._wall() if kept else 0.0
            if kept and left > 0:
                parser = _parse(kept[0], kept[1])
                with self._lock:
                    self._cache[base] = (self._clock() + left, parser)
                return parser
        got = self._get(base + "/robots.txt")
        if got.status == 0:
            return _parse(0, "")
        parser = _parse(got.status, got.text)
        keep = self.ttl
        if 200 <= got.status < 300:
            if got.max_age is not None:
                keep = min(keep, got.max_age)
        elif not 400 <= got.status < 500:
            keep = min(keep, self.error_ttl)
        if keep > 0:
            with self._lock:
                self._cache[base] = (self._clock() + keep, parser)
            if self.persist is not None:
                self.persist.save_robots(base, got.status, got.text, self._wall() + keep)
        return parser

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return True
        base = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        return self._parser(base).can_fetch(self.agent, url)


def _parse(status: int, text: str) -> urllib.robotparser.RobotFileParser:
    """The rules of a robots.txt answer, as RFC 9309 reads a status: 2xx its rules, 4xx
    none, 5xx everything disallowed; 0 (never reached) allows, see RobotsCache."""
    parser = urllib.robotparser.RobotFileParser()
    if 200 <= status < 300:
        parser.parse(text.splitlines())
    elif status == 0 or 400 <= status < 500:
        parser.allow_all = True
    else:
        parser.disallow_all = True
    return parser
