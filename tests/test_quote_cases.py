"""Labelled quote cases on real statements (tests/data/quote_cases.json): every verdict."""

from __future__ import annotations

import pytest

from tests.quote_eval import load_cases, matches, run_case

CASES = load_cases()


_LOADED: dict[str, object] = {}


@pytest.fixture
def statements(shared_dir):  # shared_dir fails clearly when ../shared is missing
    from tests.quote_cases import load_statements

    if "data" not in _LOADED:  # load the 3.6 MB feed once, not per case
        data = load_statements()
        _LOADED["data"] = (data, sorted(data))
    return _LOADED["data"]


def test_enough_cases_cover_every_verdict() -> None:
    assert len(CASES) >= 150
    verdicts = {v for c in CASES for e in c["expect"] for v in e[0].split("|")}
    assert {"exact", "variant", "edited", "misquote", "stale", "unverified"} <= verdicts
    assert {e[1] for c in CASES for e in c["expect"]} >= {"none", "minor", "major"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict, statements) -> None:
    data, keys = statements
    got, unattributed = run_case(case, data, keys)
    assert matches(case, got, unattributed), (got, unattributed, case["article"])
