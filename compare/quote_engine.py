"""The quote engine: an article's quotes, checked against a statement index kept in the store.

Every statement version is indexed once, when it is written (store/quoteindex.py, from the
pure blocks of compare.quoteblocks): distinct text blocks, version -> block membership, and
winnowed shingle postings. Checking an article builds nothing in memory:

1. a quote's shingles vote for blocks, each shared shingle weighted by its rarity;
2. the best blocks lead to versions and statements (links in the article first, then the
   best voted; an article's quotes vote together when a paragraph is in several statements);
3. within a version, the voted blocks (clustered, with a neighbour of context when the
   alignment runs into a window's edge) are the text the quote is aligned to
   (compare.align) and judged (compare.quote_severity via compare.quotecheck). Versions
   whose window is the same text share one alignment.

With up to INDEX_ABOVE statements every statement is tried (whole versions when no block is
voted). Verdicts: exact, variant, edited, misquote, stale (judged against the version current
when the article was published), unverified.

Usage::

    checks = check_article(index, extract_quotes(doc.text), doc.published, links=doc.links)
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from compare.align import Prepared
from compare.pressstyle import canonical
from compare.quoteblocks import query_shingles
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
from compare.textnorm import Token, scan

INDEX_ABOVE = 12  # more statements than this: narrow them with the shingle index first
CANDIDATES = 4  # statements aligned per quote beyond the article's links (best voted first)
TOP_BLOCKS = 12  # best-voted blocks whose statements become candidates
TIED_BLOCKS = 256  # blocks as good as the TOP_BLOCKS-th that are still followed
FANOUT = 256  # versions followed from one block (boilerplate paragraphs are in thousands)
STOP_POSTINGS = 4096  # a shingle in more blocks than this says little about where a quote is from
# At scale the cut-off is lower: a shingle in more than 1/STOP_SHARE of all blocks is a
# stop-shingle (winnowing's term), however many that is, but never under STOP_FLOOR blocks.
# At 263,000 blocks this drops the ~10 shingles per article ("the united states") that
# brought 3/4 of the postings rows and decided nothing the rare ones did not.
STOP_SHARE = 512
STOP_FLOOR = 256
WINDOW_GAP = 4  # voted blocks this close belong to one passage (multi-paragraph quotes, splices)
WINDOW_MAX = 9  # blocks in one window at most: long transcripts must not become one window
WINDOWS = 2  # windows aligned per version (a quote spliced from two places)
WEAK = 0.1  # blocks with fewer votes than this share of the version's best are noise
PREPARED_CACHE = 512  # tokenised windows kept per article check
# Blocks whose tokens (plain and press style) a process keeps: blocks are content-addressed
# and never change, so articles quoting the same statements reuse them (~20-30 KB a block).
BLOCK_FORMS = 2048


@dataclass(frozen=True)
class IndexedVersion:
    """A statement version as the index holds it: ordered block ids and separators."""

    url: str
    seq: int
    id: int
    seen_at: datetime | None
    blocks: tuple[int, ...]
    seps: tuple[str, ...]


class StatementIndex(Protocol):
    """What the engine asks of the store (store.quoteindex.StoreQuoteIndex implements it)."""

    def few_statements(self, limit: int) -> list[str] | None:
        """Every statement url when there are at most `limit`, else None."""
        ...

    def statements_among(self, urls: Sequence[str]) -> list[str]:
        """The urls (in order) that are indexed statements."""
        ...

    def block_count(self) -> int:
        """About how many distinct blocks the index holds (for rarity weights)."""
        ...

    def postings(self, shingles: Sequence[int]) -> list[tuple[int, int]]:
        """(shingle, block id) for every block holding one of `shingles`."""
        ...

    def postings_under(self, shingles: Sequence[int], cap: int) -> tuple[dict[int, int], list[tuple[int, int]]]:
        """Shingle -> blocks holding it (absent shingles left out), and (shingle, block id)
        for every block holding one of `shingles` that at most `cap` blocks hold."""
        ...

    def versions_with(self, blocks: Sequence[int], fanout: int) -> list[tuple[int, int, str]]:
        """(block id, version id, statement url), at most `fanout` versions per block."""
        ...

    def versions(self, urls: Sequence[str]) -> dict[str, list[IndexedVersion]]:
        """Each statement's versions, oldest first."""
        ...

    def block_texts(self, blocks: Iterable[int]) -> dict[int, str]:
        """Block id -> its text."""
        ...

    def sentence_vectors(self, model_id: str, keys: Sequence[str]) -> dict[str, bytes]:
        """Stored statement sentence vectors (compare.embed.pack) by text key, for those of
        `keys` the store holds for that model (compare.claims embeds the others)."""
        ...


