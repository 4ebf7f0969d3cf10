"""The data page's figure: which series have a figure for which month."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...present import series as charts
from ...present import theme
from ...present.figure import Figure


def coverage_chart(coverage: pd.DataFrame) -> Figure:
    """A grid of series by month (`coverage.coverage_frame`), coloured by what the month has."""
    cov = coverage[["series", "month", "status", "unit"]].copy()
    cov["date"] = pd.PeriodIndex(cov["month"], freq="M").to_timestamp()
    cov["date_end"] = (pd.PeriodIndex(cov["month"], freq="M") + 1).to_timestamp()
    order = sorted(cov["series"].unique())
    y_scale, labels = charts.labelled_rows("series", order, top=14)
    cells = alt.Chart(cov).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=charts.month_axis(min(cov["month"]), max(cov["month"])), x2="date_end:T",
        y=alt.Y("series:N", axis=None, scale=y_scale),
        color=alt.Color("status:N", title="Monthly figure",
                        scale=alt.Scale(domain=list(theme.MONTH_COLOURS), range=list(theme.MONTH_COLOURS.values()))),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("month:N", title="Month"),
                 alt.Tooltip("status:N", title="Figure"), alt.Tooltip("unit:N", title="Unit")],
    )
    heat = alt.layer(cells, labels).properties(height=14 + charts.STRIP_STEP * len(order))
    rows = coverage[["product", "flow", "partner", "unit", "month", "status"]].rename(columns=str.capitalize)
    counts = coverage["status"].value_counts()
    return Figure(
        name="coverage", title="Which months have a figure", charts=[heat], data=rows,
        description=(f"Grid of {len(order)} series (product, flow, destination) by month from {min(cov['month'])} to "
                     f"{max(cov['month'])}, showing reported, derived, in-a-total and missing monthly figures: "
                     + ", ".join(f"{counts.get(s, 0)} {s}" for s in theme.MONTH_COLOURS if counts.get(s, 0)) + "."),
        credit="Source: the book's curated data package (product · flow · destination, by month).")
