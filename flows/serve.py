"""`onrecord serve`: every deployment with its schedule in one long-running process.

This is the embedded default: no work pool and no worker, just a Prefect API (a
`prefect server start`, Prefect Cloud, or a temporary local one) and this process. Each
flow run executes in a fresh subprocess of it. For several machines, use deploy/prefect.yaml
with a process work pool instead (see deploy/README.md); the deployments are the same.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from sources.config import Config

if TYPE_CHECKING:
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.deployments.runner import RunnerDeployment

STATEMENTS_EVERY = timedelta(minutes=10)
COVERAGE_EVERY = timedelta(minutes=30)
DELIVER_EVERY = timedelta(minutes=5)  # retries alerts left pending by a Slack outage
POLL_SECONDS = 5.0  # how often serve asks for due runs: the latency of a manual trigger

# (flow name, deployment name) of everything `serve` and deploy/prefect.yaml create.
DEPLOYMENTS = (
    ("monitor", "statements"),
    ("monitor", "coverage"),
    ("check-statement", "check-statement"),
    ("check-coverage", "check-coverage"),
    ("deliver-alerts", "deliver-alerts"),
)


def one_at_a_time() -> ConcurrencyLimitConfig:
    """The concurrency of each scheduled deployment: one run at a time, a run that falls
    due while the previous one is still going is cancelled, not queued.

    Without it, `serve` started every scheduled pass on time even while the last one ran:
    in bench/soak.py (200 sources, 60 s passes on a loaded machine) passes took 70-106 s,
    up to four flow-run processes (~170 MB each) stood waiting for each other's host slots
    and the backlog only grew. Queued (Prefect's default strategy) they would still pile up;
    the next pass re-reads every source anyway, so a skipped one loses nothing.
    deploy/prefect.yaml says the same.
    """
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


def build_deployments(config_path: str | Path, *, statements_every: timedelta = STATEMENTS_EVERY,
                      coverage_every: timedelta = COVERAGE_EVERY,
                      deliver_every: timedelta = DELIVER_EVERY,
                      paused: bool = False) -> list[RunnerDeployment]:
    """The deployments, with schedules and parameters, mirroring deploy/prefect.yaml."""
    from flows.prefect_flows import check_coverage, check_statement, deliver_alerts, monitor

    config = str(Path(config_path).resolve())
    tags = ["onrecord"]
    once = one_at_a_time()
    return [
        monitor.to_deployment(
            name="statements", interval=statements_every, paused=paused, tags=tags,
            concurrency_limit=once,
            parameters={"config_path": config, "kind": "statement"},
            description="Official statements: discover, fetch, version, diff, alert."),
        monitor.to_deployment(
            name="coverage", interval=coverage_every, paused=paused, tags=tags,
            concurrency_limit=once,
            parameters={"config_path": config, "kind": "coverage"},
            description="Press coverage: fetch, extract quotes, check them, alert."),
        check_statement.to_deployment(
            name="check-statement", tags=tags,
            description="Manual trigger: check one statement URL now (parameter url)."),
        check_coverage.to_deployment(
            name="check-coverage", tags=tags,
            description="Manual trigger: check one article URL now (parameter url)."),
        deliver_alerts.to_deployment(
            name="deliver-alerts", interval=deliver_every, paused=paused, tags=tags,
            concurrency_limit=once,
            description="Drain the alert outbox."),
    ]


def ensure_host_limits(config: Config, slots: int) -> list[str]:
    """Create a `host:<name>` tag concurrency limit for each configured host lacking one.

    A monitor pass holds a slot of each of its hosts' limits (flows.prefect_flows.
    holding_hosts); a limit of 1 keeps two overlapping passes (statements and coverage, or
    a slow pass and the next) off one server at once.
    Existing limits are left as the operator set them. Returns the tags created.
    """
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    created = []
    with get_client(sync_client=True) as client:
        for host in sorted({s.host_key for s in config.sources}):
            tag = f"host:{host}"
            try:
                client.read_concurrency_limit_by_tag(tag)
            except ObjectNotFound:
                client.create_concurrency_limit(tag=tag, concurrency_limit=slots)
                created.append(tag)
    return created


# The state message of a run `serve` was executing when it stopped.
STOPPED_MESSAGE = "onrecord serve stopped while this run was in flight"


def crash_in_flight(since: datetime, message: str = STOPPED_MESSAGE) -> list[UUID]:
    """Mark Crashed the runs of the DEPLOYMENTS that went Pending or Running since `since`
    and are still so: those this process was executing when it stopped.

    Prefect's runner does not await its own stop on SIGTERM (`Runner.handle_sigterm` calls
    the async `stop` without awaiting it, then `sys.exit`): its flow-run subprocesses die
    with it and their runs stayed "Running" in the API, holding the deployment's concurrency
    slot: the next pass, after a restart, was cancelled ("Deployment concurrency limit
    reached"). A run put in flight before this serve started is not its to judge. Returns
    the runs marked.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Crashed

    marked: list[UUID] = []
    with get_client(sync_client=True) as client:
        ids = []
        for flow, name in DEPLOYMENTS:
            try:
                ids.append(client.read_deployment_by_name(f"{flow}/{name}").id)
            except ObjectNotFound:
                continue
        if not ids:
            return marked
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=ids),
            state=FlowRunFilterState(type=FlowRunFilterStateType(
                any_=[StateType.PENDING, StateType.RUNNING]))))
        for run in runs:
            if run.state is not None and run.state.timestamp >= since:
                client.set_flow_run_state(run.id, Crashed(message=message))
                marked.append(run.id)
    return marked


def serve_all(config_path: str | Path, *, poll_seconds: float = POLL_SECONDS,
              limit: int | None = None, host_slots: int = 1,
              statements_every: timedelta = STATEMENTS_EVERY,
              coverage_every: timedelta = COVERAGE_EVERY) -> None:
    """Register the deployments and run their schedules and manual runs until interrupted
    (Ctrl-C, SIGTERM); the runs left in flight are then marked Crashed (`crash_in_flight`)."""
    from prefect import serve

    from sources.config import load_config

    config = load_config(config_path)  # fail on a bad file before anything is registered
    if host_slots > 0:
        ensure_host_limits(config, host_slots)
    deployments = build_deployments(config_path, statements_every=statements_every,
                                    coverage_every=coverage_every)
    started = datetime.now(UTC)
    try:
        serve(*deployments, limit=limit, query_seconds=poll_seconds)
    finally:
        # Also on SIGTERM: Prefect's handler raises SystemExit through `serve`.
        try:
            crash_in_flight(started)
        except Exception as exc:  # noqa: BLE001 - stopping anyway (the API may be the reason)
            print(f"onrecord serve: could not mark the runs left in flight: {exc}",
                  file=sys.stderr)
