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
    report = check_claims(index, doc.text, quote_checks, doc.published, doc.links, embedder=model)

`model` is the caller's loaded embedder (compare.embed.MiniLM: flows/ and the CLI make one per
process); statement sentence vectors stored with the versions are read through the index,
and the ones missing come back in `report.vectors` for the caller to store.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import simplemma

from compare.embed import DIM, Embedder, SentenceVectors, Vectors, pack, text_key, unpack
from compare.lexicon import (
    ANTONYMS,
    BACKSHIFT,
    CAPITALS,
    CLAIM_VERBS,
    CONCLUDED_ACTS,
    CONDITION_PHRASES,
    CONDITIONS,
    DEMONYMS,
    FUNCTION_WORDS,
    INTENSITY,
    MAJORITY_VOTE,
    MODAL_STRENGTH,
    NEGATIONS,
    NEGATIVE_VERBS,
    NEUTRAL_REPORTING,
    PARTIAL_WORDS,
    REPORTING_NOUNS,
    RESTRICTIVE_MODIFIERS,
    SCHEDULED_ACTS,
    SCOPE_WORDS,
    SEATS_OF_GOVERNMENT,
    SENTENCE_QUANTIFIERS,
    STANCE_ACTS,
    STANDING_IN,
    TENTATIVE_ACTS,
    TITLES,
    UNANIMITY,
)
from compare.pressstyle import canonical, transliteration
from compare.quote_engine import IndexedVersion, StatementIndex, statement_candidates
from compare.quotecheck import QuoteCheck
from compare.quotes import OTHER_CUES, Quote, extract_quotes, sentence_spans
from compare.textnorm import Token, fold, tokenize, us_spelling
from compare.textnorm import words as _split_words
from compare.vocab import ClaimVerdict, CoverageHow, DriftKind, Severity, Verdict

# -- thresholds (tuned on ../shared/data/coverage-dev, bench/claims_dev.py) -----------------
UNSUPPORTED_BELOW = 0.42  # best combined score under this: no statement sentence says it
SECOND_WITHIN = 0.08  # a second sentence this close to the best is reported too
MIN_CLAIM_WORDS = 6
MAX_STATEMENTS = 3  # statements a claim is aligned against (the article's, best first)
CLAUSE_WORDS = 25
LEXICAL_TOP = 4  # sentences this long are also split into clauses for alignment
LEXICAL_FLOOR = 3  # candidates share at least 1/this of the best candidate's shared words
COPY_SHARE = 0.9  # a claim with this share of its content words in one sentence copies it
COPY_MIN_WORDS = 6
LEX_WEIGHT = 0.35  # share of the alignment score that comes from shared content words
LOOSE = 0.6  # under this score a claim reports its sentence loosely: what it adds is judged
NOVEL_UNSUPPORTED = 0.7  # share of content words the statement never uses: says something else
NOVEL_DRIFT = 0.4  # ... adds enough to change what the statement says
ENTITY_LOOSE = 0.5  # a new name under this score, with many new words, is a new story
RESCUE_FLOOR = 0.25  # a sentence this close may still show a changed figure or polarity
ACT_WORDS = 2  # content words a claim's act shares with the one sentence that reports it
SLOT_WORDS = 4  # a name replaced by a name within this many words stands in the same place
NAME_WORDS = 3  # forenames (and a quoted nickname) a title may stand before a surname with
ACT_REACH = 4  # words after the actor that may be its act ("has not yet formally signed")


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
    # Statement sentence vectors this check had to compute (none stored: a version stored
    # before vectors were, or another model): the caller may store them for the next check.
    vectors: SentenceVectors | None = None

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
# Speakers besides OTHER_CUES' whose words are not the statement's: groups, agencies, the other
# side's government ("the military government has said ...").
OTHER_SPEAKERS = re.compile(r"\b(?:groups|organi[sz]ations?|ngos?|agencies|charities|unions?|police|"
                            r"military government|junta|kremlin|ministry|spokesperson for|militants?)\b", re.I)
# "SUVA —", "SEOUL, Nov 3 —", and with the agency: "WASHINGTON (Reuters) —".
_DATELINE = re.compile(r"^[A-Z][A-Z .'’\-]{2,40}(?:,[^—–\n]{0,60})?(?:\s\([^()\n]{1,40}\))?\s[—–-]{1,2}\s+")
_BYLINE = re.compile(r"^(?:By|From|Reporting by|Editing by)\b(?![^,\n]{1,60}?['’]s?\s+(?:own\s+)?account,)|^\W*$")
_ATTRIB_TAIL = re.compile(r",\s*(?:according to\b[^,]*|(?:the|a|an)\s[^,]{0,60}?\b(?:said|says|added|stated)|"
                          r"[^,]{0,40}?\b(?:said|says|added|stated))\s*[.!?]?$", re.I)
_ATTRIB_HEAD = re.compile(r"^(?:(?:But|And|Also|However|Meanwhile),?\s+)?(?:according to\s[^,]{1,80},\s*|"
                          # "By Blinken's account, ...", "In the minister's words, ...": an
                          # attribution as "according to" is, with the speaker as a possessive.
                          r"(?:by|in)\s(?P<acc>[^,]{1,60}?)['’]s?\s+(?:own\s+)?(?:account|words|telling),\s*|"
                          r"(?P<sp>[^,;:]{1,80}?)\s+(?:\w+ly\s+|also\s+|further\s+)?"
                          r"(?:said|says|stated|added|noted|stressed|warned|told \w+|declared|insisted|"
                          r"argued|wrote|emphasi[sz]ed|reiterated|announced)(?:\s+that)?\s+)", re.I)


# "X issued a statement on Y." tells that a statement exists and what it is about, not what it
# says: the sentence introduces the claims that follow and reports none itself.
_ISSUED_ONLY = re.compile(
    r"\b(?:issued|released|put out|published|sent out)\s+(?:a|an|its|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|readout|communiqu[eé]|declaration)(?P<rest>\s+(?:on|about|regarding|concerning|over)\b[^;:]*)?"
    r"[.!]?$", re.I)


def issued_only(sentence: str) -> bool:
    """A sentence that reports only that a statement was issued (and its topic).

    >>> issued_only("The State Department this week put out a short statement on Sudan's stalled transition.")
    True
    >>> issued_only("Blinken issued a statement on Thursday condemning the attack.")
    False
    >>> issued_only("The statement on Sudan said the talks had stalled.")
    False
    """
    m = _ISSUED_ONLY.search(sentence.strip())
    if m is None:
        return False
    rest = m.group("rest") or ""
    # A that-clause, a participle ("condemning the attack") or a reporting verb in the rest
    # says what the statement said.
    return not re.search(r"\bthat\b|\b\w+ing\b", rest, re.I) and CLAIM_VERB.search(rest) is None


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
    lead = _ATTRIB_HEAD.match(sentence)
    account = lead.group("acc") if lead else None
    if verb is None and noun is None and account is None:
        return None
    if issued_only(sentence):
        return None
    if account is not None and OTHER_CUES.search(account) and not ISSUER_SUBJECT.search(account):
        return None  # "By analysts' account" is not the statement
    speaker = _speaker(sentence)
    subject_zone = sentence[:verb.start()] if verb else sentence
    accord = re.search(r"according to ([^,.;]{1,80})", sentence, re.I)
    if accord and OTHER_CUES.search(accord.group(1)) and not ISSUER_SUBJECT.search(accord.group(1)):
        return None  # "according to United Nations officials" is not the statement
    zone = subject_zone[-80:]
    if verb is not None and OTHER_SPEAKERS.search(zone):
        return None  # "Aid groups said ...", "The military government has said ..."
    if verb is not None and OTHER_CUES.search(zone) and not ISSUER_SUBJECT.search(zone):
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
    if m and m.group("acc"):
        return m.group("acc").strip()
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
    >>> claim_content("By Blinken’s account, the network had moved oil worth billions.")
    'the network had moved oil worth billions.'
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
    paragraphs: tuple[int, ...] = ()  # every paragraph it runs over (a stray break inside it)


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
        paras = paragraphs_of([texts.get(b, "") for b in v.blocks], v.seps)
        out.append(_Statement(u, v, paras, "\n\n".join(paras)))
    return out


def paragraphs_of(blocks: Sequence[str], seps: Sequence[str]) -> tuple[str, ...]:
    """A version's paragraphs from its indexed blocks and the whitespace after each (a
    separator with a line break ends a paragraph): the text claims are aligned against.

    >>> paragraphs_of(["A b.", "C d.", "E."], [" ", "\\n\\n", ""])
    ('A b. C d.', 'E.')
    """
    paras: list[str] = []
    cur = ""
    for text, sep in zip(blocks, seps, strict=True):
        cur += text
        if "\n" in sep:
            paras.append(cur)
            cur = ""
        else:
            cur += sep
    if cur:
        paras.append(cur)
    return tuple(paras)


def statement_units(paragraphs: Sequence[str]) -> list[str]:
    """The texts of a statement version that alignment may embed: its body sentences and the
    clauses of its long ones. The pipeline embeds them when it stores the version (outside
    the write lock), so that checking an article reads them instead of running the model."""
    out: list[str] = []
    for s in _sentence_texts(tuple(paragraphs)):
        out.append(s)
        if len(s.split()) >= CLAUSE_WORDS:
            pieces = _clauses(s)
            if len(pieces) > 1:
                out.extend(pieces)
    return list(dict.fromkeys(out))


def is_body(paragraph: str) -> bool:
    """A paragraph that says something: not the title, the byline ("Antony J. Blinken,
    Secretary of State") or a framing line ("Begin text:"), which have no sentence end and
    few words.

    >>> is_body("Antony J. Blinken, Secretary of State"), is_body("We condemn the attack.")
    (False, True)
    """
    p = paragraph.strip()
    return len(p.split()) >= 30 or re.search(r"[.!?][\"”’»)]*$", p) is not None and len(p.split()) >= 4


def _sentences(st: _Statement) -> list[_Sentence]:
    """The statement's body sentences."""
    return [_Sentence(st.url, st.version, paras[0], text, paras) for text, paras in _sentence_spans(st.paragraphs)]


def _sentence_texts(paragraphs: tuple[str, ...]) -> list[str]:
    return [text for text, _ in _sentence_spans(paragraphs)]


