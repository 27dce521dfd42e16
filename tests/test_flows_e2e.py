"""Flows through a real Prefect server on loopback: `onrecord serve`, deployments, manual runs.

One `prefect server start` serves the whole module (a server start is the expensive part).
The in-process flow tests talk to it too, with heartbeats off so runs exit at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.settings import Settings
from store import Store
from tests.fake_slack_min import FakeSlack
from tests.httpfixture import LocalServer, Response
from tests.prefect_server_min import Process, start_serve

PAGE = """<html><head><title>{title}</title></head><body><nav>Home | About</nav>
<article><h1>{title}</h1>{body}</article><footer>Footer text of the site</footer></body></html>"""
PARAS = (
    "The Secretary announced $80 million in new humanitarian assistance for the region today.",
    "The assistance will provide food, shelter and medical care to displaced families.",
    "The United States will not reduce its support while the crisis continues.",
)


def page(*paras: str, title: str = "Assistance for the region") -> str:
    return PAGE.format(title=title, body="".join(f"<p>{p}</p>" for p in paras))



@pytest.fixture(scope="module")
def site() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, prefect_api: str, site: LocalServer,
          slack: FakeSlack) -> Iterator[dict]:
    """`onrecord serve` running against the server, with a store and the fake Slack."""
    tmp = tmp_path_factory.mktemp("serve")
    db = f"sqlite:///{tmp / 'store.sqlite'}"
    site.routes["/feed-ok"] = Response(page(*PARAS, title="Listed statement"))
    config = tmp / "sources.toml"
    config.write_text(
        '[[source]]\nname = "fine"\nkind = "statement"\n'
        f'urls = ["{site.url("/feed-ok")}"]\n\n'
        '[[source]]\nname = "broken"\nkind = "statement"\n'
        f'feed = "http://127.0.0.2:{site.port}/missing.xml"\n')
    env = {"ONRECORD_DATABASE_URL": db, "SLACK_API_URL": slack.api_url,
           "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_CHANNEL": "C0TEST"}
    home = tmp / "serve-home"
    home.mkdir()
    serve = start_serve(home, prefect_api, config, env, tmp / "serve.log", poll=1.0)
    try:
        _wait_for_deployments(prefect_api, serve)
        yield {"db": db, "api": prefect_api, "serve": serve, "config": config}
    finally:
        serve.stop()


def _client(api: str):  # noqa: ANN202
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        return get_client()


def _run_artifacts(api: str, run_id: object) -> list:
    """The artifacts a flow run published, read back from the Prefect API."""
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async def read() -> list:
        async with _client(api) as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))

    return asyncio.run(read())


def _wait_for_deployments(api: str, serve: Process, timeout: float = 60) -> None:
    async def names() -> set[str]:
        async with _client(api) as client:
            return {f"{d.flow_id}/{d.name}" for d in await client.read_deployments()}

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if serve.proc.poll() is not None:
            pytest.fail("onrecord serve exited:\n" + serve.tail())
        if len(asyncio.run(names())) >= 5:
            return
        time.sleep(0.5)
    pytest.fail("deployments never appeared:\n" + serve.tail())


def _run(api: str, name: str, parameters: dict, timeout: float = 60):  # noqa: ANN202
    """Trigger a deployment through the API and wait for its final state."""
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        return run_deployment(name, parameters=parameters, timeout=timeout, poll_interval=0.5)


def test_serve_schedules_are_visible(world: dict) -> None:
    async def read() -> dict:
        async with _client(world["api"]) as client:
            out = {}
            for name in ("monitor/statements", "monitor/coverage", "deliver-alerts/deliver-alerts",
                         "check-statement/check-statement", "check-coverage/check-coverage"):
                d = await client.read_deployment_by_name(name)
                out[name] = [s.schedule.interval.total_seconds() for s in d.schedules if s.active]
            return out

    schedules = asyncio.run(read())
    assert schedules["monitor/statements"] == [600]
    assert schedules["monitor/coverage"] == [1800]
    assert schedules["deliver-alerts/deliver-alerts"] == [300]
    assert schedules["check-statement/check-statement"] == []


def test_serve_schedules_produce_runs(world: dict) -> None:
    """The server turns serve's schedules into runs (what the scheduler service does).

    Under SQLAlchemy 2.1, Prefect 3.8's server could not insert scheduled runs (its bulk
    insert sets the hybrid `state` attribute: "Can't evaluate bulk DML statement"), so a
    served deployment never ran on its own; bench/soak.py found it. The runs are asked for a
    day ahead, so serve does not start them during the other tests.
    """
    import datetime as dt

    import httpx

    async def schedule() -> tuple[int, str, list]:
        from prefect.client.schemas.filters import (
            DeploymentFilter,
            DeploymentFilterId,
            FlowRunFilter,
            FlowRunFilterState,
            FlowRunFilterStateType,
        )
        from prefect.client.schemas.objects import StateType

        async with _client(world["api"]) as client:
            deployment = await client.read_deployment_by_name("monitor/statements")
            start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
            async with httpx.AsyncClient() as http:
                resp = await http.post(f"{world['api']}/deployments/{deployment.id}/schedule",
                                       json={"start_time": start.isoformat(), "max_runs": 3,
                                             "min_runs": 3}, timeout=60)
            runs = await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))))
            return resp.status_code, resp.text, [r for r in runs if r.expected_start_time >= start]

    status, text, runs = asyncio.run(schedule())
    assert status < 300, text
    times = sorted(r.expected_start_time for r in runs)
    assert len(times) == 3
    assert {(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)} == {600.0}


def test_check_statement_by_hand_versions_and_alerts(world: dict, site: LocalServer,
                                                    slack: FakeSlack) -> None:
    url = site.url("/statement")
    site.routes["/statement"] = Response(page(*PARAS))
    first = _run(world["api"], "check-statement/check-statement", {"url": url})
    assert first.state.is_completed(), (first.state, world["serve"].tail())

    site.routes["/statement"] = Response(page(PARAS[0].replace("$80", "$58"), PARAS[1]))
    second = _run(world["api"], "check-statement/check-statement", {"url": url})
    assert second.state.is_completed(), (second.state, world["serve"].tail())

    store = Store(world["db"])
    try:
        versions = store.versions(url)
        assert [v.seq for v in versions] == [1, 2]
        assert "$58 million" in versions[-1].canonical_text
    finally:
        store.close()
    sent = [t for t in slack.texts() if url in t]
    # The first run announced the new statement, the second its edit.
    assert len(sent) == 2 and "New statement" in sent[0]
    assert "58" in sent[1] and "80" in sent[1]
    assert slack.tokens[-1] == "Bearer xoxb-test-token"


def test_monitor_deployment_reports_a_failing_source(world: dict, site: LocalServer) -> None:
    """A failing source fails its own (host) task; the flow completes and reports it."""
    run = _run(world["api"], "monitor/statements", {})
    assert run.state.is_completed(), (run.state, world["serve"].tail())

    async def details() -> tuple[dict, list]:
        from prefect.client.schemas.filters import (
            ArtifactFilter,
            ArtifactFilterFlowRunId,
            FlowRunFilter,
            FlowRunFilterId,
        )

        async with _client(world["api"]) as client:
            tasks = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
            artifacts = await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
            held = [(await client.read_global_concurrency_limit_by_name(name)).active_slots
                    for name in ("tag:host:127.0.0.1", "tag:host:127.0.0.2")]
            return {t.name: t.state.type.value for t in tasks}, artifacts, held

    tasks, artifacts, held = asyncio.run(details())
    assert held == [0, 0]  # serve created the host limits; the pass held and released them
    states = {name.split(" (")[0]: state for name, state in tasks.items()}
    assert states["check 127.0.0.1"] == "COMPLETED"
    assert states["check 127.0.0.2"] == "FAILED"
    table = [a for a in artifacts if a.key == "onrecord-changes"]
    assert table and "broken" in str(table[0].data) and "missing.xml" in str(table[0].data)


def test_a_pass_due_while_one_runs_is_cancelled(world: dict) -> None:
    """Two statements passes due at once: one runs, the other is cancelled, not queued.

    Without a deployment concurrency limit, serve started every due pass; with passes
    longer than their interval (bench/soak.py: 70-106 s passes every 60 s) flow-run
    processes piled up waiting for each other's host slots.
    """
    from prefect.client.schemas.objects import StateType

    async def both() -> list[StateType]:
        async with _client(world["api"]) as client:
            deployment = await client.read_deployment_by_name("monitor/statements")
            runs = [await client.create_flow_run_from_deployment(deployment.id)
                    for _ in range(2)]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                states = [(await client.read_flow_run(r.id)).state for r in runs]
                if all(s is not None and s.is_final() for s in states):
                    return sorted(s.type for s in states if s is not None)
                await asyncio.sleep(0.5)
            raise AssertionError(f"runs not final: {states}")

    assert asyncio.run(both()) == sorted([StateType.COMPLETED, StateType.CANCELLED]), \
        world["serve"].tail()


def test_in_process_flow_publishes_edit_artifact(prefect_api: str, site: LocalServer,
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 slack: FakeSlack) -> None:
    """The flows called as functions (what `onrecord check` does), heartbeats off."""
    from prefect.logging.handlers import APILogHandler
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    from flows.prefect_flows import check_statement, close_runtimes

    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("ONRECORD_DATABASE_URL", db)
    for key in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(key, raising=False)
    url = site.url("/inproc")
    site.routes["/inproc"] = Response(page(*PARAS))
    try:
        with temporary_settings({PREFECT_API_URL: prefect_api,
                                 PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            assert check_statement(url).outcome.status == "new"
            site.routes["/inproc"] = Response(page(PARAS[0].replace("$80", "$58"), *PARAS[1:]))
            state = check_statement(url, return_state=True)
            outcome = state.result().outcome
            assert outcome.status == "changed" and outcome.significance == "substantive"

            artifacts = _run_artifacts(prefect_api, state.state_details.flow_run_id)
            edit = [a for a in artifacts if a.key == "onrecord-edit"]
            assert edit and "after:\n\n> 58" in edit[0].data and "before:\n\n> 80" in edit[0].data
            missing = check_statement(site.url("/nowhere")).outcome
            assert missing.status == "error" and "404" in (missing.error or "")
            APILogHandler().flush()  # before the module's server goes away
    finally:
        close_runtimes()
    assert Settings.from_env().database_url == db


def test_deliver_flow_reports_a_stopped_channel_on_every_run(
        prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After invalid_auth, each later deliver-alerts run says so: an error log line and an
    `onrecord-delivery` artifact, not a quiet Completed run while alerts pile up."""
    from prefect.logging.handlers import APILogHandler
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    from flows.prefect_flows import close_runtimes, deliver_alerts
    from store.records import NewAlert
    from tests.fake_slack import FakeSlack as FullFakeSlack

    fake = FullFakeSlack().start()
    fake.default = ("error", "invalid_auth")
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("ONRECORD_DATABASE_URL", db)
    monkeypatch.setenv("ONRECORD_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-flow-test")
    monkeypatch.setenv("SLACK_CHANNEL", "C0FLOW")
    monkeypatch.setenv("SLACK_API_URL", fake.url)
    monkeypatch.delenv("SLACK_WEBHOOK_URL", raising=False)
    store = Store(db)
    store.enqueue([NewAlert("edit", "slack", "slack|a", {
        "kind": "edit", "title": "T", "url": "https://gov.example/s", "significance": "minor",
        "summary": "s", "lines": []}, "minor")])
    store.close()
    try:
        with temporary_settings({PREFECT_API_URL: prefect_api,
                                 PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            for _ in range(2):
                state = deliver_alerts(return_state=True)
                report = state.result()
                assert not report.ok and any("invalid_auth" in p for p in report.problems)

                found = [a for a in _run_artifacts(prefect_api, state.state_details.flow_run_id)
                         if a.key == "onrecord-delivery"]
                assert found and "invalid\\_auth" in found[0].data
            assert len(fake.calls("chat.postMessage")) == 1  # the second run did not post
            APILogHandler().flush()
    finally:
        close_runtimes()
        fake.stop()


def test_in_process_flow_publishes_drifted_claims(prefect_api: str, site: LocalServer,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A coverage check whose article reports "$80 million" as "$18 million" in its own
    words: the run's `onrecord-claim` artifact lists the drift, escaped (issue 14)."""
    from prefect.logging.handlers import APILogHandler
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    from flows.prefect_flows import check_coverage, check_statement, close_runtimes

    monkeypatch.setenv("ONRECORD_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    for key in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(key, raising=False)
    site.routes["/claims-statement"] = Response(page(*PARAS))
    site.routes["/claims-article"] = Response(page(
        "The Secretary said the United States would give $18 million in new humanitarian "
        "assistance for the region.", "Aid workers said they were waiting for details.",
        title="Aid announced"))
    try:
        with temporary_settings({PREFECT_API_URL: prefect_api,
                                 PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            assert check_statement(site.url("/claims-statement")).outcome.status == "new"
            state = check_coverage(site.url("/claims-article"), return_state=True)
            outcome = state.result().outcome
            assert any(c.verdict == "drift" and "$18 million" in c.claim for c in outcome.claims)

            [artifact] = [a for a in _run_artifacts(prefect_api, state.state_details.flow_run_id)
                          if a.key == "onrecord-claim"]
            assert "### Drifted claim (number, major)" in artifact.data
            assert r"\$18 million" in artifact.data and r"\$80 million" in artifact.data
            APILogHandler().flush()  # before the module's server goes away
    finally:
        close_runtimes()
