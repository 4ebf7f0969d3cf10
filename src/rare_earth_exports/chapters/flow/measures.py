"""Finished magnets against their raw inputs: one index scale, the gap between them, annual totals.

The claim "magnets flow, oxides don't" says two series moved apart. Tonnes of magnets and
kilograms of dysprosium only compare once each is divided by its own baseline, so every series
is indexed (baseline = 100) and the gap is the log ratio of two indexes. How far the gap *moved*
between two phases does not depend on the baselines at all (they cancel), which matters where a
baseline rests on a single month.

`measure` computes everything a flow page says into one `FlowPage`; `record` writes its series
and tables as metrics rows. Words are in `text`, charts in `charts`, tables in `tables`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.load import BookData
from ...core.periods import Month, is_contiguous, last_full_year, months_of, period_for
from ...core.series import Baseline, baseline, index, log_ratio, monthly_series, series_rows, share_pct, yoy_pct
from ...present.page import Page
from .prices import PriceEvidence, price_evidence

WORLD = "WLD"
# What the conclusion follows in the world figures, whatever the page's partner: the headline
# category, the two controlled elements with monthly export figures, dysprosium oxide alone (a
# narrower figure) and PrNd oxide, the main magnet feedstock (never controlled).
HEADLINE = "rare_earths"
ELEMENTS = ("dysprosium", "terbium")
ELEMENT_OXIDE = "dy_oxide"
FEEDSTOCK = "prnd_oxide"


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


def annual_comparison(obs: pd.DataFrame, products: list[str], partner: str, year: int, prior: int) -> pd.DataFrame:
    """Each product's total in `year` against `prior`, where both years are fully covered, with the
    baseline of each year's total (`text.known_how` says how it is known)."""
    out = []
    for product in products:
        rows = series_rows(obs, product, partner)
        unit = rows["unit"].iloc[0] if len(rows) else ""
        now, b_now = period_total(rows, str(year))
        then, b_then = period_total(rows, str(prior))
        change = (now / then - 1) * 100 if np.isfinite(now) and np.isfinite(then) and then > 0 else float("nan")
        out.append({"product": product, "unit": unit, "prior": then, "current": now, "yoy_pct": change,
                    "prior_baseline": b_then, "current_baseline": b_now})
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


def supports_claim(finished_after: float, finished_before: float, raw_after: list[float], raw_before: list[float],
                   gap_changes: list[float]) -> bool:
    """The claim's pattern: finished goods above their pre-control level after the truce, every
    raw input below its own, and every gap wider than under the controls."""
    values = [finished_after, finished_before, *raw_after, *raw_before, *gap_changes]
    if not raw_after or not all(np.isfinite(v) for v in values):
        return False
    return (finished_after > finished_before and all(a < b for a, b in zip(raw_after, raw_before))
            and all(c > 0 for c in gap_changes))


@dataclass(frozen=True)
class Scope:
    """What a flow page is about: its parameters (see the notebook's parameters cell)."""

    partner: str
    destination: str
    finished: str
    raws: list[str]
    price_products: list[str]
    baseline_start: str
    baseline_end: str
    start: str
    end: str
    controls_start: str
    after_truce_start: str

    @property
    def base_window(self) -> str:
        return f"{self.baseline_start}/{self.baseline_end}"

    @property
    def year(self) -> int:
        """The page's year: the last full calendar year up to its last month."""
        return last_full_year(int(self.end[:4]), int(self.end[5:7]))

    @property
    def year_end(self) -> str:
        """The last month of the page's year (never after the page's last month)."""
        return min(f"{self.year}-12", self.end)

    @property
    def prior(self) -> int:
        return self.year - 1

    @property
    def products(self) -> list[str]:
        return [self.finished, *self.raws]

    @property
    def phases(self) -> tuple[Phase, ...]:
        return phases(self.start, self.controls_start, self.after_truce_start, self.end)


@dataclass(frozen=True)
class Shares:
    """Where the finished product went in the page's year: each destination's monthly share of
    the world figure, and the focus destination's share of the annual totals."""

    by_partner: dict[str, pd.DataFrame]
    destination: str
    destination_total: float
    world_total: float
    world_source_ids: list[str]

    @property
    def share_year(self) -> float:
        return self.destination_total / self.world_total * 100

    @property
    def monthly(self) -> pd.Series:
        """The focus destination's monthly shares, months without one left out."""
        return self.by_partner[self.destination]["share_pct"].dropna()

    @property
    def source_ids(self) -> list[str]:
        return [i for s in self.by_partner.values() for i in s["source_ids"]] + self.world_source_ids


