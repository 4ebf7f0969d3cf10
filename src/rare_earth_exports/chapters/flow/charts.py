"""Figures that put several series side by side without hiding what is missing.

A line chart alone cannot show a gap: a month with no figure just has no point. So every
multi-series chart here has a strip below its lines, one row per series and one cell per month,
saying whether that month's figure is reported, derived, only part of a longer total, present
but without a baseline, zero, or missing. A figure published for several months together is one
bar across its months at their monthly average, never split. Price quotes are drawn as the
ranges they were given in, one small chart per product. Each figure (`indexes_chart` ...
`premiums_chart`) comes with its title, credit line, description and plotted rows, and takes its
column's width (`present.figure`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.load import BookData
from ...core.periods import months_of
from ...core.words import with_article
from ...present import series as charts
from ...present import theme
from ...present.events import Marker, chart_markers
from ...present.figure import Figure, newest
from .measures import WORLD, FlowPage
from .text import element_name, legend_base, short_name

RELIABILITY_SHAPES = {"official": "square", "agency": "diamond", "trade press": "cross", "relay": "circle", "weak": "triangle-up"}
PRICE_SOURCE = "Source: price assessments as relayed by the press; full list below the chart."
QUOTE_HEIGHT = 140
# Legend labels that name a series' base or what a premium is set against take the plot's width
# less 96 px, and at least 210 px: the theme's fixed limit cut "... June 2024 = 100" short at
# 1280 px, and under the index chart's wider axis passed a 360 px screen by 3 px.
FULL_WIDTH_LABELS = {"expr": "max(210, width - 96)"}
# The stretches shaded on the ratio chart, each named at the top of the plot (px from the top).
STRETCH_COLOURS = {"under": theme.MUTED, "after": "#1b7837", "spike": "#b22222"}
STRETCH_LABEL_ROWS = {"under": 4, "after": 4, "spike": 20}


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


def span_frame(spans: dict[str, pd.DataFrame], y: str) -> pd.DataFrame:
    """Figures for several months together (`measures.drawn_spans`), one row per series and span,
    drawn across their months at their monthly average (with their sources, where given)."""
    parts = []
    for label, frame in spans.items():
        if len(frame):
            part = pd.DataFrame({"series": label, "period": frame["period"], y: frame[y].astype(float),
                                 "months": frame["n_months"].astype(int), "date": frame["first_month"].dt.to_timestamp(),
                                 "date_end": (frame["last_month"] + 1).dt.to_timestamp()})
            if "source_ids" in frame:
                part["source_ids"] = frame["source_ids"]
            parts.append(part)
    cols = ["series", "period", y, "months", "date", "date_end"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def plotted(df: pd.DataFrame, series_title: str, y: str, y_title: str, units: dict[str, str] | None = None,
            spans: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows a series chart draws, for its download and table view: one per series and month,
    then one per figure of several months drawn as one bar (its months, at their monthly average)."""
    out = pd.DataFrame({series_title: df["series"], "Month": df["month"], y_title: df[y].astype(float).round(4),
                        "Figure": df["status"]})
    if "value" in df and units is not None:
        out["Value"] = df["value"].astype(float).round(4)
        out["Unit"] = df["series"].map(units)
    if "source_ids" in df:
        out["source_ids"] = df["source_ids"].fillna("")
    if spans is None or not len(spans):
        return out
    bars = pd.DataFrame({series_title: spans["series"], "Month": spans["period"], y_title: spans[y].astype(float).round(4),
                         "Figure": "one figure for " + spans["months"].astype(str) + " months"})
    if units is not None:
        bars["Unit"] = spans["series"].map(units)
    if "source_ids" in spans:
        bars["source_ids"] = spans["source_ids"].fillna("")
    return pd.concat([out, bars], ignore_index=True)


