"""Prefect flows: thin orchestration over flows.pipeline (schedules, retries, observability).

Task granularity is one task per host, not one per URL. Prefect pays tens of milliseconds
per task run while a check costs a few milliseconds; a host batch also makes per-host
politeness a property of one task (a small thread pool inside it, and the fetcher's
per-host limiter). Host tasks are untagged: in Prefect 3.8 a tagged task calls the API to
acquire, lease and release a slot of its tags' limits, measured at 2-2.6 s a task on a
busy server. Across runs, the pass holds each host's `host:<name>` limit once.

Timeouts are cooperative: tasks are sync and run in worker threads, where Prefect's
`timeout_seconds` cannot interrupt a blocked socket (and warns loudly). Each request is
bounded by the fetcher's connect/read timeouts, and each host batch by a time budget after
which it starts no new work and reports the rest as not checked.
"""

from __future__ import annotations

import atexit
import contextvars
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.futures import PrefectFuture
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import Task, exponential_backoff

from alerts.deliver import DeliveryReport, deliver
from alerts.escape import markdown, md_link, visible
from alerts.message import change_link
from compare.vocab import ClaimVerdict, Verdict
from flows.pipeline import (
    ERROR,
    CheckOutcome,
    CheckReport,
    ClaimResult,
    PassReport,
    Pipeline,
    QuoteResult,
    Runtime,
    SourceReport,
    group_by_host,
)
from flows.settings import Settings
from sources.config import Source, load_config
from sources.document import COVERAGE, STATEMENT

WORKERS_PER_HOST = 4       # concurrent requests to one host within a pass
HOST_BUDGET_SECONDS = 480  # a host batch starts no new work after this (monitor runs every 10 min)
HOST_TASKS_AT_ONCE = 16    # host batches running in parallel in one flow run

# -- one runtime per process ------------------------------------------------------------

_RUNTIMES: dict[Settings, Runtime] = {}
_RUNTIMES_LOCK = threading.Lock()


def shared_runtime() -> Runtime:
    """The process's Runtime for the current settings, opened once.

    Tasks of one flow run share it: opening the store migrates its schema, which several
    threads must not do at once on SQLite, and one connection pool and one HTTP session
    serve every host batch. Flow runs from `serve` or a worker each get their own process.
    """
    settings = Settings.from_env()
    with _RUNTIMES_LOCK:
        runtime = _RUNTIMES.get(settings)
        if runtime is None:
            runtime = _RUNTIMES[settings] = Runtime.from_settings(settings)
        return runtime


@atexit.register
def close_runtimes() -> None:
    """Close every shared runtime (at exit, or between tests)."""
    with _RUNTIMES_LOCK:
        for runtime in _RUNTIMES.values():
            runtime.close()
        _RUNTIMES.clear()


# -- failures ---------------------------------------------------------------------------

class SourcesFailed(Exception):
    """Some sources of a host batch failed; carries every report so the flow can use them."""

    def __init__(self, host: str, reports: list[SourceReport]) -> None:
        failed = [r for r in reports if r.failed]
        names = ", ".join(r.source for r in failed[:5]) + (" ..." if len(failed) > 5 else "")
        super().__init__(f"{host}: {len(failed)} of {len(reports)} source(s) failed: {names}")
        self.host = host
        self.reports = reports

    def __reduce__(self):  # noqa: ANN204 - keep it picklable for result persistence
        return (type(self), (self.host, self.reports))


class CheckFailed(Exception):
    """A single-URL check failed; carries the outcome."""

    def __init__(self, outcome: CheckOutcome) -> None:
        super().__init__(f"{outcome.url}: {outcome.error}")
        self.outcome = outcome

    def __reduce__(self):  # noqa: ANN204
        return (type(self), (self.outcome,))


def retry_unexpected(task: Task, task_run: TaskRun, state: State) -> bool:
    """Retry crashes (store unavailable, a bug), not failures already reported per page.

    The fetcher retried 429/5xx and connection errors with backoff before a page was
    reported as failed; the next scheduled pass is its next retry. Re-running a whole
    host batch for one 404 would only repeat every other request.
    """
    return not isinstance(state.data, SourcesFailed | CheckFailed)


