"""Escaping scraped text for Slack mrkdwn: it must never mention, link or format."""

from __future__ import annotations

import re

_FORMAT = re.compile(r"([*_~`])")


def mrkdwn(text: str) -> str:
    """Escape &, <, > (Slack's control characters) so text stays text."""
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
