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
