"""Rewrites and unrelated texts: recognised in linear time, reported as one replacement;
significance of a long replaced stretch without comparing every word with every word."""

from __future__ import annotations

import random

import pytest

import compare.significance as significance
from compare.diff import REWRITE_MIN_WORDS, diff_texts, similarity
from compare.significance import _counterpart, _same_stem, _unmatched, classify

LETTERS = "abcdefghijklmnopqrstuvwxyz"
SUFFIXES = ("", "", "", "s", "ed", "ing", "ment", "ation")


def vocabulary(rng: random.Random, n: int) -> list[str]:
    """Made-up words, some inflected or capitalised, so stems and names both occur."""
    out = []
    for _ in range(n):
        w = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 9))) + rng.choice(SUFFIXES)
        out.append(w.capitalize() if rng.random() < 0.15 else w)
    return out


def statement(rng: random.Random, words: int, vocab: list[str]) -> str:
    """Paragraphs of sentences drawn from `vocab`, about `words` words long."""
    paras, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            n = rng.randint(8, 20)
            s = " ".join(rng.choice(vocab) for _ in range(n))
            sentences.append(s[0].upper() + s[1:] + ".")
            count += n
        paras.append(" ".join(sentences))
    return "\n\n".join(paras)


@pytest.fixture
def rng() -> random.Random:
    return random.Random(12)


def test_a_full_rewrite_of_3200_words_is_one_substantive_replacement(rng: random.Random) -> None:
    vocab = vocabulary(rng, 1500)
    old = statement(rng, 3200, vocab)
    new = statement(rng, 3200, vocab)  # same vocabulary, other sentences: a rewrite
    diff = diff_texts(old, new)
    assert len(diff.changes) == 1
    (change,) = diff.changes
    assert change.op == "replace" and change.significance == "substantive"
    assert (change.old, change.new) == (old, new)
    sim = similarity(old, new)
    assert sim.rewritten and sim.words > 0.5 > sim.phrases
    assert change.said == (sim.reason,)
    assert change.said[0].startswith("rewritten: ") and "% of phrases shared" in change.said[0]
    assert diff.summary().startswith("substantive: 1 change: rewritten: ")


def test_the_same_words_in_another_order_are_a_rewrite(rng: random.Random) -> None:
    old = statement(rng, 800, vocabulary(rng, 400))
    shuffled = old.split(" ")
    rng.shuffle(shuffled)
    diff = diff_texts(old, " ".join(shuffled))
    assert [c.op for c in diff.changes] == ["replace"]
    assert "(100% of words)" in diff.changes[0].said[0]


def test_a_rewritten_stretch_between_kept_paragraphs_is_one_change(rng: random.Random) -> None:
    vocab = vocabulary(rng, 800)
    head = "The Secretary met the Foreign Minister of Ruritania today in Washington."
    tail = "For further information, please contact the Office of the Spokesperson."
    keep = [statement(rng, 200, vocab) for _ in range(3)]
    gone, came = statement(rng, 300, vocab), statement(rng, 300, vocab)
    old = "\n\n".join([head, *keep[:2], gone, keep[2], tail])
    new = "\n\n".join([head, *keep[:2], came, keep[2], tail])
    diff = diff_texts(old, new)
    assert len(diff.changes) == 1
    (change,) = diff.changes
    assert change.op == "replace" and change.significance == "substantive"
    # The facts (here: the random names) lead; what happened comes last.
    assert change.said[-1].startswith("rewritten: ")
    # The spans are exactly the rewritten paragraphs, in both texts.
    assert old[change.old_start:change.old_end] == gone == change.old
    assert new[change.new_start:change.new_end] == came == change.new


