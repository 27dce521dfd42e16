"""Direct quotes in press text: where they are, who is quoted and in what role.

Rule-based (no parser model can be installed here). Marks pair by direction for curly
quotes, guillemets and „low-high“; straight double quotes by parity; single quotes only where
an apostrophe reading is impossible. News multi-paragraph quotes (a paragraph that opens and
does not close continues in the next paragraph that opens again) become one Quote.

Every quotation is returned with its speaker (the name or pronoun the article attributes it
to, a pronoun resolved to the nearest named speaker before it) and a `QuoteRole`; the role
decides alerts, never whether a quote is aligned against the statements:

    >>> q, = extract_quotes('"We will not be intimidated," said Sen. Dale Whitcombe, a Republican.')
    >>> (q.speaker, q.role.value)
    ('Sen. Dale Whitcombe', 'other_speaker')
    >>> q, = extract_quotes('The statement called the trials "a grave injustice to the people."')
    >>> q.role.value
    'statement'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from compare.lexicon import REPORTING_VERBS


class QuoteRole(StrEnum):
    """Whose words a quotation is presented as (the `role` key of `onrecord quotes` JSON)."""

    STATEMENT = "statement"          # the statement, its issuer or the issuer's officials
    OTHER_SPEAKER = "other_speaker"  # someone else: analysts, lawmakers, foreign officials
    SCARE = "scare"                  # a term held at arm's length ("so-called", "called X")
    TITLE = "title"                  # the name of a report, plan, book or agreement


# Opening mark -> closing marks it accepts. A straight mark may close a curly one and the
# reverse: articles pasted from several sources mix them, and an unclosed quote would swallow
# every quote after it.
_CLOSERS: dict[str, tuple[str, ...]] = {
    "“": ("”", '"'), "„": ("“", "”"), "«": ("»",), "»": ("«",), "‘": ("’", "'"), "‚": ("‘", "’"),
    '"': ('"', "”"), "'": ("'", "’"), "‹": ("›",),
}
_MIXED_CLOSE = {("“", '"'), ("‘", "'"), ('"', "”"), ("'", "’")}
_REOPEN = set("“„«»‘‚\"'‹")
MIN_WORDS = 4  # below this an unattributed quote is read as a scare quote
LONG_UNATTRIBUTED = 8  # a quote this long with no cue at all is read as the statement's words

# Who counts as the statement's side when named as the speaker (or as the subject of "called").
ISSUER_CUES = re.compile(
    r"\b(statement|statements|communiqu[eé]|readout|(?:press )?release|declaration|"
    r"secretary|spokes(?:man|woman|person)|(?:state )?department|white house|"
    r"administration|embassy|joint|washington|the united states|the u\.s\.|"
    r"officials?|text|the document|it|(?:full |whole |same )?(?:sentence|passage|line|provision|"
    r"wording|paragraph))\b", re.I)
# Reporting verbs come from the shared lexicon, plus verbs of speech that introduce a
# speaker in news but are not evidence of quoting a written statement.
_SPEECH = sorted(set(REPORTING_VERBS) | {
    "told", "tells", "asked", "asks", "explained", "explains", "tweeted", "posted", "replied",
    "responded", "recalled", "acknowledged", "admitted", "claimed", "complained", "predicted",
    "joked", "boasted", "suggested", "concluded", "continued", "cautioned", "charged",
    "countered", "conceded", "observed", "remarked", "shouted", "testified", "wrote", "quipped",
    "promised", "thundered", "exclaimed", "lamented", "mused", "contended", "maintained",
    "agreed", "echoed", "chimed", "yelled", "stated", "said in a statement", "tweeted out",
}, key=lambda v: (-len(v), v))
REPORTING = re.compile(r"\b(" + "|".join(re.escape(v) for v in _SPEECH) + r")\b", re.I)
OTHER_CUES = re.compile(
    r"\b(analysts?|critics?|experts?|professor|researchers?|scholars?|opposition|activists?|"
    r"lawmakers?|senators?|sen\.|rep\.|congressman|congresswoman|residents?|protesters?|witnesses|"
    r"diplomats?|observers?|editors?|columnists?|commentators?|campaigners?|economists?|a source|"
    r"sources|think[- ]tank|fellow at|director (?:at|of)|teaches|member of|opponents?|rivals?|"
    r"republican|democrat(?:ic)?|labour|parliament|mp|lawyer|attorney|candidate|governor|mayor|"
    r"alliance|institute|foundation|university|coalition|association|league|watch|"
    r"spokes(?:man|woman|person) for (?!the (?:state )?department|the white house))\b", re.I)
SCARE_CUES = re.compile(r"\b(so-called|dubbed|nicknamed|known as|branded|termed|labell?ed)\s*$", re.I)
# "X called the trials “a farce”", "described it as ‘…’", "spoke of « … »": the quote is a
# term X used, not a sentence X said. Scare unless X is the statement's side.
NAMING = re.compile(
    r"\b(call(?:s|ed|ing)?(?! (?:for|on|upon)\b)|describ(?:e|es|ed|ing)|dismiss(?:es|ed|ing)?|"
    r"characteri[sz](?:e|es|ed|ing)|condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|"
    r"decr(?:y|ies|ied)|labell?(?:s|ed|ing)?|spoke of|speak of|talk(?:s|ed)? of|"
    r"convicted of|accused of|charged with)\b[^.!?“”\"«»]{0,80}$", re.I)
TITLE_CUES = re.compile(
    r"\b(titled|entitled|headlined|report|book|film|plan|strategy|initiative|program(?:me)?|"
    r"act|bill|accords?|agreement|consensus|doctrine|formally(?: the)?|named|the|'s|’s)\s*[,:]?\s*$",
    re.I)
_ABBREV = re.compile(
    r"(?:\b(?:Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Cmdr|Mr|Mrs|Ms|Dr|Prof|Rev|Sec|Amb|Pres|St|Jr|Sr|"
    r"Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|No|Nos|vs|etc|Inc|Co|Corp|Ltd|Mt|Ft|Vol|Ave|approx)"
    r"|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])$")
_TITLE_WORD = r"(?:Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Mr|Mrs|Ms|Dr|Prof|Rev|Amb)\.?"
_CAP = r"(?:[A-Z][\w'’.\-]*|[A-Z]\.)"
# A name: capitalized words, with titles, initials and lowercase particles inside.
_NOT_NAME = (r"(?!(?:The|A|An|In|On|At|With|That|This|These|Those|There|It|He|She|We|They|I|But|And|"
             r"If|When|As|For|So|What|Why|How|Who|Its|His|Her|Their|Our|My|Your|Not|No|Yes|Some|"
             r"After|Before|While|During|Since|Although|Though)\b)")
NAME = (rf"{_NOT_NAME}(?:{_TITLE_WORD}\s+)?{_CAP}(?:\s+(?:(?:of|de|da|van|von|al|bin|la|le|del|der|the)\s+)?{_CAP})*")
PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)"
# A described speaker: "the statement", "a State Department spokesman", "one senior official".
COMMON = r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Tt]wo|[Tt]hree|[Ss]everal|[Mm]any|[Ss]ome)\s+(?:[\w'’\-.]+\s+){0,4}?[\w'’\-]+"
SPEAKER_NP = rf"(?:{NAME}|{PRONOUN}|{COMMON})"
_ADVERB = r"(?:\w+ly\s+|also\s+|later\s+|then\s+|had\s+|has\s+|have\s+|would\s+|will\s+)*"
_VERB = REPORTING.pattern
_LOOSE = (r"(?:say|says|said|saying|tell|tells|told|telling|add|adds|added|adding|write|writes|wrote|"
          r"writing|tweeted|posted|ask(?:s|ed|ing)?|argu(?:e|es|ed|ing)|claim(?:s|ed|ing)?|"
          r"insist(?:s|ed|ing)?|warn(?:s|ed|ing)?|urg(?:e|es|ed|ing)|declar(?:e|es|ed|ing)|"
          r"announc(?:e|es|ed|ing)|not(?:e|es|ed|ing)|stress(?:es|ed|ing)?|vow(?:s|ed|ing)?|"
          r"pledg(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|explain(?:s|ed|ing)?|respond(?:s|ed|ing)?|"
          r"repl(?:y|ies|ied|ying)|recall(?:s|ed|ing)?|admit(?:s|ted|ting)?|acknowledg(?:e|es|ed|ing)|"
          r"complain(?:s|ed|ing)?|predict(?:s|ed|ing)?|suggest(?:s|ed|ing)?|report(?:s|ed|ing)?|"
          r"read|reads|quot(?:e|es|ed|ing)|sing(?:s|ing)?|sang|chant(?:s|ed|ing)?|mock(?:s|ed|ing)?|"
          r"prais(?:e|es|ed|ing)|laud(?:s|ed|ing)?|cit(?:e|es|ed|ing)|continu(?:e|es|ed|ing)|"
          r"conclud(?:e|es|ed|ing)|describ(?:e|es|ed|ing)|call(?:s|ed|ing)? (?:for|on|upon)|call(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|"
          r"accus(?:e|es|ed|ing)|label(?:s|ed|led|ing|ling)?|brand(?:s|ed|ing)?|dub(?:s|bed|bing)?|"
          r"outlin(?:e|es|ed|ing)|thank(?:s|ed|ing)?|criticiz(?:e|es|ed|ing)|blast(?:s|ed|ing)?|"
          r"slam(?:s|med|ming)?|demand(?:s|ed|ing)?|wonder(?:s|ed|ing)?|declin(?:e|es|ed|ing)|"
          r"agree(?:s|d|ing)?|testif(?:y|ies|ied|ying)|vow(?:s|ed)?|joke[sd]?|quipp?(?:s|ed)?|"
          r"highlight(?:s|ed|ing)?|emphasi[sz](?:e|es|ed|ing)|underlin(?:e|es|ed|ing)|express(?:es|ed|ing)?|"
          r"reiterat(?:e|es|ed|ing)|reaffirm(?:s|ed|ing)?)")
# "called for", "called on" are matched whole: they report a demand, not a term.
LOOSE_VERB = re.compile(rf"\b{_LOOSE}\b", re.I)
NAMING_VERB = re.compile(
    r"(?:describ(?:e|es|ed|ing)|call(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|label(?:s|ed|led|ing|ling)?|"
    r"brand(?:s|ed|ing)?|dub(?:s|bed|bing)?|accus(?:e|es|ed|ing))", re.I)
_POSS_NP = rf"{NAME}(?:'s|’s)(?:\s+[\w'’\-]+){{1,4}}"
_NP = rf"(?:{_POSS_NP}|{NAME}(?:\s+\([^()]{{1,20}}\))?|{PRONOUN}|{COMMON})"
_OPENER = r"(?:(?:But|And|So|Yet|Still|Then|Later|Earlier|Meanwhile|Instead|Now|Also)\b,?\s+|(?:On|In|At|During|After|Before|Asked|Speaking|Earlier|Last|This)\b[^,]{0,60},\s+)?"
SUBJECT = re.compile(rf"\s*{_OPENER}(?P<sp>{_NP})(?=[\s,’']|$)")
SUBJECT_BEFORE = re.compile(rf"(?P<sp>{_NP})(?:,[^,“”\"]{{1,80}},)?\s+{_ADVERB}$")
_PHRASE = r"[^“”\"\n]{1,90}?"
AFTER_VERB_FIRST = re.compile(
    rf"^[\s,;:—–-]*{_ADVERB}{_VERB}\s+(?P<sp>{NAME}(?:\s+\([^()]{{1,20}}\))?|{COMMON}|{PRONOUN}|[^,.;:!?“”\"]{{1,60}})")
AFTER_SPEAKER_FIRST = re.compile(
    rf"^[\s,;:—–-]*(?!\s*(?:and|but|or|then|as|while|which|who|that|if|when)\b)(?P<sp>{_PHRASE})\s+{_ADVERB}{_VERB}\b")
AFTER_DASH = re.compile(rf"^[\s,.]*[―—–]\s*(?P<sp>{NAME})")  # a vox pop: “…” ― Name
AFTER_LATER = re.compile(rf"[,;—–]\s*(?P<sp>{PRONOUN}|{NAME})\s+{_ADVERB}{_VERB}\b")
INVERTED = re.compile(rf"\b[Ss]aid (?P<sp>{NAME})\s*[:,]\s*$")  # "Said Ellis: “…”"
ACCORDING = re.compile(rf"\baccording to (?P<sp>{SPEAKER_NP})\s*,?\s*$", re.I)
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
# Titles before a name that make the person one of the issuer's officials.
ISSUER_TITLES = re.compile(
    rf"\b(?:Secretary of State|Secretary|Deputy Secretary|Under Secretary|Assistant Secretary|"
    rf"(?:State Department |Department |White House )?(?:spokes(?:man|woman|person)|Press Secretary))\s+"
    rf"(?P<name>{NAME})")
ISSUER_APPOSITIVE = re.compile(
    rf"(?P<name>{NAME}),\s+(?:[Tt]he\s+|[Aa]\s+)?(?:State Department|[Dd]epartment|White House|U\.S\.)?\s*"
    rf"(?:[Ss]pokes(?:man|woman|person)|[Ss]ecretary|[Aa]mbassador)\b(?! for (?!the (?:State )?Department|the White House))")


@dataclass(frozen=True)
class Quote:
    """Text inside quotation marks, with offsets into the article text.

    `speaker` is who the article says is quoted ("" when no one is named); a pronoun is
    resolved to the nearest named speaker before it. `speaker_span` is where the attribution
    itself stands in the text ((0, 0) when none). `role` says whose words they are presented as.
    """

    text: str
    start: int
    end: int
    role: QuoteRole = QuoteRole.STATEMENT
    context: str = ""
    speaker: str = ""
    speaker_span: tuple[int, int] = (0, 0)

    @property
    def attributed(self) -> bool:
        """Presented as the statement's words: the quotes a misquote alert is raised for."""
        return self.role is QuoteRole.STATEMENT

    @property
    def words(self) -> int:
        return len(self.text.split())


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _is_open(para: str, i: int, ch: str) -> bool:
    prev = para[i - 1] if i else " "
    nxt = para[i + 1] if i + 1 < len(para) else " "
    if ch in ("‘", "'"):
        # An apostrophe ('90s, rock 'n' roll, ministers') follows a letter or precedes a space;
        # before a digit it elides a century ("the early '80s", "class of ’08"), never opens.
        if re.match(r"\d\d(?:s\b|\b)", para[i + 1:i + 4]):
            return False
        return not prev.isalnum() and (nxt.isalnum() or nxt in "“\"[(")
    if ch == '"':
        return not prev.isalnum() or prev in ".,;:!?"
    return True


