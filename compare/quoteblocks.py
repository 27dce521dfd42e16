"""A statement text as the quote index stores it: blocks, content hashes, winnowed shingles.

Pure functions, run before the store's write transaction (the store only inserts what they
return). A version's text is cut into blocks (paragraphs; long paragraphs at sentence ends),
each named by the hash of its text, so the 50 versions of a statement that differ in one
paragraph share every other block. A block's comparison words (compare.textnorm, the one
tokenizer) are hashed into 3-word shingles and winnowed: any 6 words a quote shares with a
block share one of the block's stored shingles. Hashes are stable across processes (CRC-32
of the word key, not Python's salted hash()), because the index outlives the process.

Example::

    >>> doc = index_text("First paragraph here.\\n\\nSecond one.")
    >>> [b.text for b in doc.blocks], doc.seps
    (['First paragraph here.', 'Second one.'], ('\\n\\n', ''))
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from compare.textnorm import _SENT_END, fold, scan

BLOCK_WORDS = 120  # longer paragraphs are cut at sentence ends
BLOCK_CHARS = 60_000  # a block stays a reasonable row
WINNOW = 4  # shingles per winnowing window: 3-word shingles, so 6 shared words always match
_P1, _P2, _P3 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
_M64 = (1 << 64) - 1
_PAD = 0x7FFFFFFF  # stands for missing words in shingles of pieces shorter than three words
_PARA_SEP = re.compile(r"[ \t\r\f\v\u00a0]*\n\s*")


@dataclass(frozen=True)
class Block:
    """One distinct block of statement text: its content hash and winnowed shingles."""

    hash: str
    text: str
    shingles: frozenset[int]  # signed 32-bit (portable INTEGER column)


@dataclass(frozen=True)
class IndexedText:
    """A version's text as blocks: `lead + "".join(b.text + s ...)` is the text."""

    lead: str
    blocks: tuple[Block, ...]
    seps: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.lead + "".join(b.text + s for b, s in zip(self.blocks, self.seps, strict=True))


def index_text(text: str) -> IndexedText:
    """Blocks, hashes and shingles of one statement version (pure; no store access)."""
    lead, blocks, seps = split_blocks(text)
    return IndexedText(lead, tuple(_block(b) for b in blocks), tuple(seps))


@lru_cache(maxsize=4096)  # unchanged paragraphs of a statement's next version are not redone
def _block(text: str) -> Block:
    words = [word_hash(k) for k, _, _, _ in scan(text)]
    return Block(block_hash(text), text, frozenset(to_signed(h) for h in winnow(shingle_hashes(words))))


def block_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=262_144)  # news vocabulary is small and Zipfian
def word_hash(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


def to_signed(h: int) -> int:
    """A 32-bit hash as a signed 32-bit integer (INTEGER on both backends)."""
    return h - (1 << 32) if h >= 1 << 31 else h


def shingle_hashes(words: Sequence[int]) -> list[int]:
    """32-bit hashes of every 3-word run of word hashes (one, padded, for fewer words)."""
    if not words:
        return []
    w = list(words) + [_PAD] * (3 - len(words)) if len(words) < 3 else list(words)
    out = []
    for a, b, c in zip(w, w[1:], w[2:], strict=False):
        h = (a * _P1 + b * _P2 + c * _P3) & _M64
        out.append((h ^ (h >> 29)) & 0xFFFFFFFF)
    return out


def winnow(hashes: Sequence[int], window: int = WINNOW) -> set[int]:
    """Minimum of every `window` consecutive hashes: a sample no long shared run escapes."""
    if len(hashes) <= window:
        return set(hashes)
    return set(map(min, zip(*(hashes[i:] for i in range(window)), strict=False)))


def query_shingles(pieces: Iterable[Sequence[str]]) -> list[int]:
    """Every (not winnowed) shingle of a quote's pieces of word keys, signed, distinct.

    Pieces are the runs between ellipses and brackets: no shingle spans a gap the source
    does not have. A query keeps all its shingles so it needs no winnowing luck.
    """
    out: set[int] = set()
    for keys in pieces:
        out.update(to_signed(h) for h in shingle_hashes([word_hash(k) for k in keys]))
    return sorted(out)


def split_blocks(text: str) -> tuple[str, list[str], list[str]]:
    """(lead, blocks, separators): `lead + "".join(b + s for b, s in zip(blocks, seps))` is `text`.

    Blocks are paragraphs; a paragraph longer than BLOCK_WORDS words is cut at sentence ends so
    that a window around a hit in a long transcript stays small.
    """
    body = text.lstrip()
    lead = text[: len(text) - len(body)]
    blocks: list[str] = []
    seps: list[str] = []
    pos = 0
    for m in [*_PARA_SEP.finditer(body), None]:
        a, b = (m.start(), m.end()) if m else (max(pos, len(body.rstrip())), len(body))
        para = body[pos:a]
        if para:
            pieces = _cut(para)
            for piece, sep in pieces[:-1]:
                blocks.append(piece)
                seps.append(sep)
            blocks.append(pieces[-1][0])
            seps.append(body[a:b])
        elif seps:
            seps[-1] += body[a:b]
        else:
            lead += body[a:b]
        pos = b
        if m is None:
            break
    return lead, blocks, seps


def _cut(para: str) -> list[tuple[str, str]]:
    """A paragraph as (piece, whitespace after) pieces of about BLOCK_WORDS words or fewer."""
    if len(para) < 6 * BLOCK_WORDS and len(para) < BLOCK_CHARS:
        return [(para, "")]
    out: list[tuple[str, str]] = []
    start, words = 0, 0
    folded = fold(para)
    bounds = [m.end() for m in _SENT_END.finditer(folded)] + [len(para)]
    prev = 0
    for end in bounds:
        words += len(para[prev:end].split())
        prev = end
        if end == len(para) or words >= BLOCK_WORDS or end - start >= BLOCK_CHARS // 2:
            piece = para[start:end].rstrip()
            if piece:
                out.append((piece, para[start + len(piece):end]))
            start, words = end, 0
    # A run of words with no sentence end (a list, a transcript without stops) is cut at spaces.
    fixed: list[tuple[str, str]] = []
    for piece, sep in out:
        while len(piece) >= BLOCK_CHARS or len(piece.split(maxsplit=2 * BLOCK_WORDS)) > 2 * BLOCK_WORDS:
            spaces = [m.start() for m in re.finditer(r" +", piece[:BLOCK_CHARS // 2])][:BLOCK_WORDS]
            cut = spaces[-1] if spaces else BLOCK_CHARS // 2
            rest = piece[cut:].lstrip(" ")
            fixed.append((piece[:cut], piece[cut:len(piece) - len(rest)]))
            piece = rest
        fixed.append((piece, sep))
    return fixed or [(para, "")]
