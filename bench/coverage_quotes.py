"""Bench: quote verdicts on ../shared/data/coverage-dev (issue 13 development set).

Usage: python bench/coverage_quotes.py [--show N]

Runs the user's path, `onrecord quotes ARTICLE --statement S ... --format json` (in process,
through flows.cli.main), for each of the 28 articles against the statements it reports, and
scores its JSON against quotes.jsonl:

- extraction recall: labelled quotations (any expected value) whose span overlaps a listed quote;
- misquote recall: labelled misquotes listed with verdict misquote (per kind, too);
- accurate quotes flagged: labelled ok quotes listed as misquote;
- unverified handled: labelled unverified quotes NOT called exact/variant/edited/misquote;
- role accuracy: ignore-labelled scare/title/other_speaker quotes listed with that role; the
  statement's labelled quotes listed with role statement; misquotes that would raise an alert
  (verdict misquote, role statement or other_speaker) and ignore-labelled quotes that would.

A quote never listed counts as missed (extraction) and, if labelled misquote, as not caught.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.cli import main as cli  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "coverage-dev"
CLEAN = {"exact", "variant", "edited"}


def run_article(article: str, statements: list[str]) -> list[dict]:
    argv = ["quotes", str(DATA / "articles" / article), "--format", "json"]
    for s in statements:
        argv += ["--statement", str(DATA / "statements" / s)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli(argv)
    if code not in (0, 1):
        raise SystemExit(f"onrecord quotes failed on {article}: exit {code}")
    text = out.getvalue()
    return json.loads(text[text.index("{"):])["quotes"] if "{" in text else []


def on_raw(listed: list[dict], raw: str) -> list[dict]:
    """The listed quotes with start/end moved onto the article file the labels index.

    `onrecord quotes` gives offsets into the extracted text (title apart, paragraphs joined by
    blank lines), which is not the file; each quote is found again in the file, in order.
    """
    out, at = [], 0
    for q in listed:
        head = q["text"][:40]
        found = raw.find(head, at)
        if found < 0:
            found = raw.find(head)
        if found < 0:
            continue
        out.append(q | {"start": found, "end": found + len(q["text"])})
        at = found + 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    labels = [json.loads(line) for line in open(DATA / "quotes.jsonl", encoding="utf-8")]
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in labels:
        by_article[row["article"]].append(row)
    found: dict[str, dict | None] = {}
    for article, rows in sorted(by_article.items()):
        listed = on_raw(run_article(article, rows[0]["statements"]),
                        (DATA / "articles" / article).read_text(encoding="utf-8"))
        for row in rows:
            hit = [q for q in listed if q["start"] < row["end"] and row["start"] < q["end"]]
            found[row["id"]] = hit[0] if hit else None
    ext = [r for r in labels if r["expected"] != "ignore"]
    mis = [r for r in labels if r["expected"] == "misquote"]
    ok = [r for r in labels if r["expected"] == "ok"]
    unv = [r for r in labels if r["expected"] == "unverified"]

    def verdict(r: dict) -> str:
        q = found[r["id"]]
        return q["verdict"] if q else "missing"

    listed = sum(found[r["id"]] is not None for r in ext)
    caught = [r for r in mis if verdict(r) == "misquote"]
    flagged = [r for r in ok if verdict(r) == "misquote"]
    unv_ok = [r for r in unv if verdict(r) not in CLEAN | {"misquote"}]
    print(f"extraction recall        {listed / len(ext):.3f} ({listed}/{len(ext)}, ignore-labelled left out)")
    print(f"misquote recall          {len(caught) / len(mis):.3f} ({len(caught)}/{len(mis)})")
    per_kind = Counter(r["kind"] for r in mis)
    got_kind = Counter(r["kind"] for r in caught)
    print("  per kind: " + ", ".join(f"{k} {got_kind[k]}/{n}" for k, n in sorted(per_kind.items())))
    print(f"accurate quotes flagged  {len(flagged) / len(ok):.3f} ({len(flagged)}/{len(ok)})")
    print(f"unverified kept so       {len(unv_ok) / len(unv):.3f} ({len(unv_ok)}/{len(unv)})")
    # Roles: the ignore-labelled kinds name the role the quote should get; labelled quotes
    # of the statement should get role statement, or their misquote raises no alert.
    print("role accuracy (ignore kinds, listed quotes):")
    for kind in ("scare", "title", "other_speaker"):
        rows = [r for r in labels if r["expected"] == "ignore" and r["kind"] == kind]
        right = sum(1 for r in rows if found[r["id"]] and found[r["id"]].get("role") == kind)
        print(f"  {kind:<14} {right}/{len(rows)}")
    stmt = sum(1 for r in ext if found[r["id"]] and found[r["id"]].get("role") == "statement")
    print(f"role statement on the statement's quotes {stmt / len(ext):.3f} ({stmt}/{len(ext)})")
    alerting = {"statement", "other_speaker", None}  # alerts/compose.py quote_alert_due (None: no role key)
    alerted = [r for r in caught if found[r["id"]].get("role") in alerting]
    print(f"misquotes that raise an alert {len(alerted) / len(mis):.3f} ({len(alerted)}/{len(mis)})")
    ign = [r for r in labels if r["expected"] == "ignore" and found[r["id"]]]
    loud = [r for r in ign if found[r["id"]].get("role") in alerting and found[r["id"]]["verdict"] == "misquote"]
    print(f"ignore-labelled quotes that would raise an alert {len(loud)}/{len(ign)}")
    wrong = [r for r in mis if r not in caught] + flagged + [r for r in unv if r not in unv_ok]
    for r in wrong[: args.show]:
        print(f"\n{r['id']} {r['expected']}/{r['kind']} -> {verdict(r)}: {r['quote'][:120]!r}"
              f"  ({r['note']})")
        q = found[r["id"]]
        if q:
            print("    " + "; ".join(q.get("reasons", []))[:200])


if __name__ == "__main__":
    main()
