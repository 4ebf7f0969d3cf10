"""What the data covers: which series have which months, what curation did to each row, and
whether months add up to their totals."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...core.periods import Month, month_range
from ...curate.consistency import partner_above_world, span_checks


def coverage_frame(obs: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """One row per (series, month) from start to end: reported, derived or missing.

    A month inside a reported span or year (but with no monthly figure) is `in a total`: the
    figure exists only summed with other months.
    """
    months = [str(m) for m in month_range(Month.parse(start), Month.parse(end))]
    quantity = obs[obs["unit"] != "USD"]
    series = quantity[["product", "partner", "flow", "unit"]].drop_duplicates()
    records = []
    for _, s in series.iterrows():
        rows = quantity[(quantity["product"] == s["product"]) & (quantity["partner"] == s["partner"])
                        & (quantity["flow"] == s["flow"]) & (quantity["unit"] == s["unit"])]
        single = dict(zip(rows.loc[rows["n_months"] == 1, "period"], rows.loc[rows["n_months"] == 1, "status"]))
        spans = rows[rows["n_months"] > 1]
        for m in months:
            status = single.get(m)
            if status is None:
                p = pd.Period(m, "M")
                inside = ((spans["first_month"] <= p) & (spans["last_month"] >= p)).any()
                status = "in a total" if inside else "missing"
            records.append({"product": s["product"], "partner": s["partner"], "flow": s["flow"],
                            "unit": s["unit"], "month": m, "status": status})
    df = pd.DataFrame(records)
    df["series"] = df["product"] + " · " + df["flow"] + " · " + df["partner"]
    return df.sort_values(["product", "flow", "partner", "month"]).reset_index(drop=True)


def decision_summary(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Rows in, and what became of them: the counts add up to the rows read."""
    reasons = reconciliation["reason"].str.split(":").str[0].where(reconciliation["decision"] == "excluded", "")
    df = reconciliation.assign(rule=reasons.replace("", "—"))
    out = df.groupby(["decision", "rule"]).size().rename("rows").reset_index()
    return out.sort_values(["decision", "rule"]).reset_index(drop=True)


def newest_month(obs: pd.DataFrame) -> pd.Period:
    """The newest month with a monthly figure: how far the data runs."""
    return obs.loc[obs["n_months"] == 1, "last_month"].max()


def excluded_rows(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Reported rows left out by a rule, with the reason (rows out of the book's scope aside)."""
    rec = reconciliation
    return rec[(rec["decision"] == "excluded") & ~rec["reason"].str.startswith("out of scope")]


def conflicts(obs: pd.DataFrame) -> pd.DataFrame:
    """Curated figures that other pages contradicted; the note names the losing figure."""
    return obs[obs["note"].str.contains("conflicting", na=False)]


def derived(obs: pd.DataFrame) -> pd.DataFrame:
    return obs[obs["status"] == "derived"]


@dataclass(frozen=True)
class Checks:
    """The consistency checks as the page reports them."""

    complete: pd.DataFrame   # totals whose months are all known, with their sum and tolerance
    above_world: list        # destinations above the world figure (each a DataError)


def consistency_checks(obs: pd.DataFrame) -> Checks:
    """Months against the totals that cover them, and destinations against the world figure."""
    rows = obs.astype({"value": str}).to_dict("records")
    checks = pd.DataFrame(span_checks(rows))
    return Checks(checks[checks["status"] != "incomplete"], partner_above_world(rows, "observations.csv"))
