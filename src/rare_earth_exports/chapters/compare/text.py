"""Every sentence of a comparison page, and the registration of every number it shows.

The sentence functions take numbers as the page publishes them (rounded by `Page.glue`, None
where there is no figure), so the prose says exactly what metrics.csv holds. `glue_page` glues
each number with its metrics row, then each sentence built from those numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...core.periods import period_in_words
from ...core.words import capitalised, listing, month_words, plural
from ...present.page import Page, glue_markdown, glue_text
from .licensing import ALL
from .measures import WORLD, Comparison, Yardstick, within


@dataclass(frozen=True)
class RoleKeys:
    """Glue keys of the numbers every role has (a side, a proxy, China's total)."""

    months: str
    baseline: str
    after_mean: str
    after_index: str


@dataclass(frozen=True)
class SideKeys:
    """Glue keys of the numbers only the two sides have."""

    share_base: str
    share_after: str
    focus_before: str
    focus_after: str
    focus_pct: str
    focus_share_before: str
    focus_share_after: str
    record_n: str
    said_n: str
    level_gap: str


ROLE_KEYS = {
    "a": RoleKeys("months_a", "baseline_a", "after_mean_a", "after_index_a"),
    "ap": RoleKeys("months_ap", "baseline_ap", "after_mean_ap", "after_index_ap"),
    "b": RoleKeys("months_b", "baseline_b", "after_mean_b", "after_index_b"),
    "bp": RoleKeys("months_bp", "baseline_bp", "after_mean_bp", "after_index_bp"),
    "w": RoleKeys("months_w", "baseline_w", "after_mean_w", "after_index_w"),
}
SIDE_KEYS = {
    "a": SideKeys("share_base_a", "share_after_a", "focus_a_before", "focus_a_after", "focus_a_pct",
                  "focus_share_a_before", "focus_share_a_after", "record_n_a", "said_n_a", "level_gap_a"),
    "b": SideKeys("share_base_b", "share_after_b", "focus_b_before", "focus_b_after", "focus_b_pct",
                  "focus_share_b_before", "focus_share_b_after", "record_n_b", "said_n_b", "level_gap_b"),
}
# Yardsticks: (number of changes, standard deviation).
YARDSTICK_KEYS = {
    "w": ("yard_w_n", "yard_w_std"), "a": ("yard_a_n", "yard_a_std"), "b": ("yard_b_n", "yard_b_std"),
    "a_recent": ("yard_a_recent_n", "yard_a_recent_std"), "b_recent": ("yard_b_recent_n", "yard_b_recent_std"),
    "gap_recent": ("yard_gap_recent_n", "yard_gap_recent_std"),
}
Z_KEYS = {"a_world": "z_a_world", "b_world": "z_b_world", "a_recent": "z_a_recent", "b_recent": "z_b_recent",
          "gap_pooled": "z_gap_pooled", "gap_recent": "z_gap_recent"}


def verb(pct: float) -> str:
    return "fell" if pct < 0 else "rose" if pct > 0 else "did not change"


def event_name(title: str) -> str:
    """An event's name: its title up to any colon ('Announcement 18: ...' -> 'Announcement 18')."""
    return title.split(":")[0]


# --- sentences --------------------------------------------------------------------------------

def coverage_text(control_month: pd.Period, without: list[str], with_some: list[str]) -> str:
    """Which series have no figure before the controls, and what that rules out."""
    month = month_words(control_month)
    if not without:
        return f"Every series has figures before {month}."
    return (f"Before {month} there is no figure for {' or '.join(without)}"
            + (f"; {' and '.join(with_some)} {plural(len(with_some), 'has', 'have')} some. " if with_some else ". ")
            + "A series without figures before the controls has no pre-control baseline: its level after them "
              "cannot be set against its level before, only its month-to-month changes against the other side's.")


def baseline_sentence(label: str, unit: str, base_window: str, after_window: str, base: float | None,
                      after_mean: float | None, after_index: float | None) -> str:
    """A series' baseline level, and its level after the truces as an index of it."""
    if base is None:
        return f"{capitalised(label)} has no figure in the baseline months ({period_in_words(base_window)})."
    return (f"{capitalised(label)} averaged {base:,.1f} {unit} a month in {period_in_words(base_window)}"
            + (f" and {after_mean:,.1f} {unit} in {period_in_words(after_window)}, an index of {after_index:,.1f}."
               if after_mean is not None else f", and has no figure in {period_in_words(after_window)}."))


def share_sentence(label: str, base_window: str, after_window: str, before: float | None, after: float | None) -> str:
    """A side's share of China's total before the controls and after the truces."""
    if before is not None and after is not None:
        return (f"{capitalised(label)} took {before:,.1f}% of China's total in {period_in_words(base_window)} "
                f"and {after:,.1f}% in {period_in_words(after_window)}.")
    if after is not None:
        return (f"{capitalised(label)} took {after:,.1f}% of China's total in the months of {period_in_words(after_window)} "
                "with a figure, but has no share before the controls to compare it with.")
    return f"{capitalised(label)} has no month in {period_in_words(after_window)} with both its own figure and China's total."


def events_text(n_rows: float, n_comparable: float, n_proxy: float, blind: list[str]) -> str:
    """How many event comparisons have a gap, how many through a proxy, and around which events none has."""
    return (f"Of {n_rows:,.0f} comparisons, {n_comparable:,.0f} {plural(n_comparable, 'has', 'have')} months in which "
            "both sides have a figure" + (f", {n_proxy:,.0f} of them through a proxy" if n_proxy else "") + ". "
            + (f"No comparison is possible around {'; '.join(blind)}: one of the sides has no figure before or after "
               "the event." if blind else ""))


def noise_text(n_used: float, n_all: float, min_changes: int, used: dict[str, Yardstick]) -> str:
    """How many yardsticks are usable, and each one's spread (gaps in points, sides in %)."""
    return (f"{n_used:,.0f} of the {n_all:,.0f} yardsticks {plural(n_used, 'has', 'have')} at least {min_changes} changes"
            + (": " + "; ".join(f"{y.name} ({y.swing.n} changes, standard deviation {y.swing.std:,.1f}"
                                f"{' points' if k.startswith('gap') else '%'})" for k, y in used.items()) if used else "")
            + ". A spread estimated from so few changes is itself uncertain: read every z-score below as a rough guide.")


def moved_text(label: str, unit: str, before: float | None, after: float | None, pct: float | None,
               lacking: list[str]) -> str:
    """One side's move in the tested month, or the months it has no figure for."""
    if pct is not None:
        return f"exports to {label} went from {before:,.1f} {unit} to {after:,.1f} {unit} ({pct:+,.1f}%)"
    return f"{label} has no figure for {' or '.join(lacking)}"


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
               if gap_pp is not None else "With no month in which both sides have a figure, there is no gap to measure."))


