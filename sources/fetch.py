"""HTTP fetching: one pooled session, timeouts, retries, size limits, conditional requests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sources.urls import check_url

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
USER_AGENT = "onrecord/0.1 (statement change monitor; +{contact})"
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/pdf",
    "text/plain",
)


class FetchError(Exception):
    """A fetch that produced no usable body; the message is one line for the user."""

    def __init__(self, url: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.status = status


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

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def body_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class Fetcher:
    """Fetch pages over one pooled `requests.Session`."""

    def __init__(
        self,
        *,
        contact: str = "onrecord@example.org",
        timeout: tuple[float, float] = (5.0, 20.0),
        retries: int = 3,
        backoff: float = 0.5,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = 5,
        allow_private: bool = False,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.session = requests.Session()
        self.session.max_redirects = max_redirects
        self.session.headers["User-Agent"] = USER_AGENT.format(contact=contact)
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            backoff_jitter=backoff / 2,
            status_forcelist=(429, 500, 502, 503, 504),
            respect_retry_after_header=True,
            allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET `url`; a 304 comes back as a result with an empty body, errors as FetchError."""
        check_url(url, allow_private=self.allow_private)
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        try:
            resp = self.session.get(url, headers=headers, timeout=self.timeout, stream=True)
        except requests.TooManyRedirects:
            raise FetchError(url, "too many redirects") from None
        except requests.Timeout:
            raise FetchError(url, "timed out") from None
        except requests.ConnectionError as exc:
            raise FetchError(url, f"connection failed ({type(exc).__name__})") from None
        except requests.RequestException as exc:
            raise FetchError(url, f"request failed ({type(exc).__name__})") from None
        with resp:
            for hop in [*resp.history, resp]:
                check_url(hop.url, allow_private=self.allow_private)
            if resp.status_code == 304:
                return FetchResult(url, resp.url, 304, "", b"",
                                   etag=validators.etag if validators else None,
                                   last_modified=validators.last_modified if validators else None)
            if resp.status_code >= 400:
                raise FetchError(url, f"HTTP {resp.status_code}", status=resp.status_code)
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype and not ctype.startswith(ACCEPTED_TYPES):
                raise FetchError(url, f"unsupported content type {ctype!r}", resp.status_code)
            body = self._read_limited(url, resp)
            return FetchResult(
                url=url,
                final_url=resp.url,
                status=resp.status_code,
                content_type=ctype,
                body=body,
                charset=_header_charset(resp.headers.get("Content-Type", "")),
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
            )

    def _read_limited(self, url: str, resp: requests.Response) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"body of {int(declared):,} bytes exceeds {self.max_bytes:,}")
        chunks, size = [], 0
        try:
            for chunk in resp.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(url, f"body exceeds {self.max_bytes:,} bytes")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(url, f"read failed ({type(exc).__name__})") from None
        return b"".join(chunks)


def _header_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None
