"""Renderers for a `Diff`: terminal, Slack mrkdwn, side-by-side HTML page, Markdown.

All take (diff, old, new) where old/new are the texts the diff was computed from (the
change offsets point into them). Long diffs are summarised: each change is shown with a
few words of context, changes beyond a limit are counted, and text is only ever cut at
word boundaries. Scraped text is escaped for every target, so a statement can never
inject markup, a Slack @-mention (<!channel>) or a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from alerts.escape import html_text, markdown, mrkdwn_plain, terminal, terminal_line
from compare.model import COSMETIC, MINOR, SUBSTANTIVE, Change, Diff
from compare.vocab import Significance

ELLIPSIS = "…"
_ANSI = {"del": "\x1b[31m", "ins": "\x1b[32m", "move": "\x1b[36m", "dim": "\x1b[2m",
         "bold": "\x1b[1m", "reset": "\x1b[0m"}
_LEVEL_MARK = {SUBSTANTIVE: "!!", MINOR: "!", COSMETIC: "~"}


@dataclass(frozen=True)
class Excerpt:
    """One change with the words around it, ready to print."""

    change: Change
    before: str  # context before, in the new text (old text for deletions)
    old: str
    new: str
    after: str


def words_head(text: str, n: int) -> str:
    """The first `n` words of `text` (one line), with an ellipsis if cut."""
    words = text.split()
    return " ".join(words[:n]) + (f" {ELLIPSIS}" if len(words) > n else "")


def words_tail(text: str, n: int) -> str:
    """The last `n` words of `text` (one line), with an ellipsis if cut."""
    words = text.split()
    return (f"{ELLIPSIS} " if len(words) > n else "") + " ".join(words[-n:] if n else [])


def shorten(text: str, max_words: int) -> str:
    """`text` on one line; when longer than `max_words`, its head and tail around an ellipsis."""
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words)
    half = max(1, max_words // 2)
    return " ".join(words[:half]) + f" {ELLIPSIS} " + " ".join(words[-half:])


def _whole_words_before(text: str, pos: int, n: int) -> str:
    # A change can start inside a token run ("D.C." -> "DC"): drop a partial word.
    head = text[:pos]
    if head and not head[-1].isspace() and pos < len(text) and not text[pos].isspace():
        head = head.rsplit(None, 1)[0] if len(head.split()) > 1 else ""
    return words_tail(head, n)


def _whole_words_after(text: str, pos: int, n: int) -> str:
    tail = text[pos:]
    if tail and not tail[0].isspace() and pos > 0 and not text[pos - 1].isspace():
        parts = tail.split(None, 1)
        tail = parts[1] if len(parts) > 1 else ""
    return words_head(tail, n)


def excerpts(diff: Diff, old: str, new: str, *, context_words: int = 6,
             max_words: int = 40) -> list[Excerpt]:
    """Every change with `context_words` of context each side, most significant first."""
    out = []
    for c in diff.changes:
        if c.part == "title":
            # Spans in the titles, not the texts: shown whole, with no body context.
            out.append(Excerpt(c, "title:", shorten(c.old, max_words), shorten(c.new, max_words),
                               ""))
            continue
        if c.op == "delete":
            before = _whole_words_before(old, c.old_start, context_words)
            after = _whole_words_after(old, c.old_end, context_words)
        else:
            before = _whole_words_before(new, c.new_start, context_words)
            after = _whole_words_after(new, c.new_end, context_words)
        out.append(Excerpt(c, before, shorten(c.old, max_words), shorten(c.new, max_words),
                           after))
    # Stable: within a level, document order.
    return sorted(out, key=lambda e: -Significance(e.change.significance).rank)


def _header(diff: Diff) -> str:
    n = len(diff.changes)
    revert = " (revert to an earlier version)" if diff.revert else ""
    return f"{diff.significance}{revert}: {n} change{'s' if n != 1 else ''}"


def _render_lines(diff: Diff, old: str, new: str, line: Callable[[Excerpt], str],
                  header: str, max_changes: int, max_chars: int, context_words: int,
                  more: Callable[[int], str]) -> str:
    """Header, then one line per change until either limit is reached, then a count."""
    lines = [header]
    used = len(header)
    shown = 0
    items = excerpts(diff, old, new, context_words=context_words)
    for k, item in enumerate(items):
        text = line(item)
        if shown >= max_changes or (shown and used + len(text) + 1 > max_chars):
            lines.append(more(len(items) - k))
            break
        lines.append(text)
        used += len(text) + 1
        shown += 1
    return "\n".join(lines)


# --- terminal ---------------------------------------------------------------------------

def render_terminal(diff: Diff, old: str, new: str, *, color: bool = True,
                    max_changes: int = 30, context_words: int = 6) -> str:
    """Plain lines for a terminal: red deletions, green insertions, cyan moves."""
    def paint(kind: str, text: str) -> str:
        return f"{_ANSI[kind]}{text}{_ANSI['reset']}" if color and text else text

    # Scraped text shows its control characters as escapes: an ANSI sequence or a bidi
    # override cannot repaint the screen or reorder what the reader sees.
    def line(e: Excerpt) -> str:
        c = e.change
        old, new = terminal_line(e.old), terminal_line(e.new)
        if c.op == "move":
            body = paint("move", f"[moved] {new}")
        else:
            body = " ".join(x for x in (paint("del", f"[-{old}-]") if old else "",
                                        paint("ins", f"{{+{new}+}}") if new else "") if x)
        ctx = " ".join(x for x in (paint("dim", terminal_line(e.before)), body,
                                   paint("dim", terminal_line(e.after))) if x)
        mark = _LEVEL_MARK.get(c.significance, "")
        reasons = terminal_line("; ".join(c.said))
        return f"{mark:>2} {c.significance:<11} {ctx}\n   {paint('dim', reasons)}"

    header = paint("bold", terminal(_header(diff)))
    return _render_lines(diff, old, new, line, header, max_changes, 10**9, context_words,
                         lambda n: f"   {ELLIPSIS} and {n} more change{'s' if n != 1 else ''}")


# --- Slack mrkdwn -----------------------------------------------------------------------

def escape_mrkdwn(text: str) -> str:
    """alerts.escape's Slack policy: no mention, ping, link, formatting or control character."""
    return mrkdwn_plain(text)


