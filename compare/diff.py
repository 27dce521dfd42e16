"""Word-level diff of two canonical texts, aligned to paragraphs and sentences.

The texts are first aligned paragraph by paragraph (and, inside very long changed
stretches, sentence by sentence); only the stretches that differ are diffed word by word
with diff-match-patch (each distinct word encoded as one character, then semantic
cleanup). This keeps the cost close to linear in the length of the statement and keeps
every change inside the paragraph it belongs to. Deleted and inserted blocks with the
same words are then paired into moves.

Texts (or aligned stretches) that share few three-word phrases are recognised first, in
linear time, and reported as one rewrite with the share as its figure: an unrelated or
fully rewritten statement is never word-diffed.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from diff_match_patch import diff_match_patch

from compare.model import COSMETIC, MINOR, SUBSTANTIVE, Change, Diff, Reason
from compare.significance import clip, content_words, judge, rewrite_facts
from compare.vocab import ChangeOp, ReasonKind, Significance
from sources.normalize import text_hash

# URLs and e-mail addresses are single tokens, so a changed link is one change and the
# digits inside a URL are never mistaken for amounts.
_URL = r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]']|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_TOKEN = re.compile(rf"{_URL}|\w+(?:[-'’.,]\w+)*|\s+|[^\w\s]")
_PARA_SEP = re.compile(r"\n\n+")
# A sentence ends at . ! or ? (with closing quotes or brackets) followed by a space.
_SENT_END = re.compile(r"""[.!?]["')\]]*[ ]+(?=["'(\[]?[A-Z0-9])""")
# Above this many characters a changed stretch is split into sentences before the word
# diff: dmp's bisection is quadratic in the number of differences inside one stretch.
_SENTENCE_ALIGN_CHARS = 20_000
# Rewrites: two texts (or two aligned stretches) of at least REWRITE_MIN_WORDS words each
# that share less than REWRITE_MAX_SHARED of their three-word phrases are not edited, they
# are rewritten. Phrases, not words: unrelated statements of 50,000 words share half their
# distinct words ("the", "of", "United States") but under a tenth of their phrases, while a
# 30% word edit still keeps about a third of them (measured on the State Department corpus,
# bench/diff_speed.py). A word diff of such texts is all noise, and dmp's bisection is
# quadratic in the number of differences, so they are recognised first, in linear time,
# and reported as one replacement.
REWRITE_MIN_WORDS = 60
REWRITE_MAX_SHARED = 0.25
# ... unless the shorter side is at least this much inside the longer (phrases): then it is
# an edit beside an added or removed block. A 10% word edit keeps about 70% of the phrases;
# unrelated texts keep under 10% (bench/web_compare.py's moved pair, bench/diff_speed.py).
REWRITE_MIN_CONTAINED = 0.5
MOVE_MIN_WORDS = 2
MOVE_MIN_CHARS = 8
CONTEXT_CHARS = 80


def tokenize(text: str) -> list[str]:
    """Words (with inner hyphens, apostrophes, decimal points), URLs, spaces, punctuation."""
    return _TOKEN.findall(text)


def _encoder() -> tuple[dict[str, str], dict[str, str]]:
    """A fresh (unit -> char, char -> unit) pair of tables."""
    return {}, {}


def _encode(units: Iterable[str], table: dict[str, str], vocab: dict[str, str]) -> str:
    """Map each distinct unit to one character so dmp diffs units, not letters."""
    units = list(units)
    # New units in first-seen order, so the encoding is the same on every run.
    for unit in dict.fromkeys(units):
        if unit not in table:
            code = len(table) + 0x100
            # Skip the surrogate range: those code points cannot stand alone in a str.
            if code >= 0xD800:
                code += 0x800
            ch = table[unit] = chr(code)
            vocab[ch] = unit
    return "".join(map(table.__getitem__, units))


def _decode(chars: str, vocab: dict[str, str]) -> str:
    return "".join(map(vocab.__getitem__, chars))


def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    # No deadline: a timed-out diff would differ from run to run on a loaded machine.
    dmp.Diff_Timeout = 0
    return dmp


def word_ops(old: str, new: str) -> list[tuple[int, str]]:
    """dmp-style (op, text) pairs at word granularity, semantically cleaned up."""
    table, vocab = _encoder()
    a = _encode(tokenize(old), table, vocab)
    b = _encode(tokenize(new), table, vocab)
    dmp = _dmp()
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, _decode(chars, vocab)) for op, chars in diffs]


