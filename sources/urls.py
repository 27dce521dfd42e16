"""URL safety: hand-given URLs are untrusted (http(s) only, no private addresses)."""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit


class UnsafeURLError(ValueError):
    """A URL that onrecord refuses to fetch."""


def private_allowed() -> bool:
    return os.environ.get("ONRECORD_ALLOW_PRIVATE_URLS", "") == "1"


def check_url(url: str, *, allow_private: bool | None = None) -> None:
    """Raise UnsafeURLError unless `url` is http(s) to a public address (or private is allowed).

    `allow_private` None lets ONRECORD_ALLOW_PRIVATE_URLS decide; an explicit False
    refuses private addresses whatever the environment says."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURLError(f"{url}: only http and https URLs are fetched")
    if not parts.hostname:
        raise UnsafeURLError(f"{url}: no host in URL")
    if allow_private is None:
        allow_private = private_allowed()
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise UnsafeURLError(f"{url}: host {parts.hostname!r} does not resolve") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global:
            raise UnsafeURLError(
                f"{url}: {addr} is a private address (set ONRECORD_ALLOW_PRIVATE_URLS=1 to allow)"
            )
