"""`onrecord run` through Prefect says when alerts cannot be delivered, as `--plain` does.

Issue 16, case 2: after Slack answered `invalid_auth`, runs through Prefect exited 0 with
nothing on stderr while pending alerts grew (the monitor flow kept the delivery report to
itself). Here the real command runs through its temporary Prefect API, against a page on
loopback and the fake Slack Web API over real HTTP answering `invalid_auth`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Store
from tests.fake_slack import FakeSlack
from tests.httpfixture import LocalServer, Response

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-3333-4444-RUNSECRETVALUE"
PAGE = ("<html><head><title>Readout</title></head><body><article><h1>Readout</h1>"
        "<p>The Secretary met the Foreign Minister on Monday to discuss 12 joint projects.</p>"
        "<p>Both sides agreed to continue close consultations on regional security.</p>"
        "</article></body></html>")


def _run(config: Path | None, tmp_path: Path, fake: FakeSlack, *extra: str,
         command: str = "run") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PREFECT_API_URL", "SLACK_WEBHOOK_URL")}
    env.update({"PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite",
                "ONRECORD_ALLOW_PRIVATE_URLS": "1", "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_CHANNEL": "C0RUN", "SLACK_API_URL": fake.url})
    where = ["--config", str(config)] if config is not None else []
    return subprocess.run([sys.executable, "-m", "flows.cli", command, *extra, *where],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def _delivery_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("alert delivery:")]


@pytest.mark.parametrize("plain", [False, True], ids=["prefect", "plain"])
def test_run_exits_1_with_a_line_per_problem_when_slack_answers_invalid_auth(
        server: LocalServer, tmp_path: Path, fake: FakeSlack, plain: bool) -> None:
    server.routes["/readout"] = Response(PAGE)
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "r"\nkind = "statement"\n'
                      f'urls = ["{server.url("/readout")}"]\n')
    fake.default = ("error", "invalid_auth")
    result = _run(config, tmp_path, fake, *(["--plain"] if plain else []))

    # The pass itself went fine; the alert about the new statement could not be sent.
    assert "1 sources, 1 items, 0 source(s) with errors" in result.stdout, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-3000:]
    lines = _delivery_lines(result.stderr)
    assert len(lines) == 1 and "invalid_auth" in lines[0], result.stderr[-3000:]
    assert TOKEN not in result.stdout + result.stderr
    assert len(fake.calls("chat.postMessage")) == 1
    store = Store(f"sqlite:///{tmp_path}/s.sqlite")
    try:
        assert [a.status for a in store.alerts() if a.channel == "slack"] == ["pending"]
    finally:
        store.close()
    if plain:
        return
    # The run's artifact says so too (the temporary API's database, once it has written it).
    deadline = time.monotonic() + 60
    while True:
        with sqlite3.connect(tmp_path / "prefect" / "prefect.db") as conn:
            found = [json.loads(row[0]) for row in conn.execute(
                "SELECT data FROM artifact WHERE key = 'onrecord-delivery'")]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert found and "invalid\\_auth" in found[0]  # Markdown-escaped scraped text
    assert TOKEN not in found[0]


@pytest.mark.parametrize("plain", [False, True], ids=["prefect", "plain"])
def test_check_exits_1_with_a_line_per_problem_when_slack_answers_invalid_auth(
        server: LocalServer, tmp_path: Path, fake: FakeSlack, plain: bool) -> None:
    # The manual trigger (`onrecord check URL`) reports delivery as `run` does: through
    # Prefect, the check flow returns the delivery report with the outcome.
    server.routes["/readout"] = Response(PAGE)
    fake.default = ("error", "invalid_auth")
    result = _run(None, tmp_path, fake, server.url("/readout"), *(["--plain"] if plain else []),
                  command="check")
    assert "Readout" in result.stdout, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-3000:]
    lines = _delivery_lines(result.stderr)
    assert len(lines) == 1 and "invalid_auth" in lines[0], result.stderr[-3000:]
    assert TOKEN not in result.stdout + result.stderr
