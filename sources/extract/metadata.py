"""Page metadata: title, published date, issuer, canonical URL, and the main text's links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
from dateutil import parser as dateparser

from sources.profiles import Profile
from sources.urls import join_url


@dataclass(frozen=True)
class PageMeta:
    """What the page says about itself, outside its main text."""

    title: str
    published: datetime | None
    canonical: str | None
    issuer: str | None


def meta_content(root: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for el in root.iter("meta"):
            if name in (el.get("property"), el.get("name"), el.get("itemprop")):
                value = (el.get("content") or "").strip()
                if value:
                    return value
    return None


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        # Most pages give ISO 8601; the stdlib reads it far faster than dateutil.
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        parsed = dateparser.parse(value)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _selected_text(root: lxml.html.HtmlElement, selector: str | None) -> str | None:
    """Text of the first element a profile selector finds (None when it finds none)."""
    if not selector:
        return None
    for el in root.cssselect(selector):
        text = " ".join(el.text_content().split())
        if text:
            return text
    return None


def _selected_date(root: lxml.html.HtmlElement, selector: str | None) -> datetime | None:
    if not selector:
        return None
    for el in root.cssselect(selector):
        # A <time> carries a machine-readable date; other elements only their text.
        found = parse_date(el.get("datetime")) or parse_date(" ".join(el.text_content().split()))
        if found is not None:
            return found
    return None


def page_metadata(root: lxml.html.HtmlElement, url: str, profile: Profile | None = None) -> PageMeta:
    """Metadata in order of trust: the page's own meta tags first, then the site profile's
    selectors (site knowledge), then generic guesses (the first <h1>, <title>, <time>)."""
    title = meta_content(root, "og:title", "twitter:title", "dc.title")
    if not title and profile is not None:
        title = _selected_text(root, profile.title)
    if not title:
        h1 = root.find(".//h1")
        title = h1.text_content() if h1 is not None else None
    if not title:
        t = root.find(".//title")
        title = t.text_content() if t is not None else ""
    published = parse_date(
        meta_content(root, "article:published_time", "datePublished", "dc.date", "date",
                     "pubdate", "publish-date")
    )
    if published is None and profile is not None:
        published = _selected_date(root, profile.published)
    if published is None:
        for el in root.iter("time"):
            published = parse_date(el.get("datetime"))
            if published:
                break
    canonical = None
    for el in root.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            canonical = join_url(url, el.get("href"))
            break
    issuer = meta_content(root, "onrecord:issuer", "og:site_name", "author")
    return PageMeta(
        title=" ".join((title or "").split()),
        published=published,
        canonical=canonical,
        issuer=issuer,
    )


def container_links(container: lxml.html.HtmlElement, url: str) -> tuple[str, ...]:
    """Every link in the main-text container, absolute, first occurrence first."""
    # join_url: a malformed scraped href (http://[zz/) is dropped, not fatal.
    joined = (join_url(url, a.get("href")) for a in container.iter("a") if a.get("href"))
    return tuple(dict.fromkeys(u for u in joined if u))


def links_near(root: lxml.html.HtmlElement, url: str, paras: tuple[str, ...]) -> tuple[str, ...]:
    """Links inside the elements whose text made it into the main text (for tying
    coverage to the statements it links to)."""
    wanted = {p[:80] for p in paras}
    out: dict[str, None] = {}
    for el in root.iter("p", "li", "blockquote", "td"):
        if el.find(".//a") is None:
            continue  # no link to collect: skip the text comparison (most paragraphs)
        text = " ".join(el.text_content().split())
        if text[:80] in wanted:
            for a in el.iter("a"):
                link = join_url(url, a.get("href")) if a.get("href") else None
                if link:
                    out[link] = None
    return tuple(out)