def focus_z_text(label_a: str, label_b: str, z: dict[str, float | None], world: Yardstick, pooled: float | None,
                 gap_recent: Yardstick, a_recent: Yardstick, threshold: float) -> str:
    """The tested month's changes and gap against each yardstick that can judge them (`z` by Z_KEYS' keys)."""
    bits = []
    if z["a_world"] is not None:
        bits.append(f"Against month-to-month changes in China's total before the controls ({world.swing.n} changes, "
                    f"standard deviation {world.swing.std:,.1f}%), the change for {label_a} sits at z = {z['a_world']:+.2f}"
                    + (f" and the change for {label_b} at z = {z['b_world']:+.2f}" if z["b_world"] is not None else "") + ".")
    if z["gap_pooled"] is not None:
        bits.append(f"The gap, against the {pooled:,.1f} points that two such series would ordinarily differ by, sits at "
                    f"z = {z['gap_pooled']:+.2f}: {within(z['gap_pooled'], threshold)} the ordinary spread "
                    f"(|z| below {threshold:,.0f}).")
    if z["gap_recent"] is not None:
        bits.append(f"Against the yardstick {gap_recent.name.lower()} ({gap_recent.swing.n} changes), it sits at "
                    f"z = {z['gap_recent']:+.2f}.")
    if z["a_recent"] is not None:
        bits.append(f"Against the yardstick {a_recent.name} ({a_recent.swing.n} changes), the change for "
                    f"{label_a} sits at z = {z['a_recent']:+.2f}.")
    return " ".join(bits) if bits else "No yardstick has enough ordinary changes to say whether this month was unusual."


