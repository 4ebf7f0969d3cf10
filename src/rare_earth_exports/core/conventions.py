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

from .series import mom_pct


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
