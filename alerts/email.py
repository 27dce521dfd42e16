"""The email sink: one message per alert (or a digest) over SMTP, plain text + HTML.

Message building is pure (`build_email`, `build_digest_email`); the sink only talks SMTP.
Every scraped string is escaped for where it lands: HTML-escaped in the HTML part, control
characters removed in the plain part, and CR/LF removed from anything that reaches a header,
so a statement can neither inject a header (a Bcc) nor run script in a mail client.
"""

from __future__ import annotations

import html
import logging
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid, parseaddr

from alerts.escape import clip, one_line, plain
from alerts.message import (
    DRIFT,
    MISQUOTE,
    STALE,
    Alert,
    ChangeLine,
    default_report_base,
    report_link,
    safe_link,
)
from alerts.routing import Route, Routes
from alerts.sink import Abilities, Basics, Delivery, Options, Sink, fingerprint

log = logging.getLogger(__name__)

SECURITY = ("starttls", "ssl", "none")
SUBJECT_LIMIT = 150
LINE_LIMIT = 2000  # characters of one wording
MAX_LINES = 50  # changes shown in one message; the rest are counted
LOOPBACK = ("127.0.0.1", "::1", "localhost")

_LABEL = {"edit": "Statement edited", "misquote": "Misquote", "removed": "Statement removed",
          "new": "New statement", "stale": "Quote made stale", "drift": "Reported claim drifted"}
_WHY = {"substantive": "Substantive: the meaning changed (numbers, negations, commitments).",
        "minor": "Minor: wording changed, the meaning likely not.",
        "cosmetic": "Cosmetic: punctuation, case or spacing only."}
_RANK = {"substantive": 0, "major": 0, "minor": 1, "cosmetic": 2}


# -- pure message building -----------------------------------------------------------------

def _label(alert: Alert) -> str:
    return _LABEL.get(alert.kind, one_line(alert.kind, 40).capitalize())


def _h(text: str, limit: int = LINE_LIMIT) -> str:
    """Scraped text for the HTML part: clipped, controls removed, every markup char escaped."""
    return html.escape(clip(plain(text), limit), quote=True)


def _t(text: str, limit: int = LINE_LIMIT) -> str:
    """Scraped text for the plain part: clipped, controls removed."""
    return clip(plain(text), limit)


def subject_for(alert: Alert) -> str:
    """`[onrecord] Label (significance): title`, on one line whatever the title holds."""
    return one_line(f"[onrecord] {_label(alert)} ({alert.significance}): "
                    f"{alert.title or alert.url}", SUBJECT_LIMIT)


def _change(alert: Alert, line: ChangeLine) -> tuple[list[str], str]:
    """One change as plain-text lines and as HTML."""
    if alert.kind == MISQUOTE:
        pairs = [("Press wrote", line.new), ("Official wording", line.old)]
    elif alert.kind == DRIFT:
        pairs = [("Press reported", line.new), ("Official wording", line.old)]
    elif alert.kind == STALE:
        pairs = [("Press wrote", line.new), ("Official wording then", line.old)]
        if line.current:
            pairs.append(("Official wording now", line.current))
    elif line.op == "insert":
        pairs = [("Added", line.new)]
    elif line.op == "delete":
        pairs = [("Removed", line.old)]
    elif line.op == "move":
        pairs = [("Moved", line.new)]
    else:
        pairs = [("Was", line.old), ("Now", line.new)]
    text = [f"  {label}: {_t(value)}" for label, value in pairs]
    body = "".join(f"<p><b>{label}:</b> {_h(value)}</p>" for label, value in pairs)
    if line.reasons:
        reasons = "; ".join(line.reasons)
        text.append(f"  ({_t(reasons, 400)})")
        body += f"<p><i>{_h(reasons, 400)}</i></p>"
    return text, f'<div style="margin:0 0 12px 12px">{body}</div>'


def _bodies(alert: Alert, report_url: str | None) -> tuple[str, str]:
    label, title = _label(alert), alert.title or alert.url
    facts = [f"Significance: {_t(alert.significance, 20)}"]
    if alert.issuer:
        facts.append(f"Issuer: {_t(alert.issuer, 200)}")
    if alert.when:
        facts.append(f"When: {_t(alert.when, 40)}")
    if alert.version is not None:
        facts.append(f"Version: {int(alert.version)}"
                     + (" (reverts to an earlier version)" if alert.revert else ""))
    why = _WHY.get(alert.significance, "")
    links = [("Open article" if alert.kind.about_quote else "Open statement", safe_link(alert.url))]
    if alert.kind.about_quote:
        links.append(("Open statement", safe_link(alert.statement_url)))
    links.append(("Full diff", safe_link(report_url)))
    shown = [(name, url) for name, url in links if url]

    text = [f"{label}: {_t(title, 300)}", "", *facts, "", _t(alert.summary)]
    if why:
        text.append(why)
    text += [""] + [f"{name}: {url}" for name, url in shown]
    page = [f"<h2>{html.escape(label)}: {_h(title, 300)}</h2>",
            "<p>" + "<br>".join(html.escape(f) for f in facts) + "</p>",
            f"<p><b>{_h(alert.summary)}</b>" + (f"<br>{html.escape(why)}" if why else "")
            + "</p>"]
    if shown:
        page.append("<p>" + " · ".join(f'<a href="{html.escape(url, quote=True)}">'
                                       f"{html.escape(name)}</a>" for name, url in shown)
                    + "</p>")
    if alert.lines:
        text += ["", "Changes:"]
    for line in alert.lines[:MAX_LINES]:
        lines, block = _change(alert, line)
        text += lines
        page.append(block)
    rest = len(alert.lines) - MAX_LINES
    if rest > 0:
        more = f"… and {rest} more change{'s' if rest != 1 else ''}"
        text.append(more)
        page.append(f"<p>{html.escape(more)}</p>")
    text += ["", "-- ", "onrecord: a change to an official statement or its coverage."]
    return "\n".join(text) + "\n", _page("\n".join(page))