def record_side_sentence(label: str, n: float, counts: list[tuple[str, float]]) -> str:
    """How many licensing items concern one side, by what they say."""
    if not n:
        return f"The events data hold no licensing item specific to {label}."
    parts = ", ".join(f"{cls} {k:,.0f}" for cls, k in counts)
    return f"For {label} the events data hold {n:,.0f} licensing {plural(n, 'item', 'items')} ({parts})."


def record_all_sentence(n_all: float) -> str:
    return f"{n_all:,.0f} {plural(n_all, 'item concerns', 'items concern')} all destinations alike."


def record_term_sentence(months: float, licence_class: str, side: str, date: str, expires: str) -> str:
    """When a licence of stated length runs out."""
    return f"A {months:,.0f}-month {licence_class} for {side} dated {date} runs to {expires}."


def window_bit(gap_pp: float, window: float, proxy_pair: tuple[str, str] | None) -> str:
    """One window's gap around an event, naming the sides when a proxy stands in."""
    return (f"{gap_pp:+,.1f} points with {window:,.0f} {plural(window, 'month', 'months')} either side"
            + (f" ({proxy_pair[0]} against {proxy_pair[1]})" if proxy_pair else ""))


def finding_window(event: str, date: str, bits: list[str]) -> str:
    if not bits:
        return "No event in the list has months in which both sides have a figure before and after it."
    return (f"Around the event nearest the tested month, {event} ({date}), the gap is {listing(bits)}, "
            "comparing the same months on both sides.")


def finding_focus(month: pd.Period, moves: list[tuple[str, float | None]], world_pct: float | None,
                  gap_pp: float | None, label_a: str, label_b: str) -> str:
    """The tested month in one sentence: who rose or fell, and the gap. `moves`: (label, change) of each side."""
    moved = [f"exports to {label} {verb(pct)} {abs(pct):,.1f}%" for label, pct in moves if pct is not None]
    if world_pct is not None:
        moved.append(f"China's total {verb(world_pct)} {abs(world_pct):,.1f}%")
    return (f"From {month_words(month - 1)} to {month_words(month)}, {listing(moved)}"
            + (f": a gap of {gap_pp:+,.1f} percentage points between {label_a} and {label_b}." if gap_pp is not None else
               "; with no month in which both sides have a figure, there is no gap between them to measure."))


def finding_noise(z_gap: float | None, z_sides: list[tuple[str, float | None]], world_changes: int, threshold: float) -> str:
    """Whether the gap (or, without one, each side's change) stands out from ordinary months."""
    if z_gap is not None:
        verdict = within(z_gap, threshold)
        return (f"A gap of that size is {verdict} the ordinary spread of one month's changes (z = {z_gap:+.2f}), a spread "
                f"that rests on only {world_changes} month-to-month changes of China's total before the controls"
                + (": one month of figures neither shows nor rules out differential treatment." if verdict == "within" else
                   ", so the gap looks unusual, but on thin evidence."))
    known = [f"{label} at z = {z:+.2f}" for label, z in z_sides if z is not None]
    if known:
        return ("Without a gap, only each side's own change can be read against the ordinary spread of China's total "
                f"before the controls ({world_changes} changes): " + listing(known) + ".")
    return "There are too few ordinary months to say whether any change is unusual."


def level_bit(label: str, after_window: str, base_window: str, index: float, world_index: float | None,
              gap: float | None, share_before: float | None, share_after: float | None) -> str:
    """A side's level after the truces against its baseline, China's total and its share."""
    return (f"exports to {label} stood at an index of {index:,.1f} in {period_in_words(after_window)} "
            f"({period_in_words(base_window)} = 100)"
            + (f", China's total at {world_index:,.1f}, a gap of {gap:+,.1f} index points" if gap is not None else "")
            + (f"; the share going to {label} {verb(share_after - share_before)} from {share_before:,.1f}% to "
               f"{share_after:,.1f}%" if share_before is not None and share_after is not None else ""))


