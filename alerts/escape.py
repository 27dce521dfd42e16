"""Escaping scraped text for Slack mrkdwn: it must never mention, link or format."""

from __future__ import annotations

import re

_FORMAT = re.compile(r"([*_~`])")


def mrkdwn(text: str) -> str:
    """Escape &, <, > (Slack's control characters) so text stays text.

    `<!channel>`, `<@U123>` and `<https://x|label>` become visible text: no ping, no
    disguised link. `&` goes first so the entities added here are not escaped again.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn_plain(text: str) -> str:
    """Escape control characters and neutralise *bold*, _italic_, ~strike~ and `code` marks."""
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
    """`text` escaped for mrkdwn and clipped so the *escaped* form fits in `limit`.

    Clipping before escaping keeps entities whole (never a dangling `&am`); escaping can
    lengthen text up to five times, so shrink until it fits.
    """
    budget = limit
    out = mrkdwn(clip(text, budget))
    while len(out) > limit and budget > 0:
        budget = max(0, budget - max(1, len(out) - limit))
        out = mrkdwn(clip(text, budget))
    return out


# C0 and C1 controls (ANSI escapes, CR/LF, NUL...) and bidi overrides, which could move or
# disguise text in a terminal or a mail client; tabs and newlines are kept by `plain`.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """Scraped text fit for a terminal or a plain-text mail: control characters removed."""
    return _CONTROLS.sub("", text)


def one_line(text: str, limit: int) -> str:
    """`plain` text on one line (no CR/LF: safe in a mail header), clipped to `limit`."""
    return clip(plain(text.replace("\r", " ").replace("\n", " ")), limit)


def terminal(text: str) -> str:
    r"""Scraped text made inert for a terminal: control characters shown as escapes.

    >>> terminal("ok\x1b[2Jgone")
    'ok\\x1b[2Jgone'
    """
    return _CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