def _page(body: str) -> str:
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>'
            f'<body style="font-family:sans-serif">\n{body}\n</body></html>\n')


def _message(subject: str, text: str, page: str, sender: str, to: Sequence[str],
             ref_header: str, thread: str | None) -> EmailMessage:
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2][:60] or "onrecord.invalid"
    msg["Message-ID"] = make_msgid("onrecord", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to us
    if ref_header:
        msg["X-Onrecord-Refs"] = ref_header  # hashes of outbox keys, never scraped text
    if thread:
        # Mail clients thread on these: an alert replies to the first about its document.
        msg["In-Reply-To"] = thread
        msg["References"] = thread
    msg.set_content(text)
    msg.add_alternative(page, subtype="html")
    return msg


def build_email(alert: Alert, *, sender: str, to: Sequence[str], ref: str | None = None,
                thread: str | None = None, report_base: str | None = None) -> EmailMessage:
    """The message for one alert: plain text and an HTML alternative, all of it escaped."""
    text, page = _bodies(alert, report_link(report_base, alert))
    return _message(subject_for(alert), text, page, sender, to, ref or "", thread)


def build_digest_email(alerts: Sequence[Alert], refs: Sequence[str], *, sender: str,
                       to: Sequence[str], report_base: str | None = None) -> EmailMessage:
    """One message for many alerts: a paragraph each, most significant first."""
    ordered = sorted(alerts, key=lambda a: _RANK.get(a.significance, 3))
    counts: dict[str, int] = {}
    for a in alerts:
        counts[a.significance] = counts.get(a.significance, 0) + 1
    tally = ", ".join(f"{v} {k}" for k, v in sorted(
        counts.items(), key=lambda kv: _RANK.get(kv[0], 3)))
    n = len(alerts)
    subject = one_line(f"[onrecord] {n} alert{'s' if n != 1 else ''} ({tally})", SUBJECT_LIMIT)
    text, page = [subject, ""], [f"<h2>{_h(subject)}</h2>"]
    for alert in ordered:
        link = report_link(report_base, alert) or safe_link(alert.url)
        head = f"{_label(alert)} ({alert.significance}): {alert.title or alert.url}"
        text += [_t(head, 400), f"  {_t(alert.summary, 600)}"]
        text += [f"  {link}", ""] if link else [""]
        anchor = (f' <a href="{html.escape(link, quote=True)}">Open</a>' if link else "")
        page.append(f"<p><b>{_h(head, 400)}</b>{anchor}<br>{_h(alert.summary, 600)}</p>")
    return _message(subject, "\n".join(text) + "\n", _page("\n".join(page)), sender, to,
                    ", ".join(refs), None)


# -- SMTP errors ----------------------------------------------------------------------------

def _reply(code: int, raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return f"{code} {one_line(text, 120)}".strip()


def classify(exc: BaseException, *, sending: bool) -> Delivery:
    """A Delivery for an SMTP failure: 4xx transient, 5xx and a failed login permanent.

    `sending`: the failure came after the message was handed over, so a lost connection may
    have delivered it (ambiguous). Never includes a password: SMTP replies do not echo it.
    """
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Delivery(False, error=f"SMTP login failed ({_reply(exc.smtp_code, exc.smtp_error)})",
                        permanent=True)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        code, reply = next(iter(exc.recipients.values()), (550, b""))
        error = f"SMTP recipients refused ({_reply(code, reply)})"
        # Any 4xx: the server may take them later. All 5xx: the address list is wrong.
        transient = any(400 <= c < 500 for c in codes)
        return Delivery(False, error=error, permanent=not transient)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return Delivery(False, error="SMTP server does not support STARTTLS or login",
                        permanent=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        error = f"SMTP error {_reply(code, exc.smtp_error)}"
        if 400 <= code < 500:
            return Delivery(False, error=error)  # the server answered: not sent, retry later
        if isinstance(exc, smtplib.SMTPDataError) and code == 552:
            return Delivery(False, error=error, rejected=True)  # this message is too large
        if code >= 500:
            return Delivery(False, error=error, permanent=True)
        return Delivery(False, error=error)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Delivery(False, error="SMTP TLS certificate not trusted", permanent=True)
    if isinstance(exc, ConnectionRefusedError):
        return Delivery(False, error="SMTP server unreachable (connection refused)")
    return Delivery(False, error=f"SMTP server unreachable ({type(exc).__name__})",
                    ambiguous=sending)


# -- the sink -------------------------------------------------------------------------------

def _address(opts: Options, key: str, value: str) -> str:
    if "\r" in value or "\n" in value or "@" not in parseaddr(value)[1]:
        raise opts.error(key, f"{value!r} is not an email address")
    return value


class EmailSink(Sink, kind="email"):
    """Email each alert (or a digest) over SMTP: plain text with an HTML alternative.

        [[sink]]
        kind = "email"
        name = "desk-email"
        host = "smtp.example.org"
        port = 587                         # default: 587, 465 with ssl, 25 with none
        security = "starttls"              # starttls | ssl | none
        username = "onrecord"
        password_env = "SMTP_PASSWORD"     # or password_block = "<Prefect Secret block>"
        from = "onrecord <alerts@example.org>"
        to = ["desk@example.org"]
        min_significance = "substantive"
        digest = 5

    Later alerts about a document reply to the first one's message (In-Reply-To). SMTP
    gives no way to look an earlier message up: a connection lost after the message was
    handed over is retried and may, rarely, send it twice. Optional: `timeout` (seconds),
    `report_base` (default $ONRECORD_REPORT_BASE).
    """

    abilities = Abilities(threads=True, digests=True)

    def __init__(self, host: str, sender: str, to: Sequence[str], *, name: str = "email",
                 port: int | None = None, security: str = "starttls",
                 username: str | None = None, password: str | None = None,
                 timeout: float = 30, report_base: str | None = None,
                 min_significance: str | None = None, routes: Routes | None = None,
                 route: Route | None = None, digest_min: int = 0) -> None:
        if security not in SECURITY:
            raise ValueError(f"security must be one of {', '.join(SECURITY)}")
        port = port or {"ssl": 465, "none": 25}.get(security, 587)
        recipients = ",".join(to)
        super().__init__(name, min_significance=min_significance, routes=routes, route=route,
                         digest_min=digest_min,
                         # Threads follow the mailbox: same sender and recipients.
                         thread_scope=f"email:{fingerprint(sender, recipients)[:20]}",
                         fingerprint=fingerprint("email", host, str(port), security, username,
                                                 fingerprint(password), sender, recipients))
        self.host, self.port, self.security = host, port, security
        self.sender, self.to = sender, tuple(to)
        self.username, self._password = username, password
        self.timeout = timeout
        self.report_base = report_base

    def __repr__(self) -> str:  # never the password
        return f"EmailSink(name={self.name!r}, host={self.host!r}, to={list(self.to)!r})"

    @classmethod
    def _from_options(cls, name: str, opts: Options, basics: Basics) -> EmailSink:
        host = opts.required("host")
        security = opts.choice("security", SECURITY, "starttls")
        port = opts.integer("port", 0, minimum=1, maximum=65535) or None
        username = opts.text("username")
        password = opts.secret("password", required=username is not None)
        if password is not None and username is None:
            raise opts.error("username", "required with a password")
        if username and security == "none" and host not in LOOPBACK:
            raise opts.error("security", "a password must not cross the network in clear: "
                                         "use starttls or ssl")
        sender = _address(opts, "from", opts.required("from"))
        to = tuple(_address(opts, "to", a) for a in opts.strings("to", required=True))
        return cls(host, sender, to, name=name, port=port, security=security,
                   username=username, password=password,
                   timeout=opts.number("timeout", 30, minimum=0.1),
                   report_base=opts.text("report_base",
                                         default_report_base(opts.env)),
                   min_significance=basics.min_significance, routes=basics.routes,
                   route=basics.route, digest_min=basics.digest_min)

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":
                smtp.starttls(context=context)
            if self.username and self._password:
                smtp.login(self.username, self._password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _deliver(self, msg: EmailMessage) -> Delivery:
        sending = False
        try:
            smtp = self._connect()
            try:
                sending = True
                refused = smtp.send_message(msg, from_addr=parseaddr(self.sender)[1],
                                            to_addrs=[parseaddr(a)[1] for a in self.to])
            finally:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    smtp.close()  # the message was accepted (or not) already
        except (smtplib.SMTPException, OSError) as exc:
            return classify(exc, sending=sending and not isinstance(
                exc, smtplib.SMTPResponseException))
        if refused:
            log.warning("%s: %d of %d recipients refused the alert", self.name, len(refused),
                        len(self.to))
        return Delivery(True, remote_id=str(msg["Message-ID"]))

    def send(self, alert: Alert, thread: str | None = None, ref: str | None = None) -> Delivery:
        return self._deliver(build_email(alert, sender=self.sender, to=self.to, ref=ref,
                                         thread=thread, report_base=self.report_base))

    def send_digest(self, alerts: Sequence[Alert], refs: Sequence[str]) -> Delivery:
        return self._deliver(build_digest_email(alerts, refs, sender=self.sender, to=self.to,
                                                report_base=self.report_base))