@lru_cache(maxsize=256)  # a statement's sentences, asked for by every article reporting it
def _sentence_spans(paragraphs: tuple[str, ...]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(text, paragraphs it runs over) per body sentence. A paragraph that stops mid-sentence
    (no end mark) and a next one that goes on in lower case are one text: a stray break
    ("They expressed concern / about provocative actions") must not cut the sentence a claim
    reports."""
    groups: list[list[int]] = []
    for i, p in enumerate(paragraphs):
        prev = paragraphs[groups[-1][-1]].rstrip() if groups else ""
        if groups and groups[-1][-1] == i - 1 and prev and prev[-1] not in ".!?:;\"”’)" \
                and p.lstrip()[:1].islower():
            groups[-1].append(i)
        else:
            groups.append([i])
    out = []
    for g in groups:
        text = " ".join(paragraphs[i].strip() for i in g)
        if not is_body(text):
            continue
        starts = []
        at = 0
        for i in g:
            starts.append(at)
            at += len(paragraphs[i].strip()) + 1
        for a, b in sentence_spans(text):
            paras = tuple(i for i, s0 in zip(g, starts, strict=True)
                          if s0 < b and s0 + len(paragraphs[i].strip()) > a)
            out.append((text[a:b], paras))
    return tuple(out)


# -- checks (pure; each returns reasons, empty when the claim holds) ---------------------------

@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Dictionary form of a lower-case word ("ended" -> "end", "condemns" -> "condemn")."""
    return str(simplemma.lemmatize(word, lang="en")).lower()


@lru_cache(maxsize=65536)  # each statement sentence is split for every claim set against it
def _words_cached(text: str) -> tuple[str, ...]:
    return tuple(_split_words(text))


def words(text: str) -> list[str]:
    """compare.textnorm.words, remembered per text within the process."""
    return list(_words_cached(text))


@lru_cache(maxsize=4096)  # a whole statement's lemmas, asked for by every claim on it
def _lemmas(text: str) -> frozenset[str]:
    return frozenset(lemma(w) for w in words(text))


@lru_cache(maxsize=4096)  # the same statement sentences are set against every claim
def _canon_cached(text: str) -> tuple[Token, ...]:
    return tuple(canonical(tokenize(text), text))


def _canon(text: str) -> list[Token]:
    return list(_canon_cached(text))


# Magnitudes written as words: "billions of dollars" for "hundreds of millions of dollars".
_MAGNITUDES = frozenset({"dozens", "hundreds", "thousands", "millions", "billions", "trillions"})


def _numbers(toks: Sequence[Token]) -> list[Token]:
    return [t for t in toks if t.key[:1].isdigit() or t.key.startswith(("ord:", "date:")) or t.key in _MAGNITUDES]


_APPROX_UP = frozenset({"more", "over", "least", "exceeding", "above"})
_APPROX_DOWN = frozenset({"close", "nearly", "almost", "under", "less", "fewer", "below", "up"})


def _number_context(text: str, tok: Token, toks: Sequence[Token]) -> set[str]:
    """Lemmas around a figure that say what it counts: "$", "million", "passengers", "more"."""
    i = toks.index(tok)
    near = [t.key for t in toks[max(0, i - 3):i]] + [t.key for t in toks[i + 1:i + 3]]
    return {lemma(k) for k in near if k not in ("the", "of", "a", "an", "and", "in", "to", "by")
            and not k[:1].isdigit()}


def number_changes(claim: str, matched: str, statement: str) -> list[str]:
    """Figures of the claim that the statement does not give, where a figure of the sentence it
    reports counts the same thing (the same unit, scale or currency around it): "four
    activists" for a list of four names, or "ten other countries" beside a date, is no change.

    >>> number_changes("He said 70,000 people were displaced.",
    ...                "The regime displaced more than 700,000 people.", "")
    ['the claim says "70,000" where the statement says "700,000"']
    >>> number_changes("He named four activists.", "It named Ko Jimmy and Hla Myo Aung on 2 June.", "")
    []
    >>> number_changes("They committed $18 million over five years.",
    ...                "The partners committed $80 million over five years.", "")
    ['the claim says "18" where the statement says "80"']
    """
    c_toks, s_toks = _canon(claim), _canon(matched)
    src_nums = _numbers(s_toks)
    if not src_nums:
        return []
    have = _statement_numbers(statement) | {t.key for t in src_nums}
    said = {t.key for t in _numbers(c_toks)}
    out = []
    for t in _numbers(c_toks):
        ctx = _number_context(claim, t, c_toks)
        if t.key in have:
            # The same figure with its bound turned round: "more than $60 million" for
            # "close to $60 million".
            for sn in src_nums:
                sctx = _number_context(matched, sn, s_toks)
                if sn.key == t.key and ((ctx & _APPROX_UP and sctx & _APPROX_DOWN)
                                        or (ctx & _APPROX_DOWN and sctx & _APPROX_UP)):
                    out.append(f'the claim says "{_around(claim, t)}" where the statement says "{_around(matched, sn)}"')
            continue
        if _year_like(t.key, have):
            continue
        same = [sn for sn in src_nums if ctx & _number_context(matched, sn, s_toks)]
        # A figure both texts give ("five years" in each) is not the counterpart that
        # changed; it is named only when nothing else counts the same thing.
        same = [sn for sn in same if sn.key not in said] or same
        if same:
            theirs = ", ".join(f'"{matched[sn.start:sn.end]}"' for sn in same[:3])
            out.append(f'the claim says "{claim[t.start:t.end]}" where the statement says {theirs}')
    return out


@lru_cache(maxsize=64)
def _statement_numbers(statement: str) -> frozenset[str]:
    return frozenset(t.key for t in _numbers(_canon(statement)))


_ITEM = r"(?:[^,;.]|\.(?=\S))"  # "U.S. Agency" keeps its points
_LIST = re.compile(rf"(?:(?:the\s+)?[A-Z]{_ITEM}{{0,120}}?,\s+){{2,}}(?:and\s+)?(?:the\s+)?[A-Z]{_ITEM}{{0,120}}?"
                   r"(?=\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)?\b|[,.;]|$)")
_COUNT = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+(other\s+)?"
                    r"(?:[\w.-]+\s+){0,4}?(?:officials|countries|governments|bodies|agencies|nations|"
                    r"members|states|leaders|activists|people|men|women|ministers|organizations|groups|"
                    r"partners|participants|entities|individuals|companies|vessels|persons)\b", re.I)


def count_changes(claim: str, sentence: str) -> list[str]:
    """A count the claim gives of what the sentence lists by name: "four officials" for three
    named officials ("ten other countries" beside the three it names counts the rest).

    >>> count_changes("The delegation was led by four officials.",
    ...               "Director Kemp Chester, Secretary Jorgan Andrews, and Attorney General Jennifer Hodge led it.")
    ['the claim counts "four" where the statement lists 3: "Director Kemp Chester, Secretary Jorgan Andrews, and Attorney General Jennifer Hodge"']
    >>> count_changes("It executed four activists.", "It executed Ko Jimmy, Phyo Zeya Thaw, Hla Myo Aung, and Aung Thura Zaw.")
    []
    >>> count_changes("It executed four activists.", "It condemns the executions of activists and "
    ...               "elected leaders Ko Jimmy, Phyo Zeya Thaw, Hla Myo Aung, and Aung Thura Zaw.")
    []
    >>> count_changes("It named four.", "It named Ko Jimmy, Phyo Zeya Thaw, Hla Myo Aung and Aung Thura Zaw.")
    []
    """
    lists = [m.group(0) for m in _LIST.finditer(sentence)]
    if not lists:
        return []
    items_text = max(lists, key=len)
    # Commas separate the items; a bare "and" only the last two ("A, B and C"): an "and"
    # inside an earlier item ("activists and elected leaders Ko Jimmy", "Narcotics and Law
    # Enforcement Affairs") is part of its name or description.
    items = [x.strip() for x in re.split(r",\s*(?:and\s+)?", items_text) if x.strip()]
    if items and not re.search(r",\s*and\s", items_text):
        items[-1:] = [x.strip() for x in re.split(r"\s+and\s+", items[-1]) if x.strip()]
    if len(items) < 3:
        return []
    out = []
    for m in _COUNT.finditer(claim):
        n_raw = m.group(1).lower()
        n = int(n_raw) if n_raw.isdigit() else int(_canon(n_raw)[0].key) if _canon(n_raw) else 0
        expected = len(items)
        if m.group(2):  # "ten other countries": besides those the claim names from the list
            mine = set(words(claim))
            named = sum(1 for it in items if (runs := _names(it))
                        and all(w in mine for _, raw in runs[-1] for w in words(raw) if w != "the"))
            expected -= named
        if n and n != expected and str(n) not in {t.key for t in _numbers(_canon(sentence))}:
            out.append(f'the claim counts "{m.group(1)}" where the statement lists {expected}: "{items_text}"')
    return out


def _around(text: str, tok: Token) -> str:
    """A figure with the two words before it ("close to $60")."""
    head = text[:tok.start].split()[-2:]
    return " ".join([*head, text[tok.start:tok.end]])


def _year_like(key: str, have: set[str] | frozenset[str]) -> bool:
    # A year the claim adds for context ("the 2021 coup") when the statement names the event
    # by month: only 4-digit years between 1900 and 2100 that the statement's dates imply.
    return key.isdigit() and len(key) == 4 and 1900 <= int(key) <= 2100 and any(h.startswith("date:") for h in have)


def _clauses(sentence: str) -> list[str]:
    parts = re.split(r";|:|,\s+(?:and|but|while|whereas)\s+|\s+but\s+|,\s+(?=which\b)|"
                     r",\s+(?=(?:we|they|it|he|she|the|this|these|its|their)\s)", sentence)
    return [p for p in parts if len(p.split()) >= 3] or [sentence]


_SUFFIX = re.compile(r"(?:ingly|edly|ly|ing|ed|ions?|ness|ments?|ances?|ences?|ity|es|s)$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem across parts of speech: "firmly"/"firm", "responding"/"response" (the
    lemma keeps them apart), at most six letters.

    >>> stem("firmly") == stem("firm"), stem("responding") == stem("response")
    (True, True)
    """
    w = lemma(us_spelling(word))
    if len(w) > 5:
        w = _SUFFIX.sub("", w) or w
    return w[:6] if len(w) > 6 else w


@lru_cache(maxsize=8192)
def _content_cached(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text) if w not in FUNCTION_WORDS and w not in NEGATIONS and len(w) > 2)


def _plain_content(text: str) -> set[str]:
    """Content stems of the words written in lower case: what is said, not who is named."""
    return {stem(w.lower()) for w in re.findall(r"\b[a-z][a-z'’-]+", fold(text))
            if w not in FUNCTION_WORDS and w not in NEGATIONS and len(w) > 2}


def _content(text: str) -> frozenset[str]:
    """Stems of the content words, US spelling ("authorised" and "authorizing" are one).
    The remembered set itself, not a copy (frozen: shared by every caller): the alignment
    and the checks set a statement's 200 sentences against each claim."""
    return _content_cached(text)


def _best_clause(claim: str, sentence: str) -> str:
    cw = _content(claim)
    return max(_clauses(sentence), key=lambda c: len(cw & _content(c)) / (1 + 0.02 * len(c.split())))


def _polarity_words(text: str) -> list[str]:
    ws = words(text)
    # "without delay", "without conditions": manner, not polarity; "no longer" flips.
    # "not just", "not only" add, they do not deny. "failed to get" denies like "did not
    # get", "stopped short of calling" like "did not call" (NEGATIVE_VERBS).
    out = [w for i, w in enumerate(ws) if w in NEGATIONS and w != "without"
           and not (w == "not" and i + 1 < len(ws) and ws[i + 1] in ("just", "only", "merely"))]
    out += [w for i, w in enumerate(ws) if w in NEGATIVE_VERBS and i + 1 < len(ws) and ws[i + 1] in ("to", "short")]
    return out


def _about(text: str, other: AbstractSet[str]) -> list[str]:
    """The negators of `text` whose scope (the five words after) holds a word of the other
    text: "risk not being able to use the apps" denies nothing a claim about deleting the app
    says; "no political detainees had been freed" denies what "the release of political
    detainees" states."""
    ws = words(text)
    keep = set(_polarity_words(text))
    out = []
    for i, w in enumerate(ws):
        if w in keep and {stem(x) for x in ws[i + 1:i + 6] if x not in FUNCTION_WORDS} & other:
            out.append(w)
    return out


def negation_changes(claim: str, clause: str) -> list[str]:
    """A negation added or dropped, or a predicate turned into its opposite.

    >>> negation_changes("It said the order will not allow aid to continue.",
    ...                  "The order will allow humanitarian activity to continue.")
    ['the claim says "not" where the statement has no negation: "The order will allow humanitarian activity to continue."']
    >>> negation_changes("Aid work will have to stop.", "It will allow humanitarian activity to continue.")
    ['the claim says "stop" where the statement says "allow"']
    """
    cn, sn = _about(claim, _content(clause)), _about(clause, _content(claim))
    if (len(cn) % 2) != (len(sn) % 2):
        if cn:
            return [f'the claim says "{cn[0]}" where the statement has no negation: "{clause.strip()}"']
        return [f'the statement says "{sn[0]}" ("{clause.strip()}") where the claim has no negation']
    cw, sw = set(words(claim)), set(words(clause))
    cl, sl = {lemma(w) for w in cw}, {lemma(w) for w in sw}
    for pos, neg in ANTONYMS:
        for a_set, b_set in ((pos, neg), (neg, pos)):
            mine = {w for w in cw & a_set if lemma(w) not in sl}
            theirs = {w for w in sw & b_set if lemma(w) not in cl}
            if mine and theirs and not (cw & b_set):
                return [f'the claim says "{sorted(mine)[0]}" where the statement says "{sorted(theirs)[0]}"']
    return []


