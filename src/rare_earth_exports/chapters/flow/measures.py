"""Finished magnets against their raw inputs: one index scale, the gap between them, annual totals.

The claim "magnets flow, oxides don't" says two series moved apart. Tonnes of magnets and
kilograms of dysprosium only compare once each is divided by its own baseline, so every series
is indexed (baseline = 100) and the gap is the log ratio of two indexes. How far the gap *moved*
between two phases does not depend on the baselines at all (they cancel), which matters where a
baseline rests on a single month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.series import Baseline, baseline, index, log_ratio, monthly_series, series_rows, share_pct, yoy_pct
from ...core.periods import Month, is_contiguous, months_of, period_for


def as_list(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """A product list from a parameter: a YAML list, or a comma-separated string from --param."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [i.strip() for i in items if i.strip()]


def month_status(rows: pd.DataFrame, months: pd.PeriodIndex) -> pd.Series:
    """Per month: 'reported' or 'derived' (a monthly figure), 'in a total' (only summed with other
    months in a span or year), or 'missing'."""
    single = rows[rows["n_months"] == 1].set_index("first_month")["status"]
    spans = rows[rows["n_months"] > 1]
    out = pd.Series("missing", index=months, dtype=object)
    for m in months:
        if m in single.index:
            out[m] = single[m]
        elif ((spans["first_month"] <= m) & (spans["last_month"] >= m)).any():
            out[m] = "in a total"
    return out


@dataclass(frozen=True)
class Indexed:
    """One series on the index scale, with the baseline it rests on."""

    product: str
    partner: str
    unit: str
    baseline: Baseline
    frame: pd.DataFrame  # by month: value, status, source_ids, index

    @property
    def baseline_kind(self) -> str:
        """'complete', 'partial' (some months of the window) or 'none'."""
        if self.baseline.months_with_data == 0:
            return "none"
        return "complete" if self.baseline.complete else "partial"

    @property
    def n_months(self) -> int:
        return int(self.frame["value"].notna().sum())


def indexed_series(obs: pd.DataFrame, product: str, partner: str, base_start: str, base_end: str,
                   start: str, end: str) -> Indexed:
    """Monthly values from start to end, indexed on the mean over base_start..base_end.

    A month with a figure but no baseline has status 'no baseline'; a month with no figure keeps
    'missing' or 'in a total', so a chart can tell the three apart.
    """
    rows = series_rows(obs, product, partner)
    base = baseline(rows, base_start, base_end)
    frame = monthly_series(obs, product, partner, start=start, end=end)
    frame["status"] = month_status(rows, frame.index).where(frame["value"].isna(), frame["status"])
    frame["index"] = index(frame["value"], base)
    frame.loc[frame["value"].notna() & frame["index"].isna(), "status"] = "no baseline"
    return Indexed(product, partner, frame.attrs.get("unit", ""), base, frame)


def divergence(finished: Indexed, raw: Indexed) -> pd.DataFrame:
    """ln(finished index / raw index) per month: 0 when both moved alike, +1 when finished goods
    stood e times (2.7x) higher on their baseline than the raw input did on its own.

    Status: 'reported' when both inputs are reported, 'derived' when either is derived,
    'zero' when either is zero (the ratio is undefined), else 'missing'.
    """
    f = finished.frame
    r = raw.frame.reindex(f.index)
    out = pd.DataFrame(index=f.index)
    out["finished_index"] = f["index"]
    out["raw_index"] = r["index"]
    out["log_ratio"] = log_ratio(f["index"], r["index"])
    both = f["index"].notna() & r["index"].notna()
    zero = both & ((f["index"] == 0) | (r["index"] == 0))
    derived = (f["status"] == "derived") | (r["status"] == "derived")
    out["status"] = np.select([zero, both & derived, both], ["zero", "derived", "reported"], "missing")
    return out


@dataclass(frozen=True)
class Phase:
    name: str
    start: str
    end: str

    @property
    def period(self) -> str:
        return period_for(list(months_of(f"{self.start}/{self.end}")))


def phases(start: str, controls_start: str, after_start: str, end: str) -> tuple[Phase, ...]:
    """Before the controls, under them, and after the truce (each ends the month before the next)."""
    before_end = str(pd.Period(controls_start, "M") - 1)
    controls_end = str(pd.Period(after_start, "M") - 1)
    return (Phase("before the controls", start, before_end),
            Phase("under the controls", controls_start, controls_end),
            Phase("after the truce", after_start, end))


def months_text(months: pd.PeriodIndex) -> str:
    """A run of months as one period ('2025-05/2025-10'), other sets as a list, '' for none."""
    ms = [Month(m.year, m.month) for m in months]
    return period_for(ms) if is_contiguous(ms) else ", ".join(str(m) for m in ms)


