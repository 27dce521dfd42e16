"""Slack delivery with slack-sdk: Block Kit messages, threads per document, safe escaping."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from alerts.escape import clip, mrkdwn
from alerts.message import Alert
from alerts.sink import Delivery

log = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
PERMANENT_ERRORS = frozenset({
    "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
    "channel_not_found", "not_in_channel", "is_archived", "missing_scope", "no_permission",
    "invalid_arguments", "restricted_action", "team_access_not_granted",
})
SECTION_LIMIT = 3000
MAX_BLOCKS = 50
TEXT_BUDGET = 11000  # long block sets fail around 12-13k characters in practice
_LABEL = {"edit": "Statement edited", "misquote": "Misquote", "removed": "Statement removed",
          "new": "New statement"}
_EMOJI = {"substantive": ":red_circle:", "major": ":red_circle:", "minor": ":large_orange_circle:",
          "cosmetic": ":white_circle:", "none": ":white_circle:"}


def _safe_link(url: str) -> str | None:
    """A URL fit for a button: http(s) only (scraped URLs are untrusted)."""
    return url if urlsplit(url).scheme in ("http", "https") and len(url) <= 3000 else None


def build_blocks(alert: Alert, report_url: str | None = None) -> tuple[str, list[dict]]:
    """The plain-text fallback and Block Kit blocks for `alert`, within Slack's limits."""
    label = _LABEL.get(alert.kind, alert.kind)
    title = clip(alert.title or alert.url, 140)
    fallback = clip(f"{label}: {alert.title} ({alert.significance}) {alert.summary}", 3000)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(f"{label}: {title}", 150),
                                    "emoji": False}},
    ]
    ctx = [f"{_EMOJI.get(alert.significance, '')} *{mrkdwn(alert.significance)}*"]
    if alert.issuer:
        ctx.append(mrkdwn(clip(alert.issuer, 200)))
    if alert.when:
        ctx.append(mrkdwn(alert.when))
    if alert.revert:
        ctx.append("revert to an earlier version")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(ctx)}]})
    summary = {"type": "section", "text": {"type": "mrkdwn",
                                           "text": mrkdwn(clip(alert.summary, SECTION_LIMIT - 50))}}
    link = _safe_link(alert.url)
    if link:
        summary["accessory"] = {"type": "button", "text": {"type": "plain_text", "text": "Open"},
                                "url": link}
    blocks.append(summary)
    used = len(fallback) + len(alert.summary)
    shown = 0
    for line in alert.lines:
        if len(blocks) >= MAX_BLOCKS - 3 or used > TEXT_BUDGET:
            break
        if alert.kind == "misquote":
            body = (f"*Press:* “{mrkdwn(clip(line.new, 1200))}”\n"
                    f"*Official:* “{mrkdwn(clip(line.old, 1200))}”")
        elif line.op == "insert":
            body = f"*Added:* {mrkdwn(clip(line.new, 2400))}"
        elif line.op == "delete":
            body = f"*Removed:* {mrkdwn(clip(line.old, 2400))}"
        elif line.op == "move":
            body = f"*Moved:* {mrkdwn(clip(line.new, 2400))}"
        else:
            body = f"*Was:* {mrkdwn(clip(line.old, 1200))}\n*Now:* {mrkdwn(clip(line.new, 1200))}"
        if line.reasons:
            body += "\n_" + mrkdwn(clip("; ".join(line.reasons), 400)) + "_"
        body = body[:SECTION_LIMIT]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
        used += len(body)
        shown += 1
    if shown < len(alert.lines):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn",
                       "text": f"… and {len(alert.lines) - shown} more changes"}]})
    if report_url and _safe_link(report_url):
        blocks.append({"type": "actions", "elements": [{"type": "button", "text": {
            "type": "plain_text", "text": "Full diff"}, "url": report_url}]})
    return fallback, blocks


def _classify_error(exc: Exception) -> Delivery:
    if isinstance(exc, SlackApiError):
        code = str(exc.response.get("error", "unknown_error")) if exc.response is not None else "unknown"
        status = getattr(exc.response, "status_code", None)
        retry_after = None
        if status == 429:
            try:
                retry_after = float(exc.response.headers.get("Retry-After", "1"))
            except (TypeError, ValueError):
                retry_after = 1.0
        return Delivery(False, error=f"Slack API error: {code}", permanent=code in PERMANENT_ERRORS,
                        retry_after=retry_after)
    # Never include the exception text: it may echo request headers.
    return Delivery(False, error=f"Slack unreachable ({type(exc).__name__})")


class SlackSink:
    """Post alerts with a bot token; each document's alerts go in one thread."""

    def __init__(self, token: str, channel: str, *, base_url: str = SLACK_API_URL,
                 report_base: str | None = None, timeout: int = 10, retries: int = 2) -> None:
        self.channel = channel
        self.name = f"slack:{channel}"
        self.report_base = report_base
        self.client = WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries),
            RateLimitErrorRetryHandler(max_retry_count=retries),
            ServerErrorRetryHandler(max_retry_count=retries),
        ])

    def __repr__(self) -> str:  # never show the token
        return f"SlackSink(channel={self.channel!r})"

    def send(self, alert: Alert, thread: str | None = None) -> Delivery:
        text, blocks = build_blocks(alert, self.report_base)
        try:
            resp = self.client.chat_postMessage(
                channel=self.channel, text=text, blocks=blocks, thread_ts=thread,
                unfurl_links=False, unfurl_media=False, link_names=False)
        except (SlackApiError, SlackClientError, OSError) as exc:
            return _classify_error(exc)
        return Delivery(True, remote_id=resp.get("ts"))


class WebhookSink:
    """Post alerts to an incoming webhook (one channel, no threads)."""

    name = "slack-webhook"

    def __init__(self, url: str, timeout: int = 10) -> None:
        self.client = WebhookClient(url, timeout=timeout, retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ])

    def __repr__(self) -> str:
        return "WebhookSink()"

    def send(self, alert: Alert, thread: str | None = None) -> Delivery:
        text, blocks = build_blocks(alert)
        try:
            resp = self.client.send(text=text, blocks=blocks, unfurl_links=False,
                                    unfurl_media=False)
        except (SlackClientError, OSError) as exc:
            return Delivery(False, error=f"Slack webhook unreachable ({type(exc).__name__})")
        if resp.status_code == 200:
            return Delivery(True)
        permanent = resp.status_code in (400, 403, 404, 410)
        retry_after = None
        if resp.status_code == 429:
            retry_after = float(resp.headers.get("Retry-After", ["1"])[0] if isinstance(
                resp.headers.get("Retry-After"), list) else resp.headers.get("Retry-After", 1))
        return Delivery(False, error=f"Slack webhook HTTP {resp.status_code}: {clip(resp.body, 100)}",
                        permanent=permanent, retry_after=retry_after)
