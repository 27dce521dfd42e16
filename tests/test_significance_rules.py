"""Every registered significance rule carries a worked example, and the example holds."""

from __future__ import annotations

import doctest
import os

import pytest

from compare import significance
from compare.significance import RULES, Finding, Rule, classify, rule
from compare.vocab import Significance


def test_rules_are_registered_in_order_with_unique_names() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    # The order matters: links first (their digits are not amounts), style ends the
    # classification for same-letter edits, the minor fallback comes last.
    assert names[0] == "links" and names[-1] == "wording"
    assert names.index("numbers") < names.index("style") < names.index("negation")
    assert [r.name for r in RULES if r.final] == ["style"]
    for r in RULES:
        assert r.detects, r.name


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.name)
def test_rule_example_runs(r: Rule) -> None:
    """The rule's docstring has at least one `>>> classify(...)` example, and it passes."""
    parser = doctest.DocTestParser()
    test = parser.get_doctest(r.example, vars(significance).copy(), r.name, None, 0)
    assert any("classify(" in ex.source for ex in test.examples), \
        f"rule {r.name!r} has no classify() example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(test, out=lambda s: None)
    assert result.attempted >= 1
    assert result.failed == 0, f"rule {r.name!r}: its example fails"


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.name)
def test_rule_example_is_explained_by_that_rule(r: Rule) -> None:
    """Each example's reasons include one this rule itself finds: no example passes by
    courtesy of another rule."""
    parser = doctest.DocTestParser()
    for ex in parser.get_examples(r.example):
        call = ex.source.strip()
        args = eval(call.removeprefix("classify"), {})  # noqa: S307 - our own docstrings
        edit = significance.Edit(*args)
        # Rules see what the rules before them found: replay those first.
        found: list[Finding] = []
        for earlier in RULES[:RULES.index(r)]:
            out = earlier.fn(edit, found)
            if out is not None:
                found.extend(out)
        own = r.fn(edit, found)
        level, reasons = classify(*args)
        assert own, f"rule {r.name!r} finds nothing in its own example {call}"
        assert all(f.reason.text in reasons for f in own)
        assert level >= Significance.highest(f.level for f in own)


def test_a_rule_without_a_working_example_is_caught() -> None:
    """The registry test fails a rule whose example is wrong (checked on a throwaway rule)."""
    before = list(RULES)
    try:
        @rule("throwaway", "nothing, for this test")
        def _throwaway(e: significance.Edit, found: object) -> list[Finding]:
            """>>> classify("replace", "80", "58")
            (<Significance.COSMETIC: 'cosmetic'>, [])
            """
            return []

        bad = RULES[-1]
        test = doctest.DocTestParser().get_doctest(bad.example, vars(significance).copy(),
                                                   bad.name, None, 0)
        result = doctest.DocTestRunner().run(test, out=lambda s: None)
        assert result.failed == 1
        with pytest.raises(ValueError, match="registered twice"):
            rule("throwaway", "again")(_throwaway)
    finally:
        RULES[:] = before


def test_merged_lexicon_judgements() -> None:
    # "cannot" is a modal plus a negation for the diff as for the quote checker.
    level, reasons = classify("replace", "We can act.", "We cannot act.")
    assert level == Significance.SUBSTANTIVE and "negation added: not" in reasons
    # Hedges and conditions are qualifiers of an edit.
    level, reasons = classify("insert", "", "allegedly", "He said", "He allegedly said")
    assert level == Significance.SUBSTANTIVE and reasons == ["qualifier added: allegedly"]
    level, reasons = classify("insert", "", " unless asked", "act.", "act unless asked.")
    assert level == Significance.SUBSTANTIVE and "qualifier added: unless" in reasons
    # Modal strength is said in words.
    assert classify("replace", "may", "must", "We may act", "We must act")[1] == [
        "modal verb changed: may -> must (stronger)"]


def test_one_tokenizer_reads_contractions_and_spelling_alike() -> None:
    """What the diff and the quote checker now agree on (each was wrong before)."""
    ctx_old, ctx_new = "We do not fund it.", "We don't fund it."
    assert classify("replace", "do not", "don't", ctx_old, ctx_new)[0] == Significance.MINOR
    level, reasons = classify("replace", "can", "can't", "We can act.", "We can't act.")
    assert level == Significance.SUBSTANTIVE and "negation added: not" in reasons
    assert classify("replace", "let us", "let's", "So let us go.", "So let's go.")[0] == \
        Significance.MINOR
    for uk, us in (("programme", "program"), ("organisation's", "organization's"),
                   ("travelling", "traveling"), ("centre", "center")):
        assert classify("replace", uk, us) == (Significance.COSMETIC,
                                               [f"spelling variant: {uk!r} -> {us!r}"]), uk
    # A blanket suffix rule would have called these spelling variants.
    assert classify("replace", "four", "for")[0] != Significance.COSMETIC


def test_reason_wording_helper_example() -> None:
    """compare.significance._delta's docstring example, run."""
    import doctest

    from compare import significance

    finder = doctest.DocTestFinder()
    [test] = finder.find(significance._delta, "_delta", globs={"_delta": significance._delta})
    result = doctest.DocTestRunner().run(test)
    assert result.attempted == 1 and result.failed == 0


def test_function_words_are_listed_in_the_order_of_the_text_in_every_run() -> None:
    """The words a reason lists do not depend on the interpreter's string hashing (they
    were read from a set: "and, have" in one run, "have, and" in the next)."""
    import subprocess
    import sys

    call = ("from compare.significance import classify; print(classify('replace', 'rising', "
            "'and have risen', 'prices rising fast', 'prices and have risen fast')[1])")
    seen = {subprocess.run([sys.executable, "-c", call], env={**os.environ, "PYTHONHASHSEED": seed},
                           capture_output=True, text=True, check=True).stdout.strip()
            for seed in ("0", "2", "5")}
    assert seen == {"['function word added: and, have']"}
