"""Bench: direct-quote extraction and speakers on PolNeAR (dev split only).

Usage: python bench/polnear_quotes.py [PATH]   (PATH: a local copy of github:networkdynamics/PolNeAR,
default /tmp/PolNeAR; only data/dev/text and data/dev/attributions are read)

PolNeAR (Newell, Margolin & Ruths 2018) annotates every attribution in 2016 US political news:
Source (who), Cue (said, told...), Content (what). Its texts are not committed here; the test
split is never read.

- gold quotes: the stretches inside double quotation marks, of 4+ words, within an annotated
  Content span; their speaker is that attribution's Source span (absent for no-source ones);
- listed: `extract_quotes` quotes of 4+ words with a speaker, or whose role is statement or
  other_speaker (a quote someone is presented as saying: "X called it “…”" names X as the
  speaker of a term the role calls scare; unattributed scare quotes and titles are not listed);
- recall: gold quotes overlapped by a listed quote; precision: listed quotes that overlap some
  annotated Content span (any attributed text: PolNeAR marks no direct quote outside one);
- speaker accuracy: over gold quotes with a Source that were listed, the listed speaker is
  right when its attribution span overlaps the gold Source, or (a pronoun resolved, a later
  mention) when the gold Source and the speaker share a capitalized word (a name);
- baseline: a plain regex (“…” and "…" pairs in a paragraph), every match counted as listed.

Where an article was annotated by several annotators the first annotation file (by name) is used.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compare.quotes import QuoteRole, extract_quotes  # noqa: E402

MIN_WORDS = 4
QUOTED = re.compile(r"“([^“”\n]+)”|\"([^\"\n]+)\"")
_WORD = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    source: tuple[tuple[int, int], ...]  # the Source span pieces; () when no source is annotated

    def overlaps(self, a: int, b: int) -> bool:
        return self.start < b and a < self.end


def _spans(field: str) -> list[tuple[int, int]]:
    """'115 200;210 290' -> [(115, 200), (210, 290)]."""
    out = []
    for piece in field.split(";"):
        a, b = piece.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path) -> tuple[list[list[tuple[int, int]]], list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]]:
    """(every Content span, [(content pieces, source pieces)] per attribution relation)."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, where = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(where))
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    contents = [s for label, s in spans.values() if label == "Content"]
    rels = []
    for r in relations:
        content = spans.get(r.get("Content", ""), ("", []))[1]
        source = spans.get(r.get("Source", ""), ("", []))[1]
        if content:
            rels.append((content, source))
    return contents, rels


def gold_quotes(text: str, rels: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]) -> list[Gold]:
    out = []
    for content, source in rels:
        for a, b in content:
            for m in QUOTED.finditer(text, a, b):
                body = m.group(1) or m.group(2)
                if len(_WORD.findall(body)) >= MIN_WORDS:
                    out.append(Gold(m.start() + 1, m.end() - 1, tuple(source)))
    return out


def regex_quotes(text: str) -> list[tuple[int, int]]:
    return [(m.start() + 1, m.end() - 1) for m in QUOTED.finditer(text)
            if len(_WORD.findall(m.group(1) or m.group(2))) >= MIN_WORDS]


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/PolNeAR") / "data" / "dev"
    if not (root / "text").is_dir():
        raise SystemExit(f"{root}/text: not found (fetch github:networkdynamics/PolNeAR first)")
    anns: dict[str, Path] = {}
    for p in sorted((root / "attributions").glob("*.ann")):
        anns.setdefault(p.name.rsplit("_", 1)[0], p)
    counts: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for stem, ann in sorted(anns.items()):
        text_path = root / "text" / f"{stem}.txt"
        if not text_path.is_file():
            continue
        text = text_path.read_text(encoding="utf-8")
        contents, rels = read_ann(ann)
        golds = gold_quotes(text, rels)
        in_content = [(a, b) for pieces in contents for a, b in pieces]
        counts["articles"] += 1
        counts["gold"] += len(golds)
        quotes = [q for q in extract_quotes(text) if q.words >= MIN_WORDS]
        listed = [q for q in quotes if q.speaker or q.role in (QuoteRole.STATEMENT, QuoteRole.OTHER_SPEAKER)]
        roles.update(q.role.value for q in quotes)
        counts["listed"] += len(listed)
        counts["listed_ok"] += sum(any(a < q.end and q.start < b for a, b in in_content) for q in listed)
        base = regex_quotes(text)
        counts["base"] += len(base)
        counts["base_ok"] += sum(any(a < qe and qs < b for a, b in in_content) for qs, qe in base)
        for g in golds:
            counts["base_found"] += any(g.overlaps(qs, qe) for qs, qe in base)
            hit = next((q for q in listed if g.overlaps(q.start, q.end)), None)
            if hit is None:
                continue
            counts["found"] += 1
            if not g.source:
                continue
            counts["with_source"] += 1
            gold_src = " ".join(text[a:b] for a, b in g.source)
            s_a, s_b = hit.speaker_span
            same_span = any(a < s_b and s_a < b for a, b in g.source) and s_b > s_a
            names = {w for w in _WORD.findall(gold_src) if w[:1].isupper() and len(w) > 2}
            same_name = bool(names & {w for w in _WORD.findall(hit.speaker) if w[:1].isupper()})
            counts["speaker_ok"] += same_span or same_name

    def ratio(a: str, b: str) -> str:
        return f"{counts[a] / counts[b]:.3f} ({counts[a]}/{counts[b]})" if counts[b] else "n/a"

    print(f"PolNeAR dev: {counts['articles']} articles, {counts['gold']} attributed direct quotes of {MIN_WORDS}+ words")
    print(f"onrecord  recall {ratio('found', 'gold')}  precision {ratio('listed_ok', 'listed')}")
    print(f"regex     recall {ratio('base_found', 'gold')}  precision {ratio('base_ok', 'base')}")
    print(f"speaker accuracy {ratio('speaker_ok', 'with_source')}")
    print("roles of 4+ word quotes: " + ", ".join(f"{k} {n}" for k, n in sorted(roles.items())))


if __name__ == "__main__":
    main()
