"""A destination's share of China's total over named windows, and how sure a change in it is.

A share over several months is sturdier than one month's change: it needs no pre-control
yardstick and it sets the destination against everything China shipped in the same months. The
share of a window pools its figures (the destination's tonnes over China's tonnes), so a small
month cannot swing it. Each figure of the window is one observation: a month, or a figure GACC
published for two months together (January–February 2026 stays one observation, never split).

How sure: the interval comes from the destination's own month-to-month noise. Within a window,
each figure strays from what the window's share would give (destination = share × China's
total); the spread of those residuals, over the number of figures, is the standard error of the
pooled share (the ratio estimator's). Two windows' errors add in quadrature, and the interval uses
Student's t with Welch's degrees of freedom, because three months before and six after are far
too few for the normal curve. A bootstrap over three months would understate the spread (it can
only reshuffle the three months it has), which is why it is not used. Months are treated as
independent draws, which they are not quite: neighbouring months move together, so the interval
is if anything too narrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.conventions import Window
from ...core.periods import disjoint, months_of
from ...core.series import t_quantile


def finest_periods(series: list[pd.DataFrame], start: str, end: str, max_months: int = 3) -> list[str]:
    """The periods inside start..end that every series reports as such, finest first, not overlapping.

    A month is preferred to a span holding it; a span (at most `max_months` long) counts only
    where its months have no figure of their own in every series. Longer totals (a quarter, a
    year to date) are left out: they add nothing the months and spans do not already say.
    """
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")

    def inside(rows: pd.DataFrame) -> set[str]:
        sel = rows[(rows["first_month"] >= lo) & (rows["last_month"] <= hi) & (rows["n_months"] <= max_months)]
        return set(sel["period"])

    common = sorted(set.intersection(*(inside(rows) for rows in series)), key=lambda p: (len(months_of(p)), p))
    return sorted(disjoint(common))


@dataclass(frozen=True)
class WindowShare:
    """A destination's figures and China's total over one window's periods, pooled."""

    window: Window
    periods: tuple[str, ...]
    part: tuple[float, ...]
    whole: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.periods)

    @property
    def months(self) -> int:
        """How many months the periods cover (a two-month figure counts two)."""
        return sum(len(months_of(p)) for p in self.periods)

    @property
    def share(self) -> float:
        """The destination's total over China's total, in %; NaN without a period."""
        whole = sum(self.whole)
        return sum(self.part) / whole * 100 if self.n and whole > 0 else float("nan")

    @property
    def variance(self) -> float:
        """The squared standard error of the pooled share (points²), from the residuals of each
        period around the window's share; NaN with fewer than two periods."""
        if self.n < 2:
            return float("nan")
        part, whole = np.array(self.part), np.array(self.whole)
        residuals = part - self.share / 100 * whole
        return float((residuals ** 2).sum() / (self.n - 1) / self.n / whole.mean() ** 2 * 100 ** 2)


def window_share(part: pd.DataFrame, whole: pd.DataFrame, window: Window) -> WindowShare:
    """The pooled share over `window` from every row of two series (`series_rows`)."""
    periods = finest_periods([part, whole], window.start, window.end)

    def values(rows: pd.DataFrame) -> tuple[float, ...]:
        return tuple(float(rows.loc[rows["period"] == p, "value"].iloc[0]) for p in periods)

    return WindowShare(window, tuple(periods), values(part), values(whole))


@dataclass(frozen=True)
class ShareShift:
    """The change in a destination's share between two windows, with its interval (points)."""

    before: WindowShare
    after: WindowShare
    level: float                # e.g. 0.95

    @property
    def change(self) -> float:
        return self.after.share - self.before.share

    @property
    def std_error(self) -> float:
        return math.sqrt(self.before.variance + self.after.variance)

    @property
    def df(self) -> float:
        """Welch–Satterthwaite degrees of freedom; NaN without two periods on each side."""
        v1, v2 = self.before.variance, self.after.variance
        if not (math.isfinite(v1) and math.isfinite(v2)) or v1 + v2 == 0:
            return float("nan")
        return (v1 + v2) ** 2 / (v1 ** 2 / (self.before.n - 1) + v2 ** 2 / (self.after.n - 1))

    @property
    def interval(self) -> tuple[float, float]:
        """(low, high) of the change; NaN when either window has fewer than two periods."""
        if not math.isfinite(self.df) or not math.isfinite(self.change):
            return float("nan"), float("nan")
        half = t_quantile(0.5 + self.level / 2, self.df) * self.std_error
        return self.change - half, self.change + half

    @property
    def excludes_zero(self) -> bool | None:
        """True when the whole interval lies on one side of no change; None without an interval."""
        low, high = self.interval
        if not (math.isfinite(low) and math.isfinite(high)):
            return None
        return low > 0 or high < 0


def share_shift(part: pd.DataFrame, whole: pd.DataFrame, before: Window, after: Window, level: float) -> ShareShift:
    """The change in the share of `part` in `whole` from window `before` to window `after`."""
    return ShareShift(window_share(part, whole, before), window_share(part, whole, after), level)
