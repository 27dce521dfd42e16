"""Bench (1): coverage quote checks through the pipeline against 100,000 statement versions.

The production path: `Pipeline.record_document` of a coverage article (version it, extract
quotes, ask the statement index in the store, align, judge, store verdicts), in a fresh
process with nothing built in memory. Statements are generated from the 2,031 real State
Department bodies (../shared/data) as in earlier rounds: each synthetic statement mutates
about half the paragraphs of a real body, has 1 to 50 versions (most 1-3), each a realistic
silent edit of the one before; every version's text is distinct. Articles quote 10 sentences
of one version with reporters' mutations (a dropped word, an ellipsis, a bracket, a changed
number, a dropped "not", straight quotes).

    python bench/quotes_scale.py all URL [N_VERSIONS] [N_ARTICLES] [BASELINE_VERSIONS]

runs, each step in a fresh process: `populate` (bulk load with the store's own index code:
compare.quoteblocks.index_text + store.quoteindex.write_many, so the index is the one the
pipeline writes), `check` (first article, then CPU per article), `write` (cost of adding one
statement version vs its length) and `baseline` (main's approach: rebuild the in-memory
StatementCorpus from `store.statement_versions()`, then check; bench/baseline_corpus.py) on
a store of BASELINE_VERSIONS (default 12,000). URL is a SQLite or PostgreSQL URL of an empty
(or absent) database. `copy SQLITE_URL POSTGRES_URL` copies a populated SQLite store's rows
(index included, as written) into PostgreSQL.
"""

from __future__ import annotations

import hashlib
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

T_START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from tests.quote_cases import load_statements, sentences  # noqa: E402

STYLES = ['"{q}," the department said.', "“{q},” the statement said.", "The statement said: “{q}.”",
          "‘{q}’, the ministers said.", "According to the statement, “{q}.”"]
