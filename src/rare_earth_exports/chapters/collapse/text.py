"""The collapse chapter's sentences, and the numbers and words they glue.

Each sentence function takes a page's `PageMeasures` and returns Markdown in which every number
and every word from the data is a `{glue:text}` reference, and says what the data cannot show
where a gap prevents an answer. `glue_page` glues each of those values, records each number as a
row of metrics.csv carrying its key, and glues the page's prose blocks (`cr_md_*`).

Keys are spelled in full except where the data decides them: one per month from the control
month to the low, `cr_mom_YYYY_MM` (month-on-month change) and `cr_words_YYYY_MM` (the month in
words), and on the world page two per destination with figures before the controls,
`cr_dest_<partner>_share_before` and `cr_dest_<partner>_share_after`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.periods import MONTH_NAMES, period_in_words
from ...core.words import date_words, listing, month_words
from ...present.page import Page, glue_text
from .measures import PageMeasures, change_pct, months_with_figure, period_label


@dataclass(frozen=True)
class WindowKeys:
    """The glue keys of one baseline window (see `depth_sentence`, `regain_sentence`)."""

    words: str
    method: str
    with_data: str
    months: str
    mean: str
    low_index: str
    fall_pct: str
    regained_words: str
    regain_unknown: str
    regain_months: str
    held: str
    since: str
    newest_index: str


# One set of keys per window of the `windows` the page is measured against.
WINDOW_KEYS = {
    "base": WindowKeys(
        words="cr_base_words", method="cr_base_method", with_data="cr_base_with_data", months="cr_base_months",
        mean="cr_base_mean", low_index="cr_base_low_index", fall_pct="cr_base_fall_pct",
        regained_words="cr_base_regained_words", regain_unknown="cr_base_regain_unknown",
        regain_months="cr_base_regain_months", held="cr_base_held", since="cr_base_since",
        newest_index="cr_base_newest_index"),
    "alt": WindowKeys(
        words="cr_alt_words", method="cr_alt_method", with_data="cr_alt_with_data", months="cr_alt_months",
        mean="cr_alt_mean", low_index="cr_alt_low_index", fall_pct="cr_alt_fall_pct",
        regained_words="cr_alt_regained_words", regain_unknown="cr_alt_regain_unknown",
        regain_months="cr_alt_regain_months", held="cr_alt_held", since="cr_alt_since",
        newest_index="cr_alt_newest_index"),
}


@dataclass(frozen=True)
class SwingKeys:
    """The glue keys of one set of ordinary month-on-month swings (see `swing_sentence`)."""

    n: str
    min: str
    max: str
    sd: str


SWING_ALL = SwingKeys(n="cr_swing_all_n", min="cr_swing_all_min", max="cr_swing_all_max", sd="cr_swing_all_sd")
SWING_ORD = SwingKeys(n="cr_swing_ord_n", min="cr_swing_ord_min", max="cr_swing_ord_max", sd="cr_swing_ord_sd")


def month_key(month: pd.Period) -> str:
    """'2025_04': the part of a per-month key (`cr_mom_2025_04`) that names the month."""
    return f"{month.year}_{month.month:02d}"


def num(key: str, fmt: str = ",.0f") -> str:
    """A reference to a glued number, shown with `fmt`."""
    return f"{{glue:text}}`{key}:{fmt}`"


def txt(key: str) -> str:
    """A reference to a glued text."""
    return f"{{glue:text}}`{key}`"


# --- the sentences ------------------------------------------------------------------------------

def low_sentence(p: PageMeasures) -> str:
    """The lowest month after the controls, and whether missing months leave the trough open."""
    low, unit = p.measures.low, p.measures.unit
    if low.month is None:
        return (f"No month from {txt('cr_control_month')} to {txt('cr_end_words')} has a figure for {txt('cr_name')}, "
                f"so the page can say nothing about the fall or the recovery.")
    if low.pinned:
        return (f"Exports bottomed out in {txt('cr_low_words')} at {num('cr_low_level')} {unit}. Every month from "
                f"{txt('cr_control_month')} to {txt('cr_low_after_words')} has a figure, so this is the trough.")
    missing = (f"{txt('cr_low_unknown')} has no figure" if len(low.unknown) == 1 else
               f"{num('cr_low_n_unknown')} of the months from {txt('cr_control_month')} to {txt('cr_low_after_words')} "
               f"have no figure")
    return (f"The lowest reported month after the controls is {txt('cr_low_words')}, at {num('cr_low_level')} {unit}, "
            f"but {missing}, so the trough may have been deeper or at another time.")


def falls_sentence(p: PageMeasures) -> str:
    """The month-on-month changes into the low and out of it, and the low against a year before."""
    m = p.measures
    if m.low.month is None:
        return ""
    if not m.has_before:
        return (f"No month before the controls has a figure for {txt('cr_name')}: the fall itself is not in the "
                f"data, only the level after it.")
    if not m.falls:
        return (f"No month-on-month change can be computed from {txt('cr_control_month')} to the low: a month next "
                f"to each of them has no figure.")
    steps = listing(f"{num(f'cr_mom_{month_key(k)}', '+.1f')} % in {txt(f'cr_words_{month_key(k)}')}" for k in m.falls)
    text = f"Month on month, exports changed by {steps}"
    if m.rebound is not None:
        text += f", then by {num('cr_rebound_mom', '+.1f')} % in {txt('cr_rebound_words')}"
    text += "."
    if np.isfinite(m.yoy.get(m.low.month, np.nan)):
        text += (f" Against {txt('cr_low_ago_words')} ({num('cr_low_ago_level')} {m.unit}), the low was a change of "
                 f"{num('cr_low_yoy', '+.1f')} %.")
    return text


def depth_sentence(p: PageMeasures, window: str) -> str:
    """The baseline of `window` ('base' or 'alt') and how far below it the low was, or why the
    window cannot serve as a baseline."""
    a, k, unit = p.measures.against[window], WINDOW_KEYS[window], p.measures.unit
    if not a.ok:
        return (f"{txt(k.words)} cannot serve as a baseline here: figures cover "
                f"{num(k.with_data)} of its {num(k.months)} months, and the book sets a baseline "
                f"only where figures cover every month.")
    text = f"Against the {txt(k.words)} monthly mean of {num(k.mean)} {unit} ({txt(k.method)})"
    if p.measures.low.month is None:
        return text + "."
    return (text + f", exports in {txt('cr_low_words')} were {num(k.low_index, '.1f')} % of that level: "
            f"a fall of {num(k.fall_pct, '.1f')} %.")


def regain_sentence(p: PageMeasures, window: str) -> str:
    """When exports got back to the level of `window` after the low, whether a gap may hide an
    earlier month, how many months held it, and the newest month against it."""
    a, k = p.measures.against[window], WINDOW_KEYS[window]
    if not a.ok or p.measures.low.month is None:
        return ""
    rec = a.recovery
    if rec.regained is None:
        text = f"By {txt('cr_newest_words')} exports had not regained the {txt(k.words)} level"
    else:
        text = (f"Exports regained the {txt(k.words)} level in {txt(k.regained_words)}, "
                f"{num(k.regain_months)} months after the low")
        if not rec.exact:
            text += f" (but {txt(k.regain_unknown)} had no figure, so it may have been earlier)"
        text += (f"; in {num(k.held)} of the {num(k.since)} months with a figure from then on "
                 f"they were at or above it")
    return text + f". In {txt('cr_newest_words')} they stood at {num(k.newest_index, '.1f')} % of it."


def ago_sentence(p: PageMeasures) -> str:
    """The newest month against the same month a year before, or against the short total that
    holds it when that month was not published on its own."""
    m = p.measures
    if m.newest is None:
        return ""
    if m.ago is None:
        return (f"No figure covers {txt('cr_month_ago_words')} on its own or in a short total, so "
                f"{txt('cr_newest_words')} cannot be set against the same month a year before.")
    if m.ago.before_period == str(m.newest - 12):
        return (f"Against {txt('cr_ago_words')} ({num('cr_ago_before')} {m.unit}), exports in {txt('cr_newest_words')} "
                f"({num('cr_newest_level')} {m.unit}) changed by {num('cr_ago_change', '+.1f')} %.")
    return (f"{txt('cr_month_ago_words')} was not published on its own, only within {txt('cr_ago_words')} "
            f"({num('cr_ago_before')} {m.unit}, {txt('cr_ago_status')}); the same months a year later, "
            f"{txt('cr_ago_now_words')}, came to {num('cr_ago_now')} {m.unit}, a change of {num('cr_ago_change', '+.1f')} %.")


def year_sentence(p: PageMeasures) -> str:
    """The calendar year of the newest month against the year before, where figures cover them."""
    m = p.measures
    if m.newest is None:
        return ""
    if np.isfinite(m.year_total) and np.isfinite(m.prev_total):
        return (f"Over {txt('cr_year')} as a whole exports came to {num('cr_year_total')} {m.unit}, a change of "
                f"{num('cr_year_change', '+.1f')} % against {txt('cr_prev_year')} ({num('cr_prev_total')} {m.unit}).")
    if np.isfinite(m.year_total):
        return (f"Over {txt('cr_year')} as a whole exports came to {num('cr_year_total')} {m.unit}; no total for "
                f"{txt('cr_prev_year')} is known, so the year cannot be compared with the one before.")
    return (f"The figures do not cover every month of {txt('cr_year')}, so no annual total is computed and the "
            f"year cannot be compared with the one before.")


def share_sentence(p: PageMeasures) -> str:
    """A destination's share of China's exports before the controls and from them on (destination
    pages only)."""
    m = p.measures
    if p.world:
        return ""
    if m.share_before[1]:
        text = (f"Before the controls {txt('cr_name')} took {num('cr_share_before', '.1f')} % of China's exports of "
                f"these goods (pooled over the {num('cr_share_n_before')} months with figures for both)")
    else:
        text = (f"No month before the controls has a figure for {txt('cr_name')}, so its share of China's exports "
                f"before them is unknown")
    if m.share_after[1]:
        text += (f"; from {txt('cr_control_month')} on it took {num('cr_share_after', '.1f')} % "
                 f"(pooled over {num('cr_share_n_after')} months)")
    if m.newest is not None:
        text += f", and {num('cr_share_newest', '.1f')} % in {txt('cr_newest_words')}"
    return text + "."


def swing_sentence(p: PageMeasures) -> str:
    """How large ordinary month-on-month swings were before the controls, with and without the
    seasonal months, and how unusual the largest fall after them was."""
    m = p.measures
    if m.swing_all.n == 0:
        return (f"No month-on-month change can be computed before the controls for {txt('cr_name')}, so there is no "
                f"yardstick for how unusual the later changes were.")
    text = (f"Before the controls, {num(SWING_ALL.n)} month-on-month changes can be computed; they ranged from "
            f"{num(SWING_ALL.min, '+.1f')} % to {num(SWING_ALL.max, '+.1f')} %.")
    if m.swing.n < 2:
        return text + (f" Leaving out changes into or out of {txt('cr_lunar_words')}, {num(SWING_ORD.n)} remain: "
                       f"too few to say how large an ordinary swing is.")
    text += (f" Leaving out changes into or out of {txt('cr_lunar_words')}, {num(SWING_ORD.n)} remain, between "
             f"{num(SWING_ORD.min, '+.1f')} % and {num(SWING_ORD.max, '+.1f')} %, with a standard deviation "
             f"of {num(SWING_ORD.sd, '.1f')} percentage points.")
    if m.worst is not None:
        text += (f" Measured against them, the largest monthly fall after the controls, "
                 f"{num('cr_worst_mom', '+.1f')} % in {txt('cr_worst_words')}, has a z-score of {num('cr_z_ord', '.1f')} "
                 f"(its distance from their mean in standard deviations); measured against all changes, holiday "
                 f"months included, its z-score is {num('cr_z_all', '.1f')}. With so few ordinary changes the "
                 f"yardstick is thin: the two values bracket how unusual the fall was.")
    return text


def destinations_sentence(p: PageMeasures) -> str:
    """On the world page, which destinations have a page and how their shares moved, and how to
    read the table and the small multiples; on a destination page, a link back."""
    if not p.world:
        return "{doc}`The chapter page </book/collapse>` sets this destination beside every other one with a page."
    links = listing(f"{{doc}}`{p.names[d]} </book/destinations/{d}>`" for d in p.destinations)
    text = (f"{num('cr_n_destinations')} destinations have at least {num('cr_min_months')} monthly figures since "
            f"{txt('cr_since_words')} and so a page of their own: {links}.")
    known = p.by_destination[p.by_destination["months_before"] > 0]
    if len(known):
        moves = listing(f"{p.names[d]} from {num(f'cr_dest_{d}_share_before', '.1f')} % before them to "
                        f"{num(f'cr_dest_{d}_share_after', '.1f')} % from {txt('cr_control_month')} on"
                        for d in known["partner"])
        text += (f" A share of China's exports before and after the controls can be compared only where a "
                 f"destination has figures from before them: {moves}.")
    return text + (" The other series start after the controls: their pages show the level and share since then, "
                   "and say plainly that the fall itself is not in the data.\n\nIn the table, *trough pinned* says "
                   f"whether every month from {txt('cr_control_month')} to the month after the low has a figure; where "
                   "it does not, the lowest reported month need not be the trough. Shares pool the months in which "
                   "both the destination and the world total have a figure, before the controls and from "
                   f"{txt('cr_control_month')} on. In the chart below the table each panel has its own scale, so "
                   f"compare shapes, not heights; the dashed rule marks {txt('cr_control_month')}.")


# --- the page's blocks of prose -------------------------------------------------------------------

def paragraphs(*texts: str) -> str:
    """Non-empty texts as Markdown paragraphs."""
    return "\n\n".join(t for t in texts if t)


def findings(p: PageMeasures) -> str:
    """The overview's bullet list: the low, the depth and recovery against the baseline, the year
    before, and the year (world page) or the share (destination page)."""
    bullets = [low_sentence(p), "" if p.measures.has_before else falls_sentence(p), depth_sentence(p, "base"),
               regain_sentence(p, "base"), ago_sentence(p), year_sentence(p) if p.world else share_sentence(p)]
    return paragraphs("\n".join(f"- {b}" for b in bullets if b))


def compared_windows(p: PageMeasures) -> list[str]:
    """The baseline and the alternative, unless the alternative is the same window."""
    return [w for w, a in p.measures.against.items() if w == "base" or a.label != p.measures.against["base"].label]


def collapse_prose(p: PageMeasures) -> str:
    return paragraphs(low_sentence(p), falls_sentence(p), *(depth_sentence(p, w) for w in compared_windows(p)))


def recovery_prose(p: PageMeasures) -> str:
    return paragraphs(*(regain_sentence(p, w) for w in compared_windows(p)), ago_sentence(p), year_sentence(p))


def destinations_prose(p: PageMeasures) -> str:
    return paragraphs(share_sentence(p), destinations_sentence(p))


def swings_prose(p: PageMeasures) -> str:
    return paragraphs(swing_sentence(p))


# --- gluing: every value the sentences refer to, each number with its metrics row ------------------

def glue_page(p: PageMeasures, page: Page) -> None:
    """Glue every value the page's prose refers to, and the prose itself; record every number,
    and every month's level and changes, in the page's metrics and publish them for metrics.csv."""
    _glue_words(p)
    _glue_series(page, p)
    _glue_low(page, p)
    for window in p.measures.against:
        _glue_window(page, p, window)
    _glue_year_ago(page, p)
    _glue_shares(page, p)
    _glue_swings(page, p)
    _glue_destinations(page, p)
    _glue_prose(p)
    _drop_plain_duplicates(page)
    page.publish()


def _number(page: Page, p: PageMeasures, key: str, value: float, period, metric: str, unit: str | None = None,
            basis: str = "", partner: str | None = None) -> None:
    """Glue a number of the page's series (its unit unless told) and record it with its key."""
    page.glue(key, value, str(period), partner or p.partner, p.product, metric, unit or p.measures.unit, basis)


