"""Slack delivery with slack-sdk: Block Kit messages, threads per document, safe escaping.

Block building is pure (`build_blocks`, `build_digest`); the sinks only post. Every piece
of scraped text goes through `esc`, so a statement can never ping, link or break the layout,
and Slack's limits are met by summarising, never by failing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient

from alerts.escape import clip, esc, mrkdwn
from alerts.message import Alert, ChangeLine, default_report_base, report_link, safe_link
from alerts.routing import Route, Routes
from alerts.sink import Abilities, Basics, Delivery, Lookup, Options, Sink, fingerprint
from compare.vocab import AlertKind, Significance

log = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
EVENT_TYPE = "onrecord_alert"  # metadata event type carrying the alert refs

# Errors that mean the channel's settings are wrong: retrying cannot help until they change.
CHANNEL_ERRORS = frozenset({
    "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
    "channel_not_found", "not_in_channel", "is_archived", "missing_scope", "no_permission",
    "restricted_action", "team_access_not_granted", "ekm_access_denied", "not_allowed_token_type",
})
# Errors about this one message: fail the alert, keep the channel going.
MESSAGE_ERRORS = frozenset({
    "invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long",
    "no_text", "invalid_arguments", "invalid_metadata_format", "invalid_metadata_schema",
    "metadata_too_large", "too_many_attachments",
})

# Of MESSAGE_ERRORS, those about the blocks: the same alert as text only may go through.
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})

# Slack's limits (https://api.slack.com/reference/block-kit): 50 blocks, a section's text
# 3,000 characters, a field 2,000, a header 150, a button's label 75 and URL 3,000; message
# text is cut past 40,000 and long block sets fail near 12-13k characters, hence the budget.
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
MAX_BLOCKS = 50
FALLBACK_LIMIT = 3000
TEXT_BUDGET = 11000

_LABEL = {AlertKind.EDIT: "Statement edited", AlertKind.MISQUOTE: "Misquote",
          AlertKind.STALE: "Quote made stale", AlertKind.REMOVED: "Statement removed",
          AlertKind.NEW: "New statement", AlertKind.DRIFT: "Reported claim drifted"}
_EMOJI = {Significance.SUBSTANTIVE: ":red_circle:", Significance.MINOR: ":large_orange_circle:",
          Significance.COSMETIC: ":white_circle:", Significance.NONE: ":white_circle:"}
# A stale quote is not wrong when written, just overtaken: its own colour, whatever its level.
_KIND_EMOJI = {AlertKind.STALE: ":hourglass_flowing_sand:"}
_WHY = {Significance.SUBSTANTIVE: "Substantive: the meaning changed (numbers, negations, commitments).",
        Significance.MINOR: "Minor: wording changed, the meaning likely not.",
        Significance.COSMETIC: "Cosmetic: punctuation, case or spacing only."}
_KIND_WHY = {AlertKind.STALE: "Stale: the article quotes wording the statement has since changed.",
             AlertKind.DRIFT: "Drift: the article reports, in its own words, something the "
                              "statement did not say (a number, a negation, a commitment)."}
# Heads of the two columns of a quote alert: the press's words, and the official ones.
_QUOTE_FIELDS = {AlertKind.MISQUOTE: ("*Press wrote*", "*Official wording*"),
                 AlertKind.STALE: ("*Press quoted*", "*Official wording then (edited since)*"),
                 AlertKind.DRIFT: ("*Press reported*", "*Official wording*")}

Block = dict[str, Any]  # a Block Kit block, as JSON


# -- pure message building -----------------------------------------------------------------

def _label(alert: Alert) -> str:
    return _LABEL[alert.kind]


def _emoji(alert: Alert) -> str:
    return _KIND_EMOJI.get(alert.kind) or _EMOJI[alert.significance]


def fallback_text(alert: Alert) -> str:
    """The plain `text` of the message: notifications and screen readers show it.

    Slack parses it as mrkdwn too, so it is escaped like everything else.
    """
    return esc(f"{_label(alert)}: {alert.title or alert.url} ({alert.significance}) "
               f"{alert.summary}", FALLBACK_LIMIT)


def build_text(alert: Alert, limit: int = TEXT_BUDGET) -> str:
    """The alert as escaped mrkdwn text only: what is posted when Slack rejects the blocks."""
    lines = [fallback_text(alert)]
    for line in alert.lines:
        if line.old:
            lines.append("Was: " + esc(line.old, 1200))
        if line.new:
            lines.append("Now: " + esc(line.new, 1200))
    link = safe_link(alert.url)
    if link:
        lines.append(mrkdwn(link))
    return clip_lines("\n".join(lines), limit)


def clip_lines(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at a line break (entities stay whole)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit("\n", 1)[0] if "\n" in cut else cut.rsplit(" ", 1)[0]) + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def _line_block(alert: Alert, line: ChangeLine) -> Block:
    """One change: the press wording beside the official wording, or the word diff."""
    reasons = ("\n_" + esc("; ".join(line.reasons), 400) + "_") if line.reasons else ""
    if alert.kind.about_quote:
        press, official = _QUOTE_FIELDS[alert.kind]
        shown = [
            {"type": "mrkdwn", "text": press + "\n“" + esc(line.new, 900) + "”"},
            {"type": "mrkdwn", "text": official + "\n“" + esc(line.old, 900) + "”"
             + ("" if line.current else reasons[:500])},
        ]
        if line.current:
            # A stale quote: the wording now, after the wording then, with what changed.
            shown.append({"type": "mrkdwn", "text": "*Official wording now*\n“"
                          + esc(line.current, 900) + "”" + reasons[:500]})
        return {"type": "section", "fields": shown}
    if line.op == "insert":
        body = "*Added:* " + esc(line.new, 2400)
    elif line.op == "delete":
        body = "*Removed:* " + esc(line.old, 2400)
    elif line.op == "move":
        body = "*Moved:* " + esc(line.new, 2400)
    else:
        body = "*Was:* " + esc(line.old, 1200) + "\n*Now:* " + esc(line.new, 1200)
    return _section(body + reasons)


def _size(block: Block) -> int:
    """Characters of text a block carries (what Slack's message size counts)."""
    text = block.get("text")
    n = len(text["text"]) if isinstance(text, dict) else 0
    n += sum(len(f["text"]) for f in block.get("fields", ()))
    n += sum(len(e.get("text", "")) for e in block.get("elements", ()) if isinstance(e, dict))
    return n


def build_blocks(alert: Alert, report_url: str | None = None) -> tuple[str, list[Block]]:
    """The plain-text fallback and Block Kit blocks for `alert`, within Slack's limits.

    Header (what and which statement), context (significance, issuer, time), why it
    matters, links, then one block per change until the budget is spent, then a count of
    the rest: a huge diff becomes a summary, never a rejected message.
    """
    label = _label(alert)
    # plain_text is not parsed for mentions, but Slack does decode entities in it: escape it
    # too, so no scraped "<!channel>" reaches Slack in any field.
    header = esc(f"{label}: {alert.title or alert.url}", HEADER_LIMIT)
    blocks: list[Block] = [{"type": "header",
                           "text": {"type": "plain_text", "text": header, "emoji": False}}]
    ctx = [f"{_emoji(alert)} *{esc(alert.significance, 20)}*"]
    if alert.issuer:
        ctx.append(esc(alert.issuer, 200))
    if alert.when:
        ctx.append(esc(alert.when, 40))
    if alert.version is not None:
        ctx.append(f"version {int(alert.version)}")
    if alert.revert:
        ctx.append("reverts to an earlier version")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(ctx)}]})

    why = _KIND_WHY.get(alert.kind) or _WHY.get(alert.significance, "")
    summary = esc(alert.summary, SECTION_LIMIT - len(why) - 10)
    blocks.append(_section(f"*{summary}*" + (f"\n{why}" if why else "")))

    buttons = []
    subject = safe_link(alert.url)
    if subject:
        buttons.append(("Open article" if alert.kind.about_quote else "Open statement", subject))
    statement = safe_link(alert.statement_url)
    if statement and alert.kind.about_quote:
        buttons.append(("Open statement", statement))
    if report_url and safe_link(report_url):
        buttons.append(("Full diff", report_url))
    if buttons:
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": text}, "url": url}
            for text, url in buttons]})

    used = sum(_size(b) for b in blocks)
    shown = 0
    for line in alert.lines:
        block = _line_block(alert, line)
        if len(blocks) >= MAX_BLOCKS - 1 or used + _size(block) > TEXT_BUDGET:
            break
        blocks.append(block)
        used += _size(block)
        shown += 1
    if shown < len(alert.lines):
        rest = len(alert.lines) - shown
        more = "the full diff" if report_url else "`onrecord history` for every version"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn",
                       "text": f"… and {rest} more change{'s' if rest != 1 else ''}: see {more}"}]})
    return fallback_text(alert), blocks