def _paragraph_bounds(text: str, start: int, end: int) -> list[int]:
    """Start offsets of the paragraphs in text[start:end], plus `end`."""
    bounds = [start]
    for m in _PARA_SEP.finditer(text, start, end):
        bounds.append(m.end())
    bounds.append(end)
    return bounds


def _sentence_bounds(text: str, start: int, end: int) -> list[int]:
    """Start offsets of the sentences (and paragraphs) in text[start:end], plus `end`."""
    bounds = [start]
    for m in re.finditer(r"\n\n+|" + _SENT_END.pattern, text[start:end]):
        bounds.append(start + m.end())
    bounds.append(end)
    return bounds


def _unit_text(text: str, bounds: list[int], k: int) -> str:
    # Units are compared without their trailing separator, so the last paragraph (which
    # has none) still matches its copy in the middle of the other version.
    return text[bounds[k]:bounds[k + 1]].rstrip()


def _aligned_regions(old: str, new: str, ob: list[int], nb: list[int]
                     ) -> list[tuple[int, int, int, int]]:
    """Char ranges (old_start, old_end, new_start, new_end) of the unit runs that differ.

    Patience alignment first: units (paragraphs, sentences) that occur exactly once in
    each version are anchors, and the longest chain of anchors in the same order is kept
    (O(n log n), whatever the number of edits). Only the gaps between anchors go through
    dmp, so a long statement with edits everywhere is not one big quadratic bisection.
    """
    a = [_unit_text(old, ob, k) for k in range(len(ob) - 1)]
    b = [_unit_text(new, nb, k) for k in range(len(nb) - 1)]
    regions: list[tuple[int, int, int, int]] = []
    prev_i = prev_j = 0
    for i, j in [*_anchors(a, b), (len(a), len(b))]:
        if i > prev_i or j > prev_j:
            regions.extend(_dmp_regions(a, b, ob, nb, prev_i, i, prev_j, j))
        prev_i, prev_j = i + 1, j + 1
    return regions


def _anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """(i, j) pairs of units unique in both lists, longest increasing chain (patience)."""
    count_a: dict[str, int] = {}
    for u in a:
        count_a[u] = count_a.get(u, 0) + 1
    count_b: dict[str, int] = {}
    where_b: dict[str, int] = {}
    for j, u in enumerate(b):
        count_b[u] = count_b.get(u, 0) + 1
        where_b[u] = j
    pairs = [(i, where_b[u]) for i, u in enumerate(a)
             if count_a[u] == 1 and count_b.get(u) == 1]
    # Longest increasing subsequence of j (pairs are already sorted by i).
    tails: list[int] = []  # index into pairs of the smallest tail of each length
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[tails[mid]][1] < j:
                lo = mid + 1
            else:
                hi = mid
        back[k] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    chain: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _dmp_regions(a: list[str], b: list[str], ob: list[int], nb: list[int],
                 i0: int, i1: int, j0: int, j1: int) -> list[tuple[int, int, int, int]]:
    """Differing unit runs between two anchors (repeated units are aligned by dmp)."""
    if set(a[i0:i1]).isdisjoint(b[j0:j1]):
        # Nothing in common: one run, as dmp would find, without its bisection (quadratic
        # in the number of units when nothing matches, as between unrelated texts).
        return [(ob[i0], ob[i1], nb[j0], nb[j1])]
    table, vocab = _encoder()
    ea = _encode(a[i0:i1], table, vocab)
    eb = _encode(b[j0:j1], table, vocab)
    regions: list[tuple[int, int, int, int]] = []
    i, j = i0, j0
    pending: list[int] | None = None
    for op, chars in _dmp().diff_main(ea, eb, False):
        n = len(chars)
        if op == 0:
            if pending:
                regions.append((ob[pending[0]], ob[i], nb[pending[1]], nb[j]))
                pending = None
            i += n
            j += n
            continue
        if pending is None:
            pending = [i, j]
        if op == -1:
            i += n
        else:
            j += n
    if pending:
        regions.append((ob[pending[0]], ob[i], nb[pending[1]], nb[j]))
    return regions


