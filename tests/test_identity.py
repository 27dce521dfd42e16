"""Document identity beyond the URL (feed guid, canonical URL, 301), conditional GET for
discovery, and robots.txt kept in the store across processes."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from alerts.console import ConsoleSink
from compare.identity import Candidate, IdentityAction, decide_identity, is_other_statement
from flows.pipeline import Pipeline, Runtime, host_limiter
from flows.settings import Settings
from sources.config import Source
from sources.discover import items_from_feed
from sources.fetch import Fetcher
from sources.politeness import RobotsCache, RobotsFile
from store import Store
from tests.httpfixture import LocalServer, Request, Response
from tests.storefixtures import truncate_all

TEXT = ("The Secretary announced $80 million in new humanitarian assistance for the region today. "
        "The assistance will provide food, shelter and medical care to displaced families.")
OTHER = ("On behalf of the Government of the United States, I congratulate the people of "
         "Luxembourg as you celebrate your national day this year.")


def cand(doc_id: int, url: str, guid: str | None, title: str = "Assistance", text: str = TEXT) -> Candidate:
    return Candidate(doc_id, url, guid, title, text)


# -- the pure decision -------------------------------------------------------------------


def test_guid_moves_a_document_to_its_new_url() -> None:
    old = cand(1, "https://gov.example/old-slug", "g1")
    got = decide_identity("https://gov.example/new-slug", "g1", "Assistance", TEXT,
                          at_url=None, by_guid=old)
    assert (got.action, got.document_id, got.moved_from, got.replaced) == (
        IdentityAction.MOVED, 1, "https://gov.example/old-slug", None)


def test_another_guid_at_a_known_url_is_a_takeover_even_under_the_same_title() -> None:
    held = cand(1, "https://gov.example/national-day", "g2021", "Luxembourg National Day", OTHER)
    got = decide_identity("https://gov.example/national-day", "g2022", "Luxembourg National Day",
                          OTHER.replace("this year", "in 2022"), at_url=held)
    assert got.action is IdentityAction.TAKEOVER and got.document_id is None
    assert got.replaced == held


def test_without_guids_title_and_text_decide() -> None:
    held = cand(1, "https://gov.example/s", None)
    # A re-cased title with an edited text: the same statement.
    assert decide_identity("https://gov.example/s", None, "ASSISTANCE", TEXT.replace("$80", "$58"),
                           at_url=held).action is IdentityAction.SAME
    # A rewritten text under the same title: an edit, not another statement.
    assert not is_other_statement(held, None, "Assistance", OTHER)
    # Another title and other words: another statement.
    assert decide_identity("https://gov.example/s", None, "Luxembourg National Day", OTHER,
                           at_url=held).action is IdentityAction.TAKEOVER
    # A guid now, none stored (a document from before 0005): the same document.
    assert decide_identity("https://gov.example/s", "g9", "Assistance", TEXT,
                           at_url=held).action is IdentityAction.SAME


def test_canonical_url_links_a_new_url_unless_the_guids_disagree() -> None:
    canon = cand(4, "https://gov.example/canonical", "g1")
    got = decide_identity("https://gov.example/print-view", None, "Assistance", TEXT,
                          at_url=None, by_canonical=canon)
    assert (got.action, got.document_id) == (IdentityAction.MOVED, 4)
    assert decide_identity("https://gov.example/print-view", "g2", "Assistance", TEXT,
                           at_url=None, by_canonical=canon).action is IdentityAction.NEW


def test_feed_items_carry_their_guid() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b'<item><title>A</title><link>https://gov.example/a</link>'
            b'<guid isPermaLink="false">https://gov.example/?p=12</guid></item>'
            b"<item><title>B</title><link>https://gov.example/b</link></item></channel></rss>")
    items = items_from_feed(body, "https://gov.example/feed")
    assert [(i.url, i.guid) for i in items] == [("https://gov.example/a", "https://gov.example/?p=12"),
                                                ("https://gov.example/b", None)]


# -- through the pipeline ----------------------------------------------------------------

PAGE = """<html><head><title>{title}</title><link rel="canonical" href="{canonical}"></head>
<body><nav>Home | About</nav><article><h1>{title}</h1>{body}</article>
<footer>Footer text of the site</footer></body></html>"""


def page(server: LocalServer, path: str, title: str, text: str) -> Response:
    body = "".join(f"<p>{s.strip()}.</p>" for s in text.split(".") if s.strip())
    return Response(PAGE.format(title=title, canonical=server.url(path), body=body))


def feed(server: LocalServer, *items: tuple[str, str, str]) -> Response:
    entries = "".join(f"<item><title>{t}</title><link>{server.url(p)}</link>"
                      f'<guid isPermaLink="false">{g}</guid></item>' for p, t, g in items)
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{entries}</channel></rss>'
    return Response(body, headers={"Content-Type": "application/rss+xml", "ETag": f'"{hash(body)}"'})


@pytest.fixture(params=["sqlite", "postgresql"])
def pipe(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")  # skipped without a test server
        truncate_all(url)
    else:
        url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = Store(url)
    rt = Runtime(store, Fetcher(allow_private=True, backoff=0.01, limiter=host_limiter(Settings())),
                 {"console": ConsoleSink(io.StringIO())})
    yield Pipeline(rt)
    rt.close()


def test_slug_change_moves_the_document_and_a_reused_url_starts_a_new_one(
        server: LocalServer, pipe: Pipeline) -> None:
    store = pipe.store
    source = Source(name="s", kind="statement", feed=server.url("/feed"), allow_private=True)
    server.routes["/visas-restrictions"] = page(server, "/visas-restrictions", "Visas Restrictions", TEXT)
    server.routes["/day"] = page(server, "/day", "Luxembourg National Day", OTHER)
    server.routes["/feed"] = feed(server, ("/visas-restrictions", "Visas Restrictions", "g1"),
                                  ("/day", "Luxembourg National Day", "g2021"))
    pipe.run_sources([source])
    first = store.document(server.url("/visas-restrictions"))
    assert first is not None and first.guid == "g1"

    # The slug is fixed: the old URL now 301s to the new one, the feed lists the new one.
    server.routes["/visas-restrictions"] = Response(
        b"", 301, {"Location": server.url("/visa-restrictions")})
    server.routes["/visa-restrictions"] = page(server, "/visa-restrictions", "Visa Restrictions", TEXT)
    # A year later the national day's URL holds another release (same title, new guid).
    year_later = OTHER.replace("this year", "in 2022") + " We look forward to another year."
    server.routes["/day"] = page(server, "/day", "Luxembourg National Day", year_later)
    server.routes["/feed"] = feed(server, ("/visa-restrictions", "Visa Restrictions", "g1"),
                                  ("/day", "Luxembourg National Day", "g2022"))
    [report] = pipe.run_sources([source])
    assert not report.failed

    moved = store.document(server.url("/visa-restrictions"))
    assert moved is not None and moved.id == first.id  # one history, one Slack thread
    assert store.document(server.url("/visas-restrictions")) == moved  # the old URL: an alias
    # Same body text; the title's fix ("Visas" -> "Visa") is compared too: a second
    # version in the same history.
    assert [v.title for v in store.versions(moved.url)] == ["Visas Restrictions", "Visa Restrictions"]
    new_day = store.document(server.url("/day"))
    old_day = store.document_by_guid("g2021")
    assert new_day is not None and old_day is not None and new_day.id != old_day.id
    assert new_day.guid == "g2022" and old_day.state == "replaced"
    assert len(store.versions(old_day.url)) == 1 and len(store.versions(new_day.url)) == 1
    assert store.changes(new_day.url) == []  # a takeover is no edit

    alerts = [(a.kind, a.document_id, a.payload["summary"]) for a in store.alerts()]
    assert (("edit", first.id, f"moved to URL {server.url('/visa-restrictions')} "
             f"(was {server.url('/visas-restrictions')})") in alerts)
    assert [a for a in alerts if a[1] == new_day.id] == [
        ("new", new_day.id, f"a new statement took over {server.url('/day')} "
                            "(it held “Luxembourg National Day”)")]
    assert not [a for a in alerts if a[0] == "edit" and a[1] in (old_day.id, new_day.id)]

    # The next pass changes nothing and says nothing.
    before = len(store.alerts())
    pipe.run_sources([source])
    assert len(store.alerts()) == before


def test_discovery_asks_conditionally_and_reads_the_stored_feed_on_304(
        server: LocalServer, pipe: Pipeline) -> None:
    server.routes["/a"] = page(server, "/a", "Assistance", TEXT)
    listed = feed(server, ("/a", "Assistance", "g1"))
    etag = listed.headers["ETag"]
    seen: list[str | None] = []

    def conditional(req: Request) -> Response:
        seen.append(req.headers.get("If-None-Match"))
        if req.headers.get("If-None-Match") == etag:
            return Response(b"", 304, {"ETag": etag})
        return listed

    server.routes["/feed"] = conditional
    source = Source(name="s", kind="statement", feed=server.url("/feed"), allow_private=True)
    assert pipe.discover(source) == [server.url("/a")]
    # A new process (a new pipeline on the same store) still sends the validator.
    again = Pipeline(Runtime(pipe.store, Fetcher(allow_private=True, limiter=host_limiter(Settings()))))
    assert again.discover(source) == [server.url("/a")]
    assert again.discover(source) == [server.url("/a")]
    assert seen == [None, etag, etag]
    again.rt.fetcher.close()


def test_robots_txt_is_kept_in_the_store_across_processes(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'r.sqlite'}")
    asked: list[str] = []
    now = [1_000_000.0]

    def get(url: str) -> RobotsFile:
        asked.append(url)
        return RobotsFile(200, "User-agent: *\nDisallow: /private/\n", max_age=3600)

    def process() -> RobotsCache:  # each pass of `onrecord run` builds its own
        return RobotsCache(get, "onrecord/1", persist=store, wall=lambda: now[0])

    assert process().allowed("https://gov.example/a") is True
    assert process().allowed("https://gov.example/private/x") is False  # rules from the store
    assert asked == ["https://gov.example/robots.txt"]
    now[0] += 3601  # the server's max-age has run out
    assert process().allowed("https://gov.example/a") is True
    assert asked == ["https://gov.example/robots.txt"] * 2
    kept = store.load_robots("https://gov.example")
    assert kept is not None and kept[0] == 200 and kept[2] == pytest.approx(now[0] + 3600)
    store.close()


def test_robots_cache_without_a_store_still_works() -> None:
    cache = RobotsCache(lambda u: RobotsFile(503), "onrecord/1", clock=time.monotonic)
    assert cache.allowed("https://gov.example/a") is False
