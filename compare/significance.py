"""Why a change matters: cosmetic, minor or substantive, with reasons in words.

The rules, most specific first:
- substantive: a number, amount, percentage or date; a name, place, or a person's title;
  a negation, modal verb or qualifier added, removed or swapped; a content word replaced
  by a word of another stem ("defending" -> "defunding"); a whole sentence added or
  removed (whole paragraphs are judged by compare/diff.py, which knows the layout);
- cosmetic: the letters and digits are unchanged (spacing, punctuation style "D.C." ->
  "DC", capitalisation, a missing space), British/American spelling, link text that
  replaces a bare URL with the same meaning;
- minor: everything else (function words "the" -> "a", intensifiers, inflections, links).

Also used by compare/quotecheck.py: keep `classify(op, old, new, old_ctx, new_ctx)`.
"""

from __future__ import annotations

import re
from collections import Counter

from compare.model import COSMETIC, MINOR, SUBSTANTIVE

NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "neither", "without", "cannot",
                       "nothing", "nobody", "nowhere"})
MODALS = frozenset({"will", "would", "shall", "should", "must", "may", "might", "can", "could",
                    "ought"})
QUALIFIERS = frozenset({"only", "all", "any", "some", "every", "each", "immediate",
                        "immediately", "full", "fully", "unconditional", "unconditionally",
                        "always", "most", "many", "few", "several", "partial", "partially",
                        "entire", "complete", "completely", "permanent", "permanently",
                        "temporary", "temporarily", "if", "unless", "until", "except",
                        "provided", "alleged", "allegedly", "likely", "possibly", "almost",
                        "nearly", "approximately", "roughly", "about", "over", "under",
                        "least", "more", "less", "fewer", "first", "last", "sole", "solely"})
# Words that add emphasis but not meaning: dropping one is minor.
INTENSIFIERS = frozenset({"very", "deeply", "strongly", "really", "extremely", "truly",
                          "greatly", "highly", "so", "such", "quite", "particularly",
                          "especially", "absolutely", "utterly", "firmly", "profoundly",
                          "sincerely", "warmly", "heartily", "gravely", "indeed", "just",
                          "certainly", "clearly", "also", "again", "further", "still"})
# Function words: swapping "the" for "a" or "in" for "on" is minor.
FUNCTION_WORDS = frozenset("""
a an the this that these those it its it's they them their theirs we us our ours i me my
you your he him his she her hers who whom whose which what where when why how there here
and or but so yet for of in on at to from by with into onto upon over under about above
below between among through during before after since as than then also too both either
is are was were be been being am has have had having do does did done 's s
up down out off per via within across along around toward towards against amid
""".split())
# Furniture words around links and headings; changing them does not change what is said.
LIGHT_WORDS = frozenset({"find", "found", "see", "visit", "click", "read", "view", "page",
                         "website", "site", "link", "here", "available", "information",
                         "info", "action", "please", "following", "below", "above", "web",
                         "online", "html", "www", "http", "https", "com", "gov", "org",
                         "contact", "email", "call", "further"})
# A person's title or office: changing it changes who is speaking or acting.
TITLES = frozenset({"mr", "ms", "mrs", "dr", "sir", "dame", "president", "minister",
                    "secretary", "ambassador", "spokesperson", "spokesman", "spokeswoman",
                    "director", "deputy", "chief", "governor", "senator", "representative",
                    "chancellor", "premier", "king", "queen", "prince", "princess", "general",
                    "admiral", "colonel", "commissioner", "envoy", "counselor", "advisor",
                    "adviser", "undersecretary", "administrator", "chair", "chairman",
                    "chairwoman", "mayor", "judge", "justice", "acting", "assistant",
                    "prime", "foreign", "vice", "consul", "attache", "coordinator"})
_NUMBER_WORDS = (r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                 r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
                 r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
                 r"billion|trillion|percent|dozen|half|double|triple|twice|thrice|"
                 r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth")
_NUMBER = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?(?:(?:st|nd|rd|th)\b)?%?|\b(?:{_NUMBER_WORDS})\b", re.I)
_DATE_NAMES = ("January February March April May June July August September October November "
               "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar "
               "Apr Jun Jul Aug Sep Sept Oct Nov Dec").split()
# Title case or capitals only: lower-case "may" is the modal verb, not the month.
_DATE_WORD = re.compile(r"\b(" + "|".join([*_DATE_NAMES, *(d.upper() for d in _DATE_NAMES)])
                        + r"|(?i:today|tomorrow|yesterday|tonight))\b")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]']|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SENTENCE = re.compile(r"(?:^|(?<=[.!?]\s))[A-Z][^.!?]{10,}[.!?]")
