"""The chart of monthly series every page shares, and the credit line under it.

All series are monthly; a month with no figure is a gap in the line (never a zero), points tell
reported figures from derived ones, and an optional strip under the lines says for every series
and month what its figure is (reported, derived, only in a total, missing ...). Numbered markers
show the policy events `present.events` chooses. The chart takes its column's width; month
labels thin out on narrow screens.
"""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from ..core.sources import credit_line
from . import theme
from .events import Marker, marker_layer

# Month ticks as 'Apr', with the year under each January and under the first tick. Ticks are
# monthly where a month has room for a label, else quarterly (every January kept), else yearly.
MONTH_LABELS = ("(month(datum.value) == 0 || datum.index == 0 ? [timeFormat(datum.value, '%b'), timeFormat(datum.value, '%Y')]"
                " : timeFormat(datum.value, '%b'))")
LABEL_ROOM = 28       # px a month label needs ('Sep', or 'Jan' over '2025')
STRIP_GAP = 26        # px between the lines and the strip, room for the first row's label
STRIP_STEP = 28       # px per labelled row: its label above, its marks below
STRIP_PADDING = 0.45  # share of a row the label takes
PANEL_TITLE_CHARS = 24  # a small multiple's title wraps here: the narrowest panel is about 200 px
SPAN_MONTHS = (2, 3)    # a figure published for two or three months together is drawn as one span
SPAN_TITLE, SPAN_WORDS = "Months published together", "at their monthly average"



def source_line(source_ids: list[str] | str, sources: pd.DataFrame | None = None) -> str:
    """'Source: <credit line>; full list below the chart.' for a chart subtitle (`core.sources.credit_line`:
    the originator first, then the agency and at most a few of the best relays; never a weak page)."""
    credit = credit_line(source_ids, sources) if sources is not None else ""
    if credit:
        return f"Source: {credit}; full list below the chart."
    return "Source: China customs (GACC) as relayed by the press; full list below the chart."


def panel_title(name: str) -> alt.TitleParams:
    """A small multiple's title, on as many lines as the narrowest panel needs."""
    return alt.TitleParams(textwrap.wrap(name, PANEL_TITLE_CHARS) or [name])


def status_colour(**kwargs) -> alt.Color:
    """The colour of a single series' points: reported or derived."""
    return alt.Color("status:N", title="Figure", scale=alt.Scale(domain=list(theme.STATUS_COLOURS),
                                                                  range=list(theme.STATUS_COLOURS.values())), **kwargs)


def status_shape(**kwargs) -> alt.Shape:
    """The shape of a point: reported or derived."""
    return alt.Shape("status:N", title="Figure", scale=alt.Scale(domain=list(theme.STATUS_SHAPES),
                                                                  range=list(theme.STATUS_SHAPES.values())), **kwargs)


def key_chart(*channels: alt.Color | alt.Shape) -> alt.LayerChart:
    """The legends small multiples share, as a chart of their own under the grid (a legend in a
    narrow panel would be cut). Each channel needs a field, a scale domain and a title; channels
    of one field make one legend."""
    by_field: dict[str, list] = {}
    for channel in channels:
        by_field.setdefault(channel.to_dict()["field"], []).append(channel)
    layers = [alt.Chart(pd.DataFrame({field: same[0].to_dict()["scale"]["domain"]})).mark_point(filled=True, size=0).encode(*same)
              for field, same in by_field.items()]
    return alt.layer(*layers).resolve_scale(color="independent", shape="independent").properties(height=1)


