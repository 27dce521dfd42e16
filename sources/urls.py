"""URL safety: hand-given and scraped URLs are untrusted (http(s) only, no private addresses).

Two parsers reading one URL differently is how a check is bypassed:
`http://127.0.0.1:18081\\@8.8.8.8/` is host 8.8.8.8 to `urllib.parse` but 127.0.0.1 to
urllib3, which does the connecting. So a URL is parsed here with urllib3's own parser
(`parse_url`, the one requests uses to prepare a request) and refused outright when it
carries a backslash, whitespace or a control character in its host part, or
user:password@ (these only ever serve to confuse a reader), or when `urllib.parse` would see another host
or port than urllib3.

Resolution happens once per request: `resolve_vetted` returns the vetted addresses
and the fetcher connects to one of them (sources/fetch.py pins the connection), so a
DNS answer that changes between the check and the connection cannot take us elsewhere.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

# host, port -> IP address strings (the system resolver by default; a test or an operator
# with a split-horizon DNS may give another).
Resolver = Callable[[str, int], Sequence[str]]

_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeURLError(ValueError):
    """A URL that onrecord refuses to fetch (or cannot parse); the message is one line."""


@dataclass(frozen=True)
class Target:
    """Where a URL points, as the HTTP client will read it: lower-case scheme and host
    (IPv6 without brackets), and the port (the scheme's default when none is given)."""

    scheme: str
    host: str
    port: int

    @property
    def is_ip(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True


def private_allowed() -> bool:
    return os.environ.get("ONRECORD_ALLOW_PRIVATE_URLS", "") == "1"


@functools.lru_cache(maxsize=4096)
def parse_target(url: str) -> Target:
    """The scheme, host and port the HTTP client will connect to for `url`, or
    UnsafeURLError for anything that is not a plain http(s) URL both parsers agree on.

    >>> parse_target("HTTP://Example.ORG/x")
    Target(scheme='http', host='example.org', port=80)

    Cached: a monitor checks the same URLs pass after pass (a refusal is not cached).
    """
    label = shown(url)
    # The authority as the widest reader sees it (up to the first / ? or #): a backslash
    # ends it for urllib3 and browsers but not for urllib.parse, and whitespace or a
    # control character there has no honest use. In the path both are just quoted.
    authority = url.partition("//")[2] if "//" in url.split("?", 1)[0].split("#", 1)[0] else ""
    for stop in "/?#":
        authority = authority.split(stop, 1)[0]
    if "\\" in authority:
        raise UnsafeURLError(f"{label}: backslash in the host part of the URL")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in authority) or url != url.strip():
        raise UnsafeURLError(f"{label}: whitespace or control character in the host part of the URL")
    try:
        parsed = parse_url(url)
        split = urlsplit(url)
        split_port = split.port
    except (LocationParseError, ValueError) as exc:
        raise UnsafeURLError(f"{label}: invalid URL ({_reason(exc)})") from None
    scheme = (parsed.scheme or "").lower()
    if scheme not in _DEFAULT_PORTS:
        raise UnsafeURLError(f"{label}: only http and https URLs are fetched")
    if parsed.auth is not None or split.username is not None:
        raise UnsafeURLError(f"{label}: user name or password in URL")
    host = (parsed.host or "").lower().strip("[]")
    if not host:
        raise UnsafeURLError(f"{label}: no host in URL")
    port = parsed.port or _DEFAULT_PORTS[scheme]
    # urllib3 IDNA-encodes a non-ASCII host and percent-decodes nothing in it; compare
    # hosts only when both are ASCII (an IDN is one host to both, just spelled apart).
    other = (split.hostname or "").lower()
    if (other.isascii() and other != host) or (split_port or _DEFAULT_PORTS[scheme]) != port:
        raise UnsafeURLError(f"{label}: ambiguous URL (parsers disagree about its host)")
    return Target(scheme, host, port)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (TCP), in its preferred order."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def resolve_vetted(
    target: Target, *, allow_private: bool, resolver: Resolver = system_resolver, url: str = ""
) -> list[str]:
    """The addresses to connect to for `target`, each one vetted: all must be public
    unless `allow_private` (one private answer among public ones refuses the host, as
    an attacker controls which one a client picks)."""
    label = shown(url) if url else target.host
    try:
        addresses = list(resolver(target.host, target.port))
    except (OSError, UnicodeError):
        raise UnsafeURLError(f"{label}: host {target.host!r} does not resolve") from None
    if not addresses:
        raise UnsafeURLError(f"{label}: host {target.host!r} does not resolve")
    out = []
    for value in addresses:
        try:
            addr = ipaddress.ip_address(value.split("%", 1)[0])
        except ValueError:
            raise UnsafeURLError(f"{label}: resolver gave a non-address {value!r}") from None
        if not allow_private and not is_public(addr):
            raise UnsafeURLError(
                f"{label}: {addr} is a private address (set ONRECORD_ALLOW_PRIVATE_URLS=1 or "
                "allow_private on the source to allow)"
            )
        out.append(value)
    return out


