"""The data page's tables: what curation decided, what it left out, derived figures, checks."""

from __future__ import annotations

import pandas as pd

from ...present.tables import Table, sources, table
from .coverage import Checks, conflicts, decision_summary, derived, excluded_rows


def all_sources(sources_frame: pd.DataFrame) -> Table:
    return sources("sources", sources_frame["source_id"], sources_frame, "Every source of the data", folded=False)


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
