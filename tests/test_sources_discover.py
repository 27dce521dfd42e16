"""Discovery against real feeds, listings and sitemaps served on loopback, and the pure
helpers that choose what to fetch (keywords, URL keys)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from sources.discover import (
    DiscoveryError,
    Item,
    filter_by_keywords,
    follow_sitemap,
    items_from_feed,
    items_from_listing,
    normalize_url,
)
from sources.fetch import Fetcher
from sources.politeness import HostLimiter, HostPolicy
from tests.httpfixture import Response

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Press releases</title><link>https://www.state.gov/</link>
<item><title>Joint Statement on &lt;b&gt;Trilateral&lt;/b&gt;   Cooperation</title>
  <link>/joint-statement/?utm_source=rss&amp;utm_medium=feed</link>
  <description>&lt;p&gt;The Secretary met the Foreign Ministers of &lt;i&gt;Japan&lt;/i&gt; and Korea.&lt;/p&gt;</description>
  <pubDate>Thu, 03 Apr 2025 14:00:00 GMT</pubDate></item>
<item><title>Readout: call with the Foreign Minister</title><link>readout-call#main</link></item>
<item><title>Same statement again</title><link>https://x.test/joint-statement/</link></item>
<item><title>No link, guid is a permalink</title><guid>https://x.test/by-guid</guid></item>
<item><title>No link, opaque guid</title><guid isPermaLink="false">tag:state.gov,2025:1</guid></item>
<item><title>No link at all</title></item>
<item><title>Script link</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.test/section/">
<title>Wire</title><id>urn:wire</id><updated>2025-04-04T10:00:00Z</updated>
<entry><title type="html">Ministers &amp;amp; officials meet</title><id>urn:1</id>
  <link rel="alternate" href="2025/ministers-meet"/><link rel="edit" href="/api/1"/>
  <updated>2025-04-04T09:30:00Z</updated><summary>Talks on sanctions and water.</summary></entry>
<entry><title>Entry without link</title><id>urn:2</id><updated>2025-04-04T08:00:00Z</updated></entry>
<entry><title>Duplicate</title><id>urn:3</id><link href="https://news.test/section/2025/ministers-meet#comments"/>
  <updated>2025-04-04T07:00:00Z</updated></entry>
</feed>"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://mofa.test/rss"><title>MOFA</title><link>https://mofa.test/</link>
  <items><rdf:Seq><rdf:li rdf:resource="https://mofa.test/press/1.html"/></rdf:Seq></items></channel>
<item rdf:about="https://mofa.test/press/1.html"><title>Press release one</title>
  <link>https://mofa.test/press/1.html</link><dc:date>2025-04-02T09:00:00+09:00</dc:date></item>
<item rdf:about="https://mofa.test/press/2.html"><title>Press release two</title>
  <link>/press/2.html</link></item>
</rdf:RDF>"""


def fetcher() -> Fetcher:
    return Fetcher(limiter=HostLimiter(HostPolicy(min_delay=0, max_concurrent=4)), backoff=0.01)


def fetch_body(server, path: str) -> tuple[bytes, str]:
    with fetcher() as f:
        res = f.fetch(server.url(path))
    return res.body, res.final_url


# -- feeds --------------------------------------------------------------------------------


def test_rss2_feed_from_server(server):
    server.routes["/feed/"] = Response(RSS, headers={"Content-Type": "application/rss+xml"})
    body, final = fetch_body(server, "/feed/")
    items = items_from_feed(body, final)
    base = server.url("")
    assert [i.url for i in items] == [
        base + "/joint-statement/",          # relative, tracking parameters dropped
        base + "/feed/readout-call",         # relative to the feed's URL, fragment dropped
        "https://x.test/joint-statement/",   # another host: a different URL, kept
        "https://x.test/by-guid",            # a permalink guid stands in for the link
    ]
    first = items[0]
    assert first.title == "Joint Statement on Trilateral Cooperation"
    assert first.summary == "The Secretary met the Foreign Ministers of Japan and Korea."
    assert first.published == datetime(2025, 4, 3, 14, 0, tzinfo=UTC)


