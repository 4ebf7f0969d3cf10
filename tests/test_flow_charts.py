"""The chapter's charts show missing months as well as reported and derived ones."""

import pandas as pd

from rare_earth_exports.chapters.flow import charts as fc


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
    df = fc.long_frame({"A": frame([100.0, None, 80.0], ["reported", "missing", "derived"])}, "index")
    spec = fc.series_chart(df, "index", "Index", "Series", "2025-01", "2025-03", reference=100).to_dict()
    rows = [r for d in datasets(spec) for r in d if "status" in r]
    strip = [r for r in rows if r.get("month") == "2025-02"]
    assert strip and all(r["status"] == "missing" for r in strip)
    # points are drawn only for reported and derived figures
    points = [d for d in datasets(spec) if len(d) == 2 and {r["status"] for r in d} == {"reported", "derived"}]
    assert points


def test_long_subtitles_become_lines_no_wider_than_asked():
    text = "Source: China customs (GACC) via " + ", ".join(f"site{i}.example" for i in range(12)) + "; full list below."
    out = fc.lines(text, 60)
    assert len(out) > 1 and all(len(line) <= 60 for line in out)
    assert " ".join(out) == text


def test_titled_takes_one_line_or_several():
    import altair as alt

    from rare_earth_exports.present import render, theme
    from rare_earth_exports.present import series as charts

    base = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    assert charts.titled(base, "T", "one line", "d").to_dict()["title"]["subtitle"] == ["one line"]
    assert charts.titled(base, "T", ["a", "b"], "d").to_dict()["title"]["subtitle"] == ["a", "b"]
