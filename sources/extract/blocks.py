"""Main text from a container element: furniture removal, block reading, line filter."""

from __future__ import annotations

import re

import lxml.html

BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd")
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer",
             "aside", "form", "button", "iframe", "select", "menu")
_BOILERPLATE_CLASS = re.compile(
    r"(^|[\s_-])(nav|menu|breadcrumb|share|social|related|footer|header|sidebar|cookie|"
    r"banner|subscribe|newsletter|comment|skip|print|tags?|pagination|promo|widget|"
    r"view-?count|byline-share|toolbar)($|[\s_-])",
    re.I,
)

# Short lines that are page furniture wherever they appear: share bars, counters,
# "Related" headings, copyright lines. Matched on the whole line, so prose is safe.
# "(c)" counts as a copyright sign only before a year or the word: "(c) promote regional
# security" is item (c) of a statement's list, not a footer.
_FURNITURE_LINE = re.compile(
    r"^(share( this( page| article| story| post)?)?( on \w+)?|tweet|print( this page)?|e-?mail( this( page)?)?|"
    r"facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|copy link|"
    r"related( articles| stories| content| links| posts| news)?|read more|more news|"
    r"back to top|skip to (main )?content|advertisement|anzeige|teilen|drucken|"
    r"[\d.,]+\s*(views|reads|aufrufe)|(views|aufrufe|hits)\s*:?\s*[\d.,]+|"
    r"(copyright|©)\s.{0,100}|\(c\)\s*((19|20)\d\d|copyright)\b.{0,100}|.{0,100}all rights reserved\.?)$",
    re.I,
)
# Inside a container that a site profile, a caller's selector or a feed declares to be the
# statement, only widget labels are furniture: a closing "Read more" link, a "Related links"
# heading or a copyright notice there is part of what was published, and dropping it would
# lose content lines.
_WIDGET_LINE = re.compile(
    r"^(share( this( page| article| story| post)?)?( on \w+)?|tweet|print( this page)?|e-?mail( this( page)?)?|"
    r"facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|copy link|"
    r"back to top|skip to (main )?content)$",
    re.I,
)


def filter_lines(paras: tuple[str, ...]) -> tuple[str, ...]:
    """Drop furniture lines from a guessed main text (trafilatura, densest container)."""
    return tuple(p for p in paras if len(p) > 120 or not _FURNITURE_LINE.match(p.strip()))


def filter_widget_lines(paras: tuple[str, ...]) -> tuple[str, ...]:
    """Drop only widget labels from a declared main-text container."""
    return tuple(p for p in paras if len(p) > 40 or not _WIDGET_LINE.match(p.strip()))


def drop_selected(container: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> None:
    """Remove a site profile's furniture (elements its selectors name) from the container."""
    for selector in selectors:
        for el in container.cssselect(selector):
            if el is not container and el.getparent() is not None:
                el.drop_tree()


def strip_boilerplate(root: lxml.html.HtmlElement) -> None:
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


def best_container(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
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


# Elements that flow inside a line of text; any other element ends the line before it.
_INLINE_TAGS = frozenset((
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "img", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
))


def _gather_text(el: lxml.html.HtmlElement, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if child.tag == "br":
            parts.append(" ")
        elif isinstance(child.tag, str):
            _gather_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def _text(el: lxml.html.HtmlElement) -> str:
    """text_content(), with a space for every <br>: a line break separates words even when
    no newline follows it in the source. (The tree is not changed: a page's text may hold
    control characters that lxml refuses to write back.)"""
    if el.find(".//br") is None:
        return el.text_content()  # the common case, done in C
    parts: list[str] = []
    _gather_text(el, parts)
    return "".join(parts)


def _block_text(el: lxml.html.HtmlElement) -> str:
    if el.tag == "li" or el.tag in ("td", "dd"):
        return " ".join(_text(el).split())
    return _text(el)


def _in_paragraph(el: lxml.html.HtmlElement, top: lxml.html.HtmlElement) -> bool:
    """Whether a <p> holds el, looking up as far as top (included)."""
    for anc in el.iterancestors():
        if anc.tag == "p":
            return True
        if anc is top:
            return False
    return False


def blocks(container: lxml.html.HtmlElement) -> list[str]:
    """Text of the container in document order: one entry per block element (without
    nesting duplicates), and one per line of text that sits outside any block (a
    "(Via Translation)" <div>, an office line ended by <br>), so no content line is lost.

    Lines and words are split by the markup only, never by the source's whitespace: a
    <br> separates words even when no newline follows it in the source, so the same
    markup gives the same text however the page is serialised on a given fetch."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append("".join(run))
            run.clear()

    def walk(el: lxml.html.HtmlElement) -> None:
        if el.text:
            run.append(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass  # a comment or processing instruction: only its tail is text
            elif tag in BLOCK_TAGS:
                flush()
                out.append(_block_text(child))
                # List items inside a block are blocks of their own, unless in a paragraph.
                for li in child.iterdescendants("li"):
                    if not _in_paragraph(li, child):
                        out.append(_block_text(li))
            elif tag in _INLINE_TAGS:
                walk(child)
            else:
                flush()
                walk(child)
                flush()
            if child.tail:
                run.append(child.tail)

    walk(container)
    flush()
    return out


def mostly_links(root: lxml.html.HtmlElement, paras: tuple[str, ...], word_count: int) -> bool:
    """A short result made mostly of the page's link texts is navigation, not a statement."""
    joined = " ".join(paras)
    anchors = {" ".join(a.text_content().split()) for a in root.iter("a")}
    if word_count >= 100:
        # A long result: a menu, a site map or a footer of 100+ link words is still not a
        # statement. Judged paragraph by paragraph (a link text found inside a sentence
        # does not make it navigation): most of the text in paragraphs that are links.
        linked = sum(len(p) for p in paras if _link_share(p, anchors) >= 0.8)
        return linked > 0.7 * sum(len(p) for p in paras)
    covered = sum(len(t) for t in anchors if len(t) > 1 and t in joined)
    return covered > 0.5 * len(joined.replace(" ", ""))


def _link_share(para: str, anchors: set[str]) -> float:
    """How much of a paragraph is the text of links (1.0: nothing but links)."""
    text = para.replace(" ", "")
    if not text:
        return 0.0
    covered = sum(len(a.replace(" ", "")) for a in anchors if len(a) > 1 and a in para)
    return min(1.0, covered / len(text))