def test_rss_duplicate_links_kept_once():
    feed = RSS.replace("https://x.test/joint-statement/", "/joint-statement/#again")
    urls = [i.url for i in items_from_feed(feed.encode(), "https://www.state.gov/feed/")]
    assert urls.count("https://www.state.gov/joint-statement/") == 1
    assert urls[0] == "https://www.state.gov/joint-statement/"


def test_atom_feed_xml_base_and_duplicates(server):
    server.routes["/atom"] = Response(ATOM, headers={"Content-Type": "application/atom+xml"})
    body, final = fetch_body(server, "/atom")
    items = items_from_feed(body, final)
    assert [i.url for i in items] == ["https://news.test/section/2025/ministers-meet"]
    assert items[0].title == "Ministers & officials meet"
    assert items[0].summary == "Talks on sanctions and water."
    assert items[0].published == datetime(2025, 4, 4, 9, 30, tzinfo=UTC)


def test_rdf_feed(server):
    server.routes["/rss.rdf"] = Response(RDF, headers={"Content-Type": "application/rdf+xml"})
    body, final = fetch_body(server, "/rss.rdf")
    items = items_from_feed(body, final)
    assert [i.url for i in items] == ["https://mofa.test/press/1.html", server.url("/press/2.html")]
    assert items[0].title == "Press release one"
    assert items[0].published == datetime(2025, 4, 2, 0, 0, tzinfo=UTC)


def no_children(url: str) -> bytes:
    raise AssertionError(f"not a sitemap index: {url} should not be fetched")


