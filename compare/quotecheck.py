"""Check a press quote against official text: find the passage, align word by word, judge.

Verdicts: exact (character for character), variant (typography, case, spelling or number
format only), edited (ellipses and brackets own up to every departure), misquote (major or
minor), stale (matches a version of the statement that was later edited), unverified (no
passage close enough).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from compare.align import Alignment, Prepared, align, prepare
from compare.quote_severity import judge
from compare.quotes import Quote
from compare.shingles import ShingleIndex
from compare.textnorm import Token, fold, tokenize
from compare.vocab import Severity, Verdict

EXACT, VARIANT, EDITED, MISQUOTE, STALE, UNVERIFIED = (
    Verdict.EXACT, Verdict.VARIANT, Verdict.EDITED, Verdict.MISQUOTE, Verdict.STALE,
    Verdict.UNVERIFIED)
CLEAN = tuple(v for v in Verdict if v.clean)

_MARKS = re.compile(
    r"(?P<sic>\s*[\[(]sic[\])])|(?P<ell>\s*\[?(?:\.\s?\.\s?\.|…)\]?\s*)|\[(?P<br>[^\]]*)\]", re.I)
_SIC = re.compile(r"\s*[\[(]sic[\])]", re.I)
MIN_COVERAGE = 0.5  # share of quote words found in order; below it the passage is not the source
MIN_MATCHED = 3
SHORT = 4  # quotes shorter than this are checked for an exact match only
INDEX_ABOVE = 12  # more statements than this: narrow them with a shingle index first
CANDIDATES = 4


@dataclass(frozen=True)
class SourceText:
    """A version of an official statement that a quote may come from."""

    url: str
    text: str
    version: int | None = None
    current: bool = True
    seen_at: datetime | None = None


@dataclass(frozen=True)
class QuoteCheck:
    """The verdict on one quote: what it matched, how it differs, why it matters."""

    quote: Quote
    verdict: Verdict
    severity: Severity = Severity.NONE
    source: str | None = None
    matched: str | None = None
    reasons: tuple[str, ...] = ()
    # Word diff: (op, source words, quote words) with op "=", "~", "+", "-"; marked ops are
    # prefixed "." (owned up to by an ellipsis or bracket).
    diff: tuple[tuple[str, str, str], ...] = field(default=())
    version: int | None = None

    def to_json(self, detail: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "text": self.quote.text,
            "start": self.quote.start,
            "end": self.quote.end,
            "verdict": self.verdict,
            "severity": self.severity,
            "source": self.source,
            "matched": self.matched,
            "reasons": list(self.reasons),
        }
        if detail:
            out["diff"] = [list(d) for d in self.diff]
            out["version"] = self.version
        return out


@dataclass(frozen=True)
class ParsedQuote:
    """A quote's comparison words, with where its ellipses and brackets fall."""

    raw: str
    tokens: tuple[Token, ...]
    ellipses: frozenset[int]
    brackets: frozenset[int]

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.tokens]

    @property
    def edited(self) -> bool:
        return bool(self.ellipses or self.brackets)


def parse_quote(text: str) -> ParsedQuote:
    """Tokens of the quote with [sic] dropped, ellipses as gaps and bracketed words flagged."""
    toks: list[Token] = []
    ellipses: set[int] = set()
    brackets: set[int] = set()
    pos = 0

    def plain(a: int, b: int) -> None:
        for t in tokenize(text[a:b]):
            toks.append(Token(t.key, t.start + a, t.end + a, 0))

    for m in _MARKS.finditer(text):
        plain(pos, m.start())
        if m.group("ell") is not None:
            if toks:
                ellipses.add(len(toks))
        elif m.group("br") is not None:
            before = len(toks)
            plain(m.start("br"), m.end("br"))
            brackets.update(range(before, len(toks)))
        pos = m.end()
    plain(pos, len(text))
    ellipses.discard(len(toks))  # a trailing ellipsis skips nothing inside the quote
    return ParsedQuote(text, tuple(toks), frozenset(ellipses), frozenset(brackets))


