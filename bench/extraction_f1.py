"""Main-text F1 on the 990-page extraction benchmark: onrecord's extract() vs trafilatura.

Metric (the benchmark's README): for each annotated segment, a whitespace-normalised
substring test on the extracted text; "with" present = TP, missing = FN; "without"
present = FP, absent = TN; micro precision, recall and F1. Both extractors run in the
same process on the same bytes, so the comparison holds whatever the machine.

    /tmp/venv0/bin/python bench/extraction_f1.py [--limit N] [--jobs N] [--show-worse]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-benchmark"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _load(name: str) -> bytes:
    for sub in ("eval", "cache"):
        path = DATA / sub / (name + ".gz")
        if path.exists():
            return gzip.decompress(path.read_bytes())
    raise FileNotFoundError(name)


def run_trafilatura(body: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(body, url=url) or ""


def run_onrecord(body: bytes, url: str) -> str:
    from sources.document import COVERAGE
    from sources.extract import ExtractionError, extract

    try:
        doc = extract(body, url, kind=COVERAGE)
    except ExtractionError:
        return ""
    return doc.text  # the main text; the title is a separate field


EXTRACTORS = {"trafilatura": run_trafilatura, "onrecord": run_onrecord}


def _score(args: tuple[str, dict]) -> dict[str, tuple[int, int, int, int, float]]:
    url, item = args
    body = _load(item["file"])
    out = {}
    for name, fn in EXTRACTORS.items():
        t0 = time.perf_counter()
        text = _norm(fn(body, url))
        dt = time.perf_counter() - t0
        tp = sum(1 for s in item["with"] if _norm(s) in text)
        fp = sum(1 for s in item["without"] if _norm(s) in text)
        out[name] = (tp, len(item["with"]) - tp, fp, len(item["without"]) - fp, dt)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--show-worse", action="store_true", help="list pages where onrecord loses")
    args = ap.parse_args()
    data = json.loads((DATA / "evaldata.json").read_text(encoding="utf-8"))
    items = sorted(data.items())
    if args.limit:
        items = items[: args.limit]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(_score, items, chunksize=8))
    print(f"{len(items)} pages, {sum(len(i['with']) for _, i in items)} 'with' and "
          f"{sum(len(i['without']) for _, i in items)} 'without' segments")
    print(f"{'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'ms/page':>8}")
    f1s = {}
    for name in EXTRACTORS:
        tp = sum(r[name][0] for r in results)
        fn = sum(r[name][1] for r in results)
        fp = sum(r[name][2] for r in results)
        secs = sum(r[name][4] for r in results)
        p = tp / (tp + fp) if tp + fp else 0.0
        r_ = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r_ / (p + r_) if p + r_ else 0.0
        f1s[name] = f1
        print(f"{name:<12} {p:9.4f} {r_:7.4f} {f1:7.4f} {1000 * secs / len(items):8.1f}")
    print(f"onrecord - trafilatura F1: {f1s['onrecord'] - f1s['trafilatura']:+.4f}")
    if args.show_worse:
        for (url, item), r in zip(items, results, strict=True):
            o, t = r["onrecord"], r["trafilatura"]
            if (o[0] - o[2]) < (t[0] - t[2]):
                print(f"  worse: {item['file']} {url} onrecord tp={o[0]} fp={o[2]} / traf tp={t[0]} fp={t[2]}")


if __name__ == "__main__":
    main()