def _is_close(para: str, i: int, ch: str, opener: str = "") -> bool:
    nxt = para[i + 1] if i + 1 < len(para) else " "
    prev = para[i - 1] if i else " "
    if (opener, ch) in _MIXED_CLOSE:
        # A mark of the other style closes only where a closing mark can stand: after the
        # quoted text and before a space or punctuation, so “a "b" c” still nests.
        return not prev.isspace() and not nxt.isalnum()
    if ch in ("’", "'"):
        # ’ inside a word (don’t, NATO’s) is an apostrophe, not the end of a quote.
        return not nxt.isalnum()
    return True


def _spans(text: str) -> list[list[tuple[int, int]]]:
    """Outermost quoted spans; each a list of (start, end) pieces, one per paragraph."""
    out: list[list[tuple[int, int]]] = []
    carry: list[tuple[int, int]] | None = None
    carry_open: str | None = None
    for p_start, p_end in _paragraphs(text):
        para = text[p_start:p_end]
        stack: list[tuple[str, int]] = []  # (opening mark, index after it)
        i = 0
        if carry is not None:
            lead = len(para) - len(para.lstrip())
            if para[lead:lead + 1] in _REOPEN:
                # The quote from the previous paragraph goes on.
                stack.append((carry_open or '"', lead + 1))
                i = lead + 1
            else:
                out.append(carry)
                carry = None
        while i < len(para):
            ch = para[i]
            if stack and ch in _CLOSERS[stack[-1][0]] and _is_close(para, i, ch, stack[-1][0]):
                mark, at = stack.pop()
                if not stack:
                    pieces = (carry or []) + [(p_start + at, p_start + i)]
                    out.append(pieces)
                    carry = None
            elif stack and ch in ('"', "'") and any(m == ch for m, _ in stack[:-1]) and _is_close(para, i, ch):
                # A straight mark closing an outer quote whose inner quote was left open.
                while stack and stack[-1][0] != ch:
                    stack.pop()
                mark, at = stack.pop()
                if not stack:
                    out.append((carry or []) + [(p_start + at, p_start + i)])
                    carry = None
            elif ch in _CLOSERS and _is_open(para, i, ch) and not (ch == "»" and not stack and "«" not in para[i:]):
                stack.append((ch, i + 1))
            i += 1
        if stack:
            mark, at = stack[0]
            carry = (carry or []) + [(p_start + at, p_end)]
            carry_open = mark
        elif carry is not None and not stack:
            carry = None
    if carry is not None:
        out.append(carry)
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentence_ends(text: str, a: int, b: int) -> list[int]:
    """Offsets in [a, b) where a sentence ends ("Rep.", "U.S." and initials do not end one)."""
    out = []
    for m in re.finditer(r"[.!?][\"”’»]?\s+(?=[A-Z“\"‘«„])", text[a:b]):
        if text[a + m.start()] == "." and _ABBREV.search(text[max(a, a + m.start() - 12):a + m.start()]):
            continue
        out.append(a + m.end())
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, paragraph by paragraph, trimmed of spaces.

    The same sentence ends as quote attribution uses ("U.S." and "Rep." end none):

    >>> t = "The U.S. said so. It added more.\nNext para"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['The U.S. said so.', 'It added more.', 'Next para']
    """
    out: list[tuple[int, int]] = []
    for p_a, p_b in _paragraphs(text):
        cuts = [p_a, *_sentence_ends(text, p_a, p_b), p_b]
        for a, b in zip(cuts, cuts[1:], strict=False):
            a, b = _trim(text, a, b)
            if b > a:
                out.append((a, b))
    return out


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    para_a = text.rfind("\n", 0, start) + 1
    para_b = text.find("\n", end)
    para_b = len(text) if para_b < 0 else para_b
    ends = _sentence_ends(text, para_a, start)
    left = ends[-1] if ends else para_a
    right = para_b
    if text[end - 1:end] == "." and re.match(r"[”\"’»]?\s+[A-Z“\"‘«„]", text[end:para_b]):
        # “… in history.” She says …: a quote that ends its sentence ends the sentence.
        return left, end
    for m in re.finditer(r"[.!?](?=\s+[A-Z“\"‘«„]|\s*$)", text[end:para_b]):
        at = end + m.start()
        if text[at] == "." and _ABBREV.search(text[max(end, at - 12):at]):
            continue
        right = end + m.end()
        break
    return left, right


@dataclass(frozen=True)
class _Said:
    """An attribution found next to a quote: the speaker as written and where."""

    name: str
    start: int
    end: int


def _clean_np(np: str) -> str:
    np = re.sub(r"(?<=[a-z]{2})\.$", "", np.strip(" ,;:"))  # "Rep. Jane Doe." ends a sentence
    # "Kyaw Zin Htet, a spokesman": the appositive is not part of the name.
    return re.sub(r"\s+", " ", np)


def _span_of(text: str, base: int, m: re.Match[str]) -> _Said:
    np = m.group("sp")
    stripped = np.rstrip(" ,;:")
    lead = len(stripped) - len(stripped.lstrip())
    a = base + m.start("sp") + lead
    return _Said(_clean_np(stripped), a, base + m.start("sp") + len(stripped))


def _subject(sentence: str) -> re.Match[str] | None:
    """The sentence's subject: its words up to the first verb (after an opener), when they
    start with a name, a pronoun or a determiner ("The Kenya statement names …")."""
    m = SUBJECT.match(sentence)
    if m is None:
        return None
    stop = re.compile(rf"\s+(?:{_LOOSE}|has|had|have|is|was|were|are|will|would|also|then|\w+ly)\b|"
                      rf"\s+\w+s\s+[“\"«‘]|,|[“\"«‘]|$", re.I)
    end = stop.search(sentence, m.start("sp"))
    if end is None or len(sentence[m.start("sp"):end.start()].split()) > 8:
        return m
    a, b = m.start("sp"), end.start()
    return re.match(rf"[\s\S]{{{a}}}(?P<sp>[\s\S]{{{b - a}}})", sentence)


def _said_near(text: str, start: int, end: int, s_a: int, s_b: int) -> tuple[_Said | None, str, bool]:
    """The speaker next to the quote in its sentence, the text describing them, and whether
    the verb names a term ("called it “…”") rather than reports speech."""
    after_at = end + 1 if end < len(text) and text[end] in "”\"’'»«›" else end
    after = text[after_at:s_b]
    for rx in (AFTER_DASH, AFTER_VERB_FIRST, AFTER_SPEAKER_FIRST, AFTER_LATER):
        m = rx.search(after)
        if m and not re.search(r"[“”\"«»]", m.group("sp")):
            said = _span_of(text, after_at, m)
            return said, text[said.end:s_b], False
    open_at = start - 1 if start and text[start - 1] in "“\"‘'«„‚»‹" else start
    before = text[s_a:open_at]
    if not before.strip():
        # "He said:" / "The New York Times reports:" closing the paragraph before.
        para_a = text.rfind("\n", 0, start) + 1
        prev_end = len(text[:para_a].rstrip())
        if prev_end and text[prev_end - 1] == ":":
            p_a = text.rfind("\n", 0, prev_end) + 1
            ends = _sentence_ends(text, p_a, prev_end)
            s_a = ends[-1] if ends else p_a
            before = text[s_a:prev_end]
    m = ACCORDING.search(before) or INVERTED.search(before)
    if m:
        return _span_of(text, s_a, m), before[:m.start("sp")], False
    verbs = list(LOOSE_VERB.finditer(before))
    if not verbs:
        # "Sen. Claire McCaskill scolded him: “…”": a colon introduces the subject's words.
        m = _subject(before) if before.rstrip().endswith(":") else None
        return (_span_of(text, s_a, m) if m else None), before, False
    # The nearest verb with its speaker written before it ("Sanders said, going on to say
    # that “…”": "say" has none, "said" has Sanders); else the sentence's subject.
    for v in reversed(verbs):
        found = _np_ending_at(text, s_a, s_a + v.start(), participle=v.group(0).lower().endswith("ing"))
        if found is not None:
            return found, before, NAMING_VERB.fullmatch(v.group(0)) is not None
    v = verbs[-1]
    m = _subject(before[:v.start()])
    return (_span_of(text, s_a, m) if m else None), before, NAMING_VERB.fullmatch(v.group(0)) is not None


def _np_ending_at(text: str, lo: int, at: int, participle: bool) -> _Said | None:
    """The speaker written right before a verb ending at `at`: a pronoun, else the longest
    name or description of up to eight words ("The New York businessman says")."""
    head = re.sub(r"(?:\s+(?:\w+ly|also|later|then|had|has|have|would|will|is|was|were|are|been|not|"
                  r"never|once|again|repeatedly))+$", "", " " + text[lo:at].rstrip())[1:]
    words = list(re.finditer(r"\S+", head))
    if not words or words[-1].group(0).lower() in ("and", "but", "or", "to", "then"):
        return None  # "… and said “…”": the speaker is the sentence's subject
    pron = re.fullmatch(rf"({PRONOUN})(?:['’](?:s|d|ll|re|ve))?", words[-1].group(0))
    if pron:  # "He’s claiming that …"
        w = words[-1]
        return _Said(pron.group(1), lo + w.start(), lo + w.start() + len(pron.group(1)))
    best = None
    for w in words[-8:]:
        piece = head[w.start():]
        if re.fullmatch(NAME + r"(?:\s+\([^()]{1,20}\))?", piece) or (
                not participle and re.fullmatch(COMMON, piece, re.I)):
            best = _Said(_clean_np(piece), lo + w.start(), lo + len(head))
            break
    return best


def _is_issuer_np(np: str, appositive: str, issuers: Sequence[str], officials: set[str]) -> bool:
    """Whether the speaker is the statement's side: a known official or issuer by name, else
    a cue in the speaker's words or their appositive ("Kyaw Zin Htet, a spokesman for the
    National Unity Government" is someone else's spokesman)."""
    words = [w.strip("’'s,.") for w in np.split()]
    if any(n and n.lower() in np.lower() for n in issuers) or (words and words[-1] in officials):
        return True
    if OTHER_CUES.search(np) or OTHER_CUES.search(appositive):
        return False
    if re.search(r"\b(?:foreign ministry|ministry|kremlin|regime|junta|government of)\b", np, re.I):
        return False
    return ISSUER_CUES.search(np) is not None or re.match(
        r"[\s,]*(?:the |a |an )?(?:(?:state )?department |white house |u\.s\. )?"
        r"(?:secretary|spokes(?:man|woman|person)|official|statement)\b|"
        r"[^.“”\"]{0,40}\b(?:in|via) (?:a|the|its|their) (?:joint |written )?statement", appositive, re.I) is not None


