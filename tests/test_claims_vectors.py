"""Statement sentence vectors (issue 14, speed): embedded by the pipeline before a statement
version is written and stored in the version's transaction (SQLite and PostgreSQL); read by
the claims check instead of running the model; versions stored before migration 0008 still
judged (their vectors computed at the check, then stored); stored and fresh vectors give the
same verdicts. The real MiniLM model throughout."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import StatementError

from alerts.console import ConsoleSink
from compare.claims import check_claims, paragraphs_of, statement_units
from compare.embed import SentenceVectors, embed_texts, text_key, unpack
from compare.quote_engine import check_article
from compare.quotes import extract_quotes
from compare.vocab import ClaimVerdict, DriftKind
from flows.cli import main
from flows.pipeline import BackfillProgress, Pipeline, Runtime, backfill_vectors, load_embedder
from sources.document import COVERAGE, STATEMENT, Document
from sources.fetch import Fetcher
from store import Store, quoteindex
from store import schema as t
from store.errors import Conflict
from store.migrate import alembic_config, head_revision
from store.quoteindex import StoreQuoteIndex
from store.records import NewAlert
from tests.storefixtures import obs

URL = "https://gov.example/water"
PARAS = (
    "Joint Statement on Water",
    "The foreign ministers of the three partner countries met in Suva on November 19 to launch "
    "the Pacific Clean Water Partnership.",
    "The partners committed $80 million over five years to expand clean water access across the "
    "region, and they will report on the results of the partnership to their parliaments, "
    "which asked for a review, every year until the programme ends.",
    "The partners will not impose conditions on emergency relief.",
    "The ministers agreed to meet again in 2027 to review progress.",
)
ARTICLE = (
    "Water aid for the Pacific\n\n"
    "The ministers said the partners had committed $18 million over five years to expand clean "
    "water access across the region.\n\n"
    "According to the statement, the partners will not attach conditions to emergency relief.\n\n"
    "Officials said the ministers would meet again in 2027 to review how the work was going.")


def _vector_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.sentence_vectors)).scalar_one())


def _units(store: Store, url: str) -> list[str]:
    """The alignment units of the statement's latest version, as the index rebuilds it."""
    index = StoreQuoteIndex(store)
    v = index.versions([url])[url][-1]
    texts = index.block_texts(v.blocks)
    return statement_units(paragraphs_of([texts[b] for b in v.blocks], v.seps))


@pytest.fixture
def runtime(db_url: str) -> Iterator[Runtime]:
    rt = Runtime(Store(db_url), Fetcher(allow_private=True), {"console": ConsoleSink(io.StringIO())},
                 embedder=load_embedder())
    yield rt
    rt.close()


def test_the_pipeline_stores_a_statements_vectors_with_its_version(runtime: Runtime) -> None:
    pipe, store = Pipeline(runtime), runtime.store
    assert pipe.record_document(Document(URL, PARAS[0], PARAS[1:], kind=STATEMENT)).status == "new"
    units = _units(store, URL)
    assert len(units) > 4  # four sentences and the clauses of the long one
    model = load_embedder()
    stored = StoreQuoteIndex(store).sentence_vectors(model.model_id, [text_key(u) for u in units])
    assert set(stored) == {text_key(u) for u in units} and _vector_count(store) == len(units)
    exact = model.encode(units)
    for u, v in zip(units, exact, strict=True):
        assert float(unpack(stored[text_key(u)]) @ v) > 0.999  # float16: cosine error negligible
    # Another model's vectors are other rows: none of these answers for it.
    assert StoreQuoteIndex(store).sentence_vectors("another-model", [text_key(u) for u in units]) == {}

    # An edit of one sentence embeds that sentence only: the others are stored already.
    edited = (*PARAS[1:3], "The partners will never impose conditions on emergency relief.", PARAS[4])
    assert pipe.record_document(Document(URL, PARAS[0], edited, kind=STATEMENT)).status == "changed"
    assert _vector_count(store) == len(units) + 1
    # The same text again is no version, and embeds nothing.
    assert pipe.record_document(Document(URL, PARAS[0], edited, kind=STATEMENT)).status == "unchanged"
    assert _vector_count(store) == len(units) + 1


