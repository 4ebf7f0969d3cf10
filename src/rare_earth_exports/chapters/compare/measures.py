"""Did China treat two groups of destinations differently? Changes, their gap, and the noise.

A claim of differential treatment is a claim about a *gap*: one side's exports changed more than
the other's around the same event. The gap is computed only from months in which both sides
have a figure (gaps stay gaps, never zeros), it says which months it used, and it is read
against the spread of ordinary month-to-month changes, so a difference can be told from noise.
A side is one destination or several summed; a *proxy* (Germany for the EU) stands in for a
side's changes, never its levels, where the side itself has no figure. The licensing record of
each side comes from events.csv, classified by what the event says about licences.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.series import Baseline, Swing, baseline, monthly_series, mom_pct, series_rows, typical_swing

# Codes that events.csv uses for a bloc where observations use another.
EVENT_ALIASES = {"EU27": ("EU",)}
# Order in which an event is picked when several share a date.
KIND_PRIORITY = ("control", "truce", "relaxation", "license", "statement", "quota", "other", "data_release")
# Events about these (in `affects`) belong to the rare-earth licensing story.
RELEVANT = r"rare earth|magnet|dysprosium|terbium|yttrium|defence"
# What an event says about licences, from its title; the first match wins.
LICENCE_CLASSES = (
    ("end-user exclusion", r"military end-user|defence firms|validated end-user|barred from diverting"),
    ("approval figures", r"\d\s*%\s*to|\d+ of ~?[\d,]+|quarter of|only half|over half"),
    ("general licence", r"general[- ]licen"),
    ("time-limited licence", r"\b\w+-month licen"),
    ("per-shipment licence", r"per-shipment"),
    ("priority channel", r"green channel|special channel|supply mechanism"),
    ("suspension or deferral", r"suspen|defer|paused"),
)
GRANTING = ("general licence", "time-limited licence", "per-shipment licence")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
ALL = "all destinations"


def codes(value) -> tuple[str, ...]:
    """Partner codes from a parameter: 'USA', 'USA, CAN', 'USA+CAN' or a list; empty for none."""
    if value is None:
        return ()
    items = re.split(r"[,+;\s]+", value) if isinstance(value, str) else [str(v) for v in value]
    return tuple(c.strip().upper() for c in items if c and c.strip())


def without_article(label: str) -> str:
    """'the United States' -> 'United States' for legends and table headers."""
    return label[4:] if label.lower().startswith("the ") else label


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
    out["source_ids"] = [";".join(sorted({i for cell in row for i in str(cell).split(";") if i})) if ok else ""
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


# --- the licensing record --------------------------------------------------------------------

def side_tokens(partners: tuple[str, ...]) -> set[str]:
    """The codes events.csv may use for these partners (EU27 is 'EU' there)."""
    return {t for p in partners for t in (p, *EVENT_ALIASES.get(p, ()))}


def licence_class(title: str, kind: str) -> str:
    for name, pattern in LICENCE_CLASSES:
        if re.search(pattern, title, flags=re.IGNORECASE):
            return name
    return "licences granted" if kind == "license" else ""


def licence_months(title: str) -> float:
    """Duration of a licence from its title ('Six-month' -> 6, 'one-year' -> 12); NaN if none."""
    m = re.search(r"\b(\w+)-month", title, flags=re.IGNORECASE)
    if m:
        word = m.group(1).lower()
        return float(NUMBER_WORDS.get(word, int(word) if word.isdigit() else float("nan")))
    if re.search(r"\b(one|1)-year\b", title, flags=re.IGNORECASE):
        return 12.0
    return float("nan")


def event_side(affects: str, actor: str, tokens_a: set[str], tokens_b: set[str], label_a: str, label_b: str) -> str:
    """Which side an event concerns: named in `affects`; if both are, the side that said it."""
    named = set(affects.split(";"))
    in_a, in_b = bool(named & tokens_a), bool(named & tokens_b)
    if in_a and in_b:
        said = set(actor.split(";"))
        in_a, in_b = bool(said & tokens_a) or not (said & tokens_b), bool(said & tokens_b) or not (said & tokens_a)
    if in_a and in_b:
        return "both"
    if in_a:
        return label_a
    if in_b:
        return label_b
    return ALL if "all" in named else ""


def licensing_record(events: pd.DataFrame, partners_a: tuple[str, ...], partners_b: tuple[str, ...],
                     label_a: str, label_b: str) -> pd.DataFrame:
    """Licensing events for each side and for all destinations, classified, with durations.

    An event is in the record when it concerns rare earths, magnets or defence end users and
    is a licence decision or its title says something about licences (kind, duration, approval
    figures, exclusions). Events for all destinations count only when China acted (controls,
    licences, relaxations, truces), not statements about everyone.
    """
    ev = events[events["affects"].str.contains(RELEVANT, case=False, regex=True)].copy()
    ev["licence_class"] = [licence_class(t, k) for t, k in zip(ev["title"], ev["kind"])]
    ev = ev[ev["licence_class"] != ""]
    ta, tb = side_tokens(partners_a), side_tokens(partners_b)
    ev["side"] = [event_side(f, a, ta, tb, label_a, label_b) for f, a in zip(ev["affects"], ev["actor"])]
    ev = ev[(ev["side"] != "") & ~((ev["side"] == ALL) & ~ev["kind"].isin(("control", "license", "relaxation", "truce")))]
    both = ev[ev["side"] == "both"]
    ev = pd.concat([ev[ev["side"] != "both"], both.assign(side=label_a), both.assign(side=label_b)])
    ev["months"] = [licence_months(t) if c in GRANTING else float("nan") for t, c in zip(ev["title"], ev["licence_class"])]
    ev["expires"] = [
        (d + pd.DateOffset(months=int(m))).strftime("%Y-%m-%d") if math.isfinite(m) and len(raw) == 10 else ""
        for d, m, raw in zip(ev["day"], ev["months"], ev["date"])
    ]
    cols = ["event_id", "date", "day", "side", "kind", "actor", "licence_class", "months", "expires", "title", "source_ids"]
    return ev[cols].sort_values(["day", "side", "event_id"]).reset_index(drop=True)


def statements(events: pd.DataFrame, partners_a: tuple[str, ...], partners_b: tuple[str, ...],
               label_a: str, label_b: str) -> pd.DataFrame:
    """What was said about each side (kind 'statement'), for setting claims beside the flows."""
    ev = events[(events["kind"] == "statement") & events["affects"].str.contains(RELEVANT, case=False, regex=True)].copy()
    ta, tb = side_tokens(partners_a), side_tokens(partners_b)
    ev["side"] = [event_side(f, a, ta, tb, label_a, label_b) for f, a in zip(ev["affects"], ev["actor"])]
    ev = ev[ev["side"].isin((label_a, label_b, "both"))]
    return ev[["event_id", "date", "day", "side", "actor", "title", "source_ids"]].sort_values(["day", "event_id"]).reset_index(drop=True)


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
