"""Did China treat two groups of destinations differently? Changes, their gap, and the noise.

A claim of differential treatment is a claim about a *gap*: one side's exports changed more than
the other's around the same event. The gap is computed only from months in which both sides
have a figure (gaps stay gaps, never zeros), it says which months it used, and it is read
against the spread of ordinary month-to-month changes, so a difference can be told from noise.
A side is one destination or several summed; a *proxy* (Germany for the EU) stands in for a
side's changes, never its levels, where the side itself has no figure. `compare` computes
everything a comparison page says, once, as a `Comparison`; the licensing record is in
`licensing`, the words in `text`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.load import BookData
from ...core.sources import join_ids
from ...core.series import Baseline, Swing, baseline, index, monthly_series, mom_pct, series_rows, share_pct, typical_swing
from ...core.words import without_article
from .licensing import licensing_record, statements

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


def window_share(part: pd.Series, whole: pd.Series, start: str, end: str) -> tuple[float, int]:
    """Part as % of the whole over start..end, from the months both have; and how many months."""
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")
    p, w = part.loc[lo:hi], whole.reindex(part.index).loc[lo:hi]
    both = p.notna() & w.notna() & (w > 0)
    if not both.any():
        return float("nan"), 0
    return float(p[both].sum() / w[both].sum() * 100), int(both.sum())


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
    """Mean level over the months used before and after, and the change between them."""

    before_months: tuple[str, ...]
    after_months: tuple[str, ...]
    before: float
    after: float

    @property
    def pct(self) -> float:
        if not (math.isfinite(self.before) and math.isfinite(self.after)) or self.before == 0:
            return float("nan")
        return (self.after / self.before - 1) * 100

    @property
    def months(self) -> str:
        """The months used, e.g. '2025-10 → 2025-11' or '2025-01 to 2025-03 → 2025-04, 2025-06'."""
        return month_runs(self.before_months) + " → " + month_runs(self.after_months)


def change(values: pd.Series, before: pd.PeriodIndex, after: pd.PeriodIndex) -> Change:
    """Mean of the months with a figure in each window; NaN when a window has none."""
    b = values.reindex(before).dropna()
    a = values.reindex(after).dropna()
    return Change(tuple(map(str, b.index)), tuple(map(str, a.index)),
                  float(b.mean()) if len(b) else float("nan"), float(a.mean()) if len(a) else float("nan"))


@dataclass(frozen=True)
class Gap:
    """Each side's change over the same months and the gap between them (A minus B, points)."""

    a: Change
    b: Change

    @property
    def pp(self) -> float:
        return self.a.pct - self.b.pct


def matched_gap(a: pd.Series, b: pd.Series, before: pd.PeriodIndex, after: pd.PeriodIndex) -> Gap:
    """Both sides' changes over only the months in which both have a figure.

    With uneven coverage, comparing one side's three-month mean with the other's one month
    would mix timing into the gap; matching the months keeps like with like.
    """
    both = a.notna() & b.reindex(a.index).notna()
    common = a.index[both]
    before_c, after_c = before.intersection(common), after.intersection(common)
    return Gap(change(a, before_c, after_c), change(b, before_c, after_c))


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its name, its monthly values, and whether it is a proxy."""

    label: str
    values: pd.Series
    proxy: bool = False


def first_comparable(sides_a: list[Side], sides_b: list[Side], before: pd.PeriodIndex,
                     after: pd.PeriodIndex) -> tuple[Side, Side, Gap]:
    """The first pair (primaries before proxies) with a computable gap; else the primaries."""
    for sa in sides_a:
        for sb in sides_b:
            gap = matched_gap(sa.values, sb.values, before, after)
            if math.isfinite(gap.pp):
                return sa, sb, gap
    sa, sb = sides_a[0], sides_b[0]
    return sa, sb, matched_gap(sa.values, sb.values, before, after)


def first_with_change(sides: list[Side], before: pd.PeriodIndex, after: pd.PeriodIndex) -> tuple[Side, Change]:
    """A side's own change (primary first, then its proxy), whatever the other side has."""
    for side in sides:
        ch = change(side.values, before, after)
        if math.isfinite(ch.pct):
            return side, ch
    return sides[0], change(sides[0].values, before, after)


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
                      windows: list[int]) -> pd.DataFrame:
    """One row per event and window: the sides used, the months, each change and the gap."""
    rows = []
    for _, ev in events.iterrows():
        for w in windows:
            before, after = event_windows(ev["day"], int(w))
            sa, sb, gap = first_comparable(sides_a, sides_b, before, after)
            rows.append({"event_id": ev["event_id"], "date": ev["date"], "event": ev["title"], "window": int(w),
                         "period": f"{before[0]}/{after[-1]}",
                         "side_a": sa.label, "side_b": sb.label, "proxy": sa.proxy or sb.proxy,
                         "months": gap.a.months if math.isfinite(gap.pp) else "",
                         "a_before": gap.a.before, "a_after": gap.a.after, "a_pct": gap.a.pct,
                         "b_before": gap.b.before, "b_after": gap.b.after, "b_pct": gap.b.pct,
                         "gap_pp": gap.pp})
    return pd.DataFrame(rows)