def finding_levels(bits: list[str], blind_sides: list[str]) -> str:
    """Levels against the baseline, and the sides that have none."""
    text = capitalised(listing(bits)) + ". " if bits else ""
    if blind_sides:
        text += (f"{capitalised(listing(blind_sides))} {plural(len(blind_sides), 'has', 'have')} no figure before the "
                 "controls, so whether one side recovered more than the other since then cannot be measured.")
    return text.strip()


def around_text(event: str, date: str, bits: list[str]) -> str:
    if not bits:
        return "no event in the list has figures for both sides before and after it"
    return f"around {event} ({date}) the gap is {listing(bits)}"


def summary_gap(month: pd.Period, gap_pp: float | None, label_a: str, label_b: str, z_gap: float | None,
                threshold: float, around: str) -> str:
    """The tested month's gap and its verdict, then the windows around the nearest event."""
    if gap_pp is None:
        return capitalised(f"{month_words(month)} has no figure for one of the sides, so no gap can be tested; {around}.")
    return capitalised(
        f"In {month_words(month)}, {label_a} fared {'worse' if gap_pp < 0 else 'better'} than {label_b} by "
        f"{abs(gap_pp):,.1f} percentage points, "
        + (f"{within(z_gap, threshold)} the ordinary spread of one month's changes (z = {z_gap:+.2f})"
           if z_gap is not None else "with too few ordinary months to judge it")
        + f"; {around}.")


def claims_text(label_a: str, n_a: float, label_b: str, n_b: float) -> str:
    return (f"The events data hold {n_a:,.0f} {plural(n_a, 'statement', 'statements')} about {label_a} and "
            f"{n_b:,.0f} about {label_b}, listed above.")


def input_bit(product_name: str, months: float, periods: list[tuple[str, str]]) -> str:
    """How many monthly figures of an input the data hold for these destinations: (partner, months) each."""
    return (f"{months:,.0f} monthly {plural(months, 'figure', 'figures')} of {product_name.lower()}"
            + (" (" + "; ".join(f"{partner} {months_of}" for partner, months_of in periods) + ")" if periods else ""))


def settle_text(missing: list[tuple[str, list[str]]], inputs: list[str]) -> str:
    """The figures that would settle the question: each side's missing months, the inputs, licence counts."""
    needed = [f"{label} in {listing([period_in_words(p) for p in spans])}" for label, spans in missing if spans]
    return (("Monthly figures for " + "; for ".join(needed) + ". " if needed else "")
            + "Exports of the controlled inputs to these destinations: the data hold " + listing(inputs) + ". "
            "And counts of licences applied for and granted, by destination, from China's commerce ministry: the "
            "events data give only what each side said about its own applications.")


# --- what the page publishes -------------------------------------------------------------------

class _Numbers:
    """Glues a number of the comparison with its metrics row; returns it as published (None for none)."""

    def __init__(self, page: Page, c: Comparison):
        self.page, self.product, self.unit = page, c.settings.product, c.unit

    def __call__(self, key: str, value: float, period: str, partner: str, metric: str, basis: str = "",
                 unit: str | None = None) -> float | None:
        return self.page.glue(key, value, period, partner, self.product, metric, unit or self.unit, basis)


def glue_page(page: Page, c: Comparison) -> None:
    """Glue every number and sentence of the page; every number also becomes a metrics row."""
    g = _Numbers(page, c)
    s, roles = c.settings, c.roles
    glue_text("label_a", roles["a"].label)
    glue_text("label_b", roles["b"].label)
    glue_text("product_name", c.product_name[:1].lower() + c.product_name[1:])
    _series_rows(page, c)
    _coverage(g, c)
    after_index = _levels(g, c)
    window_shares = _shares(g, c)
    _events(page, g, c)
    focus = _focus(g, c)
    record_text = _record(g, c)
    n_said = {side: g(SIDE_KEYS[side].said_n, c.said["side"].isin((roles[side].label, "both")).sum(), s.chart_window,
                      roles[side].code, "count", "statements in events.csv", "events") for side in ("a", "b")}
    _findings(g, c, after_index, window_shares, focus, record_text, n_said)


