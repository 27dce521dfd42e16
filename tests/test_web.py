"""`onrecord web`: every page and API route over a store filled by the real pipeline, served by
a real uvicorn server on 127.0.0.1 and read with plain HTTP, on SQLite and PostgreSQL.

The store holds the demo's statement (three versions: $80 million -> $58 million and a
sentence removed, then a word changed), its two articles (one accurate, one misquoting it;
its $80 million quote is stale after the edit) and a hostile statement whose title and text
carry <script>, onerror=, javascript: and a bidi override.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from alerts.console import ConsoleSink
from alerts.message import Alert, default_report_base, report_link
from compare.vocab import AlertKind, Significance
from flows.demo_server import ARTICLES, STATEMENT, DemoSite
from flows.pipeline import Pipeline, Runtime, host_limiter
from flows.settings import Settings
from sources.config import load_config
from sources.fetch import Fetcher
from store import Store
from tests.httpfixture import LocalServer, Response
from tests.storefixtures import BACKENDS, truncate_all
from web.app import CSP, WebSettings
from web.server import BindRefused, Running, check_bind, start

ROOT = Path(__file__).resolve().parents[1]

HOSTILE_TITLE = "<script>alert('t')</script> Evil \u202eyrtsinim"
HOSTILE_PARAS = (
    "The ministry said <script>alert(1)</script> nothing of note today in its briefing.",
    "An image <img src=x onerror=alert(2)> and a link javascript:alert(3) were in the text.",
    "Reversed \u202eoverride\u202c text and a \"quoted\" word ended the statement here.",
)


def _hostile_page() -> str:
    import html

    body = "".join(f"<p>{html.escape(p)}</p>" for p in HOSTILE_PARAS)
    title = html.escape(HOSTILE_TITLE)
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>")


def _hostile_article() -> str:
    import html

    said = html.escape(f'The ministry said "{HOSTILE_PARAS[0][17:]}" and left.')
    return ("<html><head><title>News &lt;img src=x onerror=alert(9)&gt;</title></head><body>"
            f"<article><h1>News</h1><p>{said}</p><p>Reporters waited outside the ministry "
            "for an hour before the spokesman spoke to them.</p></article></body></html>")


@dataclass
class Site:
    """The populated store and the site serving it."""

    store: Store
    web: Running
    demo: DemoSite
    hostile_url: str

    def get(self, path: str, **kw: object) -> requests.Response:
        return requests.get(self.web.url + path, timeout=30, allow_redirects=False, **kw)  # type: ignore[arg-type]

    def json(self, path: str) -> dict:
        r = self.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/json")
        return r.json()

    @property
    def statement_url(self) -> str:
        return self.demo.url(STATEMENT)


def _pass(rt: Runtime, config: Path) -> None:
    sources = sorted(load_config(config).sources, key=lambda s: s.kind != "statement")
    for source in sources:
        report = Pipeline(rt).run_source(source)
        assert not report.failed, report.error


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("web")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'web.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
        truncate_all(url)
    store = Store(url)
    rt = Runtime(store, Fetcher(allow_private=True, backoff=0.01,
                                limiter=host_limiter(Settings())),
                 {"console": ConsoleSink(io.StringIO())})
    demo = DemoSite().start()
    hostile = LocalServer()
    config = tmp / "sources.toml"
    config.write_text(demo.config_toml(), encoding="utf-8")
    try:
        _pass(rt, config)
        demo.edit_statement()
        _pass(rt, config)
        text, ctype = demo.pages[STATEMENT]
        demo.pages[STATEMENT] = (text.replace("clean water", "safe water", 1), ctype)
        _pass(rt, config)
        hostile.routes["/hostile"] = Response(_hostile_page())
        hostile_url = hostile.url("/hostile")
        assert Pipeline(rt).check_url(hostile_url).status == "new"
        hostile.routes["/hostile-news"] = Response(_hostile_article())
        news = Pipeline(rt).check_url(hostile.url("/hostile-news"), "coverage")
        assert news.status == "new" and news.quotes
        web = start(store)
        try:
            yield Site(store, web, demo, hostile_url)
        finally:
            web.stop()
    finally:
        demo.stop()
        hostile.close()
        store.close()
        if request.param == "postgresql":
            truncate_all(url)


def _ids(site: Site) -> dict[str, int]:
    doc = site.store.document(site.statement_url)
    assert doc is not None
    versions = site.store.versions(site.statement_url)
    misquote = site.store.document(site.demo.url(ARTICLES[1]))
    accurate = site.store.document(site.demo.url(ARTICLES[0]))
    hostile = site.store.document(site.hostile_url)
    assert misquote and accurate and hostile and len(versions) == 3
    return {"statement": doc.id, "v1": versions[0].id, "v2": versions[1].id,
            "v3": versions[2].id, "misquote": misquote.id, "accurate": accurate.id,
            "hostile": hostile.id}


def _text(html: str) -> str:
    """The visible text of a page, roughly: tags dropped, whitespace folded."""
    import html as h

    return " ".join(h.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# -- pages and their JSON -------------------------------------------------------------------

def test_activity_lists_every_kind_newest_first(site: Site) -> None:
    ids = _ids(site)
    data = site.json("/api/activity")
    kinds = [e["kind"] for e in data["events"]]
    assert kinds.count("edit") == 2 and "misquote" in kinds and "stale" in kinds
    # The demo statement and the hostile one (later tests add statements of their own).
    assert {e["document"]["url"] for e in data["events"] if e["kind"] == "new"} >= {
        site.statement_url, site.hostile_url}
    assert all(e["document"]["kind"] == "statement" for e in data["events"] if e["kind"] == "new")
    stamps = [e["at"] for e in data["events"]]
    assert stamps == sorted(stamps, reverse=True)
    edits = [e for e in data["events"] if e["kind"] == "edit"]
    assert edits[-1]["link"] == f"/compare/{ids['v1']}/{ids['v2']}"
    assert "$80 million -> $58 million" in edits[-1]["summary"]
    page = site.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'href="/compare/{ids["v1"]}/{ids["v2"]}"' in page.text
    assert f'href="/article/{ids["misquote"]}"' in page.text


def test_activity_filters(site: Site) -> None:
    only_edits = site.json("/api/activity?kind=edit")["events"]
    assert len(only_edits) == 2 and {e["kind"] for e in only_edits} == {"edit"}
    substantive = site.json("/api/activity?significance=substantive")["events"]
    assert substantive and all(e["significance"] == "substantive" for e in substantive)
    assert any(e["kind"] == "edit" for e in substantive)
    issuer = site.store.document(site.statement_url).issuer
    if issuer:
        by_issuer = site.json(f"/api/activity?issuer={requests.utils.quote(issuer)}")["events"]
        assert by_issuer and all(
            (e["statement"] or e["document"])["issuer"] == issuer for e in by_issuer)
    host = urlsplit(site.hostile_url).netloc
    by_source = site.json(f"/api/activity?source={host}")["events"]
    assert [e["kind"] for e in by_source] == ["new"]
    assert by_source[0]["document"]["url"] == site.hostile_url
    assert site.json("/api/activity?source=nowhere.example")["events"] == []
    assert site.get("/api/activity?kind=bogus").status_code == 400
    assert site.get("/api/activity?significance=huge").status_code == 400
    html = site.get("/?kind=edit").text
    assert '<option value="edit" selected>' in html


def test_filters_read_by_document_or_by_walking_alike(site: Site) -> None:
    """A filter that leaves few documents reads their events by document; one that leaves
    many walks every event newest first. Both give the same pages."""
    from web.queries import ActivityFilter, Queries

    by_doc, walking = Queries(site.store), Queries(site.store, few_documents=0)
    issuer = site.store.document(site.statement_url).issuer
    host = urlsplit(site.statement_url).netloc
    for filters in (ActivityFilter(issuer=issuer), ActivityFilter(source=host),
                    ActivityFilter(source=host, kind="drift"),
                    ActivityFilter(source=host, significance="substantive"),
                    ActivityFilter(issuer="Nobody at all")):
        pages = []
        for q in (by_doc, walking):
            seen, cursor = [], None
            for _ in range(30):
                page = q.activity(filters, cursor, limit=2)
                seen += [(e.kind, e.id) for e in page.items]
                cursor = page.next_cursor
                if not cursor:
                    break
            pages.append(seen)
        assert pages[0] == pages[1], filters
        assert pages[0] or filters.issuer == "Nobody at all"


def test_activity_pages_walk_everything_once(site: Site) -> None:
    everything = site.json("/api/activity?limit=200")["events"]
    assert len(everything) >= 6
    seen, cursor = [], None
    for _ in range(50):
        data = site.json("/api/activity?limit=2" + (f"&after={cursor}" if cursor else ""))
        assert len(data["events"]) <= 2
        seen += [(e["kind"], e["id"]) for e in data["events"]]
        cursor = data["next"]
        if not cursor:
            break
    assert seen == [(e["kind"], e["id"]) for e in everything]
    html = site.get("/?limit=2").text
    assert 'rel="next"' in html
    assert site.get("/api/activity?after=not-a-cursor").status_code == 400


def test_statement_page_timeline_and_quotes(site: Site) -> None:
    ids = _ids(site)
    data = site.json(f"/api/statement/{ids['statement']}")
    assert [v["seq"] for v in data["versions"]] == [1, 2, 3]
    assert data["versions"][0]["summary"] == "first seen"
    assert data["versions"][1]["significance"] == "substantive"
    assert data["first_seen"] <= data["last_seen"]
    verdicts = {(q["article"]["id"], q["verdict"]) for q in data["quotes"]}
    assert (ids["misquote"], "misquote") in verdicts
    assert (ids["misquote"], "stale") in verdicts or (ids["accurate"], "stale") in verdicts
    html = site.get(f"/statement/{ids['statement']}").text
    assert "Joint Statement on the Pacific Clean Water Partnership" in html
    assert f'href="/version/{ids["v3"]}"' in html
    assert f'href="/compare/{ids["v2"]}/{ids["v3"]}"' in html
    assert "misquote" in html and f'href="/article/{ids["misquote"]}' in html
    assert "Coverage map" in html


def test_version_page_evidence_and_raw_body(site: Site) -> None:
    ids = _ids(site)
    v1 = site.store.version(ids["v1"])
    data = site.json(f"/api/version/{ids['v1']}")
    assert data["version"]["text_hash"] == v1.text_hash
    assert "$80 million" in data["version"]["text"]
    assert data["capture"]["status"] == 200 and data["captures"]
    assert data["wayback"] == "https://web.archive.org/web/*/" + site.statement_url
    assert data["raw"] == f"/version/{ids['v1']}/raw" and data["body"]["size"] > 0
    raw = site.get(data["raw"])
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/octet-stream"
    assert raw.headers["content-disposition"].startswith("attachment")
    assert b"$80 million" in raw.content and len(raw.content) == data["body"]["size"]
    html = site.get(f"/version/{ids['v1']}").text
    assert v1.text_hash in html and "Wayback Machine" in html
    assert 'href="https://web.archive.org/web/*/' in html
    assert f'href="/version/{ids["v2"]}"' in html


def test_compare_side_by_side_inline_and_json(site: Site) -> None:
    ids = _ids(site)
    data = site.json(f"/api/compare/{ids['v1']}/{ids['v3']}")
    assert data["significance"] == "substantive"
    reasons = [r for c in data["changes"] for r in c["reasons"]]
    assert any("$80 million -> $58 million" in r for r in reasons)
    old_text = site.store.version(ids["v1"]).canonical_text
    new_text = site.store.version(ids["v3"]).canonical_text
    number = next(c for c in data["changes"] if any("$80 million -> $58 million" in r for r in c["reasons"]))
    assert old_text[number["old_start"]:number["old_end"]] == number["old"]
    assert new_text[number["new_start"]:number["new_end"]] == number["new"]
    side = site.get(f"/compare/{ids['v1']}/{ids['v3']}")
    assert side.status_code == 200
    assert "<del" in side.text and "<ins" in side.text and 'class="cols"' in side.text
    assert 'id="c1"' in side.text and "$80 million -&gt; $58 million" in side.text
    inline = site.get(f"/compare/{ids['v1']}/{ids['v3']}?view=inline")
    assert 'class="text inline"' in inline.text and "<del" in inline.text
    assert "cols" not in re.findall(r'class="([^"]*)"', inline.text)
    picked = site.get(f"/compare?a={ids['v1']}&b={ids['v3']}")
    assert picked.status_code == 303
    assert picked.headers["location"] == f"/compare/{ids['v1']}/{ids['v3']}"


def test_compare_shows_moves_as_moves(site: Site) -> None:
    # Two versions of one document whose paragraphs swap places: a move, not delete+insert.
    url = site.demo.url("/moved")
    first = ("The first paragraph names the partners and their joint commitment to water.",
             "The second paragraph sets out the timetable for the work over five years.",
             "The third paragraph thanks the hosts of the meeting for their hospitality.")
    page = "<html><head><title>Moved</title></head><body><article><h1>Moved</h1>{}</article></body></html>"
    site.demo.pages["/moved"] = (page.format("".join(f"<p>{p}</p>" for p in first)),
                                 "text/html; charset=utf-8")
    rt = Runtime(site.store, Fetcher(allow_private=True, limiter=host_limiter(Settings())),
                 {"console": ConsoleSink(io.StringIO())})
    Pipeline(rt).check_url(url)
    swapped = (first[2], first[0], first[1])
    site.demo.pages["/moved"] = (page.format("".join(f"<p>{p}</p>" for p in swapped)),
                                 "text/html; charset=utf-8")
    Pipeline(rt).check_url(url)
    a, b = (v.id for v in site.store.versions(url))
    data = site.json(f"/api/compare/{a}/{b}")
    assert [c["op"] for c in data["changes"]] == ["move"]
    html = site.get(f"/compare/{a}/{b}").text
    assert 'class="move' in html and "<del" not in html
    inline = site.get(f"/compare/{a}/{b}?view=inline").text
    assert 'class="move' in inline and "moved" in inline


def test_article_page_highlights_quotes_beside_the_statement(site: Site) -> None:
    ids = _ids(site)
    data = site.json(f"/api/article/{ids['misquote']}")
    quotes = data["quotes"]
    mis = [q for q in quotes if q["verdict"] == "misquote"]
    assert mis and mis[0]["statement"]["id"] == ids["statement"]
    assert any("not" in r for r in mis[0]["reasons"])
    html = site.get(f"/article/{ids['misquote']}").text
    q = mis[0]
    assert f'class="quote verdict-misquote" href="#q-{q["id"]}"' in html
    assert f'id="q-{q["id"]}"' in html
    # The statement passage the quote distorts, marked inside its paragraph, which it links to.
    assert '<mark class="matched">' in html
    assert "will not impose conditions" in _text(html)
    statement = site.store.version(q["statement_version_id"])
    n = next(k for k, p in enumerate(statement.paragraphs, 1) if "will not impose" in p)
    assert f'href="/version/{q["statement_version_id"]}#p{n}"' in html
    target = site.get(f"/version/{q['statement_version_id']}").text
    assert re.search(rf'<p id="p{n}">[^<]*will not impose conditions', target)
    # A quote checked again after the edit is listed once, with its earlier verdict.
    accurate = site.json(f"/api/article/{ids['accurate']}")["quotes"]
    spans = [(q["start"], q["end"]) for q in accurate]
    assert len(spans) == len(set(spans))
    stale = [q for q in accurate if q["verdict"] == "stale"]
    assert stale and stale[0]["earlier"] and stale[0]["earlier"][0]["verdict"] == "exact"


def test_search_by_title_url_and_text(site: Site) -> None:
    ids = _ids(site)

    def found(q: str) -> set[int]:
        return {h["document"]["id"] for h in site.json(f"/api/search?q={requests.utils.quote(q)}")["hits"]}

    assert ids["statement"] in found("Pacific Clean Water Partnership")  # title
    assert ids["statement"] in found("pacific-clean-water")  # URL slug
    assert found("statements/pacific-clean-water") >= {ids["statement"]}
    assert ids["statement"] in found("$58 million")  # text of a later version
    assert ids["statement"] in found('"committed $58 million over"')  # a quoted phrase
    assert ids["statement"] not in found('"million committed"')  # words, not that phrase
    assert ids["statement"] in found("million committed")
    assert ids["hostile"] in found("briefing") and ids["statement"] not in found("briefing")
    assert found("zyzzyva-nowhere") == set()
    for hostile_query in ('"', "NEAR(a b)", "a OR", "*", "'); DROP TABLE versions; --", "-x"):
        r = site.get(f"/api/search?q={requests.utils.quote(hostile_query)}")
        assert r.status_code == 200, hostile_query
    page = site.get("/search?q=Pacific")
    assert page.status_code == 200 and f'href="/statement/{ids["statement"]}"' in page.text
    # Pages of one hit each walk every hit once.
    everything = [h["version_id"] for h in site.json("/api/search?q=water&limit=200")["hits"]]
    assert len(everything) >= 3
    seen, cursor = [], None
    for _ in range(20):
        data = site.json("/api/search?q=water&limit=1" + (f"&after={cursor}" if cursor else ""))
        seen += [h["version_id"] for h in data["hits"]]
        cursor = data["next"]
        if not cursor:
            break
    assert seen == everything


# -- hostile text ---------------------------------------------------------------------------

def test_hostile_statement_is_inert_on_every_page(site: Site) -> None:
    ids = _ids(site)
    version = site.store.versions(site.hostile_url)[0]
    news = site.store.document(site.hostile_url + "-news")
    assert news is not None
    quotes = site.json(f"/api/article/{news.id}")["quotes"]
    assert any("<script>" in q["quote"] for q in quotes)  # stored as written, shown as text
    pages = ["/", f"/statement/{ids['hostile']}", f"/version/{version.id}", f"/article/{news.id}",
             f"/compare/{version.id}/{version.id}", f"/compare/{ids['v1']}/{version.id}",
             f"/compare/{ids['v1']}/{version.id}?view=inline", "/search?q=briefing"]
    for path in pages:
        r = site.get(path)
        assert r.status_code == 200, path
        html = r.text
        assert "<script" not in html.lower(), path
        assert "<img" not in html.lower(), path
        assert not re.search(r"<[^>]*\sonerror\s*=", html, re.I), path
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), path
        assert "\u202e" not in html, path  # dropped when stored (else shown as an escape)
    html = site.get(f"/statement/{ids['hostile']}").text
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html
    # The override was dropped when the title was stored (sources.normalize): the words stay.
    assert "Evil yrtsinim" in html or "Evil \\u202eyrtsinim" in html
    body = site.get(f"/version/{version.id}").text
    assert "&lt;img src=x onerror=alert(2)&gt;" in body and "javascript:alert(3)" in body
    assert re.search(r"<p id=\"p2\">[^<]*javascript:alert\(3\)", body)  # text, never a link


def test_a_javascript_url_never_becomes_a_link(site: Site) -> None:
    from tests.storefixtures import obs, record

    # No fetch yields such a URL; written straight to the store to show the pages refuse it.
    url = "javascript:alert(document.domain)//x"
    saved = record(site.store, obs(url, "A statement stored under a hostile URL, for the test."))
    for path in (f"/statement/{saved.document.id}", f"/version/{saved.version.id}",
                 "/search?q=hostile+URL"):
        html = site.get(path).text
        assert url in _text(html), path
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), path
    assert "Wayback" in site.get(f"/version/{saved.version.id}").text
    assert "not an http(s) URL" in site.get(f"/version/{saved.version.id}").text


# -- safety -------------------------------------------------------------------------------------

def test_security_headers_on_every_response(site: Site) -> None:
    ids = _ids(site)
    for path in ("/", f"/statement/{ids['statement']}", "/api/activity", "/static/site.css",
                 "/statement/999999", f"/version/{ids['v1']}/raw"):
        r = site.get(path)
        assert r.headers["content-security-policy"].startswith("default-src") or path.endswith("/raw")
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    csp = site.get("/").headers["content-security-policy"]
    assert csp == CSP
    for part in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                 "frame-ancestors 'none'", "base-uri 'none'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    raw = site.get(f"/version/{ids['v1']}/raw")
    assert "sandbox" in raw.headers["content-security-policy"]
    # No inline script or style anywhere: the pages need nothing the CSP forbids.
    for path in ("/", f"/statement/{ids['statement']}", f"/article/{ids['misquote']}",
                 f"/compare/{ids['v1']}/{ids['v3']}"):
        html = site.get(path).text
        assert "<style" not in html and " style=" not in html and "<script" not in html


def test_only_read_methods(site: Site) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        r = requests.request(method, site.web.url + "/api/activity", timeout=10, data="x")
        assert r.status_code == 405, method
        assert r.headers["allow"] == "GET, HEAD"
        assert r.headers["content-security-policy"] == CSP
    head = requests.head(site.web.url + "/", timeout=10)
    assert head.status_code == 200


def test_unknown_ids_are_404(site: Site) -> None:
    ids = _ids(site)
    for path in ("/statement/999999", "/version/999999", f"/compare/{ids['v1']}/999999",
                 "/article/999999", f"/article/{ids['statement']}",  # a statement, not an article
                 f"/statement/{ids['misquote']}", "/no/such/page", "/version/999999/raw",
                 "/statement/abc", "/statement/99999999999999999999", "/version/-1",
                 "/compare/1/99999999999", "/statement/0"):
        r = site.get(path)
        assert r.status_code == 404, path
        assert "text/html" in r.headers["content-type"], path
    for path in ("/api/statement/999999", "/api/version/999999", "/api/article/999999",
                 f"/api/compare/999999/{ids['v1']}", "/api/version/x", "/api/statement/3000000000"):
        r = site.get(path)
        assert r.status_code == 404 and "error" in r.json(), path


def test_alert_links_lead_to_the_change(site: Site) -> None:
    ids = _ids(site)
    base = default_report_base({"ONRECORD_WEB_URL": site.web.url + "/"})
    assert base == site.web.url + "/change"
    assert default_report_base({"ONRECORD_REPORT_BASE": "https://r.example/d",
                                "ONRECORD_WEB_URL": site.web.url}) == "https://r.example/d"
    assert Settings.from_env({"ONRECORD_WEB_URL": site.web.url}).report_base == base
    edit = Alert(AlertKind.EDIT, "T", site.statement_url, Significance.SUBSTANTIVE, "s", version=2)
    link = report_link(base, edit)
    assert link is not None
    r = requests.get(link, timeout=10, allow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/compare/{ids['v1']}/{ids['v2']}"
    quote = Alert(AlertKind.MISQUOTE, "T", site.demo.url(ARTICLES[1]), Significance.SUBSTANTIVE,
                  "s", version=1, statement_url=site.statement_url)
    r = requests.get(report_link(base, quote) or "", timeout=10, allow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/article/{ids['misquote']}"
    new = Alert(AlertKind.NEW, "T", site.statement_url, Significance.MINOR, "s", version=1)
    r = requests.get(report_link(base, new) or "", timeout=10, allow_redirects=False)
    assert r.headers["location"] == f"/version/{ids['v1']}"
    followed = requests.get(link, timeout=10)
    assert followed.status_code == 200 and "<del" in followed.text
    assert site.get("/change?url=https://nowhere.example/x").status_code == 404


# -- access token and binding ----------------------------------------------------------------------

def test_token_is_enforced_when_set(site: Site) -> None:
    ids = _ids(site)
    guarded = start(site.store, WebSettings(token="s3cret-token"))
    try:
        url = f"{guarded.url}/statement/{ids['statement']}"
        assert requests.get(url, timeout=10).status_code == 401
        assert requests.get(guarded.url + "/api/activity", timeout=10).status_code == 401
        assert requests.get(guarded.url + "/static/site.css", timeout=10).status_code == 401
        wrong = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=10)
        assert wrong.status_code == 401 and "s3cret" not in wrong.text
        ok = requests.get(url, headers={"Authorization": "Bearer s3cret-token"}, timeout=10)
        assert ok.status_code == 200 and "Pacific" in ok.text
        assert requests.get(url + "?token=nope", timeout=10, allow_redirects=False).status_code == 401
        with requests.Session() as browser:
            first = browser.get(url + "?token=s3cret-token&x=1", timeout=10, allow_redirects=False)
            assert first.status_code == 303
            assert first.headers["location"] == f"/statement/{ids['statement']}?x=1"
            assert "httponly" in first.headers["set-cookie"].lower()
            assert "secure" not in first.headers["set-cookie"].lower()  # plain http here
            assert browser.get(guarded.url + "/api/activity", timeout=10).status_code == 200
        # The redirect that drops the token stays on this site.
        away = requests.get(guarded.url + "//evil.example/x?token=s3cret-token", timeout=10,
                            allow_redirects=False)
        assert away.status_code == 303 and away.headers["location"] == "/evil.example/x"
    finally:
        guarded.stop()


def test_cookie_is_secure_behind_an_https_address(site: Site) -> None:
    settings = WebSettings.from_env({"ONRECORD_WEB_TOKEN": "t0ken",
                                     "ONRECORD_WEB_URL": "https://onrecord.example.org"})
    assert settings.secure_cookie and "t0ken" not in repr(settings)
    assert not WebSettings.from_env({"ONRECORD_WEB_URL": "http://127.0.0.1:8040"}).secure_cookie
    guarded = start(site.store, settings)
    try:
        r = requests.get(guarded.url + "/?token=t0ken", timeout=10, allow_redirects=False)
        assert r.status_code == 303 and "secure" in r.headers["set-cookie"].lower()
    finally:
        guarded.stop()


def test_public_bind_needs_a_token() -> None:
    with pytest.raises(BindRefused):
        check_bind("0.0.0.0", WebSettings())
    check_bind("0.0.0.0", WebSettings(token="t"))
    check_bind("0.0.0.0", WebSettings(), insecure_public=True)
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_bind(host, WebSettings())
    cli = subprocess.run([sys.executable, "-m", "flows.cli", "web", "--host", "0.0.0.0",
                          "--db", "sqlite:///:memory:"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert cli.returncode == 2
    assert "ONRECORD_WEB_TOKEN" in cli.stderr and "--insecure-public" in cli.stderr


def test_search_pages_alike_whichever_index_answers(site: Site) -> None:
    """PostgreSQL answers from the newest versions it walks, then from the GIN index: a walk
    of one version makes the index answer nearly everything; the pages are the same."""
    from web.queries import Queries

    for query in ("water", "Pacific", '"will not impose"', "briefing", "zyzzyva"):
        pages = []
        for q in (Queries(site.store), Queries(site.store, search_walk=1)):
            seen, cursor = [], None
            for _ in range(30):
                page = q.search(query, cursor, limit=2)
                seen += [h.version_id for h in page.items]
                cursor = page.next_cursor
                if not cursor:
                    break
            pages.append(seen)
        assert pages[0] == pages[1], query
        assert pages[0] == sorted(pages[0], reverse=True)
        assert bool(pages[0]) == (query != "zyzzyva"), query


def test_search_terms_are_words_only() -> None:
    from store.searchindex import fts5_query, terms, tsquery

    assert terms('Félix "a  b" state.gov/x-y') == [["felix"], ["a", "b"], ["state", "gov", "x", "y"]]
    assert terms('"" * ( ) NEAR') == [["near"]]
    assert fts5_query([["a", "b"], ["c"]]) == '"a b" AND "c"'
    assert tsquery([["a", "b"], ["c"]]) == "('a' <-> 'b') & ('c')"


def test_search_index_is_rebuilt_on_import(site: Site, tmp_path: Path) -> None:
    from store.transfer import export_jsonl, import_jsonl
    from web.queries import Queries

    dump = io.StringIO()
    export_jsonl(site.store, dump)
    copy = Store(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    try:
        import_jsonl(copy, dump.getvalue().splitlines())
        hits = Queries(copy).search("pacific-clean-water").items
        assert {h.document.url for h in hits} == {site.statement_url}
        assert len(hits) == 3  # every version
    finally:
        copy.close()


def test_migration_backfills_the_search_index(db_url: str) -> None:
    from alembic import command

    from store.migrate import alembic_config
    from tests.storefixtures import obs, record
    from web.queries import Queries

    store = Store(db_url)
    try:
        record(store, obs("https://gov.example/a", "The envoy met the minister in Suva."))
        record(store, obs("https://gov.example/a", "The envoy met the premier in Suva."))
        with store.engine.begin() as conn:
            cfg = alembic_config(conn)
            command.downgrade(cfg, "0006_claims")  # drops the index (made by 0007_search)
        store.migrate()  # back to head: the index is created and backfilled
        q = Queries(store)
        assert [h.seq for h in q.search("premier").items] == [2]
        assert [h.seq for h in q.search("envoy suva").items] == [2, 1]
        assert q.search("president").items == []
    finally:
        store.close()


def test_sinks_and_artifacts_link_to_the_site(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ONRECORD_WEB_URL set, Slack, webhook and email sinks and the Prefect artifacts
    link to the site's page of the change (an explicit report_base still wins)."""
    from alerts.config import build_sinks
    from compare.vocab import Severity, Verdict
    from flows.pipeline import QuoteResult
    from flows.prefect_flows import _quote_section

    env = {"ONRECORD_WEB_URL": site.web.url, "T": "xoxb-1", "H": "https://hooks.example/x"}
    sinks = build_sinks([
        {"kind": "slack", "channel": "C1", "token_env": "T"},
        {"kind": "webhook", "url_env": "H"},
        {"kind": "email", "host": "127.0.0.1", "from": "a@example.org", "to": ["b@example.org"],
         "security": "none"},
        {"kind": "slack", "name": "other", "channel": "C2", "token_env": "T",
         "report_base": "https://reports.example/d"}], env)
    bases = [getattr(s, "report_base", None) for s in sinks.values()]
    assert bases == [site.web.url + "/change"] * 3 + ["https://reports.example/d"]
    monkeypatch.setenv("ONRECORD_WEB_URL", site.web.url)
    monkeypatch.delenv("ONRECORD_REPORT_BASE", raising=False)
    article = site.demo.url(ARTICLES[1])
    md = _quote_section(QuoteResult(article, "quoted", Verdict.MISQUOTE, Severity.MAJOR, ("r",)))
    link = re.search(r"Quotes and claims checked: <([^>]+)>", md)
    assert link is not None
    r = requests.get(link.group(1), timeout=10, allow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/article/{_ids(site)['misquote']}"


# -- reported claims (issue 14): drift in the activity, claims on the article and statement
# pages, the statement's coverage map ------------------------------------------------------------

def test_claims_on_every_page(site: Site) -> None:
    ids = _ids(site)
    drift = site.json("/api/activity?kind=drift")["events"]
    assert drift and {e["kind"] for e in drift} == {"drift"}
    number = [e for e in drift if "$18 million" in e["summary"]]  # the demo's planted drift
    assert number and number[0]["document"]["id"] == ids["misquote"]
    assert number[0]["statement"]["id"] == ids["statement"]
    assert number[0]["significance"] == "substantive"  # a major drift
    major = site.json("/api/activity?kind=drift&significance=substantive")["events"]
    assert number[0] in major and all(e["significance"] == "substantive" for e in major)
    assert f'href="/article/{ids["misquote"]}#c-{number[0]["id"]}"' in site.get("/?kind=drift").text

    claims = site.json(f"/api/article/{ids['misquote']}")["claims"]
    # A claim's entry carries what a quote's does, with its text and drift kind in place of
    # the quote's words and speaker role.
    shared = {"id", "article", "article_version_id", "statement", "statement_version_id",
              "statement_version", "start", "end", "verdict", "severity", "matched",
              "reasons", "speaker", "earlier"}
    assert all(set(c) == shared | {"text", "kind"} for c in claims)
    quotes = site.json(f"/api/article/{ids['misquote']}")["quotes"]
    assert quotes and all(set(q) == shared | {"quote", "role"} for q in quotes)
    drifted = [c for c in claims if c["verdict"] == "drift" and c["kind"] == "number"]
    assert drifted and "$80 million" in drifted[0]["matched"]
    html = site.get(f"/article/{ids['misquote']}").text
    c = drifted[0]
    assert f'<a class="claim claim-drift" href="#c-{c["id"]}" id="tc-{c["id"]}">' in html
    assert f'id="c-{c["id"]}"' in html and "Reported claims" in html
    statement = site.store.version(c["statement_version_id"])
    n = next(k for k, p in enumerate(statement.paragraphs, 1) if "$80 million" in p)
    assert f'href="/version/{c["statement_version_id"]}#p{n}"' in html

    data = site.json(f"/api/statement/{ids['statement']}")
    assert {(x["article"]["id"], x["verdict"]) for x in data["claims"]} >= {
        (ids["misquote"], "drift")}
    coverage = data["coverage"]
    current = [line for line in coverage if line["paragraph"] is not None]
    assert [line["paragraph"] for line in current] == list(
        range(1, len(site.store.versions(site.statement_url)[-1].paragraphs) + 1))
    reported = [line for line in current if line["covered"]]
    assert reported and all(line["articles"] for line in reported)
    assert any(not line["covered"] for line in current)  # some paragraph no article reported
    page = site.get(f"/statement/{ids['statement']}").text
    assert "Coverage map" in page and "not reported" in page
    assert f"{len(reported)} of {len(current)} paragraphs reported" in page


def test_an_empty_store_serves_empty_pages(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    web = start(store)
    try:
        for path in ("/", "/api/activity", "/search?q=anything", "/search", "/api/search?q="):
            r = requests.get(web.url + path, timeout=10)
            assert r.status_code == 200, path
        assert "Nothing here yet" in requests.get(web.url + "/", timeout=10).text
        assert requests.get(web.url + "/api/activity", timeout=10).json() == {
            "events": [], "next": None}
        assert requests.head(web.url + "/static/site.css", timeout=10).status_code == 200
    finally:
        web.stop()
        store.close()
