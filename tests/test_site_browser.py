"""The built site in a real browser (Debian's Chromium, headless), with no network.

For every page: each chart shows its drawing made at build time, and is drawn live (a rendered
SVG) when a reader points at it, the console has no errors, no request leaves 127.0.0.1, and every
internal link resolves. The home page's numbers must equal the figures in book/results/metrics.csv.
The charts' library is loaded only when a reader points at a chart, its text is there before, and
drawing it live moves nothing; a chart with controls is drawn live as it nears the screen; a page
printed right after loading prints every chart.

As a reader sees it, at 1280 and 390 px on every page: every chart's drawing made at build time
shows (the phone's on a phone), at the height the live chart takes; every chart fits (its right edge inside
the viewport, nothing of it hidden by a box that clips or scrolls, nothing drawn outside its own
SVG), every chart has a label, a description with its newest value, a table view and a download
link whose CSV holds exactly the rows of the table view; every table has its download; and
axe-core finds no serious or critical violation. Screenshots of every page at both widths are
written to test-output/ for a human to look at.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from conftest import ROOT
from rare_earth_exports.present.render import BUNDLE_NAME

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


def visit(browser, url: str, width: int = 1280):
    """Loads a page; returns (page, console errors, requests that left 127.0.0.1/file)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
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


# The chart's drawing made at build time has loaded (with the page: a page printed at once prints it).
PICTURE_LOADED = """img => (img.complete && img.naturalWidth > 0) || new Promise((loaded, failed) => {
  img.addEventListener('load', () => loaded(true));
  img.addEventListener('error', () => failed(new Error('the drawing did not load')));
})"""


def show_every_chart(page) -> list[int]:
    """Scrolls to each chart in turn, as a reader would, and waits until its drawing made at build
    time has loaded; returns the numbers (from 1) of the charts whose drawing did not load."""
    charts = page.locator(".book-chart")
    missing = []
    for i in range(charts.count()):
        try:
            charts.nth(i).scroll_into_view_if_needed()
            charts.nth(i).locator(".book-chart-static img").evaluate(PICTURE_LOADED)
        except Exception:
            missing.append(i + 1)
    return missing


def draw_every_chart(page) -> list[int]:
    """Points at each chart in turn, as a reader would, and waits until it is drawn live; returns
    the numbers (from 1) of the charts that were not drawn."""
    charts = page.locator(".book-chart")
    undrawn = []
    for i in range(charts.count()):
        try:
            charts.nth(i).hover()
            charts.nth(i).locator(".book-chart-view svg.marks, .book-chart-view canvas").first.wait_for(
                state="attached", timeout=10_000)
        except Exception:
            undrawn.append(i + 1)
    return undrawn


def test_every_page_renders_its_charts_offline(browser, server, site):
    problems = []
    pages = site_pages(site)
    assert "book/index.html" in pages and "book/data.html" in pages
    for rel in pages:
        page, errors, outside = visit(browser, f"{server}/{rel}")
        problems += [f"{rel}: chart {i}: its drawing did not load" for i in show_every_chart(page)]
        problems += [f"{rel}: chart {i} was not drawn live" for i in draw_every_chart(page)]
        problems += [f"{rel}: console error: {e}" for e in errors]
        problems += [f"{rel}: request left 127.0.0.1: {u}" for u in outside]
        page.close()
    assert problems == []


