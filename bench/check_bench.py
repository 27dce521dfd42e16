"""Cost of a check through the pipeline and the store: 1,000 local pages, against urlwatch.

A loopback server (its own process) serves 1,000 statement pages built from real
State Department releases inside a page template (navigation, share bar, related list,
footer). /s/<i> sends ETag and Last-Modified and answers 304 to a matching conditional
request; /n/<i> serves the same page without validators (the server always sends the body).

onrecord is measured on the path users run: `flows.pipeline.Pipeline.run_sources` (what a
monitor host task and `onrecord run --plain` call) with a real SQLite `Store`, one source
per URL, 10 worker threads:

- first pass: fetch, extract, normalize, version every page (1,000 new documents);
- unchanged, 304: conditional request -> 304, a capture row, `last_seen` moved;
- unchanged, same bytes: no validators, the body's hash equals the last one -> no
  extraction, a capture row;
- changed: every page's text changes -> extract, diff, version, alert to the outbox;
- `onrecord run --plain` over the 1,000 unchanged URLs as a process, like urlwatch's.

urlwatch 2.29 checks the same 1,000 /s/ URLs in the same run (a first run fills its cache;
the timed second run sends If-None-Match / If-Modified-Since and gets 304s). Install it
in a venv of its own and pass its executable:

    python3 -m venv /tmp/uw && /tmp/uw/bin/pip install urlwatch==2.29
    .venv/bin/python bench/check_bench.py --urlwatch /tmp/uw/bin/urlwatch [--n 1000]
    [--profile FILE]   # cProfile of the unchanged (304) pass, for snakeviz/pstats
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "state-gov-press-releases" / "all_items_all_versions.jsonl.gz"

TEMPLATE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} - United States Department of State</title>
<meta property="og:title" content="{title}"><meta property="article:published_time" content="2022-03-0{d}T12:00:00-05:00">
<link rel="canonical" href="/s/{i}"><style>body{{font-family:sans-serif}}</style><script>window.x=1;</script></head><body>
<a class="skip" href="#main">Skip to main content</a>
<header><nav><ul>{nav}</ul></nav></header>
<div class="share-bar"><a>Share</a><a>Tweet</a><a>Email</a><a>Print</a></div>
<main id="main"><article><h1>{title}</h1><div class="byline">Office of the Spokesperson</div>
<div class="body-copy">{body}</div></article></main>
<aside class="related"><h2>Related Articles</h2><ul>{related}</ul></aside>
<footer><ul>{footer}</ul><p>Copyright U.S. Department of State. All rights reserved.</p></footer></body></html>"""


def load_bodies(n: int) -> list[tuple[str, str]]:
    out = []
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            v = item["versions"][-1]
            if len(v["content_html"]) > 400:
                out.append((v["title"], v["content_html"]))
            if len(out) == n:
                break
    return out


def page(i: int, title: str, body: str, version: int) -> bytes:
    nav = "".join(f'<li><a href="/topic/{k}">Topic {k}</a></li>' for k in range(40))
    related = "".join(f'<li><a href="/r/{k}">Another release {k}</a></li>' for k in range(8))
    footer = "".join(f'<li><a href="/f/{k}">Footer link {k}</a></li>' for k in range(30))
    if version:
        body = body.replace("</p>", f" Updated {version}.</p>", 1)
    return TEMPLATE.format(title=title, d=i % 9 + 1, i=i, nav=nav, body=body,
                           related=related, footer=footer).encode("utf-8")


