"""The destinations page's figures: every destination side by side, and one per section.

They are drawn with the collapse chapter's pieces, so a two-month total is one bar across its
months here too, a month with no figure breaks the line, and each chart's events are those
`present.events` chooses for its destination (tariff steps and truces for the United States).
"""

from __future__ import annotations

import pandas as pd

from ...core.periods import period_in_words
from ...core.words import capitalised, month_words, without_article
from ...present import series as charts
from ...present.events import chart_markers
from ...present.figure import Figure
from ...present.theme import PANEL_HEIGHT
from ..collapse import charts as collapse_charts
from ..collapse.measures import PageMeasures
from .measures import Destination, DestinationsPage


def _pages(pg: DestinationsPage) -> list[tuple[str, PageMeasures]]:
    """China's total first, then every destination, each with its name."""
    return [("All destinations", pg.world)] + [(capitalised(without_article(d.words)), d.page) for d in pg.destinations]


def panel_rows(pg: DestinationsPage) -> pd.DataFrame:
    """Every figure the small multiples draw, from the rule's first month, with its share of China's total."""
    frames = []
    for name, page in _pages(pg):
        periods = page.measures.periods[page.measures.periods["first_month"] >= pd.Period(pg.since, "M")]
        rows = collapse_charts.figure_rows(page, periods).assign(Destination=name)
        rows.insert(5, "Share of China's total (%)", page.measures.shares.reindex(periods["period"]).round(2).to_numpy())
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def panels_chart(pg: DestinationsPage, events: pd.DataFrame, sources: pd.DataFrame | None = None) -> Figure:
    """Small multiples: one chart per destination and one for China's total, each on its own scale
    (compare shapes, not heights), the controls marked."""
    unit, start, end = pg.world.measures.unit, pg.since, pg.world.end
    control = [k for k in chart_markers(events, start, end, [pg.world.product], ["WLD"]) if k.kind == "control"][:1]
    panels = []
    for name, page in _pages(pg):
        months = collapse_charts.month_rows(page)
        months = months[months["date"] >= pd.Period(start, "M").to_timestamp()]
        chart = charts.series_chart(months, "value", f"Exports ({unit})", start, end, markers=control,
                                    height=PANEL_HEIGHT, legend=False, axis_title=False,
                                    spans=charts.month_spans(page.rows, start, end))
        panels.append(chart.properties(title=charts.panel_title(name)))
    rows = panel_rows(pg)
    newest = "; ".join(f"{name}, {period_in_words(p.measures.newest_period)}, {p.measures.periods.iloc[-1]['value']:,.1f} "
                       f"{unit}" for name, p in _pages(pg) if p.measures.newest_period is not None)
    return Figure(
        name="exports-by-destination", title=f"Monthly exports by destination ({unit})", charts=panels, data=rows,
        description=(f"Small multiples of China's monthly exports of {pg.world.product_name.lower()}, one chart for all "
                     f"destinations and one per destination, from {month_words(start)} to {month_words(end)}, each on "
                     f"its own scale. Missing months break the lines; a two-month total is one bar. The newest figures: "
                     f"{newest}."),
        credit=charts.source_line(sorted({i for ids in rows["source_ids"] for i in ids.split(";") if i}), sources),
        markers=control, panels=[name for name, _ in _pages(pg)],
        key=charts.key_chart(charts.status_colour(), charts.status_shape()),
        formats={"Exports": ",.1f", "A month on average": ",.1f", "Share of China's total (%)": ".1f"})


def section_chart(d: Destination, events: pd.DataFrame, sources: pd.DataFrame | None = None) -> Figure:
    """One destination's figures with its baseline and the events that matter to it."""
    return collapse_charts.lead_chart(d.page, events, sources, name=f"exports-{d.partner.lower()}")


def section_cost_chart(d: Destination, sources: pd.DataFrame | None = None) -> Figure | None:
    """From the control month, its figures against the counterfactual from its baseline (None
    without a baseline)."""
    if d.baseline is None or d.baseline.cf is None:
        return None
    return collapse_charts.cost_chart(d.page, sources, name=f"against-the-counterfactual-{d.partner.lower()}")