def _series_colour(field: str, title: str, order: list[str], legend: bool = True) -> alt.Color:
    """The colour of each series, as `present.series.series_chart` gives it."""
    return alt.Color(f"{field}:N", title=title, sort=order,
                     scale=alt.Scale(domain=order, range=theme.series_colours(len(order))),
                     legend=alt.Legend(columns=1) if legend else None)


def span_bars(spans: pd.DataFrame, y: str, y_title: str, order: list[str], x: alt.X, value_format: str) -> alt.Chart:
    """One bar across the months of each multi-month figure, at its monthly average, in its series' colour."""
    return alt.Chart(spans).mark_rule(strokeWidth=4).encode(
        x=x, x2="date_end:T", y=alt.Y(f"{y}:Q"), color=_series_colour("series", "Series", order, legend=False),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("period:N", title="Months published together"),
                 alt.Tooltip(f"{y}:Q", title=f"{y_title}, monthly average", format=value_format),
                 alt.Tooltip("months:Q", title="Months in the one figure")])


def _markers(flow: FlowPage, data: BookData, start: str, end: str, partners: list[str]) -> list[Marker]:
    return chart_markers(data.events, start, end, flow.scope.products, partners)


def index_labels(flow: FlowPage, data: BookData) -> dict[str, str]:
    """Each series' legend label with its unit and its own base ('Dysprosium products (kg; June 2024 = 100)')."""
    base = flow.scope.baseline
    return {p: f"{short_name(data.product_name(p))} ({s.unit + '; ' if s.unit else ''}{legend_base(s.baseline, base)})"
            for p, s in flow.series.items()}


def indexes_chart(flow: FlowPage, data: BookData) -> Figure:
    """The finished series and every raw one on the index scale, each on its own base, with the
    months behind each and figures for several months drawn as one bar."""
    sc = flow.scope
    labels = index_labels(flow, data)
    df = long_frame({labels[p]: s.frame for p, s in flow.series.items()}, "index")
    spans = span_frame({labels[p]: s.spans for p, s in flow.series.items()}, "index")
    y_title = "Index (each series' own base = 100)"
    markers = _markers(flow, data, sc.start, sc.end, [WORLD])
    order = list(dict.fromkeys(df["series"]))
    x = charts.month_axis(sc.start, sc.end, grid=False)  # as the series chart draws it with a strip
    over = [span_bars(spans, "index", "Index", order, x, ",.1f")] if len(spans) else []
    chart = charts.series_chart(df, "index", y_title, sc.start, sc.end, series="series", series_title="Series",
                                markers=markers, reference=100, strip=True, over=over).configure_legend(
        labelLimit=FULL_WIDTH_LABELS)
    rows = plotted(df, "Series", "index", "Index", {labels[p]: s.unit for p, s in flow.series.items()}, spans)
    return Figure(
        name="indexes", title="Finished magnets and raw inputs, each against its own base: all destinations",
        charts=[chart], data=rows,
        description=("Line chart of China's monthly exports to all destinations of magnets and raw materials, each "
                     "divided by its own base as the legend names it, with policy events; a bar across several months "
                     "is one figure published for them together; a strip below shows for each series and month whether "
                     "the figure is reported, derived, part of a longer total, without a base, or missing. "
                     + newest(rows[rows["Month"].str.len() == 7], "Index", "", by="Series")),
        credit=charts.source_line(flow.index_source_ids, data.sources), markers=markers,
        formats={"Index": ",.1f", "Value": ",.1f"})


def stretch_frame(flow: FlowPage, data: BookData) -> pd.DataFrame:
    """The stretches the ratio chart shades: under the controls, after the truce, and the spike
    (named short, 'dysprosium spike': the chart's width is a phone's)."""
    sc = flow.scope
    under, after = sc.phases
    spike = f"{element_name(data.product_name(sc.spike_product))} spike"
    spans = {"under": (under.name, under.start, under.end), "after": (after.name, after.start, after.end),
             "spike": (spike, sc.spike.start, sc.spike.end)}
    return pd.DataFrame([{"stretch": name, "months": f"{start}/{end}", "colour": STRETCH_COLOURS[key],
                          "label_y": STRETCH_LABEL_ROWS[key], "date": pd.Period(start, "M").to_timestamp(),
                          "date_end": (pd.Period(end, "M") + 1).to_timestamp()}
                         for key, (name, start, end) in spans.items()])


