"""Reported claims through the pipeline (issue 14): pages served on loopback, the claims engine,
the store on SQLite and PostgreSQL, drift alerts delivered to a Slack-compatible server,
re-judged when the statement is edited, never sent twice; the store's claim tables and the
`onrecord coverage` / `history` commands that read them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from alerts.console import ConsoleSink
from alerts.deliver import deliver
from alerts.slack import SlackSink
from compare.vocab import ClaimVerdict, DriftKind, Severity
from flows.cli import main
from flows.pipeline import Pipeline, Runtime, host_limiter
from flows.settings import Settings
from sources.document import COVERAGE
from sources.fetch import Fetcher
from store import Store, StoreError
from store.records import ClaimCheckRecord, CoverageRecord, NewAlert
from tests.fake_slack import FakeSlack
from tests.httpfixture import LocalServer, Response
from tests.storefixtures import obs

PAGE = """<html><head><title>{title}</title></head><body><nav>Home | About</nav>
<article><h1>{title}</h1>{body}</article><footer>Footer text of the site</footer></body></html>"""

S_MET = ("The foreign ministers of the three partner countries met in Suva on November 19 to "
         "launch the Pacific Clean Water Partnership.")
S_MONEY = ("The partners committed $80 million over five years to expand clean water access "
           "across the region.")
S_RELIEF = "The partners will not impose conditions on emergency relief."
S_MEET = "The ministers agreed to meet again in 2027 to review progress."
DRIFTED = ("The ministers said the partners had committed $18 million over five years to expand "
           "clean water access across the region.")


def page(title: str, *paras: str) -> str:
    return PAGE.format(title=title, body="".join(f"<p>{p}</p>" for p in paras))


def article_page(statement_url: str) -> str:
    return page("Water aid for the Pacific",
                f'Three countries launched a water partnership, according to a <a href="'
                f'{statement_url}">joint statement</a> released by their foreign ministries.',
                DRIFTED,
                "Aid groups welcomed the announcement but asked for details.")


@pytest.fixture
def runtime(db_url: str, fake: FakeSlack) -> Iterator[Runtime]:
    sinks = {"console": ConsoleSink(io.StringIO()),
             "slack": SlackSink("xoxb-1111-2222-SECRETTOKENVALUE", "C0ALERTS", base_url=fake.url,
                                timeout=5)}
    rt = Runtime(Store(db_url), Fetcher(allow_private=True, backoff=0.01,
                                        limiter=host_limiter(Settings())), sinks)
    yield rt
    rt.close()


def _drift_rows(store: Store) -> list[tuple[str, str]]:
    """(channel, key) of the drift alerts about the "$18 million" claim (the engine may find
    other drifts in the article; this test is about the pipeline, not the engine)."""
    return sorted((a.channel, a.dedupe_key) for a in store.alerts()
                  if a.kind == "drift" and "$18 million" in a.payload["lines"][0]["new"])


def test_a_drifted_claim_is_stored_alerted_in_the_thread_and_never_sent_twice(
        server: LocalServer, runtime: Runtime, fake: FakeSlack) -> None:
    st_url, art_url = server.url("/statement"), server.url("/news/a")
    server.routes["/statement"] = Response(page("Joint Statement on Water", S_MET, S_MONEY,
                                                S_RELIEF, S_MEET))
    server.routes["/news/a"] = Response(article_page(st_url))
    pipe, store = Pipeline(runtime), runtime.store
    assert pipe.check_url(st_url).status == "new"
    outcome = pipe.check_url(art_url, COVERAGE)
    assert outcome.status == "new"

    [drift] = [c for c in outcome.claims if "$18 million" in c.claim]
    assert drift.verdict is ClaimVerdict.DRIFT
    assert "$18 million" in drift.claim and "$80 million" in drift.matched
    assert (drift.kind, drift.severity, drift.source) == (DriftKind.NUMBER, Severity.MAJOR, st_url)

    article = store.latest_version(art_url)
    statement = store.latest_version(st_url)
    assert article is not None and statement is not None
    [row] = [r for r in store.claim_checks(article.id) if "$18 million" in r.text]
    assert len(store.claim_checks(article.id)) == len(outcome.claims)  # every claim stored
    assert (row.kind, row.severity, row.statement_version_id) == ("number", "major", statement.id)
    assert row.text == drift.claim and row.details["text"] == drift.claim
    assert article.canonical_text[row.start:row.end] == row.text
    # The coverage map: the paragraph with the figure was reported (in other words).
    cov = {r.text: r for r in store.coverage(statement_url=st_url)}
    assert cov[S_MONEY].how in ("paraphrased", "both") and cov[S_MONEY].article_url == art_url
    assert store.coverage(article_version_id=article.id) == store.coverage(statement_url=st_url)
    assert store.articles_reporting(statement.document_id) == [art_url]

    # One drift alert per channel, delivered in the statement's thread.
    assert [c for c, _ in _drift_rows(store)] == ["console", "slack"]
    assert deliver(store, runtime.sinks, backoff=0.01).failed == 0
    root = fake.messages[0]
    assert root["text"].startswith("New statement") and root["thread_ts"] is None
    [posted] = [m for m in fake.messages if m["text"].startswith("Reported claim drifted")
                and "$18 million" in json.dumps(m["blocks"])]
    assert posted["thread_ts"] == root["ts"]
    blocks = json.dumps(posted["blocks"])
    assert "$18 million" in blocks and "$80 million" in blocks and "*Press reported*" in blocks

    # A re-run: the article is unchanged; judging its version again (a retried task) stores
    # no new verdict and queues no new alert.
    before = (len(store.claim_checks(article.id, latest=False)), len(store.alerts()))
    assert pipe.check_url(art_url, COVERAGE).status == "unchanged"
    again = pipe.judge_article(_as_document(store, art_url), article)
    assert any(c.verdict is ClaimVerdict.DRIFT for c in again[1])
    assert (len(store.claim_checks(article.id, latest=False)), len(store.alerts())) == before
    sent = len(fake.messages)
    deliver(store, runtime.sinks, backoff=0.01)
    assert len(fake.messages) == sent


def _as_document(store: Store, url: str):  # noqa: ANN202
    from sources.document import Document

    v = store.latest_version(url)
    assert v is not None
    return Document(url=url, title=v.title, paragraphs=v.paragraphs, kind=COVERAGE,
                    published=v.published)


def test_claims_are_judged_again_when_the_statement_is_edited(
        server: LocalServer, runtime: Runtime) -> None:
    st_url, art_url = server.url("/statement"), server.url("/news/a")
    server.routes["/statement"] = Response(page("Joint Statement on Water", S_MET, S_MONEY,
                                                S_RELIEF, S_MEET))
    server.routes["/news/a"] = Response(article_page(st_url))
    pipe, store = Pipeline(runtime), runtime.store
    pipe.check_url(st_url)
    pipe.check_url(art_url, COVERAGE)
    article = store.latest_version(art_url)
    assert article is not None
    drifts = _drift_rows(store)
    assert len(drifts) == 2

    # An edit elsewhere in the statement: the claim is judged again against the new version,
    # with the same finding against the same sentence; that is not news.
    server.routes["/statement"] = Response(page("Joint Statement on Water", S_MET, S_MONEY,
                                                S_MEET))
    edited = pipe.check_url(st_url)
    assert edited.status == "changed"
    [again] = [c for c in edited.claims if "$18 million" in c.claim]
    assert again.verdict is ClaimVerdict.DRIFT and again.kind is DriftKind.NUMBER
    v2 = store.latest_version(st_url)
    assert v2 is not None and v2.seq == 2
    [row] = [r for r in store.claim_checks(article.id) if "$18 million" in r.text]
    assert row.statement_version_id == v2.id
    assert _drift_rows(store) == drifts
    # The paragraph gone from the statement is gone from the article's map of it.
    assert S_RELIEF not in {r.text for r in store.coverage(statement_url=st_url)}

    # The statement now says what the article reported: the claim is faithful now; its
    # earlier verdicts stay on record.
    server.routes["/statement"] = Response(page("Joint Statement on Water", S_MET,
                                                S_MONEY.replace("$80", "$18"), S_MEET))
    fixed = pipe.check_url(st_url)
    [now] = [c for c in fixed.claims if "$18 million" in c.claim]
    assert now.verdict is ClaimVerdict.FAITHFUL
    [row] = [r for r in store.claim_checks(article.id) if "$18 million" in r.text]
    assert row.verdict == "faithful"
    history = [r.verdict for r in store.claim_checks(article.id, latest=False)
               if "$18 million" in r.text]
    assert history[0] == "drift" and history[-1] == "faithful"
    assert _drift_rows(store) == drifts  # no alert for a claim that is now right


# -- the store's claim tables, without the engine ------------------------------------------

def _stored(store: Store) -> tuple[int, int, int]:
    """A statement (3 paragraphs) and an article: (statement version id, article version id,
    article document id)."""
    st = store.record_observation(obs("http://gov.example/s", "P one.", "P two.", "P three."))
    art = store.record_observation(obs("http://news.example/a", "They said two.", kind="coverage"))
    return st.version.id, art.version.id, art.document.id


def test_saving_claims_is_idempotent_and_coverage_is_the_latest_map(store: Store) -> None:
    sv, av, doc = _stored(store)
    check = ClaimCheckRecord(av, sv, "They said two.", 0, 14, "drift", "scope", "minor",
                             {"reasons": ["narrower"], "score": 0.5})
    cov = [CoverageRecord(av, "http://gov.example/s", i, text, how)
           for i, (text, how) in enumerate((("P one.", "none"), ("P two.", "paraphrased"),
                                            ("P three.", "quoted")))]
    alert = NewAlert("drift", "console", "console|drift|x", {"n": 1}, "minor")
    for _ in range(2):  # a retried run
        store.save_claim_checks(av, [check], cov, (alert,), doc)
    assert len(store.claim_checks(av, latest=False)) == 1 and len(store.alerts()) == 1
    assert [(r.paragraph, r.how) for r in store.coverage(article_version_id=av)] == [
        (0, "none"), (1, "paraphrased"), (2, "quoted")]
    # Judged again: a paragraph now reported both ways, one no longer in the statement.
    store.save_claim_checks(av, [], [cov[0], CoverageRecord(av, "http://gov.example/s", 1,
                                                            "P two.", "both")])
    assert [(r.paragraph, r.how) for r in store.coverage(statement_url="http://gov.example/s")] \
        == [(0, "none"), (1, "both")]
    # A new finding on the same claim is a new row; the latest is its verdict now.
    store.save_claim_checks(av, [ClaimCheckRecord(av, sv, "They said two.", 0, 14, "faithful",
                                                  None, "none", {})])
    assert [r.verdict for r in store.claim_checks(av)] == ["faithful"]
    assert [r.verdict for r in store.claim_checks(av, latest=False)] == ["drift", "faithful"]
    assert store.articles_reporting(store.version(sv).document_id) == ["http://news.example/a"]
    # Judged again and reporting nothing of the statement any more: its map is gone.
    store.save_claim_checks(av, [], [])
    assert store.coverage(article_version_id=av) == []


def test_coverage_of_an_unknown_statement_is_one_error_and_writes_nothing(store: Store) -> None:
    sv, av, doc = _stored(store)
    check = ClaimCheckRecord(av, sv, "They said two.", 0, 14, "faithful", None, "none", {})
    with pytest.raises(StoreError, match="http://gov.example/missing: no such statement"):
        store.save_claim_checks(av, [check], [CoverageRecord(av, "http://gov.example/missing",
                                                             0, "x", "quoted")],
                                (NewAlert("drift", "console", "k", {}),), doc)
    assert store.claim_checks(av) == [] and store.alerts() == []


def test_coverage_across_articles_counts_each_articles_latest_version(store: Store) -> None:
    sv, av1, _ = _stored(store)
    st = "http://gov.example/s"
    store.save_claim_checks(av1, [], [CoverageRecord(av1, st, 0, "P one.", "paraphrased")])
    av2 = store.record_observation(obs("http://news.example/a", "They said one, then two.",
                                       kind="coverage"), expected_latest=1).version.id
    store.save_claim_checks(av2, [], [CoverageRecord(av2, st, 1, "P two.", "quoted")])
    other = store.record_observation(obs("http://news.example/b", "Also one.", kind="coverage"))
    ov = other.version.id
    store.save_claim_checks(ov, [], [CoverageRecord(ov, st, 0, "P one.", "quoted")])
    rows = store.coverage(statement_url=st)
    assert [(r.paragraph, r.article_url, r.how) for r in rows] == [
        (0, "http://news.example/b", "quoted"), (1, "http://news.example/a", "quoted")]
    assert store.coverage(statement_url="http://gov.example/none") == []


def test_cli_coverage_and_history_read_the_stored_claims(
        tmp_path: object, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("ONRECORD_DATABASE_URL", url)
    store = Store(url)
    try:
        sv, av, _ = _stored(store)
        st = "http://gov.example/s"
        store.save_claim_checks(av, [ClaimCheckRecord(
            av, sv, "They said \x1b[2Jtwo.", 0, 14, "drift", "number", "major",
            {"text": "They said two.", "verdict": "drift"})],
            [CoverageRecord(av, st, 0, "P one.", "none"),
             CoverageRecord(av, st, 1, "P two.", "paraphrased"),
             CoverageRecord(av, st, 2, "P three.", "none")])
    finally:
        store.close()
    assert main(["coverage", st]) == 0
    out = capsys.readouterr().out
    assert "1 article(s) on record; 1 of 3 paragraph(s) reported" in out
    assert "¶2  PARAPHRASED" in out and "¶1  NONE" in out and "¶3  NONE" in out
    assert main(["coverage", st, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["paragraph"], p["covered"], p["how"]) for p in data["paragraphs"]] == [
        (0, False, "none"), (1, True, "paraphrased"), (2, False, "none")]
    assert data["paragraphs"][1]["articles"] == [
        {"url": "http://news.example/a", "title": "Title", "how": "paraphrased"}]

    assert main(["history", "http://news.example/a"]) == 0
    out = capsys.readouterr().out
    assert "claim drift (number, major): “They said \\x1b[2Jtwo.”" in out and "\x1b" not in out
    assert "reports http://gov.example/s: ¶2 paraphrased" in out
    assert main(["history", "http://news.example/a", "--format", "json"]) == 0
    [version] = json.loads(capsys.readouterr().out)["versions"]
    assert version["claims"] == [{"text": "They said two.", "verdict": "drift"}]
    assert [(p["paragraph"], p["how"]) for p in version["coverage"]] == [
        (0, "none"), (1, "paraphrased"), (2, "none")]

    assert main(["coverage", "http://gov.example/unknown"]) == 2
    assert "not in the store" in capsys.readouterr().err
    assert main(["coverage", "http://news.example/a"]) == 2
    assert "an article, not a statement" in capsys.readouterr().err


def test_a_dateline_with_its_agency_is_not_part_of_a_claim() -> None:
    """"SUVA (Demo Wire) —", "WASHINGTON (Reuters) -": the place and the agency are the
    wire's, not words the claim attributes to the statement (they were taken for names the
    statement does not mention: an entity drift on an accurate article)."""
    from compare.claims import find_claims

    for dateline in ("SUVA (Demo Wire) — ", "WASHINGTON (Reuters) - ", "SUVA — "):
        text = (f"Headline here\n{dateline}Three countries launched a partnership, according "
                "to a statement released by their foreign ministries.")
        [claim] = find_claims(text)
        assert claim.text.startswith("Three countries launched"), claim.text


def test_a_claim_is_aligned_to_its_statement_whatever_its_place_in_the_store(
        runtime: Runtime) -> None:
    """Claims are aligned against a few statements; with a small store those must be the best
    voted, not the first stored: here the statement reported is the fifth of five."""
    from sources.document import STATEMENT, Document

    pipe = Pipeline(runtime)
    topics = ("fisheries quotas in the North Atlantic", "rail links between the two capitals",
              "vaccine donations to the region", "cyber security cooperation among partners",
              "clean water projects in the Pacific islands")
    for i, topic in enumerate(topics):
        pipe.record_document(Document(
            url=f"https://gov.example/s{i}", title=f"Statement {i}", kind=STATEMENT,
            paragraphs=(f"The ministers discussed {topic} at length.",
                        f"The partners committed $8{i} million to {topic} over five years.")))
    text = ("The ministers said the partners had committed $18 million to clean water projects "
            "in the Pacific islands over five years.")
    out = pipe.record_document(Document(url="https://news.example/w", title="Water",
                                        paragraphs=(text,), kind=COVERAGE))
    [claim] = out.claims
    assert claim.source == "https://gov.example/s4" and "$84 million" in claim.matched
    assert claim.verdict is ClaimVerdict.DRIFT and claim.kind is DriftKind.NUMBER
