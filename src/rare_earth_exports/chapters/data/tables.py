"""The data page's tables: what curation decided, what it left out, derived figures, checks."""

from __future__ import annotations

import pandas as pd

from ...present.tables import html_table
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