def test_charts_render_from_file_urls(browser, site):
    """A reader opening _build/html/index.html from disk, network off."""
    for rel in ("index.html", "book/data.html"):
        page, errors, outside = visit(browser, (site / rel).as_uri())
        assert page.locator(".book-chart").count() >= 1 and show_every_chart(page) == [] and draw_every_chart(page) == [], rel
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
    assert article.locator(".book-chart-static img").first.evaluate(PICTURE_LOADED)  # the lead chart, without a script
    body = article.inner_text()
    stamp = re.search(r"Data through (\w+ \d{4}) · built (.+?) · next customs release \((\w+ \d{4}) figures\) expected "
                      r"around (\d{1,2} \w+ \d{4})", body)
    assert stamp, body[:600]
    assert stamp.group(2) == built_date(dict(os.environ)) and "{{" not in body
    headings = article.locator("h2").all_inner_texts()
    assert [h.rstrip("#") for h in headings] == ["The three questions, answered in brief", "Key numbers",
                                                 "The cost in tonnes", "What changed in the newest months", "The book"]
    rows = article.locator("section#key-numbers table tbody tr")
    assert rows.count() >= 8 and all(len(r) == 3 for r in (rows.nth(i).locator("td").all_inner_texts()
                                                          for i in range(rows.count())))
    assert errors == []


# --- charts drawn at build time; drawn live when a reader points at them; printed -----------------

LAZY_PAGE = "book/destinations.html"  # the page with the most charts: the last one far below the first screen
STATES = "[...document.querySelectorAll('.book-chart-view')].map(v => v.dataset.chart)"
LIBRARY_LOADS = f"performance.getEntriesByType('resource').filter(e => e.name.includes('{BUNDLE_NAME}')).length"
# What a screen reader needs of a chart, and the heights of its box and of the view drawn live
CHART_TEXT = """c => {
  const figure = c.closest('.book-figure'), link = figure.querySelector('a.book-download');
  const description = document.getElementById(c.getAttribute('aria-describedby'));
  return {role: c.getAttribute('role'), label: c.getAttribute('aria-label'),
          description: description ? description.textContent : '',
          rows: figure.querySelectorAll('details.book-figure-table tbody tr').length,
          download: link ? link.getAttribute('href') : null, svg: c.querySelectorAll('svg').length,
          top: c.getBoundingClientRect().top, box: c.getBoundingClientRect().height,
          height: c.querySelector('.book-chart-view').getBoundingClientRect().height};
}"""


def test_a_chart_is_drawn_live_when_pointed_at_and_the_library_loads_only_then(browser, server):
    page, errors, _ = visit(browser, f"{server}/{LAZY_PAGE}", 390)
    assert set(page.evaluate(STATES)) == {"waiting"} and page.evaluate(LIBRARY_LOADS) == 0
    charts = page.locator(".book-chart")
    last = charts.last
    assert last.evaluate(CHART_TEXT)["top"] > 3 * 900  # more than three screens below: far from any margin
    last.scroll_into_view_if_needed()
    assert last.locator(".book-chart-static img").evaluate(PICTURE_LOADED)
    before = last.evaluate(CHART_TEXT)
    assert before["svg"] == 0 and page.evaluate(LIBRARY_LOADS) == 0  # scrolling to a chart shows its drawing only
    assert before["role"] == "img" and before["label"].strip()
    assert re.search(r"\d", before["description"]) and before["rows"] >= 2 and before["download"].endswith(".csv")
    assert before["height"] >= 50 and abs(before["box"] - before["height"]) <= 1  # the drawing holds the chart's height
    last.hover()
    last.locator(".book-chart-view svg.marks").wait_for(state="attached", timeout=10_000)
    after = last.evaluate(CHART_TEXT)
    assert page.evaluate(STATES)[-1] == "drawn" and set(page.evaluate(STATES)[:-1]) == {"waiting"}
    assert page.evaluate(LIBRARY_LOADS) == 1
    assert abs(after["box"] - before["box"]) <= RESERVE_TOLERANCE and after["svg"] >= 1
    assert last.locator(".book-chart-static").is_hidden()  # the live chart in its place
    charts.first.hover()
    charts.first.locator(".book-chart-view svg.marks").wait_for(state="attached", timeout=10_000)
    assert page.evaluate(LIBRARY_LOADS) == 1  # once per page
    page.close()
    assert errors == []


