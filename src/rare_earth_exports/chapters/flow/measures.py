"""Finished magnets against their raw inputs: did magnets flow again while controlled inputs stayed scarce?

The claim says two things moved apart. Tonnes of magnets and kilograms of dysprosium only
compare once each is divided by its own baseline (an index, baseline = 100), or once one is set
against the other: kilograms of an input exported per tonne of magnets exported, a ratio that
needs no baseline at all, which matters where an input's baseline rests on a single month.

The page's stretches of time come from the policy dates: under the controls (the control's
month to the truce's month) and after the truce (the first whole month after it to the newest
month). A mean over a stretch uses every figure that covers it, spans included, so a two-month
figure counts once for its two months and is never split. Whether the inputs thinned after the
truce is read three ways: the means of the two stretches, the same leaving out a named spike,
and a permutation over months that asks how often months picked at random do as well.

`measure` computes everything the page says into one `FlowPage`; `record` writes its series and
tables as metrics rows. Words are in `text`, charts in `charts`, tables in `tables`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core.conventions import Window, meaningful_base
from ...core.load import BookData
from ...core.periods import Month, disjoint, is_contiguous, last_full_year, months_of, period_for, period_kind, year_before
from ...core.series import Baseline, baseline, index, monthly_series, series_rows, share_pct, yoy_pct
from ...present.page import Page
from .prices import PriceEvidence, price_evidence

WORLD = "WLD"
# What the conclusion follows in the world figures: the headline category, the two controlled
# elements with monthly export figures, dysprosium oxide alone (a narrower figure) and PrNd oxide,
# the main magnet feedstock (never controlled).
HEADLINE = "rare_earths"
ELEMENTS = ("dysprosium", "terbium")
ELEMENT_OXIDE = "dy_oxide"
FEEDSTOCK = "prnd_oxide"
# What an event must name to be a report on a destination's controlled inputs.
INPUT_TERMS = ("dysprosium", "terbium", "yttrium", "heavy rare earths")
# Above this many ways of splitting the months, the permutation draws this many at random (seeded).
EXACT_LIMIT = 100_000


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


def drawn_spans(rows: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Figures for several months together (a span, never a calendar year) inside start..end,
    none of whose months has a figure of its own: a chart draws each as one span at its monthly
    average. Where such spans overlap, the shortest is kept."""
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")
    singles = set(rows.loc[rows["n_months"] == 1, "first_month"])
    cands = rows[(rows["n_months"] > 1) & (rows["first_month"] >= lo) & (rows["last_month"] <= hi)]
    cands = cands[cands["period"].map(period_kind) == "span"]
    alone = [not set(pd.period_range(a, b, freq="M")) & singles for a, b in zip(cands["first_month"], cands["last_month"])]
    cands = cands[np.array(alone, dtype=bool)].sort_values(["n_months", "first_month"])
    cols = ["period", "first_month", "last_month", "n_months", "value", "monthly", "status", "source_ids"]
    out = cands[cands["period"].isin(disjoint(list(cands["period"])))].sort_values("first_month")
    if not len(out):
        return pd.DataFrame(columns=cols)
    out = out.copy()
    out["monthly"] = out["value"] / out["n_months"]
    return out[cols].reset_index(drop=True)


@dataclass(frozen=True)
class Indexed:
    """One series on the index scale, with the baseline it rests on and its spans."""

    product: str
    partner: str
    unit: str
    baseline: Baseline
    frame: pd.DataFrame  # by month: value, status, source_ids, index
    spans: pd.DataFrame = field(default_factory=pd.DataFrame)  # `drawn_spans`, with their index

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
    spans = drawn_spans(rows, start, end)
    spans["index"] = index(spans["monthly"].astype(float), base)
    return Indexed(product, partner, frame.attrs.get("unit", ""), base, frame, spans)


# --- stretches of time --------------------------------------------------------------------

@dataclass(frozen=True)
class Phase:
    name: str
    start: str
    end: str

    @property
    def period(self) -> str:
        return period_for(list(months_of(f"{self.start}/{self.end}")))


def first_whole_month_after(date: str) -> str:
    """The first month that lies wholly after a dated event ('2025-10-30' -> '2025-11'; an event on
    the first of a month leaves that month after it)."""
    day = pd.Timestamp(date)
    month = day.to_period("M")
    return str(month if day.day == 1 else month + 1)


