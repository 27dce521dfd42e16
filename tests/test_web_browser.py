"""`onrecord web` in a real browser: Debian's chromium through chromium-driver and selenium.

The store is filled through the pipeline from pages served on loopback (tests/webworld.py:
the demo statement with three versions, its misquoting and accurate coverage, and a
statement whose text carries markup, event handlers and javascript: links); the site runs
as `onrecord web` (real uvicorn on 127.0.0.1). A reader walks from the activity page to the
statement, compares versions 1 and 3, and follows the misquote to the statement passage it
distorts; every page leaves the browser console empty (a CSP violation, a failed load or a
script error would be logged there). Skipped without chromium locally, failed under CI
(ONRECORD_REQUIRE_CHROMIUM=1), as tests/test_diff_render.py's screenshot test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store import Store
from tests.browser import WebServer, browser_missing, chrome
from tests.test_diff_render import _count_colour, _png_pixels
from tests.webworld import World, build_world


@dataclass
class Site:
    world: World
    server: WebServer
    driver: Any
    shots: Path
    ids: dict[str, int]

    def open(self, path: str) -> None:
        self.driver.get(self.server.url(path))

    def console(self) -> list[dict]:
        """What the page logged since the last call (errors, CSP violations, warnings)."""
        return [e for e in self.driver.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]

    def shot(self, name: str) -> bytes:
        data = self.driver.get_screenshot_as_png()
        (self.shots / f"{name}.png").write_bytes(data)
        return bytes(data)


def _ids(world: World) -> dict[str, int]:
    store = Store(world.database_url)
    try:
        out: dict[str, int] = {}
        for name, url in (("statement", world.statement_url), ("hostile", world.hostile_url),
                          ("misquote", world.misquote_url)):
            doc = store.document(url)
            assert doc is not None, url
            out[name] = doc.id
            for v in store.versions(url):
                out[f"{name}_v{v.seq}"] = v.id
        return out
    finally:
        store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    missing = browser_missing()
    if missing:
        if os.environ.get("ONRECORD_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"{missing} and ONRECORD_REQUIRE_CHROMIUM=1")
        pytest.skip(missing)
    tmp = tmp_path_factory.mktemp("web-browser")
    world = build_world(tmp / "store.sqlite", tmp)
    server = WebServer(world.database_url)
    driver = None
    try:
        driver = chrome()
        shots = Path(os.environ.get("ONRECORD_SCREENSHOTS") or tmp / "shots")
        shots.mkdir(parents=True, exist_ok=True)
        yield Site(world, server, driver, shots, _ids(world))
    finally:
        if driver is not None:
            driver.quit()
        server.close()


def _by_css(site: Site, css: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(site.driver.find_elements(By.CSS_SELECTOR, css))


def _one(site: Site, css: str) -> Any:
    found = _by_css(site, css)
    assert found, f"{css} not on {site.driver.current_url}"
    return found[0]


def _path(site: Site) -> str:
    return re.sub(r"^https?://[^/]+", "", site.driver.current_url)


def _go(site: Site, element: Any, pattern: str) -> None:
    """Click `element` and wait (a loaded machine is slow) until the page's path matches."""
    from selenium.webdriver.support.ui import WebDriverWait

    element.click()
    WebDriverWait(site.driver, 30).until(
        lambda d: re.fullmatch(pattern, _path(site)) and
        d.execute_script("return document.readyState") == "complete",
        message=f"never reached {pattern}")


