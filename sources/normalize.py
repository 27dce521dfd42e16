"""Display cleanup and canonical text: what gets hashed and compared.

Bump NORMALIZER_VERSION whenever canonical output changes, so the store can tell a new
normalizer from a new wording.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# 2: the version hash covers the title too (version_hash), so a retitle is a new version.
# Hashes made by 1 are of the text alone: compare.observe.decide re-normalises such a prior
# (text and title) and a match is a normalizer upgrade, never a new wording.
# 3: control and bidi formatting characters are dropped (`drop_hidden`).
NORMALIZER_VERSION = 3

_QUOTE_DOUBLE = dict.fromkeys(map(ord, "“”„‟″＂«»"), '"')
_QUOTE_SINGLE = dict.fromkeys(map(ord, "‘’‚‛′"), "'")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# A regex strips invisibles far faster than str.translate with a dict on every paragraph.
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_FOLD = {**_QUOTE_DOUBLE, **_QUOTE_SINGLE, **_DASHES, **_SPACES, **_INVISIBLE}

# C0 and C1 controls (an ANSI escape, a BEL) and bidi embeddings, overrides, isolates and
# marks are never wording: kept in a statement they reorder or hide text wherever it is
# shown and make two identical readings hash apart (found by tests/test_properties.py).
# NEL and the Unicode line/paragraph separators are line breaks: read as spaces.
_HIDDEN_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\x85\u2028\u2029]")
# A backslash before punctuation is a Markdown escape leaked into published text ("\$1.5").
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$%&])")
_WS = re.compile(r"[ \t\r\f\v]+")
_SENTENCE_END_CHARS = frozenset(""".!?:;"'”’)]""")
_LOWER_START = re.compile(r"^[a-z(]")


def fold_typography(text: str) -> str:
    """NFKC, then typographic quotes, dashes, spaces folded; invisible characters removed.

    Removing an invisible character can put a letter next to a combining mark that NFKC
    composes: normalised again then, so folding twice is folding once."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD)
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", folded).translate(_FOLD)


def drop_hidden(text: str) -> str:
    """`text` without control and bidi formatting characters (tabs and line breaks are
    kept as whitespace)."""
    return _HIDDEN_RE.sub("", _BREAKS.sub(" ", text))


def clean_paragraph(text: str) -> str:
    """One paragraph for display: escapes, invisible, control and bidi formatting
    characters gone, spacing tidied.

    NFC (canonically equivalent, so nothing visible changes) makes one spelling of
    composed letters, as HTML sources mix precomposed and combining forms."""
    text = unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", drop_hidden(text)))
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _WS.sub(" ", text.replace("\n", " "))
    return text.strip()


def clean_paragraphs(raw: Iterable[str]) -> tuple[str, ...]:
    """Display paragraphs: cleaned, empties dropped, mid-sentence breaks rejoined."""
    out: list[str] = []
    for para in raw:
        para = clean_paragraph(para)
        if not para:
            continue
        if out and out[-1][-1] not in _SENTENCE_END_CHARS and _LOWER_START.match(para):
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return tuple(out)


def canonical_paragraphs(paragraphs: Iterable[str]) -> tuple[str, ...]:
    """Canonical form of each paragraph: folded typography, collapsed whitespace.

    Folded before paragraphs are rejoined: folding can turn a paragraph's first letter
    lower-case (NFKC makes "ª" an "a"), and rejoining after it would make canonical text
    change when canonicalised again (found by tests/test_properties.py)."""
    out = []
    for para in clean_paragraphs(fold_typography(p) for p in paragraphs):
        para = _WS.sub(" ", para).strip()
        if para:
            out.append(para)
    return tuple(out)


def canonical_text(paragraphs: Iterable[str]) -> str:
    """The text that is hashed and diffed; paragraphs separated by a blank line."""
    return "\n\n".join(canonical_paragraphs(paragraphs))


def text_hash(canonical: str) -> str:
    """Stable content hash of canonical text."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def canonical_title(title: str) -> str:
    """A title as hashed and compared: cleaned and folded like a paragraph."""
    return " ".join(canonical_paragraphs([title or ""]))


def version_hash(canonical: str, title: str = "") -> str:
    """The hash that says whether a document has a new version: canonical text and title.

    Without a title it is `text_hash(canonical)`; a title is put before the text with a
    separator canonical text cannot contain (it never has three newlines in a row).
    """
    head = canonical_title(title)
    return text_hash(f"{head}\n\n\n{canonical}" if head else canonical)
