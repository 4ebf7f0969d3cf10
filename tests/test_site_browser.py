"""The built site in a real browser (Debian's Chromium, headless), with no network.

For every page: each chart holds a rendered SVG or canvas, the console has no errors, no request
leaves 127.0.0.1, and every internal link resolves. The home page's numbers must equal the
figures in book/results/metrics.csv. Screenshots of the home page and a chapter are written to
test-output/ for a human to look at.
"""

from __future__ import annotations

import functools
import os
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from conftest import ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # CI elsewhere may point at Chrome
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = ROOT / "test-output"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: `apt-get install chromium` "
                                                      "(Debian) puts it at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site / "_build" / "html"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def site_pages(site: Path) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "book").rglob("*.html"))
    return pages + ["search.html", "genindex.html"]


def visit(browser, url: str):
    """Loads a page; returns (page, console errors, requests that left 127.0.0.1/file)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))

    def check_request(request):
        u = urlparse(request.url)
        if u.scheme not in ("file", "data", "blob", "about") and u.hostname != "127.0.0.1":
            outside.append(request.url)
    page.on("request", check_request)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, errors, outside


def test_every_page_renders_its_charts_offline(browser, server, site):
    problems = []
    pages = site_pages(site)
    assert "book/index.html" in pages and "book/data.html" in pages
    for rel in pages:
        page, errors, outside = visit(browser, f"{server}/{rel}")
        charts = page.locator(".book-chart")
        for i in range(charts.count()):
            try:
                charts.nth(i).locator("svg.marks, canvas").first.wait_for(state="attached", timeout=10_000)
            except Exception:
                problems.append(f"{rel}: chart {i + 1} did not render")
        problems += [f"{rel}: console error: {e}" for e in errors]
        problems += [f"{rel}: request left 127.0.0.1: {u}" for u in outside]
        page.close()
    assert problems == []


def test_charts_render_from_file_urls(browser, site):
    """A reader opening _build/html/index.html from disk, network off."""
    for rel in ("index.html", "book/data.html"):
        page, errors, outside = visit(browser, (site / rel).as_uri())
        charts = page.locator(".book-chart")
        for i in range(charts.count()):
            charts.nth(i).locator("svg.marks, canvas").first.wait_for(state="attached", timeout=10_000)
        assert errors == [] and outside == [], rel
        page.close()


def html_pages(site: Path) -> list[Path]:
    """Every page (not the theme's template fragments shipped in _static)."""
    return [p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts]


def test_every_internal_link_resolves(site):
    broken = []
    for html_file in html_pages(site):
        text = html_file.read_text(encoding="utf-8")
        for href in re.findall(r'(?:href|src)="([^"#?]+)[^"]*"', text):
            if re.match(r"^[a-z][a-z0-9+.-]*:", href):
                continue  # http(s), mailto, data: links are not internal
            target = (html_file.parent / unquote(href)).resolve()
            if not target.exists():
                broken.append(f"{html_file.relative_to(site)} -> {href}")
    assert broken == []


def test_external_links_are_only_http(site):
    """Links a reader can follow go to http(s) pages only (no javascript: from the data)."""
    bad = []
    for html_file in html_pages(site):
        for href in re.findall(r'<a\s[^>]*href="([^"]+)"', html_file.read_text(encoding="utf-8")):
            scheme = urlparse(href).scheme
            if scheme and scheme not in ("http", "https", "mailto"):
                bad.append(f"{html_file.relative_to(site)}: {href}")
    assert bad == []


def home_page_glue() -> list[tuple[str, str, str]]:
    """(page, key, format) of every {glue:text} role on the home page, in order."""
    text = (ROOT / "book" / "index.md").read_text(encoding="utf-8")
    roles = re.findall(r"\{glue:text\}`([^`]+)`", text)
    out = []
    for role in roles:
        page, _, rest = role.partition("::")
        key, _, fmt = rest.rpartition(":")
        out.append((page, key, fmt))
    return out


def test_home_page_numbers_equal_metrics(browser, server, built_site):
    """Each glued number on the home page, as shown, equals its row in metrics.csv."""
    metrics = pd.read_csv(built_site / "book" / "results" / "metrics.csv", dtype={"glue_key": str})
    page, errors, _ = visit(browser, f"{server}/book/index.html")
    shown = page.locator("article.bd-article span.pasted-text").all_inner_texts()  # not the navigation
    roles = home_page_glue()
    assert len(shown) == len(roles)
    compared = 0
    for text, (nb, key, fmt) in zip(shown, roles):
        if fmt == "s":
            continue  # text (a month in words): not a figure
        rows = metrics[(metrics["glue_key"] == key) & (metrics["page"] == Path(nb).stem)]
        assert len(rows) == 1, f"{nb}::{key} has {len(rows)} rows in metrics.csv"
        assert text == format(float(rows["value"].iloc[0]), fmt), f"{nb}::{key}"
        compared += 1
    assert compared >= 10
    assert errors == []


def test_home_page_answers_in_thirty_seconds(browser, server):
    """The lead chart, the answers to the three questions, the key numbers with their months, the
    cost in tonnes and the stamp: data through the newest month, built on the commit's date (a copy
    outside git says the date was not recorded), the next release expected."""
    from rare_earth_exports.build.stamp import built_date

    page, errors, _ = visit(browser, f"{server}/book/index.html")
    article = page.locator("article.bd-article")
    article.locator(".book-chart svg.marks, .book-chart canvas").first.wait_for(state="attached", timeout=10_000)
    body = article.inner_text()
    stamp = re.search(r"Data through (\w+ \d{4}) · built (.+?) · next customs release \((\w+ \d{4}) figures\) expected "
                      r"around (\d{1,2} \w+ \d{4})", body)
    assert stamp, body[:600]
    assert stamp.group(2) == built_date(dict(os.environ)) and "{{" not in body
    headings = article.locator("h2").all_inner_texts()
    assert [h.rstrip("#") for h in headings] == ["The three questions, answered in brief", "Key numbers",
                                                 "The cost in tonnes", "What changed in the newest months", "The book"]
    rows = article.locator("table tbody tr")
    assert rows.count() >= 8 and all(len(r) == 3 for r in (rows.nth(i).locator("td").all_inner_texts()
                                                          for i in range(rows.count())))
    assert errors == []


def test_screenshots_for_a_human(browser, server):
    SCREENSHOTS.mkdir(exist_ok=True)
    for rel, name in (("book/index.html", "home.png"), ("book/data.html", "data.png"),
                      ("book/collapse.html", "collapse.png"), ("book/destinations.html", "destinations.png")):
        page, _, _ = visit(browser, f"{server}/{rel}")
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
        page.close()
        assert (SCREENSHOTS / name).stat().st_size > 10_000
