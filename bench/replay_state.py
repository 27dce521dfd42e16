"""Replay months of the real State Department press-release feed through the pipeline.

The feed and pages as state.gov served them at each moment (tests/statereplay.py: every
version of 2,031 releases, slug changes answered with 301, reused slugs, ETag / 304) are
polled by `Pipeline.run_sources` on a fixed schedule plus right after every change. Each
pass's alerts are checked against the data: every new release recorded once, every URL
takeover a `new` alert and never an edit, every slug change one "moved" alert, every edit
labelled substantive alerted and none labelled cosmetic (hand labels by the rules of
../shared/data/whitehouse-edits/README.md). Then a shorter span is polled twice, with and
without validators (ETag/If-None-Match for pages and the feed, robots.txt kept in the store),
and the bytes per pass and the share of 304 answers printed side by side.

    .venv/bin/python -m bench.replay_state                     # 2022-03-01 .. 2022-06-27
    .venv/bin/python -m bench.replay_state --start 2022-06-20 --end 2022-06-27 --every 2
"""

from __future__ import annotations

import argparse
import io
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from alerts.console import ConsoleSink
from flows.pipeline import Pipeline, Runtime, host_limiter
from flows.settings import Settings
from sources.config import Source
from sources.fetch import Fetcher
from store import Store
from tests.httpfixture import LocalServer
from tests.statereplay import (
    FEED_PATH,
    ReplayResult,
    StateReplay,
    load_releases,
    preload_steps,
    run_replay,
)
from tests.test_replay_state import LABELS as WINDOW_LABELS

# A sample of the real edits of 2022-03-01 .. 03-20, labelled by hand by the rules of
# ../shared/data/whitehouse-edits/README.md ("Label rules"); keys: (guid, scraper commit).
SAMPLE_LABELS: dict[tuple[str, str], str] = {
    ("https://www.state.gov/?page_id=320371", "ade51289"): "substantive",  # "territorial [integrity]"
    ("https://www.state.gov/?page_id=320463", "ac05cd21"): "cosmetic",  # title "to" -> "To"
    ("https://www.state.gov/?page_id=320608", "ac05cd21"): "substantive",  # "NNATO" -> "NATO" (a name)
    ("https://www.state.gov/?page_id=321044", "797ee48b"): "cosmetic",  # markup only
    ("https://www.state.gov/?page_id=321091", "328e7810"): "cosmetic",  # markup only
    ("https://www.state.gov/?page_id=321175", "5310c8aa"): "cosmetic",  # markup only
    ("https://www.state.gov/?page_id=321294", "b116bd81"): "cosmetic",  # title double space
    ("https://www.state.gov/?page_id=321372", "9c5ed506"): "cosmetic",  # title "And" -> "and"
    ("https://www.state.gov/?page_id=321628", "eff10140"): "substantive",  # attribution line added
    ("https://www.state.gov/?page_id=321784", "e51079c4"): "cosmetic",  # title re-cased
    ("https://www.state.gov/?page_id=322610", "0b377b2e"): "cosmetic",  # title re-cased
    ("https://www.state.gov/?page_id=322751", "5e10d7f1"): "cosmetic",  # "government" -> "Government"
    ("https://www.state.gov/?page_id=323399", "0b8d5263"): "cosmetic",  # a no-break space
    ("https://www.state.gov/?page_id=323807", "bca0b8b8"): "substantive",  # "can be found here" reworded
    ("https://www.state.gov/?page_id=323821", "7600cbe3"): "cosmetic",  # title re-cased
    ("https://www.state.gov/?page_id=323821", "8f87afaa"): "cosmetic",  # title re-cased back
    ("https://www.state.gov/?page_id=324249", "ae210362"): "substantive",  # "defense" -> "military"
    ("https://www.state.gov/?page_id=324427", "282378c5"): "substantive",  # "Imposition of" reworded
    ("https://www.state.gov/?page_id=324427", "237bce4c"): "substantive",  # the same, once more
}
LABELS = {**SAMPLE_LABELS, **WINDOW_LABELS}