_MONTH_MAY = re.compile(r"\b(?:(?i:in|of|since|until|by|early|late|mid|last|next|this)\s+May\b|May\s+\d)")


def _modal_level(text: str) -> tuple[int, str]:
    best = (0, "")
    for w in words(_MONTH_MAY.sub(" ", text)):
        m = BACKSHIFT.get(w, w)
        if m in MODAL_STRENGTH:
            lvl = MODAL_STRENGTH[m]
            if best[1] == "" or lvl < best[0]:
                best = (lvl, w)  # the weakest modal decides how committed the sentence is
    return best


def modal_changes(claim: str, clause: str, sentence: str = "") -> list[str]:
    """A commitment weakened into a possibility, or a possibility strengthened.

    Reported speech shifts "will" to "would" and "can" to "could": not a change.

    >>> modal_changes("He said Washington may continue to supply arms.", "We will continue to provide arms.")
    ['the claim says "may" where the statement says "will"']
    >>> modal_changes("He said Washington would continue to supply arms.", "We will continue to provide arms.")
    []
    """
    cl, cw = _modal_level(claim)
    sl, sw = _modal_level(clause)
    if cw and BACKSHIFT.get(cw, cw) in {BACKSHIFT.get(w, w) for w in words(sentence or clause)}:
        return []  # the sentence has that modal, in another clause than the one picked
    if cw and cl == 1 and (sl >= 2 or sl == 0):
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


# Strong words that qualify a noun rather than the stance ("full investigation", "essential
# element"): dropping them is shortening, not softening.
_WEAK_STRONG = frozenset({"full", "essential", "immediate", "immediately", "impose", "imposed",
                          "deeply", "require", "requires", "required", "must"})


def _next_content(ws: Sequence[str], word: str) -> set[str]:
    """Stems of the first content word after each `word` in `ws` (the noun it qualifies)."""
    out: set[str] = set()
    for i, w in enumerate(ws):
        if w == word:
            nxt = [x for x in ws[i + 1:i + 3] if x not in FUNCTION_WORDS]
            if nxt:
                out.add(stem(nxt[0]))
    return out


def intensity_changes(claim: str, sentence: str, statement: str = "") -> tuple[DriftKind | None, list[str]]:
    """Stance reported weaker (softened) or stronger (hardened) than the statement's.

    Only words of the claim that the statement does not have count: "welcomed" for "welcome"
    changes nothing, "worth looking into" for "deeply concerning" does.

    >>> intensity_changes("He said the reports were worth looking into.",
    ...                   "The reports are deeply concerning and require full investigation.")
    (<DriftKind.SOFTENED: 'softened'>, ['the claim says "worth" where the statement says "deeply"'])
    >>> intensity_changes("She demanded that the military hand over power.",
    ...                   "She underscored the need for the military to transfer power.")
    (<DriftKind.HARDENED: 'hardened'>, ['the claim says "demanded" where the statement says "underscored"'])
    """
    cw, sw = words(claim), words(sentence)
    cl, sl = {lemma(w) for w in cw}, {lemma(w) for w in sw}
    mine = [(INTENSITY[w], w) for w in cw if w in INTENSITY and lemma(w) not in sl]
    theirs = [(INTENSITY[w], w) for w in sw if w in INTENSITY and lemma(w) not in cl]
    if "without" in cw and "delay" in cw and "delay" not in sw:
        mine.append((2, "without delay"))
    s_max = max((INTENSITY[w] for w in sw if w in INTENSITY), default=0)
    whole = _lemmas(statement) if statement else sl
    strong = [m for m in mine if m[0] >= 2 and lemma(m[1]) not in whole]
    if strong and s_max < 2:
        said = max(theirs)[1] if theirs else ""
        return DriftKind.HARDENED, [f'the claim says "{strong[0][1]}" where the statement says "{said}"' if said
                                    else f'the claim says "{strong[0][1]}"; the statement has no such word: "{sentence.strip()}"']
    weak = [m for m in mine if m[0] < 0]
    lost = [t for t in theirs if t[0] >= 1]
    if weak and lost:
        return DriftKind.SOFTENED, [f'the claim says "{weak[0][1]}" where the statement says "{lost[0][1]}"']
    c_max = max((INTENSITY[w] for w in cw if w in INTENSITY), default=0)
    # A strong word dropped from the very phrase the claim reports ("ironclad commitments" ->
    # "commitments"), not from another clause of the sentence.
    claim_stems = _content(claim)
    dropped = [t for t in theirs if t[0] >= 2 and t[1] not in _WEAK_STRONG
               and _next_content(sw, t[1]) & claim_stems]
    if dropped and c_max < 2 and s_max >= 2 and all(t[0] < 2 or t[1] in _WEAK_STRONG or t in dropped for t in theirs):
        return DriftKind.SOFTENED, [f'the claim drops "{dropped[0][1]}" and keeps no word as strong: '
                                    f'"{sentence.strip()}"']
    return None, []


# "once" as a trigger ("once power is transferred"), not "once again", "once more" (a repeat).
_CONDITION = re.compile(r"\b(?:until|unless|once(?!\s+(?:again|more)\b)|as soon as|provided that|on condition that|"
                        + "|".join(map(re.escape, CONDITION_PHRASES)) + r")\b", re.I)


def condition_changes(claim: str, sentence: str) -> list[str]:
    """A condition the statement does not set: "will resume as soon as the military transfers
    power" for "the need for the military to transfer power ... to enable the resumption", "will
    keep arming Ukraine until Russian forces had been driven out" for "for as long as it takes":
    the claim makes a promise with a trigger (or an end) out of a need or an open commitment.

    >>> condition_changes("Aid will resume as soon as the military transfers power.",
    ...                   "She underscored the need for the military to transfer power to enable the resumption of aid.")
    ['the claim sets a condition ("as soon as the military transfers power") the statement does not: "She underscored the need for the military to transfer power to enable the resumption of aid."']
    >>> condition_changes("Aid will resume once power is transferred.", "Aid will resume once power is transferred.")
    []
    >>> condition_changes("The waiver runs until December 31, 2021.", "The waiver is temporary.")
    []
    """
    m = _CONDITION.search(claim)
    if m is None or _CONDITION.search(sentence) or any(w in CONDITIONS for w in words(sentence)) \
            or re.search(r"\bas long as\b", sentence, re.I):
        return []
    if m.group(0).lower() == "until" and _WHEN.match(claim[m.end():].strip()):
        return []  # "until December 31", "until 2024": a date, not a condition
    said = " ".join(claim[m.start():].split()[:8]).rstrip(".,;")
    return [f'the claim sets a condition ("{said}") the statement does not: "{sentence.strip()}"']


def concluded_changes(claim: str, sentence: str) -> list[str]:
    """A proposal, a discussion or a study reported as a deal done: the claim's own act is a
    concluding one ("signed", "agreed", "decided") where the sentence only puts it on the
    table ("proposed", "discussed", "explored") and concludes nothing. The claim's act, not
    any of its words: "abuses committed by", "the agreement signed last year" describe
    something else, and "has not yet finalized" concludes nothing.

    >>> concluded_changes("The ministers signed a pact on fishing quotas.",
    ...                   "The ministers explored a joint approach to fishing quotas.")
    ['the claim says "signed" where the statement says "explored"']
    >>> concluded_changes("They agreed to pool funds.", "They discussed and agreed to pool funds.")
    []
    >>> concluded_changes("They have not yet finalized the plan.", "They discussed the plan.")
    []
    """
    actor = _actor(claim)
    done = _act_word(claim, actor)
    if done is None or lemma(done.group(0).lower()) not in CONCLUDED_ACTS:
        return []
    if set(words(claim[len(actor):done.start()])) & NEGATIONS or re.search(r"\byet\b", claim[:done.start()], re.I):
        return []  # "has not yet finalized": nothing concluded
    if re.match(r"[^,;]*\b(?:is|are|was|were|has|have|had|will|would)\b", claim[done.end():]):
        return []  # "The agreement signed last year was discussed": a participle, not the act
    said = {lemma(w) for w in words(sentence)}
    # The sentence's tentative act may be any of its verbs ("highlighted efforts and
    # proposed to share"): its concluding word, if any, rules it out.
    tentative = [w for w in words(sentence) if lemma(w) in TENTATIVE_ACTS]
    if not tentative or said & CONCLUDED_ACTS:
        return []
    return [f'the claim says "{done.group(0)}" where the statement says "{tentative[0]}"']


def scope_changes(claim: str, sentence: str, statement: str) -> list[str]:
    """A word that widens or fixes the extent, absent from the sentence reported.

    >>> scope_changes("She welcomed the release of all political detainees.",
    ...               "She welcomed the release of political detainees.", "")
    ['the claim says "all"; the statement says "She welcomed the release of political detainees."']
    >>> scope_changes("Any local company found polluting loses its licence.",
    ...               "Listed companies of the local region found polluting lose their licence.", "")
    ['the claim says "any"; the statement says "Listed companies of the local region found polluting lose their licence."']
    """
    cw = set(words(claim))
    sw = set(words(sentence))
    added = sorted((cw & SCOPE_WORDS) - sw - {"any"})
    # "any weapons" for "the arms" widens; "any democratic society" for "a democratic
    # society", "any violations" for "violations", is the same generic reading.
    cws = words(claim)
    sws = words(sentence)
    # The nouns the sentence restricts to a chosen set ("designated officials").
    restricted = {stem(sws[k + 1]) for k in range(len(sws) - 1) if sws[k] in RESTRICTIVE_MODIFIERS}
    for i, w in enumerate(cws[:-1]):
        if w == "any" and "any" not in sw and (stem(cws[i + 1]) not in _content(sentence)
                                               or {stem(x) for x in cws[i + 1:i + 4]} & restricted):
            added.append("any")
            break
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


# The issuer's side of a State Department statement, however the press names it: a statement
# that never writes "the United States" is still the United States speaking.
ISSUER_NAMES = frozenset({"cc:USA", "acr:us", "america", "washington", "pentagon",
                          "administration"})


def _name_key(key: str) -> str:
    """A name's key, a country's capital, seat of government or nationality as the country
    ("Moscow", "the Kremlin", "Russian" -> "cc:RUS")."""
    if key in CAPITALS:
        return "cc:" + CAPITALS[key]
    if key in SEATS_OF_GOVERNMENT:
        return "cc:" + SEATS_OF_GOVERNMENT[key]
    dem = DEMONYMS.get(key)
    return f"cc:{dem}" if dem else key


def _is_name(t: Token, raw: str, opens: bool) -> bool:
    """A token that names someone or something (`opens`: it begins its sentence)."""
    return t.key.startswith("cc:") or (
        raw[:1].isupper() and t.key not in _NON_NAMES and t.key not in TITLES
        and t.key not in FUNCTION_WORDS and not t.key.startswith(("acr:u", "date:"))
        and not (opens and t.key in SENTENCE_QUANTIFIERS))