def shares_in_year(obs: pd.DataFrame, product: str, destination: str, year: int, end: str) -> Shares:
    """`destination_shares` from January of `year` to `end`, with both annual totals (NaN unless covered)."""
    by_partner = destination_shares(obs, product, destination, f"{year}-01", end)
    d_total = period_total(series_rows(obs, product, destination), str(year))[0]
    w_total = period_total(series_rows(obs, product, WORLD), str(year))[0]
    world = monthly_series(obs, product, WORLD, start=f"{year}-01", end=end)
    return Shares(by_partner, destination, d_total, w_total, list(world["source_ids"]))


@dataclass(frozen=True)
class Element:
    """A controlled element against world magnets over the months in which both have a figure,
    under the controls and after the truce (`phase_gap` rows), and its own months before."""

    product: str
    series: Indexed
    under: dict
    after: dict
    pre: Baseline

    @property
    def gap_change(self) -> float:
        """How far ln(mean magnets / mean element) moved from under the controls to after the truce."""
        return self.after["value_log_ratio"] - self.under["value_log_ratio"]


@dataclass(frozen=True)
class WorldClaim:
    """The figures the conclusion tests the claim with, all for exports to every destination."""

    annual: pd.DataFrame  # the finished product and the headline category, by product
    headline_years: pd.Series  # the headline category's known annual totals, by year
    finished_pre: Baseline  # magnets' monthly mean before the controls
    elements: dict[str, Element]
    feedstock_figures: int
    oxide: pd.Series  # the latest dysprosium-oxide figure
    finished_rows: pd.DataFrame
    headline_rows: pd.DataFrame
    year: int
    prior: int

    @property
    def paired(self) -> Element:
        """Dysprosium: its months with a figure are the ones the magnet means are taken over."""
        return self.elements["dysprosium"]

    @property
    def supports_claim(self) -> bool:
        els = self.elements.values()
        return supports_claim(self.paired.after["finished_mean"], self.finished_pre.mean, [e.after["raw_mean"] for e in els],
                              [e.pre.mean for e in els], [e.gap_change for e in els])

    def annual_source_ids(self, rows: pd.DataFrame) -> list[str]:
        """The sources of the rows that cover the page's year and the year before."""
        return list(rows.loc[rows["period"].isin([str(self.year), str(self.prior)]), "source_ids"])

    @property
    def element_source_ids(self) -> list[str]:
        return [s for e in self.elements.values() for s in e.series.frame["source_ids"]]


def world_claim(obs: pd.DataFrame, scope: Scope) -> WorldClaim:
    """The conclusion's figures: world exports, on the page's baseline window and phases."""
    before, under, after = scope.phases
    rows = {p: series_rows(obs, p, WORLD) for p in (scope.finished, HEADLINE, *ELEMENTS, ELEMENT_OXIDE)}
    annual = annual_comparison(obs, [scope.finished, HEADLINE], WORLD, scope.year, scope.prior).set_index("product")
    headline = annual_totals(rows[HEADLINE], sorted({m.year for m in rows[HEADLINE]["first_month"]})).dropna()
    finished = indexed_series(obs, scope.finished, WORLD, scope.baseline_start, scope.baseline_end, scope.start, scope.end)
    elements = {}
    for p in ELEMENTS:
        s = indexed_series(obs, p, WORLD, scope.baseline_start, scope.baseline_end, scope.start, scope.end)
        elements[p] = Element(p, s, phase_gap(finished, s, under), phase_gap(finished, s, after),
                              baseline(rows[p], before.start, before.end))
    feedstock = int(((obs["product"] == FEEDSTOCK) & (obs["flow"] == "export")).sum())
    oxide = rows[ELEMENT_OXIDE].sort_values("first_month").iloc[-1]
    return WorldClaim(annual, headline, baseline(rows[scope.finished], before.start, before.end), elements, feedstock,
                      oxide, rows[scope.finished], rows[HEADLINE], scope.year, scope.prior)


@dataclass(frozen=True)
class FlowPage:
    """Everything a flow page measures; `text` words it, `charts` and `tables` show it."""

    scope: Scope
    finished: Indexed
    raw: dict[str, Indexed]
    gaps: pd.DataFrame  # `gap_table` of every raw series
    finished_by_phase: pd.Series  # the finished series' mean index per phase
    divergences: dict[str, pd.DataFrame]
    gap_changes: dict[str, float]  # under the controls -> after the truce, by raw series
    annual: pd.DataFrame
    same_month: pd.DataFrame
    shares: Shares
    destinations: pd.DataFrame  # `destination_table` of the raw inputs since the controls
    unreported: list[str]  # raw inputs without any figure for the destination since the controls
    prices: PriceEvidence
    world: WorldClaim

    @property
    def series(self) -> dict[str, Indexed]:
        """The finished series, then every raw one."""
        return {self.scope.finished: self.finished, **self.raw}

    @property
    def indexed_raws(self) -> list[str]:
        return [p for p, s in self.raw.items() if s.baseline_kind != "none"]

    @property
    def unindexed_raws(self) -> list[str]:
        return [p for p in self.scope.raws if p not in self.indexed_raws]

    @property
    def measurable_gap_changes(self) -> int:
        return sum(math.isfinite(c) for c in self.gap_changes.values())

    @property
    def index_source_ids(self) -> list[str]:
        return [s for series in self.series.values() for s in series.frame["source_ids"]]

    @property
    def source_ids(self) -> list[str]:
        """Every source of every figure on the page."""
        w = self.world
        return (self.index_source_ids + self.shares.source_ids + list(self.destinations["source_ids"])
                + list(self.prices.quotes["source_ids"]) + w.element_source_ids + list(w.finished_rows["source_ids"])
                + list(w.headline_rows["source_ids"]) + [w.oxide["source_ids"]])