def phases(control_date: str, truce_date: str, end: str) -> tuple[Phase, Phase]:
    """Under the controls (the control's month to the month before the first whole month after the
    truce) and after the truce (from that month to `end`)."""
    control = pd.Timestamp(control_date).to_period("M")
    after = pd.Period(first_whole_month_after(truce_date), "M")
    return (Phase("under the controls", str(control), str(after - 1)),
            Phase("after the truce", str(after), end))


def months_text(months: pd.PeriodIndex) -> str:
    """A run of months as one period ('2025-05/2025-10'), other sets as a list, '' for none."""
    ms = [Month(m.year, m.month) for m in months]
    return period_for(ms) if is_contiguous(ms) else ", ".join(str(m) for m in ms)


def window_level(rows: pd.DataFrame, start: str, end: str) -> Baseline:
    """The monthly mean over start..end from every figure that covers it (months, spans, years)."""
    return baseline(rows, start, end)


# --- inputs against magnets -----------------------------------------------------------------

def monthly_ratio(finished: Indexed, raw: Indexed) -> pd.Series:
    """Kilograms of the raw input per tonne of the finished product, in each month both have a
    figure of their own (and the finished figure is above zero)."""
    f = finished.frame["value"]
    r = raw.frame["value"].reindex(f.index)
    ok = f.notna() & r.notna() & (f > 0)
    return (r[ok] / f[ok]).rename("ratio")


@dataclass(frozen=True)
class Stretch:
    """Both series' means over the months of a stretch in which both have a figure of their own."""

    name: str
    period: str
    months: pd.PeriodIndex
    finished_mean: float
    raw_mean: float

    @property
    def n(self) -> int:
        return len(self.months)

    @property
    def common(self) -> str:
        return months_text(self.months)

    @property
    def ratio(self) -> float:
        """Raw per finished over the stretch (kg per t): the ratio of the two means."""
        ok = np.isfinite(self.finished_mean) and self.finished_mean > 0 and np.isfinite(self.raw_mean)
        return self.raw_mean / self.finished_mean if ok else float("nan")


def stretch(finished: Indexed, raw: Indexed, phase: Phase, leave_out: Window | None = None) -> Stretch:
    """`Stretch` over a phase, leaving out the months of `leave_out` if given."""
    lo, hi = pd.Period(phase.start, "M"), pd.Period(phase.end, "M")
    f = finished.frame.loc[lo:hi, "value"]
    r = raw.frame["value"].reindex(f.index)
    both = f.notna() & r.notna()
    if leave_out is not None:
        both &= ~f.index.isin(pd.period_range(leave_out.start, leave_out.end, freq="M"))
    name = phase.name if leave_out is None else f"{phase.name}, without {leave_out.name}"
    return Stretch(name, phase.period, f.index[both], float(f[both].mean()), float(r[both].mean()))


@dataclass(frozen=True)
class Permutation:
    """How often months picked at random do as well as the months after the truce: of every way to
    pick `after` of the `before + after` months, `as_low` give a mean at least as low, set against
    the mean of the rest, as the months after the truce did (all `splits` ways when `exact`, else
    that many random picks)."""

    before: int
    after: int
    observed: float
    as_low: int
    splits: int
    exact: bool

    @property
    def share(self) -> float:
        return self.as_low / self.splits if self.splits else float("nan")

    @property
    def smallest_share(self) -> float:
        """The lowest share any split of these months could give (one way in all of them)."""
        return 1 / self.splits if self.splits else float("nan")


def permutation(before: pd.Series, after: pd.Series, limit: int = EXACT_LIMIT, seed: int = 0) -> Permutation:
    """A permutation test over months of 'the months after were lower' (see `Permutation`)."""
    b, a = before.dropna().to_numpy(float), after.dropna().to_numpy(float)
    if not len(a) or not len(b):
        return Permutation(len(b), len(a), float("nan"), 0, 0, True)
    values = np.concatenate([b, a])
    n, k, total = len(values), len(a), values.sum()
    observed = float(a.mean() - b.mean())
    splits = math.comb(n, k)
    exact = splits <= limit
    if exact:
        sums = np.array([values[list(c)].sum() for c in itertools.combinations(range(n), k)])
    else:
        rng = np.random.default_rng(seed)
        sums = np.array([values[rng.choice(n, k, replace=False)].sum() for _ in range(limit)])
        splits = limit
    stats = sums / k - (total - sums) / (n - k)
    as_low = int((stats <= observed + 1e-9 * max(1.0, abs(observed))).sum())
    return Permutation(len(b), k, observed, as_low, splits, exact)


