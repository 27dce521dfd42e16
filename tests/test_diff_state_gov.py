"""Real edits from the State Department press-release feed, each labelled by hand.

Every consecutive pair of versions whose body text changed (64 in the feed) was read;
the expected level below is the reviewer's judgement, and `reason` is a fragment the
explanation must contain, so the alert says plainly why it matters.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest

from compare.diff import diff_texts
from compare.model import COSMETIC, MINOR, SUBSTANTIVE
from sources.normalize import canonical_text

DATA = (Path(__file__).resolve().parents[2] / "shared" / "data" / "state-gov-press-releases"
        / "all_items_all_versions.jsonl.gz")
S = "https://www.state.gov/?page_id="

# (release key, from commit, to commit, expected level, reason fragment, why)
CASES = [
    (S + "245703", "46e6074a", "b8bdd699", COSMETIC, "punctuation", "D.C. -> DC"),
    (S + "245710", "32e1ed30", "b8bdd699", COSMETIC, "punctuation", "Washington D.C. -> Washington, DC"),
    (S + "245945", "2d403219", "964f16bc", COSMETIC, "link text replaces the URL", "bare URLs became link text"),
    (S + "246742", "1aa7f2ab", "d7e3c8b7", COSMETIC, "spelling variant", "travelling/jeopardised: British to American"),
    (S + "247265", "10032d08", "faddaff4", COSMETIC, "punctuation", "D.C. -> DC"),
    (S + "247818", "fcd56a78", "dff8ab4a", SUBSTANTIVE, "u.s", "'S.' repaired to the place name 'U.S.'"),
    (S + "248105", "0d4bbeae", "4dac7046", SUBSTANTIVE, "irregular", "'igration' -> 'irregular migration': a qualifier of the policy"),
    (S + "248835", "e62484df", "7abd1e3e", COSMETIC, "punctuation", "D.C. -> DC"),
    (S + "250065", "31654dc5", "192b4b70", SUBSTANTIVE, "natalie -> natalia", "a person's name corrected"),
    (S + "253663", "80464c52", "4139147d", SUBSTANTIVE, "blinken", "byline: the Spokesperson's office became the Secretary"),
    (S + "254809", "fc249af4", "54d8d6de", SUBSTANTIVE, "ms -> mr", "a person's title"),
    (S + "254909", "e8cff5ac", "5719decc", COSMETIC, "missing space", "'economy. Since' lost its break"),
    (S + "254966", "119babbb", "881c0962", COSMETIC, "space added", "'France.(POOLED' gained a space"),
    (S + "255687", "a306c4b9", "65da9e8b", SUBSTANTIVE, "paragraph added", "coalition member lists added"),
    (S + "255687", "65da9e8b", "26288db3", SUBSTANTIVE, "paragraph removed", "a list of institutions removed"),
    (S + "256504", "794f3b99", "df533be6", SUBSTANTIVE, "north", "Macedonia -> North Macedonia"),
    (S + "256707", "e417f283", "d23e94f1", SUBSTANTIVE, "johnstone", "a speaker (name and title) added"),
    ("https://www.state.gov/?post_type=state_briefing&p=257522", "36fc6192", "3f36b18f",
     SUBSTANTIVE, "dali -> dalai", "name corrected (next to a pure re-capitalisation)"),
    (S + "258798", "e7c7e885", "731b9031", SUBSTANTIVE, "84th", "a heading with a number added"),
    (S + "261090", "6df67428", "a920c30d", SUBSTANTIVE, "mckeon", "byline changed to a named official"),
    (S + "261991", "324c0fb9", "26198a06", SUBSTANTIVE, "number changed: 2020 -> 2021", "a year"),
    ("https://www.state.gov/?post_type=state_briefing&p=262710", "bef657ab", "7c70bf9a",
     SUBSTANTIVE, "forces -> refugees", "a word that changes the meaning"),
    (S + "264162", "426a0f39", "3e5ef384", SUBSTANTIVE, "link removed", "a contact e-mail dropped (issue 12: substantive)"),
    (S + "264162", "e02b1775", "8c0352d3", COSMETIC, "space", "'www.wrapsnet.org.' -> 'www.wrapsnet.org .'"),
    (S + "265079", "08c1a0cd", "cb4ff2c8", SUBSTANTIVE, "number changed: $80 million -> $58 million", "$80 million -> $58 million"),
    (S + "268812", "6f36d0c3", "8befdeb6", COSMETIC, "missing space", "names that had lost their spaces"),
    (S + "320371", "5b483348", "ade51289", SUBSTANTIVE, "integrity", "'territorial integrity': a missing word restored"),
    (S + "320608", "d5a58c11", "ac05cd21", SUBSTANTIVE, "nato", "'NNATO' -> 'NATO': a name's spelling"),
    (S + "321628", "73d28376", "eff10140", SUBSTANTIVE, "paragraph added", "byline line added"),
    (S + "322751", "4f9f8f90", "5e10d7f1", COSMETIC, "capitalisation", "government -> Government"),
    (S + "323807", "6c46f111", "bca0b8b8", MINOR, "wording changed", "'can be found here' -> 'Find additional': furniture"),
    (S + "324249", "907661a2", "ae210362", SUBSTANTIVE, "defense -> military", "'watched in horror' -> 'been transfixed'; defense -> military"),
    (S + "324427", "ae210362", "282378c5", MINOR, "wording changed", "'Imposition of' -> 'Action to impose': same meaning"),
    (S + "333743", "072987d5", "80c76f76", COSMETIC, "typo fixed: 'beseeched' -> 'besieged'",
     "a typo of a common word whose original reading was nonsense (issue 12: cosmetic)"),
    (S + "334371", "1db96862", "d689767e", SUBSTANTIVE, "paragraph added", "'Equity Action Plan' heading added"),
    (S + "337067", "179bf378", "c0c04910", MINOR, "moved", "'EEAS Secretary General Stefano Sannino' reordered"),
    (S + "340593", "71e690c2", "345de97b", SUBSTANTIVE, "vera -> vira", "a person's name"),
    (S + "343252", "0d89a87f", "5027862a", SUBSTANTIVE, "sentence removed", "a commitment removed"),
    (S + "345586", "46dd06a4", "5bc164c5", SUBSTANTIVE, "prime -> foreign", "PRIME MINISTER -> FOREIGN MINISTER"),
    (S + "348990", "795e58c9", "c2eb41a3", SUBSTANTIVE, "rewritten", "a paragraph rewritten"),
    (S + "351966", "7b75c2cb", "cf2b49be", MINOR, "words removed", "a garbled duplicate fragment removed"),
    (S + "354093", "809bc565", "9eed102d", SUBSTANTIVE, "sentence removed", "'Deputy Secretary Sherman highlighted ...' removed"),
    (S + "354780", "a25d1ce9", "9f827442", SUBSTANTIVE, "number changed: 92 -> 94", "count of signatories; Mauritania -> Mauritius"),
    (S + "354780", "9f827442", "2345aad1", SUBSTANTIVE, "94 -> 93", "count corrected again"),
    (S + "354780", "2345aad1", "37d6262a", SUBSTANTIVE, "mauritania", "a country added to the list"),
    (S + "355916", "0040ab83", "f541a14d", SUBSTANTIVE, "homeland", "an agency added"),
    (S + "356435", "a085a91b", "e0294502", SUBSTANTIVE, "name changed", "'Treaty of the' -> 'Treaty on the': a preposition inside a name (issue 12)"),
    (S + "357835", "e910acb1", "31be1132", SUBSTANTIVE, "link changed", "a URL updated (issue 12: a changed target is substantive)"),
    (S + "361437", "833ce53c", "b775cb9b", SUBSTANTIVE, "number added: 60", "'identifies 60 individuals'"),
    (S + "362588", "3dcf9a17", "f244d710", SUBSTANTIVE, "announcement", "'the opening of' -> 'plans to open a'"),
]

# Titles of the same feed: re-casing is cosmetic, rewording is not.
TITLES = [
    ("Secretary Antony J. Blinken On ABC's This Week with George Stephanopoulos",
     "Secretary Antony J. Blinken on ABC's This Week with George Stephanopoulos", COSMETIC),
    ("Holding the Lukashenka Regime and its Enablers to Account",
     "Holding the Lukashenka Regime and Its Enablers to Account", COSMETIC),
    ("DEPARTMENT PRESS BRIEFING- JUNE 24, 2021", "Department Press Briefing - June 24, 2021",
     COSMETIC),
    ("United States Announces More than $50 million in Humanitarian Assistance",
     "United States Announces More than $50 Million in Humanitarian Assistance", COSMETIC),
    ("Visas Restrictions on Ortega-Murillo Regime Officials for Undermining Democracy",
     "Visa Restrictions on Ortega-Murillo Regime Officials for Undermining Democracy", MINOR),
    ("Reaffirming Our Commitment to the Treaty of the Non-Proliferation of Nuclear Weapons",
     "Reaffirming Our Commitment to the Treaty on the Non-Proliferation of Nuclear Weapons",
     MINOR),
    ("On the President's Fiscal Year 2023 Budget", "The President's Fiscal Year 2023 Budget",
     MINOR),
    ("Supply Chain Ministerial Joint Statement",
     "Joint Statement on Cooperation on Global Supply Chains", SUBSTANTIVE),
    ("Special Briefing with Deputy Secretary of State for Management and Resources Brian P. "
     "McKeon On the Administration's Budget Proposal",
     "Special Briefing On the Administration's Budget Proposal", SUBSTANTIVE),
]


def body_text(content_html: str) -> str:
    """Canonical body text of one feed item: its paragraphs, list items and headings."""
    if not content_html:
        return ""
    root = lxml.html.fromstring(f"<div>{content_html}</div>")
    return canonical_text(el.text_content() for el in root.iter("p", "li", "h2", "h3"))


@pytest.fixture(scope="module")
def versions() -> dict[tuple[str, str], str]:
    """(key, commit prefix) -> canonical body, for the releases used here only."""
    if not DATA.exists():
        pytest.fail(f"dataset missing: {DATA}")
    wanted = {c[0] for c in CASES}
    out: dict[tuple[str, str], str] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            if item["key"] not in wanted:
                continue
            for v in item["versions"]:
                out[(item["key"], v["commit"][:8])] = body_text(v["content_html"])
    return out


def test_enough_real_cases() -> None:
    assert len(CASES) + len(TITLES) >= 30


@pytest.mark.parametrize(("key", "a", "b", "level", "reason", "why"), CASES,
                         ids=[f"{c[0].rsplit('=', 1)[-1]}-{c[2]}" for c in CASES])
def test_real_edit(versions, key, a, b, level, reason, why) -> None:
    old, new = versions[(key, a)], versions[(key, b)]
    assert old != new
    diff = diff_texts(old, new)
    assert diff.significance == level, (why, diff.summary(10))
    reasons = " | ".join(r for c in diff.changes for r in c.said).lower()
    assert reason.lower() in reasons, (why, reasons)
    for c in diff.changes:
        # Offsets point at the reported words in both versions.
        assert old[c.old_start:c.old_end] == c.old
        if c.op != "move":
            assert new[c.new_start:c.new_end] == c.new


@pytest.mark.parametrize(("old", "new", "level"), TITLES)
def test_real_title_edit(old, new, level) -> None:
    diff = diff_texts(canonical_text([old]), canonical_text([new]))
    assert diff.significance == level, diff.summary(10)


def test_real_flip_flop_is_a_revert(versions) -> None:
    """A fragment removed then put back: the second edit returns to the first version."""
    key = S + "351966"
    v1, v2, v3 = versions[(key, "7b75c2cb")], versions[(key, "cf2b49be")], versions[(key, "1ecba980")]
    assert v3 == v1
    forward = diff_texts(v1, v2)
    back = diff_texts(v2, v3, earlier=[v1])
    assert not forward.revert
    assert back.revert and all(c.revert for c in back.changes)
    assert "revert" in back.summary()
    assert back.to_json().keys() == {"significance", "changes"}
