"""The destinations page's sentences, and the numbers and words they glue.

One function writes a destination's section (`section`), so every destination reads alike and
says what its own figures cannot show. Keys are data-driven: each carries the destination's
code, `dest_<code>_...` (`dest_USA_low_level`), and a figure of the newest year its period,
`dest_<code>_<period>_...` (`dest_USA_2026_01_2026_02_level`). The page's own keys are spelled in
full (`dest_n_destinations`, `dest_europe_pct`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.conventions import NOT_MEANINGFUL, Change
from ...core.periods import period_in_words
from ...core.series import Swing
from ...core.words import capitalised, date_words, listing, month_words, possessive
from ...present.page import Page, glue_markdown, glue_text
from ..collapse.measures import PageMeasures, period_label
from .measures import Destination, DestinationsPage


def num(key: str, fmt: str = ",.0f") -> str:
    """A reference to a glued number, shown with `fmt`."""
    return f"{{glue:text}}`{key}:{fmt}`"


def txt(key: str) -> str:
    """A reference to a glued text."""
    return f"{{glue:text}}`{key}`"


def key(d: Destination, name: str) -> str:
    """A destination's key: `dest_USA_low_level`."""
    return f"dest_{d.partner}_{name}"


def period_key(period: str) -> str:
    """'2026-01/2026-02' -> '2026_01_2026_02', the part of a key that names a figure's period."""
    return period.replace("-", "_").replace("/", "_")


def latest_rows(d: Destination) -> list:
    """The figures of the newest year so far (after the last full year), with their changes a
    year before: (row, yoy) pairs."""
    m = d.page.measures
    return [(r, y) for r, y in zip(m.periods.itertuples(), m.yoy) if r.first_month > m.after_end]


def change_words(c: Change, number: str, unit: str) -> str:
    """A change as a sentence says it: the number, or why there is none."""
    if c.shown:
        return number
    if c.reason == NOT_MEANINGFUL:
        return f"not meaningful (its base is under {num('dest_floor')} {unit})"
    return "not computable"


# --- a destination's section ----------------------------------------------------------------------

def low_sentence(d: Destination) -> str:
    """The lowest month after the controls, whether it is pinned, and the month after it."""
    m, unit = d.page.measures, d.page.measures.unit
    low = m.low
    if low.month is None:
        return f"No month from {txt('dest_control_month')} on has a figure of its own, so its fall and recovery are not in the data."
    if low.pinned:
        text = (f"Its exports bottomed out in {txt(key(d, 'low_words'))} at {num(key(d, 'low_level'))} {unit}; every "
                f"month from {txt('dest_control_month')} to {txt(key(d, 'low_after_words'))} has a figure.")
    else:
        missing = (f"{txt(key(d, 'low_unknown'))} {'has' if len(low.unknown) == 1 else 'have'} no figure"
                   if len(low.unknown) <= 2 else
                   f"{num(key(d, 'low_n_unknown'))} of the months from {txt('dest_control_month')} to "
                   f"{txt(key(d, 'low_after_words'))} have no figure")
        text = (f"Its lowest reported month after the controls is {txt(key(d, 'low_words'))} "
                f"({num(key(d, 'low_level'))} {unit}), but {missing}, so the trough may have been deeper or at another "
                f"time.")
    if m.rebound is not None and low.pinned:
        c = m.mom_at(m.rebound)
        text += f" In {txt(key(d, 'rebound_words'))} exports came back to {num(key(d, 'rebound_level'))} {unit}"
        text += (f", a change of {num(key(d, 'rebound_mom'), '+.1f')} %." if c.shown else
                 f"; the change on the month before is {change_words(c, '', unit)}.")
    return text