def shaded_stretches(stretches: pd.DataFrame, x: alt.X, height: int) -> list[alt.Chart]:
    """The stretches as light bands over the lines' height, each named at the top of the plot (no
    legend: their colour is a fill, kept apart from the series' colours and their legend)."""
    colour = alt.Fill("colour:N", scale=None)
    shade = alt.Chart(stretches).mark_rect(opacity=0.12).encode(
        x=x, x2="date_end:T", y=alt.value(0), y2=alt.value(height), fill=colour,
        tooltip=[alt.Tooltip("stretch:N", title="Stretch"), alt.Tooltip("months:N", title="Months")])
    names = alt.Chart(stretches).mark_text(align="left", baseline="top", dx=3, fontSize=11).encode(
        x=x, y=alt.Y("label_y:Q", scale=None, axis=None), text="stretch:N", fill=colour)
    return [shade, names]


def ratios_chart(flow: FlowPage, data: BookData) -> Figure:
    """Kilograms of each controlled element per tonne of magnets, by month, with the stretches shaded
    and the spike marked."""
    sc, c = flow.scope, flow.claim
    under, _ = sc.phases
    frames, units = {}, {}
    for p, e in c.elements.items():
        r = e.series.frame.loc[pd.Period(under.start, "M"):, ["status", "value", "source_ids"]].copy()
        r["ratio"] = e.ratios.reindex(r.index)
        r.loc[r["ratio"].isna(), "status"] = "missing"
        frames[short_name(data.product_name(p))] = r
        units[short_name(data.product_name(p))] = e.series.unit
    df = long_frame(frames, "ratio")
    stretches = stretch_frame(flow, data)
    behind = shaded_stretches(stretches, charts.month_axis(under.start, sc.end, grid=False), theme.HEIGHT)
    markers = _markers(flow, data, under.start, sc.end, [WORLD])
    chart = charts.series_chart(df, "ratio", "kg of the element per tonne of magnets", under.start, sc.end,
                                series="series", series_title="Element", markers=markers, value_format=",.2f",
                                strip=True, behind=behind)
    rows = plotted(df, "Element", "ratio", "kg per tonne of magnets", units)
    return Figure(
        name="ratios", title="Kilograms of dysprosium and terbium exported per tonne of magnets", charts=[chart],
        data=rows,
        description=("Line chart of China's monthly exports of dysprosium and of terbium products in kilograms per tonne "
                     "of its magnet exports, from the controls on, with the stretch under the controls, the stretch after "
                     f"the truce and {sc.spike.name} shaded. "
                     + newest(rows, "kg per tonne of magnets", "kg per tonne", by="Element", fmt=",.2f")),
        credit=charts.source_line(flow.element_source_ids, data.sources), markers=markers,
        formats={"kg per tonne of magnets": ",.2f", "Value": ",.1f"})


def shares_chart(flow: FlowPage, data: BookData) -> Figure:
    """Each destination's monthly share of the world figure in the page's year, the focus first."""
    sc = flow.scope
    df = long_frame({data.partner_name(p): s for p, s in flow.shares.by_partner.items()}, "share_pct")
    start = f"{sc.year}-01"
    markers = _markers(flow, data, start, sc.year_end, [WORLD])
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
        credit=charts.source_line(flow.shares.source_ids, data.sources), markers=markers,
        formats={"Share (%)": ",.1f", "Value": ",.1f"})


