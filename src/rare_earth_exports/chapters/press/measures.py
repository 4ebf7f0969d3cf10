"""Which number is right? The press's percentages against the book's own figures, and the categories behind them.

Pages quote changes in percent; `data/stated_percentages.csv` holds every one with the key of the
figure it is about. For each distinct claim (a figure, a comparison, a percentage) the book
computes its own change from its levels and gives a verdict:
- `matches`: the book's change, rounded as the page rounds, is the page's figure;
- `rounding`: off by at most one unit of the page's last digit, or within what the published
  levels' own rounding allows (each level moved by half its last unit);
- `different category`: the page's label names another category than the figure's (curation
  relabelled it), or the page's figure is the change of another category for the same month
  (magnets, GACC's headline 'rare earths', Bloomberg's 'rare-earth products including magnets');
- `error`: none of these;
- `cannot check`: the comparison needs a figure the data does not hold, is not a change of the
  book's figures (a date, a rate, a threshold), or is about a figure the rows do not carry.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from ...core.load import BookData
from ...core.periods import Month, months_of, period_for, period_in_words
from ...core.sources import join_ids

CATEGORIES = ("magnets", "rare_earths", "re_products_incl_magnets")
VERDICTS = ("matches", "rounding", "different category", "error", "cannot check")
WORLD = "WLD"
COMPARED_WITH = {"yoy": "a year before", "mom": "the month before", "ytd_yoy": "the same months a year before",
                 "share": "all destinations", "other": "something else (a date, a rate or a threshold)"}


@dataclass(frozen=True)
class Key:
    period: str
    reporter: str
    partner: str
    flow: str
    product: str
    unit: str

    @classmethod
    def parse(cls, text: str) -> "Key | None":
        parts = text.split("|") if text else []
        return cls(*parts) if len(parts) == 6 else None

    def moved(self, **changes: str) -> "Key":
        return Key(**{**self.__dict__, **changes})


@dataclass(frozen=True)
class Figure:
    """The book's own percentage for a claim: its value, the range its levels' rounding allows,
    the levels it comes from, and why it is missing when it is."""

    pct: float
    low: float
    high: float
    level: float = math.nan
    base: float = math.nan
    base_period: str = ""
    missing: str = ""


def places(value: float) -> int:
    """Decimal places a level is published with (590 -> 0, 1238.47 -> 2)."""
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def level(obs: pd.DataFrame, key: Key) -> float:
    """The figure for the key: its own row, or the sum of its months when every month has one."""
    rows = obs[(obs["partner"] == key.partner) & (obs["flow"] == key.flow) & (obs["product"] == key.product)
               & (obs["unit"] == key.unit)]
    exact = rows.loc[rows["period"] == key.period, "value"]
    if len(exact):
        return float(exact.iloc[0])
    months = [str(m) for m in months_of(key.period)]
    singles = rows.set_index("period")["value"]
    if len(months) > 1 and all(m in singles.index for m in months):
        return float(sum(singles[m] for m in months))
    return math.nan


def base_period(period: str, compares: str) -> str | None:
    """The period a change compares with: the month before (a single month only), or the same
    months a year before; None when the comparison has no base period."""
    months = months_of(period)
    if compares == "mom":
        return str(months[0].shift(-1)) if len(months) == 1 else None
    if compares in ("yoy", "ytd_yoy"):
        return period_for([m.shift(-12) for m in months])
    return None


def _half(value: float) -> float:
    return 0.5 * 10 ** -places(value)


def change(level_now: float, level_then: float) -> tuple[float, float, float]:
    """The change in %, and its range when each level moves by half its last published unit."""
    if not (math.isfinite(level_now) and math.isfinite(level_then)) or level_then == 0:
        return math.nan, math.nan, math.nan
    pct = (level_now / level_then - 1) * 100
    hn, ht = _half(level_now), _half(level_then)
    ends = [((level_now + a) / (level_then + b) - 1) * 100 for a in (-hn, hn) for b in (-ht, ht) if level_then + b > 0]
    return pct, min(ends), max(ends)


def book_figure(obs: pd.DataFrame, key: Key, compares: str) -> Figure:
    """The book's own percentage for a claim about `key`."""
    nan = math.nan
    if compares == "other":
        return Figure(nan, nan, nan, missing="the page compares with a date, a rate or a threshold, not with another figure")
    if key.unit == "pct":
        return Figure(nan, nan, nan, missing=f"the data holds no figure for {key.partner} as a whole, only the page's share")
    now = level(obs, key)
    if compares == "share":
        whole = level(obs, key.moved(partner=WORLD))
        if not (math.isfinite(now) and math.isfinite(whole)) or whole == 0:
            return Figure(nan, nan, nan, now, whole, key.period, missing="the data lacks the destination's or the world's figure")
        pct = now / whole * 100
        ends = [(now + a) / (whole + b) * 100 for a in (-_half(now), _half(now)) for b in (-_half(whole), _half(whole))]
        return Figure(pct, min(ends), max(ends), now, whole, key.period)
    then_period = base_period(key.period, compares)
    if then_period is None:
        return Figure(nan, nan, nan, now, missing=f"{period_in_words(key.period)} is published as one figure: "
                      "a change on the month before needs single months")
    then = level(obs, key.moved(period=then_period))
    if not math.isfinite(now) or not math.isfinite(then):
        lacking = key.period if not math.isfinite(now) else then_period
        return Figure(nan, nan, nan, now, then, then_period, missing=f"the data holds no figure for {period_in_words(lacking)}")
    pct, low, high = change(now, then)
    return Figure(pct, low, high, now, then, then_period)