def replay(start: datetime, end: datetime, every: timedelta, *, validators: bool,
           preload: bool = True) -> tuple[ReplayResult, StateReplay]:
    releases = load_releases()
    server = LocalServer()
    state = StateReplay(server, releases, validators=validators)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'replay.sqlite'}")
        fetcher = Fetcher(allow_private=True, backoff=0.01, limiter=host_limiter(Settings()))
        robots = fetcher.robots
        assert robots is not None
        forget = None
        if validators:
            robots.persist = store  # as Runtime.from_settings wires it
        else:
            # Before: robots.txt cached in memory only, and each `onrecord run` is a new
            # process: asked for once every pass.
            forget = robots._cache.clear
        # Without validators the server sends no ETag: the feed and pages come in full.
        rt = Runtime(store, fetcher, {"console": ConsoleSink(io.StringIO())})
        source = Source(name="state", kind="statement", feed=server.url(FEED_PATH), allow_private=True)
        pipe = Pipeline(rt)
        steps = (preload_steps(state, start, end) if preload else []) + state.steps(start, end, every)
        try:
            result = run_replay(pipe, state, source, steps, LABELS, forget)
        finally:
            rt.close()
            server.close()
    return result, state


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--start", default="2022-03-01")
    ap.add_argument("--end", default="2022-06-27")
    ap.add_argument("--every", type=float, default=2.0, help="hours between scheduled polls")
    ap.add_argument("--compare-days", type=float, default=7.0,
                    help="days polled with and without validators for the traffic comparison")
    args = ap.parse_args()
    start = datetime.fromisoformat(args.start + "T00:00:00+00:00")
    end = datetime.fromisoformat(args.end + "T00:00:00+00:00")
    every = timedelta(hours=args.every)

    result, state = replay(start, end, every, validators=True)
    labelled = {k: v for k, v in result.edits.items() if k in LABELS}
    print(f"replay {args.start} .. {args.end}, a poll every {args.every:g} h and after every change: "
          f"{result.passes} passes in {result.seconds:.0f} s")
    print(f"  events: {dict(result.events)}")
    print(f"  alerts: {dict(result.alerts)}  (`new` alerts for first versions composed: "
          f"{result.new_alerts_present})")
    print(f"  labelled edits replayed: {len(labelled)} "
          f"({sum(LABELS[k] == 'substantive' for k in labelled)} substantive, "
          f"{sum(labelled[k] for k in labelled if LABELS[k] == 'substantive')} of them alerted; "
          f"{sum(LABELS[k] == 'cosmetic' for k in labelled)} cosmetic, "
          f"{sum(labelled[k] for k in labelled if LABELS[k] == 'cosmetic')} of them alerted)")
    unlabelled = {k: v for k, v in result.edits.items() if k not in LABELS}
    print(f"  unlabelled edits: {len(unlabelled)}, {sum(unlabelled.values())} alerted")
    print(f"  problems: {len(result.problems)}")
    for p in result.problems[:20]:
        print("    " + p)

    cmp_end = start + timedelta(days=args.compare_days)
    print(f"\ntraffic {args.start} + {args.compare_days:g} days, same polls:")
    print(f"  {'':18} {'passes':>6} {'requests':>8} {'bytes':>11} {'bytes/pass':>10} "
          f"{'feed bytes':>10} {'robots':>6} {'304 share':>9}")
    for label, on in (("with validators", True), ("without", False)):
        res, st = replay(start, cmp_end, every, validators=on, preload=False)
        tr = st.traffic
        print(f"  {label:18} {res.passes:6} {tr.total_requests:8} {tr.total_bytes:11,} "
              f"{tr.total_bytes // max(1, res.passes):10,} {tr.bytes.get('feed', 0):10,} "
              f"{tr.requests.get('robots', 0):6} {tr.share_304:9.0%}")


if __name__ == "__main__":
    main()
