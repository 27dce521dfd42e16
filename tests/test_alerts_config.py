"""Sinks configured by [[sink]] tables in the sources file: the registry builds every kind,
routing (significance, kinds, hosts, issuers, chained routes) works for each of them, the
environment variables remain the implicit configuration, bad tables are one-line errors."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from alerts.config import build_sinks
from alerts.console import ConsoleSink
from alerts.deliver import deliver
from alerts.message import Alert
from alerts.routing import channels_for
from alerts.sink import Sink, SinkConfigError
from alerts.slack import SlackSink, WebhookSink
from flows import pipeline
from flows.settings import Settings
from sources.config import parse_config
from store import Store
from store.records import NewAlert
from tests.fake_slack import FakeSlack

TOKEN = "xoxb-3333-4444-FILECONFIGTOKEN"


def sinks_toml(fake: FakeSlack) -> str:
    return f"""
[[source]]
name = "s"
urls = ["https://gov.example/s"]

[[sink]]
kind = "console"
routes = {{ kinds = ["misquote"] }}

[[sink]]
kind = "webhook"
name = "state-desk"
url_env = "STATE_WEBHOOK"
min_significance = "substantive"
routes = {{ hosts = ["state.gov"] }}

[[sink]]
kind = "slack"
name = "newsroom"
channel = "C0NEWS"
token_env = "NEWSROOM_TOKEN"
api_url = "{fake.url}"
routes = {{ kinds = ["edit", "stale"], issuers = ["ministry"] }}
"""


def alert(kind: str = "edit", significance: str = "substantive",
          url: str = "https://gov.example/s", issuer: str | None = "Ministry of Finance",
          summary: str = "number changed") -> Alert:
    return Alert(kind=kind, title="Statement <!channel>", url=url, significance=significance,
                 summary=summary, issuer=issuer)


def file_sinks(fake: FakeSlack) -> dict[str, Sink]:
    config = parse_config(tomllib.loads(sinks_toml(fake)), "sources.toml")
    env = {"STATE_WEBHOOK": fake.webhook_url, "NEWSROOM_TOKEN": TOKEN}
    return dict(build_sinks(config.sinks, env, origin="sources.toml"))


def test_every_kind_is_built_from_its_table(fake: FakeSlack) -> None:
    sinks = file_sinks(fake)
    assert list(sinks) == ["console", "state-desk", "newsroom"]
    console, hook, slack = sinks.values()
    assert isinstance(console, ConsoleSink) and isinstance(hook, WebhookSink)
    assert isinstance(slack, SlackSink) and slack.channel == "C0NEWS"
    assert hook.min_significance == "substantive"
    assert slack.abilities.threads and slack.abilities.history_lookup
    assert not hook.abilities.history_lookup and not console.abilities.digests
    assert TOKEN not in repr(sinks) and fake.webhook_url not in repr(sinks)


def test_routing_works_for_every_sink_kind(fake: FakeSlack) -> None:
    sinks = file_sinks(fake)

    def to(a: Alert) -> list[str]:
        return list(channels_for(a, sinks, "minor"))

    assert to(alert()) == ["newsroom"]  # an edit by the ministry
    assert to(alert(issuer="Other office")) == []  # not the ministry's
    assert to(alert(kind="misquote")) == ["console"]
    # A stale quote is its own kind: the console's "misquote" does not take it, the
    # newsroom's "stale" does.
    assert to(alert(kind="stale", summary="stale quote in x")) == ["newsroom"]
    assert to(alert(url="https://www.state.gov/x", issuer=None)) == ["state-desk"]
    assert to(alert(url="https://www.state.gov/x", issuer=None, significance="minor")) == []


def test_file_sinks_deliver_through_the_outbox(fake: FakeSlack, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.sqlite'}")
    try:
        sinks = file_sinks(fake)
        for i, a in enumerate([alert(), alert(url="https://www.state.gov/x", issuer=None)]):
            store.enqueue([NewAlert(a.kind, ch, f"{ch}|{i}", a.to_payload(), a.significance)
                           for ch in channels_for(a, sinks, "minor")])
        report = deliver(store, sinks, backoff=0.01)
        assert report.sent == 2 and [a.channel for a in store.alerts()] == ["newsroom",
                                                                          "state-desk"]
        post, = fake.calls("chat.postMessage")
        assert post.params["channel"] == "C0NEWS"
        assert post.headers["Authorization"] == f"Bearer {TOKEN}"
        assert len(fake.messages) == 2  # the webhook's one too
        assert "<!channel>" not in json.dumps(fake.messages)
    finally:
        store.close()


def test_chained_routes_first_match_wins() -> None:
    tables = [{"kind": "console", "name": "urgent", "route": "substantive"},
              {"kind": "console", "name": "press", "route": "misquote"},
              {"kind": "console", "name": "rest", "route": "*"},
              {"kind": "console", "name": "audit"}]
    sinks = build_sinks(tables, {})
    assert list(channels_for(alert(), sinks, "minor")) == ["urgent", "audit"]
    quote = alert(kind="misquote", significance="minor")
    assert list(channels_for(quote, sinks, "minor")) == ["press", "audit"]
    assert list(channels_for(alert(significance="minor"), sinks, "minor")) == ["rest", "audit"]


def test_the_sources_file_replaces_the_environment(fake: FakeSlack, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(sinks_toml(fake), encoding="utf-8")
    monkeypatch.setenv("STATE_WEBHOOK", fake.webhook_url)
    monkeypatch.setenv("NEWSROOM_TOKEN", TOKEN)
    env = {"SLACK_BOT_TOKEN": "xoxb-env", "SLACK_CHANNEL": "C0", "ONRECORD_CONFIG": str(path)}
    sinks = pipeline.build_sinks(Settings.from_env(env))
    assert list(sinks) == ["console", "state-desk", "newsroom"]

    # Without [[sink]] tables, the environment variables are the configuration.
    path.write_text('[[source]]\nname = "s"\nurls = ["https://gov.example/s"]\n')
    implicit = pipeline.build_sinks(Settings.from_env(env))
    assert list(implicit) == ["console", "slack"]
    assert implicit["slack"].route is not None and implicit["slack"].route.match == "*"


@pytest.mark.parametrize(("table", "env", "message"), [
    ({"kind": "pager"}, {}, "sink #1: kind must be one of "),
    ({"kind": "slack", "channel": "C0", "token": TOKEN}, {},
     "sink 'slack': token: secrets never go in the file"),
    ({"kind": "slack", "channel": "C0", "token_env": "NOPE"}, {},
     "sink 'slack': token_env: the environment variable NOPE is not set"),
    ({"kind": "slack", "token_env": "T"}, {"T": TOKEN}, "sink 'slack': channel: required"),
    ({"kind": "webhook", "url_env": "W", "digest": 3}, {"W": "https://hooks.example/x"},
     "sink 'webhook': digest: this kind of sink cannot send digests"),
    ({"kind": "console", "min_significance": "huge"}, {},
     "sink 'console': min_significance: must be one of"),
    ({"kind": "console", "route": "bogus"}, {}, "sink 'console': route: unknown match 'bogus'"),
    ({"kind": "console", "routes": {"hosts": "state.gov", "colour": "red"}}, {},
     "sink 'console': routes: colour: unknown key"),
    ({"kind": "console", "chanel": "C0"}, {}, "sink 'console': chanel: unknown key"),
])
def test_bad_tables_are_one_line_errors_naming_the_key(
        table: dict[str, object], env: dict[str, str], message: str) -> None:
    with pytest.raises(SinkConfigError) as err:
        build_sinks([table], env, origin="sources.toml")
    assert str(err.value).startswith("sources.toml: ") and message in str(err.value)
    assert "\n" not in str(err.value) and TOKEN not in str(err.value)


def test_unknown_kind_lists_the_registered_ones() -> None:
    with pytest.raises(SinkConfigError) as err:
        build_sinks([{"kind": "pager"}], {})
    assert all(kind in str(err.value) for kind in ("console", "email", "slack", "webhook"))


def test_duplicate_names_are_an_error() -> None:
    with pytest.raises(SinkConfigError, match="sink #2: duplicate sink name 'console'"):
        build_sinks([{"kind": "console"}, {"kind": "console"}], {})