COUNTRIES = ["Albania", "Angola", "Belarus", "Bolivia", "Chad", "Chile", "Croatia", "Ecuador", "Estonia",
             "Fiji", "Gabon", "Georgia", "Ghana", "Guyana", "Jordan", "Kenya", "Latvia", "Malawi",
             "Mali", "Moldova", "Mongolia", "Nepal", "Niger", "Oman", "Panama", "Peru", "Qatar",
             "Rwanda", "Senegal", "Serbia", "Togo", "Tunisia", "Uganda", "Uruguay", "Zambia"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
_COUNTRY = re.compile(r"\b(" + "|".join(COUNTRIES + ["Ukraine", "Russia", "China", "Iran", "Burma",
                                                       "Afghanistan", "Venezuela", "Ethiopia", "Syria"]) + r")\b")
_NUM = re.compile(r"\b\d[\d,]*\b")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
BATCH = 500  # versions per bulk transaction
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def mutate_paragraph(p: str, rng: random.Random, pool: list[str]) -> str:
    """How a related statement's paragraph differs: entity, number, date, a sentence in or out."""
    r = rng.random()
    if r < 0.3 and _COUNTRY.search(p):
        return _COUNTRY.sub(lambda m: rng.choice(COUNTRIES), p)
    if r < 0.5 and _NUM.search(p):
        return _NUM.sub(lambda m: str(rng.randint(2, 999)), p, count=2)
    if r < 0.6 and _MONTH.search(p):
        return _MONTH.sub(lambda m: rng.choice(MONTHS), p)
    ss = sentences(p)
    if r < 0.75 and len(ss) > 1:
        ss.pop(rng.randrange(len(ss)))
        return " ".join(ss)
    return p + " " + rng.choice(pool)


def edit_version(paras: list[str], rng: random.Random, pool: list[str], n: int) -> list[str]:
    """A silent edit: one word, a number, a sentence added or removed, a paragraph added."""
    out = list(paras)
    i = rng.randrange(len(out))
    words = out[i].split()
    r = rng.random()
    if r < 0.35 and len(words) > 4:
        j = rng.randrange(len(words))
        words[j] = rng.choice(["firmly", "today", "also", "further", "fully", "new", "key"])
        out[i] = " ".join(words)
    elif r < 0.55:
        out[i] = mutate_paragraph(out[i], rng, pool)
    elif r < 0.75 and len(sentences(out[i])) > 1:
        ss = sentences(out[i])
        ss.pop()
        out[i] = " ".join(ss)
    elif r < 0.9:
        out.insert(i, rng.choice(pool) + f" (Updated {rng.choice(MONTHS)} {n % 28 + 1}.)")
    else:
        out[i] = out[i] + " " + rng.choice(pool)
    return out


def n_versions_for(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.55:
        return 1
    if r < 0.8:
        return rng.randint(2, 3)
    if r < 0.95:
        return rng.randint(4, 10)
    return rng.randint(11, 50)


def statement(i: int, bodies: list[str], pool: list[str]) -> list[list[str]]:
    """Paragraphs of each version of synthetic statement i (deterministic in i)."""
    rng = random.Random(i)
    paras = [p for p in bodies[i % len(bodies)].split("\n") if p.strip()]
    if i >= len(bodies):  # the real bodies themselves come first, unmutated
        paras = [mutate_paragraph(p, rng, pool) if rng.random() < 0.5 else p for p in paras]
    out = [paras]
    for n in range(n_versions_for(rng) - 1):
        paras = edit_version(paras, rng, pool, n)
        out.append(paras)
    return out


def quote_mutation(s: str, rng: random.Random) -> str:
    """What reporters do to a sentence (most quotes are accurate)."""
    q = s.rstrip(".")
    w = q.split()
    r = rng.random()
    if r < 0.5 or len(w) < 10:
        return q
    if r < 0.62:
        del w[rng.randrange(2, len(w) - 1)]
    elif r < 0.72:
        return " ".join(w[:4]) + " … " + " ".join(w[7:])
    elif r < 0.8 and w[0] in ("We", "It", "They", "This"):
        w[0] = "[The department]"
    elif r < 0.86 and _NUM.search(q):
        return _NUM.sub(lambda m: str(int(m.group(0).replace(",", "")) + 1), q, count=1)
    elif r < 0.92 and re.search(r"\snot\b", q):
        return re.sub(r"\snot\b", "", q, count=1)
    else:
        return q.replace("’", "'")
    return " ".join(w)


def corpus_inputs() -> tuple[list[str], list[str]]:
    data = load_statements()
    bodies = [vs[-1]["text"] for _, vs in sorted(data.items())]
    pool = [s for b in bodies[::7] for s in sentences(b) if 8 <= len(s.split()) <= 30][:5000]
    return bodies, pool


def url_of(i: int) -> str:
    return f"https://www.state.gov/s/{i}"


def cpu() -> float:
    return time.process_time()


# -- populate ---------------------------------------------------------------------------

def populate(url: str, n_versions: int) -> None:
    """Bulk load: documents and versions rows, and the quote index by the store's own code."""
    from compare.quoteblocks import index_text
    from sources.normalize import NORMALIZER_VERSION, text_hash
    from store import Store, quoteindex
    from store import schema as t

    bodies, pool = corpus_inputs()
    store = Store(url)
    t0, c0 = time.perf_counter(), cpu()
    seen: set[str] = set()
    added = i = 0
    pending: list[tuple[int, list[list[str]]]] = []

    def flush() -> None:
        with store._tx() as conn:
            stamp = T0
            doc_ids = conn.execute(insert(t.documents).returning(t.documents.c.id, sort_by_parameter_order=True),
                                   [{"url": url_of(k), "kind": "statement", "title": f"Statement {k}",
                                     "state": "active", "created_at": stamp} for k, _ in pending]).scalars().all()
            rows, texts = [], []
            for doc_id, (_k, versions) in zip(doc_ids, pending, strict=True):
                for seq, paras in enumerate(versions, 1):
                    canonical = "\n\n".join(paras)  # generated text is already normalised
                    seen_at = T0 + timedelta(minutes=seq)
                    rows.append({"document_id": doc_id, "seq": seq, "text_hash": text_hash(canonical),
                                 "canonical_text": canonical, "paragraphs": paras, "title": "",
                                 "normalizer_version": NORMALIZER_VERSION, "first_seen": seen_at,
                                 "last_seen": seen_at})
                    texts.append("\n\n".join(paras))  # Version.display_text, as the store indexes it
            vids = conn.execute(insert(t.versions).returning(t.versions.c.id, sort_by_parameter_order=True),
                                rows).scalars().all()
            quoteindex.write_many(conn, [(vid, index_text(text)) for vid, text in zip(vids, texts, strict=True)])
        pending.clear()

    n_in_batch = 0
    while added < n_versions:
        versions = []
        for paras in statement(i, bodies, pool)[: n_versions - added]:
            h = hashlib.sha256("\n".join(paras).encode()).hexdigest()
            if h not in seen:  # distinct texts only
                seen.add(h)
                versions.append(paras)
        if versions:
            pending.append((i, versions))
            added += len(versions)
            n_in_batch += len(versions)
        i += 1
        if n_in_batch >= BATCH:
            flush()
            n_in_batch = 0
            if added % 10_000 < BATCH:
                print(f"  {added:,} versions loaded, {time.perf_counter() - t0:.0f} s", flush=True)
    if pending:
        flush()
    wall, used = time.perf_counter() - t0, cpu() - c0
    size = quoteindex.StoreQuoteIndex(store).size()
    with store.engine.connect() as conn:
        n_docs = len(conn.execute(select(t.documents.c.id)).all())
    print(f"populate: {added:,} statement versions of {n_docs:,} statements in {wall:.0f} s "
          f"({used:.0f} s CPU in this process); index: {size['quote_blocks']:,} distinct blocks, "
          f"{size['quote_members']:,} memberships, {size['quote_postings']:,} postings")
    store.close()


def copy_to_postgresql(src: str, dst: str) -> None:
    """The populated SQLite store's rows, copied into a fresh PostgreSQL store with COPY.

    The quote index rows are the ones store.quoteindex wrote (same code, same hashes), so the
    PostgreSQL index is identical to what the pipeline writes; COPY only saves regenerating
    and re-indexing 100,000 versions on a shared machine.
    """
    import sqlite3

    import psycopg

    from store import Store

    t0 = time.perf_counter()
    Store(dst).close()  # migrated, empty
    lite = sqlite3.connect(src.split("///", 1)[1], isolation_level=None)
    lite.execute("BEGIN")  # one snapshot for every table (the source may still be loading)
    tables = {"documents": ["id", "url", "kind", "title", "issuer", "state", "group_id", "created_at", "removed_at"],
              "captures": ["id", "document_id", "url", "fetched_at", "status", "etag", "last_modified", "body_hash",
                           "error", "outcome"],
              "versions": ["id", "document_id", "seq", "text_hash", "canonical_text", "paragraphs", "title",
                           "normalizer_version", "published", "first_seen", "last_seen", "capture_id", "revert_of"],
              "quote_blocks": ["id", "hash", "text"],
              "quote_members": ["version_id", "pos", "block_id", "sep"],
              "quote_postings": ["shingle", "block_id"]}
    with psycopg.connect(dst.replace("postgresql+psycopg://", "postgresql://")) as pg:
        pg.execute("SET TIME ZONE 'UTC'")
        for name, cols in tables.items():
            with pg.cursor().copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as cp:
                for row in lite.execute(f"SELECT {', '.join(cols)} FROM {name}"):
                    cp.write_row(row)
            if "id" in cols:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
    # VACUUM, not only ANALYZE: rows written by COPY are not yet all-visible, and without the
    # visibility map PostgreSQL reads the heap for every posting instead of the index alone.
    with psycopg.connect(dst.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as pg:
        pg.execute("VACUUM (ANALYZE)")
    print(f"copy to postgresql: {time.perf_counter() - t0:.0f} s")


# -- articles ---------------------------------------------------------------------------

def articles(store: object, n: int, n_statements: int) -> list[tuple[str, list[str]]]:
    """(quoted statement url, article paragraphs): 10 quotes of one version each."""
    rng = random.Random(1)
    out: list[tuple[str, list[str]]] = []
    tried = 0
    while len(out) < n and tried < n * 5:
        tried += 1
        k = rng.randrange(n_statements)
        vs = store.versions(url_of(k))  # type: ignore[attr-defined]
        if not vs:
            continue
        seq = len(vs) if rng.random() < 0.85 else rng.randint(1, len(vs))  # some quote an old version
        text = vs[seq - 1].display_text
        ss = [s for s in sentences(text) if 8 <= len(s.split()) <= 40 and not re.search(r"[\"“”‘]", s)]
        if len(ss) < 3:
            continue
        picks = rng.sample(ss, min(10, len(ss)))
        out.append((url_of(k), ["Officials spoke on Monday. " + STYLES[j % len(STYLES)].format(q=quote_mutation(s, rng))
                                for j, s in enumerate(picks)]))
    return out


def n_statements(store: object) -> int:
    from sqlalchemy import func

    from store import schema as t

    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(select(func.count()).select_from(t.documents)
                                .where(t.documents.c.kind == "statement")).scalar_one())


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(len(s) * p))]


