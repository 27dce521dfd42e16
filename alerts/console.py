"""The console sink of the embedded default: alerts printed for a person at a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from alerts.escape import plain
from alerts.message import Alert
from alerts.sink import Abilities, Basics, Delivery, Options, Sink, fingerprint

_ICON = {"substantive": "!!", "minor": "! ", "cosmetic": "  ", "major": "!!"}


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
        t = plain  # scraped text loses its control characters: no escape sequences reach a tty
        label = {"edit": "EDITED", "misquote": "MISQUOTE", "removed": "REMOVED",
                 "new": "NEW"}.get(alert.kind, t(alert.kind.upper()))
        if alert.kind == "misquote" and alert.summary.startswith("stale"):
            label = "STALE QUOTE"
        print(f"{_ICON.get(alert.significance, '  ')} [{label}] {t(alert.title)}", file=out)
        print(f"   {t(alert.url)}", file=out)
        print(f"   {t(alert.summary)}", file=out)
        for line in alert.lines[:10]:
            if alert.kind == "misquote":
                print(f"   - press:    {t(line.new)}", file=out)
                print(f"     official: {t(line.old)}", file=out)
            elif line.op == "insert":
                print(f"   + {t(line.new)}", file=out)
            elif line.op == "delete":
                print(f"   - {t(line.old)}", file=out)
            else:
                print(f"   ~ {t(line.old)}  ->  {t(line.new)}", file=out)
            for reason in line.reasons[:3]:
                print(f"       ({t(reason)})", file=out)
        if len(alert.lines) > 10:
            print(f"   … and {len(alert.lines) - 10} more", file=out)
        out.flush()
        return Delivery(ok=True)
