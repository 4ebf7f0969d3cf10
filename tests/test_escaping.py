"""Hostile text from the data files is shown as text wherever it appears: sources tables, HTML
tables, figure captions, descriptions, event lists, table views and tooltips; links are only
http(s)."""

import json
import re
from html.parser import HTMLParser

import altair as alt
import pandas as pd
import pytest

from rare_earth_exports.present import downloads
from rare_earth_exports.present.events import Marker
from rare_earth_exports.present.figure import Figure, markup
from rare_earth_exports.present.tables import html_table, sources_table
from rare_earth_exports.chapters.timeline.events import actors_of
from rare_earth_exports.chapters.timeline.tables import timeline_table

PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img';alert('img')\">",
    "\"><svg onload=\"window.__pwned='svg'\">",
    "</script><script>window.__pwned='break-out'</script>",
    "' onmouseover='window.__pwned=1' x='",
    "&lt;b&gt; &amp; entities stay literal",
]
BAD_URLS = ["javascript:window.__pwned='link'", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x", "ftp://host/x"]


class Tags(HTMLParser):
    """Every start tag with its attributes, the text by element, and script bodies."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.scripts, self._in_script = [], [], [], False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.texts).append(data)


def hostile_sources() -> pd.DataFrame:
    rows = [{"source_id": f"s{i}", "publisher": p, "title": p, "url": "https://example.org/a?q=" + p,
             "published": p, "reliability": p} for i, p in enumerate(PAYLOADS)]
    rows += [{"source_id": f"u{i}", "publisher": "site", "title": f"bad link {i}", "url": u, "published": "",
              "reliability": "relay"} for i, u in enumerate(BAD_URLS)]
    return pd.DataFrame(rows)


def test_sources_table_escapes_every_field_and_links_only_http():
    sources = hostile_sources()
    parsed = Tags(sources_table(sources["source_id"], sources))
    assert {tag for tag, _ in parsed.tags} <= {"table", "thead", "tbody", "tr", "th", "td", "a"}
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert len(links) == len(PAYLOADS), "one link per http(s) source, none for the others"
    for attrs in links:
        assert set(attrs) == {"href", "rel"}
        assert re.match(r"https?://", attrs["href"])
    assert sorted(a["href"] for a in links) == sorted("https://example.org/a?q=" + p for p in PAYLOADS)
    text = "".join(parsed.texts)
    for payload in PAYLOADS:
        assert text.count(payload) >= 3, "publisher, title and date are shown as written"
    for i in range(len(BAD_URLS)):
        assert f"bad link {i}" in text


def test_html_table_escapes_headers_and_cells():
    df = pd.DataFrame({p: [p, float("nan")] for p in PAYLOADS})
    parsed = Tags(html_table(df))
    assert {tag for tag, attrs in parsed.tags} <= {"table", "thead", "tbody", "tr", "th", "td"}
    assert all(attrs == {} or attrs == {"class": "book-table"} for _, attrs in parsed.tags)
    cells = [t for t in parsed.texts]
    for payload in PAYLOADS:
        assert cells.count(payload) == 2, "once as a header, once as a cell"
    assert cells.count("—") == len(PAYLOADS)


def test_timeline_table_escapes_events_and_runs_only_its_filter():
    events = pd.DataFrame({"event_id": [f"e{i}" for i in range(len(PAYLOADS))], "date": "2025-04-04", "kind": "control",
                           "actor": PAYLOADS, "title": PAYLOADS, "affects": PAYLOADS, "source_ids": "s0"})
    sources = hostile_sources()
    sources.loc[0, "url"] = BAD_URLS[0]
    markup = timeline_table(events, sources)
    parsed = Tags(markup)
    assert {tag for tag, _ in parsed.tags} <= {"div", "label", "select", "option", "table", "thead", "tbody", "tr", "th", "td", "script"}
    assert [attrs for tag, attrs in parsed.tags if tag == "a"] == [], "no link for a javascript: address"
    assert sorted(a["data-actor"] for tag, a in parsed.tags if tag == "tr" and "data-actor" in a) == sorted(PAYLOADS)
    options = [a["value"] for tag, a in parsed.tags if tag == "option"]
    assert options == ["all", "control", "all", *actors_of(events)], "actors split at ';', each written as it is"
    (script,) = parsed.scripts
    assert all(p not in script for p in PAYLOADS), "the filter script holds no data"
    text = parsed.texts
    for payload in PAYLOADS:
        assert text.count(payload) >= 3, "actor, title and affects cells, shown as written"


def hostile_figure(payload: str) -> Figure:
    df = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-02-01"]), "value": [1.0, 2.0], "note": [payload, payload]})
    chart = alt.Chart(df).mark_point().encode(x="date:T", y="value:Q", tooltip=[alt.Tooltip("note:N", title=payload)])
    marker = Marker(1, "control", pd.Timestamp("2025-01-15"), 0, (("2025-01-15", payload),))
    return Figure(name="hostile", title=payload, charts=[chart], data=df[["note", "value"]], description=payload,
                  credit=payload, markers=[marker])


def embedded_spec(markup_text: str) -> dict:
    (script,) = Tags(markup_text).scripts
    m = re.fullmatch(r'vegaEmbed\("#(figure-hostile-1)", (.*), \{"actions": false, "renderer": "svg"\}\)'
                     r"\.catch\(function \(e\) \{ console.error\(e\); \}\);", script.strip(), re.S)
    assert m, script[:200]
    return json.loads(m.group(2))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_figure_markup_shows_text_as_text_and_keeps_data_inside_the_json_spec(payload):
    downloads.start("collapse")
    figure = hostile_figure(payload)
    text = markup(figure, "../_static/downloads/collapse/hostile.csv")
    parsed = Tags(text)
    assert {tag for tag, _ in parsed.tags} <= {"figure", "figcaption", "span", "div", "script", "ol", "li", "p", "a",
                                                "details", "summary", "table", "thead", "tbody", "tr", "th", "td"}
    chart = next(attrs for tag, attrs in parsed.tags if attrs.get("class") == "book-chart")
    assert chart["role"] == "img" and chart["aria-label"] == payload
    assert [a["href"] for tag, a in parsed.tags if tag == "a"] == ["../_static/downloads/collapse/hostile.csv", "timeline.html"]
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    shown = parsed.texts
    assert shown.count(payload) == 3 + 2, "title, credit and description; the table view's two cells"
    assert any(payload in t for t in shown), "the event's title, in the list under the chart"
    assert "</" not in parsed.scripts[0]
    assert embedded_spec(text) == figure.charts[0].properties(width="container").to_dict(), "the spec reaches Vega intact"


def test_chart_markup_survives_an_html_comment_opener():
    downloads.start("collapse")
    text = markup(hostile_figure("<!--<script>"), "x.csv")
    (script,) = Tags(text).scripts
    assert "<!--" not in script and "<script" not in script.lower()
