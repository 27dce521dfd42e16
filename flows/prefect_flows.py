"""Prefect flows: thin orchestration over flows.pipeline (schedules, retries, observability)."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from alerts.deliver import DeliveryReport, deliver
from flows.pipeline import CheckOutcome, Pipeline, Runtime, SourceReport
from flows.settings import Settings
from sources.config import Source, load_config
from sources.document import COVERAGE, STATEMENT


def _runtime() -> Runtime:
    return Runtime.from_settings(Settings.from_env())


@task(name="check-source", retries=1, retry_delay_seconds=5,
      cache_policy=NO_CACHE)
def check_source_task(source: Source) -> SourceReport:
    """One source per task: a batch of URLs, so Prefect's per-task cost is paid per source."""
    rt = _runtime()
    try:
        report = Pipeline(rt).run_source(source)
    finally:
        rt.close()
    if report.error:
        get_run_logger().warning("source %s failed: %s", source.name, report.error)
    return report


@task(name="check-url", retries=1, retry_delay_seconds=5,
      cache_policy=NO_CACHE)
def check_url_task(url: str, kind: str) -> CheckOutcome:
    rt = _runtime()
    try:
        return Pipeline(rt).check_url(url, kind)
    finally:
        rt.close()


@task(name="deliver-alerts", retries=2, retry_delay_seconds=10,
      cache_policy=NO_CACHE)
def deliver_task() -> DeliveryReport:
    rt = _runtime()
    try:
        return deliver(rt.store, rt.sinks)
    finally:
        rt.close()


def _publish(outcomes: list[CheckOutcome]) -> None:
    rows = [{"url": o.url, "kind": o.kind, "status": o.status, "version": o.version,
             "significance": o.significance or "", "summary": o.summary or o.error or ""}
            for o in outcomes if o.status not in ("unchanged", "not_modified")]
    if rows:
        create_table_artifact(key="onrecord-changes", table=rows,
                              description="What changed in this run")
    for o in outcomes:
        if o.significance == "substantive":
            create_markdown_artifact(key="onrecord-edit", markdown=(
                f"### Edited: {o.title}\n\n<{o.url}>\n\n{o.summary}\n"))
        for q in o.quotes:
            if q.verdict in ("misquote", "stale"):
                create_markdown_artifact(key="onrecord-quote", markdown=(
                    f"### {q.verdict} ({q.severity})\n\n> {q.quote}\n\n"
                    + "\n".join(f"- {r}" for r in q.reasons)))


@flow(name="monitor")
def monitor(config_path: str) -> list[SourceReport]:
    """A pass over every configured source, then alert delivery."""
    config = load_config(config_path)
    # Statements first: coverage is checked against the statements stored by then.
    reports: list[SourceReport] = []
    for kind in (STATEMENT, COVERAGE):
        batch = [s for s in config.sources if s.kind == kind]
        if batch:
            reports.extend(f.result() for f in check_source_task.map(batch))
    _publish([o for r in reports for o in r.outcomes])
    deliver_task()
    return reports


@flow(name="check-statement")
def check_statement(url: str) -> CheckOutcome:
    """Manual trigger: fetch and version one statement now, compare, alert."""
    outcome = check_url_task(url, STATEMENT)
    _publish([outcome])
    deliver_task()
    return outcome


@flow(name="check-coverage")
def check_coverage(url: str) -> CheckOutcome:
    """Check one article's quotes now."""
    outcome = check_url_task(url, COVERAGE)
    _publish([outcome])
    deliver_task()
    return outcome


@flow(name="deliver-alerts")
def deliver_alerts() -> DeliveryReport:
    """Drain the alert outbox."""
    return deliver_task()