@lru_cache(maxsize=512)
def _prepared(text: str) -> Prepared:
    return prepare(text)


@dataclass(frozen=True)
class _Hit:
    source: SourceText
    alignment: Alignment
    clean: bool
    severity: Severity
    reasons: tuple[str, ...]
    prep: Prepared  # the text aligned to: the whole version, or a window of it (compare.corpus)

    @property
    def rank(self) -> tuple[float, float]:
        a = self.alignment
        return (a.score / max(1, a.qlen), a.coverage)


def _evaluate(pq: ParsedQuote, src: SourceText) -> _Hit | None:
    return evaluate_prepared(pq, src, _prepared(src.text))


def evaluate_prepared(pq: ParsedQuote, src: SourceText, prep: Prepared) -> _Hit | None:
    """Align the quote to `prep` (all or part of `src`) and judge it; None when it is not the source."""
    al = align(pq.keys, prep, pq.ellipses, pq.brackets)
    if al is None:
        return None
    counted = max(1, al.qlen - len(pq.brackets))
    matched = sum(o.q1 - o.q0 for o in al.ops if o.kind == "=" and not (set(range(o.q0, o.q1)) <= pq.brackets))
    if matched < min(MIN_MATCHED, counted) or matched / counted < MIN_COVERAGE:
        return None
    if al.qlen < SHORT and al.matched < al.qlen:
        return None
    severity, reasons = judge(al.ops, pq.tokens, pq.raw, prep, pq.brackets)
    return _Hit(src, al, severity is Severity.NONE, severity, tuple(reasons), prep)


def _passage(hit: _Hit) -> str:
    toks = hit.prep.tokens
    a = hit.alignment
    return hit.prep.text[toks[a.src_start].start:toks[a.src_end - 1].end]


def _word_diff(hit: _Hit, pq: ParsedQuote) -> tuple[tuple[str, str, str], ...]:
    text = hit.prep.text
    toks = hit.prep.tokens
    out = []
    for o in hit.alignment.ops:
        old = text[toks[o.s0].start:toks[o.s1 - 1].end] if o.s1 > o.s0 else ""
        new = pq.raw[pq.tokens[o.q0].start:pq.tokens[o.q1 - 1].end] if o.q1 > o.q0 else ""
        out.append(("." + o.kind if o.marked else o.kind, old, new))
    return tuple(out)


def _strip_ends(s: str) -> str:
    return " ".join(s.split()).strip(" .,;:!?\"'“”‘’«»„()[]")


def _clean_verdict(quote: Quote, pq: ParsedQuote, hit: _Hit, matched: str
                   ) -> tuple[Verdict, tuple[str, ...]]:
    if pq.edited:
        marks = []
        if pq.ellipses:
            marks.append("ellipsis")
        if pq.brackets:
            marks.append("brackets")
        return EDITED, (f"departures marked by {' and '.join(marks)}",)
    said = _SIC.sub("", quote.text)  # [sic] is the reporter owning up to the source's own words
    if _strip_ends(said) == _strip_ends(matched):
        return EXACT, ()
    why = []
    if _strip_ends(fold(said)) != _strip_ends(fold(matched)):
        why.append("spelling, number format or case")
    else:
        why.append("quotation marks, apostrophes or dashes")
    return VARIANT, (f"differs only in typography: {why[0]}",)


def _current_at(versions: Sequence[SourceText], published_at: datetime | None) -> SourceText:
    """The version a reader saw when the article was published (the current one if unknown)."""
    current = [v for v in versions if v.current] or list(versions[-1:])
    if published_at is None:
        return current[0]
    seen = [v for v in versions if v.seen_at is not None and _cmp(v.seen_at) <= _cmp(published_at)]
    if not seen:
        return min(versions, key=lambda v: (_cmp(v.seen_at) if v.seen_at else datetime.max, v.version or 0))
    return max(seen, key=lambda v: (_cmp(v.seen_at), v.version or 0))


