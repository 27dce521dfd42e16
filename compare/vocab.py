"""The closed vocabularies of onrecord: significance, quote verdicts and severities, alert kinds,
what a change does and what its reasons are about.

StrEnums, so every member *is* its old string: `Significance.MINOR == "minor"`, JSON and
database values are unchanged, and a payload read back from the outbox converts with
`Significance(value)`. alerts/ imports this module (data flows compare -> alerts, never back).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Significance(StrEnum):
    """How much an edit matters, ordered: none < cosmetic < minor < substantive.

    The comparison operators follow that order (not the alphabet), so
    `max(levels)` is the most serious one:

    >>> Significance.COSMETIC < Significance.MINOR < Significance.SUBSTANTIVE
    True
    >>> Significance.highest(["minor", "substantive", "cosmetic"])
    <Significance.SUBSTANTIVE: 'substantive'>
    """

    NONE = "none"
    COSMETIC = "cosmetic"
    MINOR = "minor"
    SUBSTANTIVE = "substantive"

    @property
    def rank(self) -> int:
        """0 for none up to 3 for substantive."""
        return _SIGNIFICANCE_RANK[self]

    @classmethod
    def highest(cls, levels: Iterable[str]) -> Significance:
        """The most serious of `levels` (NONE when empty)."""
        return max((cls(level) for level in levels), default=cls.NONE)

    @classmethod
    def alertable(cls) -> tuple[Significance, ...]:
        """The levels a threshold may be set to (every level but NONE)."""
        return (cls.COSMETIC, cls.MINOR, cls.SUBSTANTIVE)

    def reaches(self, minimum: str) -> bool:
        """Is this level at least `minimum`?"""
        return self.rank >= Significance(minimum).rank

    # Ordered by rank; comparing with a plain string converts it (ValueError if it is not
    # a level), so a level read from JSON compares the same as the member.
    def __lt__(self, other: str) -> bool:
        return self.rank < Significance(other).rank

    def __le__(self, other: str) -> bool:
        return self.rank <= Significance(other).rank

    def __gt__(self, other: str) -> bool:
        return self.rank > Significance(other).rank

    def __ge__(self, other: str) -> bool:
        return self.rank >= Significance(other).rank


_SIGNIFICANCE_RANK = {level: i for i, level in enumerate(Significance)}


class Verdict(StrEnum):
    """What checking a press quote against the statement found (see compare/quotecheck.py)."""

    EXACT = "exact"  # character for character
    VARIANT = "variant"  # typography, case, spelling or number format only
    EDITED = "edited"  # ellipses and brackets own up to every departure
    MISQUOTE = "misquote"  # unmarked departures (severity minor or major)
    STALE = "stale"  # matches a version of the statement that was edited since
    UNVERIFIED = "unverified"  # no passage close enough

    @property
    def clean(self) -> bool:
        """True when the quote says what the statement says (now)."""
        return self in (Verdict.EXACT, Verdict.VARIANT, Verdict.EDITED)

    @property
    def alerted(self) -> bool:
        """True for the verdicts that raise an alert."""
        return self in (Verdict.MISQUOTE, Verdict.STALE)


class Severity(StrEnum):
    """How much a misquote's departures matter: none < minor < major."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @property
    def significance(self) -> Significance:
        """The alert level of a misquote of this severity: major is substantive."""
        return Significance.SUBSTANTIVE if self is Severity.MAJOR else Significance.MINOR


_SEVERITY_RANK = {level: i for i, level in enumerate(Severity)}


class AlertKind(StrEnum):
    """What an alert is about; also a Slack route's match (`stale=C0PRESS`)."""

    EDIT = "edit"  # a watched document has a new version
    MISQUOTE = "misquote"  # coverage puts words in the statement's mouth
    STALE = "stale"  # coverage quotes wording the statement has since dropped
    REMOVED = "removed"  # the page now answers 404 or 410
    NEW = "new"  # a first version (reserved: not raised yet)
    DRIFT = "drift"  # coverage reports, in its own words, what the statement did not say

    @property
    def about_quote(self) -> bool:
        """True when the alert's subject is an article quoting or reporting a statement:
        shown as the press's wording beside the official wording, threaded with the
        statement, linked to both. A drifted claim is reported speech without quotation
        marks, but it is read and acted on exactly as a misquote is."""
        return self in (AlertKind.MISQUOTE, AlertKind.STALE, AlertKind.DRIFT)

    @classmethod
    def for_verdict(cls, verdict: str) -> AlertKind:
        """The alert kind of a quote verdict that raises one.

        >>> AlertKind.for_verdict(Verdict.STALE)
        <AlertKind.STALE: 'stale'>
        """
        v = Verdict(verdict)
        if v is Verdict.STALE:
            return cls.STALE
        if v is Verdict.MISQUOTE:
            return cls.MISQUOTE
        raise ValueError(f"verdict {verdict!r} raises no alert")


