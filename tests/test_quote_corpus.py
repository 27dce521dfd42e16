"""StatementCorpus: the verdicts of check_article, with the work done once per version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

import compare.corpus as corpus_mod
from compare.corpus import StatementCorpus, split_blocks
from compare.quotecheck import SourceText, check_article
from compare.quotes import extract_quotes
from tests.quote_eval import load_cases, sources_for


def _same(a, b) -> bool:
    """Same verdict, severity, statement and (when the reference has one) version."""
    return ((a.verdict, a.severity, a.source) == (b.verdict, b.severity, b.source)
            and (a.version is None or a.version == b.version))


_LOADED: dict[str, tuple] = {}


@pytest.fixture
def statements(shared_dir):
    from tests.quote_cases import load_statements

    if "data" not in _LOADED:  # the feed is read once for the module
        data = load_statements()
        _LOADED["data"] = (data, sorted(data))
    return _LOADED["data"]


def test_blocks_rebuild_the_text() -> None:
    for text in ["", "x", "  a b.\n\nc d\n", "p1\n \np2  \n", "One. " * 400, "word " * 20_000]:
        lead, blocks, seps = split_blocks(text)
        assert lead + "".join(b + s for b, s in zip(blocks, seps, strict=True)) == text
        assert all(b and b == b.strip() for b in blocks)
        assert all(len(b.split()) <= 200 for b in blocks)


def test_seed_pair_same_verdicts(shared_dir) -> None:
    article = (shared_dir / "seeds" / "joint-statement-press-coverage.txt").read_text(encoding="utf-8")
    statement = (shared_dir / "seeds" / "joint-statement-official.txt").read_text(encoding="utf-8")
    sources = [SourceText("https://example.org/other", "Unrelated text about trade.", 1),
               SourceText("https://example.org/joint", statement, 1)]
    quotes = extract_quotes(article)
    ref = check_article(quotes, sources)
    corpus = StatementCorpus()
    corpus.add("https://example.org/other", 1, "Unrelated text about trade.")
    corpus.add("https://example.org/joint", 1, statement)
    got = corpus.check_article(quotes, links=["https://example.org/joint"])
    assert [c.verdict for c in got] == ["variant", "exact", "exact"]
    assert all(_same(a, b) for a, b in zip(ref, got, strict=True))
    assert [c.to_json() for c in got] == [c.to_json() for c in ref]
    assert {c.version for c in got} == {1}


def test_labelled_cases_same_verdicts(statements) -> None:
    data, keys = statements
    differ = []
    for case in load_cases():
        quotes = extract_quotes(case["article"])
        pub = datetime.fromisoformat(case["published_at"]) if case.get("published_at") else None
        sources = sources_for(case, data, keys)
        ref = check_article(quotes, sources, pub)
        got = StatementCorpus.from_sources(sources).check_article(quotes, pub)
        if len(ref) != len(got) or not all(_same(a, b) for a, b in zip(ref, got, strict=True)):
            differ.append((case["id"], [(c.verdict, c.severity) for c in ref],
                           [(c.verdict, c.severity) for c in got]))
    assert not differ


def test_index_path_finds_the_statement_among_many(statements) -> None:
    """More statements than INDEX_ABOVE: candidates come from the shingle index."""
    data, keys = statements
    cases = [c for c in load_cases() if not c.get("versions")
             and c["expect"][0][0] in ("exact", "variant", "edited")][:40]
    corpus = StatementCorpus()
    wanted = {c["statement"] for c in cases}
    for k in keys[:300] + sorted(wanted):
        for i, v in enumerate(data[k]):
            corpus.add(k, i + 1, v["text"], datetime.fromisoformat(v["seen_at"]))
    assert len(corpus.stats()) and corpus.stats()["statements"] > 300
    for case in cases:
        quotes = extract_quotes(case["article"])
        got = corpus.check_article(quotes)
        assert [c.source for c in got] == [case["statement"]] * len(got), case["id"]
        assert [[c.verdict, c.severity] for c in got] == [[e[0].split("|")[0], e[1]] for e in case["expect"]], case["id"]


def test_versions_sharing_a_passage_are_aligned_once(monkeypatch) -> None:
    para = ("The United States strongly condemns the attack on the convoy and calls on all parties "
            "to allow immediate humanitarian access to the region.")
    corpus = StatementCorpus()
    for seq in range(1, 51):
        # Fifty versions: the quoted paragraph never changes; a later paragraph does each time.
        corpus.add("https://example.org/s", seq, f"Press statement.\n\n{para}\n\nUpdated note number {seq}.\n\nEnd.")
    for n in range(20):  # enough statements for the index path
        corpus.add(f"https://example.org/other{n}", 1, f"Unrelated statement {n} about trade and fisheries.")
    calls = []
    real = corpus_mod.evaluate_prepared
    monkeypatch.setattr(corpus_mod, "evaluate_prepared", lambda *a: calls.append(1) or real(*a))
    quotes = extract_quotes(f"“{para}” the department said.")
    got = corpus.check_article(quotes)
    assert [(c.verdict, c.source, c.version) for c in got] == [("exact", "https://example.org/s", 50)]
    assert len(calls) == 1
    assert corpus.stats()["blocks"] == 3 + 50 + 20


def test_from_store_pairs_and_stale(statements) -> None:
    """The pipeline's input: (DocumentRecord, Version) pairs; the latest seq is current."""

    @dataclass(frozen=True)
    class Rec:
        url: str

    @dataclass(frozen=True)
    class Ver:
        seq: int
        display_text: str
        first_seen: datetime

    old = "The ministers will meet in Geneva on 4 May to agree a full ceasefire in the region."
    new = "The ministers will meet in Geneva on 6 May to discuss a ceasefire in the region."
    pairs = [(Rec("https://example.org/s"), Ver(1, f"Joint statement.\n\n{old}", datetime(2024, 5, 1))),
             (Rec("https://example.org/s"), Ver(2, f"Joint statement.\n\n{new}", datetime(2024, 5, 3)))]
    corpus = StatementCorpus.from_store(pairs)
    quotes = extract_quotes(f"“{old}” the statement said.")
    early = corpus.check_article(quotes, published_at=datetime(2024, 5, 2))
    late = corpus.check_article(quotes, published_at=datetime(2024, 5, 4))
    assert [(c.verdict, c.version) for c in early] == [("stale", 1)]
    assert [(c.verdict, c.severity, c.version) for c in late] == [("misquote", "major", 2)]
    assert corpus.versions("https://example.org/s")[-1].current
    corpus.add("https://example.org/s", 3, f"Joint statement.\n\n{old}", datetime(2024, 5, 5))
    assert [c.verdict for c in corpus.check_article(quotes)] == ["exact"]
    assert corpus.text("https://example.org/s", 3) == f"Joint statement.\n\n{old}"
