"""Discovery: item URLs from RSS/Atom/RDF feeds, listing pages and sitemaps, and the pure
helpers that decide which items are worth fetching (keywords, not seen before) and which
watched statements an article links to.

Everything here is pure except `follow_sitemap`, which is given a fetch callable, so the
caller decides how (and how politely) child sitemaps are fetched.
"""

from __future__ import annotations

import html
import logging
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.etree
import lxml.html
from cssselect import SelectorError
from dateutil import parser as dateparser

from sources.decode import decode_body
from sources.urls import shown as _shown

# The sitemap protocol caps a sitemap at 50 MB uncompressed; a gzip body that inflates
# beyond that is refused instead of being allowed to fill memory (a "zip bomb").
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
# Tracking parameters: the same article reached from a newsletter and from a feed.
_TRACKING_PARAM = re.compile(r"^(utm_[a-z0-9_]+|fbclid|gclid|mc_cid|mc_eid)$", re.I)
_TAG = re.compile(r"<[^>]+>")
log = logging.getLogger("onrecord.discover")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class DiscoveryError(ValueError):
    """A feed, listing or sitemap that cannot be read; the message is one line for the user.

    A ValueError, so callers that already treat bad input as ValueError keep working."""


@dataclass(frozen=True)
class Item:
    """A discovered link to a statement or article.

    `published` is the feed's publication (or update) time; `updated` is a sitemap's
    <lastmod>; `summary` is the feed entry's description as plain text; `guid` is the
    feed's stable id of the entry (RSS <guid>, Atom <id>), which outlives a change of URL
    and tells two statements published at one URL apart."""

    url: str
    title: str = ""
    published: datetime | None = None
    summary: str = ""
    updated: datetime | None = None
    guid: str | None = None


@dataclass(frozen=True)
class SitemapItems:
    """What `follow_sitemap` found: page items, and the child sitemaps it could not read
    (url, one-line reason), so one broken child does not hide the others."""

    items: tuple[Item, ...]
    failed: tuple[tuple[str, str], ...] = ()


# -- URLs -------------------------------------------------------------------------------


def _clean(base: str, href: str) -> str | None:
    """An absolute http(s) item URL without fragment or tracking parameters, or None for
    javascript:, mailto: and other links that are not pages. A malformed link (an
    invalid IPv6 literal or port, `http://[zz/`) is skipped with a warning: one bad link
    must not cost the source its other items."""
    try:
        url = urldefrag(urljoin(base, href.strip()))[0]
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        log.warning("%s: skipped a malformed link %s (%s)", _shown(base), _shown(href), exc)
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return _strip_tracking(url)


def _strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAM.match(k)]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def normalize_url(url: str) -> str:
    """A comparison key for a URL (never a URL to fetch): lower-case scheme and host,
    http and https alike, no leading "www.", no default port, no fragment, no utm_* (and
    other tracking) parameters, no trailing slash on the path, remaining query sorted.

    Two spellings of one page compare equal; a different path or a meaningful query
    parameter (?id=2) does not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    scheme = parts.scheme.lower()
    if port is not None and not (port == 80 and scheme == "http") and not (port == 443 and scheme == "https"):
        host = f"{host}:{port}"
    # https and http are one page for matching: coverage often links the http spelling.
    scheme = "https" if scheme in ("http", "https") else scheme
    path = parts.path.rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _TRACKING_PARAM.match(k))
    return urlunsplit((scheme, host, path, urlencode(query), ""))


# -- feeds ------------------------------------------------------------------------------


def _plain(markup: str) -> str:
    """Feed titles and summaries are HTML fragments; text only, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def items_from_feed(body: bytes, base_url: str) -> list[Item]:
    """Items of an RSS 2.0, Atom or RDF (RSS 1.0) feed, in feed order (usually newest first).

    Relative links are resolved against xml:base and `base_url` (the feed's final URL);
    entries without a usable http(s) link are skipped (an RSS <guid> counts when it is a
    permalink); a URL listed twice is kept once, at its first place.

    Feeds in the wild are often slightly malformed (an unescaped "&"): feedparser's
    lenient parser recovers their entries and they are returned. A body that yields no
    entries and is not well-formed, or is not a feed at all, raises DiscoveryError.
    """
    if not isinstance(body, bytes):
        # feedparser takes a str as a URL or a file name to open: never let it.
        raise TypeError("items_from_feed wants the feed body as bytes")
    try:
        parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    except (UnicodeError, ValueError) as exc:
        # feedparser raises on a character reference to a lone surrogate (`&#xD800;`,
        # found by bench/fuzz.py): one bad feed is one line, not a traceback.
        raise DiscoveryError(f"{_shown(base_url)}: malformed feed ({_reason(exc)})") from None
    out: list[Item] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link")
        url = _clean(base_url, link) if link else None
        if url is None or url in seen:
            continue
        seen.add(url)
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            try:
                published = datetime(*stamp[:6], tzinfo=UTC)
            except (ValueError, OverflowError):
                # feedparser reads <updated>0000-00-00</updated> as year -1 (found by
                # bench/fuzz.py): an impossible date is no date, the item is kept.
                published = None
        # feedparser puts <guid> and Atom <id> in "id"; a feed without one has no guid.
        guid = (entry.get("id") or "").strip() or None
        # feedparser gives None for an element it could not read (a <description> cut
        # short; found by bench/fuzz.py): no title or summary, the item is kept.
        out.append(Item(url, _plain(entry.get("title") or ""), published,
                        _plain(entry.get("summary") or ""), guid=guid))
    if not out:
        error = parsed.get("bozo_exception")
        if error is not None and not isinstance(error, (feedparser.NonXMLContentType,
                                                         feedparser.CharacterEncodingOverride)):
            line = getattr(error, "getLineNumber", lambda: None)()
            where = f" at line {line}" if line else ""
            raise DiscoveryError(f"{base_url}: malformed feed{where} ({error})")
        if not parsed.get("version"):
            raise DiscoveryError(f"{base_url}: not an RSS, Atom or RDF feed")
    return out