def _shared(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """Share of the distinct items common to `a` and `b`, over the larger set: O(n).

    Sets, not multisets: the set operations run in C, and a repeated phrase says little
    about whether one text is a rewrite of the other.
    """
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / max(len(sa), len(sb))


@dataclass(frozen=True)
class Similarity:
    """How much two texts share, as multisets of words and of adjacent word pairs."""

    old_words: int
    new_words: int
    words: float  # share of words
    phrases: float  # share of three-word phrases (what decides)

    @property
    def rewritten(self) -> bool:
        return (min(self.old_words, self.new_words) >= REWRITE_MIN_WORDS
                and self.phrases < REWRITE_MAX_SHARED)

    @property
    def reason(self) -> str:
        # Phrases decide, so they are the figure; words say whether the vocabulary stayed.
        return f"rewritten: {self.phrases:.0%} of phrases shared ({self.words:.0%} of words)"


def similarity(old: str, new: str) -> Similarity:
    """Word and three-word-phrase overlap of two texts, in linear time.

    >>> s = similarity("the cat sat on the mat", "the dog sat on the log")
    >>> (round(s.words, 2), round(s.phrases, 2))
    (0.6, 0.25)
    """
    # Words split at spaces, punctuation kept on them: in C, and the same on both sides.
    a = old.lower().split()
    b = new.lower().split()
    return Similarity(len(a), len(b), _shared(a, b), _shared_phrases(a, b))


def _phrases(words: list[str]) -> Iterable[tuple[str, str, str]]:
    return zip(words, words[1:], words[2:], strict=False)


def _shared_phrases(a: list[str], b: list[str]) -> float:
    """Distinct phrases of the shorter text found in the longer, over the larger count.

    Only the shorter text's phrases go into a set; the longer's are streamed through
    set.intersection (C), which is a third faster on long texts than two sets.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    kept = set(_phrases(short))
    if not kept or len(long_) < 3:
        return 0.0
    return len(kept.intersection(_phrases(long_))) / max(len(kept), len(long_) - 2)


def _contained(a: list[str], b: list[str]) -> float:
    """Share of the shorter text's distinct phrases found in the longer one."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    kept = set(_phrases(short))
    return len(kept.intersection(_phrases(long_))) / len(kept) if kept else 0.0


def _rewrite(old: str, new: str) -> Similarity | None:
    """The similarity of two texts when they are a rewrite of each other, else None."""
    # Spaces count words from below, in C: most differing stretches are a short edit.
    if min(old.count(" "), new.count(" ")) + 1 < REWRITE_MIN_WORDS:
        return None
    # Half the shorter text kept as is at either end: an edit, not a rewrite. Cheaper
    # than the phrases, and it is what a stretch around one edited word looks like.
    if 2 * (_common_prefix(old, new) + _common_prefix(old[::-1], new[::-1])) >= min(len(old), len(new)):
        return None
    sim = similarity(old, new)
    if not sim.rewritten:
        return None
    # The shorter side kept (mostly) whole inside the longer is an edit next to a block
    # added or removed (a paragraph edited beside a moved block lands in the same
    # stretch), not a rewrite: the phrase share over the longer side hides it.
    a, b = old.lower().split(), new.lower().split()
    return None if _contained(a, b) >= REWRITE_MIN_CONTAINED else sim


def _common_prefix(a: str, b: str) -> int:
    """Length of the common beginning of a and b (binary search: slices compare in C)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


# Above this many characters a rewritten stretch is characterised without its facts:
# reading the names of two long unrelated statements is not worth its time.
REWRITE_FACTS_CHARS = 20_000


def _rewrite_reasons(old: str, new: str, sim: Similarity) -> tuple[Reason, ...]:
    """The facts that differ (amounts, names, negations), then how much was rewritten."""
    facts = rewrite_facts(old, new) if len(old) + len(new) <= REWRITE_FACTS_CHARS else []
    return (*facts, Reason(ReasonKind.REWRITTEN, sim.reason))


def _region_changes(old: str, new: str, os_: int, oe: int, ns: int, ne: int) -> list[Change]:
    """The changes inside one differing region (absolute offsets), classified."""
    sim = _rewrite(old[os_:oe], new[ns:ne])
    if sim is not None:
        # A stretch rewritten as a whole (paragraphs replaced by others) is one replacement:
        # no word diff of unrelated words (noise to read, quadratic for dmp) and no rule
        # run over thousands of words.
        o, n = old[os_:oe], new[ns:ne]
        os_, oe = os_ + len(o) - len(o.lstrip()), oe - (len(o) - len(o.rstrip()))
        ns, ne = ns + len(n) - len(n.lstrip()), ne - (len(n) - len(n.rstrip()))
        return [Change(ChangeOp.REPLACE, old[os_:oe], new[ns:ne], SUBSTANTIVE,
                       _rewrite_reasons(old[os_:oe], new[ns:ne], sim), os_, oe, ns, ne)]
    if (oe - os_) + (ne - ns) > _SENTENCE_ALIGN_CHARS:
        ob, nb = _sentence_bounds(old, os_, oe), _sentence_bounds(new, ns, ne)
        # Only worth it when the sentences split the stretch into smaller pieces.
        if len(ob) > 3 or len(nb) > 3:
            changes: list[Change] = []
            for r in _aligned_regions(old, new, ob, nb):
                if (r[1] - r[0]) + (r[3] - r[2]) < (oe - os_) + (ne - ns):
                    changes.extend(_region_changes(old, new, *r))
                else:
                    changes.extend(_classified(old, new, _word_groups(old, new, *r)))
            return changes
    return _classified(old, new, _word_groups(old, new, os_, oe, ns, ne))


def _classified(old: str, new: str, groups: list[tuple[str, str, int, int, int, int]]
                ) -> list[Change]:
    return [c for g in groups if (c := _change(old, new, *g)) is not None]


def _word_groups(old: str, new: str, os_: int, oe: int, ns: int, ne: int
                 ) -> list[tuple[str, str, int, int, int, int]]:
    groups: list[tuple[str, str, int, int, int, int]] = []
    i, j = os_, ns
    pend: list[Any] | None = None  # [old_text, new_text, old_start, new_start]
    for op, text in word_ops(old[os_:oe], new[ns:ne]):
        if op == 0:
            if pend:
                groups.append((pend[0], pend[1], pend[2], i, pend[3], j))
                pend = None
            i += len(text)
            j += len(text)
            continue
        if pend is None:
            pend = ["", "", i, j]
        if op == -1:
            pend[0] += text
            i += len(text)
        else:
            pend[1] += text
            j += len(text)
    if pend:
        groups.append((pend[0], pend[1], pend[2], i, pend[3], j))
    return groups


def _ctx(text: str, start: int, end: int) -> str:
    return text[max(0, start - CONTEXT_CHARS):end + CONTEXT_CHARS]


def _whole_paragraph(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is one or more complete paragraphs."""
    before = text[:start].rstrip(" ")
    after = text[end:].lstrip(" ")
    return (not before or before.endswith("\n")) and (not after or after.startswith("\n"))


def _spacing_change(old_t: str, new_t: str, os_: int, oe: int, ns: int, ne: int) -> Change:
    if "\n" in old_t and "\n" not in new_t:
        reason = "paragraphs joined"
    elif "\n" in new_t and "\n" not in old_t:
        reason = "paragraph split"
    elif not old_t:
        reason = "space added"
    elif not new_t:
        reason = "space removed"
    else:
        reason = "spacing changed"
    return Change(ChangeOp.REPLACE, old_t, new_t, COSMETIC, (Reason(ReasonKind.STYLE, reason),),
                  os_, oe, ns, ne)


def _change(old: str, new: str, old_t: str, new_t: str, os_: int, oe: int, ns: int, ne: int
            ) -> Change | None:
    """Trim one edit group to its words, then classify it."""
    if not old_t.strip() and not new_t.strip():
        if old_t == new_t:
            return None
        return _spacing_change(old_t, new_t, os_, oe, ns, ne)
    lo, ro = len(old_t) - len(old_t.lstrip()), len(old_t) - len(old_t.rstrip())
    ln, rn = len(new_t) - len(new_t.lstrip()), len(new_t) - len(new_t.rstrip())
    os_, oe, ns, ne = os_ + lo, oe - ro, ns + ln, ne - rn
    old_c, new_c = old[os_:oe], new[ns:ne]
    op = ChangeOp.REPLACE if old_c and new_c else (ChangeOp.DELETE if old_c else ChangeOp.INSERT)
    level, reasons = judge(op, old_c, new_c, _ctx(old, os_, oe), _ctx(new, ns, ne),
                           min(os_, CONTEXT_CHARS), min(ns, CONTEXT_CHARS))
    if op is not ChangeOp.REPLACE:
        # Structure is known here, not in classify(): a whole paragraph (or bullet,
        # heading) appearing or disappearing is always worth an alert.
        text, full, s, e = (new_c, new, ns, ne) if op is ChangeOp.INSERT else (old_c, old, os_, oe)
        if _whole_paragraph(full, s, e) and content_words(text):
            verb = "added" if op is ChangeOp.INSERT else "removed"
            reason = Reason(ReasonKind.PARAGRAPH, f"paragraph {verb}: {clip(text)!r}")
            # The paragraph quoted says which words went: no list of them beside it. The
            # facts in it (amounts, names, a negation) lead, then what happened.
            reasons = [r for r in reasons
                       if r.kind not in (ReasonKind.WORDS, ReasonKind.REWRITTEN)]
            facts = [r for r in reasons if r.fact]
            reasons = [*facts, reason, *(r for r in reasons if not r.fact)]
            level = SUBSTANTIVE
    elif _whole_paragraph(old, os_, oe) and _whole_paragraph(new, ns, ne):
        # A stretch rewritten from one paragraph break to the next is a paragraph (or
        # several) rewritten: said so, which judge() cannot see in its context.
        unit = "paragraphs" if "\n" in old_c + new_c else "paragraph"
        reasons = [replace(r, text=_REWRITTEN.sub(unit + " rewritten:", r.text, count=1))
                   if r.kind is ReasonKind.REWRITTEN else r for r in reasons]
    return Change(op, old_c, new_c, level, tuple(reasons), os_, oe, ns, ne)


# The unit compare/significance.py names a rewritten stretch by, without the layout.
_REWRITTEN = re.compile(r"^(?:passage|sentence|phrase) rewritten:")


def _move_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).lower().split())