def serve(n: int, port_file: str) -> None:
    """Server process: /s/i serves page i at the current version; POST /bump changes all."""
    import http.server

    from tests.httpfixture import LocalServer, Request, Response

    # The fixture writes headers and body in two sends; with Nagle on, a lone client
    # then waits for the 40 ms delayed ACK on every response. Real servers don't.
    http.server.BaseHTTPRequestHandler.disable_nagle_algorithm = True
    bodies = load_bodies(n)
    state = {"version": 0}
    cache: dict[tuple[int, int], bytes] = {}
    srv = LocalServer()

    def handler(req: Request) -> Response:
        i = int(req.path.rsplit("/", 1)[1])
        v = state["version"]
        etag = f'"{i}-{v}"'
        lm = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(1_700_000_000 + v * 3600))
        key = (i, v)
        if key not in cache:
            cache[key] = page(i, *bodies[i % len(bodies)], v)
        if req.path.startswith("/n/"):  # no validators: the body every time
            return Response(cache[key], 200, {"Content-Type": "text/html; charset=utf-8"})
        if req.headers.get("If-None-Match") == etag:
            return Response(b"", 304, {"ETag": etag, "Last-Modified": lm})
        return Response(cache[key], 200, {"Content-Type": "text/html; charset=utf-8",
                                          "ETag": etag, "Last-Modified": lm})

    def bump(req: Request) -> Response:
        state["version"] += 1
        return Response("ok", 200, {"Content-Type": "text/plain"})

    for i in range(n):
        srv.routes[f"/s/{i}"] = srv.routes[f"/n/{i}"] = handler
    srv.routes["/bump"] = bump
    srv.routes["/robots.txt"] = Response("User-agent: *\nAllow: /\n", 200, {"Content-Type": "text/plain"})
    Path(port_file).write_text(str(srv.port))
    threading.Event().wait()


def sources_for(urls: list[str]) -> list:
    from sources.config import Source

    return [Source(f"s{i}", "statement", urls=(u,)) for i, u in enumerate(urls)]


class OnrecordRuntime:
    """A Runtime as `onrecord run --plain` builds it, on a SQLite store in `workdir`."""

    def __init__(self, db: Path) -> None:
        from alerts.console import ConsoleSink
        from flows.pipeline import Runtime, host_limiter
        from flows.settings import Settings
        from sources.fetch import Fetcher
        from store import Store

        # 127.0.0.1 is exempt from the politeness delay (host_limiter): no waiting here.
        self.rt = Runtime(Store(f"sqlite:///{db}"),
                          Fetcher(allow_private=True, limiter=host_limiter(Settings())),
                          {"console": ConsoleSink(io.StringIO())})

    def run(self, urls: list[str], workers: int, profile: str | None = None
            ) -> tuple[float, dict[str, int]]:
        """One `run_sources` pass; wall seconds and outcome counts."""
        from flows.pipeline import Pipeline

        sources = sources_for(urls)
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0 = time.perf_counter()
        reports = Pipeline(self.rt).run_sources(sources, workers=workers)
        dt = time.perf_counter() - t0
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        kinds: dict[str, int] = {}
        for r in reports:
            for o in r.outcomes:
                kinds[o.status] = kinds.get(o.status, 0) + 1
            if r.error:
                kinds["source error"] = kinds.get("source error", 0) + 1
        return dt, kinds

    def close(self) -> None:
        self.rt.close()