# -- check: the production path in a fresh process --------------------------------------

def check(url: str, n_articles: int) -> None:
    from flows.pipeline import Pipeline, Runtime
    from sources.document import COVERAGE, Document
    from sources.fetch import Fetcher
    from store import Store

    t_imported = time.perf_counter()
    store = Store(url)
    pipeline = Pipeline(Runtime(store, Fetcher(), {}))
    t_open = time.perf_counter()
    arts = articles(store, n_articles + 1, n_statements(store))
    run = time.time_ns()  # a rerun on the same store checks new article urls, not unchanged ones
    walls, cpus = [], []
    outcomes = []
    for n, (_src, paras) in enumerate(arts):
        doc = Document(url=f"https://news.example.com/{run}/{n}", title=f"Article {n}", paragraphs=tuple(paras),
                       kind=COVERAGE)
        t, c = time.perf_counter(), cpu()
        outcomes.append(pipeline.record_document(doc))
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((cpu() - c) * 1000)
    first_wall, first_cpu = walls[0], cpus[0]
    rest_w, rest_c = walls[1:], cpus[1:]
    right = total = 0
    verdicts: Counter[str] = Counter()
    for (src, _), o in zip(arts, outcomes, strict=True):
        v = store.latest_version(o.url)
        doc_id = store.document(src).id  # type: ignore[union-attr]
        for qc in store.quote_checks(v.id):  # type: ignore[union-attr]
            total += 1
            verdicts[qc.verdict] += 1
            if qc.statement_version_id is not None and store.version(qc.statement_version_id).document_id == doc_id:
                right += 1
    print(f"check ({store.engine.dialect.name}): process start to store open {t_open - T_START:.2f} s "
          f"(imports {t_imported - T_START:.2f} s); FIRST article {first_wall:.0f} ms wall, {first_cpu:.0f} ms CPU")
    print(f"  next {len(rest_c)} articles x ~10 quotes: CPU per article median {statistics.median(rest_c):.1f} ms, "
          f"p95 {_pct(rest_c, 0.95):.1f} ms, max {max(rest_c):.0f} ms; wall median {statistics.median(rest_w):.1f} ms, "
          f"p95 {_pct(rest_w, 0.95):.1f} ms")
    print(f"  quotes {total}: matched to the quoted statement {right / max(1, total):.1%}; "
          f"verdicts {dict(verdicts.most_common())}")
    store.close()


