"""Reported claims: what coverage says a statement said without quotation marks, checked.

Most press coverage reports a statement in its own words ("Blinken said the order would ...",
"The statement expressed concern about ..."). This module

1. finds those claims in an article (`find_claims`: sentences, or the clause before a quote,
   that report the statement's words or acts with a reporting verb or noun);
2. aligns each to the statement sentence(s) it reports (`check_claims`): the statements the
   article is about come from its quote verdicts, its links and the store's quote index
   (compare.quote_engine); within them, sentence embeddings (compare.embed) and shared words
   decide WHERE a claim comes from;
3. judges whether the facts match with explicit checks, never with the embedding: numbers
   (press style, compare.pressstyle), negations and opposite predicates, modals, names,
   scope words, stance intensity and attribution (compare.lexicon), and gives a verdict
   (faithful, drift of a kind, unsupported) with reasons quoting both texts;
4. maps which statement paragraphs the article reported, by quotation, by paraphrase or both
   (`ClaimReport.coverage`; `merge_coverage` across articles).

Usage::

    quote_checks = check_article(index, extract_quotes(doc.text), doc.published, doc.links)
    report = check_claims(index, doc.text, quote_checks, doc.published, doc.links)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from compare.embed import Embedder, default_embedder
from compare.lexicon import (
    ANTONYMS,
    BACKSHIFT,
    CAPITALS,
    CLAIM_VERBS,
    DEMONYMS,
    FUNCTION_WORDS,
    INTENSITY,
    MODAL_STRENGTH,
    NEGATIONS,
    REPORTING_NOUNS,
    SCOPE_WORDS,
    TITLES,
)
from compare.pressstyle import canonical, transliteration
from compare.quote_engine import IndexedVersion, StatementIndex, statement_candidates
from compare.quotecheck import QuoteCheck
from compare.quotes import OTHER_CUES, Quote, extract_quotes, sentence_spans
from compare.textnorm import Token, tokenize, words
from compare.vocab import ClaimVerdict, CoverageHow, DriftKind, Severity, Verdict

# -- thresholds (tuned on ../shared/data/coverage-dev, bench/claims_dev.py) -----------------
UNSUPPORTED_BELOW = 0.42  # best combined score under this: no statement sentence says it
SECOND_WITHIN = 0.08  # a second sentence this close to the best is reported too
MIN_CLAIM_WORDS = 6
MAX_STATEMENTS = 6  # statements a claim is aligned against (the article's, best first)
LEX_WEIGHT = 0.35  # share of the alignment score that comes from shared content words


@dataclass(frozen=True)
class Claim:
    """A reported claim: offsets into the article text and who the article says said it."""

    text: str
    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one claim: the statement sentence(s) it reports and how it departs."""

    claim: Claim
    verdict: ClaimVerdict
    kind: DriftKind | None
    severity: Severity
    source: str | None  # statement URL matched (None if unsupported with no candidate)
    version_id: int | None  # the store's id of the statement version judged against
    version: int | None  # that version's seq
    matched: str  # the statement sentence(s) it reports ("" when none)
    score: float  # alignment score of the matched sentence(s), 0..1
    reasons: tuple[str, ...]
    paragraphs: tuple[int, ...] = ()  # statement paragraphs of `matched` (coverage map)

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.claim.text, "start": self.claim.start, "end": self.claim.end,
            "verdict": self.verdict.value, "kind": self.kind.value if self.kind else None,
            "severity": self.severity.value, "source": self.source, "matched": self.matched,
            "score": round(self.score, 3), "reasons": list(self.reasons),
            "speaker": self.claim.speaker, "version": self.version,
        }


@dataclass(frozen=True)
class ParagraphCoverage:
    """Whether an article (or all coverage) reported one paragraph of a statement, and how."""

    source: str
    paragraph: int
    text: str
    how: CoverageHow

    @property
    def covered(self) -> bool:
        return self.how is not CoverageHow.NONE

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "paragraph": self.paragraph, "text": self.text,
                "covered": self.covered, "how": self.how.value}


