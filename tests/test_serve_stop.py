"""`onrecord serve` stopped by SIGTERM (systemd, docker stop) with a flow run in flight,
through a real `prefect server start` on loopback.

Its own server: the serve under test must be the only one serving the deployments.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from flows.serve import STOPPED_MESSAGE
from tests.httpfixture import LocalServer, Response
from tests.prefect_server_min import Process, prefect_env

PAGE = ("<html><head><title>Statement</title></head><body><article><h1>Statement</h1>"
        "<p>The Secretary announced new humanitarian assistance for the region today.</p>"
        "</article></body></html>")



def _serve(tmp: Path, api: str, config: Path, name: str) -> Process:
    home = tmp / f"{name}-home"
    home.mkdir()
    env = {**prefect_env(home, api), "ONRECORD_DATABASE_URL": f"sqlite:///{tmp / 'store.sqlite'}"}
    # No host limits: the pass's host lease is not what this test is about.
    return Process([sys.executable, "-m", "flows.cli", "serve", "--config", str(config),
                    "--poll", "1", "--host-slots", "0"], env, tmp / f"{name}.log")


async def _wait(api: str, serve: Process, what, timeout: float = 90):  # noqa: ANN001, ANN202
    """Poll the API until `what(client)` returns something, or fail with serve's log."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        async with get_client() as client:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                got = await what(client)
                if got:
                    return got
                await asyncio.sleep(0.5)
    pytest.fail("timed out:\n" + serve.tail())


def test_sigterm_marks_the_run_in_flight_crashed(prefect_api: str, tmp_path: Path) -> None:
    """The statements pass in flight ends Crashed, not "Running" for good, and the next
    pass of the deployment (one at a time) runs instead of being cancelled as a second one."""
    from prefect.client.schemas.objects import StateType

    site = LocalServer()
    site.routes["/slow"] = Response(PAGE, delay=30)  # the pass is still running when stopped
    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nname = "slow"\nkind = "statement"\n'
                      f'urls = ["{site.url("/slow")}"]\n')
    serve = _serve(tmp_path, prefect_api, config, "serve")
    try:
        async def started(client):  # noqa: ANN001, ANN202
            names = {d.name for d in await client.read_deployments()}
            if "statements" not in names:
                return None
            deployment = await client.read_deployment_by_name("monitor/statements")
            return await client.create_flow_run_from_deployment(deployment.id)

        run = asyncio.run(_wait(prefect_api, serve, started))

        async def running(client):  # noqa: ANN001, ANN202
            state = (await client.read_flow_run(run.id)).state
            return state is not None and state.is_running()

        asyncio.run(_wait(prefect_api, serve, running))
        os.kill(serve.proc.pid, signal.SIGTERM)
        assert serve.proc.wait(60) == 0, serve.tail()

        async def final(client):  # noqa: ANN001, ANN202
            state = (await client.read_flow_run(run.id)).state
            return state if state is not None and state.is_final() else None

        state = asyncio.run(_wait(prefect_api, serve, final, timeout=20))
        assert state.type is StateType.CRASHED and state.message == STOPPED_MESSAGE
    finally:
        serve.stop()

    site.routes["/slow"] = Response(PAGE)
    again = _serve(tmp_path, prefect_api, config, "again")
    try:
        async def next_pass(client):  # noqa: ANN001, ANN202
            deployment = await client.read_deployment_by_name("monitor/statements")
            return await client.create_flow_run_from_deployment(deployment.id)

        second = asyncio.run(_wait(prefect_api, again, next_pass))

        async def done(client):  # noqa: ANN001, ANN202
            state = (await client.read_flow_run(second.id)).state
            return state if state is not None and state.is_final() else None

        state = asyncio.run(_wait(prefect_api, again, done, timeout=120))
        assert state.type is StateType.COMPLETED, (state, again.tail())
    finally:
        again.stop()
        site.close()
