"""Shares over named windows and their interval, and the newest figures with spans kept, on small
series worked by hand."""

import math

import pandas as pd
import pytest

from rare_earth_exports.chapters.compare import newest, shares
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.load import load_observations
from rare_earth_exports.core.series import period_total, series_rows, t_quantile

OBS_HEADER = "period,reporter,partner,flow,product,unit,value,status,source_ids,note\n"
FLOORS = {"t": 100}


def rows(tmp_path, figures: dict[str, dict[str, float]]):
    """Every row of each partner's magnet exports, from {partner: {period: value}}."""
    lines = [f"{period},CHN,{p},export,magnets,t,{v},reported,src-{p},\n" for p, vs in figures.items() for period, v in vs.items()]
    (tmp_path / "observations.csv").write_text(OBS_HEADER + "".join(lines), encoding="utf-8")
    obs = load_observations(tmp_path)
    return {p: series_rows(obs, "magnets", p) for p in figures}


def window(start, end, name="W"):
    return Window(name, start, end, "a reason")


# --- t ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("df, expected", [(1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (10, 2.228), (30, 2.042)])
def test_t_quantile_matches_the_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-3)


def test_t_quantile_is_symmetric_takes_fractional_df_and_refuses_nonsense():
    assert t_quantile(0.025, 4) == pytest.approx(-t_quantile(0.975, 4))
    assert t_quantile(0.975, 3) > t_quantile(0.975, 3.7) > t_quantile(0.975, 4)
    assert t_quantile(0.975, 100_000) == pytest.approx(1.960, abs=1e-3)
    with pytest.raises(ValueError, match="0 < p < 1"):
        t_quantile(1.0, 4)


def test_period_total_adds_months_or_a_span_and_refuses_a_partial_sum(tmp_path):
    r = rows(tmp_path, {"USA": {"2025-01": 877.3, "2025-02": 405, "2026-01/2026-02": 994, "2025-04": 246}})["USA"]
    assert period_total(r, "2025-01", "2025-02") == pytest.approx(1282.3)
    assert period_total(r, "2026-01", "2026-02") == pytest.approx(994)
    assert math.isnan(period_total(r, "2025-01", "2025-03"))


# --- periods and shares ------------------------------------------------------------------------

def test_finest_periods_prefer_months_keep_spans_and_drop_long_totals(tmp_path):
    r = rows(tmp_path, {
        "USA": {"2026-01/2026-02": 994, "2026-03": 406},
        "WLD": {"2026-01/2026-02": 10763, "2026-03": 5238, "2026-01/2026-03": 16001, "2026-02": 1},
    })
    assert shares.finest_periods([r["USA"], r["WLD"]], "2026-01", "2026-03") == ["2026-01/2026-02", "2026-03"]
    assert shares.finest_periods([r["WLD"]], "2026-01", "2026-03") == ["2026-02", "2026-03"]  # a month beats its span
    assert shares.finest_periods([r["USA"], r["WLD"]], "2026-02", "2026-03") == ["2026-03"]  # a span must fit the window


def test_window_share_is_pooled_and_its_error_comes_from_the_figures_around_it(tmp_path):
    # part 10, 30 of whole 100, 100: pooled share 20%; residuals -10, +10 around 20% of 100
    r = rows(tmp_path, {"A": {"2025-01": 10, "2025-02": 30}, "WLD": {"2025-01": 100, "2025-02": 100, "2025-03": 100}})
    ws = shares.window_share(r["A"], r["WLD"], window("2025-01", "2025-03"))
    assert ws.periods == ("2025-01", "2025-02") and (ws.n, ws.months) == (2, 2)
    assert ws.share == pytest.approx(20.0)
    # (10² + 10²) / (n - 1) / n / mean(whole)² · 100² = 100 points²
    assert ws.variance == pytest.approx(100.0)
    lone = shares.window_share(r["A"], r["WLD"], window("2025-01", "2025-01"))
    assert lone.share == pytest.approx(10.0) and math.isnan(lone.variance)
    empty = shares.window_share(r["A"], r["WLD"], window("2025-03", "2025-03"))
    assert empty.n == 0 and math.isnan(empty.share)


def test_an_interval_that_excludes_no_change(tmp_path):
    # before 20% ± variance 1 (19, 21 of 100), after 10% ± variance 1 (9, 11): change -10 points
    r = rows(tmp_path, {"A": {"2025-01": 19, "2025-02": 21, "2025-07": 9, "2025-08": 11},
                        "WLD": {"2025-01": 100, "2025-02": 100, "2025-07": 100, "2025-08": 100}})
    shift = shares.share_shift(r["A"], r["WLD"], window("2025-01", "2025-02"), window("2025-07", "2025-08"), 0.95)
    assert shift.change == pytest.approx(-10.0)
    assert shift.std_error == pytest.approx(math.sqrt(2))
    assert shift.df == pytest.approx(2.0)           # Welch: (1 + 1)² / (1/1 + 1/1)
    low, high = shift.interval
    assert (low, high) == (pytest.approx(-10 - 4.303 * math.sqrt(2), abs=1e-3), pytest.approx(-10 + 4.303 * math.sqrt(2), abs=1e-3))
    assert shift.excludes_zero is True


