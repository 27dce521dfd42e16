"""Data types passed out of compare/: `Change`, `Diff`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compare.vocab import Significance

# Short names for the levels (the members themselves, not a second vocabulary).
NONE, COSMETIC, MINOR, SUBSTANTIVE = (Significance.NONE, Significance.COSMETIC,
                                      Significance.MINOR, Significance.SUBSTANTIVE)


# The facts a reason can name, in the order a reader wants them: an amount, a negation (it
# reverses the sentence), a name, a modal verb, a date, a qualifier, a link
# (compare/significance.py words them "number changed: $80 million -> $58 million",
# "negation removed: not", ...).
FACT_KINDS = ("number", "negation", "name", "name or title", "modal verb", "date", "qualifier",
              "link")
_FACT = re.compile(r"(" + "|".join(sorted(FACT_KINDS, key=len, reverse=True))
                   + r")s? (?:order )?(?:changed|added|removed)\b")


def fact_rank(reason: str) -> int:
    """Where `reason` goes among a change's reasons: the facts in FACT_KINDS order, then
    everything else (what happened to the words: rewritten, removed, moved).

    >>> fact_rank("number changed: 80 -> 58") < fact_rank("negation removed: not") < fact_rank("sentence removed: 'x'")
    True
    """
    m = _FACT.match(reason)
    return FACT_KINDS.index(m.group(1)) if m else len(FACT_KINDS)


def is_fact(reason: str) -> bool:
    """True when `reason` names a concrete fact (an amount, a name, a negation, ...)."""
    return fact_rank(reason) < len(FACT_KINDS)


@dataclass(frozen=True)
class Change:
    """One edit between two versions, with character spans in both texts."""

    op: str  # insert | delete | replace | move
    old: str
    new: str
    significance: Significance
    reasons: tuple[str, ...]
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    # True when the whole new version equals an earlier one (the edit was undone).
    # Not part of the JSON contract; the store records reverts separately.
    revert: bool = False
    # "text", or "title" for a change of the title: its spans are in the titles, not the texts.
    part: str = "text"

    def to_json(self) -> dict[str, object]:
        """One entry of the public `changes` list: op, old, new, significance, reasons."""
        return {
            "op": self.op,
            "old": self.old,
            "new": self.new,
            "significance": self.significance,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Diff:
    """All changes between two texts, and the significance of the whole."""

    changes: tuple[Change, ...]
    significance: Significance
    # True when the new text is identical to a version seen before the old one.
    revert: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def summary(self, limit: int = 3) -> str:
        """One short line: the most significant changes, those naming a fact first, each by
        its first reason, then how many other changes there are.

        >>> d = Diff((Change("delete", "x", "", SUBSTANTIVE, ("sentence removed: 'x'",), 0, 1, 0, 0),
        ...           Change("replace", "8", "5", SUBSTANTIVE, ("number changed: 8 -> 5",), 2, 3, 1, 2),
        ...           Change("replace", "a", "b", MINOR, ("wording changed: 'a' -> 'b'",), 4, 5, 3, 4)),
        ...          SUBSTANTIVE)
        >>> d.summary(limit=2)
        "substantive: 3 changes: number changed: 8 -> 5; sentence removed: 'x'; and 1 other change"
        """
        if not self.changes:
            return "no change"
        # Stable: within a level and a kind of fact, document order.
        ordered = sorted(self.changes, key=lambda c: (-Significance(c.significance).rank,
                                                      fact_rank(c.reasons[0] if c.reasons else "")))
        shown: list[str] = []
        covered = 0
        for change in ordered:
            reason = change.reasons[0] if change.reasons else change.op
            if reason in shown:
                covered += 1  # the same fact again ("number removed: 11"): said once
            elif len(shown) < limit:
                shown.append(reason)
                covered += 1
        rest = len(self.changes) - covered
        more = f"; and {rest} other change{'s' if rest != 1 else ''}" if rest else ""
        n = len(self.changes)
        label = f"{self.significance} (revert)" if self.revert else self.significance
        return f"{label}: {n} change{'s' if n != 1 else ''}: {'; '.join(shown)}{more}"

    def to_json(self) -> dict[str, object]:
        """The public contract: {"significance", "changes": [...]}, nothing else."""
        return {"significance": self.significance, "changes": [c.to_json() for c in self.changes]}