# -- tasks ------------------------------------------------------------------------------

# No tags on the host task: Prefect makes a tagged task call the API to acquire (and lease,
# renew and release) a slot of each tag's limit, serialised per tag set, which measured
# 2-2.6 s per task on a busy server even when the tag has no limit. The pass holds its
# hosts' limits once instead (`holding_hosts`).
@task(name="check-host", retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=5),
      retry_jitter_factor=0.5, retry_condition_fn=retry_unexpected, cache_policy=NO_CACHE,
      task_run_name="check {host} ({kind})")
def check_host_task(host: str, kind: str, sources: list[Source],
                    workers: int = WORKERS_PER_HOST,
                    budget_seconds: float = HOST_BUDGET_SECONDS) -> list[SourceReport]:
    """Discover and check every source of one host; Failed if any of them failed."""
    deadline = time.monotonic() + budget_seconds
    reports = Pipeline(shared_runtime()).run_sources(sources, workers=workers, deadline=deadline)
    if any(r.failed for r in reports):
        raise SourcesFailed(host, reports)
    return reports


@task(name="check-url", retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=2),
      retry_jitter_factor=0.5, retry_condition_fn=retry_unexpected, cache_policy=NO_CACHE,
      task_run_name="check {kind} {url}")
def check_url_task(url: str, kind: str) -> CheckOutcome:
    """Fetch, version and compare one URL now; Failed if the page could not be checked."""
    outcome = Pipeline(shared_runtime()).check_url(url, kind)
    if outcome.status == ERROR:
        raise CheckFailed(outcome)
    return outcome


@task(name="deliver-alerts", retries=2, retry_delay_seconds=10, cache_policy=NO_CACHE)
def deliver_task() -> DeliveryReport:
    """Send due alerts from the outbox (the outbox itself retries failed sends later)."""
    runtime = shared_runtime()
    report = deliver(runtime.store, runtime.sinks)
    report_delivery(report)
    return report


def report_delivery(report: DeliveryReport) -> None:
    """Every delivery problem, on every run until fixed: a log line each (an error while a
    channel is stopped or failed alerts wait) and a Markdown artifact `onrecord-delivery`."""
    logger = get_run_logger()
    for line in report.problems:
        (logger.warning if report.ok else logger.error)("alert delivery: %s", line)
    if not report.problems:
        return
    try:
        create_markdown_artifact(
            key="onrecord-delivery",
            description="Alert delivery problems: stopped channels, failed or waiting alerts",
            markdown="\n".join([f"**sent {report.sent}, retrying {report.retrying}, "
                                 f"failed {report.failed}**", ""]
                                + [f"- {markdown(line)}" for line in report.problems]))
    except Exception as exc:  # noqa: BLE001 - observability must not lose a pass
        logger.warning("could not publish the delivery artifact: %s", exc)


# -- artifacts --------------------------------------------------------------------------

def _quote_md(text: str) -> str:
    # Scraped text: every line escaped (alerts.escape.markdown), so no image, link, raw
    # HTML or formatting in it is live in the Prefect UI.
    return "\n".join("> " + markdown(line)
                     for line in (text or "(nothing)").splitlines() or [""])


def _change_markdown(outcome: CheckOutcome) -> str:
    """A Markdown diff of the latest change of a document, from the store."""
    lines = [f"### Edited: {markdown(outcome.title or outcome.url)}", "",
             f"{md_link(outcome.url)} — version {outcome.version}, "
             f"**{markdown(str(outcome.significance))}**", "",
             markdown(outcome.summary or ""), ""]
    link = change_link(Settings.from_env().report_base, outcome.url, outcome.version)
    if link:
        lines += [f"Full diff: {md_link(link)}", ""]
    changes = shared_runtime().store.changes(outcome.url)
    diff = changes[-1].diff if changes else {}
    for change in diff.get("changes", []):
        if change.get("significance") == "cosmetic":
            continue
        lines += [f"**{markdown(str(change.get('op')))}** "
                  f"({markdown(str(change.get('significance')))})", ""]
        if change.get("old"):
            lines += ["before:", "", _quote_md(change["old"]), ""]
        if change.get("new"):
            lines += ["after:", "", _quote_md(change["new"]), ""]
        lines += [f"- {markdown(str(r))}" for r in change.get("reasons", [])] + [""]
    return "\n".join(lines)


