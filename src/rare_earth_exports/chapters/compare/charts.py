"""The comparison page's figures: series by destination, shares over windows, the tested month's
strip, the licensing record.

Lines break where a month has no figure; points tell reported figures from derived ones; a figure
published for two months together is one segment across its months at the monthly average (never
two points; which spans are drawn is `present.series.month_spans`' rule); a side's share over a
named window is a dashed segment across the window; the policy events that matter to the two
sides are numbered markers (`present.events`). Every figure offers its plotted rows for download
and names its series without articles ('United States').
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ...core.load import BookData
from ...core.periods import period_in_words
from ...core.words import month_words, without_article
from ...present import series as charts
from ...present import theme
from ...present.events import Marker, chart_markers, marker_layer
from ...present.figure import Figure, newest
from .licensing import ALL, OUTCOMES
from .measures import SIDES, WORLD, Comparison

LICENSING_SOURCE = ("Source: the licensing record (what governments, firms and industry bodies said and did, as the "
                    "press reported it); the pages are listed below the chart.")


def month_rows(c: Comparison, values: dict[str, pd.Series], name: str) -> pd.DataFrame:
    """A long chart frame: one row per role and month in the chart window, gaps as nulls.

    `values` by role (levels, an index or a share); a month without a value is 'missing'.
    """
    s = c.settings
    frames = []
    for r, v in values.items():
        frame = c.roles[r].series.loc[s.start:s.end].copy()
        frame[name] = v.loc[s.start:s.end]
        frame.loc[frame[name].isna(), "status"] = "missing"
        frames.append(charts.month_frame(frame[[name, "status", "source_ids"]], destination=without_article(c.roles[r].label)))
    return pd.concat(frames, ignore_index=True)


def span_rows(c: Comparison, roles: list[str], scale) -> pd.DataFrame:
    """Each role's figures of two or three months published together, drawn where their months
    have no figure of their own (`present.series.month_spans`), at `scale(role, span)`: the
    monthly average, an index of it, or a share. One row per span and destination."""
    s = c.settings
    frames = []
    for r in roles:
        spans = charts.month_spans(c.roles[r].rows, s.start, s.end)
        if len(spans):
            values = [scale(r, span) for _, span in spans.iterrows()]
            frames.append(spans.assign(value=values, destination=without_article(c.roles[r].label),
                                       months=spans["period"].map(period_in_words)))
    columns = ["destination", "period", "months", "total", "value", "status", "source_ids", "date", "date_end"]
    out = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return out[out["value"].map(lambda v: math.isfinite(v))].reset_index(drop=True)


def window_rows(c: Comparison) -> pd.DataFrame:
    """Each side's share pooled over each named window, as a segment across the window's months."""
    rows = []
    for side in SIDES:
        label = without_article(c.roles[side].label)
        for share in (c.shifts[side]["after"].before, c.shifts[side]["after"].after, c.shifts[side]["recent"].after):
            if math.isfinite(share.share):
                w = share.window
                rows.append({"destination": label, "window": w.name, "months": period_in_words(w.period),
                             "value": round(share.share, 4), "figures": share.n,
                             "date": pd.Period(w.start, "M").to_timestamp(), "date_end": (pd.Period(w.end, "M") + 1).to_timestamp()})
    return pd.DataFrame(rows, columns=["destination", "window", "months", "value", "figures", "date", "date_end"])


def _segments(frame: pd.DataFrame, order: list[str], y_title: str, x: alt.X, dashed: bool, tooltip: list) -> alt.Chart:
    """Segments from `date` to `date_end` at `value`, coloured by destination as the lines are."""
    colour = alt.Color("destination:N", sort=order, legend=None,
                       scale=alt.Scale(domain=order, range=theme.series_colours(len(order))))
    return alt.Chart(frame).mark_rule(strokeWidth=2 if dashed else 4, strokeDash=[6, 3] if dashed else [1, 0]).encode(
        x=x, x2="date_end:T", y=alt.Y("value:Q", title=y_title), color=colour, tooltip=tooltip)


def _chart(c: Comparison, frame: pd.DataFrame, y_title: str, markers: list[Marker], spans: pd.DataFrame,
           windows: pd.DataFrame | None = None) -> alt.LayerChart:
    """The shared series chart of the destinations, with their spans and window segments, then
    the numbered markers on top (as `present.series.series_chart` lays them)."""
    s = c.settings
    order = list(dict.fromkeys(frame["destination"]))
    chart = charts.series_chart(frame[["date", "month", "value", "status", "destination"]], "value", y_title, s.start,
                                s.end, series="destination", series_title="Destination")
    x = charts.month_axis(s.start, s.end)
    layers = [chart]
    if len(spans):
        layers.append(_segments(spans, order, y_title, x, False, [
            alt.Tooltip("destination:N", title="Destination"), alt.Tooltip("months:N", title="Months published together"),
            alt.Tooltip("total:Q", title="In all", format=",.1f"), alt.Tooltip("value:Q", title=y_title, format=",.1f")]))
    if windows is not None and len(windows):
        layers.append(_segments(windows, order, y_title, x, True, [
            alt.Tooltip("destination:N", title="Destination"), alt.Tooltip("window:N", title="Window"),
            alt.Tooltip("months:N", title="Months"), alt.Tooltip("value:Q", title=y_title, format=",.1f")]))
    chart = alt.layer(*layers)
    if markers:
        chart = alt.layer(chart, marker_layer(markers)).resolve_scale(y="independent", color="independent",
                                                                       shape="independent")
    return chart


def _markers(c: Comparison, events: pd.DataFrame) -> list[Marker]:
    s = c.settings
    sides = [p for r in SIDES for p in c.roles[r].partners]
    return chart_markers(events, s.start, s.end, [s.product], sides)


def plotted(frame: pd.DataFrame, spans: pd.DataFrame, column: str, unit: str, windows: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows a chart draws, for its download and table view: months, spans (one row each, as
    published), and window shares."""
    rows = [pd.DataFrame({"Destination": frame["destination"], "Month": frame["month"], column: frame["value"].round(4),
                          "Unit": unit, "Figure": frame["status"],
                          "source_ids": frame["source_ids"].where(frame["value"].notna(), "")})]
    if len(spans):
        rows.append(pd.DataFrame({"Destination": spans["destination"], "Month": spans["period"], column: spans["value"].round(4),
                                  "Unit": unit, "Figure": "months published together, at their monthly average",
                                  "source_ids": spans["source_ids"]}))
    if windows is not None and len(windows):
        rows.append(pd.DataFrame({"Destination": windows["destination"],
                                  "Month": [f"{w} ({m})" for w, m in zip(windows["window"], windows["months"])],
                                  column: windows["value"], "Unit": unit,
                                  "Figure": [f"share pooled over the window's {n} figures" for n in windows["figures"]],
                                  "source_ids": ""}))
    return pd.concat(rows, ignore_index=True)


