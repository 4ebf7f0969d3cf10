"""How every chart looks: fonts, colours by figure status, series and event kind, sizes.

One place for style, so two charts never disagree on what a colour means. Charts take the width
of their column (`width: "container"`, set by `present.figure`), so only heights live here.
"""

from __future__ import annotations

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
TEXT = "#333333"
MUTED = "#595959"          # secondary text and reference lines: 7:1 on white
GRID = "#e6e6e6"

# What a month's figure is. Points show the first two; strips and grids show every one.
REPORTED, DERIVED, MISSING = "#1f4e79", "#e07b00", "#e0e0e0"
STATUS_COLOURS = {"reported": REPORTED, "derived": DERIVED}
STATUS_SHAPES = {"reported": "circle", "derived": "diamond"}
MONTH_COLOURS = {
    "reported": REPORTED,
    "derived": DERIVED,
    "in a total": "#b7c9dd",     # only summed with other months: a paler blue
    "no baseline": "#c9a3d8",    # a figure, but no baseline to index it on
    "zero": "#000000",
    "missing": MISSING,
}

# Series (destinations, products, pairs), kept clear of the status colours (navy, orange). Event
# markers are told from series by their form (dashed rules, numbered circles), not their colour.
SERIES_PALETTE = ["#5e35b1", "#00897b", "#c2185b", "#8d6e63", "#f9a825", "#546e7a", "#7cb342", "#0288d1"]


def series_colours(n: int) -> list[str]:
    """The colours of `n` series, in order (the palette repeats after eight)."""
    return [SERIES_PALETTE[i % len(SERIES_PALETTE)] for i in range(n)]


# Policy events by kind: every kind its own colour (a truce is not a relaxation), each dark
# enough to carry a white number.
EVENT_COLOURS = {
    "control": "#b22222",
    "truce": "#1b7837",
    "relaxation": "#0b6e8a",
    "license": "#6a3d9a",
    "tariff": "#8a5a00",
    "quota": "#7a4b3a",
    "statement": "#595959",
    "data_release": "#3d5a80",
    "other": "#595959",
}
EVENT_WORDS = {"control": "Control", "truce": "Truce", "relaxation": "Relaxation", "license": "Licences",
               "tariff": "Tariff", "quota": "Quota", "statement": "Statement", "data_release": "Data release",
               "other": "Other"}

BAND = "#c6dbef"      # a shaded range behind the lines (a counterfactual between two baselines)

HEIGHT = 300          # a monthly line chart
PANEL_HEIGHT = 120    # one small multiple


# Legend labels are cut (with an ellipsis) past this many pixels: a legend under a plot whose
# axis labels indent it by about 64 px then fits a 360 px screen (chart about 312 px wide).
LEGEND_LABEL_LIMIT = 220


def theme() -> dict:
    return {"config": {
        "font": FONT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        # room on the right for a point or marker on the last day drawn (fit leaves out marks)
        "padding": {"left": 5, "top": 5, "bottom": 5, "right": 12},
        "view": {"continuousHeight": HEIGHT, "stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": GRID, "labelColor": TEXT,
                 "titleColor": TEXT, "labelOverlap": True},
        "axisX": {"labelAngle": 0, "labelFlush": True},
        "title": {"fontSize": 13, "anchor": "start", "color": TEXT},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                   "labelLimit": LEGEND_LABEL_LIMIT, "titleLimit": LEGEND_LABEL_LIMIT, "labelColor": TEXT, "titleColor": TEXT,
                   # several legends stack under the chart instead of running off its right edge
                   "layout": {"bottom": {"anchor": "start", "direction": "vertical"}}},
        "range": {"category": SERIES_PALETTE},
        # the chart's container is the image for assistive technology (role="img", a label and
        # a description): the marks inside stay out of the accessibility tree
        "aria": False,
    }}
