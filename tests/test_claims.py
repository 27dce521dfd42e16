"""compare/claims.py and compare/embed.py: the documented examples, claim finding, the checks,
versions, the coverage map and the JSON contract (statements in a real temporary store)."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime
from pathlib import Path

import pytest

import compare.claims
import compare.embed
from compare.claims import (
    Claim,
    ClaimReport,
    ParagraphCoverage,
    check_claims,
    find_claims,
    merge_coverage,
)
from compare.embed import MiniLM
from compare.quotecheck import SourceText
from compare.vocab import ClaimVerdict, CoverageHow, DriftKind
from flows.pipeline import load_embedder
from store.quoteindex import StoreQuoteIndex
from tests.quote_store import store_of

URL = "https://www.state.gov/floods"
STATEMENT = (
    "Assistance for Flood Victims\n\n"
    "The United States is providing $80 million in new humanitarian assistance to help the people "
    "of the region recover from the devastating floods.\n\n"
    "We will continue to work closely with the government and with humanitarian partners to deliver "
    "food, shelter and medical care to displaced families. The assistance will not be conditioned on "
    "the outcome of the elections.\n\n"
    "We condemn the attacks on aid convoys and demand that all parties allow humanitarian access.")


@pytest.mark.parametrize("module", [compare.claims, compare.embed], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted >= 3 and result.failed == 0


def test_embedder_is_loaded_once_and_offline() -> None:
    e = load_embedder()
    assert e is load_embedder()  # one per process
    model, tokenizer = compare.embed.model_files()
    assert model.is_file() and tokenizer.is_file()  # shipped by packages, nothing downloaded
    v = e.encode(["We will continue to provide aid.", "Aid will continue to be provided.",
                  "The weather in Paris was mild."])
    assert abs(float(v[0] @ v[0]) - 1) < 1e-3
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3  # a paraphrase is nearer than a stranger


def test_embedder_refuses_a_swapped_model(tmp_path: Path) -> None:
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(compare.embed.ModelUnavailable, match="not the published"):
        MiniLM(model_path=bad).load()


def test_embedder_never_loads_inside_compare() -> None:
    """compare/ encodes with the model it is handed; opening the file is the caller's
    (flows/, the CLI): an unloaded model refuses to encode instead of loading itself."""
    with pytest.raises(compare.embed.ModelUnavailable, match="load"):
        MiniLM().encode(["The package provides $80 million."])


def test_find_claims_reporting_verbs_nouns_and_other_speakers() -> None:
    text = ("Floods: US pledges aid\n\n"
            "WASHINGTON, May 2 (Wire) — The United States on Tuesday announced $80 million in aid for flood victims.\n\n"
            "According to the statement, the aid will not depend on the elections.\n\n"
            "Aid groups said the money would not be enough to rebuild the bridges.\n\n"
            "The floods killed at least 200 people last week.\n\n"
            "“We condemn the attacks on aid convoys,” the statement said. It demanded that all parties "
            "allow access, describing the attacks as “unacceptable.”")
    claims = find_claims(text)
    got = [c.text for c in claims]
    assert got[0] == "The United States on Tuesday announced $80 million in aid for flood victims."
    assert "According to the statement, the aid will not depend on the elections." in got
    assert not any("Aid groups" in g for g in got)  # someone else's words
    assert not any("killed at least 200" in g for g in got)  # background, attributed to no one
    assert not any("We condemn" in g for g in got)  # the quote's, not a claim
    assert "It demanded that all parties allow access" in got  # the clause before the quote
    for c in claims:
        assert text[c.start:c.end] == c.text


def test_find_claims_possessive_attribution_and_bylines() -> None:
    text = ("Sanctions widen\n\n"
            "By Jane Smith\n\n"
            "By Blinken’s account, the network had moved billions of dollars’ worth of oil.\n\n"
            "By analysts’ account, the sanctions would barely dent the trade.\n\n"
            "In the minister’s words, the talks were a turning point for the region.")
    got = {c.text: c.speaker for c in find_claims(text)}
    assert got.get("By Blinken’s account, the network had moved billions of dollars’ worth of oil.") == "Blinken"
    assert got.get("In the minister’s words, the talks were a turning point for the region.") == "the minister"
    assert not any("Jane Smith" in g for g in got)  # a byline, not a claim
    assert not any("analysts" in g for g in got)  # someone else's account


@pytest.fixture(scope="module")
def index_store():  # noqa: ANN201
    store = store_of([SourceText(URL, STATEMENT),
                      SourceText("https://www.state.gov/other", "The Secretary met the Foreign Minister of Chile "
                                 "to discuss trade, mining and clean energy cooperation.")])
    yield StoreQuoteIndex(store)
    store.close()
    Path(store.location).unlink(missing_ok=True)


ARTICLE = (
    "US pledges flood aid\n\n"
    "The State Department said the United States was providing $58 million in new humanitarian aid to help "
    "the region recover from the floods.\n\n"
    "It said Washington would continue to work closely with the government and aid partners to deliver food, "
    "shelter and medical care to displaced families.\n\n"
    "The department said the assistance would be conditioned on the outcome of the elections.\n\n"
    "The statement also said Washington might send military engineers to rebuild the destroyed bridges.\n\n"
    "The department said it was worried about the attacks on aid convoys and hoped all parties would consider "
    "allowing humanitarian access.")


def test_verdicts_kinds_and_reasons(index_store: StoreQuoteIndex) -> None:
    report = check_claims(index_store, ARTICLE, embedder=load_embedder())
    assert len(report.claims) == 5
    number, faithful, negation, unsupported, softened = report.claims
    assert (number.verdict, number.kind) == (ClaimVerdict.DRIFT, DriftKind.NUMBER)
    assert '"58"' in number.reasons[0] and '"80"' in number.reasons[0]
    assert faithful.verdict is ClaimVerdict.FAITHFUL and faithful.kind is None
    assert (negation.verdict, negation.kind) == (ClaimVerdict.DRIFT, DriftKind.NEGATION)
    assert "not" in negation.reasons[0]
    assert unsupported.verdict is ClaimVerdict.UNSUPPORTED and unsupported.matched == ""
    assert (softened.verdict, softened.kind) == (ClaimVerdict.DRIFT, DriftKind.SOFTENED)
    for c in report.claims:
        assert c.source == URL and c.version == 1 and c.version_id is not None
        assert c.reasons


def test_coverage_map_and_json(index_store: StoreQuoteIndex) -> None:
    report = check_claims(index_store, ARTICLE, embedder=load_embedder())
    cov = {p.paragraph: p for p in report.coverage}
    assert {p.source for p in report.coverage} == {URL}  # the Chile readout is not reported
    assert cov[0].how is CoverageHow.NONE  # the title
    assert cov[1].how is CoverageHow.PARAPHRASED and cov[1].covered
    assert cov[2].how is CoverageHow.PARAPHRASED and cov[3].how is CoverageHow.PARAPHRASED
    j = report.to_json()
    assert set(j) == {"claims", "coverage"}
    assert set(j["claims"][0]) == {"text", "start", "end", "verdict", "kind", "severity", "source",  # type: ignore[index]
                                   "matched", "score", "reasons", "speaker", "version"}
    assert set(j["coverage"][0]) == {"source", "paragraph", "text", "covered", "how"}  # type: ignore[index]


def test_merge_coverage_across_articles(index_store: StoreQuoteIndex) -> None:
    a = check_claims(index_store, ARTICLE, embedder=load_embedder())
    quoted = ClaimReport((), (ParagraphCoverage(URL, 1, "p", CoverageHow.QUOTED),
                              ParagraphCoverage(URL, 0, "t", CoverageHow.NONE)))
    merged = {p.paragraph: p.how for p in merge_coverage([a, quoted])}
    assert merged[1] is CoverageHow.BOTH and merged[0] is CoverageHow.NONE
    assert merged[3] is CoverageHow.PARAPHRASED


def test_judged_against_the_version_current_at_publication() -> None:
    old = STATEMENT.replace("$80 million", "$58 million")
    store = store_of([SourceText(URL, old, seen_at=datetime(2025, 1, 1, tzinfo=UTC)),
                      SourceText(URL, STATEMENT, seen_at=datetime(2025, 2, 1, tzinfo=UTC))])
    try:
        index = StoreQuoteIndex(store)
        claim = ARTICLE.split("\n\n")[1]
        spans = [Claim(claim, ARTICLE.index(claim), ARTICLE.index(claim) + len(claim), "The State Department")]
        then = check_claims(index, ARTICLE, published_at=datetime(2025, 1, 15, tzinfo=UTC), claims=spans,
                            embedder=load_embedder())
        now = check_claims(index, ARTICLE, claims=spans, embedder=load_embedder())
        assert then.claims[0].verdict is ClaimVerdict.FAITHFUL and then.claims[0].version == 1
        assert now.claims[0].kind is DriftKind.NUMBER and now.claims[0].version == 2
    finally:
        store.close()
        Path(store.location).unlink(missing_ok=True)


def test_no_statement_means_unsupported() -> None:
    store = store_of([])
    try:
        report = check_claims(StoreQuoteIndex(store), ARTICLE, embedder=load_embedder())
        assert report.claims and all(c.verdict is ClaimVerdict.UNSUPPORTED and c.source is None
                                     for c in report.claims)
        assert report.coverage == ()
    finally:
        store.close()
        Path(store.location).unlink(missing_ok=True)


BOARD_URL = "https://www.state.gov/assembly-readout"
BOARD = (
    "Readout of the Ministers' Meeting on Fisheries\n\n"
    "A large majority of delegates at the Regional Fisheries Assembly backed the new catch limits "
    "today, a clear sign that the stocks must be protected.\n\n"
    "They also urged the coastal states to hold illegal trawler fleets accountable for overfishing, "
    "particularly in the southern waters.\n\n"
    "The ministers explored a joint approach to monitoring catches at sea. Minister Okafor stressed "
    "the importance of open markets and a commitment to fighting inflation in the sector.")


def test_commitments_reported_stronger_stay_aligned_as_drift() -> None:
    """A claim that adds a commitment to a sentence's act (same actor, same act or object)
    scores low and would be called unsupported on words and vectors alone: the rules keep it
    drift of the right kind; a claim the statement has nothing of stays unsupported."""
    article = ("They urged regional governments to impose sanctions on the owners and seize their vessels.\n\n"
               "Delegates passed it unanimously, the statement said.\n\n"
               "The ministers signed a pact on monitoring catches at sea.\n\n"
               "Minister Okafor warned that subsidies would depend on progress against inflation.\n\n"
               "The statement said the ministers would open a research station on the coast next year.")
    store = store_of([SourceText(BOARD_URL, BOARD)])
    try:
        paras = article.split("\n\n")
        spans = [Claim(p, article.index(p), article.index(p) + len(p), None) for p in paras]
        got = [(c.verdict, c.kind) for c in check_claims(StoreQuoteIndex(store), article, claims=spans, embedder=load_embedder()).claims]
        assert got == [(ClaimVerdict.DRIFT, DriftKind.HARDENED), (ClaimVerdict.DRIFT, DriftKind.SCOPE),
                       (ClaimVerdict.DRIFT, DriftKind.HARDENED), (ClaimVerdict.DRIFT, DriftKind.HARDENED),
                       (ClaimVerdict.UNSUPPORTED, None)]
    finally:
        store.close()
        Path(store.location).unlink(missing_ok=True)


def test_descriptions_and_repeats_are_not_conditions() -> None:
    """Only phrases that set a condition harden a report: "linked to", "depend on" as a fact
    and "once again" describe or repeat; "would depend on" and "once" as a trigger condition."""
    cond = compare.claims.condition_changes
    assert cond("The sanctions target three companies linked to the militia.",
                "The sanctions target three companies affiliated with the militia.") == []
    assert cond("He said millions of people depend on the grain shipments.",
                "Millions of people rely on these grain shipments.") == []
    assert cond("The United States once again condemned the attack.", "The United States again condemns the attack.") == []
    assert cond("She warned that aid would depend on progress against corruption.",
                "She stressed the importance of combatting corruption.")
    assert cond("Aid will resume once power is transferred.", "Aid will resume after a transfer of power.")


def test_a_concluded_act_must_be_the_claims_own_and_not_denied() -> None:
    """A concluding word that describes something else ("abuses committed", "the agreement
    signed last year") or is denied ("not yet finalized") reports no deal done."""
    done = compare.claims.concluded_changes
    assert done("The two countries signed an accord on sharing intelligence.",
                "The two sides also discussed enhanced sharing of intelligence.")
    assert done("The two countries signed an accord on sharing intelligence.",
                "Participants highlighted their efforts and proposed to share intelligence.")
    assert done("He raised concerns about abuses committed by the security forces.",
                "The Secretary raised concerns about abuses perpetrated by the security forces.") == []
    assert done("The agreement signed last year was discussed by the ministers.",
                "The ministers discussed last year's accord.") == []
    assert done("They have not yet finalized the plan.", "They discussed the plan.") == []
