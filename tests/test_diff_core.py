"""diff_texts and classify on small hand-made texts: each rule of the issue, one by one."""

from __future__ import annotations

import pytest

from compare.diff import diff_texts, is_revert, tokenize, word_ops
from compare.model import COSMETIC, MINOR, NONE, SUBSTANTIVE, Change, Diff, Reason
from compare.significance import classify
from compare.vocab import ChangeOp, ReasonKind
from sources.normalize import canonical_text, text_hash

BASE = ("The United States will provide $80 million in immediate assistance to Ukraine. "
        "We are defending democracy in the region.")


def one(old: str, new: str) -> Change:
    diff = diff_texts(old, new)
    assert len(diff.changes) == 1, diff.summary(10)
    return diff.changes[0]


@pytest.mark.parametrize(("new", "level", "reason"), [
    (BASE.replace("$80 million", "$58 million"), SUBSTANTIVE, "number changed: $80 million -> $58 million"),
    (BASE.replace("defending", "defunding"), SUBSTANTIVE, "defending -> defunding"),
    (BASE.replace("will provide", "will not provide"), SUBSTANTIVE, "negation added: not"),
    (BASE.replace("will provide", "may provide"), SUBSTANTIVE, "modal verb changed: will -> may"),
    (BASE.replace("will provide", "provides"), SUBSTANTIVE, "modal verb removed: will"),
    (BASE.replace("immediate ", ""), SUBSTANTIVE, "qualifier removed: immediate"),
    (BASE.replace("to Ukraine", "to Moldova"), SUBSTANTIVE, "Ukraine -> Moldova"),
    (BASE.replace("We are defending", "Secretary Blinken is defending"), SUBSTANTIVE, "Blinken"),
    (BASE + " The aid arrives on March 3.", SUBSTANTIVE, "number added: 3"),
    (BASE.replace(" We are defending democracy in the region.", ""), SUBSTANTIVE,
     "sentence removed"),
    (BASE + "\n\nMore aid will follow as needed.", SUBSTANTIVE, "paragraph added"),
    (BASE.replace("the region", "a region"), MINOR, "wording changed"),
    (BASE.replace("in the region", "on the region"), MINOR, "wording changed"),
    (BASE.replace("We are defending", "We are strongly defending"), MINOR, "words added"),
    (BASE.replace("United States", "united states"), COSMETIC, "capitalisation"),
    (BASE.replace("Ukraine.", "Ukraine;"), COSMETIC, "punctuation"),
    (BASE.replace("defending democracy", "defendingdemocracy"), COSMETIC, "missing space"),
    (BASE.replace("defending", "defending,"), COSMETIC, "punctuation"),
])
def test_rule(new: str, level: str, reason: str) -> None:
    diff = diff_texts(BASE, new)
    assert diff.significance == level, diff.summary(10)
    assert reason in " | ".join(r for c in diff.changes for r in c.said)


def test_cosmetic_style_rules() -> None:
    assert one("Meeting in Washington, D.C. today.", "Meeting in Washington, DC today.").significance == COSMETIC
    assert one("We will organise the programme.", "We will organize the programme.").significance == COSMETIC
    c = one("See https://example.gov/covid-19-vaccines.html for details.",
            "See COVID-19 vaccines for details.")
    assert c.significance == COSMETIC and "link text" in c.said[0]
    # A different page is a different link, not a style change (issue 12: substantive).
    c = one("See https://example.gov/a.html today.", "See https://example.gov/b.html today.")
    assert c.significance == SUBSTANTIVE and "link changed" in c.said[0]


def test_quotation_mark_is_not_cosmetic() -> None:
    c = one('He called it a "ceasefire" today.', "He called it a ceasefire today.")
    assert c.significance == MINOR and "quotation mark" in c.said[0]


def test_no_change_and_whitespace() -> None:
    assert diff_texts(BASE, BASE).significance == NONE
    assert diff_texts(BASE, BASE).summary() == "no change"
    split = BASE.replace("Ukraine. We", "Ukraine.\n\nWe")
    diff = diff_texts(BASE, split)
    assert diff.significance == COSMETIC and diff.changes[0].said == ("paragraph split",)