@lru_cache(maxsize=4096)  # the same statement sentences are set against every claim
def _name_keys(text: str) -> tuple[str | None, ...]:
    """Per token of `_canon(text)`, its name key (see `_name_key`) or None: not a name."""
    out: list[str | None] = []
    prev = -1
    for t in _canon(text):
        out.append(_name_key(t.key) if _is_name(t, text[t.start:t.end], t.sentence != prev) else None)
        prev = t.sentence
    return tuple(out)


def _acronym(raw: str) -> bool:
    """ "IRGC-QF’s", "FBI": initials, which spell out a name the other text may write in full."""
    core = re.sub(r"['’]s$", "", raw)
    return len(core) >= 2 and core.replace("-", "").isupper()


def _country(key: str) -> bool:
    """A name key that stands for a country: its name, capital, nationality or seat of
    government (all "cc:" keys, see `_name_key`)."""
    return key.startswith("cc:")


def swapped_names(claim: str, sentence: str) -> list[str]:
    """A name in the claim standing where its sentence has another name ("Chile's deputy
    foreign minister" for "Peruvian Foreign Minister Rivas"): the same act or office
    given to someone else, even when the statement names the claim's one elsewhere (which is
    why `entity_changes`, asking only whether the statement knows a name, lets it pass).
    Claim and sentence are aligned token by token; a name replacing a name in the same place,
    that the sentence does not know in any spelling, is swapped.

    >>> swapped_names("He welcomed the Chilean minister as envoy.", "I welcomed the Peruvian minister as envoy.")
    ['the claim has "Chilean" where the statement says "Peruvian": "I welcomed the Peruvian minister as envoy."']
    >>> swapped_names("He welcomed Burma's minister as envoy.", "I welcomed Myanmar's minister as envoy.")
    []
    """
    a, b = _canon(claim), _canon(sentence)
    na, nb = _name_keys(claim), _name_keys(sentence)
    have = _statement_names(sentence)
    prefixes = _name_prefixes(have)
    raw_b = [sentence[t.start:t.end] for t in b]
    if all(not k or k in ISSUER_NAMES or _known(k, claim[t.start:t.end], have, prefixes) for t, k in zip(a, na, strict=True)):
        return []  # every name of the claim is the sentence's own: nothing to align
    sm = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > SLOT_WORDS or j2 - j1 > SLOT_WORDS:
            continue
        if i1 == 0 and not (na[0] or "").startswith("cc:"):
            continue  # a capitalised word opening the claim may be no name ("National agency")
        if i1 > 0 and na[i1 - 1] and na[i1] or i2 < len(na) and na[i2] and na[i2 - 1]:
            continue  # part of a longer name the sentence shares ("Caribbean Sea", "Law of the Sea")
        mine = [(k, claim[t.start:t.end]) for t, k in zip(a[i1:i2], na[i1:i2], strict=True)
                if k and k not in ISSUER_NAMES]
        theirs = [sentence[t.start:t.end] for t, k in zip(b[j1:j2], nb[j1:j2], strict=True)
                  if k and k not in ISSUER_NAMES]
        if not {_country(k) for k in na[i1:i2] if k} & {_country(k) for k in nb[j1:j2] if k}:
            continue  # a leader or a city for its country ("Putin's war" for "Russia's war"): metonymy
        mine = [(k, raw) for k, raw in mine if not _known(k, raw, have, prefixes)
                and not any(transliteration(raw, r) for r in raw_b)]
        if any(_acronym(raw) for raw in theirs) or any(_acronym(raw) for _, raw in mine):
            continue  # "Revolutionary Guards" for "IRGC": a name spelled out, or shortened
        if mine and theirs:
            said = " ".join(raw for _, raw in mine)
            return [f'the claim has "{said}" where the statement says "{" ".join(theirs)}": '
                    f'"{sentence.strip()}"']
    return []


_RUN_TITLES = TITLES | {"president", "secretary"}  # a title inside a run of names


def _names(text: str) -> list[list[tuple[str, str]]]:
    """Runs of capitalised words of `text` that name someone or something, as
    (canonical key, raw) pairs: "Vladimir Putin" is one run, "Donetsk and Kharkiv" two."""
    runs: list[list[tuple[str, str]]] = []
    prev_end = -1
    prev_sentence = -1
    for t in _canon(text):
        raw = text[t.start:t.end]
        opens, prev_sentence = t.sentence != prev_sentence, t.sentence
        named = _is_name(t, raw, opens)
        if not named:
            if raw[:1].isupper() and t.key in _RUN_TITLES and runs and prev_end >= 0:
                prev_end = t.end  # "Russian President Vladimir Putin" is one run
            else:
                prev_end = -1
            continue
        item = (_name_key(t.key), raw)
        if runs and prev_end >= 0 and text[prev_end:t.start].strip() == "":
            runs[-1].append(item)
        else:
            runs.append([item])
        prev_end = t.end
    return runs


@lru_cache(maxsize=64)  # one statement, many claims
def _statement_names(statement: str) -> frozenset[str]:
    runs = _names(statement)
    keys = {k for run in runs for k, _ in run} | {t.key for t in _canon(statement)}
    keys |= {_name_key(w) for w in words(statement)} | set(words(statement))
    # Initials of capitalised runs ("Narcotics Control Bureau" -> "ncb"), for acronyms.
    for m in re.finditer(r"(?:[A-Z][\w-]+(?:\s+(?:of|for|and|the|on)\s+|\s+))+[A-Z][\w-]+", statement):
        keys.add("".join(w[0] for w in m.group(0).split() if w[:1].isupper()).lower())
    return frozenset(keys | ISSUER_NAMES)


@lru_cache(maxsize=64)  # one statement, many claims: built once, not per claim
def _statement_prefixes(statement: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The 5-letter prefixes of the statement's names and words (an adjective shares its
    name's stem) and its capitalised words, for entity_changes."""
    return _name_prefixes(_statement_names(statement)), tuple(re.findall(r"[A-Z][\w’'-]+", statement))


def _name_prefixes(names: frozenset[str]) -> frozenset[str]:
    """The 5-letter prefixes of `names` (country codes and acronyms left out), for _known."""
    return frozenset(k[:5] for k in names if len(k) >= 5 and not k.startswith(("cc:", "acr:")))


def _known(key: str, raw: str, have: frozenset[str], prefixes: frozenset[str]) -> bool:
    base = key.removesuffix("'s").removesuffix("'")
    if key in have or base in have or base.rstrip("s") in have:
        return True
    if key.startswith("acr:") and key[4:] in have:
        return True  # an acronym the statement spells out: initials checked by _statement_names
    # "Belarusian" / "Belarus", "African" / "Africa": a name's adjective shares its stem.
    return len(base) >= 5 and base[:5] in prefixes


def _after_title(text: str, run: Sequence[tuple[str, str]]) -> int:
    """How many of a run's words follow a title inside it: 2 for "Chilean President Gabriel
    Boric" (the person's name; what comes before the title qualifies the office), 0 when
    no title is inside the run.

    >>> _after_title("met Chilean President Gabriel Boric today", [("cc:CHL", "Chilean"),
    ...              ("gabriel", "Gabriel"), ("boric", "Boric")])
    2
    """
    at, gaps = 0, list[str]()
    for _, raw in run:
        k = text.find(raw, at)
        if k < 0:
            return 0
        gaps.append(text[at:k] if gaps else "")
        at = k + len(raw)
    for i in range(len(gaps) - 1, 0, -1):
        if any(w.lower() in TITLES for w in re.findall(r"[A-Za-z]+", gaps[i])):
            return len(run) - i
    return 0


def entity_changes(claim: str, statement: str, speaker: str | None = None) -> list[str]:
    """Names in the claim (outside its attribution) that the statement never names.

    A run of names counts as known when any of its words is ("Vladimir Putin" for
    "President Putin"); capitals and nationality adjectives stand for their countries.

    >>> entity_changes("The order will cover the Donetsk and Kharkiv regions.",
    ...                "The order covers the Donetsk and Luhansk regions of Ukraine.")
    ['the claim names "Kharkiv", which the statement does not mention']
    >>> entity_changes("Moscow's decision, Vladimir Putin said, was Russian.", "Russia and President Putin decided.")
    []
    """
    have = _statement_names(statement)
    prefixes, raw_names = _statement_prefixes(statement)
    out = []
    for run in _names(claim):
        if speaker and all(raw in speaker for _, raw in run):
            continue
        known = [_known(k, raw, have, prefixes) or any(transliteration(raw, n) for n in raw_names)
                 for k, raw in run]
        # A name is the same when its head word is ("Vladimir Putin" for "President Putin")
        # and most of it is: "East Asia Summit" is not the "Special Summit".
        if known[-1] and sum(known) * 2 >= len(known) or (len(run) == 1 and known[0]):
            continue
        after = _after_title(claim, run)
        if known[-1] and after and sum(known[-after:]) * 2 >= after:
            continue  # "Chilean President Gabriel Boric" for "Boric": the person, more fully named
        if any(k.startswith("cc:") and ok for (k, _), ok in zip(run, known, strict=True)):
            continue  # "Russian President Vladimir Putin" where the statement names Russia
        out.append(f'the claim names "{" ".join(raw for _, raw in run)}", which the statement does not mention')
    return out


@lru_cache(maxsize=64)  # one statement, many claims
def sentence_texts(statement: str) -> tuple[str, ...]:
    """The body sentences of a statement's text, split as alignment splits them: its title
    and byline say nothing a claim could report."""
    return tuple(_sentence_texts(tuple(statement.split("\n\n"))))


def namesake_changes(claim: str, sentence: str, statement: str) -> list[str]:
    """A person given what the statement says of another person with the same surname: the
    claim's "Ana Mendez" where its sentence says "Governor Mendez", and the statement
    introduces the Governor with another forename ("Governor Luis Mendez") and names Ana
    Mendez elsewhere. One surname, two people: the act of one sentence and the person of
    another are merged. The title is resolved to the person the statement gave it; a title
    the statement never gives with a forename may be anyone's ("President Cartes" for
    "Horacio Cartes" is his own surname).

    >>> namesake_changes("Ana Mendez took kickbacks.", "Governor Mendez took kickbacks.",
    ...     "Governor Luis Mendez and his wife Ana Mendez are designated. Governor Mendez took kickbacks. Ana Mendez laundered funds.")
    ['the claim has "Ana Mendez" where the statement says "Governor Mendez" (Governor Luis Mendez): "Governor Mendez took kickbacks."; it names "Ana Mendez" elsewhere: "Governor Luis Mendez and his wife Ana Mendez are designated."']
    >>> namesake_changes("Luis Mendez took kickbacks.", "Governor Mendez took kickbacks.",
    ...     "Governor Luis Mendez and his wife Ana Mendez are designated. Governor Mendez took kickbacks.")
    []
    """
    out = []
    sents = sentence_texts(statement)
    for run in _names(claim):
        if len(run) < 2 or run[-1][0].startswith(("cc:", "acr:")) or run[-2][0].startswith(("cc:", "acr:")):
            continue
        first, last = run[-2][1], run[-1][1]
        titled = re.search(rf"\b([A-Z][a-z]+)\s+{re.escape(last)}\b", sentence)
        if titled is None or titled.group(1).lower() not in TITLES or re.search(rf"\b{re.escape(first)}\b", sentence):
            continue  # no title to resolve, or the sentence's own person ("Luis “Lucho” Mendez Vega")
        # Who the statement gave that title: "Governor" then up to NAME_WORDS forenames,
        # nicknames in quotes included ("President Porfirio “Pepe” Lobo").
        intro = [m.group(1).split() for x in sents for m in re.finditer(
            rf"\b{titled.group(1)}\s+((?:[A-Z“\"‘'][\w’'”\"-]*\s+){{1,{NAME_WORDS}}}){re.escape(last)}\b", x)]
        if not intro or any(first in names for names in intro):
            continue  # the title may be the claim's person's own
        # The claim's whole name, not the end of a longer one ("Pablo Luis Mendez", the son).
        full = re.compile(rf"(\S*)\s+{re.escape(first)}\s+{re.escape(last)}\b")
        elsewhere = [x for x in sents if x.strip() != sentence.strip() and any(
            not m.group(1)[:1].isupper() or m.group(1).lower() in _NON_NAMES for m in full.finditer(" " + x))]
        if elsewhere:
            who = " ".join([titled.group(1), *intro[0], last])
            out.append(f'the claim has "{first} {last}" where the statement says "{titled.group(0)}" ({who}): '
                       f'"{sentence.strip()}"; it names "{first} {last}" elsewhere: "{elsewhere[0].strip()}"')
    return out


_AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
                  "may", "might", "must", "should", "did", "does", "do"})
