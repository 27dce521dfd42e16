"""Bench (1): 1,000 articles x 10 quotes against a shingle index of 100,000 statement versions.

The versions are the 2,211 real State Department versions, repeated with their paragraphs
rotated and a unique line added until there are N of them (so postings and lookups are as
heavy as for N distinct statements that share boilerplate). Prints latency per article
(extraction + retrieval + alignment + verdicts), index build time and memory, and the
baseline in the same run: aligning each quote against every version of a 2,000-statement
slice with no index.

    python bench/quotes_scale.py [N_VERSIONS] [N_ARTICLES]
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compare.quotecheck import SourceText, check_article  # noqa: E402
from compare.quotes import extract_quotes  # noqa: E402
from compare.shingles import ShingleIndex  # noqa: E402
from tests.quote_cases import load_statements, sentences  # noqa: E402

STYLES = ['"{q}," the department said.', "“{q},” the statement said.", "The statement said: “{q}.”",
          "‘{q}’, the ministers said.", "According to the statement, “{q}.”"]


def main() -> None:
    n_versions = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_articles = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    data = load_statements()
    base = [(k, i, v["text"]) for k, vs in data.items() for i, v in enumerate(vs)]
    store: dict[str, list[SourceText]] = {}
    t0 = time.perf_counter()
    index = ShingleIndex()
    for n in range(n_versions):
        key, ver, text = base[n % len(base)]
        rot = n // len(base)
        url = f"{key}#copy{rot}" if rot else key
        if rot:
            paras = text.split("\n")
            r = rot % max(1, len(paras))
            text = "\n".join(paras[r:] + paras[:r]) + f"\nReference number {n}."
        store.setdefault(url, []).append(SourceText(url, text, ver + 1, True))
        index.add((url, ver + 1), text)
    for vs in store.values():
        vs[:] = [SourceText(v.url, v.text, v.version, i == len(vs) - 1) for i, v in enumerate(vs)]
    index.compact()
    build = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"index: {n_versions:,} versions built in {build:.1f} s; postings {index.nbytes() / 1e6:.0f} MB; "
          f"process peak RSS incl. all texts {peak / 1e6:.0f} MB")

    rng = random.Random(1)
    keys = [k for k, vs in data.items() if len(sentences(vs[-1]["text"])) >= 10]
    articles = []
    for _ in range(n_articles):
        key = rng.choice(keys)
        ss = [s for s in sentences(data[key][-1]["text"]) if 8 <= len(s.split()) <= 40 and '"' not in s and "“" not in s]
        picks = rng.sample(ss, min(10, len(ss)))
        paras = []
        for j, s in enumerate(picks):
            q = s.rstrip(".")
            if j % 3 == 1:
                w = q.split()
                q = " ".join(w[: len(w) // 2] + w[len(w) // 2 + 1:])  # a word dropped
            paras.append("Officials spoke on Monday. " + STYLES[j % len(STYLES)].format(q=q))
        articles.append((key, "\n".join(paras)))

    resolve = store.__getitem__
    times, found = [], 0
    total_q = 0
    for key, text in articles:
        t = time.perf_counter()
        quotes = extract_quotes(text)
        checks = check_article(quotes, [], index=index, resolve=resolve)
        times.append((time.perf_counter() - t) * 1000)
        total_q += len(checks)
        found += sum(1 for c in checks if c.source and c.source.split("#")[0] == key)
    times.sort()
    print(f"articles: {n_articles} x ~10 quotes ({total_q} checked); per article: "
          f"mean {statistics.mean(times):.1f} ms, median {times[len(times) // 2]:.1f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.1f} ms; right statement found for {found / max(1, total_q):.1%}")

    # Baseline in the same run: no index, align against every version of a 2,000-statement slice.
    some = list(store)[:2000]
    slice_sources = [v for u in some for v in store[u]]
    bt = []
    for _key, text in articles[:20]:
        t = time.perf_counter()
        quotes = extract_quotes(text)
        for q in quotes:
            from compare.quotecheck import _check_statement, parse_quote  # noqa: PLC0415
            pq = parse_quote(q.text)
            for u in some:
                _check_statement(q, pq, store[u], None)
        bt.append((time.perf_counter() - t) * 1000)
    print(f"baseline without index, {len(slice_sources):,} versions only: {statistics.mean(bt):.0f} ms per article "
          f"(x{n_versions / len(slice_sources):.0f} for the full store)")


if __name__ == "__main__":
    main()
