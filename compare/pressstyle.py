"""Press style: the forms a newspaper may give an official's words without changing them.

A wire service writes "2 June 2022" for "June 2, 2022", "forty-four" for "44", "US$60
million" for "$60 million", "U.N." for "UN", "Viet Nam" for "Vietnam", "Félix" for "Felix" and
"first-hand" for "firsthand". None of these is a misquote; a different date, figure or name is.

`canonical` rewrites a run of comparison tokens (compare.textnorm) into canonical tokens, merging
several words into one where a form spans words ("U.S." -> one token, "June 2" -> one date
token), and keeping each token's raw offsets so everything shown to a reader still comes from
the raw text. Quote and source are both rewritten before they are aligned
(compare.quotecheck), so an equivalent form is simply the same word, and a different value
stays a different word that the severity rules see.

    >>> [t.key for t in canonical(tokenize("on 2 June 2022"), "on 2 June 2022")]
    ['on', 'date:6-2', '2022']
    >>> [t.key for t in canonical(tokenize("on June 2, 2022"), "on June 2, 2022")]
    ['on', 'date:6-2', '2022']

Number words come from num2words and country names from pycountry (ISO 3166 names, official
names and common names); the few press forms ISO does not list are in compare/lexicon.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import pycountry
from num2words import num2words

from compare.lexicon import COUNTRY_ALIASES, PRESS_SPELLING
from compare.textnorm import Token, fold, tokenize

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH = {m: i + 1 for i, m in enumerate(MONTHS)}
_ORD_SUFFIX = frozenset({"st", "nd", "rd", "th"})
_SCALES = frozenset({"thousand", "million", "billion", "trillion"})
_DOLLARS = frozenset({"dollar", "dollars"})
_NAME_SPAN = 6  # the longest country name, in words, tried for a match
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=1)
def _number_words() -> dict[str, str]:
    """Number words ("forty-four", "ninth") -> canonical keys ("44", "ord:9"), from num2words."""
    out: dict[str, str] = {}
    for n in range(0, 100):
        out[num2words(n).replace(" ", "-")] = str(n)
        if n:
            out[num2words(n, to="ordinal").replace(" ", "-")] = f"ord:{n}"
    return out


def _strip_marks(word: str) -> str:
    """Diacritics dropped: "josé" -> "jose", "côte" -> "cote"."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Statement texts repeat their words: canonical() asks for the same keys again and again
# (a million calls for 30 articles at 100,000 versions before this cache).
@lru_cache(maxsize=65536)
def word_key(key: str) -> str:
    """Canonical form of one comparison key: diacritics, possessive and press spellings."""
    w = _strip_marks(key)
    if w.endswith("'s") and len(w) > 3:
        w = w[:-2]  # "honduras's" and "honduras'" are the possessive of "honduras"
    elif w.endswith("'") and len(w) > 2:
        w = w[:-1]
    if w in PRESS_SPELLING:
        return PRESS_SPELLING[w]
    if w.endswith("s") and w[:-1] in PRESS_SPELLING:
        return PRESS_SPELLING[w[:-1]] + "s"  # "pretences" -> "pretenses"
    return w


