"""The destinations page's table: every destination side by side.

A dash marks what the figures cannot give (no figure before the controls, no baseline window covered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.periods import period_in_words
from ...core.words import capitalised, month_short, without_article
from ...present.tables import Table, table
from .measures import DestinationsPage


def _level_in(value: float, period: str | None) -> str:
    return f"{value:,.0f} in {period_in_words(period)}" if period is not None and np.isfinite(value) else "—"


def destinations_table(pg: DestinationsPage) -> Table:
    """One row per destination: its months, its low after the controls (and whether gaps leave it
    open), its newest figure, its baseline, and its pooled shares before, after and in the newest year."""
    unit = pg.world.measures.unit
    rows = []
    for d in pg.destinations:
        m = d.page.measures
        rows.append({
            "Destination": capitalised(without_article(d.words)),
            "Months with a figure": int(m.series["value"].notna().sum()),
            f"Lowest after the controls ({unit})": (f"{m.low.value:,.0f} in {month_short(m.low.month)}"
                                                    + ("" if m.low.pinned else " (gaps around it)"))
            if m.low.month is not None else "—",
            f"Newest ({unit})": _level_in(m.periods.iloc[-1]["value"], m.newest_period) if len(m.periods) else "—",
            "Baseline": d.baseline.window.name if d.baseline is not None else "—",
            "Share before (%)": m.share_before.pct,
            f"Share to {month_short(m.after_end)} (%)": m.share_after.pct,
            "Share since (%)": m.share_latest.pct,
        })
    frame = pd.DataFrame(rows)
    return table("destinations", "Destinations side by side", frame, {c: ".1f" for c in frame.columns if c.startswith("Share")})
