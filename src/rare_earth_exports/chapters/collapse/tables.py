"""The collapse chapter's tables: every figure of the series, the seasonal pattern, and the cost.

A dash marks a gap (no figure); a change that needs a single month where only a multi-month total
exists says "not computable", and one on a base under the floor "not meaningful".
"""

from __future__ import annotations

import pandas as pd

from ...core.conventions import Change
from ...core.periods import period_in_words
from ...core.words import months_in_words
from ...present.tables import Table, html_table, table
from .measures import PageMeasures


def change_cell(c: Change, fmt: str = "+.1f") -> str:
    """A change as a table shows it: the number, its reason, or a dash for a gap."""
    if c.shown:
        return format(c.pct, fmt)
    return "—" if c.reason == "no figure" else c.reason


def monthly_table(p: PageMeasures) -> Table:
    """Every figure as published (months, and totals of several months kept whole): its level, status,
    changes and its monthly level against each usable baseline."""
    m, unit = p.measures, p.measures.unit
    frame = pd.DataFrame({
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
            frame[column], formats[column] = (m.periods["monthly"] / a.base.mean * 100).to_numpy(), ".1f"
    download = frame.assign(Period=m.periods["period"].to_numpy(), Unit=unit,
                            source_ids=m.periods["source_ids"].to_numpy())
    return Table("figures-as-published", "Every figure as published", download, html_table(frame, formats))


def pattern_table(p: PageMeasures) -> Table | None:
    """The seasonal pattern: each part of the year its figures fix, its total and its monthly level
    against the year's average month."""
    pattern, unit = p.measures.pattern, p.measures.unit
    if pattern is None:
        return None
    frame = pd.DataFrame({
        "Months": [months_in_words(b.months) for b in pattern.blocks],
        f"Total ({unit})": [b.total for b in pattern.blocks],
        f"A month ({unit})": [b.per_month for b in pattern.blocks],
        "Against an average month (%)": [b.per_month / pattern.mean * 100 for b in pattern.blocks],
    })
    return table("seasonal-pattern", f"The seasonal pattern of {pattern.window.name}", frame,
                 {f"Total ({unit})": ",.0f", f"A month ({unit})": ",.0f", "Against an average month (%)": ".1f"})


def cost_table(p: PageMeasures) -> Table:
    """Per baseline window: its level, its seasonally adjusted level, the month it was regained and
    the shortfall to then and to the newest figure."""
    m, unit = p.measures, p.measures.unit
    rows = [a for a in m.against.values() if a.cf is not None]
    frame = pd.DataFrame({
        "Baseline": [a.window.name for a in rows],
        f"Mean month ({unit})": [a.base.mean for a in rows],
        f"Seasonally adjusted ({unit})": [a.cf.level for a in rows],
        "Regained": [period_in_words(str(a.recovery.regained)) if a.recovery.regained is not None else "not yet" for a in rows],
        f"Shortfall to then ({unit})": [a.to_recovery.tonnes if a.to_recovery is not None else float("nan") for a in rows],
        f"Shortfall to {period_in_words(m.newest_period)} ({unit})": [
            a.to_newest.tonnes if a.to_newest is not None else float("nan") for a in rows],
    })
    return table("cost-in-tonnes", "The cost in tonnes, by baseline", frame,
                 {c: ",.0f" for c in frame.columns if c.endswith(f"({unit})")})
