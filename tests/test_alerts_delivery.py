"""Delivery through slack-sdk to a fake Slack Web API over loopback HTTP: payloads, threads,
escaping, retries, an outage, ambiguous failures, a killed run, permanent errors, the token."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from alerts.deliver import deliver
from alerts.message import Alert, ChangeLine
from alerts.sink import alert_ref
from alerts.slack import SlackSink, WebhookSink
from flows.pipeline import build_sinks
from flows.settings import Settings
from store import Store
from store.records import NewAlert, Observation
from tests.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-1111-2222-SECRETTOKENVALUE"
FAST = {"backoff": 0.01}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'alerts.sqlite'}")
    yield s
    s.close()


def sink(fake: FakeSlack, token: str = TOKEN, channel: str = "C0ALERTS", **kw) -> SlackSink:
    return SlackSink(token, channel, base_url=fake.url, timeout=kw.pop("timeout", 5), **kw)


def document(store: Store, url: str, kind: str = "statement") -> int:
    obs = Observation(url=url, kind=kind, title="T", paragraphs=("x",), canonical_text="x",
                      text_hash="h", normalizer_version=1)
    return store.record_observation(obs).document.id


def alert(title: str = "Joint Statement", url: str = "https://gov.example/s", **kw) -> Alert:
    return Alert(kind=kw.pop("kind", "edit"), title=title, url=url,
                 significance=kw.pop("significance", "substantive"),
                 summary=kw.pop("summary", "number changed: 80 -> 58"),
                 issuer="Ministry", when="2024-05-01T10:00:00+00:00", version=2,
                 lines=(ChangeLine("replace", "$80 million", "$58 million", "substantive",
                                   ("number changed: 80 -> 58",)),), **kw)


def enqueue(store: Store, key: str, a: Alert, doc: int | None = None,
            channel: str = "slack") -> None:
    store.enqueue([NewAlert(a.kind, channel, f"{channel}|{key}", a.to_payload(),
                            a.significance)], doc)


def refs(fake: FakeSlack) -> list[str]:
    return [m["metadata"]["event_payload"]["refs"] for m in fake.messages]


def statuses(store: Store) -> list[str]:
    return [a.status for a in store.alerts()]


# -- payloads ----------------------------------------------------------------------------

def test_payload_blocks_thread_and_escaping(fake: FakeSlack, store: Store) -> None:
    doc = document(store, "https://gov.example/s")
    hostile = "Statement <!channel> see <https://example.com|click>"
    enqueue(store, "a", alert(title=hostile, summary=hostile), doc)
    enqueue(store, "b", alert(title="Joint Statement", summary="sentence removed"), doc)
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 2 and statuses(store) == ["sent", "sent"]

    first, second = fake.calls("chat.postMessage")
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    body = first.params
    assert body["channel"] == "C0ALERTS"
    assert body["unfurl_links"] is False and body["unfurl_media"] is False
    assert body["link_names"] is False
    assert "thread_ts" not in body
    assert body["metadata"] == {"event_type": "onrecord_alert",
                                "event_payload": {"refs": alert_ref("slack|a")}}
    assert body["blocks"][0]["type"] == "header"
    raw = json.dumps(body["blocks"]) + body["text"]
    assert "<!channel>" not in raw and "<https://example.com|click>" not in raw
    assert "&lt;!channel&gt;" in raw and "&lt;https://example.com|click&gt;" in raw
    # The second alert about the document replies in the first one's thread.
    assert second.params["thread_ts"] == fake.messages[0]["ts"]
    assert store.alerts()[0].remote_id == fake.messages[0]["ts"]


def test_misquote_threads_under_its_statement(fake: FakeSlack, store: Store) -> None:
    statement = document(store, "https://gov.example/s")
    article = document(store, "https://news.example/a", "coverage")
    enqueue(store, "edit", alert(), statement)
    enqueue(store, "quote", alert(kind="misquote", url="https://news.example/a",
                                  statement_url="https://gov.example/s"), article)
    deliver(store, {"slack": sink(fake)}, **FAST)
    assert fake.messages[1]["thread_ts"] == fake.messages[0]["ts"]


def test_digest_posts_one_message_for_many(fake: FakeSlack, store: Store) -> None:
    for i in range(6):
        enqueue(store, f"k{i}", alert(title=f"Statement {i}", url=f"https://gov.example/{i}"))
    report = deliver(store, {"slack": sink(fake, digest_min=3)}, **FAST)
    assert report.sent == 6 and len(fake.messages) == 1
    assert fake.messages[0]["text"].startswith("onrecord: 6 alerts")
    assert set(refs(fake)[0].split(",")) == {alert_ref(f"slack|k{i}") for i in range(6)}


def test_webhook_sink_posts_blocks(fake: FakeSlack, store: Store) -> None:
    enqueue(store, "w", alert(title="<!here> x"), channel="slack-webhook")
    report = deliver(store, {"slack-webhook": WebhookSink(fake.webhook_url)}, **FAST)
    assert report.sent == 1
    assert "&lt;!here&gt;" in json.dumps(fake.messages[0]["blocks"])


# -- transient failures ----------------------------------------------------------------

def test_429_retry_after_is_honoured(fake: FakeSlack, store: Store) -> None:
    enqueue(store, "a", alert())
    fake.script.extend([("ratelimit", 1), "ok"])
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 1 and len(fake.messages) == 1
    first, second = fake.calls("chat.postMessage")
    assert second.at - first.at >= 1.0  # waited Retry-After before resending


def test_429_beyond_client_retries_leaves_alert_pending_until_retry_after(
        fake: FakeSlack, store: Store) -> None:
    enqueue(store, "a", alert())
    fake.default = ("ratelimit", 1)
    report = deliver(store, {"slack": sink(fake, rate_limit_retries=0)}, **FAST)
    assert report.retrying == 1 and statuses(store) == ["pending"]
    fake.default = "ok"
    assert deliver(store, {"slack": sink(fake)}, **FAST).sent == 0  # not before Retry-After
    time.sleep(1.05)
    assert deliver(store, {"slack": sink(fake)}, **FAST).sent == 1


def test_outage_then_recovery_delivers_every_alert_exactly_once(
        fake: FakeSlack, store: Store) -> None:
    doc = document(store, "https://gov.example/s")
    for i in range(4):
        enqueue(store, f"k{i}", alert(summary=f"change {i}"), doc if i < 2 else None)
    fake.default = "error500"
    fake.history_default = "error500"
    for _ in range(2):  # two runs during the outage: nothing lost, nothing sent
        report = deliver(store, {"slack": sink(fake)}, **FAST)
        assert report.sent == 0 and report.failed == 0 and report.retrying == 4
        assert statuses(store) == ["pending"] * 4
        time.sleep(0.1)  # past the (tiny) backoff
    # One of the failed posts did reach Slack before it answered 500.
    fake.script.append("posted500")
    fake.history_default = "error500"
    deliver(store, {"slack": sink(fake)}, **FAST)
    fake.default = fake.history_default = "ok"
    time.sleep(0.1)
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert statuses(store) == ["sent"] * 4
    assert sorted(refs(fake)) == sorted(alert_ref(f"slack|k{i}") for i in range(4))
    assert fake.calls("conversations.history")  # the uncertain one was looked up
    assert store.alerts()[0].remote_id == fake.messages[0]["ts"]
    assert deliver(store, {"slack": sink(fake)}, **FAST).sent == 0


def test_timeout_after_slack_posted_is_not_sent_twice(fake: FakeSlack, store: Store) -> None:
    enqueue(store, "a", alert())
    fake.script.append(("slow", 1.2))
    report = deliver(store, {"slack": sink(fake, timeout=0.4)}, **FAST)
    assert report.sent == 1 and report.recovered == 1
    assert len(fake.messages) == 1 and len(fake.calls("chat.postMessage")) == 1
    assert store.alerts()[0].remote_id == fake.messages[0]["ts"]


def test_timeout_before_posting_is_resent(fake: FakeSlack, store: Store) -> None:
    enqueue(store, "a", alert())
    fake.script.append("error500")  # ambiguous, but nothing was posted
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 1 and len(fake.messages) == 1
    assert len(fake.calls("conversations.history")) == 1


CHILD = """
import sys
from datetime import timedelta
from alerts.deliver import deliver
from alerts.slack import SlackSink
from store import Store
store = Store(sys.argv[1])
sink = SlackSink(sys.argv[3], "C0ALERTS", base_url=sys.argv[2], timeout=30)
deliver(store, {"slack": sink}, lease=timedelta(seconds=1), backoff=0.01)
"""


def test_killed_run_loses_none_and_sends_none_twice(
        fake: FakeSlack, store: Store, tmp_path: Path) -> None:
    doc = document(store, "https://gov.example/s")
    for i in range(3):
        enqueue(store, f"k{i}", alert(summary=f"change {i}"), doc)
    # Slack accepts the second message, but its answer never reaches the run: it is killed.
    fake.script.extend(["ok", "hang"])
    child = subprocess.Popen([sys.executable, "-c", CHILD, store.url, fake.url, TOKEN],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        fake.wait_for_messages(2, timeout=20)
        child.kill()
    finally:
        child.wait(10)
        fake.release()
    assert child.returncode != 0
    assert statuses(store) == ["sent", "sending", "sending"]  # claimed by the killed run

    time.sleep(1.1)  # the killed run's lease expires
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 2 and report.recovered == 1
    assert statuses(store) == ["sent"] * 3
    assert sorted(refs(fake)) == sorted(alert_ref(f"slack|k{i}") for i in range(3))
    thread = fake.messages[0]["ts"]
    assert [m["thread_ts"] for m in fake.messages] == [None, thread, thread]
    assert store.alerts()[1].remote_id == fake.messages[1]["ts"]
    assert fake.calls("conversations.replies")  # a reply is found in its thread


# -- permanent errors and the token ----------------------------------------------------

@pytest.mark.parametrize("code", ["invalid_auth", "channel_not_found"])
def test_permanent_error_reported_once_and_stops_until_settings_change(
        fake: FakeSlack, store: Store, code: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="alerts")
    for i in range(3):
        enqueue(store, f"k{i}", alert(summary=f"change {i}"))
    fake.default = ("error", code)
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 0 and report.failed == 0
    assert report.errors == (f"slack: Slack API error: {code} (stopped until its settings "
                             "change)",)
    assert len(fake.calls("chat.postMessage")) == 1  # stopped at the first answer
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and code in errors[0].getMessage()
    assert "3 alert(s) wait" in errors[0].getMessage()

    # Later runs with the same settings: no attempt, no new error, alerts still pending.
    fake.default = "ok"
    again = deliver(store, {"slack": sink(fake)}, **FAST)
    assert again.errors == () and again.blocked and code in again.blocked[0]
    assert len(fake.calls("chat.postMessage")) == 1
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1
    assert statuses(store) == ["pending"] * 3

    # New settings (another token or channel): delivered.
    fixed = sink(fake, token=TOKEN + "-new") if code == "invalid_auth" else sink(fake, channel="C0NEW")
    assert deliver(store, {"slack": fixed}, **FAST).sent == 3


def test_rejected_message_fails_alone(fake: FakeSlack, store: Store) -> None:
    enqueue(store, "bad", alert())
    enqueue(store, "good", alert(summary="other"))
    # Rejected with blocks, and again as the plain-text fallback: failed.
    fake.script.extend([("error", "invalid_blocks"), ("error", "invalid_blocks")])
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.failed == 1 and report.sent == 1
    assert statuses(store) == ["failed", "sent"]


def test_token_never_in_logs_errors_or_store(fake: FakeSlack, store: Store,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # slack-sdk's request logging included
    for i in range(4):
        enqueue(store, f"k{i}", alert(summary=f"change {i}"))
    texts: list[str] = []
    s = sink(fake, timeout=0.3)
    texts.append(repr(s))
    for behaviour in ("error500", ("slow", 0.6), ("ratelimit", 0), ("error", "invalid_auth")):
        fake.script.clear()
        fake.default = behaviour
        fake.history_default = "error500"
        report = deliver(store, {"slack": s}, attempts_per_run=1, **FAST)
        texts += [*report.errors, *report.blocked]
        time.sleep(0.05)
    texts += [a.last_error or "" for a in store.alerts()]
    settings = Settings.from_env({"SLACK_BOT_TOKEN": TOKEN, "SLACK_CHANNEL": "C0",
                                  "SLACK_WEBHOOK_URL": fake.webhook_url})
    texts += [repr(settings), str(settings), repr(build_sinks(settings))]
    fake.webhook_status = 403
    hook = WebhookSink(fake.webhook_url)
    texts += [repr(hook), hook.send(alert()).error or ""]
    everything = "\n".join(texts) + caplog.text
    assert "invalid_auth" in everything and "HTTP 500" in everything  # errors are reported...
    assert TOKEN not in everything and "SECRETTOKEN" not in everything  # ...the token never
    assert "/hooks/T0/B0/secret" not in everything


def test_token_from_a_prefect_secret_block() -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN_BLOCK": "slack-bot-token",
                                  "SLACK_CHANNEL": "C0"})
    assert settings.slack_configured
    assert settings.slack_bot_token(lambda name: {"slack-bot-token": TOKEN}[name]) == TOKEN

    def missing(name: str) -> str:
        raise KeyError(f"no block, value was {TOKEN}")

    with pytest.raises(ValueError) as err:
        settings.slack_bot_token(missing)
    assert "slack-bot-token" in str(err.value) and TOKEN not in str(err.value)
    # The environment wins over the block.
    env = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-env", "SLACK_BOT_TOKEN_BLOCK": "b"})
    assert env.slack_bot_token(missing) == "xoxb-env"


def test_settings_routes_build_one_sink_per_channel(fake: FakeSlack) -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": TOKEN, "SLACK_CHANNEL": "C0",
                                  "SLACK_API_URL": fake.url.rstrip("/"),
                                  "SLACK_ROUTES": "substantive=C1@substantive",
                                  "SLACK_MIN_SIGNIFICANCE": "substantive",
                                  "SLACK_DIGEST": "on"})
    sinks = build_sinks(settings, console=False)
    assert list(sinks) == ["slack:substantive", "slack"]
    assert [s.channel for s in sinks.values()] == ["C1", "C0"]
    assert all(s.digest_min == 2 and s.min_significance == "substantive"
               for s in sinks.values())
    with pytest.raises(ValueError):
        Settings.from_env({"SLACK_ROUTES": "bogus=C1"})


def test_many_alerts_in_one_run_are_claimed_in_batches_and_all_sent(
        fake: FakeSlack, store: Store) -> None:
    for i in range(120):
        enqueue(store, f"k{i:03}", alert(summary=f"change {i}"))
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 120 and set(statuses(store)) == {"sent"}
    assert refs(fake) == [alert_ref(f"slack|k{i:03}") for i in range(120)]
