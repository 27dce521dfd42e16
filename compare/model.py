"""Data types passed out of compare/: `Change`, its `Reason`s, `Diff`."""

from __future__ import annotations

from dataclasses import dataclass

from compare.vocab import ChangeOp, ReasonKind, Significance

# Short names for the levels (the members themselves, not a second vocabulary).
NONE, COSMETIC, MINOR, SUBSTANTIVE = (Significance.NONE, Significance.COSMETIC,
                                      Significance.MINOR, Significance.SUBSTANTIVE)


@dataclass(frozen=True)
class Reason:
    """One reason a change matters, as said to a reader ("number changed: $80 million ->
    $58 million"), with what it is about: its `kind` is decided where the reason is made, so
    reasons are ordered and filtered by kind, never by reading their wording back."""

    kind: ReasonKind
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def rank(self) -> int:
        """Where the reason goes among a change's reasons: facts first (ReasonKind.rank).

        >>> Reason(ReasonKind.NUMBER, "number changed: 80 -> 58").rank < Reason(ReasonKind.WORDS, "sentence removed: 'x'").rank
        True
        """
        return self.kind.rank

    @property
    def fact(self) -> bool:
        """True when the reason names a concrete fact (an amount, a name, a negation, ...)."""
        return self.kind.fact


@dataclass(frozen=True)
class Change:
    """One edit between two versions, with character spans in both texts."""

    op: ChangeOp
    old: str
    new: str
    significance: Significance
    reasons: tuple[Reason, ...]
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    # True when the whole new version equals an earlier one (the edit was undone).
    # Not part of the JSON contract; the store records reverts separately.
    revert: bool = False
    # "text", or "title" for a change of the title: its spans are in the titles, not the texts.
    part: str = "text"

    @property
    def said(self) -> tuple[str, ...]:
        """The reasons as a reader gets them (the JSON contract's `reasons`)."""
        return tuple(r.text for r in self.reasons)

    def to_json(self) -> dict[str, object]:
        """One entry of the public `changes` list: op, old, new, significance, reasons."""
        return {
            "op": self.op,
            "old": self.old,
            "new": self.new,
            "significance": self.significance,
            "reasons": list(self.said),
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

        >>> K = ReasonKind
        >>> d = Diff((Change(ChangeOp.DELETE, "x", "", SUBSTANTIVE,
        ...                  (Reason(K.WORDS, "sentence removed: 'x'"),), 0, 1, 0, 0),
        ...           Change(ChangeOp.REPLACE, "8", "5", SUBSTANTIVE,
        ...                  (Reason(K.NUMBER, "number changed: 8 -> 5"),), 2, 3, 1, 2),
        ...           Change(ChangeOp.REPLACE, "a", "b", MINOR,
        ...                  (Reason(K.WORDING, "wording changed: 'a' -> 'b'"),), 4, 5, 3, 4)),
        ...          SUBSTANTIVE)
        >>> d.summary(limit=2)
        "substantive: 3 changes: number changed: 8 -> 5; sentence removed: 'x'; and 1 other change"
        """
        if not self.changes:
            return "no change"
        # Stable: within a level and a kind of fact, document order.
        ordered = sorted(self.changes, key=lambda c: (-Significance(c.significance).rank,
                                                      c.reasons[0].rank if c.reasons
                                                      else ReasonKind.WORDS.rank))
        shown: list[str] = []
        covered = 0
        for change in ordered:
            reason = change.reasons[0].text if change.reasons else str(change.op)
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