def check_article(index: StatementIndex, quotes: Sequence[Quote], published_at: datetime | None = None,
                  links: Sequence[str] = ()) -> list[QuoteCheck]:
    """One QuoteCheck per quote, in order, whatever its role.

    Text that matches a statement is checked whatever cue words surround it (a quote the
    extractor took for another speaker's may be the statement's words); whether a verdict
    raises an alert depends on the quote's role (alerts/compose.py quote_alert_due).

    `check.source` is the statement url, `check.version` the version seq the verdict refers to
    (for "stale", the older version the quote matches) and `check.version_id` its store id.
    """
    return _Article(index, published_at).check(quotes, links)


def statement_candidates(index: StatementIndex, texts: Sequence[str], published_at: datetime | None = None,
                         links: Sequence[str] = (), preferred: Sequence[str] = (),
                         limit: int = CANDIDATES) -> list[str]:
    """The statements an article's passages (reported claims, not quotes) most likely report.

    `preferred` first (the statements its quotes matched, most matched first), then the
    article's links that are statements; then every statement when there are at most
    INDEX_ABOVE, else the `limit` best voted by the passages' shingles together (a paraphrase
    shares few 6-word runs with its source, so the article's passages vote as one).
    """
    counts: dict[str, int] = {}
    for u in preferred:
        counts[u] = counts.get(u, 0) + 1
    order = sorted(counts, key=lambda u: -counts[u])
    order += [u for u in index.statements_among(list(dict.fromkeys(links))) if u not in counts]
    art = _Article(index, published_at)
    parsed = [parse_quote(t) for t in texts if t.strip()]
    total: dict[str, float] = {}
    if parsed:
        for sc in art._url_scores([top for _, top in art._votes(parsed)]):
            for u, n in sc.items():
                total[u] = total.get(u, 0.0) + n
    if art.few is not None:
        # Every statement, best voted first: a caller keeping the first few (claims align
        # against three) keeps the ones the article is about, not the first stored.
        return order + sorted((u for u in art.few if u not in order),
                              key=lambda u: -total.get(u, 0.0))
    if not parsed:
        return order
    ranked = sorted((u for u in total if u not in order), key=lambda u: -total[u])
    return order + ranked[:limit]


