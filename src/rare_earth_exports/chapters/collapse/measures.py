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

from ...core import conventions
from ...core.conventions import NO_FIGURE, NOT_COMPUTABLE, Change, Window
from ...core.load import BookData
from ...core.periods import last_full_year, months_of, period_for
from ...core.series import (Baseline, Swing, baseline, index, mom_pct, monthly_series, period_series, period_total,
                            series_rows, typical_swing, yoy_pct)
from .counterfactual import Counterfactual, SeasonalPattern, Shortfall, counterfactual, seasonal_pattern, shortfall
from .release import Release, next_release

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


@dataclass(frozen=True)
class Share:
    """A destination's share of China's total, pooled over the figures both have in a window."""

    first: pd.Period     # the first and last month of the figures pooled (of the window, when none)
    last: pd.Period
    pct: float
    figures: int         # figures pooled (a two-month total counts once)
    months: int          # months they cover

    @property
    def period(self) -> str:
        return period_for(months_of(f"{self.first}/{self.last}"))


def pooled_share(part: pd.DataFrame, whole: pd.DataFrame, first: pd.Period, last: pd.Period) -> Share:
    """`part`'s total over `whole`'s total in `first`..`last` (two `period_series` frames), over the
    figures both have for the same period: a two-month total is set against the total of the same
    two months. Pooling weighs each figure by its size, so one small month cannot swing the share.
    """
    both = part.merge(whole[["period", "value"]], on="period", suffixes=("", "_whole"))
    both = both[(both["first_month"] >= first) & (both["last_month"] <= last) & (both["value_whole"] > 0)]
    if not len(both):
        return Share(first, last, float("nan"), 0, 0)
    return Share(both["first_month"].min(), both["last_month"].max(),
                 float(both["value"].sum() / both["value_whole"].sum() * 100), len(both), int(both["n_months"].sum()))


def period_shares(part: pd.DataFrame, whole: pd.DataFrame) -> pd.Series:
    """Each figure of `part` as % of `whole`'s figure for the same period (NaN where it has none)."""
    totals = dict(zip(whole["period"], whole["value"]))
    return pd.Series([v / totals[p] * 100 if totals.get(p, 0) > 0 else float("nan")
                      for p, v in zip(part["period"], part["value"])], index=part["period"].to_numpy(), dtype=float)


def ordinary_changes(values: pd.Series, control: str, seasonal_months: tuple[int, ...]) -> pd.Series:
    """Month-on-month changes before the control month, changes into or out of a seasonal month
    left out: the book's one yardstick of ordinary change (`conventions.ordinary_changes`)."""
    return conventions.ordinary_changes(values, None, str(month_of(control) - 1), seasonal_months)


@dataclass(frozen=True)
class LowSince:
    """How the newest figure compares with the figures before it: the last one lower than it."""

    lower: str | None      # the period of the last earlier figure below it (None: none is)
    months: int            # months from that figure's last month to the newest figure's last month
    firm: bool             # every month between has a figure, and at least two figures lie between


def lowest_since(periods: pd.DataFrame) -> LowSince:
    """The last figure before the newest one whose monthly level was lower (a two-month total by its
    monthly mean): the newest is the lowest since then, a low of `months` months. It is `firm` only
    when no month between lacks a figure (a gap may hide a lower month) and two or more figures lie
    between (lower than one figure is no low)."""
    if len(periods) < 2:
        return LowSince(None, 0, False)
    newest, earlier = periods.iloc[-1], periods.iloc[:-1]
    lower = earlier[earlier["monthly"] < newest["monthly"]]
    start = lower.iloc[-1]["last_month"] + 1 if len(lower) else earlier.iloc[0]["first_month"]
    between = earlier[earlier["first_month"] >= start]
    covered = {m for r in between.itertuples() for m in pd.period_range(r.first_month, r.last_month, freq="M")}
    gaps = [m for m in pd.period_range(start, newest["first_month"] - 1, freq="M") if m not in covered]
    firm = not gaps and len(between) >= 2
    if not len(lower):
        return LowSince(None, int((newest["last_month"] - earlier.iloc[0]["first_month"]).n) + 1, firm)
    return LowSince(lower.iloc[-1]["period"], int((newest["last_month"] - lower.iloc[-1]["last_month"]).n), firm)


def months_with_figure(series: pd.DataFrame) -> tuple[int, int, int]:
    """(months with a figure, of which derived, months in the window) of a `monthly_series` frame."""
    return int(series["value"].notna().sum()), int((series["status"] == "derived").sum()), len(series)


