"""The collapse chapter's figures: one series month by month, and every destination side by side.

A month with no figure breaks the line (never a zero); points tell reported figures from
derived ones; numbered markers show the policy events that matter to the series and, on the
monthly chart, solid rules the baselines the figures support.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.periods import period_in_words
from ...core.words import month_words
from ...present import series as charts
from ...present.events import chart_markers
from ...present.figure import Figure, newest
from ...present.theme import PANEL_HEIGHT
from .measures import PageMeasures


def _ids(values) -> list[str]:
    """Source ids from `;`-joined cells, sorted and once each."""
    return sorted({i for ids in values for i in ids.split(";") if i})


def monthly_source_ids(p: PageMeasures) -> list[str]:
    """The sources of the monthly chart: its months, and the totals behind the baselines it draws."""
    m = p.measures
    shown = list(m.series.loc[m.series["value"].notna(), "source_ids"])
    shown += [i for a in m.against.values() if a.ok for i in p.rows.loc[p.rows["period"].isin(a.base.periods), "source_ids"]]
    return _ids(shown)


def baselines(p: PageMeasures) -> pd.DataFrame:
    """The usable baselines as rules: their name and monthly mean."""
    return pd.DataFrame([{"baseline": f"{period_in_words(a.label)} mean", "value": round(a.base.mean, 2)}
                         for a in p.measures.against.values() if a.ok], columns=["baseline", "value"]).drop_duplicates()


def monthly_rows(p: PageMeasures) -> pd.DataFrame:
    """The monthly chart's rows: every month of the window (a gap has no value), each figure of
    several months drawn as a span, then each baseline drawn, with the months and sources it
    rests on."""
    m, unit = p.measures, p.measures.unit
    months = pd.DataFrame({
        "Month": [str(k) for k in m.series.index], "Destination": p.name, "Product": p.product_name,
        "Exports": m.series["value"].round(2).to_numpy(), "Unit": unit, "Figure": m.series["status"].to_numpy(),
        "Month on month (%)": m.changes.round(2).to_numpy(), "source_ids": m.series["source_ids"].to_numpy()})
    rules = pd.DataFrame([{
        "Month": a.label, "Destination": p.name, "Product": p.product_name, "Exports": round(a.base.mean, 2),
        "Unit": unit, "Figure": f"baseline: {period_in_words(a.label)} mean", "Month on month (%)": float("nan"),
        "source_ids": ";".join(_ids(p.rows.loc[p.rows["period"].isin(a.base.periods), "source_ids"]))}
        for a in m.against.values() if a.ok], columns=months.columns).drop_duplicates(subset=["Exports", "Month"])
    s = charts.month_spans(p.rows, p.start, p.end)
    spans = pd.DataFrame({"Month": s["period"], "Destination": p.name, "Product": p.product_name, "Exports": s["total"],
                          "Unit": unit, "Figure": s["status"] + ", months published together", "Month on month (%)": float("nan"),
                          "source_ids": s["source_ids"]}, columns=months.columns)
    return pd.concat([months, spans, rules], ignore_index=True)


def monthly_chart(p: PageMeasures, events: pd.DataFrame, sources: pd.DataFrame | None = None) -> Figure:
    """The page's series month by month, with its month-on-month change in the tooltip, the policy
    events that matter to it and a rule at each usable baseline."""
    m, unit = p.measures, p.measures.unit
    frame = charts.month_frame(m.series)[["date", "month", "value", "status"]]
    frame["mom_pct"] = m.changes.to_numpy()
    markers = chart_markers(events, p.start, p.end, [p.product], [p.partner])
    chart = charts.series_chart(frame, "value", f"Exports ({unit})", p.start, p.end, markers=markers,
                                baselines=baselines(p), spans=charts.month_spans(p.rows, p.start, p.end),
                                tooltip=[alt.Tooltip("mom_pct:Q", title="Month on month (%)", format="+.1f")])
    rows = monthly_rows(p)
    what = (f"Line chart of China's monthly exports of {p.product_name.lower()} to {p.name} in {unit}, from "
            f"{month_words(p.first)} to {month_words(p.last)}. Points mark reported and derived months; a missing month "
            f"breaks the line; a figure published for several months together is a segment across them at its monthly "
            f"average. Numbered markers show policy events, horizontal rules the baselines. ")
    return Figure(
        name="monthly-exports", title=f"China's exports of {p.product_name.lower()}: {p.name}", charts=[chart],
        data=rows, description=what + newest(rows[rows["Month"].str.len() == 7], "Exports", unit),
        credit=charts.source_line(monthly_source_ids(p), sources), markers=markers,
        formats={"Exports": ",.1f", "Month on month (%)": "+.1f"}, share=p.world)


def panel_source_ids(p: PageMeasures) -> list[str]:
    """The sources of the small multiples: every month they draw."""
    return _ids(i for s in p.panels.values() for i in s["source_ids"])


def panel_rows(p: PageMeasures) -> pd.DataFrame:
    """Every month each small multiple draws: destination, level, status, share, sources."""
    unit = p.measures.unit
    return pd.concat([pd.DataFrame({
        "Destination": p.names[partner], "Month": [str(k) for k in s.index], "Exports": s["value"].round(2).to_numpy(),
        "Unit": unit, "Figure": s["status"].to_numpy(), "Share of China's total (%)": s["share"].round(2).to_numpy(),
        "source_ids": s["source_ids"].to_numpy()}) for partner, s in p.panels.items()], ignore_index=True)


def destination_panels_chart(p: PageMeasures, events: pd.DataFrame, sources: pd.DataFrame | None = None) -> Figure:
    """Small multiples of the world page's `panels`: one chart per destination with a page, plus
    all destinations together, each on its own scale, with the controls marked."""
    unit = p.measures.unit
    end = str(p.last)
    control = [k for k in chart_markers(events, p.since, end, [p.product], [p.partner]) if k.kind == "control"][:1]
    panels = []
    for partner, series in p.panels.items():
        frame = charts.month_frame(series)[["date", "month", "value", "status"]]
        frame["value"] = frame["value"].round(2)
        frame["share"] = series["share"].round(2).to_numpy()
        chart = charts.series_chart(
            frame, "value", f"Exports ({unit})", p.since, end, markers=control, height=PANEL_HEIGHT,
            legend=False, axis_title=False,
            tooltip=[alt.Tooltip("share:Q", title="Share of China's total (%)", format=".1f")])
        panels.append(chart.properties(title=charts.panel_title(p.names[partner])))
    rows = panel_rows(p)
    return Figure(
        name="exports-by-destination", title=f"Monthly exports by destination ({unit})", charts=panels, data=rows,
        description=(f"Small multiples of China's monthly exports of {p.product_name.lower()}, one chart per destination "
                     f"with a page plus all destinations together, from {month_words(p.since)} to {month_words(p.last)}, "
                     f"each on its own scale. Missing months break the lines. "
                     + newest(rows, "Exports", unit, by="Destination")),
        credit=charts.source_line(panel_source_ids(p), sources), markers=control,
        panels=[p.names[partner] for partner in p.panels], key=charts.key_chart(charts.status_colour(), charts.status_shape()),
        formats={"Exports": ",.1f", "Share of China's total (%)": ".1f"})
