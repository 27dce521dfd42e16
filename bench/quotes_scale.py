"""Bench (1): 1,000 articles x 10 quotes against a StatementCorpus of 100,000 statement versions.

Statements are generated from the 2,031 real State Department bodies (../shared/data): each
synthetic statement takes a real body and mutates about half its paragraphs the way related
statements differ (another country, another number or date, a sentence dropped, a sentence
from another statement added), so copies of one body share boilerplate but not everything.
Each statement gets 1 to 50 versions (most 1-3), every version a realistic silent edit of the
one before (a word, a number, a sentence added or removed, a paragraph added). Articles quote
10 sentences of one version with reporters' mutations (a dropped word, an ellipsis, a bracket,
a changed number, a dropped "not", straight quotes). Prints build time and memory, latency per
article (extraction + retrieval + alignment + verdicts), how often the quoted statement is the
one identified, and the no-index baseline on a small subset in the same run.

    python bench/quotes_scale.py [N_VERSIONS] [N_ARTICLES]
"""

from __future__ import annotations

import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compare.corpus import StatementCorpus  # noqa: E402
from compare.quotecheck import SourceText, _check_statement, parse_quote  # noqa: E402
from compare.quotes import extract_quotes  # noqa: E402
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


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def statement(i: int, bodies: list[str], pool: list[str]) -> list[str]:
    """Version texts of synthetic statement i (deterministic in i: regenerated, not kept)."""
    rng = random.Random(i)
    paras = bodies[i % len(bodies)].split("\n")
    if i >= len(bodies):  # the real bodies themselves come first, unmutated
        paras = [mutate_paragraph(p, rng, pool) if rng.random() < 0.5 else p for p in paras]
    out = ["\n".join(paras)]
    for n in range(n_versions_for(rng) - 1):
        paras = edit_version(paras, rng, pool, n)
        out.append("\n".join(paras))
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


def main() -> None:
    n_versions = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_articles = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    data = load_statements()
    bodies = [vs[-1]["text"] for _, vs in sorted(data.items())]
    pool = [s for b in bodies[::7] for s in sentences(b) if 8 <= len(s.split()) <= 30][:5000]
    rss0 = rss_mb()

    # Articles are chosen before the corpus is built so that only their texts are kept.
    rng = random.Random(1)
    n_statements_guess = max(1, n_versions // 4)
    targets = {rng.randrange(n_statements_guess) for _ in range(n_articles * 2)}

    t0, c0 = time.perf_counter(), time.process_time()
    corpus = StatementCorpus()
    kept: dict[int, list[str]] = {}
    added = i = 0
    while added < n_versions:
        texts = statement(i, bodies, pool)[: n_versions - added]
        for seq, text in enumerate(texts, 1):
            corpus.add(f"https://www.state.gov/s/{i}", seq, text)
        if i in targets:
            kept[i] = texts
        added += len(texts)
        i += 1
    stats = corpus.stats()
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    rss1 = rss_mb()
    index_mb = (stats["postings_bytes"] + stats["token_bytes"] + stats["text_bytes"]) / 1e6
    print(f"corpus: {stats['versions']:,} versions of {stats['statements']:,} statements built in {build:.1f} s "
          f"({build_cpu:.1f} s CPU, generation included); "
          f"{stats['blocks']:,} distinct blocks, {stats['words'] / 1e6:.1f} M words, vocabulary {stats['vocabulary']:,}")
    print(f"memory: postings {stats['postings_bytes'] / 1e6:.0f} MB, token arrays {stats['token_bytes'] / 1e6:.0f} MB, "
          f"block texts ~{stats['text_bytes'] / 1e6:.0f} MB (total ~{index_mb:.0f} MB); "
          f"peak RSS {rss0:.0f} MB before, {rss1:.0f} MB after the build")

    arts = []
    for k in sorted(kept)[:n_articles]:
        vs = kept[k]
        seq = len(vs) if rng.random() < 0.85 else rng.randint(1, len(vs))  # some quote an old version
        ss = [s for s in sentences(vs[seq - 1]) if 8 <= len(s.split()) <= 40 and not re.search(r"[\"“”‘]", s)]
        if len(ss) < 3:
            continue
        picks = rng.sample(ss, min(10, len(ss)))
        paras = ["Officials spoke on Monday. " + STYLES[j % len(STYLES)].format(q=quote_mutation(s, rng))
                 for j, s in enumerate(picks)]
        arts.append((f"https://www.state.gov/s/{k}", vs[seq - 1], "\n".join(paras)))

    times: list[float] = []
    cpu: list[float] = []
    right = same_text = total = 0
    verdicts: Counter[str] = Counter()
    for url, text, article in arts:
        t, c = time.perf_counter(), time.process_time()
        checks = corpus.check_article(extract_quotes(article))
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        for c in checks:
            total += 1
            verdicts[c.verdict] += 1
            if c.source == url:
                right += 1
            elif c.source and c.matched and c.matched in corpus.text(c.source, c.version or 1) \
                    and c.matched in text:
                same_text += 1  # the passage is word for word in another statement too (a copy)
    times.sort()
    cpu.sort()
    print(f"articles: {len(arts)} x ~10 quotes ({total} checked); per article: mean {statistics.mean(times):.1f} ms, "
          f"p50 {times[len(times) // 2]:.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms, "
          f"max {times[-1]:.0f} ms; CPU per article: mean {statistics.mean(cpu):.1f} ms, "
          f"p50 {cpu[len(cpu) // 2]:.1f} ms, p95 {cpu[int(len(cpu) * 0.95)]:.1f} ms; peak RSS {rss_mb():.0f} MB")
    print(f"identification: quoted statement {right / max(1, total):.1%}; the same passage in another "
          f"statement {same_text / max(1, total):.1%}; verdicts {dict(verdicts.most_common())}")

    # Baseline in the same run: no index, each quote aligned to every version of a few statements.
    some = [u for k in range(0, 3000, 100) if corpus.versions(u := f"https://www.state.gov/s/{k}")]
    versions = {u: [SourceText(u, corpus.text(u, s.version), s.version, s.current)
                    for s in corpus.versions(u)] for u in some}
    n_base = sum(len(v) for v in versions.values())
    bt = []
    for _url, _text, article in arts[:3]:
        t = time.perf_counter()
        for q in extract_quotes(article):
            pq = parse_quote(q.text)
            for u in some:
                _check_statement(q, pq, versions[u], None)
        bt.append((time.perf_counter() - t) * 1000)
    per = statistics.mean(bt)
    print(f"baseline without index against {n_base:,} versions only: {per:.0f} ms per article "
          f"(about {per * stats['versions'] / n_base / 1000:.0f} s per article for the full corpus)")


if __name__ == "__main__":
    main()
