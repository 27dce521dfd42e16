"""Speed paths of the claims check (issue 14) give what the plain paths give: the drift checks
run lazily (the first that finds something decides, as when every check ran), the
candidate statements come from the quotes alone when they name enough statements, and a
backfill limited to some statements stores theirs only. Real SQLite store, real model."""

from __future__ import annotations

from compare.claims import (
    MAX_STATEMENTS,
    Claim,
    _drifts,
    article_claims,
    candidate_urls,
    judge_claim,
)
from compare.embed import text_key
from compare.quote_engine import check_article, statement_candidates
from compare.quotes import extract_quotes
from compare.vocab import ClaimVerdict, DriftKind
from flows.pipeline import backfill_vectors, load_embedder
from store import Store, quoteindex
from store.quoteindex import StoreQuoteIndex
from tests.storefixtures import obs

STATEMENTS = {
    "https://gov.example/a": ("The ministers will not impose conditions on emergency relief to the region.",
                              "They agreed to meet again in Lima in 2027 to review progress."),
    "https://gov.example/b": ("The agency opened three new clinics in the northern provinces this spring.",
                              "Each clinic will serve about 4,000 patients a year."),
    "https://gov.example/c": ("The council approved a budget of $12 million for road repairs.",
                              "Work on the coastal highway begins in March."),
    "https://gov.example/d": ("The council also discussed a plan for new bus routes in the city.",
                              "A decision on the bus routes is expected next year."),
}
ARTICLE = (
    "Regional news\n\n"
    "\u201cThe ministers will not impose conditions on emergency relief to the region,\u201d the statement said.\n\n"
    "\u201cThe agency opened three new clinics in the northern provinces this spring,\u201d officials said.\n\n"
    "\u201cThe council approved a budget of $12 million for road repairs,\u201d it added.\n\n"
    "Officials said each clinic would serve about 4,000 patients a year, and that the ministers "
    "would meet again in Lima in 2027 to review progress.")


def _store(store: Store) -> StoreQuoteIndex:
    for url, paras in STATEMENTS.items():
        store.record_observation(quoteindex.prepare(obs(url, *paras)))
    return StoreQuoteIndex(store)


def test_candidates_from_the_quotes_alone_are_the_searched_ones(store: Store) -> None:
    index = _store(store)
    quotes = check_article(index, extract_quotes(ARTICLE))
    quoted = {qc.source for qc in quotes if qc.source}
    assert len(quoted) >= MAX_STATEMENTS  # the shortcut applies
    claims = article_claims(ARTICLE, quotes)
    preferred = [qc.source for qc in quotes if qc.source and qc.verdict.value != "unverified"]
    searched = list(dict.fromkeys(statement_candidates(index, [c.text for c in claims],
                                                       preferred=preferred)))[:MAX_STATEMENTS]
    assert candidate_urls(index, claims, quotes) == searched
    assert "https://gov.example/d" not in searched
    # Fewer quoted statements than are kept: the index is searched, as before.
    one = [qc for qc in quotes if qc.source == "https://gov.example/a"]
    assert candidate_urls(index, claims, one) == list(dict.fromkeys(statement_candidates(
        index, [c.text for c in claims], preferred=[qc.source for qc in one if qc.source])))[:MAX_STATEMENTS]


def test_lazy_checks_find_what_the_eager_list_found() -> None:
    """The first check with a finding decides; those after it are not run. Against the
    eager evaluation of every check (the list judge_claim built before), same verdicts."""
    statement = ("The ministers will not impose conditions on emergency relief.\n\n"
                 "They committed $80 million over five years to clean water in Fiji.")
    cases = [("The ministers will impose conditions on emergency relief.", DriftKind.NEGATION),
             ("They committed $18 million over five years to clean water in Fiji.", DriftKind.NUMBER),
             ("They committed $80 million over five years to clean water in Samoa.", DriftKind.ENTITY),
             ("They committed $80 million over five years to clean water in Fiji.", None)]
    for text, kind in cases:
        claim = Claim(text, 0, len(text), None)
        sentence = statement.split("\n\n")[0 if "relief" in text else 1]
        eager = [(k, r) for k, r in list(_drifts(claim, text, sentence, sentence, statement)) if r]
        verdict, got, _, _ = judge_claim(claim, [sentence], statement, 0.9)
        assert got == kind == (eager[0][0] if eager else None)
        assert verdict is (ClaimVerdict.DRIFT if kind else ClaimVerdict.FAITHFUL)


def test_backfill_of_some_statements_stores_theirs_only(store: Store) -> None:
    index = _store(store)
    model = load_embedder()
    done = backfill_vectors(store, model, urls=["https://gov.example/b", "https://gov.example/b"])
    assert done.statements == 1 and done.embedded == 2
    keys = [text_key(s) for paras in STATEMENTS.values() for s in paras]
    assert set(index.sentence_vectors(model.model_id, keys)) == {text_key(s) for s in STATEMENTS["https://gov.example/b"]}
