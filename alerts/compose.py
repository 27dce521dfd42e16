"""Alerts composed from decisions: pure functions from what compare/ decided and what the
document is, to `Alert`s and the outbox entries that carry them to each channel.

The pipeline calls these between `compare.observe.decide` and the store's write, so the
alerts commit in the same transaction as the version that caused them.

    >>> alert = removed_alert("Statement", "https://gov.example/s", None, 404)
    >>> (alert.kind.value, alert.significance.value)
    ('removed', 'substantive')
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from alerts.message import Alert, ChangeLine
from alerts.routing import Routed, channels_for
from compare.claims import ClaimCheck
from compare.observe import Decision, Outcome
from compare.quotecheck import QuoteCheck
from compare.quotes import QuoteRole
from compare.vocab import AlertKind, ClaimVerdict, Severity, Significance, Verdict
from sources.document import COVERAGE, Document
from store.records import NewAlert


def edit_alert(doc: Document, decision: Decision, when: datetime) -> Alert | None:
    """The alert for a new version of a watched statement; None when there is nothing to say.

    A first version, a normalizer upgrade or an empty diff is news to no one, and edits of
    coverage are stored but not alerted (an article's quotes are what is checked).
    """
    diff = decision.diff
    if (decision.outcome is not Outcome.CHANGED or diff is None
            or diff.significance == Significance.NONE or doc.kind == COVERAGE):
        return None
    # Cosmetic lines are left out when there is anything more serious to show.
    shown = [c for c in diff.changes if c.significance != Significance.COSMETIC] or list(diff.changes)
    lines = tuple(ChangeLine(str(c.op), c.old, c.new, c.significance, c.said) for c in shown)
    return Alert(kind=AlertKind.EDIT, title=doc.title or doc.url, url=doc.url, significance=diff.significance,
                 summary=diff.summary(), issuer=doc.issuer,
                 when=when.isoformat(timespec="seconds"), version=decision.seq, lines=lines,
                 revert=decision.revert_of is not None)


def wants_new_alert(kind: str, alert_new: bool | None) -> bool:
    """Whether a first version is alerted: the source's `alert_new`, else by kind.

    On by default for statements (a new statement is news), off for coverage (articles
    arrive by the dozen; their quotes are what is checked).
    """
    return alert_new if alert_new is not None else kind != COVERAGE


def new_alert(doc: Document, decision: Decision, when: datetime,
              alert_new: bool | None = None) -> Alert | None:
    """The alert for the first version of a document; None for anything else or when off.

    Title, issuer, URL and the first paragraph: enough to tell whether to read it.
    """
    if decision.outcome is not Outcome.NEW or not wants_new_alert(doc.kind, alert_new):
        return None
    first = next((p for p in doc.paragraphs if p.strip()), "")
    lines = (ChangeLine("insert", "", first, Significance.MINOR, ()),) if first else ()
    what = "statement" if doc.kind != COVERAGE else "article"
    by = f" from {doc.issuer}" if doc.issuer else ""
    return Alert(kind=AlertKind.NEW, title=doc.title or doc.url, url=doc.url,
                 significance=Significance.MINOR, summary=f"new {what}{by}",
                 issuer=doc.issuer, when=when.isoformat(timespec="seconds"),
                 version=decision.seq, lines=lines)


def new_key(url: str) -> str:
    """The outbox dedupe key of a new-document alert: one per document, ever."""
    return f"new|{url}"


def edit_key(url: str, decision: Decision, text_hash: str) -> str:
    """The outbox dedupe key of an edit: one alert per version of a document and text."""
    return f"edit|{url}|{decision.seq}|{text_hash}"


def quote_alert_due(check: QuoteCheck) -> bool:
    """Whether a quote's verdict is worth an alert: a misquote or stale quote whose role is
    `statement` or `other_speaker`; never a scare quote or a title.

    Every quote is aligned whatever its role, so every verdict is stored and shown. A verdict
    of misquote already means the quote matched a statement passage closely (most of its
    words, in order): words the article routes through someone else ("the four said in a
    joint statement", "some reports quoted the group as saying") are then the statement's
    words misquoted, and on the development set no quote labelled as another speaker's
    reaches that verdict, while six labelled misquotes are attributed so. Another speaker's
    words that do not match come out unverified and raise nothing. A scare quote or a title
    names a term, not a sentence someone said: it raises no alert even when it differs.

        >>> from compare.quotecheck import unverified
        >>> from compare.quotes import Quote, QuoteRole
        >>> quote_alert_due(unverified(Quote("a farce", 0, 7, QuoteRole.SCARE), "not found"))
        False
    """
    return (check.verdict in (Verdict.MISQUOTE, Verdict.STALE)
            and check.quote.role in (QuoteRole.STATEMENT, QuoteRole.OTHER_SPEAKER))


def misquote_alert(article: Document, check: QuoteCheck, statement_title: str) -> Alert:
    """The alert for a misquote (or a stale quote) in coverage.

    A stale quote's line carries the wording it quoted (`old`, then) and the statement's
    wording now (`current`), and its summary says what changed in time order ("then
    '$80 million', now '$58 million'").
    """
    severity = Significance.SUBSTANTIVE if check.severity == "major" else Significance.MINOR
    where = f"“{article.title or article.url}”"
    if check.verdict == Verdict.MISQUOTE:
        summary = (f"misquote ({check.severity}) in {where}: "
                   + ("; ".join(check.reasons[:3]) or "wording differs"))
    else:
        summary = (f"stale quote in {where}: the statement was edited after the article quoted "
                   f"it; " + "; ".join(check.reasons[:2]))
    # A stale quote is its own kind (AlertKind.STALE), never told apart by its summary.
    return Alert(kind=AlertKind.for_verdict(check.verdict),
                 title=statement_title or (check.source or ""), url=article.url,
                 significance=severity if check.verdict == Verdict.MISQUOTE else Significance.MINOR,
                 summary=summary, issuer=article.issuer, statement_url=check.source,
                 lines=(ChangeLine("replace", check.matched or "", check.quote.text,
                                   check.severity, check.reasons,
                                   (check.current or "") if check.verdict == Verdict.STALE else ""),))


def claim_alert_due(check: ClaimCheck) -> bool:
    """Whether a reported claim's verdict is worth an alert: a drift of major severity.

    What a fact-checker acts on is a claim the statement contradicts: a changed number, a
    dropped or added negation, a "will" turned "may", another name, a commitment hardened or
    softened enough to change what was promised. Such a drift is judged against the
    statement sentence the claim was aligned to, with both texts in the alert, so it can be
    checked in a minute. A minor drift (a nuance of tone) is stored and shown, not sent.

    An `unsupported` claim raises no alert, as an unverified quote raises none: it means
    no statement *on record* says it, which is not evidence that the issuer never said it
    (a briefing, a call readout or a statement not watched are common sources). Alerting it
    would send the desk after every sentence the monitor could not place; it is stored, and
    listed by `onrecord claims` and in the coverage map for whoever wants to dig.
    """
    return (check.verdict is ClaimVerdict.DRIFT and Severity(check.severity) is Severity.MAJOR
            and check.source is not None)


def drift_alert(article: Document, check: ClaimCheck, statement_title: str) -> Alert:
    """The alert for a drifted reported claim in coverage: the article's words beside the
    statement sentence(s) they report, with the engine's reasons; threaded with the statement.

        >>> from compare.claims import Claim
        >>> from compare.vocab import DriftKind
        >>> claim = Claim("The US said it gave $18 million.", 0, 33, None)
        >>> check = ClaimCheck(claim, ClaimVerdict.DRIFT, DriftKind.NUMBER, Severity.MAJOR,
        ...     "https://gov.example/s", 7, 1, "The US gave $80 million.", 0.9,
        ...     ("'$80 million' reported as '$18 million'",))
        >>> a = drift_alert(Document(url="https://news.example/a", title="Aid", paragraphs=(),
        ...                          kind="coverage"), check, "Aid statement")
        >>> (a.kind.value, a.significance.value, a.subject_url)
        ('drift', 'substantive', 'https://gov.example/s')
    """
    severity = Severity(check.severity)
    kind = f" ({check.kind})" if check.kind else ""
    summary = (f"reported claim drifted{kind} in “{article.title or article.url}”: "
               + ("; ".join(check.reasons[:3]) or "the statement says otherwise"))
    return Alert(kind=AlertKind.DRIFT, title=statement_title or (check.source or ""),
                 url=article.url, significance=severity.significance, summary=summary,
                 issuer=article.issuer, statement_url=check.source, version=check.version,
                 lines=(ChangeLine("replace", check.matched, check.claim.text, severity,
                                   check.reasons),))


def drift_key(article_url: str, article_seq: int, check: ClaimCheck) -> str:
    """The outbox dedupe key of a drift alert: one per article version, claim, finding and
    official wording. The statement's version is left out on purpose: an edit elsewhere in
    the statement re-judges the claim against the new version with the same finding, which
    is not news; an edit of the very sentence it reports changes `matched`, which is."""
    matched = hashlib.sha256(check.matched.encode()).hexdigest()[:16]
    return (f"drift|{article_url}|{article_seq}|{check.claim.start}|{check.claim.end}|"
            f"{check.kind}|{check.source}|{matched}")


def removed_alert(title: str, url: str, issuer: str | None, status: int) -> Alert:
    """The alert for a watched page that now answers 404 or 410."""
    return Alert(kind=AlertKind.REMOVED, title=title, url=url,
                 significance=Significance.SUBSTANTIVE,
                 summary=f"the page now answers HTTP {status}", issuer=issuer)


def outbox_entries(alert: Alert, key: str, sinks: Mapping[str, Routed],
                   min_significance: str) -> tuple[NewAlert, ...]:
    """One outbox entry per channel the alert is routed to, each with its own dedupe key.

    Routing and each channel's minimum significance are applied here (below it: stored,
    not posted), so a channel never receives an entry it would drop.
    """
    return tuple(NewAlert(alert.kind, channel, f"{channel}|{key}", alert.to_payload(),
                          alert.significance)
                 for channel in channels_for(alert, sinks, min_significance))
