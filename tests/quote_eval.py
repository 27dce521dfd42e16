"""Run the labelled quote cases through extraction and checking (shared by tests and bench)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from compare.quotecheck import SourceText
from compare.quotes import extract_quotes
from tests.quote_cases import load_statements
from tests.quote_store import check

CASES = Path(__file__).resolve().parent / "data" / "quote_cases.json"
DISTRACTORS = 4


def load_cases() -> list[dict]:
    return json.loads(CASES.read_text(encoding="utf-8"))


def sources_for(case: dict, data: dict[str, list[dict]], keys: list[str]) -> list[SourceText]:
    """The quoted statement (every version for stale cases) among a few others."""
    key = case["statement"]
    versions = data[key] if case.get("versions") else data[key][-1:]
    out = [SourceText(key, v["text"], i + 1 if case.get("versions") else None,
                      i == len(versions) - 1, datetime.fromisoformat(v["seen_at"]))
           for i, v in enumerate(versions)]
    at = keys.index(key)
    for k in keys[at + 1:at + 1 + DISTRACTORS]:
        out.append(SourceText(k, data[k][-1]["text"]))
    return out


def run_case(case: dict, data: dict[str, list[dict]], keys: list[str]) -> tuple[list[list[str]], int]:
    """[[verdict, severity], ...] for the attributed quotes, and how many were set aside."""
    quotes = extract_quotes(case["article"])
    pub = datetime.fromisoformat(case["published_at"]) if case.get("published_at") else None
    checks = check(sources_for(case, data, keys), quotes, pub)
    # Every quote is checked; the labels are for the ones presented as the statement's words.
    got = [[c.verdict, c.severity] for c in checks if c.quote.attributed]
    return got, sum(1 for q in quotes if not q.attributed)


def matches(case: dict, got: list[list[str]], unattributed: int) -> bool:
    exp = case["expect"]
    if len(got) != len(exp):
        return False
    for (gv, gs), (ev, es) in zip(got, exp, strict=True):
        if gv not in ev.split("|") or (es != "*" and gs != es):
            return False
    return unattributed == case.get("unattributed", 0)


def evaluate() -> tuple[dict[str, list[int]], list[tuple[dict, list[list[str]], int]]]:
    """Per expected verdict and per case kind ("kind:...") [right, total], and the failures."""
    data = load_statements()
    keys = sorted(data)
    per: dict[str, list[int]] = {}
    failures = []
    for case in load_cases():
        got, un = run_case(case, data, keys)
        ok = matches(case, got, un)
        label = case["expect"][0][0] if case["expect"] else "none"
        label = label if label != "misquote" else f"misquote-{case['expect'][0][1]}"
        for cell in (per.setdefault(label, [0, 0]), per.setdefault(f"kind:{case['kind']}", [0, 0])):
            cell[0] += ok
            cell[1] += 1
        if not ok:
            failures.append((case, got, un))
    return per, failures


if __name__ == "__main__":
    per, fails = evaluate()
    for k, (r, n) in sorted(per.items()):
        print(f"{k:22s} {r:3d}/{n:3d}")
    for c, got, un in fails:
        print("FAIL", c["id"], c["expect"], got, un, "|", c["article"][:300].replace("\n", " / "))
