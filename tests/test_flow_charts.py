"""The chapter's charts show missing months as well as reported and derived ones; the page's charts
name what they draw."""

import pandas as pd

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

def test_the_index_chart_labels_each_series_with_its_unit_and_says_where_it_goes(tmp_path):
    data = flow_data(tmp_path)
    figure = fc.indexes_chart(measures.measure(data, SCOPE), data)
    spec = figure.charts[0].to_dict()
    assert figure.title == "Finished magnets and raw inputs, indexed: All destinations"
    # the monthly figures' sources (the 2024 total is not drawn)
    assert figure.credit == "Source: China customs (GACC) via elements.example, monthly.example; full list below the chart."
    labels = {r["series"] for d in datasets(spec) for r in d if "series" in r}
    assert labels == {"Rare-earth permanent magnets (t)", "Dysprosium products (kg)", "Terbium products (kg)",
                      "Yttrium products (no figures)"}
    assert "to All destinations" in figure.description
    # the download: every series and month, its index, its level in its own unit and its sources
    rows = figure.data.set_index(["Series", "Month"])
    dy = rows.loc[("Dysprosium products (kg)", "2025-05")]
    assert (dy["Value"], dy["Unit"], dy["Figure"], dy["source_ids"]) == (100.0, "kg", "no baseline", "el-1")
    assert len(figure.data) == 4 * 24


def test_the_gap_chart_draws_one_pair_per_raw_input(tmp_path):
    data = flow_data(tmp_path)
    figure = fc.gaps_chart(measures.measure(data, SCOPE), data)
    spec = figure.charts[0].to_dict()
    pairs = {r["series"] for d in datasets(spec) for r in d if "series" in r}
    assert pairs == {"Magnets vs dysprosium products", "Magnets vs terbium products", "Magnets vs yttrium products"}
    # one policy event inside the window, the controls, numbered on the chart and listed under it
    assert [m.label for m in figure.markers] == ["4 April 2025: Controls on seven elements"]
    assert any(r.get("event") == "4 April 2025: Controls on seven elements" for d in datasets(spec) for r in d)


def test_the_share_chart_puts_the_destination_in_focus_first(tmp_path):
    data = flow_data(tmp_path)
    figure = fc.shares_chart(measures.measure(data, SCOPE), data)
    spec = figure.charts[0].to_dict()
    assert figure.title == "Where China's magnets went, 2025: share of the world figure by destination"
    shares = [r["share_pct"] for d in datasets(spec) for r in d if r.get("series") == "the United States" and "share_pct" in r]
    # 10 t of the world's 100, 100, 100, 50, 20, ... t; the strip repeats the months
    assert shares[:5] == [10.0, 10.0, 10.0, 20.0, 50.0]


def test_the_price_charts_name_products_and_cite_the_assessments(tmp_path):
    data = flow_data(tmp_path)
    flow = measures.measure(data, SCOPE)
    quotes, premiums = fc.quotes_chart(flow, data), fc.premiums_chart(flow, data)
    assert quotes.credit == premiums.credit == fc.PRICE_SOURCE
    # one small chart per product, each product's quotes in its own chart
    assert quotes.panels == ["Yttrium oxide", "Neodymium oxide", "Dysprosium oxide"]
    assert [{r["product_name"] for d in datasets(c.to_dict()) for r in d} for c in quotes.charts] == [
        {"Yttrium oxide"}, {"Neodymium oxide"}, {"Dysprosium oxide"}]
    # dysprosium oxide has no quote inside China, so no premium
    assert {r["product_name"] for d in datasets(premiums.charts[0].to_dict()) for r in d if "product_name" in r} == {
        "Yttrium oxide", "Neodymium oxide"}
    assert list(premiums.data["Unit"]) == ["ratio", "ratio"]
