"""The monitoring pipeline as plain function calls: fetch, extract, version, diff, check, alert.

Prefect flows in flows/prefect_flows.py wrap these; everything here works without Prefect.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from sqlalchemy.exc import SQLAlchemyError

from alerts.compose import (
    claim_alert_due,
    drift_alert,
    drift_key,
    edit_alert,
    edit_key,
    misquote_alert,
    new_alert,
    new_key,
    outbox_entries,
    quote_alert_due,
    removed_alert,
)
from alerts.config import build_sinks as sinks_from_tables
from alerts.deliver import DeliveryReport
from alerts.identity import identity_alert, identity_key
from alerts.message import Alert
from alerts.sink import Sink
from compare.claims import (
    ClaimCheck,
    ParagraphCoverage,
    check_claims,
    paragraphs_of,
    statement_units,
)
from compare.embed import Embedder, MiniLM, embed_texts, text_key
from compare.identity import Candidate, Identity, IdentityAction, decide_identity
from compare.observe import Decision, Observed, Outcome, Prior, decide
from compare.quote_engine import check_article
from compare.quotecheck import QuoteCheck
from compare.quotes import extract_quotes
from compare.vocab import ClaimVerdict, DriftKind, Severity, Significance, Verdict
from flows.settings import Settings
from sources.check import NotModified, Previous, Unchanged
from sources.check import decide as decide_fetch
from sources.config import Source
from sources.discover import (
    Item,
    filter_by_keywords,
    follow_sitemap,
    items_from_feed,
    items_from_listing,
    normalize_url,
)
from sources.document import COVERAGE, STATEMENT, Document
from sources.extract import ExtractionError
from sources.fetch import Fetcher, FetchError, FetchResult, Validators
from sources.normalize import NORMALIZER_VERSION, canonical_text, version_hash
from sources.politeness import HostLimiter, HostPolicy
from sources.urls import UnsafeURLError
from store import Store, quoteindex
from store.db import StoreError
from store.errors import Conflict
from store.quoteindex import StoreQuoteIndex
from store.records import (
    ChangeRecord,
    ClaimCheckRecord,
    CoverageRecord,
    DocumentRecord,
    NewAlert,
    Observation,
    QuoteCheckRecord,
    Version,
)

log = logging.getLogger("onrecord")

NEW, CHANGED, UNCHANGED, NOT_MODIFIED, ERROR, REMOVED_STATE = (
    "new", "changed", "unchanged", "not_modified", "error", "removed")


@dataclass(frozen=True)
class QuoteResult:
    """A checked quote as reported by a run."""

    article_url: str
    quote: str
    verdict: Verdict
    severity: Severity
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ClaimResult:
    """A judged reported claim as a run reports it (compare.claims.ClaimCheck, flattened)."""

    article_url: str
    claim: str
    verdict: ClaimVerdict
    kind: DriftKind | None
    severity: Severity
    source: str | None
    matched: str
    reasons: tuple[str, ...]

    @classmethod
    def of(cls, article_url: str, check: ClaimCheck) -> ClaimResult:
        return cls(article_url, check.claim.text, check.verdict, check.kind, check.severity,
                   check.source, check.matched, check.reasons)


@dataclass(frozen=True)
class CheckOutcome:
    """What checking one URL found."""

    url: str
    kind: str
    status: str
    title: str = ""
    version: int | None = None
    significance: Significance | None = None
    summary: str | None = None
    error: str | None = None
    quotes: tuple[QuoteResult, ...] = ()
    claims: tuple[ClaimResult, ...] = ()


@dataclass(frozen=True)
class SourceReport:
    """What one source's pass found; `error` when discovery itself failed."""

    source: str
    outcomes: tuple[CheckOutcome, ...] = ()
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None or any(o.status == ERROR for o in self.outcomes)


@dataclass(frozen=True)
class CheckReport:
    """What a manual check of one URL did: its outcome and the alert delivery that followed
    (whose `problems` the caller reports, as for a pass)."""

    outcome: CheckOutcome
    delivery: DeliveryReport


@dataclass(frozen=True)
class PassReport:
    """What one monitoring pass did: each source's report, in config order, and the alert
    delivery that followed it (whose `problems` the caller reports: a stopped channel or
    failed alerts must reach the operator of a Prefect run as they do a plain one)."""

    sources: tuple[SourceReport, ...]
    delivery: DeliveryReport