def _series_rows(page: Page, c: Comparison) -> None:
    """Monthly levels, indexes and shares of every series, for metrics.csv."""
    s, product = c.settings, c.settings.product
    for role in c.roles.values():
        page.add_series(role.values.loc[s.start:s.end], role.code, product, "level", c.unit)
    for r, values in c.indexes.items():
        page.add_series(values.loc[s.start:s.end], c.roles[r].code, product, "index", "index", f"baseline {s.base_window}")
    for r, values in c.shares.items():
        page.add_series(values.loc[s.start:s.end], c.roles[r].code, product, "share_pct", "%", f"of {s.world}")


def _coverage(g: _Numbers, c: Comparison) -> None:
    for r in [*c.shown, WORLD]:
        g(ROLE_KEYS[r].months, c.in_charts(r).notna().sum(), c.settings.chart_window, c.roles[r].code,
          "count", "monthly figures", "months")
    without = [c.roles[r].label for r in c.shown if c.months_before_controls(r) == 0]
    with_some = [c.roles[r].label for r in c.shown if c.months_before_controls(r) > 0]
    glue_markdown("coverage_text", coverage_text(c.control_month, without, with_some))


def _levels(g: _Numbers, c: Comparison) -> dict[str, float | None]:
    """Baselines and levels after the truces; returns the published indexes after the truces."""
    s = c.settings
    sentences, after_index = [], {}
    for r in [*c.shown, WORLD]:
        role, base, keys = c.roles[r], c.baselines[r], ROLE_KEYS[r]
        b = g(keys.baseline, base.mean, s.base_window, role.code, "baseline_mean", base.method)
        if b is None:
            sentences.append(baseline_sentence(role.label, c.unit, s.base_window, s.after_window, None, None, None))
            continue
        after = c.after_truces(r)
        m = g(keys.after_mean, after.mean(), s.after_window, role.code, "window_mean", f"mean of {after.notna().sum()} months with a figure")
        after_index[r] = g(keys.after_index, c.after_index(r), s.after_window, role.code, "index",
                           f"baseline {s.base_window}", unit="index")
        sentences.append(baseline_sentence(role.label, c.unit, s.base_window, s.after_window, b, m, after_index[r]))
    glue_markdown("baseline_text", " ".join(sentences))
    return after_index


def _shares(g: _Numbers, c: Comparison) -> dict[str, tuple[float | None, float | None]]:
    """Each side's share of China's total before and after; returns the published pair."""
    s = c.settings
    sentences, published = [], {}
    for side in ("a", "b"):
        role, keys = c.roles[side], SIDE_KEYS[side]
        (before, n_before), (after, n_after) = c.window_shares(side)
        vb = g(keys.share_base, before, s.base_window, role.code, "share_pct", f"of {s.world}, {n_before} months", unit="%")
        va = g(keys.share_after, after, s.after_window, role.code, "share_pct", f"of {s.world}, {n_after} months", unit="%")
        published[side] = (vb, va)
        sentences.append(share_sentence(role.label, s.base_window, s.after_window, vb, va))
    glue_markdown("share_text", " ".join(sentences))
    return published


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
    n_rows = g("events_rows", len(c.pair), s.chart_window, pair, "count", "event-and-window comparisons", "rows")
    n_ok = g("events_comparable", len(c.comparable), s.chart_window, pair, "count", "comparisons with a gap", "rows")
    n_proxy = g("events_proxy", c.comparable["proxy"].sum(), s.chart_window, pair, "count", "comparisons through a proxy", "rows")
    glue_markdown("events_text", events_text(n_rows, n_ok, n_proxy, c.blind))


@dataclass(frozen=True)
class _Focus:
    """The tested month as published."""

    pct: dict[str, float | None]     # 'a', 'b', 'w'
    gap_pp: float | None
    z: dict[str, float | None]


