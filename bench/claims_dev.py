"""Bench: reported claims and the coverage map on ../shared/data/coverage-dev (issue 14).

Usage: python bench/claims_dev.py [--show N] [--data DIR]

For each of the 28 articles, its statements (title as paragraph 0, paragraphs split on blank
lines, as the labels index them) go into a temporary SQLite store with the pipeline's index;
the article's quotes are checked (compare.quote_engine.check_article) and its claims found and
judged (compare.claims.check_claims), on the raw article file so offsets are the labels'.
Scored against claims.jsonl and coverage.jsonl:

- finding recall: scored labelled claims (faithful, drift, unsupported) with a found claim
  covering at least half of the labelled span;
- drift recall: labelled drifts found and called drift (and "flagged": drift or unsupported);
- faithful flagged: labelled faithful claims found and called drift or unsupported;
- number / negation drift recall; unsupported recall (called unsupported);
- coverage accuracy: (article, statement, paragraph) rows whose `how` matches (and `covered`).

Judging is also measured apart from finding: the labelled spans themselves handed to the same
judge ("labelled spans"). The baseline of the issue runs in the same process: embedding
similarity with thresholds and no rules (same model, same sentences): a sentence is a claim
when its best similarity to a statement sentence reaches FIND; faithful at or above HI, drift
between LO and HI, unsupported below LO; its thresholds are the best of a grid on this very
set (an optimistic baseline).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compare.claims import Claim, ClaimReport, check_claims  # noqa: E402
from compare.embed import MiniLM  # noqa: E402

MODEL = MiniLM()  # loaded once in main(), handed to every check
from compare.quote_engine import check_article  # noqa: E402
from compare.quotecheck import QuoteCheck  # noqa: E402
from compare.quotes import extract_quotes, sentence_spans  # noqa: E402
from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash  # noqa: E402
from store import Store  # noqa: E402
from store.quoteindex import StoreQuoteIndex  # noqa: E402
from store.records import Observation  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "coverage-dev"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def statement_paragraphs(data: Path, name: str) -> list[str]:
    return [p for p in (data / "statements" / name).read_text(encoding="utf-8").split("\n\n")]


def run_article(data: Path, article: str, statements: Sequence[str], tmp: Path,
                labelled: Sequence[dict]) -> tuple[str, list[QuoteCheck], ClaimReport, ClaimReport]:
    text = (data / "articles" / article).read_text(encoding="utf-8")
    store = Store(f"sqlite:///{tmp / (article + '.sqlite')}")
    try:
        for s in statements:
            paras = statement_paragraphs(data, s)
            canon = canonical_text(paras)
            store.record_observation(Observation(
                url=s, kind="statement", title=paras[0], paragraphs=tuple(paras),
                canonical_text=canon, text_hash=text_hash(canon), normalizer_version=NORMALIZER_VERSION))
        index = StoreQuoteIndex(store)
        quotes = check_article(index, extract_quotes(text))
        found = check_claims(index, text, quotes, embedder=MODEL)
        spans = [Claim(r["text"], r["start"], r["end"], None) for r in labelled]
        judged = check_claims(index, text, quotes, claims=spans, embedder=MODEL)
        return text, quotes, found, judged
    finally:
        store.close()


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(row: dict, found: list[dict]) -> dict | None:
    span = (row["start"], row["end"])
    best = max(found, key=lambda c: overlap(span, (c["start"], c["end"])), default=None)
    if best is None or overlap(span, (best["start"], best["end"])) < 0.5 * (span[1] - span[0]):
        return None
    return best


def score(rows: list[dict], got: dict[str, dict | None]) -> dict[str, float]:
    scored = [r for r in rows if r["expected"] != "ignore"]
    drift = [r for r in scored if r["expected"] == "drift"]
    faithful = [r for r in scored if r["expected"] == "faithful"]
    unsup = [r for r in scored if r["expected"] == "unsupported"]

    def v(r: dict) -> str | None:
        c = got.get(r["id"])
        return c["verdict"] if c else None

    def share(items: list[dict], ok: object) -> float:
        return sum(1 for r in items if ok(r)) / max(1, len(items))  # type: ignore[operator]

    out = {
        "finding recall": share(scored, lambda r: got.get(r["id"]) is not None),
        "drift recall (called drift)": share(drift, lambda r: v(r) == "drift"),
        "drift flagged (drift or unsupported)": share(drift, lambda r: v(r) in ("drift", "unsupported")),
        "faithful flagged": share(faithful, lambda r: v(r) in ("drift", "unsupported")),
        "number drift recall": share([r for r in drift if r["kind"] == "number"], lambda r: v(r) == "drift"),
        "negation drift recall": share([r for r in drift if r["kind"] == "negation"], lambda r: v(r) == "drift"),
        "unsupported recall": share(unsup, lambda r: v(r) == "unsupported"),
        "drift kind right (of drifts called drift)": (
            sum(1 for r in drift if v(r) == "drift" and (got[r["id"]] or {}).get("kind") == r["kind"])
            / max(1, sum(1 for r in drift if v(r) == "drift"))),
    }
    return out


def coverage_score(cov_rows: list[dict], got: dict[tuple[str, str, int], str]) -> tuple[float, float]:
    how = sum(1 for r in cov_rows if got.get((r["article"], r["statement"], r["paragraph"]), "none") == r["how"])
    covered = sum(1 for r in cov_rows
                  if (got.get((r["article"], r["statement"], r["paragraph"]), "none") != "none") == r["covered"])
    return how / len(cov_rows), covered / len(cov_rows)


# -- baseline: embedding similarity with thresholds, no rules --------------------------------------

def baseline_sims(text: str, quotes: list[QuoteCheck], statements: list[list[str]]) -> list[tuple[int, int, float, int, int]]:
    """(start, end, best similarity, statement index, paragraph) for every article sentence
    outside quotes."""
    qspans = [(q.quote.start, q.quote.end) for q in quotes]
    sents = [(a, b) for a, b in sentence_spans(text)
             if len(text[a:b].split()) >= 6 and not any(overlap((a, b), q) > 0 for q in qspans)]
    st_sents = [(k, i, p[a:b]) for k, paras in enumerate(statements) for i, p in enumerate(paras)
                for a, b in sentence_spans(p)]
    if not sents or not st_sents:
        return []
    emb = MODEL
    va = emb.encode([text[a:b] for a, b in sents])
    vb = emb.encode([s for _, _, s in st_sents])
    sim = va @ vb.T
    out = []
    for i, (a, b) in enumerate(sents):
        j = int(np.argmax(sim[i]))
        out.append((a, b, float(sim[i, j]), st_sents[j][0], st_sents[j][1]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--show", type=int, default=0, help="print N wrong verdicts")
    args = ap.parse_args(argv)
    data: Path = args.data
    claims = load(data / "claims.jsonl")
    cov = load(data / "coverage.jsonl")
    by_article: dict[str, list[dict]] = defaultdict(list)
    for r in claims:
        by_article[r["article"]].append(r)
    statements_of: dict[str, list[str]] = {}
    for r in cov:
        statements_of.setdefault(r["article"], [])
        if r["statement"] not in statements_of[r["article"]]:
            statements_of[r["article"]].append(r["statement"])
    t_load = time.process_time()
    MODEL.load()
    t_load = time.process_time() - t_load

    got_found: dict[str, dict | None] = {}
    got_judged: dict[str, dict | None] = {}
    cov_got: dict[tuple[str, str, int], str] = {}
    base_rows: list[tuple[str, list[tuple[int, int, float, int, int]]]] = []
    n_found = 0
    cpu = 0.0
    with tempfile.TemporaryDirectory(prefix="claims-dev-") as tmp:
        for article in sorted(statements_of):
            rows = by_article.get(article, [])
            t0 = time.process_time()
            text, quotes, found, judged = run_article(data, article, statements_of[article], Path(tmp), rows)
            cpu += time.process_time() - t0
            fj = [c.to_json() for c in found.claims]
            n_found += len(fj)
            for r in rows:
                got_found[r["id"]] = match(r, fj)
            for r, c in zip(rows, judged.claims, strict=True):
                got_judged[r["id"]] = c.to_json()
            for p in found.coverage:
                cov_got[(article, p.source, p.paragraph)] = p.how.value
            paras = [statement_paragraphs(data, s) for s in statements_of[article]]
            base_rows.append((article, baseline_sims(text, quotes, paras)))
            # the quoted part of the baseline's coverage map is the same quote checks'
            for p in found.coverage:
                base_quoted = p.how.value in ("quoted", "both")
                cov_got[("base", article, p.source, p.paragraph)] = "quoted" if base_quoted else "none"  # type: ignore[index]

    scored_n = sum(1 for r in claims if r["expected"] != "ignore")
    print(f"coverage-dev: {len(statements_of)} articles, {scored_n} scored claims, {len(cov)} coverage rows; "
          f"onrecord listed {n_found} claims; CPU {cpu:.1f} s in all; model load {t_load:.2f} s CPU")
    s_found = score(claims, got_found)
    s_judged = score(claims, got_judged)
    cov_how, cov_covered = coverage_score(cov, cov_got)

    # Baseline: grid of thresholds, best by (drift flagged - faithful flagged + unsupported recall).
    best: tuple[float, dict[str, float], tuple[float, float, float], float, float] | None = None
    for find_t in (0.3, 0.4, 0.5):
        for lo in (0.3, 0.4, 0.5):
            for hi in (0.6, 0.7, 0.8, 0.9):
                if hi <= lo:
                    continue
                bgot: dict[str, dict | None] = {}
                bcov: dict[tuple[str, str, int], str] = {}
                for article, sims in base_rows:
                    listed = [{"start": a, "end": b, "verdict": "faithful" if s >= hi else "drift" if s >= lo else "unsupported",
                               "kind": None, "k": k, "p": p, "s": s} for a, b, s, k, p in sims if s >= find_t]
                    for r in by_article.get(article, []):
                        bgot[r["id"]] = match(r, listed)
                    for c in listed:
                        if c["s"] >= lo:
                            bcov[(article, statements_of[article][c["k"]], c["p"])] = "paraphrased"
                for key, how in cov_got.items():
                    if key[0] == "base":
                        _, art, src, par = key  # type: ignore[misc]
                        para = bcov.get((art, src, par), "none")
                        bcov[(art, src, par)] = ("both" if para == "paraphrased" else "quoted") if how == "quoted" else para
                sc = score(claims, bgot)
                ch, cc = coverage_score(cov, bcov)
                objective = sc["drift flagged (drift or unsupported)"] - sc["faithful flagged"] + sc["unsupported recall"]
                if best is None or objective > best[0]:
                    best = (objective, sc, (find_t, lo, hi), ch, cc)
    assert best is not None
    _, s_base, thresholds, b_how, b_cov = best

    print(f"\n{'metric':44} {'onrecord':>9} {'(spans)':>8} {'baseline':>9}  target")
    targets = {"finding recall": ">= 0.90", "drift recall (called drift)": ">= 0.85",
               "faithful flagged": "<= 0.10", "number drift recall": "1.00",
               "negation drift recall": "1.00", "unsupported recall": ">= 0.80"}
    for k in s_found:
        print(f"{k:44} {s_found[k]:9.2f} {s_judged[k]:8.2f} {s_base[k]:9.2f}  {targets.get(k, '')}")
    print(f"{'coverage accuracy (how, per paragraph)':44} {cov_how:9.2f} {'':8} {b_how:9.2f}  >= 0.95")
    print(f"{'coverage accuracy (covered or not)':44} {cov_covered:9.2f} {'':8} {b_cov:9.2f}")
    print(f"baseline thresholds (find, drift below, unsupported below): {thresholds}")
    print("\nalignment score on labelled spans (quartiles):")
    for exp in ("faithful", "drift", "unsupported"):
        xs = sorted(g["score"] for r in claims if r["expected"] == exp and (g := got_judged.get(r["id"])))
        if xs:
            q = [xs[int(k * (len(xs) - 1) / 4)] for k in range(5)]
            print(f"  {exp:12} " + " ".join(f"{x:.2f}" for x in q))
    kinds = Counter((r["kind"], (got_judged[r["id"]] or {}).get("verdict"), (got_judged[r["id"]] or {}).get("kind"))
                    for r in claims if r["expected"] == "drift")
    print("\ndrift kinds on labelled spans (label -> verdict/kind):")
    for (k, v, gk), n in sorted(kinds.items(), key=lambda x: (str(x[0][0]), -x[1])):
        print(f"  {k:12} -> {v}/{gk}: {n}")
    if args.show:
        print("\ncoverage rows wrong:")
        for r in cov:
            g = cov_got.get((r["article"], r["statement"], r["paragraph"]), "none")
            if g != r["how"]:
                print(f"  {r['article']} {r['statement']} ¶{r['paragraph']} ({r['para_kind']}): "
                      f"label {r['how']} got {g}; quotes {r['quote_ids']} claims {r['claim_ids']}")
        print("\nwrong verdicts on labelled spans:")
        shown = 0
        for r in claims:
            g = got_judged.get(r["id"])
            if r["expected"] == "ignore" or g is None:
                continue
            if g["verdict"] != r["expected"] or (r["expected"] == "drift" and g["kind"] != r["kind"]):
                print(f"- {r['id']} {r['expected']}/{r['kind']} -> {g['verdict']}/{g['kind']} ({g['score']}): {r['text']}")
                print(f"    matched: {g['matched'][:200]}")
                print(f"    support: {(r['support'] or [''])[0][:200]}")
                for why in g["reasons"][:2]:
                    print(f"    why: {why[:200]}")
                shown += 1
                if shown >= args.show:
                    break
        print("\nlabelled number / negation drifts not called drift with finding on:")
        for r in claims:
            if r["expected"] == "drift" and r["kind"] in ("number", "negation"):
                g = got_found.get(r["id"])
                if g is None or g["verdict"] != "drift":
                    got = "not found" if g is None else f"{g['verdict']}/{g['kind']} ({g['score']}) on: {g['text'][:200]}"
                    print(f"- {r['id']} {r['kind']}: {r['text'][:200]}\n    got {got}")
                    for why in (g or {}).get("reasons", ())[:2]:
                        print(f"    why: {why[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