def _glue_words(p: PageMeasures) -> None:
    glue_text("cr_title", "The export collapse and recovery" if p.world else p.name)
    glue_text("cr_name", "all destinations together" if p.world else p.name)
    glue_text("cr_scope", "for all destinations together" if p.world else f"for one destination: {p.name}")
    glue_text("cr_product_words", p.product_name[0].lower() + p.product_name[1:])
    glue_text("cr_control_words", date_words(p.control_date))
    glue_text("cr_control_month", month_words(p.control))
    glue_text("cr_start_words", month_words(p.first))
    glue_text("cr_end_words", month_words(p.last))
    glue_text("cr_lunar_words", listing(MONTH_NAMES[k - 1] for k in p.lunar_months))


def _glue_series(page: Page, p: PageMeasures) -> None:
    """Every month's level and changes (metrics.csv only), and how many months have a figure."""
    m, unit = p.measures, p.measures.unit
    page.add_series(m.series["value"], p.partner, p.product, "level", unit)
    page.add_series(m.changes, p.partner, p.product, "mom_pct", "%")
    page.add_series(m.yoy, p.partner, p.product, "yoy_pct", "%")
    if not p.world:
        page.add_series(m.shares, p.partner, p.product, "share_pct", "%", "share of WLD")
    n_known, n_derived, n_window = months_with_figure(m.series)
    _number(page, p, "cr_n_known", n_known, p.window, "count", "months", "months with a figure")
    _number(page, p, "cr_n_derived", n_derived, p.window, "count", "months", "derived months")
    _number(page, p, "cr_n_window", n_window, p.window, "count", "months", "months in the window")