@dataclass(frozen=True)
class ClaimReport:
    """An article's claims and the coverage map of the statements it reports."""

    claims: tuple[ClaimCheck, ...]
    coverage: tuple[ParagraphCoverage, ...]

    def to_json(self) -> dict[str, object]:
        return {"claims": [c.to_json() for c in self.claims],
                "coverage": [p.to_json() for p in self.coverage]}


# -- finding claims ---------------------------------------------------------------------------

_VERB_FORMS = sorted({f for v in CLAIM_VERBS for f in (v, v + "s", v + "ed", v + "d", v + "es",
                                                       v[:-1] + "ied" if v.endswith("y") else v,
                                                       v + "ing")}, key=lambda w: (-len(w), w))
_IRREGULAR = ("said", "says", "told", "met", "put", "spoke", "wrote", "made", "took", "gave",
              "held", "led", "sent", "drew", "underwent", "set out", "laid out", "went on")
CLAIM_VERB = re.compile(r"\b(?:" + "|".join(map(re.escape, (*_VERB_FORMS, *_IRREGULAR))) + r")\b", re.I)
REPORT_NOUN = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(REPORTING_NOUNS, key=len, reverse=True)))
                         + r")\b", re.I)
# Who counts as the statement's side as a subject: the issuer, its officials and pronouns.
ISSUER_SUBJECT = re.compile(
    r"\b(?:statement|readout|release|communiqu[eé]|declaration|fact sheet|secretary|"
    r"spokes(?:man|woman|person)|(?:state )?department|white house|administration|embassy|"
    r"washington|united states|u\.\s?s\.|us|america|officials?|ministers?|governments|"
    r"participants|envoys|representatives|delegations?|the (?:two|three|four|five|six|seven|"
    r"eight|nine|ten|\d+)(?: \w+)?|both|he|she|they|it|we|partners|signatories|group|"
    r"counterparts|sides?|leaders)\b", re.I)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’\-]{2,40}(?:,[^—–\n]{0,60})?\s[—–-]{1,2}\s+")
_BYLINE = re.compile(r"^(?:By|From|Reporting by|Editing by)\b|^\W*$")
_ATTRIB_TAIL = re.compile(r",\s*(?:according to\b[^,]*|(?:the|a|an)\s[^,]{0,60}?\b(?:said|says|added|stated)|"
                          r"[^,]{0,40}?\b(?:said|says|added|stated))\s*[.!?]?$", re.I)
_ATTRIB_HEAD = re.compile(r"^(?:(?:But|And|Also|However|Meanwhile),?\s+)?(?:according to\s[^,]{1,80},\s*|"
                          r"(?P<sp>[^,;:]{1,80}?)\s+(?:\w+ly\s+|also\s+|further\s+)?"
                          r"(?:said|says|stated|added|noted|stressed|warned|told \w+|declared|insisted|"
                          r"argued|wrote|emphasi[sz]ed|reiterated|announced)(?:\s+that)?\s+)", re.I)