def stated_places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def matches(stated: str, pct: float) -> bool:
    """The book's figure rounded as the page rounds is the page's figure."""
    return math.isfinite(pct) and round(pct, stated_places(stated)) == float(stated)


def within_rounding(stated: str, fig: Figure) -> bool:
    """Off by at most one unit of the page's last digit, or inside what the levels' rounding allows."""
    if not math.isfinite(fig.pct):
        return False
    unit = 10 ** -stated_places(stated)
    s = float(stated)
    return abs(s - fig.pct) <= unit or fig.low - unit / 2 <= s <= fig.high + unit / 2


def judge(stated: str, fig: Figure, key: Key, reported: Key | None, others: dict[str, Figure],
          names: dict[str, str]) -> tuple[str, str]:
    """(verdict, reason) for one claim; `others` are the same comparison for the other categories."""
    name = _lower(names.get(key.product, key.product))
    if reported is not None and reported.product != key.product:
        said = _lower(names.get(reported.product, reported.product))
        how = (f"the book's {name} give {fig.pct:+.1f} %" if math.isfinite(fig.pct) else fig.missing)
        return "different category", f"the page calls the figure {said}; it is {name} ({how})"
    if not math.isfinite(fig.pct):
        return "cannot check", fig.missing
    if matches(stated, fig.pct):
        return "matches", f"the book's levels give {fig.pct:+.2f} %"
    if within_rounding(stated, fig):
        return "rounding", f"the book's levels give {fig.pct:+.2f} % ({fig.low:+.2f} to {fig.high:+.2f} % within the levels' rounding)"
    for product, other in others.items():
        if within_rounding(stated, other) or matches(stated, other.pct):
            return "different category", (f"{_lower(names.get(product, product))} changed {other.pct:+.1f} %; "
                                          f"{name} changed {fig.pct:+.1f} %")
    return "error", f"the book's levels give {fig.pct:+.2f} %; no rounding or other category explains the page's figure"


