"""HTTP fetching: one pooled session, timeouts, retries, size limits, conditional requests.

Redirects are followed by hand, one hop at a time, so every hop is checked by
`check_url` *before* it is requested (a public page must not bounce us onto a private
address), a loop is reported as a loop, and the final URL is recorded. After connecting,
the peer address is checked again, which catches a host name whose DNS answer changed
between the check and the connection.
"""

from __future__ import annotations

import email.utils
import hashlib
import ipaddress
import os
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from sources.politeness import HostLimiter, RobotsCache
from sources.urls import UnsafeURLError, check_url, private_allowed

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
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
        max_redirects: int = 5,
        allow_private: bool | None = None,
        allow_hosts: Iterable[str] = (),
        limiter: HostLimiter | None = None,
        robots: bool = True,
        pool_size: int = 16,
    ) -> None:
        self.contact = contact or os.environ.get("ONRECORD_CONTACT") or DEFAULT_CONTACT
        self.user_agent = USER_AGENT.format(contact=self.contact)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        # None: the ONRECORD_ALLOW_PRIVATE_URLS setting decides, at each fetch.
        self._allow_private = allow_private
        # Hosts the operator vouches for (an intranet press server): fetched even on a
        # private address. Only those names: a redirect from them to any other private
        # address is still refused.
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts)
        self.limiter = limiter if limiter is not None else HostLimiter()
        self.session = _Session()
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers["Accept"] = (
            "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf,text/plain;q=0.8"
        )
        # Retries are ours (below), not urllib3's, so Retry-After can be capped and
        # every attempt goes through the politeness limiter.
        adapter = HTTPAdapter(max_retries=0, pool_connections=pool_size, pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.robots = RobotsCache(self._get_robots, self.user_agent) if robots else None

    @property
    def allow_private(self) -> bool:
        return self._allow_private if self._allow_private is not None else private_allowed()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET `url`; a 304 comes back as a result with an empty body, errors as FetchError."""
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        hops: list[str] = []
        current = url
        while True:
            self._check(url, current)
            if self.robots is not None and not self.robots.allowed(current):
                raise FetchError(url, f"disallowed by robots.txt ({current})")
            resp = self._get(url, current, headers)
            if resp.status_code not in REDIRECT_STATUSES:
                break
            location = resp.headers.get("Location")
            _release(resp)
            if not location:
                raise FetchError(url, f"HTTP {resp.status_code} without a Location", resp.status_code)
            nxt = urljoin(current, location)
            hops.append(current)
            if nxt in hops:
                raise FetchError(url, f"redirect loop ({' -> '.join([*hops, nxt])})", resp.status_code)
            if len(hops) > self.max_redirects:
                raise FetchError(url, f"too many redirects (more than {self.max_redirects})")
            current = nxt
        with resp:
            return self._result(url, current, tuple(hops), resp, validators)

    # -- one request, with retries --------------------------------------------------

    def _get(self, url: str, current: str, headers: dict[str, str]) -> requests.Response:
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
                delay = self._backoff(attempt)
                error = FetchError(url, f"connection failed ({_reason(exc)})")
            except requests.RequestException as exc:
                raise FetchError(url, f"request failed ({type(exc).__name__})") from None
            else:
                self._check_peer(url, resp)
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
            if attempt > self.retries:
                raise error
            time.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        # Exponential with full jitter: many monitors retrying a sick server spread out.
        base = self.backoff * (2**attempt)
        return base / 2 + random.uniform(0, base / 2)

    # -- safety --------------------------------------------------------------------

    def _private_ok(self, url: str) -> bool:
        return self.allow_private or (urlsplit(url).hostname or "") in self.allow_hosts

    def _check(self, url: str, current: str) -> None:
        try:
            check_url(current, allow_private=self._private_ok(current))
        except UnsafeURLError as exc:
            if current == url:
                raise
            raise UnsafeURLError(f"{url}: redirected to a refused URL: {exc}") from None

    def _check_peer(self, url: str, resp: requests.Response) -> None:
        """The address we actually connected to must be public too (DNS can change
        between check_url and the connection)."""
        if self._private_ok(resp.url):
            return
        try:
            sock = resp.raw.connection.sock  # type: ignore[union-attr]
            host = sock.getpeername()[0]
        except (AttributeError, OSError, IndexError, TypeError):
            return  # connection already released: check_url's answer stands
        if not ipaddress.ip_address(host.split("%")[0]).is_global:
            resp.close()
            raise UnsafeURLError(f"{url}: connected to private address {host}")

    # -- the body --------------------------------------------------------------------

    def _result(
        self, url: str, final: str, hops: tuple[str, ...], resp: requests.Response,
        validators: Validators | None,
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
        body = self._read_limited(url, resp)
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

    def _read_limited(self, url: str, resp: requests.Response) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"body of {int(declared):,} bytes exceeds the {self.max_bytes:,} limit")
        chunks, size = [], 0
        try:
            for chunk in resp.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(url, f"body exceeds the {self.max_bytes:,}-byte limit")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(url, f"read failed ({_reason(exc)})") from None
        return b"".join(chunks)

    # -- robots.txt --------------------------------------------------------------------

    def _get_robots(self, robots_url: str) -> tuple[int, str]:
        """Status and text of a robots.txt (redirects followed by requests; the target
        is checked like any other URL)."""
        check_url(robots_url, allow_private=self._private_ok(robots_url))
        try:
            resp = self.session.get(robots_url, timeout=self.timeout)
        except requests.RequestException:
            return 0, ""
        for hop in resp.history[1:] + [resp]:
            check_url(hop.url, allow_private=self._private_ok(hop.url))
        return resp.status_code, resp.text[:500_000]


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
    of a check; small bodies are read to the end instead."""
    length = resp.headers.get("Content-Length")
    try:
        if resp.status_code == 304 or (length is not None and length.isdigit() and int(length) <= 65536):
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


def _header_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None
