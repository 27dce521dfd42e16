"""Flow building blocks as plain functions: host batches, budgets, failures, deployments."""

from __future__ import annotations

import io
import pickle
import time
from pathlib import Path

import pytest

from alerts.console import ConsoleSink
from flows.pipeline import ERROR, Pipeline, Runtime, SourceReport, group_by_host
from sources.config import parse_config
from sources.fetch import Fetcher
from store import Store
from tests.httpfixture import LocalServer, Response

PAGE = ("<html><head><title>{t}</title></head><body><article><h1>{t}</h1>"
        "<p>The Minister announced $80 million in new assistance for the region today.</p>"
        "<p>The assistance will provide food and shelter to displaced families.</p>"
        "</article></body></html>")


@pytest.fixture
def runtime(tmp_path: Path):
    rt = Runtime(Store(f"sqlite:///{tmp_path / 's.sqlite'}"),
                 Fetcher(allow_private=True, backoff=0.01, retries=0),
                 {"console": ConsoleSink(io.StringIO())})
    yield rt
    rt.close()


def _config(server: LocalServer):  # noqa: ANN202
    return parse_config({"source": [
        {"name": "a", "kind": "statement", "urls": [server.url("/1"), server.url("/2")]},
        {"name": "b", "kind": "statement", "urls": [server.url("/2"), server.url("/3")]},
        {"name": "broken", "kind": "statement", "feed": server.url("/missing.xml")},
        {"name": "other", "kind": "coverage", "urls": ["http://127.0.0.2:9/x"]},
    ]})


def test_group_by_host_keeps_config_order(server: LocalServer) -> None:
    groups = group_by_host(_config(server).sources)
    assert list(groups) == ["127.0.0.1", "127.0.0.2"]
    assert [s.name for s in groups["127.0.0.1"]] == ["a", "b", "broken"]


def test_run_sources_checks_a_shared_url_once_and_reports_in_order(
        server: LocalServer, runtime: Runtime) -> None:
    for i in (1, 2, 3):
        server.routes[f"/{i}"] = Response(PAGE.format(t=f"Statement {i}"))
    sources = group_by_host(_config(server).sources)["127.0.0.1"]
    reports = Pipeline(runtime).run_sources(sources, workers=3)
    assert [r.source for r in reports] == ["a", "b", "broken"]
    assert [o.status for o in reports[0].outcomes] == ["new", "new"]
    assert reports[1].outcomes[0] is reports[0].outcomes[1]  # /2 fetched once for both
    assert reports[2].failed and "404" in (reports[2].error or "")
    assert sum(r.path.startswith("/2") for r in server.requests) == 1


def test_run_sources_budget_reports_unstarted_work(server: LocalServer, runtime: Runtime) -> None:
    server.routes["/1"] = Response(PAGE.format(t="Slow"), delay=0.3)
    server.routes["/2"] = Response(PAGE.format(t="Never"))
    sources = parse_config({"source": [
        {"name": "s", "kind": "statement", "urls": [server.url("/1"), server.url("/2")]}]}).sources
    reports = Pipeline(runtime).run_sources(sources, workers=1,
                                            deadline=time.monotonic() + 0.1)
    statuses = [(o.status, o.error) for o in reports[0].outcomes]
    assert statuses[0][0] == "new"  # started before the budget ran out, so it finished
    assert statuses[1] == (ERROR, "not checked: the time budget ran out")
    assert not any(r.path == "/2" for r in server.requests)


def test_failures_pickle_and_are_not_retried() -> None:
    from prefect.states import Failed

    from flows.prefect_flows import CheckFailed, SourcesFailed, retry_unexpected

    reports = [SourceReport("ok"), SourceReport("bad", error="HTTP 404")]
    exc = pickle.loads(pickle.dumps(SourcesFailed("example.org", reports)))
    assert exc.reports == reports and "1 of 2 source(s) failed: bad" in str(exc)
    assert not retry_unexpected(None, None, Failed(data=exc))  # type: ignore[arg-type]
    assert retry_unexpected(None, None, Failed(data=RuntimeError("database is locked")))  # type: ignore[arg-type]
    from flows.pipeline import CheckOutcome

    failed = CheckFailed(CheckOutcome("http://x/", "statement", ERROR, error="HTTP 500"))
    assert not retry_unexpected(None, None, Failed(data=failed))  # type: ignore[arg-type]


