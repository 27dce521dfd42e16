"""Bench: reported claims of a 1,000-word article against 100,000 statement versions (issue 14).

    python bench/claims_speed.py URL [N_ARTICLES] [--rounds R] [--baseline-tree DIR --baseline-url URL2]
        [--stored-url URL3]

The store is bench/quotes_scale.py's (same generator, same index code: `python
bench/quotes_scale.py populate URL 100000` builds it; an empty database is populated here).
Each measured statement is first edited twice THROUGH THE PIPELINE's statement-write path
(flows.pipeline.Pipeline.record_document: identity, diff, alerts, the version write and, on
a tree that stores them, the statement's sentence vectors embedded before the write): the
CPU of each write is printed (the first edit of a statement the bulk load stored without
vectors embeds all its sentences, as the first edit after an upgrade does; the second embeds
only the sentences it changed, the steady state). Each article (~1,000 words) then reports
sentences of the edited statement in its own words: paraphrase frames around the statement's
sentences ("The department said ...", "According to the statement, ..."), some with a changed
figure, a few direct quotes, and background sentences reported from no statement. Per
article, the production path: the article's quotes checked (compare.quote_engine.check_article),
then its claims found, aligned and judged (compare.claims.check_claims) against the store's
index, and the statement sentence vectors the check had to compute stored (Pipeline.judge_article
does the same).

Printed: model load (CPU and wall, in a fresh process), the statement writes, the first
article (cold caches) and the median / p95 CPU of the next ones (each on a statement not
checked before in the process), split into quotes and claims; then a second article on each
of the same statements (a statement is reported by many articles); then, in a NEW process,
a new article on each statement the first process edited (the statement on record with its
vectors, and those its first check filled for the other candidate statements; no process
cache: the case of a worker that did not write the statement); peak RSS. CPU time
(time.process_time) is the figure that matters on a loaded machine; wall is printed beside it.

With --baseline-tree (another checkout, e.g. `git worktree add --detach /tmp/main-speed main`)
and --baseline-url (a copy of the store for it: a tree without migration 0008 refuses a store
at it), each round runs this script once on the baseline tree and once on this one, each in a
fresh process, alternating which goes first; the same statements and articles on both.
With --stored-url (a third copy), this tree also runs on that copy after a backfill of the
vectors of every statement its articles align against: the store after `onrecord db vectors`,
beside URL's (an upgraded store whose other statements have none: checks embed them).
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

T_START = time.perf_counter()
ROOT = Path(os.environ.get("ONRECORD_TREE") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FRAMES = ["The department said {s}", "According to the statement, {s}", "{S}, the statement said.",
          "Officials said {s}", "The State Department said on Tuesday that {s}", "It added that {s}"]
BACKGROUND = [
    "The decision follows months of negotiations between regional governments and donors.",
    "Analysts in the capital said the move had been widely expected for several weeks.",
    "The region has faced repeated crises over the past decade, according to aid groups.",
    "Opposition lawmakers have called for a parliamentary inquiry into the matter.",
    "Markets in the region were little changed on the news, traders said.",
]
EDIT_WORDS = ["firmly", "today", "also", "further", "fully", "new", "key"]


STORED = "after, vectors stored"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def article_from(paras: list[str], rng: random.Random) -> str:
    """~1,000 words reporting one statement's sentences, with quotes and background."""
    from compare.quotes import sentence_spans

    sents = [p[a:b] for p in paras for a, b in sentence_spans(p) if 8 <= len(p[a:b].split()) <= 45]
    out: list[str] = ["Officials outline new steps", ""]
    words = 0
    k = 0
    while words < 1000 and sents:
        s = sents[k % len(sents)].rstrip(".")
        k += 1
        r = rng.random()
        if r < 0.15:
            line = f"“{s},” the statement said."
        elif r < 0.3:
            line = rng.choice(BACKGROUND)
        else:
            body = s[0].lower() + s[1:] if not s[:2].isupper() else s
            if rng.random() < 0.2:
                body = re.sub(r"\b\d[\d,]*\b", lambda m: str(int(m.group(0).replace(",", "")) * 2), body, count=1)
            frame = rng.choice(FRAMES)
            line = frame.format(s=body + ".", S=s[0].upper() + s[1:])
        out.append(line)
        words += len(line.split())
    return "\n\n".join(out)