def test_unrelated_texts_are_a_rewrite_and_small_edits_are_not(rng: random.Random) -> None:
    old = statement(rng, 1000, vocabulary(rng, 600))
    other = statement(rng, 1000, vocabulary(rng, 600))
    assert similarity(old, other).rewritten
    words = old.split(" ")
    for k in range(0, len(words), 10):  # one word in ten replaced: an edit, not a rewrite
        words[k] = "changed"
    edited = " ".join(words)
    assert not similarity(old, edited).rewritten
    diff = diff_texts(old, edited)
    assert len(diff.changes) > 50
    assert not any(r.startswith("rewritten") for c in diff.changes for r in c.said)


def test_short_texts_are_never_called_rewritten() -> None:
    # A one-sentence statement replaced by another is a word diff, with its reasons.
    diff = diff_texts("Aid will continue.", "Funding ends in May.")
    assert diff.changes and not diff.changes[0].said[0].startswith("rewritten")
    sim = similarity("a b c", "d e f")
    assert sim.phrases == 0.0 and not sim.rewritten and REWRITE_MIN_WORDS > 3


def test_counterparts_of_a_long_replaced_stretch_are_not_all_pairs(
        rng: random.Random, monkeypatch: pytest.MonkeyPatch) -> None:
    vocab = vocabulary(rng, 3000)
    old = " ".join(rng.choice(vocab) for _ in range(3000))
    new = " ".join(rng.choice(vocab) for _ in range(3000))
    calls = 0

    def counting(a: str, b: str) -> bool:
        nonlocal calls
        calls += 1
        return _counterpart(a, b)

    monkeypatch.setattr(significance, "_counterpart", counting)
    level, reasons = classify("replace", old, new)
    # Thousands of words are not listed: the stretch is said to be rewritten.
    assert level == "substantive" and any(r.startswith(("sentence rewritten: ", "passage rewritten: "))
                                          for r in reasons)
    # Every word against every word would be millions of comparisons.
    assert 0 < calls < 20 * 6000


@pytest.mark.parametrize("cased", [True, False])
def test_unmatched_agrees_with_comparing_every_pair(rng: random.Random, cased: bool) -> None:
    same = _counterpart if cased else _same_stem
    base = vocabulary(rng, 300)
    if not cased:
        base = [w.lower() for w in base]
    # Inflections, a case change and a long shared beginning: all the ways to match.
    variants = [w + "s" for w in base[:40]] + [w.upper() for w in base[40:60]] + \
               [w[:6] + "ition" for w in base[60:100]]
    for _ in range(5):
        a = [rng.choice(base + variants) for _ in range(200)]
        b = [rng.choice(base + variants) for _ in range(200)]
        brute = [w for w in a if not any(same(w, x) for x in b)]
        assert _unmatched(a, b, cased=cased) == brute


def test_a_block_moved_beside_an_edited_paragraph_is_a_move_not_a_rewrite(
        rng: random.Random) -> None:
    # The moved block lands next to a paragraph with one word changed: both fall in one
    # differing stretch, whose phrases (over the longer side) are mostly the block's.
    vocab = vocabulary(rng, 800)
    # One paragraph each (statement() makes several): about 120 words.
    paras = [statement(rng, 120, vocab).replace("\n\n", " ") for _ in range(12)]
    block = paras[2:5]
    edited = paras[9].split(" ")
    edited[5] = "Ruritania"
    rest = [*paras[:2], *paras[5:9], " ".join(edited), *paras[10:]]
    old, new = "\n\n".join(paras), "\n\n".join([*rest[:-2], *block, *rest[-2:]])
    diff = diff_texts(old, new)
    assert not any(r.startswith("rewritten") for c in diff.changes for r in c.said)
    moves = [c for c in diff.changes if c.op == "move"]
    assert len(moves) == 1 and moves[0].old == "\n\n".join(block)
    assert any(c.op == "replace" and c.new == "Ruritania" for c in diff.changes)
    # Unrelated texts of unequal lengths are still a rewrite: the shorter is not inside.
    short, long_ = statement(rng, 200, vocab), statement(rng, 2000, vocab)
    assert [c.said[0].split(":")[0] for c in diff_texts(short, long_).changes] == ["rewritten"]
