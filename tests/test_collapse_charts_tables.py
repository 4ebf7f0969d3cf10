"""The collapse chapter's tables and charts on small hand-made series: what they show and cite."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from rare_earth_exports.chapters.collapse import charts, tables

from collapse_helpers import measured, small_world


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


def test_monthly_table_lists_months_with_a_figure_and_an_index_per_usable_baseline(tmp_path):
    rows = cells(tables.monthly_table(measured(tmp_path, small_world())).markup)
    assert rows[0] == ["Month", "Exports (t)", "Figure", "Month on month (%)", "Year on year (%)",
                       "Index, 2024 = 100", "Index, January to March 2025 = 100"]
    assert [r[0] for r in rows[1:]] == ["Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025", "May 2025", "Jun 2025",
                                        "Jul 2025", "Aug 2025"]  # 2024 has only its total
    assert rows[5] == ["May 2025", "20.0", "reported", "-60.0", "—", "20.0", "22.2"]
    assert rows[1][3] == "—"  # December 2024 has no figure: no change into January


def test_monthly_table_of_a_destination_adds_its_share_and_no_unusable_index(tmp_path):
    rows = cells(tables.monthly_table(measured(tmp_path, small_world(), partner="DEU")).markup)
    # Germany has no figure in either baseline window: no index column
    assert rows[0] == ["Month", "Exports (t)", "Figure", "Month on month (%)", "Year on year (%)",
                       "Share of China's total (%)"]
    assert rows[1:] == [["Apr 2025", "5.0", "reported", "—", "—", "10.0"],
                        ["Jun 2025", "12.0", "reported", "—", "—", "20.0"],
                        ["Aug 2025", "19.0", "reported", "—", "—", "20.0"]]


def test_destinations_table_says_when_the_trough_is_not_pinned(tmp_path):
    rows = cells(tables.destinations_table(measured(tmp_path, small_world())).markup)
    assert rows[0] == ["Destination", "Months with a figure", "Lowest after the controls (t)", "Trough pinned",
                       "Newest (t)", "Share before (%)", "Share after (%)"]
    assert rows[1] == ["Germany", "3", "5.0 in Apr 2025", "no", "19.0 in Aug 2025", "—", "17.6"]  # 36 / 205
    assert rows[2] == ["United States", "8", "2.0 in May 2025", "yes", "19.0 in Aug 2025", "10.0", "16.1"]


def test_destinations_table_is_empty_on_a_destination_page(tmp_path):
    assert cells(tables.destinations_table(measured(tmp_path, small_world(), partner="USA")).markup)[1:] == []


def test_monthly_chart_cites_its_months_and_the_total_behind_its_baseline(tmp_path):
    p = measured(tmp_path, small_world())
    assert charts.monthly_source_ids(p) == sorted(["src-WLD-2024", *(f"src-WLD-2025-{k:02d}" for k in range(1, 9))])
    p = measured(tmp_path, small_world(), partner="DEU")  # no usable baseline: its months only
    assert charts.monthly_source_ids(p) == ["src-DEU-2025-04", "src-DEU-2025-06", "src-DEU-2025-08"]


CONTROLS = pd.DataFrame({"event_id": ["e1"], "kind": ["control"], "actor": ["CHN"], "month": [pd.Period("2025-04", "M")],
                         "affects": ["magnets;all"], "day": [pd.Timestamp("2025-04-04")], "title": ["Controls"],
                         "date": ["2025-04-04"]})


def layers(spec: dict) -> list[dict]:
    """Every single view of a layered spec, however deep."""
    return [v for layer in spec.get("layer", []) for v in (layers(layer) if "layer" in layer else [layer])]


def test_monthly_chart_draws_a_rule_per_usable_baseline(tmp_path):
    figure = charts.monthly_chart(measured(tmp_path, small_world()), CONTROLS)
    spec = figure.charts[0].to_dict()
    rules = [v for v in layers(spec) if v.get("encoding", {}).get("strokeDash", {}).get("field") == "baseline"]
    assert len(rules) == 1
    assert spec["datasets"][rules[0]["data"]["name"]] == [{"baseline": "2024 mean", "value": 100.0},
                                                          {"baseline": "January to March 2025 mean", "value": 90.0}]
    assert figure.title == "China's exports of rare-earth permanent magnets: All destinations"
    spec = charts.monthly_chart(measured(tmp_path, small_world(), partner="DEU"), CONTROLS).charts[0].to_dict()
    assert not any(v.get("encoding", {}).get("strokeDash", {}).get("field") == "baseline" for v in layers(spec))


def test_monthly_chart_offers_every_month_and_each_baseline_with_its_sources(tmp_path):
    figure = charts.monthly_chart(measured(tmp_path, small_world()), CONTROLS)
    rows = figure.data
    months = rows[rows["Month"].str.len() == 7]
    assert list(months["Month"]) == [f"2024-{k:02d}" for k in range(1, 13)] + [f"2025-{k:02d}" for k in range(1, 9)]
    may = months.set_index("Month").loc["2025-05"]
    assert (may["Exports"], may["Unit"], may["Figure"], may["source_ids"]) == (20.0, "t", "reported", "src-WLD-2025-05")
    assert months.set_index("Month").loc["2024-03", "Figure"] == "missing"  # 2024 has only its total: gaps
    baselines = rows[rows["Figure"].str.startswith("baseline")].set_index("Month")
    assert baselines.loc["2024", "Exports"] == 100.0 and baselines.loc["2024", "source_ids"] == "src-WLD-2024"
    assert baselines.loc["2025-01/2025-03", "Exports"] == 90.0
    assert "The newest figure: August 2025, 95.0 t." in figure.description
    assert figure.share  # the world page's chart is the book's link-preview image
    assert [(m.number, m.kind) for m in figure.markers] == [(1, "control")]


def test_small_multiples_put_the_world_first_and_cite_every_panel(tmp_path):
    p = measured(tmp_path, small_world())
    figure = charts.destination_panels_chart(p, CONTROLS)
    assert figure.panels == ["All destinations", "Germany", "United States"]
    assert len(figure.charts) == 3
    assert charts.panel_source_ids(p) == sorted(
        [*(f"src-WLD-2025-{k:02d}" for k in range(1, 9)), *(f"src-USA-2025-{k:02d}" for k in range(1, 9)),
         "src-DEU-2025-04", "src-DEU-2025-06", "src-DEU-2025-08"])
    shares = {(r["Destination"], r["Month"]): r["Share of China's total (%)"] for _, r in figure.data.iterrows()}
    assert shares[("United States", "2025-08")] == pytest.approx(20) and pd.isna(shares[("Germany", "2025-05")])


def test_a_figure_of_two_months_together_is_drawn_as_one_span_at_its_monthly_average(tmp_path):
    # November and December 2024 published together, and no figure of their own
    p = measured(tmp_path, [*small_world(), ("2024-11/2024-12", "WLD", 210)], end="2025-08")
    figure = charts.monthly_chart(p, CONTROLS)
    spans = [v for v in layers(figure.charts[0].to_dict()) if v.get("encoding", {}).get("x2")]
    (span,) = spans
    drawn = figure.charts[0].to_dict()["datasets"][span["data"]["name"]]
    assert [(r["period"], r["total"], r["value"]) for r in drawn] == [("2024-11/2024-12", 210.0, 105.0)]
    row = figure.data.set_index("Month").loc["2024-11/2024-12"]
    assert (row["Exports"], row["Figure"], row["source_ids"]) == (210.0, "reported, months published together",
                                                                   "src-WLD-2024-11/2024-12")


def test_a_span_whose_months_have_figures_of_their_own_is_not_drawn(tmp_path):
    p = measured(tmp_path, [*small_world(), ("2025-01/2025-02", "WLD", 160)], end="2025-08")
    from rare_earth_exports.present.series import month_spans

    assert len(month_spans(p.rows, p.start, p.end)) == 0
