"""An in-memory index of word shingles over statement versions, to find what a quote quotes.

Every statement version is reduced to hashed word 3-grams, winnowed (the smallest hash in
each window of WINDOW consecutive shingles is kept), so any run of WINDOW + K - 1 = 6 shared
words is guaranteed to share a fingerprint while only about 40% of shingles are stored.
A query uses all its shingles, so it needs no winnowing luck. With numpy the postings are
two flat sorted arrays (8 bytes a posting); without it, a dict (fine for a few thousand).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

from compare.textnorm import fold

try:  # numpy makes 100,000 versions fit in memory; the dict fallback keeps small uses working
    import numpy as np
except ImportError:  # pragma: no cover - exercised only where numpy is absent
    np = None

K = 3
WINDOW = 4


_WORD = re.compile(r"\w+")
_PERCENT = re.compile(r"\bper cent\b|%")
MASK = 0xFFFFFFFF


def text_keys(text: str) -> list[str]:
    """Cheap word keys for shingling (lowercase, typography folded, "per cent" = "%").

    Cruder than compare.textnorm.tokenize on purpose: indexing 100,000 versions must be
    fast, and a word that normalises differently only costs the few shingles around it.
    """
    return _WORD.findall(_PERCENT.sub(" percent", fold(text).lower().replace("'", "")))


def shingles(words: Sequence[str], k: int = K) -> list[int]:
    """32-bit hashes of every k-word run (one run for texts shorter than k).

    Python's hash() is salted per process: the index lives in memory, built by the process
    that queries it, so that is fine and several times faster than a checksum.
    """
    if len(words) < k:
        return [hash(tuple(words)) & MASK] if words else []
    return [hash(t) & MASK for t in zip(*(words[i:] for i in range(k)), strict=False)]


def winnow(hashes: Sequence[int], window: int = WINDOW) -> set[int]:
    """The minimum hash of each window: a sample that no long shared run can escape."""
    if len(hashes) <= window:
        return set(hashes)
    return set(map(min, zip(*(hashes[i:] for i in range(window)), strict=False)))


class ShingleIndex:
    """Word-shingle index: `add(key, text)` each statement version, `candidates(quote, k)`."""

    def __init__(self) -> None:
        self._keys: list[Hashable] = []
        self._hashes = array("I")
        self._docs = array("I")
        self._sorted: tuple[object, object] | None = None
        self._dict: dict[int, list[int]] | None = None

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: Hashable, text: str) -> None:
        """Index one statement version under `key` (e.g. (url, version))."""
        doc = len(self._keys)
        self._keys.append(key)
        prints = winnow(shingles(text_keys(text)))
        self._hashes.extend(prints)
        self._docs.extend([doc] * len(prints))
        self._sorted = None
        self._dict = None

    def add_many(self, items: Iterable[tuple[Hashable, str]]) -> None:
        for key, text in items:
            self.add(key, text)

    def _freeze(self) -> None:
        if np is not None:
            h = np.frombuffer(self._hashes, dtype=np.uint32)
            d = np.frombuffer(self._docs, dtype=np.uint32)
            order = np.argsort(h, kind="stable")
            self._sorted = (h[order], d[order])
        else:
            table: dict[int, list[int]] = {}
            for h_, d_ in zip(self._hashes, self._docs, strict=True):
                table.setdefault(h_, []).append(d_)
            self._dict = table

    def nbytes(self) -> int:
        """Memory held by the postings (not counting the keys)."""
        if self._sorted is not None:
            return int(self._sorted[0].nbytes + self._sorted[1].nbytes)  # type: ignore[attr-defined]
        return self._hashes.itemsize * len(self._hashes) * 2

    def compact(self) -> None:
        """Freeze the postings and drop the build buffers (halves the memory of a built index)."""
        self._freeze()
        if self._sorted is not None:
            self._sorted = (self._sorted[0].copy(), self._sorted[1].copy())  # type: ignore[attr-defined]
            self._hashes = array("I")
            self._docs = array("I")

    def candidates(self, quote: str | Sequence[str], k: int = 5,
                   min_hits: int = 1) -> list[tuple[Hashable, int]]:
        """Up to k (key, shared shingles) best first.

        `quote` is the quote's text, or its pieces (split by the caller at ellipses and
        brackets, so that no shingle spans a gap the source does not have).
        """
        if self._sorted is None and self._dict is None:
            self._freeze()
        pieces = [quote] if isinstance(quote, str) else list(quote)
        query = {h for p in pieces for h in shingles(text_keys(p))}
        if not query:
            return []
        votes: Counter[int] = Counter()
        if self._sorted is not None:
            hs, ds = self._sorted
            q = np.fromiter(query, dtype=np.uint32, count=len(query))
            lo = np.searchsorted(hs, q, side="left")
            hi = np.searchsorted(hs, q, side="right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    votes.update(ds[a:b].tolist())  # type: ignore[index]
        else:
            assert self._dict is not None
            for h in query:
                votes.update(self._dict.get(h, ()))
        return [(self._keys[d], n) for d, n in votes.most_common(k) if n >= min_hits]