_OPENER = re.compile(r"^(?:(?:In|On|At|During|After|Before|Under|According to|Since|While|Last|This)\b[^,]{0,80},\s*)+")


def _actor(text: str) -> str:
    """Who does what a sentence says: the words before its first verb ("Deputy Secretary
    Sherman and Foreign Minister Park" in "... discussed ..."); "" when none is found."""
    body = _OPENER.sub("", text.strip())
    for m in re.finditer(r"[A-Za-z’'-]+", body):
        w = m.group(0)
        if m.start() == 0 or not w.islower():
            continue
        if w in _AUX or lemma(w) in CLAIM_VERBS or lemma(w) in ("propose", "reiterate", "voice") or \
                (w.endswith("ed") and len(w) > 4):
            head = body[:m.start()].strip(" ,")
            return head if 0 < len(head.split()) <= 14 else ""
    return ""


def actor_conflation(content: str, statement: str) -> list[str]:
    """The claim's actor taken from one sentence and its act from another: the sentence that
    says what the claim says was done (most of the words after the actor) does not name the
    actor, and another sentence of the statement does ("coast guard vessels had put the
    crew at risk" where one sentence has the junta's raid endanger the crew and the next
    speaks of the vessels). Only named actors: a pronoun or an office may stand for anyone
    the statement names.

    >>> actor_conflation("Chile and Peru had pledged to ratify the Escazu Agreement.",
    ...     "The Administration brought Canada into the Escazu Agreement. "
    ...     "We were pleased to have Chile and Peru join the Summit.")[0][:73]
    'the claim has "Chile and Peru" do what the statement says of others: "The'
    """
    mine = _actor(content)
    names = [(k, raw) for run in _names(mine) for k, raw in run if k not in ISSUER_NAMES]
    if not mine or not names:
        return []
    pred = _content(content[len(mine):]) - _content(mine)
    sents = sentence_texts(statement)
    shared = [len(pred & _content(x)) for x in sents]
    best = max(shared, default=0)
    if best < ACT_WORDS or shared.count(best) > 1:
        return []
    issuers = _issuers(statement)
    if any(re.search(rf"\b{re.escape(raw)}\b", issuers) for _, raw in names):
        return []  # the issuer ("Blinken" for "The United States condemns"): the statement's own voice
    act = sents[shared.index(best)]

    def names_it(x: str) -> list[bool]:
        have = _statement_names(x)
        prefixes = _name_prefixes(have)
        return [_known(k, raw, have, prefixes) for k, raw in names]

    theirs = [w.lower() for w in re.findall(r"[A-Za-z]+", _actor(act) or act.split(",")[0])]
    if any(names_it(act)) or not set(theirs).isdisjoint(STANDING_IN) or \
            all(w in FUNCTION_WORDS or w in TITLES for w in theirs):
        return []  # "She urged", "I again called", "both sides committed", "The Deputy Secretary raised"
    # The act's own doer, named: a name before the act's words ("This raid by the Ortega
    # government endangered"), not a description that may be the claim's actor ("The
    # carmaker will recall") nor initials that may spell it ("the EC has ordered").
    first = next((m.start() for m in re.finditer(r"[A-Za-z’'-]+", act) if _content(m.group(0)) & pred), len(act))
    zone = act[:first]
    doers = [k for t, k in zip(_canon(zone), _name_keys(zone), strict=True) if k and (t.start > 0 or k.startswith("cc:"))]
    if not doers or any(_acronym(w) for w in re.findall(r"[\w’'-]+", zone)):
        return []
    need = _content(mine)
    source = next((x for x in sents if x != act and all(names_it(x)) and need <= _content(x)), None)
    if source is None:
        return []
    said = re.sub(r",\s*\w+$", "", mine.strip(" ,"))  # "Chile and Peru, he [said]"
    return [f'the claim has "{said}" do what the statement says of others: "{act.strip()}"; '
            f'it names them in another sentence: "{source.strip()}"']


def joint_changes(claim: str, statement: str) -> list[str]:
    """A statement one party issued called joint ("in a joint statement", "issued jointly"):
    what it misreports is who issued the statement (its byline), whichever sentence it cites.

    >>> joint_changes("The statement, which Washington issued jointly with Britain, said ...",
    ...               "Antony J. Blinken, Secretary of State\\n\\nWe condemn it.")
    ['the claim calls it joint; the statement is issued by one party']
    """
    if re.search(r"\bjoint (?:statement|declaration|communiqu)|\b(?:issued|released|said) jointly\b",
                 claim, re.I) and not re.search(
            r"\bjoint\b|\bwe, the\b|\bgovernments of\b|\btogether\b|\bco-chair|\bparticipants\b", statement, re.I):
        return ["the claim calls it joint; the statement is issued by one party"]
    return []


# "The two officials", "Both ministers", "The two foreign ministers": the whole subject, a
# number then one or two words (a noun, or an office and its noun).
_SEVERAL = re.compile(r"(?:the\s+)?(?:two|three|four|five|both)(?:\s+[a-z]+){1,2}", re.I)
# A plural noun: ending in "s" but not in "ss" or "us" ("Congress", "consensus").
_PLURAL = re.compile(r"[a-z]+[^su]s")


def plural_attribution(claim: str, sentence: str) -> list[str]:
    """A stance one party took given to several: "The two ministers raised concern" where
    the sentence has one of them take it ("The Ambassador raised U.S. concerns"). Only active
    stance acts (STANCE_ACTS) on both sides: "the four men had been put to death" names who
    underwent it, and one party "discussed" or "met" with another. Not when the sentence's
    act is done with someone ("raised with", "jointly"), nor when its subject is plural
    itself ("They raised").

    >>> plural_attribution("The two ministers raised concern about the port.",
    ...                    "The Ambassador raised U.S. concerns about the port.")
    ['the claim has "The two ministers" do it; the statement says "The Ambassador" alone: "The Ambassador raised U.S. concerns about the port."']
    """
    mine, theirs = _actor(claim), _actor(sentence)
    if not mine or not theirs or not _SEVERAL.fullmatch(mine.strip()):
        return []
    body = _OPENER.sub("", sentence.strip())  # as `_actor` reads it: "In a meeting with X, the Ambassador ..."
    act, their_act = _act_word(claim, mine), _act_word(body, theirs)
    if act is None or their_act is None or lemma(act.group(0).lower()) not in STANCE_ACTS \
            or lemma(their_act.group(0).lower()) not in STANCE_ACTS:
        return []
    if set(words(claim[len(mine):act.start()])) & {"be", "been", "being", "is", "are", "was", "were"}:
        return []  # passive: the subject underwent the act
    said = [w.lower() for w in re.findall(r"[A-Za-z]+", theirs)]
    plural = any(_PLURAL.fullmatch(w.lower()) and (i == 0 or w[0].islower())
                 for i, w in enumerate(re.findall(r"[A-Za-z]+", theirs)))  # "The Quad partners", "Officials"
    if plural or "and" in said or not set(said).isdisjoint(STANDING_IN) or \
            re.search(r"\b(?:with|jointly|together|each other)\b", body[their_act.end():], re.I):
        return []
    return [f'the claim has "{mine}" do it; the statement says "{theirs}" alone: "{sentence.strip()}"']


_BODY_SPEAKER = re.compile(r"(?i)(?:the\s+)?(?:[\w.’'-]+\s+){0,3}?(?P<noun>board|council|committee|commission|"
                           r"agency|court|tribunal|assembly|parliament|congress|secretariat)(?:\s+itself)?")


@lru_cache(maxsize=64)  # one statement, many claims
def _issuers(statement: str) -> str:
    """Who issued a statement, as it says: its byline, "released by ...", "We, the ...,".

    >>> _issuers("Title\\n\\nOffice of the Spokesperson\\n\\nWe, the Governments of France and Germany, welcome it.")
    'Office of the Spokesperson | We, the Governments of France and Germany,'
    """
    paras = statement.split("\n\n")
    out = [paras[i] for i in _byline(paras)]
    out += re.findall(r"\b(?:released|issued) by [^.:]{1,160}", statement)
    out += re.findall(r"\bWe, the [^.;]{1,160}?,(?= [a-z])", statement)
    return " | ".join(out)


def attribution_changes(claim: str, speaker: str | None, statement: str, sentence: str = "") -> list[str]:
    """The statement presented as someone else's: "jointly", "in a joint statement" for a
    statement one party issued, or a named speaker the statement never names.

    >>> attribution_changes("Blinken and his Greek counterpart said in a joint statement that ...",
    ...                     "Blinken", "Antony J. Blinken, Secretary of State\\n\\nThe United States ...")
    ['the claim calls it joint; the statement is issued by one party']
    >>> attribution_changes("India proposed sharing best practices.", None, "",
    ...                     "Participants proposed to share best practices.")
    ['the claim has "India" do it; the statement says "Participants"']
    """
    st = statement.lower()
    joint = joint_changes(claim, statement)
    if joint:
        return joint
    mine, theirs = _actor(claim_content(claim)), _actor(sentence)
    if mine and theirs and not re.fullmatch(r"(?i)we|they|it|he|she|i", theirs.strip()):
        # The act of several parties given to one of them ("Participants proposed" -> "India
        # proposed"), or a party added to those who acted ("Sherman and Park discussed" ->
        # "Sherman, Park and Japanese officials discussed").
        have = {k for run in _names(theirs) for k, _ in run} | {t.key for t in _canon(theirs)}
        have |= {_name_key(w) for w in words(theirs)}
        collective = re.search(r"\b(?:participants|both sides|the two sides|delegations|the governments)\b",
                               theirs, re.I) is not None
        parties = sum(1 for piece in re.split(r",|\band\b", theirs) if _names(piece))
        if collective or parties >= 2:
            for run in _names(mine):
                if all(k not in ISSUER_NAMES and k not in have for k, _ in run):
                    said = " ".join(raw for _, raw in run)
                    return [f'the claim has "{said}" do it; the statement says "{theirs.strip()}"']
    if speaker:
        body = _BODY_SPEAKER.fullmatch(speaker.strip())
        if body and re.search(rf"\b{body.group('noun')}\b", statement, re.I) and not re.search(
                rf"\b{body.group('noun')}\b", _issuers(statement), re.I):
            # A body the statement speaks of ("the IAEA Board of Governors' adoption") given
            # the statement its issuers made ("We, the Governments of ...").
            return [f'the claim gives it to "{speaker.strip()}"; the statement names that body but is '
                    f'issued by others: "{_issuers(statement)[:120].strip()}"']
        # A person the statement never names ("Treasury Secretary Janet Yellen said"): a name
        # of two words or more that is not a country, the issuer or in the statement.
        for run in _names(speaker):
            keys = [k for k, _ in run]
            if len(run) < 2 or any(k.startswith(("cc:", "acr:")) or k in ISSUER_NAMES for k in keys):
                continue
            # The surname decides: an office or a department the run begins with ("Treasury
            # Secretary Janet Yellen") is in many statements that never name the person.
            if not re.search(rf"\b{re.escape(keys[-1])}\b", st):
                return [f'the claim gives it to "{" ".join(raw for _, raw in run)}", whom the statement does not name']
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


