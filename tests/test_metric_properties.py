"""Properties of the metric functions on any monthly series hypothesis can think of: changes are
never computed across a gap, indexes and changes do not depend on the unit, shares of a
consistent whole stay within 0-100."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rare_earth_exports.core.series import baseline, index, mom_pct, share_pct, yoy_pct

# the same examples on every run (no timing, no example database), few enough for a shared machine
PROPERTY = settings(deadline=None, max_examples=60, derandomize=True, database=None)

VALUE = st.floats(min_value=0.001, max_value=1e9, allow_nan=False, allow_infinity=False)
SCALES = st.sampled_from([1000.0, 0.001, 7.5, 1 / 3])


@st.composite
def monthly(draw, min_size=1, max_size=40):
    """A monthly series: some months absent from the index, some present as NaN, some zero."""
    start = pd.Period(draw(st.sampled_from(["2022-01", "2023-07", "2024-12"])), "M")
    n = draw(st.integers(min_size, max_size))
    cells = draw(st.lists(st.one_of(VALUE, st.just(math.nan), st.just(0.0), st.just(None)), min_size=n, max_size=n))
    kept = [(start + i, v) for i, v in enumerate(cells) if v is not None]  # None: the month is not in the index
    if not kept:
        kept = [(start, draw(VALUE))]
    idx = pd.PeriodIndex([m for m, _ in kept], freq="M", name="month")
    return pd.Series([v for _, v in kept], index=idx, dtype=float)


def expected_change(s: pd.Series, month: pd.Period, lag: int) -> float:
    before = month - lag
    if before not in s.index or np.isnan(s[before]) or np.isnan(s[month]) or s[before] == 0:
        return math.nan
    return (s[month] / s[before] - 1) * 100


def same(a: pd.Series, b: pd.Series) -> None:
    assert a.index.equals(b.index)
    assert (a.isna() == b.isna()).all()
    assert np.allclose(a.dropna(), b.dropna(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("change, lag", [(mom_pct, 1), (yoy_pct, 12)])
@PROPERTY
@given(s=monthly())
def test_changes_are_never_computed_across_a_gap(change, lag, s):
    result = change(s)
    assert result.index.equals(s.index)
    for month in s.index:
        want = expected_change(s, month, lag)
        if math.isnan(want):
            assert math.isnan(result[month]), f"{month}: computed across a gap or a zero base"
        else:
            assert result[month] == pytest.approx(want, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("change", [mom_pct, yoy_pct])
@PROPERTY
@given(s=monthly(), k=SCALES)
def test_changes_do_not_depend_on_the_unit(change, s, k):
    same(change(s * k), change(s))


def rows_of(s: pd.Series) -> pd.DataFrame:
    """The series as observation rows (what baseline() reads)."""
    s = s.dropna()
    return pd.DataFrame({"period": [str(m) for m in s.index], "value": s.values, "first_month": s.index,
                         "last_month": s.index, "n_months": 1})


@PROPERTY
@given(s=monthly(min_size=2), k=SCALES)
def test_indexes_do_not_depend_on_the_unit(s, k):
    start, end = str(s.index.min()), str(s.index.max())
    base, scaled = baseline(rows_of(s), start, end), baseline(rows_of(s * k), start, end)
    assert scaled.months_with_data == base.months_with_data
    same(index(s * k, scaled), index(s, base))
    same(index(s * k, base.mean * k), index(s, base.mean))


@PROPERTY
@given(s=monthly(min_size=2))
def test_the_baseline_mean_indexes_to_100(s):
    values = s.dropna()
    base = baseline(rows_of(s), str(s.index.min()), str(s.index.max()))
    if len(values) and base.mean > 0:
        assert index(pd.Series([base.mean]), base).iloc[0] == pytest.approx(100)
        assert base.months_with_data == len(values)


@st.composite
def part_and_whole(draw):
    whole = draw(monthly())
    fractions = draw(st.lists(st.one_of(st.floats(0, 1), st.just(math.nan)), min_size=len(whole), max_size=len(whole)))
    part = pd.Series(whole.values * np.array(fractions), index=whole.index)
    return part, whole


@PROPERTY
@given(pw=part_and_whole())
def test_shares_of_a_consistent_whole_stay_within_0_and_100(pw):
    part, whole = pw
    share = share_pct(part, whole)
    assert share.index.equals(part.index)
    known = share.dropna()
    assert ((known >= 0) & (known <= 100)).all()
    for month in part.index:
        if np.isnan(part[month]) or np.isnan(whole[month]) or whole[month] == 0:
            assert np.isnan(share[month]), f"{month}: a share of a gap or of nothing"


@PROPERTY
@given(pw=part_and_whole(), k=SCALES)
def test_shares_do_not_depend_on_the_unit(pw, k):
    part, whole = pw
    same(share_pct(part * k, whole * k), share_pct(part, whole))
