"""Collapse and recovery: how far a monthly series fell after a date and how it came back.

Every measure works on a monthly series on a complete month index (gaps are NaN, see
`metrics.monthly_series`) and says when a gap prevents an answer instead of guessing: a low
month next to a missing month may not be the low, and a series that regains its baseline after
a gap may have regained it earlier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.load import BookData
from ...core import conventions
from ...core.series import (Baseline, Swing, baseline, index, mom_pct, monthly_series, qualifying_partners, series_rows,
                             share_pct, typical_swing, yoy_pct)
from ...core.periods import last_full_year, months_of, period_for

WORLD = "WLD"


def month_of(date: str) -> pd.Period:
    """The month of a date given as YYYY-MM-DD or YYYY-MM."""
    return pd.Period(date[:7], "M")


def period_label(start: str, end: str) -> str:
    """The data package's notation for a window of months: `2024`, `2025-01/2025-03`, `2025-05`."""
    return period_for(months_of(f"{start}/{end}"))


def usable(base: Baseline) -> bool:
    """A baseline is used only when figures cover every month of its window.

    A mean of some months of a year is not a yearly level: it depends on which season was
    published, so a partial window is reported as unavailable rather than used.
    """
    return base.complete and bool(np.isfinite(base.mean)) and base.mean > 0


def change_pct(value: float, reference: float) -> float:
    """`value` against `reference` in % (NaN unless both are known and the reference is positive)."""
    if not (np.isfinite(value) and np.isfinite(reference)) or reference <= 0:
        return float("nan")
    return (value / reference - 1) * 100


def period_total(rows: pd.DataFrame, start: str, end: str) -> float:
    """Total over `start`..`end` when reported totals and months cover every month, else NaN."""
    base = baseline(rows, start, end)
    return base.mean * base.months_in_window if base.complete else float("nan")


def _missing(values: pd.Series, first: pd.Period, last: pd.Period) -> tuple[str, ...]:
    window = pd.period_range(first, last, freq="M")
    return tuple(str(m) for m in window if not np.isfinite(values.get(m, np.nan)))


@dataclass(frozen=True)
class Trough:
    """The lowest month from the control month on, and whether gaps leave it open."""

    month: pd.Period | None
    value: float
    unknown: tuple[str, ...]  # months from the control month to the month after the low without a figure

    @property
    def pinned(self) -> bool:
        """Only a low with figures on both sides, back to the control month, is the trough."""
        return self.month is not None and not self.unknown


def trough(values: pd.Series, control: str) -> Trough:
    """The lowest month at or after the control month (the earliest one if several tie)."""
    after = values[values.index >= month_of(control)].dropna()
    if not len(after):
        return Trough(None, float("nan"), ())
    low = after.idxmin()
    return Trough(low, float(after[low]), _missing(values, month_of(control), low + 1))


@dataclass(frozen=True)
class Recovery:
    """When a series got back to a level after its trough, and whether it stayed there."""

    regained: pd.Period | None
    months: float                 # months from the trough to the month it regained the level
    unknown_before: tuple[str, ...]  # months between the trough and then without a figure
    held: int                     # months with a figure from then on at or above the level
    with_figure: int              # months with a figure from then on

    @property
    def exact(self) -> bool:
        """False when a missing month means the level may have been regained earlier."""
        return self.regained is not None and not self.unknown_before


def recovery(values: pd.Series, trough_month: pd.Period | None, level: float) -> Recovery:
    """The first month after the trough at or above `level`, and how many later months held it."""
    if trough_month is None or not np.isfinite(level):
        return Recovery(None, float("nan"), (), 0, 0)
    later = values[values.index > trough_month].dropna()
    above = later[later >= level]
    if not len(above):
        return Recovery(None, float("nan"), (), 0, 0)
    first = above.index[0]
    since = later[later.index >= first]
    unknown = _missing(values, trough_month + 1, first - 1) if first > trough_month + 1 else ()
    return Recovery(first, float((first - trough_month).n), unknown, int((since >= level).sum()), len(since))


@dataclass(frozen=True)
class YearAgo:
    """A month against the same months a year before."""

    before_period: str   # the earlier figure: the month itself or the shortest total holding it
    before: float
    now_period: str
    now: float
    status: str          # status of the earlier figure (reported or derived)

    @property
    def change_pct(self) -> float:
        return change_pct(self.now, self.before)


def year_ago(rows: pd.DataFrame, month: pd.Period, max_months: int = 3) -> YearAgo | None:
    """`month` against a year before; when that month was only published inside a short total
    (November-December 2024), the same months of both years are compared instead. A total of
    more than `max_months` months says too little about one month and is not used.
    """
    then = month - 12
    holding = rows[(rows["first_month"] <= then) & (rows["last_month"] >= then) & (rows["n_months"] <= max_months)]
    for _, row in holding.sort_values(["n_months", "first_month"]).iterrows():
        now = period_total(rows, str(row["first_month"] + 12), str(row["last_month"] + 12))
        if np.isfinite(now):
            first, last = row["first_month"] + 12, row["last_month"] + 12
            now_period = str(first) if first == last else f"{first}/{last}"
            return YearAgo(row["period"], float(row["value"]), now_period, now, row["status"])
    return None


