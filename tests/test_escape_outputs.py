"""One escaping policy (alerts/escape.py) for every output, checked with the same hostile
strings on each: Slack blocks and text, the HTML diff page, the terminal diff, Markdown
(the diff and the Prefect artifacts, rendered by a real Markdown renderer) and CLI output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from alerts.escape import markdown, md_link, mrkdwn_plain, terminal
from alerts.message import Alert, ChangeLine
from alerts.slack import build_blocks, build_digest, build_text
from compare.diff import diff_texts
from compare.render import render_html, render_markdown, render_mrkdwn, render_terminal
from compare.vocab import ClaimVerdict, DriftKind, Severity, Verdict
from flows.pipeline import ClaimResult, QuoteResult

ROOT = Path(__file__).resolve().parents[1]

# Each would format, link, load, run, ping or reorder text if it reached an output live.
HOSTILE = (
    "*bold* _italic_ ~strike~ `code`",
    "```fenced block```",
    "price \u202e85$ gnitats\u202c and \u2066isolate\u2069 \u200fmark",
    "<!channel> <@U123> <https://evil.example|bank>",
    "![tracker](https://evil.example/pixel.png)",
    "[click me](javascript:alert(1))",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "\x1b[2J\x1b[31mred\x07 and\rover",
    "javascript:alert(document.cookie)",
)
BIDI_AND_CONTROLS = ("\u202e", "\u202c", "\u2066", "\u2069", "\u200f", "\x1b", "\x07", "\r")
BASE = "The ministry confirmed funding of eighty million dollars for the new clinics."


def _diffs() -> list[tuple[str, str]]:
    return [(BASE, BASE.replace("eighty", f"{h} sixty")) for h in HOSTILE]


def _no_controls(out: str) -> None:
    for ch in BIDI_AND_CONTROLS:
        assert ch not in out, repr(ch)


# -- Slack --------------------------------------------------------------------------------

def _alert(h: str) -> Alert:
    return Alert(kind="edit", title=f"Statement {h}", url="https://gov.example/s",
                 significance="substantive", summary=f"changed: {h}", issuer=f"Ministry {h}",
                 when="2024-05-01", version=2,
                 lines=(ChangeLine("replace", f"old {h}", f"new {h}", "substantive", (h,)),))


def _slack_texts(blocks: list[dict[str, object]]) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str) and node.get("type") != "button":
                found.append(node["text"])
            for key, value in node.items():
                if key != "url":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


@pytest.mark.parametrize("h", HOSTILE)
def test_slack_blocks_and_text_never_format_ping_or_reorder(h: str) -> None:
    text, blocks = build_blocks(_alert(h))
    _, digest = build_digest([_alert(h)])
    for out in [text, build_text(_alert(h)), *_slack_texts(blocks), *_slack_texts(digest)]:
        _no_controls(out)
        assert "<!" not in out and "<@" not in out and "<http" not in out and "<script" not in out
        for mark in ("*bold*", "_italic_", "~strike~", "`code`", "```"):
            assert mark not in out
    payload = json.dumps(blocks, ensure_ascii=False)
    if "\u202e" in h:
        assert "\\u202e" in payload  # shown, not hidden: the reader sees it was there


def test_mrkdwn_diff_renderer_uses_the_same_policy() -> None:
    for old, new in _diffs():
        out = render_mrkdwn(diff_texts(old, new), old, new)
        _no_controls(out)
        assert "<!channel>" not in out and "*bold*" not in out and "```" not in out


# -- HTML -----------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [name for name, _ in attrs]


def test_html_page_has_no_live_markup_or_controls() -> None:
    for old, new in _diffs():
        page = render_html(diff_texts(old, new), old, new, title=f"T {new[:60]}")
        parser = _Tags()
        parser.feed(page)
        assert not parser.tags & {"script", "img", "a", "iframe"}
        assert not {"onerror", "src", "href"} & set(parser.attrs)
        _no_controls(page)


# -- terminal ---------------------------------------------------------------------------------

def test_terminal_diff_shows_controls_as_escapes() -> None:
    for old, new in _diffs():
        out = render_terminal(diff_texts(old, new), old, new, color=False)
        _no_controls(out)
    old, new = _diffs()[7]
    assert "\\x1b[2J" in render_terminal(diff_texts(old, new), old, new, color=False)
    assert terminal("a\u202eb") == "a\\u202eb"


def test_cli_output_shows_no_raw_controls(tmp_path: Path) -> None:
    page = tmp_path / "s.html"
    body = " ".join(["The ministry confirmed funding for the new clinics today."] * 3)
    page.write_text(f"<html><head><title>Title \u202eevil\u202c</title></head><body><article>"
                    f"<p>{body} \u202e85$ gnitats\u202c</p><p>{body}</p></article></body></html>",
                    encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "flows.cli", "extract", str(page)],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    _no_controls(result.stdout)
    assert "\\u202e" in result.stdout


# -- Markdown (diffs and Prefect artifacts) --------------------------------------------------

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _rendered_is_inert(md: str) -> None:
    html = _MD.render(md)
    parser = _Tags()
    parser.feed(html)
    assert not parser.tags & {"script", "img", "a", "iframe", "code", "pre", "em"}, html
    assert "javascript:" not in " ".join(parser.attrs)
    _no_controls(html)


@pytest.mark.parametrize("h", HOSTILE)
def test_markdown_escaping_leaves_nothing_live(h: str) -> None:
    _rendered_is_inert(markdown(h))
    _rendered_is_inert("> " + markdown(h))
    _rendered_is_inert("- " + markdown(h))
    assert markdown(h) != h or h.isalnum()


def test_markdown_diff_table_is_inert() -> None:
    for old, new in _diffs():
        md = render_markdown(diff_texts(old, new), old, new)
        html = _MD.render(md)
        parser = _Tags()
        parser.feed(html)
        assert not parser.tags & {"script", "img", "a", "code", "pre", "em"}, html
        _no_controls(html)


@pytest.mark.parametrize("h", HOSTILE)
def test_prefect_quote_artifact_is_inert(h: str) -> None:
    from flows.prefect_flows import _quote_section

    q = QuoteResult(article_url="javascript:alert(1)", quote=f"They said {h}\n{h}",
                    verdict=Verdict.MISQUOTE, severity=Severity.MAJOR, reasons=(h,))
    _rendered_is_inert(_quote_section(q))


@pytest.mark.parametrize("h", HOSTILE)
def test_prefect_claim_artifact_is_inert(h: str) -> None:
    from flows.prefect_flows import _claim_section

    c = ClaimResult(article_url="javascript:alert(1)", claim=f"They said {h}\n{h}",
                    verdict=ClaimVerdict.DRIFT, kind=DriftKind.NUMBER, severity=Severity.MAJOR,
                    source=f"https://gov.example/{h}", matched=f"Officially {h}", reasons=(h,))
    _rendered_is_inert(_claim_section(c))


def test_md_link_only_links_http() -> None:
    assert md_link("https://gov.example/a?b=1") == "<https://gov.example/a?b=1>"
    assert "<" not in md_link("javascript:alert(1)")
    assert "<" not in md_link("https://x.example/a>b")
    assert mrkdwn_plain("*x*") == "*\u200bx*\u200b"
