"""Main text and metadata from HTML, plain text and PDF bodies."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from dateutil import parser as dateparser
from lxml import etree

from sources.decode import decode_body, looks_binary
from sources.document import STATEMENT, Document
from sources.normalize import clean_paragraphs


class ExtractionError(Exception):
    """A body that yields no usable main text."""


@dataclass(frozen=True)
class Profile:
    """Where the main text sits on a known site."""

    host: str
    selector: str
    issuer: str


PROFILES: tuple[Profile, ...] = (
    Profile("state.gov", "div.entry-content, article .entry-content", "U.S. Department of State"),
    Profile("whitehouse.gov", "div.entry-content, main .wp-block-post-content", "The White House"),
    Profile("mofa.go.jp", "div#maincontents, div.main-contents, div#main", "Ministry of Foreign Affairs of Japan"),
    Profile("mofa.go.kr", "div.board_detail, div.bbs_view, div.view_con", "Ministry of Foreign Affairs, Republic of Korea"),
)

BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd")
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer",
             "aside", "form", "button", "iframe", "select", "menu")
_BOILERPLATE_CLASS = re.compile(
    r"(^|[\s_-])(nav|menu|breadcrumb|share|social|related|footer|header|sidebar|cookie|"
    r"banner|subscribe|newsletter|comment|skip|print|tags?|pagination|promo|widget|"
    r"view-?count|byline-share|toolbar)($|[\s_-])",
    re.I,
)
_SOFT_404 = re.compile(r"\b(page|content) (was )?not found\b|\b404\b.*\bnot found\b", re.I)
MIN_WORDS = 12


def profile_for(url: str) -> Profile | None:
    host = (urlsplit(url).hostname or "").lower()
    for profile in PROFILES:
        if host == profile.host or host.endswith("." + profile.host):
            return profile
    return None


def extract(
    body: bytes | str,
    url: str,
    *,
    content_type: str = "text/html",
    charset: str | None = None,
    kind: str = STATEMENT,
    selector: str | None = None,
) -> Document:
    """Extract a Document; raise ExtractionError for empty, binary or boilerplate-only bodies."""
    if isinstance(body, bytes):
        if content_type == "application/pdf" or body.startswith(b"%PDF-"):
            return _extract_pdf(body, url, kind)
        if looks_binary(body):
            raise ExtractionError(f"{url}: binary body, not a text document")
        text = decode_body(body, charset)
    else:
        text = body
    if content_type == "text/plain" or not re.search(r"<(html|body|p|div|article)\b", text[:100_000], re.I):
        return _extract_plain(text, url, kind)
    return _extract_html(text, url, kind, selector)


def _extract_plain(text: str, url: str, kind: str) -> Document:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    if not blocks:
        raise ExtractionError(f"{url}: empty document")
    title = blocks[0] if len(blocks[0]) < 200 and "\n" not in blocks[0] else ""
    paras = clean_paragraphs(blocks[1:] if title else blocks)
    _require_text(paras, url)
    return Document(url=url, title=title, paragraphs=paras, kind=kind, extractor="plain")


def _extract_pdf(body: bytes, url: str, kind: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"{url}: unreadable PDF ({type(exc).__name__})") from None
    lines = "\n".join(pages)
    # PDF text breaks lines inside paragraphs; a blank line or a short line ends one.
    paras, current = [], []
    for line in lines.splitlines():
        line = line.strip()
        if not line:
            if current:
                paras.append(" ".join(current))
                current = []
            continue
        current.append(line)
        if line.endswith((".", "!", "?", ":")) and len(line) < 60:
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    cleaned = clean_paragraphs(paras)
    _require_text(cleaned, url)
    return Document(url=url, title=title.strip(), paragraphs=cleaned, kind=kind, extractor="pdf")


def _parse_html(html: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML ({exc})") from None
    return root


def _extract_html(html: str, url: str, kind: str, selector: str | None) -> Document:
    try:
        root = _parse_html(html)
    except ExtractionError as exc:
        raise ExtractionError(f"{url}: {exc}") from None
    meta = _metadata(root, url)
    profile = profile_for(url)
    warnings: list[str] = []
    container = None
    extractor = "generic"
    chosen_selector = selector or (profile.selector if profile else None)
    if chosen_selector:
        found = root.cssselect(chosen_selector)
        if found:
            container, extractor = found[0], ("selector" if selector else f"profile:{profile.host}")
        else:
            warnings.append(f"selector {chosen_selector!r} matched nothing; used the generic extractor")
    _strip_boilerplate(root)
    if container is None:
        container = _best_container(root)
    paras = clean_paragraphs(_blocks(container))
    if meta["title"] and paras and paras[0] == meta["title"]:
        paras = paras[1:]
    if len(" ".join(paras).split()) < MIN_WORDS:
        raise ExtractionError(f"{url}: no main text found (empty or boilerplate-only page)")
    if len(" ".join(paras).split()) < 60 and _SOFT_404.search(" ".join(paras) + " " + meta["title"]):
        raise ExtractionError(f"{url}: page says it was not found (soft 404)")
    links = tuple(
        dict.fromkeys(urljoin(url, a.get("href")) for a in container.iter("a") if a.get("href"))
    )
    issuer = meta["issuer"] or (profile.issuer if profile else None)
    return Document(
        url=url,
        title=meta["title"],
        paragraphs=paras,
        kind=kind,
        canonical_url=meta["canonical"],
        published=meta["published"],
        issuer=issuer,
        links=links,
        extractor=extractor,
        warnings=tuple(warnings),
    )


def _meta_content(root: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for el in root.iter("meta"):
            if name in (el.get("property"), el.get("name"), el.get("itemprop")):
                value = (el.get("content") or "").strip()
                if value:
                    return value
    return None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = dateparser.parse(value)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _metadata(root: lxml.html.HtmlElement, url: str) -> dict:
    title = _meta_content(root, "og:title", "twitter:title", "dc.title")
    if not title:
        h1 = root.find(".//h1")
        title = h1.text_content() if h1 is not None else None
    if not title:
        t = root.find(".//title")
        title = t.text_content() if t is not None else ""
    published = _parse_date(
        _meta_content(root, "article:published_time", "datePublished", "dc.date", "date",
                      "pubdate", "publish-date")
    )
    if published is None:
        for el in root.iter("time"):
            published = _parse_date(el.get("datetime"))
            if published:
                break
    canonical = None
    for el in root.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            canonical = urljoin(url, el.get("href"))
            break
    issuer = _meta_content(root, "onrecord:issuer", "og:site_name", "author")
    return {
        "title": " ".join((title or "").split()),
        "published": published,
        "canonical": canonical,
        "issuer": issuer,
    }


def _strip_boilerplate(root: lxml.html.HtmlElement) -> None:
    for el in list(root.iter(*DROP_TAGS)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marker = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
        if marker.strip() and el.tag not in ("html", "body", "main", "article") and _BOILERPLATE_CLASS.search(marker):
            el.drop_tree()


def _text_len(el: lxml.html.HtmlElement) -> int:
    return sum(len(" ".join(p.text_content().split())) for p in el.iter("p"))


def _best_container(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding most paragraph text: <article>/<main> when they carry it."""
    body = root.find("body")
    body = body if body is not None else root
    total = _text_len(body)
    for tag in ("article", "main"):
        for el in body.iter(tag):
            if total and _text_len(el) >= 0.6 * total:
                return el
    # Score each paragraph's parent by the text it holds.
    scores: dict[lxml.html.HtmlElement, int] = {}
    for p in body.iter("p"):
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(" ".join(p.text_content().split()))
    if not scores:
        return body
    best = max(scores, key=scores.__getitem__)
    # Climb while the parent gathers much more paragraph text (statements split in sections).
    while best.getparent() is not None and best.getparent().tag not in ("html",):
        parent = best.getparent()
        if _text_len(parent) > 1.3 * _text_len(best) and parent is not body:
            best = parent
        else:
            break
    return best


def _blocks(container: lxml.html.HtmlElement) -> list[str]:
    """Text of block elements in document order, without nesting duplicates."""
    out: list[str] = []
    has_blocks = False
    for el in container.iter(*BLOCK_TAGS):
        if any(anc.tag in BLOCK_TAGS for anc in el.iterancestors()) and el.tag != "li":
            continue
        if el.tag == "li" and any(anc.tag in ("p",) for anc in el.iterancestors()):
            continue
        has_blocks = True
        if el.tag == "li" or el.tag in ("td", "dd"):
            text = " ".join(el.text_content().split())
        else:
            text = el.text_content()
        out.append(text)
    if not has_blocks:
        out = [t for t in container.text_content().split("\n")]
    return out


def _require_text(paragraphs: tuple[str, ...], url: str) -> None:
    if len(" ".join(paragraphs).split()) < MIN_WORDS:
        raise ExtractionError(f"{url}: no main text found (empty or too short)")
