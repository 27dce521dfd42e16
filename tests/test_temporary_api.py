"""`onrecord run` through Prefect with no PREFECT_API_URL: the early temporary API records the run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.httpfixture import LocalServer, Response

ROOT = Path(__file__).resolve().parents[1]

PAGE = ("<html><head><title>Readout</title></head><body><article><h1>Readout</h1>"
        "<p>The Secretary met the Foreign Minister on Monday to discuss 12 joint projects.</p>"
        "<p>Both sides agreed to continue close consultations on regional security.</p>"
        "</article></body></html>")


def test_run_through_a_temporary_api_is_recorded_in_its_database(
        server: LocalServer, tmp_path: Path) -> None:
    server.routes["/readout"] = Response(PAGE)
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "r"\nkind = "statement"\n'
                      f'urls = ["{server.url("/readout")}"]\n')
    home = tmp_path / "prefect"
    env = {k: v for k, v in os.environ.items()
           if k not in ("PREFECT_API_URL", "SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL")}
    env.update({"PYTHONPATH": str(ROOT), "PREFECT_HOME": str(home),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite",
                "ONRECORD_ALLOW_PRIVATE_URLS": "1"})
    result = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--config", str(config)],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    # The outcome line says "new", after the console's new-statement alert.
    assert result.stdout.startswith("!  [NEW]")
    assert any(line.startswith("new ") for line in result.stdout.splitlines())
    assert "1 sources, 1 items, 0 source(s) with errors" in result.stdout

    # The server was handed to Prefect: the run and its tasks are in its database (the
    # server finishes writing after the command exits, so wait for the task states).
    deadline = time.monotonic() + 60
    while True:
        with sqlite3.connect(home / "prefect.db") as conn:
            flows = conn.execute(
                "SELECT fr.state_type FROM flow_run fr JOIN flow f ON f.id = fr.flow_id "
                "WHERE f.name = 'monitor'").fetchall()
            tasks = dict(conn.execute(
                "SELECT name, state_type FROM task_run WHERE name LIKE 'check %'").fetchall())
        if tasks or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert flows == [("COMPLETED",)]
    assert tasks == {"check 127.0.0.1 (statement)": "COMPLETED"}
