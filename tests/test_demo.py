"""`onrecord demo` end to end, through Prefect, then `onrecord history` on its database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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
