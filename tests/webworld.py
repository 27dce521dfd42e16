"""A real store for the web tests, filled through the pipeline from pages served on loopback.

The demo's site (flows/demo_server.py: a statement, its feed, an accurate and a misquoting
article) is fetched three times around two silent edits, so the statement has three
versions; a second statement whose text carries markup, event handlers and javascript:
links (as text: a page may quote code) is fetched twice, so it has a version page and a
compare page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.demo_server import ARTICLES, STATEMENT, DemoSite
from flows.pipeline import Pipeline, Runtime
from flows.settings import Settings
from sources.config import load_config

HOSTILE = "/statements/hostile-notice"
# The payloads set window.__pwned when they run: a page that stays inert leaves it undefined.
PAYLOAD_SCRIPT = "<script>window.__pwned = 'script'</script>"
PAYLOAD_IMG = "<img src=x onerror=\"window.__pwned='onerror'\">"
PAYLOAD_LINK = "<a href=\"javascript:window.__pwned='link'\">read the annex</a>"
PAYLOAD_URL = "javascript:window.__pwned='url'"
# The third version's edit: a sentence added to the last paragraph.
THIRD_EDIT = ("to invite other partners to join the initiative.",
              "to invite other partners to join the initiative. A first report is due in June.")


def _escape(text: str) -> str:
    # The hostile statement shows the payloads as text: they are escaped in its HTML, so
    # the extractor keeps them as characters (as a page quoting code would).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hostile_page(version: int) -> str:
    paras = [
        f"The Ministry publishes this notice on data handling, revision {version}.",
        f"Systems must reject input such as {PAYLOAD_SCRIPT} before it is stored.",
        f"Images like {PAYLOAD_IMG} and links like {PAYLOAD_LINK} are stripped.",
        f"Addresses of the form {PAYLOAD_URL} are never followed.",
    ]
    if version > 1:
        paras.append("Reports of such input go to the security office within 24 hours.")
    body = "".join(f"<p>{_escape(p)}</p>" for p in paras)
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Notice on data handling &lt;script&gt;alert(1)&lt;/script&gt;</title>"
        "<meta property=\"og:title\" content=\"Notice on data handling &lt;b onmouseover=x&gt;\">"
        "<meta property=\"og:site_name\" content=\"Demo Ministry of Foreign Affairs\">"
        "<meta property=\"article:published_time\" content=\"2026-11-21T09:00:00+00:00\">"
        "</head><body><main><article><h1>Notice on data handling</h1>"
        f"<div class=\"entry-content\">{body}</div></article></main></body></html>"
    )


@dataclass(frozen=True)
class World:
    database_url: str
    statement_url: str
    misquote_url: str
    accurate_url: str
    hostile_url: str


def build_world(db_path: Path, workdir: Path) -> World:
    """Three passes of the pipeline over the demo site (plus the hostile statement)."""
    site = DemoSite()
    site.pages[HOSTILE] = (hostile_page(1), "text/html; charset=utf-8")
    site.start()
    config = workdir / "sources.toml"
    config.write_text(
        site.config_toml()
        + "\n[[source]]\nname = \"demo-notices\"\nkind = \"statement\"\n"
        + f"urls = [\"{site.url(HOSTILE)}\"]\n", encoding="utf-8")
    database_url = f"sqlite:///{db_path}"
    settings = Settings(database_url=database_url, allow_private=True, host_delay=0.0)
    sources = sorted(load_config(config).sources, key=lambda s: s.kind != "statement")

    def one_pass() -> None:
        rt = Runtime.from_settings(settings, console=False)
        try:
            for source in sources:
                report = Pipeline(rt).run_source(source)
                if report.failed:
                    raise RuntimeError(f"pipeline pass failed on {source.name}: {report.error}")
        finally:
            rt.close()

    try:
        one_pass()
        site.edit_statement()
        site.pages[HOSTILE] = (hostile_page(2), "text/html; charset=utf-8")
        one_pass()
        text, ctype = site.pages[STATEMENT]
        assert THIRD_EDIT[0] in text
        site.pages[STATEMENT] = (text.replace(*THIRD_EDIT), ctype)
        one_pass()
    finally:
        site.stop()
    return World(database_url, site.url(STATEMENT), site.url(ARTICLES[1]), site.url(ARTICLES[0]),
                 site.url(HOSTILE))