def _slack_wrap(mark: str, text: str, fallback: tuple[str, str]) -> str:
    # Formatting characters inside the text would break the span; fall back to brackets.
    if not text:
        return ""
    if any(ch in text for ch in "*~_`"):
        return f"{fallback[0]}{escape_mrkdwn(text)}{fallback[1]}"
    return f"{mark}{escape_mrkdwn(text)}{mark}"


def render_mrkdwn(diff: Diff, old: str, new: str, *, max_chars: int = 2900,
                  max_changes: int = 10, context_words: int = 6) -> str:
    """Slack mrkdwn: ~deleted~ *inserted*, reasons in italics; under `max_chars`."""
    def line(e: Excerpt) -> str:
        c = e.change
        if c.op == "move":
            body = "moved: " + _slack_wrap("_", e.new, ("[", "]"))
        else:
            body = " ".join(x for x in (_slack_wrap("~", e.old, ("[-", "-]")),
                                        _slack_wrap("*", e.new, ("{+", "+}"))) if x)
        before = escape_mrkdwn(e.before)
        after = escape_mrkdwn(e.after)
        reasons = escape_mrkdwn("; ".join(c.said))
        ctx = " ".join(x for x in (before, body, after) if x)
        return f"• [{c.significance}] {ctx}\n    {reasons}"

    header = f"*{escape_mrkdwn(_header(diff))}*"
    return _render_lines(diff, old, new, line, header, max_changes, max_chars, context_words,
                         lambda n: f"{ELLIPSIS} and {n} more change{'s' if n != 1 else ''}")


# --- Markdown (Prefect artifacts) ------------------------------------------------------

def escape_markdown(text: str) -> str:
    """alerts.escape's Markdown policy: scraped text renders as written, nothing live."""
    return markdown(text)


