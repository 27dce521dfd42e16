"""How much a quote's departures from the source matter: major or minor, with reasons.

Works on the alignment ops (compare.align.Op) rather than on strings, because what matters
depends on where a word went: a "not" skipped by an ellipsis inside the quoted sentence is
a hidden negation, the same "not" in a skipped whole sentence is not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from compare.align import Op, Prepared
from compare.lexicon import CONDITIONS as _CONDITIONAL_WORDS
from compare.lexicon import HEDGES, MODALS, NEGATIONS, QUALIFIERS
from compare.textnorm import Token
from compare.vocab import Severity

MAJOR, MINOR = Severity.MAJOR, Severity.MINOR
# In a quote, dropping "only" or "without" also widens what was said, and an ellipsis that
# skips one hides a condition: they count as conditions here as well as qualifier/negation.
CONDITIONS = _CONDITIONAL_WORDS | {"without", "only"}
# Conditions are judged on their own below ("condition removed"), so not as qualifiers.
_QUALIFYING = QUALIFIERS | HEDGES
_AMOUNT = frozenset({"percent", "$", "million", "billion", "trillion", "thousand", "dozen",
                     "january", "february", "march", "april", "june", "july", "august",
                     "september", "october", "november", "december", "monday", "tuesday",
                     "wednesday", "thursday", "friday", "saturday", "sunday"})
_DIGIT = re.compile(r"\d")
LARGE_REWRITE = 0.4  # share of quote words changed beyond which the quote is rewritten
LONG_CUT = 8  # source words dropped without an ellipsis that make a cut, not a trim


def _numbers(keys: Sequence[str]) -> Counter[str]:
    return Counter(k for k in keys if _DIGIT.search(k) or k in _AMOUNT)


def _vocab(keys: Sequence[str], vocab: frozenset[str]) -> Counter[str]:
    return Counter(k for k in keys if k in vocab)


def _names(raw: str, toks: Sequence[Token], first_ok: set[int]) -> set[str]:
    """Capitalised words that are not capitalised merely for starting a sentence or quote."""
    out = set()
    for i, t in enumerate(toks):
        word = raw[t.start:t.end]
        if word[:1].isupper() and i not in first_ok and len(word) > 1:
            out.add(t.key)
    return out


def _clip(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def judge(ops: Sequence[Op], qtoks: Sequence[Token], qraw: str, src: Prepared,
          bracket_words: frozenset[int] = frozenset()) -> tuple[Severity, list[str]]:
    """Severity ("major"/"minor", or "none" when nothing unmarked differs) and reasons."""
    s = src.tokens
    major: list[str] = []
    minor: list[str] = []
    changed_q = 0
    for op in ops:
        if op.kind == "=":
            continue
        old_t = s[op.s0:op.s1]
        new_t = qtoks[op.q0:op.q1]
        old_k = [t.key for t in old_t]
        new_k = [t.key for t in new_t]
        old_raw = src.text[old_t[0].start:old_t[-1].end] if old_t else ""
        new_raw = qraw[new_t[0].start:new_t[-1].end] if new_t else ""
        if op.marked:
            if op.kind == "-":
                # An ellipsis may skip whole sentences; only words of the sentences it cuts into
                # can change what the quoted words say.
                edge = {s[op.s0 - 1].sentence if op.s0 else -1,
                        s[op.s1].sentence if op.s1 < len(s) else -1}
                inside = [t.key for t in old_t if t.sentence in edge]
                neg = [k for k in inside if k in NEGATIONS]
                cond = [k for k in inside if k in CONDITIONS - NEGATIONS]
                if neg:
                    major.append(f"an ellipsis hides a negation: {_clip(old_raw)!r}")
                elif cond:
                    major.append(f"an ellipsis hides a condition ({', '.join(dict.fromkeys(cond))}): {_clip(old_raw)!r}")
            else:
                bad = (_numbers(new_k) - _numbers(old_k)) + (_vocab(new_k, NEGATIONS) - _vocab(old_k, NEGATIONS))
                if bad:
                    major.append(f"a bracket says what the source does not: [{new_raw}] for {old_raw!r}")
            continue
        changed_q += max(len(new_k), 0 if op.kind != "-" else 0)
        reasons: list[str] = []
        n_old, n_new = _numbers(old_k), _numbers(new_k)
        if n_old != n_new:
            reasons.append(f"number, amount or date changed: {old_raw!r} -> {new_raw!r}")
        for label, vocab in (("negation", NEGATIONS), ("modal verb", MODALS), ("qualifier", _QUALIFYING)):
            a, b = _vocab(old_k, vocab), _vocab(new_k, vocab)
            if a - b:
                reasons.append(f"{label} removed: {', '.join(a - b)}")
            if b - a:
                reasons.append(f"{label} added: {', '.join(b - a)}")
        cond_gone = _vocab(old_k, CONDITIONS) - _vocab(new_k, CONDITIONS) - _vocab(old_k, NEGATIONS)
        if cond_gone:
            reasons.append(f"condition removed: {', '.join(cond_gone)}")
        src_first = {i for i, t in enumerate(old_t) if op.s0 + i == 0 or s[op.s0 + i - 1].sentence != t.sentence}
        q_first = {i for i, _ in enumerate(new_t) if op.q0 + i == 0}
        names_old, names_new = _names(src.text, old_t, src_first), _names(qraw, new_t, q_first)
        if op.kind == "~" and (names_old - set(new_k) or names_new - set(old_k)):
            reasons.append(f"name changed: {old_raw!r} -> {new_raw!r}")
        if op.kind == "-" and op.s0 and op.s1 < len(s):
            span = s[op.s1].sentence - s[op.s0 - 1].sentence
            if span >= 2:
                reasons.append(f"sentences that are not adjacent joined without an ellipsis (left out: {_clip(old_raw)!r})")
            elif span == 1:
                minor.append(f"adjacent sentences merged without an ellipsis: {_clip(old_raw)!r}")
            elif len(old_k) >= LONG_CUT:
                reasons.append(f"a clause cut without an ellipsis: {_clip(old_raw)!r}")
        if reasons:
            major.extend(reasons)
        elif op.kind == "~":
            minor.append(f"wording changed: {_clip(old_raw)!r} -> {_clip(new_raw)!r}")
        elif op.kind == "+":
            minor.append(f"words added: {_clip(new_raw)!r}")
        elif not any(r.startswith("adjacent") for r in minor[-1:]):
            minor.append(f"words left out without an ellipsis: {_clip(old_raw)!r}")
    counted = len(qtoks) - len(bracket_words)
    if counted and changed_q / counted > LARGE_REWRITE:
        major.append(f"large rewrite: {changed_q / counted:.0%} of the quote's words differ")
    if major:
        return MAJOR, major + minor
    if minor:
        return MINOR, minor
    return Severity.NONE, []