def leave_out_seasonal(values: pd.Series, seasonal_months) -> tuple[pd.Series, int]:
    """The values without the seasonal months (the book's seasonal rule), and how many went."""
    keep = [m.month not in set(seasonal_months) for m in values.index]
    return values[keep], len(values) - sum(keep)


@dataclass(frozen=True)
class Spike:
    """A named window in which one element's exports stood out, with what is known of it."""

    window: Window
    product: str
    months: pd.Series  # the element's monthly world figures inside the window
    under_total: float  # its total over the months under the controls with a figure
    top: dict  # the largest destination figure inside the window: partner, period, value, share_pct

    @property
    def present(self) -> bool:
        return bool(len(self.months))

    @property
    def total(self) -> float:
        return float(self.months.sum())

    @property
    def share_of_under(self) -> float:
        return self.total / self.under_total * 100 if self.under_total > 0 else float("nan")


def spike_facts(obs: pd.DataFrame, product: str, window: Window, under: Phase) -> Spike:
    """The element's figures inside the spike window, their share of the months under the
    controls, and the largest single destination figure in it."""
    world = monthly_series(obs, product, WORLD, start=under.start, end=under.end)["value"]
    inside = world.loc[pd.Period(window.start, "M"):pd.Period(window.end, "M")].dropna()
    dest = obs[(obs["product"] == product) & (obs["partner"] != WORLD) & (obs["flow"] == "export") & (obs["n_months"] == 1)
               & (obs["first_month"] >= pd.Period(window.start, "M")) & (obs["first_month"] <= pd.Period(window.end, "M"))]
    top = {}
    if len(dest):
        r = dest.sort_values(["value", "period"], ascending=[False, True]).iloc[0]
        w = world.get(r["first_month"], float("nan"))
        top = {"partner": r["partner"], "period": r["period"], "value": float(r["value"]), "unit": r["unit"],
               "share_pct": float(r["value"] / w * 100) if np.isfinite(w) and w > 0 else float("nan")}
    return Spike(window, product, inside, float(world.sum()), top)


@dataclass(frozen=True)
class Element:
    """A controlled element against world magnets: its stretches, its months, its test."""

    product: str
    series: Indexed  # indexed on the page's baseline window
    under: Stretch
    after: Stretch
    without_spike: Stretch | None  # under the controls without the spike window (the spike's element only)
    ratios: pd.Series  # kg per t of magnets, by month
    test: Permutation  # the months after the truce against those under the controls
    seasonal_left_out: int  # months the seasonal rule left out of the test

    @property
    def base(self) -> Baseline:
        return self.series.baseline

    @property
    def after_index(self) -> float:
        """The mean after the truce over the element's own baseline, times 100."""
        b = self.base.mean
        return self.after.raw_mean / b * 100 if np.isfinite(b) and b > 0 else float("nan")

    @property
    def months_over_base(self) -> pd.Series:
        """Months since the controls in which the element stood above its baseline (index > 100)."""
        idx = self.series.frame["index"]
        return idx[(idx.index >= pd.Period(str(months_of(self.under.period)[0]), "M")) & (idx > 100)]

    @property
    def thinned(self) -> bool:
        return bool(self.after.ratio < self.under.ratio)


def element(obs: pd.DataFrame, finished: Indexed, product: str, scope: "Scope") -> Element:
    under, after = scope.phases
    s = indexed_series(obs, product, WORLD, scope.baseline.start, scope.baseline.end, scope.start, scope.end)
    ratios = monthly_ratio(finished, s)
    lo_u, hi_u, lo_a = pd.Period(under.start, "M"), pd.Period(under.end, "M"), pd.Period(after.start, "M")
    before, n_before = leave_out_seasonal(ratios[(ratios.index >= lo_u) & (ratios.index <= hi_u)], scope.seasonal_months)
    later, n_later = leave_out_seasonal(ratios[ratios.index >= lo_a], scope.seasonal_months)
    without = stretch(finished, s, under, scope.spike) if product == scope.spike_product else None
    return Element(product, s, stretch(finished, s, under), stretch(finished, s, after), without, ratios,
                   permutation(before, later), n_before + n_later)


