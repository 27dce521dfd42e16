"""What a new observation of a document means, as one pure decision.

The pipeline reads the document's latest version (and the hashes of all its versions) from
the store, maps them to `Prior`, and asks `decide`; the store then writes exactly what the
`Decision` says. Reverts are worked out here and nowhere else: the store records
`revert_of` as given and the pipeline never recomputes it.

    >>> prior = Prior(seq=2, text="B.", paragraphs=("B.",), text_hash="hb",
    ...               normalizer_version=1)
    >>> d = decide(prior, {"ha": 1, "hb": 2}, Observed("A.", ("A.",), "ha", 1))
    >>> (d.outcome.value, d.seq, d.revert_of)
    ('changed', 3, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from compare.diff import diff_texts, diff_titles, mark_revert, with_title
from compare.model import NONE, Diff
from compare.vocab import Significance
from sources.normalize import canonical_text, canonical_title


class Outcome(Enum):
    """What the observation is, relative to the latest stored version."""

    NEW = "new"  # no version yet: the first one
    UNCHANGED = "unchanged"  # the same canonical text as the latest version
    CHANGED = "changed"  # a new wording
    # Only the normalizer changed: the old text, normalised anew, equals the new one. A new
    # version is kept (its stored text differs) but it is not an edit.
    NORMALIZER_UPGRADE = "normalizer-upgrade-only"


@dataclass(frozen=True)
class Prior:
    """The latest stored version of a document, as compare/ needs it."""

    seq: int
    text: str  # canonical text, as normalised by `normalizer_version`
    paragraphs: tuple[str, ...]
    text_hash: str  # sources.normalize.version_hash: text and title
    normalizer_version: int
    title: str = ""  # as stored; canonicalised when compared


@dataclass(frozen=True)
class Observed:
    """The canonical text (and the title) of the page just fetched."""

    text: str
    paragraphs: tuple[str, ...]
    text_hash: str
    normalizer_version: int
    title: str = ""


@dataclass(frozen=True)
class Decision:
    """What to record for an observation: the outcome, its diff and whether it is a revert."""

    outcome: Outcome
    prior_seq: int | None  # the latest version this was decided against (None: no version)
    diff: Diff | None = None  # CHANGED only
    revert_of: int | None = None  # seq of the earlier version whose text comes back

    @property
    def seq(self) -> int:
        """The version the observation is: the prior one if unchanged, else the next."""
        base = self.prior_seq or 0
        return base if self.outcome is Outcome.UNCHANGED else base + 1

    @property
    def creates_version(self) -> bool:
        return self.outcome is not Outcome.UNCHANGED

    @property
    def significance(self) -> Significance | None:
        """The significance of the change (None when there is no earlier version to compare)."""
        if self.diff is not None:
            return self.diff.significance
        return NONE if self.outcome is Outcome.NORMALIZER_UPGRADE else None

    @property
    def summary(self) -> str | None:
        if self.diff is not None:
            return self.diff.summary()
        return "normalizer upgrade" if self.outcome is Outcome.NORMALIZER_UPGRADE else None

    def diff_json(self) -> dict[str, object]:
        """The diff as stored with the change: the public `diff` JSON contract."""
        if self.diff is not None:
            return self.diff.to_json()
        return {"significance": NONE, "changes": []}


def decide(prior: Prior | None, earlier: Mapping[str, int], new: Observed) -> Decision:
    """Classify `new` against the latest version `prior`.

    `earlier` maps the text hash of every stored version of the document to its seq (the
    newest seq when a text occurs twice): a new text equal to one of them is a revert to
    that version. A prior stored by another normalizer version is normalised anew from its
    paragraphs before comparing, so a new normalizer never reads as a new wording.
    """
    if prior is None:
        return Decision(Outcome.NEW, None)
    if prior.text_hash == new.text_hash:
        return Decision(Outcome.UNCHANGED, prior.seq)
    prior_text = prior.text
    # The title is compared like a paragraph of its own (a retitle is a new version).
    title = diff_titles(canonical_title(prior.title), canonical_title(new.title))
    if prior.normalizer_version != new.normalizer_version:
        prior_text = canonical_text(prior.paragraphs)
        if prior_text == new.text and title is None:
            return Decision(Outcome.NORMALIZER_UPGRADE, prior.seq)
    # A B A: the third text is a revert to the first. The prior itself cannot match (its
    # hash differs), so whatever matches is older.
    revert_of = earlier.get(new.text_hash)
    diff = with_title(diff_texts(prior_text, new.text), title)
    if revert_of is not None:
        diff = mark_revert(diff)
    return Decision(Outcome.CHANGED, prior.seq, diff, revert_of)
