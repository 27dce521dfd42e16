"""Block Kit building (pure): content, escaping of scraped text, Slack's limits, routing."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from alerts.escape import esc, mrkdwn
from alerts.message import Alert, ChangeLine
from alerts.routing import Route, Routes, channels_for, parse_routes
from alerts.slack import (
    FIELD_LIMIT,
    HEADER_LIMIT,
    MAX_BLOCKS,
    SECTION_LIMIT,
    build_blocks,
    build_digest,
    report_link,
)

HOSTILE = "<!channel> Joint statement <@U123> see <https://example.com|click> & <!here>"


def edit(**kw) -> Alert:
    base = dict(kind="edit", title="Joint Statement on Clean Water", url="https://gov.example/s",
                significance="substantive", summary="number changed: 80 -> 58; sentence removed",
                issuer="Ministry of Foreign Affairs", when="2024-05-01T10:00:00+00:00", version=2,
                lines=(ChangeLine("replace", "$80 million", "$58 million", "substantive",
                                  ("number changed: 80 -> 58",)),
                       ChangeLine("delete", "The partners will not impose conditions.", "",
                                  "substantive", ("negation removed: not",))))
    base.update(kw)
    return Alert(**base)


def all_text(text: str, blocks: list[dict]) -> str:
    return text + json.dumps(blocks, ensure_ascii=False)


def mrkdwn_texts(blocks: list[dict]) -> list[str]:
    """Every string Slack parses as mrkdwn."""
    out = []
    for b in blocks:
        if isinstance(b.get("text"), dict) and b["text"]["type"] == "mrkdwn":
            out.append(b["text"]["text"])
        out += [f["text"] for f in b.get("fields", ())]
        out += [e["text"] for e in b.get("elements", ()) if e.get("type") == "mrkdwn"]
    return out


def validate(blocks: list[dict]) -> None:
    """slack-sdk's models check Block Kit sizes that raw dicts would not."""
    for b in blocks:
        Block.parse(b).validate_json()


def test_edit_blocks_say_what_changed_and_why() -> None:
    text, blocks = build_blocks(edit(), "https://reports.example/diff?url=x")
    validate(blocks)
    assert blocks[0]["type"] == "header"
    assert "Statement edited: Joint Statement on Clean Water" == blocks[0]["text"]["text"]
    joined = all_text(text, blocks)
    for expected in ("Ministry of Foreign Affairs", "2024-05-01T10:00:00+00:00", "substantive",
                     "*Was:* $80 million", "*Now:* $58 million",
                     "*Removed:* The partners will not impose conditions.",
                     "negation removed: not", "the meaning changed", "version 2"):
        assert expected in joined, expected
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["text"]["text"], b["url"]) for b in buttons] == [
        ("Open statement", "https://gov.example/s"),
        ("Full diff", "https://reports.example/diff?url=x")]
    assert text.startswith("Statement edited: Joint Statement")