def test_vectors_commit_and_roll_back_with_their_version(store: Store) -> None:
    """Written in the version's transaction: a write that fails after the vectors were
    inserted (here an alert that cannot be serialised, queued last) leaves neither."""
    o = quoteindex.prepare(obs(URL, *PARAS[1:]))
    vectors = embed_texts(load_embedder(), statement_units(PARAS[1:]))
    o = replace(o, sentence_vectors=vectors)
    bad = NewAlert("new", "console", "new|x", {"not json": object()})
    with pytest.raises((StatementError, TypeError)):  # raised by SQLAlchemy / psycopg
        store.record_observation(o, alerts=[bad])
    assert store.latest_version(URL) is None and _vector_count(store) == 0
    with pytest.raises(Conflict):  # another writer moved the document on: nothing written
        store.record_observation(o, expected_latest=3)
    assert _vector_count(store) == 0
    saved = store.record_observation(o)
    assert saved.created and _vector_count(store) == len(vectors.rows)
    # A second version sharing the sentences stores none of them twice.
    again = replace(quoteindex.prepare(obs(URL, *PARAS[1:4])), sentence_vectors=vectors)
    assert store.record_observation(again, expected_latest=1).created
    assert _vector_count(store) == len(vectors.rows)


def _judge(store: Store, text: str = ARTICLE):  # noqa: ANN202
    index = StoreQuoteIndex(store)
    quotes = check_article(index, extract_quotes(text))
    return check_claims(index, text, quotes, embedder=load_embedder())


def test_a_version_stored_before_the_migration_is_judged_and_its_vectors_filled(
        db_url: str) -> None:
    Store(db_url).close()
    store = Store(db_url, migrate=False)
    try:
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0007_search")
        with store.engine.connect() as conn:
            assert "sentence_vectors" not in inspect(conn).get_table_names()
        store.record_observation(quoteindex.prepare(obs(URL, *PARAS[1:])))  # as the old code did
        assert store.migrate() == head_revision()  # no backfill: nothing embedded here
        assert _vector_count(store) == 0

        rt = Runtime(store, Fetcher(allow_private=True), {}, embedder=load_embedder())
        pipe = Pipeline(rt)
        art = "https://news.example/water"
        outcome = pipe.record_document(Document(art, "Water aid", tuple(ARTICLE.split("\n\n")[1:]),
                                                kind=COVERAGE))
        [drift] = [c for c in outcome.claims if "$18 million" in c.claim]
        assert drift.verdict is ClaimVerdict.DRIFT and drift.kind is DriftKind.NUMBER
        # The check embedded what it needed; the pipeline stored it after the check.
        filled = _vector_count(store)
        units = [text_key(u) for u in _units(store, URL)]
        assert 0 < filled == len(StoreQuoteIndex(store).sentence_vectors(load_embedder().model_id, units))
        report = _judge(store)
        assert report.vectors is None  # everything it needs is stored now
        assert _vector_count(store) == filled
    finally:
        store.close()


def test_stored_and_fresh_vectors_give_the_same_verdicts(runtime: Runtime, tmp_path: Path) -> None:
    Pipeline(runtime).record_document(Document(URL, PARAS[0], PARAS[1:], kind=STATEMENT))
    stored = _judge(runtime.store)
    assert stored.vectors is None  # nothing embedded but the claims
    lazy_store = Store(f"sqlite:///{tmp_path / 'lazy.sqlite'}")
    try:
        lazy_store.record_observation(quoteindex.prepare(obs(URL, *PARAS[1:])))  # no vectors
        fresh = _judge(lazy_store)
    finally:
        lazy_store.close()
    assert isinstance(fresh.vectors, SentenceVectors) and fresh.vectors.rows
    assert fresh.vectors.model_id == load_embedder().model_id
    assert [(c.claim.text, c.verdict, c.kind, c.matched, c.reasons) for c in stored.claims] == \
        [(c.claim.text, c.verdict, c.kind, c.matched, c.reasons) for c in fresh.claims]
    assert np.allclose([c.score for c in stored.claims], [c.score for c in fresh.claims], atol=1e-6)
    assert stored.coverage == fresh.coverage
    assert any(c.verdict is ClaimVerdict.DRIFT for c in stored.claims)


