"""The collapse chapter's figures: the series with its policy events (the book's lead chart), and
the actual figures against the counterfactual.

A month with no figure breaks the line (never a zero). A figure published for several months
together is drawn as one bar across its months at their monthly mean, never as months of its own.
Numbered markers show the policy events `present.events` chooses for the series.
"""

from __future__ import annotations

import pandas as pd

from ...core.periods import period_in_words
from ...core.sources import split_ids
from ...core.words import month_words
from ...present import series as charts
from ...present.events import chart_markers
from ...present.figure import Figure
from .measures import PageMeasures


def figure_rows(p: PageMeasures, periods: pd.DataFrame | None = None) -> pd.DataFrame:
    """The figures a chart draws, as its download and table view give them: one row per figure as
    published (a month, or a total of several months kept whole), with its monthly level."""
    periods = p.measures.periods if periods is None else periods
    return pd.DataFrame({
        "Period": periods["period"].to_numpy(), "Destination": p.name, "Product": p.product_name,
        "Exports": periods["value"].round(2).to_numpy(), "A month on average": periods["monthly"].round(2).to_numpy(),
        "Unit": p.measures.unit, "Published as": ["one month" if n == 1 else f"one figure for {n} months"
                                                 for n in periods["n_months"]],
        "Figure": periods["status"].to_numpy(), "source_ids": periods["source_ids"].to_numpy()})


def month_rows(p: PageMeasures) -> pd.DataFrame:
    """The series month by month for `present.series.series_chart`: a month inside a multi-month
    total has no value of its own (the total is drawn by `present.series.month_spans`)."""
    frame = charts.month_frame(p.measures.series)[["date", "month", "value", "status"]]
    frame["value"] = frame["value"].round(2)
    return frame


def baselines(p: PageMeasures) -> pd.DataFrame:
    """The usable baselines as rules: their name and monthly mean."""
    return pd.DataFrame([{"baseline": f"{a.window.name} mean", "value": round(a.base.mean, 2)}
                         for a in p.measures.against.values() if a.ok], columns=["baseline", "value"]).drop_duplicates()


def describe(p: PageMeasures, what: str) -> str:
    """A chart's text for screen readers: what it draws and its newest figure."""
    m = p.measures
    if m.newest_period is None:
        return what + " No month has a figure: the chart is empty."
    newest = m.periods.iloc[-1]
    return (what + f" The newest figure: {period_in_words(m.newest_period)}, {newest['value']:,.1f} {m.unit}"
            + (f" ({newest['monthly']:,.1f} {m.unit} a month)." if newest["n_months"] > 1 else "."))


def lead_source_ids(p: PageMeasures) -> list[str]:
    return split_ids(p.measures.periods["source_ids"])


def lead_chart(p: PageMeasures, events: pd.DataFrame, sources: pd.DataFrame | None = None,
               name: str = "monthly-exports", share: bool = False) -> Figure:
    """The series at the granularity it was published, with its baselines and the policy events
    that matter to it (the book's lead chart for China's total)."""
    unit = p.measures.unit
    markers = chart_markers(events, p.start, p.end, [p.product], [p.partner])
    chart = charts.series_chart(month_rows(p), "value", f"Exports ({unit})", p.start, p.end, markers=markers,
                                baselines=baselines(p), spans=charts.month_spans(p.rows, p.start, p.end))
    return Figure(
        name=name, title=f"China's exports of {p.product_name.lower()}: {p.name}", charts=[chart],
        data=figure_rows(p), credit=charts.source_line(lead_source_ids(p), sources), markers=markers, share=share,
        description=describe(p, f"Line chart of China's monthly exports of {p.product_name.lower()} ({p.name}) in "
                                f"{unit}, from {month_words(p.first)} to {month_words(p.last)}. A missing month breaks "
                                f"the line; a figure published for two months together is one bar at their monthly "
                                f"mean. Numbered markers show policy events, horizontal rules the baselines."),
        formats={"Exports": ",.1f", "A month on average": ",.1f"})


def cost_rows(p: PageMeasures) -> pd.DataFrame:
    """From the control month on, each figure with its counterfactual from each baseline that has
    one (a two-month total against its months' counterfactuals together)."""
    m = p.measures
    after = m.periods[m.periods["first_month"] >= p.control]
    rows = figure_rows(p, after)
    for a in m.against.values():
        if a.cf is not None:
            rows[f"Counterfactual from {a.window.name}"] = [round(a.cf.expected(r.first_month, r.last_month), 2)
                                                            for r in after.itertuples()]
    return rows


def cost_chart(p: PageMeasures, sources: pd.DataFrame | None = None, name: str = "against-the-counterfactual") -> Figure:
    """Actual exports from the control month, against the counterfactual: a band between the
    baselines' counterfactuals (one line's width when one baseline has one)."""
    m, unit = p.measures, p.measures.unit
    rows = cost_rows(p)
    columns = [c for c in rows.columns if c.startswith("Counterfactual from ")]
    after = m.periods[m.periods["first_month"] >= p.control]
    per_month = rows[columns].div(after["n_months"].to_numpy(), axis=0)
    band = pd.DataFrame({"date": [k.to_timestamp() for k in after["first_month"]],
                         "date_end": [(k + 1).to_timestamp() for k in after["last_month"]],
                         "low": per_month.min(axis=1).round(2).to_numpy(), "high": per_month.max(axis=1).round(2).to_numpy(),
                         "label": [period_in_words(x) for x in after["period"]]})
    months = month_rows(p)
    months = months[months["date"] >= p.control.to_timestamp()]
    start = str(p.control)
    chart = charts.series_chart(months, "value", f"Exports ({unit})", start, p.end, band=band,
                                spans=charts.month_spans(p.rows, start, p.end))
    names = " and ".join(c.removeprefix("Counterfactual from ") for c in columns)
    return Figure(
        name=name, title="Exports against what they would have been without the controls", charts=[chart], data=rows,
        credit=charts.source_line(lead_source_ids(p), sources),
        description=describe(p, f"Chart of China's exports of {p.product_name.lower()} ({p.name}) from "
                                f"{month_words(p.control)} in {unit} a month, against a shaded band: the counterfactual "
                                f"from {names}, with the seasonal pattern of a full year before the controls. The gap "
                                f"below the band is the shortfall."),
        formats={c: ",.1f" for c in rows.columns if rows[c].dtype.kind == "f"})
