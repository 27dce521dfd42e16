"""Bench: grading of real White House edits against the analysts' labels (issue 12).

Usage: python bench/whitehouse_edits.py [--all] [--show N]

Each labelled pair of ../shared/data/whitehouse-edits is split into paragraphs (one per line,
as the data set gives them), normalised as the pipeline does (sources.normalize.canonical_text)
and diffed with compare.diff.diff_texts. An edit is "alerted" when its overall significance is
minor or above (the default alert threshold) and "caught" when it is graded substantive.
Printed: substantive recall (caught / labelled substantive) and cosmetic false-alarm rate
(alerted / labelled cosmetic), with the data set's own baseline beside them in the same run
(a normalised fingerprint: NFKC, lower case, non-word characters removed; alert when it
differs). --show lists the disagreements.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compare.diff import diff_texts  # noqa: E402
from sources.normalize import canonical_text  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "whitehouse-edits"


def load() -> tuple[dict[str, dict], dict[str, dict]]:
    with gzip.open(DATA / "pairs.jsonl.gz", "rt", encoding="utf-8") as fh:
        pairs = {p["id"]: p for p in map(json.loads, fh)}
    with open(DATA / "labels.jsonl", encoding="utf-8") as fh:
        labels = {row["id"]: row for row in map(json.loads, fh)}
    return pairs, labels


def canonical(text: str) -> str:
    return canonical_text([line for line in text.split("\n") if line.strip()])


def fingerprint(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).lower())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0, help="list up to N disagreements")
    ap.add_argument("--all", action="store_true",
                    help="also grade all pairs (labelled or not) and print how many of each grade")
    args = ap.parse_args()
    pairs, labels = load()
    ours: dict[str, str] = {}
    reasons: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    for pid in labels:
        p = pairs[pid]
        diff = diff_texts(canonical(p["old"]), canonical(p["new"]))
        ours[pid] = str(diff.significance)
        reasons[pid] = [f"{c.significance}: {'; '.join(c.said)}" for c in diff.changes
                        if c.significance != "cosmetic"][:3]
    elapsed = time.perf_counter() - t0
    subst = [i for i, row in labels.items() if row["label"] == "substantive"]
    cosm = [i for i, row in labels.items() if row["label"] == "cosmetic"]

    def figures(name: str, caught: set[str], alerted: set[str]) -> None:
        recall = len([i for i in subst if i in caught]) / len(subst)
        false_alarm = len([i for i in cosm if i in alerted]) / len(cosm)
        print(f"{name:<26} substantive recall {recall:.3f} ({len([i for i in subst if i in caught])}"
              f"/{len(subst)})   cosmetic false alarms {false_alarm:.3f} "
              f"({len([i for i in cosm if i in alerted])}/{len(cosm)})")

    figures("onrecord", {i for i, s in ours.items() if s == "substantive"},
            {i for i, s in ours.items() if s in ("minor", "substantive")})
    fp = {i for i in labels if fingerprint(pairs[i]["old"]) != fingerprint(pairs[i]["new"])}
    figures("baseline: fingerprint", fp, fp)
    print(f"{len(labels)} labelled pairs graded in {elapsed:.1f} s")
    if args.all:
        t0 = time.perf_counter()
        grades = Counter(str(diff_texts(canonical(p["old"]), canonical(p["new"])).significance)
                         for p in pairs.values())
        print(f"all {len(pairs)} pairs: " + ", ".join(f"{g} {grades[g]}" for g in
                                                      ("none", "cosmetic", "minor", "substantive"))
              + f" (graded in {time.perf_counter() - t0:.1f} s)")
    shown = 0
    for pid, row in labels.items():
        wrong = ((row["label"] == "substantive" and ours[pid] != "substantive")
                 or (row["label"] == "cosmetic" and ours[pid] in ("minor", "substantive")))
        if wrong and shown < args.show:
            shown += 1
            flag = " (borderline)" if row["borderline"] else ""
            print(f"\n{pid} label {row['label']}{flag}, ours {ours[pid]}: {row['what']}")
            for r in reasons[pid]:
                print(f"    {r[:200]}")


if __name__ == "__main__":
    main()
