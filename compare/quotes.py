"""Direct quotes in press text: where they are and whom they are attributed to."""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_CLOSE = {"“": "”", "„": "“", "«": "»", "‘": "’", "‚": "‘"}
REPORTING = re.compile(
    r"\b(said|says|say|stated|states|state|added|adds|wrote|writes|declared|declares|noted|"
    r"notes|stressed|emphasi[sz]ed|reiterated|reaffirmed|pledged|vowed|warned|urged|called|"
    r"affirmed|according to|statement|statements|communiqu[eé]|readout|release|declaration|"
    r"read|reads|ministers?|secretary|spokes(?:man|woman|person)|officials?|government|"
    r"ministry|department|white house|leaders?|joint)\b",
    re.I,
)
MIN_WORDS = 4


@dataclass(frozen=True)
class Quote:
    """Text inside quotation marks, with offsets into the article text."""

    text: str
    start: int
    end: int
    attributed: bool = True
    context: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())


def _pairs(text: str) -> list[tuple[int, int]]:
    """(start, end) of quoted spans: curly and guillemets by direction, straight by parity."""
    spans: list[tuple[int, int]] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    carry_open: int | None = None
    carry_close: str | None = None
    for p_start, p_end in paragraphs:
        para = text[p_start:p_end]
        i = 0
        open_at: int | None = None
        closer: str | None = None
        if carry_open is not None:
            # A multi-paragraph quote continues only in a paragraph that opens again.
            stripped = para.lstrip()
            if stripped[:1] in OPEN_CLOSE or stripped[:1] == '"':
                open_at, closer = carry_open, carry_close
                i = len(para) - len(stripped) + 1
            else:
                carry_open = None
        while i < len(para):
            ch = para[i]
            if open_at is None:
                if ch == '"':
                    open_at, closer = p_start + i + 1, '"'
                elif ch in ("‘", "‚"):
                    prev = para[i - 1] if i else " "
                    if not prev.isalnum():
                        open_at, closer = p_start + i + 1, OPEN_CLOSE[ch]
                elif ch in OPEN_CLOSE:
                    open_at, closer = p_start + i + 1, OPEN_CLOSE[ch]
            elif ch == closer and not (closer == "’" and i + 1 < len(para) and para[i + 1].isalpha()):
                spans.append((open_at, p_start + i))
                open_at = None
            i += 1
        if open_at is not None:
            carry_open, carry_close = open_at, closer
            # Keep the open part of this paragraph; the quote goes on in the next one.
            spans.append((open_at, p_end))
        else:
            carry_open = None
    return _merge_continued(text, spans)


def _merge_continued(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            p_start, p_end = merged[-1]
            gap = text[p_end:start]
            if "\n" in gap and gap.strip().strip('"“„«‘') == "" and p_end < len(text) and text[p_end] == "\n":
                merged[-1] = (p_start, end)
                continue
        merged.append((start, end))
    return merged


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start - 1), text.rfind("\n", 0, start - 1))
    right_candidates = [x for x in (text.find(". ", end), text.find("\n", end)) if x >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1: right + 1].strip()


def extract_quotes(text: str) -> list[Quote]:
    """Quoted passages long enough to be checked; scare quotes and short fragments are dropped."""
    out = []
    for start, end in _pairs(text):
        body = text[start:end]
        # Trim whitespace and a trailing comma inside the marks, keeping offsets exact.
        lead = len(body) - len(body.lstrip())
        body = body.strip()
        s = start + lead
        e = s + len(body)
        body_clean = re.sub(r'\n\s*["“„«‘]?', " ", body)
        if len(body_clean.split()) < MIN_WORDS:
            continue
        context = _sentence_around(text, s, e)
        outside = context.replace(body, " ")
        para_start = text.rfind("\n", 0, s) + 1
        para_before = text[para_start:s]
        attributed = (
            bool(REPORTING.search(outside))
            or outside.rstrip().endswith(":")
            or bool(REPORTING.search(para_before))
            or len(body_clean.split()) >= 8
        )
        out.append(Quote(body_clean, s, e, attributed, context))
    return out