def measure(data: BookData, scope: Scope) -> FlowPage:
    """Every measure of a flow page, from the data package."""
    obs = data.observations
    _, under, after = scope.phases
    window = (scope.baseline_start, scope.baseline_end, scope.start, scope.end)
    finished = indexed_series(obs, scope.finished, scope.partner, *window)
    raw = {p: indexed_series(obs, p, scope.partner, *window) for p in scope.raws}
    gaps = gap_table(finished, list(raw.values()), scope.phases)
    own = gap_table(finished, [finished], scope.phases).set_index("phase")["finished_index"]
    return FlowPage(
        scope=scope, finished=finished, raw=raw, gaps=gaps, finished_by_phase=own,
        divergences={p: divergence(finished, s) for p, s in raw.items()},
        gap_changes={p: gap_change(gaps, p, under.name, after.name) for p in scope.raws},
        annual=annual_comparison(obs, scope.products, scope.partner, scope.year, scope.prior),
        same_month=same_month_changes(obs, scope.products, scope.partner, f"{scope.year}-01", scope.year_end),
        shares=shares_in_year(obs, scope.finished, scope.destination, scope.year, scope.year_end),
        destinations=destination_table(obs, scope.raws, scope.controls_start, scope.end),
        unreported=unreported(obs, scope.raws, scope.destination, scope.controls_start, scope.end),
        prices=price_evidence(data.prices, data.sources, scope.price_products),
        world=world_claim(obs, scope),
    )


def record(page: Page, flow: FlowPage) -> None:
    """The page's series and tables as metrics rows (the glued figures are recorded by `text.glue`)."""
    sc = flow.scope
    _, under, after = sc.phases
    for p, s in flow.series.items():
        page.add_series(s.frame["index"], sc.partner, p, "index", "index", f"baseline {sc.base_window}")
    for p, d in flow.divergences.items():
        page.add_series(d["log_ratio"], sc.partner, f"{sc.finished}/{p}", "log_ratio", "log points",
                        f"ln(index ratio), baseline {sc.base_window}")
    for p, c in flow.gap_changes.items():
        page.add(f"{under.period}->{after.period}", sc.partner, f"{sc.finished}/{p}", "gap_change", c, "log points",
                 "change of ln(mean finished / mean raw), baseline-free")
    for _, g in flow.gaps.iterrows():
        page.add(g["period"], sc.partner, f"{sc.finished}/{g['raw']}", "log_ratio", g["log_ratio"], "log points",
                 f"{g['phase']}: ln(mean index ratio), baseline {sc.base_window}")
    for _, a in flow.annual.iterrows():
        page.add(str(sc.prior), sc.partner, a["product"], "level", a["prior"], a["unit"], "annual total")
        page.add(str(sc.year), sc.partner, a["product"], "level", a["current"], a["unit"], "annual total")
        page.add(str(sc.year), sc.partner, a["product"], "yoy_pct", a["yoy_pct"], "%", f"{sc.year} against {sc.prior}, annual totals")
    for _, r in flow.same_month.iterrows():
        page.add(r["month"], sc.partner, r["product"], "yoy_pct", r["yoy_pct"], "%", "same month a year before")
    for p, s in flow.shares.by_partner.items():
        page.add_series(s["share_pct"], p, sc.finished, "share_pct", "%", "share of the world figure")
    for _, r in flow.destinations.iterrows():
        page.add(r["period"], r["partner"], r["product"], "level", r["value"], r["unit"], "destination figure")
        page.add(r["period"], r["partner"], r["product"], "share_pct", r["share_pct"], "%", "share of the world figure, same period")
    for _, r in flow.prices.premiums.iterrows():
        for basis in ("low", "high", "mid"):
            page.add(r["month"], "EU27", r["product"], "price_premium", r[basis], "ratio", f"{basis}: Europe over inside China, same month")
