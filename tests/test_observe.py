"""compare.observe.decide and alerts.compose: the pure decision steps of the pipeline."""

from __future__ import annotations

from datetime import UTC, datetime

from alerts.compose import edit_alert, edit_key, outbox_entries, removed_alert
from alerts.console import ConsoleSink
from alerts.routing import Route, Routes
from compare.observe import Observed, Outcome, Prior, decide
from sources.document import COVERAGE, Document
from sources.normalize import NORMALIZER_VERSION, canonical_text, text_hash

V1 = ("The Secretary announced $80 million in new assistance.", "Aid will continue.")
V2 = ("The Secretary announced $58 million in new assistance.", "Aid will continue.")
WHEN = datetime(2025, 5, 1, 12, tzinfo=UTC)


def observed(paras: tuple[str, ...]) -> Observed:
    text = canonical_text(paras)
    return Observed(text, paras, text_hash(text), NORMALIZER_VERSION)


def prior(seq: int, paras: tuple[str, ...], normalizer: int = NORMALIZER_VERSION) -> Prior:
    o = observed(paras)
    return Prior(seq, o.text, paras, o.text_hash, normalizer)


def test_first_unchanged_and_changed() -> None:
    first = decide(None, {}, observed(V1))
    assert (first.outcome, first.seq, first.diff, first.revert_of) == (Outcome.NEW, 1, None, None)
    same = decide(prior(1, V1), {observed(V1).text_hash: 1}, observed(V1))
    assert (same.outcome, same.seq, same.creates_version) == (Outcome.UNCHANGED, 1, False)
    edit = decide(prior(1, V1), {observed(V1).text_hash: 1}, observed(V2))
    assert (edit.outcome, edit.seq, edit.revert_of) == (Outcome.CHANGED, 2, None)
    assert edit.significance == "substantive" and "$80 million -> $58 million" in (edit.summary or "")


def test_a_b_a_is_a_revert_to_the_newest_matching_version() -> None:
    hashes = {observed(V1).text_hash: 3, observed(V2).text_hash: 4}
    back = decide(prior(4, V2), hashes, observed(V1))
    assert back.outcome is Outcome.CHANGED and back.revert_of == 3 and back.seq == 5
    assert back.diff is not None and back.diff.revert
    assert "(revert)" in (back.summary or "")


def test_a_new_normalizer_alone_is_no_edit() -> None:
    old = Prior(1, "stored by an older normalizer", V1, "old-hash", NORMALIZER_VERSION - 1)
    upgrade = decide(old, {"old-hash": 1}, observed(V1))
    assert upgrade.outcome is Outcome.NORMALIZER_UPGRADE and upgrade.creates_version
    assert (upgrade.significance, upgrade.summary, upgrade.revert_of) == (
        "none", "normalizer upgrade", None)
    # Re-normalised, the old text still differs: a real edit, diffed against the re-normalised one.
    edit = decide(Prior(1, "x", V1, "old-hash", NORMALIZER_VERSION - 1), {}, observed(V2))
    assert edit.outcome is Outcome.CHANGED and "$80 million -> $58 million" in (edit.summary or "")


def test_edit_alert_only_for_a_real_edit_of_a_statement() -> None:
    doc = Document("https://gov.example/s", "Aid", V2, issuer="Ministry")
    edit = decide(prior(1, V1), {}, observed(V2))
    alert = edit_alert(doc, edit, WHEN)
    assert alert is not None and alert.version == 2 and not alert.revert
    assert alert.significance == "substantive" and alert.when == "2025-05-01T12:00:00+00:00"
    assert edit_key(doc.url, edit, "h") == "edit|https://gov.example/s|2|h"
    article = Document(doc.url, "Aid", V2, kind=COVERAGE)
    assert edit_alert(article, edit, WHEN) is None
    assert edit_alert(doc, decide(None, {}, observed(V2)), WHEN) is None
    assert edit_alert(doc, decide(prior(1, V2), {}, observed(V2)), WHEN) is None
    back = decide(prior(2, V2), {observed(V1).text_hash: 1}, observed(V1))
    reverted = edit_alert(Document(doc.url, "Aid", V1), back, WHEN)
    assert reverted is not None and reverted.revert and reverted.version == 3


def test_outbox_entries_follow_routes_and_minimum_levels() -> None:
    class Routed:
        def __init__(self, route: Route) -> None:
            self.route, self.min_significance = route, None
            self.routes = Routes()  # every kind: the route chain decides

    sinks = {"console": ConsoleSink(), "slack:removed": Routed(Route("removed", "C1")),
             "slack": Routed(Route("*", "C0"))}
    gone = removed_alert("Aid", "https://gov.example/s", None, 410)
    entries = outbox_entries(gone, "removed|x", sinks, "minor")
    assert [(e.channel, e.dedupe_key) for e in entries] == [
        ("console", "console|removed|x"), ("slack:removed", "slack:removed|removed|x")]
    assert entries[0].payload["summary"] == "the page now answers HTTP 410"
    assert outbox_entries(gone, "k", sinks, "minor")[0].significance == "substantive"
    edit = edit_alert(Document("https://gov.example/s", "Aid", V2),
                      decide(prior(1, V1), {}, observed(V2)), WHEN)
    assert edit is not None
    assert [e.channel for e in outbox_entries(edit, "k", sinks, "minor")] == ["console", "slack"]