def _names(c: Comparison, roles: list[str]) -> str:
    return ", ".join(without_article(c.roles[r].label) for r in roles)


def _credit(c: Comparison, data: BookData, roles: list[str]) -> str:
    return charts.source_line(c.source_ids(roles) + c.span_source_ids(roles), data.sources)


def exports(c: Comparison, data: BookData) -> Figure:
    """Monthly exports to each side and proxy."""
    s = c.settings
    frame = month_rows(c, {r: c.roles[r].values for r in c.shown}, "value")
    spans = span_rows(c, c.shown, lambda r, span: float(span["value"]))
    markers = _markers(c, data.events)
    rows = plotted(frame, spans, "Exports", c.unit)
    return Figure(
        name="exports", title=f"{c.product_name}: exports by destination",
        charts=[_chart(c, frame, f"Exports ({c.unit})", markers, spans)], data=rows,
        description=(f"Monthly exports in {c.unit} to {_names(c, c.shown)}, {month_words(s.start)} to {month_words(s.end)}; "
                     "months without a figure are gaps in the lines, and months published together are one segment at "
                     "their monthly average. " + newest(rows[rows["Month"].str.len() == 7], "Exports", c.unit, by="Destination")),
        credit=_credit(c, data, c.shown), markers=markers, formats={"Exports": ",.1f"})


