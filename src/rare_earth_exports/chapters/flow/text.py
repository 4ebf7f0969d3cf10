"""The flow chapter's words: what its prose takes from the data, and the glue that puts it there.

The prose lives in the notebook's Markdown; every word in it that depends on the data (a
direction, a verdict, a list of products, a month) is written here, so each branch has a test.
`glue` puts every such word and every number of the prose on the page, each number with its
metrics row, under keys spelled in full.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...core.load import BookData
from ...core.periods import period_in_words
from ...core.series import Baseline
from ...core.sources import publishers
from ...core.words import listing
from ...present.page import Page, glue_text
from .measures import ELEMENT_OXIDE, FEEDSTOCK, HEADLINE, WORLD, Element, FlowPage


def product_phrase(name: str) -> str:
    """A product's name inside a sentence: lower case, unless it starts with an acronym."""
    return name if name.startswith(("GACC", "PrNd")) else name[0].lower() + name[1:]


def short_name(name: str) -> str:
    """A product's name without its note in brackets, for legends and labels."""
    return name.split(" (")[0]


def pair_label(raw_name: str) -> str:
    """How a pair of the finished product and one raw input is labelled in charts and tables."""
    return f"Magnets vs {short_name(raw_name).lower()}"


def compare_words(a: float, b: float) -> str:
    """How `a` stands against `b`, for a sentence whose direction depends on the data."""
    if not (np.isfinite(a) and np.isfinite(b)):
        return "not comparable with"
    return "above" if a > b else "below" if a < b else "level with"


def gap_verdict(changes: dict[str, float], finished: str, before: str, after: str) -> str:
    """One sentence, without numbers, on which way each measurable gap moved between two phases."""
    wider = [name for name, c in changes.items() if np.isfinite(c) and c > 0]
    narrower = [name for name, c in changes.items() if np.isfinite(c) and c < 0]
    unknown = [name for name, c in changes.items() if not np.isfinite(c)]
    if not wider and not narrower:
        return (f"No raw-material series has figures both {before} and {after}, "
                f"so how the gap to {finished} moved cannot be measured.")
    if wider:
        text = f"From the months {before} to those {after}, {finished} pulled further ahead of {listing(wider)}"
    else:
        text = f"From the months {before} to those {after}, {finished} pulled ahead of no raw-material series"
    if narrower:
        text += f", while {listing(narrower)} gained on them"
    if unknown:
        text += f"; for {listing(unknown)} the change cannot be measured"
    return text + "."


def gap_word(changes: list[float]) -> str:
    """Which way the ratio of magnets to every element went: together, or not."""
    if all(c > 0 for c in changes):
        return "widened"
    if all(c < 0 for c in changes):
        return "narrowed"
    return "moved both ways"


def pattern_word(supports: bool) -> str:
    """'That ___ the pattern the claim describes'."""
    return "is" if supports else "is not"


def rank_words(totals: pd.Series, year: int) -> str:
    """Whether `year` has the highest of the known annual totals."""
    return "the highest" if totals.idxmax() == year else "not the highest"


def known_how(base: Baseline) -> str:
    """How a period's total is known: which reported figures cover it, or how much is missing."""
    if base.complete:
        return base.method
    if base.months_with_data == 0:
        return "no figure"
    return f"not known: figures for {base.months_with_data} of {base.months_in_window} months"


def common_months(common: str) -> str:
    """The months two series share, for a table: a run in words, a list as it is, a dash for none."""
    if not common:
        return "—"
    return common if "," in common else period_in_words(common)


def glue(page: Page, flow: FlowPage, data: BookData) -> None:
    """Every word and number of the page's prose, in the order the page reads."""
    _glue_overview(page, flow, data)
    _glue_indexes(page, flow, data)
    _glue_gaps(page, flow, data)
    _glue_years(page, flow)
    _glue_destinations(page, flow, data)
    _glue_prices(page, flow, data)
    _glue_world(page, flow, data)


def _phrase(data: BookData, product: str) -> str:
    return product_phrase(data.product_name(product))


def _glue_overview(page: Page, flow: FlowPage, data: BookData) -> None:
    sc = flow.scope
    before, under, after = sc.phases
    glue_text("flow_partner", data.partner_name(sc.partner))
    glue_text("flow_destination", data.partner_name(sc.destination))
    glue_text("flow_finished_name", _phrase(data, sc.finished))
    glue_text("flow_base_window", period_in_words(sc.base_window))
    glue_text("flow_before_words", period_in_words(before.period))
    glue_text("flow_controls_words", period_in_words(under.period))
    glue_text("flow_after_words", period_in_words(after.period))
    glue_text("flow_year_words", str(sc.year))
    glue_text("flow_prior_words", str(sc.prior))
    glue_text("flow_controls_start_words", period_in_words(sc.controls_start))
    base = flow.finished.baseline
    page.glue("flow_finished_base_months", base.months_with_data, sc.base_window, sc.partner, sc.finished, "count", "months",
              "months with a figure in the baseline window")
    page.glue("flow_base_months_in_window", base.months_in_window, sc.base_window, sc.partner, sc.finished, "count", "months",
              "months in the baseline window")
    page.glue("flow_finished_controls", flow.finished_by_phase[under.name], under.period, sc.partner, sc.finished, "index",
              "index", f"mean index, baseline {sc.base_window}")
    page.glue("flow_finished_after", flow.finished_by_phase[after.name], after.period, sc.partner, sc.finished, "index",
              "index", f"mean index, baseline {sc.base_window}")