def build_digest(alerts: Sequence[Alert], report_base: str | None = None
                 ) -> tuple[str, list[Block]]:
    """One message for many alerts: a line each, most significant first, then a count."""
    ordered = sorted(alerts, key=lambda a: -a.significance.rank)
    n = len(alerts)
    counts: dict[Significance, int] = {}
    for a in alerts:
        counts[a.significance] = counts.get(a.significance, 0) + 1
    tally = ", ".join(f"{v} {k}" for k, v in sorted(counts.items(), key=lambda kv: -kv[0].rank))
    text = f"onrecord: {n} alert{'s' if n != 1 else ''} ({tally})"
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": esc(text, HEADER_LIMIT),
                                    "emoji": False}},
    ]
    used = len(text)
    shown = 0
    for alert in ordered:
        line = (f"{_emoji(alert)} *{_label(alert)}* · "
                f"{esc(alert.title or alert.url, 300)}\n{esc(alert.summary, 600)}")
        link = safe_link(report_link(report_base, alert)) or safe_link(alert.url)
        block = _section(line)
        if link:
            block["accessory"] = {"type": "button", "text": {"type": "plain_text", "text": "Open"},
                                  "url": link}
        if len(blocks) >= MAX_BLOCKS - 1 or used + _size(block) > TEXT_BUDGET:
            break
        blocks.append(block)
        used += _size(block)
        shown += 1
    if shown < n:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn",
                       "text": f"… and {n - shown} more: see `onrecord history`"}]})
    return esc(text, FALLBACK_LIMIT), blocks


