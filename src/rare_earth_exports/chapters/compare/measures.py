"""Did China treat two groups of destinations differently? Changes, their gap, and the noise.

A claim of differential treatment is a claim about a *gap*: one side's exports changed more than
the other's around the same event. The gap is computed only from months in which both sides
have a figure (gaps stay gaps, never zeros), it says which months it used, and it is read
against the spread of ordinary month-to-month changes (the book's one seasonal rule: changes
into or out of the Lunar New Year months are left out), so a difference can be told from noise.
One month rarely can: the sturdier comparison is a side's share of China's total over named
windows (`shares`). A change on a base under the floor is not meaningful and is never a number.
A side is one destination or several summed; a *proxy* (Germany for the EU) stands in for a
side's changes, never its levels, where the side itself has no figure. `compare` computes
everything a comparison page says, once, as a `Comparison`; the licensing record is in
`licensing`, the newest figures in `newest`, other events in `context`, the words in `text`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core import conventions
from ...core.conventions import Window, meaningful_base
from ...core.load import BookData
from ...core.periods import last_full_year
from ...core.sources import join_ids
from ...core.series import Baseline, Swing, baseline, index, monthly_series, mom_pct, series_rows, share_pct, typical_swing
from ...core.words import without_article
from .context import newest_events, tariff_events
from .licensing import actor_words, licensing_record, statements, synthesis
from .newest import PeriodFigure, last_figure, newest_figures
from .shares import ShareShift, share_shift

# Order in which an event is picked when several share a date.
KIND_PRIORITY = ("control", "truce", "relaxation", "license", "statement", "quota", "other", "data_release")


def codes(value) -> tuple[str, ...]:
    """Partner codes from a parameter: 'USA', 'USA, CAN', 'USA+CAN' or a list; empty for none."""
    if value is None:
        return ()
    items = re.split(r"[,+;\s]+", value) if isinstance(value, str) else [str(v) for v in value]
    return tuple(c.strip().upper() for c in items if c and c.strip())


def side_name(partners: tuple[str, ...], names: dict, partner_name) -> str:
    """How the text names a side: `names` by code (with its article), else partners.csv's name."""
    return " and ".join(names.get(p) or partner_name(p) for p in partners)


def proxy_for(partners: tuple[str, ...], proxies: dict) -> tuple[str, ...]:
    """The proxy of a side, keyed by its codes joined with '+' ('EU27', 'DEU+FRA'); () if none."""
    return codes(proxies.get("+".join(partners)))


# --- series ---------------------------------------------------------------------------------

def group_series(obs: pd.DataFrame, product: str, partners: tuple[str, ...], start: str, end: str,
                 flow: str = "export") -> pd.DataFrame:
    """Monthly sum over `partners`, on a complete month index.

    A month has a value only when every partner has one: a sum with a member missing would
    look like a fall. It is 'derived' when any member's figure is, and lists every source.
    """
    if not partners:
        raise ValueError("a group needs at least one partner code")
    parts = [monthly_series(obs, product, p, flow, start=start, end=end) for p in partners]
    units = {s.attrs["unit"] for s in parts if s["value"].notna().any()}
    if len(units) > 1:
        raise ValueError(f"partners {', '.join(partners)} report {product} in different units: {sorted(units)}")
    out = pd.DataFrame(index=parts[0].index)
    values = pd.concat([s["value"] for s in parts], axis=1)
    out["value"] = values.sum(axis=1, min_count=len(parts))
    statuses = pd.concat([s["status"] for s in parts], axis=1)
    out["status"] = np.where(out["value"].isna(), "missing",
                             np.where((statuses == "derived").any(axis=1), "derived", "reported"))
    ids = pd.concat([s["source_ids"] for s in parts], axis=1)
    out["source_ids"] = [join_ids(row) if ok else ""
                         for row, ok in zip(ids.itertuples(index=False), out["value"].notna())]
    out.attrs["unit"] = units.pop() if units else parts[0].attrs["unit"]
    return out