OTHER = "https://gov.example/forests"
OTHER_PARAS = (
    "The ministers agreed to protect two million hectares of forest by 2030.",
    "They will fund rangers in the three partner countries and publish a yearly report on "
    "what the rangers find, so that the parliaments that asked for it can follow the work.",
)


EARLIER = "The partners first met in May to plan the work."  # in the first version only


def _as_before_0008(db_url: str) -> Store:
    """A store whose statement versions were written before migration 0008 (no vectors)."""
    Store(db_url).close()
    store = Store(db_url, migrate=False)
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0007_search")
    store.record_observation(quoteindex.prepare(obs(URL, *PARAS[1:3], EARLIER)))
    store.record_observation(quoteindex.prepare(obs(URL, *PARAS[1:])), expected_latest=1)
    store.record_observation(quoteindex.prepare(obs(OTHER, *OTHER_PARAS)))
    assert store.migrate() == head_revision()
    return store


def test_backfill_stores_the_vectors_a_store_from_before_0008_lacks(db_url: str) -> None:
    store = _as_before_0008(db_url)
    try:
        model = load_embedder()
        assert _vector_count(store) == 0
        seen: list[BackfillProgress] = []
        done = backfill_vectors(store, model, batch=1, progress=seen.append)
        # One batch a statement, in id order; the latest version of each.
        assert [(p.statements, p.total) for p in seen] == [(1, 2), (2, 2)]
        latest = {text_key(u) for u in [*_units(store, URL), *_units(store, OTHER)]}
        assert done.embedded == len(latest) == _vector_count(store)
        stored = StoreQuoteIndex(store).sentence_vectors(model.model_id, sorted(latest))
        assert set(stored) == latest
        exact = model.encode(_units(store, URL))
        assert all(float(unpack(stored[text_key(u)]) @ v) > 0.999
                   for u, v in zip(_units(store, URL), exact, strict=True))
        # An article check now embeds only its claims: nothing of the statements is missing.
        report = _judge(store)
        assert report.vectors is None and any(c.verdict is ClaimVerdict.DRIFT for c in report.claims)
        # Run again (a stopped run resumed): nothing left to embed.
        assert backfill_vectors(store, model).embedded == 0
        # Earlier versions on request: of the first version, only the sentence the latest
        # does not have is left to embed.
        assert text_key(EARLIER) not in latest
        assert backfill_vectors(store, model, all_versions=True).embedded == 1
        assert text_key(EARLIER) in StoreQuoteIndex(store).sentence_vectors(model.model_id, [text_key(EARLIER)])
    finally:
        store.close()


def test_backfill_resumes_after_a_statement_id(db_url: str) -> None:
    store = _as_before_0008(db_url)
    try:
        first = store.statement_ids()[0][0]
        done = backfill_vectors(store, load_embedder(), after=first)
        assert done.statements == done.total == 1  # only the statement after `first`
        assert done.embedded == len(_units(store, OTHER)) == _vector_count(store)
    finally:
        store.close()


def test_cli_db_vectors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'up.sqlite'}"
    _as_before_0008(url).close()
    monkeypatch.setenv("ONRECORD_DATABASE_URL", url)
    assert main(["db", "vectors", "--batch", "1"]) == 0
    out, err = capsys.readouterr()
    store = Store(url)
    try:
        n = _vector_count(store)
        assert n > 0 and f"{n:,} embedded and stored for 2 statements" in out
        assert "statements 2/2" in err and err.count("\n") == 1  # one progress line, rewritten
    finally:
        store.close()
    assert main(["db", "vectors"]) == 0
    assert "0 embedded" in capsys.readouterr().out