def find_claims(text: str, quotes: Sequence[Quote] = ()) -> list[Claim]:
    """Sentences (or the clause before a quote) reporting a statement without quoting it.

    A claim has a reporting verb or noun ("said", "condemned", "called on", "the statement",
    "according to") and is not attributed to someone else ("according to United Nations
    officials", "human rights groups have called"). A sentence whose report is carried by a
    quotation is the quote's; the clause before the quote is a claim when it reports on its
    own ("It encouraged all actors to use the process “to achieve …”"). Pure.

    >>> t = "Blinken said the regime must release all detainees. “No,” said Sen. Ruiz."
    >>> [(c.text, c.speaker) for c in find_claims(t)]
    [('Blinken said the regime must release all detainees.', 'Blinken')]
    """
    if not quotes:
        quotes = extract_quotes(text)
    spans = sorted((q.start, q.end) for q in quotes)
    out: list[Claim] = []
    first_para = True
    for p_a, p_b in _paragraph_spans(text):
        para = text[p_a:p_b]
        if first_para:
            first_para = False
            if not re.search(r"[.!?][\"”’»]?\s*$", para) and len(para.split()) < 25:
                continue  # the headline
        if _BYLINE.match(para.strip()):
            continue
        m = _DATELINE.match(para)
        lo = p_a + (m.end() if m else 0)
        for a, b in sentence_spans(text[:p_b]):
            if b <= lo or a < p_a:
                continue
            a = max(a, lo)
            claim = _claim_in(text, a, b, spans)
            if claim is not None:
                out.append(claim)
    return out


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _claim_in(text: str, a: int, b: int, quotes: Sequence[tuple[int, int]]) -> Claim | None:
    inside = [(qa, qb) for qa, qb in quotes if qa < b and qb > a]
    if inside:
        # The clause before the first quote, cut at its last clause boundary: it reports on
        # its own only when it is long enough and carries its own reporting verb.
        qa = inside[0][0] - 1
        head = text[a:qa]
        cut = max(head.rfind(", "), head.rfind(" and said"), head.rfind(" and "))
        if cut < 0:
            return None
        b = a + cut + (1 if head[cut:cut + 2] == ", " else 0)
        if b - a < 20:
            return None
        b = a + len(text[a:b].rstrip(" ,"))
    sentence = text[a:b]
    if len(re.findall(r"\w+", sentence)) < MIN_CLAIM_WORDS:
        return None
    if re.search(r"[“”\"«»]", sentence):
        return None  # a quotation the extractor did not pair: the quote checker's
    verb = CLAIM_VERB.search(sentence)
    noun = REPORT_NOUN.search(sentence)
    if verb is None and noun is None:
        return None
    speaker = _speaker(sentence)
    subject_zone = sentence[:verb.start()] if verb else sentence
    accord = re.search(r"according to ([^,.;]{1,80})", sentence, re.I)
    if accord and OTHER_CUES.search(accord.group(1)) and not ISSUER_SUBJECT.search(accord.group(1)):
        return None  # "according to United Nations officials" is not the statement
    if verb is not None and OTHER_CUES.search(subject_zone[-80:]) and not ISSUER_SUBJECT.search(subject_zone[-80:]):
        return None  # "Human rights groups have called ...", "Analysts said ..."
    if noun is None and not ISSUER_SUBJECT.search(subject_zone) and not _named(subject_zone):
        return None
    return Claim(sentence, a, b, speaker)


def _named(zone: str) -> bool:
    """A capitalised name in the subject ("Sherman", "Mr Blinken", "Phee")."""
    return re.search(r"(?:^|\s)(?:Mr\.?\s+|Ms\.?\s+|Mrs\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?=\s|,)",
                     " " + zone) is not None


def _speaker(sentence: str) -> str | None:
    m = _ATTRIB_HEAD.match(sentence)
    if m and m.group("sp"):
        sp = re.sub(r"^(?:But|And|Also|However|Meanwhile),?\s+", "", m.group("sp")).strip()
        return sp[:80] or None
    m = re.search(r"according to ([^,.;]{1,80})", sentence, re.I)
    if m:
        return m.group(1).strip()
    t = _ATTRIB_TAIL.search(sentence)
    if t:
        sp = re.sub(r"^,\s*|\s*\b(?:said|says|added|stated)\b.*$", "", t.group(0)).strip()
        return sp or None
    v = CLAIM_VERB.search(sentence)
    if v:
        sp = sentence[:v.start()].strip()
        sp = re.sub(r"\s+(?:on|in|at)\s+\w+$|\s+(?:has|have|had|also|further|\w+ly)$", "", sp)
        return sp[-80:] or None
    return None


def claim_content(sentence: str) -> str:
    """The claim without its attribution: what the statement is said to have said.

    >>> claim_content("Blinken said the order would take effect at once.")
    'the order would take effect at once.'
    >>> claim_content("The order bars all trade, according to the statement.")
    'The order bars all trade'
    """
    s = _ATTRIB_TAIL.sub("", sentence)
    m = _ATTRIB_HEAD.match(s)
    if m and len(s) - m.end() > 15:
        s = s[m.end():]
    return s.strip()


# -- statements ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Sentence:
    url: str
    version: IndexedVersion
    paragraph: int
    text: str


@dataclass(frozen=True)
class _Statement:
    url: str
    version: IndexedVersion
    paragraphs: tuple[str, ...]
    text: str


