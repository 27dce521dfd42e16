"""What judging reported claims adds to the pipeline's per-article cost (issue 14).

The coverage-dev statements are recorded in a temporary SQLite store through the pipeline,
then every article version is judged twice, in the same run:

- baseline: the article's quotes only (`Pipeline._check_quotes`: extract, check against the
  store's quote index, store verdicts and alerts), what the pipeline did before issue 14;
- onrecord: quotes then claims (`Pipeline.judge_article`: the above, then `check_claims`
  with the quote verdicts, then the claim verdicts, coverage map and drift alerts stored).

CPU time (time.process_time) per article, the model load on its own (first encode), and the
stored rows. Usage:

    .venv/bin/python bench/claims_pipeline.py [--data ../shared/data/coverage-dev]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

from compare.embed import default_embedder
from flows.pipeline import Pipeline, Runtime
from sources.document import COVERAGE, STATEMENT, Document
from sources.fetch import Fetcher
from store import Store
from store.quoteindex import StoreQuoteIndex


def _paragraphs(path: Path) -> tuple[str, list[str]]:
    parts = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return parts[0], parts[1:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared/data/coverage-dev")
    args = ap.parse_args()
    sources = json.loads((args.data / "sources.json").read_text())["statements"]
    tmp = Path(tempfile.mkdtemp(prefix="onrecord-claims-bench-"))
    rt = Runtime(Store(f"sqlite:///{tmp / 'bench.sqlite'}"), Fetcher(allow_private=True), {})
    pipe = Pipeline(rt)
    try:
        for s in sources:
            title, paras = _paragraphs(args.data / "statements" / s["file"])
            pipe.record_document(Document(url=s["link"], title=title, paragraphs=tuple(paras),
                                          kind=STATEMENT,
                                          published=parsedate_to_datetime(s["pubDate"])))
        t0 = time.process_time()
        default_embedder().encode(["warm the model"])
        load = time.process_time() - t0

        base: list[float] = []
        full: list[float] = []
        claims = drifts = 0
        for i, path in enumerate(sorted((args.data / "articles").glob("*.txt"))):
            title, paras = _paragraphs(path)
            doc = Document(url=f"https://news.example/{i}", title=title,
                           paragraphs=tuple(paras), kind=COVERAGE)
            saved = rt.store.record_observation(_observation(doc))
            index = StoreQuoteIndex(rt.store)
            t0 = time.process_time()
            pipe._check_quotes(doc, saved.version, index)
            base.append(time.process_time() - t0)
            t0 = time.process_time()
            _, judged = pipe.judge_article(doc, saved.version)
            full.append(time.process_time() - t0)
            claims += len(judged)
            drifts += sum(1 for c in judged if c.verdict == "drift")
        counts = rt.store.counts()
    finally:
        rt.close()
    n = len(base)

    def ms(xs: list[float]) -> str:
        return (f"median {statistics.median(xs) * 1000:7.1f} ms, mean "
                f"{statistics.mean(xs) * 1000:7.1f} ms, max {max(xs) * 1000:7.1f} ms")

    print(f"{len(sources)} statements, {n} articles (CPU time per article, process_time)")
    print(f"  baseline (quotes only)   {ms(base)}")
    print(f"  onrecord (quotes+claims) {ms(full)}")
    print(f"  model load (first encode): {load * 1000:.0f} ms CPU")
    print(f"  claims judged {claims}, drift {drifts}; rows stored: claim_checks "
          f"{counts['claim_checks']}, claim_coverage {counts['claim_coverage']}")


def _observation(doc: Document):  # noqa: ANN202
    from sources.normalize import NORMALIZER_VERSION, canonical_text, version_hash
    from store.records import Observation

    canonical = canonical_text(doc.paragraphs)
    return Observation(url=doc.url, kind=doc.kind, title=doc.title, paragraphs=doc.paragraphs,
                       canonical_text=canonical, text_hash=version_hash(canonical, doc.title),
                       normalizer_version=NORMALIZER_VERSION)


if __name__ == "__main__":
    main()
