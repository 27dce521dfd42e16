"""`onrecord run` through Prefect against `onrecord run --plain`, same pass, same run.

    python bench/run_prefect.py [--count 200] [--hosts 10] [--rounds 3]

N statements are served by loopback HTTP servers (bench/flows_site.py, 10% silently edited
before each measured round). Each round runs, as the user would, three commands on the
same pages, each with its own store (so each sees the same edits):

1. `onrecord run --config F` with no PREFECT_API_URL: a temporary local Prefect API;
2. `onrecord run --config F` with PREFECT_API_URL pointing at a running
   `prefect server start` (started once by this script, as an operator would);
3. `onrecord run --config F --plain`: the same pipeline without Prefect.

Every command is a fresh process. Where its wall time goes is read from outside, with no
instrumentation in onrecord: process start and imports (`python -c 'import ...'` of the
same modules, timed apart), the temporary API's start (timed apart with the same Prefect
home and settings), and from the Prefect API's own database (each PREFECT_HOME's SQLite
file): the flow run's creation, its start, its host tasks and its end. So:

    before the flow runs = process start + imports + API start + flow-run creation
    flow run             = the pass (tasks, artifacts, delivery) as Prefect records it
    after the flow run   = from Completed to the process's exit (heartbeat join, flushing
                           events and logs, stopping the temporary API)

With `--before TREE` (a checkout of an earlier commit, e.g. `git archive OLD | tar -x -C
/tmp/old`), every command also runs from that tree, interleaved in the same rounds, each
with its own Prefect home and store, for before/after figures on the same load.

Figures: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.flows_site import BenchSite  # noqa: E402
from tests.prefect_server_min import prefect_env, start_server  # noqa: E402

MODES = ("temporary API", "prefect server", "plain")


def command_env(home: Path, db: Path, api: str | None) -> dict[str, str]:
    """The environment of one `onrecord run`: its own Prefect home and store, offline."""
    env = prefect_env(home, api)
    # prefect_env quiets Prefect to WARNING for tests; a user's run logs at INFO, which is
    # what ships logs to the API, so the bench keeps Prefect's default.
    env.pop("PREFECT_LOGGING_LEVEL", None)
    env.pop("PREFECT_UI_ENABLED", None)
    env["ONRECORD_DATABASE_URL"] = f"sqlite:///{db}"
    # As `onrecord` itself sets it (flows/cli.py): a loaded machine needs more than 20 s.
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "600"
    # Politeness as in production minus the delay between requests (127.0.0.2-10 are not
    # exempt as 127.0.0.1 is): at most 4 requests at once per host.
    env["ONRECORD_HOST_DELAY"] = "0"
    env["ONRECORD_HOST_CONCURRENCY"] = "4"
    return env


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs: the temporary API is the
    command's child, waited for before the command exits)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_command(config: Path, env: dict[str, str], plain: bool, cwd: Path = ROOT
                ) -> tuple[float, float, float, str, float]:
    """One `onrecord run`; returns (wall clock at start, at exit, wall seconds, summary,
    CPU seconds of the command and its children)."""
    args = [sys.executable, "-m", "flows.cli", "run", "--config", str(config)]
    if plain:
        args.append("--plain")
    start_wall, start, cpu0 = time.time(), time.perf_counter(), children_cpu()
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - start
    cpu = children_cpu() - cpu0
    if result.returncode != 0:
        raise RuntimeError(f"onrecord run exited {result.returncode}:\n{result.stdout[-1500:]}\n"
                           f"{result.stderr[-3000:]}")
    lines = result.stdout.strip().splitlines()
    return start_wall, start_wall + elapsed, elapsed, lines[-1] if lines else "", cpu


def _ts(value: str | None) -> float | None:
    if not value:
        return None
    stamp = datetime.fromisoformat(value.replace(" ", "T"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


def last_flow_run(home: Path, timeout: float = 60) -> dict[str, float]:
    """Timestamps of the latest `monitor` flow run and its task runs, from the API's database
    (polled: a server may record the last task states just after the command exits)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            run = _last_flow_run(home)
        except (TypeError, ValueError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
            continue
        if not run["lost"] or time.monotonic() > deadline:
            return run
        time.sleep(0.5)


def _last_flow_run(home: Path) -> dict[str, float]:
    with sqlite3.connect(home / "prefect.db") as conn:
        row = conn.execute(
            "SELECT fr.id, fr.created, fr.start_time, fr.end_time FROM flow_run fr "
            "JOIN flow f ON f.id = fr.flow_id WHERE f.name = 'monitor' "
            "ORDER BY fr.created DESC LIMIT 1").fetchone()
        tasks = conn.execute(
            "SELECT name, start_time, end_time FROM task_run WHERE flow_run_id = ?",
            (row[0],)).fetchall()
        logs = conn.execute("SELECT count(*) FROM log WHERE flow_run_id = ?",
                            (row[0],)).fetchone()[0]
    hosts = [(_ts(s), _ts(e)) for name, s, e in tasks if name.startswith("check ")]
    ends = [e for _, e in hosts if e is not None]
    return {"created": _ts(row[1]), "start": _ts(row[2]), "end": _ts(row[3]),
            "first_task": min(s for s, _ in hosts),
            # A host task without an end time: the server was stopped before it recorded the
            # task's last state (it is counted; the span is then up to the last one recorded).
            "last_task": max(ends) if ends else float("nan"),
            "lost": len(hosts) - len(ends), "tasks": len(tasks), "logs": logs}


def time_python(code: str, env: dict[str, str], repeat: int = 1, cwd: Path = ROOT) -> float:
    """Median CPU seconds of `python -c code` (process start and imports): CPU, not wall,
    because on a loaded machine the wall clock of a 2-second import moves by 10 s."""
    times = []
    for _ in range(repeat):
        cpu0 = children_cpu()
        subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, check=True,
                       capture_output=True)
        times.append(children_cpu() - cpu0)
    return statistics.median(times)


