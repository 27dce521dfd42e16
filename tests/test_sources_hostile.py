"""The fetch layer unattended and under attack: slow drips, malformed links, bad
selectors, robots.txt bombs and redirects, SSRF tricks and DNS rebinding. Every case
talks to a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import logging
import socket
import ssl
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sources.config import ConfigError, load_config, parse_config
from sources.discover import follow_sitemap, items_from_feed, items_from_listing
from sources.extract import ExtractionError, extract
from sources.fetch import Fetcher, FetchError
from sources.politeness import HostLimiter, HostPolicy, RobotsCache, RobotsFile
from sources.urls import UnsafeURLError, check_url, parse_target
from tests.httpfixture import LocalServer, Request, Response

STATEMENT = (
    "<html><head><title>Joint Statement</title></head><body><article><h1>Joint Statement</h1>"
    "<p>The Secretary and the Foreign Ministers met on April 3 in Brussels to strengthen "
    "trilateral cooperation in advancing the safety, security, and prosperity of our countries.</p>"
    "<p>They also expressed their deep condolences for the loss of lives and damage caused "
    "by the wildfires in the ROK and Japan. <a href='http://[zz/'>broken</a> "
    "<a href='/related'>related</a></p></article></body></html>"
)


def fast_fetcher(**kw: object) -> Fetcher:
    kw.setdefault("limiter", HostLimiter(HostPolicy(min_delay=0, max_concurrent=8)))
    kw.setdefault("backoff", 0.01)
    return Fetcher(**kw)  # type: ignore[arg-type]


def drip(n: int, every: float) -> Iterator[bytes]:
    for _ in range(n):
        time.sleep(every)
        yield b"x"


# -- 1. slow drip: a deadline per fetch ----------------------------------------------------


def test_slow_drip_body_hits_the_fetch_deadline(server: LocalServer) -> None:
    # 2 bytes a second, each read well inside the 20 s read timeout: only a deadline on
    # the whole response ends it.
    server.routes["/drip"] = Response(headers={"Content-Type": "text/html"}, chunks=drip(600, 0.5))
    t0 = time.monotonic()
    with fast_fetcher(max_time=1.5) as f, pytest.raises(FetchError, match="took too long"):
        f.fetch(server.url("/drip"))
    assert time.monotonic() - t0 < 4


class DripHeaders:
    """A raw server that sends its status line and headers one byte every `every` s."""

    def __init__(self, every: float) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.every = every
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        conn.recv(65536)
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 1000:
                conn.sendall(bytes([byte]))
                time.sleep(self.every)
        except OSError:
            pass
        conn.close()

    def close(self) -> None:
        self.sock.close()


def test_slow_drip_headers_hit_the_fetch_deadline() -> None:
    slow = DripHeaders(0.2)
    try:
        t0 = time.monotonic()
        with fast_fetcher(max_time=1.0, robots=False) as f, pytest.raises(FetchError,
                                                                          match="took too long"):
            f.fetch(f"http://127.0.0.1:{slow.port}/")
        assert time.monotonic() - t0 < 4
    finally:
        slow.close()


def test_source_deadline_cuts_a_fetch_and_skips_the_next(server: LocalServer) -> None:
    server.routes["/drip"] = Response(headers={"Content-Type": "text/html"}, chunks=drip(600, 0.5))
    server.routes["/fine"] = Response(STATEMENT)
    with fast_fetcher(max_time=30) as f:
        t0 = time.monotonic()
        with f.limits(deadline=time.monotonic() + 1.0):
            with pytest.raises(FetchError, match="took too long"):
                f.fetch(server.url("/drip"))
            assert time.monotonic() - t0 < 4
            with pytest.raises(FetchError, match="time budget ran out"):
                f.fetch(server.url("/fine"))
        assert f.fetch(server.url("/fine")).status == 200  # outside the block: no budget
    assert [r.path for r in server.requests].count("/fine") == 1


def test_fast_fetches_are_untouched_by_the_deadline(server: LocalServer) -> None:
    server.routes["/s"] = Response(STATEMENT)
    with fast_fetcher(max_time=0.5) as f:
        for _ in range(20):
            assert f.fetch(server.url("/s")).status == 200
        time.sleep(0.8)  # the watchdog passes every deadline: nothing left to cut
        assert b"Brussels" in f.fetch(server.url("/s")).body


# -- 2. malformed links and bad selectors ------------------------------------------------


def test_malformed_link_in_a_page_is_dropped_not_fatal() -> None:
    for kind in ("statement", "coverage"):
        doc = extract(STATEMENT.encode(), "http://example.org/s", content_type="text/html", kind=kind)
        assert "wildfires" in doc.text
        assert doc.links == ("http://example.org/related",)


def test_malformed_links_in_listing_and_feed_skipped_with_a_warning(caplog) -> None:
    listing = (b'<html><body><ul><li><a href="http://[zz/">x</a></li>'
               b'<li><a href="http://example.org:port/">y</a></li>'
               b'<li><a href="/a">A</a></li></ul></body></html>')
    with caplog.at_level(logging.WARNING, logger="onrecord.discover"):
        items = items_from_listing(listing, "http://example.org/", "li a")
    assert [i.url for i in items] == ["http://example.org/a"]
    assert sum("malformed link" in r.getMessage() for r in caplog.records) == 2
    # feedparser already drops such a link from a feed; a sitemap's <loc> is ours to skip.
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b'<item><title>bad</title><link>http://[zz/</link></item>'
            b'<item><title>good</title><link>http://example.org/g</link></item></channel></rss>')
    assert [i.url for i in items_from_feed(feed, "http://example.org/feed")] == [
        "http://example.org/g"]
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b'<url><loc>http://[zz/</loc></url><url><loc>http://example.org/s</loc></url></urlset>')
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="onrecord.discover"):
        found = follow_sitemap(sitemap, "http://example.org/sitemap.xml", lambda u: b"")
        assert [i.url for i in found.items] == ["http://example.org/s"]
    assert any("http://[zz/" in r.getMessage() for r in caplog.records)


def test_bad_selector_is_a_one_line_config_error(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[source]]\nname = "x"\nurls = ["http://example.org/"]\nselector = "div["\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message and "'x'" in message and "selector 'div['" in message
    assert "\n" not in message
    with pytest.raises(ConfigError, match="link_selector"):
        parse_config({"source": [{"name": "l", "listing": "http://example.org/",
                                  "link_selector": "a:nope(1)"}]})
    # A selector given some other way is an ExtractionError for that page, not a crash.
    with pytest.raises(ExtractionError, match="invalid CSS selector"):
        extract(STATEMENT.encode(), "http://example.org/s", content_type="text/html", selector="p[")


# -- 3. robots.txt ---------------------------------------------------------------------------


def test_robots_gzip_bomb_is_read_only_to_the_limit(server: LocalServer) -> None:
    # 64 MB of rules inflated from about 64 KB on the wire.
    bomb = gzip.compress(b"Disallow: /x\n" * (64 * 1024 * 1024 // 13), compresslevel=9)
    assert len(bomb) < 1024 * 1024
    server.routes["/robots.txt"] = Response(bomb, headers={
        "Content-Type": "text/plain", "Content-Encoding": "gzip"})
    server.routes["/p"] = Response(STATEMENT)
    tracemalloc.start()
    try:
        with fast_fetcher() as f:
            assert f.fetch(server.url("/p")).status == 200
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"peak {peak:,} bytes"


def test_robots_redirect_hops_are_checked_before_they_are_requested(server: LocalServer,
                                                                    monkeypatch) -> None:
    # Private addresses refused except the origin the operator vouches for; its
    # robots.txt redirects to "localhost" (loopback by another name).
    monkeypatch.delenv("ONRECORD_ALLOW_PRIVATE_URLS", raising=False)
    server.routes["/robots.txt"] = Response("", 302, {
        "Location": f"http://localhost:{server.port}/internal-robots"})
    server.routes["/internal-robots"] = Response("User-agent: *\nDisallow: /\n",
                                                 headers={"Content-Type": "text/plain"})
    server.routes["/p"] = Response(STATEMENT)
    with fast_fetcher(allow_hosts=["127.0.0.1"]) as f:
        assert f.fetch(server.url("/p")).status == 200  # no usable robots.txt: allowed
    paths = [r.path for r in server.requests]
    assert "/robots.txt" in paths and "/internal-robots" not in paths


def test_robots_followed_through_a_same_site_redirect(server: LocalServer) -> None:
    server.routes["/robots.txt"] = Response("", 301, {"Location": "/real-robots.txt"})
    server.routes["/real-robots.txt"] = Response("User-agent: *\nDisallow: /private/\n",
                                                 headers={"Content-Type": "text/plain"})
    server.routes["/private/x"] = Response(STATEMENT)
    with fast_fetcher() as f, pytest.raises(FetchError, match="robots.txt"):
        f.fetch(server.url("/private/x"))


def test_robots_kept_until_its_max_age(server: LocalServer) -> None:
    server.routes["/robots.txt"] = Response("User-agent: *\nDisallow: /private/\n", headers={
        "Content-Type": "text/plain", "Cache-Control": "max-age=1"})
    server.routes["/p"] = Response(STATEMENT)
    with fast_fetcher() as f:
        f.fetch(server.url("/p"))
        f.fetch(server.url("/p"))
        assert [r.path for r in server.requests].count("/robots.txt") == 1
        time.sleep(1.1)
        f.fetch(server.url("/p"))
    assert [r.path for r in server.requests].count("/robots.txt") == 2


def test_robots_5xx_is_remembered_only_briefly() -> None:
    now = [0.0]
    answers = [RobotsFile(503), RobotsFile(200, "User-agent: *\nDisallow: /x\n")]
    cache = RobotsCache(lambda _url: answers.pop(0), "onrecord/0.1", error_ttl=300,
                        clock=lambda: now[0])
    assert not cache.allowed("http://h.example/page")
    now[0] = 299
    assert not cache.allowed("http://h.example/page")  # still the cached outage
    now[0] = 301
    assert cache.allowed("http://h.example/page") and not cache.allowed("http://h.example/x")
    assert not answers


# -- 4. SSRF -----------------------------------------------------------------------------


def test_backslash_userinfo_trick_refused_before_any_request(server: LocalServer,
                                                             monkeypatch) -> None:
    # urllib.parse reads host 8.8.8.8 here; urllib3 connects to 127.0.0.1.
    monkeypatch.setenv("ONRECORD_ALLOW_PRIVATE_URLS", "0")
    server.routes["/"] = Response(STATEMENT)
    tricks = [f"http://127.0.0.1:{server.port}\\@8.8.8.8/",
              f"http://8.8.8.8@127.0.0.1:{server.port}/",
              f"http://user:pw@127.0.0.1:{server.port}/"]
    with fast_fetcher() as f:
        for url in tricks:
            with pytest.raises(UnsafeURLError):
                f.fetch(url)
    assert not server.requests
    with pytest.raises(UnsafeURLError, match="backslash"):
        check_url(tricks[0], allow_private=True)


def test_redirect_to_backslash_trick_refused(server: LocalServer, monkeypatch) -> None:
    monkeypatch.setenv("ONRECORD_ALLOW_PRIVATE_URLS", "0")
    server.routes["/go"] = Response("", 302, {"Location": f"http://127.0.0.1:{server.port}\\@8.8.8.8/x"})
    with fast_fetcher(allow_hosts=["127.0.0.1"]) as f, pytest.raises(
            UnsafeURLError, match="redirected to a refused URL.*backslash"):
        f.fetch(server.url("/go"))
    assert [r.path for r in server.requests if r.path != "/robots.txt"] == ["/go"]


class Resolver:
    """A name server for the test: answers in turn, then the last one again."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def test_connection_pinned_to_the_vetted_address(server: LocalServer) -> None:
    # DNS rebinding: the name resolves to the server's address, then to another
    # (127.0.0.2, where nothing listens). One resolution per request, and the
    # connection goes to that answer with the name in the Host header.
    server.routes["/s"] = Response(STATEMENT)
    dns = Resolver(["127.0.0.1"], ["127.0.0.2"])
    with fast_fetcher(allow_private=True, robots=False, resolver=dns) as f:
        result = f.fetch(f"http://statements.test:{server.port}/s")
    assert result.status == 200 and b"Brussels" in result.body
    assert dns.calls == ["statements.test"]
    assert server.requests[-1].headers["Host"] == f"statements.test:{server.port}"