def _cmp(d: datetime | None) -> datetime:
    # Compare naive and aware datetimes alike (a naive one is taken as UTC).
    if d is None:
        return datetime.min
    return d if d.tzinfo is None else d.astimezone(UTC).replace(tzinfo=None)


def _group(sources: Sequence[SourceText]) -> dict[str, list[SourceText]]:
    out: dict[str, list[SourceText]] = {}
    for s in sources:
        out.setdefault(s.url, []).append(s)
    for vs in out.values():
        vs.sort(key=lambda v: (v.version if v.version is not None else 0, _cmp(v.seen_at)))
    return out


Evaluate = Callable[[ParsedQuote, SourceText], "_Hit | None"]


def _check_statement(quote: Quote, pq: ParsedQuote, versions: Sequence[SourceText],
                     published_at: datetime | None, evaluate: Evaluate = _evaluate) -> QuoteCheck | None:
    """Verdict against one statement's versions, or None when no version has the passage.

    `evaluate` aligns the quote to one version (compare.corpus passes one that aligns to a
    window around the index's hits and shares the work between versions with the same text).
    """
    ref = _current_at(versions, published_at)
    current = next((v for v in versions if v.current), versions[-1])
    hits = {id(v): h for v in versions if (h := evaluate(pq, v)) is not None}
    if not hits:
        return None
    cur_hit = hits.get(id(current))
    if cur_hit is not None and cur_hit.clean:
        return _verdict(quote, pq, cur_hit)
    ref_hit = hits.get(id(ref))
    # Stale: the wording the article quotes was on record then and has been edited since.
    # With a publication time only the version then current counts; without one, any older
    # version the quote matches cleanly is the likelier story than a misquote.
    if published_at is not None:
        older = [ref_hit] if ref is not current and ref_hit is not None and ref_hit.clean else []
    else:
        older = [h for v in versions if v is not current and (h := hits.get(id(v))) is not None and h.clean]
    if older:
        old = max(older, key=lambda h: (h.source.version or 0))
        reasons = [f"matches version {old.source.version} of the statement, edited since"]
        if cur_hit is not None:
            reasons += [f"now: {r}" for r in cur_hit.reasons[:3]]
        else:
            reasons.append("the quoted passage is no longer in the statement")
        check = _verdict(quote, pq, old)
        return QuoteCheck(quote, STALE, Severity.NONE, old.source.url, check.matched, tuple(reasons),
                          check.diff, old.source.version)
    if published_at is not None and ref_hit is None:
        return unverified(quote, f"the passage is not in version {ref.version} of the statement, "
                                  "the one on record when the article was published")
    judged = ref_hit or cur_hit or max(hits.values(), key=lambda h: h.rank)
    return _verdict(quote, pq, judged)


def _verdict(quote: Quote, pq: ParsedQuote, hit: _Hit) -> QuoteCheck:
    matched = _passage(hit)
    diff = _word_diff(hit, pq)
    if hit.clean:
        verdict, reasons = _clean_verdict(quote, pq, hit, matched)
        return QuoteCheck(quote, verdict, Severity.NONE, hit.source.url, matched, reasons, diff,
                          hit.source.version)
    return QuoteCheck(quote, MISQUOTE, hit.severity, hit.source.url, matched, hit.reasons, diff,
                      hit.source.version)


def unverified(quote: Quote, why: str) -> QuoteCheck:
    return QuoteCheck(quote, UNVERIFIED, Severity.NONE, None, None, (why,))