def _version_at(versions: Sequence[IndexedVersion], at: datetime | None) -> IndexedVersion:
    """The version current when the article was published (the latest when unknown)."""
    if at is None:
        return versions[-1]
    when = _aware(at)
    chosen = versions[0]
    for v in versions:
        if v.seen_at is None or _aware(v.seen_at) <= when:
            chosen = v
    return chosen


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def _statements(index: StatementIndex, urls: Sequence[str], published_at: datetime | None) -> list[_Statement]:
    got = index.versions(list(urls))
    chosen = {u: _version_at(vs, published_at) for u, vs in got.items() if vs}
    texts = index.block_texts({b for v in chosen.values() for b in v.blocks})
    out = []
    for u in urls:
        v = chosen.get(u)
        if v is None:
            continue
        paras: list[str] = []
        cur = ""
        for b, sep in zip(v.blocks, v.seps, strict=True):
            cur += texts.get(b, "")
            if "\n" in sep:
                paras.append(cur)
                cur = ""
            else:
                cur += sep
        if cur:
            paras.append(cur)
        out.append(_Statement(u, v, tuple(paras), "\n\n".join(paras)))
    return out


def _sentences(st: _Statement) -> list[_Sentence]:
    out = []
    for i, p in enumerate(st.paragraphs):
        for a, b in sentence_spans(p):
            out.append(_Sentence(st.url, st.version, i, p[a:b]))
    return out


# -- checks (pure; each returns reasons, empty when the claim holds) ---------------------------

def _canon(text: str) -> list[Token]:
    return canonical(tokenize(text), text)


def _numbers(toks: Sequence[Token]) -> list[Token]:
    return [t for t in toks if t.key[:1].isdigit() or t.key.startswith(("ord:", "date:"))]


def number_changes(claim: str, matched: str, statement: str) -> list[str]:
    """Figures of the claim that the statement does not give, where the sentence it reports
    gives figures (a claim counting the names listed, "four activists", changes no figure).

    >>> number_changes("He said 70,000 people were displaced.",
    ...                "The regime displaced more than 700,000.", "The regime displaced more than 700,000.")
    ['the claim says "70,000" where the statement says "700,000"']
    >>> number_changes("He named four activists.", "It named Ko Jimmy and Hla Myo Aung.", "")
    []
    """
    src_nums = _numbers(_canon(matched))
    if not src_nums:
        return []
    have = {t.key for t in _numbers(_canon(statement or matched))} | {t.key for t in src_nums}
    out = []
    for t in _numbers(_canon(claim)):
        if t.key not in have and not _year_like(t.key, have):
            theirs = ", ".join(f'"{matched[s.start:s.end]}"' for s in src_nums[:3])
            out.append(f'the claim says "{claim[t.start:t.end]}" where the statement says {theirs}')
    return out


def _year_like(key: str, have: set[str]) -> bool:
    # A year the claim adds for context ("the 2021 coup") when the statement names the event
    # by month: only 4-digit years between 1900 and 2100 that the statement's dates imply.
    return key.isdigit() and len(key) == 4 and 1900 <= int(key) <= 2100 and any(h.startswith("date:") for h in have)


def _clauses(sentence: str) -> list[str]:
    parts = re.split(r";|:|,\s+(?:and|but|while|whereas)\s+|\s+but\s+|,\s+(?=which\b)", sentence)
    return [p for p in parts if len(p.split()) >= 3] or [sentence]


def _content(text: str) -> set[str]:
    return {w for w in words(text) if w not in FUNCTION_WORDS and w not in NEGATIONS and len(w) > 2}


def _best_clause(claim: str, sentence: str) -> str:
    cw = _content(claim)
    return max(_clauses(sentence), key=lambda c: len(cw & _content(c)) / (1 + 0.02 * len(c.split())))


def _polarity_words(text: str) -> list[str]:
    ws = words(text)
    # "without delay", "without conditions": manner, not polarity; "no longer" flips.
    return [w for i, w in enumerate(ws) if w in NEGATIONS and w != "without"
            and not (w == "no" and i + 1 < len(ws) and ws[i + 1] in ("need",) and False)]


