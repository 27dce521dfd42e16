"""Bounded fuzzing of the extractor and the feed, sitemap and listing parsers (issue 16).

Usage:
    python bench/fuzz.py [--engine hypothesis|atheris] [--inputs 20000] [--minutes 10]
                         [--seed 1] [--targets extract feed sitemap listing]

Every input goes to one target; a target may return a result or raise its documented error
(ExtractionError for `sources.extract.extract`, DiscoveryError for `items_from_feed`,
`follow_sitemap`, `items_from_listing`). Anything else is a crash. Printed per target: inputs
run, crashes (distinct by exception type and the line that raised it, each with a minimal
input), the slowest input (CPU seconds, time.process_time, and its size) and, for the whole
run, peak memory (ru_maxrss) over the process's start.

Engines:
- hypothesis (default, a test dependency): structured inputs (tag soup with real tags,
  entities and hostile characters; RSS/Atom/RDF/sitemap documents with broken links,
  dates and entities; mutated pages) and raw bytes, in chunks of seeded examples until the
  input or time budget is spent. A crash is shrunk to a minimal input with hypothesis.find.
- atheris (coverage-guided libFuzzer, `pip install atheris`; not a project dependency):
  raw bytes steered by coverage of sources/ (instrumented on import). The fuzzer runs in a
  child process (libFuzzer ends its process when the run ends) and the shortest input of
  each crash is kept.

Baseline, same inputs, same run: the library each target wraps, alone (lxml.html parse and
text_content for extract, feedparser.parse for feeds, lxml.etree for sitemaps and listings):
what the slowest input costs there says whether onrecord adds to it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

if "--atheris-child" in sys.argv:
    # Coverage-guided: the parsers under test are instrumented as they are imported.
    import atheris

    with atheris.instrument_imports(include=["sources"]):
        import sources.decode  # noqa: F401
        import sources.discover  # noqa: F401
        import sources.extract  # noqa: F401

from sources.discover import (  # noqa: E402
    DiscoveryError,
    follow_sitemap,
    items_from_feed,
    items_from_listing,
)
from sources.extract import ExtractionError, extract  # noqa: E402

# A line per broken PDF or skipped link otherwise.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)
logging.getLogger("onrecord").setLevel(logging.CRITICAL)

TARGETS = ("extract", "feed", "sitemap", "listing")
CONTENT_TYPES = ("text/html", "text/plain", "application/pdf", "application/xhtml+xml")
BASE = "https://gov.example/news/"


# -- targets ----------------------------------------------------------------------------------

def run_target(name: str, data: bytes, variant: int = 0) -> None:
    """One input through one target; the documented errors are not crashes."""
    try:
        if name == "extract":
            extract(data, BASE + "s", content_type=CONTENT_TYPES[variant % len(CONTENT_TYPES)],
                    charset=(None, "utf-8", "koi8-r", "bogus")[variant % 4])
        elif name == "feed":
            items_from_feed(data, BASE + "feed.xml")
        elif name == "sitemap":
            follow_sitemap(data, BASE + "sitemap.xml", fetch=lambda url: data, max_children=3)
        elif name == "listing":
            items_from_listing(data, BASE, ("a", "li > a", "div.news a[href]", "a::text")[variant % 4])
    except (ExtractionError, DiscoveryError):
        pass


def run_baseline(name: str, data: bytes) -> None:
    """The wrapped library alone, errors ignored: the cost of the input without onrecord."""
    import feedparser
    import lxml.etree
    import lxml.html

    try:
        if name in ("extract", "listing"):
            lxml.html.document_fromstring(data).text_content()
        elif name == "feed":
            feedparser.parse(data)
        else:
            lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False,
                                                             no_network=True))
    except Exception:  # noqa: BLE001 - the baseline only times the library
        pass


def signature(exc: BaseException) -> str:
    """A crash's identity: exception type and the innermost line of project code."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if str(ROOT) in f.filename and "/.venv/" not in f.filename
            and not f.filename.endswith("bench/fuzz.py")]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    at = f"{Path(where.filename).relative_to(ROOT) if str(ROOT) in where.filename else where.filename}:{where.lineno}" if where else "?"
    return f"{type(exc).__name__} at {at}"