_QUOTE_HEADING = {Verdict.MISQUOTE: "Misquote", Verdict.STALE: "Stale quote"}


def _quote_section(q: QuoteResult) -> str:
    """A misquote or stale quote as Markdown: its kind said plainly, the quote, the reasons.

    A stale quote has no severity (it matched an older version exactly), so none is shown.
    """
    verdict = Verdict(q.verdict)
    heading = _QUOTE_HEADING.get(verdict, verdict.value.capitalize())
    if verdict is Verdict.MISQUOTE:
        heading += f" ({q.severity})"
    return (f"### {heading} in {md_link(q.article_url)}\n\n{_quote_md(q.quote)}\n\n"
            + "\n".join(f"- {markdown(r)}" for r in q.reasons) + _article_page(q.article_url))


def _article_page(article_url: str) -> str:
    """A link to the article's page on the web site (its quotes and claims beside the
    statement text they match), when a report base is configured."""
    link = change_link(Settings.from_env().report_base, article_url)
    return f"\n\nQuotes and claims checked: {md_link(link)}" if link else ""


def _claim_section(c: ClaimResult) -> str:
    """A drifted reported claim as Markdown: kind and severity, the article's words beside
    the statement's, the reasons; every scraped string escaped (alerts.escape.markdown)."""
    kind = f" ({markdown(str(c.kind))}, {markdown(str(c.severity))})" if c.kind else ""
    return (f"### Drifted claim{kind} in {md_link(c.article_url)}\n\n"
            f"reported:\n\n{_quote_md(c.claim)}\n\n"
            f"statement ({md_link(c.source) if c.source else 'none'}):\n\n"
            f"{_quote_md(c.matched)}\n\n"
            + "\n".join(f"- {markdown(r)}" for r in c.reasons) + _article_page(c.article_url))


ARTIFACT_SECTIONS = 100  # edits (or quotes) shown in full in one run's Markdown artifact


def publish(outcomes: Iterable[CheckOutcome], reports: Iterable[SourceReport] = ()) -> int:
    """Artifacts for a run: a table of what changed or failed, and one Markdown artifact with
    the diff of every substantive edit (key `onrecord-edit`), one with every misquote or
    stale quote (`onrecord-quote`), one with every drifted reported claim (`onrecord-claim`).

    At most four API calls a run, whatever the number of edits: one artifact per edit cost
    a call each (1.4-3.3 s for 50 edits). Past ARTIFACT_SECTIONS the Markdown says how many
    more there are; the table lists them all. Returns how many rows the table had.
    Artifact creation never fails a run.
    """
    outcomes = list(outcomes)
    # Table cells are shown as text by the UI, not as Markdown: controls made visible.
    rows = [{"url": visible(o.url), "kind": o.kind, "status": o.status, "version": o.version,
             "significance": o.significance or "",
             "summary": visible(o.summary or o.error or "")}
            for o in outcomes if o.status not in ("unchanged", "not_modified")]
    rows += [{"url": "", "kind": "source", "status": "error", "version": None,
              "significance": "", "summary": visible(f"{r.source}: {r.error}")}
             for r in reports if r.error]
    edits = [o for o in outcomes if o.significance == "substantive"]
    quotes = [q for o in outcomes for q in o.quotes if Verdict(q.verdict).alerted]
    # Every drift is listed, minor ones too: the artifact is where a run is reviewed, and
    # only a major drift is alerted (alerts.compose.claim_alert_due).
    drifted = [c for o in outcomes for c in o.claims if c.verdict is ClaimVerdict.DRIFT]
    try:
        if rows:
            create_table_artifact(key="onrecord-changes", table=rows,
                                  description="What changed (or failed) in this run")
        if edits:
            create_markdown_artifact(
                key="onrecord-edit", description=_count(len(edits), "substantive edit"),
                markdown=_sections([_change_markdown(o) for o in edits[:ARTIFACT_SECTIONS]],
                                   len(edits)))
        if quotes:
            create_markdown_artifact(
                key="onrecord-quote", description=_count(len(quotes), "misquoted or stale quote"),
                markdown=_sections([_quote_section(q) for q in quotes[:ARTIFACT_SECTIONS]],
                                   len(quotes)))
        if drifted:
            create_markdown_artifact(
                key="onrecord-claim", description=_count(len(drifted), "drifted reported claim"),
                markdown=_sections([_claim_section(c) for c in drifted[:ARTIFACT_SECTIONS]],
                                   len(drifted)))
    except Exception as exc:  # noqa: BLE001 - observability must not lose a pass
        get_run_logger().warning("could not publish artifacts: %s", exc)
    return len(rows)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _sections(parts: list[str], total: int) -> str:
    more = total - len(parts)
    tail = [f"… and {more} more: see the onrecord-changes table."] if more > 0 else []
    return "\n\n---\n\n".join(parts + tail)


