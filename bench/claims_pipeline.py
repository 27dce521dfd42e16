"""What judging reported claims adds to the pipeline's per-article cost (issue 14).

The coverage-dev statements are recorded in a temporary SQLite store through the pipeline,
then every article version is judged twice, in the same run:

- baseline: the article's quotes only (`Pipeline._check_quotes`: extract, check against the
  store's quote index, store verdicts and alerts), what the pipeline did before issue 14;
- onrecord: quotes then claims (`Pipeline.judge_article`: the above, then `check_claims`
  with the quote verdicts, then the claim verdicts, coverage map and drift alerts stored).

CPU time (time.process_time) per article, the model load on its own (first encode), and the
stored rows. Then the drift alerts the pipeline raises (alerts.compose.claim_alert_due) against
the labels of claims.jsonl: each alerted claim is matched to the labelled claim it overlaps;
precision is the share of alerts on a claim labelled drift, recall the share of labelled major
drifts alerted (labels "ignore" and unlabelled sentences count as false alarms). Usage:

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

from alerts.compose import claim_alert_due
from compare.claims import ClaimCheck, check_claims
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
        t0 = time.process_time()
        rt.model()  # the process's model, loaded (statements are embedded as they are stored)
        load = time.process_time() - t0
        for s in sources:
            title, paras = _paragraphs(args.data / "statements" / s["file"])
            pipe.record_document(Document(url=s["link"], title=title, paragraphs=tuple(paras),
                                          kind=STATEMENT,
                                          published=parsedate_to_datetime(s["pubDate"])))

        base: list[float] = []
        full: list[float] = []
        claims = drifts = 0
        judged: dict[str, tuple[str, list[ClaimCheck]]] = {}
        for i, path in enumerate(sorted((args.data / "articles").glob("*.txt"))):
            title, paras = _paragraphs(path)
            doc = Document(url=f"https://news.example/{i}", title=title,
                           paragraphs=tuple(paras), kind=COVERAGE)
            saved = rt.store.record_observation(_observation(doc))
            index = StoreQuoteIndex(rt.store)
            t0 = time.process_time()
            quote_checks = pipe._check_quotes(doc, saved.version, index)
            base.append(time.process_time() - t0)
            t0 = time.process_time()
            _, done = pipe.judge_article(doc, saved.version)
            full.append(time.process_time() - t0)
            claims += len(done)
            drifts += sum(1 for c in done if c.verdict == "drift")
            # The engine's ClaimChecks themselves (as the pipeline judged them) for the alert
            # rule; judging again hits the embedder's cache, outside the timing.
            report = check_claims(index, doc.text, quote_checks, doc.published, links=doc.links,
                                  embedder=rt.model())
            judged[path.name] = (doc.text, list(report.claims))
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
    _alert_quality(args.data, judged)


def _alert_quality(data: Path, judged: dict[str, tuple[str, list[ClaimCheck]]]) -> None:
    labels = [json.loads(line) for line in (data / "claims.jsonl").open(encoding="utf-8")]
    raw = {name: (data / "articles" / name).read_text(encoding="utf-8") for name in judged}

    def label_of(name: str, check: ClaimCheck, text: str) -> dict | None:
        # Engine offsets are into the paragraphs joined again; find the claim in the file.
        at = raw[name].find(check.claim.text)
        if at < 0:
            return None
        end = at + len(check.claim.text)
        best = max((lab for lab in labels if lab["article"] == name
                    and lab["start"] < end and lab["end"] > at),
                   key=lambda lab: min(end, lab["end"]) - max(at, lab["start"]), default=None)
        return best

    alerted = [(name, c, label_of(name, c, text)) for name, (text, checks) in judged.items()
               for c in checks if claim_alert_due(c)]
    right = [lab for _, _, lab in alerted if lab and lab["expected"] == "drift"]
    major = [lab for lab in labels if lab["expected"] == "drift" and lab["severity"] == "major"]
    caught = {lab["id"] for lab in right if lab["severity"] == "major"}
    faithful = [lab for _, _, lab in alerted if lab and lab["expected"] == "faithful"]
    print(f"  drift alerts: {len(alerted)}; on labelled drift {len(right)} "
          f"(precision {len(right) / max(1, len(alerted)):.2f}); on labelled faithful "
          f"{len(faithful)}; labelled major drifts alerted {len(caught)}/{len(major)} "
          f"(recall {len(caught) / max(1, len(major)):.2f})")


def _observation(doc: Document):  # noqa: ANN202
    from sources.normalize import NORMALIZER_VERSION, canonical_text, version_hash
    from store.records import Observation

    canonical = canonical_text(doc.paragraphs)
    return Observation(url=doc.url, kind=doc.kind, title=doc.title, paragraphs=doc.paragraphs,
                       canonical_text=canonical, text_hash=version_hash(canonical, doc.title),
                       normalizer_version=NORMALIZER_VERSION)


if __name__ == "__main__":
    main()
