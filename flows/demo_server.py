"""The demo's local site: a statement, its feed and two articles served on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

PAGES = {
    "/statements/pacific-clean-water": ("statement.html", "text/html; charset=utf-8"),
    "/statements/feed.xml": ("feed.xml", "application/rss+xml; charset=utf-8"),
    "/news/pacific-water-partnership": ("article-accurate.html", "text/html; charset=utf-8"),
    "/news/water-aid-strings": ("article-misquote.html", "text/html; charset=utf-8"),
}
STATEMENT = "/statements/pacific-clean-water"
FEED = "/statements/feed.xml"
ARTICLES = ("/news/pacific-water-partnership", "/news/water-aid-strings")

# The edit the demo makes: a number changed and a sentence removed.
EDITS = (
    ("committed $80 million over five years", "committed $58 million over five years"),
    ("The partners will not impose conditions on emergency relief. ", ""),
)


class DemoSite:
    """Serve the bundled sample pages on a free loopback port."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        for path, (name, ctype) in PAGES.items():
            text = resources.files("flows").joinpath("demo_site", name).read_text("utf-8")
            self.pages[path] = (text.replace("{base}", self.base), ctype)
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                page = site.pages.get(self.path.split("?")[0])
                if page is None:
                    body, ctype, status = b"not found", "text/plain", 404
                else:
                    body, ctype, status = page[0].encode("utf-8"), page[1], 200
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> DemoSite:
        self._thread.start()
        return self

    def edit_statement(self) -> None:
        """Silently edit the statement, as a ministry might."""
        text, ctype = self.pages[STATEMENT]
        for old, new in EDITS:
            if old not in text:
                raise RuntimeError(f"demo page lacks {old!r}")
            text = text.replace(old, new)
        self.pages[STATEMENT] = (text, ctype)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def config_toml(self) -> str:
        return (
            "[[source]]\n"
            'name = "demo-ministry"\n'
            'kind = "statement"\n'
            f'feed = "{self.url(FEED)}"\n\n'
            "[[source]]\n"
            'name = "demo-press"\n'
            'kind = "coverage"\n'
            f"urls = [{', '.join(repr(self.url(p)).replace(chr(39), chr(34)) for p in ARTICLES)}]\n"
        )
