"""One check of one URL: the pure decision between "not modified", "unchanged" and
"changed", so that a 304 or an identical body costs no extraction and no version."""

from __future__ import annotations

from dataclasses import dataclass

from sources.document import STATEMENT, Document
from sources.extract import extract
from sources.fetch import Fetcher, FetchResult, Validators
from sources.normalize import NORMALIZER_VERSION, canonical_text, version_hash


@dataclass(frozen=True)
class Previous:
    """What the store remembers about a URL from its last successful check."""

    validators: Validators = Validators()
    body_hash: str | None = None
    text_hash: str | None = None
    normalizer_version: int = NORMALIZER_VERSION


@dataclass(frozen=True)
class NotModified:
    """The server answered 304: nothing was downloaded or extracted."""

    fetch: FetchResult


@dataclass(frozen=True)
class Unchanged:
    """A body came back, but it is byte-identical to the last one (or its canonical
    text is): record the check, create no version."""

    fetch: FetchResult
    reason: str = "same body"


@dataclass(frozen=True)
class Changed:
    """A new body whose canonical text differs (or there was no previous one)."""

    fetch: FetchResult
    document: Document
    canonical: str
    text_hash: str
    normalizer_version: int = NORMALIZER_VERSION


CheckResult = NotModified | Unchanged | Changed


def decide(
    result: FetchResult,
    previous: Previous | None,
    *,
    url: str | None = None,
    kind: str = STATEMENT,
    selector: str | None = None,
) -> CheckResult:
    """Classify a fetch against the previous state; extracts only a new body.

    `url` is the document's address (default: where the fetch ended up); the pipeline
    passes the watched URL so that a redirect does not rename the document.

    The text-hash comparison only counts when the stored hash was made by the same
    normalizer version: a new normalizer must not look like a new wording, so with an
    older hash the caller gets Changed and compares canonical texts re-normalized.
    Raises ExtractionError for a new body with no usable main text.
    """
    if result.not_modified:
        return NotModified(result)
    if previous is not None and previous.body_hash and previous.body_hash == result.body_hash:
        return Unchanged(result)
    doc = extract(
        result.body, url or result.final_url, content_type=result.content_type,
        charset=result.charset, kind=kind, selector=selector,
    )
    canonical = canonical_text(doc.paragraphs)
    digest = version_hash(canonical, doc.title)  # text and title, as the store hashes them
    if (
        previous is not None
        and previous.text_hash == digest
        and previous.normalizer_version == NORMALIZER_VERSION
    ):
        return Unchanged(result, reason="same canonical text")
    return Changed(result, doc, canonical, digest)


def check(
    fetcher: Fetcher,
    url: str,
    previous: Previous | None = None,
    *,
    kind: str = STATEMENT,
    selector: str | None = None,
) -> CheckResult:
    """Fetch `url` conditionally and decide. Raises FetchError, UnsafeURLError or
    ExtractionError; the caller records those as a failed check for that URL."""
    validators = previous.validators if previous is not None else None
    result = fetcher.fetch(url, validators)
    return decide(result, previous, kind=kind, selector=selector)