def baseline_sentence(d: Destination) -> str:
    """Its baseline window with its reason, the depth of the low and the recovery against it, or
    why it has none."""
    a = d.baseline
    unit = d.page.measures.unit
    if a is None:
        return (f"Its figures cover none of the book's baseline windows ({txt('dest_window_names')}), so the fall "
                f"itself is not in the data: this section shows its level and share since the controls.")
    text = (f"Its baseline is {txt(key(d, 'base_name'))} ({txt(key(d, 'base_reason'))}): "
            f"{num(key(d, 'base_mean'))} {unit} a month.")
    if d.page.measures.low.month is not None:
        text += (f" In {txt(key(d, 'low_words'))} its exports were {num(key(d, 'low_index'), '.1f')} % of that "
                 f"level.")
    rec = a.recovery
    if rec.regained is not None:
        text += (f" They regained it in {txt(key(d, 'regained_words'))}, and were at or above it in "
                 f"{num(key(d, 'held'))} of the {num(key(d, 'since'))} months published on their own from then on.")
    elif d.page.measures.low.month is not None:
        text += f" They had not regained it by {txt(key(d, 'newest_words'))}."
    return text + f" In {txt(key(d, 'newest_words'))} they stood at {num(key(d, 'newest_index'), '.1f')} % of it."


def cost_sentence(d: Destination) -> str:
    """The shortfall against the counterfactual from its baseline, where it has one."""
    a = d.baseline
    if a is None or a.cf is None:
        return ""
    unit = d.page.measures.unit
    if a.to_newest is None or not np.isfinite(a.to_newest.tonnes):
        return f"Months after the controls lack a figure, so its shortfall cannot be summed."
    text = (f"Against a counterfactual from {txt(key(d, 'base_name'))}, spread over the months by the seasonal pattern "
            f"of China's total in {txt('dest_pattern_words')} (a destination has none of its own), its exports fell "
            f"short by ")
    if a.to_recovery is not None and np.isfinite(a.to_recovery.tonnes):
        text += (f"{num(key(d, 'shortfall_recovery_t'))} {unit} from {txt('dest_control_month')} to "
                 f"{txt(key(d, 'regained_words'))} and by ")
    return text + (f"{num(key(d, 'shortfall_t'))} {unit} from {txt('dest_control_month')} to "
                   f"{txt(key(d, 'newest_words'))}, net of the months above it.")


def tariff_sentence(d: Destination) -> str:
    """The tariff moves that name it in the weeks of its fall: a second cause the figures cannot
    separate from the controls."""
    if not len(d.tariffs):
        return ""
    text = (f"The controls were not the only cause of its fall. In the same weeks tariffs rose on both sides: "
            f"{txt(key(d, 'tariff_words'))}")
    if len(d.truces):
        text += f"; then {txt(key(d, 'truce_words'))}"
    text += "."
    if d.baseline is not None:
        text += (f" Its baseline, {txt(key(d, 'base_name'))}, holds the months before them, when buyers may have "
                 f"brought orders forward.")
    return text + " The figures cannot tell how much of the fall each cause made."


def share_sentence(d: Destination) -> str:
    """Its share of China's total, pooled before the controls, after them to the end of the last
    full year, and in the newest year so far."""
    m = d.page.measures
    if m.share_before.figures:
        text = (f"Before the controls it took {num(key(d, 'share_before'), '.1f')} % of China's exports of these goods "
                f"({txt(key(d, 'share_before_words'))}, pooled over the figures both have)")
    else:
        text = "No figure before the controls gives its share of China's exports then"
    if m.share_after.figures:
        text += f"; over {txt('dest_after_words')}, {num(key(d, 'share_after'), '.1f')} %"
    if m.share_latest.figures:
        text += f"; over {txt(key(d, 'share_latest_words'))}, {num(key(d, 'share_latest'), '.1f')} %"
    return text + "."