def group_rows(obs: pd.DataFrame, product: str, partners: tuple[str, ...], flow: str = "export") -> pd.DataFrame:
    """Every row (months, spans, totals) of a group: a period's sum where every member reports it."""
    parts = [series_rows(obs, product, p, flow) for p in partners]
    if len(parts) == 1:
        return parts[0]
    rows = pd.concat(parts)
    keep = rows.groupby("period")["partner"].transform("nunique") == len(partners)
    summed = rows[keep].groupby("period", as_index=False).agg(
        value=("value", "sum"), first_month=("first_month", "first"), last_month=("last_month", "first"),
        n_months=("n_months", "first"), unit=("unit", "first"))
    return summed.assign(partner="+".join(partners))


def _runs(periods) -> list[list[pd.Period]]:
    runs: list[list[pd.Period]] = []
    for p in sorted(periods):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def missing_spans(values: pd.Series) -> list[str]:
    """Runs of months without a figure, as 'YYYY-MM' or 'YYYY-MM/YYYY-MM'."""
    return [str(r[0]) if len(r) == 1 else f"{r[0]}/{r[-1]}" for r in _runs(m for m, v in values.items() if pd.isna(v))]


def month_runs(months) -> str:
    """Months in short form: runs of consecutive months as 'first to last', others listed."""
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in _runs(pd.Period(m, "M") for m in months))


def group_baseline(obs: pd.DataFrame, product: str, partners: tuple[str, ...], start: str, end: str,
                   flow: str = "export") -> Baseline:
    """The group's mean monthly value over start..end: the sum of its members' baselines.

    Each member's baseline may rest on a reported total (metrics.baseline); the sum is NaN when
    any member has no figure in the window, as a partial sum would understate the group.
    """
    parts = [baseline(series_rows(obs, product, p, flow), start, end) for p in partners]
    if len(parts) == 1:
        return parts[0]
    mean = sum(b.mean for b in parts) if all(b.months_with_data for b in parts) else float("nan")
    return Baseline(start, end, mean, parts[0].months_in_window, min(b.months_with_data for b in parts),
                    "; ".join(f"{p}: {b.method}" for p, b in zip(partners, parts)))


# --- before and after ------------------------------------------------------------------------

def event_windows(day: pd.Timestamp, months: int) -> tuple[pd.PeriodIndex, pd.PeriodIndex]:
    """The `months` months before and after an event.

    The event's own month counts as 'after' when the event fell in its first half (4 April:
    April is mostly after), as 'before' otherwise (30 October: October is before).
    """
    month = pd.Period(day, "M")
    first_after = month if day.day <= 15 else month + 1
    before = pd.period_range(first_after - months, first_after - 1, freq="M", name="month")
    after = pd.period_range(first_after, first_after + months - 1, freq="M", name="month")
    return before, after


@dataclass(frozen=True)
class Change:
    """Mean level over the months used before and after, and the change between them.

    `meaningful` is False when the level before is under the floor for its unit: the change is
    then not meaningful and has no number (US magnets, 46 t in May 2025, +667% in June).
    """

    before_months: tuple[str, ...]
    after_months: tuple[str, ...]
    before: float
    after: float
    meaningful: bool = True

    @property
    def below_floor(self) -> bool:
        """A level before that is known but under the floor."""
        return math.isfinite(self.before) and not self.meaningful

    @property
    def pct(self) -> float:
        if not (math.isfinite(self.before) and math.isfinite(self.after)) or self.before == 0 or not self.meaningful:
            return float("nan")
        return (self.after / self.before - 1) * 100

    @property
    def months(self) -> str:
        """The months used, e.g. '2025-10 → 2025-11' or '2025-01 to 2025-03 → 2025-04, 2025-06'."""
        return month_runs(self.before_months) + " → " + month_runs(self.after_months)


def change(values: pd.Series, before: pd.PeriodIndex, after: pd.PeriodIndex, unit: str = "",
           floors: dict | None = None) -> Change:
    """Mean of the months with a figure in each window; NaN when a window has none. With
    `floors`, a level before under the floor for `unit` makes the change not meaningful."""
    b = values.reindex(before).dropna()
    a = values.reindex(after).dropna()
    level = float(b.mean()) if len(b) else float("nan")
    ok = meaningful_base(level, unit, floors) if floors is not None else True
    return Change(tuple(map(str, b.index)), tuple(map(str, a.index)), level,
                  float(a.mean()) if len(a) else float("nan"), ok)


