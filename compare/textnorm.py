"""Word tokens for quote matching: normalised for comparison, with offsets back to the raw text.

Everything shown to a reader comes from the raw text through the offsets; the normalised
form only decides what counts as "the same word" (typography, case, US/UK spelling,
number formats, contractions).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from compare.lexicon import ISE_BOTH, UK_LL_STEMS, UK_OUR_STEMS, UK_TRE_WORDS, UK_US_WORDS

# Typography folded before tokenising; the mapping keeps one character for one, so offsets
# into the folded string are offsets into the raw string.
_FOLD = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "＂": '"', "«": '"', "»": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "‐": "-", "‑": "-", "–": "-", "—": "-", "‒": "-", "−": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_FOLD_CHARS = re.compile("[" + "".join(map(chr, _FOLD)) + "]")
_TOKEN = re.compile(r"\$|%|\d[\d,]*(?:\.\d+)?|[^\W\d_]+(?:['\u00ad][^\W\d_]+)*|\d+|\w+", re.U)
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z\"'])")

NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100",
}
# Contractions expand so that "don't" and "do not" are the same words (and the same polarity).
_CONTRACTIONS = {
    "won't": ("will", "not"), "can't": ("can", "not"), "cannot": ("can", "not"),
    "shan't": ("shall", "not"), "let's": ("let", "us"), "it's": ("it", "is"),
    "we're": ("we", "are"), "they're": ("they", "are"), "we've": ("we", "have"),
    "they've": ("they", "have"), "we'll": ("we", "will"), "they'll": ("they", "will"),
    "i'm": ("i", "am"), "that's": ("that", "is"), "there's": ("there", "is"),
}
# US spelling is the key; UK forms map onto it (the lists live in compare/lexicon.py).
_ISE = re.compile(r"(i)s(e|es|ed|ing|ation|ations|er|ers)$")


@dataclass(frozen=True)
class Token:
    """One word: its comparison key, raw span and the sentence it belongs to."""

    key: str
    start: int
    end: int
    sentence: int = 0


def fold(text: str) -> str:
    """Typographic folding that keeps length, so offsets stay valid."""
    if text.isascii():
        return text  # nothing to fold; str.translate with a dict walks every character
    return _FOLD_CHARS.sub(lambda m: _FOLD[ord(m.group(0))], text)


def us_spelling(word: str) -> str:
    """The US form of a lowercase word when it is a known UK spelling."""
    if word.endswith("'s") and len(word) > 2:
        return us_spelling(word[:-2]) + "'s"  # "organisation's" is "organisation" + 's
    if word in UK_US_WORDS:
        return UK_US_WORDS[word]
    if word not in ISE_BOTH and len(word) > 5:
        m = _ISE.search(word)
        if m and word[: m.start()] and word[: m.start()][-1] not in "aeiou":
            word = word[: m.start()] + "iz" + m.group(2)
        elif word.endswith(("yse", "ysed", "yses", "ysing")) and word.startswith(("analy", "paraly", "cataly")):
            word = word.replace("ys", "yz", 1)
    for stem in UK_OUR_STEMS:
        if word.startswith(stem + "ur"):
            return stem + word[len(stem) + 1:]
    for tre in UK_TRE_WORDS:
        if word.startswith(tre):
            return tre[:-2] + "er" + word[len(tre):]
    for stem in UK_LL_STEMS:
        if word.startswith(stem + "l") and word[len(stem) + 1:] in ("ed", "ing", "er", "ers", "or", "ors"):
            return stem + word[len(stem) + 1:]
    return word


# News vocabulary is small and Zipfian: caching the key of a raw word makes tokenising a
# large corpus about five times faster (us_spelling tries dozens of stems per word).
@lru_cache(maxsize=262_144)
def _key(raw: str) -> str:
    w = unicodedata.normalize("NFKC", raw).lower().replace("\u00ad", "")
    if w[:1].isdigit():
        # "1,500" and "1500" are the same number; "1.50" keeps its decimals.
        w = w.replace(",", "")
        return w
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    return us_spelling(w)


def scan(text: str) -> list[tuple[str, int, int, int]]:
    """Comparison tokens of `text` as plain (key, start, end, sentence) tuples.

    "per cent" and "%" both become "percent"; "n't" and contractions expand; "$" is a word so
    that "$1.5 billion" and "1.5 billion dollars" differ visibly rather than silently. Tuples,
    not Tokens, because a statement corpus tokenises millions of words and keeps them in
    blocks (compare.quoteblocks, compare.quote_engine); an object per word would dominate the cost.
    """
    folded = fold(text)
    ends = sorted({m.end() for m in _SENT_END.finditer(folded)})
    out: list[tuple[str, int, int, int]] = []
    append = out.append
    sentence = 0
    e_i = 0
    n_ends = len(ends)
    per_at = -1  # index in `out` of a preceding "per" (for "per cent")
    for m in _TOKEN.finditer(folded):
        s, e = m.span()
        while e_i < n_ends and ends[e_i] <= s:
            sentence += 1
            e_i += 1
        raw = m.group(0)
        low = raw.lower()
        if low == "%":
            append(("percent", s, e, sentence))
            continue
        if per_at >= 0 and per_at == len(out) - 1 and low in ("cent", "centum"):
            out[-1] = ("percent", out[-1][1], e, sentence)
            per_at = -1
            continue
        per_at = -1
        if low in _CONTRACTIONS:
            a, b = _CONTRACTIONS[low]
            append((a, s, e, sentence))
            append((b, s, e, sentence))
            continue
        if low.endswith("n't") and len(low) > 3:
            append((_key(raw[:-3]), s, e - 3, sentence))
            append(("not", e - 3, e, sentence))
            continue
        append((_key(raw), s, e, sentence))
        if low == "per":
            per_at = len(out) - 1
    return out


def tokenize(text: str) -> list[Token]:
    """Comparison tokens of `text`, with raw offsets and sentence numbers (see `scan`)."""
    return [Token(k, s, e, n) for k, s, e, n in scan(text)]


def keys(text: str) -> list[str]:
    """Just the comparison keys."""
    return [t.key for t in tokenize(text)]


def surface_words(text: str) -> list[str]:
    """The words of `text` as written (case kept, nothing expanded): the tokenizer's words
    that start with a letter, apostrophes folded ("don’t" -> "don't").

    For judging an edit, where the case of a word (a name) and its spelling (a British form)
    are themselves what changed, so the comparison keys of `scan` would hide them.
    """
    folded = fold(text)
    return [w.replace("\u00ad", "") for w in _TOKEN.findall(folded) if w[:1].isalpha()]


def expand(word: str) -> tuple[str, ...]:
    """A lower-case word with its contraction expanded: "won't" -> ("will", "not")."""
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    if word.endswith("n't") and len(word) > 3:
        return (word[:-3], "not")
    return (word,)


def words(text: str) -> list[str]:
    """Lower-case surface words with contractions expanded, as `scan` expands them.

    >>> words("We won't fund the programme.")
    ['we', 'will', 'not', 'fund', 'the', 'programme']
    """
    return [part for w in surface_words(text) for part in expand(w.lower())]
