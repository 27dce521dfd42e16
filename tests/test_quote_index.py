"""The statement index in the store and the one quote engine over it, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

import compare.quote_engine as engine_mod
from compare.quote_engine import check_article
from compare.quoteblocks import index_text, split_blocks
from compare.quotecheck import SourceText
from compare.quotes import extract_quotes
from store import Store
from store import schema as t
from store.quoteindex import StoreQuoteIndex
from tests.quote_eval import load_cases, run_case, sources_for
from tests.quote_store import add, check, statement, store_of
from tests.storefixtures import obs, record, truncate_all

_LOADED: dict[str, tuple] = {}


@pytest.fixture
def statements(shared_dir):
    from tests.quote_cases import load_statements

    if "data" not in _LOADED:  # the feed is read once for the module
        data = load_statements()
        _LOADED["data"] = (data, sorted(data))
    return _LOADED["data"]


def _same(a, b) -> bool:
    """Same verdict, severity, statement and (when the reference has one) version."""
    return ((a.verdict, a.severity, a.source) == (b.verdict, b.severity, b.source)
            and (a.version is None or a.version == b.version))


def test_blocks_rebuild_the_text() -> None:
    for text in ["", "x", "  a b.\n\nc d\n", "p1\n \np2  \n", "One. " * 400, "word " * 20_000]:
        lead, blocks, seps = split_blocks(text)
        assert lead + "".join(b + s for b, s in zip(blocks, seps, strict=True)) == text
        assert all(b and b == b.strip() for b in blocks)
        assert all(len(b.split()) <= 200 for b in blocks)
        assert index_text(text).text == text


def test_seed_pair_same_verdicts(shared_dir) -> None:
    article = (shared_dir / "seeds" / "joint-statement-press-coverage.txt").read_text(encoding="utf-8")
    statement_text = (shared_dir / "seeds" / "joint-statement-official.txt").read_text(encoding="utf-8")
    sources = [SourceText("https://example.org/other", "Unrelated text about trade.", 1),
               SourceText("https://example.org/joint", statement_text, 1)]
    quotes = extract_quotes(article)
    ref = check(sources, quotes)
    got = check(sources, quotes, links=["https://example.org/joint"])
    assert [c.verdict for c in got] == ["variant", "exact", "exact"]
    assert all(_same(a, b) for a, b in zip(ref, got, strict=True))
    assert [c.to_json() for c in got] == [c.to_json() for c in ref]
    assert {c.version for c in got} == {1}


def test_statement_versions_are_indexed_with_shared_blocks(store: Store) -> None:
    """Written with each statement version; unchanged paragraphs are stored once; coverage is not indexed."""
    record(store, obs("https://example.org/s", "Para one is here.", "Para two."))
    record(store, obs("https://example.org/s", "Para one is here.", "Para two, edited."))
    record(store, obs("https://example.org/a", "An article “quoting” it.", kind="coverage"))
    size = StoreQuoteIndex(store).size()
    assert size["quote_blocks"] == 3 and size["quote_members"] == 4
    got = StoreQuoteIndex(store).versions(["https://example.org/s", "https://example.org/a"])
    assert list(got) == ["https://example.org/s"]
    v1, v2 = got["https://example.org/s"]
    assert (v1.seq, v2.seq) == (1, 2) and v1.blocks[0] == v2.blocks[0] and v1.blocks[1] != v2.blocks[1]
    texts = StoreQuoteIndex(store).block_texts(v2.blocks)
    assert "".join(texts[b] + s for b, s in zip(v2.blocks, v2.seps, strict=True)) == store.versions(
        "https://example.org/s")[-1].display_text


def test_migration_backfills_what_the_store_writes(tmp_path) -> None:
    """A store at 0003 with statements is upgraded: the index equals the one written live."""
    from alembic import command

    from store.migrate import alembic_config

    texts = ["First para of the statement.\n\nSecond para with more words in it.",
             "First para of the statement.\n\nSecond para, now edited with new words."]
    live = Store(f"sqlite:///{tmp_path / 'live.sqlite'}")
    old = Store(f"sqlite:///{tmp_path / 'old.sqlite'}", migrate=False)
    with old.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
    for text in texts:
        record(live, statement("https://example.org/s", text))
    # The old store's versions are written without the index (as a 0003 store did).
    with old.engine.begin() as conn:
        conn.execute(t.documents.insert().values(id=1, url="https://example.org/s", kind="statement", title="s",
                                                 state="active", created_at=datetime.now(UTC)))
        for seq, text in enumerate(texts, 1):
            o = statement("https://example.org/s", text)
            conn.execute(t.versions.insert().values(
                document_id=1, seq=seq, text_hash=o.text_hash, canonical_text=text, paragraphs=[text],
                title="s", normalizer_version=o.normalizer_version, first_seen=datetime.now(UTC),
                last_seen=datetime.now(UTC)))
    old.migrate()

    def dump(s: Store) -> tuple:
        with s.engine.connect() as conn:
            return (sorted(conn.execute(select(t.quote_blocks.c.hash, t.quote_blocks.c.text)).all()),
                    sorted(conn.execute(select(t.quote_members.c.version_id, t.quote_members.c.pos,
                                               t.quote_members.c.sep)).all()),
                    sorted(conn.execute(select(t.quote_postings.c.shingle, t.quote_blocks.c.hash)
                                        .join(t.quote_blocks)).all()))

    assert dump(old) == dump(live) and dump(live)[2]
    quotes = extract_quotes("“Second para, now edited with new words,” the statement said.")
    assert [c.verdict for c in check_article(StoreQuoteIndex(old), quotes)] == ["exact"]
    live.close()
    old.close()


def test_labelled_cases_same_verdicts_on_postgresql(statements, pg_url) -> None:
    """The labelled cases give the same verdicts from a PostgreSQL store as from SQLite."""
    data, keys = statements
    differ = []
    store = Store(pg_url)
    try:
        for case in load_cases()[::3]:
            truncate_all(pg_url)
            quotes = extract_quotes(case["article"])
            pub = datetime.fromisoformat(case["published_at"]) if case.get("published_at") else None
            sources = sources_for(case, data, keys)
            ref, _ = run_case(case, data, keys)
            for s in sources:
                add(store, s.url, s.text, s.seen_at)
            got = check_article(StoreQuoteIndex(store), quotes, pub)
            # run_case reports the quotes presented as the statement's words: compare those.
            got = [c for c in got if c.quote.attributed]
            if ref != [[c.verdict, c.severity] for c in got]:
                differ.append((case["id"], ref, [(c.verdict, c.severity) for c in got]))
    finally:
        store.close()
        truncate_all(pg_url)
    assert not differ


def test_index_path_finds_the_statement_among_many(statements, db_url) -> None:
    """More statements than INDEX_ABOVE: candidates come from the shingle index (SQL)."""
    data, keys = statements
    cases = [c for c in load_cases() if not c.get("versions")
             and c["expect"][0][0] in ("exact", "variant", "edited")][:40]
    wanted = {c["statement"] for c in cases}
    store = store_of([SourceText(k, v["text"], i + 1, seen_at=datetime.fromisoformat(v["seen_at"]))
                      for k in keys[:300] + sorted(wanted) for i, v in enumerate(data[k])], db_url)
    index = StoreQuoteIndex(store)
    try:
        assert index.few_statements(300) is None
        for case in cases:
            quotes = extract_quotes(case["article"])
            got = check_article(index, quotes)
            assert [c.source for c in got] == [case["statement"]] * len(got), case["id"]
            assert [[c.verdict, c.severity] for c in got] == [[e[0].split("|")[0], e[1]] for e in case["expect"]], case["id"]
    finally:
        store.close()


def test_versions_sharing_a_passage_are_aligned_once(monkeypatch, db_url) -> None:
    para = ("The United States strongly condemns the attack on the convoy and calls on all parties "
            "to allow immediate humanitarian access to the region.")
    # Fifty versions: the quoted paragraph never changes; a later paragraph does each time.
    sources = [SourceText("https://example.org/s", f"Press statement.\n\n{para}\n\nUpdated note number {seq}.\n\nEnd.")
               for seq in range(1, 51)]
    # Enough statements for the index path.
    sources += [SourceText(f"https://example.org/other{n}", f"Unrelated statement {n} about trade and fisheries.")
                for n in range(20)]
    store = store_of(sources, db_url)
    calls = []
    real = engine_mod.evaluate_prepared
    monkeypatch.setattr(engine_mod, "evaluate_prepared", lambda *a: calls.append(1) or real(*a))
    quotes = extract_quotes(f"“{para}” the department said.")
    got = check_article(StoreQuoteIndex(store), quotes)
    assert [(c.verdict, c.source, c.version) for c in got] == [("exact", "https://example.org/s", 50)]
    assert got[0].version_id == store.versions("https://example.org/s")[-1].id
    assert len(calls) == 1
    assert StoreQuoteIndex(store).size()["quote_blocks"] == 3 + 50 + 20
    store.close()


def test_store_versions_and_stale(db_url) -> None:
    """The pipeline's input: store versions; the latest seq is current; stale by publication time."""
    old = "The ministers will meet in Geneva on 4 May to agree a full ceasefire in the region."
    new = "The ministers will meet in Geneva on 6 May to discuss a ceasefire in the region."
    store = store_of([SourceText("https://example.org/s", f"Joint statement.\n\n{old}", seen_at=datetime(2024, 5, 1)),
                      SourceText("https://example.org/s", f"Joint statement.\n\n{new}", seen_at=datetime(2024, 5, 3))],
                     db_url)
    index = StoreQuoteIndex(store)
    quotes = extract_quotes(f"“{old}” the statement said.")
    early = check_article(index, quotes, published_at=datetime(2024, 5, 2))
    late = check_article(index, quotes, published_at=datetime(2024, 5, 4))
    assert [(c.verdict, c.version) for c in early] == [("stale", 1)]
    assert [(c.verdict, c.severity, c.version) for c in late] == [("misquote", "major", 2)]
    assert [v.seq for v in index.versions(["https://example.org/s"])["https://example.org/s"]] == [1, 2]
    add(store, "https://example.org/s", f"Joint statement.\n\n{old}", datetime(2024, 5, 5))
    assert [c.verdict for c in check_article(index, quotes)] == ["exact"]
    assert store.versions("https://example.org/s")[-1].display_text == f"Joint statement.\n\n{old}"
    store.close()


def test_windows_of_blocks_are_the_text_in_press_style(statements) -> None:
    """The engine puts each block in press style once (compare.quote_engine.block_forms) and
    lays windows out of those tokens: on real statements that is what press style over the
    whole text gives, word for word and offset for offset (no press form spans a block)."""
    from compare.pressstyle import canonical
    from compare.textnorm import tokenize

    data, urls = statements
    texts = [v["text"] for u in urls[:400] for v in data[u]]
    forms = 0
    for text in texts:
        lead, blocks, seps = split_blocks(text)
        at, sent, laid = len(lead), 0, []
        for b, s in zip(blocks, seps, strict=True):
            f = engine_mod.block_forms(b)
            laid += [(tk.key, tk.start, tk.end) for tk in engine_mod._shifted(f.press, at, sent)]
            at += len(b) + len(s)
            sent += f.sentences
        whole = [(tk.key, tk.start, tk.end) for tk in canonical(tokenize(text), text)]
        assert laid == whole, text[:80]
        forms += sum(k.startswith(("date:", "acr:", "cc:")) for k, _, _ in whole)
    assert forms > 100  # the texts exercise the press forms (dates, acronyms, countries)
