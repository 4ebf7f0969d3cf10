"""The book's conventions, one of each, so every chapter reads the data by the same rules.

- Named windows: a baseline is a named window ("2024", "Q1 2025") with the reason it is used;
  pages receive them from `parameters.yml` (`windows:`) and say the name and the reason.
- The seasonal rule: changes into or out of the Lunar New Year months swing with the holiday's
  date, so every yardstick of ordinary month-to-month changes leaves them out.
- The floor: a percentage change on a base below the floor for its unit says more about the base
  than about the change, so it is reported as not meaningful, never as a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .series import mom_pct, period_total


@dataclass(frozen=True)
class Window:
    """A named window of months (inclusive) and why the book uses it."""

    name: str
    start: str
    end: str
    reason: str

    @classmethod
    def from_param(cls, value: dict) -> "Window":
        """From a `windows:` entry of parameters.yml: {name, start, end, reason}."""
        missing = [k for k in ("name", "start", "end", "reason") if not value.get(k)]
        if missing:
            raise ValueError(f"a window needs {', '.join(missing)}: got {value!r}")
        return cls(str(value["name"]), str(value["start"]), str(value["end"]), str(value["reason"]))

    @property
    def period(self) -> str:
        """The window in the data package's notation ('2024-01/2024-12')."""
        return f"{self.start}/{self.end}"


def ordinary_changes(values: pd.Series, start: str | None, end: str | None,
                     seasonal_months: tuple[int, ...] | list[int] = ()) -> pd.Series:
    """Month-on-month changes (%) between months that both lie in start..end (None: the series'
    own first or last month), leaving out changes into or out of a seasonal month.

    This is the one yardstick of "ordinary" change in the book: a holiday dip in February and the
    rebound in March are seasonal, not signs of anything.
    """
    lo = pd.Period(start, "M") if start else None
    hi = pd.Period(end, "M") if end else None
    changes = mom_pct(values.loc[lo:hi]).dropna()
    seasonal = set(seasonal_months)
    return changes[[not ({m.month, (m - 1).month} & seasonal) for m in changes.index]]


def meaningful_base(base: float, unit: str, floors: dict[str, float]) -> bool:
    """True when a change on `base` can be printed: the base is known and at or above the floor
    for its unit (a unit without a floor has none)."""
    return math.isfinite(base) and base > 0 and base >= floors.get(unit, 0)


# Why a change is not printed as a number (see `Change`).
NO_FIGURE = "no figure"
NOT_COMPUTABLE = "not computable"
NOT_MEANINGFUL = "not meaningful"


@dataclass(frozen=True)
class Change:
    """A change in % against a base, or the reason it is not a number a reader should see: a figure
    it needs is missing (`no figure`), exists only inside a multi-month total (`not computable`),
    or the base is under the floor (`not meaningful`)."""

    pct: float
    base: float = float("nan")
    reason: str = ""

    @property
    def shown(self) -> bool:
        return not self.reason


def change(now: float, base: float, unit: str, floors: dict[str, float], base_months: int = 1) -> Change:
    """`now` against `base` in %; the floor applies to the base's level per month, so a two-month
    total is held to the same floor as one month."""
    if not (math.isfinite(now) and math.isfinite(base)):
        return Change(float("nan"), base, NO_FIGURE)
    if not meaningful_base(base / base_months, unit, floors):
        return Change(float("nan"), base, NOT_MEANINGFUL)
    return Change((now / base - 1) * 100, base)


def month_on_month(periods: pd.DataFrame, floors: dict[str, float]) -> list[Change]:
    """Each row of a `series.period_series` frame against the month before it. A change needs two
    single months: a multi-month total, or a month after one, is `not computable`."""
    unit = periods.attrs.get("unit", "")
    singles = {r.first_month: r.value for r in periods.itertuples() if r.n_months == 1}
    in_spans = {m for r in periods.itertuples() if r.n_months > 1
                for m in pd.period_range(r.first_month, r.last_month, freq="M")}
    out = []
    for r in periods.itertuples():
        before = r.first_month - 1
        if r.n_months > 1 or before in in_spans:
            out.append(Change(float("nan"), float("nan"), NOT_COMPUTABLE))
        else:
            out.append(change(r.value, singles.get(before, float("nan")), unit, floors))
    return out


def year_on_year(periods: pd.DataFrame, rows: pd.DataFrame, floors: dict[str, float], max_months: int = 3) -> list[Change]:
    """Each row of a `series.period_series` frame against the same months a year before, like with
    like: January-February 2026 against the total of January and February 2025 (from `rows`, every
    figure of the series, whichever notation covers those months). Months a year before that exist
    only inside a short total (at most `max_months` months) make the change `not computable`."""
    unit = periods.attrs.get("unit", "")
    in_spans = {m for r in rows.itertuples() if 1 < r.n_months <= max_months
                for m in pd.period_range(r.first_month, r.last_month, freq="M")}
    out = []
    for r in periods.itertuples():
        first, last = r.first_month - 12, r.last_month - 12
        before = period_total(rows, str(first), str(last))
        if not math.isfinite(before) and set(pd.period_range(first, last, freq="M")) & in_spans:
            out.append(Change(float("nan"), float("nan"), NOT_COMPUTABLE))
        else:
            out.append(change(r.value, before, unit, floors, r.n_months))
    return out