# --- noise ----------------------------------------------------------------------------------

def ordinary_changes(values: pd.Series, start: str, end: str) -> pd.Series:
    """Month-on-month changes (%) between months that both lie in start..end."""
    return mom_pct(values.loc[pd.Period(start, "M"):pd.Period(end, "M")]).dropna()


def gap_changes(a: pd.Series, b: pd.Series, start: str, end: str) -> pd.Series:
    """A's month-on-month change minus B's (points), for months in start..end where both have one."""
    ca = ordinary_changes(a, start, end)
    return (ca - ordinary_changes(b, start, end).reindex(ca.index)).dropna()


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


def yardstick(name: str, partner: str, a: pd.Series, start: str, end: str, b: pd.Series | None = None) -> Yardstick:
    """Month-on-month changes of `a` in start..end, or of the gap between `a` and `b`."""
    changes = ordinary_changes(a, start, end) if b is None else gap_changes(a, b, start, end)
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


def month_test(sides_a: list[Side], sides_b: list[Side], world: Side, month: str) -> MonthTest:
    """Changes from the month before to `month`: each side on its own (its proxy if needed),
    the total, and the gap over the months both sides have."""
    m = pd.Period(month, "M")
    before, after = pd.PeriodIndex([m - 1], name="month"), pd.PeriodIndex([m], name="month")
    sa, ca = first_with_change(sides_a, before, after)
    sb, cb = first_with_change(sides_b, before, after)
    pa, pb, gap = first_comparable(sides_a, sides_b, before, after)
    return MonthTest(m, sa, ca, sb, cb, change(world.values, before, after), (pa, pb), gap)


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
    windows: list                  # months before and after each event
    baseline_start: str            # the pre-control baseline (inclusive months)
    baseline_end: str
    noise_start: str               # ordinary month-to-month changes before the controls
    noise_end: str
    after_start: str               # months after the truces
    after_end: str
    focus_month: str               # the month whose change is tested
    z_threshold: float             # |z| below this is within the ordinary spread
    min_changes: int               # a yardstick needs at least this many ordinary changes
    input_products: list           # inputs whose figures by destination would test the claims
    start: str                     # months the charts show
    end: str

    @property
    def lo(self) -> str:
        """The first month any measure reads."""
        return min(self.start, self.noise_start, self.baseline_start)

    @property
    def hi(self) -> str:
        """The last month any measure reads."""
        return max(self.end, self.after_end, self.focus_month)

    @property
    def base_window(self) -> str:
        return f"{self.baseline_start}/{self.baseline_end}"

    @property
    def after_window(self) -> str:
        return f"{self.after_start}/{self.after_end}"

    @property
    def chart_window(self) -> str:
        return f"{self.start}/{self.end}"