_UK_US = (("our", "or"), ("ise", "ize"), ("isation", "ization"), ("yse", "yze"),
          ("tre", "ter"), ("ogue", "og"), ("ence", "ense"), ("lled", "led"), ("lling", "ling"),
          ("ised", "ized"), ("ising", "izing"), ("ises", "izes"), ("llor", "lor"),
          ("ae", "e"), ("oe", "e"))
_SUFFIXES = ("ations", "ation", "itions", "ition", "ments", "ment", "ings", "ing", "edly",
             "ed", "ies", "es", "s", "ly", "er", "ers", "ion", "ions", "ive", "al", "e")
# Irregular forms that a suffix stripper cannot join.
_IRREGULAR = {"found": "find", "made": "make", "said": "say", "took": "take", "taken": "take",
              "given": "give", "gave": "give", "held": "hold", "met": "meet", "went": "go",
              "gone": "go", "saw": "see", "seen": "see", "brought": "bring", "led": "lead",
              "sought": "seek", "told": "tell", "spoke": "speak", "spoken": "speak",
              "wrote": "write", "written": "write", "began": "begin", "begun": "begin"}
_QUOTE_MARKS = "\"'"


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def _expand(words: list[str]) -> list[str]:
    """Split contractions so "won't" counts as a modal plus a negation."""
    out = []
    for w in words:
        if w.endswith("n't"):
            base = {"won": "will", "can": "can", "shan": "shall"}.get(w[:-3], w[:-3])
            out.extend([base, "not"])
        else:
            out.append(w)
    return out


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]", "", text).lower()


def stem(word: str) -> str:
    """A crude stem: enough to see "imposition" and "impose" as one word."""
    word = _IRREGULAR.get(word, word.lower())
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _same_stem(a: str, b: str) -> bool:
    sa, sb = stem(a), stem(b)
    if sa == sb:
        return True
    # "imposition"/"impose", "announcement"/"announced": a long shared beginning.
    common = 0
    for x, y in zip(sa, sb, strict=False):
        if x != y:
            break
        common += 1
    return common >= 5 and common >= 0.75 * min(len(sa), len(sb))


