"""`onrecord demo` end to end, through Prefect, then `onrecord history` on its database."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def test_demo_through_prefect_then_history(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    for key in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL", "PREFECT_API_URL"):
        env.pop(key, None)
    demo = subprocess.run([sys.executable, "-m", "flows.cli", "demo"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    out = demo.stdout
    assert "[MISQUOTE]" in out and "negation removed: not" in out
    assert "[EDITED]" in out and "number changed: 80 -> 58" in out
    assert "statement versions stored: 2" in out
    # The sample article reports "$80 million" as "$18 million" in its own words (issue 14).
    assert "[DRIFTED CLAIM]" in out and "drifted claims found: 1" in out
    assert "claim drift (number, major): “The ministers said the partners had committed $18" in out
    # The first version of the statement is announced, once; the coverage is not.
    assert out.count("[NEW]") == 1 and "new-statement alerts: 1" in out
    assert str(tmp_path / "demo.sqlite") in out
    url = re.search(r"onrecord history (\S+)", out).group(1)

    history = subprocess.run([sys.executable, "-m", "flows.cli", "history", url],
                             capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert history.returncode == 0, history.stderr
    lines = [line for line in history.stdout.splitlines() if line.strip().startswith("v")]
    assert len(lines) == 2
    assert "first seen" in lines[0] and "80 -> 58" in lines[1]

    # The demo ends with the web address of its edit; `onrecord web` on its store serves it.
    page = re.search(r"see the edit on the web: http://127\.0\.0\.1:\d+(/compare/\d+/\d+)", out)
    assert page is not None, out[-2000:]
    db = re.search(r"onrecord web --db (\S+)", out).group(1)
    assert db == f"sqlite:///{tmp_path / 'demo.sqlite'}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    web = subprocess.Popen([sys.executable, "-m", "flows.cli", "web", "--db", db,
                            "--port", str(port)], env=env, cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                resp = requests.get(f"http://127.0.0.1:{port}{page.group(1)}", timeout=5)
                break
            except requests.ConnectionError:
                assert web.poll() is None and time.monotonic() < deadline, web.stderr.read()
                time.sleep(0.2)
        assert resp.status_code == 200
        assert "number changed: 80 -&gt; 58" in resp.text and "<del" in resp.text
    finally:
        web.terminate()
        shown, _ = web.communicate(timeout=30)
    assert f"onrecord web: http://127.0.0.1:{port}/ (store {tmp_path / 'demo.sqlite'}" in shown
    assert "set ONRECORD_WEB_URL" in shown  # not set here: alerts cannot link to the site
