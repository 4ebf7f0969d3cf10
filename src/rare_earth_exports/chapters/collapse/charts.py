"""The collapse chapter's charts: the series with its policy dates (the book's lead chart), and
the actual figures against the counterfactual.

A month with no figure breaks the line (never a zero). A figure published for several months
together is drawn as one bar across its months at their monthly mean, never as months of its own.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.periods import period_in_words
from ...core.words import date_words, month_words
from ...present import series as charts
from ...present import theme
from .measures import PageMeasures

# How an event's kind reads on a chart label.
EVENT_LABELS = {"control": "Controls", "truce": "Truce", "tariff": "Tariffs", "relaxation": "Relaxation",
                "license": "Licences"}


def _ids(values) -> list[str]:
    """Source ids from `;`-joined cells, sorted and once each."""
    return sorted({i for ids in values for i in ids.split(";") if i})


def figures_frame(periods: pd.DataFrame) -> pd.DataFrame:
    """One row per figure of a `period_series` frame, ready to plot: where it starts and ends, its
    monthly level, and what it is in words (a month, or a total of several months)."""
    frame = pd.DataFrame({
        "period": periods["period"].to_numpy(),
        "label": [period_in_words(p) for p in periods["period"]],
        "start": [m.to_timestamp() for m in periods["first_month"]],
        "end": [(m + 1).to_timestamp() for m in periods["last_month"]],
        "value": periods["value"].round(2).to_numpy(),
        "monthly": periods["monthly"].round(2).to_numpy(),
        "figure": ["month" if n == 1 else f"{n}-month total" for n in periods["n_months"]],
        "status": periods["status"].to_numpy(),
        "source_ids": periods["source_ids"].to_numpy(),
    })
    frame["date"] = frame["start"]
    return frame


def chosen_events(events: pd.DataFrame, dates: list[str]) -> pd.DataFrame:
    """The events on `dates` (YYYY-MM-DD), one per date, a control before anything else: the few a
    chart labels (the control and the truces, from parameters.yml's policy dates)."""
    rank = {"control": 0, "truce": 1, "tariff": 2}
    picked = []
    for date in dates:
        on = events[events["date"] == date].copy()
        if len(on):
            on["rank"] = [rank.get(k, 9) for k in on["kind"]]
            picked.append(on.sort_values(["rank", "event_id"]).iloc[0])
    frame = pd.DataFrame(picked, columns=list(events.columns))
    frame["label"] = [f"{EVENT_LABELS.get(k, k.capitalize())}, {date_words(d)}" for k, d in zip(frame["kind"], frame["date"])]
    return frame.reset_index(drop=True)


def event_layer(picked: pd.DataFrame) -> alt.LayerChart:
    """Dashed rules at the chosen events, each labelled at the top, coloured by kind."""
    frame = pd.DataFrame({"date": picked["day"], "label": picked["label"], "kind": picked["kind"],
                          "title": picked["title"], "row": [12 * i for i in range(len(picked))]})
    kinds = sorted(set(frame["kind"]))
    colour = alt.Color("kind:N", title="Event", scale=alt.Scale(domain=kinds, range=[theme.EVENT_COLOURS.get(k, "#7f7f7f")
                                                                                      for k in kinds]), legend=None)
    rules = alt.Chart(frame).mark_rule(strokeDash=[4, 3]).encode(
        x="date:T", color=colour, tooltip=[alt.Tooltip("label:N", title="Event"), alt.Tooltip("title:N", title="What")])
    labels = alt.Chart(frame).mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=11).encode(
        x="date:T", y=alt.Y("row:Q", scale=None), text="label:N", color=colour)  # one line per event: no overlap
    return alt.layer(rules, labels)


