"""The collapse chapter's tables and charts on small hand-made series: what they show and cite."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from rare_earth_exports.chapters.collapse import charts, tables

from collapse_helpers import SPAN_ROWS, measured, monthly, small_world


class Cells(HTMLParser):
    """The rows of an HTML table as lists of cell texts, header first."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_data(self, data):
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def cells(html: str) -> list[list[str]]:
    parser = Cells()
    parser.feed(html)
    return parser.rows


def test_monthly_table_keeps_a_two_month_total_whole_and_says_why_a_change_is_missing(tmp_path):
    t = tables.monthly_table(measured(tmp_path, SPAN_ROWS, end="2026-03"))
    rows = cells(t.markup)
    assert t.name == "figures-as-published" and t.data["Period"].tolist()[-2:] == ["2026-01/2026-02", "2026-03"]
    assert set(t.data["Unit"]) == {"t"} and t.data["source_ids"].iloc[-2] == "src-WLD-2026-01/2026-02"
    assert rows[0] == ["Period", "Exports (t)", "Figure", "Month on month (%)", "Year on year (%)", "Index, 2024 = 100",
                       "Index, Q1 2025 = 100"]
    by_period = {r[0]: r for r in rows[1:]}
    assert by_period["May 2025"][:5] == ["May 2025", "5.0", "reported", "-90.0", "—"]
    assert by_period["June 2025"][3] == "not meaningful"          # on 5 t, under the 10 t floor
    assert by_period["January to February 2026"] == [
        "January to February 2026", "176.0", "reported", "not computable", "+10.0", "88.0", "97.8"]
    assert by_period["March 2026"][3:5] == ["not computable", "-10.0"]
    assert by_period["January 2025"][3] == "—"                     # December 2024 has no figure


def test_the_pattern_and_cost_tables(tmp_path):
    p = measured(tmp_path, small_world())
    assert cells(tables.pattern_table(p).markup)[1:] == [["January to December", "1,200", "100", "100.0"]]
    cost = cells(tables.cost_table(p).markup)
    assert cost[0] == ["Baseline", "Mean month (t)", "Seasonally adjusted (t)", "Regained", "Shortfall to then (t)",
                       "Shortfall to August 2025 (t)"]
    assert cost[1:] == [["2024", "100", "100", "July 2025", "165", "170"], ["Q1 2025", "90", "90", "July 2025", "125", "120"]]


def test_no_pattern_table_without_a_pattern(tmp_path):
    assert tables.pattern_table(measured(tmp_path, monthly("WLD", "2025-01", [100, 60, 110, 50]))) is None


EVENTS = pd.DataFrame({
    "event_id": ["c", "s", "t"], "kind": ["control", "statement", "truce"], "actor": ["CHN", "CHN", "USA;CHN"],
    "date": ["2025-04-04", "2025-04-04", "2025-05-12"], "title": ["Controls", "A statement", "Truce"],
    "affects": ["magnets;all", "magnets", "tariffs;USA"], "day": pd.to_datetime(["2025-04-04", "2025-04-04", "2025-05-12"])})
EVENTS["month"] = EVENTS["day"].dt.to_period("M")


def layers(spec: dict) -> list[dict]:
    """Every layer of a spec, however deeply nested."""
    out = []
    for layer in spec.get("layer", []):
        out += [layer, *layers(layer)]
    return out


def test_the_lead_chart_draws_a_two_month_total_as_one_bar_and_marks_the_events(tmp_path):
    p = measured(tmp_path, SPAN_ROWS, end="2026-03")
    fig = charts.lead_chart(p, EVENTS, share=True)
    assert (fig.name, fig.share) == ("monthly-exports", True)
    assert [m.kind for m in fig.markers] == ["control", "truce"]   # a statement is left to the timeline
    spec = fig.charts[0].to_dict()
    bars = [layer for layer in layers(spec) if layer.get("mark", {}).get("type") == "rule"
            and "x2" in layer.get("encoding", {})]
    data = spec["datasets"][bars[0]["data"]["name"]]
    assert [(r["period"], r["value"], r["total"]) for r in data] == [("2026-01/2026-02", 88.0, 176.0)]
    assert fig.data["Period"].tolist()[-2:] == ["2026-01/2026-02", "2026-03"]
    assert fig.data.iloc[-2][["Exports", "A month on average", "Published as"]].tolist() == [176.0, 88.0,
                                                                                             "one figure for 2 months"]
    assert fig.description.endswith("The newest figure: March 2026, 99.0 t.")
    assert fig.title == "China's exports of rare-earth permanent magnets: All destinations"


def test_the_cost_chart_shades_the_counterfactual_between_the_baselines(tmp_path):
    p = measured(tmp_path, small_world())
    fig = charts.cost_chart(p)
    assert fig.data["Period"].tolist() == [f"2025-{k:02d}" for k in range(4, 9)]
    assert set(fig.data["Counterfactual from 2024"]) == {100.0} and set(fig.data["Counterfactual from Q1 2025"]) == {90.0}
    band = [layer for layer in layers(fig.charts[0].to_dict()) if layer.get("mark", {}).get("type") == "rect"]
    assert len(band) == 1 and "counterfactual from 2024 and Q1 2025" in fig.description


def test_a_two_month_total_in_the_cost_chart_counts_both_months(tmp_path):
    fig = charts.cost_chart(measured(tmp_path, SPAN_ROWS, end="2026-03"))
    span = fig.data[fig.data["Period"] == "2026-01/2026-02"].iloc[0]
    assert span["Counterfactual from 2024"] == 200.0          # two average months of a flat 2024


def test_the_lead_chart_cites_every_figure_it_draws(tmp_path):
    p = measured(tmp_path, SPAN_ROWS, end="2026-03")
    assert "src-WLD-2026-01/2026-02" in charts.lead_source_ids(p) and "src-WLD-2024" not in charts.lead_source_ids(p)
