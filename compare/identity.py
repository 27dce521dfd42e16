"""Which document an observation belongs to, beyond its URL: a pure decision.

A URL is a poor identity for an official statement. Sites fix a slug and redirect the old
one (301), so one statement shows up under a second URL; and they reuse slugs (state.gov
publishes "Luxembourg National Day" at the same URL every year), so one URL holds a second
statement. The feed's guid (RSS <guid>, Atom <id>) and the page's canonical URL are the
better identity; the URL is the fallback.

    >>> old = Candidate(7, "https://gov.example/a", "g1", "Visas Restrictions", "Text.")
    >>> decide_identity("https://gov.example/b", "g1", "Visa Restrictions", "Text.",
    ...                 at_url=None, by_guid=old).action
    <IdentityAction.MOVED: 'moved'>
    >>> decide_identity("https://gov.example/a", "g2", "Visas Restrictions", "Other text.",
    ...                 at_url=old).action
    <IdentityAction.TAKEOVER: 'takeover'>
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

# Below this word-level similarity, and under another title, a page at a known URL is
# another statement (used only when a guid cannot tell: no feed, or a document stored
# before guids were). A real edit keeps most of its words; a reused slug keeps few.
TAKEOVER_SIMILARITY = 0.5


class IdentityAction(StrEnum):
    """What an observation is to the documents already stored."""

    SAME = "same"  # the document already at this URL
    MOVED = "moved"  # a known document, now at this URL (its slug changed)
    TAKEOVER = "takeover"  # a new document at a URL another document held
    NEW = "new"  # a new document at a new URL


@dataclass(frozen=True)
class Candidate:
    """A stored document the observation might belong to, with its latest title and text."""

    document_id: int
    url: str
    guid: str | None
    title: str
    text: str


@dataclass(frozen=True)
class Identity:
    """The decision: `document_id` is the document the observation continues (None: a new
    one); `moved_from` is the URL it leaves (MOVED); `replaced` is the document that held
    the URL and keeps its history under its own id (TAKEOVER, or a MOVED onto a held URL)."""

    action: IdentityAction
    document_id: int | None = None
    moved_from: str | None = None
    replaced: Candidate | None = None


def _key(title: str) -> str:
    # Titles are re-cased and get no-break spaces ("Luxembourg\u202fNational Day\u202f").
    return " ".join(title.casefold().split())


def similarity(a: str, b: str) -> float:
    """Word-level similarity of two texts, 0..1 (1: the same words in the same order).

    >>> similarity("one two three four", "one two three five")
    0.75
    """
    wa, wb = a.split(), b.split()
    if not wa and not wb:
        return 1.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def is_other_statement(at_url: Candidate, guid: str | None, title: str, text: str) -> bool:
    """True when what is now at `at_url`'s URL is another statement than the stored one.

    Different guids decide; without both guids, a different title AND mostly different
    words do (either alone is an edit: titles get fixed, statements get rewritten).

    >>> c = Candidate(1, "https://gov.example/day", None, "Day", "a b c d")
    >>> is_other_statement(c, None, "Day", "w x y z"), is_other_statement(c, None, "Night", "w x y z")
    (False, True)
    """
    if guid and at_url.guid:
        return guid != at_url.guid
    if _key(title) == _key(at_url.title):
        return False
    return similarity(text, at_url.text) < TAKEOVER_SIMILARITY


def decide_identity(
    url: str,
    guid: str | None,
    title: str,
    text: str,
    *,
    at_url: Candidate | None,
    by_guid: Candidate | None = None,
    by_canonical: Candidate | None = None,
) -> Identity:
    """The document an observation of `url` (feed `guid`, page `title` and `text`) belongs to.

    `at_url` is the document stored at `url` (its URL or an alias), `by_guid` the one
    stored with `guid`, `by_canonical` the one at the page's canonical URL when that is
    another URL. The guid wins over the URL; the canonical URL is a hint only when neither
    the URL nor the guid is known and the guids do not contradict it.
    """
    if by_guid is not None and (at_url is None or at_url.document_id != by_guid.document_id):
        held = at_url if at_url is not None else None
        return Identity(IdentityAction.MOVED, by_guid.document_id, by_guid.url, held)
    if at_url is not None:
        if is_other_statement(at_url, guid, title, text):
            return Identity(IdentityAction.TAKEOVER, None, None, at_url)
        return Identity(IdentityAction.SAME, at_url.document_id)
    if by_canonical is not None and not (guid and by_canonical.guid and guid != by_canonical.guid):
        return Identity(IdentityAction.MOVED, by_canonical.document_id, by_canonical.url)
    return Identity(IdentityAction.NEW)
