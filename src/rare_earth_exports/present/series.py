"""The chart pieces every page shares: month frames, status lines, event rules, titles.

All series are monthly; a month with no figure is a gap in the line (never a zero), and points
tell reported figures from derived ones.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..core.sources import credit_line
from .theme import EVENT_COLOURS, STATUS_COLOURS, STATUS_SHAPES


def source_line(source_ids: list[str] | str, sources: pd.DataFrame | None = None) -> str:
    """'Source: <credit line>; full list below the chart.' for a chart subtitle (`core.sources.credit_line`:
    the originator first, then the agency and at most a few of the best relays; never a weak page)."""
    credit = credit_line(source_ids, sources) if sources is not None else ""
    if credit:
        return f"Source: {credit}; full list below the chart."
    return "Source: China customs (GACC) as relayed by the press; full list below the chart."


def month_frame(series: pd.DataFrame, **labels: str) -> pd.DataFrame:
    """A chart-ready frame: one row per month, a date column, gaps kept as nulls."""
    df = series.reset_index()
    df["date"] = df["month"].dt.to_timestamp()
    df["month"] = df["month"].astype(str)
    for key, value in labels.items():
        df[key] = value
    return df


def status_line(df: pd.DataFrame, y: str, y_title: str, colour: str | None = None,
                tooltip_extra: list | None = None) -> alt.LayerChart:
    """A line broken at gaps, with points that show reported and derived values apart."""
    x = alt.X("date:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"))
    line_kw = {"color": colour} if colour else {}
    line = alt.Chart(df).mark_line(strokeWidth=2, **line_kw).encode(x=x, y=alt.Y(f"{y}:Q", title=y_title))
    tooltip = [alt.Tooltip("month:N", title="Month"), alt.Tooltip(f"{y}:Q", title=y_title, format=",.1f"),
               alt.Tooltip("status:N", title="Status")] + (tooltip_extra or [])
    points = alt.Chart(df[df["status"] != "missing"]).mark_point(filled=True, size=60).encode(
        x=x, y=alt.Y(f"{y}:Q"),
        shape=alt.Shape("status:N", title="Figure", scale=alt.Scale(domain=list(STATUS_SHAPES), range=list(STATUS_SHAPES.values()))),
        color=alt.Color("status:N", title="Figure", scale=alt.Scale(domain=list(STATUS_SHAPES), range=[STATUS_COLOURS[s] for s in STATUS_SHAPES])),
        tooltip=tooltip,
    )
    return alt.layer(line, points)


def event_rules(events: pd.DataFrame, start: str, end: str, kinds: tuple[str, ...] = ("control", "truce", "relaxation", "license")) -> alt.Chart:
    """Vertical rules at policy events inside the window, with the event in the tooltip."""
    ev = events[(events["kind"].isin(kinds)) & (events["month"] >= pd.Period(start, "M")) & (events["month"] <= pd.Period(end, "M"))]
    ev = ev[ev["affects"].str.contains("magnet|rare earth|dysprosium|terbium|yttrium", case=False, regex=True)]
    frame = pd.DataFrame({"date": ev["day"], "title": ev["title"], "kind": ev["kind"], "when": ev["date"]})
    return alt.Chart(frame).mark_rule(strokeDash=[4, 3], opacity=0.7).encode(
        x="date:T",
        color=alt.Color("kind:N", title="Event", scale=alt.Scale(domain=list(kinds), range=[EVENT_COLOURS[k] for k in kinds])),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("kind:N", title="Kind"), alt.Tooltip("title:N", title="Event")],
    )


def titled(chart: alt.TopLevelMixin, title: str, subtitle: str | list[str], description: str) -> alt.TopLevelMixin:
    """Title, source line (one string, or several lines) and a text alternative for screen readers."""
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return chart.properties(title=alt.TitleParams(title, subtitle=lines), description=description)