# -- listing pages ----------------------------------------------------------------------


def items_from_listing(body: bytes, base_url: str, selector: str, charset: str | None = None) -> list[Item]:
    """Links matched by a CSS `selector` on a listing page, in page order.

    The selector may match the <a> elements themselves or elements containing them.
    Hrefs are resolved against the page's <base href> (else `base_url`); fragments and
    tracking parameters are dropped; links back to the listing itself (a "#top"),
    javascript: and mailto: links are skipped; a URL linked twice (a picture and a
    headline) is kept once, with the first non-empty link text as its title.
    Raises DiscoveryError for an invalid selector or a body that is not HTML.
    """
    text = decode_body(body, charset)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DiscoveryError(f"{base_url}: listing page is not HTML ({exc})") from None
    try:
        matched = root.cssselect(selector)
    except SelectorError as exc:
        raise DiscoveryError(f"invalid link_selector {selector!r} ({exc})") from None
    base = base_url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(base_url, base_el.get("href", ""))
    page = normalize_url(base_url)
    found: dict[str, Item] = {}
    for el in matched:
        anchors = [el] if el.tag == "a" else el.iter("a")
        for a in anchors:
            href = a.get("href")
            url = _clean(base, href) if href else None
            if url is None or normalize_url(url) == page:
                continue
            title = " ".join(a.text_content().split())
            if url not in found:
                found[url] = Item(url, title)
            elif not found[url].title and title:
                found[url] = replace(found[url], title=title)
    return list(found.values())


# -- sitemaps ---------------------------------------------------------------------------


