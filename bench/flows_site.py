"""A synthetic site of many statements on several loopback hosts, for the monitor benchmark.

Pages are served by real HTTP servers on 127.0.0.1, 127.0.0.2, ... (all of 127.0.0.0/8 is
loopback on Linux), so per-host grouping sees several hosts, as it would with real
ministries. Pages send an ETag and answer If-None-Match with 304, as most government
sites do; `edit()` changes a share of them the way silent edits look (a number, a sentence).
"""

from __future__ import annotations

import hashlib
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TEMPLATE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2025-03-{day:02d}T09:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/press">Press</a> | <a href="/about">About</a></nav>
<article><h1>{title}</h1>{body}</article>
<footer>Ministry of Examples. All rights reserved. Contact the press office.</footer>
</body></html>"""

SENTENCES = (
    "The Minister announced ${n} million in new assistance for the affected regions today.",
    "The assistance will provide food, shelter and medical care to {n},000 displaced families.",
    "Both governments reaffirmed their commitment to a peaceful resolution of the dispute.",
    "The partners will not impose conditions on emergency relief while the crisis continues.",
    "Officials will meet again in {n} days to review progress on the agreed measures.",
    "The statement was issued after talks between the delegations in the capital.",
)


def page_html(index: int, revision: int) -> str:
    """Statement `index` at `revision`: each revision changes a number and drops a sentence."""
    rng = random.Random(index)
    numbers = [rng.randint(10, 90) for _ in SENTENCES]
    paras = [s.replace("{n}", str(n + revision)) for s, n in zip(SENTENCES, numbers, strict=True)]
    if revision % 2:
        del paras[3]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return TEMPLATE.format(title=f"Statement {index} on regional assistance",
                           day=index % 28 + 1, body=body)


class BenchSite:
    """`count` statements at /s/<i>, spread round-robin over `hosts` loopback addresses."""

    def __init__(self, count: int = 500, hosts: int = 10) -> None:
        self.count = count
        self.revisions = [0] * count
        self.requests = 0
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, int], tuple[bytes, str]] = {}
        site = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                with site._lock:
                    site.requests += 1
                try:
                    index = int(self.path.rsplit("/", 1)[1])
                    body, etag = site._page(index)
                except (ValueError, IndexError):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.servers: list[ThreadingHTTPServer] = []
        for h in range(hosts):
            httpd = ThreadingHTTPServer((f"127.0.0.{h + 1}", 0), _H)
            httpd.daemon_threads = True
            self.servers.append(httpd)
            threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def _page(self, index: int) -> tuple[bytes, str]:
        if not 0 <= index < self.count:
            raise IndexError(index)
        key = (index, self.revisions[index])
        if key not in self._cache:
            body = page_html(*key).encode("utf-8")
            self._cache[key] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        return self._cache[key]

    def url(self, index: int) -> str:
        host, port = self.servers[index % len(self.servers)].server_address[:2]
        return f"http://{host}:{port}/s/{index}"

    def urls(self) -> list[str]:
        return [self.url(i) for i in range(self.count)]

    def edit(self, share: float = 0.1, seed: int = 0) -> list[int]:
        """Silently edit `share` of the pages; returns their indexes."""
        chosen = random.Random(seed).sample(range(self.count), round(self.count * share))
        for i in chosen:
            self.revisions[i] += 1
        return sorted(chosen)

    def sources_toml(self) -> str:
        return "".join(f'[[source]]\nname = "s{i}"\nkind = "statement"\nurls = ["{u}"]\n\n'
                       for i, u in enumerate(self.urls()))

    def urlwatch_yaml(self) -> str:
        return "".join(f"name: s{i}\nurl: {u}\n---\n" for i, u in enumerate(self.urls()))

    def close(self) -> None:
        for httpd in self.servers:
            httpd.shutdown()
            httpd.server_close()
