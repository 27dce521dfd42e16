"""Hostile or careless input at the command line: one line and exit 2, never a traceback;
a malformed link on a watched page does not stop a pass."""

from __future__ import annotations

from pathlib import Path

from tests.httpfixture import LocalServer, Response
from tests.test_cli import onrecord

PAGE = (
    "<html><head><title>Statement on the floods</title></head><body><article>"
    "<h1>Statement on the floods</h1>"
    "<p>The Secretary announced $80 million in new humanitarian assistance for the region "
    "today, to provide food, shelter and medical care to displaced families.</p>"
    "<p>The United States will not reduce its support while the crisis continues. "
    "<a href='http://[zz/'>a broken link</a> and <a href='/more'>more</a>.</p>"
    "</article></body></html>"
)


def one_line_usage_error(result) -> bool:  # noqa: ANN001
    return (result.returncode == 2 and result.stderr.count("\n") == 1
            and "Traceback" not in result.stderr)


def test_invalid_url_is_one_line_exit_2(tmp_path: Path) -> None:
    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite"}
    for url in ("http://[::1/", "http://127.0.0.1:1\\@8.8.8.8/"):
        result = onrecord("check", url, "--plain", env=env)
        assert one_line_usage_error(result), result.stderr
    result = onrecord("extract", "http://[::1/")
    assert one_line_usage_error(result) and "invalid URL" in result.stderr, result.stderr


def test_upper_case_scheme_accepted(server: LocalServer) -> None:
    server.routes["/p"] = Response(PAGE)
    result = onrecord("extract", f"HTTP://127.0.0.1:{server.port}/p")
    assert result.returncode == 0, result.stderr
    assert "Statement on the floods" in result.stdout


def test_huge_local_file_refused_in_one_line(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as f:
        f.truncate(30 * 1024 * 1024)  # sparse: 30 MB without writing them
    result = onrecord("extract", str(big))
    assert one_line_usage_error(result) and "exceeds" in result.stderr, result.stderr


def test_run_survives_a_malformed_link_and_honours_allow_private(server: LocalServer,
                                                                  tmp_path: Path) -> None:
    # Private addresses refused globally; the one source that says allow_private is read.
    server.routes["/s"] = Response(PAGE)
    server.routes["/t"] = Response(PAGE.replace("floods", "fires"))
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[[source]]\nname = "intranet"\nurls = ["{server.url("/s")}"]\nallow_private = true\n'
        f'[[source]]\nname = "outside"\nurls = ["{server.url("/t")}"]\n')
    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite",
           "ONRECORD_ALLOW_PRIVATE_URLS": "0"}
    result = onrecord("run", "--config", str(config), "--plain", env=env)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"new          statement {server.url('/s')}" in result.stdout, result.stdout
    assert "private address" in result.stdout  # the other source, refused
    assert result.returncode == 1  # one source with errors
    assert [r.path for r in server.requests if r.path != "/robots.txt"] == ["/s"]


def test_bad_selector_in_sources_file_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nname = "x"\nurls = ["http://127.0.0.1:1/"]\nselector = "p["\n')
    result = onrecord("run", "--config", str(config), "--plain")
    assert one_line_usage_error(result) and "not a valid CSS selector" in result.stderr


def test_allow_private_covers_the_sources_own_hosts_only(server: LocalServer,
                                                         tmp_path: Path) -> None:
    # An intranet feed may be on a private address; the links in it (or a redirect) to
    # another private host are not vouched for: `localhost` here stands for any other
    # internal name (an admin console, a metadata service).
    own, other = server.url("/s"), f"http://localhost:{server.port}/admin"
    server.routes["/s"] = Response(PAGE)
    server.routes["/admin"] = Response(PAGE.replace("floods", "admin"))
    server.routes["/feed"] = Response(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        f"<item><title>a</title><link>{own}</link></item>"
        f"<item><title>b</title><link>{other}</link></item></channel></rss>",
        headers={"Content-Type": "application/rss+xml"})
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[[source]]\nname = "intranet"\nfeed = "{server.url("/feed")}"\nallow_private = true\n')
    env = {"ONRECORD_DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite",
           "ONRECORD_ALLOW_PRIVATE_URLS": "0"}
    result = onrecord("run", "--config", str(config), "--plain", env=env)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"new          statement {own}" in result.stdout, result.stdout
    assert "private address" in result.stdout  # the link to the other host, refused
    assert "/admin" not in [r.path for r in server.requests]


def test_private_hosts_example_runs() -> None:
    import doctest

    import sources.config

    result = doctest.testmod(sources.config)
    assert result.attempted >= 1 and result.failed == 0
