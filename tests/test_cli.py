"""The command line: help, exit codes, one-line errors, the JSON contracts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.httpfixture import LocalServer, Response

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["demo", "run", "check", "history", "extract", "diff", "quotes", "claims", "deliver", "serve",
            "coverage", "web"]


def onrecord(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True,
                          text=True, env=full_env, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = onrecord(command, "--help")
    assert result.returncode == 0
    assert "usage: onrecord " + command in result.stdout


def test_usage_error_is_one_line_exit_2() -> None:
    result = onrecord("diff", "only-one-arg")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "error" in result.stderr


@pytest.mark.parametrize("args", [
    ["extract", "/no/such/file.html"],
    ["check", "ftp://example.org/x"],
    ["run", "--config", "/no/such/sources.toml"],
    ["history", "http://127.0.0.1:1/never-seen"],
])
def test_input_errors_are_one_line_exit_2(args: list[str], tmp_path: Path) -> None:
    result = onrecord(*args, env={"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nname = "x"\nkind = "weird"\nurls = ["http://a"]\n')
    result = onrecord("run", "--config", str(bad), "--plain")
    assert result.returncode == 2 and "kind must be one of" in result.stderr


def test_bad_sink_table_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nname = "x"\nurls = ["http://a"]\n\n'
                   '[[sink]]\nkind = "email"\nhost = "smtp.example.org"\nfrom = "a@b.example"\n'
                   'to = ["c@d.example"]\nport = "25"\n')
    result = onrecord("run", "--config", str(bad), "--plain")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == ("onrecord: error: " + str(bad) + ": sink 'email': port: "
                                     "must be a whole number of at least 1 and at most 65535")


def test_extract_json_contract(server: LocalServer) -> None:
    server.routes["/p"] = Response(
        "<html><head><title>A statement</title>"
        '<meta property="article:published_time" content="2025-04-03T10:00:00Z"></head>'
        "<body><article><h1>A statement</h1><p>First paragraph of the statement, long enough.</p>"
        "<p>Second paragraph with “curly quotes” and a number, 12,300.</p></article></body></html>")
    result = onrecord("extract", server.url("/p"), "--format", "json",
                      env={"ONRECORD_ALLOW_PRIVATE_URLS": "1"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"url", "title", "published", "issuer", "text", "paragraphs"}
    assert data["title"] == "A statement"
    assert data["published"] == "2025-04-03T10:00:00+00:00"
    assert data["paragraphs"][1].startswith("Second paragraph with “curly quotes”")


def test_diff_json_contract(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("Title\n\nThe ministry pledged $80 million in aid to the region this year.\n")
    new.write_text("Title\n\nThe ministry pledged $58 million in aid to the region this year.\n")
    result = onrecord("diff", str(old), str(new), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["significance"] == "substantive"
    change = data["changes"][0]
    assert set(change) == {"op", "old", "new", "significance", "reasons"}
    assert change["op"] == "replace" and "80" in change["old"] and "58" in change["new"]
    assert any("80 -> 58" in r for r in change["reasons"])


def test_quotes_on_the_seed_pair(shared_dir: Path) -> None:
    result = onrecord("quotes", str(shared_dir / "seeds/joint-statement-press-coverage.txt"),
                      "--statement", str(shared_dir / "seeds/joint-statement-official.txt"),
                      "--format", "json")
    assert result.returncode == 0, result.stderr
    quotes = json.loads(result.stdout)["quotes"]
    assert len(quotes) == 3
    for q in quotes:
        assert set(q) == {"text", "start", "end", "verdict", "severity", "source", "matched", "reasons",
                          "speaker", "role"}
        assert q["verdict"] in ("exact", "variant")
        assert q["role"] == "statement" and "statement" in q["speaker"]
    from sources.extract import extract

    body = (shared_dir / "seeds/joint-statement-press-coverage.txt").read_bytes()
    text = extract(body, "file:///article.txt", content_type="text/plain").text
    # Offsets point into the article's extracted text.
    for q in quotes:
        assert text[q["start"]:q["end"]] == q["text"]


STATEMENT_PAGE = (
    "<html><head><title>Readout</title></head><body><article><h1>Readout</h1>"
    "<p>The Secretary met the Foreign Minister on Monday to discuss {n} joint projects.</p>"
    "<p>Both sides agreed to continue close consultations on regional security issues.</p>"
    "</article></body></html>")


def test_check_then_run_then_history(server: LocalServer, tmp_path: Path) -> None:
    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite",
           "ONRECORD_ALLOW_PRIVATE_URLS": "1"}
    server.routes["/readout"] = Response(STATEMENT_PAGE.format(n="12"))
    url = server.url("/readout")
    first = onrecord("check", url, "--plain", env=env)
    assert first.returncode == 0, first.stderr
    # The outcome line says "new", after the console's new-statement alert.
    assert first.stdout.splitlines()[0] == "!  [NEW] Readout"
    assert any(line.startswith("new ") for line in first.stdout.splitlines())

    server.routes["/readout"] = Response(STATEMENT_PAGE.format(n="14"))
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "r"\nkind = "statement"\nurls = ["{url}"]\n')
    second = onrecord("run", "--config", str(config), "--plain", env=env)
    assert second.returncode == 0, second.stderr
    assert "changed" in second.stdout and "[EDITED]" in second.stdout
    assert "number changed: 12 -> 14" in second.stdout

    history = onrecord("history", url, "--format", "json", env=env)
    data = json.loads(history.stdout)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][1]["significance"] == "substantive"


def test_private_address_refused_without_opt_in(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/x"] = Response(STATEMENT_PAGE.format(n="two"))
    env = {k: v for k, v in os.environ.items() if k != "ONRECORD_ALLOW_PRIVATE_URLS"}
    env.update({"PYTHONPATH": str(ROOT), "ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite"})
    result = subprocess.run([sys.executable, "-m", "flows.cli", "check", server.url("/x"), "--plain"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert "private address" in result.stdout


def test_diff_html_page_escapes_scraped_text(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("Title\n\nThe ministry pledged $80 million to the <b>region</b> this year for new water projects.\n")
    new.write_text("Title\n\nThe ministry pledged $58 million to the <b>region</b> this year for new water projects.\n")
    result = onrecord("diff", str(old), str(new), "--format", "html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().lower().startswith("<!doctype html>")
    assert "&lt;b&gt;region&lt;/b&gt;" in result.stdout and "<b>region" not in result.stdout