def run_plain_process(urls: list[str], workdir: Path, db: Path) -> float:
    """`onrecord run --plain` as a process over `urls` (its store filled beforehand)."""
    config = workdir / "sources.toml"
    config.write_text("".join(f'[[source]]\nname = "s{i}"\nkind = "statement"\nurls = ["{u}"]\n\n'
                              for i, u in enumerate(urls)))
    env = {**os.environ, "ONRECORD_DATABASE_URL": f"sqlite:///{db}",
           "ONRECORD_ALLOW_PRIVATE_URLS": "1"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows.cli", "run", "--plain", "--config", str(config)],
                   check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - t0


def run_urlwatch(exe: str, urls: list[str], workdir: Path) -> float:
    import yaml

    urls_file = workdir / "urls.yaml"
    urls_file.write_text("\n---\n".join(yaml.safe_dump({"url": u}) for u in urls))
    cfg = workdir / "urlwatch.yaml"
    cfg.write_text(yaml.safe_dump({"report": {"stdout": {"enabled": False}, "text": {"details": False}}}))
    cmd = [exe, "--urls", str(urls_file), "--config",
           str(cfg), "--cache", str(workdir / "cache.db"), "--hooks", str(workdir / "hooks.py")]
    (workdir / "hooks.py").write_text("")
    env = {**os.environ, "HOME": str(workdir)}
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=10)
    ap.add_argument("--urlwatch", default=str(Path(sys.executable).parent / "urlwatch"),
                    help="urlwatch 2.29 executable (default: next to this Python)")
    ap.add_argument("--profile", help="write a cProfile of the unchanged (304) pass here")
    args = ap.parse_args()
    n = args.n
    tmp = Path(tempfile.mkdtemp(prefix="onrecord-bench-"))
    port_file = tmp / "port"
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(n), str(port_file)], cwd=ROOT)
    try:
        while not port_file.exists() or not port_file.read_text():
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port_file.read_text()}"
        urls = [f"{base}/s/{i}" for i in range(n)]
        bare = [f"{base}/n/{i}" for i in range(n)]

        # urlwatch: first run fills its cache; second run is the unchanged check.
        uw_fill = run_urlwatch(args.urlwatch, urls, tmp)
        uw_unchanged = run_urlwatch(args.urlwatch, urls, tmp)
        uw_start = time.perf_counter()
        subprocess.run([args.urlwatch, "--version"], check=True, capture_output=True)
        uw_startup = time.perf_counter() - uw_start
        uw_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        import requests

        db = tmp / "onrecord.sqlite"
        rt = OnrecordRuntime(db)
        try:
            rt.rt.fetcher.fetch(f"{base}/robots.txt")  # warm the pool and the robots cache
            first, kinds0 = rt.run(urls + bare, args.workers)  # 2n new documents
            unchanged, kinds1 = rt.run(urls, args.workers, args.profile)
            same_bytes, kinds2 = rt.run(bare, args.workers)
            one, kinds3 = rt.run(urls[:200], 1)
            n_one = min(200, n)
        finally:
            rt.close()
        process = run_plain_process(urls, tmp, db)
        rt = OnrecordRuntime(db)
        try:
            requests.get(base + "/bump", timeout=5)
            changed, kinds4 = rt.run(urls, args.workers)
        finally:
            rt.close()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        server.terminate()
        server.wait()

    ms = lambda secs, k: 1000 * secs / k  # noqa: E731
    uw_ms = ms(uw_unchanged, n)
    uw_ms_net = ms(uw_unchanged - uw_startup, n)
    print(f"{n} local pages, {args.workers} threads; machine load {os.getloadavg()[0]:.1f}")
    print(f"urlwatch 2.29   unchanged run   {uw_ms:7.2f} ms/URL (process incl. startup), "
          f"{uw_ms_net:.2f} ms/URL without its {uw_startup * 1000:.0f} ms startup; "
          f"first run {ms(uw_fill, n):.2f} ms/URL")
    print(f"onrecord run --plain unchanged {ms(process, n):7.2f} ms/URL (process incl. startup, "
          f"config, store open, delivery)")
    print("onrecord Pipeline.run_sources with a SQLite Store:")
    print(f"  first check          {ms(first, 2 * n):7.2f} ms/URL  {kinds0}")
    print(f"  unchanged, 304       {ms(unchanged, n):7.2f} ms/URL  {kinds1}")
    print(f"  unchanged, same bytes{ms(same_bytes, n):7.2f} ms/URL  {kinds2}")
    print(f"  unchanged 304, 1 thread {ms(one, n_one):5.2f} ms/URL  {kinds3}  (latency, {n_one} pages)")
    print(f"  changed              {ms(changed, n):7.2f} ms/URL  {kinds4}  (wall, {args.workers} threads)")
    print(f"ratio unchanged (304) onrecord/urlwatch: {unchanged / uw_unchanged:.2f} "
          f"(vs urlwatch without startup {ms(unchanged, n) / uw_ms_net:.2f}); "
          f"process against process {process / uw_unchanged:.2f}")
    print(f"peak RSS: onrecord bench process {rss:.0f} MB; urlwatch {uw_rss:.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3])
    else:
        main()