API_START = """
import time
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import get_current_settings
server = SubprocessASGIServer()
start = time.perf_counter()
server.start(timeout=get_current_settings().server.ephemeral.startup_timeout_seconds)
print(time.perf_counter() - start)
server.stop()
"""


def time_api_start(env: dict[str, str], repeat: int = 1) -> tuple[float, float]:
    """Median seconds for the temporary API to answer /health (after `import prefect`), and
    median CPU seconds of the whole measurement (`import prefect`, the server's start in its
    own process, its stop)."""
    times, cpus = [], []
    for _ in range(repeat):
        cpu0 = children_cpu()
        out = subprocess.run([sys.executable, "-c", API_START], env=env, cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        cpus.append(children_cpu() - cpu0)
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--before", type=Path, metavar="TREE",
                        help="also run every command from this source tree (e.g. `git archive` "
                             "of an earlier commit), interleaved, for before/after figures")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="onrecord-bench-run-"))
    site = BenchSite(args.count, args.hosts)
    config = workdir / "sources.toml"
    config.write_text(site.sources_toml())
    trees = {"": ROOT} | ({"before ": args.before.resolve()} if args.before else {})
    print(f"{args.count} statements on {args.hosts} loopback hosts; work dir {workdir}")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)

    server, api = start_server(workdir / "server-home", timeout=600)
    envs: dict[str, dict[str, str]] = {}
    homes: dict[str, Path] = {}
    for label, tree in trees.items():
        for i, mode in enumerate(MODES):
            key = label + mode
            homes[key] = workdir / f"home-{label.strip() or 'now'}-{i}"
            homes[key].mkdir()
            envs[key] = command_env(homes[key], workdir / f"{label.strip() or 'now'}-{i}.sqlite",
                                    api if mode == "prefect server" else None)
            envs[key]["PYTHONPATH"] = str(tree)
    rows: list[dict[str, float]] = []
    try:
        # Every store starts from the same filled state (one plain pass, copied), and every
        # Prefect home from a migrated database (one temporary-API start, timed apart).
        first = envs["plain"]
        run_command(config, first, plain=True, cwd=ROOT)
        filled = Path(first["ONRECORD_DATABASE_URL"].split("///", 1)[1])
        for key, env in envs.items():
            store = Path(env["ONRECORD_DATABASE_URL"].split("///", 1)[1])
            if store != filled:
                shutil.copyfile(filled, store)
            if key.endswith("temporary API"):
                time_api_start(env, repeat=1)
        for round_ in range(1, args.rounds + 1):
            edited = site.edit(args.share, seed=round_)
            row: dict[str, float] = {}
            for key, env in envs.items():
                label = key[: -len(next(m for m in MODES if key.endswith(m)))]
                mode = key[len(label):]
                t0, t1, wall, summary, cpu = run_command(config, env, mode == "plain",
                                                         cwd=trees[label])
                row[key] = wall
                row[key + " cpu"] = cpu
                if mode == "temporary API":
                    fr = last_flow_run(homes[key])
                    row |= {f"{label}tmp_before": fr["start"] - t0,
                            f"{label}tmp_flow": fr["end"] - fr["start"],
                            f"{label}tmp_after": t1 - fr["end"],
                            f"{label}tmp_create": fr["start"] - fr["created"],
                            f"{label}tmp_tasks": fr["last_task"] - fr["first_task"],
                            f"{label}tmp_task_runs": fr["tasks"], f"{label}tmp_logs": fr["logs"],
                            f"{label}tmp_lost": fr["lost"]}
                    print(f"round {round_} ({len(edited)} edited) {key:<22} {wall:6.2f} s "
                          f"({cpu:.2f} s CPU)  {summary}"
                          f"\n    before the flow run {row[label + 'tmp_before']:.2f} s, flow run "
                          f"{row[label + 'tmp_flow']:.2f} s (host tasks "
                          f"{row[label + 'tmp_tasks']:.2f} s, {fr['tasks']:.0f} task runs, "
                          f"{fr['logs']:.0f} log lines, {fr['lost']} host task end(s) not recorded), "
                          f"after {row[label + 'tmp_after']:.2f} s",
                          flush=True)
                else:
                    print(f"round {round_} ({len(edited)} edited) {key:<22} {wall:6.2f} s "
                          f"({cpu:.2f} s CPU)  {summary}", flush=True)
            rows.append(row)
        # Fixed costs, timed apart with the temporary-API command's environment.
        fixed = {}
        for label, tree in trees.items():
            env = envs[label + "temporary API"]
            fixed[label] = (time_python("pass", env, cwd=tree),
                            time_python("import flows.cli", env, cwd=tree),
                            time_python("import flows.cli, flows.pipeline, alerts.deliver", env,
                                        cwd=tree),
                            time_python("import flows.cli, flows.prefect_flows", env, cwd=tree),
                            # What handing the early API to Prefect as its own server cost the
                            # command's process before (the client side needs none of it).
                            time_python("import flows.cli, flows.prefect_flows, "
                                        "prefect.server.api.server", env, cwd=tree))
        api_start, api_cpu = time_api_start(envs["temporary API"])
    finally:
        server.stop()
        site.close()
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    lost = {label: sum(r[label + "tmp_lost"] for r in rows) for label in trees}
    print(f"\nmedians over {len(rows)} rounds ({args.count} URLs, {args.share:.0%} edited), "
          f"load average after {os.getloadavg()[0]:.1f}:")
    for label in trees:
        for mode in MODES:
            key = label + mode
            print(f"  {label:<7}onrecord run {'--plain' if mode == 'plain' else '':<8} {mode:<15} "
                  f"{med[key]:6.2f} s = {med[key] / med[label + 'plain']:.1f}x plain; "
                  f"CPU {med[key + ' cpu']:5.2f} s = {med[key + ' cpu'] / med[label + 'plain cpu']:.1f}x plain"
                  + (" (the temporary API's process included)" if mode == "temporary API" else ""))
    print(f"  temporary API start alone (Prefect's SubprocessASGIServer): {api_start:.2f} s "
          f"({api_cpu:.2f} s CPU with `import prefect` and its stop)")
    for label in trees:
        python, cli, plain_imports, prefect_imports, server_imports = fixed[label]
        print(f"  {label}temporary API, where the time goes:")
        print(f"    before the flow run   {med[label + 'tmp_before']:6.2f} s  of which (CPU): python "
              f"{python:.2f} s, `import flows.cli` {cli - python:.2f} s, + Prefect and the flows "
              f"{prefect_imports - cli:.2f} s; flow-run creation to Running "
              f"{med[label + 'tmp_create']:.2f} s; the API's start overlaps or follows these")
        print(f"                          (importing the Prefect server into the command, as "
              f"the hand-over did: {server_imports - prefect_imports:.2f} s CPU more)")
        print(f"    flow run              {med[label + 'tmp_flow']:6.2f} s  of which host tasks "
              f"{med[label + 'tmp_tasks']:.2f} s; the plain pass's work ~ "
              f"{med[label + 'plain cpu'] - plain_imports:.2f} s CPU (plain CPU minus its imports)")
        print(f"    after the flow run    {med[label + 'tmp_after']:6.2f} s  (heartbeat join, event "
              "and log flush, temporary API stop, interpreter exit); host task ends not "
              f"recorded over all rounds: {lost[label]}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
