"""The chapter's charts show missing months as well as reported and derived ones; the page's charts
name what they draw."""

import pandas as pd
import pytest

from rare_earth_exports.chapters.flow import charts as fc
from rare_earth_exports.chapters.flow import measures

from flow_helpers import SCOPE, flow_data


def frame(values, statuses):
    idx = pd.period_range("2025-01", periods=len(values), freq="M", name="month")
    return pd.DataFrame({"index": values, "status": statuses}, index=idx)


def datasets(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def test_long_frame_keeps_gaps_and_labels():
    df = fc.long_frame({"A": frame([100.0, None], ["reported", "missing"]), "B": frame([50.0, 60.0], ["derived", "reported"])}, "index")
    assert list(df["series"]) == ["A", "A", "B", "B"]
    assert df["index"].isna().sum() == 1
    assert list(df["month"]) == ["2025-01", "2025-02"] * 2
    assert df.iloc[0]["date_end"] == pd.Timestamp("2025-02-01")


def test_series_chart_strip_lists_every_month_with_its_status():
    from rare_earth_exports.present import series

    df = fc.long_frame({"A": frame([100.0, None, 80.0], ["reported", "missing", "derived"])}, "index")
    spec = series.series_chart(df, "index", "Index", "2025-01", "2025-03", series="series", reference=100, strip=True).to_dict()
    rows = [r for d in datasets(spec) for r in d if "status" in r]
    strip = [r for r in rows if r.get("month") == "2025-02"]
    assert strip and all(r["status"] == "missing" for r in strip)
    # points are drawn only for reported and derived figures
    points = [d for d in datasets(spec) if len(d) == 2 and {r["status"] for r in d} == {"reported", "derived"}]
    assert points


# --- the page's charts, on the small data package of flow_helpers -------------------------

def test_span_frame_draws_a_multi_month_figure_across_its_months():
    spans = pd.DataFrame({"period": ["2026-01/2026-02"], "first_month": pd.PeriodIndex(["2026-01"], freq="M"),
                          "last_month": pd.PeriodIndex(["2026-02"], freq="M"), "n_months": [2], "index": [111.0]})
    df = fc.span_frame({"Magnets": spans, "Terbium": spans.iloc[0:0]}, "index")
    assert df.to_dict("records") == [{"series": "Magnets", "period": "2026-01/2026-02", "index": 111.0, "months": 2,
                                      "date": pd.Timestamp("2026-01-01"), "date_end": pd.Timestamp("2026-03-01")}]
    assert fc.span_frame({}, "index").empty


def test_the_index_chart_names_each_series_base_in_its_legend(tmp_path):
    data = flow_data(tmp_path)
    figure = fc.indexes_chart(measures.measure(data, SCOPE), data)
    spec = figure.charts[0].to_dict()
    assert figure.title == "Finished magnets and raw inputs, each against its own base: all destinations"
    labels = {r["series"] for d in datasets(spec) for r in d if "series" in r}
    assert labels == {"Rare-earth permanent magnets (t; 2024 average = 100)", "Rare earths (t; 2024 average = 100)",
                      "Dysprosium products (kg; June 2024 = 100)", "Terbium products (kg; June 2024 = 100)",
                      "Yttrium products (no base)"}
    # January-February 2026 is one bar at its monthly average: 120 t on 100
    spans = [r for d in datasets(spec) for r in d if r.get("period") == "2026-01/2026-02"]
    assert spans and spans[0]["index"] == 120 and spans[0]["months"] == 2
    assert "each divided by its own base" in figure.description
    # the download has every month of every series, then the bar as one row with its sources
    bar = figure.data[figure.data["Month"] == "2026-01/2026-02"].iloc[0]
    assert (bar["Index"], bar["Figure"], bar["Unit"]) == (120.0, "one figure for 2 months", "t")
    assert bar["source_ids"]
    assert len(figure.data) == 5 * 27 + 1
    # the controls, numbered on the chart and listed under it
    assert [m.label for m in figure.markers][0] == "4 April 2025: Controls on seven elements"


def test_the_ratio_chart_draws_kilograms_per_tonne_and_shades_the_stretches(tmp_path):
    data = flow_data(tmp_path)
    figure = fc.ratios_chart(measures.measure(data, SCOPE), data)
    spec = figure.charts[0].to_dict()
    points = {(r["series"], r["month"]): r["ratio"] for d in datasets(spec) for r in d if r.get("ratio") is not None}
    assert points[("Dysprosium products", "2025-08")] == 11.25  # 900 kg on 80 t
    assert points[("Terbium products", "2025-11")] == pytest.approx(100 / 130)
    # the stretches are named on the chart, the spike short enough for a phone's width
    stretches = {r["stretch"] for d in datasets(spec) for r in d if "stretch" in r}
    assert stretches == {"under the controls", "after the truce", "dysprosium spike"}
    rows = figure.data.set_index(["Element", "Month"])
    assert rows.at[("Dysprosium products", "2025-08"), "kg per tonne of magnets"] == 11.25
    assert rows.at[("Dysprosium products", "2025-08"), "Value"] == 900


def test_the_share_chart_puts_the_destination_in_focus_first(tmp_path):
    data = flow_data(tmp_path)
    figure = fc.shares_chart(measures.measure(data, SCOPE), data)
    spec = figure.charts[0].to_dict()
    assert figure.title == "Where China's magnets went, 2025: share of the world figure by destination"
    shares = [r["share_pct"] for d in datasets(spec) for r in d if r.get("series") == "United States" and "share_pct" in r]
    # 10 t of the world's 100, 100, 100, 50, 20, ... t; the strip repeats the months
    assert shares[:5] == [10.0, 10.0, 10.0, 20.0, 50.0]
    assert list(figure.data["Destination"].drop_duplicates())[0] == "United States"


def test_the_focus_chart_draws_the_span_once_and_the_stretch_means(tmp_path):
    data = flow_data(tmp_path)
    figure = fc.focus_shares_chart(measures.measure(data, SCOPE), data)
    spec = figure.charts[0].to_dict()
    assert figure.title == "United States: its share of China's magnet exports"
    spans = [r for d in datasets(spec) for r in d if r.get("period") == "2026-01/2026-02"]
    assert spans and spans[0]["share_pct"] == pytest.approx(16 / 240 * 100)
    means = {r["stretch"]: r["share_pct"] for d in datasets(spec) for r in d if "stretch" in r}
    assert means == {"Q1 2025": 10.0, "under the controls": pytest.approx(70 / 440 * 100), "after the truce": pytest.approx(45 / 630 * 100)}
    # the download holds the months, the bar and the three means, each named
    figures = dict(zip(figure.data["Month"], figure.data["Figure"]))
    assert figures["2026-01/2026-02"] == "one figure for 2 months" and figures["2025-01/2025-03"] == "mean over Q1 2025"


def test_the_price_charts_name_products_and_cite_the_assessments(tmp_path):
    data = flow_data(tmp_path)
    flow = measures.measure(data, SCOPE)
    quotes, premiums = fc.quotes_chart(flow, data), fc.premiums_chart(flow, data)
    assert quotes.credit == premiums.credit == fc.PRICE_SOURCE
    # one small chart per product, each product's quotes in its own chart
    assert quotes.panels == ["Yttrium oxide", "Neodymium oxide", "Dysprosium oxide"]
    assert [{r["product_name"] for d in datasets(c.to_dict()) for r in d} for c in quotes.charts] == [
        {"Yttrium oxide"}, {"Neodymium oxide"}, {"Dysprosium oxide"}]
    # dysprosium oxide is never quoted in Europe and in China in the same month, so it has no premium
    drawn = {r["series"] for d in datasets(premiums.charts[0].to_dict()) for r in d if "series" in r}
    assert drawn == {"Yttrium oxide: Europe over inside China", "Neodymium oxide: Europe over inside China",
                     "Neodymium oxide: Europe over China's export price (FOB)"}
    assert list(premiums.data["Europe against"]) == ["inside China", "inside China", "China's export price (FOB)"]
