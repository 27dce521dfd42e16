"""Benchmark: diff_texts vs difflib, redlines and web-monitoring-diff on long statements.

Usage: python bench/diff_speed.py [--sizes 5000 50000] [--rate 0.01] [--pairs edit unrelated]
                                   [--skip-slow]

Texts are real State Department statements (shared/data) joined until they reach the
wanted length, paragraphs kept. Two kinds of pair: "edit", 1% of the words replaced
(seeded); "unrelated", the same length taken from the second half of the corpus (other
statements: a page replaced by another, or a statement rewritten from scratch). Every
contender runs in the same process on the same pair, so the baseline is measured in the
same run. Printed per size: wall time (best of N), peak Python memory (tracemalloc, a
separate run: C/C++ allocations inside fast-diff-match-patch are not traced), and the
number of changes reported (edited words merge when adjacent, so fewer is better as long
as every edit is covered: ours is checked for that).
"""

from __future__ import annotations

import argparse
import difflib
import gc
import gzip
import json
import random
import sys
import time
import tracemalloc
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

from compare.diff import diff_texts  # noqa: E402
from sources.normalize import canonical_text  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "state-gov-press-releases" / "all_items_all_versions.jsonl.gz"


def corpus_paragraphs() -> list[str]:
    paras: list[str] = []
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            html = json.loads(line)["versions"][-1]["content_html"]
            if html:
                root = lxml.html.fromstring(f"<div>{html}</div>")
                paras.extend(el.text_content() for el in root.iter("p", "li"))
            if len(paras) > 20_000:
                break
    return list(canonical_text(paras).split("\n\n"))


def make_pair(paras: list[str], n_words: int, rate: float, seed: int = 5) -> tuple[str, str, int]:
    chosen, count = [], 0
    for p in paras:
        chosen.append(p)
        count += len(p.split())
        if count >= n_words:
            break
    old = "\n\n".join(chosen)
    rng = random.Random(seed)
    out_paras = []
    vocab = old.split()
    edits = 0
    for p in chosen:
        words = p.split(" ")
        for k in range(len(words)):
            if rng.random() < rate:
                repl = rng.choice(vocab)
                if repl != words[k]:
                    words[k] = repl
                    edits += 1
        out_paras.append(" ".join(words))
    return old, "\n\n".join(out_paras), edits


def make_unrelated(paras: list[str], n_words: int) -> tuple[str, str]:
    """Two texts of about `n_words` words each, from the first and the second half."""
    def take(start: int) -> str:
        chosen, count = [], 0
        for p in paras[start:]:
            chosen.append(p)
            count += len(p.split())
            if count >= n_words:
                break
        return "\n\n".join(chosen)
    return take(0), take(len(paras) // 2)


def run_ours(old: str, new: str) -> int:
    return len(diff_texts(old, new).changes)


def run_difflib(old: str, new: str, autojunk: bool) -> int:
    sm = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=autojunk)
    return sum(1 for op in sm.get_opcodes() if op[0] != "equal")


def run_redlines(old: str, new: str) -> int:
    from redlines import Redlines
    return sum(1 for op in Redlines(old, new).opcodes if op[0] != "equal")


def _wmd():
    # web-monitoring-diff imports html5_parser at module level; its wheel links a libxml2
    # that differs from lxml's and refuses to load. Only the plain-text diff is used here,
    # which does not parse HTML, so a stub module stands in for the parser.
    if "html5_parser" not in sys.modules:
        try:
            import html5_parser  # noqa: F401
        except RuntimeError:
            sys.modules["html5_parser"] = types.ModuleType("html5_parser")
    from web_monitoring_diff.basic_diffs import compute_dmp_diff
    return compute_dmp_diff


def run_wmd(old: str, new: str) -> int:
    # The same call as web-monitoring-diff's html_text_diff on extracted text (timelimit 2 s).
    return sum(1 for op, _ in _wmd()(old, new, timelimit=2) if op)


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    """Best wall time, the CPU time of that run (the machine is shared), the result."""
    best, cpu, result = float("inf"), 0.0, 0
    for _ in range(repeat):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        t, c = time.perf_counter() - t0, time.process_time() - c0
        if t < best:
            best, cpu = t, c
    return best, cpu, result


def peak_mib(fn: Callable[[], int]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    ap.add_argument("--rate", type=float, default=0.01)
    ap.add_argument("--pairs", nargs="+", choices=("edit", "unrelated"),
                    default=["edit", "unrelated"])
    ap.add_argument("--skip-slow", action="store_true",
                    help="skip difflib autojunk=False and redlines above 20k words")
    args = ap.parse_args()
    paras = corpus_paragraphs()
    rows = []
    for pair in args.pairs:
        for n in args.sizes:
            if pair == "edit":
                old, new, edits = make_pair(paras, n, args.rate)
                words = len(old.split())
                head = f"{words} words, {edits} words edited ({edits / words:.1%})"
            else:
                old, new = make_unrelated(paras, n)
                head = f"unrelated texts, {len(old.split())} vs {len(new.split())} words"
            slow_ok = not (args.skip_slow and n > 20_000)
            contenders: list[tuple[str, Callable[[], int]]] = [
                ("onrecord diff_texts", lambda o=old, w=new: run_ours(o, w)),
                ("difflib words autojunk=True", lambda o=old, w=new: run_difflib(o, w, True)),
            ]
            if slow_ok:
                contenders.append(("difflib words autojunk=False",
                                   lambda o=old, w=new: run_difflib(o, w, False)))
                contenders.append(("redlines 0.6.2", lambda o=old, w=new: run_redlines(o, w)))
            contenders.append(("web-monitoring-diff 0.2.0", lambda o=old, w=new: run_wmd(o, w)))
            print(f"\n== {pair}: {head} ==")
            print(f"{'contender':32} {'time s':>9} {'cpu s':>9} {'peak MiB':>9} {'changes':>8}")
            for name, fn in contenders:
                repeat = 3 if n <= 10_000 else 1
                try:
                    t, cpu, count = timed(fn, repeat)
                except ModuleNotFoundError as exc:  # redlines / web-monitoring-diff are bench-only
                    print(f"{name:32} skipped: {exc} (pip install it to compare)", flush=True)
                    continue
                mem = peak_mib(fn)
                rows.append((pair, n, name, t, cpu, mem, count))
                print(f"{name:32} {t:9.3f} {cpu:9.3f} {mem:9.1f} {count:8d}", flush=True)
    # CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
    print("\n== ratios (CPU time, same run) ==")
    by = {(pair, n, name): cpu for pair, n, name, _, cpu, _, _ in rows}
    for pair in args.pairs:
        for n in args.sizes:
            ours = by[(pair, n, "onrecord diff_texts")]
            for name in ("difflib words autojunk=True", "difflib words autojunk=False",
                         "redlines 0.6.2", "web-monitoring-diff 0.2.0"):
                if (pair, n, name) in by:
                    print(f"{pair:9} {n:>6} words: {name:30} "
                          f"{by[(pair, n, name)] / ours:7.1f}x slower than ours")
        if len(args.sizes) >= 2:
            a, b = sorted(args.sizes)[0], sorted(args.sizes)[-1]
            ta, tb = by[(pair, a, "onrecord diff_texts")], by[(pair, b, "onrecord diff_texts")]
            print(f"{pair:9} growth of our time {a}->{b} words: {tb / ta:.1f}x "
                  f"for {b / a:.0f}x the length")


if __name__ == "__main__":
    main()
