"""PDF bodies: pypdf's text, re-joined into paragraphs."""

from __future__ import annotations

import io

from sources.document import Document
from sources.extract.common import ExtractionError, require_text
from sources.normalize import clean_paragraphs


def extract_pdf(body: bytes, url: str, kind: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"{url}: unreadable PDF ({type(exc).__name__})") from None
    lines = [line.strip() for line in "\n".join(pages).splitlines()]
    paras = pdf_paragraphs(lines)
    cleaned = clean_paragraphs(paras)
    require_text(cleaned, url)
    return Document(url=url, title=title.strip(), paragraphs=cleaned, kind=kind, extractor="pdf")


def pdf_paragraphs(lines: list[str]) -> list[str]:
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