def _glue_low(page: Page, p: PageMeasures) -> None:
    """The low, the falls into it, the month after it and the newest month."""
    m, low, values = p.measures, p.measures.low, p.measures.series["value"]
    if low.month is not None:
        glue_text("cr_low_words", month_words(low.month))
        glue_text("cr_low_unknown", listing(month_words(k) for k in low.unknown))
        glue_text("cr_low_after_words", month_words(low.month + 1))
        _number(page, p, "cr_low_level", low.value, low.month, "level")
        _number(page, p, "cr_low_n_unknown", len(low.unknown), period_label(str(p.control), str(low.month + 1)),
                "count", "months", "months without a figure around the low")
        if np.isfinite(m.yoy.get(low.month, np.nan)):
            glue_text("cr_low_ago_words", month_words(low.month - 12))
            _number(page, p, "cr_low_ago_level", values[low.month - 12], low.month - 12, "level")
            _number(page, p, "cr_low_yoy", m.yoy[low.month], low.month, "yoy_pct", "%")
    for k in m.falls:
        glue_text(f"cr_words_{month_key(k)}", month_words(k))
        _number(page, p, f"cr_mom_{month_key(k)}", m.changes[k], k, "mom_pct", "%")
    if m.rebound is not None:
        glue_text("cr_rebound_words", month_words(m.rebound))
        _number(page, p, "cr_rebound_mom", m.changes[m.rebound], m.rebound, "mom_pct", "%")
    if m.newest is not None:
        glue_text("cr_newest_words", month_words(m.newest))
        _number(page, p, "cr_newest_level", values[m.newest], m.newest, "level")


