"""Discovery: item URLs from RSS/Atom feeds, listing pages and sitemaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin

import feedparser
import lxml.etree
import lxml.html

from sources.decode import decode_body


@dataclass(frozen=True)
class Item:
    """A discovered link to a statement or article."""

    url: str
    title: str = ""
    published: datetime | None = None


def _clean(base: str, href: str) -> str:
    return urldefrag(urljoin(base, href.strip()))[0]


def items_from_feed(body: bytes, base_url: str) -> list[Item]:
    """Items of an RSS or Atom feed, newest order preserved."""
    parsed = feedparser.parse(body)
    out = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = datetime(*stamp[:6], tzinfo=UTC)
        out.append(Item(_clean(base_url, link), " ".join(entry.get("title", "").split()), published))
    return out


def items_from_listing(body: bytes, base_url: str, selector: str, charset: str | None = None) -> list[Item]:
    """Links matched by a CSS selector on a listing page."""
    root = lxml.html.document_fromstring(decode_body(body, charset))
    out, seen = [], set()
    for el in root.cssselect(selector):
        anchors = [el] if el.tag == "a" else el.iter("a")
        for a in anchors:
            href = a.get("href")
            if not href:
                continue
            url = _clean(base_url, href)
            if url not in seen:
                seen.add(url)
                out.append(Item(url, " ".join(a.text_content().split())))
    return out


def items_from_sitemap(body: bytes, base_url: str) -> list[Item]:
    """URLs of a sitemap (<urlset>); nested sitemap indexes are returned as items too."""
    root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    out = []
    for loc in root.iter("{*}loc"):
        if loc.text:
            out.append(Item(_clean(base_url, loc.text)))
    return out
