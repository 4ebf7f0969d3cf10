"""The comparison page's charts: series by destination, shares over windows, the tested month's
strip, the licensing record.

Lines break where a month has no figure; points tell reported figures from derived ones; a figure
published for two months together is drawn as one segment across its months at the monthly
average (never as two points); policy events are dashed rules. Every chart names its series
without articles ('United States').
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ...core.load import BookData
from ...core.periods import months_of, period_in_words
from ...core.words import month_words, without_article
from ...present import series as charts
from ...present import theme
from .licensing import ALL, OUTCOMES
from .measures import SIDES, WORLD, Comparison


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


def span_rows(c: Comparison, roles: list[str], name: str, scale) -> pd.DataFrame:
    """One row per figure published for several months (at most three) inside the chart window
    whose months have no figure of their own: from its first month to the end of its last, at
    `scale(role, period, total)` (the monthly average, an index of it, a share)."""
    s = c.settings
    lo, hi = pd.Period(s.start, "M"), pd.Period(s.end, "M")
    rows = []
    for r in roles:
        role = c.roles[r]
        spans = role.rows[(role.rows["n_months"].between(2, 3)) & (role.rows["first_month"] >= lo)
                          & (role.rows["last_month"] <= hi)]
        for _, row in spans.iterrows():
            months = [pd.Period(str(m), "M") for m in months_of(row["period"])]
            if role.values.reindex(months).notna().any():
                continue
            value = scale(r, row["period"], float(row["value"]))
            if not math.isfinite(value):
                continue
            rows.append({"destination": without_article(role.label), "start": months[0].to_timestamp(),
                         "end": (months[-1] + 1).to_timestamp(), name: value, "period": period_in_words(row["period"]),
                         "status": f"one figure for {len(months)} months, drawn at its monthly average"})
    return pd.DataFrame(rows, columns=["destination", "start", "end", name, "period", "status"])


def series_chart(frame: pd.DataFrame, y: str, y_title: str, events: pd.DataFrame, start: str, end: str,
                 spans: pd.DataFrame | None = None, windows: pd.DataFrame | None = None) -> alt.LayerChart:
    """Lines by destination (broken at gaps), points by figure status, spans as segments, window
    averages as dashed segments, policy events as rules."""
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
    layers = [line, points]
    for extra, dash, width in ((spans, None, 5), (windows, [6, 3], 2)):
        if extra is not None and len(extra):
            layers.append(alt.Chart(extra).mark_rule(strokeWidth=width, strokeDash=dash or [1, 0]).encode(
                x="start:T", x2="end:T", y=f"{y}:Q", color=colour,
                tooltip=[alt.Tooltip("destination:N", title="Destination"), alt.Tooltip("period:N", title="Months"),
                         alt.Tooltip(f"{y}:Q", title=y_title, format=",.1f"), alt.Tooltip("status:N", title="Figure")]))
    return (alt.layer(charts.event_rules(events, start, end), alt.layer(*layers)).resolve_scale(color="independent")
            .properties(width=theme.WIDTH - 60).configure_legend(orient="bottom", direction="vertical", labelLimit=320))


def _names(c: Comparison, roles: list[str]) -> str:
    return ", ".join(without_article(c.roles[r].label) for r in roles)


def exports(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """Monthly exports to each side and proxy."""
    s = c.settings
    frame = month_rows(c, {r: c.roles[r].values for r in c.shown}, "value")
    spans = span_rows(c, c.shown, "value", lambda r, period, total: total / len(months_of(period)))
    return charts.titled(series_chart(frame, "value", f"Exports ({c.unit})", data.events, s.start, s.end, spans),
                         f"{c.product_name}: exports by destination",
                         charts.source_line(c.source_ids(c.shown) + c.span_source_ids(c.shown), data.sources),
                         f"Monthly exports in {c.unit} to {_names(c, c.shown)}, {month_words(s.start)} to {month_words(s.end)}, "
                         "with policy events marked; months without a figure are gaps in the lines, and a figure "
                         "published for two months together is one segment at its monthly average.")


def against_baseline(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """Each series with a baseline as an index of it (= 100)."""
    s, indexes = c.settings, c.indexes
    frame = month_rows(c, {r: indexes[r] for r in c.index_roles}, "index")
    spans = span_rows(c, c.index_roles, "index",
                      lambda r, period, total: total / len(months_of(period)) / c.baselines[r].mean * 100)
    return charts.titled(series_chart(frame, "index", f"Index ({s.base.name} = 100)", data.events, s.start, s.end, spans),
                         "Exports against their pre-control average",
                         charts.source_line(c.source_ids(c.index_roles) + c.span_source_ids(c.index_roles), data.sources),
                         f"Monthly exports as an index of each series' own average in {s.base.name}, for "
                         + _names(c, c.index_roles) + "; series without figures in the baseline months are not shown.")


def window_rows(c: Comparison) -> pd.DataFrame:
    """Each side's pooled share in each window, as a segment across the window's months."""
    rows = []
    for side in SIDES:
        label = without_article(c.roles[side].label)
        for share in (c.shifts[side]["after"].before, c.shifts[side]["after"].after, c.shifts[side]["recent"].after):
            if math.isfinite(share.share):
                w = share.window
                rows.append({"destination": label, "start": pd.Period(w.start, "M").to_timestamp(),
                             "end": (pd.Period(w.end, "M") + 1).to_timestamp(), "share": share.share,
                             "period": f"{w.name} ({period_in_words(w.period)})",
                             "status": f"share pooled over the window's {share.n} figures"})
    return pd.DataFrame(rows, columns=["destination", "start", "end", "share", "period", "status"])


def shares(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """Each side's and proxy's monthly share of China's total, with each side's share over each window."""
    s = c.settings
    world = c.roles[WORLD].rows

    def share(r, period, total):
        whole = world.loc[world["period"] == period, "value"]
        return total / float(whole.iloc[0]) * 100 if len(whole) else float("nan")

    chart = series_chart(month_rows(c, c.shares, "share"), "share", "Share of China's total (%)", data.events, s.start,
                         s.end, span_rows(c, c.shown, "share", share), window_rows(c))
    return charts.titled(chart, "Each destination's share of China's exports",
                         charts.source_line(c.source_ids(c.with_world) + c.span_source_ids([*c.shown, WORLD]), data.sources),
                         f"Monthly share of China's total exports going to {_names(c, c.shown)}; gaps where either figure "
                         "is missing; dashed segments: each side's share pooled over a named window.")


def unusual(c: Comparison, data: BookData) -> alt.TopLevelMixin:
    """The tested month's changes (red diamonds) beside the ordinary changes of every yardstick (grey dots)."""
    t = c.test
    pa, pb = t.pair
    months = f"{t.month - 1}/{t.month}"
    dots = [{"row": y.name, "month": month_words(m), "change": float(v), "what": "ordinary month"}
            for y in c.yardsticks.values() for m, v in y.changes.items()]
    dots += [{"row": f"{without_article(label)}, {month_words(t.month)}", "month": period_in_words(months), "change": v,
              "what": "tested month"}
             for label, v in ((t.side_a.label, t.a.pct), (t.side_b.label, t.b.pct),
                              (f"Gap, {without_article(pa.label)} minus {without_article(pb.label)}", t.gap.pp))
             if math.isfinite(v)]
    dots = pd.DataFrame(dots, columns=["row", "month", "change", "what"])
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
    """The licensing record as a timeline: one row per side and one for all destinations, coloured by what happened."""
    record, label_a, label_b = c.record, c.roles["a"].label, c.roles["b"].label
    rows = [without_article(r) for r in (label_a, label_b, ALL)]
    frame = record.assign(row=record["side"].map(without_article), when=record["date"],
                          what=record["outcome"].map(OUTCOMES),
                          duration=record["months"].map(lambda m: f"{m:,.0f} months" if math.isfinite(m) else "not stated"))
    outcomes = [OUTCOMES[k] for k in OUTCOMES if k in set(record["outcome"])]
    timeline = alt.Chart(frame).mark_point(filled=True, size=110, opacity=0.9).encode(
        x=alt.X("day:T", title="Date", axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("row:N", title=None, sort=rows),
        color=alt.Color("what:N", title="What happened", sort=outcomes,
                        scale=alt.Scale(domain=outcomes, range=theme.PALETTE[:len(outcomes)]),
                        legend=alt.Legend(columns=1, labelLimit=320)),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("row:N", title="Concerns"), alt.Tooltip("who:N", title="Who"),
                 alt.Tooltip("what:N", title="What happened"), alt.Tooltip("duration:N", title="Runs"),
                 alt.Tooltip("title:N", title="Event")],
    ).properties(width=theme.WIDTH - 120, height=alt.Step(60))
    return charts.titled(timeline, "Licensing, side by side",
                         "One mark per item of the licensing record (what governments, firms and industry bodies said "
                         "and did, as the press reported it). Sources: below the table.",
                         f"Timeline of the licensing record concerning {without_article(label_a)}, "
                         f"{without_article(label_b)} and all destinations, coloured by what happened.")