@pytest.mark.parametrize("body, message", [
    (b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</ti", "malformed feed at line 1"),
    (b"<rss><channel><item><title>A</title></item></rss>", "malformed feed"),  # and no link
    (b"<html><body><p>Our press releases</p></body></html>", "not an RSS, Atom or RDF feed"),
    (b"", "not an RSS, Atom or RDF feed"),
    (b"\x00\x01\x02garbage", "feed"),
])
def test_bad_feed_is_a_clear_error(body, message):
    with pytest.raises(DiscoveryError, match=message):
        items_from_feed(body, "https://x.test/feed")


def test_slightly_malformed_feed_still_yields_its_items():
    # An unescaped & and a truncated tail: the items before the damage are recovered.
    body = RSS.replace("Press releases", "Press & releases").split("<item><title>No link at all")[0]
    items = items_from_feed(body.encode(), "https://www.state.gov/feed/")
    assert items[0].url == "https://www.state.gov/joint-statement/"
    assert len(items) == 4


def test_feed_body_must_be_bytes():
    # feedparser would open a str as a URL or a file.
    with pytest.raises(TypeError):
        items_from_feed("/etc/passwd", "https://x.test/")  # type: ignore[arg-type]


def test_feed_through_pipeline_error_type_is_valueerror():
    # flows/pipeline.py treats ValueError from discovery as "discovery failed" for that source.
    assert issubclass(DiscoveryError, ValueError)


# -- listing pages -------------------------------------------------------------------------

LISTING = """<html><head><title>Press releases</title></head><body>
<nav><a href="/">Home</a><a href="/about">About</a></nav>
<ul class="releases">
  <li><a href="/releases/one"><img src="1.jpg"></a><a href="/releases/one#top">Statement one</a></li>
  <li><a href="releases/two?utm_campaign=x&amp;id=2">Statement two</a></li>
  <li><a href="https://other.test/three/">Statement three</a></li>
  <li><a href="#comments">Comments</a></li>
  <li><a href="mailto:press@x.test">Mail us</a> <a href="javascript:void(0)">More</a></li>
  <li><a>No href</a></li>
</ul><footer><a href="/privacy">Privacy</a></footer></body></html>"""


def test_listing_with_selector(server):
    server.routes["/press/"] = Response(LISTING)
    body, final = fetch_body(server, "/press/")
    items = items_from_listing(body, final, "ul.releases li")
    assert [(i.url, i.title) for i in items] == [
        (server.url("/releases/one"), "Statement one"),      # picture link first, title from the headline
        (server.url("/press/releases/two?id=2"), "Statement two"),
        ("https://other.test/three/", "Statement three"),
    ]
    # Selecting the anchors themselves gives the same links.
    assert [i.url for i in items_from_listing(body, final, "ul.releases a")] == [i.url for i in items]


def test_listing_base_href_and_charset():
    html = ('<html><head><base href="https://cdn.test/ja/"></head><body>'
            '<div class="list"><a href="press/1.html">外務大臣談話</a></div></body></html>')
    items = items_from_listing(html.encode("shift_jis"), "https://mofa.test/list", "div.list", "shift_jis")
    assert items == [Item("https://cdn.test/ja/press/1.html", "外務大臣談話")]


def test_listing_bad_selector_and_empty_body():
    with pytest.raises(DiscoveryError, match="invalid link_selector"):
        items_from_listing(LISTING.encode(), "https://x.test/", "ul[[")
    with pytest.raises(DiscoveryError, match="not HTML"):
        items_from_listing(b"", "https://x.test/", "a")
    assert items_from_listing(LISTING.encode(), "https://x.test/", "div.nothing") == []


# -- sitemaps ------------------------------------------------------------------------------

URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/old</loc><lastmod>2024-01-01</lastmod></url>
<url><loc>{base}/undated</loc></url>
<url><loc>{base}/new#x</loc><lastmod>2025-04-03T10:00:00+00:00</lastmod></url>
<url><loc>{base}/new</loc></url>
</urlset>"""

INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-2024.xml.gz</loc><lastmod>2024-12-31</lastmod></sitemap>
<sitemap><loc>{base}/sitemap-2025.xml</loc><lastmod>2025-04-03</lastmod></sitemap>
<sitemap><loc>{base}/missing.xml</loc><lastmod>2020-01-01</lastmod></sitemap>
<sitemap><loc>{base}/nested-index.xml</loc><lastmod>2019-01-01</lastmod></sitemap>
<sitemap><loc>https://elsewhere.test/sitemap.xml</loc></sitemap>
</sitemapindex>"""


def test_urlset_newest_first_dedup(server):
    server.routes["/sitemap.xml"] = Response(URLSET.format(base=server.base),
                                             headers={"Content-Type": "application/xml"})
    body, final = fetch_body(server, "/sitemap.xml")
    asked: list[str] = []
    items = follow_sitemap(body, final, asked.append).items  # type: ignore[arg-type]
    assert [i.url.removeprefix(server.base) for i in items] == ["/new", "/old", "/undated"]
    assert items[0].updated == datetime(2025, 4, 3, 10, tzinfo=UTC)
    assert asked == []  # a urlset has no child sitemaps


def test_sitemap_index_followed_one_level(server):
    base = server.base
    server.routes["/sitemap_index.xml"] = Response(INDEX.format(base=base), headers={"Content-Type": "text/xml"})
    y2024 = URLSET.format(base=base + "/2024")
    server.routes["/sitemap-2024.xml.gz"] = Response(gzip.compress(y2024.encode()),
                                                     headers={"Content-Type": "application/x-gzip"})
    server.routes["/sitemap-2025.xml"] = Response(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}/2025/a</loc>'
        f"<lastmod>2025-04-03</lastmod></url><url><loc>{base}/2024/new</loc></url></urlset>",
        headers={"Content-Type": "application/xml"})
    server.routes["/nested-index.xml"] = Response(INDEX.format(base=base), headers={"Content-Type": "text/xml"})
    with fetcher() as f:
        index = f.fetch(server.url("/sitemap_index.xml"))
        asked: list[str] = []

        def child(url: str) -> bytes:
            asked.append(url)
            return f.fetch(url).body

        result = follow_sitemap(index.body, index.final_url, child)
    # The index alone has no pages; its children are read newest first.
    assert asked[:2] == [base + "/sitemap-2025.xml", base + "/sitemap-2024.xml.gz"]
    assert [i.url.removeprefix(base) for i in result.items] == [
        "/2024/new", "/2025/a", "/2024/old", "/2024/undated"]  # by lastmod, each URL once
    failed = dict(result.failed)
    assert "HTTP 404" in failed[base + "/missing.xml"]
    assert "one level" in failed[base + "/nested-index.xml"]
    assert "another host" in failed["https://elsewhere.test/sitemap.xml"]
    fetched = [r.path for r in server.requests]
    assert fetched.count("/sitemap_index.xml") == 1  # the nested index was not followed again
    assert not any("elsewhere" in p for p in fetched)


