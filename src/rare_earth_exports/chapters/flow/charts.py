"""Figures that put several series side by side without hiding what is missing.

A line chart alone cannot show a gap: a month with no figure just has no point. So every
multi-series chart here has a strip below its lines, one row per series and one cell per month,
saying whether that month's figure is reported, derived, only part of a longer total, present
but without a baseline, zero, or missing. Price quotes are drawn as the ranges they were given
in, one small chart per product. The page's five figures (`indexes_chart` ... `premiums_chart`)
come with their titles, credit lines, descriptions and plotted rows.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.load import BookData
from ...core.periods import period_in_words
from ...present import series as charts
from ...present import theme
from ...present.events import chart_markers
from ...present.figure import Figure, newest
from .measures import FlowPage
from .text import pair_label, short_name

RELIABILITY_SHAPES = {"relay": "circle", "weak": "triangle-up"}
PRICE_SOURCE = "Source: price assessments as relayed by the press; full list below the chart."
QUOTE_HEIGHT = 140


def long_frame(frames: dict[str, pd.DataFrame], y: str) -> pd.DataFrame:
    """Monthly frames (index `month`, columns `y`, `status` and, if they have them, `value` and
    `source_ids`) stacked into one chart frame."""
    parts = []
    for label, frame in frames.items():
        df = frame[[c for c in (y, "status", "value", "source_ids") if c in frame.columns]].reset_index()
        df["series"] = label
        parts.append(df)
    if not parts:
        return pd.DataFrame(columns=["month", y, "status", "series", "date", "date_end"])
    df = pd.concat(parts, ignore_index=True)
    df["date"] = df["month"].dt.to_timestamp()
    df["date_end"] = (df["month"] + 1).dt.to_timestamp()
    df["month"] = df["month"].astype(str)
    return df


def plotted(df: pd.DataFrame, series_title: str, y: str, y_title: str, units: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows a series chart draws, for its download and table view: one per series and month."""
    out = pd.DataFrame({series_title: df["series"], "Month": df["month"], y_title: df[y].round(4), "Figure": df["status"]})
    if "value" in df and units is not None:
        out["Value"] = df["value"].round(4)
        out["Unit"] = df["series"].map(units)
    if "source_ids" in df:
        out["source_ids"] = df["source_ids"].fillna("")
    return out


def _markers(flow: FlowPage, data: BookData, start: str, end: str, partners: list[str]):
    return chart_markers(data.events, start, end, flow.scope.products, partners)


def indexes_chart(flow: FlowPage, data: BookData) -> Figure:
    """The finished series and every raw one on the index scale, with the months behind each."""
    sc = flow.scope
    labels = {p: f"{short_name(data.product_name(p))} ({s.unit or 'no figures'})" for p, s in flow.series.items()}
    df = long_frame({labels[p]: s.frame for p, s in flow.series.items()}, "index")
    y_title = f"Index (mean of {period_in_words(sc.base_window)} = 100)"
    markers = _markers(flow, data, sc.start, sc.end, [sc.partner])
    chart = charts.series_chart(df, "index", y_title, sc.start, sc.end, series="series", series_title="Series",
                                markers=markers, reference=100, strip=True)
    partner = data.partner_name(sc.partner)
    rows = plotted(df, "Series", "index", "Index", {labels[p]: s.unit for p, s in flow.series.items()})
    return Figure(
        name="indexes", title=f"Finished magnets and raw inputs, indexed: {partner}", charts=[chart], data=rows,
        description=(f"Line chart of monthly export indexes for magnets and raw materials to {partner} ({y_title}), "
                     "with policy events, and a strip below showing for each series and month whether the figure is "
                     "reported, derived, part of a longer total, without a baseline, or missing. "
                     + newest(rows, "Index", "", by="Series")),
        credit=charts.source_line(";".join(flow.index_source_ids), data.sources), markers=markers,
        formats={"Index": ",.1f", "Value": ",.1f"})


def gaps_chart(flow: FlowPage, data: BookData) -> Figure:
    """The log ratio of the finished index to each raw index, by month."""
    sc = flow.scope
    df = long_frame({pair_label(data.product_name(p)): d for p, d in flow.divergences.items()}, "log_ratio")
    markers = _markers(flow, data, sc.start, sc.end, [sc.partner])
    chart = charts.series_chart(df, "log_ratio", "ln(finished index / raw index); 0 = alike", sc.start, sc.end,
                                series="series", series_title="Pair", markers=markers, reference=0, strip=True)
    partner = data.partner_name(sc.partner)
    rows = plotted(df, "Pair", "log_ratio", "Gap (log points)")
    return Figure(
        name="gaps", title=f"How far finished magnets ran ahead of raw inputs: {partner}", charts=[chart], data=rows,
        description=(f"Line chart of the log ratio of the magnet index to each raw-material index for {partner}, "
                     "by month, with policy events and a strip showing which months can be computed. "
                     + newest(rows, "Gap (log points)", "log points", by="Pair", fmt="+.2f")),
        credit=charts.source_line(";".join(flow.index_source_ids), data.sources), markers=markers,
        formats={"Gap (log points)": "+.2f"})