def edited(paras: list[str], rng: random.Random) -> list[str]:
    """A silent edit: one word of one long paragraph replaced (one sentence changes)."""
    out = list(paras)
    long = [i for i, p in enumerate(out) if len(p.split()) >= 12] or [0]
    i = rng.choice(long)
    words = out[i].split()
    j = rng.randrange(len(words))
    words[j] = rng.choice([w for w in EDIT_WORDS if w != words[j]])
    out[i] = " ".join(words)
    return out


def pct(xs: list[float], p: float) -> float:
    return sorted(xs)[int(p * (len(xs) - 1))]


def child(url: str, n_articles: int, seed: int, later: bool = False, prefill: bool = False) -> dict[str, object]:
    """One fresh process's measurements on the tree at ROOT (JSON-able). `later`: the
    statements the run with this seed edited, each reported by a new article in this new
    process, with nothing written first (their vectors, and those of the statements the
    first run's checks filled, are in the store; no process cache holds anything). `prefill`:
    nothing measured or written but vectors: the same statements, edits and articles are
    computed, and the vectors of every statement the articles' checks align against (their
    candidates) backfilled (flows.pipeline.backfill_vectors), as `onrecord db vectors` does."""
    t0, c0 = time.perf_counter(), time.process_time()
    from compare.embed import MiniLM

    model = MiniLM()
    model.load()
    load_wall, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    loaded_at = time.perf_counter() - T_START
    rss_model = rss_mb()
    from sqlalchemy import func, select

    from compare.claims import check_claims
    from compare.quote_engine import check_article
    from compare.quotes import extract_quotes
    from flows.pipeline import Pipeline, Runtime
    from sources.document import STATEMENT, Document
    from sources.fetch import Fetcher
    from store import Store
    from store import schema as t
    from store.quoteindex import StoreQuoteIndex

    store = Store(url)
    with store.engine.connect() as conn:
        n_versions = int(conn.execute(select(func.count()).select_from(t.versions)).scalar_one())
    if n_versions == 0:
        import quotes_scale

        quotes_scale.populate(url, 100_000)
        with store.engine.connect() as conn:
            n_versions = int(conn.execute(select(func.count()).select_from(t.versions)).scalar_one())
    vectors_table = getattr(t, "sentence_vectors", None)

    def n_vectors() -> int:
        if vectors_table is None:
            return 0
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(vectors_table)).scalar_one())

    rng = random.Random(seed)
    with store.engine.connect() as conn:
        docs = conn.execute(select(t.documents.c.id, t.documents.c.url)
                            .where(t.documents.c.kind == "statement").order_by(t.documents.c.id)).all()
        picked = []
        for doc_id, doc_url in rng.sample(docs, min(len(docs), n_articles * 4)):
            paras = conn.execute(select(t.versions.c.paragraphs).where(t.versions.c.document_id == doc_id)
                                 .order_by(t.versions.c.seq.desc()).limit(1)).scalar_one()
            if sum(len(x.split()) for x in paras) >= 250:
                picked.append((doc_url, list(paras)))
            if len(picked) == n_articles:
                break
    # The tree's runtime, with this process's loaded model where the tree takes one.
    extra: dict[str, object] = {"embedder": model} if "embedder" in getattr(Runtime, "__dataclass_fields__", {}) else {}
    pipe = Pipeline(Runtime(store, Fetcher(allow_private=True), {}, **extra))  # type: ignore[arg-type]
    writes: list[list[float]] = [[], []]
    embedded: list[list[int]] = [[], []]
    finals = []
    for doc_url, paras in picked:
        for k in range(0 if later else 2):
            paras = edited(paras, rng)
            if prefill:
                continue
            before = n_vectors()
            c_a = time.process_time()
            pipe.record_document(Document(url=doc_url, title="", paragraphs=tuple(paras), kind=STATEMENT))
            writes[k].append((time.process_time() - c_a) * 1000)
            embedded[k].append(n_vectors() - before)
        finals.append(paras)
    if later:
        rng = random.Random(seed + 1000)
    arts = [article_from(p, rng) for p in finals]
    # Second articles on the same statements (other frames, other changed figures).
    again = [article_from(p, rng) for p in finals]
    index = StoreQuoteIndex(store)
    save = getattr(store, "save_sentence_vectors", None)
    if prefill:
        from compare.claims import article_claims, candidate_urls
        from flows.pipeline import backfill_vectors

        c_p = time.process_time()
        urls = [u for u, _ in picked]
        for text in [*arts, *again]:
            quotes = check_article(index, extract_quotes(text))
            urls += candidate_urls(index, article_claims(text, quotes), quotes)
        done = backfill_vectors(store, model, urls=urls)
        store.close()
        return {"prefilled": done.embedded, "statements": done.statements, "cpu": time.process_time() - c_p}

    def judge(text: str) -> tuple[float, float, float, object]:
        w0, c_a = time.perf_counter(), time.process_time()
        quotes = check_article(index, extract_quotes(text))
        c_b = time.process_time()
        report = check_claims(index, text, quotes, embedder=model)
        if save is not None:
            save(report.vectors)  # what Pipeline.judge_article does after the check
        c_c = time.process_time()
        return (c_b - c_a) * 1000, (c_c - c_b) * 1000, (time.perf_counter() - w0) * 1000, report

    fresh: list[int] = []
    q_cpu: list[float] = []
    c_cpu: list[float] = []
    walls: list[float] = []
    n_claims: list[int] = []
    verdicts: dict[str, int] = {}
    for text in arts:
        q, c, w, report = judge(text)
        q_cpu.append(q)
        c_cpu.append(c)
        walls.append(w)
        n_claims.append(len(report.claims))  # type: ignore[attr-defined]
        got = getattr(report, "vectors", False)  # False: a tree without stored vectors
        fresh.append(-1 if got is False else len(got.rows) if got is not None else 0)
        for ch in report.claims:  # type: ignore[attr-defined]
            verdicts[ch.verdict.value] = verdicts.get(ch.verdict.value, 0) + 1
    warm = [sum(judge(text)[:2]) for text in again]
    out = {"dialect": store.engine.dialect.name, "versions": n_versions, "load_cpu": load_cpu,
           "load_wall": load_wall, "loaded_at": loaded_at, "rss_model": rss_model,
           "write1": writes[0], "write2": writes[1], "embedded1": embedded[0], "embedded2": embedded[1],
           "fresh": fresh, "quotes": q_cpu, "claims": c_cpu, "walls": walls, "warm": warm, "n_claims": n_claims,
           "words": statistics.mean(len(a.split()) for a in arts), "verdicts": verdicts, "rss": rss_mb()}
    store.close()
    return out