@dataclass
class TargetStats:
    inputs: int = 0
    cpu: float = 0.0
    slowest: float = 0.0
    slowest_size: int = 0
    baseline_cpu: float = 0.0
    baseline_slowest: float = 0.0
    crashes: dict[str, bytes] = field(default_factory=dict)  # signature -> shortest input
    messages: dict[str, str] = field(default_factory=dict)

    def record(self, name: str, data: bytes, variant: int) -> BaseException | None:
        started = time.process_time()
        error: BaseException | None = None
        try:
            run_target(name, data, variant)
        except Exception as exc:  # noqa: BLE001 - a crash is what we are looking for
            error = exc
        spent = time.process_time() - started
        self.inputs += 1
        self.cpu += spent
        if spent > self.slowest:
            self.slowest, self.slowest_size = spent, len(data)
        started = time.process_time()
        run_baseline(name, data)
        spent = time.process_time() - started
        self.baseline_cpu += spent
        self.baseline_slowest = max(self.baseline_slowest, spent)
        if error is not None:
            sig = signature(error)
            if sig not in self.crashes or len(data) < len(self.crashes[sig]):
                self.crashes[sig] = data
                self.messages[sig] = " ".join(str(error).split())[:200]
        return error


# -- hypothesis engine -------------------------------------------------------------------------

def strategies():  # noqa: ANN201 - hypothesis strategies, built lazily
    from hypothesis import strategies as st

    hostile = st.text(alphabet=st.one_of(
        st.sampled_from(list("\x00\x07\x1b\r\n\t\x85\u202e\u2066\u200b\ufeff<>&\"'=/;#[]:")),
        st.characters(codec="utf-8")), max_size=80)
    tags = st.sampled_from(["p", "div", "article", "main", "a", "h1", "script", "style", "nav",
                            "table", "td", "li", "ul", "title", "meta", "body", "html", "head",
                            "pre", "iframe", "svg", "math", "template", "noscript", "br"])
    attrs = st.sampled_from(["", ' class="news"', ' href="http://[zz/"', ' href="/a"',
                             ' href="javascript:x"', ' charset="koi8-r"', ' content="text/html;'
                             ' charset=utf-16"', ' http-equiv="Content-Type"', " hidden",
                             ' property="og:title" content="T\u202e"', ' href="//x:99999/"'])
    words = st.sampled_from(["The", "minister", "said", "\u201cwe", "will\u201d", "not",
                             "$80", "million", "Read", "more", "Home", "404", "not", "found",
                             "\u00e9t\u00e9", "\u4e2d\u6587", "\u0627\u0644"])
    piece = st.one_of(
        st.builds(lambda t, a: f"<{t}{a}>", tags, attrs),
        st.builds(lambda t: f"</{t}>", tags),
        st.sampled_from(["&amp;", "&#0;", "&#x202e;", "&#1114112;", "&#xD800;", "&nbsp;",
                         "<!--", "-->", "<![CDATA[", "]]>", "&", "<?xml?>", "<!DOCTYPE html>"]),
        hostile,
        st.lists(words, max_size=40).map(" ".join))
    html_doc = st.lists(piece, max_size=120).map("".join)
    link = st.sampled_from(["https://gov.example/a", "/rel", "http://[zz/", "javascript:x",
                            "http://127.0.0.1:1/", "&e;", "", "https://x:99999/", "\u202e/x",
                            "https://gov.example/" + "a" * 300])
    date = st.sampled_from(["Mon, 01 Jan 2024 00:00:00 GMT", "nonsense", "", "2024-13-45",
                            "9999-12-31T23:59:59Z", "0000-00-00", "1e309"])

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;")

    entry = st.one_of(
        st.builds(lambda t, lk, d: f"<item><title>{esc(t)}</title><link>{lk}</link>"
                  f"<guid>{esc(t)}</guid><pubDate>{d}</pubDate><description>{esc(t)}"
                  f"</description></item>", hostile, link, date),
        st.builds(lambda t, lk, d: f'<entry><title>{esc(t)}</title><link href="{lk}"/>'
                  f"<id>{esc(t)}</id><updated>{d}</updated></entry>", hostile, link, date),
        st.builds(lambda lk, d: f"<url><loc>{lk}</loc><lastmod>{d}</lastmod></url>", link, date),
        st.builds(lambda lk: f"<sitemap><loc>{lk}</loc></sitemap>", link),
        piece)
    feed_doc = st.builds(
        lambda head, root, entries, close: f"{head}<{root}>{''.join(entries)}{close(root)}",
        st.sampled_from(['<?xml version="1.0"?>', "", '<?xml version="1.0" encoding="koi8-r"?>',
                         "\ufeff", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
                         '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>']),
        st.sampled_from(["rss", 'rss version="2.0"><channel', "feed", "rdf:RDF", "urlset",
                         "sitemapindex", "html"]),
        st.lists(entry, max_size=30),
        st.sampled_from([lambda r: f"</{r.split()[0]}>", lambda r: ""]))
    text_doc = st.one_of(html_doc, feed_doc)
    encoded = st.builds(lambda t, enc: t.encode(enc, "replace"), text_doc,
                        st.sampled_from(["utf-8", "utf-16", "latin-1", "koi8-r", "gb18030"]))
    gzipped = st.builds(lambda b: __import__("gzip").compress(b), encoded)
    return st.tuples(st.one_of(encoded, encoded, gzipped, st.binary(max_size=4000)),
                     st.integers(0, 11))