def render_markdown(diff: Diff, old: str, new: str, *, max_changes: int = 50,
                    max_chars: int = 20_000, context_words: int = 8) -> str:
    """A Markdown table: significance, the change in context, reasons."""
    def cell(text: str) -> str:
        return escape_markdown(text).replace("\n", " ")

    def line(e: Excerpt) -> str:
        c = e.change
        if c.op == "move":
            body = f"moved: _{cell(e.new)}_"
        else:
            body = " ".join(x for x in (f"~~{cell(e.old)}~~" if e.old else "",
                                        f"**{cell(e.new)}**" if e.new else "") if x)
        ctx = " ".join(x for x in (cell(e.before), body, cell(e.after)) if x)
        return f"| {c.significance} | {c.op} | {ctx} | {cell('; '.join(c.said))} |"

    header = (f"### {escape_markdown(_header(diff))}\n\n"
              "| significance | op | change | reasons |\n|---|---|---|---|")
    if not diff.changes:
        return f"### {escape_markdown(_header(diff))}\n\nNo change in wording."
    return _render_lines(diff, old, new, line, header, max_changes, max_chars, context_words,
                         lambda n: f"\n_{ELLIPSIS} and {n} more change{'s' if n != 1 else ''}_")


# --- HTML side by side -----------------------------------------------------------------

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1b1b}
header{padding:12px 20px;background:#f3f3f3;border-bottom:1px solid #ccc}
h1{font-size:18px;margin:0 0 6px}
ol.reasons{margin:4px 0 0;padding-left:22px;font-size:13px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0}
.col{padding:12px 20px;white-space:pre-wrap;overflow-wrap:anywhere}
.col+.col{border-left:1px solid #ccc}
h2{font-size:14px;text-transform:uppercase;color:#555;margin:0 0 8px}
del{background:#ffc9c9;color:#7a0000;text-decoration:line-through}
ins{background:#b7f0c0;color:#004d12;text-decoration:none}
.substantive{outline:2px solid #d00000}
.cosmetic{background:#eee;color:inherit}
mark.move{background:#cde7ff;outline:1px dashed #0060c0}
.level-substantive{color:#b00000;font-weight:bold}
"""


# A marked span of one text: (start, end, tag, class, title, anchor id or "").
Span = tuple[int, int, str, str, str, str]


def _marked(text: str, spans: list[Span]) -> str:
    """`text` escaped, with each span wrapped in its tag (an `id` when it has an anchor)."""
    out = []
    pos = 0
    for start, end, tag, cls, title, anchor in sorted(spans):
        if start < pos:
            continue  # never nest or overlap tags
        out.append(html_text(text[pos:start]))
        attr = f' class="{cls}" title="{html_text(title)}"'
        if anchor:
            attr = f' id="{anchor}"' + attr
        body = html_text(text[start:end]) if end > start else "&#8203;"
        out.append(f"<{tag}{attr}>{body}</{tag}>")
        pos = end
    out.append(html_text(text[pos:]))
    return "".join(out)


def _tip(k: int, c: Change) -> str:
    return f"#{k} {c.significance}: " + "; ".join(c.said)


def html_columns(diff: Diff, old: str, new: str, *, anchors: bool = False) -> tuple[str, str]:
    """The two texts as escaped HTML, deletions and moves marked in the old one, insertions
    and moves in the new one. With `anchors`, change k's span in the new text (the old one
    for a deletion) has id "c{k}", so a list of changes can link to it."""
    left: list[Span] = []
    right: list[Span] = []
    for k, c in enumerate(diff.changes, 1):
        tip = _tip(k, c)
        anchor = f"c{k}" if anchors else ""
        if c.part == "title":
            continue  # listed with the reasons; its spans are not in these texts
        if c.op == "move":
            left.append((c.old_start, c.old_end, "mark", f"move {c.significance}", tip, ""))
            right.append((c.new_start, c.new_end, "mark", f"move {c.significance}", tip, anchor))
            continue
        has_new = c.new_end > c.new_start or c.op == "replace"
        if c.old_end > c.old_start or c.op == "replace":
            left.append((c.old_start, c.old_end, "del", c.significance, tip,
                         "" if has_new else anchor))
        if has_new:
            right.append((c.new_start, c.new_end, "ins", c.significance, tip, anchor))
    return _marked(old, left), _marked(new, right)


def html_inline(diff: Diff, old: str, new: str) -> str:
    """The new text as escaped HTML with each deletion shown struck out where it was, each
    insertion marked, and each moved passage marked at its new place (its old place says
    where it went). Change k has the anchor id "c{k}"."""
    out: list[str] = []
    pos = 0
    # Edits in the order of the new text; a deletion sits at its (empty) place in it.
    items = sorted(((c.new_start, k, c) for k, c in enumerate(diff.changes, 1)
                    if c.part != "title"), key=lambda x: (x[0], x[1]))
    for start, k, c in items:
        if start < pos:
            continue  # overlapping spans are never nested
        out.append(html_text(new[pos:start]))
        tip = html_text(_tip(k, c))
        cls = html_text(str(c.significance))
        if c.op == "move":
            out.append(f'<mark id="c{k}" class="move {cls}" title="moved: {tip}">'
                       f"{html_text(new[c.new_start:c.new_end])}</mark>")
        else:
            parts = []
            if c.old:
                parts.append(f'<del class="{cls}" title="{tip}">{html_text(c.old)}</del>')
            if c.new_end > c.new_start:
                parts.append(f'<ins class="{cls}" title="{tip}">'
                             f"{html_text(new[c.new_start:c.new_end])}</ins>")
            out.append(f'<span id="c{k}" class="change">{"".join(parts)}</span>')
        pos = max(pos, c.new_end)
    out.append(html_text(new[pos:]))
    return "".join(out)


def render_html(diff: Diff, old: str, new: str, *, title: str = "onrecord diff",
                old_label: str = "Before", new_label: str = "After") -> str:
    """A self-contained page (inline CSS, no scripts, no external resources): the two
    versions side by side with deletions, insertions and moves marked, reasons on top."""
    left, right = html_columns(diff, old, new)
    items = "".join(
        f'<li><span class="level-{html_text(c.significance)}">{html_text(c.significance)}'
        f"</span> {html_text(c.op)}: {html_text('; '.join(c.said))}</li>"
        for c in diff.changes)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        # No network access from the page, even if a renderer bug let markup through.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<title>{html_text(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{html_text(title)}</h1><div>{html_text(_header(diff))}</div>"
        f"<ol class=\"reasons\">{items}</ol></header>"
        f"<div class=\"cols\"><div class=\"col old\"><h2>{html_text(old_label)}</h2>"
        f"{left}</div>"
        f"<div class=\"col new\"><h2>{html_text(new_label)}</h2>{right}</div>"
        "</div></body></html>\n"
    )


# --- command line ------------------------------------------------------------------------

FORMATS = ("json", "terminal", "mrkdwn", "markdown", "html")


def render(diff: Diff, old: str, new: str, fmt: str) -> str:
    """Dispatch on a format name (the `--format` of `onrecord diff`)."""
    if fmt == "json":
        import json
        return json.dumps(diff.to_json(), ensure_ascii=False, indent=2)
    renderers: dict[str, Callable[[Diff, str, str], str]] = {"terminal": render_terminal, "mrkdwn": render_mrkdwn,
                 "markdown": render_markdown, "html": render_html}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return renderers[fmt](diff, old, new)


def main(argv: list[str] | None = None) -> int:
    """`python -m compare.render OLD NEW --format json`: the body of `onrecord diff`.

    OLD and NEW are text files (paragraphs separated by blank lines); they are brought to
    canonical form first, as the store does, so typography never shows up as a change.
    """
    import argparse
    import sys

    from compare.diff import diff_texts
    from sources.normalize import canonical_text

    ap = argparse.ArgumentParser(prog="onrecord diff")
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--format", choices=FORMATS, default="terminal")
    args = ap.parse_args(argv)
    texts = []
    for path in (args.old, args.new):
        with open(path, encoding="utf-8") as f:
            texts.append(canonical_text(re.split(r"\n\s*\n", f.read())))
    diff = diff_texts(*texts)
    sys.stdout.write(render(diff, texts[0], texts[1], args.format) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
