"""Bench (2): onrecord vs the quotecheck package on the same labelled quotes, same run.

quotecheck answers FOUND / DRIFT / ABSENT for a given quote and source; it neither extracts
quotes nor grades severity. Both get the labelled quotes of tests/data/quote_cases.json
(onrecord extracts them from the article; quotecheck is handed each quote text). Scored on
the question both can answer: is the quote accurate (exact/variant/edited) or not?
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import quotecheck  # noqa: E402

from compare.quotes import extract_quotes  # noqa: E402
from tests.quote_cases import load_statements  # noqa: E402
from tests.quote_eval import load_cases, run_case, sources_for  # noqa: E402

OK = {"exact", "variant", "edited"}


def main() -> None:
    data = load_statements()
    keys = sorted(data)
    cases = [c for c in load_cases() if not c.get("versions")]  # quotecheck has no versions
    ours_right = theirs_right = total = 0
    t_ours = t_theirs = 0.0
    for case in cases:
        t = time.perf_counter()
        got, _ = run_case(case, data, keys)
        t_ours += time.perf_counter() - t
        quotes = [q for q in extract_quotes(case["article"]) if q.attributed]
        sources = sources_for(case, data, keys)
        for q, exp, g in zip(quotes, case["expect"], got, strict=False):
            truth = exp[0].split("|")[0] in OK
            t = time.perf_counter()
            found = any(quotecheck.check(q.text, s.text).ok for s in sources)
            t_theirs += time.perf_counter() - t
            total += 1
            ours_right += (g[0] in OK) == truth
            theirs_right += found == truth
    print(f"{total} labelled quotes (accurate vs not)")
    print(f"onrecord   accuracy {ours_right / total:.1%}  {1000 * t_ours / total:.2f} ms/quote (incl. extraction)")
    print(f"quotecheck accuracy {theirs_right / total:.1%}  {1000 * t_theirs / total:.2f} ms/quote")


if __name__ == "__main__":
    main()