def _focus(g: _Numbers, c: Comparison) -> _Focus:
    """The yardsticks and the tested month: changes, shares, gap and z-scores."""
    s, t, ys = c.settings, c.test, c.yardsticks
    g("min_changes", s.min_changes, f"{s.noise_start}/{s.noise_end}", "ALL", "parameter", "minimum changes for a yardstick", "changes")
    for k, y in ys.items():
        key_n, key_std = YARDSTICK_KEYS[k]
        g(key_n, y.swing.n, y.window, y.partner, "count", y.name, "changes")
        g(key_std, y.swing.std, y.window, y.partner, "swing_sd", y.name, "percentage points")
    n_used = g("yardsticks_used", len(c.used), f"{s.noise_start}/{s.end}", "ALL", "count",
               f"yardsticks with at least {s.min_changes} changes", "yardsticks")
    n_all = g("yardsticks_all", len(ys), f"{s.noise_start}/{s.end}", "ALL", "count", "yardsticks", "yardsticks")
    glue_markdown("noise_text", noise_text(n_used, n_all, s.min_changes, c.used))

    month, before = str(t.month), str(t.month - 1)
    months = f"{before}/{month}"
    glue_text("focus_words", month_words(t.month))
    code = {"a": c.code(t.side_a), "b": c.code(t.side_b)}
    pa, pb = t.pair
    code["gap"] = f"{c.code(pa)} vs {c.code(pb)}"
    moved, pct = {}, {}
    for side, side_of, ch in (("a", t.side_a, t.a), ("b", t.side_b, t.b)):
        keys = SIDE_KEYS[side]
        b = g(keys.focus_before, ch.before, before, code[side], "level")
        a = g(keys.focus_after, ch.after, month, code[side], "level")
        pct[side] = g(keys.focus_pct, ch.pct, months, code[side], "mom_pct", unit="%")
        lacking = [month_words(m) for m in (t.month - 1, t.month) if pd.isna(side_of.values.get(m))]
        moved[side] = moved_text(side_of.label, c.unit, b, a, pct[side], lacking)
    pct[WORLD] = g("focus_w_pct", t.world.pct, months, s.world, "mom_pct", unit="%")
    gap_pp = g("focus_gap_pp", t.gap.pp, months, code["gap"], "gap_pp", f"months {t.gap.a.months}", unit="percentage points")
    shares = []
    for side, side_of in (("a", t.side_a), ("b", t.side_b)):
        keys, partner, (share_before, share_after) = SIDE_KEYS[side], c.code(side_of), c.tested_shares(side_of)
        sb = g(keys.focus_share_before, share_before, before, partner, "share_pct", f"of {s.world}", unit="%")
        sa = g(keys.focus_share_after, share_after, month, partner, "share_pct", f"of {s.world}", unit="%")
        if sb is not None and sa is not None:
            shares.append((side_of.label, sb, sa))
    proxy_pair = (pa.label, pb.label) if pa.proxy or pb.proxy else None
    glue_markdown("focus_text", focus_text(t.month, moved["a"], moved["b"], pct[WORLD], shares, gap_pp, proxy_pair))

    against = {"a_world": ys["w"], "b_world": ys["w"], "a_recent": ys["a_recent"], "b_recent": ys["b_recent"],
               "gap_pooled": ys["w"], "gap_recent": ys["gap_recent"]}
    z = {k: g(Z_KEYS[k], v, months, code[k.split("_")[0]], "z_score",
              f"against: {against[k].name}" + (" (spread times √2)" if k == "gap_pooled" else ""), unit="standard deviations")
         for k, v in c.z.items()}
    pooled = g("gap_pooled_std", c.pooled_std, f"{s.noise_start}/{s.noise_end}", s.world, "swing_sd",
               "spread of a gap between two series swinging like the total", unit="percentage points")
    g("z_threshold", s.z_threshold, months, "ALL", "parameter", "|z| below this is within the ordinary spread", unit="standard deviations")
    glue_markdown("focus_z_text", focus_z_text(t.side_a.label, t.side_b.label, z, ys["w"], pooled, ys["gap_recent"],
                                               ys["a_recent"], s.z_threshold))
    return _Focus(pct, gap_pp, z)


