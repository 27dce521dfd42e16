"""Soak: the real `onrecord serve` for M minutes over N loopback sources on a bad day.

    python bench/soak.py [--minutes 30] [--sources 200] [--seed 16] [--every 1]

What runs, all on 127.0.0.0/8:

- a site of N sources (statement feeds, listings and fixed pages; coverage feeds) spread
  over HOSTS loopback addresses. Each source draws a behaviour from a seeded RNG: normal,
  slow (1 byte/s drip or a stall past the fetch deadline), failing (5xx, connection resets,
  404/410), 429 with Retry-After, or hostile (gzip bomb, 20 MB body, binary bytes, malformed
  links, redirects to other private/loopback addresses, bidi/markup/escape-sequence text).
  The site edits statements on a schedule (a number every time, a negation every third
  time, a sentence every fifth; cosmetic re-punctuation in between), publishes new ones and
  articles that quote frozen statements, some with a wrong number (misquotes);
- the fake Slack Web API (tests/fake_slack.py) over real HTTP, with an outage in the middle:
  500s (the first few after posting, so only the metadata look-up can tell), then connection
  refused, then 429 with Retry-After, then healthy again;
- a `prefect server start` (the persistent API deploy/README.md documents) and the REAL
  `onrecord serve --statements-every E --coverage-every 2E` as a subprocess, with its own
  PREFECT_HOME, SQLite store and sources file ([[sink]] slack at the fake Slack by api_url;
  `allow_private = true` on each loopback source, no global switch).

Expected alerts are recorded by the site from what it actually served in full (a fetch that
never completed cannot be alerted): a `new` alert for each statement's first served body, an
`edit` for each served revision after the first (revisions always change a number: a
substantive edit; cosmetic re-punctuation is served too but expects nothing), a `misquote` for
each misquoting article served 90 s or more after its statement was. Edits and publications
stop a few minutes before the end so the last passes can record what was served last.

At the end serve gets SIGTERM (it must exit cleanly), a final `onrecord deliver` runs, and
the report gives alerts expected / delivered / lost / duplicated / unexpected, RSS of serve
(and its flow-run children) every 30 s, passes started/completed with their lateness, and
errors by source behaviour. Exit status 1 when any alert is lost or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_slack import FakeSlack  # noqa: E402
from tests.prefect_server_min import Process, prefect_env, start_server  # noqa: E402

HOSTS = 20
BEHAVIOURS = (("normal", 0.55), ("slow", 0.10), ("failing", 0.10), ("ratelimit", 0.10),
              ("hostile", 0.15))
HOSTILE = ("gzip_bomb", "huge", "binary", "malformed_links", "redirect_private", "bidi_markup")
MAX_ITEMS = 4
MISQUOTE_NUMBER = 999  # no revision of any statement has it

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{published}"></head>
<body><nav><a href="/">Home</a> | <a href="/press">Press</a> | <a href="/about">About</a></nav>
<article><h1>{title}</h1>{body}</article>
<footer>Ministry of Examples. All rights reserved. Contact the press office.</footer>
</body></html>"""

HOSTILE_TEXT = ("\u202eevil override\u202c *bold claim* `code` <script>alert(1)</script> "
                "\x1b[31mred\x1b[0m \x1b]8;;http://example.invalid\x07link\x1b]8;;\x07 "
                "[click](javascript:alert(1)) ![img](http://example.invalid/x.png)")