# The series of a page, by role: each side ('a', 'b'), its proxy if any ('ap', 'bp'), China's total.
SIDE_ROLES = ("a", "ap", "b", "bp")
WORLD = "w"


@dataclass(frozen=True)
class Role:
    """One series of the page: a side, a side's proxy or China's total, summed over its partners."""

    key: str
    label: str                     # how the text names it, e.g. 'Germany (proxy for the European Union)'
    partners: tuple[str, ...]
    series: pd.DataFrame           # `group_series`: value, status, source_ids over the months read

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
    pair: pd.DataFrame             # `event_comparisons` of side A against side B
    vs_world: pd.DataFrame         # each side against China's total, around the same events
    yardsticks: dict[str, Yardstick]
    test: MonthTest
    record: pd.DataFrame           # `licensing.licensing_record`
    said: pd.DataFrame             # `licensing.statements`
    inputs: pd.DataFrame           # `figures_by_destination` of the input products
    input_names: dict[str, str]    # the input products' names, by code

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
        s = self.settings
        return self.roles[role].values.loc[s.after_start:s.after_end]

    def after_index(self, role: str) -> float:
        """A role's mean level after the truces as an index of its baseline (= 100)."""
        return self.after_truces(role).mean() / self.baselines[role].mean * 100

    @property
    def shares(self) -> dict[str, pd.Series]:
        """Each side's and proxy's monthly share of China's total (%)."""
        return {r: share_pct(self.roles[r].values, self.roles[WORLD].values) for r in self.shown}

    def window_shares(self, role: str) -> tuple[tuple[float, int], tuple[float, int]]:
        """A role's share of China's total in the baseline months and after the truces, with months used."""
        s, v, w = self.settings, self.roles[role].values, self.roles[WORLD].values
        return window_share(v, w, s.baseline_start, s.baseline_end), window_share(v, w, s.after_start, s.after_end)

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
    def blind(self) -> list[str]:
        """Events ('name (date)') around which no window has a gap between the sides."""
        def named(table: pd.DataFrame) -> set[str]:
            return set(table["event"].str.split(":").str[0] + " (" + table["date"] + ")")
        return sorted(named(self.pair) - named(self.comparable))

    @property
    def used(self) -> dict[str, Yardstick]:
        """The yardsticks with at least `min_changes` ordinary changes."""
        return {k: y for k, y in self.yardsticks.items() if y.swing.n >= self.settings.min_changes}

    @property
    def pooled_std(self) -> float:
        """Spread of a gap between two series that swing like China's total before the controls."""
        return pooled_gap_std(self.yardsticks["w"].swing, self.settings.min_changes)

    @property
    def z(self) -> dict[str, float]:
        """The tested month's changes and gap in standard deviations of each yardstick."""
        t, ys, n = self.test, self.yardsticks, self.settings.min_changes
        world = ys["w"].swing
        return {
            "a_world": z_against(t.a.pct, world, n),
            "b_world": z_against(t.b.pct, world, n),
            "a_recent": z_against(t.a.pct, ys["a_recent"].swing, n),
            "b_recent": z_against(t.b.pct, ys["b_recent"].swing, n),
            "gap_pooled": t.gap.pp / self.pooled_std,
            "gap_recent": z_against(t.gap.pp, ys["gap_recent"].swing, n),
        }

    def tested_shares(self, side: Side) -> tuple[float, float]:
        """A side's share of China's total (%) in the month before the tested month and in it."""
        share, month = share_pct(side.values, self.roles[WORLD].values), self.test.month
        return share.get(month - 1, float("nan")), share.get(month, float("nan"))

    def missing_since_noise(self, role: str) -> list[str]:
        """Months without a figure from the start of the ordinary changes to the last month shown."""
        s = self.settings
        return missing_spans(self.roles[role].values.loc[s.noise_start:s.end])

    def source_ids(self, roles: list[str], whole: bool = False) -> list[str]:
        """The source ids of the roles' figures in the months the charts show (or every month read)."""
        s = self.settings
        months = slice(s.lo, s.hi) if whole else slice(s.start, s.end)
        return [i for r in roles for i in self.roles[r].series.loc[months, "source_ids"]]

    @property
    def all_source_ids(self) -> list[str]:
        """Every page behind the page's figures, licensing items, statements and events."""
        return (self.source_ids(list(self.roles), whole=True) + list(self.record["source_ids"])
                + list(self.said["source_ids"]) + list(self.events["source_ids"]))