def _metadata(refs: Sequence[str]) -> dict[str, Any]:
    # A comma-joined string rather than a list: plain strings are what every Slack
    # metadata schema accepts. The refs are hashes, never scraped text.
    return {"event_type": EVENT_TYPE, "event_payload": {"refs": ",".join(refs)}}


def _blocks_rejected(result: Delivery) -> bool:
    return result.rejected and any((result.error or "").endswith(": " + code)
                                   for code in BLOCK_ERRORS)


# -- errors ---------------------------------------------------------------------------------

def _retry_after(headers: object) -> float:
    value = None
    if hasattr(headers, "get"):
        value = headers.get("Retry-After") or headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0


def classify(exc: Exception) -> Delivery:
    """A Delivery for an exception from slack-sdk. Never includes the exception's text: it
    can echo a request (headers, a webhook URL)."""
    if isinstance(exc, SlackApiError) and exc.response is not None:
        resp = exc.response
        status = getattr(resp, "status_code", None)
        if status == 429:
            return Delivery(False, error="Slack rate limit (HTTP 429)",
                            retry_after=_retry_after(resp.headers))
        data = resp.data if isinstance(resp.data, dict) else {}
        code = str(data.get("error") or f"HTTP {status}")
        if status is not None and status >= 500:
            # Slack may have posted before failing: look it up before sending again.
            return Delivery(False, error=f"Slack server error (HTTP {status})", ambiguous=True)
        if code in CHANNEL_ERRORS:
            return Delivery(False, error=f"Slack API error: {code}", permanent=True)
        if code in MESSAGE_ERRORS:
            return Delivery(False, error=f"Slack API error: {code}", rejected=True)
        # An answer with ok=false: Slack did not post. Retry later.
        return Delivery(False, error=f"Slack API error: {code}")
    if isinstance(exc, URLError) and isinstance(exc.reason, ConnectionRefusedError):
        return Delivery(False, error="Slack unreachable (connection refused)")
    # Timeouts, resets, broken responses: the request may have been processed.
    return Delivery(False, error=f"Slack unreachable ({type(exc).__name__})", ambiguous=True)