def negation_changes(claim: str, clause: str) -> list[str]:
    """A negation added or dropped, or a predicate turned into its opposite.

    >>> negation_changes("It said the order will not allow aid to continue.",
    ...                  "The order will allow humanitarian activity to continue.")
    ['the claim says "not" where the statement has no negation: "The order will allow humanitarian activity to continue."']
    >>> negation_changes("Aid work will have to stop.", "It will allow humanitarian activity to continue.")
    ['the claim says "stop" where the statement says "continue"']
    """
    cn, sn = _polarity_words(claim), _polarity_words(clause)
    if (len(cn) % 2) != (len(sn) % 2):
        if cn:
            return [f'the claim says "{cn[0]}" where the statement has no negation: "{clause.strip()}"']
        return [f'the statement says "{sn[0]}" ("{clause.strip()}") where the claim has no negation']
    cw, sw = set(words(claim)), set(words(clause))
    for pos, neg in ANTONYMS:
        for a_set, b_set in ((pos, neg), (neg, pos)):
            mine = cw & a_set - sw
            theirs = sw & b_set - cw
            if mine and theirs and not (cw & b_set):
                return [f'the claim says "{sorted(mine)[0]}" where the statement says "{sorted(theirs)[0]}"']
    return []


def _modal_level(text: str) -> tuple[int, str]:
    best = (0, "")
    for w in words(text):
        m = BACKSHIFT.get(w, w)
        if m in MODAL_STRENGTH:
            lvl = MODAL_STRENGTH[m]
            if best[1] == "" or lvl < best[0]:
                best = (lvl, w)  # the weakest modal decides how committed the sentence is
    return best


def modal_changes(claim: str, clause: str) -> list[str]:
    """A commitment weakened into a possibility, or a possibility strengthened.

    Reported speech shifts "will" to "would" and "can" to "could": not a change.

    >>> modal_changes("He said Washington may continue to supply arms.", "We will continue to provide arms.")
    ['the claim says "may" where the statement says "will"']
    >>> modal_changes("He said Washington would continue to supply arms.", "We will continue to provide arms.")
    []
    """
    cl, cw = _modal_level(claim)
    sl, sw = _modal_level(clause)
    if cw and cl == 1 and (sl >= 2 or (sl == 0 and _asserts(clause))):
        return [f'the claim says "{cw}" where the statement says "{sw or _verb_of(clause)}"']
    if sw and sl == 1 and cl >= 3 and BACKSHIFT.get(cw, cw) in ("will", "must", "shall"):
        return [f'the claim says "{cw}" where the statement says "{sw}"']
    return []


def _asserts(clause: str) -> bool:
    # A present-tense commitment or assessment: "require", "is", "are", "demand".
    return re.search(r"\b(?:is|are|requires?|demands?|calls?|condemns?|must)\b", clause) is not None


def _verb_of(clause: str) -> str:
    m = re.search(r"\b(?:is|are|requires?|demands?|calls?|condemns?|must)\b", clause)
    return m.group(0) if m else clause.split()[0]


def _intensity(text: str) -> tuple[int, str]:
    ws = words(text)
    found = [(INTENSITY[w], w) for w in ws if w in INTENSITY]
    if "without" in ws and "delay" in ws:
        found.append((2, "without delay"))
    if not found:
        return 0, ""
    strong = [f for f in found if f[0] > 0]
    if strong:
        return max(strong)
    return min(found)


def intensity_changes(claim: str, sentence: str) -> tuple[DriftKind | None, list[str]]:
    """Stance reported weaker (softened) or stronger (hardened) than the statement's.

    >>> intensity_changes("He said the reports were worth looking into.",
    ...                   "The reports are deeply concerning and require full investigation.")
    (<DriftKind.SOFTENED: 'softened'>, ['the claim says "worth" where the statement says "deeply"'])
    """
    cl, cw = _intensity(claim)
    sl, sw = _intensity(sentence)
    if cw and sw and cl - sl >= 2:
        return DriftKind.HARDENED, [f'the claim says "{cw}" where the statement says "{sw}"']
    if cw and sw and sl - cl >= 2:
        return DriftKind.SOFTENED, [f'the claim says "{cw}" where the statement says "{sw}"']
    if cw and not sw and cl >= 2:
        return DriftKind.HARDENED, [f'the claim says "{cw}"; the statement has no such word: "{sentence.strip()}"']
    return None, []


