"""The collapse chapter's tables: every month of the page's series, and the destinations side by side.

A dash marks what cannot be computed because a month it needs has no figure (a gap, never a zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.periods import period_in_words
from ...core.words import month_short
from ...present.tables import Table, table
from .measures import PageMeasures


def monthly_table(p: PageMeasures) -> Table:
    """Every month with a figure: level, status, changes, the index against each usable baseline,
    and on a destination page its share of China's total."""
    m, unit = p.measures, p.measures.unit
    values = m.series["value"]
    shown = pd.DataFrame({"Month": [month_short(k) for k in values.index], f"Exports ({unit})": values,
                          "Figure": m.series["status"], "Month on month (%)": m.changes, "Year on year (%)": m.yoy})
    formats = {f"Exports ({unit})": ",.1f", "Month on month (%)": "+.1f", "Year on year (%)": "+.1f"}
    for a in m.against.values():
        if a.ok:
            column = f"Index, {period_in_words(a.label)} = 100"
            shown[column], formats[column] = a.index, ".1f"
    if not p.world:
        shown["Share of China's total (%)"], formats["Share of China's total (%)"] = m.shares, ".1f"
    return table("monthly-figures", "Every month with a figure", shown[values.notna()].reset_index(drop=True), formats)


def _level_in(value: float, month: pd.Period | None) -> str:
    return f"{value:,.1f} in {month_short(month)}" if month is not None else "—"


def destinations_table(p: PageMeasures) -> Table:
    """One row per destination with a page: coverage, the low after the controls and whether it is
    pinned, the newest month, and the pooled shares before and after the controls."""
    t, unit = p.by_destination, p.measures.unit
    shown = pd.DataFrame({
        "Destination": [p.names[d] for d in t["partner"]],
        "Months with a figure": t["months"],
        f"Lowest after the controls ({unit})": [_level_in(v, k) for k, v in zip(t["low_month"], t["low"])],
        "Trough pinned": np.where(t["low_pinned"], "yes", "no"),
        f"Newest ({unit})": [_level_in(v, k) for k, v in zip(t["newest_month"], t["newest"])],
        "Share before (%)": t["share_before"],
        "Share after (%)": t["share_after"],
    })
    return table("destinations", "Destinations side by side", shown, {"Share before (%)": ".1f", "Share after (%)": ".1f"})