@dataclass(frozen=True)
class Gap:
    """Each side's change over the same months and the gap between them (A minus B, points)."""

    a: Change
    b: Change

    @property
    def pp(self) -> float:
        return self.a.pct - self.b.pct


def matched_gap(a: pd.Series, b: pd.Series, before: pd.PeriodIndex, after: pd.PeriodIndex, unit: str = "",
                floors: dict | None = None) -> Gap:
    """Both sides' changes over only the months in which both have a figure.

    With uneven coverage, comparing one side's three-month mean with the other's one month
    would mix timing into the gap; matching the months keeps like with like.
    """
    both = a.notna() & b.reindex(a.index).notna()
    common = a.index[both]
    before_c, after_c = before.intersection(common), after.intersection(common)
    return Gap(change(a, before_c, after_c, unit, floors), change(b, before_c, after_c, unit, floors))


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its name, its monthly values, and whether it is a proxy."""

    label: str
    values: pd.Series
    proxy: bool = False


def first_comparable(sides_a: list[Side], sides_b: list[Side], before: pd.PeriodIndex,
                     after: pd.PeriodIndex, unit: str = "", floors: dict | None = None) -> tuple[Side, Side, Gap]:
    """The first pair (primaries before proxies) with a computable gap; else the first pair with
    months in common whose gap a level under the floor leaves without a number; else the primaries."""
    floored = None
    for sa in sides_a:
        for sb in sides_b:
            gap = matched_gap(sa.values, sb.values, before, after, unit, floors)
            if math.isfinite(gap.pp):
                return sa, sb, gap
            if floored is None and (gap.a.below_floor or gap.b.below_floor) and gap.a.after_months:
                floored = (sa, sb, gap)
    if floored:
        return floored
    sa, sb = sides_a[0], sides_b[0]
    return sa, sb, matched_gap(sa.values, sb.values, before, after, unit, floors)


def first_with_change(sides: list[Side], before: pd.PeriodIndex, after: pd.PeriodIndex, unit: str = "",
                      floors: dict | None = None) -> tuple[Side, Change]:
    """A side's own change (primary first, then its proxy), whatever the other side has."""
    for side in sides:
        ch = change(side.values, before, after, unit, floors)
        if math.isfinite(ch.pct):
            return side, ch
    return sides[0], change(sides[0].values, before, after, unit, floors)


