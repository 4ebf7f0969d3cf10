"""The cost in tonnes: what exports would have been without the controls, and the shortfall.

The counterfactual is the pre-control level with its seasonal pattern. The pattern comes from a
full year before the controls at the granularity that year was published: 2024 is known as a
total, a few single months and some year-to-date totals, so months covered by the same set of
figures form one block (January and March to June 2024 are known only together) and every month
of a block gets the block's monthly mean. A month's seasonal factor is its block's monthly mean
over the year's. Each baseline window then gives a level, its mean divided by the mean factor of
its own months (a window holding the Lunar New Year dip is scaled up accordingly), and the
counterfactual of any month is that level times the month's factor.

The shortfall sums the counterfactual minus the actual figure over every figure from the control
month to a given month: months above the counterfactual reduce it. A month without a figure, or a
multi-month total reaching past the given month, leaves it unknown rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.conventions import Window
from ...core.series import Baseline, baseline


@dataclass(frozen=True)
class Block:
    """Calendar months the pattern year publishes only together, and their total."""

    months: tuple[int, ...]   # 1 to 12
    total: float

    @property
    def per_month(self) -> float:
        return self.total / len(self.months)


@dataclass(frozen=True)
class SeasonalPattern:
    """How a full year's exports were spread over its months, as far as its figures tell."""

    window: Window
    blocks: tuple[Block, ...]   # in calendar order of their first month; every month in one block

    @property
    def mean(self) -> float:
        """The year's mean monthly level."""
        return sum(b.total for b in self.blocks) / 12

    def factor(self, month: int) -> float:
        """The calendar month's level over the year's mean (1: an average month)."""
        block = next(b for b in self.blocks if month in b.months)
        return block.per_month / self.mean

    def months_factor(self, months: pd.PeriodIndex) -> float:
        """The sum of the factors of `months`: how many average months they are worth."""
        return float(sum(self.factor(m.month) for m in months))


def seasonal_pattern(rows: pd.DataFrame, window: Window) -> SeasonalPattern | None:
    """The pattern of a twelve-month window from every figure of the series inside it (`rows`:
    months, spans, totals). Months covered by the same figures form a block; the figures fix each
    block's total (by solving the sums they state); blocks whose totals the figures cannot tell
    apart are pooled into one. None when the figures do not fix the year's total.
    """
    window_months = pd.period_range(window.start, window.end, freq="M")
    if len(window_months) != 12 or len({m.month for m in window_months}) != 12:
        raise ValueError(f"a seasonal pattern needs a window of twelve months: {window.name} is {window.period}")
    inside = rows[(rows["first_month"] >= window_months[0]) & (rows["last_month"] <= window_months[-1])]
    if not len(inside):
        return None
    figures = [set(pd.period_range(r.first_month, r.last_month, freq="M")) for r in inside.itertuples()]
    signature = {m: tuple(i for i, f in enumerate(figures) if m in f) for m in window_months}
    atoms: dict[tuple, list[pd.Period]] = {}
    for m in window_months:
        atoms.setdefault(signature[m], []).append(m)
    groups = list(atoms.values())
    matrix = np.array([[1.0 if set(g) <= f else 0.0 for g in groups] for f in figures])
    values = inside["value"].to_numpy(dtype=float)
    solution = np.linalg.lstsq(matrix, values, rcond=None)[0]
    rank = np.linalg.matrix_rank(matrix)

    def fixed(indicator: np.ndarray) -> bool:
        return np.linalg.matrix_rank(np.vstack([matrix, indicator])) == rank

    if not fixed(np.ones(len(groups))):
        return None
    known = [j for j in range(len(groups)) if fixed(np.eye(len(groups))[j])]
    blocks = [Block(tuple(m.month for m in groups[j]), float(solution[j])) for j in known]
    rest = [j for j in range(len(groups)) if j not in known]
    if rest:  # their sum is fixed: the year's total less the blocks that are
        blocks.append(Block(tuple(m.month for j in rest for m in groups[j]), float(solution[rest].sum())))
    order = [m.month for m in window_months]
    blocks.sort(key=lambda b: order.index(b.months[0]))
    return SeasonalPattern(window, tuple(Block(tuple(sorted(b.months, key=order.index)), b.total) for b in blocks))


@dataclass(frozen=True)
class Counterfactual:
    """Exports without the controls, from one baseline window: its level, seasonally spread."""

    window: Window
    base: Baseline
    pattern: SeasonalPattern

    @property
    def window_factor(self) -> float:
        """The mean seasonal factor of the window's own months (1 for a whole year)."""
        months = pd.period_range(self.window.start, self.window.end, freq="M")
        return self.pattern.months_factor(months) / len(months)

    @property
    def level(self) -> float:
        """The window's mean, freed of its months' season: what an average month would have been."""
        return self.base.mean / self.window_factor

    def expected(self, first: pd.Period, last: pd.Period) -> float:
        """The counterfactual total of the months `first`..`last`."""
        return self.level * self.pattern.months_factor(pd.period_range(first, last, freq="M"))


def counterfactual(rows: pd.DataFrame, window: Window, pattern: SeasonalPattern | None) -> Counterfactual | None:
    """The counterfactual from `window`, when figures cover all of it and a pattern is known."""
    base = baseline(rows, window.start, window.end)
    if pattern is None or not base.complete or not np.isfinite(base.mean) or base.mean <= 0:
        return None
    return Counterfactual(window, base, pattern)


@dataclass(frozen=True)
class Shortfall:
    """The counterfactual minus the actual figures, summed over `first`..`last`."""

    first: pd.Period
    last: pd.Period
    tonnes: float                 # NaN when a month of the stretch has no usable figure
    missing: tuple[str, ...]      # months of the stretch without one
    rows: pd.DataFrame            # period, actual, expected, shortfall: one row per figure used

    @property
    def period(self) -> str:
        """The stretch in the data package's notation ('2025-04/2025-07')."""
        return str(self.first) if self.first == self.last else f"{self.first}/{self.last}"


def shortfall(periods: pd.DataFrame, cf: Counterfactual, first: pd.Period, last: pd.Period) -> Shortfall:
    """The shortfall over `first`..`last` from a `series.period_series` frame: every figure inside
    the stretch counts whole (a two-month total against the counterfactual of both months); a month
    with no figure, or inside a total that reaches past the stretch, makes it unknown."""
    inside = periods[(periods["first_month"] >= first) & (periods["last_month"] <= last)]
    covered = {m for r in inside.itertuples() for m in pd.period_range(r.first_month, r.last_month, freq="M")}
    missing = tuple(str(m) for m in pd.period_range(first, last, freq="M") if m not in covered)
    table = pd.DataFrame({"period": inside["period"].to_numpy(), "actual": inside["value"].to_numpy(),
                          "expected": [cf.expected(r.first_month, r.last_month) for r in inside.itertuples()]})
    table["shortfall"] = table["expected"] - table["actual"]
    tonnes = float(table["shortfall"].sum()) if not missing else float("nan")
    return Shortfall(first, last, tonnes, missing, table)
