"""Store at scale: insert throughput, query latency and bytes per version, SQLite and PostgreSQL.

    python bench/store_scale.py                       # 2,000 documents x 5 versions, both backends
    python bench/store_scale.py --documents 100000    # the issue's figure (takes a while)
    python bench/store_scale.py --backend sqlite --unchanged 10000

Every write goes through Store.record_observation, the pipeline's own path (document lookup,
content-addressed body, capture, version, change and an alert in one transaction), so the
throughput is what a monitoring run would see, not a bulk-load figure. PostgreSQL runs in a
scratch database created on the server named by ONRECORD_BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash  # noqa: E402
from store import Store  # noqa: E402
from store import schema as t  # noqa: E402
from store.records import ChangeRecord, NewAlert, Observation  # noqa: E402

T0 = datetime(2025, 1, 1, tzinfo=UTC)
WORDS = ("the united states and its partners reaffirm commitment to humanitarian assistance "
         "security cooperation regional stability ministers discussed trade energy climate "
         "support for displaced families will continue through the coming year with new "
         "funding announced today by the secretary in close coordination with allies").split()


def paragraphs(rng: random.Random, n: int = 6) -> list[str]:
    """About 2.5 kB of statement-like prose."""
    return [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(n)]


def edited(paras: list[str], version: int, rng: random.Random) -> list[str]:
    """A silent edit: one figure in one paragraph changes."""
    out = list(paras)
    i = rng.randrange(len(out))
    out[i] = out[i] + f" The amount is ${80 - version * 7} million."
    return out


def observation(url: str, paras: list[str], fetch: int) -> Observation:
    canonical = canonical_text(paras)
    body = ("<html><head><title>Statement</title></head><body><nav>Home | Press</nav><article>"
            + "".join(f"<p>{p}</p>" for p in paras)
            + f"</article><footer>Page views: {fetch}</footer></body></html>").encode()
    return Observation(url=url, kind="statement", title="Joint statement", paragraphs=tuple(paras),
                       canonical_text=canonical, text_hash=text_hash(canonical),
                       normalizer_version=NORMALIZER_VERSION, status=200, body=body,
                       body_hash=hashlib.sha256(body).hexdigest(), content_type="text/html")


def write(store: Store, url: str, paras: list[str], fetch: int, latest: int | None,
          at: datetime) -> bool:
    """One write as the pipeline makes it, decided beforehand: against version `latest`,
    a new text gets its change and an edit alert (a first version gets neither)."""
    change, alerts = None, ()
    if latest is not None:
        change = ChangeRecord("substantive", "number changed", {"changes": [
            {"op": "insert", "old": "", "new": "The amount is ...", "significance": "substantive"}]})
        alerts = (NewAlert("edit", "console", f"edit|{url}|{latest + 1}",
                           {"title": "Joint statement", "summary": "number changed"}),)
    return store.record_observation(observation(url, paras, fetch), expected_latest=latest,
                                    change=change, alerts=alerts, at=at).created


def db_bytes(store: Store) -> int:
    """Bytes the store's tables take (data, indexes, TOAST / the SQLite file)."""
    with store.engine.connect() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            free = conn.exec_driver_sql("PRAGMA freelist_count").scalar()
            size = conn.exec_driver_sql("PRAGMA page_size").scalar()
            return (pages - free) * size
        return sum(conn.execute(text(f"SELECT pg_total_relation_size('{name}')")).scalar()
                   for name in t.metadata.tables)


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def run(url: str, label: str, documents: int, versions: int, unchanged: int, samples: int) -> None:
    rng = random.Random(7)
    store = Store(url)
    empty = db_bytes(store)
    base = {d: paragraphs(rng) for d in range(documents)}
    texts: dict[int, list[str]] = {}
    urls = [f"https://www.state.gov/statement-{d:06d}/" for d in range(documents)]
    start = time.perf_counter()
    writes = 0
    for v in range(versions):  # one round = every document gets its next version
        when = T0 + timedelta(days=v)
        for d in range(documents):
            texts[d] = base[d] if v == 0 else edited(texts[d], v, rng)
            assert write(store, urls[d], texts[d], v, v or None,
                         at=when + timedelta(seconds=d % 86400))
            writes += 1
        print(f"  [{label}] round {v + 1}/{versions}: {writes / (time.perf_counter() - start):,.0f}"
              " versions/s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    after_versions = db_bytes(store)
    counts = store.counts()
    assert counts["versions"] == documents * versions

    picks = [rng.randrange(documents) for _ in range(samples)]
    it = iter(picks)
    latest = timed(lambda: store.latest_version(urls[next(it)]), samples)
    it = iter(picks)
    at_t = timed(lambda: store.text_at(
        urls[next(it)], T0 + timedelta(days=rng.uniform(0, versions))), samples)

    # Unchanged fetches, two kinds, half each: the same bytes again (only a capture), and the
    # same text in a fresh body (a view counter changed: a capture plus that body, stored
    # once); neither may create a version.
    growth = []
    start_u = time.perf_counter()
    for phase in (0, 1):
        before = db_bytes(store)
        for i in range(unchanged // 2):
            d = rng.randrange(min(documents, 100))
            fetch = versions - 1 if phase == 0 else versions + i
            assert not write(store, urls[d], texts[d], fetch, versions,
                             at=T0 + timedelta(days=versions + 1 + phase, seconds=i))
        growth.append(db_bytes(store) - before)
    unchanged_s = time.perf_counter() - start_u
    counts_after = store.counts()
    assert counts_after["versions"] == counts["versions"]
    store.close()

    per_version = (after_versions - empty) / (documents * versions)
    half = max(unchanged // 2, 1)
    print(f"\n== {label}: {documents:,} documents x {versions} versions")
    print(f"insert: {writes:,} versions in {elapsed:,.1f} s = {writes / elapsed:,.0f} versions/s "
          f"(each with capture, body, change and alert in one transaction)")
    print(f"latest version of URL: p50 {pct(latest, 50):.2f} ms, p95 {pct(latest, 95):.2f} ms")
    print(f"text at time T:        p50 {pct(at_t, 50):.2f} ms, p95 {pct(at_t, 95):.2f} ms")
    print(f"stored: {after_versions - empty:,} bytes = {per_version:,.0f} bytes per version "
          f"(canonical + display text ~{len(canonical_text(base[0])) * 2:,} B, raw body "
          f"compressed, capture, change, alert, indexes)")
    print(f"{unchanged:,} unchanged fetches ({unchanged / unchanged_s:,.0f}/s), 0 new versions:")
    print(f"  {half:,} with the same bytes: +{growth[0]:,} bytes = {growth[0] / half:,.0f} B each "
          f"(a capture row and its index entries)")
    print(f"  {half:,} with a new body, same text: +{growth[1]:,} bytes = "
          f"{growth[1] / half:,.0f} B each (capture + the new compressed raw body, "
          f"{counts_after['bodies'] - counts['bodies']:,} bodies)")


def pg_scratch(server: str) -> tuple[str, Callable[[], None]]:
    """Create a scratch database; returns its URL and a function dropping it."""
    libpq = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"onrecord_bench_{os.getpid()}"
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--versions", type=int, default=5)
    ap.add_argument("--unchanged", type=int, default=10000, help="unchanged fetches to add")
    ap.add_argument("--samples", type=int, default=1000, help="queries per latency figure")
    args = ap.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.sqlite", "SQLite", args.documents, args.versions,
                args.unchanged, args.samples)
    if args.backend in ("postgresql", "both"):
        server = os.environ.get("ONRECORD_BENCH_POSTGRES_URL",
                                "postgresql://postgres@127.0.0.1:5432/postgres")
        url, drop = pg_scratch(server)
        try:
            run(url, "PostgreSQL", args.documents, args.versions, args.unchanged, args.samples)
        finally:
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