def shares_chart(flow: FlowPage, data: BookData) -> Figure:
    """Each destination's monthly share of the world figure in the page's year, the focus first."""
    sc = flow.scope
    df = long_frame({data.partner_name(p): s for p, s in flow.shares.by_partner.items()}, "share_pct")
    start = f"{sc.year}-01"
    markers = _markers(flow, data, start, sc.year_end, ["WLD"])
    chart = charts.series_chart(df, "share_pct", "Share of China's magnet exports, % of tonnes", start, sc.year_end,
                                series="series", series_title="Destination", markers=markers, strip=True)
    rows = plotted(df, "Destination", "share_pct", "Share (%)",
                   {data.partner_name(p): s.attrs.get("unit", "t") for p, s in flow.shares.by_partner.items()})
    return Figure(
        name="shares", title=f"Where China's magnets went, {sc.year}: share of the world figure by destination",
        charts=[chart], data=rows,
        description=(f"Line chart of each destination's monthly share of China's magnet exports in {sc.year}, "
                     f"{data.partner_name(sc.destination)} first, with a strip showing the months each destination has a "
                     "figure. " + newest(rows, "Share (%)", "%", by="Destination")),
        credit=charts.source_line(";".join(flow.shares.source_ids), data.sources), markers=markers,
        formats={"Share (%)": ",.1f", "Value": ",.1f"})


def _mid(start: pd.Series, stop: pd.Series) -> pd.Series:
    """The middle of a period, where its point is drawn."""
    return start + (stop - start) / 2


def _reliability_shape() -> alt.Shape:
    return alt.Shape("reliability:N", title="Reliability",
                     scale=alt.Scale(domain=list(RELIABILITY_SHAPES), range=list(RELIABILITY_SHAPES.values())))


def _series_colour(field: str, title: str, order: list[str], legend: bool = True) -> alt.Color:
    return alt.Color(f"{field}:N", title=title, sort=order,
                     scale=alt.Scale(domain=order, range=theme.series_colours(len(order))),
                     legend=alt.Legend(columns=1) if legend else None)


def quote_boxes(q: pd.DataFrame, markets: list[str]) -> alt.LayerChart:
    """One product's quotes as boxes (low to high, over the months they apply to) on a log scale,
    so a USD 7 and a USD 300 quote both stay readable; `markets` keeps each market's colour the
    same in every product's chart (the legends are the figure's key, under the grid)."""
    colour = _series_colour("market_label", "Market", markets, legend=False)
    y = alt.Y("low:Q", title="USD per kg (log scale)", scale=alt.Scale(type="log"))
    tooltip = [alt.Tooltip("product_name:N", title="Product"), alt.Tooltip("market_label:N", title="Market"),
               alt.Tooltip("period:N", title="Period"), alt.Tooltip("low:Q", title="Low, USD/kg", format=",.1f"),
               alt.Tooltip("high:Q", title="High, USD/kg", format=",.1f"), alt.Tooltip("reliability:N", title="Reliability"),
               alt.Tooltip("publishers:N", title="Reported by")]
    x = charts.month_axis(str(q["date"].min().to_period("M")), str((q["date_end"].max() - pd.Timedelta(days=1)).to_period("M")))
    base = alt.Chart(q)
    boxes = base.mark_rect(opacity=0.3, stroke=None).encode(x=x, x2="date_end:T", y=y, y2="high:Q", color=colour, tooltip=tooltip)
    spans = base.mark_rule(strokeWidth=2).encode(x=x, x2="date_end:T", y=alt.Y("mid:Q", scale=alt.Scale(type="log")),
                                                 color=colour, tooltip=tooltip)
    marks = base.mark_point(size=60, filled=True).encode(
        x=alt.X("date_mid:T"), y=alt.Y("mid:Q", scale=alt.Scale(type="log")), color=colour,
        shape=_reliability_shape().legend(None), tooltip=tooltip)
    return alt.layer(boxes, spans, marks).properties(height=QUOTE_HEIGHT)


