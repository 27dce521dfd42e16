"""One monitor pass over N local statements with 10% silently edited, three ways, same run.

    python bench/flows_monitor.py [--count 500] [--hosts 10] [--rounds 3]

1. plain: the pass as plain function calls (the same per-host batches, no Prefect);
2. serve: the `monitor/statements` deployment triggered through the API of a real
   `prefect server start`, run by a live `onrecord serve` (its own subprocess per run);
3. urlwatch 2.29 over the same URLs (`pip install urlwatch==2.29`), as a subprocess.

Each tool first takes a baseline pass; then each round edits 10% of the pages and every
tool makes one measured pass. Reported: medians of wall times, and Prefect's share of the
serve pass (flow-run wall time minus the plain pass), with the time from the trigger to
Running (serve's poll, then a fresh process per run) shown apart. Everything is on
loopback. Politeness is the same for plain and serve: at most WORKERS_PER_HOST requests at
once per host and no delay between them (urlwatch has none).

The design measured: one untagged task per host (no per-task concurrency-slot calls), the
pass holding each host's `host:<name>` limit once, one Markdown artifact per kind, and the
lease released while artifacts and delivery run. Figures: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.flows_site import BenchSite  # noqa: E402
from tests.prefect_server_min import start_serve, start_server  # noqa: E402

URLWATCH_CONFIG = """display:
  new: true
  error: true
  unchanged: false
report:
  text:
    details: true
  stdout:
    enabled: true
    color: false
