"""How every chart looks: fonts, palettes, colours by figure status and event kind, sizes.

One place for style, so two charts never disagree on what a colour means.
"""

from __future__ import annotations

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
STATUS_COLOURS = {"reported": "#1f4e79", "derived": "#e07b00", "missing": "#9e9e9e"}
STATUS_SHAPES = {"reported": "circle", "derived": "diamond"}
PALETTE = ["#1f4e79", "#e07b00", "#2e8b57", "#b22222", "#6a3d9a", "#8c564b", "#17becf", "#7f7f7f"]
EVENT_COLOURS = {"control": "#b22222", "relaxation": "#2e8b57", "truce": "#2e8b57",
                 "license": "#6a3d9a", "quota": "#8c564b", "statement": "#7f7f7f",
                 "data_release": "#17becf", "other": "#7f7f7f"}
WIDTH = 640
HEIGHT = 300


def theme() -> dict:
    return {"config": {
        "font": FONT,
        "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6"},
        "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#555"},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        "range": {"category": PALETTE},
    }}
