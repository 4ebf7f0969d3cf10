"""The collapse page's sentences, and the numbers and words they glue.

Each sentence function takes the page's `PageMeasures` and returns Markdown in which every number
and every word from the data is a `{glue:text}` reference, and says what the data cannot show
where a gap, a two-month total or a small base prevents an answer. `glue_page` glues each of those
values, records each number as a row of metrics.csv carrying its key, and glues the page's prose
blocks (`collapse_md_*`).

Keys are spelled in full except where the data decides them: one per month from the control
month to the low, `collapse_mom_YYYY_MM` (month-on-month change) and `collapse_words_YYYY_MM` (the
month in words).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.conventions import NOT_MEANINGFUL
from ...core.periods import MONTH_NAMES, months_of, period_in_words
from ...core.words import date_words, listing, month_words, months_in_words
from ...present.page import Page, glue_markdown, glue_text
from .measures import Against, PageMeasures, change_pct, months_with_figure, period_label


@dataclass(frozen=True)
class WindowKeys:
    """The glue keys of one baseline window."""

    name: str
    reason: str
    words: str
    method: str
    with_data: str
    months: str
    mean: str
    level: str
    low_index: str
    fall_pct: str
    regained_words: str
    regain_unknown: str
    regain_months: str
    held: str
    since: str
    newest_index: str
    shortfall_recovery: str
    shortfall_newest: str


# One set of keys per window of the `windows` the page is measured against.
WINDOW_KEYS = {
    "base": WindowKeys(
        name="collapse_base_name", reason="collapse_base_reason", words="collapse_base_words",
        method="collapse_base_method", with_data="collapse_base_with_data", months="collapse_base_months",
        mean="collapse_base_mean", level="collapse_base_level", low_index="collapse_base_low_index",
        fall_pct="collapse_base_fall_pct", regained_words="collapse_base_regained_words",
        regain_unknown="collapse_base_regain_unknown", regain_months="collapse_base_regain_months",
        held="collapse_base_held", since="collapse_base_since", newest_index="collapse_base_newest_index",
        shortfall_recovery="collapse_base_shortfall_recovery_t", shortfall_newest="collapse_base_shortfall_newest_t"),
    "alt": WindowKeys(
        name="collapse_alt_name", reason="collapse_alt_reason", words="collapse_alt_words",
        method="collapse_alt_method", with_data="collapse_alt_with_data", months="collapse_alt_months",
        mean="collapse_alt_mean", level="collapse_alt_level", low_index="collapse_alt_low_index",
        fall_pct="collapse_alt_fall_pct", regained_words="collapse_alt_regained_words",
        regain_unknown="collapse_alt_regain_unknown", regain_months="collapse_alt_regain_months",
        held="collapse_alt_held", since="collapse_alt_since", newest_index="collapse_alt_newest_index",
        shortfall_recovery="collapse_alt_shortfall_recovery_t", shortfall_newest="collapse_alt_shortfall_newest_t"),
}


def month_key(month: pd.Period) -> str:
    """'2025_04': the part of a per-month key (`collapse_mom_2025_04`) that names the month."""
    return f"{month.year}_{month.month:02d}"


def num(key: str, fmt: str = ",.0f") -> str:
    """A reference to a glued number, shown with `fmt`."""
    return f"{{glue:text}}`{key}:{fmt}`"


def txt(key: str) -> str:
    """A reference to a glued text."""
    return f"{{glue:text}}`{key}`"


def not_meaningful(unit: str) -> str:
    """How a change on a base under the floor reads."""
    return f"not meaningful (its base is under {num('collapse_floor')} {unit})"


# --- the collapse ------------------------------------------------------------------------------

def low_sentence(p: PageMeasures) -> str:
    """The lowest month after the controls, and whether missing months leave the trough open."""
    low, unit = p.measures.low, p.measures.unit
    if low.month is None:
        return (f"No month from {txt('collapse_control_month')} to {txt('collapse_end_words')} has a figure, so the "
                f"page can say nothing about the fall or the recovery.")
    if low.pinned:
        return (f"Exports bottomed out in {txt('collapse_low_words')} at {num('collapse_low_level')} {unit}. Every "
                f"month from {txt('collapse_control_month')} to {txt('collapse_low_after_words')} has a figure, so "
                f"this is the trough.")
    missing = (f"{txt('collapse_low_unknown')} has no figure" if len(low.unknown) == 1 else
               f"{num('collapse_low_n_unknown')} of the months from {txt('collapse_control_month')} to "
               f"{txt('collapse_low_after_words')} have no figure")
    return (f"The lowest reported month after the controls is {txt('collapse_low_words')}, at "
            f"{num('collapse_low_level')} {unit}, but {missing}, so the trough may have been deeper or at another time.")


def falls_sentence(p: PageMeasures) -> str:
    """The month-on-month changes into the low and out of it, and the low against a year before."""
    m, unit = p.measures, p.measures.unit
    if m.low.month is None:
        return ""
    if not m.has_before:
        return "No month before the controls has a figure: the fall itself is not in the data, only the level after it."
    if not m.falls:
        return (f"No month-on-month change can be computed from {txt('collapse_control_month')} to the low: a month "
                f"next to each of them has no figure of its own.")

    def step(k: pd.Period) -> str:
        c = m.mom_at(k)
        return (f"{num(f'collapse_mom_{month_key(k)}', '+.1f')} % in {txt(f'collapse_words_{month_key(k)}')}"
                if c.shown else f"a change {not_meaningful(unit)} in {txt(f'collapse_words_{month_key(k)}')}")

    text = f"Month on month, exports changed by {listing(step(k) for k in m.falls)}"
    if m.rebound is not None:
        rebound = m.mom_at(m.rebound)
        text += (f", then by {num('collapse_rebound_mom', '+.1f')} % in {txt('collapse_rebound_words')} "
                 f"({num('collapse_rebound_level')} {unit})" if rebound.shown else
                 f"; the change into {txt('collapse_rebound_words')} ({num('collapse_rebound_level')} {unit}) is "
                 f"{not_meaningful(unit)}")
    text += "."
    if np.isfinite(m.changes.get(m.low.month, np.nan)) and np.isfinite(m.series["value"].get(m.low.month - 12, np.nan)):
        text += (f" Against {txt('collapse_low_ago_words')} ({num('collapse_low_ago_level')} {unit}), the low was a "
                 f"change of {num('collapse_low_yoy', '+.1f')} %.")
    return text


def depth_sentence(p: PageMeasures, window: str) -> str:
    """The named baseline window, its reason and level, and how far below it the low was, or why
    the window cannot serve as a baseline."""
    a, k, unit = p.measures.against[window], WINDOW_KEYS[window], p.measures.unit
    if not a.ok:
        return (f"{txt(k.name)} cannot serve as a baseline here: figures cover {num(k.with_data)} of its "
                f"{num(k.months)} months, and the book sets a baseline only where figures cover every month.")
    text = (f"Against {txt(k.name)} ({txt(k.reason)}), whose monthly mean was {num(k.mean)} {unit} "
            f"({txt(k.method)})")
    if p.measures.low.month is None:
        return text + "."
    return (text + f", exports in {txt('collapse_low_words')} were {num(k.low_index, '.1f')} % of that level: a fall "
            f"of {num(k.fall_pct, '.1f')} %.")


def baselines_sentence(p: PageMeasures) -> str:
    """Why the pre-control baselines a reader meets differ: they average different months."""
    m = p.measures
    base, alt = m.against.get("base"), m.against.get("alt")
    if base is None or alt is None or not (base.ok and alt.ok) or base.label == alt.label:
        return ""
    text = (f"The baselines differ because they average different months. {txt('collapse_alt_name')} "
            f"({num('collapse_alt_mean')} t a month) ")
    text += ("ran above " if alt.base.mean > base.base.mean else "ran below ")
    text += (f"{txt('collapse_base_name')} ({num('collapse_base_mean')} t) although it holds the Lunar New Year "
             f"months, when exports dip: freed of that season, by the pattern below, it stands for "
             f"{num('collapse_alt_level')} t in an average month.")
    if m.together is not None and m.together.complete:
        text += (f" The two windows taken together, {txt('collapse_together_words')}, give a third figure, "
                 f"{num('collapse_together_mean')} t, which a reader meets where the book measures ordinary "
                 f"month-to-month change over all the months before the controls.")
    return text + (" No window is the true level without the controls: the page states which one each figure uses, "
                   "and gives the cost as a range between them.")


def regain_sentence(p: PageMeasures, window: str) -> str:
    """When exports got back to the level of `window` after the low, whether a gap may hide an
    earlier month, how many months held it, and the newest figure against it."""
    a, k = p.measures.against[window], WINDOW_KEYS[window]
    if not a.ok or p.measures.low.month is None:
        return ""
    rec = a.recovery
    if rec.regained is None:
        text = f"By {txt('collapse_newest_words')} exports had not regained the level of {txt(k.name)}"
    else:
        text = (f"Exports regained the level of {txt(k.name)} in {txt(k.regained_words)}, "
                f"{num(k.regain_months)} months after the low")
        if not rec.exact:
            text += f" (but {txt(k.regain_unknown)} had no figure, so it may have been earlier)"
        text += (f"; in {num(k.held)} of the {num(k.since)} months published on their own from then on they were at "
                 f"or above it")
    return text + f". In {txt('collapse_newest_words')} they stood at {num(k.newest_index, '.1f')} % of it."


# --- the newest figures ------------------------------------------------------------------------------

def newest_sentence(p: PageMeasures) -> str:
    """The newest month against the same month a year before (or the short total that holds it),
    and, when the change is small, that one month cannot tell it from ordinary swings."""
    m = p.measures
    if m.newest is None or m.ago is None and m.newest_period != str(m.newest):
        return ""
    if m.ago is None:
        return (f"No figure covers {txt('collapse_month_ago_words')} on its own or in a short total, so "
                f"{txt('collapse_newest_words')} cannot be set against the same month a year before.")
    if m.ago.before_period == str(m.newest - 12):
        text = (f"Against {txt('collapse_ago_words')} ({num('collapse_ago_before')} {m.unit}), exports in "
                f"{txt('collapse_newest_words')} ({num('collapse_newest_level')} {m.unit}) changed by "
                f"{num('collapse_ago_change', '+.1f')} %.")
    else:
        text = (f"{txt('collapse_month_ago_words')} was not published on its own, only within "
                f"{txt('collapse_ago_words')} ({num('collapse_ago_before')} {m.unit}, {txt('collapse_ago_status')}); "
                f"the same months a year later, {txt('collapse_ago_now_words')}, came to {num('collapse_ago_now')} "
                f"{m.unit}, a change of {num('collapse_ago_change', '+.1f')} %.")
    if m.swing.n >= 2 and abs(m.ago.change_pct) < 2 * m.swing.std:
        text += (f" A change this small cannot, in one month, be told apart from ordinary month-to-month swings "
                 f"(their standard deviation before the controls was {num('collapse_swing_sd', '.1f')} percentage "
                 f"points).")
    return text


def span_sentence(p: PageMeasures) -> str:
    """The newest figure published for several months together: kept whole, compared like with like."""
    m = p.measures
    spans = [(r, y) for r, y in zip(m.periods.itertuples(), m.yoy) if r.n_months > 1 and r.first_month >= p.control]
    if not spans:
        return ""
    row, yoy = spans[-1]
    text = (f"{txt('collapse_span_words')} was published as one figure for the {num('collapse_span_months')} months "
            f"together: {num('collapse_span_level')} {m.unit}, {num('collapse_span_monthly')} {m.unit} a month on "
            f"average. The book keeps it whole: the chart draws it as one bar across its months at that average, no "
            f"single month of it has a figure, so the month-on-month change of each of its months and of the month "
            f"after it is not computable.")
    if yoy.shown:
        text += (f" Set against the same months a year before, {txt('collapse_span_ago_words')} "
                 f"({num('collapse_span_before')} {m.unit}), it is a change of {num('collapse_span_yoy', '+.1f')} %.")
    elif yoy.reason == NOT_MEANINGFUL:
        text += f" Against the same months a year before, the change is {not_meaningful(m.unit)}."
    else:
        text += " The same months a year before have no figure, so it cannot be set against them."
    return text


def ytd_sentence(p: PageMeasures) -> str:
    """The newest year so far against the same months a year before: more than one month."""
    y = p.measures.ytd
    if y is None:
        return ""
    if y.change.shown:
        return (f"Over {txt('collapse_ytd_words')}, exports came to {num('collapse_ytd_now')} {p.measures.unit}, a "
                f"change of {num('collapse_ytd_change', '+.1f')} % against {txt('collapse_ytd_before_words')} "
                f"({num('collapse_ytd_before')} {p.measures.unit}).")
    return (f"The figures do not cover every month of {txt('collapse_ytd_words')} and of the same months a year "
            f"before, so the year so far cannot be compared.")


def year_sentence(p: PageMeasures) -> str:
    """The last full calendar year against the year before, where figures cover them."""
    m = p.measures
    if m.newest is None:
        return ""
    if np.isfinite(m.year_total) and np.isfinite(m.prev_total):
        return (f"Over {txt('collapse_year')} as a whole exports came to {num('collapse_year_total')} {m.unit}, a "
                f"change of {num('collapse_year_change', '+.1f')} % against {txt('collapse_prev_year')} "
                f"({num('collapse_prev_total')} {m.unit}).")
    if np.isfinite(m.year_total):
        return (f"Over {txt('collapse_year')} as a whole exports came to {num('collapse_year_total')} {m.unit}; no "
                f"total for {txt('collapse_prev_year')} is known, so the year cannot be compared with the one before.")
    return (f"The figures do not cover every month of {txt('collapse_year')}, so no annual total is computed and the "
            f"year cannot be compared with the one before.")


# --- the cost in tonnes ---------------------------------------------------------------------------

def costed(p: PageMeasures) -> list[Against]:
    """The windows with a counterfactual, in the page's order."""
    return [a for a in p.measures.against.values() if a.cf is not None]