def _unmarked(speaker: str, appositive: str) -> bool:
    """A person named with nothing that makes them someone else ("Ned Price briefed the press.
    “…,” he told reporters"): taken as the issuer's, so a misquote of them still alerts. A
    described speaker ("the envoys", "one Honduran newspaper") is someone else."""
    if speaker.lower() in _PRONOUNS - {"it"}:
        # "she said", no one named: nothing makes her someone else.
        return not OTHER_CUES.search(appositive)
    if not speaker[:1].isupper() or re.match(r"(?:The|A|An|One|Another|Some|Several)\b", speaker):
        return False
    return not OTHER_CUES.search(speaker) and not OTHER_CUES.search(appositive) and not re.search(
        r"\b(?:foreign|minister|ministry|kremlin|regime|junta|president|prime minister|chancellor|"
        r"envoy|general|spokes(?:man|woman|person) for)\b", speaker + " " + appositive, re.I)


def _looks_like_title(body: str) -> bool:
    words = [w for w in re.findall(r"[\w'’-]+", body) if len(w) > 3]
    if not words or len(body.split()) > 14:
        return False
    caps = sum(w[0].isupper() for w in words)
    return caps / len(words) >= 0.75 and not re.search(r"[.!?][\s\"”’]*$", body.rstrip(",. ")) \
        and not re.search(r"\b(?:I|we|you|will|is|are|was|must)\b", body)


