"""Site profiles: the data file loads and validates, and every profile extracts its fixture page."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from sources.extract import extract
from sources.profiles import PROFILES, ProfileError, load_profiles, parse_profiles, profile_for

FIXTURES = Path(__file__).parent / "data" / "profiles"
EXPECTED = {
    entry["profile"]: entry
    for entry in tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8")).values()
}


@pytest.mark.parametrize("profile", load_profiles(), ids=lambda p: p.name)
def test_every_profile_extracts_its_fixture(profile):
    page = FIXTURES / f"{profile.name}.html"
    assert page.exists(), f"profile {profile.name} has no fixture page {page.name}"
    assert profile.name in EXPECTED, f"profile {profile.name} has no entry in expected.toml"
    want = EXPECTED[profile.name]
    assert profile_for(want["url"]) == profile

    doc = extract(page.read_bytes(), want["url"])

    assert doc.extractor == f"profile:{profile.name}" and not doc.warnings
    assert doc.title == want["title"]
    assert doc.issuer == want["issuer"]
    assert doc.published is not None and doc.published.date() == date.fromisoformat(want["published"])
    assert len(doc.paragraphs) == want["paragraphs"], doc.paragraphs
    if "first" in want:
        assert doc.paragraphs[0] == want["first"]
    else:
        assert doc.paragraphs[0].startswith(want["first_starts"])
    if "last" in want:
        assert doc.paragraphs[-1] == want["last"]
    else:
        assert doc.paragraphs[-1].startswith(want["last_starts"])
    for furniture in want["absent"]:
        assert furniture not in doc.text, furniture
    # The title is its own field, not the first paragraph, even when the page repeats it.
    assert doc.title not in doc.paragraphs


def test_every_expected_entry_names_a_profile():
    assert set(EXPECTED) == {p.name for p in PROFILES}


def test_whitehouse_topper_is_dropped_by_the_profile_not_by_guesswork():
    # The 2025 theme puts headline, byline and date inside the post content; the profile's
    # drop rule removes them, and the date still comes from the page (read before the drop).
    doc = extract((FIXTURES / "whitehouse.gov.html").read_bytes(), EXPECTED["whitehouse.gov"]["url"])
    assert "April 14, 2022" not in doc.text
    assert doc.published is not None and doc.published.isoformat() == "2022-04-14T22:16:05-04:00"


def test_profile_title_selector_beats_the_first_h1():
    # mofa.go.jp has no og:title and its first <h1> is the ministry logo.
    doc = extract((FIXTURES / "mofa.go.jp.html").read_bytes(), EXPECTED["mofa.go.jp"]["url"])
    assert doc.title != "Ministry of Foreign Affairs of Japan"
    assert doc.title == EXPECTED["mofa.go.jp"]["title"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.state.gov/x/", "state.gov"),
        ("https://STATE.GOV/x/", "state.gov"),
        ("https://2021-2025.state.gov/x/", "state.gov"),
        ("https://www.mofa.go.jp/a.html", "mofa.go.jp"),
        ("https://notstate.gov/x/", None),
        ("https://state.gov.example.com/x/", None),
    ],
)
def test_profile_for_matches_host_and_subdomains_only(url, name):
    found = profile_for(url)
    assert (found.name if found else None) == name


GOOD = """
[[profile]]
name = "example.org"
hosts = ["example.org"]
content = "div.body"
issuer = "Example"
drop = ["div.ad"]
"""


def test_parse_profiles_reads_fields():
    (p,) = parse_profiles(GOOD)
    assert (p.name, p.hosts, p.content, p.issuer, p.drop, p.title) == (
        "example.org", ("example.org",), "div.body", "Example", ("div.ad",), None,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('content = "div.body"', 'content = "div[["'), "bad CSS selector"),
        (GOOD.replace('drop = ["div.ad"]', 'drop = ["div.ad", "p:::x"]'), "bad CSS selector"),
        (GOOD.replace('issuer = "Example"', 'issuer = "Example"\ncontnet = "p"'), "unknown keys"),
        (GOOD.replace('content = "div.body"\n', ""), "content is required"),
        (GOOD.replace('hosts = ["example.org"]', 'hosts = "example.org"'), "hosts must be a list"),
        (GOOD.replace('hosts = ["example.org"]', 'hosts = ["https://example.org/"]'), "bare host"),
        (GOOD + GOOD, "duplicate profile names"),
        ("[[profile]\n", "not valid TOML"),
        ('title = "x"\n' + GOOD, "unknown top-level"),
    ],
)
def test_parse_profiles_rejects_bad_files(text, message):
    with pytest.raises(ProfileError, match=message):
        parse_profiles(text)