def test_moved_paragraph_is_one_move() -> None:
    paras = [f"Paragraph {w} says something about topic {w} in several words." for w in "ABCDE"]
    old = canonical_text(paras)
    new = canonical_text([paras[1], paras[2], paras[3], paras[0], paras[4]])
    diff = diff_texts(old, new)
    assert [c.op for c in diff.changes] == ["move"]
    c = diff.changes[0]
    # Issue 12: an unchanged paragraph moved is cosmetic.
    assert c.significance == COSMETIC
    assert old[c.old_start:c.old_end] == paras[0] == new[c.new_start:c.new_end]


def test_moved_sentence_is_a_move() -> None:
    old = "First sentence is here. Second sentence follows it. Third one ends the paragraph."
    new = "Second sentence follows it. Third one ends the paragraph. First sentence is here."
    diff = diff_texts(old, new)
    assert [c.op for c in diff.changes] == ["move"], diff.summary(10)


def test_positions_and_contract() -> None:
    new = BASE.replace("$80 million", "$58 million").replace("defending", "defunding")
    diff = diff_texts(BASE, new)
    for c in diff.changes:
        assert BASE[c.old_start:c.old_end] == c.old
        assert new[c.new_start:c.new_end] == c.new
    data = diff.to_json()
    assert set(data) == {"significance", "changes"}
    assert data["significance"] in ("none", "cosmetic", "minor", "substantive")
    for ch in data["changes"]:
        assert set(ch) == {"op", "old", "new", "significance", "reasons"}
        assert ch["op"] in ("insert", "delete", "replace", "move")
        assert all(isinstance(r, str) for r in ch["reasons"])
    assert diff.summary().startswith("substantive: 2 changes")


def test_revert() -> None:
    v1 = BASE
    v2 = BASE.replace("$80 million", "$58 million")
    assert not diff_texts(v1, v2, earlier=[]).revert
    back = diff_texts(v2, v1, earlier=[text_hash(v1)])
    assert back.revert and all(c.revert for c in back.changes)
    assert back.significance == SUBSTANTIVE  # a revert is still reported, and labelled
    assert is_revert(text_hash(v1), [text_hash(v1), "x"])
    assert not is_revert(text_hash(v2), [text_hash(v1)])
    # The JSON contract is unchanged by the flag.
    assert set(back.to_json()) == {"significance", "changes"}


def test_dataclasses_are_frozen_and_defaults() -> None:
    c = Change(ChangeOp.INSERT, "", "x", MINOR, (Reason(ReasonKind.WORDS, "r"),), 0, 0, 0, 1)
    assert c.revert is False
    with pytest.raises(AttributeError):
        c.op = "delete"  # type: ignore[misc]
    assert Diff((), NONE).revert is False


def test_classify_signature_for_quotecheck() -> None:
    level, reasons = classify("replace", "80", "58", "gave $80 million", "gave $58 million")
    assert level == SUBSTANTIVE and isinstance(reasons, list)
    assert classify("delete", "very", "")[0] == MINOR


def test_word_ops_and_tokens() -> None:
    assert "https://x.gov/a-1.html" in tokenize("see https://x.gov/a-1.html.")
    assert "12,300" in tokenize("more than 12,300 staff")
    ops = word_ops("the quick brown fox", "the quick red fox")
    assert (-1, "brown") in ops and (1, "red") in ops


def test_long_text_is_aligned_by_sentences() -> None:
    # One huge paragraph (no breaks): the sentence level keeps the diff exact and fast.
    sents = [f"Sentence number {i} talks about item {i} at length." for i in range(3000)]
    old = " ".join(sents)
    new = old.replace("item 1500 at", "item 1501 at").replace("item 2999 at", "thing 2999 at")
    diff = diff_texts(old, new)
    assert len(diff.changes) == 2
    assert all(c.significance == SUBSTANTIVE for c in diff.changes)