def phase_gap(finished: Indexed, raw: Indexed, phase: Phase) -> dict:
    """Means over the months of a phase in which *both* series have a figure (zeros count).

    `log_ratio` compares the mean indexes (needs both baselines); `value_log_ratio` compares the
    mean values in their own units (needs no baseline). They differ by a constant, so the change
    of either between two phases is the same.
    """
    lo, hi = pd.Period(phase.start, "M"), pd.Period(phase.end, "M")
    f = finished.frame.loc[lo:hi]
    r = raw.frame.reindex(f.index)
    both = f["value"].notna() & r["value"].notna()
    fv, rv = f.loc[both, "value"].mean(), r.loc[both, "value"].mean()
    fi, ri = f.loc[both, "index"].mean(), r.loc[both, "index"].mean()

    def ln(a: float, b: float) -> float:
        return math.log(a / b) if np.isfinite(a) and np.isfinite(b) and a > 0 and b > 0 else float("nan")

    return {"phase": phase.name, "period": phase.period, "finished": finished.product, "raw": raw.product,
            "months": int(both.sum()), "common": months_text(f.index[both]), "finished_mean": fv, "raw_mean": rv,
            "finished_index": fi, "raw_index": ri, "log_ratio": ln(fi, ri), "value_log_ratio": ln(fv, rv)}


def gap_table(finished: Indexed, raws: list[Indexed], phase_list: tuple[Phase, ...]) -> pd.DataFrame:
    """One row per raw series and phase (see `phase_gap`)."""
    return pd.DataFrame([phase_gap(finished, r, p) for r in raws for p in phase_list])


def gap_change(table: pd.DataFrame, raw: str, before: str, after: str) -> float:
    """How far the gap moved from phase `before` to phase `after` (log points; baseline-free)."""
    def value(phase: str) -> float:
        sel = table[(table["raw"] == raw) & (table["phase"] == phase)]["value_log_ratio"]
        return float(sel.iloc[0]) if len(sel) else float("nan")
    return value(after) - value(before)


def period_total(rows: pd.DataFrame, period: str) -> tuple[float, Baseline]:
    """The total over a period when reported totals and months cover all of it, else NaN."""
    months = months_of(period)
    base = baseline(rows, str(months[0]), str(months[-1]))
    total = base.mean * base.months_in_window if base.complete else float("nan")
    return total, base


def known_how(base: Baseline) -> str:
    """How a period's total is known: which reported figures cover it, or how much is missing."""
    if base.complete:
        return base.method
    if base.months_with_data == 0:
        return "no figure"
    return f"not known: figures for {base.months_with_data} of {base.months_in_window} months"


def annual_comparison(obs: pd.DataFrame, products: list[str], partner: str, year: int, prior: int) -> pd.DataFrame:
    """Each product's total in `year` against `prior`, where both years are fully covered."""
    out = []
    for product in products:
        rows = series_rows(obs, product, partner)
        unit = rows["unit"].iloc[0] if len(rows) else ""
        now, b_now = period_total(rows, str(year))
        then, b_then = period_total(rows, str(prior))
        change = (now / then - 1) * 100 if np.isfinite(now) and np.isfinite(then) and then > 0 else float("nan")
        out.append({"product": product, "unit": unit, "prior": then, "current": now, "yoy_pct": change,
                    "prior_basis": known_how(b_then), "current_basis": known_how(b_now)})
    return pd.DataFrame(out)


def same_month_changes(obs: pd.DataFrame, products: list[str], partner: str, start: str, end: str) -> pd.DataFrame:
    """Months in start..end whose figure and the figure a year before are both known."""
    out = []
    for product in products:
        rows = series_rows(obs, product, partner)
        if not len(rows):
            continue
        first = min(rows["first_month"].min(), pd.Period(start, "M") - 12)
        s = monthly_series(obs, product, partner, start=str(first), end=end)
        change = yoy_pct(s["value"])
        for month in s.index[(s.index >= pd.Period(start, "M")) & change.notna()]:
            out.append({"product": product, "month": str(month), "unit": s.attrs["unit"],
                        "value": s.at[month, "value"], "year_before": s.at[month - 12, "value"],
                        "yoy_pct": change[month],
                        "status": "derived" if "derived" in (s.at[month, "status"], s.at[month - 12, "status"]) else "reported"})
    return pd.DataFrame(out, columns=["product", "month", "unit", "value", "year_before", "yoy_pct", "status"])


def rest_of_world(obs: pd.DataFrame, product: str, partner: str, start: str, end: str) -> pd.DataFrame:
    """World minus one destination, by month: always 'derived', 'missing' when either is unknown."""
    world = monthly_series(obs, product, "WLD", start=start, end=end)
    part = monthly_series(obs, product, partner, start=start, end=end)
    out = pd.DataFrame(index=world.index)
    out["value"] = world["value"] - part["value"]
    out["status"] = np.where(out["value"].notna(), "derived", "missing")
    out["source_ids"] = (world["source_ids"] + ";" + part["source_ids"]).str.strip(";").where(out["value"].notna(), "")
    out["share_pct"] = share_pct(part["value"], world["value"])
    out.attrs["unit"] = world.attrs.get("unit", "")
    return out


