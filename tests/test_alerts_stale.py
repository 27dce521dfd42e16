"""A stale quote is its own alert kind end to end: built from a real stale verdict, printed,
posted to a Slack-compatible server, routed and published as such; never told by its summary."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts.console import ConsoleSink
from alerts.deliver import deliver
from alerts.email import build_email
from alerts.message import Alert, ChangeLine
from alerts.routing import Route, Routes, channels_for, parse_routes
from alerts.slack import SlackSink, build_blocks, build_digest, fallback_text
from compare.quotecheck import SourceText
from compare.quotes import Quote
from compare.vocab import AlertKind, Severity, Significance, Verdict
from flows.pipeline import QuoteResult, misquote_alert
from flows.prefect_flows import _quote_section
from sources.document import COVERAGE, Document
from store import Store
from store.records import NewAlert
from tests import quote_store
from tests.fake_slack import FakeSlack

STATEMENT = "https://gov.example/joint-statement"
ARTICLE = "https://news.example/water-aid"
V1 = ("The partners committed $80 million to clean water projects in the region. "
      "The partners will not impose conditions on emergency relief.")
V2 = ("The partners committed $58 million to clean water projects in the region. "
      "The partners will not impose conditions on emergency relief.")
QUOTED = "The partners committed $80 million to clean water projects in the region."


def _check(text: str) -> Alert:
    """The pipeline's alert for `text` quoted from the statement edited from V1 to V2."""
    versions = [SourceText(STATEMENT, V1, 1, False, datetime(2025, 1, 1, tzinfo=UTC)),
                SourceText(STATEMENT, V2, 2, True, datetime(2025, 1, 2, tzinfo=UTC))]
    # The one engine, over a temporary store holding both versions.
    check = quote_store.check(versions, [Quote(text, 0, len(text))])[0]
    article = Document(url=ARTICLE, title="Aid <!channel> story", paragraphs=(text,),
                       kind=COVERAGE)
    return misquote_alert(article, check, "Joint Statement on Water")


@pytest.fixture
def stale() -> Alert:
    alert = _check(QUOTED)
    assert alert.kind is AlertKind.STALE
    return alert


@pytest.fixture
def misquote() -> Alert:
    alert = _check("The partners will impose conditions on emergency relief.")
    assert alert.kind is AlertKind.MISQUOTE
    return alert


def test_a_stale_verdict_makes_a_stale_alert(stale: Alert) -> None:
    assert stale.significance is Significance.MINOR
    assert stale.statement_url == STATEMENT and stale.url == ARTICLE
    line = stale.lines[0]
    assert line.significance is Severity.NONE
    assert "$80 million" in line.old and "$80 million" in line.new
    # The kind survives the outbox's JSON.
    back = Alert.from_payload(json.loads(json.dumps(stale.to_payload())))
    assert back == stale and back.kind is AlertKind.STALE


def test_console_prints_stale_as_stale(stale: Alert, misquote: Alert) -> None:
    out = io.StringIO()
    ConsoleSink(out).send(stale)
    text = out.getvalue()
    assert "[STALE QUOTE] Joint Statement on Water" in text
    assert "MISQUOTE" not in text
    assert "- press:    The partners committed $80 million" in text
    assert "was then: The partners committed $80 million" in text
    out = io.StringIO()
    ConsoleSink(out).send(misquote)
    assert "[MISQUOTE]" in out.getvalue() and "official: " in out.getvalue()


def test_console_prints_scraped_control_characters_inert(stale: Alert) -> None:
    out = io.StringIO()
    hostile = Alert(kind="stale", title="T\x1b]0;owned\x07", url=ARTICLE,
                    significance="minor", summary="s\x1b[2J")
    ConsoleSink(out).send(hostile)
    assert "\x1b" not in out.getvalue() and "\\x1b]0;owned\\x07" in out.getvalue()


def test_kind_not_summary_decides_the_label() -> None:
    """A stale alert whose summary does not start with "stale", and a misquote whose summary
    does, are labelled by their kind."""
    line = (ChangeLine("replace", "said then", "said then", "none"),)
    stale = Alert(kind="stale", title="S", url=ARTICLE, significance="minor",
                  summary="quoted wording edited since", statement_url=STATEMENT, lines=line)
    mis = Alert(kind="misquote", title="S", url=ARTICLE, significance="minor",
                summary="stale-looking summary", statement_url=STATEMENT, lines=line)
    assert fallback_text(stale).startswith("Quote made stale: S")
    assert fallback_text(mis).startswith("Misquote: S")
    out = io.StringIO()
    ConsoleSink(out).send(mis)
    assert "[MISQUOTE]" in out.getvalue()


def test_slack_blocks_show_stale_as_stale(stale: Alert, misquote: Alert) -> None:
    text, blocks = build_blocks(stale, "https://reports.example/d")
    joined = json.dumps(blocks, ensure_ascii=False)
    assert text.startswith("Quote made stale: Joint Statement on Water (minor)")
    assert blocks[0]["text"]["text"].startswith("Quote made stale: ")
    assert ":hourglass_flowing_sand:" in joined and ":large_orange_circle:" not in joined
    assert "Stale: the article quotes wording the statement has since changed." in joined
    fields = next(b["fields"] for b in blocks if "fields" in b)
    assert fields[0]["text"].startswith("*Press quoted*")
    assert fields[1]["text"].startswith("*Official wording then (edited since)*")
    buttons = [(e["text"]["text"], e["url"]) for b in blocks if b["type"] == "actions"
               for e in b["elements"]]
    assert buttons[:2] == [("Open article", ARTICLE), ("Open statement", STATEMENT)]
    # A misquote keeps its own label and colour.
    text, blocks = build_blocks(misquote)
    assert text.startswith("Misquote: ") and ":hourglass" not in json.dumps(blocks)
    _, blocks = build_digest([misquote, stale])
    lines = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert lines[0].startswith(":red_circle: *Misquote*")
    assert lines[1].startswith(":hourglass_flowing_sand: *Quote made stale*")


