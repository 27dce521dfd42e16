"""Issue 15: reasons a person can read, on real pages and in every alert.

The fema.gov pair (../shared/data/gov-pages) once listed a rewritten paragraph's reasons as
bags of words ("word changed: more, patients, seen, health, human, services, ..."); the
demo's edit is the one every new user sees first; a Slack alert must read at a glance.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block

import flows.demo_server as demo
from alerts.compose import edit_alert
from alerts.console import ConsoleSink
from alerts.slack import (
    GLANCE_CHANGES,
    HEADER_LIMIT,
    MAX_BLOCKS,
    SECTION_LIMIT,
    build_blocks,
)
from compare.diff import diff_texts
from compare.model import Diff
from compare.observe import Decision, Outcome
from compare.vocab import ReasonKind
from sources.document import Document
from sources.extract import extract
from sources.normalize import canonical_text

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "gov-pages"
BEFORE, AFTER = "f2d5d701-707a-42e0-8881-653346d01e0a", "fc74d750-c651-46b7-bf74-434ad8c62e04"
URL = "https://www.fema.gov/hurricane-maria"
WHEN = datetime(2017, 10, 5, 12, tzinfo=UTC)
BARE_WORD = re.compile(r"\s*[^\W\d_][\w'’.-]*\s*")


def bare_words(reason: str) -> int:
    """How many single bare words a reason lists (quoted text aside): a bag's size."""
    if ":" not in reason:
        return 0
    payload = re.sub(r"'[^']*'", "", reason.split(":", 1)[1])
    return sum(bool(BARE_WORD.fullmatch(item)) for item in re.split(r",|->", payload))


@pytest.fixture(scope="module")
def fema() -> tuple[Document, str, str, Diff]:
    if not PAGES.is_dir():
        pytest.fail(f"shared data not found at {PAGES}")
    old_doc, new_doc = (extract((PAGES / name).read_bytes(), URL) for name in (BEFORE, AFTER))
    old, new = canonical_text(old_doc.paragraphs), canonical_text(new_doc.paragraphs)
    return new_doc, old, new, diff_texts(old, new)


def test_no_fema_reason_is_a_bag_of_words(fema) -> None:
    _, _, _, diff = fema
    reasons = [r for c in diff.changes for r in c.said]
    assert len(diff.changes) >= 20 and reasons
    bags = [r for r in reasons if bare_words(r) > 5]
    assert not bags, bags
    # Short enough to read: the longest reason of the page is a line, not a paragraph.
    assert max(len(r.split()) for r in reasons) <= 25, max(reasons, key=len)


def test_the_rewritten_paragraph_leads_with_its_numbers(fema) -> None:
    _, _, _, diff = fema
    (rewritten,) = [c for c in diff.changes if c.old.startswith("More than 240 patients")]
    first = rewritten.said[0]
    assert first.startswith("numbers removed: 240 patients, 15%, 78%") and "more" in first
    # Then its names, as written and whole, then what happened to the words.
    assert any(r.startswith("names changed: U.S. Health and Human Services") for r in rewritten.said)
    assert rewritten.said[-1] == "paragraphs rewritten: 76 words -> 30"
    assert not any(r.startswith("word changed") for r in rewritten.said)
    # A number edit says what it counts, with its unit.
    staff = next(c for c in diff.changes if (c.old, c.new) == ("12,300", "14,000"))
    assert staff.said[0] == "number changed: 12,300 -> 14,000 federal staff"
    # A stretch too far apart to diff word by word still leads with the facts in it.
    (whole,) = [c for c in diff.changes if c.old.startswith("Our Joint Field Office")]
    assert whole.said[0].startswith("numbers ") and whole.said[-1].startswith("rewritten: ")
    # Every change whose reasons name a fact names it first.
    for c in diff.changes:
        if any(r.fact for r in c.reasons):
            assert c.reasons[0].fact, c.said


def test_fema_summary_is_short_facts_first(fema) -> None:
    _, _, _, diff = fema
    summary = diff.summary()
    prefix = f"substantive: {len(diff.changes)} changes: "
    assert summary.startswith(prefix), summary
    shown = summary[len(prefix):].split("; ")
    # Three changes, facts first, then a count of the others.
    assert [s.split(":")[0] for s in shown[:3]] == ["number changed"] * 2 + ["number removed"]
    assert re.fullmatch(r"and \d+ other changes", shown[-1]) and len(shown) == 4, shown
    assert len(summary.split()) <= 30, summary


def demo_texts() -> tuple[str, str]:
    html = resources.files("flows").joinpath("demo_site", "statement.html").read_text("utf-8")
    edited = html
    for was, now in demo.EDITS:
        assert was in edited
        edited = edited.replace(was, now)
    url = "http://127.0.0.1/statements/pacific-clean-water"
    return tuple(canonical_text(extract(h.encode(), url).paragraphs)  # type: ignore[return-value]
                 for h in (html, edited))


