"""The data page's chart: which series have a figure for which month."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...present import series as charts
from ...present import theme

# A month inside a reported total has a figure only summed with other months: a paler blue.
COVERAGE_COLOURS = {"reported": theme.STATUS_COLOURS["reported"], "derived": theme.STATUS_COLOURS["derived"],
                    "in a total": "#b7c9dd", "missing": "#eeeeee"}


def coverage_chart(coverage: pd.DataFrame) -> alt.TopLevelMixin:
    """A grid of series by month (`coverage.coverage_frame`), coloured by what the month has."""
    cov = coverage[["series", "month", "status", "unit"]]
    heat = alt.Chart(cov).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("month:O", title="Month", axis=alt.Axis(labelAngle=-90, labelOverlap=True)),
        y=alt.Y("series:N", title=None, sort=sorted(cov["series"].unique())),
        color=alt.Color("status:N", title="Monthly figure",
                        scale=alt.Scale(domain=list(COVERAGE_COLOURS), range=list(COVERAGE_COLOURS.values()))),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("month:N", title="Month"),
                 alt.Tooltip("status:N", title="Figure"), alt.Tooltip("unit:N", title="Unit")],
    ).properties(width=theme.WIDTH, height=alt.Step(14))
    return charts.titled(heat, "Which months have a figure",
                         "Product · flow · destination, by month. Source: data/observations.csv",
                         "Grid of series by month showing reported, derived, in-a-total and missing monthly figures.")
