"""The flow page's tables, for the notebook to show: what each chart and sentence rests on.

Names are the data package's (products, partners); a gap shows as a dash, never as a zero.
"""

from __future__ import annotations

import pandas as pd

from ...core.load import BookData
from ...core.periods import period_in_words
from ...core.sources import publishers
from ...present.tables import Table, table
from .measures import FlowPage
from .text import common_months, known_how, pair_label


def baselines(flow: FlowPage, data: BookData) -> Table:
    """Which months each series' baseline rests on, and how many monthly figures it shows."""
    rows = []
    for p, s in flow.series.items():
        b = s.baseline
        rows.append({"Series": data.product_name(p), "Unit": s.unit or "—", "Months with a figure in the baseline window": b.months_with_data,
                     "of": b.months_in_window, "Rests on": ", ".join(b.periods) or "—", "How": b.method,
                     "Baseline (monthly mean)": b.mean, "Monthly figures shown": s.n_months})
    return table("baselines", "Baselines of the indexes", pd.DataFrame(rows), {"Baseline (monthly mean)": ",.1f"})


def gaps(flow: FlowPage, data: BookData) -> Table:
    """The gap in each phase, over the months with both figures, and how far it moved after the truce."""
    g = flow.gaps
    after = flow.scope.phases[-1]
    shown = g.assign(Pair=g["raw"].map(lambda p: pair_label(data.product_name(p))),
                     change=g["raw"].map(flow.gap_changes).where(g["phase"] == after.name),
                     common=g["common"].map(common_months))
    shown = shown[["Pair", "phase", "common", "months", "finished_index", "raw_index", "log_ratio", "change"]]
    shown.columns = ["Pair", "Phase", "Months with both figures", "Count", "Finished index", "Raw index", "Gap (log points)",
                     "Gap moved since the controls (log points)"]
    return table("gaps-by-phase", "The gap in each phase", shown, {
        "Finished index": ",.1f", "Raw index": ",.1f", "Gap (log points)": "+.2f", "Gap moved since the controls (log points)": "+.2f"})


def annual(flow: FlowPage, data: BookData) -> Table:
    """Each product's total in the page's year against the year before, and how each is known."""
    a = flow.annual
    prior, year = str(flow.scope.prior), str(flow.scope.year)
    shown = pd.DataFrame({"Product": a["product"].map(data.product_name), "Unit": a["unit"].replace("", "—"),
                          prior: a["prior"], year: a["current"], "Change, %": a["yoy_pct"],
                          f"How {prior} is known": a["prior_baseline"].map(known_how),
                          f"How {year} is known": a["current_baseline"].map(known_how)})
    return table("annual", f"{year} against {prior}", shown, {prior: ",.0f", year: ",.0f", "Change, %": "+.1f"})


def same_month(flow: FlowPage, data: BookData) -> Table:
    """Single months known in both years."""
    s = flow.same_month
    shown = s.assign(product=s["product"].map(data.product_name))[["product", "month", "unit", "year_before", "value", "yoy_pct", "status"]]
    shown.columns = ["Product", "Month", "Unit", "A year before", "That month", "Change, %", "Figures"]
    return table("same-month", "Single months known in both years", shown,
                 {"A year before": ",.0f", "That month": ",.0f", "Change, %": "+.1f"})


def destinations(flow: FlowPage, data: BookData) -> Table:
    """Every destination figure for the raw inputs since the controls, against the world's."""
    d = flow.destinations
    shown = d.assign(product=d["product"].map(data.product_name), partner=d["partner"].map(data.partner_name),
                     period=d["period"].map(period_in_words), note=d["note"].str.replace("correction: ", "", regex=False))
    shown = shown[["product", "period", "partner", "value", "unit", "world", "share_pct", "note"]]
    shown.columns = ["Product", "Period", "Destination", "Figure", "Unit", "World, same period", "Share, %", "Note"]
    return table("raw-inputs-by-destination", "Raw inputs by destination since the controls", shown,
                 {"Figure": ",.0f", "World, same period": ",.0f", "Share, %": ",.1f"})


def quotes(flow: FlowPage, data: BookData) -> Table:
    """Every price quote as given, with who reported it."""
    q = flow.prices.quotes
    shown = q.assign(product=q["product"].map(data.product_name))[["product", "market_label", "period", "low", "high", "reliability", "publishers"]]
    shown.columns = ["Product", "Market", "Period", "Low, USD/kg", "High, USD/kg", "Reliability", "Reported by"]
    return table("quotes", "Every price quote", shown, {"Low, USD/kg": ",.1f", "High, USD/kg": ",.1f"})


def premiums(flow: FlowPage, data: BookData) -> Table:
    """Every same-month premium, with its reliability and who reported its quotes."""
    prem = flow.prices.premiums
    shown = prem.assign(product=prem["product"].map(data.product_name),
                        reported_by=[publishers(s, data.sources) for s in prem["source_ids"]])
    shown = shown[["product", "month", "low", "high", "mid", "reliability", "reported_by"]]
    shown.columns = ["Product", "Month", "Premium, low", "Premium, high", "Midpoints compared", "Reliability", "Reported by"]
    return table("premiums", "Every same-month premium", shown,
                 {"Premium, low": ",.2f", "Premium, high": ",.2f", "Midpoints compared": ",.2f"})
