"""Alerts about a document's identity: a statement that moved to another URL, and a URL that
now holds another statement. Pure functions, like alerts/compose.py.

    >>> from compare.identity import Candidate, Identity, IdentityAction
    >>> from sources.document import Document
    >>> old = Candidate(3, "https://gov.example/day", "g1", "Day", "text")
    >>> doc = Document(url="https://gov.example/day", title="Day", paragraphs=("new",))
    >>> alert = identity_alert(doc, Identity(IdentityAction.TAKEOVER, replaced=old), None)
    >>> (alert.kind, alert.summary)
    ('new', 'a new statement took over https://gov.example/day (it held “Day”)')
"""

from __future__ import annotations

from datetime import datetime

from alerts.message import Alert
from compare.identity import Identity, IdentityAction
from compare.vocab import AlertKind, Significance
from sources.document import COVERAGE, Document


def identity_alert(doc: Document, identity: Identity, when: datetime | None) -> Alert | None:
    """The alert for a moved statement (kind edit: its thread is the document's, which keeps
    its id) or a taken-over URL (kind new: another statement, not an edit); None otherwise.

    Coverage is not alerted, as for edits."""
    if doc.kind == COVERAGE:
        return None
    stamp = when.isoformat(timespec="seconds") if when else None
    if identity.action is IdentityAction.MOVED and identity.moved_from:
        return Alert(kind=AlertKind.EDIT, title=doc.title or doc.url, url=doc.url,
                     significance=Significance.MINOR,
                     summary=f"moved to URL {doc.url} (was {identity.moved_from})",
                     issuer=doc.issuer, when=stamp)
    if identity.action is IdentityAction.TAKEOVER and identity.replaced is not None:
        held = identity.replaced.title or identity.replaced.url
        return Alert(kind=AlertKind.NEW, title=doc.title or doc.url, url=doc.url,
                     significance=Significance.SUBSTANTIVE,
                     summary=f"a new statement took over {doc.url} (it held “{held}”)",
                     issuer=doc.issuer, when=stamp)
    return None


def identity_key(url: str, identity: Identity) -> str:
    """The outbox dedupe key: one alert per move or takeover."""
    replaced = identity.replaced.document_id if identity.replaced else ""
    return f"{identity.action}|{url}|{identity.document_id or ''}|{replaced}"
