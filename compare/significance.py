"""Why a change matters: cosmetic, minor or substantive, with reasons in words.

The rules, most specific first (issue 12 states what analysts want alerted):
- substantive: a number, amount, percentage or date; a name, place, or a person's title,
  its spelling corrected ("Dali" -> "Dalai") or its word order changed, a preposition
  inside it ("Treaty of the" -> "Treaty on the"); a negation, modal verb or qualifier added,
  removed or swapped; a content word replaced by another word ("defending" -> "defunding",
  "counties" -> "countries"); a link's target added, removed or changed; a whole sentence
  added or removed (whole paragraphs are judged by compare/diff.py, which knows the layout);
- cosmetic: the letters and digits are unchanged (spacing, punctuation style "D.C." ->
  "DC", capitalisation, a missing space), British/American spelling, link text that
  replaces a bare URL with the same meaning, a misspelt common word corrected ("beseeched"
  -> "besieged", "the do" -> "they do": wordfreq says which words are common), an
  inflection ("rising" -> "risen": simplemma's lemmas), a function word restored or
  dropped, list numbering, a number written out ("5" -> "five"), a transcript's end mark;
- minor: everything else (one function word for another "the" -> "a", intensifiers,
  contractions, the opening words of a heading).

Each rule is a small function registered with `@rule(name, detects)` (see RULES), with a
worked example in its docstring that tests/test_significance_rules.py runs. The word lists
are compare/lexicon.py's, the words compare/textnorm.py's tokenizer's.

Also used by compare/quotecheck.py: keep `classify(op, old, new, old_ctx, new_ctx)`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

import simplemma
from wordfreq import zipf_frequency

from compare.lexicon import (
    CONDITIONS,
    END_MARKS,
    FUNCTION_WORDS,
    HEDGES,
    INTENSIFIERS,
    LIGHT_WORDS,
    MODAL_STRENGTH,
    MODALS,
    NAME_JOINERS,
    NEGATIONS,
    PREPOSITIONS,
    QUALIFIERS,
    TITLES,
)
from compare.model import Reason
from compare.textnorm import NUMBER_WORDS, expand, surface_words, us_spelling, words
from compare.vocab import ChangeOp, ReasonKind, Significance

__all__ = ["FUNCTION_WORDS", "INTENSIFIERS", "LIGHT_WORDS", "MODALS", "NEGATIONS", "RULES",
           "TITLES", "Edit", "Finding", "Rule", "classify", "clip", "content_words", "rule",
           "spelling_variant", "stem"]

COSMETIC, MINOR, SUBSTANTIVE = Significance.COSMETIC, Significance.MINOR, Significance.SUBSTANTIVE
K = ReasonKind
# Any of these added or removed changes what is promised (see compare/lexicon.py).
QUALIFYING = QUALIFIERS | HEDGES | CONDITIONS
_NUMBER_WORDS = (r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                 r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
                 r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
                 r"billion|trillion|percent|dozen|half|double|triple|twice|thrice|"
                 r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth")
_NUMBER = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?(?:(?:st|nd|rd|th)\b)?%?|\b(?:{_NUMBER_WORDS})\b", re.I)
_DATE_NAMES = ("January February March April May June July August September October November "
               "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar "
               "Apr Jun Jul Aug Sep Sept Oct Nov Dec").split()
# Title case or capitals only: lower-case "may" is the modal verb, not the month.
_DATE_WORD = re.compile(r"\b(" + "|".join([*_DATE_NAMES, *(d.upper() for d in _DATE_NAMES)])
                        + r"|(?i:today|tomorrow|yesterday|tonight))\b")


def _date_word(word: str) -> bool:
    """A weekday, a month or a relative day written as one word, in any case (the name rule's
    names are lower-case): "June", "JUNE", a possessive ("Monday's summit") or dates joined
    by a hyphen ("January-March"). Such a word is the dates rule's, never a name.

    >>> [_date_word(w) for w in ("june", "Monday's", "January-March", "Mar-a-Lago", "Junes")]
    [True, True, True, False, False]
    """
    parts = re.split(r"[-–]", re.sub(r"['’]s$", "", word, flags=re.I))
    return all(_DATE_WORD.fullmatch(p.title()) for p in parts)


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]']|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SENTENCE = re.compile(r"(?:^|(?<=[.!?]\s))[A-Z][^.!?]{10,}[.!?]")
_SUFFIXES = ("ations", "ation", "itions", "ition", "ments", "ment", "ings", "ing", "edly",
             "ed", "ies", "es", "s", "ly", "er", "ers", "ion", "ions", "ive", "al", "e")
# Irregular forms that a suffix stripper cannot join.
_IRREGULAR: dict[str, str] = {"found": "find", "made": "make", "said": "say", "took": "take", "taken": "take",
              "given": "give", "gave": "give", "held": "hold", "met": "meet", "went": "go",
              "gone": "go", "saw": "see", "seen": "see", "brought": "bring", "led": "lead",
              "sought": "seek", "told": "tell", "spoke": "speak", "spoken": "speak",
              "wrote": "write", "written": "write", "began": "begin", "begun": "begin"}
_QUOTE_MARKS = "\"'"


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]", "", text).lower()


def stem(word: str) -> str:
    """A crude stem: enough to see "imposition" and "impose" as one word."""
    word = _IRREGULAR.get(word, word.lower())
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65_536)
def lemma(word: str) -> str:
    """The dictionary form of a lower-case English word ("risen" -> "rise", "counties" ->
    "county"), from simplemma's English lexicon: irregular forms a suffix stripper misses."""
    return simplemma.lemmatize(word, lang="en").lower()


@lru_cache(maxsize=65_536)
def zipf(word: str) -> float:
    """How common a word is in English: wordfreq's Zipf scale (log10 of uses per billion
    words; "the" 7.7, "minister" 5.0, "besieged" 3.4, a misspelling or a rare name < 3)."""
    return zipf_frequency(word, "en")


# A word at least this common (about once in 300,000 words) is an everyday word whose
# misspelling is a typo, not a name being changed; below TYPO_RARE a word is rare enough
# ("minster", "famers", "beseeched") to read as a misspelling of a common neighbour.
COMMON_ZIPF = 3.3
TYPO_RARE_ZIPF = 3.0


def _one_letter_apart(a: str, b: str) -> bool:
    """True when one letter is swapped, added or removed ("counties" / "countries")."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    ops = [op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    return len(ops) == 1 and max(ops[0][2] - ops[0][1], ops[0][4] - ops[0][3]) == 1


def _same_stem(a: str, b: str) -> bool:
    sa, sb = stem(a), stem(b)
    if sa == sb or lemma(a) == lemma(b):
        return True
    if _one_letter_apart(a, b):
        # Two real words one letter apart are two words ("counties" -> "countries"); an
        # inflection would have the same lemma (checked above).
        return False
    # "imposition"/"impose", "announcement"/"announced": a long shared beginning.
    common = 0
    for x, y in zip(sa, sb, strict=False):
        if x != y:
            break
        common += 1
    return common >= 5 and common >= 0.75 * min(len(sa), len(sb))


def spelling_variant(a: str, b: str) -> bool:
    """True for British/American pairs: "travelling"/"traveling", "jeopardised"/"-ized".

    The tokenizer's UK -> US spelling (compare/textnorm.py, lists in compare/lexicon.py)
    decides, so an edit and a quote agree on what is the same word.
    """
    a, b = a.lower(), b.lower()
    return a != b and us_spelling(a) == us_spelling(b)


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning (not function words, intensifiers, furniture)."""
    return [w for w in words(_URL.sub(" ", text))
            if w not in FUNCTION_WORDS and w not in INTENSIFIERS and w not in LIGHT_WORDS
            and len(w) > 1]