def month_spans(rows: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """The spans of a series to draw: figures of two or three months published together (e.g.
    `2026-01/2026-02`), inside start..end, whose months have no figure of their own. One row per
    span: period, total, monthly average ('value'), status, sources, and its first and end dates."""
    first, last = pd.Period(start, "M"), pd.Period(end, "M")
    singles = set(rows.loc[rows["n_months"] == 1, "first_month"])
    spans = rows[rows["n_months"].between(*SPAN_MONTHS) & (rows["first_month"] >= first) & (rows["last_month"] <= last)]
    alone = [not any(m in singles for m in pd.period_range(a, b, freq="M")) for a, b in zip(spans["first_month"], spans["last_month"])]
    spans = spans[np.array(alone, dtype=bool)]
    return pd.DataFrame({
        "period": spans["period"], "total": spans["value"], "value": (spans["value"] / spans["n_months"]).round(2),
        "status": spans["status"], "source_ids": spans["source_ids"],
        "date": spans["first_month"].dt.to_timestamp(), "date_end": (spans["last_month"] + 1).dt.to_timestamp(),
    }).reset_index(drop=True)


def month_frame(series: pd.DataFrame, **labels: str) -> pd.DataFrame:
    """A chart-ready frame: one row per month, a date column, gaps kept as nulls."""
    df = series.reset_index()
    df["date"] = df["month"].dt.to_timestamp()
    df["month"] = df["month"].astype(str)
    for key, value in labels.items():
        df[key] = value
    return df


def _datetime(month: pd.Period) -> alt.DateTime:
    return alt.DateTime(year=month.year, month=month.month, date=1)


def month_axis(start: str, end: str, field: str = "date", grid: bool = True) -> alt.X:
    """The x of a monthly chart: the months start..end in full (to the end of the last), labels
    thinned to the width; the tick where the last month ends has no label. A chart with a strip
    takes `grid=False`: Vega-Lite would draw the month lines only as high as the lines' part,
    up from the bottom, so across the strip and short of the top."""
    first, last = pd.Period(start, "M"), pd.Period(end, "M")
    months = (last - first).n + 1
    ticks = (f"width / {months} >= {LABEL_ROOM} ? {{interval: 'month', step: 1}} : "
             f"width / {months} * 3 >= {LABEL_ROOM} ? {{interval: 'month', step: 3}} : {{interval: 'year', step: 1}}")
    labels = f"datum.value > datetime({last.year}, {last.month - 1}, 1) ? '' : {MONTH_LABELS}"
    return alt.X(f"{field}:T", title=None, scale=alt.Scale(domain=[_datetime(first), _datetime(last + 1)]),
                 axis=alt.Axis(format="%b", labelExpr=labels, tickCount={"expr": ticks}, labelOverlap=True,
                               **({} if grid else {"grid": False})))


def labelled_rows(field: str, order: list[str], top: int = 0) -> tuple[alt.Scale, alt.Chart]:
    """Rows for a nominal `field`, from `top` px down, each labelled above its marks (a label on
    the left would take a phone's width): the rows' y scale, and the labels to layer with them."""
    y_scale = alt.Scale(domain=order, range=[top, top + STRIP_STEP * len(order)], paddingInner=STRIP_PADDING, paddingOuter=0)
    # a label longer than the plot is cut short with an ellipsis, never widening the chart
    labels = alt.Chart(pd.DataFrame({field: order})).mark_text(
        align="left", baseline="bottom", dy=-2, fontSize=11, color=theme.TEXT, limit={"expr": "width"}).encode(
        x=alt.value(0), y=alt.Y(f"{field}:N", axis=None, scale=y_scale, bandPosition=0), text=f"{field}:N")
    return y_scale, labels


def _strip(frame: pd.DataFrame, x: alt.X, series: str, series_title: str, top: int) -> alt.LayerChart:
    """One row per series, one cell per month coloured by what the month's figure is."""
    y_scale, labels = labelled_rows(series, list(dict.fromkeys(frame[series])), top)
    cells = alt.Chart(frame).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=x, x2="date_end:T", y=alt.Y(f"{series}:N", axis=None, scale=y_scale),
        color=alt.Color("status:N", title="Monthly figure",
                        scale=alt.Scale(domain=list(theme.MONTH_COLOURS), range=list(theme.MONTH_COLOURS.values()))),
        tooltip=[alt.Tooltip(f"{series}:N", title=series_title), alt.Tooltip("month:N", title="Month"),
                 alt.Tooltip("status:N", title="Figure")])
    return alt.layer(cells, labels)


