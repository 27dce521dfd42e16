"""`onrecord demo` posting to a local Slack-compatible server: the statement's alerts thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-demo-SECRETTOKEN"


def test_demo_posts_to_slack_with_the_second_alert_in_the_first_ones_thread(
        tmp_path: Path) -> None:
    fake = FakeSlack().start()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT),
               "ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}",
               "SLACK_BOT_TOKEN": TOKEN, "SLACK_CHANNEL": "C0DEMO",
               "SLACK_API_URL": fake.url.rstrip("/"),  # settings add the trailing slash
               "PREFECT_HOME": str(tmp_path / "prefect")}
        for key in ("SLACK_WEBHOOK_URL", "SLACK_ROUTES", "SLACK_DIGEST", "SLACK_BOT_TOKEN_BLOCK"):
            env.pop(key, None)
        demo = subprocess.run([sys.executable, "-m", "flows.cli", "demo", "--plain"],
                              capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    finally:
        fake.stop()
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert TOKEN not in demo.stdout + demo.stderr
    posts = fake.calls("chat.postMessage")
    assert len(posts) >= 2 and len(fake.messages) == len(posts)
    first, *rest = fake.messages
    assert first["channel"] == "C0DEMO" and first["thread_ts"] is None
    # Everything about the statement (its edit, the misquote and the stale quote of it)
    # replies in the thread the first alert started.
    assert [m["thread_ts"] for m in rest] == [first["ts"]] * len(rest)
    texts = [m["text"] for m in fake.messages]
    assert any(t.startswith("Misquote") for t in texts)
    # The drifted claim in the sample article, in the same thread as the statement.
    drift = next(m for m in rest if m["text"].startswith("Reported claim drifted"))
    assert "$18 million" in json.dumps(drift["blocks"])
    edit = next(m for m in rest if m["text"].startswith("Statement edited"))
    assert "80 -&gt; 58" in json.dumps(edit["blocks"])
    assert all(p.headers["Authorization"] == f"Bearer {TOKEN}" for p in posts)
    assert "alerts:" in demo.stdout and "delivered" in demo.stdout
