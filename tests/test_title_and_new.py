"""The title is versioned and diffed like a paragraph; a first version queues a "new" alert.

Pure decisions first (compare.observe.decide, alerts.compose.new_alert), then through the
pipeline with a real local server and the fake Slack.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts.compose import new_alert, new_key, wants_new_alert
from alerts.console import ConsoleSink
from alerts.deliver import deliver
from alerts.slack import SlackSink
from compare.observe import Observed, Outcome, Prior, decide
from flows.pipeline import Pipeline, Runtime, host_limiter
from flows.settings import Settings
from sources.config import ConfigError, parse_config
from sources.document import COVERAGE, Document
from sources.fetch import Fetcher
from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash, version_hash
from store import Store
from tests.fake_slack import FakeSlack
from tests.httpfixture import LocalServer, Response

PARAS = ("The Ministers met in Washington to discuss resilient supply chains.",
         "They agreed to meet again next year.")
TEXT = canonical_text(PARAS)
WHEN = datetime(2025, 5, 1, 12, tzinfo=UTC)


def observed(title: str, paras: tuple[str, ...] = PARAS) -> Observed:
    text = canonical_text(paras)
    return Observed(text, paras, version_hash(text, title), NORMALIZER_VERSION, title)


def prior(seq: int, title: str, paras: tuple[str, ...] = PARAS) -> Prior:
    o = observed(title, paras)
    return Prior(seq, o.text, paras, o.text_hash, NORMALIZER_VERSION, title)


# -- the title in the version hash and the decision -------------------------------------

def test_the_version_hash_covers_the_title_but_not_its_typography() -> None:
    assert version_hash(TEXT) == text_hash(TEXT)  # no title: the text's own hash
    assert version_hash(TEXT, "Joint Statement") != version_hash(TEXT)
    assert version_hash(TEXT, "Joint Statement") != version_hash(TEXT, "Joint Statement 2")
    # Folded like body text: curly quotes, odd spaces, surrounding blanks are not a new version.
    assert (version_hash(TEXT, " Minister\u2019s  Statement ")
            == version_hash(TEXT, "Minister's Statement"))


def test_a_retitle_is_a_new_version_and_a_title_change() -> None:
    old, new = "Supply Chain Ministerial Joint Statement", \
        "Joint Statement on Cooperation on Global Supply Chains"
    d = decide(prior(1, old), {}, observed(new))
    assert d.outcome is Outcome.CHANGED and d.seq == 2
    assert d.diff is not None and len(d.diff.changes) == 1
    (change,) = d.diff.changes
    assert change.part == "title" and (change.old, change.new) == (old, new)
    assert change.said[0] == f"title changed: {old!r} -> {new!r}"
    assert change.significance == "substantive" and d.significance == "substantive"
    assert d.summary is not None and "title changed" in d.summary


def test_a_treaty_name_fixed_in_the_title_is_substantive_and_body_edits_stay() -> None:
    body = ("The Ministers met in Washington to discuss resilient supply chains.",
            "They agreed to meet again in 2027.")
    d = decide(prior(1, "Signing of the Treaty of Lisbon"), {},
               observed("Signing of the Treaty of Lisboa", body))
    assert d.diff is not None
    title, *rest = d.diff.changes
    assert title.part == "title" and title.significance == "substantive"
    assert any("name changed" in r for r in title.said)
    assert rest and all(c.part == "text" for c in rest)
    assert any("next year" in c.old for c in rest)


def test_recasing_the_title_is_cosmetic_and_the_same_title_is_unchanged() -> None:
    d = decide(prior(1, "Joint statement on water"), {}, observed("Joint Statement on Water"))
    assert d.outcome is Outcome.CHANGED and d.significance == "cosmetic"
    assert d.diff is not None and d.diff.changes[0].said == ("title re-cased",)
    same = decide(prior(1, "Joint Statement"), {}, observed("Joint Statement"))
    assert same.outcome is Outcome.UNCHANGED


def test_an_older_normalizer_is_an_upgrade_not_a_retitle() -> None:
    # Stored by normalizer 1: the hash is of the text alone. The same page now hashes its
    # title too, which must not read as a new wording of every stored statement.
    old = Prior(3, TEXT, PARAS, text_hash(TEXT), NORMALIZER_VERSION - 1, "Joint Statement")
    up = decide(old, {text_hash(TEXT): 3}, observed("Joint Statement"))
    assert up.outcome is Outcome.NORMALIZER_UPGRADE and up.significance == "none"
    retitled = decide(old, {}, observed("Joint Statement on Water"))
    assert retitled.outcome is Outcome.CHANGED and retitled.diff is not None
    assert retitled.diff.changes[0].part == "title"


def test_a_title_change_renders_as_a_title_line_not_at_a_body_offset() -> None:
    from compare.render import render_html, render_markdown, render_terminal

    body = (*PARAS, "A third paragraph was added <script>.")
    d = decide(prior(1, "Water <b>Statement</b>"), {}, observed("Water Treaty <b>Statement</b>", body))
    assert d.diff is not None
    old, new = TEXT, canonical_text(body)
    term = render_terminal(d.diff, old, new, color=False)
    assert "title: [-Water <b>Statement</b>-] {+Water Treaty <b>Statement</b>+}" in term
    md = render_markdown(d.diff, old, new)
    # Markdown escapes scraped text's colons too (no autolinked "javascript:" and the like).
    assert "title\\:" in md and "paragraph added" in md
    page_ = render_html(d.diff, old, new)
    assert "title changed" in page_ and "<b>Statement" not in page_ and "<script>" not in page_


# -- the "new" alert, composed ----------------------------------------------------------

def test_new_alert_for_a_first_statement_version_only() -> None:
    doc = Document("https://gov.example/s", "Joint Statement", PARAS, issuer="Ministry")
    first = decide(None, {}, observed("Joint Statement"))
    alert = new_alert(doc, first, WHEN)
    assert alert is not None and alert.kind == "new" and alert.version == 1
    assert (alert.title, alert.url, alert.issuer) == ("Joint Statement", doc.url, "Ministry")
    assert [line.new for line in alert.lines] == [PARAS[0]]  # the first paragraph
    assert alert.summary == "new statement from Ministry"
    assert new_key(doc.url) == "new|https://gov.example/s"
    later = decide(prior(1, "Joint Statement"), {}, observed("Joint Statement on Water"))
    assert new_alert(doc, later, WHEN) is None
    assert new_alert(doc, first, WHEN, alert_new=False) is None
    article = Document("https://news.example/a", "Story", PARAS, kind=COVERAGE)
    assert new_alert(article, first, WHEN) is None  # coverage: off by default
    assert new_alert(article, first, WHEN, alert_new=True) is not None
    assert wants_new_alert("statement", None) and not wants_new_alert(COVERAGE, None)


def test_alert_new_is_a_source_key() -> None:
    cfg = parse_config({"source": [
        {"name": "a", "urls": ["https://gov.example/a"]},
        {"name": "b", "urls": ["https://gov.example/b"], "alert_new": False},
        {"name": "c", "kind": "coverage", "urls": ["https://news.example/c"], "alert_new": True},
    ]})
    assert [s.alert_new for s in cfg.sources] == [None, False, True]
    with pytest.raises(ConfigError, match="alert_new must be true or false"):
        parse_config({"source": [{"name": "a", "urls": ["https://gov.example/a"],
                                  "alert_new": "yes"}]})


# -- through the pipeline ---------------------------------------------------------------

PAGE = """<html><head><title>{title}</title></head><body><nav>Home | About</nav>
<article><h1>{title}</h1>{body}</article><footer>Footer text of the site</footer></body></html>"""


def page(title: str, *paras: str) -> str:
    return PAGE.format(title=title, body="".join(f"<p>{p}</p>" for p in paras))


@pytest.fixture
def runtime(tmp_path: Path, fake: FakeSlack) -> Iterator[Runtime]:
    out = io.StringIO()
    sinks = {"console": ConsoleSink(out),
             "slack": SlackSink("xoxb-1111-2222-SECRETTOKENVALUE", "C0ALERTS", base_url=fake.url,
                                timeout=5, digest_min=2)}
    rt = Runtime(Store(f"sqlite:///{tmp_path / 'store.sqlite'}"),
                 Fetcher(allow_private=True, backoff=0.01, limiter=host_limiter(Settings())),
                 sinks)
    rt.console_output = out  # type: ignore[attr-defined]
    yield rt
    rt.close()


def test_a_title_only_change_through_the_pipeline(server: LocalServer, runtime: Runtime,
                                                  fake: FakeSlack) -> None:
    url = server.url("/statement")
    server.routes["/statement"] = Response(page("Supply Chain Ministerial Joint Statement", *PARAS))
    pipe = Pipeline(runtime)
    assert pipe.check_url(url).status == "new"
    assert pipe.check_url(url).status == "unchanged"
    title = "Joint Statement on Cooperation on Global Supply Chains <b>&lt;!here&gt;</b>"
    server.routes["/statement"] = Response(page(title, *PARAS))
    changed = pipe.check_url(url)
    assert changed.status == "changed" and changed.version == 2
    assert changed.significance == "substantive"
    assert "title changed" in (changed.summary or "")
    versions = runtime.store.versions(url)
    assert [v.seq for v in versions] == [1, 2]
    assert versions[0].canonical_text == versions[1].canonical_text  # only the title moved
    assert [a.kind for a in runtime.store.alerts()] == ["new", "new", "edit", "edit"]
    deliver(runtime.store, runtime.sinks, backoff=0.01)
    printed = runtime.console_output.getvalue()  # type: ignore[attr-defined]
    assert "[NEW] Supply Chain Ministerial Joint Statement" in printed
    assert "[EDITED]" in printed and "(title changed: 'Supply Chain Ministerial" in printed
    posted = json.dumps([m.get("blocks") for m in fake.messages])
    assert "<!here>" not in posted  # the title is scraped text: escaped for Slack


def test_a_busy_feed_makes_one_new_statement_digest(server: LocalServer, runtime: Runtime,
                                                    fake: FakeSlack) -> None:
    items = "".join(f"<item><title>Statement {i}</title><link>{server.url(f'/s/{i}')}</link></item>"
                    for i in range(4))
    server.routes["/feed.xml"] = Response(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>',
        headers={"Content-Type": "application/rss+xml"})
    for i in range(4):
        server.routes[f"/s/{i}"] = Response(page(f"Statement {i} on water",
                                                 f"Paragraph one of statement {i} on water.",
                                                 "A second paragraph."))
        server.routes[f"/a/{i}"] = Response(page(
            f"Story {i}", f"The ministry published statement {i} on water policy this morning.",
            "Officials said the plan would be reviewed by the cabinet within weeks.",
            "Critics of the government called the proposal vague and underfunded."))
    cfg = parse_config({"source": [
        {"name": "ministry", "feed": server.url("/feed.xml"), "issuer": "Ministry"},
        {"name": "press", "kind": "coverage", "urls": [server.url(f"/a/{i}") for i in range(4)]},
    ]})
    pipe = Pipeline(runtime)
    reports = [pipe.run_source(s) for s in cfg.sources]
    assert [(o.status, o.error) for r in reports for o in r.outcomes] == [("new", None)] * 8
    news = [a for a in runtime.store.alerts() if a.kind == "new"]
    # One per statement and channel; none for the coverage (alert_new off by default).
    assert sorted(a.payload["url"] for a in news if a.channel == "slack") == \
        [server.url(f"/s/{i}") for i in range(4)]
    assert all(a.payload["issuer"] == "Ministry" for a in news)
    report = deliver(runtime.store, runtime.sinks, backoff=0.01)
    assert report.sent == 8  # 4 on the console, 4 in one Slack digest
    assert len(fake.messages) == 1
    assert fake.messages[0]["text"].startswith("onrecord: 4 alerts")
    digest = json.dumps(fake.messages[0]["blocks"])
    assert all(f"Statement {i} on water" in digest for i in range(4))
    assert "New statement" in digest


def test_alert_new_false_announces_nothing(server: LocalServer, runtime: Runtime) -> None:
    server.routes["/s"] = Response(page("Quiet statement", *PARAS))
    cfg = parse_config({"source": [{"name": "quiet", "urls": [server.url("/s")],
                                    "alert_new": False}]})
    report = Pipeline(runtime).run_source(cfg.sources[0])
    assert [o.status for o in report.outcomes] == ["new"]
    assert runtime.store.alerts() == []
