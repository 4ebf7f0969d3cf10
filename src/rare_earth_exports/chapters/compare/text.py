"""Every sentence of a comparison page, and the registration of every number it shows.

The sentence functions take numbers as the page publishes them (rounded by `Page.glue`, None
where there is no figure), so the prose says exactly what metrics.csv holds. `glue_page` glues
each number with its metrics row, then each sentence built from those numbers. Every key starts
with `compare_`. The findings are ordered by how much evidence stands behind them: shares over
several months first, one month last, and a finding the figures cannot measure after those they can.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ...core.conventions import Window
from ...core.periods import months_of, period_in_words, year_before
from ...core.words import capitalised, date_words, listing, month_words, plural, possessive
from ...present.page import Page, glue_markdown, glue_text
from .licensing import ALL
from .measures import SIDES, WORLD, Comparison, Yardstick, within
from .newest import PeriodFigure


@dataclass(frozen=True)
class RoleKeys:
    """Glue keys of the numbers every role has (a side, a proxy, China's total)."""

    months: str
    baseline: str
    after_mean: str
    after_index: str


@dataclass(frozen=True)
class ShiftKeys:
    """Glue keys of a side's share in a window and its change from the baseline window."""

    share: str
    n: str
    change: str
    low: str
    high: str


@dataclass(frozen=True)
class SideKeys:
    """Glue keys of the numbers only the two sides have."""

    share_base: str
    share_base_n: str
    level_gap: str
    focus_before: str
    focus_after: str
    focus_pct: str
    focus_share_before: str
    focus_share_after: str
    restricted: str


ROLE_KEYS = {
    "a": RoleKeys("compare_months_a", "compare_baseline_a", "compare_after_mean_a", "compare_after_index_a"),
    "ap": RoleKeys("compare_months_ap", "compare_baseline_ap", "compare_after_mean_ap", "compare_after_index_ap"),
    "b": RoleKeys("compare_months_b", "compare_baseline_b", "compare_after_mean_b", "compare_after_index_b"),
    "bp": RoleKeys("compare_months_bp", "compare_baseline_bp", "compare_after_mean_bp", "compare_after_index_bp"),
    "w": RoleKeys("compare_months_w", "compare_baseline_w", "compare_after_mean_w", "compare_after_index_w"),
}
SIDE_KEYS = {
    "a": SideKeys("compare_share_base_a", "compare_share_base_n_a", "compare_level_gap_a", "compare_focus_a_before",
                  "compare_focus_a_after", "compare_focus_a_pct", "compare_focus_share_a_before",
                  "compare_focus_share_a_after", "compare_restricted_a"),
    "b": SideKeys("compare_share_base_b", "compare_share_base_n_b", "compare_level_gap_b", "compare_focus_b_before",
                  "compare_focus_b_after", "compare_focus_b_pct", "compare_focus_share_b_before",
                  "compare_focus_share_b_after", "compare_restricted_b"),
}
SHIFT_KEYS = {
    ("a", "after"): ShiftKeys("compare_share_after_a", "compare_share_after_n_a", "compare_share_change_after_a",
                              "compare_share_change_after_a_low", "compare_share_change_after_a_high"),
    ("a", "recent"): ShiftKeys("compare_share_recent_a", "compare_share_recent_n_a", "compare_share_change_recent_a",
                               "compare_share_change_recent_a_low", "compare_share_change_recent_a_high"),
    ("b", "after"): ShiftKeys("compare_share_after_b", "compare_share_after_n_b", "compare_share_change_after_b",
                              "compare_share_change_after_b_low", "compare_share_change_after_b_high"),
    ("b", "recent"): ShiftKeys("compare_share_recent_b", "compare_share_recent_n_b", "compare_share_change_recent_b",
                               "compare_share_change_recent_b_low", "compare_share_change_recent_b_high"),
}
# Yardsticks: (number of changes, standard deviation).
YARDSTICK_KEYS = {
    "w": ("compare_yard_w_n", "compare_yard_w_std"),
    "w_seasonal": ("compare_yard_w_seasonal_n", "compare_yard_w_seasonal_std"),
    "a": ("compare_yard_a_n", "compare_yard_a_std"), "b": ("compare_yard_b_n", "compare_yard_b_std"),
    "a_recent": ("compare_yard_a_recent_n", "compare_yard_a_recent_std"),
    "b_recent": ("compare_yard_b_recent_n", "compare_yard_b_recent_std"),
    "gap_recent": ("compare_yard_gap_recent_n", "compare_yard_gap_recent_std"),
}
Z_KEYS = {"a_world": "compare_z_a_world", "b_world": "compare_z_b_world", "a_recent": "compare_z_a_recent",
          "b_recent": "compare_z_b_recent", "gap_pooled": "compare_z_gap_pooled",
          "gap_pooled_seasonal": "compare_z_gap_pooled_seasonal", "gap_recent": "compare_z_gap_recent"}
POOLED_KEYS = {"w": "compare_gap_pooled_std", "w_seasonal": "compare_gap_pooled_seasonal_std"}


def verb(change: float) -> str:
    return "fell" if change < 0 else "rose" if change > 0 else "did not change"


def event_name(title: str) -> str:
    """An event's name: its title up to any colon ('Announcement 18: ...' -> 'Announcement 18')."""
    return title.split(":")[0]


def dated(items: list[tuple[str, str]]) -> list[str]:
    """'“title” (4 April 2025)' for each (title, date): an event's title in quotes, as the record words it."""
    return [f"“{title}” ({date_words(date)})" for title, date in items]


def date_span(first: str, last: str) -> str:
    """'6 January 2026' or '6 January 2026 to 24 February 2026'."""
    return date_words(first) if first == last else f"{date_words(first)} to {date_words(last)}"


def figures(n: float) -> str:
    return f"{n:,.0f} {plural(n, 'figure', 'figures')}"


# --- windows and shares -----------------------------------------------------------------------

def windows_text(windows: list[Window]) -> str:
    """Every named window the page uses, with its months and the reason it is used."""
    return " ".join(f"**{w.name}** ({period_in_words(w.period)}): {w.reason}." for w in windows)


@dataclass(frozen=True)
class ShiftWords:
    """A side's share of China's total in the baseline window and another, as published (None: no figure)."""

    label: str
    base: Window
    other: Window
    before: float | None
    after: float | None
    n_after: float | None
    change: float | None
    low: float | None
    high: float | None
    level: float | None           # the interval's coverage, in %


def interval_words(w: ShiftWords, against: str = "", short: bool = False) -> str:
    """' (-2.4 points; 95% interval -5.8 to +0.9)' and what the interval says, or why there is none;
    `against` names the window the change is measured from (' on Q1 2025'); `short` drops the why."""
    if w.low is None or w.high is None:
        return f" ({w.change:+,.1f} points{against}); with fewer than two figures in a window there is no interval"
    head = f" ({w.change:+,.1f} points{against}; {w.level:,.0f}% interval {w.low:+,.1f} to {w.high:+,.1f})"
    if w.low <= 0 <= w.high:
        return head + (": the interval includes no change" if short else
                       ": the interval includes no change, so the share's own swings from month to month could "
                       "produce a move this size")
    side = "below" if w.high < 0 else "above"
    return head + (f": the whole interval lies {side} no change" if short else
                   f": the whole interval lies {side} no change, a move larger than the share's own swings from "
                   "month to month")


def shift_sentence(w: ShiftWords) -> str:
    """A side's share in the baseline window and in another, with the interval of the change."""
    label = capitalised(w.label)
    if w.before is None and w.after is None:
        return f"{label} has no figure beside China's total in {w.base.name} or in {w.other.name}."
    if w.before is None:
        return (f"{label} has no figure in {w.base.name}, so its share cannot be followed from before the controls; "
                f"it took {w.after:,.1f}% of China's total in {w.other.name} ({figures(w.n_after)}).")
    if w.after is None:
        return f"{label} took {w.before:,.1f}% of China's total in {w.base.name} and has no figure in {w.other.name}."
    return (f"{possessive(label)} share of China's total {verb(w.change)} from {w.before:,.1f}% in {w.base.name} to "
            f"{w.after:,.1f}% in {w.other.name}" + interval_words(w) + ".")


def recent_sentence(w: ShiftWords) -> str:
    """The newest window against the baseline: the same months of the year, a year on."""
    if w.before is None or w.after is None:
        return ""
    return (f"In {w.other.name}, the same months of the year a year on, the share was {w.after:,.1f}%"
            + interval_words(w, f" on {w.base.name}", short=True) + ".")


def baseline_sentence(label: str, unit: str, base: Window, after: Window, level: float | None,
                      after_mean: float | None, after_index: float | None) -> str:
    """A series' baseline level, and its level after the truces as an index of it."""
    if level is None:
        return f"{capitalised(label)} has no figure in {base.name}."
    return (f"{capitalised(label)} averaged {level:,.1f} {unit} a month in {base.name}"
            + (f" and {after_mean:,.1f} {unit} in {after.name}, an index of {after_index:,.1f}."
               if after_mean is not None else f", and has no figure in {after.name}."))


def level_bit(label: str, after: Window, base: Window, index: float, world_index: float | None) -> str:
    """A side's level after the truces against its baseline, beside China's total."""
    return (f"exports to {label} stood at an index of {index:,.1f} in {after.name} ({base.name} = 100)"
            + (f", China's total at {world_index:,.1f}" if world_index is not None else ""))


def finding_windows(after: list[ShiftWords], recent: list[ShiftWords], levels: list[str]) -> str:
    """The overview's sturdier finding: each side's share over windows, then the indexes."""
    sentences = []
    for a, r in zip(after, recent):
        sentences.append(shift_sentence(a))
        if a.before is not None:
            sentences.append(recent_sentence(r))
    if levels:
        sentences.append(f"In index terms, {listing(levels)}.")
    return " ".join(s for s in sentences if s)


def tariff_sentence(label: str, base: Window, escalation: list[tuple[str, str]], truce: tuple[str, str] | None) -> str:
    """A second cause of one side's fall in the record: the tariff escalation and the truce that eased it."""
    if not escalation:
        return ""
    return (f"The baseline, {base.name}, covers {base.reason}. And the fall of exports to {label} after the controls "
            f"has a second cause in the record, the tariff escalation: {listing(dated(escalation))}"
            + (f", eased by the {dated([truce])[0]}." if truce else "; the record holds no truce that eased it."))


# --- one month ------------------------------------------------------------------------------

def moved_text(label: str, unit: str, before: float | None, after: float | None, pct: float | None,
               lacking: list[str], floor: float | None) -> str:
    """One side's move in the tested month, the months it has no figure for, or a base under the floor."""
    if pct is not None:
        return f"exports to {label} went from {before:,.1f} {unit} to {after:,.1f} {unit} ({pct:+,.1f}%)"
    if lacking:
        return f"{label} has no figure for {' or '.join(lacking)}"
    return (f"exports to {label} went from {before:,.1f} {unit} to {after:,.1f} {unit}, a change on a level under "
            f"{floor:,.0f} {unit} that is not meaningful")


def focus_text(month: pd.Period, moved_a: str, moved_b: str, world_pct: float | None,
               shares: list[tuple[str, float, float]], gap_pp: float | None, proxy_pair: tuple[str, str] | None) -> str:
    """The tested month: each side's move, China's total, the shares and the gap.

    `shares`: (label, share before, share after) of each side with both; `proxy_pair`: the two
    sides' labels when the gap goes through a proxy, else None.
    """
    share_bits = [f"from {before:,.1f}% to {after:,.1f}% for {label}" for label, before, after in shares]
    return (f"From {month_words(month - 1)} to {month_words(month)}, {moved_a}, and {moved_b}. "
            + (f"China's total changed by {world_pct:+,.1f}%. " if world_pct is not None else "")
            + ("The share of China's total went " + listing(share_bits) + ". " if share_bits else "")
            + (f"The gap between the two sides' changes is {gap_pp:+,.1f} percentage points"
               + (f" ({proxy_pair[0]} against {proxy_pair[1]})" if proxy_pair else "") + "."
               if gap_pp is not None else "With no month in which both sides have a comparable change, there is no gap to measure."))


@dataclass(frozen=True)
class Readings:
    """The tested gap against China's total before the controls, by the seasonal rule and with the
    Lunar New Year swings kept, as published."""

    z_rule: float | None
    n_rule: float
    z_seasonal: float | None
    n_seasonal: float
    n_lunar: float               # changes into or out of a Lunar New Year month
    threshold: float


def readings_text(r: Readings) -> str:
    """What the two yardsticks make of the gap, and why neither settles it."""
    if r.z_rule is None and r.z_seasonal is None:
        return "No yardstick has enough ordinary changes to judge it."
    if r.z_rule is None:
        return (f"By the book's seasonal rule there are too few ordinary changes of China's total before the controls "
                f"({r.n_rule:,.0f}) to judge it; keeping the {r.n_lunar:,.0f} Lunar New Year swings would put it at "
                f"{r.z_seasonal:+.2f} standard deviations, a reading the rule does not allow.")
    text = (f"Against China's ordinary month-to-month changes before the controls, that gap is {r.z_rule:+.2f} standard "
            f"deviations by the book's seasonal rule ({r.n_rule:,.0f} changes, the Lunar New Year months left out)")
    if r.z_seasonal is None:
        return text + ", a yardstick of a handful of changes."
    text += (f", and {r.z_seasonal:+.2f} if the {r.n_lunar:,.0f} Lunar New Year swings are kept "
             f"({r.n_seasonal:,.0f} changes). ")
    rule, seasonal = within(r.z_rule, r.threshold), within(r.z_seasonal, r.threshold)
    if rule != seasonal:
        return text + (f"The verdict turns on {r.n_lunar:,.0f} holiday swings: {rule} the ordinary spread by the rule, "
                       f"{seasonal} it without, so the yardstick is too thin to say.")
    return text + (f"Both readings put it {rule} the ordinary spread (|z| below {r.threshold:,.0f}), but both rest on one "
                   "month and on a yardstick of a handful of changes.")


def finding_one_month(month: pd.Period, moves: list[tuple[str, float | None]], gap_pp: float | None,
                      lacking: list[str], proxy_pair: tuple[str, str] | None, readings: Readings) -> str:
    """The one-month test, under the heading "One month cannot tell". `moves`: (label, change) of
    each side; `lacking`: the sides without a comparable change in the month."""
    if gap_pp is None:
        return (f"{capitalised(listing(lacking))} {plural(len(lacking), 'has', 'have')} no comparable change "
                       f"from {month_words(month - 1)} to {month_words(month)}, so no gap between the two sides can be "
                       "tested in it.")
    moved = [f"exports to {label} {verb(pct)} {abs(pct):,.1f}%" for label, pct in moves if pct is not None]
    return (f"From {month_words(month - 1)} to {month_words(month)}, {listing(moved)}: a gap of {gap_pp:+,.1f} "
            "percentage points" + (f" ({proxy_pair[0]} against {proxy_pair[1]})" if proxy_pair else "") + ". "
            + readings_text(readings) + " One month of figures neither shows nor rules out different treatment.")


def noise_text(n_used: float, n_all: float, min_changes: float, used: dict[str, Yardstick]) -> str:
    """How many yardsticks are usable, and each one's spread (gaps in points, sides in %)."""
    return (f"{n_used:,.0f} of the {n_all:,.0f} yardsticks that follow the seasonal rule "
            f"{plural(n_used, 'has', 'have')} at least {min_changes:,.0f} changes"
            + (": " + "; ".join(f"{y.name} ({y.swing.n} changes, standard deviation {y.swing.std:,.1f}"
                                f"{' points' if k.startswith('gap') else '%'})" for k, y in used.items()) if used else "")
            + ". A spread estimated from so few changes is itself uncertain: read every z-score below as a rough guide.")


def focus_z_text(label_a: str, label_b: str, z: dict[str, float | None], world: Yardstick, pooled: float | None,
                 gap_recent: Yardstick, a_recent: Yardstick, threshold: float) -> str:
    """The tested month's changes and gap against each yardstick that can judge them (`z` by Z_KEYS' keys)."""
    bits = []
    if z["a_world"] is not None:
        bits.append(f"Against ordinary month-to-month changes in China's total before the controls ({world.swing.n} "
                    f"changes, standard deviation {world.swing.std:,.1f}%), the change for {label_a} sits at "
                    f"z = {z['a_world']:+.2f}"
                    + (f" and the change for {label_b} at z = {z['b_world']:+.2f}" if z["b_world"] is not None else "") + ".")
    if z["gap_pooled"] is not None:
        bits.append(f"The gap, against the {pooled:,.1f} points that two such series would ordinarily differ by, sits at "
                    f"z = {z['gap_pooled']:+.2f}: {within(z['gap_pooled'], threshold)} the ordinary spread "
                    f"(within it means |z| below {threshold:,.0f}).")
    if z["gap_recent"] is not None:
        bits.append(f"Against the yardstick {gap_recent.name[:1].lower() + gap_recent.name[1:]} ({gap_recent.swing.n} "
                    f"changes), it sits at z = {z['gap_recent']:+.2f}.")
    if z["a_recent"] is not None:
        bits.append(f"Against the yardstick {a_recent.name} ({a_recent.swing.n} changes), the change for "
                    f"{label_a} sits at z = {z['a_recent']:+.2f}.")
    return " ".join(bits) if bits else "No yardstick has enough ordinary changes to say whether this month was unusual."


# --- around events ---------------------------------------------------------------------------

def events_text(n_rows: float, n_comparable: float, n_proxy: float, blind: list[tuple[str, str]], floor: float,
                unit: str) -> str:
    """How many event comparisons have a gap, how many through a proxy, and around which events
    (name, date) none has."""
    return (f"Of {n_rows:,.0f} comparisons, {n_comparable:,.0f} {plural(n_comparable, 'has', 'have')} months in which "
            "both sides have a figure" + (f", {n_proxy:,.0f} of them through a proxy" if n_proxy else "") + ". "
            + (f"No comparison is possible around {'; '.join(f'{name} ({date_words(date)})' for name, date in blind)}: one of the sides has no figure before or after "
               f"the event, or its level before is under {floor:,.0f} {unit}, where a change is not meaningful."
               if blind else ""))


def window_bit(gap_pp: float, window: float, proxy_pair: tuple[str, str] | None) -> str:
    """One window's gap around an event, naming the sides when a proxy stands in."""
    return (f"{gap_pp:+,.1f} points with {window:,.0f} {plural(window, 'month', 'months')} either side"
            + (f" ({proxy_pair[0]} against {proxy_pair[1]})" if proxy_pair else ""))


def window_text(event: str, date: str, bits: list[str]) -> str:
    if not bits:
        return "No event in the list has months in which both sides have a figure before and after it."
    return (f"Around the latest event with figures on both sides, {event} ({date_words(date)}), the gap is "
            f"{listing(bits)}, comparing the same months on both sides.")


def coverage_text(control_month: pd.Period, without: list[str], with_some: list[str]) -> str:
    """Which series have no figure before the controls, and what that rules out."""
    month = month_words(control_month)
    if not without:
        return f"Every series has figures before {month}."
    return (f"Before {month} there is no figure for {' or '.join(without)}"
            + (f"; {' and '.join(with_some)} {plural(len(with_some), 'has', 'have')} some. " if with_some else ". ")
            + "A series without figures before the controls has no pre-control baseline: its level after them "
              "cannot be set against its level before, only its month-to-month changes against the other side's.")


# --- the licensing record ----------------------------------------------------------------------

@dataclass(frozen=True)
class SideRecord:
    """One side's record as the synthesis uses it: restrictions and its first grant of its own."""

    label: str
    restricted: list[tuple[str, str]]     # (title, date), in date order
    n_restricted: float
    first_grant: tuple[str, str] | None   # (title, date)


def asymmetry_clause(a: SideRecord, b: SideRecord) -> str:
    """Which side, if any, the record's restrictions were aimed at, and when (no leading capital,
    no full stop). Not how many: several reports can describe one measure, so a count of items
    says how much was gathered, not what China did."""
    def span(side: SideRecord) -> str:
        return date_span(side.restricted[0][1], side.restricted[-1][1])

    if a.n_restricted and b.n_restricted:
        return f"restrictions were aimed at both sides: at {a.label} ({span(a)}) and at {b.label} ({span(b)})"
    for one, other in ((a, b), (b, a)):
        if one.n_restricted:
            return (f"the one concrete asymmetry in the licensing record is the restrictions aimed at {one.label} "
                    f"({span(one)}) and none at {other.label}")
    return "the licensing record holds no restriction aimed at either side"


def grants_clause(a: SideRecord, b: SideRecord, every: tuple[str, str] | None) -> str:
    """Who was granted licences of their own, from when; and the grants for every destination."""
    own = [s for s in (a, b) if s.first_grant]
    if len(own) == 2:
        text = (f"Licences were granted to both sides ({a.label} from {date_words(a.first_grant[1])}, {b.label} from "
                f"{date_words(b.first_grant[1])})")
    elif own:
        other = b if own[0] is a else a
        text = (f"Only {own[0].label} was granted licences of its own in the record (from "
                f"{date_words(own[0].first_grant[1])}); {other.label} had only what every destination had")
    else:
        text = "Neither side was granted licences of its own in the record"
    return text + (f"; the first grant to every destination in the record is {dated([every])[0]}." if every else ".")


def finding_record(a: SideRecord, b: SideRecord, every: tuple[str, str] | None) -> str:
    """The record synthesised: the asymmetry with what it consists of, then the grants."""
    text = capitalised(asymmetry_clause(a, b))
    restricted = [s for s in (a, b) if s.n_restricted]
    if len(restricted) == 1:
        text += ": " + "; ".join(dated(restricted[0].restricted))
    return text + ". " + grants_clause(a, b, every)


def terms_text(terms: list[tuple[float, str, str, str, str]], scheduled: list[tuple[str, str]]) -> str:
    """For how long: each grant or suspension of stated term (months, title, side, date, runs to),
    then the scheduled dates, whose outcome the sources do not report."""
    bits = [f"“{title}” ({'every destination' if side == ALL else side}, {date_words(date)}"
            + (f", {months:,.0f} months" if months is not None else "") + f", to {date_words(end)})"
            for months, title, side, date, end in terms]
    text = ("For how long, where the record says: " + "; ".join(bits) + ". ") if bits else \
        "No grant or suspension in the record states its term. "
    return (text + scheduled_text(scheduled)).strip()


def scheduled_text(scheduled: list[tuple[str, str]]) -> str:
    """Dates still to come, shown as scheduled: the sources do not report an outcome, and none is invented."""
    if not scheduled:
        return ""
    return ("Still to come: " + "; ".join(dated(scheduled))
            + ". The sources do not report what happened on " + plural(len(scheduled), "this date", "these dates")
            + "; the page shows " + plural(len(scheduled), "it", "them") + " as scheduled.")


# --- the newest months -----------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodWords:
    """One newest period of a side as published (None: no number)."""

    period: str
    value: float
    yoy: float | None
    world_yoy: float | None
    share: float | None
    mom: float | None
    previous_span: str           # the two-month figure holding the month before, '' if none
    year_before_known: bool


def period_bit(label: str, unit: str, p: PeriodWords) -> str:
    """'in March 2026, 406.0 t, 30.5% less than in March 2025 (China's total: -1.6%)' and the month before."""
    months = months_of(p.period)
    when, before = period_in_words(p.period), period_in_words(year_before(p.period))
    text = f"in {when}" + (" (one figure for the two months, as China's customs published them)" if len(months) > 1 else "")
    text += f", {p.value:,.1f} {unit}"
    if p.yoy is not None:
        text += (f", {abs(p.yoy):,.1f}% {'less' if p.yoy < 0 else 'more'} than in {before}"
                 + (f" (China's total: {p.world_yoy:+,.1f}%)" if p.world_yoy is not None else ""))
    elif p.year_before_known:
        text += f", a change on {before} that is not meaningful (a level under the floor)"
    else:
        text += f", with no figure for {before} to compare"
    if p.share is not None:
        text += f", {p.share:,.1f}% of China's total"
    if len(months) == 1 and p.previous_span:
        previous = months[0].shift(-1)
        text += (f"; the change from {previous.in_words()} cannot be computed, because {previous.in_words()} was "
                 f"published only inside the figure for {period_in_words(p.previous_span)}")
    elif p.mom is not None:
        text += f"; {p.mom:+,.1f}% on {months[0].shift(-1).in_words()}"
    return text


def newest_sentence(label: str, unit: str, year: int, periods: list[PeriodWords], last: str | None,
                    last_value: float | None) -> str:
    """A side's figures after the last full year, or what their absence rules out."""
    if periods:
        return f"Exports to {label}: " + "; ".join(period_bit(label, unit, p) for p in periods) + "."
    if last is None:
        return f"{capitalised(label)} has no figure in the data."
    return (f"{capitalised(label)} has no figure after {last} ({last_value:,.1f} {unit}): none of the pages gathered "
            f"for this book reports its figures for {year}, so what happened to its exports in {year} cannot be "
            "measured here.")


def newest_record_sentence(label: str, year: int, restricted: list[tuple[str, str]], approvals: list[tuple[str, str]]) -> str:
    """The restrictions aimed at a side in the newest year (how many, from when to when: the
    record's synthesis lists them), and the approval rates reported for it."""
    if not restricted and not approvals:
        return ""
    text = (f"In {year} the record holds restrictions aimed at {label} "
            f"({date_span(restricted[0][1], restricted[-1][1])})." if restricted else "")
    if approvals:
        text += (" " if text else "") + f"Approval rates reported for {label}: {'; '.join(dated(approvals))}."
    return text


# --- the page's headline sentences --------------------------------------------------------------

def answer_text(product: str, shift: ShiftWords | None, a: SideRecord, b: SideRecord, blind: str | None) -> str:
    """The one-line answer the home page shows.

    `shift`: the side with a share over windows (None when neither has one); `blind`: for a
    side with restrictions but no figures after them, 'its figures end in <month>', else None.
    """
    record = asymmetry_clause(a, b)
    if shift is not None:
        verdict = ("a change within the months' own swings" if shift.low is not None and shift.low <= 0 <= shift.high
                   else "a change larger than the months' own swings" if shift.low is not None
                   else "too few figures for an interval")
        interval = (f" ({shift.level:,.0f}% interval {shift.low:+,.1f} to {shift.high:+,.1f} points)"
                    if shift.low is not None else "")
        return (f"{capitalised(possessive(shift.label))} share of China's exports of {product} {verb(shift.change)} from "
                f"{shift.before:,.1f}% in {shift.base.name} to {shift.after:,.1f}% in {shift.other.name}, {verdict}"
                f"{interval}, and {record}.")
    if blind:
        return capitalised(record) + f", but {blind}, so what they did to shipments cannot be measured."
    return capitalised(record) + ", and neither side has figures before the controls to measure their exports against."


def md_findings(findings: list[tuple[str, str, bool]]) -> str:
    """The overview as a list: (heading, text, measured) each, findings the figures can measure first."""
    ordered = [f for f in findings if f[1] and f[2]] + [f for f in findings if f[1] and not f[2]]
    return "\n".join(f"- **{head}** {body}" for head, body, _ in ordered)


def input_bit(product_name: str, months: float, periods: list[tuple[str, list[str]]]) -> str:
    """How many monthly figures of an input the data hold for these destinations: (name, months) each."""
    return (f"{months:,.0f} monthly {plural(months, 'figure', 'figures')} of {product_name.lower()}"
            + (" (" + "; ".join(f"{name}: {listing(map(month_words, months_of))}" for name, months_of in periods) + ")"
               if periods else ""))


def settle_text(missing: list[tuple[str, list[str]]], inputs: list[str]) -> str:
    """The figures that would settle the question: each side's missing months, the inputs, licence counts."""
    needed = [f"{label} in {listing([period_in_words(p) for p in spans])}" for label, spans in missing if spans]
    return (("Monthly figures for " + "; for ".join(needed) + ". " if needed else "")
            + "Exports of the controlled inputs to these destinations: the data hold " + listing(inputs) + ". "
            "And counts of licences applied for and granted, by destination, from China's commerce ministry: the "
            "record gives only what each side said about its own applications.")


# --- what the page publishes -------------------------------------------------------------------

class _Numbers:
    """Glues a number of the comparison with its metrics row; returns it as published (None for none)."""

    def __init__(self, page: Page, c: Comparison):
        self.page, self.product, self.unit = page, c.settings.product, c.unit

    def __call__(self, key: str, value: float, period: str, partner: str, metric: str, basis: str = "",
                 unit: str | None = None) -> float | None:
        return self.page.glue(key, value, period, partner, self.product, metric, unit or self.unit, basis)


def glue_page(page: Page, c: Comparison, title: str) -> Page:
    """Glue every number and sentence of the page; every number also becomes a metrics row of
    `page`, which it returns for the notebook to publish in its last cell."""
    g = _Numbers(page, c)
    roles = c.roles
    glue_text("compare_title", title)
    glue_text("compare_label_a", roles["a"].label)
    glue_text("compare_label_b", roles["b"].label)
    glue_text("compare_product_name", c.product_name[:1].lower() + c.product_name[1:])
    glue_text("compare_base_name", c.settings.base.name)
    glue_text("compare_after_name", c.settings.after.name)
    glue_markdown("compare_windows_text", windows_text([c.settings.base, c.settings.after, c.settings.recent, c.settings.noise]))
    _series_rows(page, c)
    _coverage(g, c)
    after_index = _levels(g, c)
    shifts = _shifts(g, c)
    _events(page, g, c)
    one_month = _one_month(g, c)
    records = _record(g, c)
    newest = _newest(g, c, records)
    _findings(g, c, after_index, shifts, one_month, records, newest)
    return page


def _series_rows(page: Page, c: Comparison) -> None:
    """Monthly levels, indexes and shares of every series, for metrics.csv."""
    s, product = c.settings, c.settings.product
    for role in c.roles.values():
        page.add_series(role.values.loc[s.start:s.end], role.code, product, "level", c.unit)
    for r, values in c.indexes.items():
        page.add_series(values.loc[s.start:s.end], c.roles[r].code, product, "index", "index", f"baseline {s.base.period}")
    for r, values in c.shares.items():
        page.add_series(values.loc[s.start:s.end], c.roles[r].code, product, "share_pct", "%", f"of {s.world}")


def _coverage(g: _Numbers, c: Comparison) -> None:
    for r in [*c.shown, WORLD]:
        g(ROLE_KEYS[r].months, c.in_charts(r).notna().sum(), c.settings.chart_window, c.roles[r].code,
          "count", "monthly figures", "months")
    without = [c.roles[r].label for r in c.shown if c.months_before_controls(r) == 0]
    with_some = [c.roles[r].label for r in c.shown if c.months_before_controls(r) > 0]
    glue_markdown("compare_coverage_text", coverage_text(c.control_month, without, with_some))


def _levels(g: _Numbers, c: Comparison) -> dict[str, float | None]:
    """Baselines and levels after the truces; returns the published indexes after the truces."""
    s = c.settings
    sentences, after_index = [], {}
    for r in [*c.shown, WORLD]:
        role, base, keys = c.roles[r], c.baselines[r], ROLE_KEYS[r]
        b = g(keys.baseline, base.mean, s.base.period, role.code, "baseline_mean", f"{s.base.name}: {base.method}")
        if b is None:
            sentences.append(baseline_sentence(role.label, c.unit, s.base, s.after, None, None, None))
            continue
        after = c.after_truces(r)
        m = g(keys.after_mean, after.mean(), s.after.period, role.code, "window_mean",
              f"{s.after.name}: mean of {after.notna().sum()} months with a figure")
        after_index[r] = g(keys.after_index, c.after_index(r), s.after.period, role.code, "index",
                           f"baseline {s.base.period}", unit="index")
        sentences.append(baseline_sentence(role.label, c.unit, s.base, s.after, b, m, after_index[r]))
    glue_markdown("compare_baseline_text", " ".join(sentences))
    return after_index


def _shifts(g: _Numbers, c: Comparison) -> dict[tuple[str, str], ShiftWords]:
    """Each side's share in the baseline window, after the truces and in the newest window, with intervals."""
    s = c.settings
    level = g("compare_interval_level", s.interval_level * 100, s.chart_window, "ALL", "parameter",
              "coverage of the share intervals", unit="%")
    out, sentences = {}, []
    for side in SIDES:
        role, keys = c.roles[side], SIDE_KEYS[side]
        base = c.shifts[side]["after"].before
        before = g(keys.share_base, base.share, s.base.period, role.code, "share_pct",
                   f"of {s.world}, pooled over {base.n} figures of {s.base.name}", unit="%")
        g(keys.share_base_n, base.n if before is not None else float("nan"), s.base.period, role.code, "count",
          f"figures in {s.base.name} beside China's total", unit="figures")
        for which in ("after", "recent"):
            shift, k = c.shifts[side][which], SHIFT_KEYS[(side, which)]
            window = shift.after.window
            after = g(k.share, shift.after.share, window.period, role.code, "share_pct",
                      f"of {s.world}, pooled over {shift.after.n} figures of {window.name}", unit="%")
            n_after = g(k.n, shift.after.n if after is not None else float("nan"), window.period, role.code, "count",
                        f"figures in {window.name} beside China's total", unit="figures")
            both = f"{s.base.period} to {window.period}"
            # the change between the two published shares, so the numbers in the sentence add up
            change = g(k.change, after - before if before is not None and after is not None else float("nan"), both,
                       role.code, "share_change_pp", f"share of {s.world}, {window.name} minus {s.base.name}",
                       unit="percentage points")
            low, high = shift.interval
            basis = (f"{s.interval_level:.0%} interval from the figures' own month-to-month noise (ratio estimator, "
                     f"Student's t, {shift.df:.1f} degrees of freedom)")
            lo = g(k.low, low, both, role.code, "share_change_pp_low", basis, unit="percentage points")
            hi = g(k.high, high, both, role.code, "share_change_pp_high", basis, unit="percentage points")
            out[(side, which)] = ShiftWords(role.label, s.base, window, before, after, n_after, change, lo, hi, level)
        sentences.append(shift_sentence(out[(side, "after")]))
        if before is not None:
            sentences.append(shift_sentence(out[(side, "recent")]))
    glue_markdown("compare_shares_text", " ".join(sentences))
    return out


def _events(page: Page, g: _Numbers, c: Comparison) -> None:
    s = c.settings
    for table in (c.pair, c.vs_world):
        for _, row in table.iterrows():
            basis = f"{row['event']} ({row['date']}); {row['window']}-month window; months {row['months'] or 'none in common'}"
            code_a, code_b = c.role_of(row["side_a"]).code, c.role_of(row["side_b"]).code
            page.add(row["period"], code_a, s.product, "change_pct", row["a_pct"], "%", basis)
            page.add(row["period"], code_b, s.product, "change_pct", row["b_pct"], "%", basis)
            page.add(row["period"], f"{code_a} vs {code_b}", s.product, "gap_pp", row["gap_pp"], "percentage points", basis)
    pair = f"{c.roles['a'].code} vs {c.roles['b'].code}"
    n_rows = g("compare_events_rows", len(c.pair), s.chart_window, pair, "count", "event-and-window comparisons", "rows")
    n_ok = g("compare_events_comparable", len(c.comparable), s.chart_window, pair, "count", "comparisons with a gap", "rows")
    n_proxy = g("compare_events_proxy", c.comparable["proxy"].sum(), s.chart_window, pair, "count",
                "comparisons through a proxy", "rows")
    floor = g("compare_floor", c.floor, s.chart_window, "ALL", "parameter", "a change on a level under this is not meaningful")
    glue_markdown("compare_events_text", events_text(n_rows, n_ok, n_proxy, c.blind, floor, c.unit))

    nearest, bits = c.nearest, []
    for _, row in nearest.iterrows():
        pair = f"{c.role_of(row['side_a']).code} vs {c.role_of(row['side_b']).code}"
        window = row["window"]
        # one key per window length, which parameters.yml sets (months_around: [1, 3] gives
        # compare_window_gap_1, compare_window_len_1, compare_window_gap_3, compare_window_len_3)
        gap = g(f"compare_window_gap_{window}", row["gap_pp"], row["period"], pair, "gap_pp",
                f"{row['event']}; {window}-month window; months {row['months']}", unit="percentage points")
        length = g(f"compare_window_len_{window}", window, row["period"], "ALL", "parameter", "months either side of the event", unit="months")
        bits.append(window_bit(gap, length, (row["side_a"], row["side_b"]) if row["proxy"] else None))
    event, date = (event_name(nearest["event"].iloc[0]), nearest["date"].iloc[0]) if bits else ("", "")
    glue_markdown("compare_window_text", window_text(event, date, bits))


@dataclass(frozen=True)
class _OneMonth:
    """The tested month as published."""

    pct: dict[str, float | None]     # 'a', 'b', 'w'
    gap_pp: float | None
    lacking: list[str]
    proxy_pair: tuple[str, str] | None
    readings: Readings


def _one_month(g: _Numbers, c: Comparison) -> _OneMonth:
    """The yardsticks and the tested month: changes, shares, gap and z-scores."""
    s, t, ys = c.settings, c.test, c.yardsticks
    min_changes = g("compare_min_changes", s.min_changes, s.noise.period, "ALL", "parameter",
                    "minimum changes for a yardstick", "changes")
    for k, y in ys.items():
        key_n, key_std = YARDSTICK_KEYS[k]
        g(key_n, y.swing.n, y.window, y.partner, "count", y.name, "changes")
        g(key_std, y.swing.std, y.window, y.partner, "swing_sd", y.name, "percentage points")
    n_lunar = g("compare_seasonal_changes", c.seasonal_changes, s.noise.period, s.world, "count",
                "changes of China's total into or out of a Lunar New Year month", "changes")
    n_used = g("compare_yardsticks_used", len(c.used), f"{s.noise.start}/{s.end}", "ALL", "count",
               f"yardsticks with at least {s.min_changes} ordinary changes", "yardsticks")
    n_all = g("compare_yardsticks_all", len([k for k in ys if k != "w_seasonal"]), f"{s.noise.start}/{s.end}", "ALL", "count",
              "yardsticks that follow the seasonal rule", "yardsticks")
    glue_markdown("compare_noise_text", noise_text(n_used, n_all, min_changes, c.used))

    month, before = str(t.month), str(t.month - 1)
    months = f"{before}/{month}"
    glue_text("compare_focus_words", month_words(t.month))
    code = {"a": c.code(t.side_a), "b": c.code(t.side_b)}
    pa, pb = t.pair
    code["gap"] = f"{c.code(pa)} vs {c.code(pb)}"
    moved, pct, lacking = {}, {}, []
    for side, side_of, ch in (("a", t.side_a, t.a), ("b", t.side_b, t.b)):
        keys = SIDE_KEYS[side]
        b = g(keys.focus_before, ch.before, before, code[side], "level")
        a = g(keys.focus_after, ch.after, month, code[side], "level")
        pct[side] = g(keys.focus_pct, ch.pct, months, code[side], "mom_pct", unit="%")
        missing = [month_words(m) for m in (t.month - 1, t.month) if pd.isna(side_of.values.get(m))]
        moved[side] = moved_text(side_of.label, c.unit, b, a, pct[side], missing, c.floor)
        if pct[side] is None:
            lacking.append(side_of.label)
    pct[WORLD] = g("compare_focus_w_pct", t.world.pct, months, s.world, "mom_pct", unit="%")
    gap_pp = g("compare_focus_gap_pp", t.gap.pp, months, code["gap"], "gap_pp", f"months {t.gap.a.months}",
               unit="percentage points")
    shares = []
    for side, side_of in (("a", t.side_a), ("b", t.side_b)):
        keys, partner, (share_before, share_after) = SIDE_KEYS[side], c.code(side_of), c.tested_shares(side_of)
        sb = g(keys.focus_share_before, share_before, before, partner, "share_pct", f"of {s.world}", unit="%")
        sa = g(keys.focus_share_after, share_after, month, partner, "share_pct", f"of {s.world}", unit="%")
        if sb is not None and sa is not None:
            shares.append((side_of.label, sb, sa))
    proxy_pair = (pa.label, pb.label) if pa.proxy or pb.proxy else None
    glue_markdown("compare_focus_text", focus_text(t.month, moved["a"], moved["b"], pct[WORLD], shares, gap_pp, proxy_pair))

    against = {"a_world": ys["w"], "b_world": ys["w"], "a_recent": ys["a_recent"], "b_recent": ys["b_recent"],
               "gap_pooled": ys["w"], "gap_pooled_seasonal": ys["w_seasonal"], "gap_recent": ys["gap_recent"]}
    z = {k: g(Z_KEYS[k], v, months, code[k.split("_")[0]], "z_score",
              f"against: {against[k].name}" + (" (spread times √2)" if k.startswith("gap_pooled") else ""),
              unit="standard deviations")
         for k, v in c.z.items()}
    pooled = {k: g(key, c.pooled_std(k), s.noise.period, s.world, "swing_sd",
                   f"spread of a gap between two series swinging like: {ys[k].name}", unit="percentage points")
              for k, key in POOLED_KEYS.items()}
    threshold = g("compare_z_threshold", s.z_threshold, months, "ALL", "parameter",
                  "|z| below this is within the ordinary spread", unit="standard deviations")
    glue_markdown("compare_focus_z_text", focus_z_text(t.side_a.label, t.side_b.label, z, ys["w"], pooled["w"],
                                                       ys["gap_recent"], ys["a_recent"], threshold))
    readings = Readings(z["gap_pooled"], ys["w"].swing.n, z["gap_pooled_seasonal"], ys["w_seasonal"].swing.n,
                        n_lunar, threshold)
    return _OneMonth(pct, gap_pp, lacking, proxy_pair, readings)


def _record(g: _Numbers, c: Comparison) -> dict[str, SideRecord]:
    """The licensing record synthesised: restrictions by side, first grants, terms, scheduled dates."""
    s, record = c.settings, c.record
    out = {}
    for side in SIDES:
        role = c.roles[side]
        mine = record[record["side"] == role.label]
        restricted = mine[mine["outcome"] == "restricted"]
        n = g(SIDE_KEYS[side].restricted, len(restricted), s.chart_window, role.code, "count",
              f"restrictions aimed at {role.label} in the licensing record", "events")
        grants = mine[mine["outcome"] == "granted"]
        out[side] = SideRecord(role.label, list(zip(restricted["title"], restricted["date"])), n,
                               (grants["title"].iloc[0], grants["date"].iloc[0]) if len(grants) else None)
    every = record[(record["side"] == ALL) & (record["outcome"] == "granted")]
    out[ALL] = (every["title"].iloc[0], every["date"].iloc[0]) if len(every) else None
    terms = []
    for i, (_, row) in enumerate(record[record["expires"] != ""].iterrows()):
        partner = next((r.code for r in c.roles.values() if r.label == row["side"]), "ALL")
        months = g(f"compare_record_term_{i}", row["months"], row["date"], partner, "licence_months", row["title"], "months")
        terms.append((months, row["title"], row["side"], row["date"], row["expires"]))
    scheduled = record[record["outcome"] == "scheduled"]
    glue_markdown("compare_record_text", finding_record(out["a"], out["b"], out[ALL]) + " "
                  + terms_text(terms, list(zip(scheduled["title"], scheduled["date"]))))
    return out


def _period_words(g: _Numbers, c: Comparison, side: str, i: int, f: PeriodFigure, world: dict[str, float | None]) -> PeriodWords:
    """Glue one newest period of a side (keys numbered: how many periods there are depends on the data)."""
    role = c.roles[side]
    key = f"compare_newest_{side}_{i}"
    value = g(f"{key}_level", f.value, f.period, role.code, "level")
    yoy = g(f"{key}_yoy", f.yoy_pct, f.period, role.code, "yoy_pct", "the same months a year before", unit="%")
    share = g(f"{key}_share", f.share, f.period, role.code, "share_pct", f"of {c.settings.world}", unit="%")
    mom = g(f"{key}_mom", f.mom_pct, f.period, role.code, "mom_pct", unit="%")
    return PeriodWords(f.period, value, yoy, world.get(f.period), share, mom, f.previous_span,
                       math.isfinite(f.year_before))


def _newest(g: _Numbers, c: Comparison, records: dict) -> dict[str, str]:
    """Each side's figures after the last full year, its restrictions of that year; returns the sentences by side."""
    s = c.settings
    year = int(s.newest_since[:4])
    world = {f.period: g(f"compare_newest_w_{i}_yoy", f.yoy_pct, f.period, s.world, "yoy_pct",
                         "the same months a year before", unit="%")
             for i, f in enumerate(c.newest[WORLD])}
    since = pd.Timestamp(s.newest_since)
    out = {}
    for side in SIDES:
        role = c.roles[side]
        periods = [_period_words(g, c, side, i, f, world) for i, f in enumerate(c.newest[side])]
        last, value = c.last_figure(side)
        last_value = g(f"compare_last_{side}", value, str(last) if last is not None else s.chart_window, role.code, "level")
        mine = c.record[(c.record["side"] == role.label) & (c.record["day"] >= since)]
        restricted = mine[mine["outcome"] == "restricted"]
        approvals = mine[mine["outcome"] == "approval figures"]
        out[side] = " ".join(t for t in (
            newest_sentence(role.label, c.unit, year, periods, month_words(last) if last is not None else None, last_value),
            newest_record_sentence(role.label, year, list(zip(restricted["title"], restricted["date"])),
                                   list(zip(approvals["title"], approvals["date"])))) if t)
    scheduled = c.record[c.record["outcome"] == "scheduled"]
    out["scheduled"] = scheduled_text(list(zip(scheduled["title"], scheduled["date"])))
    glue_markdown("compare_newest_text", " ".join(t for t in (out["a"], out["b"], out["scheduled"]) if t))
    return out


def _findings(g: _Numbers, c: Comparison, after_index: dict, shifts: dict, one_month: _OneMonth, records: dict,
              newest: dict) -> None:
    """The overview's findings, the answer for the home page, and the closing section."""
    s, t = c.settings, c.test
    levels = []
    for side in SIDES:
        role = c.roles[side]
        index, world_index = after_index.get(side), after_index.get(WORLD)
        if index is None:
            continue
        # the gap between the two published indexes, so the numbers in the sentence add up
        g(SIDE_KEYS[side].level_gap, index - world_index if world_index is not None else float("nan"), s.after.period,
          f"{role.code} vs {s.world}", "index_gap", f"index against baseline {s.base.period}, minus China's total",
          unit="index points")
        levels.append(level_bit(role.label, s.after, s.base, index, world_index))
    after = [shifts[(side, "after")] for side in SIDES]
    recent = [shifts[(side, "recent")] for side in SIDES]
    measured_shift = next((w for w in after if w.before is not None and w.after is not None), None)
    tariffs = []
    for side in SIDES:
        table = c.tariffs[side]
        up, truce = table[table["role"] == "escalation"], table[table["role"] == "truce"]
        tariffs.append(tariff_sentence(c.roles[side].label, s.base, list(zip(up["title"], up["date"])),
                                       (truce["title"].iloc[0], truce["date"].iloc[0]) if len(truce) else None))
    a, b = records["a"], records["b"]
    year = int(s.newest_since[:4])
    one_month_text = finding_one_month(t.month, [(t.side_a.label, one_month.pct["a"]), (t.side_b.label, one_month.pct["b"])],
                                       one_month.gap_pp, one_month.lacking, one_month.proxy_pair, one_month.readings)
    glue_markdown("compare_md_findings", md_findings([
        ("Over several months.", finding_windows(after, recent, levels), measured_shift is not None),
        ("What else moved the figures.", " ".join(x for x in tariffs if x), True),
        ("One month cannot tell.", one_month_text, one_month.gap_pp is not None),
        ("The licensing record.", finding_record(a, b, records[ALL]), True),
        (f"{year}.", " ".join(x for x in (newest["a"], newest["b"], newest["scheduled"]) if x),
         bool(c.newest["a"] or c.newest["b"])),
    ]))
    glue_markdown("compare_one_month_text", f"**One month cannot tell.** {one_month_text}")
    blind = None
    for side, rec in (("a", a), ("b", b)):
        last, _ = c.last_figure(side)
        if rec.n_restricted and last is not None and pd.Period(rec.restricted[-1][1][:7], "M") > last:
            blind = f"{possessive(rec.label)} figures for {c.product_name.lower()} in these sources end in {month_words(last)}"
            break
    glue_markdown("compare_answer", answer_text(c.product_name.lower(), measured_shift, a, b, blind))

    missing = [(c.roles[r].label, c.missing_since_noise(r)) for r in c.shown]
    inputs = []
    for product in s.input_products:
        rows = c.inputs[c.inputs["product"] == product]
        have = rows[rows["months"] > 0]
        k = g(f"compare_inputs_{product}", have["months"].sum(), f"{s.lo}/{s.hi}", "+".join(rows["partner"]), "count",
              product, "months")
        named = [(c.partner_names[p], periods.split(", ")) for p, periods in zip(have["partner"], have["periods"])]
        inputs.append(input_bit(c.input_names[product], k, named))
    glue_markdown("compare_settle_text", settle_text(missing, inputs))