@lru_cache(maxsize=1)
def load_embedder() -> MiniLM:
    """The process's one sentence-embedding model, loaded: the only place the pipeline and
    the CLI open the model file (compare/ is handed the loaded model)."""
    model = MiniLM()
    model.load()
    return model


@dataclass(frozen=True)
class BackfillProgress:
    """Where a vector backfill stands: statements looked at of `total`, alignment units
    embedded and stored, and the last statement's document id (`after` to resume there)."""

    statements: int
    total: int
    embedded: int
    last_id: int


def backfill_vectors(store: Store, embedder: Embedder, *, batch: int = 50, all_versions: bool = False,
                     after: int = 0, progress: Callable[[BackfillProgress], None] | None = None,
                     urls: Sequence[str] | None = None) -> BackfillProgress:
    """Embed and store the alignment units (compare.claims.statement_units) of statement
    versions stored without their vectors: a store from before migration 0008, where each
    article check would otherwise embed its candidate statements' sentences itself.

    The latest version of each statement (`all_versions`: every version), `batch` statements
    at a time in document-id order: the units read from the index, those already stored
    skipped, the rest embedded outside any transaction, then stored in a short one (a
    concurrent writer's rows are left as they are). Stopped at any point, a run loses at most
    one batch; a new run skips what is stored (or starts past `after`). `urls`: only these
    statements (their ids are then 0)."""
    index = StoreQuoteIndex(store)
    given = list(dict.fromkeys(urls)) if urls is not None else None
    total = store.statement_count(after) if given is None else len(given)
    done = embedded = 0
    last = after
    while True:
        if given is None:
            ids = store.statement_ids(after=last, limit=batch)
        else:
            ids = [(0, u) for u in given[done:done + batch]]
        if not ids:
            break
        names = [u for _, u in ids]
        heads = index.versions(names)
        chosen = [v for u in names for v in (heads.get(u, []) if all_versions else heads.get(u, [])[-1:])]
        texts = index.block_texts({b for v in chosen for b in v.blocks})
        units = list(dict.fromkeys(x for v in chosen for x in statement_units(
            paragraphs_of([texts.get(b, "") for b in v.blocks], v.seps))))
        have = store.stored_vector_keys(embedder.model_id, [text_key(x) for x in units])
        missing = [x for x in units if text_key(x) not in have]
        if missing:
            store.save_sentence_vectors(embed_texts(embedder, missing))
        done, embedded, last = done + len(ids), embedded + len(missing), ids[-1][0]
        if progress is not None:
            progress(BackfillProgress(done, total, embedded, last))
    return BackfillProgress(done, total, embedded, last)


@dataclass
class Runtime:
    """The long-lived parts a pass needs: store, fetcher, alert channels, and the embedding
    model for reported claims (None: the process's, loaded on first need)."""

    store: Store
    fetcher: Fetcher
    sinks: dict[str, Sink] = field(default_factory=dict)
    min_significance: Significance = Significance.MINOR
    embedder: Embedder | None = None

    def model(self) -> Embedder:
        if self.embedder is None:
            self.embedder = load_embedder()
        return self.embedder

    @classmethod
    def from_settings(cls, settings: Settings, *, console: bool = True) -> Runtime:
        store = Store(settings.database_url)
        fetcher = Fetcher(contact=settings.contact, allow_private=settings.allow_private,
                          limiter=host_limiter(settings))
        if fetcher.robots is not None:
            # robots.txt kept in the store with its expiry: one fetch a day, not one a pass.
            fetcher.robots.persist = store
        return cls(store, fetcher, build_sinks(settings, console=console),
                   settings.min_significance)

    def close(self) -> None:
        self.fetcher.close()
        self.store.close()


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def host_limiter(settings: Settings) -> HostLimiter:
    """Per-host politeness from the settings; your own loopback servers need none."""
    fast = HostPolicy(min_delay=0.0, max_concurrent=16)
    return HostLimiter(HostPolicy(settings.host_delay, max(1, settings.host_concurrency)),
                       per_host=dict.fromkeys(LOOPBACK_HOSTS, fast))


