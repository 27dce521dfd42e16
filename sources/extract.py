"""Main text and metadata from HTML, plain text and PDF bodies."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import lxml.html
from cssselect import SelectorError
from dateutil import parser as dateparser
from lxml import etree

from sources.decode import decode_body, looks_binary
from sources.document import STATEMENT, Document
from sources.normalize import clean_paragraphs
from sources.urls import join_url


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
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_PAGE_TAG = re.compile(r"<(html|head|body)\b", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


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
    lines = [line.strip() for line in "\n".join(pages).splitlines()]
    paras = _pdf_paragraphs(lines)
    cleaned = clean_paragraphs(paras)
    _require_text(cleaned, url)
    return Document(url=url, title=title.strip(), paragraphs=cleaned, kind=kind, extractor="pdf")


def _pdf_paragraphs(lines: list[str]) -> list[str]:
    """Rejoin PDF lines into paragraphs. PDF text has a line break at every line end;
    a paragraph ends at a blank line, at a sentence end on a line clearly shorter than
    a full one, or after a short unpunctuated line followed by a capital (a heading)."""
    full = max((len(line) for line in lines), default=0)
    paras: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            if current:
                paras.append(" ".join(current))
                current = []
            continue
        current.append(line)
        nxt = next((n for n in lines[i + 1:] if n), "")
        short = len(line) < 0.85 * full
        ends_sentence = line.endswith((".", "!", "?", ":", '"', "\u201d"))
        heading = not ends_sentence and len(line) < 0.7 * full and nxt[:1].isupper()
        if (ends_sentence and short) or heading:
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return paras


# Container tags whose removal loses no text: what pathological nesting is made of.
_NESTING_TAG = re.compile(
    r"(<(/?)(div|span|section|article|font|center|b|i|em|strong|u|small|big|blockquote)\b[^>]*>)", re.I
)
# Container levels kept when flattening; the rest of the page (html, body, p, lists,
# tables) stays far below libxml2's 256-level limit on any real page.
MAX_NESTING = 128


def _too_deep(parser: etree.HTMLParser) -> bool:
    return any("Excessive depth" in e.message for e in parser.error_log)


def _flatten_nesting(html: str, keep: int = MAX_NESTING) -> str:
    """Drop container tags nested deeper than `keep` levels, with their closing tags,
    so the text inside them survives in a tree of bounded depth.

    Only called after libxml2 reported excessive depth, so this scan of every tag is
    never paid on a normal page. re.split does the matching in C: the loop sees
    [text, tag, "/" or "", name, text, ...]."""
    parts = _NESTING_TAG.split(html)
    depth = 0
    kept: dict[str, list[bool]] = {}
    for i in range(1, len(parts), 4):
        closing, name = parts[i + 1], parts[i + 2].lower()
        parts[i + 1] = parts[i + 2] = ""  # the captured groups are not output
        stack = kept.get(name)
        if stack is None:
            stack = kept[name] = []
        if closing:  # a closing tag: dropped when its opening tag was dropped
            if stack and stack.pop():
                depth -= 1
                continue
        elif depth < keep:
            stack.append(True)
            depth += 1
            continue
        else:
            stack.append(False)
        parts[i] = ""
    return "".join(parts)


def _parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse to an lxml tree. Without huge_tree libxml2 stops at 256 levels of nesting
    (100,000 nested <div>s would otherwise mean deep recursion here and in trafilatura),
    and silently drops everything after that point; when it reports that, the page is
    flattened and parsed again, so its text survives (or a clear error is raised)."""
    # lxml refuses str input that still declares an encoding; the text is decoded already.
    html = _XML_DECL.sub("", html, count=1)
    for attempt in range(2):
        # One parser per call: its error log says whether this page hit the depth limit.
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
        try:
            root = lxml.html.document_fromstring(html, parser=parser)
        except (etree.ParserError, ValueError) as exc:
            raise ExtractionError(f"unparseable HTML ({exc})") from None
        if not _too_deep(parser):
            return root
        if attempt == 0:
            html = _flatten_nesting(html)
    raise ExtractionError("HTML nested more than 256 levels deep (pathological page)")


def _is_fragment(html: str) -> bool:
    """A body fragment (a feed item's content:encoded) rather than a whole web page."""
    return not _PAGE_TAG.search(html)