def scope_changes(claim: str, sentence: str, statement: str) -> list[str]:
    """A word that widens or fixes the extent, absent from the sentence reported.

    >>> scope_changes("She welcomed the release of all political detainees.",
    ...               "She welcomed the release of political detainees.", "")
    ['the claim says "all"; the statement says "She welcomed the release of political detainees."']
    """
    cw = set(words(claim))
    sw = set(words(sentence))
    added = sorted((cw & SCOPE_WORDS) - sw)
    if added:
        return [f'the claim says "{added[0]}"; the statement says "{sentence.strip()}"']
    return []


_NON_NAMES = frozenset({"the", "a", "an", "he", "she", "it", "they", "we", "but", "and", "in",
                        "on", "at", "as", "according", "under", "both", "that", "this", "its",
                        "his", "her", "their", "mr", "ms", "mrs", "last", "after", "before",
                        "during", "while", "when", "also", "earlier", "later", "officials",
                        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                        "sunday", "january", "february", "march", "april", "may", "june", "july",
                        "august", "september", "october", "november", "december", "secretary",
                        "state", "department", "statement", "president", "washington", "u", "s"})


def _names(text: str) -> list[tuple[str, str]]:
    """(canonical key, raw) of the capitalised words of `text` that name someone or something."""
    out = []
    for t in _canon(text):
        raw = text[t.start:t.end]
        if t.key.startswith("cc:"):
            out.append((t.key, raw))
        elif raw[:1].isupper() and t.key not in _NON_NAMES and t.key not in TITLES \
                and t.key not in FUNCTION_WORDS and not t.key.startswith(("acr:u", "date:")):
            dem = DEMONYMS.get(t.key)
            out.append((f"cc:{dem}" if dem else t.key, raw))
    return out


def _statement_names(statement: str) -> set[str]:
    keys = {k for k, _ in _names(statement)} | {t.key for t in _canon(statement)}
    keys |= {w for w in words(statement)}
    for k in list(keys):
        if k in CAPITALS:
            keys.add("cc:" + CAPITALS[k])
    return keys


def entity_changes(claim: str, statement: str, speaker: str | None = None) -> list[str]:
    """Names in the claim (outside its attribution) that the statement never names.

    >>> entity_changes("The order will cover the Donetsk and Kharkiv regions.",
    ...                "The order covers the Donetsk and Luhansk regions of Ukraine.")
    ['the claim names "Kharkiv", which the statement does not mention']
    """
    have = _statement_names(statement)
    raw_names = [n for n in re.findall(r"[A-Z][\w’'-]+", statement)]
    out = []
    for key, raw in _names(claim):
        if speaker and raw in speaker:
            continue
        if key in have or key.rstrip("s") in have or key.removesuffix("'s") in have:
            continue
        if key.startswith("cc:") and key[3:] in {c for c in CAPITALS.values()} and \
                any(CAPITALS.get(k) == key[3:] for k in have):
            continue
        if any(transliteration(raw, n) for n in raw_names):
            continue
        out.append(f'the claim names "{raw}", which the statement does not mention')
    return out


def attribution_changes(claim: str, speaker: str | None, statement: str) -> list[str]:
    """The statement presented as someone else's: "jointly", "in a joint statement" for a
    statement one party issued, or a named speaker the statement never names.

    >>> attribution_changes("Blinken and his Greek counterpart said in a joint statement that ...",
    ...                     "Blinken", "Antony J. Blinken, Secretary of State\\n\\nThe United States ...")
    ['the claim calls it joint; the statement is issued by one party']
    """
    low = claim.lower()
    st = statement.lower()
    if re.search(r"\bjoint(?:ly)?\b|\btogether with\b", low) and not re.search(
            r"\bjoint\b|\bwe, the\b|\bgovernments of\b|\btogether\b|\bco-chair|\bparticipants\b", st):
        return ["the claim calls it joint; the statement is issued by one party"]
    if speaker:
        for name in re.findall(r"\b[A-Z][a-z]{2,}\b", speaker):
            if name.lower() in _NON_NAMES or name.lower() in TITLES or name.lower() in FUNCTION_WORDS:
                continue
            if name.lower() not in st and not DEMONYMS.get(name.lower()):
                return [f'the claim gives it to "{name}", whom the statement does not name']
    return []