# -- write: the cost of adding one statement version vs its length ----------------------

def write(url: str) -> None:
    from flows.pipeline import Pipeline, Runtime
    from sources.document import STATEMENT, Document
    from sources.fetch import Fetcher
    from store import Store

    _, pool = corpus_inputs()
    store = Store(url)
    pipeline = Pipeline(Runtime(store, Fetcher(), {}))
    rng = random.Random(7)
    print(f"write ({store.engine.dialect.name}): one new statement version through Pipeline.record_document")
    for words in (100, 400, 1600, 6400):
        walls, cpus = [], []
        for rep in range(5):
            paras, n = [], 0
            while n < words:
                para = " ".join(rng.choice(pool) for _ in range(4))
                paras.append(para)
                n += len(para.split())
            doc = Document(url=f"https://www.state.gov/new/{words}/{rep}", title="New", kind=STATEMENT,
                           paragraphs=tuple(paras))
            t, c = time.perf_counter(), cpu()
            pipeline.record_document(doc)
            walls.append((time.perf_counter() - t) * 1000)
            cpus.append((cpu() - c) * 1000)
        w, c = statistics.median(walls), statistics.median(cpus)
        print(f"  ~{words:5d} words: median {w:6.1f} ms wall, {c:6.1f} ms CPU ({1000 * c / words:.0f} µs CPU/word)")
    store.close()


# -- baseline: main's approach -----------------------------------------------------------

def baseline(url: str, n_articles: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from baseline_corpus import StatementCorpus

    from compare.quotes import extract_quotes
    from store import Store

    store = Store(url)
    arts = articles(store, n_articles + 1, n_statements(store))
    t, c = time.perf_counter(), cpu()
    pairs = store.statement_versions()
    corpus = StatementCorpus.from_store(pairs)
    del pairs
    corpus.check_article(extract_quotes("\n\n".join(arts[0][1])))
    first_w, first_c = time.perf_counter() - t, cpu() - c
    cpus = []
    for _src, paras in arts[1:]:
        c = cpu()
        corpus.check_article(extract_quotes("\n\n".join(paras)))
        cpus.append((cpu() - c) * 1000)
    print(f"baseline (main: rebuild StatementCorpus from store.statement_versions(), {len(corpus):,} versions, "
          f"{store.engine.dialect.name}): first article {first_w:.1f} s wall, {first_c:.1f} s CPU; "
          f"then CPU per article median {statistics.median(cpus):.0f} ms, p95 {_pct(cpus, 0.95):.0f} ms "
          f"(check only, no store writes)")
    store.close()


def main() -> None:
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "populate":
        populate(url, int(sys.argv[3]))
    elif mode == "check":
        check(url, int(sys.argv[3]))
    elif mode == "copy":
        copy_to_postgresql(url, sys.argv[3])
    elif mode == "write":
        write(url)
    elif mode == "baseline":
        baseline(url, int(sys.argv[3]))
    elif mode == "all":
        n = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
        n_art = sys.argv[4] if len(sys.argv) > 4 else "200"
        for step in (["populate", url, str(n)], ["check", url, n_art], ["write", url]):
            subprocess.run([sys.executable, __file__, *step], check=True)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
