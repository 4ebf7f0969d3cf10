"""The data page's tables: what curation decided, what it left out, derived figures, checks."""

from __future__ import annotations

import html

import pandas as pd

from ...core.sources import TIERS
from ...present.tables import Table, html_table, page_link, table
from .coverage import Checks, conflicts, decision_summary, derived, excluded_rows


def all_sources(sources: pd.DataFrame) -> Table:
    """Every page, weak and excluded ones too, best tier first: its tier and the reason, whose
    figures it relays and through which agency. Only this page lists weak and excluded pages."""
    order = {t: i for i, t in enumerate(TIERS)}
    rows = (sources.assign(_o=sources["reliability"].map(order)).sort_values(["_o", "publisher", "source_id"])
            .drop(columns="_o").reset_index(drop=True))
    head = "".join(f"<th>{h}</th>" for h in ("Tier", "Publisher", "Page", "Published", "Originator", "Agency", "Why this tier"))
    body = [
        f"<tr><td>{html.escape(s['reliability'])}</td><td>{html.escape(s['publisher'])}</td>"
        f"<td>{page_link(s['url'], s['title']) if s['reliability'] != 'excluded' else html.escape(s['title'])}</td>"
        f"<td>{html.escape(s['published'])}</td><td>{html.escape(s['originator'])}</td>"
        f"<td>{html.escape(s['agency'])}</td><td>{html.escape(s['reliability_note'])}</td></tr>"
        for _, s in rows.iterrows()
    ]
    markup = f'<table class="book-sources"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    return Table("sources", "Every source of the data", rows, markup)


def tier_counts(sources: pd.DataFrame) -> Table:
    """How many pages each tier holds."""
    counts = sources["reliability"].value_counts().reindex(TIERS, fill_value=0)
    return table("tiers", "Pages by tier", pd.DataFrame({"Tier": counts.index, "Pages": counts.to_numpy()}))


def decisions(reconciliation: pd.DataFrame) -> Table:
    return table("decisions", "What curation decided", decision_summary(reconciliation).rename(columns=str.capitalize))


def excluded(reconciliation: pd.DataFrame) -> Table:
    return table("excluded", "Excluded rows", excluded_rows(reconciliation)[
        ["input_file", "input_line", "period", "partner", "product", "value", "unit", "reason"]].reset_index(drop=True))


def conflicting(obs: pd.DataFrame) -> Table:
    return table("conflicts", "Figures other pages contradicted",
                 conflicts(obs)[["period", "partner", "product", "value", "unit", "note"]].reset_index(drop=True))


def derived_figures(obs: pd.DataFrame) -> Table:
    return table("derived", "Derived figures", derived(obs)[["period", "partner", "flow", "product", "value", "unit", "note"]]
                 .reset_index(drop=True), {"value": ",.2f"})


def span_checks(checks: Checks) -> Table:
    """Every total whose months are all known: the sum of its months, the difference and the tolerance."""
    shown = checks.complete[["partner", "flow", "product", "period", "total", "sum_of_months", "difference", "tolerance", "status"]]
    return table("span-checks", "Totals against their months",
                 shown.astype({"total": float, "sum_of_months": float, "difference": float, "tolerance": float}).reset_index(drop=True),
                 {"total": ",.1f", "sum_of_months": ",.1f", "difference": ",.2f", "tolerance": ",.2f"})
