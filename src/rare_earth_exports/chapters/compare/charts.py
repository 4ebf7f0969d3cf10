"""The comparison page's charts: series by destination, the tested month's strip, licensing timeline.

Lines break where a month has no figure; points tell reported figures from derived ones; policy
events are dashed rules. Every chart names its series without articles ('United States').
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
from .licensing import ALL
from .measures import Comparison


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
        frames.append(charts.month_frame(frame[[name, "status"]], destination=without_article(c.roles[r].label)))
    return pd.concat(frames, ignore_index=True)


def series_chart(frame: pd.DataFrame, y: str, y_title: str, events: pd.DataFrame, start: str, end: str) -> alt.LayerChart:
    """Lines by destination (broken at gaps), points by figure status, policy events as rules."""
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"))
    order = list(dict.fromkeys(frame["destination"]))
    colour = alt.Color("destination:N", title="Destination", sort=order,
                       scale=alt.Scale(domain=order, range=theme.PALETTE[:len(order)]))
    line = alt.Chart(frame).mark_line(strokeWidth=2).encode(x=x, y=alt.Y(f"{y}:Q", title=y_title), color=colour)
    points = alt.Chart(frame[frame["status"] != "missing"]).mark_point(filled=True, size=55).encode(
        x=x, y=f"{y}:Q", color=colour,
        shape=alt.Shape("status:N", title="Figure", scale=alt.Scale(domain=list(theme.STATUS_SHAPES), range=list(theme.STATUS_SHAPES.values()))),
        tooltip=[alt.Tooltip("destination:N", title="Destination"), alt.Tooltip("month:N", title="Month"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=",.1f"), alt.Tooltip("status:N", title="Figure")])
    return (alt.layer(charts.event_rules(events, start, end), alt.layer(line, points)).resolve_scale(color="independent")
            .properties(width=theme.WIDTH - 60).configure_legend(orient="bottom", direction="vertical", labelLimit=320))


def _names(c: Comparison, roles: list[str]) -> str:
    return ", ".join(without_article(c.roles[r].label) for r in roles)


def exports(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """Monthly exports to each side and proxy."""
    s = c.settings
    frame = month_rows(c, {r: c.roles[r].values for r in c.shown}, "value")
    return charts.titled(series_chart(frame, "value", f"Exports ({c.unit})", data.events, s.start, s.end),
                         f"{c.product_name}: exports by destination",
                         charts.source_line(c.source_ids(c.shown), data.sources),
                         f"Monthly exports in {c.unit} to {_names(c, c.shown)}, {month_words(s.start)} to {month_words(s.end)}, "
                         "with policy events marked; months without a figure are gaps in the lines.")


def against_baseline(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """Each series with a baseline as an index of it (= 100)."""
    s, indexes = c.settings, c.indexes
    frame = month_rows(c, {r: indexes[r] for r in c.index_roles}, "index")
    return charts.titled(series_chart(frame, "index", f"Index ({period_in_words(s.base_window)} = 100)", data.events, s.start, s.end),
                         "Exports against their pre-control average",
                         charts.source_line(c.source_ids(c.index_roles), data.sources),
                         "Monthly exports as an index of each series' own baseline average, for "
                         + _names(c, c.index_roles) + "; series without figures in the baseline months are not shown.")


def shares(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """Each side's and proxy's share of China's total."""
    s = c.settings
    return charts.titled(series_chart(month_rows(c, c.shares, "share"), "share", "Share of China's total (%)", data.events, s.start, s.end),
                         "Each destination's share of China's exports",
                         charts.source_line(c.source_ids(c.with_world), data.sources),
                         f"Monthly share of China's total exports going to {_names(c, c.shown)}; gaps where either figure is missing.")


def unusual(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """The tested month's changes (red diamonds) beside the ordinary changes of every yardstick (grey dots)."""
    t = c.test
    pa, pb = t.pair
    months = f"{t.month - 1}/{t.month}"
    dots = [{"row": y.name, "month": str(m), "change": float(v), "what": "ordinary month"}
            for y in c.yardsticks.values() for m, v in y.changes.items()]
    dots += [{"row": f"{without_article(label)}, {month_words(t.month)}", "month": months, "change": v, "what": "tested month"}
             for label, v in ((t.side_a.label, t.a.pct), (t.side_b.label, t.b.pct),
                              (f"Gap, {without_article(pa.label)} minus {without_article(pb.label)}", t.gap.pp))
             if math.isfinite(v)]
    dots = pd.DataFrame(dots)
    kinds = ["ordinary month", "tested month"]
    strip = alt.Chart(dots).mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("change:Q", title="Change (%; gaps in points)"),
        y=alt.Y("row:N", title=None, sort=list(dict.fromkeys(dots["row"])), axis=alt.Axis(labelLimit=300)),
        color=alt.Color("what:N", title="Change", scale=alt.Scale(domain=kinds, range=["#9e9e9e", "#b22222"])),
        shape=alt.Shape("what:N", title="Change", scale=alt.Scale(domain=kinds, range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("row:N", title="Series"), alt.Tooltip("month:N", title="Months"),
                 alt.Tooltip("change:Q", title="Change", format="+,.1f")],
    ).properties(width=theme.WIDTH - 330, height=alt.Step(26))
    zero = alt.Chart(pd.DataFrame({"change": [0.0]})).mark_rule(color="#555").encode(x="change:Q")
    return charts.titled(alt.layer(zero, strip), f"Was {month_words(t.month)} unusual?",
                         charts.source_line(c.source_ids(list(c.roles), whole=True), data.sources),
                         f"Strip chart of ordinary month-on-month changes for each yardstick, with the changes from "
                         f"{month_words(t.month - 1)} to {month_words(t.month)} marked.")


def licensing(c: Comparison) -> alt.TopLevelMixin:
    """The licensing record as a timeline: one row per side and one for all destinations."""
    record, label_a, label_b = c.record, c.roles["a"].label, c.roles["b"].label
    rows = [without_article(r) for r in (label_a, label_b, ALL)]
    frame = record.assign(row=record["side"].map(without_article), when=record["date"],
                          duration=record["months"].map(lambda m: f"{m:,.0f} months" if math.isfinite(m) else "not stated"))
    classes = sorted(frame["licence_class"].unique())
    timeline = alt.Chart(frame).mark_point(filled=True, size=110, opacity=0.9).encode(
        x=alt.X("day:T", title="Date", axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("row:N", title=None, sort=rows),
        color=alt.Color("licence_class:N", title="What it says", scale=alt.Scale(domain=classes, range=theme.PALETTE[:len(classes)]),
                        legend=alt.Legend(columns=2, labelLimit=220)),
        shape=alt.Shape("kind:N", title="Event kind", legend=alt.Legend(direction="vertical")),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("row:N", title="Concerns"), alt.Tooltip("actor:N", title="Actor"),
                 alt.Tooltip("licence_class:N", title="What it says"), alt.Tooltip("duration:N", title="Licence runs"),
                 alt.Tooltip("title:N", title="Event")],
    ).properties(width=theme.WIDTH - 120, height=alt.Step(60))
    return charts.titled(timeline, "Licensing, side by side",
                         "One mark per item in data/events.csv. Source: the pages listed below the table.",
                         f"Timeline of licensing events concerning {without_article(label_a)}, "
                         f"{without_article(label_b)} and all destinations, coloured by what each says about licences.")
