"""Data types passed out of compare/: `Change`, `Diff`."""

from __future__ import annotations

from dataclasses import dataclass

from compare.vocab import Significance

# Short names for the levels (the members themselves, not a second vocabulary).
NONE, COSMETIC, MINOR, SUBSTANTIVE = (Significance.NONE, Significance.COSMETIC,
                                      Significance.MINOR, Significance.SUBSTANTIVE)


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
        """One line: the most significant reasons first."""
        if not self.changes:
            return "no change"
        ordered = sorted(self.changes, key=lambda c: -Significance(c.significance).rank)
        reasons: list[str] = []
        for change in ordered:
            for reason in change.reasons:
                if reason not in reasons:
                    reasons.append(reason)
        shown = "; ".join(reasons[:limit])
        more = f" (+{len(reasons) - limit} more)" if len(reasons) > limit else ""
        n = len(self.changes)
        label = f"{self.significance} (revert)" if self.revert else self.significance
        return f"{label}: {n} change{'s' if n != 1 else ''}: {shown}{more}"

    def to_json(self) -> dict[str, object]:
        """The public contract: {"significance", "changes": [...]}, nothing else."""
        return {"significance": self.significance, "changes": [c.to_json() for c in self.changes]}