def figures_layers(frame: pd.DataFrame, unit: str, colour: str = theme.STATUS_COLOURS["reported"]) -> list:
    """The months as a line with points (broken at gaps) and the multi-month totals as bars."""
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6))
    y = alt.Y("monthly:Q", title=f"Exports ({unit} a month)")
    tooltip = [alt.Tooltip("label:N", title="Period"), alt.Tooltip("value:Q", title=f"Figure ({unit})", format=",.0f"),
               alt.Tooltip("monthly:Q", title=f"A month on average ({unit})", format=",.0f"),
               alt.Tooltip("figure:N", title="Published as"), alt.Tooltip("status:N", title="Status")]
    months = frame[frame["figure"] == "month"]
    full = pd.DataFrame({"date": pd.date_range(frame["start"].min(), frame["start"].max(), freq="MS")}) if len(frame) else months
    line_data = full.merge(months[["date", "monthly"]], on="date", how="left")
    line = alt.Chart(line_data).mark_line(color=colour, strokeWidth=2).encode(x=x, y=y)
    points = alt.Chart(months).mark_point(filled=True, size=45, color=colour).encode(
        x=x, y=y, shape=alt.Shape("status:N", title="Figure", scale=alt.Scale(
            domain=list(theme.STATUS_SHAPES), range=list(theme.STATUS_SHAPES.values()))), tooltip=tooltip)
    spans = alt.Chart(frame[frame["figure"] != "month"]).mark_rule(color=colour, strokeWidth=5, opacity=0.6).encode(
        x="start:T", x2="end:T", y=y, tooltip=tooltip)
    return [line, points, spans]


def lead_source_ids(p: PageMeasures) -> list[str]:
    return _ids(p.measures.periods["source_ids"])


def lead_chart(p: PageMeasures, events: pd.DataFrame, dates: list[str]) -> alt.LayerChart:
    """The series at the granularity it was published, with the control and the truces labelled."""
    unit, frame = p.measures.unit, figures_frame(p.measures.periods)
    chart = alt.layer(*figures_layers(frame, unit), event_layer(chosen_events(events, dates)))
    return charts.titled(
        chart.properties(height=260), f"China's exports of {p.product_name.lower()}: {p.name}",
        charts.source_line(lead_source_ids(p)),
        f"Line chart of China's monthly exports of {p.product_name.lower()} ({p.name}) in {unit}, from "
        f"{month_words(p.first)} to "
        f"{period_in_words(p.measures.newest_period)}. Figures published for two months together are drawn as one bar "
        f"at their monthly mean. Dashed rules mark the controls and the truces.")


def cost_frame(p: PageMeasures) -> pd.DataFrame:
    """From the control month on, each figure with its counterfactual from each baseline that has one
    (per month of the figure: a two-month total against the mean of its months' counterfactuals)."""
    m = p.measures
    after = m.periods[m.periods["first_month"] >= p.control]
    frame = figures_frame(after)
    for a in m.against.values():
        if a.cf is not None:
            frame[f"cf {a.window.name}"] = [round(a.cf.expected(r.first_month, r.last_month) / r.n_months, 2)
                                            for r in after.itertuples()]
    return frame


def cost_chart(p: PageMeasures) -> alt.LayerChart:
    """Actual exports against the counterfactual band between the baselines, from the control month."""
    unit, frame = p.measures.unit, cost_frame(p)
    cf_cols = [c for c in frame.columns if c.startswith("cf ")]
    band = frame.assign(low=frame[cf_cols].min(axis=1), high=frame[cf_cols].max(axis=1))
    names = " and ".join(c[3:] for c in cf_cols)
    area = alt.Chart(band).mark_rect(color="#9ecae1", opacity=0.5).encode(
        x="start:T", x2="end:T", y=alt.Y("low:Q", title=f"Exports ({unit} a month)"), y2="high:Q",
        tooltip=[alt.Tooltip("label:N", title="Period"),
                 alt.Tooltip("low:Q", title=f"Counterfactual, low ({unit} a month)", format=",.0f"),
                 alt.Tooltip("high:Q", title=f"Counterfactual, high ({unit} a month)", format=",.0f")])
    return charts.titled(
        alt.layer(area, *figures_layers(frame, unit)).properties(height=260),
        "Exports against what they would have been without the controls",
        [f"Shaded: the counterfactual from {names}, with the 2024 seasonal pattern", charts.source_line(lead_source_ids(p))],
        f"Chart of China's exports of {p.product_name.lower()} from {month_words(p.control)} to "
        f"{period_in_words(p.measures.newest_period)} in {unit} a month, against a shaded band from the lower to the "
        f"higher counterfactual ({names}). The gap below the band is the shortfall.")