def pattern_sentence(p: PageMeasures) -> str:
    """How the seasonal pattern was read from the pattern year's figures, at their granularity."""
    pattern = p.measures.pattern
    if pattern is None:
        return ("The figures do not fix the total of a full year before the controls, so no seasonal pattern, and "
                "no cost in tonnes, can be derived.")
    joint = [b for b in pattern.blocks if len(b.months) > 1]
    if len(pattern.blocks) == 1:
        return (f"The seasonal pattern comes from {txt('collapse_pattern_words')}, whose figures give only the year's "
                f"total: the pattern is flat, every month an average month, and each baseline window's mean is the "
                f"counterfactual of every month.")
    text = (f"The seasonal pattern comes from {txt('collapse_pattern_words')}, read at the detail it was published: "
            f"its figures fix {num('collapse_pattern_blocks')} separate parts of the year")
    if joint:
        text += (f", some of several months known only together ({txt('collapse_pattern_joint_words')}), and each "
                 f"month of such a part is given the part's monthly mean")
    return text + (f". Set against the year's average month, the lowest part is {txt('collapse_pattern_low_words')} "
                   f"at {num('collapse_pattern_low_pct', '.1f')} % of it and the highest "
                   f"{txt('collapse_pattern_high_words')} at {num('collapse_pattern_high_pct', '.1f')} %. Each baseline "
                   f"window's mean, divided by the pattern of its own months, gives the level of an average month "
                   f"without the controls; times each month's share of the pattern, it gives that month's "
                   f"counterfactual.")