def against_baseline(c: Comparison, data: BookData) -> Figure:
    """Each series with a baseline as an index of it (= 100)."""
    s = c.settings
    frame = month_rows(c, {r: c.indexes[r] for r in c.index_roles}, "value")
    spans = span_rows(c, c.index_roles, lambda r, span: float(span["value"]) / c.baselines[r].mean * 100)
    markers = _markers(c, data.events)
    rows = plotted(frame, spans, "Index", "index")
    return Figure(
        name="exports-indexed", title="Exports against their pre-control average",
        charts=[_chart(c, frame, f"Index ({s.base.name} = 100)", markers, spans)], data=rows,
        description=(f"Monthly exports as an index of each series' own average in {s.base.name}, for "
                     f"{_names(c, c.index_roles)}; series without figures in the baseline months are not shown. "
                     + newest(rows[rows["Month"].str.len() == 7], "Index", "", by="Destination")),
        credit=_credit(c, data, c.index_roles), markers=markers, formats={"Index": ",.1f"})


def shares(c: Comparison, data: BookData) -> Figure:
    """Each side's and proxy's monthly share of China's total, with each side's share over each window."""
    world = c.roles[WORLD].rows

    def share(r, span):
        whole = world.loc[world["period"] == span["period"], "value"]
        return float(span["total"]) / float(whole.iloc[0]) * 100 if len(whole) else float("nan")

    frame = month_rows(c, c.shares, "value")
    spans = span_rows(c, c.shown, share)
    windows = window_rows(c)
    markers = _markers(c, data.events)
    rows = plotted(frame, spans, "Share of China's total (%)", "%", windows)
    return Figure(
        name="shares", title="Each destination's share of China's exports",
        charts=[_chart(c, frame, "Share of China's total (%)", markers, spans, windows)], data=rows,
        description=(f"Monthly share of China's total exports going to {_names(c, c.shown)}; gaps where either figure is "
                     "missing; dashed segments: each side's share pooled over a named window. "
                     + newest(rows[rows["Month"].str.len() == 7], "Share of China's total (%)", "%", by="Destination")),
        credit=_credit(c, data, [*c.shown, WORLD]), markers=markers, formats={"Share of China's total (%)": ",.1f"})