def _glue_indexes(page: Page, flow: FlowPage, data: BookData) -> None:
    sc = flow.scope
    page.glue("flow_n_raw", len(sc.raws), sc.base_window, sc.partner, "raw inputs", "count", "series")
    page.glue("flow_n_raw_indexed", len(flow.indexed_raws), sc.base_window, sc.partner, "raw inputs", "count", "series",
              "with a figure in the baseline window")
    glue_text("flow_raw_indexed_names", listing([_phrase(data, p) for p in flow.indexed_raws], empty="none"))
    glue_text("flow_raw_unindexed_names", listing([_phrase(data, p) for p in flow.unindexed_raws], empty="none"))


def _glue_gaps(page: Page, flow: FlowPage, data: BookData) -> None:
    sc = flow.scope
    _, under, after = sc.phases
    page.glue("flow_n_gap_change", flow.measurable_gap_changes, after.period, sc.partner, "raw inputs", "count", "series",
              "gap change measurable")
    changes = {_phrase(data, p): c for p, c in flow.gap_changes.items()}
    glue_text("flow_gap_verdict", gap_verdict(changes, _phrase(data, sc.finished), under.name, after.name))


def _glue_years(page: Page, flow: FlowPage) -> None:
    sc = flow.scope
    year = str(sc.year)
    page.glue("flow_n_annual_known", int(flow.annual["yoy_pct"].notna().sum()), year, sc.partner, "all products", "count",
              "products", "both years known")
    page.glue("flow_n_products", len(sc.products), year, sc.partner, "all products", "count", "products")
    page.glue("flow_n_same_month", len(flow.same_month), year, sc.partner, "all products", "count", "month pairs")


