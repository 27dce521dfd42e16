"""The real State Department press-release feed history replayed on a simulated clock.

../shared/data/state-gov-press-releases holds every version of 2,031 releases as the feed
published them (a git scraper's 15-minute snapshots). `StateReplay` serves, on a loopback
`LocalServer`, what state.gov served at the replay's `now`:

- /rss-feed/press-releases/feed/: the newest `feed_size` releases (RSS 2.0, guid per item;
  10 is WordPress's default);
- each release's page at the path of its current link (title, canonical link, body), with
  ETag / If-None-Match -> 304;
- a link a release had before its slug changed: 301 to the current link;
- a link reused by a later release (national days): the later release's page;
- /robots.txt with a day's max-age.

Every response is counted (bytes, 304s) so a run with and without validators can be
compared. Used by tests/test_replay_state.py (a few days) and bench/replay_state.py (months).
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.httpfixture import LocalServer, Request, Response

if TYPE_CHECKING:
    from flows.pipeline import Pipeline
    from sources.config import Source

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "state-gov-press-releases"
FEED_PATH = "/rss-feed/press-releases/feed/"


@dataclass(frozen=True)
class RVersion:
    at: datetime
    link: str  # path on the replay server
    title: str
    pub_date: str
    content_html: str
    commit: str


@dataclass(frozen=True)
class Release:
    guid: str
    versions: tuple[RVersion, ...]

    @property
    def first_seen(self) -> datetime:
        return self.versions[0].at

    def at(self, when: datetime) -> RVersion | None:
        """The version the feed carried at `when` (None: not published yet)."""
        i = bisect.bisect_right([v.at for v in self.versions], when)
        return self.versions[i - 1] if i else None


def _path(link: str) -> str:
    return urlsplit(link).path


def load_releases(path: Path | None = None) -> list[Release]:
    """Every release of the data set, oldest first; versions whose feed item did not change
    (title, link, body) are merged into the one before."""
    out: list[Release] = []
    with gzip.open(path or DATA / "all_items_all_versions.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            raw = json.loads(line)
            versions: list[RVersion] = []
            for v in raw["versions"]:
                rv = RVersion(datetime.fromisoformat(v["commit_date"]), _path(v["link"]),
                              v["title"], v["pubDate"], v["content_html"], v["commit"])
                if versions and (versions[-1].link, versions[-1].title, versions[-1].content_html) == (
                        rv.link, rv.title, rv.content_html):
                    continue
                versions.append(rv)
            out.append(Release(raw["key"], tuple(versions)))
    out.sort(key=lambda r: r.first_seen)
    return out


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} - United States Department of State</title>
<meta property="og:title" content="{title}">
<link rel="canonical" href="{canonical}"></head>
<body><header class="site-header"><nav><a href="/">Home</a> | <a href="/press">Press</a></nav></header>
<main><article><h1>{title}</h1><p class="dateline">{date}</p>
<div class="entry-content">{body}</div></article></main>
<footer class="site-footer">U.S. Department of State. Office of the Spokesperson.</footer>
</body></html>"""


@dataclass
class Traffic:
    """What the server sent: requests, bytes of bodies, 304 answers, per kind of resource."""

    requests: dict[str, int] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    not_modified: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, size: int, status: int) -> None:
        self.requests[kind] = self.requests.get(kind, 0) + 1
        self.bytes[kind] = self.bytes.get(kind, 0) + size
        if status == 304:
            self.not_modified[kind] = self.not_modified.get(kind, 0) + 1

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def share_304(self) -> float:
        return sum(self.not_modified.values()) / max(1, self.total_requests)