def claim_parts(content: str) -> list[str]:
    """The separate reports a claim joins, when it joins several: "highlighted X, expressing
    Y" -> ["highlighted X", "expressing Y"]; a single report gives [].

    >>> claim_parts("the statement highlighted the stability of the strait, expressing unease about drills")
    ['the statement highlighted the stability of the strait', 'expressing unease about drills']
    """
    pieces = [p.strip(" ,.") for p in re.split(r",\s+(?=[a-z]+ing\b)|;\s+|,\s+and\s+(?=[a-z]+ed\b)", content)]
    pieces = [p for p in pieces if len(p.split()) >= 4]
    return pieces if len(pieces) > 1 else []


def novelty(claim: str, statement: str) -> float:
    """Share of the claim's content words (lemmas) that the statement never uses.

    >>> novelty("He said Washington would recall its ambassador.", "We will continue to coordinate.")
    1.0
    >>> novelty("The IMF took part.", "The International Monetary Fund took part.")
    0.0
    """
    cw = _content(claim) - _ISSUER_STEMS - spelled_out(claim, statement)
    return len(cw - _content(statement)) / len(cw) if cw else 0.0


# How the press names the issuer and the act of saying: never new content. Compared as stems,
# as `_content` gives them ("United States" -> "unite", "state").
_ISSUER_STEMS = frozenset(stem(w) for w in ("say", "said", "statement", "washington", "united", "states"))


def spelled_out(claim: str, statement: str) -> set[str]:
    """Acronyms of the claim ("FBI", "DEA") that are the initials of a capitalised name the
    statement spells out ("Federal Bureau of Investigation"): the same name, not a new one.

    >>> sorted(spelled_out("The WHO and the IMF took part.",
    ...                    "The World Health Organization and the U.N. International Monetary Fund"))
    ['imf', 'who']
    """
    have = _initials(statement)
    return {stem(w.lower()) for w in re.findall(r"\b[A-Z]{2,6}\b", claim) if w.lower() in have}


@lru_cache(maxsize=64)  # one statement, many claims
def _initials(statement: str) -> frozenset[str]:
    have: set[str] = set()
    for m in re.finditer(r"(?:[A-Z][\w-]+(?:\s+(?:of|for|and|the|on)\s+|\s+))+[A-Z][\w-]+", statement):
        caps = [w for w in m.group(0).split() if w[:1].isupper()]
        # Any tail of the run: "The Federal Bureau of Investigation" opens a sentence.
        have |= {"".join(w[0] for w in caps[k:]).lower() for k in range(len(caps) - 1)}
    return frozenset(have)


def figures_agree(claim: str, sentence: str) -> bool:
    """The claim gives figures and the sentence gives every one of them.

    >>> figures_agree("It published statement 2 on water.", "Statement 2 on water.")
    True
    >>> figures_agree("It published statement 2 on water.", "Statement 3 on water.")
    False
    """
    mine = {t.key for t in _numbers(_canon(claim))}
    return bool(mine) and mine <= {t.key for t in _numbers(_canon(sentence))}


_UNDECIDED = re.compile(
    r"\bno (?:final )?(?:decision|date|timetable|timeline|schedule|plans?)\b|\bundecided\b|"
    r"\b(?:not|never) (?:yet )?(?:been )?(?:decided|set|scheduled|agreed|fixed)\b|"
    r"\b(?:had|has|have)n['’]t (?:yet )?(?:been )?(?:decided|set|scheduled)\b", re.I)
_PLANNED = re.compile(r"\b(?:will|shall|(?:is|are) (?:to|scheduled to|set to|expected to)|plans? to|intends? to)\s+"
                      r"(?:\w+\s+){0,2}?(?P<act>\w+)\b", re.I)
_WHEN = re.compile(r"\b(?:19|20)\d\d\b|\b(?:January|February|March|April|June|July|August|September|October|"
                   r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
                   r"\bnext (?:week|month|year|spring|summer|autumn|fall|winter)\b|\blater this\b", re.I)


def undecided_changes(claim: str, sentence: str) -> list[str]:
    """A scheduled act reported as undecided: the statement says it will happen at a stated
    time ("The LECG will convene again in 2023") and the claim that no decision, date or plan
    for it exists ("no decision had been taken on when the group would meet again"). The two
    share few words (the denial is of the plan, not of the act), so words and vectors do not
    align them: the act's class and the time the statement gives do.

    >>> undecided_changes("The statement said no decision had been taken on when the group would meet again.",
    ...                   "The LECG will convene again in 2023.")
    ['the claim says nothing is decided ("no decision") where the statement says "The LECG will convene again in 2023."']
    >>> undecided_changes("The statement said no decision had been taken on sanctions.",
    ...                   "The LECG will convene again in 2023.")
    []
    """
    denial = _UNDECIDED.search(claim)
    if denial is None or not any(w in SCHEDULED_ACTS for w in words(claim[denial.end():])):
        return []
    plan = _PLANNED.search(sentence)
    if plan is None or plan.group("act").lower() not in SCHEDULED_ACTS or not _WHEN.search(sentence[plan.end():]):
        return []
    return [f'the claim says nothing is decided ("{denial.group(0)}") where the statement says "{sentence.strip()}"']


def _same_actor(a: str, b: str, issuers: frozenset[str] = frozenset()) -> bool:
    """Two subjects that name the same party: a shared name ("Mr Blinken", "Secretary
    Blinken"), or both the statement's side (its pronouns, "the United States", "Washington",
    the names of its byline: `issuers`).

    >>> _same_actor("Ms Okafor", "Minister Okafor"), _same_actor("Washington", "We"), _same_actor("Brazil", "We")
    (True, True, False)
    >>> _same_actor("Okafor", "The United States"), _same_actor("Okafor", "The United States", frozenset({"okafor"}))
    (False, True)
    """
    if not a.strip() or not b.strip():
        return False
    ka = {k for run in _names(a) for k, _ in run}
    kb = {k for run in _names(b) for k, _ in run}
    if ka & kb:
        return True

    def issuer(x: str) -> bool:
        keys = {k for run in _names(x) for k, _ in run}
        return (re.fullmatch(r"(?i)\s*(?:we|they|he|she|it|i)\s*", x) is not None
                or bool(keys & (ISSUER_NAMES | issuers))
                or (not keys - ISSUER_NAMES and ISSUER_SUBJECT.search(x) is not None))
    return issuer(a) and issuer(b)


@lru_cache(maxsize=64)  # one statement, many claims and sentences
def _issuer_keys(statement: str) -> frozenset[str]:
    """Name keys of who issued the statement (its byline, "We, the ...")."""
    return frozenset(k for run in _names(_issuers(statement)) for k, _ in run) if statement else frozenset()


_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


def _act_word(text: str, actor: str) -> re.Match[str] | None:
    """The first word after the actor that is not an auxiliary, a function word, a negation
    or an adverb: the act the text reports ("called" in "They also called on ..."). Only the
    first ACT_REACH words are looked at: further on, a word is the act's object or another
    clause's, not the act."""
    start = len(text) - len(text.lstrip())
    if not actor or not text[start:].startswith(actor):
        return None
    for k, m in enumerate(_WORD.finditer(text, start + len(actor))):
        w = m.group(0).lower()
        if k >= ACT_REACH:
            break
        if w not in _AUX and w not in FUNCTION_WORDS and w not in NEGATIONS and not w.endswith("ly"):
            return m
    return None


def _act_lemma(text: str, actor: str) -> str:
    """The lemma of the act the text reports (`_act_word`); "" for none or a verb that only
    reports speech ("said")."""
    m = _act_word(text, actor)
    if m is None:
        return ""
    v = lemma(m.group(0).lower())
    return "" if v in NEUTRAL_REPORTING else v


def commitment_changes(claim: str, sentence: str, statement: str,
                       anywhere: bool = False) -> tuple[DriftKind, list[str]] | None:
    """A claim that reports what a sentence's actor does, and makes it a stronger (or weaker)
    commitment than the statement does: a condition it does not set ("loans would depend on
    progress against inflation" for "stressed ... fighting inflation"), a sanction or a demand
    it does not make ("urged the Council to impose an embargo" for "urged the international
    community to hold the junta accountable"), a wider scope, or a weaker stance ("open to the
    plan as one option among others" for "convinced that the plan is the best way"). The added
    commitment is why such a claim scores low, so the words and vectors alone call it
    unsupported; the same actor and the same act (or, for a condition or a weaker stance, the
    same object) keep it aligned as drift. A claim whose content the sentence lacks (no shared
    act or object) stays unsupported. `anywhere`: the sentence is any of the statement's,
    however far the vectors put it; then only the same act counts (a shared object or a weaker
    stance is too common across a statement).

    >>> commitment_changes("They urged the Council to impose an embargo on the junta.",
    ...                    "They also urged the international community to hold the junta accountable.", "")
    (<DriftKind.HARDENED: 'hardened'>, ['the claim says "impose"; the statement has no such word: "They also urged the international community to hold the junta accountable."'])
    >>> commitment_changes("Ms Okafor warned that loans would depend on progress against inflation.",
    ...                    "Minister Okafor stressed a commitment to fighting inflation.", "")[0]
    <DriftKind.HARDENED: 'hardened'>
    >>> commitment_changes("The ministry could face fines.", "We will enforce fines.", "") is None
    True
    """
    content = claim_content(claim)
    mine = [x for x in {_actor(content), _speaker(claim) or ""} if x]
    said = _lemmas(sentence)
    act = any((v := _act_lemma(x, a)) and v in said and v not in ("be", "have") for x in (content, claim)
              for a in mine)
    if anywhere and not act:
        return None
    theirs = [x for x in {_actor(sentence), *(_actor(c) for c in _clauses(sentence))} if x]
    if not any(_same_actor(a, b, _issuer_keys(statement)) for a in mine for b in theirs):
        return None
    shared = _plain_content(content) & _plain_content(sentence)
    cond = condition_changes(content, sentence)
    # The condition's object is the head of the phrase it ends with ("progress against
    # inflation"): that, not a modifier ("political prisoners"), must be the sentence's.
    m = _CONDITION.search(content)
    tail = [w for w in re.findall(r"\b[a-z][a-z'’-]+", fold(content[m.end():]))
            if w not in FUNCTION_WORDS and len(w) > 2] if m else []
    if cond and (act or (tail and stem(tail[-1]) in shared)):
        return DriftKind.HARDENED, cond
    kind, why = intensity_changes(content, sentence, statement)
    if act:
        done = concluded_changes(content, sentence)
        if done:
            return DriftKind.HARDENED, done
        scope = scope_changes(content, sentence, statement)
        if scope:
            return DriftKind.SCOPE, scope
        if kind is DriftKind.HARDENED:
            return kind, why
    # A weaker stance only when the claim has its own weak word ("open", "hoped"): a strong
    # word of the sentence the claim merely leaves out is no evidence that it reports it.
    if kind is DriftKind.SOFTENED and (act or shared) and why[0].startswith("the claim says"):
        return kind, why
    return None


def vote_changes(claim: str, sentence: str) -> list[str]:
    """A decision reported as unanimous where the statement gives it a majority: the claim
    counts in those who voted against. The two share few words ("passed unanimously", "the
    overwhelming majority vote"), so every sentence of the statement is looked at.

    >>> vote_changes("They said the assembly approved the budget unanimously.",
    ...              "A large majority of delegates backed the budget today.")
    ['the claim says "unanimously" where the statement says "majority": "A large majority of delegates backed the budget today."']
    >>> vote_changes("It passed unanimously.", "It passed unanimously, with a majority of 30.")
    []
    """
    mine = [w for w in words(claim) if w in UNANIMITY]
    theirs = [w for w in words(sentence) if w in MAJORITY_VOTE]
    if not mine or not theirs or any(w in UNANIMITY for w in words(sentence)):
        return []
    return [f'the claim says "{mine[0]}" where the statement says "{theirs[0]}": "{sentence.strip()}"']


