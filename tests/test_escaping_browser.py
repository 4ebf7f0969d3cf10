"""Hostile data in a real browser: a page made of our figures (a series chart with its event
markers and table view), sources table, HTML table and policy timeline (chart with filters, and
table), fed titles, actors, notes and links that try to run script. Nothing runs, the charts
still draw, tooltips and filters show the text as text, and every link is http(s)."""

import shutil
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from rare_earth_exports.present import downloads, render
from rare_earth_exports.present import series as charts
from rare_earth_exports.present.events import chart_markers
from rare_earth_exports.present.figure import Figure, markup
from rare_earth_exports.present.tables import html_table, sources_table
from rare_earth_exports.present.render import BUNDLE_NAME, write_vega_bundle
from rare_earth_exports.chapters.timeline.charts import events_chart
from rare_earth_exports.chapters.timeline.tables import timeline_table

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
PAYLOADS = [
    "<script>window.__pwned='script';alert('script')</script>",
    "<img src=x onerror=\"window.__pwned='img';alert('img')\">",
    "\"><svg onload=\"window.__pwned='svg'\">",
    "</script><script>window.__pwned='break-out'</script>",
]


def hostile_page(folder: Path) -> Path:
    write_vega_bundle(folder)
    render.enable()
    downloads.start("hostile")
    months = pd.period_range("2025-01", "2025-04", freq="M", name="month")
    series = pd.DataFrame({"value": [10.0, None, 12.0, 13.0], "status": ["reported", "missing", "derived", "reported"],
                           "source_ids": ["s0", "", "s1", "s2"]}, index=months)
    frame = charts.month_frame(series, note=PAYLOADS[1])
    events = pd.DataFrame({"event_id": ["e0", "e1"], "date": ["2025-03-15", "2025-04-02"], "kind": ["control", "truce"],
                           "actor": [PAYLOADS[1], "USA;CHN"], "affects": ["magnets;all", PAYLOADS[3]],
                           "title": [PAYLOADS[0], PAYLOADS[3]], "source_ids": ["s0", "s1"]})
    events["day"] = pd.to_datetime(events["date"])
    events["month"] = events["day"].dt.to_period("M")
    markers = chart_markers(events, "2025-01", "2025-04", ["magnets"], ["WLD"])
    chart = charts.series_chart(frame, "value", "Exports (t)", "2025-01", "2025-04", markers=markers,
                                tooltip=[alt.Tooltip("note:N", title=PAYLOADS[2])])
    figure = Figure(name="hostile", title=PAYLOADS[3], charts=[chart], credit=PAYLOADS[0], description=PAYLOADS[1],
                    data=frame[["month", "value", "status", "note"]], markers=markers)
    sources = pd.DataFrame([
        {"source_id": "s0", "publisher": PAYLOADS[1], "title": PAYLOADS[0], "url": "javascript:window.__pwned='link'",
         "published": PAYLOADS[2], "reliability": "relay"},
        {"source_id": "s1", "publisher": "example.org", "title": PAYLOADS[3], "url": "https://example.org/\"onmouseover=\"window.__pwned=1",
         "published": "2025-05-01", "reliability": "relay"},
        {"source_id": "s2", "publisher": "example.org", "title": "plain", "url": "data:text/html,<script>alert(1)</script>",
         "published": "", "reliability": "relay"},
    ])
    body = "\n".join([
        markup(figure, "hostile.csv"),
        sources_table(frame["source_ids"], sources),
        markup(events_chart(events, sources), "events.csv"),
        timeline_table(events, sources),
        html_table(pd.DataFrame({PAYLOADS[0]: [PAYLOADS[1], PAYLOADS[2]]})),
        '<p id="end">end of page</p>',
    ])
    page = folder / "page.html"
    page.write_text(f'<!doctype html><html><head><meta charset="utf-8"><script src="{BUNDLE_NAME}"></script></head>'
                    f"<body>\n{body}\n</body></html>", encoding="utf-8")
    return page


def test_hostile_data_runs_no_script_in_chromium(tmp_path):
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Chromium is not installed: apt-get install -y chromium (the CI script .ci/run does it)")
    from playwright.sync_api import sync_playwright

    page_file = hostile_page(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")), args=ARGS)
        try:
            page = browser.new_page()
            dialogs, errors = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_selector(".book-chart svg")  # the chart drew: the payload did not break the page
            for mark, shown in ((".mark-symbol.role-mark path", PAYLOADS[1]), (".mark-rule.role-mark line", PAYLOADS[0])):
                page.hover(f".book-chart svg {mark} >> nth=0", force=True)
                page.wait_for_function("text => document.getElementById('vg-tooltip-element')?.textContent.includes(text)", arg=shown)
                inside = page.eval_on_selector("#vg-tooltip-element", "t => [...t.querySelectorAll('*')].map(e => e.tagName)")
                assert set(inside) <= {"TABLE", "TBODY", "TR", "TD"}, "the tooltip shows the text as text"
            for select in page.query_selector_all("select"):  # Vega's bound filters and the table's own
                for value in select.eval_on_selector_all("option", "os => os.map(o => o.value)"):
                    select.select_option(value)
            state = page.evaluate("""() => ({
                pwned: window.__pwned,
                hrefs: [...document.querySelectorAll('[href]')].map(a => a.getAttribute('href')),
                onAttrs: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
                scripts: document.querySelectorAll('script').length,
                sourcesRows: document.querySelectorAll('table.book-sources tbody tr').length,
                charts: document.querySelectorAll('.book-chart svg').length,
                selects: document.querySelectorAll('select').length,
                end: document.getElementById('end') !== null,
                title: document.querySelector('.book-figure-title').textContent,
                markers: [...document.querySelectorAll('.book-events li')].map(li => li.textContent),
            })""")
        finally:
            browser.close()
    assert dialogs == [] and state["pwned"] is None and errors == []
    assert set(state["hrefs"]) == {'https://example.org/"onmouseover="window.__pwned=1', "hostile.csv", "events.csv",
                                   "timeline.html"}
    assert state["onAttrs"] == []
    assert state["scripts"] == 4, "the bundle, two charts' scripts and the timeline filter: nothing injected"
    assert state["charts"] == 2 and state["selects"] >= 4
    assert state["sourcesRows"] == 3 and state["end"]
    assert PAYLOADS[3] in state["title"], "the figure's title shows the text as text"
    assert len(state["markers"]) == 2 and PAYLOADS[0] in state["markers"][0], "the events under the chart, as text"