# -- alignment and verdicts ------------------------------------------------------------------------

def _lexical(claim: str, sentence: str) -> float:
    cw = _content(claim)
    if not cw:
        return 0.0
    return len(cw & _content(sentence)) / len(cw)


def _severity(kind: DriftKind, reasons: Sequence[str]) -> Severity:
    if kind in (DriftKind.SOFTENED, DriftKind.HARDENED) and all("no such word" not in r for r in reasons):
        return Severity.MAJOR
    return Severity.MAJOR


def judge_claim(claim: Claim, sentences: Sequence[str], statement: str, score: float) -> tuple[
        ClaimVerdict, DriftKind | None, Severity, tuple[str, ...]]:
    """Verdict, drift kind, severity and reasons for a claim against the sentence(s) it reports
    (pure: the alignment is done). The checks run in order of how surely they misinform."""
    content = claim_content(claim.text)
    matched = " ".join(sentences)
    clause = _best_clause(content, matched)
    if score < UNSUPPORTED_BELOW:
        return (ClaimVerdict.UNSUPPORTED, None, Severity.MAJOR,
                (f"no statement sentence reports it (best: \"{matched.strip()}\", score {score:.2f})",))
    checks: list[tuple[DriftKind, list[str]]] = [
        (DriftKind.NUMBER, number_changes(content, matched, statement)),
        (DriftKind.NEGATION, negation_changes(content, clause)),
        (DriftKind.ATTRIBUTION, attribution_changes(claim.text, claim.speaker, statement)),
        (DriftKind.ENTITY, entity_changes(content, statement, claim.speaker)),
        (DriftKind.MODAL, modal_changes(content, clause)),
        (DriftKind.SCOPE, scope_changes(content, matched, statement)),
    ]
    kind_i, why = intensity_changes(content, matched)
    if kind_i is not None:
        checks.append((kind_i, why))
    for kind, reasons in checks:
        if reasons:
            return ClaimVerdict.DRIFT, kind, _severity(kind, reasons), tuple(reasons)
    return (ClaimVerdict.FAITHFUL, None, Severity.NONE,
            (f'reports "{matched.strip()}" (score {score:.2f})',))


def check_claims(index: StatementIndex, text: str, quote_checks: Sequence[QuoteCheck] = (),
                 published_at: datetime | None = None, links: Sequence[str] = (),
                 embedder: Embedder | None = None) -> ClaimReport:
    """Every reported claim of the article checked, and the coverage map of its statements.

    `quote_checks` are the article's quote verdicts (compare.quote_engine.check_article): the
    statements they matched are the ones the article is about, and the paragraphs they
    matched are the quoted part of the coverage map.
    """
    quotes = [qc.quote for qc in quote_checks]
    claims = find_claims(text, quotes) if quote_checks else find_claims(text)
    quoted_urls = [qc.source for qc in quote_checks
                   if qc.source and qc.verdict is not Verdict.UNVERIFIED]
    urls = list(dict.fromkeys(
        statement_candidates(index, [c.text for c in claims], published_at, links,
                             preferred=quoted_urls)))[:MAX_STATEMENTS]
    statements = _statements(index, urls, published_at) if urls else []
    checks = _align_and_judge(claims, statements, embedder or default_embedder())
    return ClaimReport(tuple(checks), _coverage(statements, quote_checks, checks))


