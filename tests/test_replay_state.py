"""End to end: the real state.gov press-release feed replayed on a simulated clock and polled
by the pipeline after every change, alerts counted per step against hand labels.

The window (2022-06-22 .. 06-26) holds, from the real data: three national days whose 2022
release took over the 2021 release's URL (Luxembourg, Mozambique, Madagascar), a slug
change with a 301 (press availability -18 -> -19, title re-cased), a removed sentence, three
edits of a country list, and a markup-only edit. The 2021 releases are polled first, on
the days they came out, so the store knows them when their URL is taken over.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

from alerts.console import ConsoleSink
from flows.pipeline import Pipeline, Runtime, host_limiter
from flows.settings import Settings
from sources.config import Source
from sources.fetch import Fetcher
from store import Store
from tests.httpfixture import LocalServer
from tests.statereplay import FEED_PATH, StateReplay, load_releases, run_replay

# Hand labels by the rules of ../shared/data/whitehouse-edits/README.md ("Label rules"),
# keyed by (guid, scraper commit of the new version).
LABELS: dict[tuple[str, str], str] = {
    # "Deputy Secretary Sherman highlighted the need for ... Haiti." removed: a sentence.
    ("https://www.state.gov/?page_id=354093", "9eed102d"): "substantive",
    # Title "At" -> "at" (capitalisation only); the slug change is a move, not an edit.
    ("https://www.state.gov/?page_id=354751", "04ef766b"): "cosmetic",
    # 92 -> 94 countries, Mauritania -> Mauritius, "the United States of America" added.
    ("https://www.state.gov/?page_id=354780", "9f827442"): "substantive",
    # 94 -> "93 other" countries, "the United States of America" removed.
    ("https://www.state.gov/?page_id=354780", "2345aad1"): "substantive",
    # "Mauritania" added back to the list: a name added.
    ("https://www.state.gov/?page_id=354780", "37d6262a"): "substantive",
    # Markup and whitespace only.
    ("https://www.state.gov/?page_id=354817", "1e69e31c"): "cosmetic",
}

PRELOAD = ("https://www.state.gov/?page_id=254030",  # Luxembourg National Day 2021
           "https://www.state.gov/?page_id=255053",  # Mozambique National Day 2021
           "https://www.state.gov/?page_id=255287")  # Madagascar National Day 2021
START = datetime.fromisoformat("2022-06-22T00:00:00+00:00")
END = datetime.fromisoformat("2022-06-26T12:00:00+00:00")


def test_state_gov_replay_alerts_each_change_once(server: LocalServer, tmp_path: Path) -> None:
    releases = load_releases()
    replay = StateReplay(server, releases)
    store = Store(f"sqlite:///{tmp_path / 'replay.sqlite'}")
    fetcher = Fetcher(allow_private=True, backoff=0.01, limiter=host_limiter(Settings()))
    assert fetcher.robots is not None
    fetcher.robots.persist = store  # as Runtime.from_settings wires it
    rt = Runtime(store, fetcher, {"console": ConsoleSink(io.StringIO())})
    pipe = Pipeline(rt)
    source = Source(name="state", kind="statement", feed=server.url(FEED_PATH), allow_private=True)
    by_guid = {r.guid: r for r in releases}
    steps = [by_guid[g].first_seen for g in PRELOAD] + replay.steps(START, END, timedelta(hours=6))
    assert len(steps) > 10

    try:
        result = run_replay(pipe, replay, source, steps, LABELS)
    finally:
        rt.close()
    assert result.problems == []
    tally = result.events
    # The window holds what it was chosen for.
    assert tally["takeover"] == 3 and tally["move"] == 1 and tally["edit"] == 6
    # One history per release: the moved release kept its document, the 2021 releases theirs.
    moved = store.document_by_guid("https://www.state.gov/?page_id=354751")
    assert moved is not None and moved.url.endswith("-availability-19/")
    assert store.document(server.url("/secretary-antony-j-blinken-at-a-press-availability-18/")) == moved
    lux_2021 = store.document_by_guid(PRELOAD[0])
    assert lux_2021 is not None and lux_2021.state == "replaced" and len(store.versions(lux_2021.url)) >= 1
    # Polite polling: the feed mostly answered 304, robots.txt was fetched once for the run.
    traffic = replay.traffic
    assert traffic.requests["robots"] == 1
    assert traffic.not_modified.get("feed", 0) >= 1
    assert traffic.share_304 > 0.5
    print(f"\nreplay: {len(steps)} passes, {traffic.total_requests} requests, "
          f"{traffic.total_bytes:,} bytes, {traffic.share_304:.0%} answered 304; "
          f"new alerts composed: {result.new_alerts_present}")
