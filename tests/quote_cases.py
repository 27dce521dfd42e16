"""Labelled quote cases on real State Department statements (../shared/data, public domain).

`python -m tests.quote_cases` rewrites tests/data/quote_cases.json. Each case is a short
news item in one house style quoting one real statement, with the statement's key, the
label(s) expected for its attributed quotes, and for the extraction cases how many quotes
must be set aside as scare quotes or someone else's words. Mutations are the ones reporters
make (a dropped "not", a wrong number, a softened modal, a splice); stale cases use the
dataset's real edits.
"""

from __future__ import annotations

import gzip
import html
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "state-gov-press-releases"
OUT = Path(__file__).resolve().parent / "data" / "quote_cases.json"


def statement_text(content_html: str) -> str:
    """Plain text of a feed body: one line per paragraph."""
    t = re.sub(r"</p>|<br\s*/?>|</li>|</h\d>", "\n", content_html)
    t = html.unescape(re.sub(r"<[^>]+>", "", t))
    return "\n".join(" ".join(line.split()) for line in t.splitlines() if line.strip())


def load_statements() -> dict[str, list[dict]]:
    """key -> versions (oldest first) with "text", "seen_at"."""
    out = {}
    with gzip.open(DATA / "all_items_all_versions.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            out[item["key"]] = [{"text": statement_text(v["content_html"]), "seen_at": v["commit_date"]}
                                for v in item["versions"]]
    return out


_SENT = re.compile(r"(?<![A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<=[.!?])\s+(?=[A-Z])")


def sentences(text: str) -> list[str]:
    out = []
    for para in text.splitlines():
        out.extend(s.strip() for s in _SENT.split(para) if s.strip())
    return out


# House styles: (name, template). {q} is the quote without its final full stop.
STYLES: list[tuple[str, Callable[[str], str]]] = [
    ("ap", lambda q: f'"{q}," the State Department said in a statement on Tuesday.'),
    ("reuters-colon", lambda q: f'In a statement, the department said: "{q}."'),
    ("curly-after", lambda q: f"“{q},” the statement said."),
    ("british", lambda q: f"The Foreign Secretary’s counterpart was blunt. ‘{q}’, the statement read."),
    ("guillemets", lambda q: f"Selon le communiqué du département d’État : « {q} »."),
    ("low-high", lambda q: f"In der Erklärung des Ministeriums hieß es: „{q}“."),
    ("according", lambda q: f"According to the statement, “{q}.”"),
    ("spokesperson", lambda q: f"“{q},” said Ned Price, the department spokesperson, on Monday."),
]


def _first_word_lower(q: str) -> str:
    return q[0].lower() + q[1:] if q[:2] != q[:2].upper() else q


def _find(sents: list[str], rx: str, lo: int = 10, hi: int = 40) -> list[tuple[int, str]]:
    return [(i, s) for i, s in enumerate(sents) if lo <= len(s.split()) <= hi and re.search(rx, s)]


