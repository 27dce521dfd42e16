"""Bench: reported claims of a 1,000-word article against 100,000 statement versions (issue 14).

    python bench/claims_speed.py SQLITE_OR_POSTGRES_URL [N_ARTICLES]

The store is bench/quotes_scale.py's (same generator, same index code: `python
bench/quotes_scale.py populate URL 100000` builds it; an empty database is populated here).
Each article (~1,000 words) reports sentences of one generated statement in its own words:
paraphrase frames around the statement's sentences ("The department said ...", "According to
the statement, ..."), some with a changed figure or a dropped word, a few direct quotes, and
background sentences reported from no statement. Per article, the production path: the
article's quotes checked (compare.quote_engine.check_article), then its claims found,
aligned and judged (compare.claims.check_claims) against the store's index.

Printed: model load (CPU and wall, in a fresh process), the first article (cold caches) and
the median / p95 CPU of the next ones (each on a statement not seen before), split into quotes
and claims; then a second article on each of the same statements (the common case: a statement
is reported by many articles, its sentence vectors are cached in the process); peak RSS. CPU time
(time.process_time) is the figure that matters on a loaded machine; wall is printed beside it.
"""

from __future__ import annotations

import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

T_START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
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


def main() -> None:
    url = sys.argv[1]
    n_articles = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    t0, c0 = time.perf_counter(), time.process_time()
    from compare.embed import MiniLM

    model = MiniLM()
    model.load()
    load_wall, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    rss_model = rss_mb()
    from sqlalchemy import select

    from compare.claims import check_claims
    from compare.quote_engine import check_article
    from compare.quotes import extract_quotes
    from store import Store
    from store import schema as t
    from store.quoteindex import StoreQuoteIndex

    store = Store(url)
    with store.engine.connect() as conn:
        n_versions = len(conn.execute(select(t.versions.c.id)).all())
    if n_versions == 0:
        import quotes_scale

        quotes_scale.populate(url, 100_000)
        with store.engine.connect() as conn:
            n_versions = len(conn.execute(select(t.versions.c.id)).all())
    index = StoreQuoteIndex(store)
    rng = random.Random(14)
    with store.engine.connect() as conn:
        heads = conn.execute(select(t.versions.c.paragraphs).order_by(t.versions.c.id)
                             .where(t.versions.c.id.in_([rng.randrange(1, n_versions) for _ in range(n_articles * 3)]))).all()
    paras = [list(p) for (p,) in heads if sum(len(x.split()) for x in p) >= 250][:n_articles]
    arts = [article_from(p, rng) for p in paras]
    # Second articles on the same statements (other frames, other changed figures): a
    # statement is reported by many articles, and its sentence vectors are then cached.
    again = [article_from(p, rng) for p in paras]
    q_cpu, c_cpu, walls, n_claims, verdicts = [], [], [], [], {}
    for text in arts:
        w0, c_a = time.perf_counter(), time.process_time()
        quotes = check_article(index, extract_quotes(text))
        c_b = time.process_time()
        report = check_claims(index, text, quotes, embedder=model)
        c_c = time.process_time()
        walls.append((time.perf_counter() - w0) * 1000)
        q_cpu.append((c_b - c_a) * 1000)
        c_cpu.append((c_c - c_b) * 1000)
        n_claims.append(len(report.claims))
        for c in report.claims:
            verdicts[c.verdict.value] = verdicts.get(c.verdict.value, 0) + 1
    warm = []
    for text in again:
        c_a = time.process_time()
        quotes = check_article(index, extract_quotes(text))
        check_claims(index, text, quotes, embedder=model)
        warm.append((time.process_time() - c_a) * 1000)
    total = [q + c for q, c in zip(q_cpu, c_cpu, strict=True)]
    rest = total[1:] or total
    words = statistics.mean(len(a.split()) for a in arts)
    print(f"claims speed ({store.engine.dialect.name}, {n_versions:,} statement versions; machine loaded, "
          f"2 cores shared): {len(arts)} articles of ~{words:.0f} words, {statistics.mean(n_claims):.0f} claims each")
    print(f"  model load: {load_cpu:.2f} s CPU, {load_wall:.2f} s wall (process start to loaded "
          f"{time.perf_counter() - T_START:.1f} s); RSS after load {rss_model:.0f} MB")
    print(f"  first article (cold caches): {total[0]:.0f} ms CPU ({q_cpu[0]:.0f} quotes + {c_cpu[0]:.0f} claims), "
          f"{walls[0]:.0f} ms wall")
    print(f"  next articles: CPU median {statistics.median(rest):.0f} ms (claims {statistics.median(c_cpu[1:] or c_cpu):.0f}, "
          f"quotes {statistics.median(q_cpu[1:] or q_cpu):.0f}), p95 {sorted(rest)[int(0.95 * (len(rest) - 1))]:.0f} ms; "
          f"wall median {statistics.median(walls[1:] or walls):.0f} ms")
    print(f"  another article on a statement already seen (its sentence vectors cached): CPU median "
          f"{statistics.median(warm):.0f} ms, p95 {sorted(warm)[int(0.95 * (len(warm) - 1))]:.0f} ms")
    print(f"  peak RSS {rss_mb():.0f} MB; verdicts {verdicts}")
    store.close()


if __name__ == "__main__":
    main()