def wide_changes(claim: str, sentence: str, text: str = "", statement: str = "") -> tuple[DriftKind, list[str]] | None:
    """Changes a claim (its content; `text` the whole claim) shows against any sentence of its
    statement, however far from it the words and vectors put it: a scheduled act reported as
    undecided, a majority as unanimity, the same actor's act made a stronger commitment."""
    und = undecided_changes(claim, sentence)
    if und:
        return DriftKind.NEGATION, und
    vote = vote_changes(claim, sentence)
    if vote:
        return DriftKind.SCOPE, vote
    return commitment_changes(text, sentence, statement, anywhere=True) if text else None


def hard_changes(content: str, sentence: str, statement: str, claim: str = "") -> tuple[DriftKind, list[str]] | None:
    """A changed figure, or flipped polarity in a clause sharing two content words with the
    claim: drift the statement's own sentence shows, however loosely the rest is paraphrased;
    and, given the whole `claim`, a commitment made stronger or weaker (commitment_changes)."""
    nums = number_changes(content, sentence, statement) or count_changes(content, sentence)
    if nums:
        return DriftKind.NUMBER, nums
    clause = _best_clause(content, sentence)
    if len(_content(content) & _content(clause)) >= 2:
        neg = negation_changes(content, clause)
        if neg:
            return DriftKind.NEGATION, neg
        scope = scope_changes(content, sentence, statement)
        if scope and len(_content(content) & _content(clause)) >= 3:
            return DriftKind.SCOPE, scope
    return commitment_changes(claim, sentence, statement) if claim else None


def judge_claim(claim: Claim, sentences: Sequence[str], statement: str, score: float) -> tuple[
        ClaimVerdict, DriftKind | None, Severity, tuple[str, ...]]:
    """Verdict, drift kind, severity and reasons for a claim against the sentence(s) it reports
    (pure: the alignment is done). The checks run in order of how surely they misinform.

    Below UNSUPPORTED_BELOW no sentence reports the claim; under LOOSE a claim most of whose
    content words the statement never uses (NOVEL_UNSUPPORTED) says something else, and one
    that adds much (NOVEL_DRIFT) with no explicit change found drifts (minor: the evidence is
    what it adds, not a changed fact).
    """
    content = claim_content(claim.text)
    if claim.speaker is None:
        claim = Claim(claim.text, claim.start, claim.end, _speaker(claim.text))
    matched = " ".join(sentences)
    clause = _best_clause(content, matched)
    new = novelty(content, statement)
    if score < UNSUPPORTED_BELOW or (score < LOOSE and new >= NOVEL_UNSUPPORTED):
        return (ClaimVerdict.UNSUPPORTED, None, Severity.MAJOR,
                (f"no statement sentence reports it (closest: \"{matched.strip()}\", score {score:.2f}; "
                 f"{new:.0%} of its words are not in the statement)",))
    for kind, reasons in _drifts(claim, content, matched, clause, statement):
        if reasons:
            if kind is DriftKind.ENTITY and score < ENTITY_LOOSE and new >= NOVEL_DRIFT:
                # A new name in a loose paraphrase full of new words: another story, not a
                # swapped name in this one.
                return (ClaimVerdict.UNSUPPORTED, None, Severity.MAJOR,
                        (f"no statement sentence reports it: {reasons[0]}; closest: \"{matched.strip()}\" "
                         f"(score {score:.2f}; {new:.0%} of its words are not in the statement)",))
            return ClaimVerdict.DRIFT, kind, _severity(kind, reasons), tuple(reasons)
    if score < LOOSE and new >= NOVEL_DRIFT:
        added = sorted(_content(content) - _content(statement) - spelled_out(content, statement))
        shown = ", ".join(f'"{w}"' for w in added[:4])
        kind = _added_kind(added)
        return (ClaimVerdict.DRIFT, kind, Severity.MINOR,
                (f'the claim adds {shown}, which the statement does not say; it reports '
                 f'"{matched.strip()}" only loosely (score {score:.2f})',))
    return (ClaimVerdict.FAITHFUL, None, Severity.NONE,
            (f'reports "{matched.strip()}" (score {score:.2f})',))


def _drifts(claim: Claim, content: str, matched: str, clause: str,
            statement: str) -> Iterator[tuple[DriftKind, list[str]]]:
    """judge_claim's checks, in order of how surely they misinform, each run only when asked
    for: the first that finds something decides, so the rest (the name and conflation checks
    look over the whole statement) are not run for it."""
    yield DriftKind.NUMBER, number_changes(content, matched, statement) or count_changes(content, matched)
    # Polarity compares like with like: a clause about something else may deny what
    # the claim does not mention.
    yield (DriftKind.NEGATION, negation_changes(content, clause)
           if len(_plain_content(content) & _plain_content(clause)) >= 2 else [])
    yield (DriftKind.ATTRIBUTION, attribution_changes(claim.text, claim.speaker, statement, clause)
           or plural_attribution(content, matched))
    yield DriftKind.ENTITY, entity_changes(content, statement, claim.speaker) or swapped_names(content, matched)
    yield DriftKind.CONFLATION, namesake_changes(content, matched, statement) or actor_conflation(content, statement)
    # A widened scope before a modal: "any company ... can lose its licence" for "listed
    # companies ... lose their licence" changes who is covered; the modal follows from it.
    yield DriftKind.SCOPE, scope_changes(content, matched, statement)
    yield DriftKind.MODAL, modal_changes(content, clause, matched)
    yield DriftKind.HARDENED, condition_changes(content, matched)
    yield DriftKind.HARDENED, concluded_changes(content, matched)
    kind_i, why = intensity_changes(content, matched, statement)
    if kind_i is not None:
        yield kind_i, why


_PARTIAL_STEMS = frozenset(stem(w) for w in PARTIAL_WORDS)  # `added` holds stems ("gradual", "severa")


def _added_kind(added: Sequence[str]) -> DriftKind:
    """What added words do to the reported sentence: weaker stance words soften it, and so do
    words that make it partial or only beginning; anything else (stronger words, new acts or
    demands) hardens it.

    >>> _added_kind(["some", "start", "doubt"]), _added_kind(["impose", "embargo"])
    (<DriftKind.SOFTENED: 'softened'>, <DriftKind.HARDENED: 'hardened'>)
    """
    levels = [INTENSITY[w] for w in added if w in INTENSITY]
    if levels and min(levels) < 0 and max(levels) <= 0:
        return DriftKind.SOFTENED
    if any(w in _PARTIAL_STEMS for w in added) and not any(lvl > 0 for lvl in levels):
        return DriftKind.SOFTENED  # "some members have started to doubt": a part, a beginning
    return DriftKind.HARDENED


def check_claims(index: StatementIndex, text: str, quote_checks: Sequence[QuoteCheck] = (),
                 published_at: datetime | None = None, links: Sequence[str] = (), *,
                 embedder: Embedder, claims: Sequence[Claim] | None = None) -> ClaimReport:
    """Every reported claim of the article checked, and the coverage map of its statements.

    `quote_checks` are the article's quote verdicts (compare.quote_engine.check_article): the
    statements they matched are the ones the article is about, and the paragraphs they
    matched are the quoted part of the coverage map. `claims` replaces `find_claims` (a
    reader's own selection, or a benchmark judging labelled spans). `embedder` is the caller's
    loaded model: it embeds the claims, and the statement sentences the store holds no
    vector for (returned in `ClaimReport.vectors`).
    """
    if claims is None:
        claims = article_claims(text, quote_checks)
    urls = candidate_urls(index, claims, quote_checks, published_at, links)
    statements = _statements(index, urls, published_at) if urls else []
    vectors = _UnitVectors(index, embedder)
    checks = _align_and_judge(claims, statements, vectors)
    fresh = SentenceVectors(embedder.model_id, tuple(vectors.fresh.items())) if vectors.fresh else None
    return ClaimReport(tuple(checks), _coverage(statements, quote_checks, checks), fresh)


def article_claims(text: str, quote_checks: Sequence[QuoteCheck] = ()) -> list[Claim]:
    """The reported claims check_claims finds in an article (its quotes left out)."""
    return find_claims(text, [qc.quote for qc in quote_checks]) if quote_checks else find_claims(text)


def candidate_urls(index: StatementIndex, claims: Sequence[Claim], quote_checks: Sequence[QuoteCheck] = (),
                   published_at: datetime | None = None, links: Sequence[str] = ()) -> list[str]:
    """The statements (at most MAX_STATEMENTS, best first) an article's claims are aligned
    against: those its quotes matched, its links that are statements, then the best voted
    by the claims' words in the index."""
    quoted_urls = list(dict.fromkeys(qc.source for qc in quote_checks
                                     if qc.source and qc.verdict is not Verdict.UNVERIFIED))
    if len(quoted_urls) >= MAX_STATEMENTS:
        # The quotes name as many statements as are kept: they come first in any case, so the
        # index is not searched for the claims' words (the same first MAX_STATEMENTS).
        counts = {u: sum(1 for qc in quote_checks if qc.source == u and qc.verdict is not Verdict.UNVERIFIED)
                  for u in quoted_urls}
        return sorted(quoted_urls, key=lambda u: -counts[u])[:MAX_STATEMENTS]
    return list(dict.fromkeys(
        statement_candidates(index, [c.text for c in claims], published_at, links,
                             preferred=[qc.source for qc in quote_checks
                                        if qc.source and qc.verdict is not Verdict.UNVERIFIED])))[:MAX_STATEMENTS]