def latest_sentence(d: Destination) -> str:
    """Its figures of the newest year, each against the same months a year before, and how low the
    newest one is."""
    m, unit = d.page.measures, d.page.measures.unit
    rows = latest_rows(d)
    if not rows:
        return (f"Its newest figure is for {txt(key(d, 'newest_words'))}: {num(key(d, 'newest_level'))} {unit}."
                if m.newest is not None else "")

    def one(r, y) -> str:
        k = key(d, period_key(r.period))
        what = f"{num(k + '_level')} {unit}" + (" (one figure for both months)" if r.n_months > 1 else "")
        if y.shown:
            return f"{txt(k + '_words')}, {what}, {num(k + '_yoy', '+.1f')} % on the same months a year before"
        if y.reason == NOT_MEANINGFUL:
            return f"{txt(k + '_words')}, {what}, a change on a year before that is not meaningful"
        return f"{txt(k + '_words')}, {what}"

    text = f"Its figures since: {'; '.join(one(r, y) for r, y in rows)}."
    if m.low_since.lower is not None and m.low_since.firm:
        text += (f" {capitalised(txt(key(d, 'newest_words')))} was its lowest month since "
                 f"{txt(key(d, 'low_since_words'))}: a low of {num(key(d, 'low_since_months'))} months.")
    return text


def apart_sentence(d: Destination, world_swing: Swing) -> str:
    """The month it fell most while China's total rose, and why one month cannot tell (by the
    ordinary swings of China's total, where there are enough of them)."""
    if d.apart is None:
        return ""
    text = (f"In {txt(key(d, 'apart_words'))} its exports changed by {num(key(d, 'apart_mom'), '+.1f')} % while "
            f"China's total rose by {num(key(d, 'apart_world_mom'), '+.1f')} %: of the months after the controls in "
            f"which it fell while the total rose, the one with the widest gap. One month cannot tell a change of "
            f"treatment from an ordinary swing")
    if world_swing.n < 2:
        return text + "."
    return text + (f": China's total itself moved by a standard deviation of {num('dest_swing_sd', '.1f')} percentage "
                   f"points from month to month before the controls, and a single destination moves more.")


def section(d: Destination, world_swing: Swing) -> str:
    """A destination's section: its fall, baseline, cost, other causes, share and newest figures."""
    return "\n\n".join(t for t in (low_sentence(d), baseline_sentence(d), cost_sentence(d), tariff_sentence(d),
                                   share_sentence(d), latest_sentence(d), apart_sentence(d, world_swing)) if t)


# --- the page ------------------------------------------------------------------------------------

def overview(pg: DestinationsPage) -> str:
    """Which destinations the page follows, by which rule, and those without a section."""
    text = (f"{num('dest_n_destinations')} destinations have at least {num('dest_min_months')} monthly figures of "
            f"their own since {txt('dest_since_words')}: {txt('dest_names')}. Only "
            f"{txt('dest_with_before_words')} has figures from before the controls, so only there can the fall itself "
            f"be measured; for the others the page shows the level and the share of China's total since.")
    if not any(d.page.measures.share_before.figures for d in pg.destinations):
        text = (f"{num('dest_n_destinations')} destinations have at least {num('dest_min_months')} monthly figures of "
                f"their own since {txt('dest_since_words')}: {txt('dest_names')}. None has figures from before the "
                f"controls, so the fall itself cannot be measured for any of them.")
    if pg.others:
        text += (f" {txt('dest_others_words')} {'qualifies' if len(pg.others) == 1 else 'qualify'} by the same rule "
                 f"but {'has' if len(pg.others) == 1 else 'have'} no section yet: see the table and the small multiples.")
    return text


