"""HTTP fetching: one pooled session, timeouts, retries, size limits, conditional requests.

Redirects are followed by hand, one hop at a time, so every hop is checked *before* it
is requested (a public page must not bounce us onto a private address), a loop is
reported as a loop, and the final URL is recorded.

Every request is pinned: the host name is resolved once, every address it resolves to
is vetted, and the connection goes to a vetted address (with the Host header and TLS
SNI/certificate check still for the name), so a DNS answer that changes between the
check and the connection ("DNS rebinding") never gets a request through.

Each fetch has a deadline (`max_time`, 30 s by default, and any tighter one a caller
sets with `Fetcher.limits`): a server that drips a byte a second never trips the read
timeout, which applies to each socket read, so a watchdog thread cuts the connection
when the deadline passes, whether the fetch is waiting for headers or reading a body.
"""

from __future__ import annotations

import email.utils
import hashlib
import heapq
import itertools
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.utils import select_proxy
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import ConnectionPool, HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError
from urllib3.util import parse_url

from sources.politeness import HostLimiter, RobotsCache, RobotsFile
from sources.urls import (
    Resolver,
    UnsafeURLError,
    parse_target,
    private_allowed,
    resolve_vetted,
    system_resolver,
)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# The whole of one fetch (robots.txt, redirects, retries, headers and body).
DEFAULT_MAX_TIME = 30.0
# RFC 9309 lets a crawler stop parsing robots.txt after 500 KiB; the rest is not read.
ROBOTS_MAX_BYTES = 512 * 1024
USER_AGENT = "onrecord/0.1 (statement change monitor; +mailto:{contact})"
DEFAULT_CONTACT = "onrecord@example.org"
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/pdf",
    "text/plain",
    # sitemap.xml.gz is served as a gzip file; discovery inflates it (extraction refuses it).
    "application/x-gzip",
    "application/gzip",
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A fetch that produced no usable body; the message is one line for the user."""

    def __init__(
        self, url: str, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.status = status
        # Set when the server asked us to come back later than we are willing to wait.
        self.retry_after = retry_after


@dataclass(frozen=True)
class Validators:
    """What a server told us last time, for conditional requests."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """One HTTP response: status, final URL, validators, the body and its hash."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes = field(repr=False)
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def body_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


# -- deadlines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Limits:
    """What `Fetcher.limits` set for the fetches of one thread."""

    deadline: float | None = None
    # Hosts fetched even on a private address within the block (a source's own hosts, when
    # it says allow_private): a redirect or item link to any other private host is refused.
    private_hosts: frozenset[str] = frozenset()


class _Scope:
    """One fetch in flight: its deadline and the connections it used, which the
    watchdog cuts when the deadline passes."""

    def __init__(self, deadline: float, callers: bool = False) -> None:
        self.deadline = deadline
        # True when the deadline is the caller's budget (Fetcher.limits), not max_time.
        self.callers = callers
        self.fired = False
        self.closed = False
        self._conns: list[HTTPConnection] = []
        self._lock = threading.Lock()

    def add(self, conn: HTTPConnection) -> None:
        with self._lock:
            if conn not in self._conns:
                self._conns.append(conn)
            fired = self.fired
        if fired:
            _cut(conn)

    def fire(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.fired = True
            conns = list(self._conns)
        for conn in conns:
            _cut(conn)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self._conns.clear()


def _cut(conn: HTTPConnection) -> None:
    """Shut the connection's socket down under a thread blocked reading it: the read
    returns at once. The plain socket's shutdown, never SSLSocket's (that one also
    drops the TLS object the reading thread is using)."""
    sock = getattr(conn, "sock", None)
    if sock is None:
        return
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError):
        pass


