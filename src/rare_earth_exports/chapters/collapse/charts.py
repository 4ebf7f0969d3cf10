"""The collapse chapter's charts: one series month by month, and every destination side by side.

A month with no figure breaks the line (never a zero); points tell reported figures from
derived ones; dashed rules mark the policy events and, on the monthly chart, solid rules the
baselines the figures support.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.periods import period_in_words
from ...core.sources import split_ids
from ...core.words import month_words
from ...present import series as charts
from ...present import theme
from .measures import PageMeasures


def monthly_source_ids(p: PageMeasures) -> list[str]:
    """The sources of the monthly chart: its months, and the totals behind the baselines it draws."""
    m = p.measures
    shown = list(m.series.loc[m.series["value"].notna(), "source_ids"])
    shown += [i for a in m.against.values() if a.ok for i in p.rows.loc[p.rows["period"].isin(a.base.periods), "source_ids"]]
    return split_ids(shown)


def monthly_chart(p: PageMeasures, events: pd.DataFrame) -> alt.LayerChart:
    """The page's series month by month, with its month-on-month change in the tooltip, the policy
    events of the window and a rule at each usable baseline."""
    m, unit = p.measures, p.measures.unit
    frame = charts.month_frame(m.series)[["date", "month", "value", "status"]]
    frame["mom_pct"] = m.changes.to_numpy()
    line = charts.status_line(frame, "value", f"Exports ({unit})", tooltip_extra=[
        alt.Tooltip("mom_pct:Q", title="Month on month (%)", format="+.1f")])
    layers = [line, charts.event_rules(events, p.start, p.end)]
    rules = pd.DataFrame([{"baseline": f"{period_in_words(a.label)} mean", "value": round(a.base.mean, 2)}
                          for a in m.against.values() if a.ok]).drop_duplicates()
    if len(rules):
        layers.append(alt.Chart(rules).mark_rule(color="#555555", strokeWidth=1.5).encode(
            y="value:Q", strokeDash=alt.StrokeDash("baseline:N", title="Baseline", legend=alt.Legend(labelLimit=320)),
            tooltip=[alt.Tooltip("baseline:N", title="Baseline"),
                     alt.Tooltip("value:Q", title=f"{unit} a month", format=",.0f")]))
    return charts.titled(
        alt.layer(*layers).resolve_scale(color="independent", shape="independent").configure_legend(direction="vertical"),
        f"China's exports of {p.product_name.lower()}: {p.name}",
        charts.source_line(monthly_source_ids(p)),
        f"Line chart of China's monthly exports of {p.product_name.lower()} to {p.name} in {unit}, from "
        f"{month_words(p.first)} to {month_words(p.last)}. Points mark reported and derived months; a missing month "
        f"breaks the line. Dashed vertical rules mark policy events, horizontal rules the baselines.")


def panel_source_ids(p: PageMeasures) -> list[str]:
    """The sources of the small multiples: every month they draw."""
    return split_ids(i for s in p.panels.values() for i in s["source_ids"])


def destination_panels_chart(p: PageMeasures) -> alt.FacetChart:
    """Small multiples of the world page's `panels`: one panel per destination with a page, plus
    all destinations together, each on its own scale, with the control month as a dashed rule."""
    unit = p.measures.unit
    frames = []
    for partner, series in p.panels.items():
        frame = charts.month_frame(series)[["date", "month", "value", "status"]]
        frame["name"] = p.names[partner]
        frame["share"] = series["share"].round(2).to_numpy()
        frames.append(frame)
    panel = pd.concat(frames, ignore_index=True)
    panel["value"] = panel["value"].round(2)
    order = [p.names[partner] for partner in p.panels]
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=4))
    y = alt.Y("value:Q", title=None)
    status_scale = {"domain": list(theme.STATUS_SHAPES)}
    lines = alt.Chart().mark_line(color=theme.STATUS_COLOURS["reported"]).encode(x=x, y=y)
    points = alt.Chart().transform_filter("datum.status != 'missing'").mark_point(filled=True, size=40).encode(
        x=x, y=y,
        shape=alt.Shape("status:N", title="Figure", scale=alt.Scale(range=list(theme.STATUS_SHAPES.values()), **status_scale)),
        color=alt.Color("status:N", title="Figure",
                        scale=alt.Scale(range=[theme.STATUS_COLOURS[k] for k in theme.STATUS_SHAPES], **status_scale)),
        tooltip=[alt.Tooltip("name:N", title="Destination"), alt.Tooltip("month:N", title="Month"),
                 alt.Tooltip("value:Q", title=f"Exports ({unit})", format=",.1f"), alt.Tooltip("status:N", title="Figure"),
                 alt.Tooltip("share:Q", title="Share of China's total (%)", format=".1f")])
    control_rule = alt.Chart().transform_filter(f"datum.month == '{p.control}'").mark_rule(
        color=theme.EVENT_COLOURS["control"], strokeDash=[4, 3]).encode(x="date:T")
    small = alt.layer(lines, points, control_rule, data=panel).properties(width=160, height=100).facet(
        facet=alt.Facet("name:N", title=None, sort=order), columns=3).resolve_scale(y="independent")
    return charts.titled(
        small, f"Monthly exports by destination ({unit})",
        charts.source_line(panel_source_ids(p)),
        f"Small multiples of China's monthly exports of {p.product_name.lower()}, one panel per destination with a page "
        f"plus all destinations together, from {month_words(p.since)} to {month_words(p.last)}, each on its own "
        f"scale. Missing months break the lines.")
