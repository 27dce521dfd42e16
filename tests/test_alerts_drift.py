"""A drifted reported claim is its own alert kind end to end: composed from a claim verdict,
printed, posted to a Slack-compatible server in the statement's thread, mailed, routed,
digested and published as an artifact, with both texts and the reasons, all escaped."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from alerts.compose import claim_alert_due, drift_alert, drift_key, outbox_entries
from alerts.console import ConsoleSink
from alerts.deliver import deliver
from alerts.email import build_digest_email, build_email
from alerts.message import Alert, report_link
from alerts.routing import Route, Routes, channels_for, parse_routes
from alerts.slack import SlackSink, build_blocks, build_digest, build_text
from compare.claims import Claim, ClaimCheck
from compare.vocab import AlertKind, ClaimVerdict, DriftKind, Severity, Significance
from flows.pipeline import ClaimResult
from flows.prefect_flows import _claim_section
from sources.document import COVERAGE, Document
from store import Store
from store.records import NewAlert
from tests.fake_slack import FakeSlack

STATEMENT = "https://gov.example/joint-statement"
ARTICLE = "https://news.example/water-aid"
OFFICIAL = "The partners committed $80 million over five years to expand clean water access."
REPORTED = "The ministers said the partners had committed $18 million <!channel> over five years."
REASON = "number changed: '$80 million' reported as '$18 million'"


def check(verdict: ClaimVerdict = ClaimVerdict.DRIFT, severity: Severity = Severity.MAJOR,
          kind: DriftKind | None = DriftKind.NUMBER, source: str | None = STATEMENT,
          matched: str = OFFICIAL) -> ClaimCheck:
    return ClaimCheck(Claim(REPORTED, 120, 120 + len(REPORTED), "the ministers"), verdict, kind,
                      severity, source, 7 if source else None, 1 if source else None, matched,
                      0.9, (REASON,) if verdict is ClaimVerdict.DRIFT else ())


ARTICLE_DOC = Document(url=ARTICLE, title="Water aid \x1b[2J story", paragraphs=(REPORTED,),
                       kind=COVERAGE, issuer="Demo Daily")


@pytest.fixture
def drift() -> Alert:
    return drift_alert(ARTICLE_DOC, check(), "Joint Statement on Water")


def test_only_a_major_drift_on_a_statement_is_alerted() -> None:
    assert claim_alert_due(check())
    assert not claim_alert_due(check(severity=Severity.MINOR))
    assert not claim_alert_due(check(ClaimVerdict.FAITHFUL, Severity.NONE, None))
    # Unsupported: no statement on record says it; not evidence it was never said.
    assert not claim_alert_due(check(ClaimVerdict.UNSUPPORTED, Severity.MAJOR, None, None, ""))
    assert not claim_alert_due(check(source=None))


def test_a_drift_alert_carries_both_texts_and_threads_with_the_statement(drift: Alert) -> None:
    assert drift.kind is AlertKind.DRIFT and drift.kind.about_quote
    assert drift.significance is Significance.SUBSTANTIVE
    assert drift.url == ARTICLE and drift.subject_url == STATEMENT
    assert drift.title == "Joint Statement on Water" and drift.issuer == "Demo Daily"
    assert "(number)" in drift.summary and REASON in drift.summary
    [line] = drift.lines
    assert (line.old, line.new, line.significance) == (OFFICIAL, REPORTED, Severity.MAJOR)
    assert line.reasons == (REASON,)
    back = Alert.from_payload(json.loads(json.dumps(drift.to_payload())))
    assert back == drift and back.kind is AlertKind.DRIFT
    link = report_link("https://reports.example/d", drift)
    assert link is not None and "article=" in link


def test_the_key_ignores_the_statement_version_but_not_the_official_wording() -> None:
    same = drift_key(ARTICLE, 1, check())
    rejudged = ClaimCheck(**{**check().__dict__, "version": 2, "version_id": 9})
    assert drift_key(ARTICLE, 1, rejudged) == same
    assert drift_key(ARTICLE, 1, check(matched=OFFICIAL.replace("$80", "$58"))) != same
    assert drift_key(ARTICLE, 2, check()) != same  # a new article version is news


def test_console_prints_reported_and_official_wording_inert(drift: Alert) -> None:
    out = io.StringIO()
    ConsoleSink(out).send(drift)
    text = out.getvalue()
    assert "!! [DRIFTED CLAIM] Joint Statement on Water" in text
    assert "- reported: The ministers said the partners had committed $18 million" in text
    assert f"official: {OFFICIAL}" in text and f"({REASON})" in text
    assert "\x1b" not in text and "\\x1b[2J" in text  # the article title, shown inert


def test_slack_blocks_show_press_and_official_wording_escaped(drift: Alert) -> None:
    text, blocks = build_blocks(drift, "https://reports.example/d")
    joined = json.dumps(blocks, ensure_ascii=False)
    assert text.startswith("Reported claim drifted: Joint Statement on Water (substantive)")
    assert blocks[0]["text"]["text"].startswith("Reported claim drifted: ")
    assert "Drift: the article reports, in its own words" in joined
    fields = next(b["fields"] for b in blocks if "fields" in b)
    assert fields[0]["text"].startswith("*Press reported*") and "$18 million" in fields[0]["text"]
    assert fields[1]["text"].startswith("*Official wording*") and "$80 million" in fields[1]["text"]
    assert "reported as" in fields[1]["text"]  # the reasons
    assert "<!channel>" not in joined and "&lt;!channel&gt;" in joined
    assert "<!channel>" not in build_text(drift)
    buttons = [(e["text"]["text"], e["url"]) for b in blocks if b["type"] == "actions"
               for e in b["elements"]]
    assert buttons[:2] == [("Open article", ARTICLE), ("Open statement", STATEMENT)]
    _, digest = build_digest([drift])
    [line] = [b["text"]["text"] for b in digest if b["type"] == "section"]
    assert line.startswith(":red_circle: *Reported claim drifted*")


def test_email_shows_both_texts_and_escapes_html(drift: Alert) -> None:
    msg = build_email(drift, sender="onrecord@example.org", to=["desk@example.org"])
    assert msg["Subject"].startswith("[onrecord] Reported claim drifted (substantive): Joint")
    plain = msg.get_body(("plain",)).get_content()
    assert "Press reported: The ministers said the partners had committed $18 million" in plain
    assert f"Official wording: {OFFICIAL}" in plain and REASON in plain
    page = msg.get_body(("html",)).get_content()
    assert "&lt;!channel&gt;" in page and "<!channel>" not in page
    digest = build_digest_email([drift], ["r1"], sender="onrecord@example.org",
                                to=["desk@example.org"])
    assert "Reported claim drifted" in digest.get_body(("plain",)).get_content()


class _S:
    def __init__(self, route: Route | None = None, routes: Routes | None = None) -> None:
        self.route = route
        self.routes = routes or Routes()
        self.min_significance = None


def test_drift_routes_by_its_own_kind(drift: Alert) -> None:
    chain = parse_routes("misquote=C1, drift=C2")
    sinks = {**{r.name: _S(r) for r in chain}, "slack": _S(Route("*", "C0"))}
    assert list(channels_for(drift, sinks, "minor")) == ["slack:drift"]
    # A misquote route does not catch drift; [[sink]] routes take it by kind.
    sinks = {"press": _S(routes=Routes.of(kinds=["drift"])),
             "quotes": _S(routes=Routes.of(kinds=["misquote", "stale"]))}
    assert list(channels_for(drift, sinks, "minor")) == ["press"]
    [entry] = outbox_entries(drift, "k", sinks, "minor")
    assert (entry.kind, entry.channel, entry.dedupe_key) == ("drift", "press", "press|k")


def test_drift_alert_posted_to_slack(fake: FakeSlack, tmp_path: Path, drift: Alert) -> None:
    store = Store(f"sqlite:///{tmp_path / 'drift.sqlite'}")
    try:
        store.enqueue([NewAlert(drift.kind, "slack", "slack|drift-1", drift.to_payload(),
                                drift.significance)])
        sink = SlackSink("xoxb-test", "C0PRESS", base_url=fake.url, timeout=5)
        assert deliver(store, {"slack": sink}, backoff=0.01).sent == 1
        [row] = store.alerts()
        assert row.kind == "drift" and row.status == "sent"
    finally:
        store.close()
    [msg] = fake.messages
    assert msg["text"].startswith("Reported claim drifted: Joint Statement on Water")
    assert "*Press reported*" in json.dumps(msg["blocks"])


def test_prefect_artifact_lists_a_drifted_claim_escaped() -> None:
    c = ClaimResult.of(ARTICLE, check(matched="Aid of $80 million ![x](http://evil.example/p.png)"))
    md = _claim_section(c)
    assert md.startswith(f"### Drifted claim (number, major) in <{ARTICLE}>")
    assert r"\$18 million" in md and r"\$80 million" in md
    assert r"- number changed\: \'\$80 million\' reported as" in md
    assert "![x](http" not in md and r"\!\[x\]" in md  # scraped Markdown is inert
    assert f"<{STATEMENT}>" in md


def test_the_composition_examples_run() -> None:
    """The examples in alerts/compose.py (drift_alert's among them) are run, not just read."""
    import doctest

    import alerts.compose

    result = doctest.testmod(alerts.compose)
    assert result.attempted >= 4 and result.failed == 0
