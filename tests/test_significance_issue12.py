"""Issue 12: every real edit caught, no cosmetic alarm.

The analyst's corrections from the State Department replay, and the label rules of the White
House edits (../shared/data/whitehouse-edits/README.md), one by one, through diff_texts as
the pipeline runs it; then the White House dev set against the issue's targets.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from compare.diff import diff_texts
from compare.model import COSMETIC, MINOR, NONE, SUBSTANTIVE
from sources.normalize import canonical_text

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "whitehouse-edits"


def paras(*lines: str) -> str:
    return canonical_text(list(lines))


P = "The Secretary met leaders of the National Institute for Standards and Technology today."


@pytest.mark.parametrize(("old", "new", "level", "reason"), [
    # A preposition inside a proper name: another name.
    ("On this day the Treaty of the Non-Proliferation of Nuclear Weapons opened for signature.",
     "On this day the Treaty on the Non-Proliferation of Nuclear Weapons opened for signature.",
     SUBSTANTIVE, "name changed"),
    (P, P.replace("Institute for Standards", "Institute of Standards"), SUBSTANTIVE, "name changed"),
    # ... but a preposition restored in a sentence reads the same.
    ("We honor our commitment the D-ISIS mission and our partners.",
     "We honor our commitment to the D-ISIS mission and our partners.", COSMETIC,
     "function word added: to"),
    ("The panel, comprising of senior members of the staff, met today.",
     "The panel, comprising senior members of the staff, met today.", COSMETIC,
     "function word removed: of"),
    # A link's target, a contact address removed.
    ("Apply at https://example.gov/apply/2024 before May.", "Apply at https://example.gov/apply/2025 before May.",
     SUBSTANTIVE, "link changed"),
    ("For questions, contact press@example.gov and visit the site.",
     "For questions, visit the site.", SUBSTANTIVE, "link removed"),
    # A different real word with another reading; a misspelt common word corrected.
    ("Aid will reach 40 counties in the region this year.",
     "Aid will reach 40 countries in the region this year.", SUBSTANTIVE, "counties -> countries"),
    ("Food was delivered to the beseeched civilians of the city.",
     "Food was delivered to the besieged civilians of the city.", COSMETIC, "typo fixed"),
    ("Yeah, the do what they say.", "Yeah, they do what they say.", COSMETIC, "typo fixed"),
    ("He met the Crown Prince-Prime Minster of the Kingdom today.",
     "He met the Crown Prince-Prime Minister of the Kingdom today.", COSMETIC, "typo fixed"),
    # A name's spelling corrected is a name change, even to a common word.
    ("She thanked Vice President Kamala Haris for the visit.",
     "She thanked Vice President Kamala Harris for the visit.", SUBSTANTIVE, "haris"),
    ("He met the Dali Lama in the capital.", "He met the Dalai Lama in the capital.", SUBSTANTIVE, "dalai"),
    ("Funds go to UNCHR programs this year.", "Funds go to UNHCR programs this year.", SUBSTANTIVE, "unhcr"),
    # A content word restored is substantive, even when obviously missing.
    ("We support its territorial and sovereignty.", "We support its territorial integrity and sovereignty.",
     SUBSTANTIVE, "integrity"),
    # Spacing, numbers written out, list numbering, re-cased titles, inflections.
    ("The plan costs $2 trillionin new spending.", "The plan costs $2 trillion in new spending.",
     COSMETIC, "missing space"),
    # No-break spaces: the canonical text already reads them as spaces.
    ("The\u00a0plan\u00a0costs $2 trillion.", "The plan costs $2 trillion.", NONE, ""),
    ("We will invest over 5 years in roads.", "We will invest over five years in roads.", COSMETIC, ""),
    ("Prices have been rising each month since the law passed.",
     "Prices have risen each month since the law passed.", COSMETIC, ""),
    ("- Lower costs for families.", "2. Lower costs for families.", COSMETIC, ""),
    ("FACT SHEET: PRESIDENT BIDEN ANNOUNCES NEW STEPS", "Fact Sheet: President Biden Announces New Steps",
     COSMETIC, "capitalisation"),
    ("DELIVERING FOR AMERICAN WORKERS, FAMERS, AND INDUSTRY: The deal opens markets.",
     "DELIVERING FOR AMERICAN WORKERS, FARMERS, AND INDUSTRY: The deal opens markets.",
     COSMETIC, "typo fixed"),
    # A name's word order, a transcript's end mark.
    ("Prime Minister Fumio Kishida arrived today.", "Prime Minister Kishida Fumio arrived today.",
     SUBSTANTIVE, "name order changed"),
    (paras("Thank you all.", "END 5:57 P.M. EST"), paras("Thank you all.", "5:57 P.M. EST"), COSMETIC, ""),
    # Swapping one function word for another stays a (minor) rewording.
    ("We are defending democracy in the region.", "We are defending democracy in a region.",
     MINOR, "wording changed"),
])
def test_issue_12_edit(old: str, new: str, level: str, reason: str) -> None:
    diff = diff_texts(canonical_text([old]) if "\n" not in old else old,
                      canonical_text([new]) if "\n" not in new else new)
    assert diff.significance == level, diff.summary(10)
    assert reason in " | ".join(r for c in diff.changes for r in c.said).lower() or \
        reason in " | ".join(r for c in diff.changes for r in c.said), diff.summary(10)


def test_unchanged_paragraph_moved_is_cosmetic() -> None:
    a, b, c = (f"Paragraph {w} tells about topic {w} in several words." for w in "ABC")
    diff = diff_texts(paras(a, b, c), paras(b, c, a))
    assert [ch.op for ch in diff.changes] == ["move"] and diff.significance == COSMETIC


def canonical(text: str) -> str:
    return canonical_text([line for line in text.split("\n") if line.strip()])


def test_whitehouse_dev_set_meets_the_targets() -> None:
    """The 150 labelled White House edits: recall >= 0.97, cosmetic false alarms <= 0.05
    (an alert is minor or above, as the default threshold sends)."""
    if not DATA.exists():
        pytest.fail(f"dataset missing: {DATA}")
    with open(DATA / "labels.jsonl", encoding="utf-8") as fh:
        labels = {row["id"]: row["label"] for row in map(json.loads, fh)}
    graded: dict[str, str] = {}
    with gzip.open(DATA / "pairs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for p in map(json.loads, fh):
            if p["id"] in labels:
                graded[p["id"]] = diff_texts(canonical(p["old"]), canonical(p["new"])).significance
    assert len(graded) == len(labels) == 150
    subst = [i for i, lab in labels.items() if lab == "substantive"]
    cosm = [i for i, lab in labels.items() if lab == "cosmetic"]
    missed = [i for i in subst if graded[i] != SUBSTANTIVE]
    alarms = [i for i in cosm if graded[i] in (MINOR, SUBSTANTIVE)]
    assert 1 - len(missed) / len(subst) >= 0.97, missed
    assert len(alarms) / len(cosm) <= 0.05, alarms
