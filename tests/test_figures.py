"""What every chart and table brings to the page (present/figure.py, tables.py, downloads.py)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import altair as alt
import pandas as pd
import pytest

from rare_earth_exports.present import downloads
from rare_earth_exports.present.events import Marker
from rare_earth_exports.present.figure import Figure, markup, newest
from rare_earth_exports.present.tables import sources, table
from rare_earth_exports.present.tables import markup as table_markup


class Elements(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def with_class(self, name: str) -> list[dict]:
        return [a for _, a in self.tags if name in (a.get("class") or "").split()]


def rows() -> pd.DataFrame:
    return pd.DataFrame({"Destination": ["A", "A", "B", "B"], "Month": ["2025-01", "2025-02", "2025-01", "2025-02"],
                         "Exports": [10.0, float("nan"), 2.5, 3.25], "Unit": "t", "source_ids": ["s1", "", "s2", "s3;s4"]})


def chart() -> alt.Chart:
    return alt.Chart(rows()).mark_point().encode(x="Month:N", y="Exports:Q")


def test_the_download_writes_numbers_in_full_gaps_empty_and_unix_line_ends():
    frame = pd.DataFrame({"a": [5952.0, 0.1 + 0.2, float("nan")], "b": [pd.Timestamp("2025-04-01"), None, None], "c": ["x", "y", ""]})
    assert downloads.csv_text(frame) == "a,b,c\n5952,2025-04-01,x\n0.3,,y\n,,\n"


def test_downloads_are_filed_under_the_page_and_linked_relative_to_it(monkeypatch):
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display: glued.setdefault(key, value))
    downloads.start("destinations/USA")
    assert downloads.offer("monthly-exports", rows()) == "../../_static/downloads/destinations/USA/monthly-exports.csv"
    record = json.loads(glued["book_download_monthly-exports"])
    assert record["file"] == "destinations/USA/monthly-exports.csv"
    assert record["csv"].splitlines()[0] == "Destination,Month,Exports,Unit,source_ids"
    assert downloads.site_href("timeline") == "../timeline.html"
    with pytest.raises(downloads.DownloadError, match="used twice on page 'destinations/USA'"):
        downloads.offer("monthly-exports", rows())
    with pytest.raises(downloads.DownloadError, match="lower-case words joined by hyphens"):
        downloads.offer("Monthly exports", rows())


def test_a_page_must_be_started_before_it_offers_files(monkeypatch):
    monkeypatch.setitem(downloads._state, "page", None)
    with pytest.raises(downloads.DownloadError, match="no page started"):
        downloads.offer("x", rows())


def test_the_newest_figure_skips_gaps_and_is_given_per_series():
    assert newest(rows(), "Exports", "t") == "The newest figure: February 2025, 3.2 t."
    assert newest(rows(), "Exports", "t", by="Destination") == (
        "The newest figures: A, January 2025, 10.0 t; B, February 2025, 3.2 t.")
    assert newest(rows().assign(Exports=float("nan")), "Exports", "t") == "No month has a figure: the chart is empty."


def figure(**changes) -> Figure:
    base = dict(name="exports", title="Exports", charts=[chart()], data=rows(), description="What it shows.",
                credit="Source: customs.", markers=[Marker(1, "control", pd.Timestamp("2025-04-04"), 0, (("2025-04-04", "Controls"),))])
    return Figure(**{**base, **changes})


def test_a_figure_is_a_described_image_with_its_events_download_and_table_view():
    downloads.start("collapse")
    page = Elements(markup(figure(), "../_static/downloads/collapse/exports.csv"))
    (box,) = page.with_class("book-chart")
    assert box["role"] == "img" and box["aria-label"] == "Exports" and box["aria-describedby"] == "figure-exports-description"
    (view,) = page.with_class("book-chart-view")
    assert view["aria-hidden"] == "true" and view["id"] == "figure-exports-1"
    assert [a["href"] for t, a in page.tags if t == "a"] == ["../_static/downloads/collapse/exports.csv", "timeline.html"]
    heads = [t for t, _ in page.tags]
    assert heads.count("tr") == 1 + 4 and heads.count("th") == 4, "the table view: every row, without the source ids"
    assert page.with_class("book-events") and not page.with_class("book-grid")


def test_the_timeline_links_only_from_charts_with_markers_and_not_from_itself():
    downloads.start("collapse")
    assert "timeline.html" not in markup(figure(markers=[]), "x.csv")
    downloads.start("timeline")
    assert 'href="timeline.html"' not in markup(figure(), "x.csv")


def test_small_multiples_are_a_grid_with_a_name_per_chart():
    downloads.start("collapse")
    page = Elements(markup(figure(charts=[chart(), chart()], panels=["A", "B"]), "x.csv"))
    assert [a["aria-label"] for a in page.with_class("book-chart")] == ["A", "B"]
    assert page.with_class("book-grid")
    with pytest.raises(ValueError, match="2 charts but 1 panel names"):
        markup(figure(charts=[chart(), chart()], panels=["A"]), "x.csv")


def test_every_chart_takes_its_columns_width():
    downloads.start("collapse")
    text = markup(figure(), "x.csv")
    spec = json.loads(text.split('vegaEmbed("#figure-exports-1", ')[1].split(', {"actions"')[0])
    assert spec["width"] == "container"


def test_a_table_comes_with_its_download_in_a_box_that_scrolls_by_keyboard_too():
    t = table("monthly", "Every month", rows().drop(columns="source_ids"), {"Exports": ",.1f"})
    page = Elements(table_markup(t, "monthly.csv"))
    (box,) = page.with_class("book-table-box")
    assert box == {"class": "book-table-box", "role": "region", "aria-label": "Every month", "tabindex": "0"}
    assert [a["href"] for tag, a in page.tags if tag == "a"] == ["monthly.csv"]
    assert not any(tag == "details" for tag, _ in page.tags)


def test_a_sources_table_offers_the_sources_rows_and_folds_under_its_label():
    frame = pd.DataFrame({"source_id": ["s1", "s2", "s3"], "publisher": ["b.org", "a.org", "c.org"], "title": "t",
                          "url": "https://x.org", "published": "", "reliability": "relay"})
    t = sources("chart-sources", ["s2;s1", "s1"], frame)
    assert list(t.data["source_id"]) == ["s2", "s1"]  # by publisher
    assert t.folded and table_markup(t, "x.csv").startswith('<details class="book-table-fold"><summary>Sources of the figures above')
    assert not sources("all", ["s1"], frame, folded=False).folded


def test_the_legends_small_multiples_share_are_one_key_under_the_grid():
    from rare_earth_exports.present import series

    key = series.key_chart(series.status_colour(), series.status_shape(),
                           alt.Color("market:N", title="Market", scale=alt.Scale(domain=["Inside China", "Europe"])))
    spec = key.to_dict()
    assert len(spec["layer"]) == 2, "status colour and shape make one legend, the market another"
    downloads.start("collapse")
    page = Elements(markup(figure(charts=[chart(), chart()], panels=["A", "B"], key=key), "x.csv"))
    assert [a["aria-label"] for a in page.with_class("book-chart")] == ["A", "B", "Key to the charts above"]
    tags = [(t, a.get("class")) for t, a in page.tags]
    assert tags.index(("div", "book-chart")) > tags.index(("div", "book-figure-charts book-grid"))
