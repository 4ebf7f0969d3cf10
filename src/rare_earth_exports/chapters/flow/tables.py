"""The flow page's tables, for the notebook to show: what each chart and sentence rests on.

Names are the data package's (products, partners); a gap shows as a dash, never as a zero.
"""

from __future__ import annotations

import pandas as pd

from ...core.load import BookData
from ...core.periods import period_in_words
from ...core.sources import publishers
from ...core.words import date_words
from ...present.tables import Table, table
from ...present.theme import EVENT_WORDS
from .measures import FlowPage
from .text import known_how, legend_base, months_words, short_name


def baselines(flow: FlowPage, data: BookData) -> Table:
    """Which months each series' baseline rests on, and how many monthly figures it shows."""
    rows = []
    for p, s in flow.series.items():
        b = s.baseline
        rows.append({"Series": data.product_name(p), "Unit": s.unit or "—", "100 on the chart is": legend_base(b, flow.scope.baseline),
                     "Months with a figure in the window": b.months_with_data, "of": b.months_in_window,
                     "How": b.method, "Baseline (monthly mean)": b.mean, "Monthly figures shown": s.n_months})
    return table("baselines", "Baselines of the indexes", pd.DataFrame(rows), {"Baseline (monthly mean)": ",.1f"})


def stretches(flow: FlowPage, data: BookData) -> Table:
    """Each element against magnets under the controls (with and without the spike) and after the
    truce, over the months with both figures, and the test over months."""
    rows = []
    for p, e in flow.claim.elements.items():
        for st in [e.under, *([e.without_spike] if e.without_spike is not None else []), e.after]:
            rows.append({"Element": short_name(data.product_name(p)), "Stretch": st.name, "Months with both figures": months_words(st.months),
                         "Count": st.n, "Magnets, t a month": st.finished_mean, "Element, kg a month": st.raw_mean,
                         "kg per tonne of magnets": st.ratio})
        t = e.test
        rows.append({"Element": short_name(data.product_name(p)), "Stretch": "months picked at random as low as after the truce",
                     "Months with both figures": f"{t.as_low:,} of {t.splits:,} {'ways' if t.exact else 'random picks'}",
                     "Count": t.before + t.after, "Magnets, t a month": float("nan"), "Element, kg a month": float("nan"),
                     "kg per tonne of magnets": float("nan")})
    return table("stretches", "Each element against magnets, stretch by stretch", pd.DataFrame(rows),
                 {"Magnets, t a month": ",.0f", "Element, kg a month": ",.0f", "kg per tonne of magnets": ",.2f"})


def annual(flow: FlowPage, data: BookData) -> Table:
    """Each product's total in the page's year against the year before, and how each is known."""
    a = flow.annual
    prior, year = str(flow.scope.prior), str(flow.scope.year)
    shown = pd.DataFrame({"Product": a["product"].map(data.product_name), "Unit": a["unit"].replace("", "—"),
                          prior: a["prior"], year: a["current"], "Change, %": a["yoy_pct"],
                          f"How {prior} is known": a["prior_baseline"].map(known_how),
                          f"How {year} is known": a["current_baseline"].map(known_how)})
    return table("annual", f"{year} against {prior}", shown, {prior: ",.0f", year: ",.0f", "Change, %": "+.1f"})


def change_cell(row: pd.Series) -> str:
    """A change in a table: signed with one decimal, 'not meaningful' on a base below the floor."""
    if not row["meaningful"]:
        return "not meaningful"
    return format(row["yoy_pct"], "+.1f") if pd.notna(row["yoy_pct"]) else "—"


def same_month(flow: FlowPage, data: BookData) -> Table:
    """Single months known in both years."""
    s = flow.same_month
    shown = s.assign(product=s["product"].map(data.product_name), month=s["month"].map(period_in_words),
                     change=[change_cell(r) for _, r in s.iterrows()])
    shown = shown[["product", "month", "unit", "year_before", "value", "change", "status"]]
    shown.columns = ["Product", "Month", "Unit", "A year before", "That month", "Change, %", "Figures"]
    return table("same-month", "Single months known in both years", shown,
                 {"A year before": ",.0f", "That month": ",.0f"})


def year_changes(flow: FlowPage, data: BookData) -> Table:
    """Every figure of the newest year against the same months a year before (spans against spans)."""
    y = pd.concat([flow.year_changes, flow.focus.year_changes], ignore_index=True)
    shown = y.assign(product=y["product"].map(data.product_name), partner=y["partner"].map(data.partner_name),
                     period=y["period"].map(period_in_words), prior_period=y["prior_period"].map(period_in_words),
                     change=[change_cell(r) for _, r in y.iterrows()])
    shown = shown[["product", "partner", "period", "value", "unit", "prior_period", "prior", "change"]]
    shown.columns = ["Product", "Destination", "Months", "Figure", "Unit", "Same months a year before", "Figure then", "Change, %"]
    return table("newest-year", "The newest figures against the same months a year before", shown,
                 {"Figure": ",.0f", "Figure then": ",.0f"})


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
    shown = q.assign(product=q["product"].map(data.product_name), period=q["period"].map(period_in_words))
    shown = shown[["product", "market_label", "period", "low", "high", "reliability", "publishers"]]
    shown.columns = ["Product", "Market", "Period", "Low, USD/kg", "High, USD/kg", "Reliability", "Reported by"]
    return table("quotes", "Every price quote", shown, {"Low, USD/kg": ",.1f", "High, USD/kg": ",.1f"})


def premiums(flow: FlowPage, data: BookData) -> Table:
    """Every same-month premium, with what it is set against, its reliability and who reported its quotes."""
    prem = flow.prices.premiums
    shown = prem.assign(product=prem["product"].map(data.product_name), month=prem["month"].map(period_in_words),
                        reported_by=[publishers(s, data.sources) for s in prem["source_ids"]])
    shown = shown[["product", "month", "inside_words", "low", "high", "mid", "reliability", "reported_by"]]
    shown.columns = ["Product", "Month", "Europe against", "Premium, low", "Premium, high", "Midpoints compared", "Reliability",
                     "Reported by"]
    return table("premiums", "Every same-month premium", shown,
                 {"Premium, low": ",.2f", "Premium, high": ",.2f", "Midpoints compared": ",.2f"})


def focus_events(flow: FlowPage) -> Table:
    """Reports after the truce that name the destination and a controlled input."""
    ev = flow.focus.events
    shown = pd.DataFrame({"Date": [date_words(d) for d in ev["date"]], "Kind": [EVENT_WORDS.get(k, k) for k in ev["kind"]],
                          "Report": list(ev["title"]), "Status": list(ev["status"])})
    return table("destination-reports", "Reports after the truce that name the destination and a controlled input", shown)
