"""The cost in tonnes, on series worked out by hand: the seasonal pattern read from a year at the
granularity it was published, the counterfactual from each baseline window, and the shortfall."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rare_earth_exports.chapters.collapse.counterfactual import Block, counterfactual, seasonal_pattern, shortfall
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.series import period_series, series_rows

from collapse_helpers import QUARTER, YEAR
from series_helpers import observations

P = lambda text: pd.Period(text, "M")  # noqa: E731

# 2024 as the data publishes it: the year, January-July, February, July, August to October, and
# November-December as the year less January-October. The blocks the figures fix, by hand:
#   January and March to June: 7,200 - 600 - 1,200 = 5,400 (1,080 a month)
#   February 600, July 1,200, August 1,100, September 1,000, October 900
#   November and December: 12,000 - (7,200 + 1,100 + 1,000 + 900) = 1,800 (900 a month)
# The year's average month is 1,000, so February's factor is 0.6 and January's 1.08.
YEAR_2024 = [("2024", "WLD", 12000), ("2024-01/2024-07", "WLD", 7200), ("2024-02", "WLD", 600),
             ("2024-07", "WLD", 1200), ("2024-08", "WLD", 1100), ("2024-09", "WLD", 1000), ("2024-10", "WLD", 900)]


def rows_of(tmp_path, rows):
    return series_rows(observations(tmp_path, rows), "magnets", "WLD")


def test_the_pattern_has_one_block_per_set_of_months_the_figures_fix(tmp_path):
    pattern = seasonal_pattern(rows_of(tmp_path, YEAR_2024), YEAR)
    assert [(b.months, round(b.total, 6)) for b in pattern.blocks] == [
        ((1, 3, 4, 5, 6), 5400), ((2,), 600), ((7,), 1200), ((8,), 1100), ((9,), 1000), ((10,), 900), ((11, 12), 1800)]
    assert pattern.mean == pytest.approx(1000)
    assert pattern.factor(2) == pytest.approx(0.6) and pattern.factor(5) == pytest.approx(1.08)
    assert pattern.factor(12) == pytest.approx(0.9)
    assert pattern.months_factor(pd.period_range("2026-01", "2026-02", freq="M")) == pytest.approx(1.68)


def test_a_year_known_only_as_a_total_is_flat(tmp_path):
    pattern = seasonal_pattern(rows_of(tmp_path, [("2024", "WLD", 1200)]), YEAR)
    assert pattern.blocks == (Block(tuple(range(1, 13)), 1200.0),)
    assert all(pattern.factor(m) == pytest.approx(1) for m in range(1, 13))


def test_months_the_figures_cannot_tell_apart_are_pooled(tmp_path):
    # March is known alone, and January + February only through the year less the rest: one block.
    rows = [("2024", "WLD", 1200), ("2024-03", "WLD", 150), ("2024-04/2024-12", "WLD", 900)]
    pattern = seasonal_pattern(rows_of(tmp_path, rows), YEAR)
    assert [(b.months, round(b.total, 6)) for b in pattern.blocks] == [((1, 2), 150), ((3,), 150), (tuple(range(4, 13)), 900)]


def test_no_pattern_without_the_year_total_and_none_for_a_window_that_is_not_a_year(tmp_path):
    assert seasonal_pattern(rows_of(tmp_path, [("2024-02", "WLD", 600), ("2024-07", "WLD", 1200)]), YEAR) is None
    assert seasonal_pattern(rows_of(tmp_path, [("2025-01", "WLD", 1)]), YEAR) is None
    with pytest.raises(ValueError, match="twelve months: Q1 2025 is 2025-01/2025-03"):
        seasonal_pattern(rows_of(tmp_path, YEAR_2024), QUARTER)


def test_the_counterfactual_of_a_year_is_the_year_itself(tmp_path):
    rows = rows_of(tmp_path, YEAR_2024)
    cf = counterfactual(rows, YEAR, seasonal_pattern(rows, YEAR))
    assert cf.window_factor == pytest.approx(1) and cf.level == pytest.approx(1000)
    assert cf.expected(P("2025-02"), P("2025-02")) == pytest.approx(600)
    assert cf.expected(P("2025-11"), P("2025-12")) == pytest.approx(1800)


def test_a_window_holding_the_february_dip_is_freed_of_it(tmp_path):
    # Q1 2025: 1,300 + 700 + 1,240 = 3,240, 1,080 a month; its months' factors 1.08, 0.6, 1.08 average 0.92,
    # so an average month without the season is 1,080 / 0.92 = 1,173.9, and a May 1,173.9 x 1.08.
    rows = rows_of(tmp_path, YEAR_2024 + [("2025-01", "WLD", 1300), ("2025-02", "WLD", 700), ("2025-03", "WLD", 1240)])
    cf = counterfactual(rows, QUARTER, seasonal_pattern(rows, YEAR))
    assert cf.base.mean == pytest.approx(1080) and cf.window_factor == pytest.approx(0.92)
    assert cf.level == pytest.approx(1080 / 0.92)
    assert cf.expected(P("2025-05"), P("2025-05")) == pytest.approx(1080 / 0.92 * 1.08)


def test_no_counterfactual_without_a_pattern_or_a_covered_window(tmp_path):
    rows = rows_of(tmp_path, YEAR_2024)
    assert counterfactual(rows, YEAR, None) is None
    assert counterfactual(rows, QUARTER, seasonal_pattern(rows, YEAR)) is None  # no figure in Q1 2025


# After the controls, against the 2024 counterfactual (April 1,080, May 1,080, June 1,080, July 1,200,
# then January-February 2026 as one figure against 1,080 + 600):
AFTER = [("2025-04", "WLD", 500), ("2025-05", "WLD", 300), ("2025-06", "WLD", 900), ("2025-07", "WLD", 1500)]


def test_the_shortfall_sums_the_counterfactual_less_the_figures(tmp_path):
    obs = observations(tmp_path, YEAR_2024 + AFTER)
    rows, periods = series_rows(obs, "magnets", "WLD"), period_series(obs, "magnets", "WLD")
    cf = counterfactual(rows, YEAR, seasonal_pattern(rows, YEAR))
    to_june = shortfall(periods, cf, P("2025-04"), P("2025-06"))
    assert to_june.tonnes == pytest.approx(580 + 780 + 180) and to_june.period == "2025-04/2025-06"
    to_july = shortfall(periods, cf, P("2025-04"), P("2025-07"))
    assert to_july.tonnes == pytest.approx(1540 - 300)  # July is 300 above: it reduces the shortfall
    assert to_july.rows["shortfall"].round(6).tolist() == [580, 780, 180, -300]


def test_a_two_month_total_counts_whole_against_both_months(tmp_path):
    obs = observations(tmp_path, YEAR_2024 + AFTER + [("2026-01/2026-02", "WLD", 1500)])
    rows, periods = series_rows(obs, "magnets", "WLD"), period_series(obs, "magnets", "WLD")
    cf = counterfactual(rows, YEAR, seasonal_pattern(rows, YEAR))
    s = shortfall(periods, cf, P("2026-01"), P("2026-02"))
    assert s.rows[["period", "expected"]].values.tolist() == [["2026-01/2026-02", pytest.approx(1680)]]
    assert s.tonnes == pytest.approx(180)
    inside = shortfall(periods, cf, P("2026-01"), P("2026-01"))  # the total is never split into months
    assert math.isnan(inside.tonnes) and inside.missing == ("2026-01",)


def test_a_month_without_a_figure_leaves_the_shortfall_unknown(tmp_path):
    obs = observations(tmp_path, YEAR_2024 + [r for r in AFTER if r[0] != "2025-05"])
    rows, periods = series_rows(obs, "magnets", "WLD"), period_series(obs, "magnets", "WLD")
    s = shortfall(periods, counterfactual(rows, YEAR, seasonal_pattern(rows, YEAR)), P("2025-04"), P("2025-07"))
    assert math.isnan(s.tonnes) and s.missing == ("2025-05",)


def test_the_book_s_2024_pattern_and_shortfall_from_the_data():
    """The figures the collapse page glues, recomputed here from data/ by the definitions above."""
    from rare_earth_exports.core.load import load_observations

    obs = load_observations("data")
    rows, periods = series_rows(obs, "magnets", "WLD"), period_series(obs, "magnets", "WLD")
    year = Window("2024", "2024-01", "2024-12", "r")
    pattern = seasonal_pattern(rows, year)
    feb = next(b for b in pattern.blocks if b.months == (2,))
    assert feb.total == pytest.approx(3326, abs=1) and pattern.mean == pytest.approx(58152 / 12, abs=0.01)
    cf = counterfactual(rows, year, pattern)
    months = pd.period_range("2025-04", "2025-07", freq="M")
    by_hand = sum(cf.expected(m, m) for m in months) - (2626 + 1238.47 + 3188 + 5577)
    assert shortfall(periods, cf, months[0], months[-1]).tonnes == pytest.approx(by_hand)
