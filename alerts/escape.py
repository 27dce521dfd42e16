"""One escaping policy for every output scraped text reaches.

Scraped text is hostile: it may try to ping (`<!channel>`), format (`*bold*`, code fences),
link (`[x](javascript:...)`, `<script>`), or reorder what a reader sees (U+202E and other
bidi or control characters). Each output kind has one function here, and every renderer
uses it:

- Slack mrkdwn: `mrkdwn` (entities) inside `esc` / `mrkdwn_plain` (also no formatting);
- HTML: `html_text`;
- Markdown (Prefect artifacts): `markdown`, and `md_link` for a URL;
- terminal: `terminal`; plain-text mail: `plain`, `one_line`.

Control and bidi characters are shown as visible escapes (`\\u202e`) wherever a reader
should see that the source contained them, and removed from plain-text mail.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# C0 and C1 controls (ANSI escapes, CR, NUL...), bidi marks, embeddings, overrides and
# isolates, line/paragraph separators and the BOM: each could move, hide or disguise text
# in a terminal, a browser, Slack or a mail client. Tabs and newlines are kept.
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
    r"\u2066-\u2069\ufeff]")
_FORMAT = re.compile(r"([*_~`])")


def _shown(match: re.Match[str]) -> str:
    return match.group(0).encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    r"""Control and bidi characters replaced by visible escapes.

    >>> visible("abc\u202edef")
    'abc\\u202edef'
    """
    return _CONTROLS.sub(_shown, text)


def mrkdwn(text: str) -> str:
    """Escape &, <, > (Slack's control characters) so text stays text; show controls.

    `<!channel>`, `<@U123>` and `<https://x|label>` become visible text: no ping, no
    disguised link. `&` goes first so the entities added here are not escaped again.
    """
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn_plain(text: str) -> str:
    """`mrkdwn`, and *bold*, _italic_, ~strike~, `code` and ``` fences neutralised."""
    # A zero-width space after each mark keeps it from pairing into formatting.
    return _FORMAT.sub("\\1\u200b", mrkdwn(text))


def clip(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters at a word boundary, marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def esc(text: str, limit: int) -> str:
    """`text` made inert for Slack mrkdwn (`mrkdwn_plain`) and clipped so the *escaped*
    form fits in `limit`.

    Clipping before escaping keeps entities whole (never a dangling `&am`); escaping can
    lengthen text up to six times, so shrink until it fits.
    """
    budget = limit
    out = mrkdwn_plain(clip(text, budget))
    while len(out) > limit and budget > 0:
        budget = max(0, budget - max(1, len(out) - limit))
        out = mrkdwn_plain(clip(text, budget))
    return out


def plain(text: str) -> str:
    """Scraped text fit for a plain-text mail: control characters removed."""
    return _CONTROLS.sub("", text)


def one_line(text: str, limit: int) -> str:
    """`plain` text on one line (no CR/LF: safe in a mail header), clipped to `limit`."""
    return clip(plain(text.replace("\r", " ").replace("\n", " ")), limit)


def terminal(text: str) -> str:
    r"""Scraped text made inert for a terminal: control characters shown as escapes.

    >>> terminal("ok\x1b[2Jgone")
    'ok\\x1b[2Jgone'
    """
    return visible(text)


def terminal_line(text: str) -> str:
    """`terminal`, on one line: a scraped newline cannot fake a line of our own output."""
    return terminal(text.replace("\r", " ").replace("\n", " "))


def html_text(text: str) -> str:
    """Text for an HTML element or attribute: entities escaped (quotes too), controls shown."""
    return html.escape(visible(text), quote=True)


# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them
# all leaves no emphasis, link, image, autolink (`\:`), raw HTML (`\<`), heading, list or
# table syntax live, whatever the renderer's extensions.
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def markdown(text: str) -> str:
    """Text for Markdown that renders exactly as written: no link, image, HTML or format."""
    return _MD_PUNCT.sub(r"\\\1", visible(text))


def safe_url(url: str | None) -> str | None:
    """`url` if it is http(s) and free of spaces, controls and Markdown/HTML delimiters."""
    if not url or len(url) > 3000:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # `http://[` (found by tests/test_properties.py): not a link, text
        return None
    if scheme not in ("http", "https"):
        return None
    if _CONTROLS.search(url) or any(ch in url for ch in ' <>"\'`()[]\\\n\t'):
        return None
    return url


def md_link(url: str | None) -> str:
    """A Markdown autolink to an http(s) URL; anything else as escaped, inert text."""
    ok = safe_url(url)
    return f"<{ok}>" if ok else markdown(url or "")