class _Watchdog:
    """One daemon thread per Fetcher that fires scopes at their deadlines."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Scope]] = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def watch(self, scope: _Scope) -> None:
        with self._cond:
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (scope.deadline, next(self._seq), scope))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="onrecord-fetch-watchdog",
                                                daemon=True)
                self._thread.start()
            # Deadlines mostly arrive in order (now + max_time): wake the thread only
            # when this one is due before everything it already waits for.
            if earliest is None or scope.deadline < earliest:
                self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    while self._heap and self._heap[0][2].closed:
                        heapq.heappop(self._heap)
                    if not self._heap:
                        self._cond.wait()
                        continue
                    wait = self._heap[0][0] - time.monotonic()
                    if wait <= 0:
                        scope = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(wait)
            scope.fire()


_local = threading.local()


def _current_scope() -> _Scope | None:
    return getattr(_local, "scope", None)


class _Watched:
    """Registers a connection with the fetch that uses it, so its deadline can cut it."""

    def connect(self) -> None:
        scope = _current_scope()
        if scope is not None:
            scope.add(cast(HTTPConnection, self))  # mixed into a connection class below
        super().connect()  # type: ignore[misc]

    def request(self, *args: Any, **kwargs: Any) -> None:
        scope = _current_scope()
        if scope is not None:
            scope.add(cast(HTTPConnection, self))
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):  # type: ignore[misc]
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):  # type: ignore[misc]
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


# -- pinned connections ------------------------------------------------------------------


class _PinnedAdapter(HTTPAdapter):
    """A transport adapter that resolves each request's host once, has `vet` approve
    (or refuse, raising UnsafeURLError) every address, and connects to an approved
    address: the pool is keyed by that IP, the Host header carries the name and, for
    https, so do SNI and the certificate check (`server_hostname`).

    The URL vetted is the prepared request's, read by urllib3's parser: the very string
    the connection is made from. Through a configured proxy the proxy resolves the
    name, so there the addresses are vetted but the connection cannot be pinned."""

    def __init__(self, vet: Callable[[str], list[str]], **kwargs: Any) -> None:
        self._vet = vet
        self._pin = threading.local()
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_WATCHED_POOLS)

    def send(self, request: requests.PreparedRequest, stream: bool = False,  # type: ignore[override]
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        url = request.url or ""
        addresses = self._vet(url)
        if select_proxy(url, proxies):
            return super().send(request, stream, timeout, verify, cert, proxies)
        if "Host" not in request.headers:
            request.headers["Host"] = parse_url(url).netloc or ""
        last: requests.ConnectionError | None = None
        # Like a client given a name: the addresses in the resolver's order, the next one
        # only when connecting to this one failed (nothing was sent yet).
        for address in addresses:
            self._pin.address = address
            try:
                return super().send(request, stream, timeout, verify, cert, proxies)
            except requests.ConnectionError as exc:
                reason = getattr(exc.args[0], "reason", None) if exc.args else None
                if not isinstance(reason, ConnectTimeoutError):  # NewConnectionError too
                    raise
                last = exc
            finally:
                self._pin.address = None
        assert last is not None
        raise last

    def get_connection_with_tls_context(self, request: requests.PreparedRequest,  # type: ignore[override]
                                        verify: Any, proxies: Any = None,
                                        cert: Any = None) -> ConnectionPool:
        address = getattr(self._pin, "address", None)
        if address is None or select_proxy(request.url or "", proxies):
            return super().get_connection_with_tls_context(request, verify, proxies, cert)
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = host_params["host"]  # type: ignore[typeddict-unknown-key]
        host_params["host"] = address.split("%", 1)[0]
        return self.poolmanager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)


# -- the fetcher -----------------------------------------------------------------------------


class Fetcher:
    """Fetch pages over one pooled `requests.Session`; safe to share between threads."""

    def __init__(
        self,
        *,
        contact: str | None = None,
        timeout: tuple[float, float] = (5.0, 20.0),
        retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = 120.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_time: float = DEFAULT_MAX_TIME,
        max_redirects: int = 5,
        allow_private: bool | None = None,
        allow_hosts: Iterable[str] = (),
        limiter: HostLimiter | None = None,
        robots: bool = True,
        pool_size: int = 16,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.contact = contact or os.environ.get("ONRECORD_CONTACT") or DEFAULT_CONTACT
        self.user_agent = USER_AGENT.format(contact=self.contact)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.max_time = max_time
        self.max_redirects = max_redirects
        # None: the ONRECORD_ALLOW_PRIVATE_URLS setting decides, at each fetch.
        self._allow_private = allow_private
        # Hosts the operator vouches for (an intranet press server): fetched even on a
        # private address. Only those names: a redirect from them to any other private
        # address is still refused.
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts)
        self.resolver = resolver
        self.limiter = limiter if limiter is not None else HostLimiter()
        self.session = _Session()
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers["Accept"] = (
            "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf,text/plain;q=0.8"
        )
        # Retries are ours (below), not urllib3's, so Retry-After can be capped and
        # every attempt goes through the politeness limiter.
        adapter = _PinnedAdapter(self._vet, max_retries=0, pool_connections=pool_size,
                                 pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._watchdog = _Watchdog()
        # What `limits` set, per thread.
        self._thread_limits = threading.local()
        self.robots = RobotsCache(self._get_robots, self.user_agent) if robots else None

    @property
    def allow_private(self) -> bool:
        """Every private address allowed (the Fetcher's own setting, else the global one)."""
        return self._allow_private if self._allow_private is not None else private_allowed()

    def close(self) -> None:
        self._watchdog.stop()
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def limits(self, *, deadline: float | None = None,
               private_hosts: Iterable[str] = ()) -> Iterator[None]:
        """Within the block, this thread's fetches end by `deadline` (a time.monotonic()
        value; a fetch still running then fails with FetchError) and the hosts named in
        `private_hosts` may be on private addresses (only those names: a redirect or a link
        from them to another private host is still refused).

        For a per-source budget and a source's own hosts (`Source.private_hosts`):

            with fetcher.limits(deadline=time.monotonic() + 120, private_hosts=["intranet.example"]):
                ...discover and check the source...
        """
        previous = self._limits()
        if previous.deadline is not None:
            deadline = previous.deadline if deadline is None else min(deadline, previous.deadline)
        self._thread_limits.limits = _Limits(
            deadline, previous.private_hosts | {h.lower() for h in private_hosts})
        try:
            yield
        finally:
            self._thread_limits.limits = previous

    def _limits(self) -> _Limits:
        limits: _Limits | None = getattr(self._thread_limits, "limits", None)
        return limits if limits is not None else _Limits()

    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET `url`; a 304 comes back as a result with an empty body, errors as FetchError
        (or UnsafeURLError for a URL that is refused before anything is sent)."""
        now = time.monotonic()
        deadline = now + self.max_time
        outer = self._limits().deadline
        if outer is not None and outer <= now:
            raise FetchError(url, "not fetched: the time budget ran out")
        scope = (_Scope(outer, callers=True) if outer is not None and outer < deadline
                 else _Scope(deadline))
        previous = _current_scope()
        _local.scope = scope
        self._watchdog.watch(scope)
        try:
            return self._fetch(url, validators, scope)
        except FetchError:
            if scope.fired:
                raise self._too_slow(url, scope) from None
            raise
        except UnsafeURLError:
            raise
        except Exception:
            # A cut connection surfaces as whatever the parser was doing at the time.
            if scope.fired:
                raise self._too_slow(url, scope) from None
            raise
        finally:
            scope.close()
            _local.scope = previous

    def _too_slow(self, url: str, scope: _Scope) -> FetchError:
        if scope.callers:
            return FetchError(url, "took too long: cut when the time budget ran out")
        return FetchError(url, f"took too long: not complete within {self.max_time:g} s "
                               "(the time limit per fetch)")

    def _fetch(self, url: str, validators: Validators | None, scope: _Scope) -> FetchResult:
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        resp, current, hops = self._open(url, headers, scope, robots=True)
        with resp:
            result = self._result(url, current, hops, resp, validators, scope)
        if scope.fired:
            # A body that ends with the connection could look complete when cut.
            raise self._too_slow(url, scope)
        return result

    def _open(self, url: str, headers: dict[str, str], scope: _Scope, *,
              robots: bool) -> tuple[requests.Response, str, tuple[str, ...]]:
        """The final response after following redirects, each hop checked first."""
        hops: list[str] = []
        current = url
        while True:
            self._check(url, current)
            if robots and self.robots is not None and not self.robots.allowed(current):
                raise FetchError(url, f"disallowed by robots.txt ({current})")
            try:
                resp = self._get(url, current, headers, scope)
            except UnsafeURLError as exc:
                if current == url:
                    raise
                raise UnsafeURLError(f"{url}: redirected to a refused URL: {exc}") from None
            if resp.status_code not in REDIRECT_STATUSES:
                return resp, current, tuple(hops)
            location = resp.headers.get("Location")
            _release(resp)
            if not location:
                raise FetchError(url, f"HTTP {resp.status_code} without a Location", resp.status_code)
            try:
                nxt = urljoin(current, location)
            except ValueError:
                raise UnsafeURLError(f"{url}: redirected to an invalid URL") from None
            hops.append(current)
            if nxt in hops:
                raise FetchError(url, f"redirect loop ({' -> '.join([*hops, nxt])})", resp.status_code)
            if len(hops) > self.max_redirects:
                raise FetchError(url, f"too many redirects (more than {self.max_redirects})")
            current = nxt

    # -- one request, with retries --------------------------------------------------

    def _get(self, url: str, current: str, headers: dict[str, str],
             scope: _Scope) -> requests.Response:
        attempt = 0
        while True:
            delay: float | None = None
            try:
                with self.limiter.slot(urlsplit(current).hostname or ""):
                    resp = self.session.get(
                        current, headers=headers, timeout=self.timeout, stream=True,
                        allow_redirects=False,
                    )
            except requests.ConnectTimeout:
                delay = self._backoff(attempt)
                error = FetchError(url, "connection timed out")
            except requests.Timeout:
                # A server that accepted the connection and then stalled will most likely
                # stall again: no retry, the next scheduled check will try.
                raise FetchError(url, "timed out waiting for the server") from None
            except requests.ConnectionError as exc:
                if scope.fired:
                    raise self._too_slow(url, scope) from None
                delay = self._backoff(attempt)
                error = FetchError(url, f"connection failed ({_reason(exc)})")
            except requests.RequestException as exc:
                raise FetchError(url, f"request failed ({type(exc).__name__})") from None
            else:
                if resp.status_code not in RETRY_STATUSES:
                    return resp
                retry_after = _retry_after(resp.headers.get("Retry-After"))
                error = FetchError(url, f"HTTP {resp.status_code}", resp.status_code, retry_after)
                _release(resp)
                if retry_after is not None:
                    if retry_after > self.max_retry_after:
                        raise FetchError(
                            url, f"HTTP {resp.status_code}, asked to retry after {retry_after:.0f} s",
                            resp.status_code, retry_after,
                        )
                    delay = retry_after
                else:
                    delay = self._backoff(attempt)
            attempt += 1
            if attempt > self.retries or time.monotonic() + delay >= scope.deadline:
                # No retry that could not finish in time: the error as it stands.
                raise error
            time.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        # Exponential with full jitter: many monitors retrying a sick server spread out.
        base = self.backoff * (2**attempt)
        return base / 2 + random.uniform(0, base / 2)

    # -- safety --------------------------------------------------------------------

    def _private_ok(self, host: str) -> bool:
        host = host.lower()
        return self.allow_private or host in self.allow_hosts or host in self._limits().private_hosts

    def _check(self, url: str, current: str) -> None:
        """The URL's syntax, before anything (robots.txt included) is requested; its
        addresses are vetted when the request is sent (`_vet`)."""
        try:
            parse_target(current)
        except UnsafeURLError as exc:
            if current == url:
                raise
            raise UnsafeURLError(f"{url}: redirected to a refused URL: {exc}") from None

    def _vet(self, url: str) -> list[str]:
        """The addresses a request to `url` may connect to (called by the adapter with
        the prepared URL, just before connecting)."""
        target = parse_target(url)
        return resolve_vetted(target, allow_private=self._private_ok(target.host),
                              resolver=self.resolver, url=url)

    # -- the body --------------------------------------------------------------------

    def _result(
        self, url: str, final: str, hops: tuple[str, ...], resp: requests.Response,
        validators: Validators | None, scope: _Scope,
    ) -> FetchResult:
        if resp.status_code == 304:
            _release(resp)
            return FetchResult(
                url, final, 304, "", b"",
                etag=resp.headers.get("ETag") or (validators.etag if validators else None),
                last_modified=resp.headers.get("Last-Modified")
                or (validators.last_modified if validators else None),
                redirects=hops,
            )
        if resp.status_code >= 400:
            _release(resp)
            raise FetchError(url, f"HTTP {resp.status_code}", status=resp.status_code)
        raw_type = resp.headers.get("Content-Type", "")
        ctype = raw_type.split(";")[0].strip().lower()
        if ctype and not ctype.startswith(ACCEPTED_TYPES) and not ctype.endswith("+xml"):
            raise FetchError(
                url, f"unsupported content type {ctype!r} (HTML, XML feeds, PDF and plain text "
                "are fetched)", resp.status_code,
            )
        body = self._read_limited(url, resp, scope)
        if not ctype:
            ctype = sniff_type(body)
            if ctype is None:
                raise FetchError(url, "no content type and the body is not text, HTML or PDF",
                                 resp.status_code)
        return FetchResult(
            url=url,
            final_url=final,
            status=resp.status_code,
            content_type=ctype,
            body=body,
            charset=_header_charset(raw_type),
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            redirects=hops,
        )

    def _read_limited(self, url: str, resp: requests.Response, scope: _Scope,
                      limit: int | None = None, truncate: bool = False) -> bytes:
        """The body, decompressed, refused (or with `truncate`, cut) past `limit` bytes;
        sizes count decompressed bytes, so a gzip bomb stops at the limit."""
        limit = self.max_bytes if limit is None else limit
        declared = resp.headers.get("Content-Length")
        if not truncate and declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"body of {int(declared):,} bytes exceeds the {limit:,} limit")
        chunks, size = [], 0
        try:
            for chunk in resp.iter_content(64 * 1024):
                if scope.fired or time.monotonic() > scope.deadline:
                    raise self._too_slow(url, scope)
                size += len(chunk)
                if size > limit:
                    if truncate:
                        chunks.append(chunk[: len(chunk) - (size - limit)])
                        break
                    raise FetchError(url, f"body exceeds the {limit:,}-byte limit")
                chunks.append(chunk)
        except requests.RequestException as exc:
            if scope.fired:
                raise self._too_slow(url, scope) from None
            raise FetchError(url, f"read failed ({_reason(exc)})") from None
        return b"".join(chunks)

    # -- robots.txt --------------------------------------------------------------------

    def _get_robots(self, robots_url: str) -> RobotsFile:
        """A robots.txt fetched like a page (each redirect hop checked, the body streamed
        and cut at ROBOTS_MAX_BYTES after decompression), within the page's deadline."""
        scope = _current_scope() or _Scope(time.monotonic() + self.max_time)
        try:
            resp, _final, _hops = self._open(robots_url, {}, scope, robots=False)
        except UnsafeURLError:
            # Redirected somewhere we do not go: as good as no robots.txt (RFC 9309
            # treats an unfollowable redirect as "unavailable").
            return RobotsFile(404, "")
        except FetchError as exc:
            return RobotsFile(exc.status or 0, "")
        with resp:
            if not 200 <= resp.status_code < 300:
                _release(resp)
                return RobotsFile(resp.status_code, "")
            try:
                body = self._read_limited(robots_url, resp, scope, ROBOTS_MAX_BYTES, truncate=True)
            except FetchError:
                return RobotsFile(0, "")
            return RobotsFile(resp.status_code, body.decode("utf-8", "replace"),
                              _max_age(resp.headers.get("Cache-Control")))


class _Session(requests.Session):
    """A Session that reads proxy settings from the environment once per origin.

    requests scans the environment (proxies, no_proxy) on every request, about 0.2 ms:
    a tenth of an unchanged (304) check. The environment does not change while a
    monitoring pass runs, so the answer is kept per scheme and host."""

    def __init__(self) -> None:
        super().__init__()
        self._env_settings: dict[tuple[object, ...], dict[str, object]] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):  # type: ignore[no-untyped-def, override]
        if proxies or not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, stream, verify, cert)
        cached = self._env_settings.get(key)
        if cached is None:
            cached = super().merge_environment_settings(url, proxies, stream, verify, cert)
            self._env_settings[key] = cached
        return {**cached, "proxies": dict(cached["proxies"])}  # type: ignore[call-overload]