def cost_sentence(p: PageMeasures) -> str:
    """The cumulative shortfall from the control month to the recovery month and to the newest
    figure: a range when two baselines give a counterfactual, one figure when one does."""
    windows = costed(p)
    if not windows:
        return ("No baseline window, or no seasonal pattern, supports a counterfactual, so the page cannot say how "
                "many tonnes the controls cost.")
    unit = p.measures.unit
    newest = [a for a in windows if a.to_newest is not None and np.isfinite(a.to_newest.tonnes)]
    if not newest:
        return (f"Months from {txt('collapse_control_month')} on lack a figure, so the shortfall cannot be summed.")
    if len(newest) == 1:
        text = (f"From {txt('collapse_control_month')} to {txt('collapse_newest_words')}, exports fell short of the "
                f"counterfactual from {txt('collapse_shortfall_low_words')} by {num('collapse_shortfall_t_low')} {unit} "
                f"in all, net of the months above it.")
    else:
        text = (f"From {txt('collapse_control_month')} to {txt('collapse_newest_words')}, exports fell short of the "
                f"counterfactual by between {num('collapse_shortfall_t_low')} {unit} (from "
                f"{txt('collapse_shortfall_low_words')}) and {num('collapse_shortfall_t_high')} {unit} (from "
                f"{txt('collapse_shortfall_high_words')}), net of the months above it.")
    regained = [a for a in windows if a.to_recovery is not None and np.isfinite(a.to_recovery.tonnes)]
    if not regained:
        return text + " Exports have not regained a baseline level, so the shortfall is still growing."
    months = sorted({a.recovery.regained for a in regained})
    upto = (f"to {txt('collapse_shortfall_recovery_words')}, the month exports regained the baseline level"
            if len(months) == 1 else
            f"to the month each baseline's level was regained ({txt('collapse_shortfall_recovery_words')})")
    if len(regained) == 1:
        text = (f"From {txt('collapse_control_month')} {upto}, the shortfall came to "
                f"{num('collapse_shortfall_recovery_t_low')} {unit}. ") + text
    else:
        text = (f"From {txt('collapse_control_month')} {upto}, the shortfall came to between "
                f"{num('collapse_shortfall_recovery_t_low')} and {num('collapse_shortfall_recovery_t_high')} {unit}. "
                ) + text
    made_up = [a for a in regained if a.to_newest is not None and a.to_newest.tonnes < 0.1 * a.to_recovery.tonnes]
    if made_up and len(made_up) == len(regained):
        text += " The months above the counterfactual since the recovery have made up nearly all of it."
    elif made_up == [min(newest, key=lambda a: a.to_newest.tonnes)]:
        text += (f" Against {txt('collapse_shortfall_low_words')}, the months above the counterfactual since the "
                 f"recovery have made up nearly all of the early loss; against {txt('collapse_shortfall_high_words')}, "
                 f"they have not.")
    return text


