"""Fetching against a real loopback HTTP server: validators, retries, redirects, limits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC

import pytest

from sources.check import Changed, NotModified, Previous, Unchanged, check, decide
from sources.extract import ExtractionError
from sources.fetch import Fetcher, FetchError, Validators
from sources.politeness import HostLimiter, HostPolicy
from sources.urls import UnsafeURLError, check_url
from tests.httpfixture import Request, Response
from tests.pdfmaker import make_pdf

STATEMENT = (
    "<html><head><title>Joint Statement</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>Joint Statement</h1>"
    "<p>The Secretary and the Foreign Ministers met on April 3 in Brussels to strengthen "
    "trilateral cooperation in advancing the safety, security, and prosperity of our countries.</p>"
    "<p>They also expressed their deep condolences for the loss of lives and damage caused "
    "by the wildfires in the ROK and Japan.</p></article>"
    "<footer>Copyright 2025 Department of State</footer></body></html>"
)


def fast_fetcher(**kw: object) -> Fetcher:
    kw.setdefault("limiter", HostLimiter(HostPolicy(min_delay=0, max_concurrent=8)))
    kw.setdefault("backoff", 0.01)
    return Fetcher(**kw)  # type: ignore[arg-type]


def test_etag_304_and_last_modified(server):
    def handler(req: Request) -> Response:
        if req.headers.get("If-None-Match") == '"v1"':
            return Response(b"", 304, {"ETag": '"v1"'})
        return Response(STATEMENT, headers={"Content-Type": "text/html; charset=utf-8",
                                            "ETag": '"v1"', "Last-Modified": "Mon, 07 Apr 2025 10:00:00 GMT"})

    server.routes["/s"] = handler
    with fast_fetcher() as f:
        first = check(f, server.url("/s"))
        assert isinstance(first, Changed)
        assert first.fetch.etag == '"v1"'
        assert "wildfires" in first.canonical
        prev = Previous(first.fetch.validators, first.fetch.body_hash, first.text_hash)
        second = check(f, server.url("/s"), prev)
    assert isinstance(second, NotModified)
    sent = [r for r in server.requests if r.path == "/s"][-1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 07 Apr 2025 10:00:00 GMT"


def test_same_body_costs_no_extraction(server):
    # An empty body would raise ExtractionError if it were extracted: Unchanged proves it is not.
    server.routes["/e"] = Response(b"", headers={"Content-Type": "text/html"})
    with fast_fetcher() as f:
        res = f.fetch(server.url("/e"))
        assert isinstance(decide(res, Previous(body_hash=res.body_hash)), Unchanged)
        with pytest.raises(ExtractionError):
            decide(res, None)


def test_same_text_different_bytes_is_unchanged(server):
    server.routes["/a"] = Response(STATEMENT)
    server.routes["/b"] = Response(STATEMENT.replace("<footer>Copyright 2025", "<footer>Copyright 2026"))
    with fast_fetcher() as f:
        first = check(f, server.url("/a"))
        assert isinstance(first, Changed)
        res = check(f, server.url("/b"), Previous(body_hash=first.fetch.body_hash, text_hash=first.text_hash))
    assert isinstance(res, Unchanged) and res.reason == "same canonical text"


def test_retry_after_is_honoured(server):
    calls = []

    def handler(req: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("busy", 503, {"Content-Type": "text/plain", "Retry-After": "1"})
        return Response(STATEMENT)

    server.routes["/busy"] = handler
    with fast_fetcher() as f:
        res = f.fetch(server.url("/busy"))
    assert res.status == 200 and len(calls) == 2
    assert calls[1] - calls[0] >= 0.9


def test_retry_after_too_long_is_an_error_not_a_wait(server):
    server.routes["/slow"] = Response("later", 429, {"Content-Type": "text/plain", "Retry-After": "3600"})
    with fast_fetcher() as f, pytest.raises(FetchError) as exc:
        f.fetch(server.url("/slow"))
    assert exc.value.status == 429 and exc.value.retry_after == 3600
    assert len([r for r in server.requests if r.path == "/slow"]) == 1


def test_5xx_retried_with_backoff_then_error(server):
    server.routes["/down"] = Response("oops", 500, {"Content-Type": "text/plain"})
    with fast_fetcher(retries=2) as f, pytest.raises(FetchError, match="HTTP 500"):
        f.fetch(server.url("/down"))
    assert len([r for r in server.requests if r.path == "/down"]) == 3


def test_connection_refused_is_fetch_error():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with fast_fetcher(retries=1) as f, pytest.raises(FetchError, match="connection"):
        f.fetch(f"http://127.0.0.1:{port}/")


def test_redirect_records_final_url(server):
    server.routes["/old"] = Response("", 301, {"Location": "/mid"})
    server.routes["/mid"] = Response("", 302, {"Location": server.url("/new")})
    server.routes["/new"] = Response(STATEMENT)
    with fast_fetcher() as f:
        res = f.fetch(server.url("/old"))
    assert res.final_url == server.url("/new")
    assert res.redirects == (server.url("/old"), server.url("/mid"))
    assert res.url == server.url("/old")


def test_redirect_loop(server):
    server.routes["/x"] = Response("", 302, {"Location": "/y"})
    server.routes["/y"] = Response("", 302, {"Location": "/x"})
    with fast_fetcher() as f, pytest.raises(FetchError, match="redirect loop"):
        f.fetch(server.url("/x"))


def test_too_many_redirects(server):
    for i in range(10):
        server.routes[f"/r{i}"] = Response("", 302, {"Location": f"/r{i + 1}"})
    with fast_fetcher(max_redirects=3) as f, pytest.raises(FetchError, match="too many redirects"):
        f.fetch(server.url("/r0"))


def test_redirect_to_other_scheme_refused(server):
    server.routes["/evil"] = Response("", 302, {"Location": "file:///etc/passwd"})
    with fast_fetcher() as f, pytest.raises(UnsafeURLError, match="only http and https"):
        f.fetch(server.url("/evil"))


def test_timeout(server):
    server.routes["/stall"] = Response(STATEMENT, delay=2.0)
    t0 = time.monotonic()
    with fast_fetcher(timeout=(1.0, 0.3)) as f, pytest.raises(FetchError, match="timed out"):
        f.fetch(server.url("/stall"))
    assert time.monotonic() - t0 < 1.5  # a read timeout is not retried


def test_12mb_body_is_an_error_for_that_url(server):
    server.routes["/big"] = Response(b"<p>" + b"a" * (12 * 1024 * 1024) + b"</p>")
    server.routes["/ok"] = Response(STATEMENT)
    with fast_fetcher() as f:
        with pytest.raises(FetchError, match="exceeds"):
            f.fetch(server.url("/big"))
        assert f.fetch(server.url("/ok")).status == 200  # the fetcher carries on


def test_streamed_limit_without_trusting_content_length(server):
    # A small limit exercises the streamed count as well as the declared length.
    server.routes["/mid"] = Response(b"x" * 300_000, headers={"Content-Type": "text/plain"})
    with fast_fetcher(max_bytes=100_000) as f, pytest.raises(FetchError, match="exceeds"):
        f.fetch(server.url("/mid"))


def test_chunked_body_over_limit_without_content_length(server):
    # No Content-Length at all: only counting the streamed bytes can stop this body.
    sent, done = [0], threading.Event()

    def endless() -> Iterator[bytes]:
        try:
            for _ in range(800):  # 50 MB if nobody stopped reading
                sent[0] += 65536
                yield b"<p>" + b"x" * 65529 + b"</p>"
        finally:
            done.set()

    def handler(req: Request) -> Response:
        return Response(headers={"Content-Type": "text/html"}, chunks=endless())

    server.routes["/stream"] = handler
    server.routes["/ok"] = Response(STATEMENT)
    with fast_fetcher(max_bytes=1_000_000) as f:
        with pytest.raises(FetchError, match="exceeds the 1,000,000-byte limit"):
            f.fetch(server.url("/stream"))
        assert f.fetch(server.url("/ok")).status == 200  # the fetcher carries on
    assert done.wait(5)  # the server saw the connection go away...
    assert sent[0] < 20 * 1024 * 1024  # ...long before the 50 MB were sent
    stream_req = next(r for r in server.requests if r.path == "/stream")
    assert stream_req.method == "GET"


def test_chunked_body_under_limit_is_read_whole(server):
    parts = [STATEMENT[i:i + 100].encode() for i in range(0, len(STATEMENT), 100)]
    server.routes["/c"] = lambda req: Response(chunks=iter(parts))
    with fast_fetcher() as f:
        res = check(f, server.url("/c"))
    assert isinstance(res, Changed)
    assert res.fetch.body == STATEMENT.encode()
    assert "wildfires" in res.document.text


def test_100000_nested_divs_fetched_and_extracted(server):
    para = "<p>The ministers reaffirmed their commitment to peace and stability in the region.</p>"
    html = ("<html><head><title>Deep</title></head><body>" + "<div class='x'>" * 100_000 + para
            + "</div>" * 100_000 + "<p>They will meet again in Seoul in the autumn to review progress.</p>"
            + "</body></html>")
    server.routes["/deep"] = Response(html)
    t0 = time.monotonic()
    with fast_fetcher() as f:
        res = check(f, server.url("/deep"))
    assert time.monotonic() - t0 < 5
    assert isinstance(res, Changed)
    assert "reaffirmed their commitment" in res.document.text
    assert "meet again in Seoul" in res.document.text  # text after the deep part survives too


def test_pdf_is_fetched_and_extracted(server):
    pdf = make_pdf([
        "Joint Statement on Trilateral Cooperation",
        "The Secretary and the Foreign Ministers met on April 3 in Brussels.",
        "They expressed their deep condolences for the loss of lives in the wildfires.",
    ], title="Joint Statement")
    server.routes["/s.pdf"] = Response(pdf, headers={"Content-Type": "application/pdf"})
    with fast_fetcher() as f:
        res = check(f, server.url("/s.pdf"))
    assert isinstance(res, Changed)
    assert res.document.title == "Joint Statement"
    assert res.document.extractor == "pdf"
    assert "deep condolences" in res.document.text


def test_binary_content_type_refused(server):
    server.routes["/bin"] = Response(bytes(range(256)) * 10, headers={"Content-Type": "application/octet-stream"})
    with fast_fetcher() as f, pytest.raises(FetchError, match="unsupported content type 'application/octet-stream'"):
        f.fetch(server.url("/bin"))


def test_binary_body_without_type_refused(server):
    server.routes["/nul"] = Response(b"\x89PNG\r\n\x1a\n\x00\x00" * 100, headers={})
    with fast_fetcher() as f, pytest.raises(FetchError, match="not text"):
        f.fetch(server.url("/nul"))


def test_binary_body_labelled_html_is_extraction_error(server):
    server.routes["/fake"] = Response(b"\x00\x01\x02\x03" * 500, headers={"Content-Type": "text/html"})
    with fast_fetcher() as f, pytest.raises(ExtractionError, match="binary"):
        check(f, server.url("/fake"))


def test_wrong_http_charset(server):
    # Declared latin-1, really UTF-8: the mojibake is repaired, not reported as a new wording.
    body = STATEMENT.replace("Brussels", "Brussels (El Niño, “quoted”)").encode("utf-8")
    server.routes["/w"] = Response(body, headers={"Content-Type": "text/html; charset=iso-8859-1"})
    with fast_fetcher() as f:
        res = check(f, server.url("/w"))
    assert "El Niño, “quoted”" in res.document.text
    assert "Ã" not in res.document.text


def test_missing_charset_detected(server):
    html = STATEMENT.replace("Brussels", "Brüssel, São Paulo and Zürich — “together”")
    server.routes["/m"] = Response(html.encode("cp1252"), headers={"Content-Type": "text/html"})
    with fast_fetcher() as f:
        res = check(f, server.url("/m"))
    assert "Brüssel, São Paulo and Zürich — “together”" in res.document.text


def test_meta_charset_used(server):
    html = STATEMENT.replace("<head>", '<head><meta charset="windows-1252">').replace("Brussels", "Brüssel")
    server.routes["/meta"] = Response(html.encode("cp1252"), headers={"Content-Type": "text/html"})
    with fast_fetcher() as f:
        assert "Brüssel" in check(f, server.url("/meta")).document.text


def test_private_address_refused(server, monkeypatch):
    monkeypatch.setenv("ONRECORD_ALLOW_PRIVATE_URLS", "0")
    server.routes["/s"] = Response(STATEMENT)
    with fast_fetcher() as f, pytest.raises(UnsafeURLError, match="private address"):
        f.fetch(server.url("/s"))
    assert not server.requests  # refused before any request was sent
    for url in ("http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
                "http://192.168.0.1/", "http://localhost/"):
        with pytest.raises(UnsafeURLError):
            check_url(url)
    for url in ("file:///etc/passwd", "ftp://example.org/", "gopher://x/"):
        with pytest.raises(UnsafeURLError, match="only http"):
            check_url(url, allow_private=True)


def test_private_allowed_explicitly(server, monkeypatch):
    monkeypatch.setenv("ONRECORD_ALLOW_PRIVATE_URLS", "0")
    server.routes["/s"] = Response(STATEMENT)
    with fast_fetcher(allow_private=True) as f:
        assert f.fetch(server.url("/s")).status == 200


def test_redirect_from_allowed_origin_to_loopback_name_refused(server, monkeypatch):
    # Private addresses refused (the setting unset), except the one host the operator
    # vouches for. That host redirects to "localhost": a name, not an IP, that resolves
    # to loopback. The hop must be refused after the redirect and before any request.
    monkeypatch.delenv("ONRECORD_ALLOW_PRIVATE_URLS", raising=False)
    target = f"http://localhost:{server.port}/secret"
    server.routes["/go"] = Response("", 302, {"Location": target})
    server.routes["/secret"] = Response(STATEMENT)
    server.routes["/direct"] = Response(STATEMENT)
    with fast_fetcher(allow_hosts=["127.0.0.1"]) as f:
        assert f.fetch(server.url("/direct")).status == 200  # the origin itself is allowed
        with pytest.raises(UnsafeURLError, match="redirected to a refused URL.*localhost.*private address"):
            f.fetch(server.url("/go"))
        with pytest.raises(UnsafeURLError, match="private address"):
            f.fetch(target)  # and the name is refused when given directly
    paths = [r.path for r in server.requests]
    assert "/go" in paths and "/secret" not in paths
    # Control: the same redirect is followed when private addresses are allowed, so the
    # refusal above came from the address check, not from a broken route.
    with fast_fetcher(allow_private=True) as f:
        assert f.fetch(server.url("/go")).final_url == target
    assert [r.path for r in server.requests][-1] == "/secret"


def test_explicit_refusal_beats_the_environment(server, monkeypatch):
    monkeypatch.setenv("ONRECORD_ALLOW_PRIVATE_URLS", "1")
    server.routes["/s"] = Response(STATEMENT)
    with fast_fetcher(allow_private=False) as f, pytest.raises(UnsafeURLError, match="private address"):
        f.fetch(server.url("/s"))
    with pytest.raises(UnsafeURLError):
        check_url("http://127.0.0.1/", allow_private=False)


def test_user_agent_has_contact(server):
    server.routes["/s"] = Response(STATEMENT)
    with fast_fetcher(contact="desk@newsroom.example") as f:
        f.fetch(server.url("/s"))
    ua = server.requests[-1].headers["User-Agent"]
    assert "onrecord" in ua and "desk@newsroom.example" in ua


def test_robots_txt_honoured_and_cached(server):
    server.routes["/robots.txt"] = Response("User-agent: *\nDisallow: /private/\n",
                                            headers={"Content-Type": "text/plain"})
    server.routes["/private/x"] = Response(STATEMENT)
    server.routes["/public"] = Response(STATEMENT)
    with fast_fetcher() as f:
        with pytest.raises(FetchError, match="robots.txt"):
            f.fetch(server.url("/private/x"))
        f.fetch(server.url("/public"))
        f.fetch(server.url("/public"))
    paths = [r.path for r in server.requests]
    assert paths.count("/robots.txt") == 1 and "/private/x" not in paths


def test_robots_5xx_disallows_for_now(server):
    server.routes["/robots.txt"] = Response("oops", 500, {"Content-Type": "text/plain"})
    server.routes["/p"] = Response(STATEMENT)
    with fast_fetcher() as f, pytest.raises(FetchError, match="robots"):
        f.fetch(server.url("/p"))


def test_host_limiter_delay_and_concurrency():
    limiter = HostLimiter(HostPolicy(min_delay=0.05, max_concurrent=1),
                          per_host={"fast.example": HostPolicy(min_delay=0, max_concurrent=2)})
    t0 = time.monotonic()
    for _ in range(3):
        with limiter.slot("slow.example"):
            pass
    assert time.monotonic() - t0 >= 0.09
    assert limiter.policy("www.fast.example").max_concurrent == 2

    active, peak, lock = [0], [0], threading.Lock()

    def work() -> None:
        with limiter.slot("fast.example"):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.02)
            with lock:
                active[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2


def test_validators_roundtrip():
    v = Validators(etag='W/"x"', last_modified=None)
    assert v == Validators('W/"x"')


def test_proxy_from_environment_still_used(server, monkeypatch):
    # The session reads proxy settings once per origin (a speed-up): they must still apply.
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.base)
    server.routes["http://127.0.0.1:9/page"] = Response(STATEMENT)  # the proxy sees the absolute URI
    with fast_fetcher() as f:
        assert f.fetch("http://127.0.0.1:9/page").status == 200
        assert f.fetch("http://127.0.0.1:9/page").status == 200
    assert [r.path for r in server.requests].count("http://127.0.0.1:9/page") == 2


def test_iso_dates_read_like_dateutil():
    from dateutil import parser as dateparser

    from sources.extract import _parse_date

    for value in ("2022-03-01T12:00:00-05:00", "2025-04-03", "2025-04-03T10:00:00Z",
                  "2025-04-03 10:00:00.123+09:00", "April 3, 2025", "3 avril 2025"):
        expected = None
        try:
            expected = dateparser.parse(value)
        except (ValueError, OverflowError):
            pass
        if expected is not None and expected.tzinfo is None:
            expected = expected.replace(tzinfo=UTC)
        assert _parse_date(value) == expected, value