def statement_paras(base: int, rev: int, cosmetic: int) -> list[str]:
    """A statement at revision `rev`: every revision changes the amount (substantive), every
    third flips a negation, every fifth adds a sentence; `cosmetic` re-punctuates only."""
    dc = "Washington, DC" if cosmetic % 2 else "Washington, D.C."
    neg = "will not" if (rev // 3) % 2 == 0 else "will"
    paras = [
        f"We will provide ${base + rev} million in new assistance for the affected regions "
        f"this year.",
        f"The assistance will provide food, shelter and medical care to displaced families, "
        f"officials said in {dc} today.",
        f"The partners {neg} impose conditions on emergency relief while the crisis continues.",
        "Both governments reaffirmed their commitment to a peaceful resolution of the dispute.",
    ]
    if (rev // 5) % 2 == 1:
        paras.append(f"Officials will meet again in {base % 20 + 10} days to review progress "
                     f"on the agreed measures.")
    return paras


@dataclass
class Item:
    """One statement or article of a source."""

    index: int
    published_at: float
    rev: int = 0
    cosmetic: int = 0
    frozen: bool = False  # never edited: articles quote it
    quotes: tuple[int, int] | None = None  # (source, item) an article quotes
    misquote: bool = False
    served: list[int] = field(default_factory=list)  # revisions served in full, in order
    first_served: float | None = None


@dataclass
class Src:
    index: int
    kind: str  # statement | coverage
    discovery: str  # feed | listing | page
    behaviour: str
    hostile: str | None
    base: int
    items: list[Item] = field(default_factory=list)
    host: str = ""


class Site:
    """The loopback site: N sources over HOSTS addresses, edited on a schedule."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.req_rng = random.Random(seed + 1)  # per-request draws, from server threads
        self.lock = threading.Lock()
        self.sources: list[Src] = []
        self.stats: dict[str, Counter] = defaultdict(Counter)
        self.misquote_log: list[tuple[int, int]] = []
        t0 = time.time()
        for i in range(n):
            kind = "coverage" if self.rng.random() < 0.15 else "statement"
            disc = "feed" if kind == "coverage" else self.rng.choice(("feed", "listing", "page"))
            behaviour = self._draw()
            hostile = self.rng.choice(HOSTILE) if behaviour == "hostile" else None
            if hostile == "malformed_links":
                disc = "listing"
            src = Src(i, kind, disc, behaviour, hostile, base=self.rng.randint(10, 90))
            # Coverage starts empty: every article quotes a statement stored by then.
            count = 0 if kind == "coverage" else 1 if disc == "page" else 2
            src.items = [Item(k, t0 - 3600) for k in range(count)]
            if kind == "statement" and behaviour == "normal" and self.rng.random() < 0.3:
                for item in src.items:
                    item.frozen = True
            self.sources.append(src)
        self.servers: list[ThreadingHTTPServer] = []
        for h in range(HOSTS):
            httpd = _Server((f"127.0.0.{h + 1}", 0), self._handler())
            httpd.daemon_threads = True
            self.servers.append(httpd)
            threading.Thread(target=httpd.serve_forever, args=(0.2,), daemon=True).start()
        for src in self.sources:
            host, port = self.servers[src.index % HOSTS].server_address[:2]
            src.host = f"http://{host}:{port}"

    def _draw(self) -> str:
        x, acc = self.rng.random(), 0.0
        for name, p in BEHAVIOURS:
            acc += p
            if x < acc:
                return name
        return "normal"

    # -- config --------------------------------------------------------------------------

    def sources_toml(self, slack_url: str) -> str:
        out = [f'[[sink]]\nkind = "slack"\nname = "newsroom"\nchannel = "C0SOAK"\n'
               f'token_env = "SOAK_SLACK_TOKEN"\napi_url = "{slack_url}"\n'
               f'min_significance = "minor"\n\n']
        for s in self.sources:
            lines = [f'[[source]]\nname = "src{s.index}"\nkind = "{s.kind}"\n'
                     f'allow_private = true\nmax_items = {MAX_ITEMS}\n']
            base = f"{s.host}/src/{s.index}"
            if s.discovery == "feed":
                lines.append(f'feed = "{base}/feed.xml"\n')
            elif s.discovery == "listing":
                lines.append(f'listing = "{base}/list.html"\nlink_selector = "li a"\n')
            else:
                lines.append(f'urls = ["{base}/{_letter(s)}/0"]\n')
            out.append("".join(lines) + "\n")
        return "".join(out)

    # -- the schedule --------------------------------------------------------------------

    def tick(self, now: float) -> dict[str, int]:
        """One minute of the site's life: edits, new statements, new articles."""
        done: Counter = Counter()
        with self.lock:
            live = [(s, it) for s in self.sources if s.kind == "statement" for it in s.items
                    if not it.frozen]
            for _s, it in live:
                x = self.rng.random()
                if x < 0.10:
                    it.rev += 1
                    done["edits"] += 1
                elif x < 0.14:
                    it.cosmetic += 1
                    done["cosmetic"] += 1
            for s in self.sources:
                if s.discovery == "page" or len(s.items) >= 12:
                    continue
                if s.kind == "statement" and self.rng.random() < 0.06:
                    s.items.append(Item(len(s.items), now))
                    done["new_statements"] += 1
                elif s.kind == "coverage" and self.rng.random() < 0.35:
                    target = self._quotable(now)
                    if target is not None:
                        art = Item(len(s.items), now, quotes=target,
                                   misquote=self.rng.random() < 0.6)
                        s.items.append(art)
                        done["misquoting_articles" if art.misquote else "exact_articles"] += 1
        return dict(done)

    def _quotable(self, now: float) -> tuple[int, int] | None:
        # A frozen statement stored by now (served in full 90 s ago or more).
        ready = [(s.index, it.index) for s in self.sources for it in s.items
                 if it.frozen and it.first_served is not None and now - it.first_served >= 90]
        return self.rng.choice(ready) if ready else None

    # -- what the site serves ------------------------------------------------------------

    def statement_html(self, s: Src, it: Item) -> str:
        title = f"Statement {s.index}.{it.index} on regional assistance"
        paras = statement_paras(s.base + it.index, it.rev, it.cosmetic)
        if s.hostile == "bidi_markup":
            title += " \u202e" + "*urgent*"
            paras.insert(1, "Officials added: " + HOSTILE_TEXT)
        published = datetime.fromtimestamp(it.published_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return PAGE.format(title=title, published=published,
                           body="".join(f"<p>{_esc(p)}</p>" for p in paras))

    def article_html(self, s: Src, it: Item) -> str:
        title = f"Article {s.index}.{it.index} on the aid package"
        assert it.quotes is not None
        qs = self.sources[it.quotes[0]]
        target = qs.items[it.quotes[1]]
        amount = MISQUOTE_NUMBER if it.misquote else qs.base + target.index + target.rev
        link = f"{qs.host}/src/{qs.index}/s/{target.index}"
        paras = [
            "The government announced a new aid package on Monday after weeks of talks.",
            f'"We will provide ${amount} million in new assistance for the affected regions '
            f'this year," the Minister said in a <a href="{link}">statement</a>.',
            "Aid groups welcomed the announcement but asked for details on the timeline.",
            "Opposition lawmakers said they would examine the plan in committee next week.",
        ]
        published = datetime.fromtimestamp(it.published_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return PAGE.format(title=title, published=published,
                           body="".join(f"<p>{p}</p>" for p in paras))

    def feed_xml(self, s: Src) -> str:
        entries = []
        for it in sorted(s.items, key=lambda i: -i.index)[:MAX_ITEMS]:
            url = f"{s.host}/src/{s.index}/{_letter(s)}/{it.index}"
            pub = datetime.fromtimestamp(it.published_at, UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
            entries.append(f"<item><title>Item {s.index}.{it.index}</title><link>{url}</link>"
                           f"<guid>{url}</guid><pubDate>{pub}</pubDate></item>")
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Source {s.index}</title><link>{s.host}/</link>"
                + "".join(entries) + "</channel></rss>")

    def listing_html(self, s: Src) -> str:
        links = [f'<li><a href="/src/{s.index}/{_letter(s)}/{it.index}">Statement '
                 f'{s.index}.{it.index}</a></li>'
                 for it in sorted(s.items, key=lambda i: -i.index)[:MAX_ITEMS]]
        if s.hostile == "malformed_links":
            links = ['<li><a href="http://[zz/">broken</a></li>',
                     '<li><a href="javascript:alert(1)">js</a></li>',
                     '<li><a href="http://127.0.0.1:1\\@8.8.8.8/">trick</a></li>'] + links
        return f"<html><body><h1>Press releases</h1><ul>{''.join(links)}</ul></body></html>"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.serve(self)

            do_HEAD = do_GET

        return H

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        parts = h.path.split("?")[0].strip("/").split("/")
        if parts == ["robots.txt"]:
            return _send(h, 404, b"no robots", "text/plain")
        try:
            src = self.sources[int(parts[1])]
            assert parts[0] == "src"
        except (IndexError, ValueError, AssertionError):
            return _send(h, 404, b"not found", "text/plain")
        stats = self.stats[src.behaviour]
        stats["requests"] += 1
        listed = len(parts) == 3  # feed.xml / list.html
        item: Item | None = None
        if not listed:
            try:
                item = src.items[int(parts[3])]
            except (IndexError, ValueError):
                return _send(h, 404, b"not found", "text/plain")
        b = src.behaviour
        if b == "slow" and (item is None) == (src.index % 2 == 0):
            stats["slow"] += 1
            return _drip(h) if src.index % 4 < 2 else _stall(h)
        if b == "failing":
            if item is not None and item.index == 0 and src.discovery != "page":
                stats["gone"] += 1
                return _send(h, 404 if src.index % 2 else 410, b"gone", "text/plain")
            if self.req_rng.random() < 0.5:
                stats["5xx_or_reset"] += 1
                return _reset(h) if self.req_rng.random() < 0.4 else _send(h, 503, b"busy", "text/plain")
        if b == "ratelimit" and self.req_rng.random() < 0.5:
            stats["429"] += 1
            return _send(h, 429, b"slow down", "text/plain",
                         {"Retry-After": str(self.req_rng.choice((1, 5, 30, 120, 3600)))})
        if b == "hostile" and item is not None and item.index == 0:
            stats[src.hostile or "hostile"] += 1
            if src.hostile == "gzip_bomb":
                return _send(h, 200, _BOMB, "text/html", {"Content-Encoding": "gzip"})
            if src.hostile == "huge":
                return _send(h, 200, _HUGE, "text/html; charset=utf-8")
            if src.hostile == "binary":
                return _send(h, 200, _BINARY, "text/html")
            if src.hostile == "redirect_private":
                target = ("http://127.0.0.1:1/admin", "http://localhost:1/",
                          "http://[::1]:1/", "http://0.0.0.0:1/")[src.index % 4]
                return _send(h, 302, b"", "text/plain", {"Location": target})
        with self.lock:
            if listed:
                body = (self.feed_xml(src) if parts[2] == "feed.xml" else self.listing_html(src))
                ctype = "application/rss+xml" if parts[2] == "feed.xml" else "text/html"
                return _send(h, 200, body.encode(), ctype + "; charset=utf-8", etag=True)
            assert item is not None
            if src.kind == "coverage":
                html = self.article_html(src, item)
            else:
                html = self.statement_html(src, item)
            rev = item.rev
        ok = _send(h, 200, html.encode("utf-8"), "text/html; charset=utf-8", etag=True)
        if ok == 200:  # the whole body went out: the monitor could record this revision
            with self.lock:
                if not item.served or item.served[-1] != rev:
                    item.served.append(rev)
                if item.first_served is None:
                    item.first_served = time.time()
                stats["served"] += 1

    # -- expected alerts -----------------------------------------------------------------

    def expected(self) -> Counter:
        """(kind, url) -> count of alerts that should have gone out."""
        exp: Counter = Counter()
        for s in self.sources:
            for it in s.items:
                url = f"{s.host}/src/{s.index}/{_letter(s)}/{it.index}"
                if not it.served:
                    continue
                if s.kind == "statement":
                    exp[("new", url)] += 1
                    exp[("edit", url)] += len(it.served) - 1
                elif it.misquote:
                    exp[("misquote", url)] += 1
        return +exp

    def close(self) -> None:
        for httpd in self.servers:
            httpd.shutdown()
            httpd.server_close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # resets and clients that gave up are the point of the exercise


def _letter(s: Src) -> str:
    return "a" if s.kind == "coverage" else "s"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bomb() -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    chunk = b"A" * (1024 * 1024)
    parts = [z.compress(b"<html><body><p>")] + [z.compress(chunk) for _ in range(200)]
    return b"".join(parts) + z.flush()


_BOMB = _bomb()  # ~200 KB on the wire, 200 MB unpacked
_HUGE = b"<html><body><p>" + b"word " * (4 * 1024 * 1024) + b"</p></body></html>"  # 20 MB
_BINARY = bytes(random.Random(7).randrange(1, 256) for _ in range(64 * 1024))


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
          headers: dict[str, str] | None = None, etag: bool = False) -> int:
    """Answer; returns the status when the whole answer was written, else 0."""
    try:
        tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"' if etag else None
        if tag and h.headers.get("If-None-Match") == tag:
            h.send_response(304)
            h.send_header("ETag", tag)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return 304
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        if tag:
            h.send_header("ETag", tag)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)
        h.wfile.flush()
        return status
    except OSError:
        return 0


def _drip(h: BaseHTTPRequestHandler) -> None:
    body = PAGE.format(title="Slow", published="2025-01-01T00:00:00Z", body="<p>x</p>" * 40)
    try:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for ch in body.encode()[:180]:  # 1 byte a second, for three minutes
            h.wfile.write(bytes([ch]))
            h.wfile.flush()
            time.sleep(1)
    except OSError:
        pass
    h.close_connection = True


def _stall(h: BaseHTTPRequestHandler) -> None:
    time.sleep(90)  # no status line at all
    h.close_connection = True


def _reset(h: BaseHTTPRequestHandler) -> None:
    try:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    h.close_connection = True


# -- Slack with an outage ----------------------------------------------------------------

class OutageSlack:
    """tests/fake_slack.FakeSlack whose listener can be closed (connection refused)."""

    def __init__(self) -> None:
        self.fake = FakeSlack().start()
        self.port = self.fake.httpd.server_address[1]
        self.url = self.fake.url
        self.phase = "up"
        self.log: list[tuple[float, str]] = []

    def set_phase(self, phase: str) -> None:
        f = self.fake
        if self.phase == "refused" and phase != "refused":
            f.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), f._handler())
            f.httpd.daemon_threads = True
            threading.Thread(target=f.httpd.serve_forever, args=(0.05,), daemon=True).start()
        if phase == "error500":
            # The first answers come after the message was posted: only the look-up by
            # metadata can tell that a retry would post it twice.
            f.script.extend(["posted500"] * 3)
            f.default, f.history_default = "error500", "error500"
        elif phase == "refused":
            f.httpd.shutdown()
            f.httpd.server_close()
        elif phase == "ratelimit":
            f.script.clear()
            f.default, f.history_default = ("ratelimit", 20), "ok"
        else:
            f.script.clear()
            f.default, f.history_default = "ok", "ok"
        self.phase = phase
        self.log.append((time.time(), phase))