def _detect_moves(changes: list[Change]) -> list[Change]:
    """Pair a deleted block with an inserted block of the same words: one move."""
    deletes: dict[str, list[int]] = {}
    for k, c in enumerate(changes):
        key = _move_key(c.old)
        if c.op is ChangeOp.DELETE and len(key.split()) >= MOVE_MIN_WORDS and len(key) >= MOVE_MIN_CHARS:
            deletes.setdefault(key, []).append(k)
    if not deletes:
        return changes
    moved: dict[int, Change] = {}
    drop: set[int] = set()
    for k, c in enumerate(changes):
        if c.op is not ChangeOp.INSERT:
            continue
        candidates = deletes.get(_move_key(c.new))
        if not candidates:
            continue
        d = candidates.pop(0)
        gone = changes[d]
        # A whole paragraph moved unchanged says nothing new (cosmetic); words moved inside
        # a paragraph can change what goes with what (minor).
        whole = "\n" not in gone.old.strip() and c.new == gone.old and _whole_move(gone, c)
        moved[d] = Change(ChangeOp.MOVE, gone.old, c.new, COSMETIC if whole else MINOR,
                          (Reason(ReasonKind.MOVE, f"moved: {clip(c.new)!r}"),),
                          gone.old_start, gone.old_end, c.new_start, c.new_end)
        drop.add(k)
    return [moved.get(k, c) for k, c in enumerate(changes) if k not in drop]


