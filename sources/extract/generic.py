"""The generic main-text extractor for pages no profile covers: trafilatura, read block by block."""

from __future__ import annotations

import lxml.html
from lxml import etree

from sources.extract.blocks import filter_lines
from sources.normalize import clean_paragraphs


def generic_paragraphs(root: lxml.html.HtmlElement, url: str) -> tuple[str, ...]:
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
    # A dict comes back only for output_format="python", which is not asked for.
    if result is None or isinstance(result, dict) or result.body is None:
        return ()
    out: list[str] = []
    for el in result.body:
        _traf_blocks(el, out)
    return filter_lines(clean_paragraphs(out))


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