def lookup_events(events: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The events named by date (YYYY-MM-DD or YYYY-MM) or event_id, one per key.

    Several events on one date: the first by KIND_PRIORITY (a control before a statement).
    """
    rank = {k: i for i, k in enumerate(KIND_PRIORITY)}
    rows = []
    for key in map(str, keys):  # a date written unquoted in YAML arrives as a date
        hit = events[(events["event_id"] == key) | (events["date"] == key)]
        if not len(hit):
            raise ValueError(f"event_dates: no event in events.csv has the date or id {key!r}")
        order = hit.assign(_rank=hit["kind"].map(rank).fillna(len(rank))).sort_values(["_rank", "event_id"])
        rows.append(order.drop(columns="_rank").iloc[0])
    return pd.DataFrame(rows).reset_index(drop=True)


def event_comparisons(events: pd.DataFrame, sides_a: list[Side], sides_b: list[Side],
                      windows: list[int], unit: str = "", floors: dict | None = None) -> pd.DataFrame:
    """One row per event and window: the sides used, the months, each change and the gap.

    A change on a level under the floor has no number; `a_floor` / `b_floor` say so.
    """
    rows = []
    for _, ev in events.iterrows():
        for w in windows:
            before, after = event_windows(ev["day"], int(w))
            sa, sb, gap = first_comparable(sides_a, sides_b, before, after, unit, floors)
            rows.append({"event_id": ev["event_id"], "date": ev["date"], "event": ev["title"], "window": int(w),
                         "period": f"{before[0]}/{after[-1]}",
                         "side_a": sa.label, "side_b": sb.label, "proxy": sa.proxy or sb.proxy,
                         "months": gap.a.months if math.isfinite(gap.pp) else "",
                         "a_before": gap.a.before, "a_after": gap.a.after, "a_pct": gap.a.pct,
                         "b_before": gap.b.before, "b_after": gap.b.after, "b_pct": gap.b.pct,
                         "a_floor": gap.a.below_floor, "b_floor": gap.b.below_floor, "gap_pp": gap.pp})
    return pd.DataFrame(rows)


# --- noise ----------------------------------------------------------------------------------

def gap_changes(a: pd.Series, b: pd.Series, start: str, end: str, seasonal: tuple[int, ...]) -> pd.Series:
    """A's month-on-month change minus B's (points), for months in start..end where both have
    an ordinary one (`conventions.ordinary_changes`: no change into or out of a seasonal month)."""
    ca = conventions.ordinary_changes(a, start, end, seasonal)
    return (ca - conventions.ordinary_changes(b, start, end, seasonal).reindex(ca.index)).dropna()


@dataclass(frozen=True)
class Yardstick:
    """Ordinary changes over a window: the spread one change is read against."""

    name: str
    partner: str   # whose changes: a partner code, or 'A vs B' for a gap
    window: str
    changes: pd.Series

    @property
    def swing(self) -> Swing:
        return typical_swing(self.changes)


def yardstick(name: str, partner: str, a: pd.Series, start: str, end: str, seasonal: tuple[int, ...],
              b: pd.Series | None = None) -> Yardstick:
    """Ordinary month-on-month changes of `a` in start..end, or of the gap between `a` and `b`
    (changes into or out of a `seasonal` month left out)."""
    changes = (conventions.ordinary_changes(a, start, end, seasonal) if b is None
               else gap_changes(a, b, start, end, seasonal))
    return Yardstick(name, partner, f"{start}/{end}", changes)


@dataclass(frozen=True)
class MonthTest:
    """One month's change on each side and in the total, and the gap between the sides."""

    month: pd.Period
    side_a: Side
    a: Change
    side_b: Side
    b: Change
    world: Change
    pair: tuple[Side, Side]
    gap: Gap


def month_test(sides_a: list[Side], sides_b: list[Side], world: Side, month: str, unit: str = "",
               floors: dict | None = None) -> MonthTest:
    """Changes from the month before to `month`: each side on its own (its proxy if needed),
    the total, and the gap over the months both sides have."""
    m = pd.Period(month, "M")
    before, after = pd.PeriodIndex([m - 1], name="month"), pd.PeriodIndex([m], name="month")
    sa, ca = first_with_change(sides_a, before, after, unit, floors)
    sb, cb = first_with_change(sides_b, before, after, unit, floors)
    pa, pb, gap = first_comparable(sides_a, sides_b, before, after, unit, floors)
    return MonthTest(m, sa, ca, sb, cb, change(world.values, before, after, unit, floors), (pa, pb), gap)


def sturdiest(yardsticks: list[Yardstick], min_n: int) -> Yardstick:
    """The first yardstick with at least `min_n` changes (list primaries before proxies), else the first."""
    return next((y for y in yardsticks if y.swing.n >= min_n), yardsticks[0])


def pooled_gap_std(swing: Swing, min_n: int = 2) -> float:
    """Spread of a gap between two independent series that each swing like `swing`: σ·√2."""
    return swing.std * math.sqrt(2) if swing.n >= max(min_n, 2) else float("nan")


def z_against(value: float, swing: Swing, min_n: int) -> float:
    """How many standard deviations `value` sits from the ordinary mean; NaN below `min_n` changes."""
    return swing.z(value) if swing.n >= max(min_n, 2) else float("nan")


def within(z: float, threshold: float) -> str:
    """'within' or 'outside' the ordinary spread, or 'not measurable' without a yardstick."""
    if not math.isfinite(z):
        return "not measurable"
    return "within" if abs(z) < threshold else "outside"


def figures_by_destination(obs: pd.DataFrame, products: list[str], partners: tuple[str, ...],
                           start: str, end: str) -> pd.DataFrame:
    """How many monthly figures each product has for each partner in start..end, and which."""
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")
    rows = []
    for product in products:
        for partner in partners:
            sel = obs[(obs["product"] == product) & (obs["partner"] == partner) & (obs["flow"] == "export")
                      & (obs["n_months"] == 1) & (obs["first_month"] >= lo) & (obs["first_month"] <= hi)
                      & (obs["unit"] != "USD")]
            rows.append({"product": product, "partner": partner, "months": len(sel),
                         "periods": ", ".join(sorted(sel["period"]))})
    return pd.DataFrame(rows, columns=["product", "partner", "months", "periods"])


# --- the page ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    """What a comparison page compares, around which events, against which yardsticks: its parameters."""

    product: str                   # a product code from products.csv
    group_a: object                # a side: a partner code or a list (see `codes`)
    group_b: object
    proxies: dict                  # proxies by the side's codes joined with '+' (see `proxy_for`)
    names: dict                    # how the text names a partner, by code (see `side_name`)
    world: str                     # China's total: shares, and ordinary changes before the controls
    event_dates: list              # events to compare around (see `lookup_events`)
    months_around: list            # months before and after each event
    base: Window                   # the pre-control baseline: levels, indexes and shares before (or its parameter)
    after: Window                  # months after the truces: levels, indexes and shares after
    recent: Window                 # the newest months set against the baseline (the same season a year on)
    noise: Window                  # ordinary month-to-month changes before the controls
    seasonal_months: tuple         # changes into or out of these months are not ordinary
    floors: dict                   # a change on a level under floors[unit] is not meaningful
    focus_month: str               # the month whose change is tested
    z_threshold: float             # |z| below this is within the ordinary spread
    min_changes: int               # a yardstick needs at least this many ordinary changes
    interval_level: float          # the coverage of the share interval, e.g. 0.95
    input_products: list           # inputs whose figures by destination would test the claims
    start: str                     # months the charts show
    end: str

    def __post_init__(self):
        """Windows may come as parameters.yml gives them ({name, start, end, reason})."""
        for name in ("base", "after", "recent", "noise"):
            value = getattr(self, name)
            if not isinstance(value, Window):
                object.__setattr__(self, name, Window.from_param(value))
        object.__setattr__(self, "seasonal_months", tuple(self.seasonal_months))

    @property
    def lo(self) -> str:
        """The first month any measure reads."""
        return min(self.start, self.noise.start, self.base.start)

    @property
    def hi(self) -> str:
        """The last month any measure reads."""
        return max(self.end, self.after.end, self.recent.end, self.focus_month)

    @property
    def chart_window(self) -> str:
        return f"{self.start}/{self.end}"

    @property
    def newest_since(self) -> str:
        """The first month after the last full year of the data shown ('2026-01' when it ends in March 2026)."""
        end = pd.Period(self.end, "M")
        return f"{last_full_year(end.year, end.month) + 1}-01"


# The series of a page, by role: each side ('a', 'b'), its proxy if any ('ap', 'bp'), China's total.
SIDE_ROLES = ("a", "ap", "b", "bp")
SIDES = ("a", "b")
WORLD = "w"


@dataclass(frozen=True)
class Role:
    """One series of the page: a side, a side's proxy or China's total, summed over its partners."""

    key: str
    label: str                     # how the text names it, e.g. 'Germany (proxy for the European Union)'
    partners: tuple[str, ...]
    series: pd.DataFrame           # `group_series`: value, status, source_ids over the months read
    rows: pd.DataFrame             # `group_rows`: every month, span and total of the group

    @property
    def values(self) -> pd.Series:
        return self.series["value"]

    @property
    def code(self) -> str:
        """The partner column of its metrics rows: its codes joined with '+'."""
        return "+".join(self.partners)

    @property
    def side(self) -> Side:
        return Side(self.label, self.values, self.key in ("ap", "bp"))


@dataclass(frozen=True)
class Comparison:
    """Everything a comparison page says, computed once from the data and the settings."""

    settings: Settings
    unit: str
    product_name: str
    roles: dict[str, Role]         # 'a', 'ap', 'b', 'bp', 'w' (proxies only where there is one)
    events: pd.DataFrame           # the events compared around (`lookup_events`)
    control_month: pd.Period       # the month the product came under control
    baselines: dict[str, Baseline]
    shifts: dict[str, dict[str, ShareShift]]   # by side: 'after' and 'recent' against the baseline window
    pair: pd.DataFrame             # `event_comparisons` of side A against side B
    vs_world: pd.DataFrame         # each side against China's total, around the same events
    yardsticks: dict[str, Yardstick]
    test: MonthTest
    newest: dict[str, list[PeriodFigure]]      # by side and China's total: the months after the last full year
    tariffs: dict[str, pd.DataFrame]           # by side: `context.tariff_events` (the side with its proxy)
    record: pd.DataFrame           # `licensing.licensing_record`
    synthesis: pd.DataFrame        # `licensing.synthesis` of the record
    said: pd.DataFrame             # `licensing.statements`
    recent_events: pd.DataFrame    # `context.newest_events`
    inputs: pd.DataFrame           # `figures_by_destination` of the input products
    input_names: dict[str, str]    # the input products' names, by code
    partner_names: dict[str, str]  # how the text names each destination of the page, by code

    @property
    def floor(self) -> float:
        """The floor of the page's unit (0 when none is stated)."""
        return float(self.settings.floors.get(self.unit, 0))

    @property
    def shown(self) -> list[str]:
        """The roles of the sides and their proxies, in the order the page shows them."""
        return [r for r in SIDE_ROLES if r in self.roles]

    @property
    def with_world(self) -> list[str]:
        """The sides and proxies, then China's total."""
        return [*self.shown, WORLD]

    @property
    def index_roles(self) -> list[str]:
        """The roles with a baseline, hence an index, in the order the page shows them."""
        return [r for r in self.with_world if math.isfinite(self.baselines[r].mean)]

    def role_of(self, label: str) -> Role:
        return next(r for r in self.roles.values() if r.label == label)

    def code(self, side: Side) -> str:
        return self.role_of(side.label).code

    def in_charts(self, role: str) -> pd.Series:
        """A role's values over the months the charts show."""
        s = self.settings
        return self.roles[role].values.loc[s.start:s.end]

    def months_before_controls(self, role: str) -> int:
        return int(self.roles[role].values.loc[:self.control_month - 1].notna().sum())

    @property
    def indexes(self) -> dict[str, pd.Series]:
        """Each role's values against its own baseline (= 100), where it has a baseline."""
        return {r: index(role.values, self.baselines[r]) for r, role in self.roles.items()
                if math.isfinite(self.baselines[r].mean)}

    def after_truces(self, role: str) -> pd.Series:
        after = self.settings.after
        return self.roles[role].values.loc[after.start:after.end]

    def after_index(self, role: str) -> float:
        """A role's mean level after the truces as an index of its baseline (= 100)."""
        return self.after_truces(role).mean() / self.baselines[role].mean * 100

    @property
    def shares(self) -> dict[str, pd.Series]:
        """Each side's and proxy's monthly share of China's total (%)."""
        return {r: share_pct(self.roles[r].values, self.roles[WORLD].values) for r in self.shown}

    @property
    def comparable(self) -> pd.DataFrame:
        """The event comparisons with a gap between the sides."""
        return self.pair[self.pair["gap_pp"].notna()]

    @property
    def nearest(self) -> pd.DataFrame:
        """The comparisons around the latest event with a gap, one row per window."""
        ok = self.comparable
        return ok[ok["date"] == ok["date"].max()] if len(ok) else ok

    @property
    def blind(self) -> list[tuple[str, str]]:
        """Events (name up to any colon, date) around which no window has a gap between the sides, by date."""
        def named(table: pd.DataFrame) -> set[tuple[str, str]]:
            return set(zip(table["event"].str.split(":").str[0], table["date"]))
        return sorted(named(self.pair) - named(self.comparable), key=lambda e: (e[1], e[0]))

    @property
    def used(self) -> dict[str, Yardstick]:
        """The yardsticks that follow the seasonal rule and have at least `min_changes` ordinary changes."""
        return {k: y for k, y in self.yardsticks.items()
                if k != "w_seasonal" and y.swing.n >= self.settings.min_changes}

    @property
    def seasonal_changes(self) -> int:
        """How many changes of China's total before the controls touch a Lunar New Year month."""
        return self.yardsticks["w_seasonal"].swing.n - self.yardsticks["w"].swing.n

    @property
    def z(self) -> dict[str, float]:
        """The tested month's changes and gap in standard deviations of each yardstick.

        `gap_pooled` reads the gap against two series that swing like China's total before the
        controls (σ·√2) by the seasonal rule; `gap_pooled_seasonal` against the same with the
        Lunar New Year swings kept, the reading the rule forbids, shown only to explain it.
        """
        t, ys, n = self.test, self.yardsticks, self.settings.min_changes
        world = ys["w"].swing
        return {
            "a_world": z_against(t.a.pct, world, n),
            "b_world": z_against(t.b.pct, world, n),
            "a_recent": z_against(t.a.pct, ys["a_recent"].swing, n),
            "b_recent": z_against(t.b.pct, ys["b_recent"].swing, n),
            "gap_pooled": t.gap.pp / self.pooled_std("w"),
            "gap_pooled_seasonal": t.gap.pp / self.pooled_std("w_seasonal"),
            "gap_recent": z_against(t.gap.pp, ys["gap_recent"].swing, n),
        }

    def pooled_std(self, key: str) -> float:
        """Spread of a gap between two series that swing like yardstick `key` ('w' or 'w_seasonal')."""
        return pooled_gap_std(self.yardsticks[key].swing, self.settings.min_changes)

    def tested_shares(self, side: Side) -> tuple[float, float]:
        """A side's share of China's total (%) in the month before the tested month and in it."""
        share, month = share_pct(side.values, self.roles[WORLD].values), self.test.month
        return share.get(month - 1, float("nan")), share.get(month, float("nan"))

    def last_figure(self, role: str) -> tuple[pd.Period | None, float]:
        """A role's newest month with a figure of its own, up to the last month shown."""
        return last_figure(self.roles[role].values.loc[:self.settings.end])

    def missing_since_noise(self, role: str) -> list[str]:
        """Months without a figure from the start of the ordinary changes to the last month shown."""
        s = self.settings
        return missing_spans(self.roles[role].values.loc[s.noise.start:s.end])

    def source_ids(self, roles: list[str], whole: bool = False) -> list[str]:
        """The source ids of the roles' figures in the months the charts show (or every month read)."""
        s = self.settings
        months = slice(s.lo, s.hi) if whole else slice(s.start, s.end)
        return [i for r in roles for i in self.roles[r].series.loc[months, "source_ids"]]

    def span_source_ids(self, roles: list[str]) -> list[str]:
        """The source ids of the roles' newest figures (spans included)."""
        return [i for r in roles for f in self.newest.get(r, [])
                for i in self.roles[r].rows.loc[self.roles[r].rows["period"] == f.period, "source_ids"]]

    @property
    def all_source_ids(self) -> list[str]:
        """Every page behind the page's figures, licensing items, statements and events."""
        return (self.source_ids(list(self.roles), whole=True) + self.span_source_ids([*SIDES, WORLD])
                + list(self.record["source_ids"]) + list(self.said["source_ids"]) + list(self.events["source_ids"])
                + [i for t in self.tariffs.values() for i in t["source_ids"]] + list(self.recent_events["source_ids"]))


def compare(data: BookData, settings: Settings) -> Comparison:
    """Everything the page measures: series by role, baselines, shares over windows, event
    windows, yardsticks, the tested month, the newest figures and the record beside them."""
    s = settings
    obs, seasonal = data.observations, tuple(s.seasonal_months)
    unit = group_series(obs, s.product, (s.world,), s.lo, s.hi).attrs["unit"]
    codes_a, codes_b = codes(s.group_a), codes(s.group_b)
    members = {}
    for key, own in (("a", codes_a), ("b", codes_b)):
        label = side_name(own, s.names, data.partner_name)
        members[key] = (label, own)
        proxy = proxy_for(own, s.proxies)
        if proxy:
            members[key + "p"] = (f"{side_name(proxy, s.names, data.partner_name)} (proxy for {label})", proxy)
    members[WORLD] = ("China's total", (s.world,))
    roles = {r: Role(r, *members[r], group_series(obs, s.product, members[r][1], s.lo, s.hi),
                     group_rows(obs, s.product, members[r][1]))
             for r in (*SIDE_ROLES, WORLD) if r in members}

    chosen = lookup_events(data.events, s.event_dates)
    controlled_since = data.products.loc[data.products["product"] == s.product, "controlled_since"].iloc[0]
    sides_a = [roles[r].side for r in ("a", "ap") if r in roles]
    sides_b = [roles[r].side for r in ("b", "bp") if r in roles]
    world = roles[WORLD].side
    pair = event_comparisons(chosen, sides_a, sides_b, s.months_around, unit, s.floors)
    vs_world = pd.concat([event_comparisons(chosen, sides_a, [world], s.months_around, unit, s.floors),
                          event_comparisons(chosen, sides_b, [world], s.months_around, unit, s.floors)], ignore_index=True)

    test = month_test(sides_a, sides_b, world, s.focus_month, unit, s.floors)
    recent_end = str(test.month - 1)
    code = {role.label: role.code for role in roles.values()}
    noise = s.noise

    def after_truces(sides):
        return [yardstick(f"{without_article(x.label)}, after the truces", code[x.label], x.values, s.after.start,
                          recent_end, seasonal) for x in sides]

    def before_controls(name, role, rule=seasonal):
        return yardstick(name, role.code, role.values, noise.start, noise.end, rule)

    yardsticks = {
        "w": before_controls("China's total, before the controls", roles[WORLD]),
        "w_seasonal": before_controls("China's total, before the controls, Lunar New Year swings kept", roles[WORLD], ()),
        "a": before_controls(f"{without_article(roles['a'].label)}, before the controls", roles["a"]),
        "b": before_controls(f"{without_article(roles['b'].label)}, before the controls", roles["b"]),
        "a_recent": sturdiest(after_truces(sides_a), s.min_changes),
        "b_recent": sturdiest(after_truces(sides_b), s.min_changes),
        "gap_recent": sturdiest([yardstick(f"Gap, {without_article(x.label)} minus {without_article(y.label)}, after the truces",
                                           f"{code[x.label]} vs {code[y.label]}", x.values, s.after.start, recent_end,
                                           seasonal, y.values)
                                 for x in sides_a for y in sides_b], s.min_changes),
    }
    proxy_a, proxy_b = (roles[r].partners if r in roles else () for r in ("ap", "bp"))
    with_proxies_a, with_proxies_b = roles["a"].partners + proxy_a, roles["b"].partners + proxy_b
    destinations = tuple(dict.fromkeys(roles["a"].partners + roles["b"].partners + proxy_a + proxy_b))
    label_a, label_b = roles["a"].label, roles["b"].label
    world_rows = roles[WORLD].rows
    def named(table: pd.DataFrame) -> pd.DataFrame:
        """The table with `who`: its actors in words."""
        return table.assign(who=[actor_words(a, lambda p: side_name((p,), s.names, data.partner_name))
                                 for a in table["actor"]])

    record = named(licensing_record(data.events, with_proxies_a, with_proxies_b, label_a, label_b, s.start))
    return Comparison(
        settings=s, unit=unit, product_name=data.product_name(s.product), roles=roles, events=chosen,
        control_month=pd.Period(controlled_since or chosen["day"].min(), "M"),
        baselines={r: group_baseline(obs, s.product, role.partners, s.base.start, s.base.end)
                   for r, role in roles.items()},
        shifts={side: {"after": share_shift(roles[side].rows, world_rows, s.base, s.after, s.interval_level),
                       "recent": share_shift(roles[side].rows, world_rows, s.base, s.recent, s.interval_level)}
                for side in SIDES},
        pair=pair, vs_world=vs_world, yardsticks=yardsticks, test=test,
        newest={r: newest_figures(roles[r].rows, world_rows, s.newest_since, s.end, unit, s.floors) for r in (*SIDES, WORLD)},
        tariffs={"a": tariff_events(data.events, with_proxies_a), "b": tariff_events(data.events, with_proxies_b)},
        record=record, synthesis=synthesis(record, [label_a, label_b]),
        said=named(statements(data.events, with_proxies_a, with_proxies_b, label_a, label_b, s.start)),
        recent_events=named(newest_events(data.events, {label_a: with_proxies_a, label_b: with_proxies_b}, s.newest_since)),
        inputs=figures_by_destination(obs, s.input_products, destinations, s.lo, s.hi),
        input_names={p: data.product_name(p) for p in s.input_products},
        partner_names={p: side_name((p,), s.names, data.partner_name) for p in destinations},
    )
