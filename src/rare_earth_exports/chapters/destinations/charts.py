"""The destinations page's charts: every destination side by side, and one per section.

They are drawn with the collapse chapter's pieces, so a two-month total is one bar across its
months here too, and a month with no figure breaks the line.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.periods import period_in_words
from ...core.words import month_words, without_article
from ...present import series as charts
from ...present import theme
from ..collapse import charts as collapse_charts
from ..collapse.charts import chosen_events, event_layer, figures_frame, figures_layers
from .measures import Destination, DestinationsPage


def _ids(frames) -> list[str]:
    return sorted({i for f in frames for ids in f["source_ids"] for i in ids.split(";") if i})


def panels_frame(pg: DestinationsPage) -> pd.DataFrame:
    """China's total and every destination from the rule's first month, one row per figure."""
    frames = []
    for name, page in [("All destinations", pg.world)] + [(without_article(d.words), d.page) for d in pg.destinations]:
        periods = page.measures.periods
        frame = figures_frame(periods[periods["first_month"] >= pd.Period(pg.since, "M")])
        frame.insert(0, "destination", name)
        frame["share"] = page.measures.shares.reindex(frame["period"]).round(2).to_numpy()
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def panels_chart(pg: DestinationsPage) -> alt.FacetChart:
    """Small multiples: one panel per destination and one for China's total, each on its own scale
    (compare shapes, not heights), the control month as a dashed rule."""
    frame = panels_frame(pg)
    unit = pg.world.measures.unit
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=4))
    y = alt.Y("monthly:Q", title=None)
    tooltip = [alt.Tooltip("destination:N", title="Destination"), alt.Tooltip("label:N", title="Period"),
               alt.Tooltip("value:Q", title=f"Figure ({unit})", format=",.0f"),
               alt.Tooltip("figure:N", title="Published as"),
               alt.Tooltip("share:Q", title="Share of China's total (%)", format=".1f")]
    colour = theme.STATUS_COLOURS["reported"]
    line = alt.Chart().mark_line(color=colour).encode(x=x, y=y).transform_filter("datum.figure == 'month'")
    points = alt.Chart().mark_point(filled=True, size=30, color=colour).encode(x=x, y=y, tooltip=tooltip).transform_filter(
        "datum.figure == 'month'")
    spans = alt.Chart().mark_rule(color=colour, strokeWidth=4, opacity=0.6).encode(
        x="start:T", x2="end:T", y=y, tooltip=tooltip).transform_filter("datum.figure != 'month'")
    month = pg.world.control
    control = alt.Chart().mark_rule(color=theme.EVENT_COLOURS["control"], strokeDash=[4, 3]).encode(
        x=alt.datum(alt.DateTime(year=month.year, month=month.month, date=1)))
    order = list(dict.fromkeys(frame["destination"]))
    return charts.titled(
        alt.layer(line, points, spans, control, data=frame).properties(width=160, height=100).facet(
            facet=alt.Facet("destination:N", title=None, sort=order), columns=3).resolve_scale(y="independent"),
        f"Monthly exports by destination ({unit} a month)", charts.source_line(_ids([frame])),
        f"Small multiples of China's monthly exports of {pg.world.product_name.lower()}, one panel for all destinations "
        f"and one per destination, from {month_words(pg.since)} to {period_in_words(pg.world.measures.newest_period)}, "
        f"each on its own scale. Missing months break the lines; a two-month total is one bar.")


def section_chart(d: Destination, events: pd.DataFrame, dates: list[str]) -> alt.LayerChart:
    """One destination's figures, the counterfactual from its baseline where it has one, and the
    control, the truces and the tariff moves that name it."""
    p = d.page
    unit = p.measures.unit
    layers = []
    if d.baseline is not None and d.baseline.cf is not None:
        band = collapse_charts.cost_frame(p)
        column = f"cf {d.baseline.window.name}"
        layers.append(alt.Chart(band).mark_rule(color="#6baed6", strokeWidth=3, strokeDash=[2, 2]).encode(
            x="start:T", x2="end:T", y=f"{column}:Q",
            tooltip=[alt.Tooltip("label:N", title="Period"),
                     alt.Tooltip(f"{column}:Q", title=f"Counterfactual ({unit} a month)", format=",.0f")]))
    tariff_dates = [t.date for t in d.tariffs.itertuples()]
    picked = chosen_events(events, sorted(set(dates) | set(tariff_dates)))
    frame = figures_frame(p.measures.periods)
    subtitle = [charts.source_line(collapse_charts.lead_source_ids(p))]
    if layers:
        subtitle.insert(0, f"Dashed blue: the counterfactual from {d.baseline.window.name}")
    return charts.titled(
        alt.layer(*layers, *figures_layers(frame, unit), event_layer(picked)).properties(height=220),
        f"China's exports of {p.product_name.lower()} to {d.words}", subtitle,
        f"Chart of China's monthly exports of {p.product_name.lower()} to {d.words} in {unit}, from "
        f"{period_in_words(p.measures.periods['period'].iloc[0]) if len(p.measures.periods) else month_words(p.first)} "
        f"to {period_in_words(p.measures.newest_period) if p.measures.newest_period else month_words(p.last)}, with the "
        f"controls, the truces and the tariff moves that name it.")