def _glue_window(page: Page, p: PageMeasures, window: str) -> None:
    """A baseline window: what it covers, and where figures cover all of it, the level, the
    depth of the low, the recovery and the newest month against it."""
    m, a, k = p.measures, p.measures.against[window], WINDOW_KEYS[window]
    basis = f"baseline {a.label}"
    glue_text(k.words, period_in_words(a.label))
    glue_text(k.method, f"the reported {period_in_words(a.base.periods[0])} total spread over its months"
              if len(a.base.periods) == 1 and a.base.months_in_window > 1 else "the mean of the figures that cover its months")
    _number(page, p, k.with_data, a.base.months_with_data, a.label, "count", "months", basis + ": months with a figure")
    _number(page, p, k.months, a.base.months_in_window, a.label, "count", "months", basis + ": months in the window")
    if not a.ok:
        return
    _number(page, p, k.mean, a.base.mean, a.label, "baseline_mean", m.unit, basis)
    page.add_series(a.index, p.partner, p.product, "index", "index", basis)
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
        _number(page, p, k.newest_index, a.newest_index, m.newest, "index", "index", basis)


def _glue_year_ago(page: Page, p: PageMeasures) -> None:
    """The newest month against a year before, and its calendar year against the one before."""
    m = p.measures
    if m.ago is not None:
        single = m.ago.before_period == str(m.newest - 12)
        glue_text("cr_ago_words", period_in_words(m.ago.before_period))
        glue_text("cr_ago_now_words", period_in_words(m.ago.now_period))
        glue_text("cr_ago_status", m.ago.status)
        _number(page, p, "cr_ago_before", m.ago.before, m.ago.before_period, "level", m.unit, "year before")
        _number(page, p, "cr_ago_now", m.ago.now, m.ago.now_period, "level", m.unit, "same months a year later")
        _number(page, p, "cr_ago_change", m.ago.change_pct, m.ago.now_period, "yoy_pct" if single else "change_pct", "%",
                "" if single else f"{m.ago.now_period} against {m.ago.before_period}")
    if m.newest is not None:
        glue_text("cr_month_ago_words", month_words(m.newest - 12))
        glue_text("cr_year", str(m.year))
        glue_text("cr_prev_year", str(m.year - 1))
        _number(page, p, "cr_year_total", m.year_total, m.year, "level", m.unit, "annual total")
        _number(page, p, "cr_prev_total", m.prev_total, m.year - 1, "level", m.unit, "annual total")
        _number(page, p, "cr_year_change", change_pct(m.year_total, m.prev_total), m.year, "yoy_pct", "%",
                "annual total")


