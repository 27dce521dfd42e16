"""`onrecord demo`: the whole pipeline on a local sample site, edit detection included."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flows.cli import print_claims
from flows.demo_server import ARTICLES, STATEMENT, DemoSite
from flows.pipeline import SourceReport
from store.records import Version


def _print_reports(reports: list[SourceReport]) -> None:
    for report in reports:
        if report.error:
            print(f"  source {report.source}: FAILED: {report.error}")
        for o in report.outcomes:
            print(f"  {o.status:<10} {o.kind:<9} {o.title or o.url}")
            if o.summary and o.status == "changed":
                print(f"             {o.summary}")
            if o.error:
                print(f"             {o.error}")
            for q in o.quotes:
                sev = f", {q.severity}" if q.severity != "none" else ""
                print(f"             quote: {q.verdict}{sev}: “{q.quote[:80]}”")
            print_claims(o.claims)


def web_address(port: int, versions: list[Version]) -> str:
    """Where `onrecord web` shows the statement's edit: the compare page of its first and
    last versions (the statement's page while it has one version)."""
    base = f"http://127.0.0.1:{port}"
    if len(versions) >= 2:
        return f"{base}/compare/{versions[0].id}/{versions[-1].id}"
    return f"{base}/statement/{versions[0].document_id}" if versions else f"{base}/"


def keep_web_running(port: int) -> None:
    """`onrecord demo --web`: serve the demo's store on loopback until interrupted."""
    from flows.settings import Settings
    from store import Store
    from web.app import WebSettings
    from web.server import serve

    store = Store(Settings.from_env().database_url)
    try:
        print(f"\nonrecord web: serving {store.location} on http://127.0.0.1:{port}/ "
              "(Ctrl-C stops)")
        serve(store, WebSettings.from_env(), "127.0.0.1", port)
    finally:
        store.close()


def run_demo(*, plain: bool = False, port: int = 8040) -> int:
    """Serve the sample site, run two monitoring passes around a silent edit, summarise."""
    # The sample site lives on loopback, which hand-given URLs may not otherwise reach.
    os.environ["ONRECORD_ALLOW_PRIVATE_URLS"] = "1"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.pipeline import Pipeline, Runtime
    from flows.settings import Settings
    from store import Store

    settings = Settings.from_env()
    site = DemoSite().start()
    workdir = Path(tempfile.mkdtemp(prefix="onrecord-demo-"))
    config = workdir / "sources.toml"
    config.write_text(site.config_toml(), encoding="utf-8")
    print(f"onrecord demo: sample site on {site.base}")
    if settings.slack_configured:
        print("Slack is configured: alerts go to the console and to Slack.")

    def one_pass() -> list[SourceReport]:
        if plain:
            from alerts.deliver import deliver
            from sources.config import load_config

            rt = Runtime.from_settings(settings)
            try:
                sources = sorted(load_config(config).sources, key=lambda s: s.kind != "statement")
                reports = [Pipeline(rt).run_source(s) for s in sources]
                deliver(rt.store, rt.sinks)
            finally:
                rt.close()
            return reports
        from flows.prefect_flows import monitor

        return monitor(str(config))

    try:
        print("\n== Pass 1: discover the statement through its feed, read the coverage ==")
        first = one_pass()
        _print_reports(first)
        print("\n== The ministry silently edits the statement (a number and a sentence) ==")
        site.edit_statement()
        print("\n== Pass 2: fetch again, compare, re-check the coverage ==")
        second = one_pass()
        _print_reports(second)
    finally:
        site.stop()

    store = Store(settings.database_url)
    try:
        statement_url = site.url(STATEMENT)
        versions = store.versions(statement_url)
        changes = store.changes(statement_url)
        alerts = [a for a in store.alerts() if a.payload.get("url") in
                  {statement_url, *(site.url(p) for p in ARTICLES)}]
        location = store.location
        store_url = store.safe_url
    finally:
        store.close()
    misquotes = {(q.article_url, q.quote) for r in first + second for o in r.outcomes
                 for q in o.quotes if q.verdict == "misquote"}
    stale = [q for r in second for o in r.outcomes for q in o.quotes if q.verdict == "stale"]
    # Reported claims drifted from the statement (in the reporter's own words, not quoted).
    drifted = {(c.article_url, c.claim) for r in first + second for o in r.outcomes
               for c in o.claims if c.verdict == "drift"}
    failed = [r for r in first + second if r.failed]
    print("\n== Summary ==")
    print(f"  statement versions stored: {len(versions)}")
    for c in changes:
        print(f"  edit detected: {c.summary}")
    print(f"  misquotes found: {len(misquotes)}; quotes made stale by the edit: {len(stale)}")
    print(f"  drifted claims found: {len(drifted)}")
    sent = sum(1 for a in alerts if a.status == "sent")
    # The statement's first version is announced; the coverage (alert_new off) is not.
    new_alerts = {a.payload.get("url") for a in alerts if a.kind == "new"}
    print(f"  new-statement alerts: {len(new_alerts)}")
    print(f"  alerts: {len(alerts)} queued, {sent} delivered")
    print(f"  data: {location}")
    print(f"  see the versions: onrecord history {statement_url}")
    print(f"  see the edit on the web: {web_address(port, versions)}")
    print(f"    (start the site with: onrecord web --db {store_url} --port {port};"
          " or run the demo with --web)")
    ok = (len(versions) == 2 and changes and misquotes and drifted and not failed
          and new_alerts == {statement_url})
    return 0 if ok else 1