def pooled_share(part: pd.Series, whole: pd.Series, first: pd.Period, last: pd.Period) -> tuple[float, int]:
    """Part's total over the whole's total in `first`..`last`, over months where both have a figure.

    Pooling weighs each month by its size, so one small month cannot swing the share.
    """
    whole = whole.reindex(part.index)
    both = part.notna() & whole.notna() & (part.index >= first) & (part.index <= last)
    if not both.any() or whole[both].sum() <= 0:
        return float("nan"), 0
    return float(part[both].sum() / whole[both].sum() * 100), int(both.sum())


def ordinary_changes(values: pd.Series, control: str, skip_months: tuple[int, ...] = ()) -> pd.Series:
    """Month-on-month changes before the control month: the yardstick for an unusual fall
    (changes into or out of a month in `skip_months`, the Lunar New Year months, left out)."""
    return conventions.ordinary_changes(values, None, str(month_of(control) - 1), skip_months)


def months_with_figure(series: pd.DataFrame) -> tuple[int, int, int]:
    """(months with a figure, of which derived, months in the window) of a `monthly_series` frame."""
    return int(series["value"].notna().sum()), int((series["status"] == "derived").sum()), len(series)


@dataclass(frozen=True)
class Against:
    """The collapse and recovery measured against one baseline window."""

    label: str               # the window in the data package's notation, e.g. `2024`
    base: Baseline
    ok: bool                 # figures cover every month of the window (see `usable`)
    index: pd.Series         # monthly level, baseline = 100 (NaN when not ok)
    low_index: float
    recovery: Recovery
    newest_index: float


@dataclass(frozen=True)
class Measures:
    """Everything the collapse page says about one series, computed once."""

    series: pd.DataFrame     # `monthly_series` frame: value, status, source_ids
    unit: str
    changes: pd.Series       # month-on-month %
    yoy: pd.Series           # against the same month a year before, %
    shares: pd.Series        # % of the world total
    low: Trough
    newest: pd.Period | None
    has_before: bool         # some month before the control month has a figure
    falls: tuple[pd.Period, ...]  # months from the control month to the low with a computable change
    rebound: pd.Period | None     # the month after the low, when its change is computable
    against: dict[str, Against]
    ago: YearAgo | None
    year: int                # the last full calendar year up to the newest month
    year_total: float        # that year's total, when every month is covered
    prev_total: float
    share_before: tuple[float, int]
    share_after: tuple[float, int]
    swing_all: Swing
    swing: Swing             # without the changes into or out of the seasonal months
    worst: pd.Period | None  # the largest month-on-month fall from the control month to the low


def _at(values: pd.Series, month: pd.Period | None) -> float:
    return float(values[month]) if month is not None else float("nan")


def measure(obs: pd.DataFrame, product: str, partner: str, control: str, windows: dict[str, tuple[str, str]],
            start: str, end: str, skip_months: tuple[int, ...] = (), world: str = WORLD) -> Measures:
    """The collapse, the recovery against each baseline window, the year-ago and annual
    comparisons, the shares before and after the control month, and the ordinary swings."""
    rows = series_rows(obs, product, partner)
    series = monthly_series(obs, product, partner, start=start, end=end)
    values = series["value"]
    whole = monthly_series(obs, product, world, start=start, end=end)["value"]
    control_month, first, last = month_of(control), pd.Period(start, "M"), pd.Period(end, "M")
    changes = mom_pct(values)
    low = trough(values, control)
    newest = values.last_valid_index()
    against = {}
    for key, (lo, hi) in windows.items():
        base = baseline(rows, lo, hi)
        ok = usable(base)
        idx = index(values, base) if ok else values * np.nan
        against[key] = Against(period_label(lo, hi), base, ok, idx, _at(idx, low.month),
                               recovery(values, low.month, base.mean if ok else float("nan")), _at(idx, newest))
    falls = tuple(m for m in pd.period_range(control_month, low.month, freq="M")
                  if np.isfinite(changes.get(m, np.nan))) if low.month is not None else ()
    rebound = low.month + 1 if low.month is not None and np.isfinite(changes.get(low.month + 1, np.nan)) else None
    through = newest if newest is not None else last
    year = last_full_year(through.year, through.month)
    swing_all = typical_swing(ordinary_changes(values, control))
    swing = typical_swing(ordinary_changes(values, control, skip_months))
    return Measures(
        series=series, unit=series.attrs["unit"], changes=changes, yoy=yoy_pct(values),
        shares=share_pct(values, whole), low=low, newest=newest,
        has_before=bool(values[values.index < control_month].notna().any()), falls=falls, rebound=rebound,
        against=against, ago=year_ago(rows, newest) if newest is not None else None,
        year=year, year_total=period_total(rows, f"{year}-01", f"{year}-12"),
        prev_total=period_total(rows, f"{year - 1}-01", f"{year - 1}-12"),
        share_before=pooled_share(values, whole, first, control_month - 1),
        share_after=pooled_share(values, whole, control_month, last),
        swing_all=swing_all, swing=swing,
        worst=min(falls, key=lambda m: changes[m]) if falls else None,
    )


