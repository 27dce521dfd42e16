"""HTML to an lxml tree, surviving pathological nesting."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from sources.extract.common import ExtractionError

_PAGE_TAG = re.compile(r"<(html|head|body)\b", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Characters XML does not allow (C0 controls other than tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF): libxml2 keeps them in text it parses, then lxml refuses to
# write that text back when a tree edit (drop_tree) moves it (ValueError "All strings
# must be XML compatible", found by bench/fuzz.py). Form feed and vertical tab are spaces.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_SPACE = re.compile("[\x0b\x0c]")

# Container tags whose removal loses no text: what pathological nesting is made of.
_NESTING_TAG = re.compile(
    r"(<(/?)(div|span|section|article|font|center|b|i|em|strong|u|small|big|blockquote)\b[^>]*>)", re.I
)
# Container levels kept when flattening; the rest of the page (html, body, p, lists,
# tables) stays far below libxml2's 256-level limit on any real page.
MAX_NESTING = 128


def _too_deep(parser: etree.HTMLParser) -> bool:
    return any("Excessive depth" in e.message for e in parser.error_log)


def flatten_nesting(html: str, keep: int = MAX_NESTING) -> str:
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


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse to an lxml tree. Without huge_tree libxml2 stops at 256 levels of nesting
    (100,000 nested <div>s would otherwise mean deep recursion here and in trafilatura),
    and silently drops everything after that point; when it reports that, the page is
    flattened and parsed again, so its text survives (or a clear error is raised)."""
    # lxml refuses str input that still declares an encoding; the text is decoded already.
    html = _NOT_XML.sub("", _XML_SPACE.sub(" ", _XML_DECL.sub("", html, count=1)))
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
            html = flatten_nesting(html)
    raise ExtractionError("HTML nested more than 256 levels deep (pathological page)")


def is_fragment(html: str) -> bool:
    """A body fragment (a feed item's content:encoded) rather than a whole web page."""
    return not _PAGE_TAG.search(html)