def focus_shares_chart(flow: FlowPage, data: BookData) -> Figure:
    """The destination's share of China's magnet exports by month (a multi-month figure as one bar),
    with its mean share over each named stretch as a dashed line across it."""
    sc, f = flow.scope, flow.focus
    name = data.partner_name(f.partner)
    by = f.by_period
    singles = by[by["n_months"] == 1]
    frame = pd.DataFrame({"share_pct": singles["share_pct"].to_numpy(), "status": "reported",
                          "source_ids": singles["source_ids"].to_numpy()},
                         index=pd.PeriodIndex(singles["period"], freq="M", name="month"))
    full = frame.reindex(pd.period_range(f.window.start, sc.end, freq="M", name="month"))
    full["status"] = full["status"].fillna("missing")
    for _, r in by[by["n_months"] > 1].iterrows():
        full.loc[r["first_month"]:r["last_month"], "status"] = "in a total"
    df = long_frame({name: full}, "share_pct")
    spans = span_frame({name: by[by["n_months"] > 1]}, "share_pct")
    means = pd.DataFrame({"stretch": f.shares["name"], "share_pct": f.shares["share_pct"],
                          "date": [pd.Period(str(months_of(p)[0]), "M").to_timestamp() for p in f.shares["period"]],
                          "date_end": [(pd.Period(str(months_of(p)[-1]), "M") + 1).to_timestamp() for p in f.shares["period"]]})
    x = charts.month_axis(f.window.start, sc.end, grid=False)
    stretch_means = alt.Chart(means).mark_rule(strokeDash=[6, 3], color=theme.MUTED, strokeWidth=2).encode(
        x=x, x2="date_end:T", y="share_pct:Q",
        tooltip=[alt.Tooltip("stretch:N", title="Stretch"), alt.Tooltip("share_pct:Q", title="Share over the stretch, %", format=",.1f")])
    over = [stretch_means, *([span_bars(spans, "share_pct", "Share, %", [name], x, ",.1f")] if len(spans) else [])]
    markers = _markers(flow, data, f.window.start, sc.end, [f.partner])
    chart = charts.series_chart(df, "share_pct", "Share of China's magnet exports, %", f.window.start, sc.end,
                                series="series", series_title="Destination", markers=markers, strip=True, over=over)
    rows = plotted(df, "Destination", "share_pct", "Share (%)", spans=spans)
    rows = pd.concat([rows, pd.DataFrame({"Destination": name, "Month": f.shares["period"],
                                          "Share (%)": f.shares["share_pct"].astype(float).round(4),
                                          "Figure": "mean over " + f.shares["name"]})], ignore_index=True)
    return Figure(
        name="destination-share", title=f"{name}: its share of China's magnet exports", charts=[chart],
        data=rows.fillna({"source_ids": ""}),
        description=(f"Line chart of the share of China's magnet exports going to {with_article(name)} each month, a bar "
                     "for months published together, and dashed lines for the mean share over each stretch. "
                     + newest(rows[rows["Month"].str.len() == 7], "Share (%)", "%")),
        credit=charts.source_line(list(by["source_ids"]), data.sources), markers=markers, formats={"Share (%)": ",.1f"})


def _mid(start: pd.Series, stop: pd.Series) -> pd.Series:
    """The middle of a period, where its point is drawn."""
    return start + (stop - start) / 2


def _reliability_shape() -> alt.Shape:
    return alt.Shape("reliability:N", title="Reliability",
                     scale=alt.Scale(domain=list(RELIABILITY_SHAPES), range=list(RELIABILITY_SHAPES.values())))


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
    rows = pd.DataFrame({"Product": df["product_name"], "Market": df["market_label"], "Period": df["period"],
                         "Low": df["low"], "High": df["high"], "Unit": "USD/kg", "Reliability": df["reliability"],
                         "Reported by": df["publishers"], "source_ids": df["source_ids"]})
    return Figure(
        name="price-quotes", title="Price quotes by market", charts=panels, data=rows, panels=products,
        key=charts.key_chart(_series_colour("market_label", "Market", markets), _reliability_shape()),
        description=("Small charts of price quotes, one per product, inside China, in Europe and elsewhere, as ranges "
                     f"over time on a log scale ({len(rows)} quotes)."),
        credit=PRICE_SOURCE, formats={"Low": ",.1f", "High": ",.1f"})


