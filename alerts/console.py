"""The console sink of the embedded default: alerts printed for a person at a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from alerts.escape import terminal
from alerts.message import Alert
from alerts.sink import Abilities, Basics, Delivery, Options, Sink, fingerprint
from compare.vocab import AlertKind, Significance

_ICON = {Significance.SUBSTANTIVE: "!!", Significance.MINOR: "! ", Significance.COSMETIC: "  "}
_LABEL = {AlertKind.EDIT: "EDITED", AlertKind.MISQUOTE: "MISQUOTE",
          AlertKind.STALE: "STALE QUOTE", AlertKind.REMOVED: "REMOVED", AlertKind.NEW: "NEW",
          AlertKind.DRIFT: "DRIFTED CLAIM"}
# What the official wording beside the press's is: now, or the since-edited version quoted.
_OFFICIAL = {AlertKind.MISQUOTE: "official: ", AlertKind.STALE: "was then: ",
             AlertKind.DRIFT: "official: "}
# What the press's wording is: a quotation, or a claim in the reporter's own words.
_PRESS = {AlertKind.DRIFT: "reported: "}


class ConsoleSink(Sink, kind="console"):
    """Print alerts to standard output, for a person at a terminal.

        [[sink]]
        kind = "console"
        min_significance = "substantive"
    """

    abilities = Abilities()

    def __init__(self, stream: TextIO | None = None, *, name: str = "console",
                 basics: Basics | None = None) -> None:
        b = basics or Basics()
        super().__init__(name, min_significance=b.min_significance, routes=b.routes,
                         route=b.route, fingerprint=fingerprint("console"))
        self.stream = stream or sys.stdout

    @classmethod
    def _from_options(cls, name: str, opts: Options, basics: Basics) -> ConsoleSink:
        return cls(name=name, basics=basics)

    def send(self, alert: Alert, thread: str | None = None, ref: str | None = None) -> Delivery:
        out = self.stream
        # Scraped text may carry terminal control sequences: printed inert.
        print(f"{_ICON.get(alert.significance, '  ')} [{_LABEL[alert.kind]}] "
              f"{terminal(alert.title)}", file=out)
        print(f"   {terminal(alert.url)}", file=out)
        print(f"   {terminal(alert.summary)}", file=out)
        for line in alert.lines[:10]:
            if alert.kind.about_quote:
                print(f"   - {_PRESS.get(alert.kind, 'press:    ')}{terminal(line.new)}",
                      file=out)
                print(f"     {_OFFICIAL[alert.kind]}{terminal(line.old)}", file=out)
                if line.current:
                    print(f"     now:      {terminal(line.current)}", file=out)
            elif line.op == "insert":
                print(f"   + {terminal(line.new)}", file=out)
            elif line.op == "delete":
                print(f"   - {terminal(line.old)}", file=out)
            else:
                print(f"   ~ {terminal(line.old)}  ->  {terminal(line.new)}", file=out)
            for reason in line.reasons[:3]:
                print(f"       ({terminal(reason)})", file=out)
        if len(alert.lines) > 10:
            print(f"   … and {len(alert.lines) - 10} more", file=out)
        out.flush()
        return Delivery(ok=True)