def _record(g: _Numbers, c: Comparison) -> str:
    """The licensing record in numbers and words; returns its text."""
    s, record = c.settings, c.record
    sentences = []
    for side in ("a", "b"):
        role = c.roles[side]
        mine = record[record["side"] == role.label]
        n = g(SIDE_KEYS[side].record_n, len(mine), s.chart_window, role.code, "count", "licensing items in events.csv", "events")
        counts = []
        if n:
            for cls, k in mine["licence_class"].value_counts().sort_index().items():
                slug = cls.replace(" ", "_").replace("-", "_")
                counts.append((cls, g(f"record_{side}_{slug}", k, s.chart_window, role.code, "count", cls, "events")))
        sentences.append(record_side_sentence(role.label, n, counts))
    n_all = g("record_n_all", (record["side"] == ALL).sum(), s.chart_window, "ALL", "count",
              "licensing items for all destinations", "events")
    sentences.append(record_all_sentence(n_all))
    for i, (_, row) in enumerate(record[record["expires"] != ""].iterrows()):
        partner = next((r.code for r in c.roles.values() if r.label == row["side"]), "ALL")
        months = g(f"record_term_{i}", row["months"], row["date"], partner, "licence_months", row["title"], "months")
        sentences.append(record_term_sentence(months, row["licence_class"], row["side"], row["date"], row["expires"]))
    text = " ".join(sentences)
    glue_markdown("record_text", text)
    return text


def _findings(g: _Numbers, c: Comparison, after_index: dict, window_shares: dict, focus: _Focus, record_text: str,
              n_said: dict) -> None:
    """The overview's findings, the summary and the closing section."""
    s, t = c.settings, c.test
    nearest = c.nearest
    bits = []
    for _, row in nearest.iterrows():
        pair = f"{c.role_of(row['side_a']).code} vs {c.role_of(row['side_b']).code}"
        gap = g(f"window_gap_{row['window']}", row["gap_pp"], row["period"], pair, "gap_pp",
                f"{row['event']}; {row['window']}-month window; months {row['months']}", unit="percentage points")
        window = g(f"window_len_{row['window']}", row["window"], row["period"], "ALL", "parameter",
                   "months either side of the event", unit="months")
        bits.append(window_bit(gap, window, (row["side_a"], row["side_b"]) if row["proxy"] else None))
    event, date = (event_name(nearest["event"].iloc[0]), nearest["date"].iloc[0]) if bits else ("", "")
    glue_markdown("finding_window", finding_window(event, date, bits))

    pa, pb = t.pair
    glue_markdown("finding_focus", finding_focus(t.month, [(t.side_a.label, focus.pct["a"]), (t.side_b.label, focus.pct["b"])],
                                                 focus.pct[WORLD], focus.gap_pp, pa.label, pb.label))
    glue_markdown("finding_noise", finding_noise(focus.z["gap_pooled"], [(t.side_a.label, focus.z["a_world"]),
                                                                       (t.side_b.label, focus.z["b_world"])],
                                                 c.yardsticks["w"].swing.n, s.z_threshold))

    level_bits, blind_sides = [], []
    for side in ("a", "b"):
        role = c.roles[side]
        if c.baselines[side].months_with_data == 0:
            blind_sides.append(role.label)
            continue
        index, world_index = after_index.get(side), after_index.get(WORLD)
        if index is None:
            continue
        # the gap between the two published indexes, so the numbers in the sentence add up
        gap = g(SIDE_KEYS[side].level_gap, index - world_index if world_index is not None else float("nan"), s.after_window,
                f"{role.code} vs {s.world}", "index_gap", f"index against baseline {s.base_window}, minus China's total",
                unit="index points")
        level_bits.append(level_bit(role.label, s.after_window, s.base_window, index, world_index, gap, *window_shares[side]))
    levels = finding_levels(level_bits, blind_sides)
    glue_markdown("finding_levels", levels)

    summary = summary_gap(t.month, focus.gap_pp, pa.label, pb.label, focus.z["gap_pooled"], s.z_threshold,
                          around_text(event, date, bits))
    glue_markdown("summary_gap", summary)
    glue_markdown("flows_text", summary + " " + levels)
    glue_markdown("claims_text", claims_text(c.roles["a"].label, n_said["a"], c.roles["b"].label, n_said["b"]))
    glue_markdown("finding_record", record_text)

    missing = [(c.roles[r].label, c.missing_since_noise(r)) for r in c.shown]
    inputs = []
    for product in s.input_products:
        rows = c.inputs[c.inputs["product"] == product]
        have = rows[rows["months"] > 0]
        k = g(f"inputs_{product}", have["months"].sum(), f"{s.lo}/{s.hi}", "+".join(rows["partner"]), "count",
              product, "months")
        inputs.append(input_bit(c.input_names[product], k, list(zip(have["partner"], have["periods"]))))
    glue_markdown("settle_text", settle_text(missing, inputs))