def swing_sentence(p: PageMeasures) -> str:
    """How large ordinary month-on-month swings were before the controls, by the book's one seasonal
    rule, and how unusual the largest fall after them was."""
    m = p.measures
    if m.swing.n < 2:
        return (f"Leaving out changes into or out of {txt('collapse_seasonal_words')}, {num('collapse_swing_n')} "
                f"month-on-month change{'' if m.swing.n == 1 else 's'} can be computed before the controls: too few "
                f"to say how large an ordinary swing is.")
    text = (f"Leaving out changes into or out of {txt('collapse_seasonal_words')}, {num('collapse_swing_n')} "
            f"month-on-month changes can be computed before the controls, between {num('collapse_swing_min', '+.1f')} % "
            f"and {num('collapse_swing_max', '+.1f')} %, with a standard deviation of {num('collapse_swing_sd', '.1f')} "
            f"percentage points.")
    if m.worst is not None:
        text += (f" Against them, the largest monthly fall after the controls, {num('collapse_worst_mom', '+.1f')} % "
                 f"in {txt('collapse_worst_words')}, lies {num('collapse_z', '.1f')} standard deviations from their "
                 f"mean.")
        if m.swing.n < 5:
            text += (" So few changes make a thin yardstick: the figure says the fall was far outside ordinary "
                     "swings, not precisely how far.")
    return text