def build_cases() -> list[dict]:
    data = load_statements()
    rng = random.Random(6)
    single = [k for k, v in data.items() if len(v) == 1 and len(v[0]["text"].split()) > 120]
    single.sort()
    cases: list[dict] = []

    def add(kind: str, key: str, article: str, expect: list[list[str]], **extra: object) -> None:
        cases.append({"id": f"{kind}-{len(cases):03d}", "kind": kind, "statement": key,
                      "article": article, "expect": expect, **extra})

    def styled(i: int, q: str) -> tuple[str, str]:
        name, tpl = STYLES[i % len(STYLES)]
        return name, tpl(q.rstrip("."))

    pool = rng.sample(single, 400)
    counters: dict[str, int] = {}

    def take(kind: str, n: int, rx: str, mutate: Callable[[str, list[str], int], str | None],
             verdict: str, severity: str) -> None:
        got = 0
        for key in pool:
            if got >= n:
                break
            sents = sentences(data[key][0]["text"])
            for idx, s in _find(sents, rx):
                m = mutate(s, sents, idx)
                if not m:
                    continue
                style, art = styled(counters.get(kind, 0) + got, m)
                add(kind, key, art, [[verdict, severity]], style=style)
                got += 1
                break
        counters[kind] = got

    # exact: the sentence as published.
    take("exact", 16, r"^[A-Z][^“”\"’']+$", lambda s, ss, i: s, "exact", "none")
    # variant: typography, spelling and number format only.
    take("variant-apostrophe", 6, r"\w’\w", lambda s, ss, i: s.replace("’", "'"), "variant", "none")
    take("variant-uk", 6, r"\b(organiz|recogniz|prioritiz|mobiliz|stabiliz|defense|center|program\b|labor|honor|favor)",
         lambda s, ss, i: re.sub(r"(organi|recogni|prioriti|mobili|stabili)z", r"\1s", s)
         .replace("defense", "defence").replace("center", "centre").replace("program ", "programme ")
         .replace("labor", "labour").replace("honor", "honour").replace("favor", "favour"), "variant", "none")
    take("variant-percent", 3, r"\d+ ?(%|percent)",
         lambda s, ss, i: re.sub(r"(\d+) ?(%|percent)", r"\1 per cent", s), "variant", "none")
    take("variant-dash", 4, r"\b\w+-\w+\b", lambda s, ss, i: s.replace(", ", " — ", 1) if ", " in s else None,
         "variant", "none")
    # edited: ellipses and brackets that change nothing that matters.
    take("edited-ellipsis", 10, r"^[A-Z][^\"“”]{60,}$",
         lambda s, ss, i: _ellipsis(s), "edited", "none")
    take("edited-bracket", 8, r"^(We|It|They|This) [a-z]+",
         lambda s, ss, i: re.sub(r"^(We|It|They|This)\b", lambda m: {"We": "[The United States]", "It": "[The decision]",
                                                                    "They": "[The ministers]", "This": "[The agreement]"}[m.group(1)], s),
         "edited", "none")
    take("edited-sic", 2, r"\b(the the|a a)\b", lambda s, ss, i: re.sub(r"\b(the the|a a)\b", r"\1 [sic]", s, count=1),
         "exact", "none")
    # major misquotes.
    take("major-negation", 12, r"\b(not|never|no)\b", lambda s, ss, i: re.sub(r"\s(not|never)\b", "", s, count=1)
         if re.search(r"\s(not|never)\b", s) else None, "misquote", "major")
    take("major-negation-added", 6, r"\b(will|must|should|is|are) [a-z]+", lambda s, ss, i: re.sub(
        r"\b(will|must|should|is|are) (?!not)", r"\1 not ", s, count=1), "misquote", "major")
    take("major-number", 14, r"\b\d[\d,.]*\b", lambda s, ss, i: _bump_number(s), "misquote", "major")
    take("major-modal", 12, r"\b(will|must|should|would|can|could)\b", lambda s, ss, i: re.sub(
        r"\b(will|must|should|would|can|could)\b",
        lambda m: {"will": "may", "must": "should", "should": "could", "would": "might", "can": "might",
                   "could": "will"}[m.group(1)], s, count=1), "misquote", "major")
    take("major-qualifier", 8, r"\b(all|any|only|full|immediate|every)\b", lambda s, ss, i: re.sub(
        r"\s\b(all|any|only|full|immediate|every)\b", "", s, count=1), "misquote", "major")
    take("major-name", 8, r"\b(Russia|China|Iran|Ukraine|Burma|Afghanistan|Cuba|Venezuela|Syria|Ethiopia)\b",
         lambda s, ss, i: re.sub(r"\b(Russia|China|Iran|Ukraine|Burma|Afghanistan|Cuba|Venezuela|Syria|Ethiopia)\b",
                                 lambda m: "Belarus" if m.group(1) != "Belarus" else "Georgia", s, count=1),
         "misquote", "major")
    take("major-splice", 8, r"^[A-Z].{40,}[.]$", lambda s, ss, i: _splice(ss, i), "misquote", "major")
    take("major-ellipsis-negation", 6, r"\b(not|never)\b", lambda s, ss, i: _hide_negation(s), "misquote", "major")
    take("major-rewrite", 6, r"^[A-Z][^\"“”]{80,}$", lambda s, ss, i: _rewrite(s), "misquote", "major")
    # minor misquotes.
    take("minor-intensifier", 8, r"\b(strongly|deeply|firmly|greatly|warmly|sincerely|truly|very)\b",
         lambda s, ss, i: re.sub(r"\s(strongly|deeply|firmly|greatly|warmly|sincerely|truly|very)\b", "", s, count=1),
         "misquote", "minor")
    take("minor-preposition", 8, r"\b(in|on|for|with|toward|towards) [a-z]",
         lambda s, ss, i: re.sub(r"\b(toward|towards|for|with)\b",
                                 lambda m: {"toward": "to", "towards": "to", "for": "to", "with": "alongside"}[m.group(1)],
                                 s, count=1) if re.search(r"\b(toward|towards|for|with)\b", s) else None,
         "misquote", "minor")
    take("minor-word", 6, r"\b(important|continue|support|people|efforts)\b",
         lambda s, ss, i: re.sub(r"\b(important|continue|support|people|efforts)\b",
                                 lambda m: {"important": "key", "continue": "keep", "support": "back",
                                            "people": "citizens", "efforts": "work"}[m.group(1)], s, count=1),
         "misquote", "minor")
    # unverified: a quote no watched statement contains (taken from an unwatched one).
    other = [k for k in single if k not in pool][:30]
    for j, key in enumerate(other[:8]):
        sents = [s for s in sentences(data[key][0]["text"]) if 14 <= len(s.split()) <= 35]
        if sents:
            style, art = styled(j, sents[0])
            add("unverified", pool[j], art, [["unverified", "none"]], style=style)

    _special_cases(add, data, pool)
    _more_special_cases(add, data, pool)
    _stale_cases(add, data)
    return cases


