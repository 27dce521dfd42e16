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
from compare.lexicon import (
    ALTERNATIVES,
    CAPITALS,
    FUNCTION_WORDS,
    HEDGES,
    INTENSIFIERS,
    MODALS,
    NEGATIONS,
    QUALIFIERS,
    RELATIVES,
    TITLES,
)
from compare.lexicon import CONDITIONS as _CONDITIONAL_WORDS
from compare.pressstyle import same_words, transliteration
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
# Capitalised in a bracket for starting it or as a title, not for naming anyone: "[The
# former first lady]", "[Secretary Blinken]" (the name is what must be the statement's).
_COMMON_CAPS = FUNCTION_WORDS | TITLES
LARGE_REWRITE = 0.4  # share of quote words changed beyond which the quote is rewritten
LONG_CUT = 8
SHORT_CUT = 2  # an unpunctuated cut this short sits inside a phrase: a modifier, not a clause  # source words dropped without an ellipsis that make a cut, not a trim


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


_BOUNDARY = re.compile(r"[,;:()\[\]\-\u2013\u2014\"']")


def _hidden(removed: Sequence[Token], src: Prepared, what: str, bounded: bool) -> str | None:
    """Why the words an ellipsis cut change what the quoted words say, or None.

    `bounded`: the cut stretch is set off by punctuation (a parenthetical, a clause, whole
    sentences); one that is not sits inside a phrase and restricts it ("officials ...
    and their family members" for "officials involved in corruption and their ...").
    """
    if not removed:
        return None
    keys = [t.key for t in removed]
    raw = _clip(src.text[removed[0].start:removed[-1].end])
    found = []
    for label, vocab in (("a negation", NEGATIONS), ("a condition", CONDITIONS - NEGATIONS),
                         ("an alternative", ALTERNATIVES), ("a qualifier", QUALIFIERS)):
        if (label == "an alternative" and len(keys) > LONG_CUT) or (
                label == "a qualifier" and len(keys) > SHORT_CUT + 1):
            # In a long cut (a clause, a list) an "all" or a "but" qualifies what was cut,
            # not the quoted words; a negation or a condition still hangs over them.
            continue
        hit = [k for k in keys if k in vocab]
        if hit:
            found.append(f"{label} ({', '.join(dict.fromkeys(hit))})")
    if found:
        return f"{what} hides {' and '.join(found)}: {raw!r}"
    # A reduced relative clause ("officials ... involved in corruption") opens with a
    # participle right after the noun it restricts.
    participle = keys[0].endswith(("ed", "ing")) and len(keys) <= LONG_CUT
    if not bounded and (len(keys) <= SHORT_CUT or participle) and keys[0] not in FUNCTION_WORDS and not all(
            k in INTENSIFIERS or k in FUNCTION_WORDS for k in keys):
        # A modifier taken out of a phrase ("officials ... involved in corruption",
        # "long-term, locally-led plans"); a dropped conjunct or prepositional aside
        # ("conflict ... throughout", "and suffering") starts with a function word, and a
        # dropped "strongly" is emphasis, not restriction.
        return f"{what} hides words that restrict the quoted ones: {raw!r}"
    return None


def _sentence_span(s: Sequence[Token], at: int, forward: bool) -> list[Token]:
    """Tokens of the sentence of s[at] before `at` (or from `at` on, when `forward`)."""
    if not 0 <= at < len(s):
        return []
    sent = s[at].sentence
    if forward:
        j = at
        while j < len(s) and s[j].sentence == sent:
            j += 1
        return list(s[at:j])
    i = at
    while i > 0 and s[i - 1].sentence == sent:
        i -= 1
    return list(s[i:at])


def _ends_ellipsis(ops: Sequence[Op], src: Prepared, lead: bool, tail: bool) -> list[str]:
    """What a leading or trailing ellipsis cut from the quoted sentence, when it matters."""
    s = src.tokens
    out: list[str] = []
    s_start = min(o.s0 for o in ops)
    s_end = max(o.s1 for o in ops)
    if lead and s_start > 0:
        cut = _sentence_span(s, s_start, forward=False) if s_start < len(s) else []
        why = _hidden(cut, src, "a leading ellipsis", True)
        if why:
            out.append(why)
    if tail and 0 < s_end < len(s) and s[s_end].sentence == s[s_end - 1].sentence:
        cut = _sentence_span(s, s_end, forward=True)
        between = src.text[s[s_end - 1].end:s[s_end].start]
        why = _hidden(cut, src, "a trailing ellipsis", True)
        if why is None and cut and cut[0].key in RELATIVES and not _BOUNDARY.search(between):
            # "governments ... that have taken action": a defining clause, not an aside.
            why = f"a trailing ellipsis hides a restrictive clause: {_clip(src.text[cut[0].start:cut[-1].end])!r}"
        if why:
            out.append(why)
    return out


