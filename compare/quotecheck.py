"""Check a press quote against official text: find the passage, align word by word, judge.

Verdicts: exact (character for character), variant (typography, case, spelling or number
format only), edited (ellipses and brackets own up to every departure), misquote (major or
minor), stale (matches a version of the statement that was later edited), unverified (no
passage close enough).

The judging lives here; finding the statements and passages to judge is the engine's
(compare.quote_engine, over a statement index kept in the store).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from compare.align import Alignment, Prepared, align, prepare
from compare.pressstyle import canonical
from compare.quote_severity import judge
from compare.quotes import Quote
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
LOOSE_COVERAGE = 2 / 3  # below it, a passage rewritten in several places is not the source
LONG_SKIP = 8  # source words passed over without a mark that make the quote's words scattered
SHORT = 4  # quotes shorter than this are checked for an exact match only


@dataclass(frozen=True)
class SourceText:
    """A version of an official statement that a quote may come from."""

    url: str
    text: str
    version: int | None = None
    current: bool = True
    seen_at: datetime | None = None
    id: int | None = None  # the store's version id, carried onto the verdict


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
    version_id: int | None = None  # the store's id of that version (not in the JSON)
    # A stale quote's passage in the CURRENT version (None when the passage is gone): the
    # wording now, shown beside the wording then (`matched`).
    current: str | None = None

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
            "speaker": self.quote.speaker,
            "role": self.quote.role.value,
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
    # An ellipsis before the first word or after the last: the quote owns up to cutting the
    # sentence there, and what it cut is judged (a leading "If ..." or a trailing "unless ...").
    lead_ellipsis: bool = False
    tail_ellipsis: bool = False

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.tokens]

    @property
    def edited(self) -> bool:
        return bool(self.ellipses or self.brackets)


def parse_quote(text: str, press: bool = False) -> ParsedQuote:
    """Tokens of the quote with [sic] dropped, ellipses as gaps and bracketed words flagged.

    With `press`, the tokens are in canonical press style (compare.pressstyle), each stretch
    between marks on its own so that no canonical word spans an ellipsis or a bracket.
    """
    toks: list[Token] = []
    ellipses: set[int] = set()
    brackets: set[int] = set()
    pos = 0
    lead = False

    def plain(a: int, b: int) -> None:
        seg = text[a:b]
        for t in (canonical(tokenize(seg), seg) if press else tokenize(seg)):
            toks.append(Token(t.key, t.start + a, t.end + a, 0))

    for m in _MARKS.finditer(text):
        plain(pos, m.start())
        if m.group("ell") is not None:
            if toks:
                ellipses.add(len(toks))
            else:
                lead = True
        elif m.group("br") is not None:
            before = len(toks)
            plain(m.start("br"), m.end("br"))
            brackets.update(range(before, len(toks)))
        pos = m.end()
    plain(pos, len(text))
    tail = len(toks) in ellipses
    ellipses.discard(len(toks))  # a trailing ellipsis skips nothing inside the quote
    return ParsedQuote(text, tuple(toks), frozenset(ellipses), frozenset(brackets), lead, tail)


@lru_cache(maxsize=4096)
def _press_quote(text: str) -> ParsedQuote:
    return parse_quote(text, press=True)


# Canonical press-style forms of the source texts aligned to, by identity: the engine keeps
# each Prepared window in its own cache, so a few hundred entries cover an article's quotes.
_PRESS_PREPARED: OrderedDict[int, tuple[Prepared, Prepared]] = OrderedDict()
_PRESS_CACHE = 512


def press_prepared(prep: Prepared) -> Prepared:
    """`prep` with its tokens in canonical press style (compare.pressstyle)."""
    if prep.press is not None:
        return prep.press
    got = _PRESS_PREPARED.get(id(prep))
    if got is not None and got[0] is prep:
        _PRESS_PREPARED.move_to_end(id(prep))
        return got[1]
    toks = tuple(canonical(prep.tokens, prep.text))
    pos: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        pos.setdefault(t.key, []).append(i)
    out = Prepared(prep.text, toks, {k: tuple(v) for k, v in pos.items()})
    _PRESS_PREPARED[id(prep)] = (prep, out)
    if len(_PRESS_PREPARED) > _PRESS_CACHE:
        _PRESS_PREPARED.popitem(last=False)
    return out


def _statement_words(whole: Prepared) -> frozenset[str]:
    """The canonical words of a whole statement version (title included): what a bracket's
    names must come from: canonical ("cc:UKR") and plain ("ukraine") alike, so that a
    demonym or an inflection can be traced to the name ("[Ukrainians]")."""
    return frozenset(t.key for t in press_prepared(whole).tokens) | frozenset(whole.positions)


@dataclass(frozen=True)
class _Hit:
    source: SourceText
    alignment: Alignment
    clean: bool
    severity: Severity
    reasons: tuple[str, ...]
    prep: Prepared  # the text aligned to: the whole version, or a window of it (compare.quote_engine)
    pq: ParsedQuote  # the quote as aligned (canonical press style): the alignment's indices are its

    @property
    def rank(self) -> tuple[float, float]:
        a = self.alignment
        return (a.score / max(1, a.qlen), a.coverage)


def evaluate_prepared(pq: ParsedQuote, src: SourceText, prep: Prepared,
                      whole: Callable[[], Prepared] | None = None) -> _Hit | None:
    """Align the quote to `prep` (all or part of `src`) and judge it; None when it is not the source.

    Both sides are first put in canonical press style (dates, numbers, currencies,
    abbreviations, country names, diacritics, spellings: compare.pressstyle), so a form a
    newspaper may use is the same word and a different value stays a different word.
    `whole` gives the whole version when `prep` is a window of it (a bracket's names are
    looked for in the whole statement, title included).
    """
    pq = _press_quote(pq.raw)
    window = prep
    prep = press_prepared(prep)
    # Bracketed words are the reporter's, not the source's: they stand in for source words
    # and must not be matched elsewhere ("[The United States] and 13 other countries" is not
    # the earlier "The United States is not alone").
    keys = ["\x00" + k if i in pq.brackets else k for i, k in enumerate(pq.keys)]
    al = align(keys, prep, pq.ellipses, pq.brackets)
    if al is None:
        return None
    counted = max(1, al.qlen - len(pq.brackets))
    matched = sum(o.q1 - o.q0 for o in al.ops if o.kind == "=" and not (set(range(o.q0, o.q1)) <= pq.brackets))
    if matched < min(MIN_MATCHED, counted) or matched / counted < MIN_COVERAGE:
        return None
    if al.qlen < SHORT and al.matched < al.qlen:
        return None
    rewritten = sum(1 for o in al.ops if o.kind != "=" and not o.marked and (o.s1 - o.s0) + (o.q1 - o.q0) >= 4)
    # Long unmarked skips over sentence ends: the quote's words are picked from far apart
    # (within a sentence, a long skip is a reorder or a cut, judged as a misquote).
    toks = prep.tokens
    scattered = sum(1 for o in al.ops if o.kind == "-" and not o.marked and o.s1 - o.s0 >= LONG_SKIP
                    and toks[o.s0].sentence != toks[o.s1 - 1].sentence)
    if (matched / counted < LOOSE_COVERAGE and rewritten >= 2) or scattered >= 2:
        # A third of the words or more do not line up and the rest are several rewritten
        # stretches, or the words that do are gathered from all over the statement: a
        # different sentence on the same subject (another statement's, or an invented one),
        # not a misquote of this one. A misquote changes one thing in a passage; a splice
        # joins two passages.
        return None
    severity, reasons = judge(al.ops, pq.tokens, pq.raw, prep, pq.brackets,
                              lead_ellipsis=pq.lead_ellipsis, tail_ellipsis=pq.tail_ellipsis,
                              statement=_statement_words(whole() if whole else
                                                         prepare(src.text) if src.text else window)
                              if pq.brackets else None)
    return _Hit(src, al, severity is Severity.NONE, severity, tuple(reasons), prep, pq)


def _passage(hit: _Hit) -> str:
    toks = hit.prep.tokens
    a = hit.alignment
    return hit.prep.text[toks[a.src_start].start:toks[a.src_end - 1].end]


def _word_diff(hit: _Hit) -> tuple[tuple[str, str, str], ...]:
    pq = hit.pq
    text = hit.prep.text
    toks = hit.prep.tokens
    out = []
    for o in hit.alignment.ops:
        old = text[toks[o.s0].start:toks[o.s1 - 1].end] if o.s1 > o.s0 else ""
        new = pq.raw[pq.tokens[o.q0].start:pq.tokens[o.q1 - 1].end] if o.q1 > o.q0 else ""
        out.append(("." + o.kind if o.marked else o.kind, old, new))
    return tuple(out)


_UNIT = frozenset({"$", "percent", "thousand", "million", "billion", "trillion"})


def _then_now(cur: _Hit) -> list[str]:
    """What changed between the quoted wording (then) and the current version (now), in time
    order: "then '$80 million', now '$58 million'". A changed figure is shown with its
    currency and scale words so that it reads as an amount."""
    toks, qt = cur.prep.tokens, cur.pq.tokens
    out = []
    for o in cur.alignment.ops:
        if o.kind == "=" or o.marked:
            continue
        s0, s1, q0, q1 = o.s0, o.s1, o.q0, o.q1
        while s0 > 0 and q0 > 0 and toks[s0 - 1].key in _UNIT and toks[s0 - 1].key == qt[q0 - 1].key:
            s0, q0 = s0 - 1, q0 - 1
        while (s1 < len(toks) and q1 < len(qt) and toks[s1].key in _UNIT
               and toks[s1].key == qt[q1].key):
            s1, q1 = s1 + 1, q1 + 1
        now = cur.prep.text[toks[s0].start:toks[s1 - 1].end] if s1 > s0 else ""
        then = cur.pq.raw[qt[q0].start:qt[q1 - 1].end] if q1 > q0 else ""
        if then and now:
            out.append(f"then {then!r}, now {now!r}")
        elif then:
            out.append(f"then {then!r}, now left out")
        else:
            out.append(f"now added: {now!r}")
    return out


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
    if _strip_ends(said) == _strip_ends(matched) or (
            _strip_ends(said) and _strip_ends(said) in matched):
        # Character for character (a quote may start or end inside a name: "States is").
        return EXACT, ()
    why = []
    if _strip_ends(fold(said)) != _strip_ends(fold(matched)):
        why.append("spelling, number, date or name format, or case")
    else:
        why.append("quotation marks, apostrophes or dashes")
    return VARIANT, (f"differs only in press style or typography: {why[0]}",)


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
                     published_at: datetime | None, evaluate: Evaluate) -> QuoteCheck | None:
    """Verdict against one statement's versions, or None when no version has the passage.

    `evaluate` aligns the quote to one version (compare.quote_engine passes one that aligns to
    a window around the index's hits and shares the work between versions with the same text).
    """
    ref = _current_at(versions, published_at)
    current = next((v for v in versions if v.current), versions[-1])
    hits = {id(v): h for v in versions if (h := evaluate(pq, v)) is not None}
    if not hits:
        return None
    cur_hit = hits.get(id(current))
    ref_hit = hits.get(id(ref))
    if cur_hit is not None and cur_hit.clean:
        now = _verdict(quote, pq, cur_hit)
        if now.verdict is not VARIANT:
            return now
        # The current wording matches only in another press style; an older version the
        # quote matches character for character is the one it quoted (an edit of style).
        was = [h for v in versions if v is not current and (h := hits.get(id(v))) is not None
               and h.clean and (published_at is None or v is ref)
               and _verdict(quote, pq, h).verdict is EXACT]
        if not was:
            return now
        old = max(was, key=lambda h: (h.source.version or 0))
        check = _verdict(quote, pq, old)
        return QuoteCheck(quote, STALE, Severity.NONE, old.source.url, check.matched,
                          (f"matches version {old.source.version} of the statement, edited since",
                           *_then_now(cur_hit)[:3]), check.diff, old.source.version, old.source.id,
                          _passage(cur_hit))
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
            reasons += _then_now(cur_hit)[:3]
        else:
            reasons.append("the quoted passage is no longer in the statement")
        check = _verdict(quote, pq, old)
        return QuoteCheck(quote, STALE, Severity.NONE, old.source.url, check.matched, tuple(reasons),
                          check.diff, old.source.version, old.source.id,
                          _passage(cur_hit) if cur_hit is not None else None)
    if published_at is not None and ref_hit is None:
        return unverified(quote, f"the passage is not in version {ref.version} of the statement, "
                                  "the one on record when the article was published")
    judged = ref_hit or cur_hit or max(hits.values(), key=lambda h: h.rank)
    return _verdict(quote, pq, judged)


def _verdict(quote: Quote, pq: ParsedQuote, hit: _Hit) -> QuoteCheck:
    matched = _passage(hit)
    diff = _word_diff(hit)
    if hit.clean:
        verdict, reasons = _clean_verdict(quote, pq, hit, matched)
        return QuoteCheck(quote, verdict, Severity.NONE, hit.source.url, matched, reasons, diff,
                          hit.source.version, hit.source.id)
    return QuoteCheck(quote, MISQUOTE, hit.severity, hit.source.url, matched, hit.reasons, diff,
                      hit.source.version, hit.source.id)


def unverified(quote: Quote, why: str) -> QuoteCheck:
    return QuoteCheck(quote, UNVERIFIED, Severity.NONE, None, None, (why,))


def judge_in_order(quote: Quote, pq: ParsedQuote, order: Sequence[str],
                   versions_of: Callable[[str], Sequence[SourceText]],
                   published_at: datetime | None, evaluate: Evaluate) -> QuoteCheck:
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
