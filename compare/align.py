"""Word alignment of a quote to the best passage of a source text.

Not a full Needleman-Wunsch over the statement: exact runs of shared words are chained in
order (quote and source both increasing), and only the short gaps between chained runs are
diffed word by word. That keeps a 40-word quote against a 2,000-word statement at well under
a millisecond in pure Python, and it makes an unmarked splice of two distant sentences one
cheap "skip" instead of hundreds of gap penalties, so the splice is found and reported
rather than the quote falling to "unverified".
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from compare.textnorm import Token, tokenize

STOPWORDS = frozenset(
    "a an the of to in on and or for with by at as from that this these those is are was were be "
    "been it its their our we they he she his her which who whom s 's".split())
MAX_RUNS = 250  # the longest runs kept; repeated function words add only noise beyond this
BRACKET_SPAN = 8  # source words a bracketed insertion may stand for


@dataclass(frozen=True)
class Prepared:
    """A source text tokenised once, with a position index per word key."""

    text: str
    tokens: tuple[Token, ...]
    positions: dict[str, tuple[int, ...]] = field(repr=False)
    # The same text in canonical press style (compare.pressstyle), when whoever tokenised it
    # already had it (compare.quote_engine builds it from blocks canonicalised once each);
    # None: compare.quotecheck.press_prepared computes it.
    press: Prepared | None = field(default=None, repr=False, compare=False)

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.tokens]


def prepare(text: str) -> Prepared:
    """Tokenise a source once so that many quotes can be aligned to it."""
    toks = tuple(tokenize(text))
    pos: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        pos.setdefault(t.key, []).append(i)
    return Prepared(text, toks, {k: tuple(v) for k, v in pos.items()})


@dataclass(frozen=True)
class Op:
    """One step of the alignment: source tokens [s0, s1) against quote tokens [q0, q1).

    kind: "=" same words, "~" replaced, "+" quote words absent from the source, "-" source
    words absent from the quote. `marked` says an ellipsis or bracket in the quote owns up to it.
    """

    kind: str
    s0: int
    s1: int
    q0: int
    q1: int
    marked: bool = False


@dataclass(frozen=True)
class Alignment:
    """The chained alignment and how much of the quote it covers."""

    ops: tuple[Op, ...]
    matched: int
    qlen: int
    src_start: int
    src_end: int
    score: float

    @property
    def coverage(self) -> float:
        return self.matched / self.qlen if self.qlen else 0.0


@dataclass(frozen=True)
class _Run:
    q: int
    s: int
    n: int


def _runs(q: Sequence[str], src: Prepared, breaks: frozenset[int] = frozenset()) -> list[_Run]:
    """Maximal runs of shared words; a run never crosses an ellipsis (index in `breaks`)."""
    s = src.tokens
    runs: list[_Run] = []
    for i, w in enumerate(q):
        for p in src.positions.get(w, ()):
            if i and p and i not in breaks and s[p - 1].key == q[i - 1]:
                continue  # not the start of a maximal run
            n = 1
            while (i + n < len(q) and p + n < len(s) and s[p + n].key == q[i + n]
                   and i + n not in breaks):
                n += 1
            # A lone stopword next to an ellipsis is kept: it is all that anchors that side
            # ("We ... condemn" for "We strongly condemn").
            if n >= 2 or w not in STOPWORDS or i in breaks or i + n in breaks:
                runs.append(_Run(i, p, n))
    if len(runs) > MAX_RUNS:
        runs = sorted(runs, key=lambda r: -r.n)[:MAX_RUNS]
    return sorted(runs, key=lambda r: (r.q, r.s))


def _gap_penalty(qg: int, sg: int, ellipsis: bool, bracket: bool) -> float:
    """Cost of the stretch between two chained runs (qg quote words, sg source words)."""
    if ellipsis:
        return float(qg)  # the source skip is owned up to; only unmatched quote words cost
    if bracket and sg <= BRACKET_SPAN:
        return 0.0
    sub = min(qg, sg)
    extra_q = qg - sub
    extra_s = sg - sub
    # A skip of source words costs once plus a little per word: a dropped clause or a splice
    # stays visible without drowning the matched words around it.
    skip = 0.0 if extra_s == 0 else 1.5 + 0.02 * extra_s
    return sub + extra_q + skip


def align(q: Sequence[str], src: Prepared, ellipses: frozenset[int] = frozenset(),
          brackets: frozenset[int] = frozenset()) -> Alignment | None:
    """Best chained alignment of quote keys `q` in `src`.

    `ellipses` holds quote indices i with an ellipsis between q[i-1] and q[i]; `brackets`
    the quote indices of bracketed (editorial) words. None when nothing is shared.
    """
    n = len(q)
    runs = _runs(q, src, ellipses)
    if not runs:
        return None
    ell_prefix = [0] * (n + 1)
    for i in range(1, n + 1):
        ell_prefix[i] = ell_prefix[i - 1] + (1 if i in ellipses else 0)
    br_prefix = [0] * (n + 1)
    for i in range(n):
        br_prefix[i + 1] = br_prefix[i] + (1 if i in brackets else 0)

    best: list[float] = []
    back: list[int] = []
    trim: list[int] = []
    for j, r in enumerate(runs):
        lead = r.q - (br_prefix[r.q] - br_prefix[0])  # bracketed leading words cost nothing
        top: float = r.n - lead
        arg, cut = -1, 0
        r_end_q = r.q + r.n
        for t in range(j):
            p = runs[t]
            pe_q, pe_s = p.q + p.n, p.s + p.n
            if pe_q >= r_end_q or pe_s >= r.s + r.n or p.s >= r.s:
                continue
            # Runs that overlap (a repeated word at the joint) chain after trimming the later one.
            ov = max(0, pe_q - r.q, pe_s - r.s)
            if ov >= r.n:
                continue
            rq, rs = r.q + ov, r.s + ov
            qg, sg = rq - pe_q, rs - pe_s
            ell = ell_prefix[rq] - ell_prefix[pe_q] > 0 or rq in ellipses
            br = qg > 0 and br_prefix[rq] - br_prefix[pe_q] == qg
            val = best[t] + (r.n - ov) - _gap_penalty(qg, sg, ell, br)
            if val > top:
                top, arg, cut = val, t, ov
        best.append(top)
        back.append(arg)
        trim.append(cut)
    finals = [best[j] - (n - runs[j].q - runs[j].n) for j in range(len(runs))]
    end = max(range(len(runs)), key=lambda j: finals[j])
    chain: list[_Run] = []
    j = end
    while j >= 0:
        r = runs[j]
        chain.append(_Run(r.q + trim[j], r.s + trim[j], r.n - trim[j]))
        j = back[j]
    chain.reverse()
    return _ops(q, src, chain, ellipses, brackets, finals[end])


def _diff_gap(q: Sequence[str], src: Prepared, q0: int, q1: int, s0: int, s1: int,
              marked: bool) -> list[Op]:
    if q0 == q1 and s0 == s1:
        return []
    if q0 == q1:
        return [Op("-", s0, s1, q0, q0, marked)]
    if s0 == s1:
        return [Op("+", s0, s0, q0, q1, marked)]
    a = [t.key for t in src.tokens[s0:s1]]
    b = list(q[q0:q1])
    out: list[Op] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        kind = {"equal": "=", "replace": "~", "delete": "-", "insert": "+"}[tag]
        out.append(Op(kind, s0 + i1, s0 + i2, q0 + j1, q0 + j2, marked and kind != "="))
    return out


def _ops(q: Sequence[str], src: Prepared, chain: list[_Run], ellipses: frozenset[int],
         brackets: frozenset[int], score: float) -> Alignment:
    n = len(q)
    ops: list[Op] = []
    first = chain[0]
    if first.q:
        # Leading quote words with no run: set against as many source words just before.
        lead_br = all(i in brackets for i in range(first.q))
        s0 = max(0, first.s - (min(first.q, BRACKET_SPAN) if lead_br else first.q))
        if lead_br:
            s0 = _clause_start(src, first.s, s0)
        ops.extend(_diff_gap(q, src, 0, first.q, s0, first.s, lead_br))
    for k, r in enumerate(chain):
        if k:
            p = chain[k - 1]
            pe_q, pe_s = p.q + p.n, p.s + p.n
            ell = any(i in ellipses for i in range(pe_q, r.q + 1))
            br = r.q > pe_q and all(i in brackets for i in range(pe_q, r.q))
            if ell:
                # Quote words around an ellipsis are unmatched quote words; the skip is marked.
                if r.q > pe_q:
                    ops.append(Op("+", pe_s, pe_s, pe_q, r.q, False))
                if r.s > pe_s:
                    ops.append(Op("-", pe_s, r.s, r.q, r.q, True))
            else:
                ops.extend(_diff_gap(q, src, pe_q, r.q, pe_s, r.s, br and r.s - pe_s <= BRACKET_SPAN))
        ops.append(Op("=", r.s, r.s + r.n, r.q, r.q + r.n))
    last = chain[-1]
    le_q, le_s = last.q + last.n, last.s + last.n
    if le_q < n:
        tail_br = all(i in brackets for i in range(le_q, n))
        s1 = min(len(src.tokens), le_s + (n - le_q))
        ops.extend(_diff_gap(q, src, le_q, n, le_s, s1, tail_br))
    matched = sum(o.q1 - o.q0 for o in ops if o.kind == "=")
    s_start = min(o.s0 for o in ops)
    s_end = max(o.s1 for o in ops)
    return Alignment(tuple(ops), matched, n, s_start, s_end, score)


def _clause_start(src: Prepared, at: int, floor: int) -> int:
    """Bracketed words at the head of a quote stand for the subject: back to the sentence start."""
    sent = src.tokens[at].sentence if at < len(src.tokens) else -1
    i = at
    while i > floor and src.tokens[i - 1].sentence == sent:
        i -= 1
    return i