def build_sinks(settings: Settings, *, console: bool = True) -> dict[str, Sink]:
    """Outbox channel name -> sink, built by the sink registry (alerts.config).

    From the sources file's [[sink]] tables when it has any (secrets from the environment);
    else from the tables the environment variables describe (Settings.implicit_sinks), in
    which Slack routes come in order with the catch-all last.
    """
    file_tables = settings.sink_tables()
    if file_tables:
        return sinks_from_tables(file_tables, os.environ, origin=settings.config_path,
                                 load_secret=settings.load_secret)
    tables, secrets = settings.implicit_sinks(console=console)
    return sinks_from_tables(tables, secrets, origin="environment",
                             load_secret=settings.load_secret)


def group_by_host(sources: Iterable[Source]) -> dict[str, list[Source]]:
    """Sources keyed by the host they are read from, in config order.

    Orchestrators schedule one unit of work per host: per-host politeness then needs no
    cross-task coordination, and a pass over hundreds of URLs costs a handful of tasks.
    """
    groups: dict[str, list[Source]] = {}
    for source in sources:
        groups.setdefault(source.host_key, []).append(source)
    return groups


# A write decided against a version another run has just superseded is decided again;
# each retry sees a newer version, so this bounds how many runs can race on one URL at once.
WRITE_ATTEMPTS = 5

# A document's latest version and every version's text hash -> seq (Store.prior_of).
PriorRead = tuple[Version | None, dict[str, int]]


def as_prior(version: Version | None) -> Prior | None:
    """The store's latest version as compare/ takes it."""
    if version is None:
        return None
    return Prior(version.seq, version.canonical_text, version.paragraphs, version.text_hash,
                 version.normalizer_version, version.title)


def change_record(decision: Decision) -> ChangeRecord | None:
    """The change row a decision stores with its new version (None for a first version)."""
    if decision.outcome not in (Outcome.CHANGED, Outcome.NORMALIZER_UPGRADE):
        return None
    return ChangeRecord(decision.significance or "none", decision.summary or "",
                        decision.diff_json(), decision.revert_of is not None)


