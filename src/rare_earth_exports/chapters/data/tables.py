"""The data page's tables: what curation decided, what it left out, derived figures, checks."""

from __future__ import annotations

import html

import pandas as pd

from ...core.sources import TIERS
from ...present.tables import html_table, page_link
from .coverage import Checks, conflicts, decision_summary, derived, excluded_rows


def decisions(reconciliation: pd.DataFrame) -> str:
    return html_table(decision_summary(reconciliation).rename(columns=str.capitalize))


def excluded(reconciliation: pd.DataFrame) -> str:
    return html_table(excluded_rows(reconciliation)[["input_file", "input_line", "period", "partner", "product", "value", "unit", "reason"]])


def conflicting(obs: pd.DataFrame) -> str:
    return html_table(conflicts(obs)[["period", "partner", "product", "value", "unit", "note"]])


def derived_figures(obs: pd.DataFrame) -> str:
    return html_table(derived(obs)[["period", "partner", "flow", "product", "value", "unit", "note"]], {"value": ",.2f"})


def span_checks(checks: Checks) -> str:
    """Every total whose months are all known: the sum of its months, the difference and the tolerance."""
    table = checks.complete[["partner", "flow", "product", "period", "total", "sum_of_months", "difference", "tolerance", "status"]]
    return html_table(table.astype({"total": float, "sum_of_months": float, "difference": float, "tolerance": float}),
                      {"total": ",.1f", "sum_of_months": ",.1f", "difference": ",.2f", "tolerance": ",.2f"})


def all_sources(sources: pd.DataFrame) -> str:
    """Every page, weak and excluded ones too, best tier first: its tier and the reason, whose
    figures it relays and through which agency. Only this page lists weak and excluded pages."""
    order = {t: i for i, t in enumerate(TIERS)}
    rows = sources.assign(_o=sources["reliability"].map(order)).sort_values(["_o", "publisher", "source_id"])
    head = "".join(f"<th>{h}</th>" for h in ("Tier", "Publisher", "Page", "Published", "Originator", "Agency", "Why this tier"))
    body = [
        f"<tr><td>{html.escape(s['reliability'])}</td><td>{html.escape(s['publisher'])}</td>"
        f"<td>{page_link(s['url'], s['title']) if s['reliability'] != 'excluded' else html.escape(s['title'])}</td>"
        f"<td>{html.escape(s['published'])}</td><td>{html.escape(s['originator'])}</td>"
        f"<td>{html.escape(s['agency'])}</td><td>{html.escape(s['reliability_note'])}</td></tr>"
        for _, s in rows.iterrows()
    ]
    return f'<table class="book-sources"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def tier_counts(sources: pd.DataFrame) -> str:
    """How many pages each tier holds."""
    counts = sources["reliability"].value_counts().reindex(TIERS, fill_value=0)
    return html_table(pd.DataFrame({"Tier": counts.index, "Pages": counts.to_numpy()}))
