"""The email sink against a real SMTP server (aiosmtpd) on 127.0.0.1: built from a [[sink]]
table, delivered through the outbox exactly once, escaped, threaded, digested; 5xx and a
failed login stop the channel, 4xx leaves the alert pending."""

from __future__ import annotations

import email
import json
import socket
import time
import tomllib
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from alerts.config import build_sinks
from alerts.deliver import deliver
from alerts.email import EmailSink
from alerts.message import Alert, ChangeLine
from alerts.sink import SinkConfigError, alert_ref, sink_kinds
from sources.config import parse_config
from store import Store
from store.records import NewAlert, Observation

PASSWORD = "s3cret-SMTP-password"
FAST = {"backoff": 0.01}


class Mailbox:
    """An aiosmtpd handler keeping what it accepts; `rcpt` and `data` script its replies."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []
        self.rcpt: list[str] = []  # replies to RCPT TO, in turn; then 250
        self.data: list[str] = []  # replies to DATA, in turn; then 250
        self.attempts = 0  # RCPT commands seen

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        self.attempts += 1
        reply = self.rcpt.pop(0) if self.rcpt else "250 OK"
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self.data.pop(0) if self.data else "250 OK"
        if reply.startswith("250"):
            msg = email.message_from_bytes(envelope.content, policy=default_policy)
            assert isinstance(msg, EmailMessage)
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return reply


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"onrecord"
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = _free_port()
    # Login over a plain connection is allowed only because this is loopback (the sink
    # refuses it for any other host).
    ctl = Controller(box, hostname="127.0.0.1", port=port, authenticator=_authenticate,
                     auth_require_tls=False)
    ctl.start()
    yield box, port
    ctl.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'alerts.sqlite'}")
    yield s
    s.close()


def sources_file(port: int, **extra: object) -> str:
    sink: dict[str, object] = {
        "kind": "email", "name": "desk", "host": "127.0.0.1", "port": port,
        "security": "none", "username": "onrecord", "password_env": "SMTP_PASSWORD",
        "from": "onrecord <alerts@onrecord.example>",
        "to": ["desk@news.example", "editor@news.example"], **extra}
    return "\n".join(['[[source]]', 'name = "s"', 'urls = ["https://gov.example/s"]', "",
                      "[[sink]]", *(f"{k} = {json.dumps(v)}" for k, v in sink.items()), ""])


def email_sink(port: int, **extra: object) -> EmailSink:
    config = parse_config(tomllib.loads(sources_file(port, **extra)), "sources.toml")
    sinks = build_sinks(config.sinks, {"SMTP_PASSWORD": PASSWORD}, origin="sources.toml")
    sink = sinks["desk"]
    assert isinstance(sink, EmailSink)
    return sink


def document(store: Store, url: str) -> int:
    obs = Observation(url=url, kind="statement", title="T", paragraphs=("x",),
                      canonical_text="x", text_hash="h", normalizer_version=1)
    return store.record_observation(obs).document.id


def alert(title: str = "Joint Statement", summary: str = "number changed: 80 -> 58",
          **kw: Any) -> Alert:
    return Alert(kind=kw.pop("kind", "edit"), title=title, url="https://gov.example/s",
                 significance=kw.pop("significance", "substantive"), summary=summary,
                 issuer="Ministry", when="2024-05-01T10:00:00+00:00", version=2,
                 lines=(ChangeLine("replace", "$80 million", "$58 million <b>now</b>",
                                   "substantive", ("number changed: 80 -> 58",)),), **kw)


def enqueue(store: Store, key: str, a: Alert, doc: int | None = None) -> None:
    store.enqueue([NewAlert(a.kind, "desk", f"desk|{key}", a.to_payload(), a.significance)],
                  doc)


def statuses(store: Store) -> list[str]:
    return [a.status for a in store.alerts()]


def test_email_is_a_registered_kind_built_from_the_sources_file() -> None:
    assert sink_kinds()["email"] is EmailSink
    assert {"console", "slack", "webhook", "email"} <= set(sink_kinds())


def test_alert_delivered_once_through_the_outbox_escaped_and_threaded(
        smtp: tuple[Mailbox, int], store: Store) -> None:
    box, port = smtp
    sink = email_sink(port)
    doc = document(store, "https://gov.example/s")
    hostile = "Statement\r\nBcc: victim@evil.example <script>alert(1)</script> & co"
    enqueue(store, "a", alert(title=hostile, summary='<img src=x onerror="steal()">'), doc)
    report = deliver(store, {"desk": sink}, **FAST)
    assert report.sent == 1 and statuses(store) == ["sent"]
    assert deliver(store, {"desk": sink}, **FAST).sent == 0  # exactly once
    assert len(box.messages) == 1

    sender, rcpts, msg = box.messages[0]
    assert sender == "alerts@onrecord.example"
    assert rcpts == ["desk@news.example", "editor@news.example"]  # no injected Bcc
    assert "Bcc" not in msg and msg["To"] == "desk@news.example, editor@news.example"
    subject = msg["Subject"]
    assert "\r" not in subject and "\n" not in subject
    assert subject.startswith("[onrecord] Statement edited (substantive): Statement Bcc:")
    assert msg["X-Onrecord-Refs"] == alert_ref("desk|a")
    assert msg["Auto-Submitted"] == "auto-generated"
    # (a long Message-ID is folded onto its own line: compare the value, not the fold)
    assert store.alerts()[0].remote_id == msg["Message-ID"].strip()

    text = msg.get_body(("plain",)).get_content()
    page = msg.get_body(("html",)).get_content()
    assert "Was: $80 million" in text and "Now: $58 million <b>now</b>" in text
    assert "<script>" not in page and "<img" not in page and "<b>now</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "&lt;img src=x onerror=&quot;steal()&quot;&gt;" in page
    assert '<a href="https://gov.example/s">Open statement</a>' in page

    # The next alert about the document replies to the first message.
    enqueue(store, "b", alert(summary="sentence removed"), doc)
    assert deliver(store, {"desk": sink}, **FAST).sent == 1
    reply = box.messages[1][2]
    first_id = msg["Message-ID"].strip()
    assert reply["In-Reply-To"].strip() == first_id == reply["References"].strip()


def test_digest_sends_one_message_for_many(smtp: tuple[Mailbox, int], store: Store) -> None:
    box, port = smtp
    for i in range(3):
        enqueue(store, f"k{i}", alert(title=f"Statement {i} <x>",
                                      significance="minor" if i else "substantive"))
    report = deliver(store, {"desk": email_sink(port, digest=2)}, **FAST)
    assert report.sent == 3 and len(box.messages) == 1
    msg = box.messages[0][2]
    assert msg["Subject"] == "[onrecord] 3 alerts (1 substantive, 2 minor)"
    assert {r.strip() for r in msg["X-Onrecord-Refs"].split(",")} == {alert_ref(f"desk|k{i}") for i in range(3)}
    page = msg.get_body(("html",)).get_content()
    assert "Statement 0 &lt;x&gt;" in page and "<x>" not in page


def test_5xx_stops_the_channel_until_its_settings_change(
        smtp: tuple[Mailbox, int], store: Store) -> None:
    box, port = smtp
    for i in range(2):
        enqueue(store, f"k{i}", alert(summary=f"change {i}"))
    box.rcpt = ["550 5.1.1 mailbox unavailable"] * 2
    report = deliver(store, {"desk": email_sink(port)}, **FAST)
    assert report.sent == 0 and report.failed == 0
    assert report.errors == ("desk: SMTP recipients refused (550 5.1.1 mailbox unavailable) "
                             "(stopped until its settings change)",)
    assert box.attempts == 2 and statuses(store) == ["pending"] * 2  # one message tried

    again = deliver(store, {"desk": email_sink(port)}, **FAST)  # same settings: no attempt
    assert again.errors == () and again.blocked and box.attempts == 2
    fixed = email_sink(port, to=["desk@news.example"])  # new settings: delivered
    assert deliver(store, {"desk": fixed}, **FAST).sent == 2
    assert len(box.messages) == 2 and statuses(store) == ["sent"] * 2


def test_failed_login_is_permanent_and_the_password_never_shows(
        smtp: tuple[Mailbox, int], store: Store, caplog: pytest.LogCaptureFixture) -> None:
    box, port = smtp
    enqueue(store, "a", alert())
    config = parse_config(tomllib.loads(sources_file(port)), "sources.toml")
    wrong = build_sinks(config.sinks, {"SMTP_PASSWORD": "wrong-" + PASSWORD})["desk"]
    report = deliver(store, {"desk": wrong}, **FAST)
    assert report.errors and "SMTP login failed (535" in report.errors[0]
    assert "stopped until its settings change" in report.errors[0]
    assert not box.messages and statuses(store) == ["pending"]
    texts = [repr(wrong), *report.errors, *(a.last_error or "" for a in store.alerts()),
             caplog.text]
    assert PASSWORD not in "\n".join(texts)
    # The right password is new settings: the channel resumes.
    assert deliver(store, {"desk": email_sink(port)}, **FAST).sent == 1


def test_4xx_leaves_the_alert_pending_then_sends_it_once(
        smtp: tuple[Mailbox, int], store: Store) -> None:
    box, port = smtp
    enqueue(store, "a", alert())
    box.data = ["451 4.3.0 try again later"]
    report = deliver(store, {"desk": email_sink(port)}, attempts_per_run=1, **FAST)
    assert report.sent == 0 and report.retrying == 1 and report.failed == 0
    assert statuses(store) == ["pending"] and not box.messages
    assert "451 4.3.0 try again later" in (store.alerts()[0].last_error or "")
    time.sleep(0.1)  # past the (tiny) backoff
    assert deliver(store, {"desk": email_sink(port)}, **FAST).sent == 1
    assert deliver(store, {"desk": email_sink(port)}, **FAST).sent == 0
    assert len(box.messages) == 1 and statuses(store) == ["sent"]


def test_server_down_is_transient(store: Store) -> None:
    enqueue(store, "a", alert())
    report = deliver(store, {"desk": email_sink(_free_port())}, attempts_per_run=1, **FAST)
    assert report.retrying == 1 and statuses(store) == ["pending"]
    assert report.errors == ("desk: SMTP server unreachable (connection refused)",)


@pytest.mark.parametrize(("extra", "env", "message"), [
    ({"password": "x"}, {"SMTP_PASSWORD": PASSWORD}, "password: secrets never go in the file"),
    ({"smtp_host": "x"}, {"SMTP_PASSWORD": PASSWORD}, "smtp_host: unknown key"),
    ({}, {}, "password_env: the environment variable SMTP_PASSWORD is not set"),
    ({"to": ["desk@news.example\r\nBcc: x@evil.example"]}, {"SMTP_PASSWORD": PASSWORD},
     "to: 'desk@news.example\\r\\nBcc: x@evil.example' is not an email address"),
    ({"host": "smtp.example.org"}, {"SMTP_PASSWORD": PASSWORD},
     "security: a password must not cross the network in clear"),
    ({"security": "tls"}, {"SMTP_PASSWORD": PASSWORD}, "security: must be one of starttls"),
    ({"routes": {"kinds": ["typo"]}}, {"SMTP_PASSWORD": PASSWORD},
     "routes: kinds: unknown alert kind 'typo'"),
])
def test_bad_tables_are_one_line_errors_naming_the_key(
        extra: dict[str, object], env: dict[str, str], message: str) -> None:
    table = tomllib.loads(sources_file(25))["sink"][0]
    with pytest.raises(SinkConfigError) as err:
        build_sinks([{**table, **extra}], env, origin="sources.toml")
    text = str(err.value)
    assert text.startswith("sources.toml: sink 'desk': ") and message in text
    assert "\n" not in text and PASSWORD not in text