def _inflate(body: bytes, url: str) -> bytes:
    """A gzipped sitemap (sitemap.xml.gz served as application/x-gzip) decompressed,
    refusing more than MAX_SITEMAP_BYTES."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise DiscoveryError(f"{url}: corrupt gzip sitemap ({exc})") from None
    if len(out) <= MAX_SITEMAP_BYTES and not inflater.eof:
        raise DiscoveryError(f"{url}: corrupt gzip sitemap (truncated)")
    if len(out) > MAX_SITEMAP_BYTES:
        raise DiscoveryError(f"{url}: gzip sitemap inflates beyond {MAX_SITEMAP_BYTES:,} bytes")
    return out


def _date(value: str | None) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        parsed = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _merge(found: dict[str, Item], item: Item) -> None:
    """Keep one item a URL, the one with the newest <lastmod> (a URL can be listed in
    two child sitemaps, once with a date and once without)."""
    old = found.get(item.url)
    if old is None or (item.updated and (not old.updated or item.updated > old.updated)):
        found[item.url] = item


def _newest_first(items: list[Item]) -> list[Item]:
    """Sitemaps are often oldest first; callers keep the first `max_items`, so entries
    with a <lastmod> come newest first, then the rest in document order."""
    dated = sorted((i for i in items if i.updated), key=lambda i: i.updated, reverse=True)  # type: ignore[arg-type, return-value]
    return dated + [i for i in items if not i.updated]


def _parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[Item]]:
    """("urlset" or "sitemapindex" or "text", entries); for an index the entries are
    the child sitemaps."""
    body = _inflate(body, base_url)
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head and not head.startswith(b"<"):
        # The protocol also allows a plain list, one URL a line.
        urls = (_clean(base_url, line) for line in body.decode("utf-8", "replace").splitlines() if line.strip())
        return "text", [Item(u) for u in dict.fromkeys(u for u in urls if u)]
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"{base_url}: malformed sitemap ({exc})") from None
    if root is None:
        raise DiscoveryError(f"{base_url}: empty sitemap")
    kind = lxml.etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(f"{base_url}: not a sitemap (root element <{kind}>)")
    entry = "url" if kind == "urlset" else "sitemap"
    out: dict[str, Item] = {}
    for el in root.iterchildren(f"{{*}}{entry}"):
        loc = el.findtext("{*}loc")
        url = _clean(base_url, loc) if loc else None
        if url:
            _merge(out, Item(url, updated=_date(el.findtext("{*}lastmod"))))
    return kind, _newest_first(list(out.values()))


def _same_site(a: str, b: str) -> bool:
    # The protocol lets an index list only sitemaps of its own host.
    ha = (urlsplit(a).hostname or "").removeprefix("www.")
    hb = (urlsplit(b).hostname or "").removeprefix("www.")
    return ha == hb


def follow_sitemap(
    body: bytes,
    base_url: str,
    fetch: Callable[[str], bytes],
    *,
    max_children: int = 20,
) -> SitemapItems:
    """Page items of a sitemap, following a <sitemapindex> one level down.

    `body` is the sitemap fetched from `base_url`; for an index, each child sitemap
    (newest <lastmod> first, at most `max_children`, same host only) is fetched with
    `fetch(url) -> body bytes` and its pages collected. A child that is itself an index
    is not followed (one level only) and is reported as failed, as is a child whose
    fetch raises or that is not a sitemap. Items are deduplicated across children, the
    newest <lastmod> first. Raises DiscoveryError when `body` itself is not a sitemap or
    when every child failed."""
    kind, entries = _parse_sitemap(body, base_url)
    if kind != "sitemapindex":
        return SitemapItems(tuple(entries))
    items: dict[str, Item] = {}
    failed: list[tuple[str, str]] = []
    children = [e.url for e in entries]
    for child in children[:max_children]:
        if not _same_site(child, base_url):
            failed.append((child, "on another host than its index"))
            continue
        try:
            child_kind, child_items = _parse_sitemap(fetch(child), child)
        except Exception as exc:  # noqa: BLE001 - any fetch error stays with that child
            failed.append((child, str(exc) or type(exc).__name__))
            continue
        if child_kind == "sitemapindex":
            failed.append((child, "nested sitemap index (followed one level only)"))
            continue
        for item in child_items:
            _merge(items, item)
    if children and len(failed) == min(len(children), max_children):
        raise DiscoveryError(f"{base_url}: no child sitemap could be read ({failed[0][0]}: {failed[0][1]})")
    return SitemapItems(tuple(_newest_first(list(items.values()))), tuple(failed))


# -- which items to fetch -----------------------------------------------------------------


def _keyword_pattern(keyword: str) -> re.Pattern[str] | None:
    words = keyword.casefold().split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    if _CJK.search(keyword):
        return re.compile(body)  # no spaces between words in CJK text: a plain substring
    # At a word start, open at the end: "sanction" finds "sanctions", "Korea" finds
    # "Korean", but "us" does not find "focus".
    return re.compile(r"(?<!\w)" + body)


def _compile(keywords: Iterable[str]) -> list[re.Pattern[str]]:
    return [p for p in map(_keyword_pattern, keywords) if p is not None]


def _matches(item: Item, patterns: list[re.Pattern[str]]) -> bool:
    haystack = f"{item.title}\n{item.summary}".casefold()
    return any(p.search(haystack) for p in patterns)


def filter_by_keywords(items: Iterable[Item], keywords: Iterable[str]) -> list[Item]:
    """The items in whose title or, when the feed gave one, summary any of `keywords`
    occurs (case-insensitively, at a word start), order kept; every item when `keywords`
    is empty."""
    patterns = _compile(keywords)
    return [i for i in items if not patterns or _matches(i, patterns)]


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__