def test_every_resolved_address_is_vetted(server: LocalServer) -> None:
    # One private answer among public ones: refused, nothing sent, nothing connected.
    server.routes["/s"] = Response(STATEMENT)
    dns = Resolver(["93.184.216.34", "127.0.0.1"])
    with fast_fetcher(allow_private=False, resolver=dns) as f, pytest.raises(
            UnsafeURLError, match="127.0.0.1 is a private address"):
        f.fetch(f"http://statements.test:{server.port}/s")
    assert not server.requests


def test_allow_private_per_source(server: LocalServer, monkeypatch) -> None:
    monkeypatch.setenv("ONRECORD_ALLOW_PRIVATE_URLS", "0")
    server.routes["/s"] = Response(STATEMENT)
    config = parse_config({"source": [
        {"name": "intranet", "urls": [server.url("/s")], "allow_private": True},
        {"name": "other", "urls": [server.url("/s")]}]})
    intranet, other = config.sources
    assert intranet.allow_private and not other.allow_private
    with fast_fetcher() as f:
        with f.limits(private_hosts=intranet.private_hosts):
            assert f.fetch(server.url("/s")).status == 200
        with f.limits(private_hosts=other.private_hosts), pytest.raises(UnsafeURLError):
            f.fetch(server.url("/s"))
    monkeypatch.setenv("ONRECORD_ALLOW_PRIVATE_URLS", "1")  # the global switch still works
    with fast_fetcher() as f:
        assert f.fetch(server.url("/s")).status == 200


