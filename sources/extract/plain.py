"""Plain-text bodies: paragraphs are separated by blank lines, a short first line is the title."""

from __future__ import annotations

import re

from sources.document import Document
from sources.extract.common import ExtractionError, require_text
from sources.normalize import clean_paragraphs


def extract_plain(text: str, url: str, kind: str) -> Document:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    if not blocks:
        raise ExtractionError(f"{url}: empty document")
    title = blocks[0] if len(blocks[0]) < 200 and "\n" not in blocks[0] else ""
    paras = clean_paragraphs(blocks[1:] if title else blocks)
    require_text(paras, url)
    return Document(url=url, title=title, paragraphs=paras, kind=kind, extractor="plain")
