"""The collapse chapter's tables: every figure of the series, the seasonal pattern, and the cost.

A dash marks a gap (no figure); a change that needs a single month where only a multi-month total
exists says "not computable", and one on a base under the floor "not meaningful".
"""

from __future__ import annotations

import pandas as pd

from ...core.conventions import Change
from ...core.periods import period_in_words
from ...core.words import months_in_words
from ...present.tables import html_table, sources_table
from .measures import PageMeasures


def change_cell(c: Change, fmt: str = "+.1f") -> str:
    """A change as a table shows it: the number, its reason, or a dash for a gap."""
    if c.shown:
        return format(c.pct, fmt)
    return "—" if c.reason == "no figure" else c.reason


def monthly_table(p: PageMeasures) -> str:
    """Every figure as published (months, and totals of several months kept whole): its level, status,
    changes and its monthly level against each usable baseline."""
    m, unit = p.measures, p.measures.unit
    table = pd.DataFrame({
        "Period": [period_in_words(x) for x in m.periods["period"]],
        f"Exports ({unit})": m.periods["value"].to_numpy(),
        "Figure": m.periods["status"].to_numpy(),
        "Month on month (%)": [change_cell(c) for c in m.mom],
        "Year on year (%)": [change_cell(c) for c in m.yoy],
    })
    formats = {f"Exports ({unit})": ",.1f"}
    for a in m.against.values():
        if a.ok:
            column = f"Index, {a.window.name} = 100"
            table[column], formats[column] = (m.periods["monthly"] / a.base.mean * 100).to_numpy(), ".1f"
    return html_table(table, formats)


def pattern_table(p: PageMeasures) -> str:
    """The seasonal pattern: each part of the year its figures fix, its total and its monthly level
    against the year's average month."""
    pattern, unit = p.measures.pattern, p.measures.unit
    if pattern is None:
        return ""
    table = pd.DataFrame({
        "Months": [months_in_words(b.months) for b in pattern.blocks],
        f"Total ({unit})": [b.total for b in pattern.blocks],
        f"A month ({unit})": [b.per_month for b in pattern.blocks],
        "Against an average month (%)": [b.per_month / pattern.mean * 100 for b in pattern.blocks],
    })
    return html_table(table, {f"Total ({unit})": ",.0f", f"A month ({unit})": ",.0f",
                              "Against an average month (%)": ".1f"})


def cost_table(p: PageMeasures) -> str:
    """Per baseline window: its level, its seasonally adjusted level, the month it was regained and
    the shortfall to then and to the newest figure."""
    m, unit = p.measures, p.measures.unit
    rows = [a for a in m.against.values() if a.cf is not None]
    table = pd.DataFrame({
        "Baseline": [a.window.name for a in rows],
        f"Mean month ({unit})": [a.base.mean for a in rows],
        f"Seasonally adjusted ({unit})": [a.cf.level for a in rows],
        "Regained": [period_in_words(str(a.recovery.regained)) if a.recovery.regained is not None else "not yet" for a in rows],
        f"Shortfall to then ({unit})": [a.to_recovery.tonnes if a.to_recovery is not None else float("nan") for a in rows],
        f"Shortfall to {period_in_words(m.newest_period)} ({unit})": [
            a.to_newest.tonnes if a.to_newest is not None else float("nan") for a in rows],
    })
    return html_table(table, {c: ",.0f" for c in table.columns if c.endswith(f"({unit})")})


def chart_sources(source_ids: list[str], sources: pd.DataFrame) -> str:
    """The sources table of a chart, folded under it."""
    return f"<details><summary>Sources of the figures in this chart</summary>{sources_table(source_ids, sources)}</details>"
