"""`onrecord claims`: real files and a loopback HTTP statement, the JSON contract of issue 14,
escaped text output and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.httpfixture import LocalServer, Response
from tests.test_cli import onrecord

CLAIM_KEYS = {"text", "start", "end", "verdict", "kind", "severity", "source", "matched", "score",
              "reasons", "speaker", "version"}
COVERAGE_KEYS = {"source", "paragraph", "text", "covered", "how"}

STATEMENT = (
    "<html><head><title>Assistance for flood victims</title></head><body><article>"
    "<h1>Assistance for flood victims</h1>"
    "<p>The United States is providing $80 million in new humanitarian assistance to help the "
    "people of the region recover from the devastating floods.</p>"
    "<p>We will continue to work closely with the government and with humanitarian partners to "
    "deliver food, shelter and medical care to displaced families.</p>"
    "<p>We are deeply grateful to the first responders who have saved thousands of lives.</p>"
    "</article></body></html>")
ARTICLE = (
    "<html><head><title>US pledges flood aid</title></head><body><article>"
    "<h1>US pledges flood aid</h1>"
    "<p>The State Department said the United States was providing $58 million in new "
    "humanitarian assistance to help the region recover from the floods.</p>"
    "<p>It said Washington would continue to work closely with the government and aid partners "
    "to deliver food, shelter and medical care to displaced families.</p>"
    "<p>The department also said it would send a team of military engineers to rebuild the "
    "bridges destroyed by the water.</p>"
    "</article></body></html>")


def test_claims_json_on_the_seed_pair(shared_dir: Path) -> None:
    result = onrecord("claims", str(shared_dir / "seeds/joint-statement-press-coverage.txt"),
                      "--statement", str(shared_dir / "seeds/joint-statement-official.txt"),
                      "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"claims", "coverage"}
    assert len(data["claims"]) >= 8
    for c in data["claims"]:
        assert set(c) == CLAIM_KEYS
        assert c["verdict"] in ("faithful", "drift", "unsupported")
        assert (c["kind"] is None) == (c["verdict"] != "drift")
        assert isinstance(c["score"], float) and c["reasons"]
    for p in data["coverage"]:
        assert set(p) == COVERAGE_KEYS and p["covered"] == (p["how"] != "none")
    from sources.extract import extract

    body = (shared_dir / "seeds/joint-statement-press-coverage.txt").read_bytes()
    text = extract(body, "file:///article.txt", content_type="text/plain").text
    for c in data["claims"]:  # offsets into the article's extracted text, as `quotes` gives
        assert text[c["start"]:c["end"]] == c["text"]
    taiwan = next(c for c in data["claims"] if c["text"].startswith("On Taiwan"))
    assert (taiwan["verdict"], taiwan["kind"]) == ("drift", "softened")


def test_claims_over_loopback_http(server: LocalServer) -> None:
    server.routes["/statement"] = Response(STATEMENT)
    server.routes["/article"] = Response(ARTICLE)
    result = onrecord("claims", server.url("/article"), "--statement", server.url("/statement"),
                      "--format", "json", env={"ONRECORD_ALLOW_PRIVATE_URLS": "1"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    money = next(c for c in data["claims"] if "$58 million" in c["text"])
    assert (money["verdict"], money["kind"], money["severity"]) == ("drift", "number", "major")
    assert '"$58"' not in money["reasons"][0] and "58" in money["reasons"][0] and "80" in money["reasons"][0]
    assert money["source"] == server.url("/statement") and "$80 million" in money["matched"]
    work = next(c for c in data["claims"] if "work closely" in c["text"])
    assert work["verdict"] == "faithful" and work["kind"] is None and work["severity"] == "none"
    bridges = next(c for c in data["claims"] if "bridges" in c["text"])
    assert bridges["verdict"] == "unsupported" and bridges["matched"] == ""
    hows = [p["how"] for p in data["coverage"]]
    # The grateful paragraph is not reported; the two others are paraphrased.
    assert hows.count("paraphrased") == 2 and hows.count("none") >= 1


def test_text_output_is_escaped(tmp_path: Path) -> None:
    statement = tmp_path / "statement.txt"
    statement.write_text("Assistance\n\nThe United States is providing $80 million in new humanitarian "
                         "assistance to help the people of the region recover from the floods.\n",
                         encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("Aid\n\nThe State Department said the United States was providing $58 million "
                       "in new humanitarian assistance \x1b[2J\x1b]0;owned\x07 to the region.\n",
                       encoding="utf-8")
    result = onrecord("claims", str(article), "--statement", str(statement))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "DRIFT number (major)" in result.stdout
    # The control characters are dropped when the article is read (sources.normalize
    # drop_hidden): no output carries them, the visible rest of the text stays.
    js = onrecord("claims", str(article), "--statement", str(statement), "--format", "json")
    texts = [c["text"] for c in json.loads(js.stdout)["claims"]]
    assert any("$58 million" in t and "[2J" in t for t in texts), texts
    assert not any("\x1b" in t or "\x07" in t for t in texts), texts
    assert "coverage:" in result.stdout


def test_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    result = onrecord("claims", str(tmp_path / "nope.txt"), "--statement", str(tmp_path / "s.txt"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_byline_of_an_extracted_statement_is_its_issuer(tmp_path: Path) -> None:
    """A statement read from a file or page keeps its title apart, so its byline is paragraph
    0: a claim calling the one-party statement joint misreports who issued it, and the
    coverage map credits that byline paragraph (as it does when the title is paragraph 0)."""
    statement = tmp_path / "statement.txt"
    statement.write_text("Flood assistance for the region\n\nJane Doe, Department Spokesperson\n\n"
                         "The United States is providing $80 million in new humanitarian assistance to help "
                         "the people of the region recover from the floods.\n\nWe will continue to work with "
                         "humanitarian partners to deliver food and shelter to displaced families.\n",
                         encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("Aid for the region\n\nIn a joint statement with Canada, the State Department said the "
                       "United States was providing $80 million in new humanitarian assistance to help the "
                       "region recover from the floods.\n", encoding="utf-8")
    js = onrecord("claims", str(article), "--statement", str(statement), "--format", "json")
    assert js.returncode == 0, js.stderr
    out = json.loads(js.stdout)
    assert [(c["verdict"], c["kind"]) for c in out["claims"]] == [("drift", "attribution")]
    how = {p["text"][:8]: p["how"] for p in out["coverage"]}
    assert how == {"Jane Doe": "paraphrased", "The Unit": "paraphrased", "We will ": "none"}, how
