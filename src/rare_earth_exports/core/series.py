"""The book's metrics, computed the same way on every page.

All series are monthly on a complete month index: a month with no figure is NaN, never zero,
so a change is only computed between two months that both have a figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from .periods import Month, cover, period_for

QUANTITY_UNITS = ("t", "kg")


def series_rows(obs: pd.DataFrame, product: str, partner: str = "WLD", flow: str = "export",
                unit: str | None = None) -> pd.DataFrame:
    """All rows (months, spans, years) of one series; the unit defaults to its quantity unit."""
    sel = obs[(obs["product"] == product) & (obs["partner"] == partner) & (obs["flow"] == flow)]
    if unit is None:
        units = [u for u in QUANTITY_UNITS if (sel["unit"] == u).any()]
        unit = units[0] if units else QUANTITY_UNITS[0]
    return sel[sel["unit"] == unit].copy()


def monthly_series(obs: pd.DataFrame, product: str, partner: str = "WLD", flow: str = "export",
                   unit: str | None = None, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Monthly values of one series on a complete month index (gaps are NaN, status 'missing')."""
    rows = series_rows(obs, product, partner, flow, unit)
    months = rows[rows["n_months"] == 1].set_index("first_month").sort_index()
    lo = pd.Period(start, "M") if start else (months.index.min() if len(months) else None)
    hi = pd.Period(end, "M") if end else (months.index.max() if len(months) else None)
    index = pd.period_range(lo, hi, freq="M", name="month") if lo is not None and hi is not None else pd.PeriodIndex([], freq="M", name="month")
    out = pd.DataFrame(index=index)
    out["value"] = months["value"].reindex(index)
    out["status"] = months["status"].reindex(index).fillna("missing")
    out["source_ids"] = months["source_ids"].reindex(index).fillna("")
    out.attrs["unit"] = rows["unit"].iloc[0] if len(rows) else (unit or "")
    return out


def _regular(values: pd.Series) -> pd.Series:
    if len(values) == 0:
        return values
    full = pd.period_range(values.index.min(), values.index.max(), freq="M")
    return values.reindex(full)


def pct_change(values: pd.Series, lag: int) -> pd.Series:
    """Change in % against `lag` months before; NaN where either month has no figure or a zero base."""
    full = _regular(values.astype(float))
    before = full.shift(lag)
    change = (full / before.where(before != 0) - 1) * 100
    return change.reindex(values.index)


def mom_pct(values: pd.Series) -> pd.Series:
    """Month-on-month change in %; never across a gap."""
    return pct_change(values, 1)


def yoy_pct(values: pd.Series) -> pd.Series:
    """Change in % against the same month a year before."""
    return pct_change(values, 12)


@dataclass(frozen=True)
class Baseline:
    """The mean monthly value over a window, and how it was obtained."""

    start: str
    end: str
    mean: float
    months_in_window: int
    months_with_data: int
    method: str
    periods: tuple[str, ...] = field(default=())

    @property
    def window(self) -> str:
        return f"{self.start}/{self.end}"

    @property
    def complete(self) -> bool:
        return self.months_with_data == self.months_in_window

    @property
    def total(self) -> float:
        """The window's total when its figures cover every month; NaN otherwise, as a partial sum
        would understate it."""
        return self.mean * self.months_in_window if self.complete else float("nan")


def baseline(rows: pd.DataFrame, start: str, end: str) -> Baseline:
    """Mean monthly value over `start`..`end` (inclusive months).

    When reported totals and months cover the whole window (2024's annual total covers every
    month of 2024), the mean is their sum over the number of months: that is what the
    reported total supports even where single months were not published. Otherwise it is the
    mean of the months that have a figure, and `months_with_data` says how many.
    """
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")
    window = pd.period_range(lo, hi, freq="M")
    inside = rows[(rows["first_month"] >= lo) & (rows["last_month"] <= hi)]
    known = {p: Decimal(str(v)) for p, v in zip(inside["period"], inside["value"])}
    total_period = period_for([Month(p.year, p.month) for p in window])
    parts = [total_period] if total_period in known else cover(total_period, known)
    covered = sum(int(inside.loc[inside["period"] == p, "n_months"].iloc[0]) for p in parts)
    if parts and covered == len(window):
        mean = float(sum(known[p] for p in parts)) / len(window)
        return Baseline(start, end, mean, len(window), len(window), "covered by " + ", ".join(parts), tuple(parts))
    singles = inside[inside["n_months"] == 1]
    if len(singles):
        return Baseline(start, end, float(singles["value"].mean()), len(window), len(singles),
                        f"mean of {len(singles)} of {len(window)} months", tuple(singles["period"]))
    return Baseline(start, end, float("nan"), len(window), 0, "no data in the window", ())


def period_total(rows: pd.DataFrame, start: str, end: str) -> float:
    """The total over `start`..`end` when reported months, spans and totals cover every month of
    it (January–February 2025 from its two months, or from a two-month figure); NaN otherwise, as
    a partial sum would understate the total."""
    return baseline(rows, start, end).total


def index(values: pd.Series, base: Baseline | float) -> pd.Series:
    """Value over the baseline mean, times 100 (unit-free, so tonnes and kilograms compare)."""
    mean = base.mean if isinstance(base, Baseline) else float(base)
    if not np.isfinite(mean) or mean == 0:
        return values * np.nan
    return values / mean * 100


