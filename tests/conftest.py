"""Shared fixtures: a real loopback HTTP server and a real SQLite file per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_slack import FakeSlack
from tests.httpfixture import LocalServer

# Store fixtures (db_url, store, pg_url): every store test on SQLite and on PostgreSQL.
from tests.storefixtures import db_url, pg_url, store  # noqa: F401, E402

SHARED = Path(os.environ.get("ONRECORD_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")

# Tests serve pages on loopback, which hand-given URLs would otherwise refuse.
os.environ.setdefault("ONRECORD_ALLOW_PRIVATE_URLS", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A Slack-compatible Web API on loopback (tests/fake_slack.py)."""
    srv = FakeSlack().start()
    yield srv
    srv.stop()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED}")
    return SHARED


# Property-based tests (hypothesis): CI's examples are the same on every run (derandomize)
# and no example database is written; locally the default profile explores new examples.
def _hypothesis_profiles() -> None:
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.register_profile("dev", print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                          or ("ci" if os.environ.get("CI") else "dev"))


_hypothesis_profiles()


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `prefect server start` on loopback, with its own home, for one test module."""
    from tests.prefect_server_min import start_server  # only modules that use it pay the import

    home = tmp_path_factory.mktemp("prefect") / "home"
    home.mkdir()
    server, api = start_server(home)
    yield api
    server.stop()