def _whole_move(gone: Change, came: Change) -> bool:
    """Both ends of a move are whole paragraphs (decided when the changes were made)."""
    return any(r.kind is ReasonKind.PARAGRAPH for r in gone.reasons) and \
        any(r.kind is ReasonKind.PARAGRAPH for r in came.reasons)


def is_revert(new_hash: str, earlier_hashes: Iterable[str]) -> bool:
    """True when the new canonical text's hash equals one of an earlier version's.

    `earlier_hashes` are the versions before the one being compared against: returning
    to the immediately previous text would not be a change at all.
    """
    return new_hash in set(earlier_hashes)


def diff_texts(old: str, new: str, *, earlier: Sequence[str] = ()) -> Diff:
    """Changes between two canonical texts (paragraphs separated by a blank line).

    `earlier`: canonical texts or sha256 hashes (sources.normalize.text_hash) of versions
    older than `old`; when `new` is one of them the diff is labelled a revert.
    """
    changes: list[Change] = []
    # Most paragraphs gone: perhaps rewritten as a whole, which is one change whatever
    # sign-off paragraph survived. Only then is the similarity of the whole texts worked
    # out (it costs more than aligning a few edits); both checks are linear.
    sim = _rewrite(old, new) if old != new and _few_paragraphs_kept(old, new) else None
    if sim is not None:
        changes = [Change(ChangeOp.REPLACE, old, new, SUBSTANTIVE, _rewrite_reasons(old, new, sim),
                          0, len(old), 0, len(new))]
    elif old != new:
        ob = _paragraph_bounds(old, 0, len(old))
        nb = _paragraph_bounds(new, 0, len(new))
        for region in _aligned_regions(old, new, ob, nb):
            changes.extend(_region_changes(old, new, *region))
        changes = _detect_moves(changes)
    diff = Diff(tuple(changes), Significance.highest(c.significance for c in changes))
    return mark_revert(diff) if _matches_earlier(new, earlier) else diff