def _glue_shares(page: Page, p: PageMeasures) -> None:
    """A destination's shares of China's total, pooled over the months where both have a figure."""
    m = p.measures
    if p.world:
        return
    _number(page, p, "cr_share_before", m.share_before[0], p.before_window, "share_pct", "%", "pooled before the control month")
    _number(page, p, "cr_share_n_before", m.share_before[1], p.before_window, "count", "months", "months in the share before")
    _number(page, p, "cr_share_after", m.share_after[0], p.after_window, "share_pct", "%", "pooled from the control month")
    _number(page, p, "cr_share_n_after", m.share_after[1], p.after_window, "count", "months", "months in the share after")
    if m.newest is not None:
        _number(page, p, "cr_share_newest", m.shares[m.newest], m.newest, "share_pct", "%", "share of WLD")


def _glue_swings(page: Page, p: PageMeasures) -> None:
    """Ordinary month-to-month swings before the controls, with and without the seasonal months,
    and the z-scores of the largest fall after them."""
    m = p.measures
    for k, s, basis in ((SWING_ALL, m.swing_all, "changes before the controls"),
                        (SWING_ORD, m.swing, "changes before the controls, lunar months left out")):
        _number(page, p, k.n, s.n, p.before_window, "count", "changes", basis)
        _number(page, p, k.min, s.min, p.before_window, "mom_pct", "%", basis + ": smallest")
        _number(page, p, k.max, s.max, p.before_window, "mom_pct", "%", basis + ": largest")
        _number(page, p, k.sd, s.std, p.before_window, "swing_sd", "percentage points", basis)
    if m.worst is not None:
        worst = m.changes[m.worst]
        glue_text("cr_worst_words", month_words(m.worst))
        _number(page, p, "cr_worst_mom", worst, m.worst, "mom_pct", "%")
        _number(page, p, "cr_z_all", m.swing_all.z(worst), m.worst, "z_score", "standard deviations",
                "against all changes before the controls")
        _number(page, p, "cr_z_ord", m.swing.z(worst), m.worst, "z_score", "standard deviations",
                "against changes before the controls, lunar months left out")