def test_an_interval_that_includes_no_change(tmp_path):
    # the same spread, but the shares move by only 2 points
    r = rows(tmp_path, {"A": {"2025-01": 19, "2025-02": 21, "2025-07": 17, "2025-08": 19},
                        "WLD": {"2025-01": 100, "2025-02": 100, "2025-07": 100, "2025-08": 100}})
    shift = shares.share_shift(r["A"], r["WLD"], window("2025-01", "2025-02"), window("2025-07", "2025-08"), 0.95)
    low, high = shift.interval
    assert shift.change == pytest.approx(-2.0) and low < 0 < high and shift.excludes_zero is False


def test_no_interval_with_fewer_than_two_figures_in_a_window(tmp_path):
    r = rows(tmp_path, {"A": {"2025-01": 19, "2025-07": 9, "2025-08": 11},
                        "WLD": {"2025-01": 100, "2025-07": 100, "2025-08": 100}})
    shift = shares.share_shift(r["A"], r["WLD"], window("2025-01", "2025-02"), window("2025-07", "2025-08"), 0.95)
    assert shift.change == pytest.approx(-9.0)
    assert all(math.isnan(x) for x in shift.interval) and shift.excludes_zero is None


def test_the_us_share_as_the_data_hold_it(tmp_path):
    """Q1 2025 against July–December 2025 and against Q1 2026 (January–February 2026 one figure)."""
    r = rows(tmp_path, {
        "USA": {"2025-01": 877.3, "2025-02": 405, "2025-03": 584, "2025-07": 619, "2025-08": 589, "2025-09": 420.5,
                "2025-10": 656.3, "2025-11": 581.8, "2025-12": 564, "2026-01/2026-02": 994, "2026-03": 406},
        "WLD": {"2025-01": 6357, "2025-02": 3586.53, "2025-03": 5324, "2025-07": 5577, "2025-08": 6146, "2025-09": 5774,
                "2025-10": 5473, "2025-11": 6149.95, "2025-12": 5952, "2026-01/2026-02": 10763, "2026-03": 5238,
                "2026-01/2026-03": 16001},
    })
    q1 = window("2025-01", "2025-03", "Q1 2025")
    after = shares.share_shift(r["USA"], r["WLD"], q1, window("2025-07", "2025-12"), 0.95)
    assert (round(after.before.share, 1), round(after.after.share, 1)) == (12.2, 9.8)
    assert [round(x, 1) for x in after.interval] == [-5.8, 1.0]
    recent = shares.share_shift(r["USA"], r["WLD"], q1, window("2026-01", "2026-03"), 0.95)
    assert recent.after.periods == ("2026-01/2026-02", "2026-03") and recent.after.months == 3
    assert round(recent.after.share, 1) == 8.7 and recent.excludes_zero is False


# --- the newest months -------------------------------------------------------------------------

def test_newest_figures_keep_the_span_and_compare_like_with_like(tmp_path):
    r = rows(tmp_path, {
        "USA": {"2025-01": 877.3, "2025-02": 405, "2025-03": 584, "2026-01/2026-02": 994, "2026-03": 406},
        "WLD": {"2025-01": 6357, "2025-02": 3586.53, "2025-03": 5324, "2026-01/2026-02": 10763, "2026-03": 5238},
    })
    span, march = newest.newest_figures(r["USA"], r["WLD"], "2026-01", "2026-03", "t", FLOORS)
    assert (span.period, span.months, span.value, span.year_before) == ("2026-01/2026-02", 2, 994.0, pytest.approx(1282.3))
    assert span.yoy_pct == pytest.approx(-22.483, abs=1e-3) and math.isnan(span.mom_pct)
    assert span.share == pytest.approx(994 / 10763 * 100)
    assert march.yoy_pct == pytest.approx(-30.479, abs=1e-3)
    assert march.previous_span == "2026-01/2026-02" and math.isnan(march.mom_pct)   # February is inside a span


def test_newest_month_on_month_between_two_single_months_and_floors(tmp_path):
    r = rows(tmp_path, {"A": {"2025-03": 50, "2026-02": 200, "2026-03": 250}, "WLD": {"2026-03": 1000}})
    feb, march = newest.newest_figures(r["A"], r["WLD"], "2026-01", "2026-03", "t", FLOORS)
    assert march.mom_pct == pytest.approx(25.0) and march.previous_span == ""
    assert march.year_before == 50 and math.isnan(march.yoy_pct)      # a base under the floor: not meaningful
    assert math.isnan(feb.year_before) and math.isnan(feb.share)       # no February 2025, no total for February
    assert newest.last_figure(pd.Series([1.0, None], index=pd.period_range("2025-11", periods=2, freq="M"))) == (
        pd.Period("2025-11", "M"), 1.0)
    assert newest.last_figure(pd.Series([None], index=pd.period_range("2025-11", periods=1, freq="M")))[0] is None
