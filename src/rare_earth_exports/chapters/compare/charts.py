"""The comparison page's figures: series by destination, the tested month's strip, licensing timeline.

Lines break where a month has no figure; points tell reported figures from derived ones; the
policy events that matter to the two sides are numbered markers. Every chart names its series
without articles ('United States').
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
from ...present.events import chart_markers
from ...present.figure import Figure, newest
from .licensing import ALL
from .measures import Comparison

LICENSING_SOURCE = "Source: the pages listed below the table, one mark per licensing event."


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


def plotted(frame: pd.DataFrame, name: str, column: str, unit: str) -> pd.DataFrame:
    """The rows a series chart draws, for its download and table view."""
    return pd.DataFrame({"Destination": frame["destination"], "Month": frame["month"], column: frame[name].round(4),
                         "Unit": unit, "Figure": frame["status"],
                         "source_ids": frame["source_ids"].where(frame[name].notna(), "")})


def _markers(c: Comparison, events: pd.DataFrame):
    s = c.settings
    sides = [p for r in ("a", "b") for p in c.roles[r].partners]
    return chart_markers(events, s.start, s.end, [s.product], sides)


def _series_figure(c: Comparison, data: BookData, name: str, title: str, values: dict[str, pd.Series], column: str,
                   y_title: str, unit: str, credit_roles: list[str], what: str) -> Figure:
    s = c.settings
    frame = month_rows(c, values, "value")
    markers = _markers(c, data.events)
    chart = charts.series_chart(frame[["date", "month", "value", "status", "destination"]], "value", y_title, s.start, s.end,
                                series="destination", series_title="Destination", markers=markers)
    rows = plotted(frame, "value", column, unit)
    return Figure(name=name, title=title, charts=[chart], data=rows,
                  description=what + " " + newest(rows, column, unit, by="Destination"),
                  credit=charts.source_line(c.source_ids(credit_roles), data.sources), markers=markers,
                  formats={column: ",.1f"})


def _names(c: Comparison, roles: list[str]) -> str:
    return ", ".join(without_article(c.roles[r].label) for r in roles)


def exports(c: Comparison, data: BookData) -> Figure:
    """Monthly exports to each side and proxy."""
    s = c.settings
    return _series_figure(
        c, data, "exports", f"{c.product_name}: exports by destination", {r: c.roles[r].values for r in c.shown},
        "Exports", f"Exports ({c.unit})", c.unit, c.shown,
        f"Monthly exports in {c.unit} to {_names(c, c.shown)}, {month_words(s.start)} to {month_words(s.end)}, "
        "with policy events marked; months without a figure are gaps in the lines.")


def against_baseline(c: Comparison, data: BookData) -> Figure:
    """Each series with a baseline as an index of it (= 100)."""
    s = c.settings
    label = f"Index ({period_in_words(s.base_window)} = 100)"
    return _series_figure(
        c, data, "exports-indexed", "Exports against their pre-control average", {r: c.indexes[r] for r in c.index_roles},
        "Index", label, "index", c.index_roles,
        "Monthly exports as an index of each series' own baseline average, for " + _names(c, c.index_roles)
        + "; series without figures in the baseline months are not shown.")


def shares(c: Comparison, data: BookData) -> Figure:
    """Each side's and proxy's share of China's total."""
    return _series_figure(
        c, data, "shares", "Each destination's share of China's exports", c.shares,
        "Share of China's total (%)", "Share of China's total (%)", "%", c.with_world,
        f"Monthly share of China's total exports going to {_names(c, c.shown)}; gaps where either figure is missing.")


def unusual(c: Comparison, data: BookData) -> Figure:
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


def licensing(c: Comparison) -> Figure:
    """The licensing record as a timeline: one row per side and one for all destinations."""
    record, label_a, label_b = c.record, c.roles["a"].label, c.roles["b"].label
    rows = [without_article(r) for r in (label_a, label_b, ALL)]
    frame = record.assign(row=record["side"].map(without_article), when=record["date"],
                          duration=record["months"].map(lambda m: f"{m:,.0f} months" if math.isfinite(m) else "not stated"))
    classes = sorted(frame["licence_class"].unique())
    timeline = alt.Chart(frame[["day", "row", "when", "actor", "licence_class", "kind", "duration", "title"]]).mark_point(
        filled=True, size=110, opacity=0.9).encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True, tickCount={"expr": "ceil(width / 80)"})),
        y=alt.Y("row:N", title=None, sort=rows),
        color=alt.Color("licence_class:N", title="What it says",
                        scale=alt.Scale(domain=classes, range=theme.series_colours(len(classes))),
                        legend=alt.Legend(columns=1)),
        shape=alt.Shape("kind:N", title="Event kind"),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("row:N", title="Concerns"), alt.Tooltip("actor:N", title="Actor"),
                 alt.Tooltip("licence_class:N", title="What it says"), alt.Tooltip("duration:N", title="Licence runs"),
                 alt.Tooltip("title:N", title="Event")],
    ).properties(height=alt.Step(60))
    data = pd.DataFrame({"Date": record["date"], "Concerns": record["side"].map(without_article), "Actor": record["actor"],
                         "Kind": record["kind"], "What it says": record["licence_class"], "Licence runs (months)": record["months"],
                         "Event": record["title"], "source_ids": record["source_ids"]})
    return Figure(
        name="licensing", title="Licensing, side by side", charts=[timeline], data=data,
        description=(f"Timeline of licensing events concerning {without_article(label_a)}, {without_article(label_b)} and "
                     f"all destinations, coloured by what each says about licences ({len(data)} events)."),
        credit=LICENSING_SOURCE, formats={"Licence runs (months)": ",.0f"})