# IPv6 prefixes that carry an IPv4 address in their low 32 bits: IPv4-compatible (::/96,
# deprecated), NAT64 (64:ff9b::/96, RFC 6052) and local NAT64 (64:ff9b:1::/48, RFC 8215).
_EMBEDS_V4 = tuple(ipaddress.IPv6Network(n) for n in ("::/96", "64:ff9b::/96", "64:ff9b:1::/48"))


def is_public(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether `addr` is a public address, and so is every IPv4 address it carries.

    `is_global` alone passes `::ffff:100.64.0.1` (an IPv4-mapped carrier-grade NAT address:
    Python checks a mapped address against the IPv4 *private* list only), and IPv6 forms
    that embed 127.0.0.1 or 10.x (6to4, Teredo, NAT64): found by tests/test_properties.py.
    """
    if not addr.is_global:
        return False
    if isinstance(addr, ipaddress.IPv4Address):
        return True
    embedded = [addr.ipv4_mapped, addr.sixtofour, *(addr.teredo or ())]
    if any(addr in net for net in _EMBEDS_V4):
        embedded.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    return all(v4 is None or v4.is_global for v4 in embedded)


def check_url(
    url: str, *, allow_private: bool | None = None, resolver: Resolver = system_resolver
) -> Target:
    """Raise UnsafeURLError unless `url` is http(s) to a public address (or private is allowed).

    `allow_private` None lets ONRECORD_ALLOW_PRIVATE_URLS decide; an explicit False
    refuses private addresses whatever the environment says. Only a pre-check: the
    fetcher resolves again at connection time and connects to what it vetted then."""
    target = parse_target(url)
    if allow_private is None:
        allow_private = private_allowed()
    if not allow_private:
        resolve_vetted(target, allow_private=False, resolver=resolver, url=url)
    return target


def syntax_error(url: str) -> str | None:
    """Why `url` is not an acceptable http(s) URL, or None (no DNS): for command lines
    and config files, which report a bad URL in one line before doing anything."""
    try:
        parse_target(url)
    except UnsafeURLError as exc:
        return str(exc)
    return None


def join_url(base: str, href: str) -> str | None:
    """`href` made absolute against `base`, or None when it is malformed (a scraped
    `http://[zz/` makes urljoin raise): one bad link is skipped, not fatal."""
    try:
        joined = urljoin(base, href.strip())
        urlsplit(joined).port  # noqa: B018 - raises ValueError for a bad IPv6 host or port
    except ValueError:
        return None
    return joined


def shown(url: str) -> str:
    """`url` as safe to print: a short excerpt, non-ASCII and control characters escaped."""
    # Scraped URLs can be huge or carry terminal escapes: a short, printable excerpt.
    text = url.encode("ascii", "backslashreplace").decode("ascii")
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 200 else text[:200] + "..."


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:120] or type(exc).__name__