def _glue_destinations(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, sh = flow.scope, flow.shares
    year = str(sc.year)
    page.glue("flow_d_magnets_year", sh.destination_total, year, sc.destination, sc.finished, "level", "t", "annual total")
    page.glue("flow_w_magnets_year", sh.world_total, year, WORLD, sc.finished, "level", "t", "annual total")
    page.glue("flow_d_share_year", sh.share_year, year, sc.destination, sc.finished, "share_pct", "%", "annual totals")
    low, high = sh.monthly.idxmin(), sh.monthly.idxmax()
    page.glue("flow_d_share_min", sh.monthly[low], str(low), sc.destination, sc.finished, "share_pct", "%", "lowest month")
    page.glue("flow_d_share_max", sh.monthly[high], str(high), sc.destination, sc.finished, "share_pct", "%", "highest month")
    glue_text("flow_d_share_min_month", period_in_words(str(low)))
    glue_text("flow_d_share_max_month", period_in_words(str(high)))
    since = f"{sc.controls_start}/{sc.end}"
    dest = flow.destinations
    page.glue("flow_n_dest_raw", len(dest), since, "ALL", "raw inputs", "count", "figures", "destination figures")
    page.glue("flow_n_dest_raw_d", int((dest["partner"] == sc.destination).sum()), since, sc.destination, "raw inputs",
              "count", "figures", "destination figures")
    glue_text("flow_d_unreported", listing([_phrase(data, p) for p in flow.unreported], empty="none"))


def _glue_premium(page: Page, flow: FlowPage, product: str, month: str, low: str, high: str) -> None:
    """The latest same-month premium of `product`: its month in words, its low and high ratio
    (gaps, and "no month" in words, when no month has a quote in both markets)."""
    row = flow.prices.latest_premium(product)
    basis = "{}: Europe over inside China, same month"
    if row is None:
        glue_text(month, "no month (no quote inside China in a month with one in Europe)")
        page.glue(low, float("nan"), "", "EU27", product, "price_premium", "ratio", basis.format("low"))
        page.glue(high, float("nan"), "", "EU27", product, "price_premium", "ratio", basis.format("high"))
        return
    glue_text(month, period_in_words(row["month"]))
    page.glue(low, row["low"], row["month"], "EU27", product, "price_premium", "ratio", basis.format("low"))
    page.glue(high, row["high"], row["month"], "EU27", product, "price_premium", "ratio", basis.format("high"))


def _glue_prices(page: Page, flow: FlowPage, data: BookData) -> None:
    _glue_premium(page, flow, "y_oxide", month="flow_p_y_month", low="flow_p_y_low", high="flow_p_y_high")
    _glue_premium(page, flow, "nd_oxide", month="flow_p_nd_month", low="flow_p_nd_low", high="flow_p_nd_high")
    glue_text("flow_p_without", listing([_phrase(data, p) for p in flow.prices.without_premium], empty="none"))
    glue_text("flow_src_prices", publishers(flow.prices.premium_source_ids(["y_oxide", "nd_oxide"]), data.sources))


def _glue_element(page: Page, flow: FlowPage, el: Element, *, under: str, after: str, gap: str, months: str, pre: str,
                  vs_pre: str) -> None:
    """One controlled element in the world figures: its means under the controls and after the
    truce, how far the ratio of magnets to it grew, its figures and its months before the controls."""
    sc = flow.scope
    before, under_phase, after_phase = sc.phases
    basis = "monthly mean over the months that also have a magnet figure"
    page.glue(after, el.after["raw_mean"], el.after["common"], WORLD, el.product, "level", "kg", basis)
    page.glue(under, el.under["raw_mean"], el.under["common"], WORLD, el.product, "level", "kg", basis)
    page.glue(gap, math.exp(el.gap_change), f"{under_phase.period}->{after_phase.period}", WORLD, f"{sc.finished}/{el.product}",
              "ratio_change", "times", "factor by which the ratio of mean magnets to mean raw grew")
    page.glue(months, el.series.n_months, f"{sc.start}/{sc.end}", WORLD, el.product, "count", "months", "monthly figures")
    page.glue(pre, el.pre.mean, before.period, WORLD, el.product, "level", "kg", "mean of the months with a figure before the controls")
    glue_text(vs_pre, compare_words(el.after["raw_mean"], el.pre.mean))


def _glue_world(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, w = flow.scope, flow.world
    before, under, after = sc.phases
    year, prior, fin = str(sc.year), str(sc.prior), sc.finished
    yoy_basis = f"{sc.year} against {sc.prior}, annual totals"
    page.glue("flow_w_mag_year", w.annual.at[fin, "current"], year, WORLD, fin, "level", "t", "annual total")
    page.glue("flow_w_mag_prior", w.annual.at[fin, "prior"], prior, WORLD, fin, "level", "t", "annual total")
    page.glue("flow_w_mag_yoy", w.annual.at[fin, "yoy_pct"], year, WORLD, fin, "yoy_pct", "%", yoy_basis)
    page.glue("flow_w_re_year", w.annual.at[HEADLINE, "current"], year, WORLD, HEADLINE, "level", "t", "annual total")
    page.glue("flow_w_re_yoy", w.annual.at[HEADLINE, "yoy_pct"], year, WORLD, HEADLINE, "yoy_pct", "%", yoy_basis)
    years = w.headline_years
    page.glue("flow_w_re_n_years", len(years), f"{years.index.min()}/{years.index.max()}", WORLD, HEADLINE, "count",
              "years", "years with a known total")
    glue_text("flow_w_re_rank", rank_words(years, sc.year))

    dy = w.paired
    page.glue("flow_w_mag_pre", w.finished_pre.mean, before.period, WORLD, fin, "level", "t", f"monthly mean, {w.finished_pre.method}")
    page.glue("flow_w_mag_after", dy.after["finished_mean"], dy.after["common"], WORLD, fin, "level", "t",
              "monthly mean over the months with element figures")
    page.glue("flow_w_mag_under", dy.under["finished_mean"], dy.under["common"], WORLD, fin, "level", "t",
              "monthly mean over the months with element figures")
    glue_text("flow_w_mag_vs_pre", compare_words(dy.after["finished_mean"], w.finished_pre.mean))
    glue_text("flow_w_under_words", period_in_words(dy.under["common"]))
    _glue_element(page, flow, w.elements["dysprosium"], under="flow_w_dy_under", after="flow_w_dy_after", gap="flow_w_gap_dy",
                  months="flow_w_dy_n", pre="flow_w_dy_pre", vs_pre="flow_w_dy_vs_pre")
    _glue_element(page, flow, w.elements["terbium"], under="flow_w_tb_under", after="flow_w_tb_after", gap="flow_w_gap_tb",
                  months="flow_w_tb_n", pre="flow_w_tb_pre", vs_pre="flow_w_tb_vs_pre")
    page.glue("flow_w_dy_pre_n", dy.pre.months_with_data, before.period, WORLD, dy.product, "count", "months",
              "monthly figures before the controls")
    glue_text("flow_w_pre_words", listing([period_in_words(p) for p in dy.pre.periods], empty="none"))
    page.glue("flow_w_after_n", int(dy.after["months"]), after.period, WORLD, dy.product, "count", "months",
              "months after the truce with figures")
    glue_text("flow_w_gap_word", gap_word([e.gap_change for e in w.elements.values()]))
    glue_text("flow_w_pattern", pattern_word(w.supports_claim))

    page.glue("flow_w_prnd_n", w.feedstock_figures, f"{sc.start}/{sc.end}", WORLD, FEEDSTOCK, "count", "figures",
              "export figures in the data")
    page.glue("flow_w_dyox", w.oxide["value"], w.oxide["period"], WORLD, ELEMENT_OXIDE, "level", w.oxide["unit"], "dysprosium oxide alone")
    glue_text("flow_w_dyox_month", period_in_words(w.oxide["period"]))

    glue_text("flow_src_magnets", publishers(w.annual_source_ids(w.finished_rows), data.sources))
    glue_text("flow_src_re", publishers(w.annual_source_ids(w.headline_rows), data.sources))
    glue_text("flow_src_elements", publishers(w.element_source_ids, data.sources))