def bracket_supported(words: Sequence[str], statement: frozenset[str]) -> bool:
    """A bracket's names are the statement's own: each capitalised word of the bracket (a
    canonical key, compare.pressstyle) is among the statement's words, or names a capital
    whose country the statement names ("[Washington]" in a U.S. statement)."""
    for w in words:
        if w in statement or any(_same_stem(w, x) for x in statement):
            continue
        if w == "cc:USA" and statement & {"acr:us", "department", "washington"}:
            continue  # "[The United States]" for the "We" of a U.S. department's statement
        country = CAPITALS.get(w)
        if country is not None and ("cc:" + country in statement or (
                country == "USA" and statement & {"acr:us", "department", "cc:USA"})):
            continue
        return False
    return True


def _same_stem(a: str, b: str) -> bool:
    """A demonym or inflection of a name the statement uses: "ukrainians" / "ukraine"."""
    if a[:1] != b[:1] or min(len(a), len(b)) < 5:
        return False
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 5 and n >= 0.75 * min(len(a), len(b))


def _countries_near(src: Prepared, op: Op) -> int:
    """How many countries the sentence(s) a bracket stands in for name ("[The four
    governments]" for "We, the Governments of France, Germany, the United Kingdom, and the
    United States")."""
    s = src.tokens
    at = min(op.s0, len(s) - 1)
    if at < 0:
        return 0
    sent = s[at].sentence
    # Only up to the bracket's end: the subject it replaces, not countries named after it.
    return len({t.key for t in s[:op.s1] if t.sentence == sent and t.key.startswith(("cc:", "acr:us"))})


def judge(ops: Sequence[Op], qtoks: Sequence[Token], qraw: str, src: Prepared,
          bracket_words: frozenset[int] = frozenset(), *, lead_ellipsis: bool = False,
          tail_ellipsis: bool = False, statement: frozenset[str] | None = None
          ) -> tuple[Severity, list[str]]:
    """Severity ("major"/"minor", or "none" when nothing unmarked differs) and reasons.

    `statement`: the canonical words of the whole statement (title included), which a
    bracket's names must come from.
    """
    s = src.tokens
    major: list[str] = _ends_ellipsis(ops, src, lead_ellipsis, tail_ellipsis) if ops else []
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
                inside = [t for t in old_t if t.sentence in edge]
                one_sentence = bool(op.s0) and op.s1 < len(s) and s[op.s0 - 1].sentence == s[op.s1].sentence
                before = src.text[s[op.s0 - 1].end:old_t[0].start] if op.s0 else ""
                after = src.text[old_t[-1].end:s[op.s1].start] if op.s1 < len(s) else ""
                # Set off on both sides (an aside between commas, a clause up to a dash) or
                # long: not a modifier taken out of the middle of a phrase.
                bounded = (not one_sentence or len(old_t) > LONG_CUT
                           or bool(_BOUNDARY.search(before) and _BOUNDARY.search(after)))
                why = _hidden(inside, src, "an ellipsis", bounded)
                if why:
                    major.append(why)
            else:
                bad = (_numbers(new_k) - _numbers(old_k)) + (_vocab(new_k, NEGATIONS) - _vocab(old_k, NEGATIONS))
                if bad and _numbers(new_k) - _numbers(old_k) and not (_vocab(new_k, NEGATIONS) - _vocab(old_k, NEGATIONS)):
                    # "[The four governments]": a count the statement's issuers bear out.
                    extra = set(_numbers(new_k) - _numbers(old_k))
                    if extra <= {str(_countries_near(src, op))} | (statement or frozenset()):
                        bad = Counter()
                if bad:
                    major.append(f"a bracket says what the source does not: [{new_raw}] for {old_raw!r}")
                elif statement is not None:
                    named = [k for k, t in zip(new_k, new_t, strict=True)
                             if qraw[t.start:t.start + 1].isupper() and k not in _COMMON_CAPS]
                    # A department's "we" is its government: "[The United States]" for "We".
                    us = frozenset({"cc:USA"}) if {"we", "our", "us"} & set(old_k) else frozenset()
                    if not bracket_supported(named, statement | us):
                        major.append(f"a bracket names what the statement does not: [{new_raw}] for {old_raw!r}")
            continue
        if op.kind == "~" and ((op.q0 == 0 and old_raw.endswith(new_raw))
                               or (op.q1 == len(qtoks) and old_raw.startswith(new_raw))):
            continue  # a quote that starts or ends inside a name: "States is" of "United States is"
        if op.kind == "~" and (same_words(old_raw, new_raw) or (
                len(old_t) == len(new_t) == 1 and transliteration(old_raw, new_raw))):
            continue  # a compound closed or hyphenated, a name transliterated: press style
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
        countries_old = {k for k in old_k if k.startswith("cc:")}
        countries_new = {k for k in new_k if k.startswith("cc:")}
        if op.kind == "~" and (names_old - set(new_k) or names_new - set(old_k)
                               or countries_old != countries_new):
            reasons.append(f"name changed: {old_raw!r} -> {new_raw!r}")
        elif op.kind == "+" and countries_new:
            # A country named where the source names none, wherever it stands in the quote.
            reasons.append(f"name added: {new_raw!r}")
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