def test_a_chart_with_controls_is_drawn_live_with_them_as_it_nears_the_screen(browser, server):
    page, errors, _ = visit(browser, f"{server}/book/timeline.html", 1280)
    controls = page.locator(".book-chart-controls")
    assert controls.count() >= 1
    controls.first.scroll_into_view_if_needed()
    page.wait_for_function(f"{STATES}.every(s => s === 'drawn')")  # not pointed at
    assert controls.first.locator("input, select").count() >= 1
    page.close()
    assert errors == []


def test_a_drawing_is_shown_as_the_live_chart_in_dark_mode(browser, server):
    """The theme dims, pads and backs every image in dark mode; not a chart's drawing, which must
    keep the live chart's height and colours."""
    page, errors, _ = visit(browser, f"{server}/book/collapse.html", 1280)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    style = page.locator(".book-chart-static img").first.evaluate("""img => {
      const s = getComputedStyle(img), view = img.closest('.book-chart').querySelector('.book-chart-view');
      return {filter: s.filter, padding: s.padding, background: s.backgroundColor,
              height: img.getBoundingClientRect().height, reserved: parseFloat(view.style.minHeight)};
    }""")
    assert style["filter"] == "none" and style["padding"] == "0px" and style["background"] == "rgba(0, 0, 0, 0)", style
    assert abs(style["height"] - style["reserved"]) <= 1, style
    page.close()
    assert errors == []