# --- the page's blocks of prose -------------------------------------------------------------------

def paragraphs(*texts: str) -> str:
    """Non-empty texts as Markdown paragraphs."""
    return "\n\n".join(t for t in texts if t)


def findings(p: PageMeasures) -> str:
    """The overview's bullet list: the low, the depth and recovery against the first baseline, the
    cost, the newest figures (the year so far where it can be compared) and the last full year."""
    ytd = p.measures.ytd
    bullets = [low_sentence(p), depth_sentence(p, "base"), regain_sentence(p, "base"), cost_sentence(p),
               newest_sentence(p), ytd_sentence(p) if ytd is not None and ytd.change.shown else "", year_sentence(p)]
    return "\n".join(f"- {b}" for b in bullets if b)


def compared_windows(p: PageMeasures) -> list[str]:
    """The baseline and the alternative, unless the alternative is the same window."""
    return [w for w, a in p.measures.against.items() if w == "base" or a.label != p.measures.against["base"].label]


def collapse_prose(p: PageMeasures) -> str:
    return paragraphs(low_sentence(p), falls_sentence(p), *(depth_sentence(p, w) for w in compared_windows(p)),
                      baselines_sentence(p))


def recovery_prose(p: PageMeasures) -> str:
    return paragraphs(*(regain_sentence(p, w) for w in compared_windows(p)), newest_sentence(p), span_sentence(p),
                      ytd_sentence(p), year_sentence(p))


def cost_prose(p: PageMeasures) -> str:
    return paragraphs(pattern_sentence(p), cost_sentence(p))


def swings_prose(p: PageMeasures) -> str:
    return paragraphs(swing_sentence(p))


# --- gluing: every value the sentences refer to, each number with its metrics row ------------------

def glue_page(p: PageMeasures, page: Page) -> None:
    """Glue every value the page's prose refers to, and the prose itself; record every number,
    and every figure's level and changes, in the page's metrics and publish them for metrics.csv."""
    _glue_words(page, p)
    _glue_series(page, p)
    _glue_low(page, p)
    for window in p.measures.against:
        _glue_window(page, p, window)
    _glue_baselines(page, p)
    _glue_newest(page, p)
    _glue_cost(page, p)
    _glue_swings(page, p)
    _glue_release(page, p)
    for key, markdown in (("collapse_md_findings", findings(p)), ("collapse_md_collapse", collapse_prose(p)),
                          ("collapse_md_recovery", recovery_prose(p)), ("collapse_md_cost", cost_prose(p)),
                          ("collapse_md_swings", swings_prose(p))):
        glue_markdown(key, markdown)
    _drop_plain_duplicates(page)
    page.publish()


def _number(page: Page, p: PageMeasures, key: str, value: float, period, metric: str, unit: str | None = None,
            basis: str = "") -> None:
    """Glue a number of the page's series (its unit unless told) and record it with its key."""
    page.glue(key, value, str(period), p.partner, p.product, metric, unit or p.measures.unit, basis)


def _glue_words(page: Page, p: PageMeasures) -> None:
    glue_text("collapse_product_words", p.product_name[0].lower() + p.product_name[1:])
    glue_text("collapse_control_words", date_words(p.control_date))
    glue_text("collapse_control_month", month_words(p.control))
    glue_text("collapse_start_words", month_words(p.first))
    glue_text("collapse_end_words", month_words(p.last))
    glue_text("collapse_seasonal_words", listing(MONTH_NAMES[k - 1] for k in p.seasonal_months))
    _number(page, p, "collapse_floor", p.floor, p.window, "parameter", p.measures.unit,
            "floor: a change on a smaller base is not meaningful")


