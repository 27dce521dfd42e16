"""Plain-text bodies: paragraphs are separated by blank lines, a short first line is the title."""

from __future__ import annotations

import re

from sources.document import Document
from sources.extract.common import ExtractionError, require_text
from sources.normalize import clean_paragraphs


def extract_plain(text: str, url: str, kind: str) -> Document:
    text = text.replace("\r\n", "\n")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    # A block whose lines are not hard-wrapped holds one paragraph per line (articles saved
    # with single newlines): read as one paragraph, its quotes and sentences would run together.
    blocks = [part.strip() for b in blocks
              for part in (b.split("\n") if _one_paragraph_per_line(b) else [b]) if part.strip()]
    if not blocks:
        raise ExtractionError(f"{url}: empty document")
    title = blocks[0] if len(blocks[0]) < 200 and "\n" not in blocks[0] else ""
    paras = clean_paragraphs(blocks[1:] if title else blocks)
    require_text(paras, url)
    return Document(url=url, title=title, paragraphs=paras, kind=kind, extractor="plain")


def _one_paragraph_per_line(block: str) -> bool:
    """Whether single newlines separate paragraphs (not a hard wrap at a fixed width).

    A hard-wrapped paragraph has lines of similar length that mostly end mid-sentence; an
    article saved one paragraph per line has lines ending in sentence punctuation.
    """
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if len(lines) < 3:
        return False
    ends = sum(bool(re.search(r"[.!?:\"”’»)]$", line)) for line in lines[1:])
    return ends >= 0.6 * (len(lines) - 1)