class Pipeline:
    """One pass of monitoring over sources and URLs, writing to the store and the outbox."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    @property
    def store(self) -> Store:
        return self.rt.store

    def _alerts_for(self, alert: Alert, key: str) -> tuple[NewAlert, ...]:
        return outbox_entries(alert, key, self.rt.sinks, self.rt.min_significance)

    # -- discovery ---------------------------------------------------------------------

    def discover(self, source: Source) -> list[str]:
        """Item URLs of a source, newest first, at most `max_items`."""
        return [i.url for i in self.discover_items(source)]

    def _fetch_listed(self, url: str) -> FetchResult:
        """A feed, listing page or sitemap fetched conditionally with the validators the store
        kept; on 304 the body is the one stored with them (so discovery reads the same items
        without the host sending them again)."""
        last = self.store.last_fetch(url)
        validators = Validators(last.etag, last.last_modified) if last and last.body_hash else None
        result = self.rt.fetcher.fetch(url, validators)
        if result.status == 304 and last is not None and last.body_hash:
            kept = self.store.body(last.body_hash)
            self.store.record_listing(url, status=304, etag=result.etag,
                                      last_modified=result.last_modified, body=None, body_hash=None)
            if kept is not None:
                return replace(result, status=200, body=kept)
            result = self.rt.fetcher.fetch(url)  # the stored copy is gone: ask again in full
        self.store.record_listing(url, status=result.status, etag=result.etag,
                                  last_modified=result.last_modified, body=result.body,
                                  body_hash=result.body_hash, content_type=result.content_type)
        return result

    def discover_items(self, source: Source) -> list[Item]:
        """Items of a source (its fixed URLs first), newest first, at most `max_items`;
        one item a URL, the first listed."""
        found: list[Item] = [Item(u) for u in source.urls]
        for kind, url in (("feed", source.feed), ("listing", source.listing),
                          ("sitemap", source.sitemap)):
            if not url:
                continue
            result = self._fetch_listed(url)
            if kind == "feed":
                items = items_from_feed(result.body, result.final_url)
            elif kind == "listing":
                items = items_from_listing(result.body, result.final_url, source.link_selector or "a",
                                           result.charset)
            else:
                sitemap = follow_sitemap(result.body, result.final_url,
                                         lambda u: self._fetch_listed(u).body)
                for child, error in sitemap.failed:
                    log.warning("source %s: sitemap %s failed: %s", source.name, child, error)
                items = list(sitemap.items)
            if source.keywords:
                items = filter_by_keywords(items, source.keywords)
            found.extend(items)
        by_url: dict[str, Item] = {}
        for item in found:
            by_url.setdefault(item.url, item)
        return list(by_url.values())[: source.max_items]

    def run_source(self, source: Source) -> SourceReport:
        """Discover and check every item of one source; errors stay inside this source."""
        # A source that says allow_private may be on private addresses, its own hosts only.
        with self.rt.fetcher.limits(private_hosts=source.private_hosts):
            try:
                items = self.discover_items(source)
            except (FetchError, UnsafeURLError, ValueError) as exc:
                log.warning("source %s: discovery failed: %s", source.name, exc)
                return SourceReport(source.name, error=str(exc))
            outcomes = tuple(
                self.check_url(item.url, source.kind, selector=source.selector,
                               issuer=source.issuer, guid=item.guid, alert_new=source.alert_new)
                for item in items
            )
        return SourceReport(source.name, outcomes)

    def run_sources(self, sources: Iterable[Source], *, workers: int = 4,
                    deadline: float | None = None) -> list[SourceReport]:
        """Discover and check a batch of sources (usually one host's) with a few threads.

        At most `workers` requests are in flight at once, which is the per-host politeness
        limit when the batch is one host. A URL listed by two sources is checked once.
        `deadline` (a `time.monotonic()` value) is a cooperative time budget: work not
        started by then is reported as an error instead of run, because a thread that is
        already fetching cannot be interrupted safely (the fetcher's own connect and read
        timeouts bound each request). Reports come back in the order of `sources`.
        """
        sources = list(sources)

        def expired() -> bool:
            return deadline is not None and time.monotonic() > deadline

        guids: dict[str, str] = {}

        def discover(source: Source) -> list[str] | str:
            if expired():
                return "not started: the time budget ran out"
            try:
                # A source that says allow_private may be on private addresses, its own hosts only.
                with self.rt.fetcher.limits(private_hosts=source.private_hosts):
                    items = self.discover_items(source)
                for item in items:
                    if item.guid:
                        guids.setdefault(item.url, item.guid)
                return [i.url for i in items]
            except (FetchError, UnsafeURLError, ValueError) as exc:
                log.warning("source %s: discovery failed: %s", source.name, exc)
                return str(exc)

        def check(job: tuple[str, Source]) -> CheckOutcome:
            url, source = job
            if expired():
                return CheckOutcome(url, source.kind, ERROR,
                                    error="not checked: the time budget ran out")
            try:
                with self.rt.fetcher.limits(private_hosts=source.private_hosts):
                    return self.check_url(url, source.kind, selector=source.selector,
                                          issuer=source.issuer, guid=guids.get(url),
                                          alert_new=source.alert_new)
            except (SQLAlchemyError, StoreError):
                raise  # the store is down: fail the task so the orchestrator retries it
            except Exception as exc:  # noqa: BLE001 - one bad page must not sink the batch
                log.exception("%s: check failed", url)
                return CheckOutcome(url, source.kind, ERROR,
                                    error=f"{type(exc).__name__}: {exc}")

        with ThreadPoolExecutor(max(1, workers), thread_name_prefix="onrecord-check") as pool:
            found = list(pool.map(discover, sources))
            jobs: dict[str, Source] = {}
            for source, urls in zip(sources, found, strict=True):
                for url in urls if isinstance(urls, list) else ():
                    jobs.setdefault(url, source)
            outcomes = dict(zip(jobs, pool.map(check, jobs.items()), strict=True))
        return [SourceReport(s.name, error=urls) if isinstance(urls, str)
                else SourceReport(s.name, tuple(outcomes[u] for u in urls))
                for s, urls in zip(sources, found, strict=True)]

    # -- one URL -----------------------------------------------------------------------

    def _previous(self, url: str) -> Previous | None:
        """What the store remembers of `url` for the fetch decision (None: never versioned)."""
        latest = self.store.latest_version(url)
        if latest is None:
            return None
        last = self.store.last_fetch(url)
        return Previous(Validators(last.etag, last.last_modified) if last else Validators(),
                        last.body_hash if last else None, latest.text_hash,
                        latest.normalizer_version)

    def check_url(self, url: str, kind: str = STATEMENT, *, selector: str | None = None,
                  issuer: str | None = None, guid: str | None = None,
                  alert_new: bool | None = None) -> CheckOutcome:
        """Fetch one URL and record what it says now; never raises for a bad page.

        `guid` is the feed's id of the item, when a feed listed it: the document's identity
        when its URL changes or is reused (compare.identity)."""
        store = self.store
        known = store.document(url)
        previous = self._previous(url) if known else None
        try:
            result = self.rt.fetcher.fetch(url, previous.validators if previous else None)
        except UnsafeURLError as exc:
            return CheckOutcome(url, kind, ERROR, error=str(exc))
        except FetchError as exc:
            if exc.status in (404, 410) and known is not None:
                alert = removed_alert(known.title, url, known.issuer, exc.status)
                # The state change and its alerts commit together (or not at all).
                store.mark_removed(url, exc.status,
                                   self._alerts_for(alert, f"removed|{url}|{known.id}"))
                return CheckOutcome(url, kind, REMOVED_STATE, known.title, error=str(exc))
            store.record_check(url, outcome="error", status=exc.status, error=str(exc))
            return CheckOutcome(url, kind, ERROR, error=str(exc))
        try:
            # 304 or the same bytes (or the same canonical text) cost no version.
            found = decide_fetch(result, previous, url=url, kind=kind, selector=selector)
        except ExtractionError as exc:
            store.record_check(url, outcome="error", status=result.status, error=str(exc),
                               body_hash=result.body_hash)
            return CheckOutcome(url, kind, ERROR, error=str(exc))
        if isinstance(found, NotModified):
            store.record_check(url, outcome="not_modified", status=304, etag=result.etag,
                               last_modified=result.last_modified, body_hash=None)
            return CheckOutcome(url, kind, NOT_MODIFIED, known.title if known else "")
        if isinstance(found, Unchanged):
            store.record_check(url, outcome="unchanged", status=result.status, etag=result.etag,
                               last_modified=result.last_modified, body_hash=result.body_hash)
            return CheckOutcome(url, kind, UNCHANGED, known.title if known else "")
        doc = found.document
        if issuer and not doc.issuer:
            doc = Document(**{**doc.__dict__, "issuer": issuer})
        for warning in doc.warnings:
            log.warning("%s: %s", url, warning)
        return self.record_document(doc, result_meta={
            "status": result.status, "etag": result.etag, "last_modified": result.last_modified,
            "body": result.body, "body_hash": result.body_hash,
            "content_type": result.content_type, "final_url": result.final_url}, guid=guid,
            alert_new=alert_new)

    def _candidate(self, record: DocumentRecord | None, read: dict[int, PriorRead]) -> Candidate | None:
        """A stored document as compare.identity weighs it (None for none); its prior (latest
        version and text hashes, one snapshot) is kept in `read` for the decision after."""
        if record is None:
            return None
        if record.id not in read:
            read[record.id] = self.store.prior_of(record.id)
        latest, _ = read[record.id]
        return Candidate(record.id, record.url, record.guid,
                         latest.title if latest else record.title,
                         latest.canonical_text if latest else "")

    def identify(self, doc: Document, guid: str | None, canonical: str) -> tuple[Identity, PriorRead]:
        """Which stored document `doc` continues (read the candidates, decide in compare/), and
        that document's prior as read for the decision: one read of the latest version per
        candidate, not a second one for the diff (a new document's prior is empty)."""
        at_url = self.store.document(doc.url)
        by_guid = self.store.document_by_guid(guid) if guid else None
        by_canonical = None
        if doc.canonical_url and normalize_url(doc.canonical_url) != normalize_url(doc.url):
            by_canonical = self.store.document(doc.canonical_url)
        read: dict[int, PriorRead] = {}
        identity = decide_identity(doc.url, guid, doc.title, canonical,
                                   at_url=self._candidate(at_url, read),
                                   by_guid=self._candidate(by_guid, read),
                                   by_canonical=self._candidate(by_canonical, read))
        if identity.document_id is None:
            return identity, (None, {})
        # Every document decide_identity can name is a candidate read above.
        return identity, read[identity.document_id]

    def record_document(self, doc: Document, result_meta: Mapping[str, object] | None = None,
                        *, guid: str | None = None, alert_new: bool | None = None) -> CheckOutcome:
        """Version an extracted document, diff it, check quotes, queue alerts.

        Read the prior version, decide (compare/), compose alerts (alerts/), write (store/);
        the write commits only if the prior is still the latest, else all of it is redone
        against the version that superseded it.
        """
        canonical = canonical_text(doc.paragraphs)
        obs = Observation(
            url=doc.url, kind=doc.kind, title=doc.title, paragraphs=doc.paragraphs,
            canonical_text=canonical, text_hash=version_hash(canonical, doc.title),
            normalizer_version=NORMALIZER_VERSION, issuer=doc.issuer, published=doc.published,
            canonical_url=doc.canonical_url, guid=guid,
            **(result_meta or {}))  # type: ignore[arg-type]
        observed = Observed(canonical, obs.paragraphs, obs.text_hash, obs.normalizer_version,
                            doc.title)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            # On a conflict the loop comes back here and reads the candidates afresh.
            identity, (latest, hashes) = self.identify(doc, guid, canonical)
            if doc.kind == STATEMENT and obs.sentence_vectors is None and (
                    latest is None or latest.text_hash != obs.text_hash):
                obs = self._with_vectors(obs)  # a new text: embedded now, before the write
            decision = decide(as_prior(latest), hashes, observed)
            when = datetime.now().astimezone()
            alert = edit_alert(doc, decision, when)
            alerts = (self._alerts_for(alert, edit_key(doc.url, decision, obs.text_hash))
                      if alert else ())
            moved = identity_alert(doc, identity, when)
            if moved is not None:
                alerts += self._alerts_for(moved, identity_key(doc.url, identity))
            else:
                # A first version: the "new statement" alert (the source's alert_new, by kind).
                # A takeover already says so in its own alert (one alert, not two).
                first = new_alert(doc, decision, when, alert_new)
                if first is not None:
                    alerts += self._alerts_for(first, new_key(doc.url))
            try:
                saved = self.store.record_observation(
                    obs, expected_latest=decision.prior_seq, change=change_record(decision),
                    alerts=alerts, revert_of=decision.revert_of,
                    move=identity.document_id if identity.action is IdentityAction.MOVED else None,
                    replace=identity.replaced.document_id if identity.replaced else None)
                break
            except Conflict as exc:
                if attempt == WRITE_ATTEMPTS:
                    raise
                log.info("%s; deciding again", exc)
        if not saved.created:
            return CheckOutcome(doc.url, doc.kind, UNCHANGED, doc.title, saved.version.seq)
        status = NEW if saved.previous is None else CHANGED
        quotes: tuple[QuoteResult, ...] = ()
        claims: tuple[ClaimResult, ...] = ()
        if doc.kind == COVERAGE:
            quotes, claims = self.judge_article(doc, saved.version)
        elif saved.previous is not None:
            # The edited statement's coverage, quoted or reported in its own words, is judged
            # again against the new version.
            sid = saved.document.id
            for article_url in sorted({*self.store.articles_quoting(sid),
                                       *self.store.articles_reporting(sid)}):
                article = self.store.latest_version(article_url)
                if article is not None:
                    q, c = self._recheck(article_url, article)
                    quotes, claims = quotes + q, claims + c
        return CheckOutcome(doc.url, doc.kind, status, doc.title, saved.version.seq,
                            decision.significance, decision.summary, quotes=quotes,
                            claims=claims)

    def _with_vectors(self, obs: Observation) -> Observation:
        """The statement observation with its quote index and the vectors of the sentences
        reported claims are aligned against (compare.claims.statement_units), those the store
        holds no vector for yet; computed here, outside any write transaction, and stored
        with the version."""
        obs = quoteindex.prepare(obs)
        assert obs.quote_index is not None  # a statement's
        units = statement_units(paragraphs_of([b.text for b in obs.quote_index.blocks],
                                              obs.quote_index.seps))
        model = self.rt.model()
        have = self.store.stored_vector_keys(model.model_id, [text_key(u) for u in units])
        return replace(obs, sentence_vectors=embed_texts(model, [u for u in units if text_key(u) not in have]))

    # -- quotes and reported claims ----------------------------------------------------

    def judge_article(self, doc: Document, version: Version
                      ) -> tuple[tuple[QuoteResult, ...], tuple[ClaimResult, ...]]:
        """Check an article version's quotes, then its reported claims (with the quote
        verdicts, which mark paragraphs quoted and say which statement the article is about);
        store both with their alerts. Everything is judged before each write."""
        # The statement index lives in the store (written with each statement version):
        # nothing is built per process. Linked statements are tried first; each statement is
        # judged by the version that was current when the article was published.
        index = StoreQuoteIndex(self.store)
        if index.few_statements(0) == []:
            return (), ()  # no statement on record yet: nothing to check against
        checks = self._check_quotes(doc, version, index)
        report = check_claims(index, doc.text, checks, doc.published, links=doc.links,
                              embedder=self.rt.model())
        self._save_claims(doc, version, report.claims, report.coverage)
        # Vectors of statement sentences stored without them (versions written before they
        # were): stored now, so the next article on the statement reads them.
        self.store.save_sentence_vectors(report.vectors)
        return (tuple(QuoteResult(doc.url, c.quote.text, c.verdict, c.severity, c.reasons)
                      for c in checks),
                tuple(ClaimResult.of(doc.url, c) for c in report.claims))

    def _check_quotes(self, doc: Document, version: Version,
                      index: StoreQuoteIndex) -> list[QuoteCheck]:
        """Check an article version's quotes; store verdicts and queue misquote alerts."""
        quotes = extract_quotes(doc.text)
        if not quotes:
            return []
        checks = check_article(index, quotes, doc.published, links=doc.links)
        records: list[QuoteCheckRecord] = []
        alerts: list[NewAlert] = []
        titles: dict[str, str] = {}
        for check in checks:
            records.append(QuoteCheckRecord(version.id, check.version_id if check.source else None,
                                            check.quote.text, check.quote.start, check.quote.end,
                                            check.verdict, check.severity, check.to_json()))
            # Every quote is stored with its verdict; only the statement's words raise an alert.
            if quote_alert_due(check):
                if check.source and check.source not in titles:
                    statement = self.store.document(check.source)
                    titles[check.source] = statement.title if statement else ""
                alert = misquote_alert(doc, check, titles.get(check.source or "", ""))
                key = f"quote|{doc.url}|{version.seq}|{check.quote.start}|{check.verdict}|{check.source}|{check.version}"
                alerts.extend(self._alerts_for(alert, key))
        doc_record = self.store.document(doc.url)
        self.store.save_quote_checks(version.id, records, tuple(alerts),
                                     doc_record.id if doc_record else None)
        return checks

    def _save_claims(self, doc: Document, version: Version, checks: Iterable[ClaimCheck],
                     coverage: Iterable[ParagraphCoverage]) -> None:
        """Store an article version's claim verdicts and coverage map; queue drift alerts."""
        records: list[ClaimCheckRecord] = []
        alerts: list[NewAlert] = []
        titles: dict[str, str] = {}
        for check in checks:
            records.append(ClaimCheckRecord(
                version.id, check.version_id if check.source else None, check.claim.text,
                check.claim.start, check.claim.end, check.verdict, check.kind, check.severity,
                check.to_json()))
            # Every claim is stored with its verdict; only a major drift raises an alert.
            if claim_alert_due(check) and check.source:
                if check.source not in titles:
                    statement = self.store.document(check.source)
                    titles[check.source] = statement.title if statement else ""
                alert = drift_alert(doc, check, titles[check.source])
                alerts.extend(self._alerts_for(alert, drift_key(doc.url, version.seq, check)))
        # The map of a statement the article reported nothing of (a candidate the engine
        # weighed and set aside) is not coverage of it: kept, every statement an article
        # merely shares words with would count it, and be judged again on each edit.
        coverage = list(coverage)
        reported = {p.source for p in coverage if p.covered}
        mapped = [CoverageRecord(version.id, p.source, p.paragraph, p.text, p.how)
                  for p in coverage if p.source in reported]
        doc_record = self.store.document(doc.url)
        self.store.save_claim_checks(version.id, records, mapped, tuple(alerts),
                                     doc_record.id if doc_record else None)

    def _recheck(self, article_url: str, version: Version
                 ) -> tuple[tuple[QuoteResult, ...], tuple[ClaimResult, ...]]:
        record = self.store.document(article_url)
        doc = Document(url=article_url, title=version.title, paragraphs=version.paragraphs,
                       kind=COVERAGE, published=version.published,
                       issuer=record.issuer if record else None)
        return self.judge_article(doc, version)