def _price_names(flow: FlowPage, data: BookData) -> dict[str, str]:
    return {p: data.product_name(p) for p in flow.scope.price_products}


def quote_rows(q: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Product": q["product_name"], "Market": q["market_label"], "Period": q["period"],
                         "Low": q["low"], "High": q["high"], "Unit": "USD/kg", "Reliability": q["reliability"],
                         "Reported by": q["publishers"], "source_ids": q["source_ids"]})


def quotes_chart(flow: FlowPage, data: BookData) -> Figure:
    """Every price quote, one small chart per product, each with every market quoted."""
    q = flow.prices.quotes
    df = q.assign(product_name=q["product"].map(_price_names(flow, data)))
    df = df.assign(date_mid=_mid(df["date"], df["date_end"]))
    products = list(dict.fromkeys(df["product_name"]))
    drawn = df[["product_name", "market_label", "period", "date", "date_end", "date_mid", "low", "high", "mid",
                "reliability", "publishers"]]
    markets = list(dict.fromkeys(drawn["market_label"]))
    panels = [quote_boxes(drawn[drawn["product_name"] == name], markets).properties(title=charts.panel_title(name))
              for name in products]
    rows = quote_rows(df)
    return Figure(
        name="price-quotes", title="Price quotes by market", charts=panels, data=rows, panels=products,
        key=charts.key_chart(_series_colour("market_label", "Market", markets), _reliability_shape()),
        description=("Small charts of price quotes, one per product, inside China, in Europe and elsewhere, as ranges "
                     f"over time on a log scale ({len(rows)} quotes)."),
        credit=PRICE_SOURCE, formats={"Low": ",.1f", "High": ",.1f"})


def premium_ranges(df: pd.DataFrame, start: str, end: str) -> alt.LayerChart:
    """Premium ranges (outside low / inside high to outside high / inside low) with the midpoint
    ratio, on a log scale, over the months start..end; the dashed line is parity (no premium)."""
    colour = _series_colour("product_name", "Product", list(dict.fromkeys(df["product_name"])))
    y = alt.Y("low:Q", title="Europe over inside China (ratio, log scale)", scale=alt.Scale(type="log"))
    x = charts.month_axis(start, end)
    tooltip = [alt.Tooltip("product_name:N", title="Product"), alt.Tooltip("month:N", title="Month"),
               alt.Tooltip("low:Q", title="Premium, low", format=",.2f"), alt.Tooltip("high:Q", title="Premium, high", format=",.2f"),
               alt.Tooltip("mid:Q", title="Midpoints compared", format=",.2f"), alt.Tooltip("reliability:N", title="Reliability")]
    ranges = alt.Chart(df).mark_rule(strokeWidth=8, opacity=0.5).encode(x=x, y=y, y2="high:Q", color=colour, tooltip=tooltip)
    mids = alt.Chart(df).mark_point(size=70, filled=True).encode(
        x=x, y=alt.Y("mid:Q", scale=alt.Scale(type="log")), color=colour, shape=_reliability_shape(), tooltip=tooltip)
    parity = alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(color=theme.MUTED, strokeDash=[2, 2]).encode(y="one:Q")
    return alt.layer(ranges, mids, parity).properties(height=theme.HEIGHT)


def premiums_chart(flow: FlowPage, data: BookData) -> Figure:
    """The premium of Europe over inside China, same month."""
    prem = flow.prices.premiums
    months = pd.PeriodIndex(prem["month"], freq="M")
    # a month either side of the quoted months, or the page's months when none is quoted
    window = (str(months.min() - 1), str(months.max() + 1)) if len(months) else (flow.scope.start, flow.scope.end)
    df = prem.assign(product_name=prem["product"].map(_price_names(flow, data)),
                     date=_mid(months.to_timestamp(), (months + 1).to_timestamp()))
    rows = pd.DataFrame({"Product": df["product_name"], "Month": df["month"], "Premium, low": df["low"],
                         "Premium, high": df["high"], "Midpoints compared": df["mid"], "Unit": "ratio",
                         "Reliability": df["reliability"], "source_ids": df["source_ids"]})
    return Figure(
        name="price-premiums", title="Price in Europe over price inside China, same month",
        charts=[premium_ranges(df[["product_name", "month", "date", "low", "high", "mid", "reliability"]], *window)],
        data=rows,
        description=("Premium of European over Chinese prices for each product and month quoted in both markets, as "
                     "ranges on a log scale. " + newest(rows, "Midpoints compared", "times", by="Product", fmt=",.2f")),
        credit=PRICE_SOURCE, formats={"Premium, low": ",.2f", "Premium, high": ",.2f", "Midpoints compared": ",.2f"})
