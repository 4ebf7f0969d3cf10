"""The metrics the collapse chapter relies on, on small series whose answers are worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rare_earth_exports.core.series import Swing, baseline, index, mom_pct, monthly_series, series_rows, share_pct, typical_swing, yoy_pct

from series_helpers import months, observations


# --- monthly_series: gaps stay gaps ---------------------------------------------------------

def test_monthly_series_keeps_gaps_and_ignores_totals(tmp_path):
    obs = observations(tmp_path, [("2025-01", "WLD", 10), ("2025-03", "WLD", 30), ("2025", "WLD", 999),
                                  ("2025-02/2025-03", "WLD", 50, "derived")])
    s = monthly_series(obs, "magnets", "WLD", start="2024-12", end="2025-04")
    assert [str(m) for m in s.index] == ["2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    assert s["value"].isna().tolist() == [True, False, True, False, True]
    assert s["status"].tolist() == ["missing", "reported", "missing", "reported", "missing"]
    assert s.loc[pd.Period("2025-03", "M"), "source_ids"] == "src-WLD-2025-03"
    assert s.attrs["unit"] == "t"


def test_monthly_series_of_a_partner_without_figures_is_empty(tmp_path):
    obs = observations(tmp_path, [("2025-01", "WLD", 10)])
    s = monthly_series(obs, "magnets", "DEU", start="2025-01", end="2025-02")
    assert s["value"].isna().all() and (s["status"] == "missing").all()


# --- changes never cross a gap -------------------------------------------------------------

def test_mom_pct_is_not_computed_across_a_gap():
    v = months({"2025-01": 100, "2025-02": 50, "2025-03": np.nan, "2025-04": 80, "2025-05": 100})
    got = mom_pct(v)
    assert math.isnan(got.iloc[0]) and got.iloc[1] == pytest.approx(-50)
    assert math.isnan(got.iloc[2]) and math.isnan(got.iloc[3])  # April's month before has no figure
    assert got.iloc[4] == pytest.approx(25)


def test_mom_pct_on_an_index_with_missing_months_does_not_compare_non_adjacent_months():
    v = months({"2025-01": 100, "2025-03": 50})  # February absent from the index altogether
    assert mom_pct(v).isna().all()


def test_mom_pct_with_a_zero_base_is_nan_not_infinite():
    got = mom_pct(months({"2025-01": 0, "2025-02": 10}))
    assert math.isnan(got.iloc[1])


def test_yoy_pct_compares_the_same_month_a_year_before():
    v = months({"2024-05": 689, "2025-04": 246, "2025-05": 46})
    got = yoy_pct(v)
    assert got[pd.Period("2025-05", "M")] == pytest.approx((46 / 689 - 1) * 100)
    assert math.isnan(got[pd.Period("2025-04", "M")])  # April 2024 has no figure


# --- baseline: a reported total covers the window; otherwise the months there are ----------------

def test_baseline_covered_by_an_annual_total_uses_the_total_not_the_published_months(tmp_path):
    obs = observations(tmp_path, [("2024", "WLD", 1200), ("2024-02", "WLD", 40), ("2024-07", "WLD", 200)])
    b = baseline(series_rows(obs, "magnets", "WLD"), "2024-01", "2024-12")
    assert b.mean == pytest.approx(100) and b.complete
    assert b.periods == ("2024",) and b.method == "covered by 2024"


def test_baseline_covered_by_a_span_and_months(tmp_path):
    obs = observations(tmp_path, [("2025-01/2025-02", "WLD", 30), ("2025-03", "WLD", 60)])
    b = baseline(series_rows(obs, "magnets", "WLD"), "2025-01", "2025-03")
    assert b.mean == pytest.approx(30) and b.complete
    assert b.periods == ("2025-01/2025-02", "2025-03")


def test_baseline_of_partial_months_is_their_mean_and_says_so(tmp_path):
    obs = observations(tmp_path, [("2024-05", "USA", 689), ("2024-06", "USA", 311)])
    b = baseline(series_rows(obs, "magnets", "USA"), "2024-01", "2024-12")
    assert b.mean == pytest.approx(500)
    assert (b.months_with_data, b.months_in_window, b.complete) == (2, 12, False)
    assert b.method == "mean of 2 of 12 months"


def test_baseline_ignores_a_total_reaching_outside_the_window(tmp_path):
    obs = observations(tmp_path, [("2024-12/2025-01", "WLD", 100), ("2025-02", "WLD", 60)])
    b = baseline(series_rows(obs, "magnets", "WLD"), "2025-01", "2025-02")
    assert b.mean == pytest.approx(60) and b.months_with_data == 1


def test_baseline_without_data_is_nan(tmp_path):
    obs = observations(tmp_path, [("2025-06", "DEU", 764)])
    b = baseline(series_rows(obs, "magnets", "DEU"), "2024-01", "2024-12")
    assert math.isnan(b.mean) and b.months_with_data == 0 and not b.complete


# --- index, share, swings ------------------------------------------------------------------

def test_index_against_a_baseline_and_without_one(tmp_path):
    obs = observations(tmp_path, [("2024", "WLD", 1200)])
    b = baseline(series_rows(obs, "magnets", "WLD"), "2024-01", "2024-12")
    v = months({"2025-04": 50, "2025-05": np.nan, "2025-06": 125})
    got = index(v, b)
    assert got.iloc[0] == pytest.approx(50) and math.isnan(got.iloc[1]) and got.iloc[2] == pytest.approx(125)
    assert index(v, float("nan")).isna().all() and index(v, 0).isna().all()


def test_share_pct_needs_both_figures_and_a_positive_whole():
    part = months({"2025-01": 10, "2025-02": 5, "2025-03": 3})
    whole = months({"2025-01": 40, "2025-02": 0})
    got = share_pct(part, whole)
    assert got.iloc[0] == pytest.approx(25) and math.isnan(got.iloc[1]) and math.isnan(got.iloc[2])


def test_typical_swing_and_z_score_by_hand():
    s = typical_swing(pd.Series([1.0, np.nan, 3.0]))
    assert (s.n, s.mean, s.min, s.max) == (2, 2.0, 1.0, 3.0)
    assert s.std == pytest.approx(math.sqrt(2))
    assert s.z(5.0) == pytest.approx(3 / math.sqrt(2))


def test_a_single_change_gives_no_yardstick():
    s = typical_swing(pd.Series([4.0]))
    assert s.n == 1 and math.isnan(s.std) and math.isnan(s.z(0.0))
    empty = typical_swing(pd.Series([], dtype=float))
    assert isinstance(empty, Swing) and empty.n == 0 and math.isnan(empty.mean) and math.isnan(empty.z(1.0))


# --- period_series: the series at the granularity it was published ---------------------------------

def test_period_series_keeps_a_two_month_total_whole_and_leaves_out_totals_that_overlap(tmp_path):
    from rare_earth_exports.core.series import period_series

    obs = observations(tmp_path, [("2025-12", "WLD", 60), ("2026-01/2026-02", "WLD", 240), ("2026-03", "WLD", 150),
                                  ("2026-01/2026-03", "WLD", 390), ("2025", "WLD", 700), ("2025-10/2025-11", "WLD", 90)])
    s = period_series(obs, "magnets", "WLD", start="2025-10", end="2026-03")
    assert s["period"].tolist() == ["2025-10/2025-11", "2025-12", "2026-01/2026-02", "2026-03"]
    assert s["n_months"].tolist() == [2, 1, 2, 1] and s["monthly"].tolist() == [45.0, 60.0, 120.0, 150.0]
    assert s.attrs["unit"] == "t"
    # a total longer than `max_months` never stands for its months
    assert period_series(obs, "magnets", "WLD", start="2025-01", end="2025-12", max_months=1)["period"].tolist() == ["2025-12"]


def test_period_total_needs_every_month_covered(tmp_path):
    from rare_earth_exports.core.series import period_total

    rows = series_rows(observations(tmp_path, [("2025-01/2025-02", "WLD", 30), ("2025-03", "WLD", 60),
                                               ("2025-05", "WLD", 5)]), "magnets", "WLD")
    assert period_total(rows, "2025-01", "2025-03") == pytest.approx(90)
    assert math.isnan(period_total(rows, "2025-03", "2025-05"))  # April has no figure
