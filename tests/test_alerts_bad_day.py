"""A bad day for delivery, over real HTTP to the fake Slack on loopback: nothing stops
silently, a rejected message gets a plain-text chance and can be requeued, a long
Retry-After never blocks a run, and alerts past the per-run cap are reported."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts.deliver import deliver
from alerts.message import Alert, ChangeLine
from alerts.slack import SlackSink, WebhookSink
from store import Store
from store import schema as t
from store.records import NewAlert
from tests.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-1111-2222-SECRETTOKENVALUE"
FAST = {"backoff": 0.01}


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'alerts.sqlite'}"


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


def sink(fake: FakeSlack, token: str = TOKEN, **kw: object) -> SlackSink:
    return SlackSink(token, "C0ALERTS", base_url=fake.url, timeout=5, **kw)  # type: ignore[arg-type]


def alert(summary: str = "number changed: 80 -> 58") -> Alert:
    return Alert(kind="edit", title="Joint Statement", url="https://gov.example/s",
                 significance="substantive", summary=summary, issuer="Ministry",
                 when="2024-05-01T10:00:00+00:00", version=2,
                 lines=(ChangeLine("replace", "$80 million", "$58 million", "substantive",
                                   ("number changed: 80 -> 58",)),))


def enqueue(store: Store, n: int, channel: str = "slack") -> None:
    store.enqueue([NewAlert("edit", channel, f"{channel}|k{i}", alert(f"change {i}").to_payload(),
                            "substantive") for i in range(n)])


def statuses(store: Store) -> list[str]:
    return [a.status for a in store.alerts()]


def onrecord(*args: str, db: str, fake: FakeSlack, token: str = TOKEN
             ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONRECORD_DATABASE_URL": db,
           "ONRECORD_CONFIG": str(ROOT / "no-such-sources.toml"), "SLACK_BOT_TOKEN": token,
           "SLACK_CHANNEL": "C0ALERTS", "SLACK_API_URL": fake.url}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


# -- stopped channels are reported on every run -------------------------------------------

def test_stopped_channel_is_reported_on_every_run(fake: FakeSlack, store: Store) -> None:
    enqueue(store, 3)
    fake.default = ("error", "invalid_auth")
    first = deliver(store, {"slack": sink(fake)}, **FAST)
    assert not first.ok and any("invalid_auth" in p for p in first.problems)
    for _ in range(2):  # later runs: nothing sent, the stop said again each time
        again = deliver(store, {"slack": sink(fake)}, **FAST)
        assert not again.ok
        assert any("invalid_auth" in p and "3 alert(s) waiting" in p for p in again.problems)
    assert len(fake.calls("chat.postMessage")) == 1
    assert statuses(store) == ["pending"] * 3


def test_cli_deliver_exits_1_with_a_stderr_line_while_stopped(
        fake: FakeSlack, store: Store, db: str) -> None:
    enqueue(store, 2)
    fake.default = ("error", "invalid_auth")
    for _ in range(2):  # the run that hits it, and the next one
        result = onrecord("deliver", db=db, fake=fake)
        assert result.returncode == 1, result.stderr
        lines = [ln for ln in result.stderr.splitlines() if ln.startswith("alert delivery:")]
        assert lines and any("invalid_auth" in ln for ln in lines)
        assert TOKEN not in result.stderr + result.stdout
    assert len(fake.calls("chat.postMessage")) == 1
    fake.default = "ok"
    fixed = onrecord("deliver", db=db, fake=fake, token=TOKEN + "-new")
    assert fixed.returncode == 0 and "sent 2" in fixed.stdout and fixed.stderr == ""


# -- rejected blocks: a plain-text fallback, and --retry-failed -------------------------------

def test_rejected_blocks_are_sent_once_more_as_text_only(fake: FakeSlack, store: Store) -> None:
    enqueue(store, 1)
    fake.script.append(("error", "invalid_blocks"))
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 1 and report.failed == 0 and statuses(store) == ["sent"]
    first, second = fake.calls("chat.postMessage")
    assert "blocks" in first.params and "blocks" not in second.params
    text = fake.messages[0]["text"]
    assert "$80 million" in text and "$58 million" in text  # the change itself, as text


def test_webhook_rejected_blocks_fall_back_to_text(fake: FakeSlack, store: Store) -> None:
    enqueue(store, 1, channel="hook")
    fake.webhook_status = 400  # rejects every post: blocks, then text
    hook = WebhookSink(fake.webhook_url, name="hook")
    report = deliver(store, {"hook": hook}, **FAST)
    assert report.failed == 1 and report.failed_total == 1 and not report.ok
    first, second = fake.calls("webhook")
    assert "blocks" in first.params and "blocks" not in second.params


def test_failed_alerts_are_reported_until_requeued_with_retry_failed(
        fake: FakeSlack, store: Store, db: str) -> None:
    enqueue(store, 1)
    fake.script.extend([("error", "invalid_blocks"), ("error", "invalid_blocks")])
    first = deliver(store, {"slack": sink(fake)}, **FAST)
    assert first.failed == 1 and statuses(store) == ["failed"]
    # A later run with nothing to send still says so, and exits 1.
    result = onrecord("deliver", db=db, fake=fake)
    assert result.returncode == 1
    assert "1 failed alert(s)" in result.stderr and "--retry-failed" in result.stderr
    requeued = onrecord("deliver", "--retry-failed", db=db, fake=fake)
    assert requeued.returncode == 0, requeued.stderr
    assert "requeued 1 failed alert(s)" in requeued.stdout and "sent 1" in requeued.stdout
    assert statuses(store) == ["sent"]


def test_requeue_failed_only_touches_failed_alerts_of_the_channel(store: Store) -> None:
    enqueue(store, 2)
    enqueue(store, 1, channel="other")
    a, b, c = store.alerts()
    store.mark_failed(a.id, "x")
    store.mark_failed(c.id, "x")
    assert store.requeue_failed("slack") == 1
    assert statuses(store) == ["pending", "pending", "failed"]
    assert store.requeue_failed() == 1 and statuses(store) == ["pending"] * 3


# -- a long Retry-After never blocks the run ---------------------------------------------------

@pytest.mark.parametrize("retry_after", [120, 3600])
def test_long_retry_after_is_not_waited_and_leaves_the_alert_due_later(
        fake: FakeSlack, store: Store, retry_after: int) -> None:
    enqueue(store, 2)
    fake.default = ("ratelimit", retry_after)
    started = time.monotonic()
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert time.monotonic() - started < 10  # before: 243 s for 120
    assert report.sent == 0 and report.retrying == 2
    assert len(fake.calls("chat.postMessage")) == 1  # no client-side retries either
    assert statuses(store) == ["pending", "pending"]
    with store.engine.connect() as conn:
        due = [row.next_attempt_at for row in conn.execute(select(t.outbox.c.next_attempt_at)
                                                           .order_by(t.outbox.c.id))]
    wait = (due[0].replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()
    assert retry_after - 15 < wait <= retry_after  # next_attempt_at = now + Retry-After
    fake.default = "ok"
    assert deliver(store, {"slack": sink(fake)}, **FAST).sent == 0  # not before then


def test_short_retry_after_is_still_waited_out(fake: FakeSlack, store: Store) -> None:
    enqueue(store, 1)
    fake.script.extend([("ratelimit", 1), "ok"])
    report = deliver(store, {"slack": sink(fake)}, **FAST)
    assert report.sent == 1


# -- alerts past the per-run cap are reported ---------------------------------------------------

def test_alerts_past_the_cap_are_reported_as_left(fake: FakeSlack, store: Store,
                                                  db: str) -> None:
    enqueue(store, 7)
    report = deliver(store, {"slack": sink(fake)}, limit=5, **FAST)
    assert report.sent == 5 and report.left == 2 and report.ok
    assert "2 alert(s) left for the next run" in report.problems
    result = onrecord("deliver", "--limit", "1", db=db, fake=fake)
    assert result.returncode == 0
    assert "1 left for the next run" in result.stdout
    assert "1 alert(s) left for the next run" in result.stderr


def test_time_budget_stops_claiming(fake: FakeSlack, store: Store) -> None:
    enqueue(store, 120)
    report = deliver(store, {"slack": sink(fake)}, budget=0.0, **FAST)
    assert report.sent == 0 and report.left == 120
