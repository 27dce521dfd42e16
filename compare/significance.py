"""Why a change matters: cosmetic, minor or substantive, with reasons in words."""

from __future__ import annotations

import re

from compare.model import COSMETIC, MINOR, SUBSTANTIVE

NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "neither", "without", "cannot",
                       "n't", "nothing", "nobody", "nowhere"})
MODALS = frozenset({"will", "would", "shall", "should", "must", "may", "might", "can", "could",
                    "ought"})
QUALIFIERS = frozenset({"only", "all", "any", "some", "every", "each", "immediate",
                        "immediately", "full", "fully", "unconditional", "unconditionally",
                        "always", "most", "many", "few", "several", "partial", "entire",
                        "complete", "permanent", "temporary", "if", "unless", "until",
                        "except", "provided"})
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|hundred|thousand|million|billion|trillion|percent|"
                     r"dozen)\b", re.I)
_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|"
                    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                    r"Sunday)\b")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"[A-Z][^.!?]{10,}[.!?]")
_UK_US = (("our", "or"), ("ise", "ize"), ("isation", "ization"), ("yse", "yze"),
          ("tre", "ter"), ("ogue", "og"), ("ence", "ense"), ("lled", "led"), ("lling", "ling"))


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def _expand(words: list[str]) -> list[str]:
    out = []
    for w in words:
        if w.endswith("n't"):
            out.extend([w[:-3] or w, "not"])
        else:
            out.append(w)
    return out


def _alnum(text: str) -> str:
    return re.sub(r"[^\w]", "", text).lower()


def _spelling_variant(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    for uk, us in _UK_US:
        for x, y in ((a, b), (b, a)):
            if x.endswith(uk) and y.endswith(us) and x[: -len(uk)] == y[: -len(us)]:
                return True
            if uk in x and x.replace(uk, us) == y:
                return True
    return False


def _proper_nouns(text: str, context: str) -> set[str]:
    """Capitalised words that are not merely sentence-initial."""
    out = set()
    for m in re.finditer(r"\b[A-Z][a-zA-Z]+(?:[-'][A-Za-z]+)*", text):
        word = m.group(0)
        idx = context.find(text)
        before = context[: idx + m.start()].rstrip() if idx >= 0 else ""
        if before and before[-1] not in ".!?\"'" or m.start() > 0:
            out.add(word)
    return out


def classify(op: str, old: str, new: str, old_ctx: str = "", new_ctx: str = "") -> tuple[str, list[str]]:
    """Significance and reasons for one change (old -> new)."""
    reasons: list[str] = []
    if op == "replace" and _alnum(old) == _alnum(new):
        if old.lower() == new.lower():
            return COSMETIC, [f"capitalisation: {old!r} -> {new!r}"]
        return COSMETIC, [f"punctuation or spacing: {old!r} -> {new!r}"]
    if op == "replace" and _spelling_variant(_alnum(old), _alnum(new)):
        return COSMETIC, [f"spelling variant: {old!r} -> {new!r}"]
    if op in ("insert", "delete") and not _alnum(old + new):
        return COSMETIC, [f"punctuation {'added' if op == 'insert' else 'removed'}: {(old or new)!r}"]

    old_nums = _NUMBER.findall(old)
    new_nums = _NUMBER.findall(new)
    if sorted(n.lower() for n in old_nums) != sorted(n.lower() for n in new_nums):
        if old_nums and new_nums:
            reasons.append(f"number changed: {', '.join(old_nums)} -> {', '.join(new_nums)}")
        elif new_nums:
            reasons.append(f"number added: {', '.join(new_nums)}")
        else:
            reasons.append(f"number removed: {', '.join(old_nums)}")
    old_dates, new_dates = _MONTH.findall(old), _MONTH.findall(new)
    if sorted(old_dates) != sorted(new_dates):
        reasons.append(f"date changed: {' '.join(old_dates) or '-'} -> {' '.join(new_dates) or '-'}")

    ow, nw = _expand(_words(old)), _expand(_words(new))
    for label, vocab in (("negation", NEGATIONS), ("modal verb", MODALS), ("qualifier", QUALIFIERS)):
        removed = [w for w in ow if w in vocab and w not in nw]
        added = [w for w in nw if w in vocab and w not in ow]
        if removed:
            reasons.append(f"{label} removed: {', '.join(dict.fromkeys(removed))}")
        if added:
            reasons.append(f"{label} added: {', '.join(dict.fromkeys(added))}")

    old_names = _proper_nouns(old, old_ctx)
    new_names = _proper_nouns(new, new_ctx)
    if old_names != new_names and (old_names - new_names or new_names - old_names):
        gone = sorted(old_names - new_names)
        came = sorted(new_names - old_names)
        if gone or came:
            reasons.append(f"name changed: {', '.join(gone) or '-'} -> {', '.join(came) or '-'}")

    if op in ("insert", "delete"):
        text = new if op == "insert" else old
        if _SENTENCE.search(text) or len(text.split()) >= 12:
            verb = "added" if op == "insert" else "removed"
            reasons.append(f"sentence {verb}: {_clip(text)!r}")
    if reasons:
        return SUBSTANTIVE, reasons
    if op == "replace":
        return MINOR, [f"wording changed: {_clip(old)!r} -> {_clip(new)!r}"]
    verb = "added" if op == "insert" else "removed"
    return MINOR, [f"words {verb}: {_clip(old or new)!r}"]


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"