def _glue_series(page: Page, p: PageMeasures) -> None:
    """Every figure's level and changes (metrics.csv only), and how many months have a figure."""
    m, unit = p.measures, p.measures.unit
    for r, mom, yoy in zip(m.periods.itertuples(), m.mom, m.yoy):
        page.add(r.period, p.partner, p.product, "level", r.value, unit)
        if mom.shown:
            page.add(r.period, p.partner, p.product, "mom_pct", mom.pct, "%")
        if yoy.shown:
            page.add(r.period, p.partner, p.product, "yoy_pct", yoy.pct, "%")
    n_known, n_derived, n_window = months_with_figure(m.series)
    _number(page, p, "collapse_n_known", n_known, p.window, "count", "months", "months with a figure of their own")
    _number(page, p, "collapse_n_derived", n_derived, p.window, "count", "months", "derived months")
    _number(page, p, "collapse_n_window", n_window, p.window, "count", "months", "months in the window")


def _glue_low(page: Page, p: PageMeasures) -> None:
    """The low, the falls into it and the month after it."""
    m, low, values = p.measures, p.measures.low, p.measures.series["value"]
    if low.month is not None:
        glue_text("collapse_low_words", month_words(low.month))
        glue_text("collapse_low_unknown", listing(month_words(k) for k in low.unknown))
        glue_text("collapse_low_after_words", month_words(low.month + 1))
        _number(page, p, "collapse_low_level", low.value, low.month, "level")
        _number(page, p, "collapse_low_n_unknown", len(low.unknown), period_label(str(p.control), str(low.month + 1)),
                "count", "months", "months without a figure around the low")
        if np.isfinite(m.changes.get(low.month, np.nan)) and np.isfinite(values.get(low.month - 12, np.nan)):
            glue_text("collapse_low_ago_words", month_words(low.month - 12))
            _number(page, p, "collapse_low_ago_level", values[low.month - 12], low.month - 12, "level")
            _number(page, p, "collapse_low_yoy", change_pct(low.value, values[low.month - 12]), low.month, "yoy_pct", "%")
    for k in m.falls:
        glue_text(f"collapse_words_{month_key(k)}", month_words(k))
        if m.mom_at(k).shown:
            _number(page, p, f"collapse_mom_{month_key(k)}", m.mom_at(k).pct, k, "mom_pct", "%")
    if m.rebound is not None:
        glue_text("collapse_rebound_words", month_words(m.rebound))
        _number(page, p, "collapse_rebound_level", values[m.rebound], m.rebound, "level")
        if m.mom_at(m.rebound).shown:
            _number(page, p, "collapse_rebound_mom", m.mom_at(m.rebound).pct, m.rebound, "mom_pct", "%")


def _glue_window(page: Page, p: PageMeasures, window: str) -> None:
    """A baseline window: its name, reason and coverage, and where figures cover all of it, the
    level, the depth of the low, the recovery, the newest figure and the cost against it."""
    m, a, k = p.measures, p.measures.against[window], WINDOW_KEYS[window]
    basis = f"baseline {a.label}"
    glue_text(k.name, a.window.name)
    glue_text(k.reason, a.window.reason)
    glue_text(k.words, period_in_words(a.label))
    glue_text(k.method, f"the reported {period_in_words(a.base.periods[0])} total spread over its months"
              if len(a.base.periods) == 1 and a.base.months_in_window > 1 else "the mean of the figures that cover its months")
    _number(page, p, k.with_data, a.base.months_with_data, a.label, "count", "months", basis + ": months with a figure")
    _number(page, p, k.months, a.base.months_in_window, a.label, "count", "months", basis + ": months in the window")
    if not a.ok:
        return
    _number(page, p, k.mean, a.base.mean, a.label, "baseline_mean", m.unit, basis)
    for r in m.periods.itertuples():
        page.add(r.period, p.partner, p.product, "index", r.monthly / a.base.mean * 100, "index", basis)
    if m.low.month is not None:
        _number(page, p, k.low_index, a.low_index, m.low.month, "index", "index", basis)
        _number(page, p, k.fall_pct, 100 - a.low_index, m.low.month, "fall_pct", "%", basis)
    rec = a.recovery
    if rec.regained is not None:
        held = period_label(str(rec.regained), str(m.newest))
        glue_text(k.regained_words, month_words(rec.regained))
        glue_text(k.regain_unknown, listing(month_words(u) for u in rec.unknown_before))
        _number(page, p, k.regain_months, rec.months, rec.regained, "months_to_regain", "months", basis)
        _number(page, p, k.held, rec.held, held, "count", "months", basis + ": months at or above")
        _number(page, p, k.since, rec.with_figure, held, "count", "months", basis + ": months with a figure")
    if m.newest is not None:
        _number(page, p, k.newest_index, a.newest_index, m.newest_period, "index", "index", basis)
    if a.cf is not None:
        _number(page, p, k.level, a.cf.level, a.label, "baseline_mean", m.unit, basis + ", seasonally adjusted")
        for r in m.periods[m.periods["first_month"] >= p.control].itertuples():
            page.add(r.period, p.partner, p.product, "counterfactual", a.cf.expected(r.first_month, r.last_month),
                     m.unit, basis)
        for key, s, what in ((k.shortfall_recovery, a.to_recovery, "to the recovery month"),
                             (k.shortfall_newest, a.to_newest, "to the newest figure")):
            if s is not None:
                _number(page, p, key, s.tonnes, s.period, "shortfall", m.unit, f"{basis}: {what}")