def _tls_server(tmp_path: Path, name: str) -> tuple[LocalServer, Path]:
    """A LocalServer speaking TLS with a certificate for `name`, and its CA file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    srv = LocalServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    srv.httpd.socket = context.wrap_socket(srv.httpd.socket, server_side=True)
    return srv, cert_file


def test_https_pinned_with_sni_and_certificate_for_the_name(tmp_path: Path, monkeypatch) -> None:
    srv, ca = _tls_server(tmp_path, "statements.test")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
    try:
        srv.routes["/s"] = Response(STATEMENT)
        dns = Resolver(["127.0.0.1"])
        with fast_fetcher(allow_private=True, robots=False, resolver=dns) as f:
            assert f.fetch(f"https://statements.test:{srv.port}/s").status == 200
            # The same address under a name the certificate does not carry: refused.
            with pytest.raises(FetchError, match="connection failed"):
                f.fetch(f"https://other.test:{srv.port}/s")
        assert [r.path for r in srv.requests] == ["/s"]
        assert srv.requests[0].headers["Host"] == f"statements.test:{srv.port}"
    finally:
        srv.close()


def test_urls_parsed_as_the_http_client_parses_them() -> None:
    assert parse_target("HTTP://Example.ORG/x").host == "example.org"
    assert parse_target("https://[::1]:8443/").port == 8443
    # In the path a space or backslash is only quoted by the client: not a trick.
    assert parse_target("http://example.org/some file.pdf?q=a\\b").host == "example.org"
    for url in ("http://[zz/", "http://[::1/", "http://example.org:99999/", "http://exa mple.org/",
                "javascript:alert(1)", "http:///nohost"):
        with pytest.raises(UnsafeURLError):
            parse_target(url)


def test_proxy_still_used_and_vetted(server: LocalServer, monkeypatch) -> None:
    # Through a configured proxy the proxy connects; our check still applies first.
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.base)
    server.routes["http://127.0.0.1:9/page"] = Response(STATEMENT)
    with fast_fetcher(allow_private=True, robots=False) as f:
        assert f.fetch("http://127.0.0.1:9/page").status == 200
    with fast_fetcher(allow_private=False, robots=False) as f, pytest.raises(UnsafeURLError):
        f.fetch("http://127.0.0.1:9/page")
    assert [r.path for r in server.requests] == ["http://127.0.0.1:9/page"]


# -- 5. wrong types in the sources file ----------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ('max_items = "many"', "max_items must be a positive integer, not a string ('many')"),
    ("urls = [1, 2]", "urls must be an array of strings, not an array containing a number (1)"),
    ('keywords = "text"', "keywords must be an array of strings, not a string ('text')"),
    ("selector = 3", "selector must be a string, not a number (3)"),
    ('allow_private = "yes"', "allow_private must be true or false, not a string ('yes')"),
    ('urls = ["http://[::1/"]', "urls: http://[::1/: invalid URL"),
])
def test_wrong_types_are_one_line_naming_file_and_key(tmp_path: Path, line: str,
                                                      expected: str) -> None:
    path = tmp_path / "sources.toml"
    body = '[[source]]\nname = "s"\n' + line + "\n"
    if not line.startswith("urls"):
        body += 'urls = ["http://example.org/"]\n'
    path.write_text(body)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}: source 's': ") and expected in message, message
    assert "\n" not in message


def test_handler_route_for_requests_still_works(server: LocalServer) -> None:
    # Sanity for the fixture with pinned connections: handlers see the request.
    seen: list[Request] = []

    def handler(req: Request) -> Response:
        seen.append(req)
        return Response(STATEMENT)

    server.routes["/h"] = handler
    with fast_fetcher() as f:
        f.fetch(server.url("/h"))
    assert seen and seen[0].headers["Host"] == f"127.0.0.1:{server.port}"

