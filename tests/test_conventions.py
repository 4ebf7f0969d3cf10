"""The book's conventions: named windows, the seasonal rule, the floor for changes."""

import pandas as pd
import pytest

from rare_earth_exports.core.conventions import Window, meaningful_base, ordinary_changes


def monthly(first: str, values: list) -> pd.Series:
    return pd.Series(values, index=pd.period_range(first, periods=len(values), freq="M"), dtype=float)


def test_a_window_needs_a_name_its_months_and_a_reason():
    w = Window.from_param({"name": "Q1 2025", "start": "2025-01", "end": "2025-03", "reason": "just before the controls"})
    assert (w.name, w.period) == ("Q1 2025", "2025-01/2025-03")
    with pytest.raises(ValueError, match="a window needs reason"):
        Window.from_param({"name": "2024", "start": "2024-01", "end": "2024-12"})


def test_ordinary_changes_leave_out_changes_into_and_out_of_seasonal_months():
    v = monthly("2024-11", [100, 110, 55, 110, 121, 133.1])   # November 2024 to April 2025
    all_changes = ordinary_changes(v, None, None)
    assert all_changes.round(6).tolist() == [10.0, -50.0, 100.0, 10.0, 10.0]
    kept = ordinary_changes(v, None, None, (1, 2))
    # Dec->Jan, Jan->Feb and Feb->Mar touch a Lunar New Year month; Nov->Dec and Mar->Apr stay
    assert [str(m) for m in kept.index] == ["2024-12", "2025-04"]
    assert ordinary_changes(v, "2025-03", "2025-04").round(6).tolist() == [10.0]


def test_ordinary_changes_never_cross_a_gap():
    v = monthly("2024-06", [100, float("nan"), 120, 132])
    assert ordinary_changes(v, None, None).round(6).tolist() == [10.0]


def test_a_change_on_a_base_below_the_floor_is_not_meaningful():
    floors = {"t": 100.0}
    assert meaningful_base(353.0, "t", floors)
    assert not meaningful_base(46.0, "t", floors)        # US, May 2025: +667% in June says little
    assert not meaningful_base(float("nan"), "t", floors)
    assert not meaningful_base(0.0, "kg", floors)
    assert meaningful_base(5.0, "kg", floors)            # no floor stated for kg


# --- changes: a number, or why not -------------------------------------------------------------

from rare_earth_exports.core.conventions import (NO_FIGURE, NOT_COMPUTABLE, NOT_MEANINGFUL, change,  # noqa: E402
                                                 month_on_month, year_on_year)
from rare_earth_exports.core.series import period_series, series_rows  # noqa: E402

from series_helpers import observations  # noqa: E402


def test_a_change_is_a_number_or_its_reason():
    floors = {"t": 100.0}
    assert change(353.0, 46.0, "t", floors).reason == NOT_MEANINGFUL      # US, May to June 2025
    assert change(110.0, float("nan"), "t", floors).reason == NO_FIGURE
    ok = change(150.0, 120.0, "t", floors)
    assert ok.shown and ok.pct == pytest.approx(25.0) and ok.base == 120.0
    # a two-month total is held to the floor per month: 180 t over two months is 90 t a month
    assert change(300.0, 180.0, "t", floors, base_months=2).reason == NOT_MEANINGFUL
    assert change(300.0, 240.0, "t", floors, base_months=2).pct == pytest.approx(25.0)


SPANS = [("2024-11", "WLD", 100), ("2024-12", "WLD", 120), ("2025-01", "WLD", 110), ("2025-02", "WLD", 90),
         ("2025-03", "WLD", 130), ("2025-11", "WLD", 150), ("2025-12", "WLD", 60),
         ("2026-01/2026-02", "WLD", 240), ("2026-03", "WLD", 143), ("2026-01/2026-03", "WLD", 383)]


def test_month_on_month_needs_two_single_months(tmp_path):
    periods = period_series(observations(tmp_path, SPANS), "magnets", "WLD")
    assert periods["period"].tolist() == ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-11",
                                          "2025-12", "2026-01/2026-02", "2026-03"]  # the quarter overlaps: left out
    got = dict(zip(periods["period"], month_on_month(periods, {"t": 100.0})))
    assert got["2024-12"].pct == pytest.approx(20.0)
    assert got["2024-11"].reason == NO_FIGURE and got["2025-11"].reason == NO_FIGURE   # October has no figure
    assert got["2026-01/2026-02"].reason == NOT_COMPUTABLE                             # a total of two months
    assert got["2026-03"].reason == NOT_COMPUTABLE                                     # February is inside it
    assert got["2025-12"].pct == pytest.approx(-60.0)
    assert dict(zip(periods["period"], month_on_month(periods, {"t": 100.0})))["2025-02"].shown
    assert month_on_month(periods, {"t": 200.0})[3].reason == NOT_MEANINGFUL          # February on 110 t


def test_year_on_year_compares_like_with_like(tmp_path):
    obs = observations(tmp_path, SPANS + [("2024-01/2024-02", "WLD", 80)])
    periods = period_series(obs, "magnets", "WLD", start="2025-01")
    got = dict(zip(periods["period"], year_on_year(periods, series_rows(obs, "magnets", "WLD"), {"t": 100.0})))
    assert got["2026-01/2026-02"].base == 200 and got["2026-01/2026-02"].pct == pytest.approx(20.0)  # against 110 + 90
    assert got["2026-03"].pct == pytest.approx(10.0)
    assert got["2025-11"].pct == pytest.approx(50.0) and got["2025-12"].pct == pytest.approx(-50.0)
    assert got["2025-01"].reason == NOT_COMPUTABLE   # January 2024 exists only inside January-February 2024
    assert got["2025-03"].reason == NO_FIGURE
