"""Cost of a check: 1,000 unchanged and 1,000 changed local pages, against urlwatch.

A loopback server (its own process) serves 1,000 statement pages built from real
State Department releases inside a page template (navigation, share bar, related list,
footer), with ETag and Last-Modified, answering 304 to a matching conditional request.

- onrecord unchanged: `sources.check.check` with the previous validators -> 304, no body,
  no extraction. 10 threads (urlwatch's default is also a thread pool).
- onrecord changed: the pages' text changes -> fetch + extract + normalize each page;
  reported as wall ms a URL with 10 threads, and as one-page latency (1 thread).
- urlwatch 2.29 checks the same 1,000 URLs (a first run fills its cache, the timed
  second run sends If-None-Match / If-Modified-Since and gets 304s), in the same run.

    /tmp/venv0/bin/python bench/check_bench.py [--n 1000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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
        if req.headers.get("If-None-Match") == etag:
            return Response(b"", 304, {"ETag": etag, "Last-Modified": lm})
        key = (i, v)
        if key not in cache:
            cache[key] = page(i, *bodies[i % len(bodies)], v)
        return Response(cache[key], 200, {"Content-Type": "text/html; charset=utf-8",
                                          "ETag": etag, "Last-Modified": lm})

    def bump(req: Request) -> Response:
        state["version"] += 1
        return Response("ok", 200, {"Content-Type": "text/plain"})

    for i in range(n):
        srv.routes[f"/s/{i}"] = handler
    srv.routes["/bump"] = bump
    srv.routes["/robots.txt"] = Response("User-agent: *\nAllow: /\n", 200, {"Content-Type": "text/plain"})
    Path(port_file).write_text(str(srv.port))
    threading.Event().wait()


def run_onrecord(urls: list[str], previous: dict, workers: int) -> tuple[float, dict]:
    from sources.check import Changed, Previous, check
    from sources.fetch import Fetcher
    from sources.politeness import HostLimiter, HostPolicy

    fetcher = Fetcher(limiter=HostLimiter(HostPolicy(min_delay=0, max_concurrent=workers)),
                      allow_private=True, pool_size=workers)
    fetcher.fetch(urls[0].rsplit("/", 2)[0] + "/robots.txt")  # warm the pool and robots cache
    results: dict = {}

    def one(url: str) -> None:
        res = check(fetcher, url, previous.get(url))
        results[url] = res
        if isinstance(res, Changed):
            previous[url] = Previous(res.fetch.validators, res.fetch.body_hash, res.text_hash)

    t0 = time.perf_counter()
    if workers == 1:
        for u in urls:
            one(u)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, urls))
    dt = time.perf_counter() - t0
    fetcher.close()
    kinds: dict[str, int] = {}
    for r in results.values():
        kinds[type(r).__name__] = kinds.get(type(r).__name__, 0) + 1
    return dt, kinds


def run_urlwatch(urls: list[str], workdir: Path) -> float:
    import yaml

    urls_file = workdir / "urls.yaml"
    urls_file.write_text("\n---\n".join(yaml.safe_dump({"url": u}) for u in urls))
    cfg = workdir / "urlwatch.yaml"
    cfg.write_text(yaml.safe_dump({"report": {"stdout": {"enabled": False}, "text": {"details": False}}}))
    cmd = [str(Path(sys.executable).parent / "urlwatch"), "--urls", str(urls_file), "--config",
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

        # urlwatch: first run fills its cache; second run is the unchanged check.
        uw_fill = run_urlwatch(urls, tmp)
        uw_unchanged = run_urlwatch(urls, tmp)
        uw_start = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "urlwatch"), "--version"],
                       check=True, capture_output=True)
        uw_startup = time.perf_counter() - uw_start
        uw_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        import requests

        previous: dict = {}
        first, kinds0 = run_onrecord(urls, previous, args.workers)  # fill validators
        unchanged, kinds1 = run_onrecord(urls, previous, args.workers)
        requests.get(base + "/bump", timeout=5)
        changed, kinds2 = run_onrecord(urls, previous, args.workers)
        requests.get(base + "/bump", timeout=5)
        changed1, kinds3 = run_onrecord(urls[:200], previous, 1)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        server.terminate()
        server.wait()

    ms = lambda secs, k: 1000 * secs / k  # noqa: E731
    uw_ms = ms(uw_unchanged, n)
    uw_ms_net = ms(uw_unchanged - uw_startup, n)
    print(f"{n} local pages, {args.workers} threads; machine load {os.getloadavg()[0]:.1f}")
    print(f"urlwatch 2.29   unchanged run  {uw_ms:7.2f} ms/URL (process incl. startup), "
          f"{uw_ms_net:.2f} ms/URL without its {uw_startup * 1000:.0f} ms startup; first run {ms(uw_fill, n):.2f} ms/URL")
    print(f"onrecord        first check    {ms(first, n):7.2f} ms/URL  {kinds0}")
    print(f"onrecord        unchanged      {ms(unchanged, n):7.2f} ms/URL  {kinds1}")
    print(f"onrecord        changed        {ms(changed, n):7.2f} ms/URL  {kinds2}  (wall, {args.workers} threads)")
    print(f"onrecord        changed 1 page {ms(changed1, 200):7.2f} ms     {kinds3}  (latency, 1 thread, 200 pages)")
    print(f"ratio unchanged onrecord/urlwatch: {unchanged / uw_unchanged:.2f} (vs urlwatch without startup "
          f"{ms(unchanged, n) / uw_ms_net:.2f})")
    print(f"ratio changed / unchanged (onrecord): {changed / unchanged:.1f}")
    print(f"peak RSS: onrecord process {rss:.0f} MB (incl. trafilatura, 4,000 checks); urlwatch {uw_rss:.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3])
    else:
        main()
