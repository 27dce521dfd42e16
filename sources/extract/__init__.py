"""Main text and metadata from HTML, plain text and PDF bodies.

Split by job, as trafilatura is: `parsing` (HTML to a tree), `html` (choosing the main-text
container), `blocks` (reading a container, dropping furniture), `generic` (trafilatura for
pages no profile covers), `metadata` (title, date, issuer, canonical URL, links), `pdf`,
`plain`. Site rules are data: sources/profiles.toml, loaded by sources.profiles.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sources.decode import decode_body, looks_binary, looks_garbled
from sources.document import STATEMENT, Document
from sources.extract.common import MIN_WORDS, ExtractionError, require_text, words
from sources.extract.generic import generic_paragraphs
from sources.extract.html import extract_html
from sources.extract.metadata import parse_date
from sources.extract.parsing import flatten_nesting, parse_html
from sources.extract.pdf import extract_pdf
from sources.extract.plain import extract_plain
from sources.normalize import drop_hidden
from sources.profiles import PROFILES, Profile, profile_for

__all__ = [
    "MIN_WORDS",
    "PROFILES",
    "ExtractionError",
    "Profile",
    "extract",
    "profile_for",
    "require_text",
    "words",
]

# The names these helpers had when extraction was one module; tests and callers use them.
_flatten_nesting = flatten_nesting
_generic_paragraphs = generic_paragraphs
_parse_html = parse_html
_parse_date = parse_date

_HTML_TAG = re.compile(r"<(html|body|p|div|article)\b", re.I)


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
            return _clean_title(extract_pdf(body, url, kind))
        if looks_binary(body):
            raise ExtractionError(f"{url}: binary body, not a text document")
        text = decode_body(body, charset)
        if looks_garbled(text):
            # Binary bytes without NULs (an image or an archive served as text/html)
            # decode to symbols; stored, they would read as a statement's wording.
            raise ExtractionError(f"{url}: binary body, not a text document")
    else:
        text = body
    if content_type == "text/plain" or not _HTML_TAG.search(text[:100_000]):
        doc = extract_plain(text, url, kind)
    else:
        doc = extract_html(text, url, kind, selector)
    return _clean_title(doc)


def _clean_title(doc: Document) -> Document:
    """Paragraphs are cleaned by each extractor (sources.normalize.clean_paragraphs); a
    title is scraped text too: no control or bidi characters, one line."""
    title = " ".join(drop_hidden(doc.title).split())
    return doc if title == doc.title else replace(doc, title=title)
