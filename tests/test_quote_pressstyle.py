"""Press style is never a misquote; a different value, name or hidden meaning is (issue 13).

Quotes are judged by the one engine over a real SQLite store (tests/quote_store.py), the way
the pipeline judges them.
"""

from __future__ import annotations

import pytest

from compare.pressstyle import keys, transliteration
from compare.quotecheck import QuoteCheck, SourceText
from compare.quotes import Quote
from compare.vocab import Severity, Verdict
from tests import quote_store

URL = "https://gov.example/statement"
STATEMENT = (
    "Joint Statement by the United States and the Republic of Korea\n\n"
    "On June 2, 2022, the United States and the ROK convened the ninth meeting of the working "
    "group in Washington. The United States will provide $13 billion to 44 partners, and US$60 "
    "million to the UN for firsthand monitoring. Burma's regime must reopen the roads to Côte "
    "d'Ivoire envoys. The talks in Viet Nam took place on June 29-30. The PRC's pretenses were "
    "rejected by the President's adviser. Felix Ulloa praised Hizballah's critics.\n\n"
    "We stress that aid will not be cut if the regime releases the prisoners. Sanctions apply "
    "to officials involved in significant corruption and their family members. Assistance "
    "goes to governments that have taken action against trafficking. Deputy Secretary Sherman "
    "met the Foreign Minister. She voiced concerns about freedoms in Cambodia."
)
OTHER = ("The Secretary announced new measures on maritime security in the Pacific. The "
         "Department will host a conference on fisheries enforcement next spring.")


def _check(text: str, other: bool = True) -> QuoteCheck:
    sources = [SourceText(URL, STATEMENT)]
    if other:
        sources.append(SourceText("https://gov.example/other", OTHER))
    return quote_store.check(sources, [Quote(text, 0, len(text))], links=[URL])[0]


@pytest.mark.parametrize(("a", "b"), [
    ("on 2 June 2022", "on June 2, 2022"),
    ("29-30 June", "June 29-30"),
    ("forty-four partners", "44 partners"),
    ("the 9th meeting", "the ninth meeting"),
    ("13 billion dollars", "$13 billion"),
    ("US$60 million", "$60 million"),
    ("the U.S. and the U.N.", "the US and the UN"),
    ("Félix", "Felix"),
    ("Cote d'Ivoire", "Côte d’Ivoire"),
    ("Vietnam", "Viet Nam"),
    ("Myanmar", "Burma"),
    ("South Korea", "the ROK"),
    ("Republic of Korea", "ROK"),
    ("China's", "the PRC’s"),
    ("pretences", "pretenses"),
    ("Honduras’s", "Honduras’"),
    ("adviser", "advisor"),
])
def test_press_forms_have_one_canonical_form(a: str, b: str) -> None:
    assert keys(a) == keys(b)


@pytest.mark.parametrize(("a", "b"), [
    ("on 3 June 2022", "on June 2, 2022"),
    ("forty-five partners", "44 partners"),
    ("the 8th meeting", "the ninth meeting"),
    ("$13 million", "$13 billion"),
    ("Vietnam", "Cambodia"),
    ("North Korea", "South Korea"),
    ("China", "Taiwan"),
    ("May 2", "March 2"),
])
def test_different_values_stay_different(a: str, b: str) -> None:
    assert keys(a) != keys(b)


def test_may_the_modal_is_not_a_month() -> None:
    assert keys("we may 2") == ["we", "may", "2"]


def test_transliterations_and_not_other_names() -> None:
    assert transliteration("Hezbollah", "Hizballah")
    assert transliteration("Quds", "Qods")
    assert transliteration("Lukashenko", "Lukashenka")
    assert not transliteration("Iran", "Iraq")
    assert not transliteration("Austria", "Australia")
    assert not transliteration("Mali", "Male")
    assert not transliteration("Natalie", "Natalia")


@pytest.mark.parametrize("quote", [
    "On 2 June 2022, the United States and South Korea convened the 9th meeting of the working group",
    "The United States will provide 13 billion dollars to forty-four partners, and $60 million to "
    "the U.N. for first-hand monitoring.",
    "Myanmar's regime must re-open the roads to Cote d'Ivoire envoys.",
    "The talks in Vietnam took place on 29-30 June.",
    "China's pretences were rejected by the President's advisor.",
    "Félix Ulloa praised Hezbollah's critics.",
])
def test_press_style_is_a_variant_not_a_misquote(quote: str) -> None:
    got = _check(quote)
    assert got.verdict is Verdict.VARIANT, got.reasons