def _align_and_judge(claims: Sequence[Claim], statements: Sequence[_Statement],
                     embedder: Embedder) -> list[ClaimCheck]:
    sents = [s for st in statements for s in _sentences(st)]
    by_url = {st.url: st for st in statements}
    if not claims:
        return []
    if not sents:
        return [ClaimCheck(c, ClaimVerdict.UNSUPPORTED, None, Severity.MAJOR, None, None, None, "",
                           0.0, ("no statement to check it against",)) for c in claims]
    contents = [claim_content(c.text) for c in claims]
    vecs = embedder.encode([*contents, *(s.text for s in sents)])
    sim = vecs[:len(claims)] @ vecs[len(claims):].T
    out = []
    for i, c in enumerate(claims):
        lex = np.array([_lexical(contents[i], s.text) for s in sents], dtype=np.float32)
        score = (1 - LEX_WEIGHT) * sim[i] + LEX_WEIGHT * lex
        order = np.argsort(-score)
        best = int(order[0])
        chosen = [best]
        if len(order) > 1:
            second = int(order[1])
            if sents[second].url == sents[best].url and score[best] - score[second] <= SECOND_WITHIN:
                chosen.append(second)
        chosen.sort()
        top = sents[best]
        st = by_url[top.url]
        matched = [sents[j].text for j in chosen if sents[j].url == top.url]
        verdict, kind, sev, reasons = judge_claim(c, matched, st.text, float(score[best]))
        unsupported = verdict is ClaimVerdict.UNSUPPORTED
        out.append(ClaimCheck(
            c, verdict, kind, sev, top.url, top.version.id, top.version.seq,
            "" if unsupported else " ".join(matched), float(score[best]), reasons,
            () if unsupported else tuple(sorted({sents[j].paragraph for j in chosen if sents[j].url == top.url}))))
    return out


# -- coverage map ----------------------------------------------------------------------------------

def _coverage(statements: Sequence[_Statement], quote_checks: Sequence[QuoteCheck],
              checks: Sequence[ClaimCheck]) -> tuple[ParagraphCoverage, ...]:
    out = []
    for st in statements:
        quoted: set[int] = set()
        for qc in quote_checks:
            if qc.source != st.url or qc.verdict is Verdict.UNVERIFIED or not qc.matched:
                continue
            quoted |= _paragraphs_of(st.paragraphs, qc.matched)
        para = {p for c in checks if c.source == st.url and c.verdict is not ClaimVerdict.UNSUPPORTED
                for p in c.paragraphs}
        for i, p in enumerate(st.paragraphs):
            out.append(ParagraphCoverage(st.url, i, p, CoverageHow.of(i in quoted, i in para)))
    return tuple(out)


def _paragraphs_of(paragraphs: Sequence[str], passage: str) -> set[int]:
    """Paragraphs a matched passage draws on: those sharing a run of its words."""
    out = {i for i, p in enumerate(paragraphs) if passage.strip() and passage.strip() in p}
    if out:
        return out
    pw = words(passage)
    grams = {tuple(pw[k:k + 3]) for k in range(max(0, len(pw) - 2))} or {tuple(pw)}
    for i, p in enumerate(paragraphs):
        w = words(p)
        mine = {tuple(w[k:k + 3]) for k in range(max(0, len(w) - 2))} or {tuple(w)}
        if len(grams & mine) >= max(1, min(3, len(grams) // 4)):
            out.add(i)
    return out


def merge_coverage(reports: Iterable[ClaimReport]) -> tuple[ParagraphCoverage, ...]:
    """One row per (statement, paragraph) across articles: quoted if any article quoted it,
    paraphrased if any paraphrased it.

    >>> a = ClaimReport((), (ParagraphCoverage("u", 0, "p", CoverageHow.QUOTED),))
    >>> b = ClaimReport((), (ParagraphCoverage("u", 0, "p", CoverageHow.PARAPHRASED),))
    >>> [p.how.value for p in merge_coverage([a, b])]
    ['both']
    """
    seen: dict[tuple[str, int], tuple[str, bool, bool]] = {}
    for r in reports:
        for p in r.coverage:
            text, q, ph = seen.get((p.source, p.paragraph), (p.text, False, False))
            seen[(p.source, p.paragraph)] = (
                text, q or p.how in (CoverageHow.QUOTED, CoverageHow.BOTH),
                ph or p.how in (CoverageHow.PARAPHRASED, CoverageHow.BOTH))
    return tuple(ParagraphCoverage(u, i, t, CoverageHow.of(q, ph))
                 for (u, i), (t, q, ph) in sorted(seen.items()))