def test_check_host_task_fails_but_carries_reports(server: LocalServer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.logging import disable_run_logger

    from flows.prefect_flows import SourcesFailed, check_host_task, close_runtimes

    monkeypatch.setenv("ONRECORD_DATABASE_URL", f"sqlite:///{tmp_path / 't.sqlite'}")
    for key in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(key, raising=False)
    server.routes["/1"] = server.routes["/2"] = server.routes["/3"] = Response(PAGE.format(t="x"))
    sources = group_by_host(_config(server).sources)["127.0.0.1"]
    try:
        with disable_run_logger(), pytest.raises(SourcesFailed) as info:
            check_host_task.fn("127.0.0.1", "statement", sources)
        assert [r.source for r in info.value.reports] == ["a", "b", "broken"]
        ok = check_host_task.fn("127.0.0.1", "statement", sources[:2])
        assert [o.status for o in ok[0].outcomes] == ["unchanged", "unchanged"]
    finally:
        close_runtimes()


def test_a_pass_holds_its_hosts_once_and_tasks_take_no_host_slot(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cross-run politeness: one acquisition of every host's limit for the whole pass."""
    from contextlib import contextmanager

    import prefect.concurrency._sync as sync

    from flows.prefect_flows import check_host_task, holding_hosts

    calls = []

    @contextmanager
    def fake(names, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append((names, kwargs))
        yield

    monkeypatch.setattr(sync, "concurrency", fake)
    with holding_hosts(["b.example", "a.example", "b.example"]):
        pass
    with holding_hosts([]):
        pass
    assert [c[0] for c in calls] == [["tag:host:a.example", "tag:host:b.example"]]
    assert calls[0][1]["occupy"] == 1 and calls[0][1]["suppress_warnings"]
    # A task tagged host:<name> would wait for the slot its own pass holds; any tag costs
    # an API call per task.
    assert not check_host_task.tags


def test_deployments_match_prefect_yaml(tmp_path: Path) -> None:
    import yaml

    from flows.serve import DEPLOYMENTS, build_deployments

    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nname = "x"\nurls = ["https://example.org/"]\n')
    built = build_deployments(config)
    assert [(d.flow_name, d.name) for d in built] == list(DEPLOYMENTS)
    by_name = {d.name: d for d in built}
    assert by_name["statements"].parameters == {"config_path": str(config), "kind": "statement"}
    assert by_name["statements"].schedules[0].schedule.interval.total_seconds() == 600
    assert by_name["coverage"].schedules[0].schedule.interval.total_seconds() == 1800
    assert not by_name["check-statement"].schedules

    spec = yaml.safe_load((Path(__file__).resolve().parents[1] / "deploy/prefect.yaml").read_text())
    names = [(d["entrypoint"].split(":")[1], d["name"]) for d in spec["deployments"]]
    functions = {"monitor": "monitor", "check-statement": "check_statement",
                 "check-coverage": "check_coverage", "deliver-alerts": "deliver_alerts"}
    assert names == [(functions[f], n) for f, n in DEPLOYMENTS]
    assert all(d["work_pool"]["name"] == "onrecord" for d in spec["deployments"])
    # Scheduled deployments run one at a time, a run due meanwhile cancelled (not queued),
    # in serve and in prefect.yaml alike.
    yaml_limits = {d["name"]: d.get("concurrency_limit") for d in spec["deployments"]}
    for d in built:
        if d.schedules:
            assert d.concurrency_limit == 1
            assert d.concurrency_options.collision_strategy.value == "CANCEL_NEW"
            assert yaml_limits[d.name] == {"limit": 1, "collision_strategy": "CANCEL_NEW"}
        else:
            assert d.concurrency_limit is None and yaml_limits[d.name] is None


def test_serve_help_and_bad_config_exit_2(tmp_path: Path) -> None:
    from tests.test_cli import onrecord

    assert "usage: onrecord serve" in onrecord("serve", "--help").stdout
    result = onrecord("serve", "--config", str(tmp_path / "none.toml"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
