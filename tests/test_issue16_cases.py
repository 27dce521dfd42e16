"""Issue 16's cases through surfaces that did not change since the issue was filed: the
command line (`python -m flows.cli`), HTTP on loopback, files. Each of these failed on the
code the issue was filed against (720531e) and passes now; bench/RESULTS.md has the table
of every case, the tests that cover it and how each did on that code.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_slack import FakeSlack
from tests.httpfixture import LocalServer, Response

ROOT = Path(__file__).resolve().parents[1]
PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>{p1}</p><p>The assistance will provide food, shelter and medical care to displaced "
        "families across the region this year.</p></article></body></html>")
P1 = "The Secretary announced $80 million in new humanitarian assistance for the region today."
HIDDEN = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
        python_code: str | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items()
            if k not in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL", "PREFECT_API_URL")}
    full.update({"PYTHONPATH": str(ROOT), **(env or {})})
    cmd = [sys.executable, "-c", python_code, *args] if python_code else \
        [sys.executable, "-m", "flows.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=full, cwd=ROOT,
                          timeout=timeout)


def one_line_error(result: subprocess.CompletedProcess[str]) -> bool:
    return (result.returncode != 0 and "Traceback" not in result.stderr
            and len(result.stderr.strip().splitlines()) == 1)


# -- 1. a slow-drip server does not stall the pass ----------------------------------------------

def drip_and_fine(server: LocalServer, tmp_path: Path) -> Path:
    """A sources file with two sources: one that drips a byte a second for hours (each read
    well inside the read timeout) and one that is fine."""
    def drip() -> Iterator[bytes]:
        yield b"<html><body><p>"
        for _ in range(20_000):
            time.sleep(1.0)
            yield b"a"

    server.routes["/drip"] = Response(headers={"Content-Type": "text/html"}, chunks=drip())
    server.routes["/fine"] = Response(PAGE.format(title="Fine", p1=P1))
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "drip"\nurls = ["{server.url("/drip")}"]\n'
                      f'[[source]]\nname = "fine"\nurls = ["{server.url("/fine")}"]\n')
    return config


def test_case1_a_slow_drip_source_does_not_stall_a_plain_run(server: LocalServer,
                                                              tmp_path: Path) -> None:
    config = drip_and_fine(server, tmp_path)
    started = time.monotonic()
    try:
        result = cli("run", "--plain", "--config", str(config), timeout=150,
                     env={"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite"})
    except subprocess.TimeoutExpired:
        pytest.fail("the pass was still running after 150 s")
    assert time.monotonic() - started < 150
    assert result.returncode == 1  # the drip source failed, said so, and the pass ended
    assert "new" in result.stdout and server.url("/fine") in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


def test_case1_a_slow_drip_source_does_not_stop_a_prefect_run_delivering(server: LocalServer,
                                                                         tmp_path: Path) -> None:
    # The Prefect half: the run ends the drip's fetch, and the alert of the source that was
    # fine is still delivered (the console sink prints it), instead of waiting for ever.
    config = drip_and_fine(server, tmp_path)
    try:
        result = cli("run", "--config", str(config), timeout=240,
                     env={"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite",
                          "PREFECT_HOME": str(tmp_path / "prefect"),
                          "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    except subprocess.TimeoutExpired:
        pytest.fail("the Prefect run was still running after 240 s")
    assert result.returncode == 1, result.stderr[-3000:]  # the drip source failed, and said so
    assert server.url("/fine") in result.stdout, result.stdout
    assert "[NEW]" in result.stdout and "Fine" in result.stdout, result.stdout  # delivered


# -- 4. a full rewrite diffs in seconds ---------------------------------------------------------

def test_case4_a_full_rewrite_of_3200_words_is_checked_in_seconds_without_locking_out_deliver(
        server: LocalServer, tmp_path: Path) -> None:
    """A statement rewritten from scratch is diffed and graded in seconds, and `deliver`
    running meanwhile on the same SQLite store never dies with "database is locked"."""
    rng = random.Random(16)
    # A statement's vocabulary: few distinct words, each used often, as in real rewrites
    # (comparing every word with every word is what made them slow).
    vocab = [f"w{i}" for i in range(120)] + ["the", "of", "and", "to", "minister", "said"]

    def page() -> str:
        paras = "".join("<p>" + " ".join(rng.choice(vocab) for _ in range(80)) + ".</p>"
                        for _ in range(40))
        return f"<html><head><title>Statement</title></head><body><article>{paras}</article></body></html>"

    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite"}
    server.routes["/s"] = Response(page())
    first = cli("check", server.url("/s"), "--plain", env=env)
    assert first.returncode == 0, first.stderr[-2000:]
    server.routes["/s"] = Response(page())
    delivering = [subprocess.Popen([sys.executable, "-m", "flows.cli", "deliver"], cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(2)]
    try:
        second = cli("check", server.url("/s"), "--plain", env=env, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("checking a 3,200-word rewrite took more than 60 s")
    finally:
        outputs = [p.communicate(timeout=120) for p in delivering]
    assert second.returncode == 0, second.stderr[-2000:]
    assert "changed" in second.stdout and "substantive" in second.stdout, second.stdout
    for p, (_, err) in zip(delivering, outputs, strict=True):
        assert p.returncode == 0 and "locked" not in err, err[-2000:]


# -- 5. robots.txt is read with a size limit ----------------------------------------------------

_PEAK = ("import resource, sys\nfrom flows.cli import main\n"
         "try:\n    rc = main(sys.argv[1:])\nexcept SystemExit as e:\n    rc = e.code\n"
         "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def _peak_kb(result: subprocess.CompletedProcess[str]) -> int:
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("maxrss ")]
    assert line, result.stderr[-2000:]
    return int(line[-1].split()[1])


def test_case5_a_gzip_bomb_robots_txt_costs_no_memory(server: LocalServer, tmp_path: Path) -> None:
    # 256 MB of zeros in about 250 KB of gzip, built in pieces so the test itself stays small.
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1 << 20)
    bomb = b"".join(packer.compress(chunk) for _ in range(256)) + packer.flush()
    server.routes["/page"] = Response(PAGE.format(title="Page", p1=P1))
    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite"}
    plain = cli("check", server.url("/page"), "--plain", env=env, python_code=_PEAK)
    server.routes["/robots.txt"] = Response(bomb, headers={"Content-Type": "text/plain",
                                                           "Content-Encoding": "gzip"})
    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/b.sqlite"}
    bombed = cli("check", server.url("/page"), "--plain", env=env, python_code=_PEAK)
    assert "Traceback" not in bombed.stderr
    grown_mb = (_peak_kb(bombed) - _peak_kb(plain)) / 1024
    assert grown_mb < 64, f"robots.txt gzip bomb: peak memory grew by {grown_mb:.0f} MB"


# -- 6. SSRF: a URL two parsers read differently is refused before any request ----------------------

def test_case6_backslash_userinfo_trick_sends_nothing(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/"] = Response(PAGE.format(title="Private", p1=P1))
    url = f"http://127.0.0.1:{server.port}\\@8.8.8.8/"
    result = cli("check", url, "--plain",
                 env={"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite",
                      "ONRECORD_ALLOW_PRIVATE_URLS": "0"})
    assert result.returncode != 0
    assert server.requests == []  # not the page, not robots.txt


# -- 7. text that formats or hides ------------------------------------------------------------------

HOSTILE = ("Funding \x1b[2J\x1b[31mchanged\x07 \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 "
           "and \u202e85$ gnitats\u202c *bold* <!channel> ```code``` for the region")


def test_case7_terminal_output_has_no_escape_sequences_or_bidi(tmp_path: Path) -> None:
    page = tmp_path / "s.html"
    page.write_text(PAGE.format(title="Title \u202eevil\u202c \x1b[2J", p1=f"{P1} {HOSTILE}"),
                    encoding="utf-8")
    result = cli("extract", str(page))
    assert result.returncode == 0, result.stderr
    assert "gnitats" in result.stdout
    assert not [c for c in HIDDEN if c in result.stdout + result.stderr]


def test_case7_slack_alerts_carry_no_formatting_pings_or_bidi(server: LocalServer, tmp_path: Path,
                                                              fake: FakeSlack) -> None:
    server.routes["/s"] = Response(PAGE.format(title="Statement", p1=P1))
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "s"\nurls = ["{server.url("/s")}"]\n')
    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite", "SLACK_BOT_TOKEN": "xoxb-t",
           "SLACK_CHANNEL": "C0T", "SLACK_API_URL": fake.url}
    cli("run", "--plain", "--config", str(config), env=env)
    server.routes["/s"] = Response(PAGE.format(title="Statement",
                                               p1=P1.replace("$80", "$58") + " " + HOSTILE))
    second = cli("run", "--plain", "--config", str(config), env=env)
    assert "Traceback" not in second.stderr, second.stderr[-2000:]
    posted = [json.dumps(m["params"], ensure_ascii=False) for m in fake.messages]
    edit = [p for p in posted if "58" in p]
    assert edit, posted
    for text in edit:
        assert "<!channel>" not in text
        assert not [c for c in HIDDEN if c in text]
        body = json.loads(text)
        for part in [body.get("text") or "", json.dumps(body.get("blocks") or [], ensure_ascii=False)]:
            assert "*bold*" not in part and "```code```" not in part


# -- 9. tracebacks instead of one line ----------------------------------------------------------------

def test_case9_a_corrupt_sqlite_file_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    db.write_bytes(b"this is not a database\n" * 500)
    result = cli("history", "https://gov.example/s",
                 env={"ONRECORD_DATABASE_URL": f"sqlite:///{db}"})
    assert one_line_error(result), result.stderr[-3000:]


def test_case9_an_unknown_database_scheme_is_one_line(tmp_path: Path) -> None:
    result = cli("history", "https://gov.example/s",
                 env={"ONRECORD_DATABASE_URL": "mongodb://127.0.0.1:1/x"})
    assert one_line_error(result), result.stderr[-3000:]


@pytest.mark.parametrize("line, key", [('max_items = "many"', "max_items"),
                                       ("urls = [1, 2]", "urls"),
                                       ('keywords = "text"', "keywords")])
def test_case9_sources_file_values_of_the_wrong_type_are_one_line(
        tmp_path: Path, line: str, key: str) -> None:
    config = tmp_path / "sources.toml"
    urls = "" if line.startswith("urls") else 'urls = ["http://127.0.0.1:1/"]\n'
    config.write_text(f'[[source]]\nname = "x"\nkind = "coverage"\n{urls}{line}\n')
    result = cli("run", "--plain", "--config", str(config),
                 env={"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite"})
    assert one_line_error(result), result.stderr[-3000:]
    assert key in result.stderr and "sources.toml" in result.stderr


# -- 10. install: declare what the code imports ------------------------------------------------------

def test_case10_lxml_html_clean_and_urllib3_are_declared() -> None:
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
             .replace("-", "_") for d in deps}
    # trafilatura imports lxml.html.clean, which pip 23 does not install through its extras.
    assert {"lxml_html_clean", "urllib3"} <= names