def unusual(c: Comparison, data: BookData) -> Figure:
    """The tested month's changes (red diamonds) beside the ordinary changes of every yardstick (grey dots)."""
    t = c.test
    pa, pb = t.pair
    months = period_in_words(f"{t.month - 1}/{t.month}")
    dots = [{"row": y.name, "month": month_words(m), "change": float(v), "what": "ordinary month"}
            for y in c.yardsticks.values() for m, v in y.changes.items()]
    dots += [{"row": f"{without_article(label)}, {month_words(t.month)}", "month": months, "change": v, "what": "tested month"}
             for label, v in ((t.side_a.label, t.a.pct), (t.side_b.label, t.b.pct),
                              (f"Gap, {without_article(pa.label)} minus {without_article(pb.label)}", t.gap.pp))
             if math.isfinite(v)]
    dots = pd.DataFrame(dots, columns=["row", "month", "change", "what"])
    order = list(dict.fromkeys(dots["row"]))
    y_scale, labels = charts.labelled_rows("row", order, top=16)
    kinds = ["ordinary month", "tested month"]
    strip = alt.Chart(dots).mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("change:Q", title="Change (%; gaps in points)"),
        y=alt.Y("row:N", axis=None, scale=y_scale),
        color=alt.Color("what:N", title="Change", scale=alt.Scale(domain=kinds, range=[theme.MUTED, theme.EVENT_COLOURS["control"]])),
        shape=alt.Shape("what:N", title="Change", scale=alt.Scale(domain=kinds, range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("row:N", title="Series"), alt.Tooltip("month:N", title="Months"),
                 alt.Tooltip("change:Q", title="Change", format="+,.1f")],
    )
    zero = alt.Chart(pd.DataFrame({"change": [0.0]})).mark_rule(color=theme.MUTED).encode(x="change:Q")
    chart = alt.layer(zero, strip, labels).properties(height=16 + charts.STRIP_STEP * len(order))
    rows = pd.DataFrame({"Series": dots["row"], "Months": dots["month"], "Change (%)": dots["change"].round(4),
                         "Which": dots["what"]})
    return Figure(
        name="unusual", title=f"Was {month_words(t.month)} unusual?", charts=[chart], data=rows,
        description=(f"Strip chart of ordinary month-on-month changes for each yardstick, with the changes from "
                     f"{month_words(t.month - 1)} to {month_words(t.month)} marked ({len(rows)} changes in all)."),
        credit=charts.source_line(c.source_ids(list(c.roles), whole=True), data.sources), formats={"Change (%)": "+,.1f"})


# The legend sits under the plot, indented by the row labels, so its labels are cut (with an
# ellipsis; the tooltip and the table give them whole) where they would pass a 360 px screen. A
# fixed limit: Vega sizes the legend's box from a limit that depends on the width before the
# width is known, so an expression leaves the box as wide as the unlimited labels.
LEGEND_UNDER_PLOT = 180


def licensing(c: Comparison) -> Figure:
    """The licensing record as a timeline: one row per side and one for all destinations, coloured by what happened."""
    record, label_a, label_b = c.record, c.roles["a"].label, c.roles["b"].label
    rows = [without_article(r) for r in (label_a, label_b, ALL)]
    frame = record.assign(row=record["side"].map(without_article), when=record["date"],
                          what=record["outcome"].map(OUTCOMES),
                          duration=record["months"].map(lambda m: f"{m:,.0f} months" if math.isfinite(m) else "not stated"))
    outcomes = [OUTCOMES[k] for k in OUTCOMES if k in set(record["outcome"])]
    timeline = alt.Chart(frame[["day", "row", "when", "who", "what", "duration", "title"]]).mark_point(
        filled=True, size=110, opacity=0.9).encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True, tickCount={"expr": "ceil(width / 80)"})),
        y=alt.Y("row:N", title=None, sort=rows),
        color=alt.Color("what:N", title="What happened", sort=outcomes,
                        scale=alt.Scale(domain=outcomes, range=theme.series_colours(len(outcomes))),
                        legend=alt.Legend(columns=1, labelLimit=LEGEND_UNDER_PLOT)),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("row:N", title="Concerns"), alt.Tooltip("who:N", title="Who"),
                 alt.Tooltip("what:N", title="What happened"), alt.Tooltip("duration:N", title="Runs"),
                 alt.Tooltip("title:N", title="Event")],
    ).properties(height=alt.Step(60))
    data = pd.DataFrame({"Date": record["date"], "Concerns": record["side"].map(without_article), "Who": record["who"],
                         "What happened": record["outcome"].map(OUTCOMES), "Runs (months)": record["months"],
                         "Runs to": record["expires"], "Status": record["status"], "Event": record["title"],
                         "source_ids": record["source_ids"]})
    return Figure(
        name="licensing", title="Licensing, side by side", charts=[timeline], data=data,
        description=(f"Timeline of the licensing record concerning {without_article(label_a)}, {without_article(label_b)} "
                     f"and all destinations, coloured by what happened ({len(data)} items)."),
        credit=LICENSING_SOURCE, formats={"Runs (months)": ",.0f"})
