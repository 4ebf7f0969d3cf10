"""Finished against raw: indexes, the gap, annual totals and destinations on small series
whose results are worked out by hand in the comments."""

import math

import numpy as np
import pandas as pd
import pytest

from rare_earth_exports.chapters.flow import measures as dv
from rare_earth_exports.core.load import load_observations
from rare_earth_exports.present.page import Page

from flow_helpers import SCOPE, flow_data

COLUMNS = "period,reporter,partner,flow,product,unit,value,status,source_ids,note"


def observations(tmp_path, rows: list[str]) -> pd.DataFrame:
    (tmp_path / "observations.csv").write_text("\n".join([COLUMNS, *rows]) + "\n", encoding="utf-8")
    return load_observations(tmp_path)


def row(period, partner, product, unit, value, status="reported", source="s-1", note=""):
    return f"{period},CHN,{partner},export,{product},{unit},{value},{status},{source},{note}"


@pytest.fixture
def obs(tmp_path):
    # Magnets in tonnes: 2024 only as an annual total (1,200 t, so 100 t a month), then months.
    # Dysprosium in kilograms: one month of 2024 (2,000 kg), then months, one of them zero.
    return observations(tmp_path, [
        row("2024", "WLD", "magnets", "t", 1200),
        row("2025-01", "WLD", "magnets", "t", 150),
        row("2025-02", "WLD", "magnets", "t", 50, status="derived"),
        row("2025-03", "WLD", "magnets", "t", 300),
        row("2025-04", "WLD", "magnets", "t", 900),
        row("2024-06", "WLD", "dysprosium", "kg", 2000),
        row("2025-01", "WLD", "dysprosium", "kg", 500),
        row("2025-02", "WLD", "dysprosium", "kg", 0),
        row("2025-03", "WLD", "dysprosium", "kg", 20),
    ])


def test_index_puts_tonnes_and_kilograms_on_one_scale(obs):
    mag = dv.indexed_series(obs, "magnets", "WLD", "2024-01", "2024-12", "2024-01", "2025-04")
    dy = dv.indexed_series(obs, "dysprosium", "WLD", "2024-01", "2024-12", "2024-01", "2025-04")
    assert mag.unit == "t" and dy.unit == "kg"
    # 150 t / (1,200 t / 12) = 150; 500 kg / 2,000 kg = 25
    assert mag.frame.at[pd.Period("2025-01", "M"), "index"] == pytest.approx(150)
    assert dy.frame.at[pd.Period("2025-01", "M"), "index"] == pytest.approx(25)
    assert dy.frame.at[pd.Period("2025-02", "M"), "index"] == 0
    assert mag.baseline_kind == "complete" and mag.baseline.months_with_data == 12
    assert dy.baseline_kind == "partial" and dy.baseline.months_with_data == 1 and dy.baseline.periods == ("2024-06",)


def test_index_status_tells_missing_from_in_a_total_and_no_baseline(obs):
    mag = dv.indexed_series(obs, "magnets", "WLD", "2024-01", "2024-12", "2024-01", "2025-04")
    dy = dv.indexed_series(obs, "dysprosium", "WLD", "2023-01", "2023-12", "2024-01", "2025-04")
    assert mag.frame.at[pd.Period("2024-03", "M"), "status"] == "in a total"
    assert mag.frame.at[pd.Period("2025-02", "M"), "status"] == "derived"
    assert dy.baseline_kind == "none"
    assert dy.frame.at[pd.Period("2025-01", "M"), "status"] == "no baseline"
    assert dy.frame.at[pd.Period("2024-03", "M"), "status"] == "missing"
    assert dy.frame["index"].isna().all()