def test_misquote_shows_press_wording_beside_official_wording() -> None:
    alert = Alert(kind="misquote", title="Joint Statement", url="https://news.example/a",
                  significance="substantive", summary="misquote (major) in Article: not dropped",
                  statement_url="https://gov.example/s",
                  lines=(ChangeLine("replace", "will not impose conditions",
                                    "will impose conditions", "major", ("negation removed",)),))
    _, blocks = build_blocks(alert)
    validate(blocks)
    fields = next(b["fields"] for b in blocks if "fields" in b)
    assert fields[0]["text"].startswith("*Press wrote*") and "will impose" in fields[0]["text"]
    assert fields[1]["text"].startswith("*Official wording*") and "will not impose" in fields[1]["text"]
    urls = [e["url"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert urls == ["https://news.example/a", "https://gov.example/s"]


def test_scraped_text_can_never_mention_or_link() -> None:
    alert = edit(title=HOSTILE, summary=HOSTILE, issuer=HOSTILE, when=HOSTILE,
                 lines=(ChangeLine("replace", HOSTILE, HOSTILE, "minor", (HOSTILE,)),))
    for build in (lambda: build_blocks(alert), lambda: build_digest([alert, alert])):
        text, blocks = build()
        validate(blocks)
        for s in [text, *mrkdwn_texts(blocks)]:
            # Every "<" Slack would parse is ours; scraped ones became &lt;.
            assert "<!" not in s and "<@" not in s and "<http" not in s, s
        joined = all_text(text, blocks)
        assert "&lt;!channel&gt;" in joined
        assert "&lt;https://example.com|click&gt; &amp; &lt;!here&gt;" in joined


def test_header_is_plain_text_and_links_only_http() -> None:
    _, blocks = build_blocks(edit(url="javascript:alert(1)"))
    assert blocks[0]["text"]["type"] == "plain_text"  # never parsed for mentions
    assert not [b for b in blocks if b["type"] == "actions"]


def test_limits_are_met_by_summarising() -> None:
    huge = "word & <b> " * 1000  # 11,000 characters that grow when escaped
    alert = edit(title=huge, summary=huge, issuer=huge,
                 lines=tuple(ChangeLine("replace", huge, huge, "minor", (huge,))
                             for _ in range(300)))
    text, blocks = build_blocks(alert, "https://reports.example/d")
    validate(blocks)
    assert len(blocks) <= MAX_BLOCKS
    assert len(text) <= 3000
    assert len(blocks[0]["text"]["text"]) <= HEADER_LIMIT
    for s in mrkdwn_texts(blocks):
        assert len(s) <= SECTION_LIMIT
    for b in blocks:
        for f in b.get("fields", ()):
            assert len(f["text"]) <= FIELD_LIMIT
    assert sum(len(s) for s in mrkdwn_texts(blocks)) < 12000
    assert "more changes" in blocks[-1]["elements"][0]["text"]
    # Entities are never cut in half.
    for s in mrkdwn_texts(blocks):
        assert "&am…" not in s and "&l…" not in s

    many = [edit(title=f"Statement {i}") for i in range(120)]
    text, blocks = build_digest(many)
    validate(blocks)
    assert len(blocks) <= MAX_BLOCKS
    assert text.startswith("onrecord: 120 alerts")
    assert "more" in blocks[-1]["elements"][0]["text"]


def test_esc_fits_escaped_length() -> None:
    assert esc("<" * 100, 50).count("&lt;") <= 12
    assert len(esc("<" * 100, 50)) <= 50
    assert mrkdwn("a & <b>") == "a &amp; &lt;b&gt;"


def test_report_link_under_base() -> None:
    link = report_link("https://reports.example/diff", edit())
    assert link == "https://reports.example/diff?url=https%3A%2F%2Fgov.example%2Fs&version=2"
    assert report_link(None, edit()) is None


class _S:
    def __init__(self, route: Route | None = None, min_significance: str | None = None):
        self.route = route
        self.min_significance = min_significance
        self.routes = Routes()


def test_routing_by_severity_kind_and_host_with_minimum_per_channel() -> None:
    routes = parse_routes("substantive=C1; misquote=C2, host:state.gov=C3@substantive")
    sinks = {"console": _S(), **{r.name: _S(r, r.min_level) for r in routes},
             "slack": _S(Route("*", "C0"), min_significance="minor")}
    assert list(channels_for(edit(), sinks, "minor")) == ["console", "slack:substantive"]
    minor = edit(significance="minor")
    assert list(channels_for(minor, sinks, "minor")) == ["console", "slack"]
    cosmetic = edit(significance="cosmetic")
    assert list(channels_for(cosmetic, sinks, "minor")) == []  # stored, not posted
    quote = edit(kind="misquote", significance="minor", url="https://news.example/a")
    assert list(channels_for(quote, sinks, "minor")) == ["console", "slack:misquote"]
    state = edit(significance="minor", url="https://www.state.gov/x")
    assert list(channels_for(state, sinks, "minor")) == ["console"]  # routed, below C3's level
    with pytest.raises(ValueError, match="unknown match"):
        parse_routes("nonsense=C1")
    with pytest.raises(ValueError, match="MATCH=CHANNEL"):
        parse_routes("substantive")