@dataclass(frozen=True)
class Claim:
    """The figures the answer rests on, all for exports to every destination."""

    finished_base: Baseline  # magnets over the baseline window
    finished_under: Baseline  # magnets' monthly mean under the controls (spans included)
    finished_after: Baseline  # and after the truce
    elements: dict[str, Element]
    spike: Spike
    min_months_after: int
    rare_share: float

    def finished_index(self, level: Baseline) -> float:
        b = self.finished_base.mean
        return level.mean / b * 100 if np.isfinite(b) and b > 0 else float("nan")

    @property
    def months_after(self) -> int:
        """The fewest months after the truce any element has with a magnet figure beside it."""
        return min((e.after.n for e in self.elements.values()), default=0)

    @property
    def spike_element(self) -> Element | None:
        return self.elements.get(self.spike.product)

    @property
    def spike_agrees(self) -> bool:
        """True unless leaving the spike out turns the direction of the spike element's change."""
        e = self.spike_element
        if e is None or e.without_spike is None or not np.isfinite(e.without_spike.ratio):
            return True
        return (e.after.ratio < e.without_spike.ratio) == (e.after.ratio < e.under.ratio)

    @property
    def rare(self) -> bool:
        """Every element's months after the truce are rare among random picks of the months."""
        shares = [e.test.share for e in self.elements.values()]
        return bool(shares) and all(np.isfinite(s) and s <= self.rare_share for s in shares)

    @property
    def thinning(self) -> str:
        """What the data says about 'the inputs thinned further after the truce': 'no months' (no
        figure after it), 'too few months', 'shown' (every element fell, with and without the spike,
        and rarely by chance) or 'unclear'."""
        if self.months_after == 0:
            return "no months"
        if self.months_after < self.min_months_after:
            return "too few months"
        if all(e.thinned for e in self.elements.values()) and self.spike_agrees and self.rare:
            return "shown"
        return "unclear"


def claim(obs: pd.DataFrame, finished: Indexed, scope: "Scope") -> Claim:
    under, after = scope.phases
    rows = series_rows(obs, scope.finished, WORLD)
    return Claim(finished.baseline, window_level(rows, under.start, under.end), window_level(rows, after.start, after.end),
                 {p: element(obs, finished, p, scope) for p in ELEMENTS},
                 spike_facts(obs, scope.spike_product, scope.spike, under), scope.min_months_after, scope.rare_share)


# --- years and the newest year ---------------------------------------------------------------

def period_total(rows: pd.DataFrame, period: str) -> tuple[float, Baseline]:
    """The total over a period when reported totals and months cover all of it, else NaN."""
    months = months_of(period)
    base = baseline(rows, str(months[0]), str(months[-1]))
    return base.total, base


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


def same_month_changes(obs: pd.DataFrame, products: list[str], partner: str, start: str, end: str,
                       floors: dict[str, float]) -> pd.DataFrame:
    """Months in start..end whose figure and the figure a year before are both known; the change is
    NaN and `meaningful` False where the year-before figure is below the floor for its unit."""
    out = []
    for product in products:
        rows = series_rows(obs, product, partner)
        if not len(rows):
            continue
        first = min(rows["first_month"].min(), pd.Period(start, "M") - 12)
        s = monthly_series(obs, product, partner, start=str(first), end=end)
        change = yoy_pct(s["value"])
        unit = s.attrs["unit"]
        for month in s.index[(s.index >= pd.Period(start, "M")) & change.notna()]:
            before = s.at[month - 12, "value"]
            ok = meaningful_base(before, unit, floors)
            out.append({"product": product, "month": str(month), "unit": unit, "value": s.at[month, "value"],
                        "year_before": before, "yoy_pct": change[month] if ok else float("nan"), "meaningful": ok,
                        "status": "derived" if "derived" in (s.at[month, "status"], s.at[month - 12, "status"]) else "reported"})
    return pd.DataFrame(out, columns=["product", "month", "unit", "value", "year_before", "yoy_pct", "meaningful", "status"])


@dataclass(frozen=True)
class MonthChange:
    """A month against the month before, or why that change cannot be computed.

    `why` is '' when both months have a figure of their own, 'span' when the month before is
    known only inside a figure for several months together (`span` names it), 'missing' when there
    is no figure for one of the two months.
    """

    month: str
    value: float
    previous: float
    change_pct: float
    why: str
    span: str = ""