def premium_ranges(df: pd.DataFrame, start: str, end: str) -> alt.LayerChart:
    """Premium ranges (outside low / inside high to outside high / inside low) with the midpoint
    ratio, on a log scale, over the months start..end; the dashed line is parity (no premium)."""
    colour = _series_colour("series", "Premium", list(dict.fromkeys(df["series"])))
    # a title shorter than the plot is high: a longer one overhangs it by an amount that depends on
    # the font, so the page could not reserve the chart's height (the figure's title names the ratio)
    y = alt.Y("low:Q", title="Europe over China (ratio, log scale)", scale=alt.Scale(type="log"))
    x = charts.month_axis(start, end)
    tooltip = [alt.Tooltip("product_name:N", title="Product"), alt.Tooltip("month:N", title="Month"),
               alt.Tooltip("inside_words:N", title="Europe against"),
               alt.Tooltip("low:Q", title="Premium, low", format=",.2f"), alt.Tooltip("high:Q", title="Premium, high", format=",.2f"),
               alt.Tooltip("mid:Q", title="Midpoints compared", format=",.2f"), alt.Tooltip("reliability:N", title="Reliability")]
    ranges = alt.Chart(df).mark_rule(strokeWidth=8, opacity=0.5).encode(x=x, y=y, y2="high:Q", color=colour, tooltip=tooltip)
    mids = alt.Chart(df).mark_point(size=70, filled=True).encode(
        x=x, y=alt.Y("mid:Q", scale=alt.Scale(type="log")), color=colour, shape=_reliability_shape(), tooltip=tooltip)
    parity = alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(color=theme.MUTED, strokeDash=[2, 2]).encode(y="one:Q")
    return alt.layer(ranges, mids, parity).properties(height=theme.HEIGHT)


def premiums_chart(flow: FlowPage, data: BookData) -> Figure:
    """The premium of Europe over China (inside China, or its export price), same month."""
    prem = flow.prices.premiums
    months = pd.PeriodIndex(prem["month"], freq="M")
    # a month either side of the quoted months, or the page's months when none is quoted
    window = (str(months.min() - 1), str(months.max() + 1)) if len(months) else (flow.scope.start, flow.scope.end)
    names = prem["product"].map(_price_names(flow, data))
    df = prem.assign(product_name=names, series=names + ": Europe over " + prem["inside_words"],
                     date=_mid(months.to_timestamp(), (months + 1).to_timestamp()))
    rows = pd.DataFrame({"Product": df["product_name"], "Month": df["month"], "Europe against": df["inside_words"],
                         "Premium, low": df["low"], "Premium, high": df["high"], "Midpoints compared": df["mid"],
                         "Unit": "ratio", "Reliability": df["reliability"], "source_ids": df["source_ids"]})
    drawn = df[["series", "product_name", "month", "inside_words", "date", "low", "high", "mid", "reliability"]]
    return Figure(
        name="price-premiums", title="Price in Europe over price in China, same month",
        charts=[premium_ranges(drawn, *window).configure_legend(labelLimit=FULL_WIDTH_LABELS)], data=rows,
        description=("Premium of European over Chinese prices (inside China, or China's export price) for each product "
                     "and month quoted in both markets, as ranges on a log scale. "
                     + newest(df.rename(columns={"month": "Month"}), "mid", "times", by="series", fmt=",.2f")),
        credit=PRICE_SOURCE, formats={"Premium, low": ",.2f", "Premium, high": ",.2f", "Midpoints compared": ",.2f"})