def test_activity_to_statement_to_compare_to_misquote(site: Site) -> None:
    from selenium.webdriver.common.by import By

    d = site.driver
    site.open("/")
    assert d.title.startswith("Activity")
    kinds = [e.get_attribute("textContent") for e in _by_css(site, "table.events tr.event span.kind")]
    assert "edit" in kinds and "misquote" in kinds, kinds
    site.shot("activity")
    assert site.console() == []

    # Activity -> the statement, by its title.
    _go(site, d.find_element(By.LINK_TEXT, "Joint Statement on the Pacific Clean Water Partnership"),
        f"/statement/{site.ids['statement']}")
    assert _one(site, "h1").text == "Joint Statement on the Pacific Clean Water Partnership"
    timeline = _by_css(site, "ol.timeline > li")
    assert [li.find_element(By.CSS_SELECTOR, "a").text for li in timeline] == \
        ["version 1", "version 2", "version 3"]
    assert "number changed: $80 million -> $58 million" in timeline[1].text
    site.shot("statement")
    assert site.console() == []

    # Compare version 1 with version 3 through the page's own form (defaults: first, last).
    v1, v3 = site.ids["statement_v1"], site.ids["statement_v3"]
    _go(site, _one(site, "form.pick button[type=submit]"), f"/compare/{v1}/{v3}")
    assert _one(site, "h1").text == "Version 1 → version 3"
    reasons = " | ".join(li.text for li in _by_css(site, "ol.changes ul.reasons li"))
    assert "number changed: $80 million -> $58 million" in reasons and "negation removed: not" in reasons
    assert [e.text for e in _by_css(site, ".col.old del")][:1] == ["80"]
    assert "58" in [e.text for e in _by_css(site, ".col.new ins")]
    assert "A first report is due in June." in _one(site, ".col.new").text
    # The first change's "show" link lands on its span in the text.
    _go(site, _one(site, "ol.changes a[href='#c1']"), f"/compare/{v1}/{v3}#c1")
    assert d.execute_script("return document.querySelector(':target').id") == "c1"
    width, bpp, rows = _png_pixels(site.shot("compare"))
    assert width == 1280
    # Deleted (#ffcfcf) and inserted (#c3f2cb) words are visibly marked on screen.
    assert _count_colour(rows, bpp, (0xFF, 0xCF, 0xCF)) > 30
    assert _count_colour(rows, bpp, (0xC3, 0xF2, 0xCB)) > 30
    assert site.console() == []
    _go(site, d.find_element(By.LINK_TEXT, "Inline"), re.escape(f"/compare/{v1}/{v3}?view=inline"))
    inline = _one(site, ".text.inline")
    assert [e.text for e in inline.find_elements(By.CSS_SELECTOR, "del")][:1] == ["80"]
    assert "The partners will not impose conditions on emergency relief." in \
        [e.text for e in inline.find_elements(By.CSS_SELECTOR, "del")]
    site.shot("compare-inline")
    assert site.console() == []

    # Back on the statement: its misquoting coverage, then the passage it distorts.
    site.open(f"/statement/{site.ids['statement']}")
    row = _one(site, "table.quotes tr.verdict-misquote")
    quote_link = row.find_element(By.CSS_SELECTOR, "td a[href*='#q-']")
    assert "will impose conditions" in quote_link.text
    _go(site, quote_link, rf"/article/{site.ids['misquote']}\?version=\d+#q-\d+")
    target = d.execute_script("return document.querySelector(':target')")
    assert target is not None and "verdict-misquote" in target.get_attribute("class")
    passage = target.find_element(By.CSS_SELECTOR, "blockquote.passage mark.matched")
    # The statement's own words, beside the quote that dropped their "not".
    assert passage.text.startswith("The partners will not impose conditions on emergency relief")
    assert "negation removed: not" in target.text
    # The quote is highlighted in the article's text, linked both ways.
    qid = target.get_attribute("id")[2:]
    marked = _one(site, f"a#t-{qid}")
    assert "verdict-misquote" in marked.get_attribute("class")
    assert marked.text.startswith("The partners will impose conditions")
    site.shot("article")
    assert site.console() == []
    # ... and on to the paragraph of the statement version it was checked against.
    _go(site, target.find_element(By.CSS_SELECTOR, "a.to-statement"),
        rf"/version/{site.ids['statement_v1']}#p\d+")
    para = d.execute_script("return document.querySelector(':target')")
    assert para is not None and para.tag_name == "p"
    assert para.text == ("The partners will not impose conditions on emergency relief. Assistance "
                         "during disasters will reach every affected community as quickly as "
                         "possible.")
    # Highlighted as the target (the stylesheet's :target rule), not only scrolled to.
    assert d.execute_script("return getComputedStyle(arguments[0]).boxShadow", para) != "none"
    site.shot("version")
    assert site.console() == []


def test_search_finds_the_statement(site: Site) -> None:
    from selenium.webdriver.common.by import By

    site.open("/")
    box = _one(site, "form.search input[name=q]")
    box.send_keys("clean water partnership")
    _go(site, _one(site, "form.search button[type=submit]"), r"/search\?q=clean.*")
    links = [a.text for a in site.driver.find_elements(By.CSS_SELECTOR, "main a")]
    assert "Joint Statement on the Pacific Clean Water Partnership" in links
    site.shot("search")
    assert site.console() == []


def _inert(site: Site) -> None:
    """Nothing of the hostile text ran or became live on the page now shown."""
    from selenium.common.exceptions import NoAlertPresentException

    d = site.driver
    try:
        alert = d.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"an alert dialog opened on {d.current_url}: {text!r}")
    except NoAlertPresentException:
        pass
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    assert d.execute_script("return document.scripts.length") == 0
    assert d.execute_script(
        "return document.querySelectorAll('[onerror],[onload],[onmouseover],img,iframe').length") == 0
    hrefs = d.execute_script(
        "return Array.from(document.querySelectorAll('[href],[src],[action]'))"
        ".map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))")
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    # Every link click stays on http(s): the resolved URLs, not only the attributes.
    resolved = d.execute_script("return Array.from(document.links).map(a => a.protocol)")
    assert set(resolved) <= {"http:", "https:"}, resolved
    assert site.console() == []


def test_hostile_statement_renders_inert(site: Site) -> None:
    from selenium.webdriver.common.by import By

    ids = site.ids
    pages = [f"/statement/{ids['hostile']}", f"/version/{ids['hostile_v2']}",
             f"/compare/{ids['hostile_v1']}/{ids['hostile_v2']}",
             f"/compare/{ids['hostile_v1']}/{ids['hostile_v2']}?view=inline",
             "/search?q=pwned", "/"]
    for path in pages:
        site.open(path)
        _inert(site)
    # The payloads are on the page as text, visible to the reader, not as markup.
    site.open(f"/version/{ids['hostile_v2']}")
    shown = site.driver.find_element(By.CSS_SELECTOR, "div.paras").text
    assert "<script>window.__pwned = 'script'</script>" in shown
    assert "<img src=x onerror=\"window.__pwned='onerror'\">" in shown
    assert "javascript:window.__pwned='url'" in shown
    assert site.driver.find_element(By.CSS_SELECTOR, "h1").text == \
        "Notice on data handling <b onmouseover=x>"
    # A click on the quoted link text goes nowhere: it is text, not an anchor.
    assert not site.driver.find_elements(By.PARTIAL_LINK_TEXT, "read the annex")
    site.shot("hostile-version")
