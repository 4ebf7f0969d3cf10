"""The newest figures of a side, spans kept: what the months after the last full year say.

GACC published January and February 2026 as one figure. It stays one period: it is compared
with the same two months a year before (like with like), and a month-on-month change that needs
February alone is not computable. A single month is compared with the same month a year before
and with the month before when that month has a figure of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ...core.conventions import meaningful_base
from ...core.periods import months_of
from ...core.series import period_total
from .shares import finest_periods


@dataclass(frozen=True)
class PeriodFigure:
    """One period of the newest months: its figure, the same months a year before, the month before."""

    period: str
    value: float
    year_before: float       # the same months a year before; NaN when they are not covered
    previous: float          # the month before, for a single month whose previous month has its own figure
    previous_span: str       # the span (at most three months) holding the month before when it has no figure of its own; '' if none
    whole: float             # China's total for the same period; NaN when not reported as such
    unit: str
    floors: dict

    @property
    def months(self) -> int:
        return len(months_of(self.period))

    @property
    def yoy_pct(self) -> float:
        """Change on the same months a year before, in %; NaN without a base at or above the floor."""
        if not meaningful_base(self.year_before, self.unit, self.floors):
            return float("nan")
        return (self.value / self.year_before - 1) * 100

    @property
    def mom_pct(self) -> float:
        """Change on the month before, in %; NaN for a span, without a previous month or on a small base."""
        if self.months != 1 or not meaningful_base(self.previous, self.unit, self.floors):
            return float("nan")
        return (self.value / self.previous - 1) * 100

    @property
    def share(self) -> float:
        return self.value / self.whole * 100 if math.isfinite(self.whole) and self.whole > 0 else float("nan")


def _value(rows: pd.DataFrame, period: str) -> float:
    hit = rows.loc[rows["period"] == period, "value"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def newest_figures(rows: pd.DataFrame, whole: pd.DataFrame, since: str, end: str, unit: str,
                   floors: dict) -> list[PeriodFigure]:
    """Each period of a side from `since` to `end` (months, or spans where months are missing)."""
    out = []
    for period in finest_periods([rows], since, end):
        months = months_of(period)
        first, last = pd.Period(str(months[0]), "M"), pd.Period(str(months[-1]), "M")
        previous, span = float("nan"), ""
        if len(months) == 1:
            previous = _value(rows, str(first - 1))
            held = rows[(rows["first_month"] <= first - 1) & (rows["last_month"] >= first - 1) & (rows["n_months"] > 1)
                        & (rows["n_months"] <= 3)].sort_values("n_months")
            span = held["period"].iloc[0] if not math.isfinite(previous) and len(held) else ""
        out.append(PeriodFigure(period, _value(rows, period), period_total(rows, str(first - 12), str(last - 12)),
                                previous, span, _value(whole, period), unit, floors))
    return out


def last_figure(values: pd.Series) -> tuple[pd.Period | None, float]:
    """A side's newest month with a figure of its own, and the figure; (None, NaN) for none."""
    known = values.dropna()
    return (known.index[-1], float(known.iloc[-1])) if len(known) else (None, float("nan"))
