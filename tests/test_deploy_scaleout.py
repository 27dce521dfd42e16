"""Scale-out end to end (issue 8), as far as one machine allows: deploy/README.md, step by step.

Two fresh PostgreSQL databases, Prefect's and the onrecord store (left empty: the first runs,
on both workers at once, create its schema). `prefect server start` on the first (it migrates
its schema at start); `prefect work-pool create onrecord --type process` and `prefect deploy
--all --prefect-file deploy/prefect.yaml` through the real CLI. Then two "machines": two
`prefect worker start --pool onrecord` processes, each with its own PREFECT_HOME, working
directory, copy of the release (ONRECORD_HOME, which each worker fills into the deployments'
pull step at run time) and contact address, and the one store URL.

Manual `check-statement` runs for several loopback URLs are created through the API at once.
Every run must complete; both workers must have taken runs (the worker name Prefect puts on
each run, the User-Agent that reached the site, bytecode in each machine's release); each run
must have been started by exactly one worker; each page must be in the PostgreSQL store exactly
once. A second wave edits two pages: both edits are versioned and their alerts reach a fake
Slack exactly once each, though every run, on either worker, drains the one outbox.

Every process and both databases are cleaned up, also on failure. Without PostgreSQL the test is
skipped, unless ONRECORD_REQUIRE_POSTGRES=1 (CI), where it fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from store import Store
from tests.fake_slack_min import FakeSlack
from tests.httpfixture import LocalServer, Response
from tests.prefect_server_min import ROOT, Process, prefect_env, start_server
from tests.storefixtures import _admin_url, admin_connection

# What a worker machine holds of the release: the packages (deploy/prefect.yaml's entrypoints
# are flows/prefect_flows.py:..., relative to ONRECORD_HOME).
RELEASE = ("flows", "store", "sources", "compare", "alerts")
WORKERS = ("worker-a", "worker-b")
PAGES = 4

PAGE = """<html><head><title>{title}</title></head><body><nav>Home | About</nav>
<article><h1>{title}</h1>{body}</article><footer>Footer text of the site</footer></body></html>"""


def page(n: int, amount: str = "$80") -> str:
    paras = (f"Statement {n}: the Secretary announced {amount} million in new humanitarian "
             "assistance for the region today.",
             f"The assistance (package {n}) will provide food, shelter and medical care to "
             "displaced families.",
             "The United States will not reduce its support while the crisis continues.")
    return PAGE.format(title=f"Assistance for the region, part {n}",
                       body="".join(f"<p>{p}</p>" for p in paras))


def _cli(args: list[str], env: dict[str, str], log: Path, timeout: float = 120,
         cwd: Path = ROOT) -> None:
    """A Prefect CLI command as an operator would type it; fails the test with its output."""
    with open(log, "ab") as out:
        out.write(f"\n$ prefect {' '.join(args)}\n".encode())
        out.flush()
        proc = subprocess.run([sys.executable, "-m", "prefect", *args], env=env, cwd=cwd,
                              stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"prefect {' '.join(args)} exited {proc.returncode}:\n"
                    + log.read_text(errors="replace")[-3000:])


def _databases(stack: ExitStack) -> tuple[str, str]:
    """Two fresh databases (Prefect's, the store), dropped when `stack` closes."""
    admin = _admin_url()
    conn = admin_connection()
    stack.callback(conn.close)
    tag = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
    names = []
    for role in ("prefect", "store"):
        name = f"onrecord_scale_{role}_{tag}"
        conn.execute(f'CREATE DATABASE "{name}"')
        stack.callback(conn.execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        names.append(name)
    # Test speed only: Prefect's migrations commit one by one (13 s instead of 23 s here).
    conn.execute(f'ALTER DATABASE "{names[0]}" SET synchronous_commit = off')
    url = make_url(admin)
    return (url.set(drivername="postgresql+asyncpg", database=names[0])
            .render_as_string(hide_password=False),
            url.set(drivername="postgresql", database=names[1]).render_as_string(hide_password=False))


def _client(api: str):  # noqa: ANN202
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        return get_client()


def _interrupt(procs: list[Process]) -> None:
    for proc in procs:
        if proc.proc.poll() is None:
            os.killpg(proc.proc.pid, signal.SIGINT)


def _tails(procs: dict[str, Process]) -> str:
    return "\n".join(f"--- {name}:\n{p.tail(2500)}" for name, p in procs.items())


def _wait_for_workers(api: str, workers: dict[str, Process], timeout: float = 60) -> None:
    """Until both workers have registered with the pool (so both poll before runs exist)."""
    async def online() -> set[str]:
        async with _client(api) as client:
            return {w.name for w in await client.read_workers_for_work_pool("onrecord")}

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in workers.items():
            if proc.proc.poll() is not None:
                pytest.fail(f"{name} exited:\n{proc.tail()}")
        if set(workers) <= asyncio.run(online()):
            return
        time.sleep(0.5)
    pytest.fail("workers never registered:\n" + _tails(workers))


def _run_all(api: str, urls: list[str], workers: dict[str, Process], timeout: float = 90) -> list:
    """Create a check-statement run per URL through the API, all at once; wait for all to end."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def go() -> list:
        async with _client(api) as client:
            deployment = await client.read_deployment_by_name("check-statement/check-statement")
            assert deployment.work_pool_name == "onrecord"
            runs = await asyncio.gather(*(client.create_flow_run_from_deployment(
                deployment.id, parameters={"url": url}) for url in urls))
            ids = [r.id for r in runs]
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                runs = await client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)))
                if len(runs) == len(ids) and all(r.state and r.state.is_final() for r in runs):
                    order = {i: n for n, i in enumerate(ids)}
                    return sorted(runs, key=lambda r: order[r.id])
                await asyncio.sleep(0.5)
            return []

    runs = asyncio.run(go())
    if not runs:
        pytest.fail("runs did not finish in time:\n" + _tails(workers))
    return runs


def test_two_workers_one_pool_prefect_and_store_on_postgres(tmp_path: Path) -> None:
    started = time.monotonic()
    marks: list[str] = []

    def mark(what: str) -> None:
        marks.append(f"{what} {time.monotonic() - started:.1f}s")

    with ExitStack() as stack:
        prefect_db, store_db = _databases(stack)
        stack.callback(mark, "stopped")  # runs after every process has stopped

        # 1. Shared services: the Prefect server on its PostgreSQL database (it migrates the
        # schema at start; `prefect server database upgrade -y` is the same, done by hand).
        server_home = tmp_path / "server-home"
        server_home.mkdir()
        server, api = start_server(
            server_home, timeout=180, env={"PREFECT_SERVER_DATABASE_CONNECTION_URL": prefect_db})
        stack.callback(server.stop)
        mark("server")

        # 2. Once, from a checkout: the work pool, then every deployment of deploy/prefect.yaml
        # (below, while the workers start). ONRECORD_HOME is unset here, so each worker
        # resolves the pull step from its own environment (deploy/README.md).
        deployer_home = tmp_path / "deployer-home"
        deployer_home.mkdir()
        deployer_env = prefect_env(deployer_home, api)
        deployer_env.pop("ONRECORD_HOME", None)
        _cli(["work-pool", "create", "onrecord", "--type", "process"], deployer_env,
             tmp_path / "deploy.log")
        mark("pool")
        deploying = ThreadPoolExecutor(1)
        stack.callback(deploying.shutdown)
        deployed = deploying.submit(
            _cli, ["--no-prompt", "deploy", "--all", "--prefect-file", "deploy/prefect.yaml"],
            deployer_env, tmp_path / "deploy.log")

        # The pages, the fake Slack and a sources file for any scheduled monitor run.
        site = LocalServer()
        stack.callback(site.close)
        slack = FakeSlack()
        stack.callback(slack.close)
        urls = [site.url(f"/statement-{n}") for n in range(PAGES)]
        for n in range(PAGES):
            site.routes[f"/statement-{n}"] = Response(page(n))
        config = tmp_path / "sources.toml"
        config.write_text('[[source]]\nname = "local"\nkind = "statement"\n'
                          f'urls = ["{urls[0]}"]\n')

        # 3. Two worker "machines": own Prefect home, working directory, release copy, contact.
        workers: dict[str, Process] = {}
        for name in WORKERS:
            machine = tmp_path / name
            release = machine / "onrecord"
            for package in RELEASE:
                shutil.copytree(ROOT / package, release / package,
                                ignore=shutil.ignore_patterns("__pycache__"))
            (machine / "prefect-home").mkdir()
            env = {**prefect_env(machine / "prefect-home", api),
                   "PYTHONPATH": str(release), "ONRECORD_HOME": str(release),
                   "ONRECORD_DATABASE_URL": store_db, "ONRECORD_CONFIG": str(config),
                   "ONRECORD_CONTACT": f"ops@{name}.example.org",
                   "SLACK_API_URL": slack.api_url, "SLACK_BOT_TOKEN": "xoxb-scale-test",
                   "SLACK_CHANNEL": "C0SCALE", "PREFECT_LOGGING_LEVEL": "INFO",
                   "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_HEARTBEAT_SECONDS": "5"}
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            # --limit 2: a worker holds at most half of the first wave's runs at once, and a
            # run lasts far longer than the other worker's 1 s poll, so both take runs.
            workers[name] = Process(
                [sys.executable, "-m", "prefect", "worker", "start", "--pool", "onrecord",
                 "--type", "process", "--name", name, "--limit", str(PAGES // 2)],
                env, tmp_path / f"{name}.log", cwd=release)
            stack.callback(workers[name].stop)
        # Stopping takes a few seconds each: interrupt every process at once, then wait.
        stack.callback(_interrupt, [*workers.values(), server])
        deployed.result(timeout=180)
        mark("deploy")
        _wait_for_workers(api, workers)
        mark("workers")

        # First wave: one manual run per page, created at once through the API.
        runs = _run_all(api, urls, workers)
        all_runs = list(runs)
        mark("wave1")
        states = {r.name: r.state.type.value for r in runs}
        assert all(r.state.is_completed() for r in runs), (states, _tails(workers))
        taken_by = Counter(r.labels.get("prefect.worker.name") for r in runs)
        assert set(taken_by) == set(WORKERS), (taken_by, _tails(workers))
        agents = {req.headers.get("User-Agent", "") for req in site.requests}
        for name in WORKERS:
            assert any(f"ops@{name}.example.org" in a for a in agents), agents
            # Each machine ran the flow from its own release (ONRECORD_HOME).
            assert list((tmp_path / name / "onrecord" / "flows").glob("__pycache__/*.pyc"))

        with psycopg.connect(store_db) as conn:
            docs = conn.execute("SELECT url, count(*) FROM documents GROUP BY url").fetchall()
            versions = conn.execute(
                "SELECT d.url, v.seq FROM versions v JOIN documents d ON d.id = v.document_id"
            ).fetchall()
        assert sorted(docs) == sorted((u, 1) for u in urls)
        assert sorted(versions) == sorted((u, 1) for u in urls)

        # Second wave: two pages edited, two runs at once; each drains the one outbox.
        edited = urls[:2]
        for n in range(2):
            site.routes[f"/statement-{n}"] = Response(page(n, "$58"))
        runs = _run_all(api, edited, workers)
        all_runs += runs
        mark("wave2")
        assert all(r.state.is_completed() for r in runs), (
            {r.name: r.state.type.value for r in runs}, _tails(workers))

        # Each run was started by exactly one worker, the one Prefect's label names (a worker
        # that asks for a run another has claimed is refused by the server).
        started_by = Counter()
        for name, proc in workers.items():
            log = proc.log.read_text(errors="replace")
            for run in all_runs:
                count = log.count(f"Flow run '{run.name}' submitted to infrastructure")
                if count:
                    started_by[run.name] += count
                    assert run.labels.get("prefect.worker.name") == name, (run.name, name)
        assert started_by == Counter(r.name for r in all_runs), (started_by, _tails(workers))

        store = Store(store_db, migrate=False)
        try:
            for url in urls:
                history = store.versions(url)
                assert [v.seq for v in history] == ([1, 2] if url in edited else [1])
                assert ("$58 million" in history[-1].canonical_text) == (url in edited)
        finally:
            store.close()
        sent = Counter(url for text in slack.texts() for url in urls if url in text)
        # One new-statement alert per page, and one edit alert per edited page.
        assert sent == Counter(urls) + Counter(edited), (sent, slack.texts())
        assert set(slack.tokens) == {"Bearer xoxb-scale-test"}

        # Every deployment is on the pool, with its schedule, and keeps ONRECORD_HOME as a
        # template for the worker to fill in (prefect deploy ran without it).
        async def deployments() -> dict[str, tuple]:
            async with _client(api) as client:
                return {d.name: (d.work_pool_name,
                                 [s.schedule.interval.total_seconds() for s in d.schedules],
                                 d.pull_steps)
                        for d in await client.read_deployments()}

        pull = [{"prefect.deployments.steps.set_working_directory":
                 {"directory": "{{ $ONRECORD_HOME }}"}}]
        assert asyncio.run(deployments()) == {
            "statements": ("onrecord", [600], pull), "coverage": ("onrecord", [1800], pull),
            "deliver-alerts": ("onrecord", [300], pull), "check-statement": ("onrecord", [], pull),
            "check-coverage": ("onrecord", [], pull)}
        mark("checked")
    mark("cleaned up")
    print("scale-out test:", ", ".join(marks))
