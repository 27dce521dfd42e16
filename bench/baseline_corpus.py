"""BENCH-ONLY: main's in-memory StatementCorpus, kept as the baseline of bench/quotes_scale.py.

Not used by onrecord (the one quote engine is compare.quote_engine over the index in the
store). This copy exists so the benchmark can measure, in the same run, what the pipeline
did before: rebuild this corpus from every statement version in each new process.

Every statement version tokenised once, indexed by shingles, for checking quotes at scale.

`check_article` (compare.quotecheck) re-tokenises each candidate statement per quote and
aligns the quote to every version of it. That is fine for a handful of statements, not for a
store of 100,000 versions. `StatementCorpus` does the expensive work once, when a version is
added, and shares it:

- A version's text is cut into blocks (paragraphs; long paragraphs at sentence ends). Blocks
  are deduplicated across versions and statements: 50 versions of a statement that differ in
  one paragraph store, tokenise and index each paragraph once.
- A block's comparison words (compare.textnorm) are kept as word ids with raw offsets and
  sentence numbers in flat arrays, so a window of blocks becomes an `align.Prepared` without
  normalising anything again.
- Hashed 3-word shingles of word ids, winnowed, map to blocks. A quote votes for blocks;
  blocks lead to versions and statements, and within a version the voted blocks (with one
  neighbour each side) are the window the quote is aligned to. Versions whose window is the
  same text share one alignment, so a quote is aligned once per distinct passage, not once
  per version.

Verdicts are compare.quotecheck's (same rules for stale, edited, misquote), only the text
aligned to is a window instead of the whole version. numpy is required here.
"""

from __future__ import annotations

import re
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from sys import intern  # separators ("\n", "\n\n", " ") repeat: one object each
from typing import Any

import numpy as np
import numpy.typing as npt

from compare.align import Prepared
from compare.quote_engine import INDEX_ABOVE
from compare.quotecheck import (
    ParsedQuote,
    QuoteCheck,
    SourceText,
    _Hit,
    evaluate_prepared,
    judge_in_order,
    parse_quote,
    unverified,
)
from compare.quotes import Quote
from compare.textnorm import _SENT_END, Token, fold, scan

CANDIDATES = 4  # statements aligned per quote beyond the article's links (best voted first)
TOP_BLOCKS = 12  # best-voted blocks whose statements become candidates
TIED_BLOCKS = 256  # blocks as good as the TOP_BLOCKS-th that are still followed
FANOUT = 256  # versions followed from one block (boilerplate paragraphs are in thousands)
STOP_POSTINGS = 4096  # a shingle in more blocks than this says little about where a quote is from
WINDOW_GAP = 4  # voted blocks this close belong to one passage (multi-paragraph quotes, splices)
WINDOW_MAX = 9  # blocks in one window at most: long transcripts must not become one window
WINDOWS = 2  # windows aligned per version (a quote spliced from two places)
WEAK = 0.1  # blocks with fewer votes than this share of the version's best are noise
BLOCK_WORDS = 120  # longer paragraphs are cut at sentence ends
BLOCK_CHARS = 60_000  # offsets in a block are 16-bit
PENDING = 1 << 18  # postings buffered before they are sorted into a segment
PREPARED_CACHE = 512  # windows reused within an article; Token objects are not small
_P1, _P2, _P3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)
_PAD = 0x7FFFFFFF  # stands for missing words in shingles of pieces shorter than three words
_PARA_SEP = re.compile(r"[ \t\r\f\v\u00a0]*\n\s*")


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