@dataclass(frozen=True)
class Against:
    """The collapse, the recovery and the cost measured against one named baseline window."""

    key: str                 # 'base' or 'alt', as the page's parameters name them
    window: Window
    label: str               # the window in the data package's notation, e.g. `2024`
    base: Baseline
    ok: bool                 # figures cover every month of the window (see `usable`)
    index: pd.Series         # monthly level, baseline = 100 (NaN when not ok)
    low_index: float
    recovery: Recovery
    newest_index: float      # the newest figure's monthly level, baseline = 100
    cf: Counterfactual | None
    to_recovery: Shortfall | None   # from the control month to the month the level was regained
    to_newest: Shortfall | None     # from the control month to the newest figure


@dataclass(frozen=True)
class YearToDate:
    """The newest calendar year so far against the same months a year before."""

    period: str
    now: float
    before_period: str
    change: Change


@dataclass(frozen=True)
class Measures:
    """Everything the collapse chapter says about one series, computed once."""

    series: pd.DataFrame     # `monthly_series` frame: value, status, source_ids (months only)
    periods: pd.DataFrame    # `period_series` frame: months and the short totals that stand for theirs
    unit: str
    changes: pd.Series       # month-on-month % between single months (the yardstick's raw material)
    mom: tuple[Change, ...]  # per row of `periods`: against the month before, or why not
    yoy: tuple[Change, ...]  # per row of `periods`: against the same months a year before, or why not
    shares: pd.Series        # per period: % of the world's figure for the same period
    low: Trough
    newest: pd.Period | None          # the last month of the newest figure
    newest_period: str | None         # the newest figure's period (a month, or a two-month total)
    newest_level: float               # its monthly level (a two-month total: its monthly mean)
    has_before: bool         # some month before the control month has a figure
    falls: tuple[pd.Period, ...]  # months from the control month to the low whose change has a base
    rebound: pd.Period | None     # the month after the low, when it has a change with a base
    against: dict[str, Against]
    together: Baseline | None     # both windows as one, when they adjoin: the third baseline a reader meets
    pattern: SeasonalPattern | None
    ago: YearAgo | None
    ytd: YearToDate | None
    year: int                # the last full calendar year up to the newest month
    year_total: float        # that year's total, when every month is covered
    prev_total: float
    after_end: pd.Period     # the end of the last full year before `end`: "after the controls" runs to it
    share_before: Share      # pooled before the control month
    share_after: Share       # from the control month to the end of the last full year before `end`
    share_latest: Share      # the months after that to `end` (the newest year so far)
    low_since: LowSince
    swing: Swing             # ordinary changes before the controls, seasonal months left out
    worst: pd.Period | None  # the largest month-on-month fall from the control month to the low

    def mom_at(self, month: pd.Period) -> Change:
        """The month-on-month change of a month, or why there is none."""
        for period, c in zip(self.periods["period"], self.mom):
            if period == str(month):
                return c
        return Change(float("nan"), float("nan"), NO_FIGURE)


def _at(values: pd.Series, month: pd.Period | None) -> float:
    return float(values[month]) if month is not None else float("nan")


def _year_to_date(rows: pd.DataFrame, newest: pd.Period, unit: str, floors: dict[str, float]) -> YearToDate | None:
    """January to the newest month against the same months a year before, when figures cover both."""
    first = pd.Period(f"{newest.year}-01", "M")
    if newest == first:
        return None
    now = period_total(rows, str(first), str(newest))
    before = period_total(rows, str(first - 12), str(newest - 12))
    label = lambda a, b: period_for(months_of(f"{a}/{b}"))  # noqa: E731
    return YearToDate(label(first, newest), now, label(first - 12, newest - 12),
                      conventions.change(now, before, unit, floors, (newest - first).n + 1))