def test_follow_sitemap_plain_urlset_needs_no_fetch():
    body = URLSET.format(base="https://x.test").encode()

    def no_fetch(url: str) -> bytes:
        raise AssertionError("a urlset has no children")

    assert len(follow_sitemap(body, "https://x.test/sitemap.xml", no_fetch).items) == 3


def test_follow_sitemap_all_children_failing_is_an_error():
    body = INDEX.format(base="https://x.test").encode()

    def down(url: str) -> bytes:
        raise OSError("connection refused")

    with pytest.raises(DiscoveryError, match="no child sitemap could be read"):
        follow_sitemap(body, "https://x.test/sitemap_index.xml", down, max_children=2)


def test_sitemap_max_children():
    body = INDEX.format(base="https://x.test").encode()
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return URLSET.format(base="https://x.test").encode()

    follow_sitemap(body, "https://x.test/sitemap_index.xml", fetch, max_children=1)
    assert asked == ["https://x.test/sitemap-2025.xml"]


@pytest.mark.parametrize("body, message", [
    (b"<urlset><url><loc>https://x.test/a</loc></url>", "malformed sitemap"),
    (b"<rss version='2.0'><channel/></rss>", "not a sitemap"),
    (b"\x1f\x8b\x08\x00garbage", "corrupt gzip"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>', ""),
])
def test_bad_sitemap_is_a_clear_error(body, message):
    try:
        items = follow_sitemap(body, "https://x.test/sitemap.xml", no_children).items
    except DiscoveryError as exc:
        assert message in str(exc)
    else:
        assert not message and items == ()  # the external entity was not read


def test_gzip_bomb_refused(monkeypatch):
    import sources.discover as discover

    monkeypatch.setattr(discover, "MAX_SITEMAP_BYTES", 1000)
    body = gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>")
    with pytest.raises(DiscoveryError, match="inflates beyond"):
        follow_sitemap(body, "https://x.test/s.xml.gz", no_children)


def test_plain_text_sitemap():
    body = b"https://x.test/a\n\nhttps://x.test/b\n/relative\nhttps://x.test/a\n"
    assert [i.url for i in follow_sitemap(body, "https://x.test/sitemap.txt", no_children).items] == [
        "https://x.test/a", "https://x.test/b", "https://x.test/relative"]


# -- which items to fetch -------------------------------------------------------------------


def test_keywords_title_and_summary():
    items = [
        Item("https://x.test/1", "Ministers issue joint statement"),
        Item("https://x.test/2", "Football results", summary="No statement here, only goals."),
        Item("https://x.test/3", "New sanctions on Korean exporters"),
        Item("https://x.test/4", "Focus on the economy"),
        Item("https://x.test/5", "日米韓外相会合の共同声明"),
    ]
    assert [i.url[-1] for i in filter_by_keywords(items, ["STATEMENT"])] == ["1", "2"]
    assert [i.url[-1] for i in filter_by_keywords(items, ["sanction", "korea"])] == ["3"]
    assert [i.url[-1] for i in filter_by_keywords(items, ["us"])] == []  # not inside "Focus"
    assert [i.url[-1] for i in filter_by_keywords(items, ["共同声明"])] == ["5"]
    assert [i.url[-1] for i in filter_by_keywords(items, ["joint   statement"])] == ["1"]
    assert filter_by_keywords(items, []) == items
    assert filter_by_keywords(items, ["  "]) == items
    assert filter_by_keywords(items[:2], ["goals"]) == [items[1]]  # the summary counts too


def test_normalize_url():
    same = ["https://www.state.gov/x/", "HTTP://WWW.State.gov/x", "https://state.gov:443/x?utm_source=tw#top",
            "https://www.state.gov/x?utm_medium=a&utm_campaign=b"]
    assert len({normalize_url(u) for u in same}) == 1
    assert normalize_url("https://x.test/a?b=2&a=1") == normalize_url("https://x.test/a?a=1&b=2")
    assert normalize_url("https://x.test/A") != normalize_url("https://x.test/a")  # paths are case-sensitive
    assert normalize_url("https://x.test/a?id=1") != normalize_url("https://x.test/a?id=2")
    assert normalize_url("https://x.test:8080/a") != normalize_url("https://x.test/a")