def destination_table(obs: pd.DataFrame, products: list[str], start: str, end: str) -> pd.DataFrame:
    """Every destination figure for `products` inside start..end, next to the world figure for the
    same period (reported, or covered by reported parts) and the destination's share of it."""
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")
    sel = obs[obs["product"].isin(products) & (obs["partner"] != "WLD") & (obs["flow"] == "export")
              & (obs["unit"] != "USD") & (obs["first_month"] >= lo) & (obs["last_month"] <= hi)]
    out = []
    for _, row in sel.iterrows():
        world, _ = period_total(series_rows(obs, row["product"], "WLD", unit=row["unit"]), row["period"])
        out.append({"product": row["product"], "period": row["period"], "partner": row["partner"],
                    "value": row["value"], "unit": row["unit"], "world": world,
                    "share_pct": row["value"] / world * 100 if np.isfinite(world) and world > 0 else float("nan"),
                    "status": row["status"], "source_ids": row["source_ids"], "note": row["note"]})
    cols = ["product", "period", "partner", "value", "unit", "world", "share_pct", "status", "source_ids", "note"]
    df = pd.DataFrame(out, columns=cols)
    order = {p: i for i, p in enumerate(products)}
    df["_o"] = df["product"].map(order)
    return df.sort_values(["_o", "period", "partner"]).drop(columns="_o").reset_index(drop=True)


def unreported(obs: pd.DataFrame, products: list[str], partner: str, start: str, end: str) -> list[str]:
    """Products with no figure at all for `partner` in start..end (unknown, which is not zero)."""
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")
    sel = obs[(obs["partner"] == partner) & (obs["flow"] == "export") & (obs["unit"] != "USD")
              & (obs["first_month"] >= lo) & (obs["last_month"] <= hi)]
    return [p for p in products if p not in set(sel["product"])]


def destination_shares(obs: pd.DataFrame, product: str, first: str, start: str, end: str) -> dict[str, pd.DataFrame]:
    """Each destination's monthly figure and share of the world figure, `first` listed first and
    the others by how many months they have. A share is 'reported' when both figures are."""
    sel = obs[(obs["product"] == product) & (obs["partner"] != "WLD") & (obs["n_months"] == 1) & (obs["unit"] != "USD")
              & (obs["first_month"] >= pd.Period(start, "M")) & (obs["first_month"] <= pd.Period(end, "M"))]
    counts = sel.groupby("partner")["period"].nunique()
    order = sorted(counts.index, key=lambda p: (p != first, -counts[p], p))
    world = monthly_series(obs, product, "WLD", start=start, end=end)
    out = {}
    for partner in order:
        s = monthly_series(obs, product, partner, start=start, end=end)
        s["share_pct"] = share_pct(s["value"], world["value"])
        both = s["share_pct"].notna()
        derived = (s["status"] == "derived") | (world["status"] == "derived")
        s["status"] = np.select([both & derived, both], ["derived", "reported"], "missing")
        out[partner] = s
    return out


def annual_totals(rows: pd.DataFrame, years: list[int]) -> pd.Series:
    """Each year's total where the year is fully covered (NaN otherwise)."""
    return pd.Series({y: period_total(rows, str(y))[0] for y in years}, dtype=float)


def words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'; 'none' for an empty list."""
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def gap_verdict(changes: dict[str, float], finished: str, before: str, after: str) -> str:
    """One sentence, without numbers, on which way each measurable gap moved between two phases."""
    wider = [name for name, c in changes.items() if np.isfinite(c) and c > 0]
    narrower = [name for name, c in changes.items() if np.isfinite(c) and c < 0]
    unknown = [name for name, c in changes.items() if not np.isfinite(c)]
    if not wider and not narrower:
        return (f"No raw-material series has figures both {before} and {after}, "
                f"so how the gap to {finished} moved cannot be measured.")
    if wider:
        text = f"From the months {before} to those {after}, {finished} pulled further ahead of {words(wider)}"
    else:
        text = f"From the months {before} to those {after}, {finished} pulled ahead of no raw-material series"
    if narrower:
        text += f", while {words(narrower)} gained on them"
    if unknown:
        text += f"; for {words(unknown)} the change cannot be measured"
    return text + "."


def compare_words(a: float, b: float, more: str = "above", less: str = "below", same: str = "level with") -> str:
    """A word for how `a` stands against `b`, for prose whose direction depends on the data."""
    if not (np.isfinite(a) and np.isfinite(b)):
        return "not comparable with"
    return more if a > b else less if a < b else same


def supports_claim(finished_after: float, finished_before: float, raw_after: list[float], raw_before: list[float],
                   gap_changes: list[float]) -> bool:
    """The claim's pattern: finished goods above their pre-control level after the truce, every
    raw input below its own, and every gap wider than under the controls."""
    values = [finished_after, finished_before, *raw_after, *raw_before, *gap_changes]
    if not raw_after or not all(np.isfinite(v) for v in values):
        return False
    return (finished_after > finished_before and all(a < b for a, b in zip(raw_after, raw_before))
            and all(c > 0 for c in gap_changes))