class _Article:
    """The state of one article's check: what was fetched from the index is reused."""

    def __init__(self, index: StatementIndex, published_at: datetime | None) -> None:
        self.index = index
        self.published_at = published_at
        self.few = index.few_statements(INDEX_ABOVE)
        self._versions: dict[str, list[IndexedVersion]] = {}
        self._texts: dict[int, str] = {}
        self._prepared: OrderedDict[tuple[tuple[int, ...], tuple[str, ...]], Prepared] = OrderedDict()

    def check(self, quotes: Sequence[Quote], links: Sequence[str]) -> list[QuoteCheck]:
        chosen = list(quotes)
        if not chosen:
            return []
        parsed = [parse_quote(q.text) for q in chosen]
        voted = self._votes(parsed)
        votes = [v for v, _ in voted]
        scores = self._url_scores([top for _, top in voted])
        prior: dict[str, float] = {}
        for sc in scores:
            for u, n in sc.items():
                prior[u] = prior.get(u, 0) + n
        linked = self.index.statements_among(list(dict.fromkeys(links)))
        orders = [self._candidates(sc, linked, prior) for sc in scores]
        self._load_versions([u for order in orders for u in order])
        self._prefetch(votes, orders)
        out = []
        for q, pq, v, order in zip(chosen, parsed, votes, orders, strict=True):
            if len(pq.keys) - len(pq.brackets) < 2:
                out.append(unverified(q, "too short to check"))
                continue
            out.append(self._check(q, pq, v, order, linked))
        return out

    # -- finding candidates -----------------------------------------------------------

    def _votes(self, parsed: Sequence[ParsedQuote]) -> list[tuple[dict[int, float], list[tuple[int, float]]]]:
        """Per quote, block -> weighted shingles it shares with the quote.

        A shared shingle weighs log(1 + blocks / blocks holding it): with winnowing a short
        quote shares only two or three fingerprints with its source, and "thanks to you for"
        must not tie with "a wonderful introduction" among a hundred transcripts. One round
        trip for all the article's quotes; the sums are numpy's (tens of thousands of
        postings per article), added in shingle order like a plain loop would.
        """
        per_quote = [query_shingles(_pieces(pq)) for pq in parsed]
        every = sorted({h for hs in per_quote for h in hs})
        if not every:
            return [({}, []) for _ in parsed]
        n_blocks = max(1, self.index.block_count())
        cap = stop_cap(n_blocks)
        df, rows = self.index.postings_under(every, cap)
        pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
        if len(pairs):
            pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        held = np.array(sorted(df), dtype=np.int64)  # shingles present in the index
        weight = np.log1p(n_blocks / np.maximum(np.array([df[int(h)] for h in held], dtype=np.float64), 1.0))
        row_shingle = np.searchsorted(held, pairs[:, 0])
        out = []
        for hs in per_quote:
            usable = [h for h in hs if 0 < df.get(h, 0) <= cap]
            if hs and all(df.get(h, 0) > cap for h in hs):
                # Only boilerplate matched: better a guess than nothing.
                common = self._common_votes(hs, df, n_blocks)
                out.append((common, _top(np.array(list(common), dtype=np.int64),
                                         np.array(list(common.values()), dtype=np.float64))))
                continue
            mine = np.zeros(len(held), dtype=bool)
            mine[np.searchsorted(held, np.array(usable, dtype=np.int64))] = True
            sel = mine[row_shingle] if len(pairs) else np.zeros(0, dtype=bool)
            blocks, inverse = np.unique(pairs[sel, 1], return_inverse=True)
            sums = np.bincount(inverse, weights=weight[row_shingle[sel]], minlength=len(blocks)).astype(np.float64)
            out.append((dict(zip(blocks.tolist(), sums.tolist(), strict=True)), _top(blocks, sums)))
        return out

    def _common_votes(self, hs: Sequence[int], df: dict[int, int], n_blocks: int) -> dict[int, float]:
        """Votes of a quote whose every shingle is over the cut-off (STOP_POSTINGS postings each
        at most, lowest block ids first)."""
        postings: dict[int, list[int]] = {}
        for h, b in self.index.postings(hs):
            postings.setdefault(h, []).append(b)
        votes: dict[int, float] = {}
        for h in hs:
            if h not in df:
                continue
            w = math.log1p(n_blocks / max(df[h], 1))
            for b in sorted(postings.get(h, ()))[:STOP_POSTINGS]:
                votes[b] = votes.get(b, 0.0) + w
        return votes

    def _url_scores(self, tops: Sequence[list[tuple[int, float]]]) -> list[dict[str, float]]:
        """Per quote, statement -> shingles its best version shares with it via the top blocks.

        Per version, not summed over versions: a statement edited 50 times holds 50 variants
        of the quoted paragraph, which must not outvote a statement with one version.
        """
        blocks = sorted({b for top in tops for b, _ in top})
        holders: dict[int, list[tuple[int, str]]] = {}
        for b, vid, url in self.index.versions_with(blocks, FANOUT) if blocks else ():
            holders.setdefault(b, []).append((vid, url))
        out = []
        for top in tops:
            per_version: dict[int, float] = {}
            url_of: dict[int, str] = {}
            for b, n in top:
                for vid, url in holders.get(b, ()):
                    per_version[vid] = per_version.get(vid, 0) + n
                    url_of[vid] = url
            score: dict[str, float] = {}
            for vid, n in per_version.items():
                if n > score.get(url_of[vid], 0):
                    score[url_of[vid]] = n
            out.append(score)
        return out

    def _candidates(self, score: dict[str, float], linked: Sequence[str], prior: dict[str, float]) -> list[str]:
        """Statements to try, best first: the article's links, then the best voted.

        Ties (a paragraph repeated word for word in several statements) go to the statement
        the article's other quotes point to (`prior`): an article usually quotes one statement.
        """
        if self.few is not None:
            return list(linked) + [u for u in self.few if u not in linked]
        ranked = sorted((u for u in score if u not in linked), key=lambda u: (-score[u], -prior.get(u, 0)))
        return list(linked) + ranked[:CANDIDATES]

    def _load_versions(self, urls: Iterable[str]) -> None:
        missing = [u for u in dict.fromkeys(urls) if u not in self._versions]
        if missing:
            got = self.index.versions(missing)
            for u in missing:
                self._versions[u] = got.get(u, [])

    def _sources(self, url: str) -> tuple[SourceText, ...]:
        vs = self._versions.get(url, [])
        return tuple(SourceText(v.url, "", v.seq, k == len(vs) - 1, v.seen_at, v.id) for k, v in enumerate(vs))

    # -- aligning ---------------------------------------------------------------------

    def _windows(self, v: IndexedVersion, votes: dict[int, float], whole: bool) -> list[tuple[int, int]]:
        """Block ranges [lo, hi) of version `v` holding the voted passages, best first."""
        got = [(p, votes.get(b, 0.0)) for p, b in enumerate(v.blocks)]
        top = max((n for _, n in got), default=0.0)
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

    def _prefetch(self, votes: Sequence[dict[int, float]], orders: Sequence[list[str]]) -> None:
        """Texts of the voted blocks (and a neighbour each side) of the candidates, in one query."""
        want: set[int] = set()
        for v, order in zip(votes, orders, strict=True):
            for url in order:
                for ver in self._versions.get(url, []):
                    for p, b in enumerate(ver.blocks):
                        if b in v:
                            want.update(ver.blocks[max(0, p - 1):p + 2])
        self._fetch(want)

    def _fetch(self, blocks: Iterable[int]) -> None:
        need = [b for b in dict.fromkeys(blocks) if b not in self._texts]
        if need:
            self._texts.update(self.index.block_texts(need))

    def _prepare(self, v: IndexedVersion, lo: int, hi: int) -> Prepared:
        """The window's text and tokens, plain and in press style, from its blocks' (each
        block tokenised and canonicalised once per process: `block_forms`)."""
        key = (v.blocks[lo:hi], v.seps[lo:hi - 1])
        got = self._prepared.get(key)
        if got is not None:
            self._prepared.move_to_end(key)
            return got
        self._fetch(key[0])
        if hi - lo == 1:  # most windows are one block: its tokens as they are
            text = self._texts[v.blocks[lo]]
            forms = block_forms(text)
            prep = Prepared(text, forms.plain, forms.plain_positions,
                            press=Prepared(text, forms.press, forms.press_positions))
        else:
            parts: list[str] = []
            toks: list[Token] = []
            press: list[Token] = []
            at = sent = 0
            for k in range(lo, hi):
                text = self._texts[v.blocks[k]]
                forms = block_forms(text)
                toks.extend(_shifted(forms.plain, at, sent))
                press.extend(_shifted(forms.press, at, sent))
                parts.append(text)
                at += len(text)
                sent += forms.sentences
                if k < hi - 1:
                    parts.append(v.seps[k])
                    at += len(v.seps[k])
            text = "".join(parts)
            prep = Prepared(text, tuple(toks), _positions(toks),
                            press=Prepared(text, tuple(press), _positions(press)))
        self._prepared[key] = prep
        if len(self._prepared) > PREPARED_CACHE:
            self._prepared.popitem(last=False)
        return prep

    def _check(self, quote: Quote, pq: ParsedQuote, votes: dict[int, float], order: list[str],
               linked: list[str]) -> QuoteCheck:
        small = self.few is not None
        memo: dict[tuple[tuple[int, ...], tuple[str, ...]], _Hit | None] = {}
        by_id = {v.id: v for u in order for v in self._versions.get(u, [])}

        def evaluate(pq: ParsedQuote, src: SourceText) -> _Hit | None:
            v = by_id[src.id or 0]
            best: _Hit | None = None

            def at(lo: int, hi: int) -> _Hit | None:
                key = (v.blocks[lo:hi], v.seps[lo:hi - 1])
                if key not in memo:  # versions sharing this passage share its alignment
                    memo[key] = evaluate_prepared(pq, src, self._prepare(v, lo, hi),
                                                  lambda: self._prepare(v, 0, len(v.blocks)))
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

        return judge_in_order(quote, pq, order, self._sources, self.published_at, evaluate)