# -- measuring ---------------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children[ppid].append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _group(pgid: int) -> list[int]:
    """Live processes of a process group (children reparented after their parent died)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    out.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope, MB per hour."""
    if len(points) < 3:
        return 0.0
    xs = [p[0] / 3600 for p in points]
    ys = [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


_URL = re.compile(r"http://127\.0\.0\.\d+:\d+/src/\d+/[sa]/\d+")
_KINDS = (("Statement edited", "edit"), ("New statement", "new"), ("Misquote", "misquote"),
          ("Quote made stale", "stale"), ("Statement removed", "removed"))


def classify(msg: dict) -> tuple[str, str, str]:
    """(kind, url, ref) of a posted message."""
    text = msg.get("text") or ""
    kind = next((k for label, k in _KINDS if label in text), "other")
    blob = json.dumps(msg.get("blocks") or [], ensure_ascii=False) + text
    urls = _URL.findall(blob)
    if kind in ("misquote", "stale"):
        urls = [u for u in urls if "/a/" in u] or urls
    meta = msg.get("metadata") or {}
    ref = str((meta.get("event_payload") or {}).get("refs", "")) or hashlib.sha1(
        blob.encode()).hexdigest()
    return kind, urls[0] if urls else "?", ref


async def _flow_runs(api: str) -> list[dict]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        async with get_client() as client:
            deployments = {d.id: d.name for d in await client.read_deployments()}
            runs = []
            while True:
                page = await client.read_flow_runs(limit=200, offset=len(runs))
                runs.extend(page)
                if len(page) < 200:
                    break
    return [{"deployment": deployments.get(r.deployment_id, "?"),
             "expected": r.expected_start_time, "start": r.start_time, "end": r.end_time,
             "state": r.state.type.value if r.state else "?",
             "seconds": r.total_run_time.total_seconds() if r.total_run_time else None}
            for r in runs]


# -- the run -----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--sources", type=int, default=200)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--every", type=float, default=1.0, help="minutes between statement passes")
    ap.add_argument("--workdir", default=None, help="keep the run's files here")
    args = ap.parse_args(argv)

    work = Path(args.workdir or tempfile.mkdtemp(prefix="onrecord-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    total = args.minutes * 60
    outage = (0.4 * total, 0.6 * total)  # the middle fifth
    quiet = max(90.0, min(240.0, 0.12 * total))  # no edits at the end: last passes record
    site = Site(args.sources, args.seed)
    slack = OutageSlack()
    config = work / "sources.toml"
    config.write_text(site.sources_toml(slack.url))
    db = f"sqlite:///{work / 'store.sqlite'}"
    env = {"ONRECORD_DATABASE_URL": db, "ONRECORD_CONFIG": str(config),
           "SOAK_SLACK_TOKEN": "xoxb-soak-token", "ONRECORD_CONTACT": "soak@example.org"}
    print(f"soak: {args.sources} sources on {HOSTS} loopback hosts, {args.minutes:g} min, "
          f"passes every {args.every:g} min, outage {outage[0] / 60:.1f}-{outage[1] / 60:.1f} "
          f"min; files in {work}", flush=True)
    print("behaviours:", dict(Counter(s.behaviour for s in site.sources)),
          "hostile:", dict(Counter(s.hostile for s in site.sources if s.hostile)), flush=True)

    phome = work / "prefect-server" / "home"
    phome.mkdir(parents=True)
    server, api = start_server(phome)
    shome = work / "serve-home"
    shome.mkdir()
    serve_env = {**prefect_env(shome, api), **env}
    serve_env.pop("ONRECORD_ALLOW_PRIVATE_URLS", None)  # per source, not global
    cmd = [sys.executable, "-m", "flows.cli", "serve", "--config", str(config),
           "--statements-every", str(args.every), "--coverage-every", str(2 * args.every),
           "--poll", "5"]
    serve = Process(cmd, serve_env, work / "serve.log")
    started = time.time()
    rss: list[tuple[float, float, float, int]] = []  # (t, serve MB, tree MB, processes)
    ticks: list[dict] = []
    next_tick = started + 60
    next_sample = started
    phases = [(outage[0], "error500"), (outage[0] + (outage[1] - outage[0]) / 3, "refused"),
              (outage[0] + 2 * (outage[1] - outage[0]) / 3, "ratelimit"), (outage[1], "up")]
    try:
        while time.time() - started < total:
            now = time.time()
            el = now - started
            if serve.proc.poll() is not None:
                print("serve exited early:\n" + serve.tail(), flush=True)
                break
            while phases and el >= phases[0][0]:
                slack.set_phase(phases.pop(0)[1])
                print(f"[{el / 60:5.1f} min] slack {slack.phase}", flush=True)
            if now >= next_sample:
                tree = _tree(serve.proc.pid)
                rss.append((el, _rss_mb(serve.proc.pid), sum(_rss_mb(p) for p in tree),
                            len(tree)))
                next_sample += 30
                print(f"[{el / 60:5.1f} min] rss serve {rss[-1][1]:.0f} MB, tree "
                      f"{rss[-1][2]:.0f} MB ({rss[-1][3]} procs), slack messages "
                      f"{len(slack.fake.messages)}", flush=True)
            if now >= next_tick and el < total - quiet:
                done = site.tick(now)
                ticks.append(done)
                next_tick += 60
                print(f"[{el / 60:5.1f} min] site: {done}", flush=True)
            time.sleep(1)
    finally:
        if slack.phase != "up":
            slack.set_phase("up")
        t_stop = time.monotonic()
        stop_rc: int | None = None
        if serve.proc.poll() is None:
            serve.proc.send_signal(signal.SIGTERM)  # serve itself; its flow runs are its job
            try:
                stop_rc = serve.proc.wait(90)
            except subprocess.TimeoutExpired:
                stop_rc = None
        else:
            stop_rc = serve.proc.returncode
        stop_seconds = time.monotonic() - t_stop
        time.sleep(2)
        leftovers = _group(serve.proc.pid)  # flow-run processes that outlived serve
        try:
            os.killpg(serve.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        serve.proc.wait(10)
        serve._out.close()
    deliver_env = {**serve_env}
    final = subprocess.run([sys.executable, "-m", "flows.cli", "deliver"], env=deliver_env,
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    runs = asyncio.run(_flow_runs(api))
    server.stop()
    report = summarise(site, slack, runs, rss, work, started, total, quiet, stop_rc,
                       stop_seconds, leftovers, final, ticks, args)
    site.close()
    slack.fake.stop()
    (work / "report.json").write_text(json.dumps(report, indent=2, default=str))
    return 1 if report["alerts"]["lost"] or report["alerts"]["duplicated"] else 0


def summarise(site: Site, slack: OutageSlack, runs: list[dict], rss: list, work: Path,
              started: float, total: float, quiet: float, stop_rc: int | None,
              stop_seconds: float, leftovers: list[int], final: subprocess.CompletedProcess,
              ticks: list[dict], args: argparse.Namespace) -> dict:
    expected = site.expected()
    posted = [classify(m) for m in slack.fake.messages]
    by_ref = Counter(ref for _, _, ref in posted)
    duplicated = sum(n - 1 for n in by_ref.values() if n > 1)
    seen: dict[str, tuple[str, str]] = {}
    for kind, url, ref in posted:
        seen.setdefault(ref, (kind, url))
    delivered = Counter(seen.values())
    lost = expected - delivered
    unexpected = delivered - expected
    bidi = sum(1 for m in slack.fake.messages if "\u202e" in json.dumps(m, ensure_ascii=False)
               or "\x1b" in json.dumps(m, ensure_ascii=False))
    # The store's view: outbox states, and errors by source behaviour.
    con = sqlite3.connect(work / "store.sqlite")
    outbox = dict(con.execute("select status, count(*) from outbox group by status").fetchall())
    errs = con.execute("select url, error from captures where outcome = 'error'").fetchall()
    con.close()
    behaviour_of = {f"/src/{s.index}/": s.behaviour + (f"/{s.hostile}" if s.hostile else "")
                    for s in site.sources}
    by_b: Counter = Counter()
    for url, _ in errs:
        m = re.search(r"/src/\d+/", url or "")
        by_b[behaviour_of.get(m.group(0), "?") if m else "?"] += 1
    # Passes.
    passes: dict[str, dict] = {}
    for dep in ("statements", "coverage", "deliver-alerts"):
        rs = [r for r in runs if r["deployment"] == dep and r["expected"] is not None
              and r["expected"].timestamp() <= started + total]
        done = [r for r in rs if r["state"] == "COMPLETED"]
        late = [(r["start"] - r["expected"]).total_seconds() for r in rs if r["start"]]
        secs = [r["seconds"] for r in done if r["seconds"] is not None]
        passes[dep] = {"scheduled": len(rs), "started": len(late), "completed": len(done),
                       "states": dict(Counter(r["state"] for r in rs)),
                       "lateness_s": _spread(late), "run_s": _spread(secs),
                       "started_within_60s": sum(1 for x in late if x <= 60)}
    warm = [r for r in rss if r[0] >= 300] or rss
    memory = {"samples": len(rss),
              "serve_mb": _spread([r[1] for r in rss]) | {"first": rss[0][1] if rss else None,
                                                           "last": rss[-1][1] if rss else None},
              "tree_mb": _spread([r[2] for r in rss]) | {"first": rss[0][2] if rss else None,
                                                          "last": rss[-1][2] if rss else None},
              "serve_slope_mb_per_h_after_5min": round(_slope([(r[0], r[1]) for r in warm]), 1),
              "series": [(round(t), round(a), round(b), n) for t, a, b, n in rss]}
    report = {
        "command": "python bench/soak.py " + " ".join(sys.argv[1:]),
        "sources": args.sources, "minutes": args.minutes, "quiet_end_s": quiet,
        "behaviours": dict(Counter(s.behaviour for s in site.sources)),
        "site": {b: dict(c) for b, c in site.stats.items()},
        "site_changes": dict(sum((Counter(t) for t in ticks), Counter())),
        "alerts": {"expected": sum(expected.values()), "delivered": sum(delivered.values()),
                   "lost": sum(lost.values()), "duplicated": duplicated,
                   "unexpected": sum(unexpected.values()),
                   "expected_by_kind": _by_kind(expected), "delivered_by_kind": _by_kind(delivered),
                   "lost_by_kind": _by_kind(lost), "unexpected_by_kind": _by_kind(unexpected),
                   "lost_sample": [f"{k} {u}" for (k, u) in list(lost)[:10]],
                   "unexpected_sample": [f"{k} {u}" for (k, u) in list(unexpected)[:10]],
                   "messages_posted": len(posted), "with_bidi_or_escape": bidi},
        "outbox": outbox,
        "slack_requests": dict(Counter(r.method for r in slack.fake.requests)),
        "slack_requests_by_phase": _by_phase(slack),
        "errors_by_behaviour": dict(by_b),
        "passes": passes,
        "memory": memory,
        "stop": {"signal": "SIGTERM", "exit_status": stop_rc, "seconds": round(stop_seconds, 1),
                 "leftover_processes": len(leftovers)},
        "final_deliver": {"exit_status": final.returncode, "stdout": final.stdout.strip()[-300:],
                          "stderr": final.stderr.strip()[-300:]},
        "load": os.getloadavg(),
    }
    print(json.dumps({k: v for k, v in report.items() if k != "memory"}, indent=1, default=str))
    print(json.dumps({k: v for k, v in memory.items() if k != "series"}, default=str))
    return report


def _by_phase(slack: OutageSlack) -> dict[str, dict[str, int]]:
    """Slack API calls that arrived in each phase (none arrive while refused)."""
    marks = sorted(slack.log)
    out: dict[str, Counter] = defaultdict(Counter)
    for r in slack.fake.requests:
        phase = "before"
        for t, name in marks:
            if r.at >= t:
                phase = name
        out[phase][r.method] += 1
    return {k: dict(v) for k, v in out.items()}


def _spread(xs: list[float]) -> dict:
    if not xs:
        return {}
    return {"n": len(xs), "min": round(min(xs), 1), "median": round(statistics.median(xs), 1),
            "max": round(max(xs), 1)}


def _by_kind(c: Counter) -> dict[str, int]:
    out: Counter = Counter()
    for (kind, _), n in c.items():
        out[kind] += n
    return dict(out)


if __name__ == "__main__":
    raise SystemExit(main())
