"""Bench: are the reasons readable? main's wording (baseline) against this tree's (issue 15).

Usage: python bench/reasons_readable.py [--data DIR] [--base REF] [--samples N]

The same real edits are diffed twice in one run: by this tree's compare/ and by the compare/
of git REF (default `main`), exported with `git archive` into a temporary directory and run
in a child process (the same interpreter and packages). Data, from ../shared/data (or
--data): the two gov-pages pairs (fema.gov, energy.gov), every White House edit pair
(whitehouse-edits/pairs.jsonl.gz) and every consecutive pair of state.gov release bodies
that differ (state-gov-press-releases).

Printed per side, over every change: how many words the longest reason of a change has
(mean, p95, max); the share of reasons that are bags of more than 5 bare words (a list of
single words, "word changed: joint, field, office, puerto, rico, ... -> ..."); among the
changes where a number, name, negation, modal verb or date changed (either side's reasons
say so), the share whose FIRST reason names that fact; the length of the document summary
in words. Also: whether every change keeps its significance (it must), CPU time per side,
and sample before/after lines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# --code-root (the child process only): import compare/ and sources/ from another tree.
_CODE = sys.argv[sys.argv.index("--code-root") + 1] if "--code-root" in sys.argv else str(ROOT)
sys.path.insert(0, _CODE)

from compare.diff import diff_texts  # noqa: E402
from sources.extract import extract  # noqa: E402
from sources.normalize import canonical_text  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
GOV_PAIRS = (("fema.gov", "f2d5d701-707a-42e0-8881-653346d01e0a",
              "fc74d750-c651-46b7-bf74-434ad8c62e04", "https://www.fema.gov/hurricane-maria"),
             ("energy.gov", "775a8b04-9bac-4d0d-8db0-a8e133c4a964",
              "9d4de183-a186-456c-bffb-55d82989877d", "https://www.energy.gov/"))
# Both wordings: main's ("name or title changed", "date changed") and this tree's.
FACT = re.compile(r"(?:number|name|name or title|negation|modal verb|date|qualifier|link)s? "
                  r"(?:order )?(?:changed|added|removed)\b")
# The kinds a reader must see first: an amount, a name, a negation, a modal, a date.
CORE_FACT = re.compile(r"(?:number|name|name or title|negation|modal verb|date)s? "
                       r"(?:order )?(?:changed|added|removed)\b")
BARE_WORD = re.compile(r"\s*[^\W\d_][\w'’.-]*\s*")


def pairs(data: Path) -> list[tuple[str, str, str, str]]:
    """(data set, pair id, old canonical text, new canonical text)."""
    out = []
    for name, before, after, url in GOV_PAIRS:
        docs = [extract((data / "gov-pages" / f).read_bytes(), url) for f in (before, after)]
        out.append((name, before[:8], canonical_text(docs[0].paragraphs),
                    canonical_text(docs[1].paragraphs)))
    with gzip.open(data / "whitehouse-edits" / "pairs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for p in map(json.loads, fh):
            old, new = (canonical_text([ln for ln in p[k].split("\n") if ln.strip()])
                        for k in ("old", "new"))
            if old != new:
                out.append(("whitehouse", str(p["id"]), old, new))
    import lxml.html
    with gzip.open(data / "state-gov-press-releases" / "all_items_all_versions.jsonl.gz", "rt",
                   encoding="utf-8") as fh:
        for item in map(json.loads, fh):
            bodies = []
            for v in item["versions"]:
                html_ = v.get("content_html") or ""
                if not html_:
                    continue
                root = lxml.html.fromstring(f"<div>{html_}</div>")
                bodies.append((v["commit"][:8], canonical_text(
                    el.text_content() for el in root.iter("p", "li", "h2", "h3"))))
            for (_, a), (cb, b) in zip(bodies, bodies[1:], strict=False):
                if a != b:
                    out.append(("state.gov", f"{item['key'].rsplit('=', 1)[-1]}-{cb}", a, b))
    return out


def emit(data: Path) -> dict[str, Any]:
    """Every change of every pair as plain data, with the CPU time the diffs took."""
    todo = pairs(data)
    t0 = time.process_time()
    rows: list[dict[str, Any]] = []
    summaries: dict[str, str] = {}
    for ds, pid, old, new in todo:
        diff = diff_texts(old, new)
        summaries[f"{ds}|{pid}"] = diff.summary()
        for c in diff.changes:
            rows.append({"key": f"{ds}|{pid}|{c.op}|{c.old_start}|{c.new_start}",
                         "ds": ds, "sig": str(c.significance),
                         # The JSON contract's reasons: plain text on every side.
                         "reasons": c.to_json()["reasons"],
                         "old": c.old[:80], "new": c.new[:80]})
    return {"cpu": time.process_time() - t0, "rows": rows, "summaries": summaries}


def baseline(ref: str, data: Path) -> dict[str, Any]:
    """`emit` run by the compare/ and sources/ of git `ref`, in a child process."""
    with tempfile.TemporaryDirectory(prefix="reasons-base-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "compare", "sources"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        out = Path(tmp) / "rows.json"
        env = {**os.environ, "PYTHONPATH": tmp}
        subprocess.run([sys.executable, __file__, "--emit", str(out), "--code-root", tmp,
                        "--data", str(data)], check=True, env=env, cwd=tmp)
        result: dict[str, Any] = json.loads(out.read_text("utf-8"))
        return result


def is_bag(reason: str) -> bool:
    """More than 5 bare single words listed ("word changed: a, b, c, d, e, f -> g")."""
    if ":" not in reason:
        return False
    payload = re.sub(r"'[^']*'", "", reason.split(":", 1)[1])
    items = re.split(r",|->", payload)
    return sum(bool(BARE_WORD.fullmatch(i)) for i in items) > 5


def words(reason: str) -> int:
    return len(reason.split())


def figures(rows: list[dict[str, Any]], fact_keys: set[str], summaries: dict[str, str]
            ) -> dict[str, float]:
    longest = [max((words(r) for r in row["reasons"]), default=0) for row in rows]
    reasons = [r for row in rows for r in row["reasons"]]
    facts = [row for row in rows if row["key"] in fact_keys]
    first_fact = [row for row in facts if row["reasons"] and FACT.match(row["reasons"][0])]
    summ = [words(s) for s in summaries.values()]
    return {"changes": len(rows), "reasons": len(reasons),
            "longest_mean": statistics.mean(longest) if longest else 0.0,
            "longest_p95": sorted(longest)[int(0.95 * (len(longest) - 1))] if longest else 0,
            "longest_max": max(longest, default=0),
            "bags": sum(map(is_bag, reasons)) / max(1, len(reasons)),
            "bag_count": sum(map(is_bag, reasons)),
            "fact_changes": len(facts), "fact_first": len(first_fact) / max(1, len(facts)),
            "summary_mean": statistics.mean(summ) if summ else 0.0,
            "summary_max": max(summ, default=0)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA, help="the shared data directory")
    ap.add_argument("--base", default="main", help="git ref of the baseline wording")
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--emit", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--code-root", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.emit:
        args.emit.write_text(json.dumps(emit(args.data)), "utf-8")
        return
    before = baseline(args.base, args.data)
    after = emit(args.data)
    b_rows = {r["key"]: r for r in before["rows"]}
    a_rows = {r["key"]: r for r in after["rows"]}
    same_changes = b_rows.keys() == a_rows.keys()
    same_levels = sum(b_rows[k]["sig"] == a_rows[k]["sig"] for k in a_rows if k in b_rows)
    # A change where a number, name, negation, modal or date changed: either wording says so.
    fact_keys = {k for k in a_rows if any(CORE_FACT.match(r) for r in a_rows[k]["reasons"])
                 or (k in b_rows and any(CORE_FACT.match(r) for r in b_rows[k]["reasons"]))}
    print(f"pairs: {len(after['summaries'])}; changes: {len(a_rows)} "
          f"(the same changes on both sides: {same_changes}); significance kept: "
          f"{same_levels}/{len(a_rows)}")
    print(f"CPU time of the diffs: before {before['cpu']:.1f} s, after {after['cpu']:.1f} s "
          "(process time; the machine was shared)")
    print()
    by_ds: dict[str, list[str]] = {}
    for k, r in a_rows.items():
        by_ds.setdefault(r["ds"], []).append(k)
    head = (f"{'data set':<12} {'side':<7} {'changes':>7} {'longest reason (words): mean':>29} "
            f"{'p95':>4} {'max':>4} {'bags >5 words':>14} {'fact first':>11} {'summary words':>14}")
    print(head)
    for ds in [*sorted(by_ds), "all"]:
        keys = set(a_rows) if ds == "all" else set(by_ds[ds])
        for side, rows, summ in (("before", b_rows, before["summaries"]),
                                 ("after", a_rows, after["summaries"])):
            sel = [rows[k] for k in keys if k in rows]
            s = {p: v for p, v in summ.items() if ds == "all" or p.startswith(ds + "|")}
            f = figures(sel, fact_keys & keys, s)
            print(f"{ds:<12} {side:<7} {f['changes']:>7} {f['longest_mean']:>29.1f} "
                  f"{f['longest_p95']:>4} {f['longest_max']:>4} "
                  f"{f['bags']:>8.3f} ({f['bag_count']:>3}) "
                  f"{f['fact_first']:>5.3f}/{f['fact_changes']:<5} "
                  f"{f['summary_mean']:>6.1f} (max {f['summary_max']})")
    print()
    print("Samples (the changes whose longest reason was longest before):")
    changed = [k for k in a_rows if k in b_rows and a_rows[k]["reasons"] != b_rows[k]["reasons"]]
    changed.sort(key=lambda k: (-max((words(r) for r in b_rows[k]["reasons"]), default=0), k))
    seen_ds: dict[str, int] = {}
    shown = 0
    for k in changed:
        ds = a_rows[k]["ds"]
        # Spread over the data sets: at most a third of the samples from one.
        if shown >= args.samples or seen_ds.get(ds, 0) >= max(1, args.samples // 3):
            continue
        seen_ds[ds] = seen_ds.get(ds, 0) + 1
        shown += 1
        print(f"- {k.rsplit('|', 2)[0]}  {a_rows[k]['old'][:50]!r} -> {a_rows[k]['new'][:50]!r}")
        print(f"    before: {' | '.join(b_rows[k]['reasons'])[:400]}")
        print(f"    after:  {' | '.join(a_rows[k]['reasons'])[:400]}")


if __name__ == "__main__":
    main()