def test_divergence_is_the_log_ratio_with_status(obs):
    mag = dv.indexed_series(obs, "magnets", "WLD", "2024-01", "2024-12", "2025-01", "2025-04")
    dy = dv.indexed_series(obs, "dysprosium", "WLD", "2024-01", "2024-12", "2025-01", "2025-04")
    d = dv.divergence(mag, dy)
    # January: ln(150 / 25) = ln 6; March: magnets 300, dysprosium 20 / 2,000 * 100 = 1, ln 300
    assert d.at[pd.Period("2025-01", "M"), "log_ratio"] == pytest.approx(math.log(6))
    assert d.at[pd.Period("2025-03", "M"), "log_ratio"] == pytest.approx(math.log(300))
    assert list(d["status"]) == ["reported", "zero", "reported", "missing"]
    assert np.isnan(d.at[pd.Period("2025-02", "M"), "log_ratio"])


def test_divergence_status_is_derived_when_an_input_is(tmp_path):
    o = observations(tmp_path, [row("2024-01", "WLD", "magnets", "t", 10), row("2024-02", "WLD", "magnets", "t", 20, status="derived"),
                                row("2024-01", "WLD", "terbium", "kg", 5), row("2024-02", "WLD", "terbium", "kg", 5)])
    mag = dv.indexed_series(o, "magnets", "WLD", "2024-01", "2024-01", "2024-01", "2024-02")
    tb = dv.indexed_series(o, "terbium", "WLD", "2024-01", "2024-01", "2024-01", "2024-02")
    d = dv.divergence(mag, tb)
    assert list(d["status"]) == ["reported", "derived"]
    assert list(d["log_ratio"]) == pytest.approx([0.0, math.log(2)])


def test_phases_split_at_the_controls_and_the_truce():
    before, under, after = dv.phases("2024-01", "2025-04", "2025-11", "2025-12")
    assert (before.start, before.end) == ("2024-01", "2025-03")
    assert (under.start, under.end, under.period) == ("2025-04", "2025-10", "2025-04/2025-10")
    assert after.period == "2025-11/2025-12"


def test_phase_gap_uses_only_months_with_both_figures(obs):
    mag = dv.indexed_series(obs, "magnets", "WLD", "2024-01", "2024-12", "2025-01", "2025-04")
    dy = dv.indexed_series(obs, "dysprosium", "WLD", "2024-01", "2024-12", "2025-01", "2025-04")
    g = dv.phase_gap(mag, dy, dv.Phase("after", "2025-03", "2025-04"))
    # April has no dysprosium figure, so only March counts: 300 t against 20 kg
    assert g["months"] == 1 and g["common"] == "2025-03"
    assert g["finished_mean"] == 300 and g["raw_mean"] == 20
    assert g["value_log_ratio"] == pytest.approx(math.log(300 / 20))
    assert g["log_ratio"] == pytest.approx(math.log(300 / 1))


def test_gap_change_does_not_depend_on_the_baselines(obs):
    under, after = dv.Phase("under", "2025-01", "2025-01"), dv.Phase("after", "2025-03", "2025-03")
    changes = []
    for window in (("2024-01", "2024-12"), ("2025-01", "2025-01")):
        mag = dv.indexed_series(obs, "magnets", "WLD", *window, "2025-01", "2025-04")
        dy = dv.indexed_series(obs, "dysprosium", "WLD", *window, "2025-01", "2025-04")
        table = dv.gap_table(mag, [dy], (under, after))
        changes.append(dv.gap_change(table, "dysprosium", "under", "after"))
        # the level of the gap does depend on them: ln(150 / 25) with 2024, ln(100 / 100) with January
    # ln(300 / 20) - ln(150 / 500) = ln(15 / 0.3) = ln 50
    assert changes[0] == pytest.approx(math.log(50))
    assert changes[1] == pytest.approx(changes[0])