def summary(runs: list[dict], later: list[dict]) -> dict[str, str]:
    """The printed figures of one tree's runs (first article of each run = cold) and of its
    `later` runs (new articles on the same statements, each run in a new process)."""
    tot = [[q + c for q, c in zip(r["quotes"], r["claims"], strict=True)] for r in runs]
    first = [x[0] for x in tot]
    rest = [v for x in tot for v in x[1:]]
    claims = [v for r in runs for v in r["claims"][1:]]
    quotes = [v for r in runs for v in r["quotes"][1:]]
    walls = [v for r in runs for v in r["walls"][1:]]
    warm = [v for r in runs for v in r["warm"]]
    w1 = [v for r in runs for v in r["write1"]]
    w2 = [v for r in runs for v in r["write2"]]
    e1 = [v for r in runs for v in r["embedded1"]]
    e2 = [v for r in runs for v in r["embedded2"]]
    fresh = [v for r in runs for v in r["fresh"][1:]]
    lat = [q + c for r in later for q, c in list(zip(r["quotes"], r["claims"], strict=True))[1:]]
    lat_first = [r["quotes"][0] + r["claims"][0] for r in later]
    lat_fresh = [v for r in later for v in r["fresh"][1:]]
    verdicts: dict[str, int] = {}
    for r in runs:
        for k, v in r["verdicts"].items():
            verdicts[k] = verdicts.get(k, 0) + v
    med = statistics.median
    return {
        "model load, fresh process (CPU / wall; start to loaded)":
            f"{med([r['load_cpu'] for r in runs]):.2f} s / {med([r['load_wall'] for r in runs]):.2f} s; "
            f"{med([r['loaded_at'] for r in runs]):.1f} s",
        "statement edit through the pipeline, 1st (median CPU; vectors stored)":
            f"{med(w1):.0f} ms; {med(e1):.0f} per version",
        "statement edit through the pipeline, 2nd (median CPU; vectors stored)":
            f"{med(w2):.0f} ms; {med(e2):.0f} per version",
        "first article, cold (CPU, median of runs)": f"{med(first):.0f} ms",
        "next articles, CPU median (claims / quotes)":
            f"{med(rest):.0f} ms ({med(claims):.0f} / {med(quotes):.0f})",
        "next articles, CPU p95": f"{pct(rest, 0.95):.0f} ms",
        "next articles, statement sentences embedded at the check (mean)":
            "-" if min(fresh) < 0 else f"{statistics.mean(fresh):.1f}",
        "next articles, wall median": f"{med(walls):.0f} ms",
        "article on a statement already seen, CPU median / p95": f"{med(warm):.0f} / {pct(warm, 0.95):.0f} ms",
        "new process, articles on statements on record: first; median / p95":
            f"{med(lat_first):.0f}; {med(lat):.0f} / {pct(lat, 0.95):.0f} ms" if lat else "-",
        "  ... statement sentences embedded at the check (mean)":
            "-" if not lat_fresh or min(lat_fresh) < 0 else f"{statistics.mean(lat_fresh):.1f}",
        "RSS after model load / peak (median of runs, max)":
            f"{med([r['rss_model'] for r in runs]):.0f} / {med([r['rss'] for r in runs]):.0f}, "
            f"{max(r['rss'] for r in runs):.0f} MB",
        "verdicts": ",".join(f"{k[:5]} {v}" for k, v in sorted(verdicts.items())),
    }


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] in ("--child", "--later", "--prefill", "--prefill-later"):
        print("RESULT " + json.dumps(child(args[1], int(args[2]), int(args[3]), args[0].endswith("later"),
                                           args[0].startswith("--prefill"))))
        return
    opts = {a: args[i + 1] for i, a in enumerate(args) if a.startswith("--")}
    pos = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or not args[i - 1].startswith("--"))]
    url = pos[0]
    n_articles = int(pos[1]) if len(pos) > 1 else 8
    rounds = int(opts.get("--rounds", "1"))
    base_tree, base_url = opts.get("--baseline-tree"), opts.get("--baseline-url")
    stored_url = opts.get("--stored-url")
    trees = ([("before", base_tree, base_url)] if base_tree else []) + [("after", str(ROOT), url)]
    if stored_url:
        # This tree on another copy of the store, where the statements the articles align
        # against have their vectors (backfilled, untimed, in a process of its own before each run).
        trees.append((STORED, str(ROOT), stored_url))
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in trees}
    later: dict[str, list[dict]] = {name: [] for name, _, _ in trees}
    prefilled: list[dict] = []

    def run(name: str, tree: str, mode: str, u: str, seed: int) -> dict:
        env = {**os.environ, "ONRECORD_TREE": tree, "PYTHONPATH": tree}
        got = subprocess.run([sys.executable, str(Path(__file__).resolve()), mode, u, str(n_articles),
                              str(seed)], env=env, capture_output=True, text=True, check=False)
        line = next((x for x in got.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            sys.exit(f"{name} run failed:\n{got.stdout[-2000:]}\n{got.stderr[-4000:]}")
        return json.loads(line[7:])

    for r in range(rounds):
        order = trees if r % 2 == 0 else trees[::-1]
        for mode, out in (("--child", runs), ("--later", later)):
            for name, tree, u in order:
                if name == STORED:
                    prefilled.append(run(name, str(tree), mode.replace("--", "--prefill-").replace("-child", ""),
                                         str(u), 14 + r))
                out[name].append(run(name, str(tree), mode, str(u), 14 + r))
                print(f"  round {r + 1}: {name} {mode[2:]} done", file=sys.stderr)
    one = runs["after"][0]
    print(f"claims speed ({one['dialect']}, {one['versions']:,} statement versions; machine shared, 2 cores): "
          f"{rounds} round(s) x {n_articles} articles of ~{one['words']:.0f} words, "
          f"{statistics.mean(one['n_claims']):.0f} claims each; CPU = time.process_time")
    table = {name: summary(rs, later[name]) for name, rs in runs.items()}
    names = list(table)
    print(f"  {'':70s}" + "".join(f"{n:>34s}" for n in names))
    for key in table["after"]:
        print(f"  {key:70s}" + "".join(f"{table[n][key]:>34s}" for n in names))
    if prefilled:
        mean = statistics.mean
        print(f"  {STORED}: backfilled before each run (untimed): {mean(p['statements'] for p in prefilled):.0f} "
              f"statements, {mean(p['prefilled'] for p in prefilled):.0f} sentences embedded, "
              f"{mean(p['cpu'] for p in prefilled):.1f} s CPU a run (mean)")


if __name__ == "__main__":
    main()