def _release(resp: requests.Response) -> None:
    """Hand the connection back to the pool. Closing an unread streamed response would
    close the socket, and a new TCP connection per unchanged page is the dearest part
    of a check; small bodies are read to the end instead. Not a compressed one: 64 KB of
    gzip can inflate to 64 MB, and reading it whole has no size limit."""
    length = resp.headers.get("Content-Length")
    small = (length is not None and length.isdigit() and int(length) <= 65536
             and resp.headers.get("Content-Encoding", "identity").lower() == "identity")
    try:
        if resp.status_code == 304 or small:
            _ = resp.content
    except requests.RequestException:
        pass
    resp.close()


def sniff_type(body: bytes) -> str | None:
    """A content type for a body served without one, or None if it is binary."""
    from sources.decode import looks_binary

    head = body[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if looks_binary(body):
        return None
    if head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"):
        return "application/xml"
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<p" in head:
        return "text/html"
    return "text/plain"


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "Temporary failure",
                   "Connection reset", "timed out", "Remote end closed"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _max_age(cache_control: str | None) -> float | None:
    """max-age (seconds) from a Cache-Control header; 0 for no-store/no-cache."""
    if not cache_control:
        return None
    for part in cache_control.lower().split(","):
        key, _, value = part.strip().partition("=")
        if key in ("no-store", "no-cache"):
            return 0.0
        if key == "max-age" and value.strip().strip('"').isdigit():
            return float(value.strip().strip('"'))
    return None


def _header_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None