def by_destination(obs: pd.DataFrame, product: str, partners: list[str], control: str, start: str,
                   end: str, world: str = WORLD) -> pd.DataFrame:
    """One row per destination: coverage, lowest month after the control, newest month, and
    its pooled share of the world total before the control month and from it on."""
    records = []
    for partner in partners:
        m = measure(obs, product, partner, control, {}, start, end, world=world)
        records.append({
            "partner": partner, "months": int(m.series["value"].notna().sum()),
            "low_month": m.low.month, "low": m.low.value, "low_pinned": m.low.pinned,
            "newest_month": m.newest, "newest": _at(m.series["value"], m.newest),
            "share_before": m.share_before[0], "months_before": m.share_before[1],
            "share_after": m.share_after[0], "months_after": m.share_after[1],
        })
    return pd.DataFrame(records, columns=["partner", "months", "low_month", "low", "low_pinned", "newest_month",
                                          "newest", "share_before", "months_before", "share_after", "months_after"])


def destination_panels(obs: pd.DataFrame, product: str, partners: list[str], start: str, end: str,
                       world: str = WORLD) -> dict[str, pd.DataFrame]:
    """Each partner's `monthly_series` over `start`..`end`, with a `share` column: % of the world total."""
    whole = monthly_series(obs, product, world, start=start, end=end)["value"]
    panels = {}
    for partner in partners:
        series = monthly_series(obs, product, partner, start=start, end=end)
        panels[partner] = series.assign(share=share_pct(series["value"], whole))
    return panels


@dataclass(frozen=True)
class PageMeasures:
    """Everything one page of the chapter says, computed once: the measures of its series and
    the frame they are read in (whose series, which months, which destinations have a page)."""

    partner: str
    name: str                     # the partner in words, e.g. 'United States'
    product: str
    product_name: str             # e.g. 'Rare-earth permanent magnets'
    control_date: str             # YYYY-MM-DD or YYYY-MM
    start: str
    end: str
    lunar_months: tuple[int, ...]
    measures: Measures
    rows: pd.DataFrame            # every row of the series (months, spans, years): the baselines' sources
    since: str                    # destinations qualify by their monthly figures from this month on
    min_months: int               # monthly figures a destination needs for a page of its own
    destinations: tuple[str, ...]  # the destinations with a page
    names: dict[str, str]         # the page's partner and every destination with a page, in words
    by_destination: pd.DataFrame  # `by_destination` of the destinations (world page only, else no rows)
    panels: dict[str, pd.DataFrame]  # `destination_panels` since `since`, the world first (world page only)

    @property
    def world(self) -> bool:
        """The page of all destinations together (the chapter page), not of one destination."""
        return self.partner == WORLD

    @property
    def control(self) -> pd.Period:
        return month_of(self.control_date)

    @property
    def first(self) -> pd.Period:
        return pd.Period(self.start, "M")

    @property
    def last(self) -> pd.Period:
        return pd.Period(self.end, "M")

    @property
    def window(self) -> str:
        return period_label(self.start, self.end)

    @property
    def before_window(self) -> str:
        """The months before the control month, in the data package's notation."""
        return period_label(self.start, str(self.control - 1))

    @property
    def after_window(self) -> str:
        """The control month and the months after it, in the data package's notation."""
        return period_label(str(self.control), self.end)


def page_measures(data: BookData, product: str, partner: str, control_date: str, windows: dict[str, tuple[str, str]],
                  start: str, end: str, lunar_months: list[int], destination_rule: dict) -> PageMeasures:
    """The page's measures (`measure`), and the destinations the rule in parameters.yml gives a
    page, measured side by side on the world page."""
    obs = data.observations
    m = measure(obs, product, partner, control_date, windows, start, end, tuple(lunar_months))
    destinations = tuple(qualifying_partners(obs, destination_rule))
    since = destination_rule.get("since", start)
    world = partner == WORLD
    return PageMeasures(
        partner=partner, name=data.partner_name(partner), product=product, product_name=data.product_name(product),
        control_date=control_date, start=start, end=end, lunar_months=tuple(lunar_months), measures=m,
        rows=series_rows(obs, product, partner, unit=m.unit), since=since,
        min_months=destination_rule.get("min_months", 1), destinations=destinations,
        names={p: data.partner_name(p) for p in (partner, *destinations)},
        by_destination=by_destination(obs, product, list(destinations) if world else [], control_date, start, end),
        panels=destination_panels(obs, product, [partner, *destinations], since, end) if world else {},
    )
