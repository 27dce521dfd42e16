"""Word-level diff of two canonical texts with diff-match-patch, grouped into changes."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from compare.model import Change, Diff, max_level
from compare.significance import classify

_TOKEN = re.compile(r"\w+(?:[-'’.,]\w+)*|\s+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Words (with inner hyphens, apostrophes, decimal points), runs of space, punctuation."""
    return _TOKEN.findall(text)


def _encode(tokens_a: list[str], tokens_b: list[str]) -> tuple[str, str, list[str]]:
    """Map each distinct token to one character so dmp diffs words, not letters."""
    table: dict[str, int] = {}
    vocab: list[str] = []

    def enc(tokens: list[str]) -> str:
        out = []
        for tok in tokens:
            code = table.get(tok)
            if code is None:
                code = len(vocab)
                # Skip the surrogate range: those code points cannot stand alone in a str.
                table[tok] = code
                vocab.append(tok)
            out.append(chr(code + 0x100 if code + 0x100 < 0xD800 else code + 0x100 + 0x800))
        return "".join(out)

    return enc(tokens_a), enc(tokens_b), vocab


def _decode(chars: str, vocab: list[str]) -> str:
    out = []
    for ch in chars:
        code = ord(ch) - 0x100
        if code >= 0xD800 - 0x100:
            code -= 0x800
        out.append(vocab[code])
    return "".join(out)


def word_ops(old: str, new: str) -> list[tuple[int, str]]:
    """dmp-style (op, text) pairs at word granularity, semantically cleaned up."""
    a, b, vocab = _encode(tokenize(old), tokenize(new))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, _decode(chars, vocab)) for op, chars in diffs]


def _norm_block(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text).lower().split())


def diff_texts(old: str, new: str) -> Diff:
    """Changes between two canonical texts; whitespace-only differences are not changes."""
    ops = word_ops(old, new)
    raw: list[list] = []  # [old_text, new_text, old_start, old_end, new_start, new_end]
    i = j = 0
    pending: list | None = None
    for op, text in ops:
        if op == 0:
            if pending:
                raw.append(pending)
                pending = None
            i += len(text)
            j += len(text)
            continue
        if pending is None:
            pending = ["", "", i, i, j, j]
        if op == -1:
            pending[0] += text
            i += len(text)
            pending[3] = i
        else:
            pending[1] += text
            j += len(text)
            pending[5] = j
    if pending:
        raw.append(pending)

    changes: list[Change] = []
    for old_t, new_t, os_, oe, ns, ne in raw:
        if not old_t.strip() and not new_t.strip():
            continue  # whitespace only
        # Trim whitespace at the edges so spans cover words.
        lo = len(old_t) - len(old_t.lstrip())
        ln = len(new_t) - len(new_t.lstrip())
        ro = len(old_t) - len(old_t.rstrip())
        rn = len(new_t) - len(new_t.rstrip())
        old_c, new_c = old_t.strip(), new_t.strip()
        op = "replace" if old_c and new_c else ("delete" if old_c else "insert")
        changes.append(
            _classified(op, old_c, new_c, os_ + lo, oe - ro, ns + ln, ne - rn, old, new)
        )
    changes = _detect_moves(changes)
    return Diff(tuple(changes), max_level([c.significance for c in changes]))


def _classified(op: str, old_c: str, new_c: str, os_: int, oe: int, ns: int, ne: int,
                old_text: str, new_text: str) -> Change:
    level, reasons = classify(op, old_c, new_c, old_text[max(0, os_ - 80):oe + 80],
                              new_text[max(0, ns - 80):ne + 80])
    return Change(op, old_c, new_c, level, tuple(reasons), os_, oe, ns, ne)


def _detect_moves(changes: list[Change]) -> list[Change]:
    """Pair a deleted block with an inserted block of the same words: one move."""
    deletes = {
        _norm_block(c.old): k
        for k, c in enumerate(changes)
        if c.op == "delete" and len(c.old.split()) >= 4
    }
    if not deletes:
        return changes
    moved: dict[int, Change] = {}
    drop: set[int] = set()
    for k, c in enumerate(changes):
        if c.op != "insert" or len(c.new.split()) < 4:
            continue
        d = deletes.get(_norm_block(c.new))
        if d is None or d in drop:
            continue
        old_c = changes[d]
        moved[d] = Change("move", old_c.old, c.new, "minor", ("text moved",),
                          old_c.old_start, old_c.old_end, c.new_start, c.new_end)
        drop.add(k)
    return [moved.get(k, c) for k, c in enumerate(changes) if k not in drop]
