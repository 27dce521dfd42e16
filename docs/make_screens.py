"""Screenshots of every page type of `onrecord web`, on the demo's data, for the README.

    python docs/make_screens.py [--out docs]

Runs `onrecord demo --plain` into a fresh SQLite store (the sample site, two passes around
a silent edit: a statement with two versions, an accurate and a misquoting article), serves
that store with `onrecord web` on a free loopback port, and takes one screenshot per page
type in headless chromium (Debian's chromium and chromium-driver through selenium, as
tests/test_web_browser.py): web-activity.png, web-statement.png, web-version.png,
web-compare.png, web-article.png, web-search.png. A page that logs a console error stops
the script: the pictures show pages as a reader gets them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.demo_server import ARTICLES  # noqa: E402
from store import Store  # noqa: E402
from tests.browser import WebServer, browser_missing, chrome  # noqa: E402

WIDTH, HEIGHT = 1280, 800


def demo_store(workdir: Path) -> str:
    """The demo's store: `onrecord demo --plain` run into a SQLite file under `workdir`."""
    url = f"sqlite:///{workdir / 'demo.sqlite'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONRECORD_DATABASE_URL": url,
           "PREFECT_HOME": str(workdir / "prefect")}
    for key in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL", "ONRECORD_CONFIG"):
        env.pop(key, None)
    done = subprocess.run([sys.executable, "-m", "flows.cli", "demo", "--plain"], cwd=workdir,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise SystemExit(f"onrecord demo failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return url


def pages(url: str) -> dict[str, str]:
    """Page name -> path on the site, found in the demo's store."""
    store = Store(url)
    try:
        statement = article = None
        for doc in store.documents():
            if doc.kind == "statement":
                statement = doc
            elif doc.url.endswith(ARTICLES[1]):
                article = doc  # the misquoting one: every verdict colour shows
        assert statement is not None and article is not None, "the demo stored no statement"
        versions = store.versions(statement.url)
        first, last = versions[0].id, versions[-1].id
    finally:
        store.close()
    return {
        "activity": "/",
        "statement": f"/statement/{statement.id}",
        "version": f"/version/{first}",
        "compare": f"/compare/{first}/{last}",
        "article": f"/article/{article.id}",
        "search": "/search?q=clean+water",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    missing = browser_missing()
    if missing:
        raise SystemExit(missing)
    with tempfile.TemporaryDirectory(prefix="onrecord-screens-") as tmp:
        url = demo_store(Path(tmp))
        server = WebServer(url)
        driver = chrome(WIDTH, HEIGHT)
        try:
            for name, path in pages(url).items():
                driver.get(server.url(path))
                errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
                if errors:
                    raise SystemExit(f"{path}: console errors: {errors}")
                out = args.out / f"web-{name}.png"
                out.write_bytes(driver.get_screenshot_as_png())
                print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {path}")
        finally:
            driver.quit()
            server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
