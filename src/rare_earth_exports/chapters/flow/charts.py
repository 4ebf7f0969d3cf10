"""Charts that put several series side by side without hiding what is missing.

A line chart alone cannot show a gap: a month with no figure just has no point. So every
multi-series chart here comes with a strip below it, one row per series and one cell per month,
saying whether that month's figure is reported, derived, only part of a longer total, present
but without a baseline, zero, or missing. Price quotes are drawn as the ranges they were given in.
The page's five charts (`indexes_chart` ... `premiums_chart`) come with their titles, source
lines and text alternatives.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ...core.load import BookData
from ...core.periods import period_in_words
from ...present import series as charts
from ...present import theme
from .measures import FlowPage
from .text import pair_label, short_name

STRIP_COLOURS = {
    "reported": theme.STATUS_COLOURS["reported"],
    "derived": theme.STATUS_COLOURS["derived"],
    "in a total": "#b7c9dd",
    "no baseline": "#c9a3d8",
    "zero": "#000000",
    "missing": "#eeeeee",
}
EVENT_KINDS = ("control", "truce", "relaxation")
# Series colours kept clear of the status colours (navy, orange) and the event colours (red, green).
WIDTH = 480  # with the strip's row labels, a chart fits the page's text column
SERIES_PALETTE = ["#5e35b1", "#00897b", "#c2185b", "#8d6e63", "#f9a825", "#546e7a", "#7cb342", "#0288d1"]
RELIABILITY_SHAPES = {"relay": "circle", "weak": "triangle-up"}


def lines(text: str, width: int = 90) -> list[str]:
    """A long subtitle as lines no wider than the chart (for `charts.titled`)."""
    return textwrap.wrap(text, width)


def long_frame(frames: dict[str, pd.DataFrame], y: str) -> pd.DataFrame:
    """Monthly frames (index `month`, columns `y` and `status`) stacked into one chart frame."""
    parts = []
    for label, frame in frames.items():
        df = frame[[y, "status"]].reset_index()
        df["series"] = label
        parts.append(df)
    if not parts:
        return pd.DataFrame(columns=["month", y, "status", "series", "date", "date_end"])
    df = pd.concat(parts, ignore_index=True)
    df["date"] = df["month"].dt.to_timestamp()
    df["date_end"] = (df["month"] + 1).dt.to_timestamp()
    df["month"] = df["month"].astype(str)
    return df


def _colour(field: str, title: str, order: list[str]) -> alt.Color:
    return alt.Color(f"{field}:N", title=title, sort=order,
                     scale=alt.Scale(domain=order, range=(SERIES_PALETTE * 2)[:len(order)]),
                     legend=alt.Legend(columns=1, labelLimit=0))


def _mid(start: pd.Series, stop: pd.Series) -> pd.Series:
    """The middle of a period, where its point is drawn."""
    return start + (stop - start) / 2


def _x(start: str, end: str, title: str | None = "Month") -> alt.X:
    domain = [pd.Period(start, "M").to_timestamp().isoformat(), (pd.Period(end, "M") + 1).to_timestamp().isoformat()]
    return alt.X("date:T", title=title, scale=alt.Scale(domain=domain),
                 axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month", labelOverlap=True))


def status_strip(df: pd.DataFrame, start: str, end: str, series_title: str) -> alt.Chart:
    """One row per series, one cell per month, coloured by what the month's figure is."""
    return alt.Chart(df).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=_x(start, end), x2="date_end:T",
        y=alt.Y("series:N", title=None, sort=list(dict.fromkeys(df["series"])), axis=alt.Axis(labelLimit=200)),
        color=alt.Color("status:N", title="Monthly figure",
                        scale=alt.Scale(domain=list(STRIP_COLOURS), range=list(STRIP_COLOURS.values()))),
        tooltip=[alt.Tooltip("series:N", title=series_title), alt.Tooltip("month:N", title="Month"),
                 alt.Tooltip("status:N", title="Figure")],
    ).properties(width=WIDTH, height=alt.Step(16))