@lru_cache(maxsize=1)
def _countries() -> dict[tuple[str, ...], str]:
    """Word keys of every country name pycountry knows (plus lexicon aliases) -> ISO alpha-3."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(c, attr, None)
            if not name:
                continue
            if ", " in name:  # "Korea, Republic of" -> "Republic of Korea"
                head, _, tail = name.partition(", ")
                name = f"{tail} {head}"
            names[name] = c.alpha_3
    names.update(COUNTRY_ALIASES)
    out: dict[tuple[str, ...], str] = {}
    for name, code in names.items():
        keys = tuple(word_key(t.key) for t in tokenize(name))
        if keys and keys[0] == "the":
            keys = keys[1:]
        if keys:
            out[keys] = code
    return out


@lru_cache(maxsize=1)
def _compound_heads() -> frozenset[str]:
    """First words of compound number words ("forty" of "forty-four"): a pair is looked up
    only after one."""
    return frozenset(w.split("-", 1)[0] for w in _number_words() if "-" in w)


@lru_cache(maxsize=1)
def _country_heads() -> frozenset[str]:
    """First words of the country names: a span is looked up only where one starts."""
    return frozenset(keys[0] for keys in _countries())


def _is_acronym(raw: str) -> bool:
    return raw.isupper() and 2 <= len(raw) <= 5 and raw.isalpha()


def canonical(tokens: Sequence[Token], text: str) -> list[Token]:
    """`tokens` of `text` with press-style forms rewritten to one canonical form each."""
    folded = fold(text)
    toks = list(tokens)
    n = len(toks)
    # Each token's raw text and the gap after it, sliced once (the rules below ask for them
    # several times per token).
    raws = [folded[t.start:t.end] for t in toks]
    gaps = [folded[toks[i].end:toks[i + 1].start] for i in range(n - 1)] + ([folded[toks[-1].end:]] if n else [])

    def gap(i: int) -> str:
        """The raw characters between token i and token i + 1."""
        return gaps[i]

    def raw(i: int) -> str:
        return raws[i]

    out: list[Token] = []
    numbers = _number_words()
    countries = _countries()
    heads = _country_heads()
    tens = _compound_heads()
    keyed = [word_key(tok.key) for tok in toks]  # once per token, not once per span tried
    i = 0
    while i < n:
        t = toks[i]
        # "US$60 million" is "$60 million".
        if t.key == "us" and i + 1 < n and toks[i + 1].key == "$" and gap(i) == "":
            i += 1
            continue
        # Abbreviations with or without points: "U.S." / "US", "U.N." / "UN".
        j = i
        letters = []
        while j < n and len(raws[j]) == 1 and raw(j).isalpha() and raw(j).isupper() and gap(j).startswith("."):
            letters.append(raw(j))
            j += 1
            if gap(j - 1) != ".":
                break
        if len(letters) >= 2:
            # "U.S." is "US"; not "United States", which a statement's edit may change it to.
            out.append(Token("acr:" + "".join(letters).lower(), t.start, toks[j - 1].end, t.sentence))
            i = j
            continue
        # Country names, longest first ("Republic of Korea", "South Korea", "ROK", "Burma").
        hit = 0
        for span in range(min(_NAME_SPAN, n - i) if keyed[i] in heads else 0, 0, -1):
            keys = tuple(keyed[i:i + span])
            if keys in countries and (span > 1 or _is_acronym(raw(i)) or raw(i)[:1].isupper()):
                start = t.start
                if out and out[-1].key == "the":
                    # "the ROK" / "South Korea", "the PRC's" / "China's": the article goes
                    # with the name's form, not with what is said.
                    start = out.pop().start
                out.append(Token("cc:" + countries[keys], start, toks[i + span - 1].end, t.sentence))
                hit = span
                break
        if hit:
            i += hit
            continue
        if _is_acronym(raws[i]):
            # "US" the country is not "us" the pronoun; a bare acronym keeps its case.
            out.append(Token("acr:" + t.key, t.start, t.end, t.sentence))
            i += 1
            continue
        # Number words, compounds included: "forty-four" -> "44", "ninth" -> "ord:9".
        low = raws[i].lower()
        if low in tens and i + 1 < n and gaps[i] in ("-", " "):
            pair = f"{low}-{raws[i + 1].lower()}"
            if pair in numbers:
                out.append(Token(numbers[pair], t.start, toks[i + 1].end, t.sentence))
                i += 2
                continue
        if low in numbers and not low.isdigit():
            key = numbers[low]
            i += 1
        elif low.isdigit() and i + 1 < n and toks[i + 1].key in _ORD_SUFFIX and gap(i) == "":
            key = f"ord:{int(low)}"  # "9th"
            out.append(Token(key, t.start, toks[i + 1].end, t.sentence))
            i += 2
            continue
        else:
            key = keyed[i]
            i += 1
        out.append(t if key == t.key else Token(key, t.start, t.end, t.sentence))
    return _dates(_currency(out), folded)


def _currency(toks: list[Token]) -> list[Token]:
    """"13 billion dollars" -> "$ 13 billion" (the order the statements use)."""
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.key[:1].isdigit():
            j = i + 1
            while j < len(toks) and toks[j].key in _SCALES:
                j += 1
            k = j
            if k < len(toks) and toks[k].key in ("acr:us", "cc:USA") and k + 1 < len(toks):
                k += 1  # "60 million U.S. dollars"
            if k < len(toks) and toks[k].key in _DOLLARS:
                out.append(Token("$", toks[k].start, toks[k].end, t.sentence))
                out.extend(toks[i:j])
                i = k + 1
                continue
        out.append(t)
        i += 1
    return out


def _day(key: str) -> int | None:
    if key.startswith("ord:"):
        key = key[4:]
    return int(key) if key.isdigit() and 1 <= int(key) <= 31 else None


def _dates(toks: list[Token], folded: str) -> list[Token]:
    """Day and month in either order, one token: "2 June" / "June 2" / "2nd June" -> "date:6-2".

    A range keeps both days: "29-30 June" / "June 29-30" -> "date:6-29-30".
    """
    out: list[Token] = []
    i = 0
    n = len(toks)

    def joined_by_dash(a: int) -> bool:
        return folded[toks[a].end:toks[a + 1].start].strip() in ("-", "to")

    def month(a: int) -> int | None:
        # Capitalised only: "may" and "march" are also a modal and a verb.
        t = toks[a]
        return _MONTH.get(t.key) if folded[t.start:t.start + 1].isupper() else None

    while i < n:
        t = toks[i]
        k = t.key
        if not (k[:1].isdigit() or k in _MONTH or k.startswith("ord:")):
            out.append(t)  # neither a day nor a month (most words): nothing to join
            i += 1
            continue
        # day [- day] month
        if _day(t.key) is not None:
            days = [_day(t.key)]
            j = i + 1
            if j + 1 < n and joined_by_dash(i) and _day(toks[j].key) is not None:
                days.append(_day(toks[j].key))
                j += 1
            if j < n and (m := month(j)) is not None:
                out.append(Token(f"date:{m}-" + "-".join(map(str, days)), t.start, toks[j].end, t.sentence))
                i = j + 1
                continue
        # month day [- day]
        if (m := month(i)) is not None and i + 1 < n and _day(toks[i + 1].key) is not None:
            days = [_day(toks[i + 1].key)]
            j = i + 2
            if j < n and joined_by_dash(i + 1) and _day(toks[j].key) is not None:
                days.append(_day(toks[j].key))
                j += 1
            out.append(Token(f"date:{m}-" + "-".join(map(str, days)), t.start, toks[j - 1].end, t.sentence))
            i = j
            continue
        out.append(t)
        i += 1
    return out


def keys(text: str) -> list[str]:
    """Canonical keys of `text` (for tests and tools)."""
    return [t.key for t in canonical(tokenize(text), text)]


def _skeleton(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", "".join(c for c in word if c not in _VOWELS))


def transliteration(a: str, b: str) -> bool:
    """Two spellings of one foreign name: same first letter and same consonants in order,
    vowels free ("Hizballah"/"Hezbollah", "Qods"/"Quds", "Lukashenka"/"Lukashenko").

    Only for capitalised names of four letters or more with three consonants or more, so that
    "Iran" and "Iraq" (different consonants) or "Mali" and "Male" (too short) stay apart.
    """
    if a == b or not (a[:1].isupper() and b[:1].isupper()) or min(len(a), len(b)) < 4:
        return False
    x, y = _strip_marks(a.lower()), _strip_marks(b.lower())
    if x[0] != y[0]:
        return False
    sx, sy = _skeleton(x), _skeleton(y)
    if sx != sy or len(sx) < 3:
        return False
    # Only the last letter differs in a short name: another name ("Natalie"/"Natalia"),
    # not another transliteration (long surnames do vary there: "Lukashenka").
    interior = x[:-1] != y[:-1] if len(x) == len(y) else True
    return interior or min(len(x), len(y)) >= 9


def same_words(old: str, new: str) -> bool:
    """The same letters, spaced or hyphenated otherwise: a compound written closed, open or
    hyphenated ("reopen" / "re-open", "firsthand" / "first-hand")."""
    a = re.sub(r"[\W_]+", "", _strip_marks(old.lower()))
    return bool(a) and a == re.sub(r"[\W_]+", "", _strip_marks(new.lower()))