def _glue_destinations(page: Page, p: PageMeasures) -> None:
    """The destination rule of parameters.yml and, on the world page, each destination's shares."""
    rule_window = period_label(p.since, p.end)
    glue_text("cr_since_words", month_words(p.since))
    _number(page, p, "cr_n_destinations", len(p.destinations), rule_window, "count", "destinations", "destinations with a page")
    _number(page, p, "cr_min_months", p.min_months, rule_window, "count", "months", "rule: monthly figures needed for a page")
    for r in p.by_destination[p.by_destination["months_before"] > 0].itertuples():
        _number(page, p, f"cr_dest_{r.partner}_share_before", r.share_before, p.before_window, "share_pct", "%",
                "pooled before the control month", partner=r.partner)
        _number(page, p, f"cr_dest_{r.partner}_share_after", r.share_after, p.after_window, "share_pct", "%",
                "pooled from the control month", partner=r.partner)


def _glue_prose(p: PageMeasures) -> None:
    from IPython.display import Markdown
    from myst_nb import glue

    for key, markdown in (("cr_md_findings", findings(p)), ("cr_md_collapse", collapse_prose(p)),
                          ("cr_md_recovery", recovery_prose(p)), ("cr_md_destinations", destinations_prose(p)),
                          ("cr_md_swings", swings_prose(p))):
        glue(key, Markdown(markdown), display=False)


def _drop_plain_duplicates(page: Page) -> None:
    """A glued figure replaces the plain row of the same figure, so metrics.csv lists each once."""
    glued = {(r["period"], r["partner"], r["metric"], r["basis"]) for r in page.rows if r["glue_key"]}
    page.rows = [r for r in page.rows if r["glue_key"] or (r["period"], r["partner"], r["metric"], r["basis"]) not in glued]