# -- flows ------------------------------------------------------------------------------

def _reports_of(submitted: list[tuple[PrefectFuture, list[Source]]]) -> list[SourceReport]:
    """Reports from host tasks, whether they completed or failed (a failed host still reports)."""
    reports: list[SourceReport] = []
    for future, sources in submitted:
        future.wait()
        state = future.state
        result = state.result(raise_on_failure=False)
        if isinstance(result, SourcesFailed):
            reports.extend(result.reports)
        elif isinstance(result, BaseException):
            # A crash after retries: every source of that host is reported failed.
            reports.extend(SourceReport(s.name, error=f"task crashed: {result}") for s in sources)
        else:
            reports.extend(result)
    return reports


def host_limit_names(hosts: Iterable[str]) -> list[str]:
    """The concurrency-limit names that guard hosts across runs (`host:<name>` tag limits)."""
    return [f"tag:host:{host}" for host in sorted(set(hosts))]


@contextmanager
def holding_hosts(hosts: Iterable[str], timeout_seconds: float = HOST_BUDGET_SECONDS
                  ) -> Iterator[None]:
    """Hold one slot of every existing `host:<name>` limit for the hosts of a pass.

    One acquisition (one API call, one lease, one release) for the whole pass, in the flow,
    instead of one per host task: Prefect's tag limits on tasks cost each task an
    acquire call, a lease-renewal thread and a release call (about 4 s a task against a
    busy server, measured with py-spy). Hosts without a limit cost nothing; with none at
    all there is no lease. Slots are taken together, so two overlapping passes over a
    shared host run one after the other; a pass that cannot get them in
    `timeout_seconds` fails rather than reads a host another run is reading.
    """
    try:  # Prefect 3.8's engine-side variant: no warning when none of the limits exists
        from prefect.concurrency._sync import concurrency
        quiet: dict = {"suppress_warnings": True}
    except ImportError:  # pragma: no cover - other Prefect versions
        from prefect.concurrency.sync import concurrency
        quiet = {}
    from prefect.client.schemas.objects import ConcurrencyLeaseHolder
    from prefect.context import FlowRunContext

    names = host_limit_names(hosts)
    if not names:
        yield
        return
    ctx = FlowRunContext.get()
    holder = (ConcurrencyLeaseHolder(type="flow_run", id=ctx.flow_run.id)
              if ctx and ctx.flow_run else None)
    with concurrency(names, occupy=1, timeout_seconds=timeout_seconds, lease_duration=300,
                     strict=False, holder=holder, **quiet):
        yield