def shingle_hashes(ids: npt.NDArray[Any]) -> npt.NDArray[np.uint32]:
    """32-bit hashes of every 3-word run of word ids (one hash, padded, for fewer words)."""
    u: npt.NDArray[np.uint64] = ids.astype(np.uint64)
    if len(u) < 3:
        u = np.concatenate([u, np.full(3 - len(u), _PAD, dtype=np.uint64)])
    with np.errstate(over="ignore"):
        h = u[:-2] * _P1 + u[1:-1] * _P2 + u[2:] * _P3
        h ^= h >> np.uint64(29)
    out: npt.NDArray[np.uint32] = (h & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return out


def winnow(h: npt.NDArray[Any], window: int = 4) -> npt.NDArray[Any]:
    """Minimum of every `window` consecutive hashes: any 6 shared words share one of them."""
    if len(h) <= window:
        m = h
    else:
        n = len(h) - window + 1
        m = h[:n].copy()
        for k in range(1, window):
            np.minimum(m, h[k:k + n], out=m)
    out: npt.NDArray[Any] = np.unique(m)
    return out


@dataclass(frozen=True)
class _Version:
    url: str
    seq: int
    seen_at: datetime | None
    current: bool | None  # None: the latest seq of its statement is current
    blocks: tuple[int, ...]
    seps: tuple[str, ...]


class _Postings:
    """Shingle hash -> blocks, as sorted numpy segments merged as they grow (adds stay cheap)."""

    def __init__(self) -> None:
        self._segments: list[tuple[npt.NDArray[Any], npt.NDArray[Any]]] = []
        self._pend_h: list[npt.NDArray[Any]] = []
        self._pend_b: list[npt.NDArray[Any]] = []
        self._pending = 0

    def add(self, hashes: npt.NDArray[Any], block: int) -> None:
        self._pend_h.append(hashes)
        self._pend_b.append(np.full(len(hashes), block, dtype=np.uint32))
        self._pending += len(hashes)
        if self._pending >= PENDING:
            self._flush()  # thousands of small arrays cost more than the postings they hold

    def _flush(self) -> None:
        if not self._pend_h:
            return
        h = np.concatenate(self._pend_h)
        b = np.concatenate(self._pend_b)
        self._pend_h, self._pend_b, self._pending = [], [], 0
        order = np.argsort(h, kind="stable")
        self._segments.append((h[order], b[order]))
        # Merge a segment into the one before while it is at least half its size: O(log n)
        # segments, each posting re-sorted O(log n) times over the index's life.
        while len(self._segments) > 1 and len(self._segments[-1][0]) * 2 >= len(self._segments[-2][0]):
            (h1, b1), (h2, b2) = self._segments[-2], self._segments.pop()
            h = np.concatenate([h1, h2])
            b = np.concatenate([b1, b2])
            order = np.argsort(h, kind="stable")
            self._segments[-1] = (h[order], b[order])

    def votes(self, query: npt.NDArray[Any], n_blocks: int) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """(blocks, weighted votes) for the distinct hashes in `query`.

        A shared shingle weighs log(1 + n_blocks / blocks holding it): with winnowing a short
        quote shares only two or three fingerprints with its source, and "thanks to you for"
        must not tie with "a wonderful introduction" among a hundred transcripts.
        """
        self._flush()
        spans = []
        df = np.zeros(len(query), dtype=np.int64)
        for hs, bs in self._segments:
            lo = np.searchsorted(hs, query, side="left")
            hi = np.searchsorted(hs, query, side="right")
            df += hi - lo
            spans.append((bs, lo.tolist(), hi.tolist()))
        weight = np.log1p(max(1, n_blocks) / np.maximum(df, 1)).tolist()
        common = df > STOP_POSTINGS
        if common.all():
            common[:] = False  # only boilerplate matched: better a guess than nothing
        found: list[npt.NDArray[Any]] = []
        weights: list[npt.NDArray[Any]] = []
        for bs, los, his in spans:
            for j, (a, z) in enumerate(zip(los, his, strict=True)):
                if z > a and not common[j]:
                    got = bs[a:min(z, a + STOP_POSTINGS)]
                    found.append(got)
                    weights.append(np.full(len(got), weight[j]))
        if not found:
            return np.empty(0, np.uint32), np.empty(0, np.float64)
        blocks, inverse = np.unique(np.concatenate(found), return_inverse=True)
        return blocks, np.bincount(inverse, weights=np.concatenate(weights))

    def nbytes(self) -> int:
        self._flush()
        return sum(h.nbytes + b.nbytes for h, b in self._segments)


class StatementCorpus:
    """Statement versions for quote checking: built once per run, queried per article.

    Build (incrementally; any order; a (url, version) pair is added once)::

        corpus = StatementCorpus()
        corpus.add(url, version_seq, text, seen_at=first_seen)      # current: latest seq
        corpus = StatementCorpus.from_store(store.statement_versions())  # or all at once

    Check an article's extracted quotes (compare.quotes.extract_quotes)::

        checks = corpus.check_article(quotes, published_at=doc.published, links=doc.links)

    returns one `QuoteCheck` per attributed quote, in order, with the verdicts of
    `compare.quotecheck.check_article` given the same versions: `check.source` is the
    statement url and `check.version` the version seq the verdict refers to (for "stale", the
    older version the quote matches). `links` (urls the article links to) are tried first;
    `published_at` picks the version on record when the article appeared.

    With up to INDEX_ABOVE statements every statement is tried, as check_article does; with
    more, the shingle index names up to CANDIDATES of them per quote, so a quote that shares
    no three consecutive words with its source (a full rewrite) is "unverified" unless the
    article links to the statement.
    """

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._words: list[str] = []
        self._block_of: dict[str, int] = {}
        self._btext: list[str] = []
        self._boff = array("q", [0])
        self._tkey = array("I")
        self._tstart = array("H")
        self._tend = array("H")
        self._tsent = array("H")
        self._bsents = array("H")  # sentences per block (window sentence numbering)
        self._bver: list[array[int]] = []
        self._postings = _Postings()
        self._versions: list[_Version] = []
        self._at: dict[tuple[str, int], int] = {}
        self._by_url: dict[str, list[int]] = {}
        self._sources: dict[str, tuple[SourceText, ...]] = {}
        self._prepared: OrderedDict[tuple[tuple[int, ...], tuple[str, ...]], Prepared] = OrderedDict()

    # -- building ------------------------------------------------------------------------

    @classmethod
    def from_store(cls, pairs: Iterable[tuple[Any, Any]]) -> StatementCorpus:
        """From `Store.statement_versions()`: (DocumentRecord, Version) pairs."""
        corpus = cls()
        for record, version in pairs:
            corpus.add(record.url, version.seq, version.display_text, version.first_seen)
        return corpus

    @classmethod
    def from_sources(cls, sources: Iterable[SourceText]) -> StatementCorpus:
        """From compare.quotecheck.SourceText (a missing version number counts them per url)."""
        corpus = cls()
        counts: dict[str, int] = {}
        for s in sources:
            counts[s.url] = counts.get(s.url, 0) + 1
            seq = s.version if s.version is not None else counts[s.url]
            corpus.add(s.url, seq, s.text, s.seen_at, s.current)
        return corpus

    def add(self, url: str, version: int, text: str, seen_at: datetime | None = None,
            current: bool | None = None) -> None:
        """Add one version. `current` None: the statement's highest version is its current one."""
        if (url, version) in self._at:
            return  # the store lists a version once; a repeated add is a caller's retry
        lead, blocks, seps = split_blocks(text)
        ids = tuple(self._block(b) for b in blocks)
        vi = len(self._versions)
        self._versions.append(_Version(url, version, seen_at, current, ids, tuple(intern(s) for s in seps)))
        self._at[(url, version)] = vi
        for b in set(ids):
            self._bver[b].append(vi)
        vs = self._by_url.setdefault(url, [])
        vs.append(vi)
        vs.sort(key=lambda i: self._versions[i].seq)
        self._sources.pop(url, None)

    def _block(self, text: str) -> int:
        b = self._block_of.get(text)
        if b is not None:
            return b
        b = len(self._btext)
        self._block_of[text] = b
        self._btext.append(text)
        self._bver.append(array("I"))
        toks = scan(text)
        if toks:
            keys, starts, ends, sents = zip(*toks, strict=True)
            vocab = self._vocab
            get = vocab.get
            ids = [get(k) for k in keys]
            if None in ids:
                for j, k in enumerate(keys):
                    if ids[j] is None:
                        ids[j] = vocab.get(k)
                        if ids[j] is None:
                            ids[j] = vocab[k] = len(self._words)
                            self._words.append(k)
            self._tkey.extend(ids)  # type: ignore[arg-type]
            self._tstart.extend(starts)
            self._tend.extend(ends)
            self._tsent.extend(sents if sents[-1] < 65535 else [min(n, 65535) for n in sents])
        else:
            ids = []
        self._bsents.append(min(65535, toks[-1][3] + 1) if toks else 1)
        self._boff.append(len(self._tkey))
        if ids:
            self._postings.add(winnow(shingle_hashes(np.asarray(ids, dtype=np.uint32))), b)
        return b

    def __len__(self) -> int:
        return len(self._versions)

    def stats(self) -> dict[str, int]:
        """Sizes and an estimate of the memory held (arrays plus block texts)."""
        arrays = sum(a.itemsize * len(a) for a in (self._boff, self._tkey, self._tstart, self._tend,
                                                   self._tsent, self._bsents))
        arrays += sum(a.itemsize * len(a) + 64 for a in self._bver)
        texts = sum(len(t) + 49 for t in self._btext)
        return {"versions": len(self._versions), "statements": len(self._by_url),
                "blocks": len(self._btext), "words": len(self._tkey), "vocabulary": len(self._words),
                "postings_bytes": self._postings.nbytes(), "token_bytes": arrays, "text_bytes": texts}

    # -- lookup --------------------------------------------------------------------------

    def versions(self, url: str) -> tuple[SourceText, ...]:
        """The statement's versions, oldest first (text left empty: the corpus holds it)."""
        got = self._sources.get(url)
        if got is None:
            idx = self._by_url.get(url, [])
            explicit = any(self._versions[i].current is not None for i in idx)
            got = tuple(SourceText(v.url, "", v.seq,
                                   bool(v.current) if explicit else k == len(idx) - 1, v.seen_at)
                        for k, v in enumerate(self._versions[i] for i in idx))
            self._sources[url] = got
        return got

    def text(self, url: str, version: int) -> str:
        """A version's text as added (paragraph separators kept; leading whitespace dropped)."""
        v = self._versions[self._at[(url, version)]]
        return "".join(self._btext[b] + s for b, s in zip(v.blocks, v.seps, strict=True))

    def _query_votes(self, pq: ParsedQuote) -> dict[int, float]:
        """Block -> shingles it shares with the quote (no shingle spans an ellipsis or bracket)."""
        pieces: list[list[int]] = [[]]
        for i, t in enumerate(pq.tokens):
            if i in pq.ellipses or i in pq.brackets:
                pieces.append([])
            if i in pq.brackets:
                continue
            pieces[-1].append(self._vocab.get(t.key, _PAD - 1))
        hashes = [shingle_hashes(np.asarray(p, dtype=np.uint32)) for p in pieces if p]
        if not hashes:
            return {}
        blocks, counts = self._postings.votes(np.unique(np.concatenate(hashes)), len(self._btext))
        return dict(zip(blocks.tolist(), counts.tolist(), strict=True))

    def _url_scores(self, votes: dict[int, float]) -> dict[str, float]:
        """Statement -> shingles its best version shares with the quote through the top blocks.

        Per version, not summed over versions: a statement edited 50 times holds 50 variants
        of the quoted paragraph, which must not outvote a statement with one version.
        """
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])
        # Near-copies of a paragraph (other statements, other versions) tie on votes: keep
        # every block close to the best rather than an arbitrary TOP_BLOCKS of the tied ones.
        floor = ranked[min(len(ranked), TOP_BLOCKS) - 1][1] if ranked else 0
        per_version: dict[int, float] = {}
        for b, n in ranked[:TIED_BLOCKS]:
            if n < floor:
                break
            for vi in self._bver[b][:FANOUT]:
                per_version[vi] = per_version.get(vi, 0) + n
        score: dict[str, float] = {}
        for vi, n in per_version.items():
            url = self._versions[vi].url
            if n > score.get(url, 0):
                score[url] = n
        return score

    def _candidates(self, score: dict[str, float], linked: Sequence[str],
                    prior: dict[str, float] | None = None) -> list[str]:
        """Statements to try, best first: the article's links, then the best voted.

        Ties (a paragraph repeated word for word in several statements) go to the statement
        the article's other quotes point to (`prior`): an article usually quotes one statement.
        """
        if len(self._by_url) <= INDEX_ABOVE:
            return list(linked) + [u for u in self._by_url if u not in linked]
        prior = prior or {}
        ranked = sorted((u for u in score if u not in linked), key=lambda u: (-score[u], -prior.get(u, 0)))
        return list(linked) + ranked[:CANDIDATES]

    def _windows(self, v: _Version, votes: dict[int, float], whole: bool) -> list[tuple[int, int]]:
        """Block ranges [lo, hi) of version `v` holding the voted passages, best first."""
        got = [(p, votes.get(b, 0)) for p, b in enumerate(v.blocks)]
        top = max((n for _, n in got), default=0)
        if top == 0:
            return [(0, len(v.blocks))] if whole and v.blocks else []
        keep = [(p, n) for p, n in got if n > 0 and n >= WEAK * top]
        clusters: list[list[tuple[int, float]]] = []
        for p, n in keep:
            if clusters and p - clusters[-1][-1][0] <= WINDOW_GAP:
                clusters[-1].append((p, n))
            else:
                clusters.append([(p, n)])
        clusters.sort(key=lambda c: -sum(n for _, n in c))
        out = []
        for c in clusters[:WINDOWS]:
            lo, hi = c[0][0], c[-1][0] + 1
            if hi - lo > WINDOW_MAX - 2:
                peak = max(c, key=lambda pn: pn[1])[0]
                lo, hi = max(lo, peak - (WINDOW_MAX - 2) // 2), min(hi, peak + (WINDOW_MAX - 2) // 2 + 1)
            out.append((lo, hi))
        return out

    def _prepare(self, v: _Version, lo: int, hi: int) -> Prepared:
        """The window's text and tokens, from the stored arrays (nothing is re-normalised)."""
        key = (v.blocks[lo:hi], v.seps[lo:hi - 1])
        got = self._prepared.get(key)
        if got is not None:
            self._prepared.move_to_end(key)
            return got
        parts: list[str] = []
        toks: list[Token] = []
        at = 0
        sent = 0
        words = self._words
        for k in range(lo, hi):
            b = v.blocks[k]
            a, z = self._boff[b], self._boff[b + 1]
            for wid, s, e, n in zip(self._tkey[a:z], self._tstart[a:z], self._tend[a:z], self._tsent[a:z],
                                    strict=True):
                toks.append(Token(words[wid], at + s, at + e, sent + n))
            text = self._btext[b]
            parts.append(text)
            at += len(text)
            sent += self._bsents[b]
            if k < hi - 1:
                parts.append(v.seps[k])
                at += len(v.seps[k])
        pos: dict[str, list[int]] = {}
        for i, t in enumerate(toks):
            pos.setdefault(t.key, []).append(i)
        prep = Prepared("".join(parts), tuple(toks), {k: tuple(p) for k, p in pos.items()})
        self._prepared[key] = prep
        if len(self._prepared) > PREPARED_CACHE:
            self._prepared.popitem(last=False)
        return prep

    # -- checking ------------------------------------------------------------------------

    def check_quote(self, quote: Quote, published_at: datetime | None = None,
                    links: Sequence[str] = ()) -> QuoteCheck:
        """Verdict for one quote (see the class docstring)."""
        return self.check_article([quote], published_at, links, include_unattributed=True)[0]

    def _check(self, quote: Quote, pq: ParsedQuote, votes: dict[int, float], order: list[str],
               linked: list[str], published_at: datetime | None) -> QuoteCheck:
        small = len(self._by_url) <= INDEX_ABOVE
        memo: dict[tuple[tuple[int, ...], tuple[str, ...]], _Hit | None] = {}

        def evaluate(pq: ParsedQuote, src: SourceText) -> _Hit | None:
            v = self._versions[self._at[(src.url, src.version)]]  # type: ignore[index]
            best: _Hit | None = None

            def at(lo: int, hi: int) -> _Hit | None:
                key = (v.blocks[lo:hi], v.seps[lo:hi - 1])
                if key not in memo:  # versions sharing this passage share its alignment
                    memo[key] = evaluate_prepared(pq, src, self._prepare(v, lo, hi))
                return memo[key]

            for lo, hi in self._windows(v, votes, whole=small or src.url in linked):
                hit = at(lo, hi)
                if (hit is None and small) or (hit is not None and _at_edge(hit)):
                    # Quote words at an edge of the window are set against the text beyond it
                    # (a lead-in cut, a clause added): align again with a block of context.
                    hit = at(max(0, lo - 1), min(len(v.blocks), hi + 1))
                if hit is not None and (best is None or hit.rank > best.rank):
                    best = hit
            return None if best is None else replace(best, source=src)

        return judge_in_order(quote, pq, order, self.versions, published_at, evaluate)  # type: ignore[arg-type]

    def check_article(self, quotes: Sequence[Quote], published_at: datetime | None = None,
                      links: Sequence[str] = (), include_unattributed: bool = False) -> list[QuoteCheck]:
        """One QuoteCheck per quote attributed to the statements' issuers, in order."""
        chosen = [q for q in quotes if q.attributed or include_unattributed]
        parsed = [parse_quote(q.text) for q in chosen]
        votes = [self._query_votes(pq) for pq in parsed]
        scores = [self._url_scores(v) for v in votes]
        prior: dict[str, float] = {}
        for sc in scores:
            for u, n in sc.items():
                prior[u] = prior.get(u, 0) + n
        linked = [u for u in dict.fromkeys(links) if u in self._by_url]
        out = []
        for q, pq, v, sc in zip(chosen, parsed, votes, scores, strict=True):
            if len(pq.keys) - len(pq.brackets) < 2:
                out.append(unverified(q, "too short to check"))
                continue
            out.append(self._check(q, pq, v, self._candidates(sc, linked, prior), linked, published_at))
        return out


def _at_edge(hit: _Hit) -> bool:
    """Unmatched quote words set against the window's first or last word: the text beyond the
    window might match them, so the window is too small to judge."""
    ops = hit.alignment.ops
    n = len(hit.prep.tokens)
    return (ops[0].kind != "=" and ops[0].s0 == 0) or (ops[-1].kind != "=" and ops[-1].s1 >= n)