def _officials(text: str, issuers: Sequence[str]) -> set[str]:
    """Surnames of the issuer's people the article names with their title."""
    out = {n.split()[-1] for n in issuers if n and n.split()}
    for rx in (ISSUER_TITLES, ISSUER_APPOSITIVE):
        for m in rx.finditer(text):
            parts = m.group("name").split()
            if parts:
                out.add(parts[-1].strip("’'s,"))
    return out


@dataclass
class _Article:
    text: str
    issuers: Sequence[str]
    officials: set[str]
    last: Quote | None = None
    last_named: str = ""


_ORG = re.compile(r"\b(?:Alliance|Department|Council|Committee|Party|Network|Group|Institute|University|"
                  r"Ministry|Office|Association|Union|Agency|Foundation|Center|Centre|Times|Post|News|"
                  r"House|States|Nations|Court|Congress|Senate|Bank|Fund|Board|Commission|Act|Order|Law)\b")
_PERSON = re.compile(rf"{_NOT_NAME}(?:{_TITLE_WORD}\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’\-]+)+")


def _resolve(article: _Article, said: _Said, upto: int | None = None) -> str:
    """A pronoun as the nearest named speaker before it; a name as written.

    The nearest of: the last named speaker of a quote, and the last full name (two or more
    capitalized words) in the text before the pronoun ("Elena Portas of the Peacebuilding
    Alliance said …. “…,” she said").
    """
    if said.name.lower() not in _PRONOUNS:
        return said.name
    if said.name.lower() == "it":
        if article.last is not None and article.last.attributed:
            return article.last.speaker or "the statement"
        return said.name
    last = article.last
    if last is not None and last.speaker_span != (0, 0) and said.start - last.speaker_span[1] < 300 \
            and article.text[last.speaker_span[0]:last.speaker_span[1]] == said.name:
        return last.speaker  # the same pronoun again: the same person
    # Names inside the quote itself are not candidates: look before it.
    hi = said.start if upto is None else min(said.start, upto)
    lo = max(0, hi - 500)
    window = article.text[lo:hi]
    best, best_at = "", -1
    if article.last_named:
        surname = article.last_named.split()[-1]
        at = window.rfind(surname)
        if at >= 0:
            best, best_at = article.last_named, at
    for m in _PERSON.finditer(window):
        if m.start() > best_at and not ISSUER_CUES.fullmatch(m.group(0)) and not _ORG.search(m.group(0)):
            best, best_at = m.group(0), m.start()
    return best or article.last_named or said.name