def diff_titles(old: str, new: str) -> Change | None:
    """The change of a (canonical) title, judged like a paragraph; None when unchanged.

    Re-casing is cosmetic; any other edit takes the significance of its words. A title
    missing on either side is an extraction gap, not an edit.

    >>> diff_titles("Joint statement", "Joint Statement").said
    ('title re-cased',)
    """
    if old == new or not old or not new:
        return None
    if old.lower() == new.lower():
        level: Significance = COSMETIC
        reasons: tuple[Reason, ...] = (Reason(ReasonKind.TITLE, "title re-cased"),)
    else:
        inner = diff_texts(old, new)
        level = inner.significance
        reasons = (Reason(ReasonKind.TITLE, f"title changed: {clip(old)!r} -> {clip(new)!r}"),
                   *dict.fromkeys(r for c in inner.changes for r in c.reasons))
    return Change(ChangeOp.REPLACE, old, new, level, reasons, 0, len(old), 0, len(new),
                  part="title")


def with_title(diff: Diff, title: Change | None) -> Diff:
    """`diff` with the title change first (the significance of the whole rises with it)."""
    if title is None:
        return diff
    changes = (title, *diff.changes)
    return Diff(changes, Significance.highest(c.significance for c in changes), diff.revert)


def _few_paragraphs_kept(old: str, new: str) -> bool:
    """True when fewer than half of the new text's paragraphs are in the old one as is."""
    kept = set(_PARA_SEP.split(old))
    paras = _PARA_SEP.split(new)
    return 2 * sum(p in kept for p in paras) < len(paras)


def mark_revert(diff: Diff) -> Diff:
    """`diff` labelled as undoing an edit (the new text equals an earlier version's).

    Whether it is a revert is decided by the caller (compare.observe.decide for stored
    versions); an empty diff is never one.
    """
    if not diff.changes:
        return diff
    undone = Reason(ReasonKind.REVERT, "reverts to an earlier version")
    changes = tuple(replace(c, revert=True, reasons=(*c.reasons, undone)) for c in diff.changes)
    return Diff(changes, diff.significance, revert=True)


def _matches_earlier(new: str, earlier: Sequence[str]) -> bool:
    if not earlier:
        return False
    digest = text_hash(new)
    return is_revert(digest, earlier) or new in earlier