"""


def plain_pass(config_path: Path, db: str) -> tuple[float, dict[str, int]]:
    """The same pass as the monitor flow, as plain calls: host batches on a thread pool."""
    from alerts.console import ConsoleSink
    from alerts.deliver import deliver
    from flows.pipeline import Pipeline, Runtime, group_by_host, host_limiter
    from flows.prefect_flows import HOST_TASKS_AT_ONCE, WORKERS_PER_HOST
    from flows.settings import Settings
    from sources.config import load_config
    from sources.fetch import Fetcher
    from store import Store

    start = time.perf_counter()
    sources = load_config(config_path).sources
    limiter = host_limiter(Settings.from_env())  # the same politeness as the served flow
    rt = Runtime(Store(db), Fetcher(allow_private=True, limiter=limiter),
                 {"console": ConsoleSink(io.StringIO())})
    try:
        groups = group_by_host(sources)
        with ThreadPoolExecutor(min(HOST_TASKS_AT_ONCE, len(groups))) as pool:
            reports = [r for batch in pool.map(
                lambda b: Pipeline(rt).run_sources(b, workers=WORKERS_PER_HOST), groups.values())
                for r in batch]
        deliver(rt.store, rt.sinks)
    finally:
        rt.close()
    counts: dict[str, int] = {}
    for r in reports:
        for o in r.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
    return time.perf_counter() - start, counts


def urlwatch_pass(workdir: Path) -> float:
    exe = shutil.which("urlwatch") or str(Path(sys.executable).with_name("urlwatch"))
    start = time.perf_counter()
    result = subprocess.run(
        [exe, "--urls", str(workdir / "urls.yaml"), "--config", str(workdir / "urlwatch.yaml"),
         "--cache", str(workdir / "cache.db"), "--hooks", str(workdir / "hooks.py")],
        capture_output=True, text=True, env={**os.environ, "HOME": str(workdir)}, timeout=300)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError("urlwatch failed: " + result.stderr[-2000:])
    return elapsed


def serve_pass(api: str) -> dict[str, float]:
    """Trigger monitor/statements and wait; times from the trigger and from Prefect's record."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        start = time.perf_counter()
        run = run_deployment("monitor/statements", timeout=600, poll_interval=0.2)
        trigger_to_done = time.perf_counter() - start
        if not run.state.is_completed():
            raise RuntimeError(f"monitor run ended {run.state}")

        async def details() -> tuple:
            async with get_client() as client:
                flow_run = await client.read_flow_run(run.id)
                tasks = await client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
                return flow_run, tasks

        flow_run, tasks = asyncio.run(details())
    hosts = [t for t in tasks if t.name.startswith("check ")]
    first, last = min(t.start_time for t in hosts), max(t.end_time for t in hosts)
    return {
        "trigger_to_done": trigger_to_done,
        "flow_run": (flow_run.end_time - flow_run.start_time).total_seconds(),
        "wait_to_start": (flow_run.start_time - flow_run.expected_start_time).total_seconds(),
        "before_tasks": (first - flow_run.start_time).total_seconds(),
        "host_tasks": (last - first).total_seconds(),
        "after_tasks": (flow_run.end_time - last).total_seconds(),
        "tasks": len(tasks),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    os.environ["ONRECORD_ALLOW_PRIVATE_URLS"] = "1"
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
    # Politeness as in production minus the delay between requests (urlwatch has none, and
    # 127.0.0.2-10 are not exempt as 127.0.0.1 is): at most WORKERS_PER_HOST requests at
    # once per host, for plain and serve alike (serve's subprocess inherits this env).
    from flows.prefect_flows import WORKERS_PER_HOST

    os.environ["ONRECORD_HOST_DELAY"] = "0"
    os.environ["ONRECORD_HOST_CONCURRENCY"] = str(WORKERS_PER_HOST)
    workdir = Path(tempfile.mkdtemp(prefix="onrecord-bench-flows-"))
    site = BenchSite(args.count, args.hosts)
    config = workdir / "sources.toml"
    config.write_text(site.sources_toml())
    (workdir / "urls.yaml").write_text(site.urlwatch_yaml())
    (workdir / "urlwatch.yaml").write_text(URLWATCH_CONFIG)
    (workdir / "prefect-home").mkdir()
    (workdir / "serve-home").mkdir()
    print(f"{args.count} statements on {args.hosts} loopback hosts; work dir {workdir}")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    server, api = start_server(workdir / "prefect-home")
    serve = start_serve(workdir / "serve-home", api, config,
                        {"ONRECORD_DATABASE_URL": f"sqlite:///{workdir / 'serve.sqlite'}"},
                        workdir / "serve.log", poll=1.0)
    rows: list[dict[str, float]] = []
    try:
        _wait_deployment(api, serve)
        plain_db = f"sqlite:///{workdir / 'plain.sqlite'}"
        t, counts = plain_pass(config, plain_db)
        print(f"baseline: plain {t:.2f} s {counts}", flush=True)
        s = serve_pass(api)
        print(f"baseline: serve {s['flow_run']:.2f} s (flow run)", flush=True)
        print(f"baseline: urlwatch {urlwatch_pass(workdir):.2f} s", flush=True)
        for round_ in range(args.rounds):
            edited = site.edit(args.share, seed=round_)
            plain, counts = plain_pass(config, plain_db)
            s = serve_pass(api)
            uw = urlwatch_pass(workdir)
            rows.append({"plain": plain, "urlwatch": uw, **s})
            print(f"round {round_ + 1}: {len(edited)} edited; plain {plain:.2f} s {counts}; "
                  f"serve flow run {s['flow_run']:.2f} s (before tasks {s['before_tasks']:.2f}, host tasks "
                  f"{s['host_tasks']:.2f}, after {s['after_tasks']:.2f} s, "
                  f"{s['tasks']:.0f} task runs; trigger to done {s['trigger_to_done']:.2f} s, of which "
                  f"to Running {s['wait_to_start']:.2f} s); "
                  f"urlwatch {uw:.2f} s", flush=True)
    finally:
        serve.stop()
        server.stop()
        site.close()
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    share = med["flow_run"] - med["plain"]
    print("\nmedians over", len(rows), "rounds:")
    print(f"  urlwatch 2.29                      {med['urlwatch']:6.2f} s")
    print(f"  plain function calls               {med['plain']:6.2f} s")
    print(f"  monitor flow run in onrecord serve {med['flow_run']:6.2f} s "
          f"= {med['flow_run'] / med['urlwatch']:.2f}x urlwatch (goal: within 2x)")
    print(f"    of which Prefect (run - plain)   {share:6.2f} s "
          f"({share / med['flow_run']:.0%}: host lease, task runs, artifacts, delivery task)")
    print(f"    before host tasks                {med['before_tasks']:6.2f} s "
          "(config, store, host lease)")
    print(f"    host tasks, first start to last end {med['host_tasks']:6.2f} s")
    print(f"    after host tasks                 {med['after_tasks']:6.2f} s "
          "(lease release, artifacts, delivery)")
    print(f"  trigger to Completed               {med['trigger_to_done']:6.2f} s "
          f"= {med['trigger_to_done'] / med['urlwatch']:.2f}x urlwatch; of which trigger to "
          f"Running {med['wait_to_start']:.2f} s (serve's poll, 1 s here; a new process: "
          "Python, `import prefect`, the flow module, engine set-up)")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _wait_deployment(api: str, serve, timeout: float = 90) -> None:  # noqa: ANN001
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def ready() -> bool:
        with temporary_settings({PREFECT_API_URL: api}):
            async with get_client() as client:
                try:
                    await client.read_deployment_by_name("monitor/statements")
                    return True
                except Exception:  # noqa: BLE001 - not registered yet
                    return False

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if serve.proc.poll() is not None:
            raise RuntimeError("onrecord serve exited:\n" + serve.tail())
        if asyncio.run(ready()):
            return
        time.sleep(0.5)
    raise RuntimeError("deployment never appeared:\n" + serve.tail())


if __name__ == "__main__":
    raise SystemExit(main())