def _ellipsis(s: str) -> str | None:
    w = s.rstrip(".").split()
    if len(w) < 14:
        return None
    cut = w[4:8]
    if {x.lower().strip(",;") for x in cut} & {"not", "no", "never", "unless", "if", "until", "only", "without", "except"}:
        return None
    return " ".join(w[:4]) + " … " + " ".join(w[8:])


def _hide_negation(s: str) -> str | None:
    w = s.rstrip(".").split()
    for i, x in enumerate(w):
        if x in ("not", "never") and 3 <= i < len(w) - 4:
            return " ".join(w[:i]) + " ... " + " ".join(w[i + 1:])
    return None


def _bump_number(s: str) -> str | None:
    m = re.search(r"\b(\d[\d,]*)(\.\d+)?\b", s)
    if not m:
        return None
    digits = m.group(1).replace(",", "")
    if not digits.isdigit():
        return None
    new = str(int(digits) + (1 if int(digits) < 100 else 10))
    return s[: m.start(1)] + new + s[m.end(1):]


def _splice(sents: list[str], i: int) -> str | None:
    """First half of sentence i joined to the second half of a sentence two or more later."""
    for j in range(i + 2, min(len(sents), i + 6)):
        a, b = sents[i].rstrip(".").split(), sents[j].rstrip(".").split()
        if len(a) >= 8 and len(b) >= 8 and not re.search(r"\d", sents[j]):
            return " ".join(a[: len(a) // 2 + 2]) + " " + " ".join(b[len(b) // 2 - 1:])
    return None


def _rewrite(s: str) -> str | None:
    w = s.rstrip(".").split()
    if len(w) < 16:
        return None
    subs = ["broadly", "plan", "seek", "new", "effort", "also", "closely", "region"]
    out = list(w)
    for k, pos in enumerate(range(2, len(w) - 1, 2)):
        out[pos] = subs[k % len(subs)]
    return " ".join(out)


def _special_cases(add: Callable[..., None], data: dict[str, list[dict]], pool: list[str]) -> None:
    """Hand-written items: several quotes, multi-paragraph, nested, scare and others' quotes."""
    picks = [k for k in pool if len(sentences(data[k][0]["text"])) >= 6][:40]
    sensitive = re.compile(r"\b(not|no|never|if|unless|until|only|without|except|will|would|should|must|"
                           r"may|can|could|all|any|some)\b|\d|[A-Z]", re.I)
    made = 0
    for key in picks:
        allsents = sentences(data[key][0]["text"])
        ok = lambda x: 10 <= len(x.split()) <= 35 and not re.search(r"[\"“”‘]|'\s|’\s|[:;]$", x)  # noqa: E731
        pairs = [i for i in range(len(allsents) - 2) if ok(allsents[i]) and ok(allsents[i + 1]) and ok(allsents[i + 2])]
        if not pairs:
            continue
        i = pairs[0]
        a, b, c = (allsents[i + k].rstrip(".") for k in range(3))
        aw, bw = a.split(), b.split()
        mode = made % 5
        made += 1
        if mode == 0:  # multi-paragraph quote, then a scare quote and an analyst's quote
            art = (f"The State Department issued a statement on Friday.\n“{a}.\n“{b},” the statement said.\n"
                   f"Officials rejected what they termed “rumours”. Jane Doe, a professor at Georgetown, said "
                   f"“this is far less than what the region needed from Washington”.")
            add("multi-paragraph", key, art, [["exact", "none"]], unattributed=2, style="multi-paragraph")
        elif mode == 1:  # partial quote woven into prose, and a colon quote
            part = " ".join(aw[2:9]).rstrip(",;")
            art = (f"The department said it remained committed, describing the effort as “{part}” in a "
                   f"statement that went on: “{b}.”")
            add("partial-colon", key, art, [["exact", "none"], ["exact", "none"]], style="partial-colon")
        elif mode == 2:  # nested: someone else quoting the statement, then the statement itself
            art = (f"Reporters were told: “The statement is clear. ‘{a}.’ That is the line,” an editor wrote.\n"
                   f"‘{b}’, the statement said.")
            add("nested", key, art, [["exact", "none"]], unattributed=1, style="nested")
        elif mode == 3:  # an ellipsis across adjacent sentences
            art = f'The statement said: "{a} ... {c}."'
            add("edited-across", key, art, [["edited", "none"]], style="ellipsis-across")
        else:  # adjacent sentences merged, the joint cut without an ellipsis (minor)
            cut = aw[-3:] + bw[:3]
            if sensitive.search(" ".join(cut)):
                made -= 1
                continue
            art = f'"{" ".join(aw[:-3])} {" ".join(bw[3:])}," the department said.'
            add("minor-adjacent", key, art, [["misquote", "minor"]], style="ap")
        if made >= 20:
            break


# Words whose loss makes a cut major (negation, condition, modal, quantifier), numbers, names.
_SENSITIVE = re.compile(r"(?i:\b(not|no|never|if|unless|until|only|without|except|will|would|should|must|"
                        r"may|can|could|all|any|some)\b)|\d|\b[A-Z]")
_HOUSE = ["the State Department", "the department", "the Secretary", "the spokesperson"]


def _more_special_cases(add: Callable[..., None], data: dict[str, list[dict]], pool: list[str]) -> None:
    """Ten or more items for each construction that _special_cases covers only a few times.

    Real sentences from statements not used above; the article text around them is invented
    (no published article is copied).
    """
    plain = lambda x: 10 <= len(x.split()) <= 35 and not re.search(r"[\"“”‘]|'\s|’\s|[:;]$", x)  # noqa: E731
    keys = pool[120:]
    # Consecutive plain sentence triples, one statement each, in pool order.
    triples: list[tuple[str, list[str]]] = []
    inner: list[tuple[str, str]] = []
    apos: list[tuple[str, str]] = []
    for key in keys:
        ss = sentences(data[key][0]["text"])
        at = [i for i in range(len(ss) - 2) if all(plain(ss[i + k]) for k in range(3))]
        if at:
            triples.append((key, [ss[at[0] + k].rstrip(".") for k in range(3)]))
        for x in ss:
            if 10 <= len(x.split()) <= 40 and re.search(r"\w “[^”]{3,60}”", x) and "‘" not in x and "’ " not in x:
                inner.append((key, x.rstrip(".")))
                break
        for x in ss:
            if plain(x) and re.search(r"\w’s\b", x):
                apos.append((key, x.rstrip(".")))
                break
    it = iter(triples)

    def take(n: int) -> list[tuple[str, list[str]]]:
        return [next(it) for _ in range(n)]

    for j, (key, (a, b, c)) in enumerate(take(10)):  # multi-paragraph: open, reopen, close
        who = _HOUSE[j % len(_HOUSE)]
        if j % 2:
            art = f"{who.capitalize()} said on Friday:\n“{a}.\n“{b}.\n“{c}.”"
        else:
            art = f"“{a}.\n“{b},” {who} said in a statement."
        add("multi-paragraph", key, art, [["exact", "none"]], style="multi-paragraph")
    for j, (key, (a, _b, _c)) in enumerate(take(10)):  # a fragment woven into the reporter's sentence
        w = a.split()
        part = " ".join(w[2:2 + 6 + j % 4]).rstrip(",;")
        art = (f"{_HOUSE[j % len(_HOUSE)].capitalize()} said the United States was “{part}” and gave no "
               f"further details on Tuesday.")
        add("partial", key, art, [["exact", "none"]], style="partial")
    for j, (key, (a, _b, _c)) in enumerate(take(10)):  # colon-introduced
        lead = ["In its statement, the department was unequivocal:", "The statement put it plainly:",
                "A spokesperson read from the statement:", "The readout said:", "The department’s words:"][j % 5]
        art = f"{lead} “{a}.”" if j % 2 == 0 else f'{lead} "{a}."'
        add("colon", key, art, [["exact", "none"]], style="colon")
    for j, (key, x) in enumerate(inner[:10]):  # an inner quote, its marks turned to single ones
        q = re.sub(r"“([^”]*)”", r"‘\1’", x)
        art = f"“{q},” the statement said." if j % 2 else f"The department said: “{q}.”"
        add("nested", key, art, [["variant", "none"]], style="nested")
    for j, (key, (a, _b, c)) in enumerate(take(10)):  # an ellipsis over the sentence between
        mark = [" ... ", " … ", " [...] ", " . . . "][j % 4]
        art = f"“{a}.{mark}{c},” {_HOUSE[j % len(_HOUSE)]} said."
        add("edited-across", key, art, [["edited", "none"]], style="ellipsis-across")
    for j, (key, x) in enumerate(apos[:10]):  # British single quotes with apostrophes in and around
        lead = ["The ministers’ statement, issued late on Tuesday, was blunt:",
                "Not since the ’90s has the department’s language been this direct:",
                "In the Secretary’s words, the department’s statement read:",
                "The embassy’s officials pointed to the statement:"][j % 4]
        art = f"{lead} ‘{x}’." if j % 2 == 0 else f"‘{x}’, the statement said, in the ministers’ view."
        add("british-apostrophe", key, art, [["exact", "none"]], style="british")
    for j, (key, (a, _b, _c)) in enumerate(take(10)):  # [sic] after a word, dropped before comparing
        w = a.split()
        k = 3 + j % max(1, len(w) - 4)
        q = " ".join(w[:k] + [("[sic]" if j % 3 else "(sic)")] + w[k:])
        add("sic", key, f"“{q},” the statement said.", [["exact", "none"]], style="sic")
    made = 0
    for key, (a, b, _c) in it:  # adjacent sentences merged, the joint cut without an ellipsis
        aw, bw = a.split(), b.split()
        # The cut: a's last three words and b's first three (b's capital is a sentence start).
        cut = " ".join(aw[-3:] + [bw[0].lower()] + bw[1:3])
        if made >= 10 or _SENSITIVE.search(cut) or len(aw) < 8 or len(bw) < 8:
            continue
        add("minor-adjacent", key, f'"{" ".join(aw[:-3])} {" ".join(bw[3:])}," the department said.',
            [["misquote", "minor"]], style="ap")
        made += 1
    rest = triples[50 + made:]
    scare = ["Officials dismissed what they termed “rumours”.", "The so-called “referendums” were condemned.",
             "Critics called the move “woke”.", "A senator called it “too little, too late”.",
             "What critics dubbed “the Geneva formula” was not mentioned.",
             "An analyst at the Atlantic Council told Reuters it was “a welcome but modest step”.",
             "Residents described the situation as “desperate”.",
             "“This changes nothing on the ground,” a diplomat told reporters in Brussels.",
             "Opposition lawmakers said it was “a missed opportunity”.",
             "The plan, nicknamed “Operation Lifeline”, was not discussed."]
    for j, (key, (a, _b, _c)) in enumerate(rest[:10]):  # scare quotes and others' words: not checked
        art = f"{scare[j]}\nThe statement itself was direct: “{a}.”\n{scare[(j + 3) % len(scare)]}"
        add("scare-other", key, art, [["exact", "none"]], unattributed=2, style="scare-other")
    for j, (key, (a, b, _c)) in enumerate(rest[10:22]):  # told reporters; he/she/it/they said
        form = [f"“{a},” the spokesperson told reporters on Monday.",
                f"Ned Price briefed the press. “{a},” he told reporters.",
                f"The State Department issued its response late. “{a},” it said.",
                f"The deputy spokesperson spoke in Washington. “{a},” she said, adding that “{b}.”",
                f"“{a},” he said, reading from the statement."][j % 5]
        exp = [["exact", "none"]] * (2 if j % 5 == 3 else 1)
        add("told-pronoun", key, form, exp, style="told-pronoun")


_STALE = [
    # (key suffix, regex for the old sentence, regex for the new one)
    ("?page_id=261991", r"2020,", r"2021,"),
    ("p=262710", r"\bforces\b", r"\brefugees\b"),
    ("?page_id=324249", r"watched in horror", r"been transfixed"),
    ("?page_id=343252", r"The Coalition will continue to provide support", None),
    ("?page_id=250065", r"\bNatalie\b", r"\bNatalia\b"),
    ("?page_id=333743", r"beseeched", r"besieged"),
]


def _stale_cases(add: Callable[..., None], data: dict[str, list[dict]]) -> None:
    for n, (suffix, old_rx, _new_rx) in enumerate(_STALE):
        key = next(k for k in data if k.endswith(suffix))
        versions = data[key]
        later = versions[-1]["text"]
        old = next((s for s in sentences(versions[0]["text"]) if re.search(old_rx, s) and s not in later), None)
        if old is None:
            continue
        style, art = STYLES[n % len(STYLES)][0], STYLES[n % len(STYLES)][1](old.rstrip("."))
        # Published while the first version was current: the quote was right, then edited.
        add("stale", key, art, [["stale", "none"]], style=style, versions=True,
            published_at=versions[0]["seen_at"])
        # Published after the edit, quoting the old wording: judged against what was on record.
        add("stale-late", key, art, [["misquote|unverified", "*"]], style=style, versions=True,
            published_at=versions[-1]["seen_at"])


def main() -> None:
    cases = build_cases()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for c in cases:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    print(len(cases), "cases", kinds)


if __name__ == "__main__":
    main()
