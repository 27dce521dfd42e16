"""The vocabularies: string-equal to the old values, ordered by meaning, documented examples hold."""

from __future__ import annotations

import doctest
import json

import pytest

import alerts.escape
import compare.textnorm
import compare.vocab
from compare import lexicon
from compare.textnorm import words
from compare.vocab import AlertKind, Severity, Significance, Verdict


@pytest.mark.parametrize("module", [compare.vocab, compare.textnorm, alerts.escape],
                         ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_members_are_the_old_strings() -> None:
    assert [s.value for s in Significance] == ["none", "cosmetic", "minor", "substantive"]
    assert [v.value for v in Verdict] == ["exact", "variant", "edited", "misquote", "stale",
                                          "unverified"]
    assert [s.value for s in Severity] == ["none", "minor", "major"]
    assert {k.value for k in AlertKind} == {"edit", "misquote", "stale", "removed", "new",
                                            "drift"}
    assert Significance.MINOR == "minor" and json.dumps([Verdict.STALE]) == '["stale"]'


def test_significance_order_is_by_meaning_not_alphabet() -> None:
    assert sorted(["substantive", "none", "minor", "cosmetic"], key=Significance) == [
        "none", "cosmetic", "minor", "substantive"]
    assert Significance.NONE < Significance.COSMETIC  # "none" > "cosmetic" as strings
    assert Significance.SUBSTANTIVE > "minor" and Significance.MINOR >= "minor"
    assert Significance.highest([]) is Significance.NONE
    assert Significance.highest(["cosmetic", "minor"]) is Significance.MINOR
    assert Significance.MINOR.reaches("cosmetic") and not Significance.MINOR.reaches("substantive")
    with pytest.raises(ValueError):
        _ = Significance.MINOR < "major"  # a severity is not a significance


def test_verdicts_severities_and_kinds() -> None:
    assert [v for v in Verdict if v.clean] == [Verdict.EXACT, Verdict.VARIANT, Verdict.EDITED]
    assert [v for v in Verdict if v.alerted] == [Verdict.MISQUOTE, Verdict.STALE]
    assert Severity.MAJOR.significance is Significance.SUBSTANTIVE
    assert Severity.MINOR.significance is Significance.MINOR
    assert AlertKind.for_verdict("stale") is AlertKind.STALE
    assert AlertKind.for_verdict(Verdict.MISQUOTE) is AlertKind.MISQUOTE
    with pytest.raises(ValueError, match="raises no alert"):
        AlertKind.for_verdict(Verdict.EXACT)
    assert [k for k in AlertKind if k.about_quote] == [AlertKind.MISQUOTE, AlertKind.STALE,
                                                       AlertKind.DRIFT]


def test_one_tokenizer_for_the_lexicon() -> None:
    # Contractions expand the same way for the diff as for quote matching.
    assert words("It can’t, won't and cannot") == ["it", "can", "not", "will", "not", "and",
                                                   "can", "not"]
    # So no list holds a contracted form that the tokenizer would never produce.
    for name in ("NEGATIONS", "MODALS", "QUALIFIERS", "HEDGES", "CONDITIONS", "INTENSIFIERS"):
        vocab = getattr(lexicon, name)
        assert all("'" not in w and w == w.lower() for w in vocab), name
        assert all(words(w) == [w] for w in vocab), name
    assert set(lexicon.MODAL_STRENGTH) == lexicon.MODALS