def test_stale_alert_posted_to_slack_as_stale(fake: FakeSlack, tmp_path: Path,
                                              stale: Alert) -> None:
    store = Store(f"sqlite:///{tmp_path / 'stale.sqlite'}")
    try:
        store.enqueue([NewAlert(stale.kind, "slack", "slack|stale-1", stale.to_payload(),
                                stale.significance)])
        sink = SlackSink("xoxb-test", "C0PRESS", base_url=fake.url, timeout=5)
        report = deliver(store, {"slack": sink}, backoff=0.01)
        assert report.sent == 1
        [row] = store.alerts()
        assert row.kind == "stale" and row.status == "sent"
    finally:
        store.close()
    [msg] = fake.messages
    assert msg["channel"] == "C0PRESS"
    assert msg["text"].startswith("Quote made stale: Joint Statement on Water")
    assert "&lt;!channel&gt;" in msg["text"] and "<!channel>" not in msg["text"]
    assert "*Press quoted*" in json.dumps(msg["blocks"])


class _S:
    def __init__(self, route: Route | None = None) -> None:
        self.route = route
        self.routes = Routes()  # takes every kind: only the route chain decides here
        self.min_significance = None


def test_stale_routes_by_its_own_kind(stale: Alert, misquote: Alert) -> None:
    routes = parse_routes("misquote=C1, stale=C2")
    assert [r.match for r in routes] == ["misquote", "stale"]
    sinks = {"console": _S(), **{r.name: _S(r) for r in routes}, "slack": _S(Route("*", "C0"))}
    assert list(channels_for(stale, sinks, "minor")) == ["console", "slack:stale"]
    assert list(channels_for(misquote, sinks, "minor")) == ["console", "slack:misquote"]
    # A misquote route does not catch stale quotes: they go to the default channel.
    only = parse_routes("misquote=C1")
    sinks = {**{r.name: _S(r) for r in only}, "slack": _S(Route("*", "C0"))}
    assert list(channels_for(stale, sinks, "minor")) == ["slack"]


def test_prefect_artifact_names_stale_quotes() -> None:
    stale = QuoteResult(ARTICLE, QUOTED, Verdict.STALE, Severity.NONE,
                        ("matches version 1 of the statement, edited since",))
    mis = QuoteResult(ARTICLE, "x y z", Verdict.MISQUOTE, Severity.MAJOR, ("negation removed",))
    md = _quote_section(stale)
    assert md.startswith(f"### Stale quote in <{ARTICLE}>")
    assert "(none)" not in md and "- matches version 1" in md
    assert _quote_section(mis).startswith(f"### Misquote (major) in <{ARTICLE}>")


def test_stale_alert_reads_then_and_now_in_time_order(stale: Alert) -> None:
    """The quote had "$80 million" (then); the statement now says "$58 million" (now)."""
    assert "then '$80 million', now '$58 million'" in stale.summary
    assert "now: number" not in stale.summary
    line = stale.lines[0]
    assert "$80 million" in line.old  # the wording quoted, on record then
    assert "$58 million" in line.current and "$80 million" not in line.current
    back = Alert.from_payload(json.loads(json.dumps(stale.to_payload())))
    assert back.lines[0].current == line.current


def test_every_channel_shows_the_wording_then_and_now(stale: Alert) -> None:
    out = io.StringIO()
    ConsoleSink(out).send(stale)
    text = out.getvalue()
    assert text.index("was then: The partners committed $80 million") < text.index(
        "now:      The partners committed $58 million")
    _, blocks = build_blocks(stale)
    fields = next(b["fields"] for b in blocks if "fields" in b)
    assert fields[1]["text"].startswith("*Official wording then (edited since)*")
    assert fields[2]["text"].startswith("*Official wording now*") and "$58 million" in fields[2]["text"]
    msg = build_email(stale, sender="onrecord@example.org", to=["desk@example.org"])
    body = msg.get_body(("plain",)).get_content()
    assert "Official wording then: The partners committed $80 million" in body
    assert "Official wording now: The partners committed $58 million" in body


def test_a_misquote_line_carries_no_current_wording(misquote: Alert) -> None:
    assert misquote.lines[0].current == ""


def test_every_sink_links_a_stale_quote_to_its_article(stale: Alert) -> None:
    """One report-link rule for Slack and email (alerts.message): a stale quote, like a
    misquote, names its article; the email's buttons lead to the article and the statement."""
    from urllib.parse import parse_qs, urlsplit

    from alerts.email import _bodies
    from alerts.message import report_link

    link = report_link("https://reports.example/diff?x=1", stale)
    assert link is not None and link.startswith("https://reports.example/diff?x=1&")
    assert parse_qs(urlsplit(link).query)["article"] == [stale.url]
    text, page = _bodies(stale, link)
    assert "Open article" in page and "Open statement" in page and "Quote made stale" in text