def _cased_content(text: str) -> list[str]:
    """Content words as written (case kept), for name-aware matching."""
    keep = set(content_words(text))
    out: list[str] = []
    for w in surface_words(_URL.sub(" ", text)):
        parts = expand(w.lower())
        if len(parts) > 1:
            # A contraction counts as its words, as in content_words ("Let's" -> "Let", "us").
            parts = (w[0] + parts[0][1:], *parts[1:])
        else:
            parts = (w,)
        out.extend(p for p in parts if p.lower() in keep)
    return out


def _counterpart(a: str, b: str) -> bool:
    if a.lower() == b.lower():
        return True
    if a[:1].isupper() and b[:1].isupper():
        # Two capitalised words: only an inflection ("Visas" -> "Visa") is the same name.
        return stem(a.lower()) == stem(b.lower()) or _name_inflection(a.lower(), b.lower())
    return _same_stem(a.lower(), b.lower())


def _unmatched(words_: Sequence[str], others: Sequence[str], *, cased: bool = True
               ) -> list[str]:
    """The words of `words_` with no counterpart in `others` (`_counterpart`, or
    `_same_stem` when not `cased`), in order.

    Near linear: a rewritten stretch of thousands of words must not compare every word with
    every word. Two words can only be counterparts when they are equal, share a stem or a
    lemma ("rising"/"risen"), or share the first five letters of their stems, so only those
    candidates are compared.
    """
    same = _counterpart if cased else _same_stem
    exact = {x.lower() for x in others}
    buckets: dict[str, list[str]] = {}
    for x in dict.fromkeys(others):
        sx = stem(x.lower())
        buckets.setdefault(sx, []).append(x)
        buckets.setdefault("\1" + lemma(x.lower()), []).append(x)
        if len(sx) >= 5:
            buckets.setdefault("\0" + sx[:5], []).append(x)
    memo: dict[str, bool] = {}
    out: list[str] = []
    for w in words_:
        hit = memo.get(w)
        if hit is None:
            sw = stem(w.lower())
            candidates = [*buckets.get(sw, ()), *buckets.get("\1" + lemma(w.lower()), ())]
            if len(sw) >= 5:
                candidates += buckets.get("\0" + sw[:5], [])
            hit = memo[w] = w.lower() in exact or any(same(w, x) for x in candidates)
        if not hit:
            out.append(w)
    return out


def _numbers(text: str, ctx: str = "", at: int = -1) -> list[str]:
    """The amounts in `text`, number words as digits ("five" -> "5"), list numbers left out.

    A number that opens a paragraph and is followed by "." or ")" is the list's numbering
    ("2. Lower costs"): renumbering or turning bullets into numbers says nothing new.
    """
    out: list[str] = []
    for m in _NUMBER.finditer(text):
        if at >= 0 and _list_marker(ctx, at + m.start(), at + m.end()):
            continue
        n = m.group(0).lower().replace(",", "")
        n = NUMBER_WORDS.get(n, n)
        out.append("%" if n == "percent" else n)
    return out


def _list_marker(ctx: str, start: int, end: int) -> bool:
    if ctx[start:end] != ctx[start:end].strip() or not ctx[start:end].isdigit():
        return False
    before = ctx[:start].rstrip(" \t")
    return (not before or before.endswith("\n")) and re.match(r"[.)](?:\s|$)", ctx[end:]) is not None


def _sentence_start(text: str, start: int) -> bool:
    # Scanned back in place: slicing text[:start] for every capitalised word of a long
    # stretch would be quadratic.
    i = start
    while i > 0 and text[i - 1] in " \"'(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?:\n"


def _names(text: str, ctx: str) -> set[str]:
    """Capitalised words that are not merely sentence-initial, acronyms, person titles."""
    offset = ctx.find(text) if text else -1
    out: set[str] = set()
    for m in re.finditer(r"[^\W\d_][\w'.-]*", text):
        word = m.group(0).rstrip(".'-")
        low = word.lower()
        if low in TITLES:
            out.add(low)
            continue
        if not word[:1].isupper() or low in FUNCTION_WORDS:
            continue
        acronym = sum(ch.isupper() for ch in word) >= 2
        if acronym or not _sentence_start(ctx if offset >= 0 else text,
                                          (offset if offset >= 0 else 0) + m.start()):
            out.add(low)
    return out


# What an inflection or a demonym adds to a name: "Visas", "America" -> "American".
_NAME_ENDINGS = ("s", "es", "'s", "n", "an", "ns", "ans")