def _extract_html(html: str, url: str, kind: str, selector: str | None) -> Document:
    try:
        root = _parse_html(html)
    except ExtractionError as exc:
        raise ExtractionError(f"{url}: {exc}") from None
    meta = _metadata(root, url)
    profile = profile_for(url)
    warnings: list[str] = []
    paras: tuple[str, ...] = ()
    container = None
    extractor = "generic"
    chosen_selector = selector or (profile.selector if profile else None)
    if chosen_selector:
        try:
            found = root.cssselect(chosen_selector)
        except SelectorError as exc:  # sources.config validates selectors; this is the rest
            raise ExtractionError(f"{url}: invalid CSS selector {chosen_selector!r} ({exc})") from None
        if found:
            container = found[0]
            _strip_boilerplate(container)
            paras = _filter_lines(clean_paragraphs(_blocks(container)))
            extractor = "selector" if selector else f"profile:{profile.host}"
            if _words(paras) < MIN_WORDS:
                warnings.append(f"selector {chosen_selector!r} matched no text; used the generic extractor")
                paras, container = (), None
        elif not _is_fragment(html):
            warnings.append(f"selector {chosen_selector!r} matched nothing; used the generic extractor")
    if not paras and _is_fragment(html):
        # Feed content is the statement body itself: every block is main text.
        container = root.find("body") if root.find("body") is not None else root
        _strip_boilerplate(container)
        paras = _filter_lines(clean_paragraphs(_blocks(container)))
        extractor = "fragment"
    if not paras:
        paras = _generic_paragraphs(root, url)
        extractor = "generic"
    if not paras:
        # trafilatura found nothing: a dense-paragraph heuristic, on what is left after
        # dropping navigation and furniture.
        _strip_boilerplate(root)
        container = _best_container(root)
        paras = _filter_lines(clean_paragraphs(_blocks(container)))
        extractor = "generic:fallback"
    if meta["title"] and paras and paras[0] == meta["title"]:
        paras = paras[1:]
    if extractor.startswith("generic") and paras and _mostly_links(root, paras):
        raise ExtractionError(f"{url}: only navigation links found (boilerplate-only page)")
    words = _words(paras)
    joined = " ".join(paras)
    if words < MIN_WORDS:
        raise ExtractionError(f"{url}: no main text found (empty or boilerplate-only page)")
    if (words < 60 and _SOFT_404.search(joined + " " + meta["title"])) or (
        words < 150 and _SOFT_404.search(meta["title"])
    ):
        raise ExtractionError(f"{url}: page says it was not found (soft 404)")
    links: tuple[str, ...] = ()
    if container is not None:
        # join_url: a malformed scraped href (http://[zz/) is dropped, not fatal.
        joined = (join_url(url, a.get("href")) for a in container.iter("a") if a.get("href"))
        links = tuple(dict.fromkeys(u for u in joined if u))
    else:
        links = _links_near(root, url, paras)
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


def _mostly_links(root: lxml.html.HtmlElement, paras: tuple[str, ...]) -> bool:
    """A short result made mostly of the page's link texts is navigation, not a statement."""
    joined = " ".join(paras)
    if _words(paras) >= 100:
        return False
    anchors = {" ".join(a.text_content().split()) for a in root.iter("a")}
    covered = sum(len(t) for t in anchors if len(t) > 1 and t in joined)
    return covered > 0.5 * len(joined.replace(" ", ""))


def _words(paras: tuple[str, ...]) -> int:
    """Words, counting Chinese, Japanese and Korean text (written without spaces) at
    two characters a word, so a short CJK statement is not taken for an empty page."""
    total = 0
    for p in paras:
        cjk = len(_CJK.findall(p))
        total += len(_CJK.sub(" ", p).split()) + cjk // 2
    return total


def _generic_paragraphs(root: lxml.html.HtmlElement, url: str) -> tuple[str, ...]:
    """Main text by trafilatura (the strongest generic extractor measured on the benchmark),
    read block by block from its XML tree so paragraphs stay paragraphs, then our filter.

    Its full cascade runs (fast=True would skip the readability/justext fallback, but in
    trafilatura 2.3.1 it also keeps teaser blocks, which cost precision on the benchmark)."""
    import trafilatura

    try:
        # No copy of our tree: bare_extraction copies an element it is given. Output
        # "txt" skips the text serialisation of format "python", which we never read
        # (the blocks come from result.body); the extraction itself is the same.
        result = trafilatura.bare_extraction(
            root, url=url, include_comments=False, include_tables=True, output_format="txt"
        )
    except (RecursionError, ValueError, TypeError, AttributeError):
        return ()
    if result is None or result.body is None:
        return ()
    blocks: list[str] = []
    for el in result.body:
        _traf_blocks(el, blocks)
    return _filter_lines(clean_paragraphs(blocks))


def _traf_text(el: etree._Element) -> str:
    """Text of a trafilatura element; <lb/> becomes a space, nested lists are left out."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "list":
            pass
        elif child.tag == "lb":
            parts.append(" ")
        else:
            parts.append(_traf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _traf_blocks(el: etree._Element, out: list[str]) -> None:
    if el.tag == "list":
        for item in el:
            if item.tag == "item":
                out.append(_traf_text(item))
                for sub in item.iter("list"):
                    if sub is not item:
                        _traf_blocks(sub, out)
                        break
            else:
                _traf_blocks(item, out)
    elif el.tag == "table":
        for row in el.iter("row"):
            cells = [" ".join(_traf_text(c).split()) for c in row if c.tag == "cell"]
            out.append(" ".join(c for c in cells if c))
    elif el.tag in ("div", "quote", "section") and any(
        c.tag in ("p", "list", "head", "table", "quote") for c in el
    ):
        if el.text and el.text.strip():
            out.append(el.text)
        for child in el:
            _traf_blocks(child, out)
            if child.tail and child.tail.strip():
                out.append(child.tail)
    else:
        out.append(_traf_text(el))


def _links_near(root: lxml.html.HtmlElement, url: str, paras: tuple[str, ...]) -> tuple[str, ...]:
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


# Short lines that are page furniture wherever they appear: share bars, counters,
# "Related" headings, copyright lines. Matched on the whole line, so prose is safe.
_FURNITURE_LINE = re.compile(
    r"^(share( this( page| article| story| post)?)?( on \w+)?|tweet|print( this page)?|e-?mail( this( page)?)?|"
    r"facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|copy link|"
    r"related( articles| stories| content| links| posts| news)?|read more|more news|"
    r"back to top|skip to (main )?content|advertisement|anzeige|teilen|drucken|"
    r"[\d.,]+\s*(views|reads|aufrufe)|(views|aufrufe|hits)\s*:?\s*[\d.,]+|"
    r"(copyright|\(c\)|©)\s.{0,100}|.{0,100}all rights reserved\.?)$",
    re.I,
)


def _filter_lines(paras: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in paras if len(p) > 120 or not _FURNITURE_LINE.match(p.strip()))


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
            canonical = join_url(url, el.get("href"))
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
    if _words(paragraphs) < MIN_WORDS:
        raise ExtractionError(f"{url}: no main text found (empty or too short)")