def test_a_page_printed_right_after_loading_prints_every_chart(browser, server):
    """Printed to PDF before any chart is scrolled to or drawn live, the page weighs what it weighs
    once every chart's drawing has been scrolled to and loaded, not what it weighs without them."""
    page, errors, _ = visit(browser, f"{server}/{LAZY_PAGE}", 1280)
    printed = len(page.pdf())
    page.close()
    page, _, _ = visit(browser, f"{server}/{LAZY_PAGE}", 1280)
    assert show_every_chart(page) == []
    scrolled = len(page.pdf())
    page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/_images/charts/*", lambda route: route.abort())
    page.goto(f"{server}/{LAZY_PAGE}", wait_until="load")
    without = len(page.pdf())
    page.close()
    assert scrolled > 1.2 * without  # the charts are a fifth of the document at least
    assert abs(printed - scrolled) < 0.02 * scrolled, (printed, scrolled, without)
    assert errors == []


# --- as a reader sees it: both widths, every page ------------------------------------------------

WIDTHS = (1280, 390)
SERIOUS = ("serious", "critical")

# Everything the checks need from a page, measured in the browser once the charts have drawn.
MEASURE = """() => {
  const clip = ['hidden', 'auto', 'scroll', 'clip'];
  const charts = [...document.querySelectorAll('.book-chart')].map(c => {
    const svg = c.querySelector('svg');
    const r = svg ? svg.getBoundingClientRect() : null;
    const boxes = [];
    for (let a = c.parentElement; r && a && a !== document.documentElement; a = a.parentElement) {
      const ar = a.getBoundingClientRect();
      if (clip.includes(getComputedStyle(a).overflowX) && (r.right > ar.right + 0.5 || r.left < ar.left - 0.5))
        boxes.push(a.tagName.toLowerCase() + '.' + a.className);
    }
    let drawn = null;
    if (svg) {
      const b = svg.getBBox();
      drawn = {left: b.x, right: b.x + b.width, width: svg.width.baseVal.value, height: r.height};
    }
    const view = c.querySelector('.book-chart-view');
    const describedBy = c.getAttribute('aria-describedby');
    const description = describedBy && document.getElementById(describedBy);
    const figure = c.closest('.book-figure');
    return {figure: figure ? figure.id : null, role: c.getAttribute('role'), label: c.getAttribute('aria-label') || '',
            description: description ? description.textContent : '', rendered: !!svg,
            left: r ? r.left : null, right: r ? r.right : null, clippedBy: boxes, drawn,
            reserved: view ? parseFloat(view.style.minHeight) || 0 : 0};
  });
  const rows = table => table ? [...table.querySelectorAll('tr')].map(tr => [...tr.children].map(td => td.textContent)) : [];
  const figures = [...document.querySelectorAll('.book-figure')].map(f => {
    const link = f.querySelector('a.book-download');
    return {id: f.id, download: link ? link.getAttribute('href') : null,
            table: rows(f.querySelector('details.book-figure-table table'))};
  });
  const tables = [...document.querySelectorAll('.book-table-box')].filter(b => !b.closest('.book-figure')).map(b => {
    const links = b.parentElement.querySelectorAll(':scope > .book-table-links a.book-download');
    const label = b.getAttribute('aria-label');
    return {label, download: links.length ? links[0].getAttribute('href') : null,
            // a table's rows, or the items of a list that stands for a table (each marked as a row)
            rows: b.querySelectorAll('table > tbody > tr, .book-record-item').length};
  });
  const boldNumbers = [...document.querySelectorAll('article span.pasted-text')].filter(g =>
    Number(getComputedStyle(g).fontWeight) > Number(getComputedStyle(g.parentElement).fontWeight)).length;
  return {viewport: document.documentElement.clientWidth, pageWidth: document.documentElement.scrollWidth,
          charts, figures, tables, boldNumbers};
}"""


# Each chart's drawing made at build time, as shown before it is drawn live.
PICTURES = """() => [...document.querySelectorAll('.book-chart')].map(c => {
  const img = c.querySelector('.book-chart-static img'), source = c.querySelector('.book-chart-static source');
  const r = img ? img.getBoundingClientRect() : null, view = c.querySelector('.book-chart-view');
  return {label: c.getAttribute('aria-label') || '', loaded: !!img && img.complete && img.naturalWidth > 0,
          narrow: !!img && !!source && img.currentSrc === new URL(source.getAttribute('srcset'), document.baseURI).href,
          left: r ? r.left : null, right: r ? r.right : null, height: r ? r.height : 0,
          box: c.getBoundingClientRect().height, reserved: view ? parseFloat(view.style.minHeight) || 0 : 0,
          live: !!view && view.dataset.chart === 'drawn'};
})"""


@pytest.fixture(scope="module")
def readers_view(browser, server, site):
    """Every page at both widths: the measurements above, axe-core's violations, a screenshot."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    SCREENSHOTS.mkdir(exist_ok=True)
    seen = {}
    for width in WIDTHS:
        for rel in site_pages(site):
            page, errors, _ = visit(browser, f"{server}/{rel}", width)
            show_every_chart(page)  # one whose drawing did not load is reported by the checks below
            pictures = page.evaluate(PICTURES)
            # what a reader sees before pointing at a chart
            page.screenshot(path=str(SCREENSHOTS / f"{rel.replace('/', '_').removesuffix('.html')}-{width}.png"), full_page=True)
            draw_every_chart(page)  # one not drawn is reported by the checks below
            page.wait_for_timeout(200)  # a resize re-layout settles
            measured = page.evaluate(MEASURE)
            measured["pictures"] = pictures
            measured["violations"] = [v for v in axe.run(page).response["violations"] if v["impact"] in SERIOUS]
            measured["errors"] = errors
            page.close()
            seen[(rel, width)] = measured
    return seen


def every_chart(readers_view: dict, measured: str = "charts"):
    """(where, width, the page's measures, the chart's) for every chart of every page at both
    widths, from the page's `measured` list ("charts": drawn live, "pictures": drawn in advance)."""
    for (rel, width), m in readers_view.items():
        for i, c in enumerate(m[measured], start=1):
            yield f"{rel} at {width} px, chart {i} ({c['label']})", width, m, c


def past_the_viewport(where: str, c: dict, viewport: float) -> list[str]:
    """A chart (or its drawing) that reaches past either edge of the viewport."""
    if c["right"] > viewport + 0.5 or c["left"] < -0.5:
        return [f"{where}: spans {c['left']:.0f} to {c['right']:.0f} px, the viewport is {viewport} px"]
    return []


def test_every_chart_shows_its_drawing_before_it_is_drawn_live(readers_view):
    """Before any script draws it: the drawing made at build time, the phone's on a phone, inside
    the viewport, at the height the live chart will take (a small multiple's box may be taller:
    as tall as the tallest panel of its row). A chart with controls, already drawn live as it came
    near the screen, only needs its drawing loaded (for a reader without scripts)."""
    problems, checked = [], 0
    for where, width, m, c in every_chart(readers_view, "pictures"):
        checked += 1
        if not c["loaded"]:
            problems.append(f"{where}: its drawing did not load")
            continue
        if c["live"]:
            continue
        if c["narrow"] != (width < 500):
            problems.append(f"{where}: shows the drawing for a {'wide' if width < 500 else 'narrow'} screen")
        problems += past_the_viewport(where, c, m["viewport"])
        if abs(c["height"] - c["reserved"]) > 1 or c["box"] < c["reserved"] - 1:
            problems.append(f"{where}: drawing {c['height']:.0f} px high in a box {c['box']:.0f} px high, "
                            f"the live chart takes {c['reserved']:.0f} px")
    assert problems == []
    assert checked >= 2 * 30, f"only {checked} charts checked"


def test_every_chart_fits_its_column_at_both_widths(readers_view):
    """No chart passes the viewport, sits in a box that clips or scrolls it, or draws outside its SVG."""
    problems = [f"{rel} at {width} px: the page scrolls sideways ({m['pageWidth']} px wide)"
                for (rel, width), m in readers_view.items() if m["pageWidth"] > m["viewport"]]
    checked = 0
    for where, _, m, c in every_chart(readers_view):
        checked += 1
        if not c["rendered"]:
            problems.append(f"{where}: not drawn")
            continue
        problems += past_the_viewport(where, c, m["viewport"])
        problems += [f"{where}: clipped or scrolled by {box}" for box in c["clippedBy"]]
        d = c["drawn"]
        if d["left"] < -1 or d["right"] > d["width"] + 1:
            problems.append(f"{where}: marks drawn from {d['left']:.0f} to {d['right']:.0f} px in an SVG {d['width']:.0f} px wide")
    assert problems == []
    assert checked >= 2 * 30, f"only {checked} charts checked"


# vl-convert, which draws a chart at build time, and the browser measure text apart:
# where an axis has labels to spare, one may hide a label the other shows (flow's yttrium panel: 5 px).
RESERVE_TOLERANCE = 8  # px


def test_every_chart_is_drawn_at_the_height_reserved_for_it(readers_view):
    """Drawing a chart live (when pointed at) moves nothing: its box had the chart's height."""
    problems, checked = [], 0
    for where, _, _, c in every_chart(readers_view):
        if not c["rendered"]:
            continue  # reported as not drawn
        checked += 1
        if abs(c["drawn"]["height"] - c["reserved"]) > RESERVE_TOLERANCE:
            problems.append(f"{where}: drawn {c['drawn']['height']:.0f} px high in a box that reserved {c['reserved']:.0f} px")
    assert problems == []
    assert checked >= 2 * 30, f"only {checked} charts checked"


def test_every_chart_is_a_described_figure_with_a_table_and_a_download(readers_view):
    problems = []
    for (rel, width), m in readers_view.items():
        if width != WIDTHS[0]:
            continue  # the same markup at every width
        for i, c in enumerate(m["charts"], start=1):
            where = f"{rel}, chart {i}"
            if c["figure"] is None:
                problems.append(f"{where}: not in a figure (no caption, description, table view or download)")
            if c["role"] != "img" or not c["label"].strip():
                problems.append(f"{where}: not an image with a label for screen readers")
            if not re.search(r"\d", c["description"]) and "no month has a figure" not in c["description"].lower():
                problems.append(f"{where}: the description gives no figure: {c['description']!r}")
        for f in m["figures"]:
            if not f["download"]:
                problems.append(f"{rel}, {f['id']}: no download link")
            if len(f["table"]) < 2:
                problems.append(f"{rel}, {f['id']}: no table view")
    assert problems == []


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("+", "").replace("%", "").replace("−", "-").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _same_cell(shown: str, written: str) -> bool:
    """A table cell shows a CSV cell: the same text, a dash for an empty cell, or the number rounded
    to the decimals shown."""
    if shown == written or (shown == "—" and written == ""):
        return True
    a, b = _number(shown), _number(written)
    if a is None or b is None:
        return False
    decimals = len(shown.split(".")[1].rstrip("%")) if "." in shown else 0
    return abs(a - b) <= 0.5 * 10 ** -decimals + 1e-9


def read_download(site: Path, page: str, href: str) -> list[list[str]] | None:
    target = (site / page).parent / unquote(href)
    if not target.resolve().is_file():
        return None
    return list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))


def test_every_download_holds_the_rows_shown(readers_view, site):
    """A figure's CSV is its table view (plus the rows' source ids); a table's CSV has its rows."""
    problems, files = [], 0
    for (rel, width), m in readers_view.items():
        if width != WIDTHS[0]:
            continue
        for f in m["figures"]:
            written = read_download(site, rel, f["download"] or "")
            where = f"{rel}, {f['id']}"
            if written is None:
                problems.append(f"{where}: the download {f['download']} does not exist")
                continue
            files += 1
            header, rows = written[0], written[1:]
            keep = [k for k, name in enumerate(header) if name != "source_ids"]
            shown_header, shown = f["table"][0], f["table"][1:]
            if [header[k] for k in keep] != shown_header:
                problems.append(f"{where}: CSV columns {header} against the table's {shown_header}")
            elif len(rows) != len(shown):
                problems.append(f"{where}: {len(rows)} CSV rows against {len(shown)} in the table")
            else:
                problems += [f"{where}, row {r + 1}, {shown_header[j]}: table {cell!r}, CSV {row[k]!r}"
                             for r, (row, cells) in enumerate(zip(rows, shown))
                             for j, (k, cell) in enumerate(zip(keep, cells)) if not _same_cell(cell, row[k])][:5]
        for t in m["tables"]:
            written = read_download(site, rel, t["download"] or "")
            if written is None:
                problems.append(f"{rel}, table {t['label']!r}: no download, or its file does not exist")
            elif len(written) - 1 != t["rows"]:
                problems.append(f"{rel}, table {t['label']!r}: {len(written) - 1} CSV rows against {t['rows']} shown")
            else:
                files += 1
    assert problems == []
    assert files >= 40


def test_axe_finds_no_serious_or_critical_violation(readers_view):
    problems = [f"{rel} at {width} px: {v['impact']} {v['id']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']}): {v['help']}"
                for (rel, width), m in readers_view.items() for v in m["violations"]]
    assert problems == []


def test_glued_numbers_read_like_the_text_around_them(readers_view):
    assert {rel: m["boldNumbers"] for (rel, _), m in readers_view.items() if m["boldNumbers"]} == {}


def test_every_page_has_a_link_preview_with_the_lead_chart_and_the_licence_note(site):
    card = site / "_static" / "share-card.png"
    head = card.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") >= 1100  # as wide as a link preview
    for html_file in (site / "book").rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert '<meta property="og:image" content="_static/share-card.png"' in text, html_file
        assert '<meta property="og:title"' in text and "CC BY 4.0" in text, html_file


def test_screenshots_of_every_page_at_both_widths(readers_view):
    """For a human to look at: every chart whole, every label readable."""
    for rel, width in readers_view:
        shot = SCREENSHOTS / f"{rel.replace('/', '_').removesuffix('.html')}-{width}.png"
        assert shot.stat().st_size > 10_000, shot