def series_chart(df: pd.DataFrame, y: str, y_title: str, series_title: str, start: str, end: str,
                 events: pd.DataFrame | None = None, reference: float | None = None,
                 log_scale: bool = False, value_format: str = ",.1f") -> alt.VConcatChart:
    """Lines per series (broken at gaps), reported and derived points apart, optional policy
    events and a reference line, and the status strip underneath."""
    order = list(dict.fromkeys(df["series"]))
    colour = _colour("series", series_title, order)
    scale = alt.Scale(type="log") if log_scale else alt.Scale(zero=True)
    y_enc = alt.Y(f"{y}:Q", title=y_title, scale=scale)
    shown = df[df[y].notna() & df["status"].isin(list(theme.STATUS_SHAPES)) & ((df[y] > 0) if log_scale else True)]
    lines = alt.Chart(df).mark_line(strokeWidth=2).encode(x=_x(start, end), y=y_enc, color=colour)
    points = alt.Chart(shown).mark_point(filled=True, size=55).encode(
        x=_x(start, end), y=y_enc, color=colour,
        shape=alt.Shape("status:N", title="Figure", scale=alt.Scale(domain=list(theme.STATUS_SHAPES),
                                                                     range=list(theme.STATUS_SHAPES.values()))),
        tooltip=[alt.Tooltip("series:N", title=series_title), alt.Tooltip("month:N", title="Month"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=value_format), alt.Tooltip("status:N", title="Figure")],
    )
    layers: list = [lines, points]
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#555", strokeDash=[2, 2]).encode(y="ref:Q"))
    main = alt.layer(*layers).properties(width=WIDTH, height=theme.HEIGHT)
    if events is not None:
        main = alt.layer(main, charts.event_rules(events, start, end, EVENT_KINDS)).resolve_scale(color="independent")
    return alt.vconcat(main, status_strip(df, start, end, series_title)).resolve_scale(color="independent", x="shared")


def quote_boxes(q: pd.DataFrame, product_names: dict[str, str]) -> alt.FacetChart:
    """Quotes as boxes (low to high, over the months they apply to), one panel per product, on a
    log scale so a USD 7 and a USD 300 quote both stay readable."""
    df = q.assign(product_name=q["product"].map(product_names))
    df = df.assign(date_mid=_mid(df["date"], df["date_end"]))
    df = df[["product_name", "market_label", "period", "date", "date_end", "date_mid", "low", "high", "mid", "reliability", "publishers"]]
    colour = _colour("market_label", "Market", list(dict.fromkeys(df["market_label"])))
    y = alt.Y("low:Q", title="USD per kg (log scale)", scale=alt.Scale(type="log"))
    tooltip = [alt.Tooltip("product_name:N", title="Product"), alt.Tooltip("market_label:N", title="Market"),
               alt.Tooltip("period:N", title="Period"), alt.Tooltip("low:Q", title="Low, USD/kg", format=",.1f"),
               alt.Tooltip("high:Q", title="High, USD/kg", format=",.1f"), alt.Tooltip("reliability:N", title="Reliability"),
               alt.Tooltip("publishers:N", title="Reported by")]
    x = alt.X("date:T", title="Period the quote applies to", axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True))
    base = alt.Chart()
    boxes = base.mark_rect(opacity=0.3, stroke=None).encode(x=x, x2="date_end:T", y=y, y2="high:Q", color=colour, tooltip=tooltip)
    spans = base.mark_rule(strokeWidth=2).encode(x=x, x2="date_end:T", y=alt.Y("mid:Q", scale=alt.Scale(type="log")), color=colour, tooltip=tooltip)
    marks = base.mark_point(size=60, filled=True).encode(
        x=alt.X("date_mid:T"), y=alt.Y("mid:Q", scale=alt.Scale(type="log")), color=colour,
        shape=alt.Shape("reliability:N", title="Reliability", scale=alt.Scale(domain=list(RELIABILITY_SHAPES), range=list(RELIABILITY_SHAPES.values()))),
        tooltip=tooltip)
    return alt.layer(boxes, spans, marks, data=df).properties(width=WIDTH, height=140).facet(
        row=alt.Row("product_name:N", title=None, sort=list(dict.fromkeys(df["product_name"])),
                    header=alt.Header(labelOrient="top", labelAnchor="start", labelFontWeight="bold", labelFontSize=12))
    ).resolve_scale(y="independent")