@pytest.mark.parametrize(("quote", "why"), [
    ("On 3 June 2022, the United States and South Korea convened the ninth meeting", "number"),
    ("The United States will provide 13 million dollars to forty-four partners", "number"),
    ("The United States will provide $13 billion to forty-five partners", "number"),
    ("Cambodia's regime must reopen the roads to Côte d'Ivoire envoys.", "name"),
    ("the United States and North Korea convened the ninth meeting", "name"),
])
def test_a_different_value_stays_a_major_misquote(quote: str, why: str) -> None:
    got = _check(quote)
    assert got.verdict is Verdict.MISQUOTE and got.severity is Severity.MAJOR, got
    assert any(why in r for r in got.reasons), got.reasons


def test_a_bracket_naming_the_statements_person_is_accepted() -> None:
    got = _check("[Sherman] voiced concerns about freedoms in Cambodia.")
    assert got.verdict is Verdict.EDITED, got.reasons


def test_a_bracket_naming_a_capital_of_a_named_country_is_accepted() -> None:
    got = _check("[Washington] will provide $13 billion to 44 partners")
    assert got.verdict is Verdict.EDITED, got.reasons


def test_a_bracket_naming_a_wrong_speaker_is_a_major_misquote() -> None:
    got = _check("[Blinken] voiced concerns about freedoms in Cambodia.")
    assert got.verdict is Verdict.MISQUOTE and got.severity is Severity.MAJOR
    assert any("bracket names what the statement does not" in r and "Blinken" in r
               for r in got.reasons), got.reasons


@pytest.mark.parametrize(("quote", "hidden", "words"), [
    # A leading ellipsis that cuts the condition the quoted words depend on.
    ("... the regime releases the prisoners.", "negation (not) and a condition (if)",
     "aid will not be cut if"),
    # A trailing ellipsis that cuts a condition.
    ("We stress that aid will not be cut ...", "condition", "if the regime releases"),
    # An inner ellipsis that cuts a negation.
    ("We stress that aid will … be cut if the regime releases the prisoners.", "negation", "not"),
    # An inner ellipsis that takes a restricting phrase out of the middle of a phrase.
    ("Sanctions apply to officials ... and their family members.", "restrict",
     "involved in significant corruption"),
    # A trailing ellipsis that cuts a defining relative clause.
    ("Assistance goes to governments ...", "restrictive clause", "that have taken action"),
])
def test_an_ellipsis_that_hides_meaning_is_a_major_misquote(quote: str, hidden: str, words: str) -> None:
    got = _check(quote)
    assert got.verdict is Verdict.MISQUOTE and got.severity is Severity.MAJOR, got
    assert any(hidden in r and words in r for r in got.reasons), got.reasons


def test_an_ellipsis_over_a_conjunct_or_sentence_is_fair() -> None:
    got = _check("The United States will provide $13 billion to 44 partners … for firsthand monitoring.")
    assert got.verdict is Verdict.EDITED, got.reasons
    got = _check("Deputy Secretary Sherman met the Foreign Minister. … She voiced concerns")
    assert got.verdict is Verdict.EDITED, got.reasons


@pytest.mark.parametrize("quote", [
    # A sentence of another statement (not among those checked) on the same subject.
    "The United States will provide funding to the working group for the Pacific fisheries "
    "conference next spring.",
    # An invented sentence in the statement's vocabulary.
    "The working group agreed to double the money for officials and their family members in Cambodia.",
])
def test_other_or_invented_sentences_are_unverified(quote: str) -> None:
    got = _check(quote, other=False)
    assert got.verdict is Verdict.UNVERIFIED, (got.verdict, got.reasons)


def test_a_misquote_of_the_other_statement_is_judged_against_it() -> None:
    got = _check("The Department will host a conference on fisheries enforcement next summer.")
    assert got.verdict is Verdict.MISQUOTE and got.source == "https://gov.example/other"


def test_an_ellipsis_over_emphasis_is_fair() -> None:
    sources = [SourceText(URL, "We strongly condemn the executions of the four activists.")]
    q = "We ... condemn the executions of the four activists."
    got = quote_store.check(sources, [Quote(q, 0, len(q))])[0]
    assert got.verdict is Verdict.EDITED, got.reasons


def test_module_examples_hold() -> None:
    import doctest

    import compare.pressstyle

    result = doctest.testmod(compare.pressstyle)
    assert result.attempted >= 2 and result.failed == 0
