"""Check a press quote against official text: find the passage, align word by word, judge."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from compare.model import MINOR, SUBSTANTIVE
from compare.quotes import Quote
from compare.significance import classify

EXACT, VARIANT, EDITED, MISQUOTE, STALE, UNVERIFIED = (
    "exact", "variant", "edited", "misquote", "stale", "unverified")

_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*", re.U)
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
_BRACKET = re.compile(r"\[([^\]]*)\]")
_SIC = re.compile(r"\s*\[sic\]", re.I)
_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                       "‐": "-", "‑": "-", "–": "-", "—": "-", "\u00a0": " ", "\u00ad": ""})
_UK = {"defence": "defense", "programme": "program", "centre": "center", "labour": "labor",
       "favour": "favor", "honour": "honor", "behaviour": "behavior", "colour": "color"}


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
    verdict: str
    severity: str = "none"
    source: str | None = None
    matched: str | None = None
    reasons: tuple[str, ...] = ()
    diff: tuple[tuple[str, str], ...] = field(default=())
    version: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.quote.text,
            "start": self.quote.start,
            "end": self.quote.end,
            "verdict": self.verdict,
            "severity": self.severity,
            "source": self.source,
            "matched": self.matched,
            "reasons": list(self.reasons),
        }


def _norm_word(word: str) -> str:
    w = unicodedata.normalize("NFKC", word).translate(_FOLD).lower().strip(".,'-")
    w = w.replace(",", "") if re.fullmatch(r"[\d,]+(\.\d+)?", w) else w
    return _UK.get(w, w)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    text = text.replace("per cent", "percent").replace("%", " percent")
    return [(_norm_word(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]


def _align(q: list[str], s: list[str]) -> tuple[float, int, int, list[tuple[str, str]]]:
    """Semi-global alignment: the quote in full, free skipping of source at both ends."""
    n, m = len(q), len(s)
    if not n or not m:
        return -1.0, 0, 0, []
    # Prefilter: only align windows around source positions that share words with the quote.
    qset = set(q)
    hits = [k for k, w in enumerate(s) if w in qset]
    if not hits:
        return -1.0, 0, 0, []
    lo = max(0, hits[0] - n)
    best = (-1e9, 0, 0, [])
    # Scan windows anchored on hits to bound the work on long statements.
    windows: list[tuple[int, int]] = []
    for h in hits:
        a, b = max(0, h - n - 5), min(m, h + 2 * n + 5)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], b))
        else:
            windows.append((a, b))
    del lo
    for a, b in windows:
        seg = s[a:b]
        score, st, en, ops = _nw(q, seg)
        if score > best[0]:
            best = (score, st + a, en + a, ops)
    score, st, en, ops = best
    return score / n, st, en, ops


def _nw(q: list[str], s: list[str]) -> tuple[float, int, int, list[tuple[str, str]]]:
    n, m = len(q), len(s)
    gap = -1.0
    # score[i][j]: best score aligning q[:i] ending at s[:j]; source prefix skipping is free.
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        score[i][0] = i * gap
        back[i][0] = 1
        qi = q[i - 1]
        row, prev = score[i], score[i - 1]
        brow = back[i]
        for j in range(1, m + 1):
            diag = prev[j - 1] + (1.0 if qi == s[j - 1] else -1.0)
            up = prev[j] + gap
            left = row[j - 1] + gap
            if diag >= up and diag >= left:
                row[j], brow[j] = diag, 0
            elif up >= left:
                row[j], brow[j] = up, 1
            else:
                row[j], brow[j] = left, 2
    end = max(range(m + 1), key=lambda j: score[n][j])
    ops: list[tuple[str, str]] = []
    i, j = n, end
    while i > 0:
        b = back[i][j] if j > 0 else 1
        if b == 0:
            ops.append(("=" if q[i - 1] == s[j - 1] else "~", f"{s[j - 1]}|{q[i - 1]}"))
            i, j = i - 1, j - 1
        elif b == 1:
            ops.append(("+", q[i - 1]))
            i -= 1
        else:
            ops.append(("-", s[j - 1]))
            j -= 1
    ops.reverse()
    matches = sum(1 for o, _ in ops if o == "=")
    return float(score[n][end]) if matches else -1e9, j, end, ops


@dataclass
class _Match:
    score: float
    source: SourceText
    start: int
    end: int
    ops: list[tuple[str, str]]
    fragments: int


def _best_match(fragments: list[list[str]], source: SourceText) -> _Match | None:
    toks = _tokens(source.text)
    words = [t[0] for t in toks]
    total_score, total_len, first, last, all_ops = 0.0, 0, None, None, []
    cursor = 0
    for frag in fragments:
        score, st, en, ops = _align(frag, words[cursor:])
        if score <= -1:
            return None
        st, en = st + cursor, en + cursor
        total_score += score * len(frag)
        total_len += len(frag)
        first = st if first is None else first
        last = en
        all_ops.extend(ops)
        cursor = en
    if first is None or last is None or not total_len:
        return None
    start_char = toks[first][1]
    end_char = toks[last - 1][2] if last > first else start_char
    return _Match(total_score / total_len, source, start_char, end_char, all_ops, len(fragments))


def check_quote(quote: Quote, sources: Sequence[SourceText]) -> QuoteCheck:
    """Verdict for one quote against the candidate statement versions."""
    raw = _SIC.sub("", quote.text)
    edited = bool(_ELLIPSIS.search(raw) or _BRACKET.search(raw))
    pieces = [p for p in _ELLIPSIS.split(raw) if p.strip()]
    fragments: list[list[str]] = []
    bracketed: set[str] = set()
    for piece in pieces:
        for m in _BRACKET.finditer(piece):
            bracketed.update(t[0] for t in _tokens(m.group(1)))
        words = [t[0] for t in _tokens(piece)]
        if not words:
            continue
        if fragments and len(words) <= 2:
            fragments[-1].extend(words)
        else:
            fragments.append(words)
    if not fragments:
        return QuoteCheck(quote, UNVERIFIED, reasons=("no words to check",))
    matches = [m for src in sources if (m := _best_match(fragments, src)) is not None]
    if not matches:
        return QuoteCheck(quote, UNVERIFIED, reasons=("no matching passage in the statement",))
    best = max(matches, key=lambda m: (round(m.score, 6), m.source.current))
    if best.score < 0.2:
        return QuoteCheck(quote, UNVERIFIED, reasons=("no passage close enough to the quote",))
    matched = best.source.text[best.start:best.end]
    wdiff = tuple((o, t) for o, t in best.ops)
    differences = [(o, t) for o, t in best.ops if o != "=" and not (
        o == "~" and t.split("|")[1] in bracketed) and not (o == "+" and t in bracketed)]
    # Source words skipped inside a bracket substitution are legitimate too.
    if bracketed:
        differences = [(o, t) for o, t in differences if o != "-"]
    current = [m for m in matches if m.source.current]
    if not best.source.current and not differences:
        cur = max(current, key=lambda m: m.score) if current else None
        if cur is None or cur.score < best.score:
            reasons = [f"matches an earlier version of the statement (version {best.source.version})"]
            if cur is not None:
                reasons.append("the statement was edited after the article quoted it")
            return QuoteCheck(quote, STALE, "none", best.source.url, matched, tuple(reasons), wdiff,
                              best.source.version)
    if not differences:
        if edited:
            return QuoteCheck(quote, EDITED, "none", best.source.url, matched,
                              ("ellipsis or brackets mark the omissions",), wdiff, best.source.version)
        if _typography_only(quote.text, matched):
            return QuoteCheck(quote, EXACT, "none", best.source.url, matched, (), wdiff,
                              best.source.version)
        return QuoteCheck(quote, VARIANT, "none", best.source.url, matched,
                          ("differs only in typography, case or number format",), wdiff,
                          best.source.version)
    old = " ".join(t.split("|")[0] if o == "~" else t for o, t in differences if o in "-~")
    new = " ".join(t.split("|")[1] if o == "~" else t for o, t in differences if o in "+~")
    op = "replace" if old and new else ("delete" if old else "insert")
    level, reasons = classify(op, old, new, matched, quote.text)
    changed_share = len(differences) / max(1, len(best.ops))
    if changed_share > 0.4:
        reasons.append(f"large rewrite: {changed_share:.0%} of words differ")
        level = SUBSTANTIVE
    if op == "delete" and not edited and len(old.split()) >= 1:
        reasons.insert(0, f"words left out without an ellipsis: {old!r}")
    severity = "major" if level == SUBSTANTIVE else "minor"
    if level not in (SUBSTANTIVE, MINOR):
        severity = "minor"
    return QuoteCheck(quote, MISQUOTE, severity, best.source.url, matched, tuple(reasons), wdiff,
                      best.source.version)


def _typography_only(quote: str, matched: str) -> bool:
    """True when the quote is character-for-character the passage (ignoring spacing)."""
    q = " ".join(quote.split()).rstrip(".,")
    m = " ".join(matched.split()).rstrip(".,")
    return q == m


def check_article(quotes: Sequence[Quote], sources: Sequence[SourceText]) -> list[QuoteCheck]:
    """Check every attributed quote of an article."""
    return [check_quote(q, sources) for q in quotes if q.attributed]