def test_gap_change_is_nan_without_a_figure_in_a_phase(obs):
    mag = dv.indexed_series(obs, "magnets", "WLD", "2024-01", "2024-12", "2025-01", "2025-04")
    dy = dv.indexed_series(obs, "dysprosium", "WLD", "2024-01", "2024-12", "2025-01", "2025-04")
    table = dv.gap_table(mag, [dy], (dv.Phase("under", "2025-01", "2025-01"), dv.Phase("after", "2025-04", "2025-04")))
    assert np.isnan(dv.gap_change(table, "dysprosium", "under", "after"))
    assert np.isnan(dv.gap_change(table, "terbium", "under", "after"))


def test_annual_comparison_only_where_both_years_are_covered(tmp_path):
    o = observations(tmp_path, [
        row("2024", "WLD", "magnets", "t", 1200),
        row("2025-01/2025-06", "WLD", "magnets", "t", 900),
        *[row(f"2025-{m:02d}", "WLD", "magnets", "t", 100) for m in range(7, 13)],
        row("2024-06", "WLD", "dysprosium", "kg", 2000),
        row("2025", "WLD", "dysprosium", "kg", 5000),
    ])
    a = dv.annual_comparison(o, ["magnets", "dysprosium", "yttrium"], "WLD", 2025, 2024).set_index("product")
    # 2025 = 900 + 6 x 100 = 1,500 t against 1,200 t: +25 %
    assert a.at["magnets", "current"] == pytest.approx(1500)
    assert a.at["magnets", "yoy_pct"] == pytest.approx(25)
    assert a.at["magnets", "current_baseline"].complete
    assert a.at["magnets", "current_baseline"].method.startswith("covered by 2025-01/2025-06")
    assert np.isnan(a.at["dysprosium", "prior"]) and np.isnan(a.at["dysprosium", "yoy_pct"])
    assert a.at["dysprosium", "prior_baseline"].months_with_data == 1
    assert a.at["dysprosium", "prior_baseline"].months_in_window == 12
    assert a.at["yttrium", "current_baseline"].months_with_data == 0


def test_annual_totals_and_period_total(tmp_path):
    o = observations(tmp_path, [row("2023", "WLD", "rare_earths", "t", 50), row("2024", "WLD", "rare_earths", "t", 70),
                                row("2025-01", "WLD", "rare_earths", "t", 5)])
    rows = o[o["product"] == "rare_earths"]
    totals = dv.annual_totals(rows, [2023, 2024, 2025])
    assert totals[2023] == 50 and totals[2024] == 70 and np.isnan(totals[2025])
    assert dv.period_total(rows, "2025-01")[0] == 5


def test_same_month_changes_need_both_months(tmp_path):
    o = observations(tmp_path, [row("2024-06", "WLD", "terbium", "kg", 8000), row("2025-06", "WLD", "terbium", "kg", 1000),
                                row("2025-07", "WLD", "terbium", "kg", 7000)])
    s = dv.same_month_changes(o, ["terbium", "magnets"], "WLD", "2025-01", "2025-12")
    assert len(s) == 1
    # 1,000 against 8,000: -87.5 %
    assert s.iloc[0]["month"] == "2025-06" and s.iloc[0]["yoy_pct"] == pytest.approx(-87.5)
    assert s.iloc[0]["year_before"] == 8000


def test_destination_table_sets_each_figure_against_the_world_of_the_same_period(tmp_path):
    o = observations(tmp_path, [
        row("2025-10", "WLD", "terbium", "kg", 12000), row("2025-10", "USA", "terbium", "kg", 6000),
        row("2025-10", "JPN", "terbium", "kg", 3000),
        row("2025-04/2025-11", "USA", "yttrium", "t", 17),
        row("2024-10", "JPN", "terbium", "kg", 1),  # before the window
    ])
    d = dv.destination_table(o, ["yttrium", "terbium"], "2025-04", "2025-12")
    assert list(zip(d["product"], d["partner"])) == [("yttrium", "USA"), ("terbium", "JPN"), ("terbium", "USA")]
    tb = d[(d["partner"] == "USA") & (d["product"] == "terbium")].iloc[0]
    assert tb["world"] == 12000 and tb["share_pct"] == pytest.approx(50)
    assert np.isnan(d.iloc[0]["world"]) and np.isnan(d.iloc[0]["share_pct"])
    assert dv.unreported(o, ["yttrium", "terbium", "dysprosium"], "USA", "2025-04", "2025-12") == ["dysprosium"]


