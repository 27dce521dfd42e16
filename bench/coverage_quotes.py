"""Bench: quote verdicts on ../shared/data/coverage-dev (issue 13 development set).

Usage: python bench/coverage_quotes.py [--show N]

Runs the user's path, `onrecord quotes ARTICLE --statement S ... --format json` (in process,
through flows.cli.main), for each of the 28 articles against the statements it reports, and
scores its JSON against quotes.jsonl:

- extraction recall: labelled quotations (any expected value) whose span overlaps a listed quote;
- misquote recall: labelled misquotes listed with verdict misquote (per kind, too);
- accurate quotes flagged: labelled ok quotes listed as misquote;
- unverified handled: labelled unverified quotes NOT called exact/variant/edited/misquote.

A quote never listed counts as missed (extraction) and, if labelled misquote, as not caught.

Judging is also measured apart from extraction: each labelled quotation (its exact span) is
handed to the same engine over the same store (`--- judging the labelled spans`). And the
quotecheck package (bench-only: `pip install quotecheck`; not a dependency) answers, for the
same labelled spans, whether each is in its statement (FOUND vs DRIFT/ABSENT); it neither
extracts quotes nor grades severity, so it is scored on what it can answer: a misquote or
unverified quote caught is one it does not call FOUND, an accurate quote flagged is one it does
not call FOUND.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compare.quotes import Quote  # noqa: E402
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


def judge_labelled(article: str, rows: list[dict]) -> dict[str, dict]:
    """The engine's verdicts on the labelled spans themselves (no extraction): the statements
    go into a temporary store as `onrecord quotes` puts them (flows.cli.check_against)."""
    from compare.quote_engine import check_article
    from flows.cli import load_document
    from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash
    from store import Store
    from store.quoteindex import StoreQuoteIndex
    from store.records import Observation

    doc = load_document(str(DATA / "articles" / article), kind="coverage")
    scored = [r for r in rows if r["expected"] != "ignore"]
    quotes = [Quote(r["quote"], r["start"], r["end"]) for r in scored]
    with tempfile.TemporaryDirectory(prefix="onrecord-bench-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'quotes.sqlite'}")
        try:
            for s in rows[0]["statements"]:
                st = load_document(str(DATA / "statements" / s))
                text = canonical_text(st.paragraphs)
                store.record_observation(Observation(
                    url=st.url, kind="statement", title=st.title, paragraphs=tuple(st.paragraphs),
                    canonical_text=text, text_hash=text_hash(text),
                    normalizer_version=NORMALIZER_VERSION, issuer=st.issuer), expected_latest=None)
            checks = check_article(StoreQuoteIndex(store), quotes, doc.published, links=doc.links)
        finally:
            store.close()
    return {r["id"]: c.to_json() for r, c in zip(scored, checks, strict=True)}


def score(title: str, labels: list[dict], found: dict[str, dict | None], show: int) -> None:
    print(f"--- {title}")
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
    wrong = [r for r in mis if r not in caught] + flagged + [r for r in unv if r not in unv_ok]
    for r in wrong[:show]:
        print(f"\n{r['id']} {r['expected']}/{r['kind']} -> {verdict(r)}: {r['quote'][:120]!r}"
              f"  ({r['note']})")
        q = found[r["id"]]
        if q:
            print("    " + "; ".join(q.get("reasons", []))[:200])


def role_figures(labels: list[dict], found: dict[str, dict | None]) -> None:
    ext = [r for r in labels if r["expected"] != "ignore"]
    mis = [r for r in labels if r["expected"] == "misquote"]
    caught = [r for r in mis if found[r["id"]] and found[r["id"]]["verdict"] == "misquote"]
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


def quotecheck_figures(labels: list[dict]) -> None:
    """The quotecheck package on the labelled spans: FOUND or not, per labelled quote."""
    try:
        import quotecheck
    except ImportError:
        print("--- quotecheck not installed (pip install quotecheck): skipped")
        return
    texts = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "statements").glob("*.txt")}
    rows = [r for r in labels if r["expected"] != "ignore"]
    t0 = time.perf_counter()
    found = {r["id"]: any(quotecheck.check(r["quote"], texts[s]).ok for s in r["statements"]) for r in rows}
    ms = 1000 * (time.perf_counter() - t0) / len(rows)
    mis = [r for r in rows if r["expected"] == "misquote"]
    ok = [r for r in rows if r["expected"] == "ok"]
    unv = [r for r in rows if r["expected"] == "unverified"]
    caught = [r for r in mis if not found[r["id"]]]
    per_kind = Counter(r["kind"] for r in mis)
    got_kind = Counter(r["kind"] for r in caught)
    print("--- quotecheck package on the labelled spans (FOUND = accurate)")
    print(f"misquote recall          {len(caught) / len(mis):.3f} ({len(caught)}/{len(mis)})")
    print("  per kind: " + ", ".join(f"{k} {got_kind[k]}/{n}" for k, n in sorted(per_kind.items())))
    flagged = sum(not found[r["id"]] for r in ok)
    print(f"accurate quotes flagged  {flagged / len(ok):.3f} ({flagged}/{len(ok)})")
    kept = sum(not found[r["id"]] for r in unv)
    print(f"unverified kept so       {kept / len(unv):.3f} ({kept}/{len(unv)})")
    print(f"time                     {ms:.2f} ms/quote")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    labels = [json.loads(line) for line in open(DATA / "quotes.jsonl", encoding="utf-8")]
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in labels:
        by_article[row["article"]].append(row)
    found: dict[str, dict | None] = {}
    judged: dict[str, dict | None] = {}
    t_ext = t_lab = 0.0
    for article, rows in sorted(by_article.items()):
        t0 = time.perf_counter()
        listed = on_raw(run_article(article, rows[0]["statements"]),
                        (DATA / "articles" / article).read_text(encoding="utf-8"))
        t_ext += time.perf_counter() - t0
        for row in rows:
            hit = [q for q in listed if q["start"] < row["end"] and row["start"] < q["end"]]
            found[row["id"]] = hit[0] if hit else None
        t0 = time.perf_counter()
        judged.update(judge_labelled(article, rows))
        t_lab += time.perf_counter() - t0
    score("onrecord quotes (extracted by onrecord, then judged)", labels, found, args.show)
    role_figures(labels, found)
    score("onrecord judging the labelled spans (extraction left out)", labels, judged, args.show)
    n = sum(r["expected"] != "ignore" for r in labels)
    print(f"time: {t_ext:.1f} s for 28 articles end to end; {1000 * t_lab / n:.1f} ms/labelled quote")
    quotecheck_figures(labels)


if __name__ == "__main__":
    main()