def run_pass(sources: Iterable[Source], *, workers: int = WORKERS_PER_HOST,
             budget_seconds: float = HOST_BUDGET_SECONDS,
             hold_hosts: bool = True) -> list[SourceReport]:
    """Statements, then coverage (checked against statements stored by then), host by host.

    Host tasks carry no `host:` tag (a tagged task would take its own slot, and with the
    pass already holding it, wait forever): the pass holds the hosts (`holding_hosts`),
    unless `hold_hosts` is False because the caller holds them.
    """
    sources = list(sources)
    reports: list[SourceReport] = []
    with holding_hosts(s.host_key for s in sources) if hold_hosts else nullcontext():
        for kind in (STATEMENT, COVERAGE):
            submitted = []
            for host, batch in group_by_host(s for s in sources if s.kind == kind).items():
                future = check_host_task.submit(host, kind, batch, workers, budget_seconds)
                submitted.append((future, batch))
            reports.extend(_reports_of(submitted))
    order = {s.name: i for i, s in enumerate(sources)}
    return sorted(reports, key=lambda r: order.get(r.source, len(order)))


@flow(name="monitor",
      task_runner=ThreadPoolTaskRunner(max_workers=HOST_TASKS_AT_ONCE))
def monitor(config_path: str | None = None, kind: str | None = None,
            workers_per_host: int = WORKERS_PER_HOST) -> PassReport:
    """A pass over the configured sources (all, or one `kind`), then alert delivery.

    `config_path` defaults to $ONRECORD_CONFIG, then ./sources.toml. The flow completes
    even when sources fail: their host tasks are Failed and the table artifact lists them.
    The delivery report is returned with the sources' reports, so the caller (`onrecord
    run`) can say what could not be delivered and exit non-zero, as `--plain` does.
    """
    import os

    config = load_config(config_path or os.environ.get("ONRECORD_CONFIG") or "sources.toml")
    sources = [s for s in config.sources if kind is None or s.kind == kind]
    shared_runtime()  # open (and migrate) the store once, before tasks share it
    with ThreadPoolExecutor(1) as side:
        with holding_hosts(s.host_key for s in sources):
            reports = run_pass(sources, workers=workers_per_host, hold_hosts=False)
            # Started before the hosts are let go, so that releasing them (an API call,
            # 0.2 to 2.7 s on a busy server) overlaps artifacts and delivery. Publishing
            # runs in a copy of this run's context, so the artifacts attach to the run.
            delivery = deliver_task.submit()
            publishing = side.submit(contextvars.copy_context().run, publish,
                                     [o for r in reports for o in r.outcomes], reports)
        publishing.result()
    # A delivery task that failed after its retries fails the run.
    delivered: DeliveryReport = delivery.result()
    failed = [r.source for r in reports if r.failed]
    if failed:
        get_run_logger().warning("%d of %d sources failed: %s", len(failed), len(reports),
                                 ", ".join(failed[:20]))
    return PassReport(tuple(reports), delivered)


def _check_one(url: str, kind: str) -> CheckReport:
    future = check_url_task.with_options(tags=["onrecord", "manual"]).submit(url, kind)
    future.wait()
    result = future.state.result(raise_on_failure=False)
    if isinstance(result, CheckFailed):
        outcome = result.outcome
    elif isinstance(result, BaseException):
        outcome = CheckOutcome(url, kind, ERROR, error=f"task crashed: {result}")
    else:
        outcome = result
    publish([outcome])
    # Returned with the outcome so that `onrecord check` says what could not be delivered
    # and exits non-zero, as `onrecord run` and `--plain` do.
    return CheckReport(outcome, deliver_task())


@flow(name="check-statement")
def check_statement(url: str) -> CheckReport:
    """Manual trigger: fetch and version one statement now, compare, alert."""
    return _check_one(url, STATEMENT)


@flow(name="check-coverage")
def check_coverage(url: str) -> CheckReport:
    """Check one article's quotes and reported claims now against the stored statements."""
    return _check_one(url, COVERAGE)


@flow(name="deliver-alerts")
def deliver_alerts() -> DeliveryReport:
    """Drain the alert outbox."""
    return deliver_task()