def fuzz_hypothesis(targets: list[str], inputs: int, minutes: float, seed: int
                    ) -> dict[str, TargetStats]:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    stats = {t: TargetStats() for t in targets}
    strategy = strategies()
    stop_at = time.monotonic() + minutes * 60
    chunk = 200
    round_ = 0
    while sum(s.inputs for s in stats.values()) < inputs and time.monotonic() < stop_at:
        for name in targets:
            one = _chunk(stats[name], name, strategy, stop_at)
            hseed(seed * 100_003 + round_)(settings(
                max_examples=chunk, deadline=None, database=None, phases=[Phase.generate],
                suppress_health_check=list(HealthCheck))(given(strategy)(one)))()
        round_ += 1
        done = sum(s.inputs for s in stats.values())
        print(f"  ... {done} inputs, {time.monotonic() - stop_at + minutes * 60:.0f} s",
              file=sys.stderr)
    for name, st_ in stats.items():
        for sig in list(st_.crashes):
            st_.crashes[sig] = shrink(name, sig, st_.crashes[sig])
    return stats


def _chunk(stats: TargetStats, name: str, strategy: object, stop_at: float
           ) -> Callable[[tuple[bytes, int]], None]:
    def one(case: tuple[bytes, int]) -> None:
        if time.monotonic() < stop_at:
            stats.record(name, *case)
    return one


def shrink(name: str, sig: str, found: bytes) -> bytes:
    """The smallest input hypothesis finds that raises the same crash (or `found`)."""
    from hypothesis import find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample

    def same(case: tuple[bytes, int]) -> bool:
        try:
            run_target(name, *case)
        except Exception as exc:  # noqa: BLE001
            return signature(exc) == sig
        return False

    try:
        small = find(st.tuples(st.binary(max_size=len(found) + 1), st.integers(0, 11)), same,
                     settings=settings(max_examples=2000, database=None, deadline=None))
    except NoSuchExample:
        return found
    return small[0] if len(small[0]) < len(found) else found


# -- atheris engine ----------------------------------------------------------------------------

def fuzz_atheris(targets: list[str], inputs: int, minutes: float, seed: int
                 ) -> dict[str, TargetStats]:
    """libFuzzer in a child process; it writes its tallies to a JSON file as it goes."""
    work = Path(tempfile.mkdtemp(prefix="onrecord-fuzz-"))
    out = work / "stats.json"
    # Seeds: the demo site's statement, articles and feed, for every target (the first
    # two bytes of an input choose the target and its variant).
    corpus = work / "corpus"
    corpus.mkdir()
    for path in sorted((ROOT / "flows" / "demo_site").iterdir()):
        for i, _ in enumerate(targets):
            (corpus / f"{path.stem}-{i}").write_bytes(bytes([i, 0]) + path.read_bytes())
    cmd = [sys.executable, str(Path(__file__).resolve()), "--atheris-child", str(out),
           "--targets", *targets, f"-runs={inputs}", f"-max_total_time={int(minutes * 60)}",
           f"-seed={seed}", "-max_len=16384", "-rss_limit_mb=4096", "-print_final_stats=1",
           str(corpus)]
    child = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                           timeout=minutes * 60 + 600)
    if not out.exists():
        raise SystemExit(f"atheris run wrote no stats:\n{child.stderr[-2000:]}")
    raw = json.loads(out.read_text())
    stats: dict[str, TargetStats] = {}
    for name, d in raw.items():
        s = TargetStats(d["inputs"], d["cpu"], d["slowest"], d["slowest_size"],
                        d["baseline_cpu"], d["baseline_slowest"],
                        {k: bytes.fromhex(v) for k, v in d["crashes"].items()}, d["messages"])
        stats[name] = s
    return stats