def spelling_variant(a: str, b: str) -> bool:
    """True for British/American pairs: "travelling"/"traveling", "jeopardised"/"-ized"."""
    a, b = a.lower(), b.lower()
    if a == b:
        return False
    for uk, us in _UK_US:
        for x, y in ((a, b), (b, a)):
            if uk in x and x.replace(uk, us, 1) == y:
                return True
            if x.endswith(uk) and y.endswith(us) and x[: -len(uk)] == y[: -len(us)]:
                return True
    return False


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning (not function words, intensifiers, furniture)."""
    return [w for w in _expand(_words(_URL.sub(" ", text)))
            if w not in FUNCTION_WORDS and w not in INTENSIFIERS and w not in LIGHT_WORDS
            and len(w) > 1]


def _cased_content(text: str) -> list[str]:
    """Content words as written (case kept), for name-aware matching."""
    keep = set(content_words(text))
    return [w for w in _WORD.findall(_URL.sub(" ", text).replace("’", "'")) if w.lower() in keep]


def _counterpart(a: str, b: str) -> bool:
    if a.lower() == b.lower():
        return True
    if a[:1].isupper() and b[:1].isupper():
        # Two capitalised words: only an inflection ("Visas" -> "Visa") is the same name.
        return stem(a.lower()) == stem(b.lower())
    return _same_stem(a.lower(), b.lower())


def _numbers(text: str) -> list[str]:
    out = []
    for n in _NUMBER.findall(text):
        n = n.lower().replace(",", "")
        out.append("%" if n == "percent" else n)
    return out


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'(")
    return not before or before[-1] in ".!?:\n"


def _names(text: str, ctx: str) -> set[str]:
    """Capitalised words that are not merely sentence-initial, acronyms, person titles."""
    offset = ctx.find(text) if text else -1
    out = set()
    for m in re.finditer(r"[^\W\d_][\w'.-]*", text):
        word = m.group(0).rstrip(".'-")
        low = word.lower()
        if low in TITLES:
            out.add(low)
            continue
        if not word[:1].isupper() or low in FUNCTION_WORDS:
            continue
        acronym = sum(ch.isupper() for ch in word) >= 2
        if acronym or not _sentence_start(ctx if offset >= 0 else text,
                                          (offset if offset >= 0 else 0) + m.start()):
            out.add(low)
    return out


def _modal_changes(old: str, new: str) -> list[str]:
    """Modal verbs added, removed or swapped while the action itself stays.

    "we will support" -> "we support" is substantive; "can be found here." dropped as a
    whole is not a modal change but a rewording: its verb went with it.
    """
    ow, nw = _expand(_words(old)), _expand(_words(new))
    om = [w for w in ow if w in MODALS]
    nm = [w for w in nw if w in MODALS]
    if Counter(om) == Counter(nm):
        return []
    if om and nm:
        return [f"modal verb changed: {', '.join(om)} -> {', '.join(nm)}"]
    others = {"be", "been", "have", "not"} | MODALS
    oc = [w for w in ow if w not in FUNCTION_WORDS and w not in others]
    nc = [w for w in nw if w not in FUNCTION_WORDS and w not in others]
    # The verb (and anything else) that went with the modal must still be there.
    kept = (all(any(_same_stem(w, x) for x in nc) for w in oc)
            and all(any(_same_stem(w, x) for x in oc) for w in nc))
    if not kept:
        return []
    return [f"modal verb {'removed' if om else 'added'}: {', '.join(om or nm)}"]


def _link_text_for_url(url: str, text: str) -> bool:
    """True when `text` reads as the link text of `url` ("COVID-19 Traveler Information")."""
    url_words = {w.lower() for w in re.findall(r"[A-Za-z]+", url)}
    url_nums = set(re.findall(r"\d+", url))
    words = [w for w in content_words(text) if w not in TITLES]
    if any(n not in url_nums for n in re.findall(r"\d+", text)):
        return False
    return any(w in url_words or any(u.startswith(w[:5]) for u in url_words if len(w) >= 5)
               for w in words)


def classify(op: str, old: str, new: str, old_ctx: str = "", new_ctx: str = ""
             ) -> tuple[str, list[str]]:
    """Significance and reasons for one change (old -> new).

    `old_ctx`/`new_ctx` are the surrounding texts (containing `old`/`new`), used to tell a
    sentence-initial capital from a name and to see whether a modal's verb survived.
    """
    reasons: list[str] = []
    cosmetic: list[str] = []
    minor: list[str] = []

    # Links first: the digits and words inside a URL are not amounts or names.
    old_urls, new_urls = _URL.findall(old), _URL.findall(new)
    old_t, new_t = _URL.sub(" ", old), _URL.sub(" ", new)
    if old_urls != new_urls:
        gone = [u for u in old_urls if u not in new_urls]
        came = [u for u in new_urls if u not in old_urls]
        if [u.lower() for u in gone] == [u.lower() for u in came]:
            cosmetic.append(f"link capitalisation: {gone[0]!r} -> {came[0]!r}")
        elif gone and not came and _link_text_for_url(" ".join(gone), new_t):
            cosmetic.append(f"link text replaces the URL: {clip(new_t.strip())!r}")
            new_t = old_t  # the link text stands for the URL, judged as such
        elif came and not gone and _link_text_for_url(" ".join(came), old_t):
            cosmetic.append(f"URL replaces the link text: {clip(old_t.strip())!r}")
            old_t = new_t
        elif gone and came:
            minor.append(f"link changed: {clip(gone[0])} -> {clip(came[0])}")
        elif gone:
            minor.append(f"link removed: {clip(gone[0])}")
        else:
            minor.append(f"link added: {clip(came[0])}")

    old_nums, new_nums = _numbers(old_t), _numbers(new_t)
    if Counter(old_nums) != Counter(new_nums):
        o, n = _NUMBER.findall(old_t), _NUMBER.findall(new_t)
        if o and n:
            reasons.append(f"number changed: {', '.join(o)} -> {', '.join(n)}")
        elif n:
            reasons.append(f"number added: {', '.join(n)}")
        else:
            reasons.append(f"number removed: {', '.join(o)}")
    old_dates, new_dates = _DATE_WORD.findall(old_t), _DATE_WORD.findall(new_t)
    if Counter(d.lower() for d in old_dates) != Counter(d.lower() for d in new_dates):
        reasons.append(f"date changed: {' '.join(old_dates) or '-'} -> "
                       f"{' '.join(new_dates) or '-'}")

    if not reasons and _alnum(old_t) == _alnum(new_t):
        # Same letters and digits: style only, unless a quotation mark or a question mark
        # came or went, which changes who is speaking or what is asserted.
        for mark, label in (('"', "quotation mark"), ("?", "question mark")):
            if old_t.count(mark) != new_t.count(mark):
                minor.append(f"{label} {'added' if new_t.count(mark) > old_t.count(mark) else 'removed'}")
        if not minor and old_t.strip() != new_t.strip():
            if old_t.lower() == new_t.lower():
                cosmetic.append(f"capitalisation: {clip(old_t.strip())!r} -> {clip(new_t.strip())!r}")
            elif _alnum(old_t) and old_t.split() != new_t.split() and "".join(old_t.split()) == "".join(new_t.split()):
                cosmetic.append(f"missing space: {clip(old_t.strip())!r} -> {clip(new_t.strip())!r}")
            else:
                cosmetic.append(f"punctuation or spacing: {clip(old_t.strip())!r} -> "
                                f"{clip(new_t.strip())!r}")
        return _verdict(reasons, minor, cosmetic)

    ow, nw = _expand(_words(old_t)), _expand(_words(new_t))
    for label, vocab in (("negation", NEGATIONS), ("qualifier", QUALIFIERS)):
        removed = [w for w in ow if w in vocab and w not in nw]
        added = [w for w in nw if w in vocab and w not in ow]
        if removed:
            reasons.append(f"{label} removed: {', '.join(dict.fromkeys(removed))}")
        if added:
            reasons.append(f"{label} added: {', '.join(dict.fromkeys(added))}")
    reasons.extend(_modal_changes(old_t, new_t))

    old_names, new_names = _names(old_t, old_ctx), _names(new_t, new_ctx)
    # A word that only changed case ("government" -> "Government") is not a new name.
    gone = sorted(n for n in old_names - new_names if n not in nw)
    came = sorted(n for n in new_names - old_names if n not in ow)
    if gone or came:
        reasons.append(f"name or title changed: {', '.join(gone) or '-'} -> {', '.join(came) or '-'}")

    # Content words that have no counterpart of the same stem on the other side. A
    # capitalised word must match exactly unless its counterpart is a common (lower-case)
    # word: "Natalie" -> "Natalia" is a new name, "Imposition" -> "impose" is not.
    oc = [w for w in _cased_content(old_t) if w.lower() not in MODALS]
    nc = [w for w in _cased_content(new_t) if w.lower() not in MODALS]
    lost = [w.lower() for w in oc if not any(_counterpart(w, x) for x in nc)]
    got = [w.lower() for w in nc if not any(_counterpart(w, x) for x in oc)]
    removed = Counter(ow) - Counter(nw)
    added = Counter(nw) - Counter(ow)
    spelled = [(a, b) for a in removed for b in added if spelling_variant(a, b)]
    for a, b in spelled:
        cosmetic.append(f"spelling variant: {a!r} -> {b!r}")
    lost = [w for w in lost if w not in {a for a, _ in spelled}]
    got = [w for w in got if w not in {b for _, b in spelled}]
    already = " ".join(reasons).lower()
    lost_new = [w for w in lost if w not in already]
    got_new = [w for w in got if w not in already]
    if lost_new or got_new:
        if op in ("insert", "delete") and _SENTENCE.search(old_t if op == "delete" else new_t):
            verb = "added" if op == "insert" else "removed"
            reasons.append(f"sentence {verb}: {clip(new_t if op == 'insert' else old_t)!r}")
        elif lost and got:
            reasons.append(f"word changed: {', '.join(lost)} -> {', '.join(got)}")
        elif got:
            reasons.append(f"word added: {', '.join(got)}")
        else:
            reasons.append(f"word removed: {', '.join(lost)}")

    if not reasons and not cosmetic or (cosmetic and _has_other_words(ow, nw, spelled)):
        if op == "replace":
            minor.append(f"wording changed: {clip(old_t.strip())!r} -> {clip(new_t.strip())!r}")
        else:
            verb = "added" if op == "insert" else "removed"
            minor.append(f"words {verb}: {clip((old_t or new_t).strip())!r}")
    return _verdict(reasons, minor, cosmetic)


def _has_other_words(ow: list[str], nw: list[str], spelled: list[tuple[str, str]]) -> bool:
    """True when words differ beyond the spelling variants already explained."""
    fix = dict(spelled)
    return Counter(fix.get(w, w) for w in ow) != Counter(nw)


def _verdict(reasons: list[str], minor: list[str], cosmetic: list[str]) -> tuple[str, list[str]]:
    if reasons:
        return SUBSTANTIVE, reasons + minor + cosmetic
    if minor:
        return MINOR, minor + cosmetic
    return COSMETIC, cosmetic or ["formatting"]


def clip(text: str, limit: int = 60) -> str:
    """`text` on one line, cut at a word boundary to about `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if " " not in text[:limit]:
        # One long word (a URL): keep it whole rather than cut it.
        first = text.split(" ", 1)[0]
        return first if first == text else first + " …"
    return text[:limit].rsplit(" ", 1)[0] + " …"


_clip = clip  # the old private name