def share_pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Part as % of the whole, where both have a figure for the month."""
    aligned_whole = whole.reindex(part.index)
    return part / aligned_whole.where(aligned_whole > 0) * 100


@dataclass(frozen=True)
class Swing:
    """How large ordinary month-to-month changes were: the yardstick for 'unusual'."""

    n: int
    mean: float
    std: float
    min: float
    max: float

    def z(self, change: float) -> float:
        return (change - self.mean) / self.std if self.n >= 2 and self.std > 0 else float("nan")


def typical_swing(changes: pd.Series) -> Swing:
    c = changes.dropna()
    if not len(c):
        return Swing(0, float("nan"), float("nan"), float("nan"), float("nan"))
    return Swing(len(c), float(c.mean()), float(c.std(ddof=1)) if len(c) > 1 else float("nan"),
                 float(c.min()), float(c.max()))


def price_premium(prices: pd.DataFrame, product: str, outside: str = "EU27", inside: str = "CHN") -> pd.DataFrame:
    """Outside-China price over the inside-China price, per month quoted in both markets.

    Ranges stay ranges: the premium runs from outside-low / inside-high to outside-high /
    inside-low, and `mid` compares the midpoints. Several quotes in one month widen the range.
    A bound ('over $1,100', 'under ...': prices.csv `qualifier`) is not a price and is left out.
    """
    p = prices[(prices["product"] == product) & (prices["n_months"] == 1)]
    if "qualifier" in p:
        p = p[~p["qualifier"].str.contains(r"\b(?:over|under|at least)\b", regex=True)]
    def market(code: str) -> pd.DataFrame:
        m = p[p["market"] == code].groupby("first_month").agg(low=("low", "min"), high=("high", "max"))
        return m
    out_m, in_m = market(outside), market(inside)
    both = out_m.join(in_m, lsuffix="_outside", rsuffix="_inside", how="inner")
    res = pd.DataFrame(index=both.index)
    res["low"] = both["low_outside"] / both["high_inside"]
    res["high"] = both["high_outside"] / both["low_inside"]
    res["mid"] = (both["low_outside"] + both["high_outside"]) / (both["low_inside"] + both["high_inside"])
    res.index.name = "month"
    return res


def qualifying_partners(obs: pd.DataFrame, rule: dict) -> list[str]:
    """Partners with at least `min_months` monthly figures of `product` from `since` on."""
    sel = obs[(obs["product"] == rule["product"]) & (obs["flow"] == rule.get("flow", "export"))
              & (obs["n_months"] == 1) & (~obs["partner"].isin(rule.get("exclude", ["WLD"])))]
    if "since" in rule:
        sel = sel[sel["first_month"] >= pd.Period(rule["since"], "M")]
    counts = sel.groupby("partner")["period"].nunique()
    return sorted(counts[counts >= int(rule.get("min_months", 1))].index)


PERIOD_COLUMNS = ["period", "first_month", "last_month", "n_months", "value", "status", "source_ids", "monthly"]


def period_series(obs: pd.DataFrame, product: str, partner: str = "WLD", flow: str = "export",
                  unit: str | None = None, start: str | None = None, end: str | None = None,
                  max_months: int = 3) -> pd.DataFrame:
    """The series at the granularity it was published: every monthly figure, plus the short totals
    (at most `max_months` months, shortest first) that cover months without a figure of their own
    and overlap no figure already taken. January-February 2026, published as one figure, stays one
    row; it is never split into months. `monthly` is the value over the months it covers.
    """
    rows = series_rows(obs, product, partner, flow, unit)
    lo = pd.Period(start, "M") if start else None
    hi = pd.Period(end, "M") if end else None
    inside = rows[((rows["first_month"] >= lo) if lo is not None else True)
                  & ((rows["last_month"] <= hi) if hi is not None else True)
                  & (rows["n_months"] <= max_months)]
    taken: set[pd.Period] = set()
    chosen = []
    for _, row in inside.sort_values(["n_months", "first_month"], kind="mergesort").iterrows():
        covered = set(pd.period_range(row["first_month"], row["last_month"], freq="M"))
        if covered & taken:
            continue
        taken |= covered
        chosen.append(row)
    out = pd.DataFrame(chosen, columns=[c for c in PERIOD_COLUMNS if c != "monthly"])
    out = out.sort_values("first_month", kind="mergesort").reset_index(drop=True)
    out["value"] = out["value"].astype(float)
    out["n_months"] = out["n_months"].astype(int)
    out["monthly"] = out["value"] / out["n_months"]
    out.attrs["unit"] = rows["unit"].iloc[0] if len(rows) else (unit or "")
    return out[PERIOD_COLUMNS]


def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with `df` degrees of freedom (fractional, as Welch's are).

    Intervals from a handful of months need t, not the normal curve: with three months the
    95% quantile is 4.30, not 1.96. Computed by integrating the density (Simpson's rule) and
    bisecting, so the book needs no statistics library.
    """
    if not 0 < p < 1 or not df > 0:
        raise ValueError(f"t_quantile needs 0 < p < 1 and df > 0, got p={p}, df={df}")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    scale = np.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def cdf(x: float) -> float:
        grid = np.linspace(0.0, x, 2001)
        density = scale * (1 + grid ** 2 / df) ** (-(df + 1) / 2)
        step = x / 2000
        return 0.5 + step / 3 * (density[0] + 4 * density[1:-1:2].sum() + 2 * density[2:-1:2].sum() + density[-1])

    lo, hi = 0.0, 1.0
    while cdf(hi) < p:
        lo, hi = hi, hi * 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2