def claims(stated: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct claim: the figure it is about, the comparison and the percentage, with
    the pages and rows that state it. A percentage an excerpt states about another of its figures
    joins the claim of that figure when another filing of the excerpt carries it; an event's
    percentage joins the claim of the figure filed from the same excerpt."""
    sp = stated.copy()
    own = sp[(sp["of_row_figure"] == "yes") & (sp["figure_key"] != "")]
    home = {(q, p, c): (k, r) for q, p, c, k, r in zip(own["quote_ref"], own["stated_pct"], own["compares"],
                                                      own["figure_key"], own["reported_key"])}
    keys, reported = [], []
    for _, r in sp.iterrows():
        found = home.get((r["quote_ref"], r["stated_pct"], r["compares"]))
        if r["of_row_figure"] == "yes" and r["figure_key"]:
            keys.append(r["figure_key"])
            reported.append(r["reported_key"])
        elif found:
            keys.append(found[0])
            reported.append(found[1])
        else:
            keys.append("")
            reported.append("")
    sp["claim_key"], sp["claim_reported"] = keys, reported
    sp["alone"] = [f"{f}:{n}" if not k else "" for f, n, k in zip(sp["input_file"], sp["input_line"], sp["claim_key"])]
    grouped = sp.groupby(["claim_key", "alone", "compares", "stated_pct"], sort=False)
    out = grouped.agg(reported_key=("claim_reported", "first"), source_ids=("source_id", join_ids),
                      rows=("input_line", "size"), words=("category_words", lambda w: "; ".join(sorted({x for x in w if x}))),
                      about_other=("of_row_figure", lambda o: bool((o == "no").all())),
                      event=("event_id", lambda e: bool((e != "").all()))).reset_index()
    return out.drop(columns="alone")


def check(data: BookData, start: str, end: str) -> pd.DataFrame:
    """Every claim with the book's own figure beside it, a verdict and the reason: claims about
    figures from `start` to `end`, and those about no figure of the data."""
    obs, names = data.observations, _names(data)
    out = []
    for _, c in claims(data.stated_percentages).iterrows():
        key = Key.parse(c["claim_key"])
        if key is not None and not (Month.parse(start) <= months_of(key.period)[0] and months_of(key.period)[-1] <= Month.parse(end)):
            continue
        if key is None:
            why = ("an event's percentage; no figure of the data goes with it" if c["event"] else
                   "about another figure of the page, which the gathered rows do not hold" if c["about_other"] else
                   "about a price or a category the book does not curate")
            out.append({**c, "book_pct": math.nan, "verdict": "cannot check", "reason": why, "figure": ""})
            continue
        fig = book_figure(obs, key, c["compares"])
        others = {p: book_figure(obs, key.moved(product=p), c["compares"]) for p in CATEGORIES if p != key.product}
        verdict, reason = judge(str(c["stated_pct"]), fig, key, Key.parse(c["reported_key"]), others, names)
        out.append({**c, "book_pct": fig.pct, "verdict": verdict, "reason": reason, "figure": figure_words(key, names, data)})
    columns = ["claim_key", "compares", "stated_pct", "reported_key", "source_ids", "rows", "words", "about_other",
               "event", "book_pct", "verdict", "reason", "figure"]
    frame = pd.DataFrame(out, columns=columns)
    frame["stated_pct"] = frame["stated_pct"].astype(float)
    return frame


def figure_words(key: Key, names: dict[str, str], data: BookData) -> str:
    """'Rare-earth permanent magnets, United States, August 2025' ('..., imports, ...' for imports)."""
    flow = ", imports" if key.flow == "import" else ""
    return f"{names.get(key.product, key.product)}{flow}, {data.partner_name(key.partner)}, {period_in_words(key.period)}"


def _lower(name: str) -> str:
    """'Rare-earth permanent magnets' -> 'rare-earth permanent magnets' (not 'GACC' or 'PrNd')."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _names(data: BookData) -> dict[str, str]:
    return dict(zip(data.products["product"], data.products["name"]))


def verdict_counts(checked: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """verdict -> (claims, percentages stated), in the order of VERDICTS."""
    return {v: (int((checked["verdict"] == v).sum()), int(checked.loc[checked["verdict"] == v, "rows"].sum()))
            for v in VERDICTS}


# --- the categories side by side ----------------------------------------------------------------

@dataclass(frozen=True)
class MonthInThreeCategories:
    """One month's level and change on the month before in each category (NaN where unknown)."""

    month: str
    levels: dict[str, float]
    changes: dict[str, float]
    source_ids: dict[str, str]


def three_categories(obs: pd.DataFrame, month: str) -> MonthInThreeCategories:
    levels, changes, ids = {}, {}, {}
    for product in CATEGORIES:
        key = Key(month, "CHN", WORLD, "export", product, "t")
        fig = book_figure(obs, key, "mom")
        levels[product], changes[product] = level(obs, key), fig.pct
        row = obs[(obs["period"] == month) & (obs["partner"] == WORLD) & (obs["product"] == product) & (obs["unit"] == "t")]
        ids[product] = row["source_ids"].iloc[0] if len(row) else ""
    return MonthInThreeCategories(month, levels, changes, ids)


@dataclass(frozen=True)
class Quotas:
    """The last quota totals the events state (year, mining and smelting tonnes, date) and the
    later quota events that state no totals."""

    year: int | None
    mining: float
    smelting: float
    date: str
    later: pd.DataFrame


QUOTA_TITLE = re.compile(r"(\d{4}) quotas total ([\d,]+) t mining and ([\d,]+) t smelting")


def quotas(events: pd.DataFrame) -> Quotas:
    """From the quota events' titles: the totals a title states, and what happened to quotas after."""
    q = events[events["kind"] == "quota"].sort_values("date")
    stated = [(m, d) for t, d in zip(q["title"], q["date"]) if (m := QUOTA_TITLE.search(t))]
    if not stated:
        return Quotas(None, math.nan, math.nan, "", q)
    m, date = stated[-1]
    year = int(m.group(1))
    later = q[q["date"].str[:4].astype(int) > year]
    return Quotas(year, float(m.group(2).replace(",", "")), float(m.group(3).replace(",", "")), date, later)


def month_of(period: str) -> Month:
    return months_of(period)[0]