@dataclass(frozen=True)
class BlockForms:
    """One block's comparison tokens, plain and in canonical press style, where each word
    occurs, and how many sentences the block has."""

    plain: tuple[Token, ...]
    press: tuple[Token, ...]
    plain_positions: dict[str, tuple[int, ...]]
    press_positions: dict[str, tuple[int, ...]]
    sentences: int


@lru_cache(maxsize=BLOCK_FORMS)
def block_forms(text: str) -> BlockForms:
    """Tokens of one block, plain and press style (compare.pressstyle), computed once.

    Press style is applied per block, not per aligned window: a window is its blocks' tokens
    end to end, so a block shared by many windows and versions is canonicalised once. Blocks
    end at paragraph or sentence ends, which no press form (a date, a figure, a name) spans.

    >>> [t.key for t in block_forms("On 2 June 2022 the U.S. said so.").press]
    ['on', 'date:6-2', '2022', 'the', 'acr:us', 'said', 'so']
    """
    raw = scan(text)
    plain = tuple(Token(*t) for t in raw)
    press = tuple(canonical(plain, text))
    return BlockForms(plain, press, _positions(plain), _positions(press), raw[-1][3] + 1 if raw else 1)


def _shifted(toks: Sequence[Token], at: int, sent: int) -> list[Token]:
    """A block's tokens placed in a window: `at` characters and `sent` sentences in."""
    if not at and not sent:
        return list(toks)
    return [Token(t.key, t.start + at, t.end + at, t.sentence + sent) for t in toks]