def compare(data: BookData, settings: Settings) -> Comparison:
    """Everything the page measures: series by role, baselines, event windows, yardsticks, the tested month."""
    s = settings
    obs = data.observations
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
    roles = {r: Role(r, *members[r], group_series(obs, s.product, members[r][1], s.lo, s.hi))
             for r in (*SIDE_ROLES, WORLD) if r in members}

    chosen = lookup_events(data.events, s.event_dates)
    controlled_since = data.products.loc[data.products["product"] == s.product, "controlled_since"].iloc[0]
    sides_a = [roles[r].side for r in ("a", "ap") if r in roles]
    sides_b = [roles[r].side for r in ("b", "bp") if r in roles]
    world = roles[WORLD].side
    pair = event_comparisons(chosen, sides_a, sides_b, s.windows)
    vs_world = pd.concat([event_comparisons(chosen, sides_a, [world], s.windows),
                          event_comparisons(chosen, sides_b, [world], s.windows)], ignore_index=True)

    test = month_test(sides_a, sides_b, world, s.focus_month)
    recent_end = str(test.month - 1)
    code = {role.label: role.code for role in roles.values()}

    def after_truces(sides):
        return [yardstick(f"{without_article(x.label)}, after the truces", code[x.label], x.values, s.after_start, recent_end)
                for x in sides]

    def before_controls(name, role):
        return yardstick(f"{name}, before the controls", role.code, role.values, s.noise_start, s.noise_end)

    yardsticks = {
        "w": before_controls("China's total", roles[WORLD]),
        "a": before_controls(without_article(roles["a"].label), roles["a"]),
        "b": before_controls(without_article(roles["b"].label), roles["b"]),
        "a_recent": sturdiest(after_truces(sides_a), s.min_changes),
        "b_recent": sturdiest(after_truces(sides_b), s.min_changes),
        "gap_recent": sturdiest([yardstick(f"Gap, {without_article(x.label)} minus {without_article(y.label)}, after the truces",
                                           f"{code[x.label]} vs {code[y.label]}", x.values, s.after_start, recent_end, y.values)
                                 for x in sides_a for y in sides_b], s.min_changes),
    }
    proxy_a, proxy_b = (roles[r].partners if r in roles else () for r in ("ap", "bp"))
    with_proxies_a, with_proxies_b = roles["a"].partners + proxy_a, roles["b"].partners + proxy_b
    destinations = tuple(dict.fromkeys(roles["a"].partners + roles["b"].partners + proxy_a + proxy_b))
    return Comparison(
        settings=s, unit=unit, product_name=data.product_name(s.product), roles=roles, events=chosen,
        control_month=pd.Period(controlled_since or chosen["day"].min(), "M"),
        baselines={r: group_baseline(obs, s.product, role.partners, s.baseline_start, s.baseline_end)
                   for r, role in roles.items()},
        pair=pair, vs_world=vs_world, yardsticks=yardsticks, test=test,
        record=licensing_record(data.events, with_proxies_a, with_proxies_b, roles["a"].label, roles["b"].label),
        said=statements(data.events, with_proxies_a, with_proxies_b, roles["a"].label, roles["b"].label),
        inputs=figures_by_destination(obs, s.input_products, destinations, s.lo, s.hi),
        input_names={p: data.product_name(p) for p in s.input_products},
    )