def atheris_child(out: Path, targets: list[str], libfuzzer_args: list[str]) -> None:
    import atheris

    stats = {t: TargetStats() for t in targets}
    for name in targets:  # warm-up, untimed (see main)
        run_target(name, (ROOT / "flows" / "demo_site" / "statement.html").read_bytes())
    last = [time.monotonic()]

    def save() -> None:
        out.write_text(json.dumps({n: {
            "inputs": s.inputs, "cpu": s.cpu, "slowest": s.slowest, "slowest_size": s.slowest_size,
            "baseline_cpu": s.baseline_cpu, "baseline_slowest": s.baseline_slowest,
            "crashes": {k: v.hex() for k, v in s.crashes.items()}, "messages": s.messages}
            for n, s in stats.items()}))

    def one(data: bytes) -> None:
        if len(data) < 2:
            return
        name = targets[data[0] % len(targets)]
        stats[name].record(name, data[2:], data[1])
        if time.monotonic() - last[0] > 2:
            save()
            last[0] = time.monotonic()

    save()
    import atexit
    atexit.register(save)
    atheris.Setup([sys.argv[0], *libfuzzer_args], one)
    try:
        atheris.Fuzz()
    finally:
        save()


# -- report ------------------------------------------------------------------------------------

def report(stats: dict[str, TargetStats], engine: str, wall: float, rss_start: int) -> None:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    total = sum(s.inputs for s in stats.values())
    crashes = sum(len(s.crashes) for s in stats.values())
    print(f"engine {engine}: {total} inputs in {wall:.0f} s wall, {crashes} distinct crash(es)")
    print(f"peak memory (ru_maxrss): {max(rss, child) / 1024:.0f} MB "
          f"(process at start: {rss_start / 1024:.0f} MB)")
    print(f"{'target':<9} {'inputs':>7} {'CPU s':>7} {'slowest ms':>10} {'size':>7} "
          f"{'baseline slowest ms':>19} {'crashes':>8}")
    for name, s in stats.items():
        print(f"{name:<9} {s.inputs:>7} {s.cpu:>7.1f} {s.slowest * 1000:>10.1f} {s.slowest_size:>7} "
              f"{s.baseline_slowest * 1000:>19.1f} {len(s.crashes):>8}")
    for name, s in stats.items():
        for sig, data in s.crashes.items():
            print(f"CRASH {name}: {sig}: {s.messages.get(sig, '')}")
            print(f"  minimal input ({len(data)} bytes): {data[:300]!r}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--atheris-child":
        out = Path(argv[1])
        rest = argv[2:]
        fuzzer_args = [a for a in rest if (a.startswith("-") and "=" in a) or "/" in a]
        names = [a for a in rest if a not in fuzzer_args and a != "--targets"]
        atheris_child(out, names, fuzzer_args)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    args = parser.parse_args(argv)
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # One input per target first, untimed: lazy imports and caches (trafilatura, profiles)
    # would otherwise make the first input the "slowest" whatever it is.
    for name in args.targets:
        for variant in range(4):
            run_target(name, (ROOT / "flows" / "demo_site" / "statement.html").read_bytes(), variant)
    started = time.monotonic()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    engine = fuzz_hypothesis if args.engine == "hypothesis" else fuzz_atheris
    stats = engine(args.targets, args.inputs, args.minutes, args.seed)
    report(stats, args.engine, time.monotonic() - started, rss_start)
    return 1 if any(s.crashes for s in stats.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