def _positions(toks: Sequence[Token]) -> dict[str, tuple[int, ...]]:
    """Word key -> where it occurs (compare.align.Prepared.positions)."""
    pos: dict[str, list[int]] = {}
    for i, tok in enumerate(toks):
        pos.setdefault(tok.key, []).append(i)
    return {k: tuple(p) for k, p in pos.items()}


def stop_cap(n_blocks: int) -> int:
    """Most blocks a shingle may be in and still vote, in an index of `n_blocks` blocks.

    >>> stop_cap(1_000), stop_cap(263_000), stop_cap(10_000_000)
    (256, 513, 4096)
    """
    return min(STOP_POSTINGS, max(STOP_FLOOR, n_blocks // STOP_SHARE))


def _top(blocks: npt.NDArray[np.int64], sums: npt.NDArray[np.float64]) -> list[tuple[int, float]]:
    """The best-voted blocks, best first (ties by block id): the TOP_BLOCKS best and every
    block tied with the last of them, TIED_BLOCKS at most.

    Near-copies of a paragraph (other statements, other versions) tie on votes: keep every
    block close to the best rather than an arbitrary TOP_BLOCKS of the tied ones.
    """
    if not len(blocks):
        return []
    ranked = np.lexsort((blocks, -sums))[:TIED_BLOCKS]
    floor = sums[ranked[min(len(ranked), TOP_BLOCKS) - 1]]
    ranked = ranked[sums[ranked] >= floor]
    return list(zip(blocks[ranked].tolist(), sums[ranked].tolist(), strict=True))


def _pieces(pq: ParsedQuote) -> list[list[str]]:
    """The quote's word keys between ellipses and brackets (no shingle spans those)."""
    pieces: list[list[str]] = [[]]
    for i, t in enumerate(pq.tokens):
        if i in pq.ellipses or i in pq.brackets:
            pieces.append([])
        if i in pq.brackets:
            continue
        pieces[-1].append(t.key)
    return [p for p in pieces if p]


def _at_edge(hit: _Hit) -> bool:
    """Unmatched quote words set against the window's first or last word: the text beyond the
    window might match them, so the window is too small to judge."""
    ops = hit.alignment.ops
    n = len(hit.prep.tokens)
    return (ops[0].kind != "=" and ops[0].s0 == 0) or (ops[-1].kind != "=" and ops[-1].s1 >= n)