def premium_ranges(prem: pd.DataFrame, product_names: dict[str, str]) -> alt.LayerChart:
    """Premium ranges (outside low / inside high to outside high / inside low) with the midpoint
    ratio, on a log scale; the dashed line is parity (no premium)."""
    months = pd.PeriodIndex(prem["month"], freq="M")
    df = prem.assign(product_name=prem["product"].map(product_names),
                     date=_mid(months.to_timestamp(), (months + 1).to_timestamp()))
    df = df[["product_name", "month", "date", "low", "high", "mid", "reliability"]]  # only what is drawn
    colour = _colour("product_name", "Product", list(dict.fromkeys(df["product_name"])))
    y = alt.Y("low:Q", title="Europe over inside China (ratio, log scale)", scale=alt.Scale(type="log"))
    padded = alt.Scale(domain=[(months.min() - 1).to_timestamp().isoformat(), (months.max() + 2).to_timestamp().isoformat()]) if len(months) else alt.Scale()
    x = alt.X("date:T", title="Month quoted in both markets", scale=padded,
              axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month", labelOverlap=True))
    tooltip = [alt.Tooltip("product_name:N", title="Product"), alt.Tooltip("month:N", title="Month"),
               alt.Tooltip("low:Q", title="Premium, low", format=",.2f"), alt.Tooltip("high:Q", title="Premium, high", format=",.2f"),
               alt.Tooltip("mid:Q", title="Midpoints compared", format=",.2f"), alt.Tooltip("reliability:N", title="Reliability")]
    ranges = alt.Chart(df).mark_rule(strokeWidth=8, opacity=0.5).encode(x=x, y=y, y2="high:Q", color=colour, tooltip=tooltip)
    mids = alt.Chart(df).mark_point(size=70, filled=True).encode(
        x=x, y=alt.Y("mid:Q", scale=alt.Scale(type="log")), color=colour,
        shape=alt.Shape("reliability:N", title="Reliability", scale=alt.Scale(domain=list(RELIABILITY_SHAPES), range=list(RELIABILITY_SHAPES.values()))),
        tooltip=tooltip)
    parity = alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(color="#555", strokeDash=[2, 2]).encode(y="one:Q")
    return alt.layer(ranges, mids, parity).properties(width=WIDTH, height=theme.HEIGHT)


PRICE_SOURCE = "Source: price assessments as relayed by the press; full list below the chart."


def indexes_chart(flow: FlowPage, data: BookData) -> alt.TopLevelMixin:
    """The finished series and every raw one on the index scale, with the months behind each."""
    sc = flow.scope
    labels = {p: f"{short_name(data.product_name(p))} ({s.unit or 'no figures'})" for p, s in flow.series.items()}
    df = long_frame({labels[p]: s.frame for p, s in flow.series.items()}, "index")
    chart = series_chart(df, "index", f"Index (mean of {period_in_words(sc.base_window)} = 100)", "Series", sc.start, sc.end,
                         events=data.events, reference=100)
    partner = data.partner_name(sc.partner)
    return charts.titled(chart, f"Finished magnets and raw inputs, indexed: {partner}",
                         lines(charts.source_line(flow.index_source_ids, data.sources)),
                         f"Line chart of monthly export indexes for magnets and raw materials to {partner}, "
                         "with policy events, and a strip below showing for each series and month whether the figure is "
                         "reported, derived, part of a longer total, without a baseline, or missing.")


def gaps_chart(flow: FlowPage, data: BookData) -> alt.TopLevelMixin:
    """The log ratio of the finished index to each raw index, by month."""
    sc = flow.scope
    df = long_frame({pair_label(data.product_name(p)): d for p, d in flow.divergences.items()}, "log_ratio")
    chart = series_chart(df, "log_ratio", "ln(finished index / raw index); 0 = alike", "Pair", sc.start, sc.end,
                         events=data.events, reference=0)
    partner = data.partner_name(sc.partner)
    return charts.titled(chart, f"How far finished magnets ran ahead of raw inputs: {partner}",
                         lines(charts.source_line(flow.index_source_ids, data.sources)),
                         f"Line chart of the log ratio of the magnet index to each raw-material index for {partner}, "
                         "by month, with policy events and a strip showing which months can be computed.")


def shares_chart(flow: FlowPage, data: BookData) -> alt.TopLevelMixin:
    """Each destination's monthly share of the world figure in the page's year, the focus first."""
    sc = flow.scope
    df = long_frame({data.partner_name(p): s for p, s in flow.shares.by_partner.items()}, "share_pct")
    chart = series_chart(df, "share_pct", "Share of China's magnet exports, % of tonnes", "Destination", f"{sc.year}-01", sc.year_end,
                         events=data.events)
    return charts.titled(chart, f"Where China's magnets went, {sc.year}: share of the world figure by destination",
                         lines(charts.source_line(flow.shares.source_ids, data.sources)),
                         f"Line chart of each destination's monthly share of China's magnet exports in {sc.year}, "
                         f"{data.partner_name(sc.destination)} first, with a strip showing the months each destination has a figure.")


def _price_names(flow: FlowPage, data: BookData) -> dict[str, str]:
    return {p: data.product_name(p) for p in flow.scope.price_products}


def quotes_chart(flow: FlowPage, data: BookData) -> alt.TopLevelMixin:
    """Every price quote, by product and market."""
    return charts.titled(quote_boxes(flow.prices.quotes, _price_names(flow, data)), "Price quotes by market", PRICE_SOURCE,
                         "Panels of price quotes per product, inside China, in Europe and elsewhere, as ranges over time on a log scale.")


def premiums_chart(flow: FlowPage, data: BookData) -> alt.TopLevelMixin:
    """The premium of Europe over inside China, same month."""
    return charts.titled(premium_ranges(flow.prices.premiums, _price_names(flow, data)),
                         "Price in Europe over price inside China, same month", PRICE_SOURCE,
                         "Premium of European over Chinese prices for each product and month quoted in both markets, "
                         "as ranges on a log scale.")