class ClaimVerdict(StrEnum):
    """What checking a reported (unquoted) claim against the statement found (compare/claims.py)."""

    FAITHFUL = "faithful"  # a fact-checker would sign off: same actor, act, strength, numbers, scope
    DRIFT = "drift"  # reports a real statement sentence but changes it (see DriftKind)
    UNSUPPORTED = "unsupported"  # the statement does not say it at all


class DriftKind(StrEnum):
    """How a drifting claim changes the sentence it reports."""

    SOFTENED = "softened"  # stance, demand or assessment reported weaker
    HARDENED = "hardened"  # reported stronger
    NUMBER = "number"  # figure, count, date or duration changed
    NEGATION = "negation"  # polarity flipped
    MODAL = "modal"  # certainty, obligation or futurity changed
    ENTITY = "entity"  # person, body, place or instrument swapped
    SCOPE = "scope"  # extent changed ("a majority" -> "unanimously", "his" -> "all")
    ATTRIBUTION = "attribution"  # words or act assigned to the wrong party
    CONFLATION = "conflation"  # two separate points merged into a claim neither makes


class CoverageHow(StrEnum):
    """How an article reported one statement paragraph."""

    QUOTED = "quoted"
    PARAPHRASED = "paraphrased"
    BOTH = "both"
    NONE = "none"

    @property
    def covered(self) -> bool:
        return self is not CoverageHow.NONE

    @classmethod
    def of(cls, quoted: bool, paraphrased: bool) -> CoverageHow:
        """
        >>> CoverageHow.of(True, True), CoverageHow.of(False, False)
        (<CoverageHow.BOTH: 'both'>, <CoverageHow.NONE: 'none'>)
        """
        if quoted and paraphrased:
            return cls.BOTH
        if quoted:
            return cls.QUOTED
        return cls.PARAPHRASED if paraphrased else cls.NONE


class ChangeOp(StrEnum):
    """What one change of a diff does to the text (compare/model.py's `Change.op`)."""

    INSERT = "insert"
    DELETE = "delete"
    REPLACE = "replace"
    MOVE = "move"


class ReasonKind(StrEnum):
    """What one reason of a change is about (compare/model.py's `Reason`), decided where
    the reason is made, so that ordering and filtering never read its wording.

    The facts come first, in the order a reader wants them: an amount, a negation (it
    reverses the sentence), a name, a modal verb, a date, a qualifier, a link. The other
    kinds say what happened to the words, and rank after every fact.

    >>> ReasonKind.NUMBER.rank < ReasonKind.NEGATION.rank < ReasonKind.WORDS.rank == ReasonKind.STYLE.rank
    True
    """

    NUMBER = "number"
    NEGATION = "negation"
    NAME = "name"
    NAME_OR_TITLE = "name or title"  # a person's title among the names ("Ms -> Mr")
    MODAL = "modal verb"
    DATE = "date"
    QUALIFIER = "qualifier"
    LINK = "link"  # a link's target added, removed or changed
    # Not facts: what happened to the words.
    WORDS = "words"  # content words, a phrase, a sentence added, removed or replaced
    REWRITTEN = "rewritten"  # a stretch rewritten, told by its size and what it shares
    PARAGRAPH = "paragraph"  # a whole paragraph added or removed (compare/diff.py)
    WORDING = "wording"  # a minor rewording: function words, intensifiers, a quotation mark
    STYLE = "style"  # cosmetic: case, punctuation, spacing, spelling, a typo, link text
    MOVE = "move"
    TITLE = "title"  # the document's title changed or re-cased
    REVERT = "revert"  # the new version is an earlier one

    @property
    def fact(self) -> bool:
        """True for the kinds that name a concrete fact (an amount, a name, a negation...)."""
        return self in _FACTS

    @property
    def rank(self) -> int:
        """Where a reason of this kind goes among a change's reasons: the facts in order,
        then everything else (equal: those keep the order they were found in)."""
        return _FACTS.get(self, len(_FACTS))


_FACTS = {kind: i for i, kind in enumerate((
    ReasonKind.NUMBER, ReasonKind.NEGATION, ReasonKind.NAME, ReasonKind.NAME_OR_TITLE,
    ReasonKind.MODAL, ReasonKind.DATE, ReasonKind.QUALIFIER, ReasonKind.LINK))}
