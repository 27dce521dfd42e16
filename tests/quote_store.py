"""Statement texts in a temporary store, checked by the one quote engine (compare.quote_engine).

Tests used to hand `SourceText`s to an in-memory checker; now the texts go into a real SQLite
store (a copy of a migrated template, so a case costs a file copy, not a migration) and the
engine reads the index the store wrote with each version.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from compare.quote_engine import check_article
from compare.quotecheck import QuoteCheck, SourceText
from compare.quotes import Quote
from sources.normalize import NORMALIZER_VERSION, text_hash
from store import Store
from store.quoteindex import StoreQuoteIndex
from store.records import Observation
from tests.storefixtures import record

_DIR = Path(tempfile.mkdtemp(prefix="onrecord-quote-tests-"))
atexit.register(shutil.rmtree, _DIR, True)
_TEMPLATE = _DIR / "template.sqlite"
_COUNT = [0]


def statement(url: str, text: str) -> Observation:
    """A statement observation whose display text is `text` exactly."""
    return Observation(url=url, kind="statement", title=url.rsplit("/", 1)[-1], paragraphs=(text,),
                       canonical_text=text, text_hash=text_hash(text), normalizer_version=NORMALIZER_VERSION)


def _utc(d: datetime | None) -> datetime | None:
    return d.replace(tzinfo=UTC) if d is not None and d.tzinfo is None else d


def new_store(url: str | None = None) -> Store:
    """An empty migrated store: `url` if given, else a fresh SQLite file."""
    if url is not None:
        return Store(url)
    if not _TEMPLATE.exists():
        Store(f"sqlite:///{_TEMPLATE}").close()
    _COUNT[0] += 1
    path = _DIR / f"case{_COUNT[0]}.sqlite"
    shutil.copyfile(_TEMPLATE, path)
    return Store(f"sqlite:///{path}")


def add(store: Store, url: str, text: str, seen_at: datetime | None = None) -> None:
    record(store, statement(url, text), at=_utc(seen_at))


def store_of(sources: Iterable[SourceText], url: str | None = None) -> Store:
    """A store holding the sources, versions of one url in the order given."""
    store = new_store(url)
    for s in sources:
        add(store, s.url, s.text, s.seen_at)
    return store


def check(sources: Sequence[SourceText], quotes: Sequence[Quote], published_at: datetime | None = None,
          links: Sequence[str] = ()) -> list[QuoteCheck]:
    """check_article of the engine against a temporary store of `sources`."""
    store = store_of(sources)
    try:
        return check_article(StoreQuoteIndex(store), quotes, published_at, links)
    finally:
        store.close()
        Path(store.location).unlink(missing_ok=True)
