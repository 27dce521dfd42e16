"""A temporary local Prefect API for one command, started before Prefect is imported.

Without PREFECT_API_URL, Prefect starts its own temporary API (a uvicorn subprocess
serving `prefect.server.api.server:create_app`) on the first API call, after the command has
imported Prefect, the flows and the pipeline, and waits for it. Starting that same server
first, with nothing but the standard library, lets its start (importing the Prefect server
and opening its database: ~6 s on an idle machine) overlap the command's own imports
(~2-3 s). One server serves every flow of the command (`demo` runs two passes).

Prefect is then pointed at it as at any running server (PREFECT_API_URL), not handed it as
its own `SubprocessASGIServer`: that class lives in `prefect.server.api.server`, whose
import pulls the whole Prefect server (models, API routes, database layer) into the
command's process, measured at 10 s of the command's main thread at load 13 (py-spy), the
largest part of what was "unexplained" before the flow run started. The client side needs
none of it. The server is stopped at exit the way Prefect stops its own, after Prefect has
drained its event and log workers into it.

With a temporary API nobody watches for crashed runs, so the flow-run heartbeat, which
delays the end of each run by up to a second (its thread sleeps in 1 s steps before the
engine joins it), is turned off; a real server keeps it.
"""

from __future__ import annotations

import atexit
import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

# The temporary API this process adopted, if any: later commands in the process reuse it.
_ADOPTED: TemporaryAPI | None = None


def adopted() -> TemporaryAPI | None:
    """The temporary API this process runs on, if it is still up."""
    if _ADOPTED is not None and _ADOPTED.process.poll() is None \
            and os.environ.get("PREFECT_API_URL") == _ADOPTED.url:
        return _ADOPTED
    return None


class TemporaryAPIError(RuntimeError):
    """The temporary API did not start."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TemporaryAPI:
    """Prefect's temporary API server, launched early, then adopted as the process's API."""

    def __init__(self) -> None:
        spec = find_spec("prefect")  # locates the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise TemporaryAPIError("prefect is not installed")
        self.port = _free_port()
        # The command and environment of Prefect's SubprocessASGIServer._run_uvicorn_command.
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir",
             str(Path(next(iter(spec.submodule_search_locations))).parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port",
             str(self.port), "--log-level", "error", "--lifespan", "on"], env=env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait(self, timeout: float) -> None:
        """Block until the API answers /health."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TemporaryAPIError("the temporary Prefect API exited while starting")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise TemporaryAPIError(f"the temporary Prefect API did not start in {timeout:.0f} s")

    def adopt(self) -> None:
        """Make this server the process's Prefect API, as PREFECT_API_URL would.

        Set in the environment and in Prefect's process-wide settings (not a settings
        context of this thread): Prefect's event and log workers and the flow-run threads
        read the API URL in threads of their own and at exit, and one that found none would
        start a second temporary server (importing the Prefect server) to send to. The
        server lives until the process exits: threading's exit hooks, which run before
        `atexit`'s, drain Prefect's event and log workers into it; then `stop`.
        """
        from prefect.context import refresh_global_settings_context

        global _ADOPTED
        os.environ["PREFECT_API_URL"] = self.url
        refresh_global_settings_context()
        _ADOPTED = self
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop as Prefect's `SubprocessASGIServer.stop()` does: SIGTERM, then up to 5 s for
        uvicorn's graceful shutdown, in which the server writes the last task-run states
        it was sent (a kill loses them; the command has exited by then)."""
        self.discard()

    def discard(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def prefect_api(*imports: str) -> Iterator[None]:
    """Run the body with Prefect's API: PREFECT_API_URL's, or a temporary one started early.

    `imports` (module names) are imported while the temporary API starts. An API URL set
    in a Prefect profile or prefect.toml is only known once Prefect is imported: the early
    server is then stopped unused. Inside the body, with a temporary API, flow runs send
    no heartbeats. A second call in the same process reuses the temporary API.
    """
    early = None
    if not os.environ.get("PREFECT_API_URL"):
        try:
            early = TemporaryAPI()
        except (OSError, TemporaryAPIError):
            early = None  # Prefect starts its own when it needs one
    try:
        for module in imports:
            importlib.import_module(module)
        from prefect.settings import (
            PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
            get_current_settings,
            temporary_settings,
        )

        settings = get_current_settings()
        if early is not None and (settings.api.url or not settings.server.ephemeral.enabled):
            early.discard()
            early = None
        if early is not None:
            try:
                early.wait(settings.server.ephemeral.startup_timeout_seconds)
                early.adopt()
            except TemporaryAPIError:
                # E.g. its port was taken meanwhile: Prefect starts its own on first use.
                early.discard()
            early = None
    except BaseException:
        if early is not None:
            early.discard()
        raise
    settings = get_current_settings()
    if (settings.api.url and adopted() is None) or \
            (not settings.api.url and not settings.server.ephemeral.enabled):
        yield  # a real server: heartbeats on (it may watch for crashed runs)
        return
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