def latest_prose(pg: DestinationsPage) -> str:
    """What changed in the newest year: the first section's share, and the wider group's share."""
    parts = []
    first = pg.destinations[0] if pg.destinations else None
    if first is not None and first.page.measures.share_latest.figures and first.page.measures.share_after.figures:
        m = first.page.measures
        falling = m.share_latest.pct < m.share_after.pct
        parts.append(
            f"{capitalised(possessive(first.words))} share of China's exports "
            f"{'fell again' if falling else 'did not fall further'} over {txt(key(first, 'share_latest_words'))}: "
            f"{num(key(first, 'share_latest'), '.1f')} %, against {num(key(first, 'share_after'), '.1f')} % over "
            f"{txt('dest_after_words')}" + (f" and {num(key(first, 'share_before'), '.1f')} % before the controls"
                                          if m.share_before.figures else "") + ".")
    e = pg.europe
    if e is not None:
        text = (f"The press reported that {txt('dest_europe_name')} took {num('dest_europe_pct', '.0f')} % of China's "
                f"exports in {txt('dest_europe_words')}. That share is for the group as reported, wider than "
                f"{txt('dest_eu_name')}, whose own share the book has only after the controls: over "
                f"{txt('dest_eu_words')}, {num('dest_eu_share', '.1f')} %, pooled over "
                f"{num('dest_eu_figures')} monthly figures.")
        if e.rise_at_most > 0:
            text += (f" The wider group's share then was at least that large, so its rise is at most "
                     f"{num('dest_europe_rise_max', '.1f')} percentage points, and the figures cannot say whether there "
                     f"was one.")
        else:
            text += (" Even the wider group's share is no larger than the narrower one's was: by these figures it did "
                     "not rise.")
        parts.append(text)
    return "\n\n".join(parts)


# --- the home page --------------------------------------------------------------------------------
# The home page cannot show Markdown glued on another page (myst-nb glues only text across pages),
# so what it says only when the figures exist is glued as text, its numbers written as the home page
# writes them ("8.7%"): with data that end in December no newer months exist, and the page still
# builds. tests/test_home_claims.py checks each text against the figures glued on their own.

def home_share_lead(d: Destination) -> str:
    """'The United States' share kept falling: 8.7% of China's magnet exports over January to March
    2026. ' (or 'did not fall further'), opening the home page's newest months; nothing without a
    share both after the controls and in the newest year."""
    m = d.page.measures
    if not (m.share_latest.figures and m.share_after.figures):
        return ""
    moved = "kept falling" if m.share_latest.pct < m.share_after.pct else "did not fall further"
    return (f"{capitalised(possessive(d.words))} share {moved}: {m.share_latest.pct:.1f}% of China's magnet exports "
            f"over {period_in_words(m.share_latest.period)}. ")


def home_europe_note(pg: DestinationsPage) -> str:
    """The home page's sentence on the share the press reported for the wider group (Europe), and
    how far the narrower one inside it (the EU) bounds its rise."""
    e = pg.europe
    if e is None:
        return f"No share reported for {pg.wider_name} as a whole is in the data."
    text = (f"The press reported that {e.name} took {e.pct:.0f}% in {period_in_words(e.period)}. That is {e.name} as "
            f"a whole, wider than {e.narrower}, which took {e.narrower_share.pct:.1f}% over "
            f"{period_in_words(e.narrower_share.period)} (the months the book has for it): ")
    if e.rise_at_most > 0:
        return text + f"{possessive(e.name)} rise was at most {e.rise_at_most:.1f} percentage points."
    return text + f"by these figures {possessive(e.name)} share did not rise."


# --- gluing --------------------------------------------------------------------------------------