def month_against_previous(rows: pd.DataFrame, month: str) -> MonthChange:
    """`month` against the month before it, from one series' rows (months, spans and years).

    A month GACC published together with its neighbour (January-February) has no figure of its
    own, so a change that needs it is not computable: it is never split out of the span.
    """
    this, before = pd.Period(month, "M"), pd.Period(month, "M") - 1
    singles = rows[rows["n_months"] == 1].set_index("first_month")["value"]
    value = float(singles.get(this, float("nan")))
    previous = float(singles.get(before, float("nan")))
    if np.isfinite(value) and np.isfinite(previous):
        change = (value / previous - 1) * 100 if previous else float("nan")
        return MonthChange(month, value, previous, change, "")
    spans = rows[(rows["n_months"] > 1) & (rows["first_month"] <= before) & (rows["last_month"] >= before)
                 & (rows["last_month"] < this)]
    if np.isfinite(value) and len(spans):
        shortest = spans.sort_values("n_months").iloc[0]
        return MonthChange(month, value, float("nan"), float("nan"), "span", str(shortest["period"]))
    return MonthChange(month, value, previous, float("nan"), "missing")


def like_with_like(obs: pd.DataFrame, series: list[tuple[str, str]], since: str, end: str,
                   floors: dict[str, float]) -> pd.DataFrame:
    """Every figure of each (product, partner) for a month or span from `since` to `end`, against
    the same months a year before (a two-month figure against the same two months), where that is
    covered; the change is NaN and `meaningful` False on a base below the floor."""
    out = []
    lo, hi = pd.Period(since, "M"), pd.Period(end, "M")
    for product, partner in series:
        rows = series_rows(obs, product, partner)
        inside = rows[(rows["first_month"] >= lo) & (rows["last_month"] <= hi)]
        for _, r in inside.sort_values(["first_month", "n_months"]).iterrows():
            if period_kind(r["period"]) == "year":
                continue
            prior_period = year_before(r["period"])
            prior, _ = period_total(rows, prior_period)
            ok = meaningful_base(prior, r["unit"], floors)
            out.append({"product": product, "partner": partner, "period": r["period"], "n_months": r["n_months"],
                        "value": r["value"], "unit": r["unit"], "prior_period": prior_period, "prior": prior,
                        "yoy_pct": (r["value"] / prior - 1) * 100 if ok else float("nan"), "meaningful": ok,
                        "source_ids": r["source_ids"]})
    cols = ["product", "partner", "period", "n_months", "value", "unit", "prior_period", "prior", "yoy_pct", "meaningful",
            "source_ids"]
    return pd.DataFrame(out, columns=cols)


def annual_totals(rows: pd.DataFrame, years: list[int]) -> pd.Series:
    """Each year's total where the year is fully covered (NaN otherwise)."""
    return pd.Series({y: period_total(rows, str(y))[0] for y in years}, dtype=float)


# --- destinations --------------------------------------------------------------------------

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


def period_shares(obs: pd.DataFrame, product: str, partner: str, start: str, end: str) -> pd.DataFrame:
    """The destination's share of the world figure for every month it has, and for every span drawn
    as one (`drawn_spans`), each against the world figure for the same months."""
    rows, world = series_rows(obs, product, partner), series_rows(obs, product, WORLD)
    lo, hi = pd.Period(start, "M"), pd.Period(end, "M")
    singles = rows[(rows["n_months"] == 1) & (rows["first_month"] >= lo) & (rows["first_month"] <= hi)]
    parts = pd.concat([singles, drawn_spans(rows, start, end)], ignore_index=True)
    out = []
    for _, r in parts.sort_values("first_month").iterrows():
        w, _ = period_total(world, r["period"])
        out.append({"period": r["period"], "first_month": r["first_month"], "last_month": r["last_month"],
                    "n_months": int(r["n_months"]), "value": r["value"], "world": w,
                    "share_pct": r["value"] / w * 100 if np.isfinite(w) and w > 0 else float("nan"),
                    "source_ids": r["source_ids"]})
    cols = ["period", "first_month", "last_month", "n_months", "value", "world", "share_pct", "source_ids"]
    return pd.DataFrame(out, columns=cols)