def _described(article: _Article, name: str, before: int) -> str:
    """What follows the last mention of `name` before `before` ("Elena Portas of the
    Peacebuilding Alliance"): a pronoun's speaker is described where they were named."""
    at = article.text.rfind(name, max(0, before - 600), before)
    if at < 0:
        return ""
    tail = article.text[at + len(name):min(before, at + len(name) + 110)]
    return re.split(r"[“”\"«»‘.]", tail)[0]


def _classify(article: _Article, start: int, end: int, body: str) -> tuple[QuoteRole, str, tuple[int, int], str]:
    """(role, speaker, speaker span, context sentence) for the quote at [start, end)."""
    text = article.text
    s_a, s_b = _sentence_bounds(text, start, end)
    context = text[s_a:s_b].strip()
    open_at = start - 1 if start and text[start - 1] in "“\"‘'«„‚»‹" else start
    before = text[s_a:open_at].rstrip()
    words = len(body.split())
    if SCARE_CUES.search(before):
        return QuoteRole.SCARE, "", (0, 0), context
    if _looks_like_title(body) and re.search(r"\b(?:titled|entitled|headlined|report|book|film|plan|"
                                             r"strategy|formally(?: the)?|known as)\s*[,:]?$", before):
        return QuoteRole.TITLE, "", (0, 0), context
    said, _, naming = _said_near(text, start, end, s_a, s_b)
    if said is not None:
        speaker = _resolve(article, said, open_at)
        # The words right after the speaker: an appositive or "said in a joint statement".
        appositive = re.split(r"[“”\"«»‘]", text[said.end:min(s_b, said.end + 110)])[0]
        if said.name.lower() in _PRONOUNS and speaker != said.name:
            appositive += " " + _described(article, speaker, said.start)
        issuer = _is_issuer_np(speaker, appositive, article.issuers, article.officials)
        if naming:
            # "X called the trials “a farce”": X's term, held at arm's length, unless X is the
            # statement's side ("The statement called the executions “reprehensible”").
            role = QuoteRole.STATEMENT if issuer else QuoteRole.SCARE
        elif said.name.lower() in _PRONOUNS and article.last is not None and article.last.speaker == speaker \
                and article.last.role in (QuoteRole.STATEMENT, QuoteRole.OTHER_SPEAKER):
            role = article.last.role
        elif issuer or said.name.lower() == "it" or _unmarked(speaker, appositive):
            role = QuoteRole.STATEMENT
        else:
            role = QuoteRole.OTHER_SPEAKER
        return role, speaker, (said.start, said.end), context
    term = NAMING.search(before)
    if term:
        subject = before[:term.start()]
        subj_tail = subject[-80:]
        if _is_issuer_np(subj_tail, "", article.issuers, article.officials) and not OTHER_CUES.search(subj_tail):
            return QuoteRole.STATEMENT, "", (0, 0), context
        return QuoteRole.SCARE, "", (0, 0), context
    # A quote continuing the previous speaker's words: the same paragraph, or a paragraph that
    # opens with a quote right after one that quoted someone.
    last = article.last
    if last is not None and last.speaker:
        para_a = text.rfind("\n", 0, start) + 1
        same_para = last.end > para_a
        # The previous paragraph ends with the quote or its attribution (“…,” he said.).
        next_para = not text[para_a:open_at].strip() and len(text[last.end:para_a].split()) <= 8
        if same_para or next_para or re.fullmatch(r"[\s\S]{0,4}", text[last.end:start]):
            return last.role, last.speaker, last.speaker_span, context
    if not before:
        # “…” right after "Schiff said." in the same paragraph: the sentence before names the speaker.
        para_a = text.rfind("\n", 0, start) + 1
        prev = re.search(rf"(?P<sp>{NAME}|{PRONOUN})\s+{_ADVERB}(?:said|says|added|adds|wrote|writes|explained)"
                         rf"(?:\s+\w+){{0,3}}[.:]\s*$", text[para_a:open_at])
        if prev:
            said = _Said(prev.group("sp"), para_a + prev.start("sp"), para_a + prev.end("sp"))
            speaker = _resolve(article, said)
            issuer = _is_issuer_np(speaker, "", article.issuers, article.officials)
            return (QuoteRole.STATEMENT if issuer else QuoteRole.OTHER_SPEAKER), speaker, \
                (said.start, said.end), context
    if _looks_like_title(body) and (TITLE_CUES.search(before) or not before):
        return QuoteRole.TITLE, "", (0, 0), context
    if words < MIN_WORDS:
        return QuoteRole.SCARE, "", (0, 0), context
    # A whole sentence in quotation marks, standing alone: news style for the source's words.
    whole = not before and re.search(r"[.!?]$", body.rstrip(" ”\"’»")) is not None
    if before.endswith(":") or whole or words >= LONG_UNATTRIBUTED or ISSUER_CUES.search(before):
        if OTHER_CUES.search(before):
            return QuoteRole.OTHER_SPEAKER, "", (0, 0), context
        if whole:
            # Its speaker is the previous sentence's subject when that is the statement ("On
            # Taiwan, the joint statement highlighted …. “…”"), else the statement last quoted.
            para_a = text.rfind("\n", 0, start) + 1
            ends = _sentence_ends(text, para_a, open_at + 1)
            prev_a = ends[-2] if len(ends) > 1 else para_a
            subj = _subject(text[prev_a:open_at]) if ends else None
            if subj and ISSUER_CUES.search(subj.group("sp")) and not OTHER_CUES.search(subj.group("sp")):
                a = prev_a + subj.start("sp")
                return QuoteRole.STATEMENT, _clean_np(subj.group("sp")), (a, prev_a + subj.end("sp")), context
            if last is not None and last.role is QuoteRole.STATEMENT and last.speaker:
                return QuoteRole.STATEMENT, last.speaker, last.speaker_span, context
        return QuoteRole.STATEMENT, "", (0, 0), context
    return QuoteRole.SCARE, "", (0, 0), context


def extract_quotes(text: str, issuers: Sequence[str] = ()) -> list[Quote]:
    """Every quoted passage with offsets, speaker and role; `issuers` are names of the source.

    Nothing is dropped: check_article aligns every quote against the statements, and only
    the alerts depend on the role (see alerts/compose.py quote_alert_due).
    """
    out: list[Quote] = []
    article = _Article(text, tuple(issuers), _officials(text, issuers))
    for pieces in _spans(text):
        trimmed = [_trim(text, a, b) for a, b in pieces]
        trimmed = [(a, b) for a, b in trimmed if b > a]
        if not trimmed:
            continue
        start, end = trimmed[0][0], trimmed[-1][1]
        body = " ".join(text[a:b] for a, b in trimmed)
        if not body.split():
            continue
        role, speaker, span, context = _classify(article, start, end, body)
        q = Quote(body, start, end, role, context, speaker, span)
        out.append(q)
        article.last = q
        if speaker and speaker.lower() not in _PRONOUNS and speaker[:1].isupper() and span != (0, 0):
            article.last_named = speaker
    return out