def glue_page(pg: DestinationsPage, sections: list[str], page: Page) -> None:
    """Glue every value the prose refers to and the prose itself: the overview, a section per
    destination in `sections` (a note where one no longer qualifies), the newest year."""
    w = pg.world
    glue_text("dest_control_month", month_words(w.control))
    glue_text("dest_since_words", month_words(pg.since))
    glue_text("dest_after_words", period_in_words(period_label(str(w.control), str(w.measures.after_end))))
    glue_text("dest_names", listing(capitalised(d.words) if i == 0 else d.words for i, d in enumerate(pg.destinations)))
    glue_text("dest_window_names", listing(a.window.name for a in w.measures.against.values()))
    glue_text("dest_pattern_words", w.measures.pattern.window.name if w.measures.pattern else "")
    glue_text("dest_with_before_words", listing(d.words for d in pg.destinations if d.page.measures.share_before.figures))
    glue_text("dest_others_words", capitalised(listing(d.words for d in pg.others)))
    rule = period_label(pg.since, w.end)
    page.glue("dest_n_destinations", len(pg.destinations), rule, "WLD", w.product, "count", "destinations",
              "destinations with enough monthly figures")
    page.glue("dest_min_months", pg.min_months, rule, "WLD", w.product, "count", "months",
              "rule: monthly figures needed")
    page.glue("dest_floor", w.floor, w.window, "WLD", w.product, "parameter", w.measures.unit,
              "floor: a change on a smaller base is not meaningful")
    page.glue("dest_swing_sd", w.measures.swing.std, w.before_window, "WLD", w.product, "swing_sd",
              "percentage points", "China's total: changes before the controls, seasonal months left out")
    for d in pg.destinations:
        _glue_destination(page, d)
    _glue_europe(page, pg)
    glue_text("dest_europe_note", home_europe_note(pg))
    glue_markdown("dest_md_overview", overview(pg))
    glue_markdown("dest_md_latest", latest_prose(pg))
    by_partner = {d.partner: d for d in pg.destinations}
    for partner in sections:
        glue_markdown(f"dest_md_{partner}", section(by_partner[partner], w.measures.swing) if partner in by_partner else
                      "This destination no longer has enough monthly figures of its own for a section.")
    page.publish()