def _glue_baselines(page: Page, p: PageMeasures) -> None:
    """The third baseline a reader meets: both windows taken together."""
    t = p.measures.together
    if t is not None and t.complete:
        glue_text("collapse_together_words", period_in_words(t.window))
        _number(page, p, "collapse_together_mean", t.mean, period_label(t.start, t.end), "baseline_mean", p.measures.unit,
                f"baseline {period_label(t.start, t.end)}")


def _glue_newest(page: Page, p: PageMeasures) -> None:
    """The newest figure against a year before, the newest multi-month total, the year so far and
    the last full calendar year against the one before."""
    m = p.measures
    if m.newest is None:
        return
    glue_text("collapse_newest_words", period_in_words(m.newest_period))
    _number(page, p, "collapse_newest_level", m.periods.iloc[-1]["value"], m.newest_period, "level")
    glue_text("collapse_month_ago_words", month_words(m.newest - 12))
    if m.ago is not None:
        single = m.ago.before_period == str(m.newest - 12)
        glue_text("collapse_ago_words", period_in_words(m.ago.before_period))
        glue_text("collapse_ago_now_words", period_in_words(m.ago.now_period))
        glue_text("collapse_ago_status", m.ago.status)
        _number(page, p, "collapse_ago_before", m.ago.before, m.ago.before_period, "level", m.unit, "year before")
        _number(page, p, "collapse_ago_now", m.ago.now, m.ago.now_period, "level", m.unit, "same months a year later")
        _number(page, p, "collapse_ago_change", m.ago.change_pct, m.ago.now_period, "yoy_pct" if single else "change_pct",
                "%", "" if single else f"{m.ago.now_period} against {m.ago.before_period}")
    spans = [(r, y) for r, y in zip(m.periods.itertuples(), m.yoy) if r.n_months > 1 and r.first_month >= p.control]
    if spans:
        row, yoy = spans[-1]
        before = period_label(str(row.first_month - 12), str(row.last_month - 12))
        glue_text("collapse_span_words", period_in_words(row.period))
        glue_text("collapse_span_ago_words", period_in_words(before))
        _number(page, p, "collapse_span_months", row.n_months, row.period, "count", "months", "months of the total")
        _number(page, p, "collapse_span_level", row.value, row.period, "level", m.unit, "published as one figure")
        _number(page, p, "collapse_span_monthly", row.monthly, row.period, "window_mean", m.unit, "monthly mean of the total")
        if yoy.shown:
            _number(page, p, "collapse_span_before", yoy.base, before, "level", m.unit, "same months a year before")
            _number(page, p, "collapse_span_yoy", yoy.pct, row.period, "yoy_pct", "%")
    if m.ytd is not None:
        glue_text("collapse_ytd_words", period_in_words(m.ytd.period))
        glue_text("collapse_ytd_before_words", period_in_words(m.ytd.before_period))
        _number(page, p, "collapse_ytd_now", m.ytd.now, m.ytd.period, "level", m.unit, "year so far")
        _number(page, p, "collapse_ytd_before", m.ytd.change.base, m.ytd.before_period, "level", m.unit,
                "same months a year before")
        if m.ytd.change.shown:
            _number(page, p, "collapse_ytd_change", m.ytd.change.pct, m.ytd.period, "change_pct", "%",
                    f"{m.ytd.period} against {m.ytd.before_period}")
    glue_text("collapse_year", str(m.year))
    glue_text("collapse_prev_year", str(m.year - 1))
    _number(page, p, "collapse_year_total", m.year_total, m.year, "level", m.unit, "annual total")
    _number(page, p, "collapse_prev_total", m.prev_total, m.year - 1, "level", m.unit, "annual total")
    _number(page, p, "collapse_year_change", change_pct(m.year_total, m.prev_total), m.year, "yoy_pct", "%",
            "annual total")