def series_chart(frame: pd.DataFrame, y: str, y_title: str, start: str, end: str, *,
                 series: str | None = None, series_title: str = "Series",
                 markers: list[Marker] = (), reference: float | None = None,
                 baselines: pd.DataFrame | None = None, log_scale: bool = False,
                 value_format: str = ",.1f", tooltip: list | None = None, strip: bool = False,
                 height: int = theme.HEIGHT, legend: bool = True, axis_title: bool = True,
                 spans: pd.DataFrame | None = None, band: pd.DataFrame | None = None,
                 behind: list[alt.Chart] = (), over: list[alt.Chart] = ()) -> alt.LayerChart:
    """Monthly lines broken at gaps, reported and derived points apart, and optionally: numbered
    event markers, a dashed reference line, solid baseline rules (`baselines`: columns
    'baseline' and 'value'), figures of several months as one segment across them at their
    monthly average (`spans`, from `month_spans`; one series only), a shaded range behind the lines
    (`band`: columns 'date', 'date_end', 'low', 'high', 'label', e.g. a counterfactual between two
    baselines), further layers of the caller's on the lines' scales, drawn under them (`behind`,
    e.g. shaded stretches of time) or over them (`over`, e.g. segments of several series), and
    the status strip underneath.

    `frame` has one row per month (and series): 'date', 'month', `y`, 'status' (and `series`;
    with `strip`, 'date_end'). One series is drawn in the reported colour with points coloured
    by status; several get a colour each, the status shown by the points' shape. Small
    multiples pass a smaller `height`, `axis_title=False` (their unit is in the figure's title)
    and `legend=False` but for one of them.
    """
    x = month_axis(start, end, grid=not strip)
    lines_height = height
    # with a strip, the lines' range is set in pixels so that the strip sits below them in the same view
    pixels = {"range": [lines_height, 0]} if strip else {}
    scale = alt.Scale(type="log", **pixels) if log_scale else alt.Scale(zero=True, **pixels)
    y_enc = alt.Y(f"{y}:Q", title=y_title if axis_title else None, scale=scale)
    hidden = {} if legend else {"legend": None}
    shapes = status_shape(**hidden)
    tips = [alt.Tooltip("month:N", title="Month"), alt.Tooltip(f"{y}:Q", title=y_title, format=value_format),
            alt.Tooltip("status:N", title="Figure")]
    if series:
        order = list(dict.fromkeys(frame[series]))
        colour = alt.Color(f"{series}:N", title=series_title, sort=order,
                           scale=alt.Scale(domain=order, range=theme.series_colours(len(order))),
                           legend=alt.Legend(columns=1))
        line = alt.Chart(frame).mark_line(strokeWidth=2).encode(x=x, y=y_enc, color=colour)
        point_colour = colour
        tips = [alt.Tooltip(f"{series}:N", title=series_title), *tips]
    else:
        line = alt.Chart(frame).mark_line(strokeWidth=2, color=theme.REPORTED).encode(x=x, y=y_enc)
        point_colour = status_colour(**hidden)
    drawn = frame[frame[y].notna() & frame["status"].isin(list(theme.STATUS_SHAPES))]
    if log_scale:
        drawn = drawn[drawn[y] > 0]
    points = alt.Chart(drawn).mark_point(filled=True, size=55, opacity=1).encode(
        x=x, y=y_enc, color=point_colour, shape=shapes, tooltip=tips + list(tooltip or []))
    layers: list = [line, points]
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"reference": [reference]})).mark_rule(
            color=theme.MUTED, strokeDash=[2, 2]).encode(y="reference:Q"))
    if baselines is not None and len(baselines):
        layers.append(alt.Chart(baselines).mark_rule(color=theme.MUTED, strokeWidth=1.5).encode(
            y="value:Q",
            strokeDash=alt.StrokeDash("baseline:N", title="Baseline", legend=alt.Legend(columns=1)),
            tooltip=[alt.Tooltip("baseline:N", title="Baseline"), alt.Tooltip("value:Q", title=y_title, format=",.1f")]))
    if band is not None and len(band):
        layers.insert(0, alt.Chart(band).mark_rect(color=theme.BAND, opacity=0.6).encode(
            x=x, x2="date_end:T", y=alt.Y("low:Q", scale=scale, title=y_title if axis_title else None), y2="high:Q",
            tooltip=[alt.Tooltip("label:N", title="Period"), alt.Tooltip("low:Q", title="From", format=value_format),
                     alt.Tooltip("high:Q", title="To", format=value_format)]))
    if spans is not None and len(spans):
        layers.append(alt.Chart(spans.assign(what=SPAN_WORDS)).mark_rule(strokeWidth=4).encode(
            x=x, x2="date_end:T", y="value:Q", color=status_colour(**hidden),
            strokeDash=alt.StrokeDash("what:N", title=SPAN_TITLE, legend=None if not legend else alt.Legend()),
            tooltip=[alt.Tooltip("period:N", title="Months"), alt.Tooltip("total:Q", title=f"{y_title}, in all", format=value_format),
                     alt.Tooltip("value:Q", title="A month on average", format=value_format), alt.Tooltip("status:N", title="Figure")]))
    chart = alt.layer(*behind, *layers, *over).resolve_scale(strokeDash="independent")
    if strip:
        chart = alt.layer(chart, _strip(frame, x, series, series_title, lines_height + STRIP_GAP)).resolve_scale(
            y="independent", color="independent", shape="independent")
        height += STRIP_GAP + STRIP_STEP * frame[series].nunique()
    if markers:
        chart = alt.layer(chart, marker_layer(markers)).resolve_scale(y="independent", color="independent",
                                                                       shape="independent")
    return chart.properties(height=height)