def _name_inflection(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and long_[len(short):] in _NAME_ENDINGS


def _drop_end_mark(text: str, raw: str, ctx: str, at: int) -> str:
    """`text` without an end mark ("END 5:57 P.M. EST") that opens its paragraph."""
    m = re.match(r"\s*([A-Z]+)\b", text)
    if not m or m.group(1) not in END_MARKS or at < 0 or not raw.startswith(text[:m.end()].lstrip()):
        return text
    line_start = ctx.rfind("\n", 0, at) + 1
    if ctx[line_start:at].strip():
        return text
    return text[m.end():]


# compare/diff.py gives this many characters of context on each side of an edit.
_CTX_CHARS = 80


def _whole_paragraph(ctx: str, at: int) -> bool:
    """True when the context holds the edit's whole paragraph (a short line: a heading, a
    title), so that its capitals can be judged; a long paragraph cut off is prose."""
    if at < 0:
        return True
    starts = "\n" in ctx[:at] or at < _CTX_CHARS
    ends = "\n" in ctx[at:] or len(ctx) - at < _CTX_CHARS + 1
    return starts and ends


def _paragraph(ctx: str, at: int) -> str:
    """The paragraph of `ctx` around offset `at` (paragraphs end at a line break)."""
    if at < 0:
        return ctx
    start = ctx.rfind("\n", 0, at) + 1
    end = ctx.find("\n", at)
    return ctx[start:end if end >= 0 else len(ctx)]


def _heading(paragraph: str) -> bool:
    """All capitals or title case: capitals there say nothing about names."""
    ws = [w for w in re.findall(r"[^\W\d_][\w'-]*", paragraph) if w.lower() not in FUNCTION_WORDS]
    if not ws:
        return False
    caps = sum(w[:1].isupper() for w in ws)
    return caps >= 0.8 * len(ws) or paragraph.upper() == paragraph


def _is_name(word: str, ctx: str, at: int, text: str) -> bool:
    """A capitalised word that is not a title, not sentence-initial, not in a heading."""
    if not word[:1].isupper() or word.lower() in TITLES:
        return False
    para = _paragraph(ctx, at) if at >= 0 else text
    if _whole_paragraph(ctx, at) and _heading(para):
        return False
    if word.isupper() and re.search(r"(?:\b[A-Z][A-Z'-]+\W+){2,}" + re.escape(word)
                                    + r"|" + re.escape(word) + r"(?:\W+[A-Z][A-Z'-]+\b){2,}", para):
        # Inside a run of capitals ("DELIVERING FOR AMERICAN WORKERS, FARMERS"): a lead-in
        # set in capitals, not an acronym.
        return False
    offset = text.find(word)
    if at >= 0 and offset >= 0:
        return not _sentence_start(ctx, at + offset)
    return not _sentence_start(text, max(offset, 0))


def _inside_name(ctx: str, at: int, length: int) -> bool:
    """True when ctx[at:at+length] sits between two capitalised words of a sentence
    ("Treaty of the Non-Proliferation"): a preposition that is part of a name."""
    if at < 0 or not ctx or not re.fullmatch(r"[\w\s'-]*", ctx[at:at + length]):
        return False
    para = _paragraph(ctx, at)
    if _heading(para):
        return False
    before = re.findall(r"[^\W\d_][\w'-]*", ctx[:at])
    # The name goes on in the same line, with nothing but words and spaces between.
    rest = re.match(r"[\w\s'-]*", ctx[at + length:].split("\n", 1)[0])
    after = [w for w in re.findall(r"[^\W\d_][\w'-]*", rest.group(0) if rest else "")
             if w.lower() not in FUNCTION_WORDS]
    if not before or not after:
        return False
    prev = before[-1]
    line_start = ctx.rfind("\n", 0, at) + 1
    prev_at = ctx.rfind(prev, 0, at)
    return (prev[:1].isupper() and prev.lower() not in FUNCTION_WORDS and after[0][:1].isupper()
            and prev_at >= line_start and not _sentence_start(ctx, prev_at))


def _modal_changes(old: str, new: str) -> list[Reason]:
    """Modal verbs added, removed or swapped while the action itself stays.

    "we will support" -> "we support" is substantive; "can be found here." dropped as a
    whole is not a modal change but a rewording: its verb went with it.
    """
    ow, nw = words(old), words(new)
    om = [w for w in ow if w in MODALS]
    nm = [w for w in nw if w in MODALS]
    if Counter(om) == Counter(nm):
        return []
    if om and nm:
        # "will" -> "may" weakens a commitment: say so, the reader may not weigh modals.
        was, now = max(MODAL_STRENGTH[w] for w in om), max(MODAL_STRENGTH[w] for w in nm)
        how = " (weaker)" if now < was else " (stronger)" if now > was else ""
        # Only the modals that differ, each once: "will -> may", not "will, will -> will, may".
        gone, came = Counter(om) - Counter(nm), Counter(nm) - Counter(om)
        return [_fact(K.MODAL, list(gone), list(came), how if gone and came else "")]
    others = {"be", "been", "have", "not"} | MODALS
    oc = [w for w in ow if w not in FUNCTION_WORDS and w not in others]
    nc = [w for w in nw if w not in FUNCTION_WORDS and w not in others]
    # The verb (and anything else) that went with the modal must still be there.
    kept = not _unmatched(oc, nc, cased=False) and not _unmatched(nc, oc, cased=False)
    if not kept:
        return []
    return [_fact(K.MODAL, om, nm)]


def _link_text_for_url(url: str, text: str) -> bool:
    """True when `text` reads as the link text of `url` ("COVID-19 Traveler Information")."""
    url_words = {w.lower() for w in re.findall(r"[A-Za-z]+", url)}
    url_nums = set(re.findall(r"\d+", url))
    content = [w for w in content_words(text) if w not in TITLES]
    if any(n not in url_nums for n in re.findall(r"\d+", text)):
        return False
    return any(w in url_words or any(u.startswith(w[:5]) for u in url_words if len(w) >= 5)
               for w in content)


# -- the rules -------------------------------------------------------------------------------
#
# Each rule is a small function registered with `@rule(name, detects)`: it looks at one edit
# (and at what the rules before it found) and returns its findings. `classify` runs them in
# registration order; the edit's significance is the most serious finding. Every rule's
# docstring carries an example that tests/test_significance_rules.py runs.


@dataclass(frozen=True)
class Finding:
    """One reason an edit matters, and how much."""

    level: Significance
    reason: Reason


@dataclass(frozen=True)
class Edit:
    """One change as the rules see it: raw texts, their contexts, and derived views."""

    op: ChangeOp  # not a move: compare/diff.py pairs moves after classifying
    old: str
    new: str
    old_ctx: str = ""
    new_ctx: str = ""
    # Where `old`/`new` start in their contexts (-1: unknown, found by search).
    old_at: int = -1
    new_at: int = -1

    @cached_property
    def o_at(self) -> int:
        """Offset of `old` in `old_ctx` (-1 when it is not there)."""
        return self.old_at if self.old_at >= 0 else (self.old_ctx.find(self.old) if self.old else -1)

    @cached_property
    def n_at(self) -> int:
        return self.new_at if self.new_at >= 0 else (self.new_ctx.find(self.new) if self.new else -1)

    @cached_property
    def links(self) -> tuple[list[Finding], str, str]:
        """Findings about links, and the texts with links out (or standing for their text)."""
        return _judge_links(self.old, self.new)

    @cached_property
    def old_t(self) -> str:
        """The old text without URLs (the digits and words inside a URL are not claims)
        and without a transcript's end mark."""
        return _drop_end_mark(self.links[1], self.old, self.old_ctx, self.o_at)

    @cached_property
    def new_t(self) -> str:
        return _drop_end_mark(self.links[2], self.new, self.new_ctx, self.n_at)

    @cached_property
    def ow(self) -> list[str]:
        """Lower-case words of the old text, contractions expanded."""
        return words(self.old_t)

    @cached_property
    def nw(self) -> list[str]:
        return words(self.new_t)

    @cached_property
    def spelled(self) -> list[tuple[str, str]]:
        """(UK, US) word pairs that explain part of the edit as a spelling variant."""
        removed = Counter(self.ow) - Counter(self.nw)
        added = Counter(self.nw) - Counter(self.ow)
        # spelling_variant(a, b) for every pair, in linear time: a rewrite can pair hundreds.
        by_us: dict[str, list[str]] = {}
        for b in added:
            by_us.setdefault(us_spelling(b), []).append(b)
        return [(a, b) for a in removed for b in by_us.get(us_spelling(a), ()) if a != b]

    @cached_property
    def repeated(self) -> frozenset[str]:
        """Words a deletion removes that the sentence still says ("Regeneron's therapy
        ... from Regeneron" -> without "from Regeneron"): an exact repetition dropped."""
        # A phrase (not a lone word: "veterans' benefits claims" -> "veterans' claims" is a
        # content word removed) of a few words.
        if self.op != "delete" or self.o_at < 0 or not 2 <= len(self.ow) <= 4:
            return frozenset()
        ctx = self.old_ctx
        start = max(ctx.rfind(". ", 0, self.o_at), ctx.rfind("\n", 0, self.o_at)) + 1
        ends = [i for i in (ctx.find(". ", self.o_at + len(self.old)),
                            ctx.find("\n", self.o_at + len(self.old))) if i >= 0]
        before = re.findall(r"[^\W\d_][\w'-]*", ctx[start:self.o_at])
        after = re.match(r"\s*([^\W\d_][\w'-]*)", ctx[self.o_at + len(self.old):])
        if (after and after.group(1)[:1].isupper()) or (before and before[-1][:1].isupper()):
            return frozenset()  # next to a capitalised word: part of a name ("Republic of")
        rest = words(ctx[start:self.o_at] + " " + ctx[self.o_at + len(self.old):min(ends, default=len(ctx))])
        rest_lemmas = {lemma(stem_free) for w in rest for stem_free in (w.removesuffix("'s"),)}
        gone = {w for w in self.ow if w not in FUNCTION_WORDS}
        if gone and all(lemma(w) in rest_lemmas for w in gone):
            return frozenset(gone)
        return frozenset()

    @cached_property
    def typos(self) -> list[tuple[str, str]]:
        """(misspelt, corrected) word pairs: a rare word replaced by a close common one.

        Only where the corrected word is not a name: written in lower case, a person's
        title, or in a heading (all capitals or title case), where capitals mark no name.
        A name's spelling fixed ("Dali" -> "Dalai", "UNCHR" -> "UNHCR") stays a name change.
        """
        if self.op != "replace":
            return []
        old_s = [w for w in surface_words(self.old_t) if w.lower() not in self.nw]
        new_s = [w for w in surface_words(self.new_t) if w.lower() not in self.ow]
        out: list[tuple[str, str]] = []
        for a in old_s:
            for b in new_s:
                la, lb = a.lower(), b.lower()
                if (la[:1] == lb[:1] and zipf(la) < TYPO_RARE_ZIPF and zipf(lb) >= COMMON_ZIPF
                        and zipf(lb) - zipf(la) >= 1.0
                        and SequenceMatcher(None, la, lb, autojunk=False).ratio() >= 0.7
                        and not _is_name(b, self.new_ctx, self.n_at, self.new)):
                    out.append((la, lb))
                    break
        return out


RuleFn = Callable[[Edit, Sequence[Finding]], "Sequence[Finding] | None"]


@dataclass(frozen=True)
class Rule:
    """A registered rule: `fn(edit, found_so_far)` returns findings, or None when it does
    not apply. A `final` rule that applies ends the classification (nothing else to judge)."""

    name: str
    detects: str
    fn: RuleFn
    final: bool = False

    @property
    def example(self) -> str:
        """The rule's docstring: its worked example."""
        return self.fn.__doc__ or ""


RULES: list[Rule] = []


def rule(name: str, detects: str, *, final: bool = False) -> Callable[[RuleFn], RuleFn]:
    """Register a significance rule (run in the order registered)."""
    def register(fn: RuleFn) -> RuleFn:
        if any(r.name == name for r in RULES):
            raise ValueError(f"significance rule {name!r} registered twice")
        RULES.append(Rule(name, detects, fn, final))
        return fn
    return register


def _judge_links(old: str, new: str) -> tuple[list[Finding], str, str]:
    old_urls, new_urls = _URL.findall(old), _URL.findall(new)
    old_t, new_t = _URL.sub(" ", old), _URL.sub(" ", new)
    if old_urls == new_urls:
        return [], old_t, new_t
    gone = [u for u in old_urls if u not in new_urls]
    came = [u for u in new_urls if u not in old_urls]
    if [u.lower() for u in gone] == [u.lower() for u in came]:
        return [Finding(COSMETIC, Reason(K.STYLE, f"link capitalisation: {gone[0]!r} -> {came[0]!r}"))], old_t, new_t
    if gone and not came and _link_text_for_url(" ".join(gone), new_t):
        # The link text stands for the URL, judged as such.
        return ([Finding(COSMETIC, Reason(
            K.STYLE, f"link text replaces the URL: {clip(new_t.strip())!r}"))],
                old_t, old_t)
    if came and not gone and _link_text_for_url(" ".join(came), old_t):
        return ([Finding(COSMETIC, Reason(
            K.STYLE, f"URL replaces the link text: {clip(old_t.strip())!r}"))],
                new_t, new_t)
    # A link's target is where readers are sent (a form, a contact address): another
    # target, or one added or taken away, is worth an alert (issue 12's analyst).
    if gone and came:
        return [Finding(SUBSTANTIVE, Reason(K.LINK, f"link changed: {clip(gone[0])} -> {clip(came[0])}"))], old_t, new_t
    if gone:
        return [Finding(SUBSTANTIVE, Reason(K.LINK, f"link removed: {clip(gone[0])}"))], old_t, new_t
    return [Finding(SUBSTANTIVE, Reason(K.LINK, f"link added: {clip(came[0])}"))], old_t, new_t


def _respaced(e: Edit) -> bool:
    """Same letters and digits, the digits in the same runs: a space restored
    ("trillionin" -> "trillion in") makes no new number or date appear."""
    return (_alnum(e.old_t) == _alnum(e.new_t)
            and re.findall(r"\d+", e.old_t) == re.findall(r"\d+", e.new_t))


def _substantive(found: Sequence[Finding]) -> list[str]:
    return [f.reason.text for f in found if f.level is SUBSTANTIVE]


@rule("links", "a URL added, removed or changed; link text standing in for a bare URL")
def _links_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """Links first: the digits and words inside a URL are not amounts or names.

    >>> classify("replace", "https://example.gov/a.html", "https://example.gov/b.html")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['link changed: https://example.gov/a.html -> https://example.gov/b.html'])
    """
    return e.links[0]


@rule("numbers", "a number, amount or percentage added, removed or changed")
def _numbers_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """Amounts are what readers act on: said with their currency, scale and noun.

    >>> classify("replace", "$80 million", "$58 million")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['number changed: $80 million -> $58 million'])
    """
    old_n = _numbers(e.old_t, e.old_ctx, e.o_at if e.old_t == e.old else -1)
    new_n = _numbers(e.new_t, e.new_ctx, e.n_at if e.new_t == e.new else -1)
    if Counter(old_n) == Counter(new_n) or _respaced(e):
        return []
    old_a = _amounts(e.old_t, e.old_ctx, e.o_at if e.old_t == e.old else -1)
    new_a = _amounts(e.new_t, e.new_ctx, e.n_at if e.new_t == e.new else -1)
    return [Finding(SUBSTANTIVE, r) for r in _amount_reasons(old_a, new_a)]


@dataclass(frozen=True)
class Amount:
    """One amount as a reader says it: "$80 million" (`figure`), "federal staff" (`noun`);
    `key` is what is compared ("80 million": number words as digits, no commas)."""

    key: str
    figure: str
    noun: str = ""

    def said(self, noun: bool = True) -> str:
        return f"{self.figure} {self.noun}" if noun and self.noun else self.figure


_CURRENCY = re.compile(r"(?:US\$|A\$|C\$|\$|€|£|¥|₩|USD ?|EUR ?|GBP ?)$")
_JOINER = re.compile(r"[ -]?")
_NOUN = re.compile(r"[ ]+(?!\d)([^\W\d_][\w'’-]*)")


def _amounts(text: str, ctx: str = "", at: int = -1) -> list[Amount]:
    """The amounts in `text` with their currency, scale ("million") and the noun after
    them ("12,300 federal staff"), read from the context when the edit is only the digits.

    A number run ("80 million", "twenty-five") is one amount; list numbers are left out.
    """
    where, base = (ctx, at) if at >= 0 and ctx[at:at + len(text)] == text else (text, 0)
    groups: list[list[re.Match[str]]] = []
    for m in _NUMBER.finditer(where):
        if groups and where[groups[-1][-1].end():m.start()] in (" ", "-", ""):
            groups[-1].append(m)
        else:
            groups.append([m])
    out: list[Amount] = []
    end_of_text = base + len(text)
    for g in groups:
        start, end = g[0].start(), g[-1].end()
        if end <= base or start >= end_of_text:
            continue  # only context: not part of this edit
        if len(g) == 1 and at >= 0 and _list_marker(ctx, start, end):
            continue
        key = " ".join(NUMBER_WORDS.get(n, n) for n in
                       (m.group(0).lower().replace(",", "") for m in g))
        currency = _CURRENCY.search(where[max(0, start - 4):start])
        figure = (currency.group(0) if currency else "") + where[start:end]
        # Context is cut after _CTX_CHARS: a word touching its end may be cut too.
        cut = where is ctx and len(ctx) - end_of_text >= _CTX_CHARS
        out.append(Amount(key, figure, _noun_after(where, end, cut)))
    return out


def _noun_after(text: str, end: int, cut: bool = False) -> str:
    """The noun an amount counts: up to two words after it, stopping at a function word,
    a number or a plural ("18 states", "12,300 federal staff", "240 patients")."""
    nouns: list[str] = []
    pos = end
    while len(nouns) < 2:
        m = _NOUN.match(text, pos)
        if not m or (cut and m.end() >= len(text)):
            break
        word = m.group(1).rstrip("'’-")
        low = word.lower()
        # Lower case only: a capitalised word after a number starts a name ("11 Disaster
        # Medical Assistance Teams"), told by the names rule.
        if (not word.islower() or low in FUNCTION_WORDS or low in NUMBER_WORDS or _NUMBER.fullmatch(word)
                or _DATE_WORD.fullmatch(word) or low in MODALS):
            break
        nouns.append(word)
        pos = m.end()
        if low.endswith("s") or not text[pos:pos + 1].startswith(" "):
            break
    return " ".join(nouns)


# Longer lists are cut to their first items and a count: a reason is read at a glance.
LIST_ITEMS = 3


def listed(items: Sequence[str], limit: int = LIST_ITEMS) -> str:
    """`items` joined with commas, the first `limit` of them and a count of the rest.

    >>> listed(["a", "b", "c", "d", "e"])
    'a, b, c and 2 more'
    """
    items = list(dict.fromkeys(items))
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _amount_reasons(old: Sequence[Amount], new: Sequence[Amount]) -> list[Reason]:
    """"number changed: $80 million -> $58 million", "numbers removed: ...": the amounts
    that differ, an old one paired with a new one that counts the same noun (or, when as
    many came as went, in order)."""
    gone_keys = Counter(a.key for a in old) - Counter(a.key for a in new)
    came_keys = Counter(a.key for a in new) - Counter(a.key for a in old)
    gone = _take(old, gone_keys)
    came = _take(new, came_keys)
    pairs: list[tuple[Amount, Amount]] = []
    for a in list(gone):
        b = next((b for b in came if a.noun and _head(b.noun) == _head(a.noun)), None)
        if b is not None:
            pairs.append((a, b))
            gone.remove(a)
            came.remove(b)
    if len(gone) == len(came):
        pairs += list(zip(gone, came, strict=True))
        gone, came = [], []
    pairs.sort(key=lambda p: old.index(p[0]))
    out: list[Reason] = []
    if pairs:
        # One noun for both when they count the same thing ("94 -> 93 other countries").
        said = [f"{a.figure} -> {b.said()}" if _head(a.noun) == _head(b.noun)
                else f"{a.said()} -> {b.said()}" for a, b in pairs]
        out.append(Reason(K.NUMBER, f"{_plural('number', len(said))} changed: {listed(said)}"))
    if gone:
        out.append(_fact(K.NUMBER, [a.said() for a in gone], [], plural=True))
    if came:
        out.append(_fact(K.NUMBER, [], [a.said() for a in came], plural=True))
    return out


def _head(noun: str) -> str:
    """The word a noun phrase counts ("other countries" -> "countries")."""
    return noun.rsplit(" ", 1)[-1].lower()


def _take(amounts: Sequence[Amount], keys: Counter[str]) -> list[Amount]:
    left = Counter(keys)
    out = []
    for a in amounts:
        if left[a.key] > 0:
            left[a.key] -= 1
            out.append(a)
    return out


def _plural(what: str, n: int) -> str:
    return what + ("s" if n > 1 else "")


def _delta(what: str, old: Sequence[str], new: Sequence[str], *, plural: bool = False) -> str:
    """The reason for `what` changed, added or removed, old items before new, each side
    listed short (`listed`: at most LIST_ITEMS and a count). With `plural`, "names" when
    more than one.

    >>> _delta("number", ["80"], ["58"]), _delta("word", [], ["not"]), _delta("name", "ABCD", [], plural=True)
    ('number changed: 80 -> 58', 'word added: not', 'names removed: A, B, C and 1 more')
    """
    if plural:
        what = _plural(what, max(len(set(old)), len(set(new))))
    if old and new:
        return f"{what} changed: {listed(old)} -> {listed(new)}"
    if new:
        return f"{what} added: {listed(new)}"
    return f"{what} removed: {listed(old)}"


def _fact(kind: ReasonKind, old: Sequence[str], new: Sequence[str], suffix: str = "", *,
          plural: bool = False) -> Reason:
    """A fact's reason, worded by `_delta` with the kind's name ("modal verb changed: will
    -> may" and `suffix` " (weaker)")."""
    return Reason(kind, _delta(kind.value, old, new, plural=plural) + suffix)


@rule("dates", "a month, weekday or relative day (today, tomorrow) changed")
def _dates_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """A date moves a commitment; lower-case "may" is the modal, not the month.

    >>> classify("replace", "on Monday", "on Tuesday")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['date changed: Monday -> Tuesday'])
    """
    old_dates, new_dates = _DATE_WORD.findall(e.old_t), _DATE_WORD.findall(e.new_t)
    if Counter(d.lower() for d in old_dates) == Counter(d.lower() for d in new_dates) or _respaced(e):
        return []
    # The dates that differ, each said once ("date added: January" for a list of orders
    # dated in January, not the month twenty times).
    gone = Counter(d.lower() for d in old_dates) - Counter(d.lower() for d in new_dates)
    came = Counter(d.lower() for d in new_dates) - Counter(d.lower() for d in old_dates)
    was = [d for d in dict.fromkeys(old_dates) if d.lower() in gone]
    now = [d for d in dict.fromkeys(new_dates) if d.lower() in came]
    return [Finding(SUBSTANTIVE, _fact(K.DATE, was, now))]


@rule("style", "the same letters and digits: case, punctuation, spacing, quotation marks",
      final=True)
def _style_rule(e: Edit, found: Sequence[Finding]) -> list[Finding] | None:
    """Same letters and digits: style only, unless a quotation mark or a question mark came
    or went, which changes who is speaking or what is asserted.

    >>> classify("replace", "Washington, D.C. today", "Washington, DC today")
    (<Significance.COSMETIC: 'cosmetic'>, ["punctuation or spacing: 'Washington, D.C. today' -> 'Washington, DC today'"])
    >>> classify("replace", 'a "ceasefire" today', "a ceasefire today")
    (<Significance.MINOR: 'minor'>, ['quotation mark removed'])
    """
    old_t, new_t = e.old_t, e.new_t
    if _substantive(found) or _alnum(old_t) != _alnum(new_t):
        return None
    out: list[Finding] = []
    for mark, label in (('"', "quotation mark"), ("?", "question mark")):
        if old_t.count(mark) != new_t.count(mark):
            verb = "added" if new_t.count(mark) > old_t.count(mark) else "removed"
            out.append(Finding(MINOR, Reason(K.WORDING, f"{label} {verb}")))
    if out or any(f.level is MINOR for f in found) or old_t.strip() == new_t.strip():
        return out
    was, now = clip(old_t.strip()), clip(new_t.strip())
    if old_t.lower() == new_t.lower():
        return [Finding(COSMETIC, Reason(K.STYLE, f"capitalisation: {was!r} -> {now!r}"))]
    if (_alnum(old_t) and old_t.split() != new_t.split()
            and "".join(old_t.split()) == "".join(new_t.split())):
        return [Finding(COSMETIC, Reason(K.STYLE, f"missing space: {was!r} -> {now!r}"))]
    return [Finding(COSMETIC, Reason(K.STYLE, f"punctuation or spacing: {was!r} -> {now!r}"))]


def _vocab_rule(kind: ReasonKind, vocab: frozenset[str], e: Edit) -> list[Finding]:
    removed = [w for w in e.ow if w in vocab and w not in e.nw]
    added = [w for w in e.nw if w in vocab and w not in e.ow]
    out = []
    if removed:
        out.append(Finding(SUBSTANTIVE, _fact(kind, removed, [])))
    if added:
        out.append(Finding(SUBSTANTIVE, _fact(kind, [], added)))
    return out


@rule("negation", "a negation (not, no, never, without ...) added or removed")
def _negation_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """A dropped "not" reverses the statement.

    >>> classify("replace", "will not provide", "will provide")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['negation removed: not'])
    """
    return _vocab_rule(K.NEGATION, NEGATIONS, e)


@rule("qualifier", "a qualifier, hedge or condition (only, all, immediate, about, if ...) "
                   "added or removed")
def _qualifier_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """Scope, approximation and conditions bound what is promised.

    >>> classify("delete", "immediate", "", "in immediate assistance", "in assistance")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['qualifier removed: immediate'])
    """
    return _vocab_rule(K.QUALIFIER, QUALIFYING, e)


@rule("modal", "a modal verb (will, may, must ...) added, removed or swapped, the verb kept")
def _modal_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """A commitment made weaker or stronger.

    >>> classify("replace", "will provide", "may provide")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['modal verb changed: will -> may (weaker)'])
    """
    return [Finding(SUBSTANTIVE, r) for r in _modal_changes(e.old_t, e.new_t)]


@rule("typo", "a misspelt word corrected to a close, common word (not a name)")
def _typo_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """A rare string replaced by a common word that reads almost the same is a typo fix;
    how common a word is comes from wordfreq (see `zipf`).

    >>> classify("replace", "the beseeched civilians", "the besieged civilians")
    (<Significance.COSMETIC: 'cosmetic'>, ["typo fixed: 'beseeched' -> 'besieged'"])
    """
    return [Finding(COSMETIC, Reason(K.STYLE, f"typo fixed: {a!r} -> {b!r}")) for a, b in e.typos]


@rule("name", "a name, place, acronym or person's title changed")
def _name_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """Capitalised words that are not merely sentence-initial, and titles.

    >>> classify("replace", "Foreign Minister", "Prime Minister", "the Foreign Minister said", "the Prime Minister said")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['name or title changed: Foreign Minister -> Prime Minister'])
    """
    old_names, new_names = _names(e.old_t, e.old_ctx), _names(e.new_t, e.new_ctx)
    fixed_old, fixed_new = {a for a, _ in e.typos}, {b for _, b in e.typos}
    # A word that only changed case ("government" -> "Government") is not a new name.
    gone = sorted(n for n in old_names - new_names if n not in e.nw and n not in fixed_old
                  and n not in e.repeated)
    came = sorted(n for n in new_names - old_names if n not in e.ow and n not in fixed_new)
    # "American agenda" -> "America agenda": one name, inflected.
    pairs = [(a, b) for a in gone for b in came if _name_inflection(a, b)]
    gone = [a for a in gone if all(a != x for x, _ in pairs)]
    came = [b for b in came if all(b != y for _, y in pairs)]
    # A weekday or a month is the dates rule's to report.
    gone = [n for n in gone if not _date_word(n)]
    came = [n for n in came if not _date_word(n)]
    if not gone and not came:
        order_old = [w.lower() for w in surface_words(e.old_t) if w.lower() in old_names]
        order_new = [w.lower() for w in surface_words(e.new_t) if w.lower() in new_names]
        if (e.op == "replace" and len(order_old) > 1 and order_old != order_new
                and Counter(order_old) == Counter(order_new)):
            # "Fumio Kishida" -> "Kishida Fumio": the same words, another name order.
            return [Finding(SUBSTANTIVE, Reason(K.NAME, f"name order changed: {' '.join(order_old)}"
                                                        f" -> {' '.join(order_new)}"))]
        return []
    return [Finding(SUBSTANTIVE, _name_reason(_name_phrases(e.old_t, gone),
                                              _name_phrases(e.new_t, came),
                                              all(n in TITLES for n in [*gone, *came])))]


# A run of more capitalised words than this is not one name ("Puerto Rico Aqueduct and
# Sewer Authority" is five).
NAME_WORDS = 5


def _name_phrases(text: str, names: Sequence[str]) -> list[str]:
    """The names as written in `text`, whole: each run of capitalised words (with the small
    words that join them) holding one of `names` ("Disaster Medical Assistance Teams")."""
    wanted = set(names)
    runs: list[list[str]] = []
    prev_end = -1
    for m in re.finditer(r"[^\W\d_](?:[\w'’.]|-(?=\w))*", text):
        word = m.group(0).rstrip("'’")
        # "U.S." keeps its dots; a sentence's full stop goes.
        word = word if word.count(".") > 1 else word.rstrip(".")
        joined = prev_end >= 0 and text[prev_end:m.start()].strip(" -") == ""
        capital = ((word[:1].isupper() or word.lower() in TITLES)
                   and not _date_word(word))
        if capital and joined and runs:
            runs[-1].append(word)
        elif capital:
            runs.append([word])
        elif word in NAME_JOINERS and joined and runs:
            runs[-1].append(word)
        else:
            prev_end = -1
            continue
        prev_end = m.end()
    out: list[str] = []
    for run in runs:
        while run and run[-1] in NAME_JOINERS:
            run.pop()
        while run and run[0].lower() in FUNCTION_WORDS:
            run.pop(0)  # "Our Joint Field Office": a sentence's first word
        size = sum(w not in NAME_JOINERS for w in run)
        if size <= NAME_WORDS and any(w.lower() in wanted for w in run):
            out.append(" ".join(run))
        elif size > NAME_WORDS:
            # A longer run is a heading in title case or a list of places: its names one
            # by one, as written (those a whole name already said are not repeated).
            said = {w.lower() for phrase in out for w in phrase.split()}
            out += [w for w in run if w.lower() in wanted and w.lower() not in said]
    seen = {w.lower() for phrase in out for w in phrase.split()}
    # A name this text does not show as written (a title in a heading) keeps its lower case.
    out += [n for n in names if n not in seen]
    return list(dict.fromkeys(out))


def _name_reason(gone: Sequence[str], came: Sequence[str], titles: bool) -> Reason:
    """"name changed: Blinken -> Rubio", "names removed: ...", "name or title changed: Ms ->
    Mr" (not "title changed": that is the document's title, compare/diff.py)."""
    return _fact(K.NAME_OR_TITLE if titles else K.NAME, gone, came, plural=True)


@rule("spelling", "a British/American spelling variant (travelling -> traveling)")
def _spelling_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """Same word, other side of the Atlantic.

    >>> classify("replace", "organise", "organize")
    (<Significance.COSMETIC: 'cosmetic'>, ["spelling variant: 'organise' -> 'organize'"])
    """
    return [Finding(COSMETIC, Reason(K.STYLE, f"spelling variant: {a!r} -> {b!r}"))
            for a, b in e.spelled]


@rule("content", "a content word replaced by one of another stem; a sentence added or removed")
def _content_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """Content words that have no counterpart of the same stem on the other side.

    A capitalised word must match exactly unless its counterpart is a common (lower-case)
    word: "Natalie" -> "Natalia" is a new name, "Imposition" -> "impose" is not.

    >>> classify("replace", "defending", "defunding")
    (<Significance.SUBSTANTIVE: 'substantive'>, ['word changed: defending -> defunding'])
    >>> classify("delete", "We will also fund new schools.", "")
    (<Significance.SUBSTANTIVE: 'substantive'>, ["sentence removed: 'We will also fund new schools.'"])
    """
    oc = [w for w in _cased_content(e.old_t) if w.lower() not in MODALS]
    nc = [w for w in _cased_content(e.new_t) if w.lower() not in MODALS]
    spelled_old, spelled_new = {a for a, _ in e.spelled}, {b for _, b in e.spelled}
    lost = [w.lower() for w in _unmatched(oc, nc)]
    got = [w.lower() for w in _unmatched(nc, oc)]
    fixed_old, fixed_new = {a for a, _ in e.typos}, {b for _, b in e.typos}
    # Number words are amounts, judged by the numbers rule ("5" -> "five" is one number).
    lost = [w for w in lost if w not in spelled_old and w not in fixed_old and w not in NUMBER_WORDS
            and w not in e.repeated]
    got = [w for w in got if w not in spelled_new and w not in fixed_new and w not in NUMBER_WORDS]
    already = " ".join(_substantive(found)).lower()
    if not [w for w in lost if w not in already] and not [w for w in got if w not in already]:
        return []
    if e.op in ("insert", "delete") and _SENTENCE.search(e.old_t if e.op == "delete" else e.new_t):
        verb = "added" if e.op == "insert" else "removed"
        reason = Reason(K.WORDS, f"sentence {verb}: "
                                 f"{clip(e.new_t if e.op == 'insert' else e.old_t)!r}")
    else:
        reason = _reworded(e, list(dict.fromkeys(lost)), list(dict.fromkeys(got)))
    return [Finding(SUBSTANTIVE, reason)]


# Up to this many words changed on a side, the words themselves are the reason; beyond
# it a list of words reads as a bag, and what happened to the text is said instead.
WORDS_LISTED = 3
# A stretch of up to this many words is quoted whole ("reworded: 'a' -> 'b'").
WORDS_QUOTED = 12


def _reworded(e: Edit, lost: Sequence[str], got: Sequence[str]) -> Reason:
    """What happened to a stretch whose content words changed: the words when few
    ("word changed: defending -> defunding"), the stretch quoted when short, else what it
    is and how long ("passage rewritten: 38 words -> 7"), never a bag of words."""
    if len(lost) <= WORDS_LISTED and len(got) <= WORDS_LISTED and len(lost) + len(got) <= 5:
        return Reason(K.WORDS, _delta("word", lost, got))
    old_n, new_n = len(e.ow), len(e.nw)
    unit = ("passage" if "\n" in e.old_t.strip() + e.new_t.strip() or max(old_n, new_n) > 40
            else "sentence" if _SENTENCE.search(e.old_t) or _SENTENCE.search(e.new_t)
            else "phrase")
    if e.op != "replace" or not old_n or not new_n:
        verb, text, n = (("added", e.new_t, new_n) if e.op == "insert" or not old_n
                         else ("removed", e.old_t, old_n))
        if n <= WORDS_QUOTED:
            return Reason(K.WORDS, f"words {verb}: {clip(text.strip(), 50)!r}")
        return Reason(K.WORDS, f"{unit} {verb} ({n} words): {clip(text.strip(), 50)!r}")
    if max(old_n, new_n) <= WORDS_QUOTED:
        return Reason(K.WORDS, f"reworded: {clip(e.old_t.strip(), 50)!r} -> "
                               f"{clip(e.new_t.strip(), 50)!r}")
    # compare/diff.py says "paragraph" instead of the unit when it sees a whole paragraph.
    return Reason(K.REWRITTEN, f"{unit} rewritten: {old_n} words -> {new_n}")


@rule("wording", "anything else: function words, intensifiers, inflections (minor)")
def _wording_rule(e: Edit, found: Sequence[Finding]) -> list[Finding]:
    """What no rule above explains is a minor rewording.

    >>> classify("insert", "", "strongly", "We are defending", "We are strongly defending")
    (<Significance.MINOR: 'minor'>, ["words added: 'strongly'"])
    """
    cosmetic = any(f.level is COSMETIC for f in found)
    fix = [*e.spelled, *e.typos]
    # Words left over beside a cosmetic finding are a rewording too, whatever else was found.
    if cosmetic:
        if not _has_other_words(e.ow, e.nw, fix):
            return []
    elif _substantive(found):
        return []
    fixed = dict(fix)
    # Compared as dictionary forms: an inflection alone ("rising" -> "risen") reads the
    # same; number words are amounts, already judged by the numbers rule.
    # The opening words of a paragraph or heading say what it is about: "Visas Restrictions"
    # -> "Visa Restrictions", "On the Budget" -> "The Budget" stay a rewording there.
    opening = e.o_at >= 0 and _paragraph(e.old_ctx, e.o_at).lstrip().startswith(e.old.strip() or "\0")
    lower = {w for w in surface_words(e.old_t) + surface_words(e.new_t)
             if w.islower() or not opening}
    ol = Counter(lemma(w) if w in lower else w for w in (fixed.get(x, x) for x in e.ow)
                 if w not in NUMBER_WORDS and w not in e.repeated)
    nl = Counter(lemma(w) if w in lower else w for w in e.nw if w not in NUMBER_WORDS)
    removed, added = ol - nl, nl - ol
    if not opening:
        # "American agenda" -> "America agenda": the same name, inflected.
        for a in list(removed):
            b = next((b for b in added if _name_inflection(a, b)), None)
            if b is not None:
                del removed[a]
                del added[b]
    small = set(removed) | set(added)

    def letters(text: str) -> list[str]:
        return [w.lower() for w in surface_words(text) if w.lower() not in NUMBER_WORDS]

    lo, ln = letters(e.old_t), letters(e.new_t)
    # Word by word, in the same order: another order can change what goes with what.
    inflected = len(lo) == len(ln) and all(
        lemma(a) == lemma(b) or _name_inflection(a, b) for a, b in zip(lo, ln, strict=True))
    if not e.links[0] and (lo == ln or (not small and not opening and inflected)):
        # Only digits or number words differ, and the numbers rule found the same amounts:
        # list numbering ("1." -> "2.") or a number's style ("5" -> "five"); or only the
        # inflection of words ("rising" -> "risen"). A contraction ("do not" -> "don't")
        # has other words and stays a rewording.
        return [Finding(COSMETIC, Reason(K.STYLE, f"same words: {clip(e.old_t.strip())!r} -> "
                                                  f"{clip(e.new_t.strip())!r}"))]
    if small and small <= FUNCTION_WORDS and sum(removed.values()) + sum(added.values()) <= 2:
        # A preposition (not an article or a conjunction) between two capitalised words.
        if small & PREPOSITIONS and (_inside_name(e.old_ctx, e.o_at, len(e.old))
                                     or _inside_name(e.new_ctx, e.n_at, len(e.new))):
            return [Finding(SUBSTANTIVE, Reason(K.NAME, f"name changed: {clip(e.old_t.strip())!r}"
                                                        f" -> {clip(e.new_t.strip())!r}"))]
        if (not removed or not added) and not opening:
            # Not the first word of a heading ("On the Budget" -> "The Budget" changes what
            # it announces): "commitment the mission" -> "commitment to the mission": a function word
            # restored or dropped reads the same.
            verb = "added" if added else "removed"
            # In the order of the text (`small` is a set: its order changed from run to run).
            listed_ = ", ".join(added or removed)
            return [Finding(COSMETIC, Reason(K.STYLE, f"function word {verb}: {listed_}"))]
        a, b = next(iter(removed), ""), next(iter(added), "")
        if len(removed) == len(added) == 1 and len(b) == len(a) + 1 and b.startswith(a):
            # "the do" -> "they do": a letter restored, the original read as nonsense.
            return [Finding(COSMETIC, Reason(K.STYLE, f"typo fixed: {a!r} -> {b!r}"))]
    if e.op == "replace":
        return [Finding(MINOR, Reason(K.WORDING, f"wording changed: {clip(e.old_t.strip())!r} -> "
                                                 f"{clip(e.new_t.strip())!r}"))]
    verb = "added" if e.op == "insert" else "removed"
    return [Finding(MINOR, Reason(K.WORDS, f"words {verb}: {clip((e.old_t or e.new_t).strip())!r}"))]


def classify(op: str, old: str, new: str, old_ctx: str = "", new_ctx: str = "",
             old_at: int = -1, new_at: int = -1) -> tuple[Significance, list[str]]:
    """Significance and reasons (as said) for one change (old -> new): `judge`'s, in words."""
    level, reasons = judge(op, old, new, old_ctx, new_ctx, old_at, new_at)
    return level, [r.text for r in reasons]


def judge(op: str, old: str, new: str, old_ctx: str = "", new_ctx: str = "",
          old_at: int = -1, new_at: int = -1) -> tuple[Significance, list[Reason]]:
    """Significance and reasons for one change (old -> new): every rule of RULES in turn.

    `old_ctx`/`new_ctx` are the surrounding texts (containing `old`/`new`), used to tell a
    sentence-initial capital from a name and to see whether a modal's verb survived;
    `old_at`/`new_at` say where `old`/`new` start in them (searched for when not given).
    Reasons come most serious first.
    """
    edit = Edit(ChangeOp(op), old, new, old_ctx, new_ctx, old_at, new_at)
    found: list[Finding] = []
    for r in RULES:
        out = r.fn(edit, found)
        if out is None:
            continue
        found.extend(out)
        if r.final:
            break
    return _verdict(found)


def _has_other_words(ow: list[str], nw: list[str], spelled: list[tuple[str, str]]) -> bool:
    """True when words differ beyond the spelling variants already explained."""
    fix = dict(spelled)
    return Counter(fix.get(w, w) for w in ow) != Counter(nw)


def _verdict(found: Sequence[Finding]) -> tuple[Significance, list[Reason]]:
    level = Significance.highest(f.level for f in found)
    if level is Significance.NONE:
        return COSMETIC, [Reason(K.STYLE, "formatting")]
    order = (SUBSTANTIVE, MINOR, COSMETIC)
    # Within a level, the facts first (numbers, names, negations, modals, dates), then what
    # happened to the words: a reader sees what changed before how.
    return level, [f.reason for lv in order
                   for f in sorted((f for f in found if f.level is lv),
                                   key=lambda f: f.reason.rank)]


def clip(text: str, limit: int = 60) -> str:
    """`text` on one line, cut at a word boundary to about `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if " " not in text[:limit]:
        # One long word (a URL): keep it whole rather than cut it.
        first = text.split(" ", 1)[0]
        return first if first == text else first + " …"
    return text[:limit].rsplit(" ", 1)[0] + " …"



def rewrite_facts(old: str, new: str) -> list[Reason]:
    """The facts that differ between two texts too far apart to diff word by word (a
    paragraph or a statement rewritten): amounts, names, negations and modal verbs, each
    listed short. Linear in the length of the texts; no rule is run.

    >>> [r.text for r in rewrite_facts("We will not pay $5 million to Acme Corp.", "Beta Inc gets $7 million.")]
    ['number changed: $5 million -> $7 million', 'negation removed: not', 'name changed: Acme Corp -> Beta Inc', 'modal verb removed: will']
    """
    edit = Edit(ChangeOp.REPLACE, old, new)
    out = _amount_reasons(_amounts(edit.old_t), _amounts(edit.new_t))
    gone = sorted(_names(edit.old_t, edit.old_t) - _names(edit.new_t, edit.new_t))
    came = sorted(_names(edit.new_t, edit.new_t) - _names(edit.old_t, edit.old_t))
    # A word the other text also has (capitalised only at a sentence's start there) is not a
    # name that came or went.
    old_words, new_words = set(edit.ow), set(edit.nw)
    gone = [n for n in gone if n not in TITLES and not _date_word(n)
            and n not in new_words]
    came = [n for n in came if n not in TITLES and not _date_word(n)
            and n not in old_words]
    if gone or came:
        out.append(_name_reason(_name_phrases(edit.old_t, gone), _name_phrases(edit.new_t, came),
                                False))
    for kind, vocab in ((K.NEGATION, NEGATIONS), (K.MODAL, MODALS)):
        was, now = Counter(w for w in edit.ow if w in vocab), Counter(w for w in edit.nw if w in vocab)
        if was - now:
            out.append(_fact(kind, list(was - now), []))
        if now - was:
            out.append(_fact(kind, [], list(now - was)))
    return sorted(out, key=lambda r: r.rank)
