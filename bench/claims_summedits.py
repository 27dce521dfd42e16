"""Bench: SummEdits news (Laban et al. 2023; salesforce/factualNLG, Apache-2.0) as claims.

    python bench/claims_summedits.py PATH/TO/summedits_news.json [--limit N]

819 document / summary pairs, each summary a minimal edit of a reference summary, labelled
consistent (1) or not (0). The data set is read from the path given, never committed. Each
document is a statement (paragraphs split on blank lines) in its own temporary SQLite store
with the pipeline's index; each summary sentence is a claim handed to compare.claims.
check_claims (no claim finding: a summary has no reporting verbs); a summary is called
inconsistent when any of its sentences is judged drift or unsupported.

Baseline in the same run (the issue's): embedding similarity with a threshold and no rules,
same model, same sentences: a summary is consistent when each of its sentences has a document
sentence at or above the threshold; the threshold is the best of a grid on this very set
(optimistic for the baseline). Balanced accuracy = mean of the recall on each class.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compare.claims import Claim, check_claims  # noqa: E402
from compare.embed import MiniLM  # noqa: E402
from compare.quotes import sentence_spans  # noqa: E402
from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash  # noqa: E402
from store import Store  # noqa: E402
from store.quoteindex import StoreQuoteIndex  # noqa: E402
from store.records import Observation  # noqa: E402


def balanced(pred: list[bool], gold: list[bool]) -> float:
    """Mean recall of the two classes (True = consistent)."""
    out = []
    for cls in (True, False):
        idx = [i for i, g in enumerate(gold) if g is cls]
        out.append(sum(1 for i in idx if pred[i] is cls) / max(1, len(idx)))
    return sum(out) / 2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    rows = json.loads(args.path.read_text(encoding="utf-8"))
    if args.limit:
        rows = rows[:args.limit]
    gold = [str(r["label"]) == "1" for r in rows]
    emb = MiniLM()
    emb.load()
    docs = {doc: i for i, doc in enumerate(dict.fromkeys(r["doc"] for r in rows))}
    preds: list[bool] = []
    base_sims: list[float] = []
    kinds: Counter[str] = Counter()
    cpu0 = time.process_time()
    with tempfile.TemporaryDirectory(prefix="claims-summedits-") as tmp:
        template = Path(tmp) / "template.sqlite"
        Store(f"sqlite:///{template}").close()
        stores: dict[int, Store] = {}
        for r in rows:
            d = docs[r["doc"]]
            if d not in stores:
                for old in stores.values():
                    old.close()
                stores.clear()
                path = Path(tmp) / f"doc{d}.sqlite"
                shutil.copyfile(template, path)
                store = Store(f"sqlite:///{path}")
                paras = [p.strip() for p in r["doc"].split("\n\n") if p.strip()]
                canon = canonical_text(paras)
                store.record_observation(Observation(
                    url=f"doc:{d}", kind="statement", title=paras[0][:80], paragraphs=tuple(paras),
                    canonical_text=canon, text_hash=text_hash(canon), normalizer_version=NORMALIZER_VERSION))
                stores[d] = store
            store = stores[d]
            summary = r["summary"]
            claims = [Claim(summary[a:b], a, b, None) for a, b in sentence_spans(summary)]
            report = check_claims(StoreQuoteIndex(store), summary, claims=claims, links=[f"doc:{d}"],
                                  embedder=emb)
            bad = [c for c in report.claims if c.verdict.value != "faithful"]
            preds.append(not bad)
            for c in bad:
                kinds[f"{c.verdict.value}/{c.kind.value if c.kind else '-'}"] += 1
            # baseline: every summary sentence has a close document sentence
            doc_sents = [p[a:b] for p in r["doc"].split("\n\n") for a, b in sentence_spans(p)]
            if doc_sents and claims:
                va = emb.encode([c.text for c in claims])
                vb = emb.encode(doc_sents)
                base_sims.append(float(np.min(np.max(va @ vb.T, axis=1))))
            else:
                base_sims.append(0.0)
        for s in stores.values():
            s.close()
    cpu = time.process_time() - cpu0
    best_t, best_b = 0.0, 0.0
    for t in np.arange(0.3, 0.99, 0.01):
        b = balanced([bool(s >= t) for s in base_sims], gold)
        if b > best_b:
            best_t, best_b = float(t), b
    ours = balanced(preds, gold)
    n_cons = sum(gold)
    print(f"SummEdits news: {len(rows)} pairs ({n_cons} consistent, {len(rows) - n_cons} not), "
          f"{len(docs)} documents; CPU {cpu:.0f} s (machine loaded)")
    print(f"  onrecord claims: balanced accuracy {ours:.3f} (consistent kept {balanced_part(preds, gold, True):.2f}, "
          f"inconsistent caught {balanced_part(preds, gold, False):.2f})")
    print(f"  baseline (embedding similarity >= {best_t:.2f}, best threshold on this set): balanced accuracy {best_b:.3f}")
    print(f"  flagged as: {dict(kinds.most_common())}")
    return 0


def balanced_part(pred: list[bool], gold: list[bool], cls: bool) -> float:
    idx = [i for i, g in enumerate(gold) if g is cls]
    return sum(1 for i in idx if pred[i] is cls) / max(1, len(idx))


if __name__ == "__main__":
    raise SystemExit(main())