def test_destination_shares_put_the_focus_first_and_mark_status(tmp_path):
    o = observations(tmp_path, [
        row("2025-01", "WLD", "magnets", "t", 1000), row("2025-02", "WLD", "magnets", "t", 500, status="derived"),
        row("2025-01", "DEU", "magnets", "t", 200), row("2025-02", "DEU", "magnets", "t", 100),
        row("2025-01", "USA", "magnets", "t", 100),
    ])
    s = dv.destination_shares(o, "magnets", "USA", "2025-01", "2025-02")
    assert list(s) == ["USA", "DEU"]
    assert list(s["DEU"]["share_pct"]) == pytest.approx([20, 20])
    assert list(s["DEU"]["status"]) == ["reported", "derived"]
    assert list(s["USA"]["status"]) == ["reported", "missing"]


def test_month_status_marks_months_inside_a_span(tmp_path):
    o = observations(tmp_path, [row("2025-04/2025-06", "USA", "yttrium", "t", 17), row("2025-08", "USA", "yttrium", "t", 2)])
    st = dv.month_status(o, pd.period_range("2025-03", "2025-08", freq="M"))
    assert list(st) == ["missing", "in a total", "in a total", "in a total", "missing", "reported"]


def test_parameters_and_month_sets():
    assert dv.as_list("a, b,,c") == ["a", "b", "c"] and dv.as_list(["a", "b"]) == ["a", "b"]
    assert dv.months_text(pd.PeriodIndex(["2025-05", "2025-06"], freq="M")) == "2025-05/2025-06"
    assert dv.months_text(pd.PeriodIndex(["2025-05", "2025-07"], freq="M")) == "2025-05, 2025-07"


def test_supports_claim_needs_every_part_of_the_pattern():
    assert dv.supports_claim(120, 100, [10, 30], [100, 50], [1.2, 0.8])
    assert not dv.supports_claim(90, 100, [10], [100], [1.2])        # magnets below their level
    assert not dv.supports_claim(120, 100, [10, 60], [100, 50], [1.2, 0.8])  # one input above its own
    assert not dv.supports_claim(120, 100, [10], [100], [-0.1])      # the gap narrowed
    assert not dv.supports_claim(120, 100, [10], [float("nan")], [1.2])
    assert not dv.supports_claim(120, 100, [], [], [])


def test_record_writes_the_page_series_and_tables_as_metrics_rows(tmp_path):
    page = Page(chapter="flow", page="flow")
    dv.record(page, dv.measure(flow_data(tmp_path), SCOPE))
    rows = pd.DataFrame(page.rows)
    assert (rows["glue_key"] == "").all()
    index = rows[(rows["metric"] == "index") & (rows["product"] == "magnets")].set_index("period")["value"]
    assert index["2025-12"] == 150 and "2024-01" not in index  # 2024 is known only as a total
    change = rows[(rows["metric"] == "gap_change")].set_index("product")["value"]
    # ln(140 / 300) - ln(30 / 150); yttrium has no figure in either phase, so no row
    assert change.to_dict() == {"magnets/dysprosium": pytest.approx(round(math.log(7 / 3), 4)),
                                "magnets/terbium": pytest.approx(round(math.log(3.25), 4))}
    premium = rows[rows["metric"] == "price_premium"]
    assert sorted(premium["basis"].str.split(":").str[0]) == ["high", "high", "low", "low", "mid", "mid"]
    shares = rows[(rows["metric"] == "share_pct") & (rows["partner"] == "USA")].set_index("period")["value"]
    assert shares["2025-05"] == 50