class StateReplay:
    """Serve the feed history as it stood at `self.now` (set it, then poll)."""

    def __init__(self, server: LocalServer, releases: list[Release], *, feed_size: int = 10,
                 validators: bool = True) -> None:
        self.server, self.releases = server, releases
        self.feed_size, self.validators = feed_size, validators
        self.now = releases[0].first_seen
        self.traffic = Traffic()
        self._firsts = [r.first_seen for r in releases]
        # path -> releases that ever used it (a reused slug has several, a moved one 301s)
        self._by_path: dict[str, list[Release]] = {}
        for r in releases:
            for p in dict.fromkeys(v.link for v in r.versions):
                self._by_path.setdefault(p, []).append(r)
        server.routes[FEED_PATH] = self._feed
        server.routes["/robots.txt"] = self._robots
        for p in self._by_path:
            server.routes[p] = self._page

    # -- what is published at `now` ------------------------------------------------------

    def published(self) -> list[tuple[Release, RVersion]]:
        """Releases out by `now`, newest first, with their current version."""
        n = bisect.bisect_right(self._firsts, self.now)
        out = []
        for r in reversed(self.releases[:n]):
            v = r.at(self.now)
            assert v is not None
            out.append((r, v))
        return out

    def in_feed(self) -> list[tuple[Release, RVersion]]:
        return self.published()[: self.feed_size]

    def steps(self, start: datetime, end: datetime, every: timedelta | None = None) -> list[datetime]:
        """Every moment in [start, end] at which the feed or a page changed, and, with
        `every`, the polls of a fixed schedule in between (most of which find nothing new,
        which is what validators are for)."""
        times = {v.at for r in self.releases for v in r.versions if start <= v.at <= end}
        if every is not None:
            tick = start
            while tick <= end:
                times.add(tick)
                tick += every
        return sorted(times)

    # -- HTTP ---------------------------------------------------------------------------

    def _send(self, kind: str, req: Request, body: str, content_type: str) -> Response:
        data = body.encode("utf-8")
        etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
        headers = {"Content-Type": content_type}
        if self.validators:
            headers["ETag"] = etag
            if req.headers.get("If-None-Match") == etag:
                self.traffic.add(kind, 0, 304)
                return Response(b"", 304, headers)
        self.traffic.add(kind, len(data), 200)
        return Response(data, 200, headers)

    def _robots(self, req: Request) -> Response:
        body = "User-agent: *\nDisallow: /wp-admin/\n"
        self.traffic.add("robots", len(body), 200)
        return Response(body, 200, {"Content-Type": "text/plain", "Cache-Control": "max-age=86400"})

    def _feed(self, req: Request) -> Response:
        items = []
        shown = self.in_feed()
        for r, v in shown:
            items.append(
                f"<item><title>{html.escape(v.title)}</title>"
                f"<link>{self.server.url(v.link)}</link>"
                f'<guid isPermaLink="false">{html.escape(r.guid)}</guid>'
                f"<pubDate>{v.pub_date}</pubDate>"
                # state.gov's feed carries each release's full body, as the data set does.
                f"<content:encoded><![CDATA[{v.content_html.replace(']]>', ']]]]><![CDATA[>')}]]>"
                "</content:encoded></item>")
        # WordPress stamps the feed with its newest item's change, not the time of the request.
        stamp = format_datetime(max((v.at for _, v in shown), default=self.now))
        body = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                f"<title>Press Releases</title><link>{self.server.base}/</link>"
                f"<lastBuildDate>{stamp}</lastBuildDate>{''.join(items)}</channel></rss>")
        return self._send("feed", req, body, "application/rss+xml; charset=UTF-8")

    def owner(self, path: str) -> tuple[Release, RVersion] | None:
        """The release whose page is at `path` now: the newest one published there."""
        for r in reversed(self._by_path.get(path, [])):
            v = r.at(self.now)
            if v is not None and v.link == path:
                return r, v
        return None

    def _page(self, req: Request) -> Response:
        path = req.path.split("?")[0]
        found = self.owner(path)
        if found is None:
            for r in reversed(self._by_path.get(path, [])):
                v = r.at(self.now)
                if v is not None and v.link != path:
                    self.traffic.add("page", 0, 301)
                    return Response(b"", 301, {"Location": self.server.url(v.link)})
            self.traffic.add("page", 9, 404)
            return Response("not found", 404, {"Content-Type": "text/plain"})
        r, v = found
        body = PAGE.format(title=html.escape(v.title), canonical=self.server.url(v.link),
                           date=html.escape(v.pub_date), body=v.content_html)
        return self._send("page", req, body, "text/html; charset=UTF-8")


@dataclass(frozen=True)
class Event:
    """What happened to one release between two passes, as the replay's data says."""

    kind: str  # new | edit | move | takeover | repost
    guid: str
    before: RVersion | None
    after: RVersion