def test_demo_edit_says_what_happened() -> None:
    old, new = demo_texts()
    diff = diff_texts(old, new)
    number, sentence = diff.changes
    assert number.said == ("number changed: $80 million -> $58 million",)
    # The dropped "not" leads; then the sentence itself, quoted.
    assert sentence.op == "delete" and sentence.said[0] == "negation removed: not"
    assert ("sentence removed: 'The partners will not impose conditions on emergency relief.'"
            in sentence.said)
    assert diff.summary() == ("substantive: 2 changes: number changed: $80 million -> $58 million; "
                              "negation removed: not")


def test_slack_edit_alert_reads_at_a_glance(fema) -> None:
    doc, _, _, diff = fema
    alert = edit_alert(doc, Decision(Outcome.CHANGED, 1, diff), WHEN)
    assert alert is not None and len(alert.lines) > GLANCE_CHANGES
    report = "https://onrecord.example/diff?url=x&version=2"
    text, blocks = build_blocks(alert, report)
    for b in blocks:
        Block.parse(b).validate_json()  # slack-sdk's own Block Kit checks
    assert len(blocks) <= MAX_BLOCKS and len(blocks[0]["text"]["text"]) <= HEADER_LIMIT
    changes = [b for b in blocks if b["type"] == "section"
               and b["text"]["text"].startswith(("*Was:*", "*Added:*", "*Removed:*", "*Moved:*"))]
    assert len(changes) == GLANCE_CHANGES
    for b in changes:
        assert len(b["text"]["text"]) <= 900
        # One line of reasons under the change, in italics, its first reason (a fact) leading.
        reasons = b["text"]["text"].rsplit("\n_", 1)[1]
        assert reasons.count("; ") <= 1
    # The full diff is one click away, and the rest is counted, not shown.
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert ("Full diff", report) in [(e["text"]["text"], e["url"]) for e in buttons]
    rest = len(alert.lines) - GLANCE_CHANGES
    assert blocks[-1]["elements"][0]["text"] == f"… and {rest} more changes: see the full diff"
    size = sum(len(s) for s in re.findall(r'"text": "((?:[^"\\]|\\.)*)"', json.dumps(blocks)))
    assert size < 2500 and all(len(b.get("text", {}).get("text", "")) <= SECTION_LIMIT for b in blocks)
    assert len(text) <= 3000


def test_console_keeps_every_reason(fema) -> None:
    doc, _, _, diff = fema
    alert = edit_alert(doc, Decision(Outcome.CHANGED, 1, diff), WHEN)
    assert alert is not None
    out = io.StringIO()
    ConsoleSink(out).send(alert)
    printed = out.getvalue()
    for line in alert.lines[:10]:
        for reason in line.reasons:
            assert f"({reason})" in printed


def test_hostile_words_in_a_reason_stay_inert_in_slack() -> None:
    old = "The ministry gives $80 million to Acme Corp this year."
    new = "The ministry gives $58 million to <!channel> Zeta *Group* this year."
    diff = diff_texts(old, new)
    reasons = [r for c in diff.changes for r in c.said]
    assert any(r.startswith("number changed: $80 million -> $58 million") for r in reasons)
    doc = Document("https://gov.example/s", "Statement", (new,))
    alert = edit_alert(doc, Decision(Outcome.CHANGED, 1, diff), WHEN)
    assert alert is not None
    text, blocks = build_blocks(alert, None)
    dumped = json.dumps(blocks)
    assert "<!channel>" not in dumped and "<!channel>" not in text
    assert "&lt;!channel&gt;" in dumped


def test_a_date_written_with_a_possessive_or_a_range_is_no_name() -> None:
    """A sentence added with "Monday's meeting" or "the January-March quarter" names a date,
    not a person or a body: the dates rule reports it, the name rule does not (it once read
    "name added: Monday's", "name added: See the January-March")."""
    old = ("The Secretary will travel to Brussels for talks with allies.\n\n"
           "Exports rose last year, the ministry said.")
    new = ("The Secretary will travel to Brussels for talks with allies. The visit follows "
           "Monday's meeting of defence officials in Vilnius.\n\n"
           "Exports rose last year, the ministry said. Figures for the January-March "
           "quarter are due on Friday.")
    diff = diff_texts(old, new)
    reasons = [r for c in diff.changes for r in c.reasons]
    names = [r.text for r in reasons if r.kind in (ReasonKind.NAME, ReasonKind.NAME_OR_TITLE)]
    dates = [r.text for r in reasons if r.kind is ReasonKind.DATE]
    assert names == ["name added: Vilnius"], names
    assert dates == ["date added: Monday, January, March and 1 more"], dates
    # The kind is what the wording says: a reader and the ranking agree.
    for r in reasons:
        assert r.text.startswith(r.kind.value) == r.fact, r