def pooled_share(obs: pd.DataFrame, product: str, partner: str, period: str) -> tuple[float, float, float]:
    """(destination total, world total, share %) over a period both cover completely; NaN otherwise."""
    d, _ = period_total(series_rows(obs, product, partner), period)
    w, _ = period_total(series_rows(obs, product, WORLD), period)
    return d, w, d / w * 100 if np.isfinite(d) and np.isfinite(w) and w > 0 else float("nan")


def input_figures(obs: pd.DataFrame, destinations: pd.DataFrame, finished: str, partner: str) -> pd.DataFrame:
    """The destination's figures for raw inputs (rows of `destination_table`), each with the
    destination's share of the finished product over the same period: an input share above it
    points against 'inputs stayed restricted' for that destination, one below it fits it."""
    d = destinations[destinations["partner"] == partner].copy()
    d["finished_share_pct"] = [pooled_share(obs, finished, partner, p)[2] for p in d["period"]]
    return d.reset_index(drop=True)


def destination_events(events: pd.DataFrame, partner: str, since: str) -> pd.DataFrame:
    """Reports from `since` on that name the destination and a controlled input (figures come
    from the data, so data releases are left out)."""
    def names(affects: str) -> bool:
        tokens = {t.strip().lower() for t in affects.split(";")}
        return partner.lower() in tokens and any(term in tokens for term in INPUT_TERMS)

    sel = events[(events["month"] >= pd.Period(since, "M")) & (events["kind"] != "data_release")
                 & events["affects"].map(names)]
    return sel.sort_values(["day", "event_id"] if "event_id" in sel else ["day"]).reset_index(drop=True)


