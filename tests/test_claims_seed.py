"""The seed pair: every reported (unquoted) claim of the real article, judged against the real
joint statement, with the verdict a fact-checker would give written beside it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from compare.claims import ClaimReport, check_claims
from compare.quote_engine import check_article
from compare.quotecheck import SourceText
from compare.quotes import extract_quotes
from flows.pipeline import load_embedder
from store.quoteindex import StoreQuoteIndex
from tests.conftest import SHARED
from tests.quote_store import store_of

URL = "https://example.org/joint"

# (claim, acceptable (verdict, kind) pairs, why): our judgement of each claim. A claim is
# named by a hash of its first 40 characters, so the article's words stay out of the
# project (it is read from ../shared at test time); `why` says what it reports.
JUDGED = [
    ("d7caced1b1c4",
     {("faithful", None)}, "it is their joint statement; the meeting was on April 3 in Brussels"),
    ("db41d0e55e10",
     {("faithful", None)}, "same three ministers, same aims (trilateral cooperation, both regions)"),
    ("d9088c87a943",
     {("faithful", None)}, "condolences for the wildfires in the ROK and Japan, shortened"),
    ("c7e3e268960d",
     {("drift", "softened")}, "'ironclad commitments ... backed by America's unmatched military "
                              "strength' reported as plain 'commitments'"),
    ("de92152d067f",
     {("faithful", None)}, "support for U.S. efforts to engage the PRC and Russia on nuclear risks"),
    ("3411ab757410",
     {("faithful", None)}, "security cooperation and international law in the Indo-Pacific and "
                           "the South China Sea: two sentences of one paragraph, summarised"),
    ("75a40125bb86",
     {("drift", "softened")}, "'expressed concern about provocative actions, particularly the "
                              "recent military drills' reported as 'unease about military activities'"),
    ("bbbccbe8126d",
     {("faithful", None), ("drift", "hardened")},
     "'serious concerns over DPRK's increasing military cooperation with Russia' as 'opposing' "
     "it: a little stronger, the gist holds; the call for action on cyber theft is there"),
    ("9acb089230d9",
     {("faithful", None)}, "'maintain and strengthen the sanctions regime ... responding firmly to "
                           "violations ... of the relevant UNSCRs'"),
    ("e44a470c74aa",
     {("faithful", None)}, "trilateral meetings at all levels and the Youth Summit in Japan"),
]


def _name(claim: str) -> str:
    return hashlib.sha256(claim[:40].encode()).hexdigest()[:12]


@pytest.fixture(scope="module")
def report() -> tuple[str, ClaimReport]:
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED}")
    shared_dir = SHARED
    article = (shared_dir / "seeds" / "joint-statement-press-coverage.txt").read_text(encoding="utf-8")
    statement = (shared_dir / "seeds" / "joint-statement-official.txt").read_text(encoding="utf-8")
    store = store_of([SourceText("https://example.org/other", "Unrelated text about trade tariffs."),
                      SourceText(URL, statement)])
    try:
        index = StoreQuoteIndex(store)
        quotes = check_article(index, extract_quotes(article))
        return article, check_claims(index, article, quotes, embedder=load_embedder())
    finally:
        store.close()
        Path(store.location).unlink(missing_ok=True)


def test_every_reported_claim_found_and_judged(report: tuple[str, ClaimReport]) -> None:
    article, rep = report
    got = {_name(c.claim.text): c for c in rep.claims}
    assert len(rep.claims) == len(JUDGED)
    for head, accepted, why in JUDGED:
        c = got.get(head)
        assert c is not None, f"not found: {why}"
        assert article[c.claim.start:c.claim.end] == c.claim.text
        assert (c.verdict.value, c.kind.value if c.kind else None) in accepted, (head, why, c.reasons)
        assert c.source == URL
        assert c.matched and c.reasons


def test_drift_reasons_quote_both_texts(report: tuple[str, ClaimReport]) -> None:
    _, rep = report
    taiwan = next(c for c in rep.claims if _name(c.claim.text) == JUDGED[6][0])
    # The statement's sentence is cut by a stray paragraph break after "They expressed concern":
    # the half it reports has "called for an end to further destabilizing actions".
    assert '"unease"' in taiwan.reasons[0]
    assert any(f'"{w}"' in taiwan.reasons[0] for w in ("concern", "called"))
    assert "military drills" in taiwan.matched
    defense = next(c for c in rep.claims if _name(c.claim.text) == JUDGED[3][0])
    assert "ironclad" in defense.reasons[0] and defense.severity.value in ("minor", "major")


def test_no_claim_overlaps_a_quote(report: tuple[str, ClaimReport]) -> None:
    article, rep = report
    quotes = extract_quotes(article)
    for c in rep.claims:
        assert all(q.end <= c.claim.start or q.start >= c.claim.end for q in quotes)


def test_coverage_map_of_the_seed(report: tuple[str, ClaimReport]) -> None:
    _, rep = report
    by_par = {p.paragraph: p for p in rep.coverage if p.source == URL}
    assert all(p.source == URL for p in rep.coverage)  # the unrelated statement is not reported
    # Paragraph 1 (the meeting, NATO, condolences) is both quoted and paraphrased; the Taiwan
    # paragraph's second half is quoted and paraphrased; the Middle East ceasefire paragraph
    # and the human-rights paragraph are reported by no one; headings never.
    assert by_par[1].how.value == "both"
    assert by_par[6].how.value == "both"
    assert by_par[7].how.value == "none" and by_par[11].how.value == "none"
    assert by_par[2].how.value == "none" and not by_par[2].covered
    assert {p.how.value for p in rep.coverage} >= {"both", "paraphrased", "none"}
