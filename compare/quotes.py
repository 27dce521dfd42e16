"""Direct quotes in press text: where they are and whom they are attributed to.

Rule-based (no parser model can be installed here). Marks pair by direction for curly
quotes, guillemets and „low-high“; straight double quotes by parity; single quotes only where
an apostrophe reading is impossible. News multi-paragraph quotes (a paragraph that opens and
does not close continues in the next paragraph that opens again) become one Quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from compare.lexicon import REPORTING_VERBS

# Opening mark -> closing marks it accepts.
_CLOSERS: dict[str, tuple[str, ...]] = {
    "“": ("”",), "„": ("“", "”"), "«": ("»",), "»": ("«",), "‘": ("’",), "‚": ("‘", "’"),
    '"': ('"',), "'": ("'",), "‹": ("›",),
}
_REOPEN = set("“„«»‘‚\"'‹")
MIN_WORDS = 4  # below this a quote is checked only when explicitly attributed to the issuers
LONG_UNATTRIBUTED = 8  # a quote this long with no cue at all is read as the statement's words

ISSUER_CUES = re.compile(
    r"\b(statement|statements|communiqu[eé]|readout|(?:press )?release|declaration|"
    r"ministers?|ministry|secretary|spokes(?:man|woman|person)|department|white house|"
    r"government|administration|embassy|leaders|joint|washington|the united states|the u\.s\.|"
    r"officials?|(?:it|they|he|she) (?:said|says|added|wrote|stated|noted|declared|warned)|"
    r"according to (?:the|a) (?:statement|release|readout|text|document)|what (?:it|they) called|"
    r"(?:the )?text)\b", re.I)
# Reporting verbs come from the shared lexicon; longest first so a phrase wins over a word.
REPORTING = re.compile(
    r"\b(" + "|".join(re.escape(v) for v in sorted(REPORTING_VERBS, key=lambda v: (-len(v), v)))
    + r")\b", re.I)
OTHER_CUES = re.compile(
    r"\b(analysts?|critics?|experts?|professor|researchers?|scholars?|opposition|activists?|"
    r"lawmakers?|senators?|congressman|congresswoman|residents?|protesters?|witnesses|"
    r"diplomats?|observers?|editors?|columnists?|commentators?|campaigners?|economists?|a source|sources|"
    r"think[- ]tank|fellow at|director at|told (?:reporters from|the|a|an)|in an interview|"
    r"on (?:twitter|x|social media)|opponents?|rivals?)\b", re.I)
SCARE_CUES = re.compile(r"\b(so-called|dubbed|nicknamed|known as|branded|termed)\s*$", re.I)


@dataclass(frozen=True)
class Quote:
    """Text inside quotation marks, with offsets into the article text.

    `speaker` says why `attributed` was decided: "issuer" (a cue names the statement or its
    issuers), "unknown" (reported speech with no one named, or a long quote with no cue),
    "other" (someone else), "scare" (scare or short quotes).
    """

    text: str
    start: int
    end: int
    attributed: bool = True
    context: str = ""
    speaker: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _is_open(para: str, i: int, ch: str) -> bool:
    prev = para[i - 1] if i else " "
    nxt = para[i + 1] if i + 1 < len(para) else " "
    if ch in ("‘", "'"):
        # An apostrophe ('90s, rock 'n' roll, ministers') follows a letter or precedes a space.
        return not prev.isalnum() and (nxt.isalnum() or nxt in "“\"[(")
    if ch == '"':
        return not prev.isalnum() or prev in ".,;:!?"
    return True


def _is_close(para: str, i: int, ch: str) -> bool:
    nxt = para[i + 1] if i + 1 < len(para) else " "
    if ch in ("’", "'"):
        # ’ inside a word (don’t, NATO’s) is an apostrophe, not the end of a quote.
        return not nxt.isalnum()
    return True


def _spans(text: str) -> list[list[tuple[int, int]]]:
    """Outermost quoted spans; each a list of (start, end) pieces, one per paragraph."""
    out: list[list[tuple[int, int]]] = []
    carry: list[tuple[int, int]] | None = None
    carry_open: str | None = None
    for p_start, p_end in _paragraphs(text):
        para = text[p_start:p_end]
        stack: list[tuple[str, int]] = []  # (opening mark, index after it)
        i = 0
        if carry is not None:
            lead = len(para) - len(para.lstrip())
            if para[lead:lead + 1] in _REOPEN:
                # The quote from the previous paragraph goes on.
                stack.append((carry_open or '"', lead + 1))
                i = lead + 1
            else:
                out.append(carry)
                carry = None
        while i < len(para):
            ch = para[i]
            if stack and ch in _CLOSERS[stack[-1][0]] and _is_close(para, i, ch):
                mark, at = stack.pop()
                if not stack:
                    pieces = (carry or []) + [(p_start + at, p_start + i)]
                    out.append(pieces)
                    carry = None
            elif stack and ch in ('"', "'") and any(m == ch for m, _ in stack[:-1]) and _is_close(para, i, ch):
                # A straight mark closing an outer quote whose inner quote was left open.
                while stack and stack[-1][0] != ch:
                    stack.pop()
                mark, at = stack.pop()
                if not stack:
                    out.append((carry or []) + [(p_start + at, p_start + i)])
                    carry = None
            elif ch in _CLOSERS and _is_open(para, i, ch) and not (ch == "»" and not stack and "«" not in para[i:]):
                stack.append((ch, i + 1))
            i += 1
        if stack:
            mark, at = stack[0]
            carry = (carry or []) + [(p_start + at, p_end)]
            carry_open = mark
        elif carry is not None and not stack:
            carry = None
    if carry is not None:
        out.append(carry)
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    para_a = text.rfind("\n", 0, start) + 1
    para_b = text.find("\n", end)
    para_b = len(text) if para_b < 0 else para_b
    left = para_a
    for m in re.finditer(r"[.!?][\"”’»]?\s+(?=[A-Z“\"‘«„])", text[para_a:start]):
        left = para_a + m.end()
    stop = re.search(r"[.!?](?=\s+[A-Z“\"‘«„]|\s*$)", text[end:para_b])
    right = end + stop.end() if stop else para_b
    return left, right


def _attribution(text: str, start: int, end: int, words: int,
                 issuers: Sequence[str]) -> tuple[bool, str, str]:
    """(attributed, speaker, context sentence) for the quote at [start, end)."""
    s_a, s_b = _sentence_bounds(text, start, end)
    before = text[s_a:max(s_a, start - 1)]
    after = text[min(end + 1, s_b):s_b]
    context = text[s_a:s_b].strip()
    outside = before + " \x00 " + after
    q_at = len(before)

    def nearest(rx: re.Pattern[str]) -> int | None:
        best = None
        for m in rx.finditer(outside):
            d = q_at - m.end() if m.end() <= q_at else m.start() - q_at
            best = d if best is None else min(best, d)
        return best

    names = [n for n in issuers if n]
    issuer_d = nearest(ISSUER_CUES)
    for n in names:
        for m in re.finditer(re.escape(n), outside, re.I):
            d = abs(m.start() - q_at)
            issuer_d = d if issuer_d is None else min(issuer_d, d)
    other_d = nearest(OTHER_CUES)
    reporting = REPORTING.search(outside) is not None
    colon = before.rstrip().endswith(":")
    if SCARE_CUES.search(before.rstrip(" “\"‘'«„")):
        return False, "scare", context
    if other_d is not None and (issuer_d is None or other_d < issuer_d):
        return False, "other", context
    if issuer_d is not None and (reporting or colon or issuer_d < 40 or words >= MIN_WORDS):
        return True, "issuer", context
    if words < MIN_WORDS:
        return False, "scare", context
    # No one named in this sentence: the paragraph before the quote may have set up the source.
    para_a = text.rfind("\n", 0, start) + 1
    prev_para = text[text.rfind("\n", 0, max(0, para_a - 1)) + 1:para_a]
    lead_in = text[para_a:start] + " " + prev_para
    if OTHER_CUES.search(text[para_a:start]):
        return False, "other", context
    if reporting or colon or words >= LONG_UNATTRIBUTED or ISSUER_CUES.search(lead_in):
        return True, "unknown", context
    return False, "scare", context


def extract_quotes(text: str, issuers: Sequence[str] = ()) -> list[Quote]:
    """Quoted passages with offsets and attribution; `issuers` are names that count as the source.

    Every quote is returned (check_article skips the unattributed ones), so a caller can show
    what was set aside and why.
    """
    out: list[Quote] = []
    for pieces in _spans(text):
        trimmed = [_trim(text, a, b) for a, b in pieces]
        trimmed = [(a, b) for a, b in trimmed if b > a]
        if not trimmed:
            continue
        start, end = trimmed[0][0], trimmed[-1][1]
        body = " ".join(text[a:b] for a, b in trimmed)
        n = len(body.split())
        if n < 1:
            continue
        attributed, speaker, context = _attribution(text, start, end, n, issuers)
        out.append(Quote(body, start, end, attributed, context, speaker))
    return out