def check_quote(quote: Quote, sources: Sequence[SourceText], published_at: datetime | None = None,
                *, index: ShingleIndex | None = None, preferred: Sequence[str] = (),
                resolve: Callable[[str], Sequence[SourceText]] | None = None) -> QuoteCheck:
    """Verdict for one quote against statement versions (grouped by url).

    `published_at` picks, per statement, the version current when the article appeared.
    `index` (keys: url or (url, version)) narrows many statements to a few candidates;
    `preferred` urls (the article's links) are tried first. With `resolve` (url -> its
    versions), `index` covers the whole store and `sources` may be empty.
    """
    pq = parse_quote(quote.text)
    if len(pq.keys) - len(pq.brackets) < 2:
        return unverified(quote, "too short to check")
    if index is not None and resolve is not None:
        # A store-wide index: the candidates' versions are fetched, not passed in.
        keys = index.candidates([p for p in _MARKS.split(pq.raw) if p and p.strip()], CANDIDATES * 3)
        urls = list(dict.fromkeys([u for u in preferred] + [_url_of(k) for k, _ in keys]))
        groups = _group([v for u in urls[:CANDIDATES + len(preferred)] for v in resolve(u)] + list(sources))
        order = list(groups)
    else:
        groups = _group(sources)
        order = _candidate_urls(pq, groups, index, preferred)
    return judge_in_order(quote, pq, order, groups.__getitem__, published_at)


def judge_in_order(quote: Quote, pq: ParsedQuote, order: Sequence[str],
                   versions_of: Callable[[str], Sequence[SourceText]],
                   published_at: datetime | None, evaluate: Evaluate = _evaluate) -> QuoteCheck:
    """The best verdict over candidate statements tried in `order` (best candidates first)."""
    results: list[QuoteCheck] = []
    for url in order:
        versions = versions_of(url)
        if not versions:
            continue
        r = _check_statement(quote, pq, versions, published_at, evaluate)
        if r is not None:
            results.append(r)
            if r.verdict.clean:
                break  # candidates come best first; a clean match cannot be beaten
    if not results:
        return unverified(quote, "no passage in the watched statements matches the quote")
    return max(results, key=_result_rank)


def _result_rank(r: QuoteCheck) -> tuple[int, int]:
    order = {EXACT: 5, VARIANT: 5, EDITED: 4, STALE: 3, MISQUOTE: 2}
    # Among misquotes of one statement the least severe reading is the likelier one.
    return (order.get(r.verdict, 0), -r.severity.rank)


def _candidate_urls(pq: ParsedQuote, groups: dict[str, list[SourceText]],
                    index: ShingleIndex | None, preferred: Sequence[str]) -> list[str]:
    linked = [u for u in preferred if u in groups]
    if index is None and len(groups) <= INDEX_ABOVE:
        return linked + [u for u in groups if u not in linked]
    if index is None:
        index = _index_for(tuple(groups), tuple(v.text for vs in groups.values() for v in vs),
                           groups)
    pieces = [p for p in _MARKS.split(pq.raw) if p and p.strip()]
    found: list[str] = []
    for key, _ in index.candidates(pieces, CANDIDATES * 3):
        url = _url_of(key)
        if url in groups and url not in found and url not in linked:
            found.append(url)
    return linked + found[:CANDIDATES]


def _url_of(key: Hashable) -> str:
    return str(key[0]) if isinstance(key, tuple) else str(key)


_INDEX_CACHE: dict[tuple[str, ...], ShingleIndex] = {}


def _index_for(urls: tuple[str, ...], texts: tuple[str, ...],
               groups: dict[str, list[SourceText]]) -> ShingleIndex:
    key = urls + (str(hash(texts)),)
    if key not in _INDEX_CACHE:
        idx = ShingleIndex()
        for url, vs in groups.items():
            for v in vs:
                idx.add((url, v.version), v.text)
        _INDEX_CACHE.clear()  # one article's source set at a time; the flows pass their own index
        _INDEX_CACHE[key] = idx
    return _INDEX_CACHE[key]


def check_article(quotes: Sequence[Quote], sources: Sequence[SourceText],
                  published_at: datetime | None = None, *, index: ShingleIndex | None = None,
                  links: Sequence[str] = (), include_unattributed: bool = False,
                  resolve: Callable[[str], Sequence[SourceText]] | None = None) -> list[QuoteCheck]:
    """Check every quote attributed to the statement's issuers.

    Statements the article links to are tried first, then the index's candidates (built here
    from `sources` when there are many and the caller passed none).
    """
    return [check_quote(q, sources, published_at, index=index, preferred=links, resolve=resolve)
            for q in quotes if q.attributed or include_unattributed]