def _glue_destination(page: Page, d: Destination) -> None:
    p, m = d.page, d.page.measures
    unit = m.unit

    def number(name: str, value: float, period, metric: str, unit_: str = unit, basis: str = "") -> None:
        page.glue(key(d, name), value, str(period), d.partner, p.product, metric, unit_, basis)

    for r, mom, yoy in zip(m.periods.itertuples(), m.mom, m.yoy):
        page.add(r.period, d.partner, p.product, "level", r.value, unit)
        if mom.shown:
            page.add(r.period, d.partner, p.product, "mom_pct", mom.pct, "%")
    for r, share in zip(m.periods.itertuples(), m.shares):
        page.add(r.period, d.partner, p.product, "share_pct", share, "%", "share of China's total")
    if m.newest is not None:
        glue_text(key(d, "newest_words"), period_in_words(m.newest_period))
        number("newest_level", m.periods.iloc[-1]["value"], m.newest_period, "level")
    low = m.low
    if low.month is not None:
        glue_text(key(d, "low_words"), month_words(low.month))
        glue_text(key(d, "low_unknown"), listing(month_words(k) for k in low.unknown))
        glue_text(key(d, "low_after_words"), month_words(low.month + 1))
        number("low_level", low.value, low.month, "level")
        number("low_n_unknown", len(low.unknown), period_label(str(p.control), str(low.month + 1)), "count", "months",
               "months without a figure around the low")
        if m.rebound is not None:
            glue_text(key(d, "rebound_words"), month_words(m.rebound))
            number("rebound_level", m.series["value"][m.rebound], m.rebound, "level")
            if m.mom_at(m.rebound).shown:
                number("rebound_mom", m.mom_at(m.rebound).pct, m.rebound, "mom_pct", "%")
    a = d.baseline
    if a is not None:
        basis = f"baseline {a.label}"
        glue_text(key(d, "base_name"), a.window.name)
        glue_text(key(d, "base_reason"), a.window.reason)
        number("base_mean", a.base.mean, a.label, "baseline_mean", unit, basis)
        number("newest_index", a.newest_index, m.newest_period, "index", "index", basis)
        if low.month is not None:
            number("low_index", a.low_index, low.month, "index", "index", basis)
        if a.recovery.regained is not None:
            held = period_label(str(a.recovery.regained), str(m.newest))
            glue_text(key(d, "regained_words"), month_words(a.recovery.regained))
            number("held", a.recovery.held, held, "count", "months", basis + ": months at or above")
            number("since", a.recovery.with_figure, held, "count", "months", basis + ": months with a figure")
        if a.cf is not None:
            for r in m.periods[m.periods["first_month"] >= p.control].itertuples():
                page.add(r.period, d.partner, p.product, "counterfactual", a.cf.expected(r.first_month, r.last_month),
                         unit, basis)
            if a.to_recovery is not None:
                number("shortfall_recovery_t", a.to_recovery.tonnes, a.to_recovery.period, "shortfall", unit,
                       f"{basis}: to the recovery month")
            if a.to_newest is not None:
                number("shortfall_t", a.to_newest.tonnes, a.to_newest.period, "shortfall", unit,
                       f"{basis}: to the newest figure")
    if len(d.tariffs):
        glue_text(key(d, "tariff_words"), listing(f"{t.title} ({date_words(t.date)})" for t in d.tariffs.itertuples()))
        glue_text(key(d, "truce_words"), listing(f"{t.title} ({date_words(t.date)})" for t in d.truces.itertuples()))
    for name, share in (("share_before", m.share_before), ("share_after", m.share_after), ("share_latest", m.share_latest)):
        if share.figures:
            glue_text(key(d, name + "_words"), period_in_words(share.period))
            number(name, share.pct, share.period, "share_pct", "%", "pooled: share of China's total")
    for r, y in latest_rows(d):
        k = period_key(r.period)
        glue_text(key(d, k + "_words"), period_in_words(r.period))
        number(k + "_level", r.value, r.period, "level")
        if y.shown:
            number(k + "_yoy", y.pct, r.period, "yoy_pct", "%")
    firm = m.low_since.lower is not None and m.low_since.firm  # a low only where no gap could hide a lower month
    if m.newest is not None:  # the home page's key numbers: empty when the newest figure is no low
        glue_text(key(d, "low_since_note"), f", the lowest since {period_in_words(m.low_since.lower)}" if firm else "")
    glue_text(key(d, "share_latest_lead"), home_share_lead(d))
    if firm:
        glue_text(key(d, "low_since_words"), period_in_words(m.low_since.lower))
        number("low_since_months", m.low_since.months, m.newest_period, "count", "months", "months since a lower figure")
    if d.apart is not None:
        glue_text(key(d, "apart_words"), month_words(d.apart.month))
        number("apart_mom", d.apart.change.pct, d.apart.month, "mom_pct", "%", "fell while China's total rose")
        page.glue(key(d, "apart_world_mom"), d.apart.world.pct, str(d.apart.month), "WLD", p.product, "mom_pct", "%",
                  f"while {d.partner} fell")


def _glue_europe(page: Page, pg: DestinationsPage) -> None:
    e, w = pg.europe, pg.world
    if e is None:
        return
    glue_text("dest_europe_name", e.name)
    glue_text("dest_europe_words", period_in_words(e.period))
    glue_text("dest_eu_name", e.narrower)
    glue_text("dest_eu_words", period_in_words(e.narrower_share.period))
    page.glue("dest_europe_pct", e.pct, e.period, pg.wider, w.product, "share_pct", "%", "as reported")
    page.glue("dest_eu_share", e.narrower_share.pct, e.narrower_share.period, pg.narrower, w.product, "share_pct", "%",
              "pooled: share of China's total, set against the wider group's")
    page.glue("dest_eu_figures", e.narrower_share.figures, e.narrower_share.period, pg.narrower, w.product, "count",
              "figures", "figures pooled")
    page.glue("dest_europe_rise_max", e.rise_at_most, e.period, pg.wider, w.product, "gap_pp", "percentage points",
              "at most: the wider group's share less the narrower one's before")