class _RefusedRetryHandler(RetryHandler):
    """Retry only a refused connection: nothing was sent, so it cannot duplicate.

    slack-sdk's own connection and 5xx handlers would also resend after a reset or a 500,
    when Slack may already have posted; deliver() handles those with a look-up instead.
    """

    def _can_retry(self, *, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        return (response is None and isinstance(error, URLError)
                and isinstance(error.reason, ConnectionRefusedError))


# A Retry-After the client waits out itself; a longer one is returned to deliver(), which
# leaves the alert pending until then and goes on (alerts.deliver.MAX_WAIT, the same 30 s).
MAX_CLIENT_WAIT = 30.0


class _CappedRateLimitHandler(RateLimitErrorRetryHandler):
    """slack-sdk's 429 handler, but only for a Retry-After of at most `MAX_CLIENT_WAIT`.

    The stock handler sleeps whatever Slack asks, twice: a Retry-After of 120 s kept
    `onrecord deliver` busy for 243 s, and 3600 would have held it for two hours.
    """

    def _can_retry(self, *, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        if response is None or response.status_code != 429:
            return False
        return _retry_after(response.headers) <= MAX_CLIENT_WAIT


def _quiet_logger(name: str) -> logging.Logger:
    """slack-sdk's debug log prints request URLs: a webhook URL is a secret."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    return logger


# -- sinks ----------------------------------------------------------------------------------

class SlackSink(Sink, kind="slack"):
    """Post alerts with a bot token; each document's alerts go in one thread.

        [[sink]]
        kind = "slack"
        name = "newsroom"                  # the outbox channel (default: "slack")
        channel = "C0123456789"            # a channel ID
        token_env = "SLACK_BOT_TOKEN"      # or token_block = "<Prefect Secret block>"
        min_significance = "minor"
        digest = 5

    `name` is the outbox channel (stable), `channel` the Slack channel behind it, which
    settings may change; threads are kept per Slack channel. Optional: `api_url` (default
    $SLACK_API_URL or Slack's), `report_base` (default $ONRECORD_REPORT_BASE), `timeout`.
    """

    abilities = Abilities(threads=True, history_lookup=True, digests=True)

    def __init__(self, token: str, channel: str, *, name: str = "slack",
                 base_url: str = SLACK_API_URL, report_base: str | None = None,
                 timeout: float = 10, rate_limit_retries: int = 2,
                 min_significance: str | None = None, route: Route | None = None,
                 routes: Routes | None = None, digest_min: int = 0) -> None:
        # Identifies the settings a permanent error belongs to; the token only as a hash.
        super().__init__(name, min_significance=min_significance, routes=routes, route=route,
                         digest_min=digest_min, thread_scope=f"slack:{channel}",
                         fingerprint=fingerprint("slack", base_url, channel,
                                                 fingerprint(token)))
        self.channel = channel
        self.report_base = report_base
        self.client = WebClient(token=token, base_url=base_url, timeout=int(max(1, timeout)),
                                retry_handlers=[
                                    _RefusedRetryHandler(max_retry_count=2),
                                    # A 429 was certainly not posted: waiting Retry-After
                                    # and resending is safe.
                                    _CappedRateLimitHandler(max_retry_count=rate_limit_retries),
                                ])
        # urllib takes fractions; the constructor's hint is int
        self.client.timeout = timeout  # type: ignore[assignment]

    @classmethod
    def _from_options(cls, name: str, opts: Options, basics: Basics) -> SlackSink:
        channel = opts.required("channel")
        token = opts.secret("token")
        assert token is not None  # required
        api = opts.text("api_url", opts.env.get("SLACK_API_URL") or SLACK_API_URL)
        assert api is not None
        return cls(token, channel, name=name, base_url=api if api.endswith("/") else api + "/",
                   report_base=opts.text("report_base", default_report_base(opts.env)),
                   timeout=opts.number("timeout", 10, minimum=0.1),
                   min_significance=basics.min_significance, route=basics.route,
                   routes=basics.routes, digest_min=basics.digest_min)

    def __repr__(self) -> str:  # never show the token
        return f"SlackSink(name={self.name!r}, channel={self.channel!r})"

    def _post(self, text: str, blocks: list[Block] | None, thread: str | None,
              refs: Sequence[str]) -> Delivery:
        try:
            resp = self.client.chat_postMessage(
                channel=self.channel, text=text, blocks=blocks, thread_ts=thread,
                metadata=_metadata(refs) if refs else None,
                unfurl_links=False, unfurl_media=False, link_names=False)
        except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
            return classify(exc)
        return Delivery(True, remote_id=resp.get("ts"))

    def _post_or_text(self, text: str, blocks: list[Block], plain: str, thread: str | None,
                      refs: Sequence[str]) -> Delivery:
        """Post with blocks; if Slack rejects the blocks, once more as text only.

        A rejection is a definite answer (nothing was posted), so the second post cannot
        duplicate; an alert whose blocks Slack refuses still reaches the channel.
        """
        result = self._post(text, blocks, thread, refs)
        if result.ok or not _blocks_rejected(result):
            return result
        log.warning("%s: Slack rejected the blocks (%s); sending as plain text", self.name,
                    result.error)
        again = self._post(plain, None, thread, refs)
        return again if again.ok else result

    def send(self, alert: Alert, thread: str | None = None, ref: str | None = None) -> Delivery:
        text, blocks = build_blocks(alert, report_link(self.report_base, alert))
        return self._post_or_text(text, blocks, build_text(alert), thread,
                                  [ref] if ref else [])

    def send_digest(self, alerts: Sequence[Alert], refs: Sequence[str]) -> Delivery:
        text, blocks = build_digest(alerts, self.report_base)
        plain = "\n".join([text, *(fallback_text(a) for a in alerts)])
        return self._post_or_text(text, blocks, clip_lines(plain, TEXT_BUDGET), None, refs)

    def find_sent(self, refs: Sequence[str], since: datetime,
                  thread: str | None = None, max_pages: int = 20) -> Lookup:
        """Messages posted since `since` that carry any of `refs` in their metadata.

        Top-level messages come from conversations.history, thread replies from
        conversations.replies (history does not list replies). Needs the channel's
        history scope; without it the caller sends anyway (at least once).
        """
        wanted = set(refs)
        found: dict[str, str] = {}
        oldest = f"{since.timestamp():.6f}"
        calls: list[tuple[str, dict[str, Any]]] = [("history", {})]
        if thread:
            calls.append(("replies", {"ts": thread}))
        for method, extra in calls:
            cursor = None
            for _ in range(max_pages):
                try:
                    call = (self.client.conversations_history if method == "history"
                            else self.client.conversations_replies)
                    resp = call(channel=self.channel, oldest=oldest, limit=200, cursor=cursor,
                                include_all_metadata=True, **extra)
                except (SlackApiError, SlackClientError, OSError, ValueError) as exc:
                    result = classify(exc)
                    if method == "replies" and "thread_not_found" in (result.error or ""):
                        break
                    return Lookup(found, error=f"look-up failed: {result.error}",
                                  unsupported=result.permanent)
                for msg in resp.get("messages") or []:
                    meta = msg.get("metadata") or {}
                    if meta.get("event_type") != EVENT_TYPE:
                        continue
                    for ref in str((meta.get("event_payload") or {}).get("refs", "")).split(","):
                        if ref in wanted and ref not in found:
                            found[ref] = str(msg.get("ts"))
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if not cursor or wanted <= found.keys():
                    break
            if wanted <= found.keys():
                break
        return Lookup(found)


class WebhookSink(Sink, kind="webhook"):
    """Post alerts to a Slack incoming webhook (one channel, no threads, no look-up).

        [[sink]]
        kind = "webhook"
        url_env = "SLACK_WEBHOOK_URL"      # the webhook URL is a secret

    A webhook returns no message id, so an ambiguous failure (a timeout) is retried and may,
    rarely, post twice: use a bot token where exactly once matters.
    """

    abilities = Abilities()

    def __init__(self, url: str, timeout: float = 10, min_significance: str | None = None,
                 report_base: str | None = None, *, name: str = "slack-webhook",
                 routes: Routes | None = None, route: Route | None = None) -> None:
        super().__init__(name, min_significance=min_significance, routes=routes, route=route,
                         fingerprint=fingerprint("webhook", url))
        self.report_base = report_base
        self.client = WebhookClient(url, timeout=int(max(1, timeout)),
                                    logger=_quiet_logger("onrecord.slack_webhook"),
                                    retry_handlers=[
                                        _RefusedRetryHandler(max_retry_count=2),
                                        _CappedRateLimitHandler(max_retry_count=2),
                                    ])
        self.client.timeout = timeout  # type: ignore[assignment]

    @classmethod
    def _from_options(cls, name: str, opts: Options, basics: Basics) -> WebhookSink:
        url = opts.secret("url")
        assert url is not None  # required
        if urlsplit(url).scheme not in ("http", "https"):
            raise opts.error("url_env", "the webhook URL must be http(s)")
        return cls(url, timeout=opts.number("timeout", 10, minimum=0.1),
                   min_significance=basics.min_significance,
                   report_base=opts.text("report_base",
                                         default_report_base(opts.env)),
                   name=name, routes=basics.routes, route=basics.route)

    def __repr__(self) -> str:  # the URL is a secret
        return f"WebhookSink(name={self.name!r})"

    def send(self, alert: Alert, thread: str | None = None, ref: str | None = None) -> Delivery:
        text, blocks = build_blocks(alert, report_link(self.report_base, alert))
        result = self._send(text, blocks)
        if result.ok or not result.rejected:
            return result
        # A 400 (invalid_blocks and the like) posted nothing: try once as text only.
        log.warning("%s: Slack rejected the blocks (%s); sending as plain text", self.name,
                    result.error)
        again = self._send(build_text(alert), None)
        return again if again.ok else result

    def _send(self, text: str, blocks: list[Block] | None) -> Delivery:
        try:
            resp = self.client.send(text=text, blocks=blocks, unfurl_links=False,
                                    unfurl_media=False)
        except (SlackClientError, OSError, ValueError) as exc:
            if isinstance(exc, URLError) and isinstance(exc.reason, ConnectionRefusedError):
                return Delivery(False, error="Slack webhook unreachable (connection refused)")
            return Delivery(False, error=f"Slack webhook unreachable ({type(exc).__name__})",
                            ambiguous=True)
        if resp.status_code == 200:
            return Delivery(True)
        code = clip(str(resp.body or ""), 60)  # e.g. invalid_token, no_service
        error = f"Slack webhook HTTP {resp.status_code}: {mrkdwn(code)}"
        if resp.status_code == 429:
            return Delivery(False, error=error, retry_after=_retry_after(resp.headers))
        if resp.status_code in (403, 404, 410):
            return Delivery(False, error=error, permanent=True)
        if resp.status_code == 400:
            return Delivery(False, error=error, rejected=True)
        return Delivery(False, error=error, ambiguous=resp.status_code >= 500)