def _reads(v: RVersion) -> tuple[str, str]:
    """What a reader sees of a version: title and text, markup and spacing aside."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(v.content_html))
    return " ".join(v.title.split()).casefold(), " ".join(text.split())


def events(replay: StateReplay, since: datetime, until: datetime,
           seen: set[str]) -> Iterator[Event]:
    """The events a pass at `until` should report, for releases in the feed at `until`
    (a release edited while out of the feed is never fetched: nothing to expect).
    `seen`: guids already reported as new; updated."""
    for r, v in replay.in_feed():
        if r.guid not in seen:
            # A release at a path an earlier release (already recorded) held takes it over.
            earlier = [o for o in replay._by_path.get(v.link, []) if o is not r
                       and o.first_seen < r.first_seen and o.guid in seen]
            seen.add(r.guid)
            # A re-post: the path's earlier release, word for word and title for title, under
            # a second guid (state.gov posted the 2022-05-17 briefing twice, 25 minutes apart).
            # Nothing new to read: the monitor records it as unchanged and alerts nothing.
            same = [o for o in earlier if (held := o.at(until)) is not None
                    and _reads(held) == _reads(v)]
            yield Event("repost" if same else "takeover" if earlier else "new", r.guid, None, v)
            continue
        before = r.at(since)
        if before is None or before == v:
            continue
        if before.link != v.link:
            yield Event("move", r.guid, before, v)
        if (before.title, before.content_html) != (v.title, v.content_html):
            yield Event("edit", r.guid, before, v)


def iter_paths(items: Iterable[tuple[Release, RVersion]]) -> list[str]:
    return [v.link for _, v in items]


@dataclass
class ReplayResult:
    """What a replay found: per-event tallies, alerts by kind, and every disagreement with
    the data and the labels (empty when the pipeline said exactly what happened)."""

    passes: int = 0
    events: Counter[str] = field(default_factory=Counter)
    alerts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    # (guid, commit) -> alerted as an edit? for every edit event, labelled or not
    edits: dict[tuple[str, str], bool] = field(default_factory=dict)
    new_alerts_present: bool = False
    seconds: float = 0.0


def preload_steps(replay: StateReplay, start: datetime, end: datetime) -> list[datetime]:
    """Polls before `start` on the days the releases whose URL a release of [start, end]
    takes over came out, so the store knows them (a replay starts with an empty store)."""
    out = set()
    for r in replay.releases:
        if not start <= r.first_seen <= end:
            continue
        for other in replay._by_path.get(r.versions[0].link, []):
            if other is not r and other.first_seen < start:
                out.add(other.first_seen)
    return sorted(out)


def run_replay(pipe: Pipeline, replay: StateReplay, source: Source, steps: list[datetime],
               labels: dict[tuple[str, str], str],
               before_pass: Callable[[], None] | None = None) -> ReplayResult:
    """Poll after each step and check the alerts of the step against the data's events:
    every new release recorded once (alerted once when `new` alerts exist), every URL
    takeover a `new` alert saying so and never an edit, every slug change one "moved"
    alert, every edit labelled substantive alerted, no edit labelled cosmetic alerted."""
    import time

    store = pipe.store
    res = ReplayResult()
    seen: set[str] = set()
    sent = len(store.alerts())
    since = steps[0]
    started = time.monotonic()
    for step in steps:
        replay.now = step
        docs_before = len(store.documents())
        expected = list(events(replay, since, step, seen))
        if before_pass is not None:
            before_pass()
        [report] = pipe.run_sources([source], workers=2)
        res.passes += 1
        if report.failed:
            res.problems.append(f"{step}: pass failed: {report.error or [o.error for o in report.outcomes if o.error]}")
        alerts = store.alerts()
        fresh = alerts[sent:]
        sent = len(alerts)
        since = step
        res.alerts.update(a.kind for a in fresh)
        res.events.update(e.kind for e in expected)
        takeovers = [a for a in fresh if a.kind == "new" and "took over" in a.payload["summary"]]
        plain_new = [a for a in fresh if a.kind == "new" and a not in takeovers]
        res.new_alerts_present = res.new_alerts_present or bool(plain_new)
        moves = [a for a in fresh if a.kind == "edit" and "moved to URL" in a.payload["summary"]]
        edits = [a for a in fresh if a.kind == "edit" and a not in moves]
        n_new = sum(e.kind == "new" for e in expected)
        n_takeover = sum(e.kind == "takeover" for e in expected)
        created = len(store.documents()) - docs_before
        if created != n_new + n_takeover:
            res.problems.append(f"{step}: {created} documents created, expected {n_new + n_takeover}")
        if plain_new and len(plain_new) != n_new:
            res.problems.append(f"{step}: {len(plain_new)} new alerts, expected {n_new}")
        if len(takeovers) != n_takeover:
            res.problems.append(f"{step}: {len(takeovers)} takeover alerts, expected {n_takeover}")
        if len(moves) != sum(e.kind == "move" for e in expected):
            res.problems.append(f"{step}: {len(moves)} move alerts, expected "
                                f"{[e.guid for e in expected if e.kind == 'move']}")
        ids: dict[int, Event] = {}
        for e in expected:
            if e.kind == "edit":
                doc = store.document_by_guid(e.guid)
                assert doc is not None
                ids[doc.id] = e
                res.edits[(e.guid, e.after.commit[:8])] = any(a.document_id == doc.id for a in edits)
        for a in edits:
            e = ids.get(a.document_id)
            lab = labels.get((e.guid, e.after.commit[:8])) if e else "no edit"
            if lab in ("cosmetic", "no edit"):
                res.problems.append(f"{step}: edit alert ({lab}) for doc {a.document_id}: "
                                    f"{a.payload['summary']}")
        for e in ids.values():
            key = (e.guid, e.after.commit[:8])
            if labels.get(key) == "substantive" and not res.edits[key]:
                res.problems.append(f"{step}: substantive edit {key} not alerted")
    res.seconds = time.monotonic() - started
    return res
