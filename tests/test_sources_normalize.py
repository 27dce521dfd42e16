"""Pure-function tests of display cleanup and canonical text."""

from __future__ import annotations

import pytest

from sources.normalize import (
    NORMALIZER_VERSION,
    canonical_paragraphs,
    canonical_text,
    clean_paragraphs,
    fold_typography,
    text_hash,
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("“quoted”", '"quoted"'),
        ("„Zitat“", '"Zitat"'),
        ("«guillemets»", '"guillemets"'),
        ("it’s ‘single’", "it's 'single'"),
        ("2019–2021 — dash ‒ figure ― bar − minus ‐ hyphen ‑ nb", "2019-2021 - dash - figure - bar - minus - hyphen - nb"),
        ("a\u00a0b\u2009c\u202fd\u3000e", "a b c d e"),
        ("soft\u00adhyphen", "softhyphen"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("ﬁne ① ＡＢＣ", "fine 1 ABC"),  # NFKC
        ("e\u0301", "é"),  # combining accent composed
    ],
)
def test_fold_typography(raw, folded):
    assert fold_typography(raw) == folded


def test_markdown_escapes_removed():
    assert clean_paragraphs([r"nearly \$1.5 billion \(sic\) at 5\% and a \* star"]) == (
        "nearly $1.5 billion (sic) at 5% and a * star",
    )


def test_backslash_before_letter_kept():
    assert clean_paragraphs([r"C:\Users is a path"]) == (r"C:\Users is a path",)


def test_whitespace_collapsed_and_empties_dropped():
    assert clean_paragraphs(["  a \t b\n c  ", "", "   ", "\u00ad"]) == ("a b c",)


def test_mid_sentence_break_rejoined():
    paras = ["They expressed concern", "about provocative actions, particularly drills.", "New paragraph."]
    assert clean_paragraphs(paras) == (
        "They expressed concern about provocative actions, particularly drills.",
        "New paragraph.",
    )


def test_sentence_end_not_rejoined():
    assert clean_paragraphs(["It ended.", "and this starts lower-case"]) == (
        "It ended.", "and this starts lower-case")
    assert clean_paragraphs(["Heading Without Stop", "Capitalised paragraph."]) == (
        "Heading Without Stop", "Capitalised paragraph.")


def test_canonical_equal_for_typographic_variants():
    a = canonical_text(["The Secretary’s “ironclad” commitment — 2025.", "Next\u00a0one."])
    b = canonical_text(["The Secretary's \"ironclad\" commitment - 2025.", "Next one."])
    assert a == b
    assert text_hash(a) == text_hash(b)


def test_canonical_differs_for_real_wording_change():
    assert text_hash(canonical_text(["12,300 federal staff"])) != text_hash(canonical_text(["14,000 federal staff"]))


def test_canonical_keeps_paragraph_boundaries():
    assert canonical_text(["One.", "Two."]) == "One.\n\nTwo."
    assert canonical_paragraphs(["One.", "", "Two."]) == ("One.", "Two.")


def test_display_keeps_typography():
    assert clean_paragraphs(["“quoted” — yes"]) == ("“quoted” — yes",)


def test_seed_statement_escape_and_break(shared_dir):
    text = (shared_dir / "seeds" / "joint-statement-official.txt").read_text(encoding="utf-8")
    paras = clean_paragraphs(text.split("\n\n"))
    joined = "\n".join(paras)
    assert "\\$" not in joined and "nearly $1.5 billion" in joined
    assert "They expressed concern about provocative actions" in joined


def test_normalizer_version_is_an_int():
    assert isinstance(NORMALIZER_VERSION, int) and NORMALIZER_VERSION >= 1
