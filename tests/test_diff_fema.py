"""The real fema.gov pair (3 and 5 Oct 2017); the second capture is double-encoded UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.diff import diff_texts
from compare.model import SUBSTANTIVE
from sources.extract import extract
from sources.normalize import canonical_text

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "gov-pages"
BEFORE, AFTER = "f2d5d701-707a-42e0-8881-653346d01e0a", "fc74d750-c651-46b7-bf74-434ad8c62e04"
URL = "https://www.fema.gov/hurricane-maria"
MOJIBAKE = ("Ã", "Â", "â€", "\ufffd")


@pytest.fixture(scope="module")
def texts() -> tuple[str, str]:
    if not PAGES.is_dir():
        pytest.fail(f"shared data not found at {PAGES}")
    docs = [extract((PAGES / name).read_bytes(), URL) for name in (BEFORE, AFTER)]
    return canonical_text(docs[0].paragraphs), canonical_text(docs[1].paragraphs)


def _find(diff, old: str, new: str):
    return [c for c in diff.changes if old in c.old and new in c.new]


def test_number_edits_are_substantive(texts) -> None:
    old, new = texts
    diff = diff_texts(old, new)
    assert diff.significance == SUBSTANTIVE
    staff = _find(diff, "12,300", "14,000")
    states = [c for c in diff.changes if c.old == "18" and c.new == "19"
              and new[c.new_end:c.new_end + 7] == " states"]
    assert staff and states, diff.summary(50)
    for c in staff + states:
        assert c.significance == SUBSTANTIVE
        assert any(r.startswith("number changed") for r in c.said)
    assert "number changed: 12,300 -> 14,000 federal staff" in staff[0].said
    assert "number changed: 18 -> 19 states" in states[0].said


def test_encoding_difference_reports_nothing(texts) -> None:
    raw_after = (PAGES / AFTER).read_bytes()
    assert "Ã".encode() in raw_after  # the trap is real: double-encoded UTF-8 on disk
    old, new = texts
    assert not any(m in old + new for m in MOJIBAKE)
    diff = diff_texts(old, new)
    for c in diff.changes:
        assert not any(m in c.old + c.new for m in MOJIBAKE)
        # Accented words present in both captures are never part of a change.
        assert "Chardón" not in c.old + c.new
    # Unedited paragraphs with accents come out identical in both versions.
    accented = [p for p in old.split("\n\n") if "Chardón" in p]
    assert accented and all(p in new.split("\n\n") for p in accented)