def _glue_cost(page: Page, p: PageMeasures) -> None:
    """The seasonal pattern and the shortfall's range over the baselines."""
    m, pattern = p.measures, p.measures.pattern
    if pattern is not None:
        label = pattern.window.period if pattern.window.start[:4] != pattern.window.end[:4] else pattern.window.start[:4]
        glue_text("collapse_pattern_words", pattern.window.name)
        glue_text("collapse_pattern_joint_words", "; ".join(months_in_words(b.months) for b in pattern.blocks
                                                            if len(b.months) > 1))
        _number(page, p, "collapse_pattern_blocks", len(pattern.blocks), label, "count", "blocks",
                "parts of the year its figures fix")
        for b in pattern.blocks:
            page.add(label, p.partner, p.product, "seasonal_factor", pattern.factor(b.months[0]), "ratio",
                     f"pattern {pattern.window.name}: {months_in_words(b.months)}")
        low = min(pattern.blocks, key=lambda b: b.per_month)
        high = max(pattern.blocks, key=lambda b: b.per_month)
        glue_text("collapse_pattern_low_words", months_in_words(low.months))
        glue_text("collapse_pattern_high_words", months_in_words(high.months))
        _number(page, p, "collapse_pattern_low_pct", low.per_month / pattern.mean * 100, label, "index", "index",
                f"pattern {pattern.window.name}: {months_in_words(low.months)}, average month = 100")
        _number(page, p, "collapse_pattern_high_pct", high.per_month / pattern.mean * 100, label, "index", "index",
                f"pattern {pattern.window.name}: {months_in_words(high.months)}, average month = 100")
    windows = costed(p)
    newest = [a for a in windows if a.to_newest is not None and np.isfinite(a.to_newest.tonnes)]
    if newest:
        low, high = min(newest, key=lambda a: a.to_newest.tonnes), max(newest, key=lambda a: a.to_newest.tonnes)
        glue_text("collapse_shortfall_low_words", low.window.name)
        glue_text("collapse_shortfall_high_words", high.window.name)
        _number(page, p, "collapse_shortfall_t_low", low.to_newest.tonnes, low.to_newest.period, "shortfall", m.unit,
                "to the newest figure: low of the baselines")
        _number(page, p, "collapse_shortfall_t_high", high.to_newest.tonnes, high.to_newest.period, "shortfall", m.unit,
                "to the newest figure: high of the baselines")
    regained = [a for a in windows if a.to_recovery is not None and np.isfinite(a.to_recovery.tonnes)]
    if regained:
        low, high = min(regained, key=lambda a: a.to_recovery.tonnes), max(regained, key=lambda a: a.to_recovery.tonnes)
        glue_text("collapse_shortfall_recovery_words",
                  listing(month_words(k) for k in sorted({a.recovery.regained for a in regained})))
        _number(page, p, "collapse_shortfall_recovery_t_low", low.to_recovery.tonnes, low.to_recovery.period,
                "shortfall", m.unit, "to the recovery month: low of the baselines")
        _number(page, p, "collapse_shortfall_recovery_t_high", high.to_recovery.tonnes, high.to_recovery.period,
                "shortfall", m.unit, "to the recovery month: high of the baselines")


def _glue_swings(page: Page, p: PageMeasures) -> None:
    """Ordinary month-to-month swings before the controls, and the z-score of the largest fall."""
    m, basis = p.measures, "changes before the controls, seasonal months left out"
    _number(page, p, "collapse_swing_n", m.swing.n, p.before_window, "count", "changes", basis)
    _number(page, p, "collapse_swing_min", m.swing.min, p.before_window, "mom_pct", "%", basis + ": smallest")
    _number(page, p, "collapse_swing_max", m.swing.max, p.before_window, "mom_pct", "%", basis + ": largest")
    _number(page, p, "collapse_swing_sd", m.swing.std, p.before_window, "swing_sd", "percentage points", basis)
    if m.worst is not None:
        worst = m.mom_at(m.worst).pct
        glue_text("collapse_worst_words", month_words(m.worst))
        _number(page, p, "collapse_worst_mom", worst, m.worst, "mom_pct", "%")
        _number(page, p, "collapse_z", m.swing.z(worst), m.worst, "z_score", "standard deviations", basis)


def _glue_release(page: Page, p: PageMeasures) -> None:
    """When the month after the newest is expected (the home page's stamp)."""
    r = p.release
    if r is None:
        return
    glue_text("collapse_release_month_words", month_words(r.month))
    glue_text("collapse_release_date_words", date_words(r.expected.strftime("%Y-%m-%d")) if r.expected is not None
              else "when customs publish it (no past release date is known)")
    glue_text("collapse_release_date_iso", r.expected.strftime("%Y-%m-%d") if r.expected is not None else "")
    _number(page, p, "collapse_release_n", r.releases, p.window, "count", "releases",
            "past releases the usual day rests on")


def _drop_plain_duplicates(page: Page) -> None:
    """A glued figure replaces the plain row of the same figure, so metrics.csv lists each once."""
    glued = {(r["period"], r["partner"], r["metric"], r["basis"]) for r in page.rows if r["glue_key"]}
    page.rows = [r for r in page.rows if r["glue_key"] or (r["period"], r["partner"], r["metric"], r["basis"]) not in glued]
