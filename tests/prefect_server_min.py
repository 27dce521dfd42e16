"""Start a real `prefect server start` and `onrecord serve` on loopback, for tests and bench."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    """An environment for a Prefect process with its own home, offline, quiet."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(home),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
           "PREFECT_LOGGING_LEVEL": "WARNING", "ONRECORD_ALLOW_PRIVATE_URLS": "1"}
    for key in ("PREFECT_API_URL", "SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        env.pop(key, None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


class Process:
    """A child process in its own group, its output in a file, stopped with SIGINT then kill."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> None:
        self.log = log
        self._out = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=self._out,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self._out.close()


def start_server(home: Path, timeout: float = 90,
                 env: dict[str, str] | None = None) -> tuple[Process, str]:
    """`prefect server start` on a free loopback port; returns it and its API URL.

    `env` adds settings, e.g. PREFECT_SERVER_DATABASE_CONNECTION_URL for PostgreSQL.
    """
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    proc = Process([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                    "--port", str(port)], {**prefect_env(home), **(env or {})},
                   home.parent / f"{home.name}-server.log")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.proc.poll() is not None:
            raise RuntimeError("prefect server exited:\n" + proc.tail())
        try:
            with urllib.request.urlopen(api + "/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, api
        except OSError:
            pass
        time.sleep(0.3)
    proc.stop()
    raise RuntimeError("prefect server did not start:\n" + proc.tail())


def start_serve(home: Path, api: str, config: Path, env: dict[str, str], log: Path,
                poll: float = 1.0) -> Process:
    """`onrecord serve` against `api`, with the caller's onrecord settings in `env`."""
    return Process([sys.executable, "-m", "flows.cli", "serve", "--config", str(config),
                    "--poll", str(poll)], {**prefect_env(home, api), **env}, log)