def confounders(events: pd.DataFrame, partner: str, under: Phase) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tariff events under the controls, and the first truce after them that names tariffs and the
    destination: a second cause of any fall in its figures."""
    lo, hi = pd.Period(under.start, "M"), pd.Period(under.end, "M")
    tariffs = events[(events["kind"] == "tariff") & (events["month"] >= lo) & (events["month"] <= hi)].sort_values("day")
    if not len(tariffs):
        return tariffs, tariffs
    later = events[(events["kind"] == "truce") & (events["day"] > tariffs["day"].max())
                   & events["affects"].str.lower().str.contains("tariff") & events["affects"].str.contains(partner)]
    return tariffs.reset_index(drop=True), later.sort_values("day").head(1).reset_index(drop=True)


@dataclass(frozen=True)
class Destination:
    """The section on one destination, from its own figures only."""

    partner: str
    window: Window
    series: Indexed  # its finished-product figures, indexed on the window
    under: Baseline  # monthly means over the stretches (spans included)
    after: Baseline
    shares: pd.DataFrame  # its pooled share of the world figure per stretch: name, period, value, world, share_pct
    by_period: pd.DataFrame  # `period_shares`
    inputs: pd.DataFrame  # `input_figures`
    unreported: list[str]  # controlled inputs with no figure for it since the controls
    events: pd.DataFrame  # `destination_events` after the truce
    tariffs: pd.DataFrame  # `confounders`
    tariff_truce: pd.DataFrame
    newest: MonthChange
    year_changes: pd.DataFrame  # `like_with_like` in the newest year

    @property
    def base(self) -> Baseline:
        return self.series.baseline

    def index_of(self, level: Baseline) -> float:
        b = self.base.mean
        return level.mean / b * 100 if np.isfinite(b) and b > 0 else float("nan")


def destination(obs: pd.DataFrame, events: pd.DataFrame, destinations: pd.DataFrame, scope: "Scope") -> Destination:
    under, after = scope.phases
    w, p, fin = scope.destination_baseline, scope.destination, scope.finished
    rows = series_rows(obs, fin, p)
    stretches = [(w.name, w.period), (under.name, under.period), (after.name, after.period)]
    shares = pd.DataFrame([{"name": name, "period": period, **dict(zip(("value", "world", "share_pct"), pooled_share(obs, fin, p, period)))}
                           for name, period in stretches])
    tariffs, truce = confounders(events, p, under)
    raw_inputs = [r for r in scope.raws if r != HEADLINE]
    return Destination(
        p, w, indexed_series(obs, fin, p, w.start, w.end, scope.start, scope.end),
        window_level(rows, under.start, under.end), window_level(rows, after.start, after.end), shares,
        period_shares(obs, fin, p, w.start, scope.end), input_figures(obs, destinations, fin, p),
        unreported(obs, raw_inputs, p, under.start, scope.end), destination_events(events, p, after.start), tariffs, truce,
        month_against_previous(rows, scope.end), like_with_like(obs, [(fin, p)], scope.newest_year_start, scope.end, scope.floors))


# --- the page -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """What the flow page is about: its parameters (see the notebook's parameters cell)."""

    destination: str
    finished: str
    raws: list[str]
    price_products: list[str]
    baseline: Window
    destination_baseline: Window
    spike: Window
    spike_product: str
    start: str
    end: str
    control_date: str
    truce_date: str
    min_months_after: int
    rare_share: float
    seasonal_months: tuple[int, ...]
    floors: dict[str, float]

    partner = WORLD

    @classmethod
    def from_parameters(cls, destination, finished, raws, price_products, baseline, destination_baseline, spike,
                        spike_product, start, end, control_date, truce_date, min_months_after, rare_share,
                        seasonal_months, floors) -> "Scope":
        """From the notebook's parameters: windows as parameters.yml states them, lists as lists."""
        return cls(destination, finished, as_list(raws), as_list(price_products), Window.from_param(baseline),
                   Window.from_param(destination_baseline), Window.from_param(spike), spike_product, start, end,
                   str(control_date), str(truce_date), int(min_months_after), float(rare_share),
                   tuple(int(m) for m in seasonal_months), {k: float(v) for k, v in floors.items()})

    @property
    def base_window(self) -> str:
        return self.baseline.period

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
    def newest_year_start(self) -> str:
        """January of the year after the page's year: the part year the data reaches into."""
        return f"{self.year + 1}-01"

    @property
    def products(self) -> list[str]:
        return [self.finished, *self.raws]

    @property
    def phases(self) -> tuple[Phase, Phase]:
        return phases(self.control_date, self.truce_date, self.end)


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
class Headline:
    """GACC's headline category and the other series that cannot test the claim."""

    annual: pd.DataFrame  # the finished product and the headline category, by product
    years: pd.Series  # the headline category's known annual totals, by year
    rows: pd.DataFrame
    finished_rows: pd.DataFrame
    feedstock_figures: int
    oxide: pd.Series  # the latest dysprosium-oxide figure


@dataclass(frozen=True)
class FlowPage:
    """Everything the flow page measures; `text` words it, `charts` and `tables` show it."""

    scope: Scope
    finished: Indexed
    raw: dict[str, Indexed]
    claim: Claim
    headline: Headline
    annual: pd.DataFrame
    same_month: pd.DataFrame
    year_changes: pd.DataFrame  # `like_with_like` of the world series in the newest year
    newest: MonthChange  # the finished product's newest month against the month before
    shares: Shares
    destinations: pd.DataFrame  # `destination_table` of the raw inputs since the controls
    prices: PriceEvidence
    focus: Destination

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
    def index_source_ids(self) -> list[str]:
        return [s for series in self.series.values() for s in [*series.frame["source_ids"], *series.spans["source_ids"]]]

    @property
    def element_source_ids(self) -> list[str]:
        return [s for e in self.claim.elements.values() for s in e.series.frame["source_ids"]]

    @property
    def focus_source_ids(self) -> list[str]:
        f = self.focus
        return [*f.by_period["source_ids"], *f.inputs["source_ids"], *f.year_changes["source_ids"],
                *f.events.get("source_ids", []), *f.tariffs.get("source_ids", []), *f.tariff_truce.get("source_ids", [])]

    @property
    def source_ids(self) -> list[str]:
        """Every source of every figure on the page."""
        h = self.headline
        return (self.index_source_ids + self.element_source_ids + self.shares.source_ids + list(self.destinations["source_ids"])
                + list(self.prices.quotes["source_ids"]) + list(self.year_changes["source_ids"]) + list(h.rows["source_ids"])
                + list(h.finished_rows["source_ids"]) + [h.oxide["source_ids"]] + self.focus_source_ids)


def headline(obs: pd.DataFrame, scope: Scope) -> Headline:
    rows = {p: series_rows(obs, p, WORLD) for p in (scope.finished, HEADLINE, ELEMENT_OXIDE)}
    annual = annual_comparison(obs, [scope.finished, HEADLINE], WORLD, scope.year, scope.prior).set_index("product")
    years = annual_totals(rows[HEADLINE], sorted({m.year for m in rows[HEADLINE]["first_month"]})).dropna()
    feedstock = int(((obs["product"] == FEEDSTOCK) & (obs["flow"] == "export")).sum())
    oxide = rows[ELEMENT_OXIDE].sort_values("first_month").iloc[-1]
    return Headline(annual, years, rows[HEADLINE], rows[scope.finished], feedstock, oxide)


def measure(data: BookData, scope: Scope) -> FlowPage:
    """Every measure of the flow page, from the data package."""
    obs = data.observations
    under, _ = scope.phases
    window = (scope.baseline.start, scope.baseline.end, scope.start, scope.end)
    finished = indexed_series(obs, scope.finished, WORLD, *window)
    destinations = destination_table(obs, scope.raws, under.start, scope.end)
    return FlowPage(
        scope=scope, finished=finished, raw={p: indexed_series(obs, p, WORLD, *window) for p in scope.raws},
        claim=claim(obs, finished, scope), headline=headline(obs, scope),
        annual=annual_comparison(obs, scope.products, WORLD, scope.year, scope.prior),
        same_month=same_month_changes(obs, scope.products, WORLD, f"{scope.year}-01", scope.year_end, scope.floors),
        year_changes=like_with_like(obs, [(scope.finished, WORLD), *[(p, WORLD) for p in scope.raws]],
                                    scope.newest_year_start, scope.end, scope.floors),
        newest=month_against_previous(series_rows(obs, scope.finished, WORLD), scope.end),
        shares=shares_in_year(obs, scope.finished, scope.destination, scope.year, scope.year_end),
        destinations=destinations, prices=price_evidence(data.prices, data.sources, scope.price_products),
        focus=destination(obs, data.events, destinations, scope),
    )


def record(page: Page, flow: FlowPage) -> None:
    """The page's series and tables as metrics rows (the glued figures are recorded by `text.glue`)."""
    sc, f = flow.scope, flow.focus
    for p, s in flow.series.items():
        basis = f"baseline {s.baseline.window} ({s.baseline.method})"
        page.add_series(s.frame["index"], WORLD, p, "index", "index", basis)
        for _, r in s.spans.iterrows():
            page.add(r["period"], WORLD, p, "index", r["index"], "index", f"{basis}; monthly average of a {r['n_months']}-month figure")
    for p, e in flow.claim.elements.items():
        page.add_series(e.ratios, WORLD, f"{p}/{sc.finished}", "input_ratio", "kg/t", "kg per tonne of magnets, same month")
    for _, a in flow.annual.iterrows():
        page.add(str(sc.prior), WORLD, a["product"], "level", a["prior"], a["unit"], "annual total")
        page.add(str(sc.year), WORLD, a["product"], "level", a["current"], a["unit"], "annual total")
        page.add(str(sc.year), WORLD, a["product"], "yoy_pct", a["yoy_pct"], "%", f"{sc.year} against {sc.prior}, annual totals")
    for _, r in flow.same_month.iterrows():
        page.add(r["month"], WORLD, r["product"], "yoy_pct", r["yoy_pct"], "%", "same month a year before")
    for _, r in pd.concat([flow.year_changes, f.year_changes]).iterrows():
        page.add(r["period"], r["partner"], r["product"], "yoy_pct", r["yoy_pct"], "%", f"against {r['prior_period']}")
    for p, s in flow.shares.by_partner.items():
        page.add_series(s["share_pct"], p, sc.finished, "share_pct", "%", "share of the world figure")
    for _, r in f.by_period[f.by_period["n_months"] > 1].iterrows():
        page.add(r["period"], f.partner, sc.finished, "share_pct", r["share_pct"], "%", "share of the world figure, same months")
    page.add_series(f.series.frame["index"], f.partner, sc.finished, "index", "index", f"baseline {f.window.period}")
    for _, r in flow.destinations.iterrows():
        page.add(r["period"], r["partner"], r["product"], "level", r["value"], r["unit"], "destination figure")
        page.add(r["period"], r["partner"], r["product"], "share_pct", r["share_pct"], "%", "share of the world figure, same period")
    for _, r in flow.prices.premiums.iterrows():
        for basis in ("low", "high", "mid"):
            page.add(r["month"], "EU27", r["product"], "price_premium", r[basis], "ratio", f"{basis}: Europe over {r['inside_words']}, same month")