class _UnitVectors:
    """Vectors of claims (always embedded) and statement units (read from the store when it
    holds them, else embedded and kept in `fresh` for the caller to store). A unit's vector
    is used in its stored form (float16) either way, so a stored and a fresh one give the
    same scores, hence the same verdicts."""

    def __init__(self, index: StatementIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder
        self.fresh: dict[str, bytes] = {}

    def encode(self, queries: Sequence[str], units: Sequence[str]) -> tuple[Vectors, Vectors]:
        keys = [text_key(u) for u in units]
        stored = dict(self.index.sentence_vectors(self.embedder.model_id, list(dict.fromkeys(keys))))
        missing = list(dict.fromkeys(u for u, k in zip(units, keys, strict=True) if k not in stored))
        # One model call for everything that needs it: the batches are sorted by length.
        vecs = self.embedder.encode([*queries, *missing]) if queries or missing else \
            np.zeros((0, DIM), dtype=np.float32)
        for u, v in zip(missing, vecs[len(queries):], strict=True):
            stored[text_key(u)] = self.fresh[text_key(u)] = pack(v)
        unit_vecs = np.stack([unpack(stored[k]) for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)
        return vecs[:len(queries)], unit_vecs


def _align_and_judge(claims: Sequence[Claim], statements: Sequence[_Statement],
                     vectors: _UnitVectors) -> list[ClaimCheck]:
    sents = [s for st in statements for s in _sentences(st)]
    by_url = {st.url: st for st in statements}
    if not claims:
        return []
    if not sents:
        return [ClaimCheck(c, ClaimVerdict.UNSUPPORTED, None, Severity.MAJOR, None, None, None, "",
                           0.0, ("no statement to check it against",)) for c in claims]
    # Units a claim is set against: every sentence and, for long ones, its clauses (a claim
    # reports one clause of a 60-word sentence; the whole sentence's vector is diluted).
    contents = [claim_content(c.text) for c in claims]
    # Only the sentences some claim shares content words with are embedded (the model is
    # the cost): each claim's LEXICAL_TOP best by shared words, and every sentence sharing
    # three or more; boilerplate and other topics never reach the model.
    claim_words = [_content(x) for x in contents]
    sent_words = [_content(s.text) for s in sents]
    keep: set[int] = set()
    keep_model: set[int] = set()  # candidates of the claims the model places
    split: set[int] = set()  # sentences also embedded clause by clause: some claim's closest two
    copied: list[bool] = []
    for cw in claim_words:
        shared = [len(cw & sw) for sw in sent_words]
        ranked = sorted(range(len(sents)), key=lambda j: -shared[j])
        # A claim whose content words one sentence nearly all has, and no other as many, is
        # placed by those words: the model would only confirm it (its score is then the share).
        most = shared[ranked[0]]
        copy = len(cw) >= COPY_MIN_WORDS and most >= COPY_SHARE * len(cw) and len(
            {sents[j].text for j in ranked if shared[j] == most}) == 1  # a repeated sentence is one
        copied.append(copy)
        # A sentence sharing under a third of what the best one shares is not what a claim
        # reports when the best shares many (a close paraphrase): it is not embedded.
        floor = max(1, most // LEXICAL_FLOOR)
        mine = {j for j in ranked[:LEXICAL_TOP] if shared[j] >= floor}
        mine |= {j for j in ranked[:2 * LEXICAL_TOP] if shared[j] >= max(4, floor)}
        keep |= mine
        if not copy:
            keep_model |= mine
            split.update(j for j in ranked[:2] if shared[j] >= floor)
    units: list[tuple[int, str]] = []
    for j in sorted(keep):
        units.append((j, sents[j].text))
        pieces = _clauses(sents[j].text) if j in split and len(sents[j].text.split()) >= CLAUSE_WORDS else []
        if len(pieces) > 1:
            units.extend((j, p) for p in pieces)
    if not units:
        units = [(j, s.text) for j, s in enumerate(sents)]
        keep_model = set(range(len(sents)))
    parts = [claim_parts(x) for x in contents]
    # One model call for everything that needs it: the claims (and their parts) that words
    # alone do not place, and the sentences (and clauses) they may report.
    queries = list(dict.fromkeys(q for i, x in enumerate(contents) if not copied[i] for q in (x, *parts[i])))
    embedded = np.array([j in keep_model for j, _ in units])
    if queries:
        query_vecs, unit_vecs = vectors.encode(queries, [u for j, u in units if j in keep_model])
        sim_all = query_vecs @ unit_vecs.T
    else:
        sim_all = np.zeros((0, 0), dtype=np.float32)
    row_of = {q: k for k, q in enumerate(queries)}
    owner = np.array([j for j, _ in units])
    unit_content = [_content(u) for _, u in units]

    def scores(text: str) -> npt.NDArray[np.float32]:
        cw = _content(text)
        lex = np.array([len(cw & uc) / max(1, len(cw)) for uc in unit_content], dtype=np.float32)
        sim = lex.copy()  # units the model never saw, and claims it never placed: words alone
        row = row_of.get(text)
        if row is not None:
            sim[embedded] = sim_all[row]
        unit_score = (1 - LEX_WEIGHT) * sim + LEX_WEIGHT * lex
        score = np.full(len(sents), -1.0, dtype=np.float32)
        np.maximum.at(score, owner, unit_score)
        return score

    out = []
    for i, c in enumerate(claims):
        score = scores(contents[i])
        part_scores = [(p, scores(p)) for p in parts[i]]
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
        if verdict is ClaimVerdict.UNSUPPORTED:
            # A loose paraphrase with a changed figure or a flipped polarity scores low
            # precisely because of the change: look at the next best sentences for one.
            # Not past one as close that gives the claim's very figures: among near-identical
            # statements ("statement 2 on water", "statement 3 on water") that one is what
            # the claim reports, and the others' figures are not a change.
            near = [int(k) for k in order[:3] if score[int(k)] >= RESCUE_FLOOR]
            agreed = any(figures_agree(contents[i], sents[j].text) for j in near)
            for j in near:
                hard = hard_changes(contents[i], sents[j].text, by_url[sents[j].url].text, c.text)
                if hard is not None and not (agreed and hard[0] is DriftKind.NUMBER):
                    best, chosen, top = j, [j], sents[j]
                    st, matched = by_url[top.url], [top.text]
                    verdict, kind, sev, reasons = ClaimVerdict.DRIFT, hard[0], Severity.MAJOR, tuple(hard[1])
                    break
        if verdict is ClaimVerdict.UNSUPPORTED and part_scores:
            # Two reports in one sentence each align to their own sentence, and the whole to
            # neither: judged part by part, the worst part decides.
            judged = []
            for part, ps in part_scores:
                j = int(np.argmax(ps))
                sub = Claim(part, c.start, c.end, c.speaker)
                judged.append((j, judge_claim(sub, [sents[j].text], by_url[sents[j].url].text, float(ps[j]))))
            if all(v is not ClaimVerdict.UNSUPPORTED for _, (v, _, _, _) in judged) and \
                    len({sents[j].url for j, _ in judged}) == 1:
                worst = next(((j, r) for j, r in judged if r[0] is ClaimVerdict.DRIFT), judged[0])
                chosen = sorted({j for j, _ in judged})
                top = sents[worst[0]]
                st = by_url[top.url]
                matched = [sents[k].text for k in chosen]
                verdict, kind, sev, reasons = worst[1]
                best = worst[0]
        if verdict is ClaimVerdict.UNSUPPORTED:
            # A scheduled act reported as undecided, a majority as unanimity, shares no words
            # with its sentence: every sentence of the closest statement is looked at for one.
            for j, s in enumerate(sents):
                wide = wide_changes(contents[i], s.text, c.text, st.text) if s.url == top.url else None
                if wide:
                    best, chosen, top = j, [j], s
                    matched = [s.text]
                    verdict, kind, sev, reasons = ClaimVerdict.DRIFT, wide[0], Severity.MAJOR, tuple(wide[1])
                    break
        if verdict is ClaimVerdict.UNSUPPORTED and score[best] >= RESCUE_FLOOR:
            # "In a joint statement" for one party's statement misreports who issued it (the
            # byline), however loosely the rest reports its closest sentence.
            joint = joint_changes(c.text, st.text)
            if joint:
                verdict, kind, sev, reasons = ClaimVerdict.DRIFT, DriftKind.ATTRIBUTION, Severity.MAJOR, tuple(joint)
        if verdict is ClaimVerdict.FAITHFUL:
            # A claim joining two reports ("highlighted X, expressing Y") is as faithful as
            # its worst part: each part is set against its own sentence.
            for part, ps in part_scores:
                j = int(np.argmax(ps))
                if sents[j].url != top.url or j in chosen:
                    continue
                sub = Claim(part, c.start, c.end, c.speaker)
                pv, pk, psev, preasons = judge_claim(sub, [sents[j].text], st.text, float(ps[j]))
                if pv is ClaimVerdict.DRIFT and psev is Severity.MAJOR or (pv is ClaimVerdict.DRIFT and pk in (
                        DriftKind.SOFTENED, DriftKind.HARDENED) and not preasons[0].startswith("the claim adds")):
                    chosen = sorted({*chosen, j})
                    matched = [sents[k].text for k in chosen if sents[k].url == top.url]
                    verdict, kind, sev, reasons = pv, pk, psev, preasons
                    break
        unsupported = verdict is ClaimVerdict.UNSUPPORTED
        paras = {p for j in chosen if sents[j].url == top.url for p in sents[j].paragraphs or (sents[j].paragraph,)}
        if kind is DriftKind.ATTRIBUTION and joint_changes(c.text, st.text):
            paras |= set(_byline(st.paragraphs))  # it reports (wrongly) who issued the statement
        out.append(ClaimCheck(
            c, verdict, kind, sev, top.url, top.version.id, top.version.seq,
            "" if unsupported else " ".join(matched), float(score[best]), reasons,
            () if unsupported else tuple(sorted(paras))))
    return out


# A byline's shape: "Office of the Spokesperson", or a name, a comma and an office ("Antony J.
# Blinken, Secretary of State", "Ned Price, Department Spokesperson"), with no "and" (a title
# may list people) and no sentence punctuation. Of the 2,031 State Department releases' first
# paragraphs it matches 1,998 and none of their titles in any version.
_BYLINE = re.compile(r"^(?:Office of the [A-Z][\w ]*|(?:[A-Z][\w.’'-]*\s){1,4}[A-Z][\w’'-]*,\s+(?:the\s+)?"
                     r"(?:[A-Z][\w.’'-]*\s+)*?(?:" + "|".join(sorted(t.capitalize() for t in TITLES))
                     + r")\b(?:(?!\band\b)[^.!?,;:])*)$")


def _byline(paragraphs: Sequence[str]) -> list[int]:
    """The paragraphs between the title and the first body paragraph ("Antony J. Blinken,
    Secretary of State"): who issued the statement. Paragraph 0 is the title, unless it has a
    byline's shape: a page the pipeline extracts keeps its title apart from its paragraphs.

    >>> _byline(["Title", "Ned Price, Department Spokesperson", "We condemn the attack today."])
    [1]
    >>> _byline(["Ned Price, Department Spokesperson", "We condemn the attack today."])
    [0]
    """
    start = 0 if paragraphs and _BYLINE.match(paragraphs[0].strip()) else 1
    out = []
    for i, p in enumerate(paragraphs[start:], start=start):
        if is_body(p):
            break
        if p.strip():
            out.append(i)
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
            quoted |= _paragraphs_of(st.paragraphs, qc.matched, qc.quote.text)
        para = {p for c in checks if c.source == st.url and c.verdict is not ClaimVerdict.UNSUPPORTED
                for p in c.paragraphs}
        if not quoted and not para:
            continue  # a statement the article does not report (a candidate, not a source)
        for i, p in enumerate(st.paragraphs):
            out.append(ParagraphCoverage(st.url, i, p, CoverageHow.of(i in quoted, i in para)))
    return tuple(out)


def _paragraphs_of(paragraphs: Sequence[str], passage: str, said: str = "") -> set[int]:
    """Paragraphs a matched passage draws on: each line of it found in a paragraph, else the
    paragraphs holding most of its word triples. Given the quotation itself (`said`), only
    the paragraphs it has words of: a passage spliced from two paragraphs matches all the
    text between them, which the quotation leaves out.

    >>> paras = ["The fund is run by the bank.", "We act under the law.", "Donors face audits."]
    >>> sorted(_paragraphs_of(paras, chr(10).join(paras), "The fund is run by the bank. Donors face audits."))
    [0, 2]
    """
    out: set[int] = set()
    for piece in (x.strip() for x in passage.split("\n")):
        if not piece:
            continue
        hit = {i for i, p in enumerate(paragraphs) if piece in p}
        if len(hit) > 1 and hit - {0}:
            hit -= {0}  # words the title repeats are quoted from the body that says them
        if not hit:
            pw = words(piece)
            grams = {tuple(pw[k:k + 3]) for k in range(max(1, len(pw) - 2))}
            for i, p in enumerate(paragraphs):
                w = words(p)
                mine = {tuple(w[k:k + 3]) for k in range(max(1, len(w) - 2))}
                if grams and len(grams & mine) >= 0.5 * len(grams):
                    hit.add(i)
        out |= hit
    if said and len(out) > 1:
        sw = words(said)
        n = min(3, len(sw))
        grams = {tuple(sw[k:k + n]) for k in range(len(sw) - n + 1)} if n else set()
        kept = {i for i in out if grams & {tuple(w[k:k + n]) for w in (words(paragraphs[i]),)
                                           for k in range(len(w) - n + 1)}}
        return kept or out
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