def measure(obs: pd.DataFrame, product: str, partner: str, control: str, windows: dict[str, Window],
            start: str, end: str, seasonal_months: tuple[int, ...], floors: dict[str, float],
            pattern: SeasonalPattern | None = None, world: str = WORLD) -> Measures:
    """The collapse, the recovery and the cost against each baseline window, the year-ago and annual
    comparisons, the shares before and after the control month, and the ordinary swings."""
    rows = series_rows(obs, product, partner)
    series = monthly_series(obs, product, partner, start=start, end=end)
    periods = period_series(obs, product, partner, start=start, end=end)
    whole = period_series(obs, product, world, start=start, end=end)
    values = series["value"]
    control_month, last = month_of(control), pd.Period(end, "M")
    unit = series.attrs["unit"]
    changes = mom_pct(values)
    mom = tuple(conventions.month_on_month(periods, floors))
    low = trough(values, control)
    newest_row = periods.iloc[-1] if len(periods) else None
    newest = newest_row["last_month"] if newest_row is not None else None
    newest_level = float(newest_row["monthly"]) if newest_row is not None else float("nan")
    against = {}
    for key, window in windows.items():
        base = baseline(rows, window.start, window.end)
        ok = usable(base)
        idx = index(values, base) if ok else values * np.nan
        rec = recovery(values, low.month, base.mean if ok else float("nan"))
        cf = counterfactual(rows, window, pattern) if ok else None
        to_rec = shortfall(periods, cf, control_month, rec.regained) if cf and rec.regained is not None else None
        to_new = shortfall(periods, cf, control_month, newest) if cf and newest is not None and newest >= control_month else None
        against[key] = Against(key, window, period_label(window.start, window.end), base, ok, idx, _at(idx, low.month),
                               rec, newest_level / base.mean * 100 if ok else float("nan"), cf, to_rec, to_new)
    spans = sorted((w.start, w.end) for w in windows.values())
    together = None
    if len(spans) == 2 and pd.Period(spans[0][1], "M") + 1 == pd.Period(spans[1][0], "M"):
        together = baseline(rows, spans[0][0], spans[1][1])
    mom_by_period = dict(zip(periods["period"], mom))
    with_base = [m for m in pd.period_range(control_month, low.month, freq="M")
                 if mom_by_period.get(str(m), Change(np.nan, np.nan, NO_FIGURE)).reason not in (NO_FIGURE, NOT_COMPUTABLE)
                 ] if low.month is not None else []
    after_low = mom_by_period.get(str(low.month + 1)) if low.month is not None else None
    rebound = low.month + 1 if after_low is not None and after_low.reason not in (NO_FIGURE, NOT_COMPUTABLE) else None
    through = newest if newest is not None else last
    year = last_full_year(through.year, through.month)
    swing = typical_swing(ordinary_changes(values, control, seasonal_months))
    shown_falls = [m for m in with_base if mom_by_period[str(m)].shown]
    after_end = min(pd.Period(f"{last_full_year(last.year, last.month)}-12", "M"), last)
    return Measures(
        series=series, periods=periods, unit=unit, changes=changes, mom=mom,
        yoy=tuple(conventions.year_on_year(periods, rows, floors)), shares=period_shares(periods, whole),
        low=low, newest=newest, newest_period=newest_row["period"] if newest_row is not None else None,
        newest_level=newest_level, has_before=bool(values[values.index < control_month].notna().any()),
        falls=tuple(with_base), rebound=rebound, against=against, together=together, pattern=pattern,
        ago=year_ago(rows, newest) if newest is not None and newest_row["n_months"] == 1 else None,
        ytd=_year_to_date(rows, newest, unit, floors) if newest is not None else None,
        year=year, year_total=period_total(rows, f"{year}-01", f"{year}-12"),
        prev_total=period_total(rows, f"{year - 1}-01", f"{year - 1}-12"),
        after_end=after_end, share_before=pooled_share(periods, whole, pd.Period(start, "M"), control_month - 1),
        share_after=pooled_share(periods, whole, control_month, after_end),
        share_latest=pooled_share(periods, whole, after_end + 1, last),
        low_since=lowest_since(periods), swing=swing,
        worst=min(shown_falls, key=lambda m: mom_by_period[str(m)].pct) if shown_falls else None,
    )


@dataclass(frozen=True)
class PageMeasures:
    """Everything the collapse page says, computed once: the measures of its series and the frame
    they are read in (whose series, which months, which rules)."""

    partner: str
    name: str                     # the partner in words, e.g. 'All destinations'
    product: str
    product_name: str             # e.g. 'Rare-earth permanent magnets'
    control_date: str             # YYYY-MM-DD or YYYY-MM
    start: str
    end: str
    seasonal_months: tuple[int, ...]
    floors: dict[str, float]
    measures: Measures
    rows: pd.DataFrame            # every row of the series (months, spans, years): the baselines' sources
    release: Release | None       # when the month after the newest is expected (China's total only)

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
    def floor(self) -> float:
        """The floor for changes in the series' unit (0: none stated)."""
        return float(self.floors.get(self.measures.unit, 0))


def world_pattern(obs: pd.DataFrame, product: str, window: Window, world: str = WORLD) -> SeasonalPattern | None:
    """The seasonal pattern of China's total in `window`: destinations have none of their own."""
    return seasonal_pattern(series_rows(obs, product, world), window)


def page_measures(data: BookData, product: str, partner: str, control_date: str, windows: dict[str, Window],
                  pattern_window: Window, start: str, end: str, seasonal_months: list[int],
                  floors: dict[str, float]) -> PageMeasures:
    """The page's measures (`measure`), with the seasonal pattern of China's total in `pattern_window`."""
    obs = data.observations
    pattern = world_pattern(obs, product, pattern_window)
    m = measure(obs, product, partner, control_date, windows, start, end, tuple(seasonal_months), floors, pattern)
    rows = series_rows(obs, product, partner, unit=m.unit)
    return PageMeasures(
        partner=partner, name=data.partner_name(partner), product=product, product_name=data.product_name(product),
        control_date=control_date, start=start, end=end, seasonal_months=tuple(seasonal_months), floors=dict(floors),
        measures=m, rows=rows,
        release=next_release(rows, data.sources, m.newest) if partner == WORLD and m.newest is not None else None,
    )
