"""The seed pair: a real joint statement and a real article whose three quotes are accurate."""

from __future__ import annotations

from compare.quotecheck import SourceText
from compare.quotes import extract_quotes
from tests.quote_store import check


def test_seed_article_quotes_are_accurate(shared_dir) -> None:
    article = (shared_dir / "seeds" / "joint-statement-press-coverage.txt").read_text(encoding="utf-8")
    statement = (shared_dir / "seeds" / "joint-statement-official.txt").read_text(encoding="utf-8")
    quotes = extract_quotes(article)
    # No paraphrase is taken for a quote: only the three passages in quotation marks.
    assert len(quotes) == 3
    for q in quotes:
        assert article[q.start:q.end].rstrip(",.") == q.text.rstrip(",.")
    checks = check([SourceText("https://example.org/other", "Unrelated text about trade."),
                    SourceText("https://example.org/joint", statement)], quotes)
    assert [c.verdict for c in checks] == ["variant", "exact", "exact"]
    for c in checks:
        j = c.to_json()
        assert set(j) == {"text", "start", "end", "verdict", "severity", "source", "matched", "reasons",
                          "speaker", "role"}
        assert j["source"] == "https://example.org/joint" and j["severity"] == "none"
        assert j["role"] == "statement"
    # The first is attributed in its sentence; the other two stand alone after a sentence whose
    # subject is the joint statement.
    assert [c.to_json()["speaker"] for c in checks] == ["the statement", "the joint statement",
                                                         "the joint statement"]
