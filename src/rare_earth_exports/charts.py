"""Altair theme, an offline renderer and the chart pieces every page shares.

The renderer emits a `<div>` and a call to `vegaEmbed`, which the site loads once per page from
its own static folder (see `site_assets.py`): no CDN, so charts render from `file://` and behind
a firewall. Element ids come from a hash of the chart's specification, so two builds of the same
data write the same HTML.
"""

from __future__ import annotations

import hashlib
import html
import json

import altair as alt
import pandas as pd

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
STATUS_COLOURS = {"reported": "#1f4e79", "derived": "#e07b00", "missing": "#9e9e9e"}
STATUS_SHAPES = {"reported": "circle", "derived": "diamond"}
PALETTE = ["#1f4e79", "#e07b00", "#2e8b57", "#b22222", "#6a3d9a", "#8c564b", "#17becf", "#7f7f7f"]
EVENT_COLOURS = {"control": "#b22222", "relaxation": "#2e8b57", "truce": "#2e8b57",
                 "license": "#6a3d9a", "quota": "#8c564b", "statement": "#7f7f7f",
                 "data_release": "#17becf", "other": "#7f7f7f"}
WIDTH = 640
HEIGHT = 300


def theme() -> dict:
    return {"config": {
        "font": FONT,
        "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6"},
        "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#555"},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        "range": {"category": PALETTE},
    }}


def chart_id(spec: dict) -> str:
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    return f"chart-{digest}"


def offline_renderer(spec: dict, **_: object) -> dict:
    """A `<div>` plus a `vegaEmbed` call with a deterministic id; the library ships with the site."""
    div = chart_id(spec)
    # "<" as \u003c: no "</script>" or "<!--" from the data can end or hide the script block
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    description = html.escape(spec.get("description", ""), quote=True)
    markup = (
        f'<div id="{div}" class="book-chart" role="img" aria-label="{description}"></div>\n'
        f'<script type="text/javascript">vegaEmbed("#{div}", {payload}, '
        '{"actions": false, "renderer": "svg"}).catch(function (e) { console.error(e); });</script>'
    )
    return {"text/html": markup}


def enable() -> None:
    """Registers and enables the theme and the offline renderer (call once per notebook)."""
    alt.renderers.register("book_offline", offline_renderer)
    alt.renderers.enable("book_offline")

    @alt.theme.register("book", enable=True)
    def _book_theme() -> alt.theme.ThemeConfig:
        return theme()

    alt.data_transformers.disable_max_rows()


def source_line(source_ids: list[str] | str, sources: pd.DataFrame | None = None) -> str:
    """'Source: <publishers>' for a chart subtitle; the full list sits in the page's sources table."""
    values = [source_ids] if isinstance(source_ids, str) else list(source_ids)
    ids = sorted({i for value in values for i in str(value).split(";") if i})
    if sources is not None and len(ids):
        pubs = sorted(set(sources.loc[sources["source_id"].isin(ids), "publisher"]))
        shown = ", ".join(pubs[:4]) + (f" and {len(pubs) - 4} more" if len(pubs) > 4 else "")
        return f"Source: China customs (GACC) via {shown}; full list below the chart."
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
