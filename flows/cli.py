"""The `onrecord` command line.

Each command imports what it uses, in its body: `onrecord history` or `deliver` should not
pay for trafilatura, numpy or Prefect (on a loaded machine importing all of them took 4 s
and `import prefect` 2-3 s more), and `run`/`check` load Prefect only without `--plain`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import mimetypes
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from alerts.escape import terminal, terminal_line
from sources.config import ConfigError
from sources.document import COVERAGE, KINDS, STATEMENT

if TYPE_CHECKING:
    from alerts.deliver import DeliveryReport
    from compare.claims import ClaimReport
    from compare.quotecheck import QuoteCheck
    from flows.pipeline import ClaimResult, Runtime, SourceReport
    from sources.config import Source
    from sources.document import Document
    from store.quoteindex import StoreQuoteIndex

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad argument or input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, no usage dump: scripts and people both read the first line.
        print(f"{self.prog}: error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _is_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


def load_document(source: str, *, url: str | None = None, kind: str = STATEMENT) -> Document:
    """A Document from a file (HTML, text, PDF) or an http(s) URL."""
    from sources.extract import extract
    from sources.fetch import DEFAULT_MAX_BYTES, Fetcher

    if _is_url(source):
        fetcher = Fetcher(allow_private=os.environ.get("ONRECORD_ALLOW_PRIVATE_URLS") == "1")
        try:
            result = fetcher.fetch(source)
        finally:
            fetcher.close()
        return extract(result.body, url or result.final_url, content_type=result.content_type,
                       charset=result.charset, kind=kind)
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{source}: no such file")
    # The limit a fetched page has: a huge file is refused, not parsed for minutes.
    if path.stat().st_size > DEFAULT_MAX_BYTES:
        raise UsageError(f"{source}: file of {path.stat().st_size:,} bytes exceeds the "
                         f"{DEFAULT_MAX_BYTES:,}-byte limit")
    body = path.read_bytes()
    ctype = mimetypes.guess_type(path.name)[0] or "text/html"
    if path.suffix.lower() in (".txt", ".text", ".md"):
        ctype = "text/plain"
    return extract(body, url or path.resolve().as_uri(), content_type=ctype, kind=kind)


# -- commands ---------------------------------------------------------------------------

def cmd_extract(args: argparse.Namespace) -> int:
    doc = load_document(args.source, url=args.url)
    if args.format == "json":
        print(json.dumps(doc.to_json(), ensure_ascii=False, indent=2))
    else:
        print(terminal_line(doc.title))
        meta = [m for m in (doc.issuer, doc.published.isoformat() if doc.published else None) if m]
        if meta:
            print(terminal_line(" · ".join(meta)))
        print()
        print(terminal(doc.text))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from compare.diff import diff_texts
    from compare.render import render_html, render_markdown, render_terminal
    from sources.normalize import canonical_text

    old = load_document(args.old)
    new = load_document(args.new)
    old_text, new_text = canonical_text(old.paragraphs), canonical_text(new.paragraphs)
    diff = diff_texts(old_text, new_text)
    if args.format == "json":
        print(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "html":
        print(render_html(diff, old_text, new_text, title=new.title or "onrecord diff"))
    elif args.format == "markdown":
        print(render_markdown(diff, old_text, new_text))
    else:
        print(render_terminal(diff, old_text, new_text, color=sys.stdout.isatty()))
    return EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:

    article = load_document(args.article, kind=COVERAGE)
    statements = [load_document(s) for s in args.statement]
    checks = check_against(article, statements)
    if args.format == "json":
        print(json.dumps({"quotes": [c.to_json() for c in checks]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not checks:
        print("no direct quotes")
    for c in checks:
        sev = f" ({c.severity})" if c.severity != "none" else ""
        # Scraped text reaches a terminal: control characters and escapes are neutralised.
        who = f" — {terminal_line(c.quote.speaker)}" if c.quote.speaker else ""
        print(f"{c.verdict.upper()}{sev} [{c.quote.role.value}{who}]: “{terminal_line(c.quote.text)}”")
        if c.matched and c.verdict not in ("exact",):
            print(f"    official: “{terminal_line(c.matched)}”")
        for r in c.reasons:
            print(f"    - {terminal_line(r)}")
    return EXIT_OK


def check_against(article: Document, statements: Sequence[Document]) -> list[QuoteCheck]:
    """The article's quotes checked by the pipeline's engine against the given statements.

    They go into a temporary store (a SQLite file, deleted afterwards): the same index, the
    same queries, the same verdicts as a monitored store gives.
    """
    from compare.quote_engine import check_article
    from compare.quotes import extract_quotes

    with _temporary_index(statements) as index:
        return check_article(index, extract_quotes(article.text), article.published, links=article.links)


def claims_against(article: Document, statements: Sequence[Document]) -> ClaimReport:
    """The article's reported claims (and its quotes, for the coverage map) checked against
    the given statements through a temporary store, as `check_against` does for quotes."""
    from compare.claims import check_claims
    from compare.quote_engine import check_article
    from compare.quotes import extract_quotes
    from flows.pipeline import load_embedder

    with _temporary_index(statements) as index:
        quotes = check_article(index, extract_quotes(article.text), article.published, links=article.links)
        return check_claims(index, article.text, quotes, article.published, article.links,
                            embedder=load_embedder())


@contextlib.contextmanager
def _temporary_index(statements: Sequence[Document]) -> Iterator[StoreQuoteIndex]:
    """A statement index over a temporary SQLite store holding `statements` (then deleted)."""
    from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash
    from store import Store
    from store.quoteindex import StoreQuoteIndex
    from store.records import Observation

    with tempfile.TemporaryDirectory(prefix="onrecord-quotes-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'quotes.sqlite'}")
        try:
            for doc in statements:
                canonical = canonical_text(doc.paragraphs)
                latest, _ = store.prior(doc.url)
                store.record_observation(Observation(
                    url=doc.url, kind=STATEMENT, title=doc.title, paragraphs=tuple(doc.paragraphs),
                    canonical_text=canonical, text_hash=text_hash(canonical),
                    normalizer_version=NORMALIZER_VERSION, issuer=doc.issuer),
                    expected_latest=latest.seq if latest else None)
            yield StoreQuoteIndex(store)
        finally:
            store.close()


def cmd_claims(args: argparse.Namespace) -> int:
    article = load_document(args.article, kind=COVERAGE)
    statements = [load_document(s) for s in args.statement]
    report = claims_against(article, statements)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not report.claims:
        print("no reported claims")
    for c in report.claims:
        kind = f" {c.kind}" if c.kind else ""
        sev = f" ({c.severity})" if c.severity != "none" else ""
        # Scraped text reaches a terminal: control characters and escapes are neutralised.
        print(f"{c.verdict.upper()}{kind}{sev}: {terminal_line(c.claim.text)}")
        if c.matched:
            print(f"    statement: “{terminal_line(c.matched)}”")
        for r in c.reasons:
            print(f"    - {terminal_line(r)}")
    if report.coverage:
        print("coverage:")
    for p in report.coverage:
        text = terminal_line(p.text)
        print(f"  {terminal_line(p.source)} ¶{p.paragraph} {p.how}: {text[:70]}{'…' if len(text) > 70 else ''}")
    return EXIT_OK


def _use_config(config_path: str):  # noqa: ANN202 - local imports keep other commands fast
    """Load and check the sources file, and make it the one this process and the flow runs
    it starts read their [[sink]] tables from. A bad table is a usage error now, not a
    failed delivery later (Prefect Secret blocks are named here, loaded when used)."""
    from alerts.config import build_sinks
    from sources.config import load_config

    config = load_config(config_path)
    os.environ["ONRECORD_CONFIG"] = str(Path(config_path).resolve())
    build_sinks(config.sinks, os.environ, origin=config_path, load_secret=lambda block: block)
    return config


def _settings():  # noqa: ANN202 - local import keeps `extract`/`diff` fast
    from flows.settings import Settings

    try:
        return Settings.from_env()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _print_outcome(o) -> None:  # noqa: ANN001
    # Scraped text (URLs, summaries, quotes) shown inert: no escape sequence or bidi
    # override reaches the terminal, no newline fakes a line of our own.
    line = f"{o.status:<12} {o.kind:<9} {terminal_line(o.url)}"
    if o.summary:
        line += f"\n             {terminal_line(o.summary)}"
    if o.error:
        line += f"\n             {terminal_line(o.error)}"
    print(line)
    for q in o.quotes:
        print(f"             quote {q.verdict} ({q.severity}): “{terminal_line(q.quote[:90])}”")
    print_claims(o.claims)


def print_claims(claims: Sequence[ClaimResult], indent: str = "             ") -> None:
    """A run's reported claims on the terminal: each drifted or unsupported one with its
    reasons, the faithful ones counted (they are stored and shown by `onrecord history`)."""
    faithful = 0
    for c in claims:
        if c.verdict == "faithful":
            faithful += 1
            continue
        what = ", ".join(str(x) for x in (c.kind, c.severity) if x and x != "none")
        print(f"{indent}claim {c.verdict}{f' ({what})' if what else ''}: "
              f"“{terminal_line(c.claim[:90])}”")
        for reason in c.reasons[:2]:
            print(f"{indent}  ({terminal_line(reason[:160])})")
    if faithful:
        print(f"{indent}claims faithful: {faithful}")


# The monitor flow's politeness and parallelism (flows.prefect_flows), without importing Prefect.
WORKERS_PER_HOST, HOSTS_AT_ONCE = 4, 16


def plain_pass(runtime: Runtime, sources: Sequence[Source]) -> list[SourceReport]:
    """The monitor flow's pass as plain calls: statements, then coverage, host batches in
    parallel, at most WORKERS_PER_HOST requests at once to a host.

    It used to check one source after another: `onrecord run --plain` over 1,000 unchanged
    URLs took 67 s at load 15, the same checks in host batches 13 s (bench/check_bench.py).
    """
    from concurrent.futures import ThreadPoolExecutor

    from flows.pipeline import Pipeline, group_by_host

    reports: list[SourceReport] = []
    for kind in (STATEMENT, COVERAGE):
        groups = group_by_host(s for s in sources if s.kind == kind)
        if not groups:
            continue
        with ThreadPoolExecutor(min(HOSTS_AT_ONCE, len(groups))) as pool:
            for batch in pool.map(lambda b: Pipeline(runtime).run_sources(
                    b, workers=WORKERS_PER_HOST), groups.values()):
                reports.extend(batch)
    order = {s.name: i for i, s in enumerate(sources)}
    return sorted(reports, key=lambda r: order.get(r.source, len(order)))


def cmd_run(args: argparse.Namespace) -> int:

    config_path = args.config or os.environ.get("ONRECORD_CONFIG") or "sources.toml"
    config = _use_config(config_path)  # validate before any Prefect start-up
    delivery_status = EXIT_OK
    if args.plain:
        from alerts.deliver import deliver
        from flows.pipeline import Runtime

        rt = Runtime.from_settings(_settings())
        try:
            reports = plain_pass(rt, config.sources)
            delivery = deliver(rt.store, rt.sinks)
        finally:
            rt.close()
        delivery_status = _delivery_status(delivery)
    else:
        from flows.temporary_api import prefect_api

        with prefect_api("flows.prefect_flows"):
            from flows.prefect_flows import monitor

            result = monitor(str(Path(config_path).resolve()))
        reports = list(result.sources)
        delivery_status = _delivery_status(result.delivery)
    failed = 0
    for r in reports:
        if r.error:
            print(f"source {r.source}: FAILED: {terminal_line(str(r.error))}")
        for o in r.outcomes:
            _print_outcome(o)
        failed += r.failed
    print(f"{len(reports)} sources, {sum(len(r.outcomes) for r in reports)} items, "
          f"{failed} source(s) with errors")
    return EXIT_FAILED if failed or delivery_status != EXIT_OK else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    if not _is_url(args.url):
        raise UsageError(f"{args.url}: not an http(s) URL")
    from sources.urls import syntax_error

    problem = syntax_error(args.url)
    if problem:
        raise UsageError(problem)
    delivery_status = EXIT_OK
    if args.plain:
        from alerts.deliver import deliver
        from flows.pipeline import Pipeline, Runtime

        rt = Runtime.from_settings(_settings())
        try:
            outcome = Pipeline(rt).check_url(args.url, args.kind)
            delivery_status = _delivery_status(deliver(rt.store, rt.sinks))
        finally:
            rt.close()
    else:
        from flows.temporary_api import prefect_api

        with prefect_api("flows.prefect_flows"):
            from flows.prefect_flows import check_coverage, check_statement

            report = (check_statement if args.kind == STATEMENT else check_coverage)(args.url)
        outcome = report.outcome
        delivery_status = _delivery_status(report.delivery)
    _print_outcome(outcome)
    return EXIT_FAILED if outcome.status == "error" or delivery_status != EXIT_OK else EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from store import Store

    store = Store(_settings().database_url)
    try:
        doc = store.document(args.url)
        if doc is None:
            raise UsageError(f"{args.url}: not in the store ({store.location})")
        versions = store.versions(args.url)
        changes = {c.new_version_id: c for c in store.changes(args.url)}
        # An article's reported claims, each with its verdict now, and which statement
        # paragraphs it reported (issue 14).
        claims = ({v.id: store.claim_checks(v.id) for v in versions}
                  if doc.kind == COVERAGE else {})
        mapped = ({v.id: store.coverage(article_version_id=v.id) for v in versions}
                  if doc.kind == COVERAGE else {})
    finally:
        store.close()
    if args.format == "json":
        print(json.dumps({"url": doc.url, "title": doc.title, "state": doc.state, "versions": [
            {"version": v.seq, "first_seen": v.first_seen.isoformat(),
             "last_seen": v.last_seen.isoformat(), "hash": v.text_hash,
             "significance": changes[v.id].significance if v.id in changes else None,
             "summary": changes[v.id].summary if v.id in changes else "first seen",
             "revert_of": v.revert_of,
             **({"claims": [c.details for c in claims[v.id]],
                 "coverage": [{"statement": p.statement_url, "paragraph": p.paragraph,
                               "how": p.how} for p in mapped[v.id]]}
                if v.id in claims else {})}
            for v in versions]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{terminal_line(doc.title)}\n{terminal_line(doc.url)}  ({doc.kind}, {doc.state})")
    for v in versions:
        change = changes.get(v.id)
        summary = change.summary if change else "first seen"
        if v.revert_of:
            summary = f"revert to version {v.revert_of}; {summary}"
        print(f"  v{v.seq}  {v.first_seen:%Y-%m-%d %H:%M:%S} UTC  {terminal_line(summary)}")
        reported: dict[str, list[str]] = {}
        for p in mapped.get(v.id, ()):
            if p.how != "none":
                reported.setdefault(p.statement_url, []).append(f"¶{p.paragraph + 1} {p.how}")
        for statement, places in reported.items():
            print(f"       reports {terminal_line(statement)}: {', '.join(places)}")
        for c in claims.get(v.id, ()):
            what = ", ".join(x for x in (c.kind, c.severity if c.severity != "none" else None)
                             if x)
            print(f"       claim {c.verdict}{f' ({what})' if what else ''}: "
                  f"“{terminal_line(c.text[:90])}”")
    return EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    """Which paragraphs of a statement the stored coverage reported, and how; and which
    paragraphs no article reported."""
    from store import Store
    from web.queries import coverage_lines

    store = Store(_settings().database_url)
    try:
        doc = store.document(args.url)
        if doc is None:
            raise UsageError(f"{args.url}: not in the store ({store.location})")
        if doc.kind != STATEMENT:
            raise UsageError(f"{args.url}: an article, not a statement (see onrecord history)")
        latest = store.latest_version(args.url)
        rows = store.coverage(statement_url=args.url)
    finally:
        store.close()
    current = len(latest.paragraphs) if latest else 0
    # The map the web's statement page shows (paragraph numbers from 1; None: a paragraph
    # only an earlier version had).
    lines = coverage_lines(doc.url, latest.paragraphs if latest else (), rows)
    articles = len({r.article_url for r in rows})
    if args.format == "json":
        print(json.dumps({"statement": doc.url, "title": doc.title,
                          "articles": articles, "paragraphs": [
                              {"paragraph": None if ln.paragraph is None else ln.paragraph - 1,
                               "text": ln.text, "current": ln.paragraph is not None,
                               "covered": ln.covered, "how": ln.how,
                               "articles": [{"url": url, "title": title, "how": how}
                                            for url, title, how in ln.articles]}
                              for ln in lines]},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{terminal_line(doc.title)}\n{terminal_line(doc.url)}")
    covered = sum(1 for ln in lines if ln.paragraph is not None and ln.covered)
    print(f"  {articles} article(s) on record; {covered} of {current} paragraph(s) reported")
    for ln in lines:
        where = f"¶{ln.paragraph}" if ln.paragraph is not None else "earlier version"
        print(f"  {where}  {ln.how.upper():<11} “{terminal_line(ln.text[:90])}”")
        for url, title, how in ln.articles:
            print(f"        {how:<11} {terminal_line(title or url)}")
    return EXIT_OK


def cmd_deliver(args: argparse.Namespace) -> int:
    from alerts.deliver import deliver
    from flows.pipeline import Runtime

    rt = Runtime.from_settings(_settings())
    try:
        if args.retry_failed:
            n = rt.store.requeue_failed()
            print(f"requeued {n} failed alert(s)")
        report = deliver(rt.store, rt.sinks, limit=args.limit, budget=args.budget)
    finally:
        rt.close()
    print(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}"
          + (f", {report.left} left for the next run" if report.left else ""))
    return _delivery_status(report)


def _delivery_status(report: DeliveryReport) -> int:
    """Every delivery problem on stderr, one line each, on every run until it is fixed:
    exit status 1 while a channel is stopped or failed alerts wait."""
    for line in report.problems:
        print(f"alert delivery: {terminal_line(line)}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_serve(args: argparse.Namespace) -> int:
    from datetime import timedelta

    config_path = args.config or os.environ.get("ONRECORD_CONFIG") or "sources.toml"
    _use_config(config_path)  # a bad file is a one-line error before Prefect starts
    from flows.serve import serve_all

    serve_all(config_path, poll_seconds=args.poll, limit=args.limit, host_slots=args.host_slots,
              statements_every=timedelta(minutes=args.statements_every),
              coverage_every=timedelta(minutes=args.coverage_every))
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from store import Store

    store = Store(_settings().database_url)  # opening the store runs the migrations
    try:
        print(f"store at schema revision {store.schema_revision()}: {store.location}")
    finally:
        store.close()
    return EXIT_OK


def cmd_db_vectors(args: argparse.Namespace) -> int:
    from flows.pipeline import BackfillProgress, backfill_vectors, load_embedder
    from store import Store

    store = Store(_settings().database_url)
    try:
        model = load_embedder()

        def show(p: BackfillProgress) -> None:
            # One line, rewritten: statements done, units embedded, where to resume.
            print(f"\rstatements {p.statements:,}/{p.total:,}, sentences embedded {p.embedded:,} "
                  f"(last statement id {p.last_id}: --after {p.last_id} resumes there)",
                  end="", file=sys.stderr, flush=True)

        done = backfill_vectors(store, model, batch=args.batch, all_versions=args.all_versions,
                                after=args.after, progress=show)
        print(file=sys.stderr)
        print(f"sentence vectors: {done.embedded:,} embedded and stored for {done.statements:,} "
              f"statements: {store.location}")
    finally:
        store.close()
    return EXIT_OK


def _open_stream(path: str, mode: str):  # noqa: ANN202
    """`-` is stdin/stdout; a name ending in .gz is gzip-compressed."""
    import gzip
    import io

    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer if mode == "r" else sys.stdout.buffer,
                                encoding="utf-8", write_through=True)
    if path.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")  # noqa: SIM115


def cmd_export(args: argparse.Namespace) -> int:
    from store import Store
    from store.transfer import export_jsonl

    store = Store(_settings().database_url)
    try:
        out = _open_stream(args.output, "w")
        try:
            counts = export_jsonl(store, out)
        finally:
            out.flush()
            if args.output != "-":
                out.close()
    finally:
        store.close()
    print(f"exported {sum(counts.values())} rows ({_counts_line(counts)}) from {store.location}",
          file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from store import Store
    from store.transfer import import_jsonl

    if args.input != "-" and not Path(args.input).is_file():
        raise UsageError(f"{args.input}: no such file")
    from store.errors import StoreError

    store = Store(_settings().database_url)
    try:
        with _open_stream(args.input, "r") as lines:
            counts = import_jsonl(store, lines)
    except StoreError as exc:
        raise StoreError(f"{args.input}: {exc}") from None  # which file, on the one line
    finally:
        store.close()
    print(f"imported {sum(counts.values())} rows ({_counts_line(counts)}) into {store.location}")
    return EXIT_OK


def _counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items() if n) or "empty"


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.demo import run_demo

    if args.plain:
        status = run_demo(plain=True, port=args.port)
    else:
        from flows.temporary_api import prefect_api

        with prefect_api("flows.prefect_flows"):  # one temporary API for both passes
            status = run_demo(plain=False, port=args.port)
    if args.web:
        from flows.demo import keep_web_running

        keep_web_running(args.port)
    return status


def cmd_web(args: argparse.Namespace) -> int:
    from store import Store
    from web.app import WebSettings
    from web.server import BindRefused, check_bind, serve

    settings = WebSettings.from_env()
    try:
        check_bind(args.host, settings, args.insecure_public)
    except BindRefused as exc:
        raise UsageError(str(exc)) from None
    config = _settings()
    store = Store(args.db or config.database_url)
    try:
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"onrecord web: http://{host}:{args.port}/ (store {store.location}; "
              f"{'token required' if settings.token else 'no token'}; Ctrl-C stops)")
        if config.web_url:
            print(f"  alerts link to {terminal_line(config.web_url)} (ONRECORD_WEB_URL)")
        else:
            print("  alerts do not link here: set ONRECORD_WEB_URL to this site's address "
                  "for the runs that send them")
        serve(store, settings, args.host, args.port, insecure_public=args.insecure_public)
    finally:
        store.close()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="onrecord", description=(
        "Watch official statements for silent edits and press coverage for misquotes."))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("demo", help="run the end-to-end demo on a local sample site")
    p.add_argument("--plain", action="store_true", help="call the pipeline without Prefect")
    p.add_argument("--web", action="store_true",
                   help="keep the web site running on the demo's store afterwards")
    p.add_argument("--port", type=int, default=8040, help="the web site's port with --web")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("web", help="the read-only web site and JSON API over the store")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8040, help="port (default 8040)")
    p.add_argument("--db", help="store URL (default $ONRECORD_DATABASE_URL or the user's store)")
    p.add_argument("--insecure-public", action="store_true",
                   help="allow a non-loopback address without ONRECORD_WEB_TOKEN")
    p.set_defaults(func=cmd_web)

    p = sub.add_parser("run", help="one monitoring pass over the configured sources")
    p.add_argument("--config", help="sources TOML file (default: $ONRECORD_CONFIG or ./sources.toml)")
    p.add_argument("--plain", action="store_true", help="call the pipeline without Prefect")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="fetch and version one statement now, compare, alert")
    p.add_argument("url")
    p.add_argument("--kind", choices=KINDS, default=STATEMENT)
    p.add_argument("--plain", action="store_true", help="call the pipeline without Prefect")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("history", help="the versions of a document and what changed")
    p.add_argument("url")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("coverage", help="which paragraphs of a statement the stored coverage "
                                        "reported (quoted, paraphrased) and which it left out")
    p.add_argument("url", metavar="STATEMENT_URL")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("extract", help="main text and metadata of a page or file")
    p.add_argument("source", metavar="FILE_OR_URL")
    p.add_argument("--url", help="the page's URL (selects a site profile for a local file)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("diff", help="word-level diff of two versions (files or URLs)")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--format", choices=("text", "json", "html", "markdown"), default="text",
                   help="html: a self-contained side-by-side page")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("quotes", help="check an article's quotes against statements")
    p.add_argument("article")
    p.add_argument("--statement", action="append", required=True,
                   help="statement file or URL (repeatable)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("claims", help="check an article's reported (unquoted) claims against statements")
    p.add_argument("article")
    p.add_argument("--statement", action="append", required=True,
                   help="statement file or URL (repeatable)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("serve", help="run every Prefect deployment on its schedule in one process")
    p.add_argument("--config", help="sources TOML file (default: $ONRECORD_CONFIG or ./sources.toml)")
    p.add_argument("--statements-every", type=float, default=10, metavar="MIN",
                   help="minutes between passes over statements (default 10)")
    p.add_argument("--coverage-every", type=float, default=30, metavar="MIN",
                   help="minutes between passes over coverage (default 30)")
    p.add_argument("--poll", type=float, default=5, metavar="SEC",
                   help="seconds between checks for due and manual runs (default 5)")
    p.add_argument("--limit", type=int, default=None, help="flow runs at once (default no limit)")
    p.add_argument("--host-slots", type=int, default=1, metavar="N",
                   help="create missing host:<name> concurrency limits of N (0: none)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("deliver", help="send pending alerts from the outbox")
    p.add_argument("--retry-failed", action="store_true",
                   help="put failed alerts back in the queue first (after fixing their cause)")
    p.add_argument("--limit", type=_positive_int, default=500, metavar="N",
                   help="alerts sent per channel in this run at most (default 500)")
    p.add_argument("--budget", type=float, default=None, metavar="SEC",
                   help="stop claiming new alerts after SEC seconds (default: no limit)")
    p.set_defaults(func=cmd_deliver)

    p = sub.add_parser("db", help="manage the store ($ONRECORD_DATABASE_URL)")
    db_sub = p.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    q = db_sub.add_parser("upgrade", help="create or upgrade the store's schema")
    q.set_defaults(func=cmd_db_upgrade)
    q = db_sub.add_parser("vectors", help="store the sentence vectors of statement versions stored "
                                          "without them (after upgrading a store from before 0008)")
    q.add_argument("--batch", type=_positive_int, default=50, metavar="N",
                   help="statements embedded and stored at a time (default 50)")
    q.add_argument("--all-versions", action="store_true",
                   help="every version of each statement, not only its latest")
    q.add_argument("--after", type=int, default=0, metavar="ID",
                   help="start after this statement id (the last one a stopped run printed)")
    q.set_defaults(func=cmd_db_vectors)

    p = sub.add_parser("export", help="write the whole store as JSON Lines (backup, move)")
    p.add_argument("--output", "-o", default="-",
                   help="file to write (default stdout; .gz compresses)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="load an export into an empty store")
    p.add_argument("input", metavar="FILE", help="export file (- for stdin; .gz accepted)")
    p.set_defaults(func=cmd_import)
    return parser


def _positive_int(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value}: must be at least 1")
    return n


def _prefect_defaults() -> None:
    # Offline machines: no telemetry; a loaded machine may need longer than Prefect's 20 s
    # to start the temporary API server.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect's SDK telemetry: without this, the first event starts a thread that asks the
    # API for its analytics setting (one more request against a running server) before
    # deciding to send nothing.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _prefect_defaults()
    try:
        return args.func(args)
    except Exception as exc:
        if not isinstance(exc, _usage_errors()):
            raise
        print(f"onrecord: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("onrecord: interrupted", file=sys.stderr)
        return 130


# Errors reported in one line with exit status 2, by module. A command can only raise the
# ones of modules it imported, so the check never imports anything.
_ONE_LINE_ERRORS = (("store.errors", "StoreError"), ("sources.fetch", "FetchError"),
                    ("alerts.sink", "SinkConfigError"),
                    ("sources.extract", "ExtractionError"), ("sources.urls", "UnsafeURLError"))


def _usage_errors() -> tuple[type[BaseException], ...]:
    loaded = tuple(getattr(sys.modules[module], name) for module, name in _ONE_LINE_ERRORS
                   if module in sys.modules)
    return (UsageError, ConfigError, OSError, *loaded)


def _one_line(exc: BaseException) -> str:
    text = terminal_line(" ".join(str(exc).split())) or type(exc).__name__
    return text[:500]


if __name__ == "__main__":
    raise SystemExit(main())
