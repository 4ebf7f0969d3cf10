"""The flow chapter's words: what its prose takes from the data, and the glue that puts it there.

The prose lives in the notebook's Markdown; every word in it that depends on the data (a
direction, a verdict, a list of products, a month) is written here, so each branch has a test.
Sentences whose shape depends on the data are built here whole and glued as Markdown; every
number in them is glued on its own too, with its metrics row, under keys spelled in full.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.conventions import Window
from ...core.load import BookData
from ...core.periods import months_of, period_in_words
from ...core.series import Baseline
from ...core.words import capitalised, date_words, listing, percent, possessive, with_article
from ...present.page import Page, glue_markdown, glue_text
from .measures import ELEMENT_OXIDE, FEEDSTOCK, HEADLINE, WORLD, FlowPage, MonthChange, Permutation, Spike, Stretch


def product_phrase(name: str) -> str:
    """A product's name inside a sentence: lower case, unless it starts with an acronym."""
    return name if name.startswith(("GACC", "PrNd")) else name[0].lower() + name[1:]


def short_name(name: str) -> str:
    """A product's name without its note in brackets, for legends and labels."""
    return name.split(" (")[0]


def element_name(name: str) -> str:
    """'Dysprosium products' -> 'dysprosium': the element alone, for short phrases."""
    return product_phrase(name).removesuffix(" products")


# --- numbers in words -----------------------------------------------------------------------

def tonnes(value: float) -> str:
    return f"{value:,.0f} t"


def kilograms(value: float) -> str:
    return f"{value:,.0f} kg"


def against(index_value: float) -> str:
    """How a level stands against its baseline, from its index: '16.0% above', '11.5% below',
    'level with'; 'not comparable with' without an index."""
    if not np.isfinite(index_value):
        return "not comparable with"
    if round(index_value - 100, 1) == 0:
        return "level with"
    return f"{percent(abs(index_value - 100))} {'above' if index_value > 100 else 'below'}"


def moved(before: float, after: float) -> str:
    """'fell', 'rose' or 'did not change' from `before` to `after` (ratios as printed, 2 decimals)."""
    if round(after, 2) == round(before, 2):
        return "did not change"
    return "fell" if after < before else "rose"


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


def months_words(months: pd.PeriodIndex) -> str:
    """'May to October 2025' for a run, 'May, June, July and October 2025' for a set, 'no month' for none."""
    if not len(months):
        return "no month"
    runs = [str(m) for m in months]
    first, last = months[0], months[-1]
    if len(months) == 2 and (last - first).n == 1 and first.year == last.year:
        return f"{first.strftime('%B')} and {last.strftime('%B')} {first.year}"
    if len(months) == (last - first).n + 1:
        return period_in_words(runs[0] if len(runs) == 1 else f"{runs[0]}/{runs[-1]}")
    if len({m.year for m in months}) == 1:
        return listing([m.strftime("%B") for m in months]) + f" {first.year}"
    return listing([period_in_words(r) for r in runs])


def span_words(period: str) -> str:
    """A period in words, two months as 'January and February 2026'."""
    return months_words(pd.period_range(str(months_of(period)[0]), str(months_of(period)[-1]), freq="M"))


def base_words(base: Baseline, window: Window) -> str:
    """What an index's 100 is: 'the average month of 2024', 'June 2024 alone, the only month of
    2024 with a figure', 'the 3 months of 2024 with a figure', or 'no figure in 2024'."""
    if base.complete:
        return f"the average month of {window.name}"
    if base.months_with_data == 0:
        return f"no figure in {window.name}"
    if base.months_with_data == 1:
        return f"{period_in_words(base.periods[0])} alone, the only month of {window.name} with a figure"
    return f"the {base.months_with_data} months of {window.name} with a figure"


def legend_base(base: Baseline, window: Window) -> str:
    """The base a chart's legend names for a series: '2024 average = 100', 'June 2024 = 100'."""
    if base.complete:
        return f"{window.name} average = 100"
    if base.months_with_data == 0:
        return "no base"
    if base.months_with_data == 1:
        return f"{period_in_words(base.periods[0])} = 100"
    return f"mean of {base.months_with_data} months of {window.name} = 100"


# --- the answer and the stretches -------------------------------------------------------------

def elements_clause(after_index: dict[str, float], base: str) -> str:
    """How the elements stood after the truce against their baseline (`base`, already in words),
    from their indexes; `after_index` maps element names (in words) to indexes (NaN: no figure)."""
    known = {n: v for n, v in after_index.items() if np.isfinite(v)}
    if not known:
        return f"no {listing(after_index, conjunction='or')} figure after the truce has been reported"
    unknown = [n for n in after_index if n not in known]
    pcts = listing([percent(v) for v in known.values()])
    if all(v < 100 for v in known.values()):
        text = f"{listing(known)} ran below {base} (at {pcts} of it)"
    elif all(v >= 100 for v in known.values()):
        text = f"{listing(known)} ran at or above {base} ({pcts} of it)"
    else:
        text = f"{listing([f'{n} at {percent(v)}' for n, v in known.items()])} of {base}"
    if unknown:
        text += f", with no {listing(unknown, conjunction='or')} figure after it"
    return text


def thinning_clause(case: str, months_after: int, spike_name: str) -> str:
    """What the data says about 'the inputs thinned further after the truce' (`Claim.thinning`)."""
    if case == "shown":
        return f"and they thinned further after the truce, with or without {spike_name}, rarely by chance"
    if case == "too few months":
        return f"whether they thinned further after the truce, {months_after} {'month' if months_after == 1 else 'months'} of figures cannot tell"
    if case == "unclear":
        return "whether they thinned further after the truce, the figures cannot tell apart from a monthly swing"
    return "so whether they stayed restricted after it cannot be measured"


def answer(truce: str, finished_index: float, base_name: str, after_index: dict[str, float], element_base: str,
           case: str, months_after: int, spike_name: str) -> str:
    """The page's answer in one sentence: magnets against their baseline, the elements against
    theirs, and what can be said about the inputs thinning after the truce."""
    if np.isfinite(finished_index):
        finished = (f"After the truce of {truce}, China's magnet exports stood {against(finished_index)} "
                    f"their average month of {base_name}")
    else:
        finished = f"After the truce of {truce}, China's magnet exports cannot be set against {base_name}"
    elements = elements_clause(after_index, element_base)
    joiner = ", while " if " ran below " in elements else ", and "
    return f"{finished}{joiner}{elements}; {thinning_clause(case, months_after, spike_name)}."


def elements_base_words(bases: list[Baseline], window: Window) -> str:
    """What the elements are set against in the answer: their common baseline in words, or their
    own months where the baselines differ."""
    if not bases:
        return f"their level of {window.name}"
    if len({(b.periods, b.months_with_data) for b in bases}) > 1:
        return f"their own months of {window.name} with a figure"
    base = bases[0]
    if base.complete:
        return f"their average month of {window.name}"
    if base.months_with_data == 0:
        return f"their level of {window.name}, which has no figure"
    if base.months_with_data == 1:
        return f"{period_in_words(base.periods[0])}, their only month of {window.name} with a figure"
    return f"their {base.months_with_data} months of {window.name} with a figure"


def windows_text(baseline: Window, under_words: str, after_words: str, control: str, truce: str, newest: str) -> str:
    """The three stretches every comparison on the page uses, with where each comes from."""
    return (f"Every comparison on this page uses three stretches of time. The baseline is the window "
            f"“{baseline.name}”: {baseline.reason}. *Under the controls* means {under_words}, from the month of "
            f"the control of {control} to the month of the truce of {truce}; *after the truce* means {after_words}, "
            f"from the first whole month after the truce to {newest}, the newest month in the data.")


def span_clause(spans: list[str]) -> str:
    """', counting January to February 2026 once, as the one figure GACC published for those months' ('' for none)."""
    if not spans:
        return ""
    return (f", counting {listing([span_words(s) for s in spans])} once, as the "
            f"{'one figure' if len(spans) == 1 else 'figures'} China's customs published for "
            f"{'those months' if len(spans) == 1 else 'those stretches'} together")


def magnets_text(after_mean: float, after_index: float, under_mean: float, under_index: float, base_mean: float,
                 base_name: str, after_words: str, under_words: str, spans: list[str]) -> str:
    """World magnets after the truce and under the controls against their baseline."""
    return (f"After the truce ({after_words}) China exported {tonnes(after_mean)} of magnets in an average month"
            f"{span_clause(spans)}: {against(after_index)} its average month of {base_name} ({tonnes(base_mean)}). "
            f"Under the controls ({under_words}) it exported {tonnes(under_mean)} a month, "
            f"{against(under_index)} that average.")


def bases_text(groups: list[tuple[list[str], Baseline]], window: Window) -> str:
    """Which baseline each indexed series rests on, one clause per baseline, weak ones named."""
    parts = []
    for names, base in groups:
        who = listing(names)
        if base.complete:
            parts.append(f"{who} rest on every month of {window.name} (their reported totals cover it)")
        elif base.months_with_data == 0:
            parts.append(f"{who} have no figure in {window.name} and are not indexed")
        elif base.months_with_data == 1:
            parts.append(f"{who} rest on {period_in_words(base.periods[0])} alone, the only month of {window.name} "
                         "with a figure: for them the index says how a month compares with that one month, not with "
                         "a normal year")
        else:
            parts.append(f"{who} rest on the {base.months_with_data} months of {window.name} with a figure")
    return capitalised("; ".join(parts)) + "." if parts else ""


def element_level_text(name: str, after: Stretch, after_index: float, base: str, over: pd.Series) -> str:
    """One element after the truce against its baseline, and the months since the controls above it."""
    if not after.n:
        return f"No {name} figure after the truce has been reported."
    text = (f"After the truce China exported {kilograms(after.raw_mean)} of {name} in an average month "
            f"({months_words(after.months)}): {percent(after_index)} of {base}.")
    if len(over):
        return text + f" Since the controls it rose above that level in {months_words(over.index)}."
    return text + " It stayed below that level in every month with a figure since the controls."


def ratio_text(name: str, under: Stretch, after: Stretch) -> str:
    """Kilograms of one element per tonne of magnets under the controls and after the truce."""
    if not (under.n and after.n):
        missing = "under the controls" if not under.n else "after the truce"
        return f"{capitalised(name)}: no month {missing} has figures for both, so the ratio cannot be compared."
    return (f"{capitalised(name)}: {under.ratio:,.2f} kg per tonne of magnets under the controls "
            f"({months_words(under.months)}), {after.ratio:,.2f} kg after the truce ({months_words(after.months)}): "
            f"it {moved(under.ratio, after.ratio)}.")


def spike_text(spike: Spike, spike_words: str, element: str, under: Stretch | None, without: Stretch | None,
               after: Stretch | None, top_partner: str) -> str:
    """The spike, named with what is known of it, and the comparison without it."""
    if not spike.present:
        return (f"The data has no {element} figure for {spike_words} ({period_in_words(spike.window.period)}), "
                "so no spike is set aside.")
    text = (f"The months under the controls include {spike_words}: {kilograms(spike.total)} of {element} in "
            f"{months_words(spike.months.index)}, {percent(spike.share_of_under)} of all the {element} China exported "
            "under the controls")
    if spike.top:
        text += (f", {kilograms(spike.top['value'])} of it to {top_partner} in {period_in_words(spike.top['period'])} "
                 f"alone ({percent(spike.top['share_pct'])} of that month's)")
    text += "."
    if under is None or without is None or after is None or not (without.n and after.n):
        return text + " Without those months no month under the controls has figures for both, so no comparison is left."
    way, with_spike = moved(without.ratio, after.ratio), moved(under.ratio, after.ratio)
    text += (f" Without them, {element} under the controls comes to {without.ratio:,.2f} kg per tonne of magnets "
             f"({months_words(without.months)}), and from there the ratio after the truce {way}")
    if way == with_spike:
        return text + ", as it did with the spike."
    return text + f", where with the spike it {with_spike}: the direction of the change rests on the spike."


def test_text(tests: dict[str, Permutation], rare_share: float, left_out: int, seasonal: str) -> str:
    """The permutation over months, for every element, worded for readers."""
    known = {n: t for n, t in tests.items() if t.splits}
    if not known:
        return "No element has figures both under the controls and after the truce, so the months cannot be compared."
    first = next(iter(known.values()))
    same = len({(t.splits, t.before, t.after, t.exact) for t in known.values()}) == 1
    n = first.before + first.after
    if not same:
        picks = "of all the ways to pick as many months as there are after the truce from the months"
    elif first.exact:
        picks = f"of the {first.splits:,} ways to pick {first.after} of the {n} months"
    else:
        picks = f"of {first.splits:,} random picks of {first.after} of the {n} months"
    text = ("A comparison over every month treats each month alike. Take each month's kilograms per tonne and, "
            f"{picks} under the controls and after the truce, count those whose average is as low, against the other "
            "months, as that of the months after the truce. ")
    counts = [f"{n} {t.as_low:,}" + ("" if same else f" of {t.splits:,}") for n, t in known.items()]
    text += capitalised(f"for {listing(counts)} do.")
    if all(t.share <= rare_share for t in known.values()):
        text += " A fall that size is rare among these months, so it is unlikely to be a monthly swing."
    elif all(t.smallest_share > rare_share for t in known.values()):
        text += (" With so few months, not even the lowest possible count (1) would be rare: the test cannot tell a "
                 "lasting change from a monthly swing.")
    else:
        text += " A fall like the one after the truce is common among these months: it cannot be told from a monthly swing."
    if left_out:
        return text + f" By the book's seasonal rule, {left_out} {seasonal} {'month is' if left_out == 1 else 'months are'} left out."
    return text + f" None of these months is a Lunar New Year month ({seasonal}), which the book's seasonal rule would leave out."


def thin_verdict(case: str, months_after: int, min_months: int) -> str:
    """The section's first sentence: what the data supports about the inputs thinning after the truce."""
    if case == "shown":
        return ("The inputs thinned after the truce: every controlled element fell against magnets, with and without "
                "the spike, and rarely by chance.")
    if case == "too few months":
        return (f"With {months_after} {'month' if months_after == 1 else 'months'} of element figures after the truce "
                f"(the book reads a change only from {min_months}), the data cannot tell whether the inputs thinned "
                "further after the truce.")
    if case == "unclear":
        return ("The data does not show that the inputs thinned further after the truce: the comparison turns with "
                "the spike, or the months after the truce are not unusual among those under the controls.")
    return "No element figure after the truce has been reported, so whether the inputs thinned cannot be measured."


# --- 2026, prices, the destination -------------------------------------------------------------

def change_words(row: pd.Series) -> str:
    """'8.2% more than in January to February 2025' (like with like), 'not meaningful', or 'no figure'."""
    prior = span_words(row["prior_period"])
    if not np.isfinite(row["prior"]):
        return f"no figure for {prior} to compare with"
    if not row["meaningful"]:
        return f"a change on {prior} that is not meaningful (its base is below the floor)"
    if round(row["yoy_pct"], 1) == 0:
        return f"level with {prior}"
    return f"{percent(abs(row['yoy_pct']))} {'more' if row['yoy_pct'] > 0 else 'less'} than in {prior}"


def newest_change_words(change: MonthChange) -> str:
    """The newest month against the month before: a change, or why none can be computed."""
    month, before = period_in_words(change.month), period_in_words(str(pd.Period(change.month, "M") - 1))
    if change.why == "span":
        return (f"The change from {before} to {month} cannot be computed: {before} has no figure of its own, because "
                f"China's customs published {span_words(change.span)} as one figure.")
    if change.why == "missing":
        return f"The change from {before} to {month} cannot be computed: one of the two months has no figure."
    return f"From {before} to {month} the figure changed by {change.change_pct:+,.1f}%."


def figure_words(row: pd.Series) -> str:
    """'January to February 2026: 10,763 t (one figure for the 2 months), 8.2% more than in ...'."""
    together = {1: "", 2: " (one figure for both months)"}.get(row["n_months"], f" (one figure for the {row['n_months']} months)")
    return f"{capitalised(span_words(row['period']))}: {row['value']:,.0f} {row['unit']}{together}, {change_words(row)}."


def told(changes: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """The figures a sentence tells: single months, and spans drawn as one (not totals that repeat them)."""
    return changes[(changes["n_months"] == 1) | changes["period"].isin(set(spans["period"]))]


def year_text(rows: pd.DataFrame, lead: str, newest: MonthChange) -> str:
    """The newest year's figures against the same months a year before, then the newest month's change."""
    if not len(rows):
        return f"{lead} No figure for the months after the last full year has been reported."
    return " ".join([lead, *[figure_words(r) for _, r in rows.iterrows()], newest_change_words(newest)])


def without_figures_text(names: list[str], year: str) -> str:
    """Which raw inputs have no figure at all in the newest year, and what that means."""
    if not names:
        return ""
    return (f"No {year} export figure for {listing(names, conjunction='or')} has been reported, so {year} cannot test "
            "the raw-input half of the claim.")


def quote_words(q: pd.Series) -> str:
    value = f"USD {q['low']:,.0f}" if q["low"] == q["high"] else f"USD {q['low']:,.0f} to {q['high']:,.0f}"
    return f"{value} per kg {q['market_words']} ({period_in_words(q['period'])})"


def prices_since_text(quotes: pd.DataFrame, controlled: set[str], names: dict[str, str], year: str,
                      premium_products: list[str]) -> str:
    """The quotes of the newest year by product, and what they can and cannot show."""
    if not len(quotes):
        return f"No price quote for {year} has been reported."
    by_product = []
    for product, q in quotes.groupby("product", sort=False):
        merged = q.groupby(["market_words", "period"], sort=False).agg(low=("low", "min"), high=("high", "max")).reset_index()
        by_product.append(f"{names[product]}, {listing([quote_words(r) for _, r in merged.iterrows()])}")
    text = f"Quotes for {year}: " + "; ".join(by_product) + "."
    abroad = list(dict.fromkeys(p for p, m in zip(quotes["product"], quotes["market"])
                                if m not in ("CHN", "CHNFOB") and p in controlled))
    if abroad:
        verb = "has" if len(abroad) == 1 else "have"
        return text + f" {capitalised(listing([names[p] for p in abroad]))} {verb} a quote outside China in {year}."
    uncontrolled = [names[p] for p in premium_products if p not in controlled]
    lead = (f" The only {year} premium is for {listing(uncontrolled)}, never controlled; no" if uncontrolled else " No")
    return text + (f"{lead} {year} quote of a controlled input comes from outside China, so {year} prices cannot show "
                   "whether the controlled inputs stayed scarce abroad.")


def input_verdict(input_share: float, finished_share: float) -> str:
    """Whether a destination's share of an input export points against 'inputs stayed restricted'
    for it ('the other way'), fits it, or cannot be read (no world figure)."""
    if not (np.isfinite(input_share) and np.isfinite(finished_share)):
        return "cannot be read"
    return "points the other way" if input_share > finished_share else "fits the claim"


def input_text(row: pd.Series, name: str, destination: str) -> str:
    """One destination figure of a controlled input, set against its share of magnets."""
    verdict = input_verdict(row["share_pct"], row["finished_share_pct"])
    amount = f"{row['value']:,.0f} {row['unit']} of {name} in {span_words(row['period'])}"
    if verdict == "cannot be read":
        return (f"{capitalised(amount)}: there is no world figure for the same months to set it against, so it "
                "cannot say whether the input was held back.")
    when = "that month" if len(months_of(row["period"])) == 1 else "those months"
    share = (f"{percent(row['share_pct'])} of China's {element_name(name)} exports {when}, when {destination} took "
             f"{percent(row['finished_share_pct'])} of its magnets")
    if verdict == "points the other way":
        return f"{capitalised(amount)}, {share}: this figure points the other way, a larger share of the input than of the magnets."
    return f"{capitalised(amount)}, {share}: this figure fits the claim, a smaller share of the input than of the magnets."


def inputs_text(rows: pd.DataFrame, names: dict[str, str], destination: str, unreported: list[str]) -> str:
    """Every figure of a controlled input for the destination, and the inputs with none."""
    if not len(rows):
        text = f"The data holds no figure of a controlled input exported to {destination}."
    else:
        text = " ".join(input_text(r, names[r["product"]], destination) for _, r in rows.iterrows())
    if unreported:
        text += f" For {listing([names[p] for p in unreported])} it holds none: unknown, not zero."
    return text


def tariffs_text(tariffs: pd.DataFrame, truce: pd.DataFrame, destination: str) -> str:
    """The tariff escalation under the controls, a second cause of any fall in the destination's figures."""
    if not len(tariffs):
        return ""
    listed = listing([f"“{t['title']}” ({date_words(t['date'])})" for _, t in tariffs.iterrows()])
    text = f"Two causes overlap in {possessive(destination)} figures: China's controls, and the tariff escalation of the same weeks, {listed}"
    if len(truce):
        text += f", eased by the truce of {date_words(truce.iloc[0]['date'])} (“{truce.iloc[0]['title']}”)"
    return text + ". The figures cannot tell the two apart."


def focus_text(name: str, window: Window, base: float, under: float, under_index: float, after: float,
               after_index: float, under_words: str, after_words: str) -> str:
    """The destination's magnets under the controls and after the truce against its own window."""
    return (f"China's magnet exports to {name} averaged {tonnes(base)} a month in {window.name} (the window "
            f"“{window.name}”: {window.reason}). Under the controls ({under_words}) they averaged {tonnes(under)}, "
            f"{against(under_index)} the {window.name} average; after the truce ({after_words}) {tonnes(after)}, "
            f"{against(after_index)} it.")


def shares_text(name: str, shares: list[tuple[float, str]]) -> str:
    """The destination's share of China's magnet exports over named stretches (share, words)."""
    parts = [f"{percent(v)} {words}" if np.isfinite(v) else f"not known {words}" for v, words in shares]
    return f"{capitalised(possessive(name))} share of China's magnet exports: {listing(parts)}."


# --- glue ---------------------------------------------------------------------------------

ELEMENT_KEYS = {
    "dysprosium": {"base": "flow_dy_base", "after_mean": "flow_dy_after_mean", "after_index": "flow_dy_after_index",
                   "after_n": "flow_dy_after_n", "under_ratio": "flow_dy_under_ratio", "after_ratio": "flow_dy_after_ratio",
                   "without_ratio": "flow_dy_without_ratio", "as_low": "flow_dy_test_as_low", "splits": "flow_dy_test_splits",
                   "n": "flow_dy_n"},
    "terbium": {"base": "flow_tb_base", "after_mean": "flow_tb_after_mean", "after_index": "flow_tb_after_index",
                "after_n": "flow_tb_after_n", "under_ratio": "flow_tb_under_ratio", "after_ratio": "flow_tb_after_ratio",
                "without_ratio": "flow_tb_without_ratio", "as_low": "flow_tb_test_as_low", "splits": "flow_tb_test_splits",
                "n": "flow_tb_n"},
}


def glue(page: Page, flow: FlowPage, data: BookData) -> None:
    """Every word and number of the page's prose, in the order the page reads."""
    _glue_answer(page, flow, data)
    _glue_magnets(page, flow, data)
    _glue_elements(page, flow, data)
    _glue_headline(page, flow, data)
    _glue_years(page, flow, data)
    _glue_destinations(page, flow, data)
    _glue_prices(page, flow, data)
    _glue_focus(page, flow, data)


def _name(data: BookData, product: str) -> str:
    """A series' name in a sentence; the headline category by what it is."""
    if product == HEADLINE:
        return "the headline “rare earths” category"
    return product_phrase(data.product_name(product))


def _element_words(data: BookData, product: str) -> str:
    return element_name(data.product_name(product))


def _glue_answer(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, c = flow.scope, flow.claim
    under, after = sc.phases
    page.glue("flow_mag_after_change", c.finished_index(c.finished_after) - 100, after.period, WORLD, sc.finished, "change_pct",
              "%", f"monthly mean after the truce against the average month of {sc.baseline.name}")
    for p, e in c.elements.items():
        keys = ELEMENT_KEYS[p]
        page.glue(keys["after_index"], e.after_index, e.after.common, WORLD, p, "index", "index",
                  f"mean after the truce, {legend_base(e.base, sc.baseline)}")
        page.glue(keys["after_n"], e.after.n, after.period, WORLD, p, "count", "months", "months after the truce with figures")
    page.glue("flow_min_months_after", sc.min_months_after, after.period, WORLD, "raw inputs", "parameter", "months",
              "fewest months after the truce from which a change is read")
    element_base = elements_base_words([e.base for e in c.elements.values()], sc.baseline)
    sentence = answer(date_words(sc.truce_date), c.finished_index(c.finished_after), sc.baseline.name,
                      {_element_words(data, p): e.after_index for p, e in c.elements.items()}, element_base,
                      c.thinning, c.months_after, sc.spike.name)
    glue_markdown("flow_answer", sentence)
    glue_markdown("flow_windows_text", windows_text(sc.baseline, period_in_words(under.period), period_in_words(after.period),
                                                    date_words(sc.control_date), date_words(sc.truce_date),
                                                    period_in_words(sc.end)))


def _glue_magnets(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, c = flow.scope, flow.claim
    under, after = sc.phases
    page.glue("flow_mag_base_mean", c.finished_base.mean, sc.base_window, WORLD, sc.finished, "baseline_mean", "t",
              c.finished_base.method)
    page.glue("flow_mag_under_mean", c.finished_under.mean, under.period, WORLD, sc.finished, "window_mean", "t",
              c.finished_under.method)
    page.glue("flow_mag_under_index", c.finished_index(c.finished_under), under.period, WORLD, sc.finished, "index", "index",
              f"baseline {sc.base_window}")
    page.glue("flow_mag_after_mean", c.finished_after.mean, after.period, WORLD, sc.finished, "window_mean", "t",
              c.finished_after.method)
    page.glue("flow_mag_after_index", c.finished_index(c.finished_after), after.period, WORLD, sc.finished, "index", "index",
              f"baseline {sc.base_window}")
    sp = flow.finished.spans
    spans = list(sp.loc[(sp["first_month"] >= pd.Period(after.start, "M")) & (sp["last_month"] <= pd.Period(after.end, "M")), "period"])
    glue_markdown("flow_magnets_text", magnets_text(c.finished_after.mean, c.finished_index(c.finished_after), c.finished_under.mean,
                                                    c.finished_index(c.finished_under), c.finished_base.mean, sc.baseline.name,
                                                    period_in_words(after.period), period_in_words(under.period), spans))
    groups: dict[tuple, list[str]] = {}
    for p, s in flow.series.items():
        groups.setdefault((s.baseline.periods, s.baseline.months_with_data), []).append(_name(data, p))
    by_base = [(names, next(s.baseline for q, s in flow.series.items() if _name(data, q) == names[0])) for names in groups.values()]
    glue_markdown("flow_bases_text", bases_text(by_base, sc.baseline))


def _glue_elements(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, c = flow.scope, flow.claim
    under, after = sc.phases
    levels, ratios = [], []
    for p, e in c.elements.items():
        keys, name = ELEMENT_KEYS[p], _name(data, p)
        page.glue(keys["base"], e.base.mean, e.base.window, WORLD, p, "baseline_mean", "kg", e.base.method)
        page.glue(keys["after_mean"], e.after.raw_mean, e.after.common, WORLD, p, "window_mean", "kg",
                  "monthly mean over the months after the truce that also have a magnet figure")
        page.glue(keys["under_ratio"], e.under.ratio, e.under.common, WORLD, f"{p}/{sc.finished}", "input_ratio", "kg/t",
                  "mean kg over mean t, under the controls")
        page.glue(keys["after_ratio"], e.after.ratio, e.after.common, WORLD, f"{p}/{sc.finished}", "input_ratio", "kg/t",
                  "mean kg over mean t, after the truce")
        if e.without_spike is not None:
            page.glue(keys["without_ratio"], e.without_spike.ratio, e.without_spike.common, WORLD, f"{p}/{sc.finished}",
                      "input_ratio", "kg/t", f"mean kg over mean t, under the controls without {sc.spike.period}")
        page.glue(keys["as_low"], e.test.as_low, f"{under.period}->{after.period}", WORLD, f"{p}/{sc.finished}", "count",
                  "splits", "splits of the months as low as the months after the truce")
        page.glue(keys["splits"], e.test.splits, f"{under.period}->{after.period}", WORLD, f"{p}/{sc.finished}", "count",
                  "splits", "ways to split the months" if e.test.exact else "random splits of the months")
        page.glue(keys["n"], e.series.n_months, f"{sc.start}/{sc.end}", WORLD, p, "count", "months", "monthly figures")
        levels.append(element_level_text(name, e.after, e.after_index, base_words(e.base, sc.baseline), e.months_over_base))
        ratios.append(ratio_text(name, e.under, e.after))
    glue_markdown("flow_elements_text", " ".join(levels))
    glue_markdown("flow_ratio_text", " ".join(ratios))
    sp = c.spike
    top_name = with_article(data.partner_name(sp.top["partner"])) if sp.top else ""
    if sp.present:
        page.glue("flow_spike_total", sp.total, sp.window.period, WORLD, sp.product, "level", "kg", "total of the spike's months")
        page.glue("flow_spike_share", sp.share_of_under, under.period, WORLD, sp.product, "share_pct", "%",
                  f"the spike's months in the total under the controls")
    if sp.top:
        page.glue("flow_spike_top", sp.top["value"], sp.top["period"], sp.top["partner"], sp.product, "level", sp.top["unit"],
                  "largest destination figure in the spike")
        page.glue("flow_spike_top_share", sp.top["share_pct"], sp.top["period"], sp.top["partner"], sp.product, "share_pct", "%",
                  "share of the world figure, same month")
    e = c.spike_element
    glue_markdown("flow_spike_text", spike_text(sp, sc.spike.name, _element_words(data, sp.product), e.under if e else None,
                                                e.without_spike if e else None, e.after if e else None, top_name))
    seasonal = listing([pd.Period(f"2000-{m:02d}", "M").strftime("%B") for m in sc.seasonal_months])
    glue_markdown("flow_test_text", test_text({_element_words(data, p): e.test for p, e in c.elements.items()}, sc.rare_share,
                                              sum(e.seasonal_left_out for e in c.elements.values()), seasonal))
    glue_markdown("flow_thin_verdict", thin_verdict(c.thinning, c.months_after, sc.min_months_after))
    last = max((e.series.frame["value"].last_valid_index() for e in c.elements.values()
                if e.series.frame["value"].notna().any()), default=None)
    glue_text("flow_elements_last_month", period_in_words(str(last)) if last is not None else "no month")


def _glue_headline(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, h = flow.scope, flow.headline
    year, prior = str(sc.year), str(sc.prior)
    glue_text("flow_year_words", year)
    glue_text("flow_prior_words", prior)
    page.glue("flow_re_year", h.annual.at[HEADLINE, "current"], year, WORLD, HEADLINE, "level", "t", "annual total")
    page.glue("flow_re_yoy", h.annual.at[HEADLINE, "yoy_pct"], year, WORLD, HEADLINE, "yoy_pct", "%",
              f"{sc.year} against {sc.prior}, annual totals")
    page.glue("flow_re_n_years", len(h.years), f"{h.years.index.min()}/{h.years.index.max()}", WORLD, HEADLINE, "count",
              "years", "years with a known total")
    glue_text("flow_re_rank", rank_words(h.years, sc.year))
    page.glue("flow_prnd_n", h.feedstock_figures, f"{sc.start}/{sc.end}", WORLD, FEEDSTOCK, "count", "figures",
              "export figures in the data")
    page.glue("flow_dyox", h.oxide["value"], h.oxide["period"], WORLD, ELEMENT_OXIDE, "level", h.oxide["unit"], "dysprosium oxide alone")
    glue_text("flow_dyox_month", period_in_words(h.oxide["period"]))


def _glue_years(page: Page, flow: FlowPage, data: BookData) -> None:
    sc = flow.scope
    year = str(sc.year)
    page.glue("flow_n_annual_known", int(flow.annual["yoy_pct"].notna().sum()), year, WORLD, "all products", "count",
              "products", "both years known")
    page.glue("flow_n_products", len(sc.products), year, WORLD, "all products", "count", "products")
    page.glue("flow_n_same_month", len(flow.same_month), year, WORLD, "all products", "count", "month pairs")
    page.glue("flow_floor_t", sc.floors.get("t", float("nan")), year, WORLD, "all products", "parameter", "t",
              "floor for a change on a small base")
    page.glue("flow_floor_kg", sc.floors.get("kg", float("nan")), year, WORLD, "all products", "parameter", "kg",
              "floor for a change on a small base")
    newest_year = sc.newest_year_start[:4]
    rows = flow.year_changes[flow.year_changes["product"] == sc.finished]
    glue_markdown("flow_year_text", year_text(told(rows, flow.finished.spans), f"Magnets to all destinations, {newest_year} so far.",
                                              flow.newest))
    missing = [_name(data, p) for p in sc.raws if p != HEADLINE and p not in set(flow.year_changes["product"])]
    glue_markdown("flow_year_raw_text", without_figures_text(missing, newest_year))


def _glue_destinations(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, sh = flow.scope, flow.shares
    year = str(sc.year)
    glue_text("flow_destination", with_article(data.partner_name(sc.destination)))
    page.glue("flow_d_magnets_year", sh.destination_total, year, sc.destination, sc.finished, "level", "t", "annual total")
    page.glue("flow_w_magnets_year", sh.world_total, year, WORLD, sc.finished, "level", "t", "annual total")
    page.glue("flow_d_share_year", sh.share_year, year, sc.destination, sc.finished, "share_pct", "%", "annual totals")
    low, high = sh.monthly.idxmin(), sh.monthly.idxmax()
    page.glue("flow_d_share_min", sh.monthly[low], str(low), sc.destination, sc.finished, "share_pct", "%", "lowest month")
    page.glue("flow_d_share_max", sh.monthly[high], str(high), sc.destination, sc.finished, "share_pct", "%", "highest month")
    glue_text("flow_d_share_min_month", period_in_words(str(low)))
    glue_text("flow_d_share_max_month", period_in_words(str(high)))
    under, _ = sc.phases
    since = f"{under.start}/{sc.end}"
    page.glue("flow_n_dest_raw", len(flow.destinations), since, "ALL", "raw inputs", "count", "figures", "destination figures")
    glue_text("flow_controls_start_words", period_in_words(under.start))


def _glue_prices(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, pr = flow.scope, flow.prices
    for product, month, inside, low, high in (("y_oxide", "flow_p_y_month", "flow_p_y_inside", "flow_p_y_low", "flow_p_y_high"),
                                              ("nd_oxide", "flow_p_nd_month", "flow_p_nd_inside", "flow_p_nd_low", "flow_p_nd_high")):
        row = pr.latest_premium(product)
        if row is None:
            glue_text(month, "no month (no quote in China in a month with one in Europe)")
            glue_text(inside, "a price in China")
            page.glue(low, float("nan"), "", "EU27", product, "price_premium", "ratio", "low: no same-month quotes")
            page.glue(high, float("nan"), "", "EU27", product, "price_premium", "ratio", "high: no same-month quotes")
            continue
        basis = f"{{}}: Europe over {row['inside_words']}, same month"
        glue_text(month, period_in_words(row["month"]))
        glue_text(inside, row["inside_words"])
        page.glue(low, row["low"], row["month"], "EU27", product, "price_premium", "ratio", basis.format("low"))
        page.glue(high, row["high"], row["month"], "EU27", product, "price_premium", "ratio", basis.format("high"))
    glue_text("flow_p_without", listing([_name(data, p) for p in pr.without_premium], empty="none"))
    year = sc.newest_year_start[:4]
    since = pr.quotes_since(sc.newest_year_start).assign(
        market_words=lambda q: q["market"].map({"CHN": "inside China", "CHNFOB": "as China's export price (FOB)",
                                                "EU27": "in Europe"}).fillna("elsewhere"))
    controlled = set(data.products.loc[data.products["controlled_since"] != "", "product"])
    newest_premiums = list(dict.fromkeys(pr.premiums.loc[pr.premiums["month"] >= sc.newest_year_start, "product"]))
    glue_markdown("flow_prices_year_text", prices_since_text(since, controlled, {p: _name(data, p) for p in sc.price_products},
                                                             year, newest_premiums))


def _glue_focus(page: Page, flow: FlowPage, data: BookData) -> None:
    sc, f = flow.scope, flow.focus
    under, after = sc.phases
    name = with_article(data.partner_name(f.partner))
    glue_text("flow_focus_name", name)
    page.glue("flow_d_base_mean", f.base.mean, f.window.period, f.partner, sc.finished, "baseline_mean", "t", f.base.method)
    page.glue("flow_d_under_mean", f.under.mean, under.period, f.partner, sc.finished, "window_mean", "t", f.under.method)
    page.glue("flow_d_under_index", f.index_of(f.under), under.period, f.partner, sc.finished, "index", "index", f"baseline {f.window.period}")
    page.glue("flow_d_after_mean", f.after.mean, after.period, f.partner, sc.finished, "window_mean", "t", f.after.method)
    page.glue("flow_d_after_index", f.index_of(f.after), after.period, f.partner, sc.finished, "index", "index", f"baseline {f.window.period}")
    glue_markdown("flow_focus_text", focus_text(name, f.window, f.base.mean, f.under.mean, f.index_of(f.under), f.after.mean,
                                                f.index_of(f.after), period_in_words(under.period), period_in_words(after.period)))
    glue_markdown("flow_focus_tariffs", tariffs_text(f.tariffs, f.tariff_truce, name))
    for key, (_, r) in zip(("flow_d_share_window", "flow_d_share_under", "flow_d_share_after"), f.shares.iterrows()):
        page.glue(key, r["share_pct"], r["period"], f.partner, sc.finished, "share_pct", "%", f"of the world figure, {r['name']}")
    words = [f"in {f.window.name}", under.name, after.name]
    glue_markdown("flow_focus_shares", shares_text(name, list(zip(f.shares["share_pct"], words))))
    glue_markdown("flow_focus_year", year_text(told(f.year_changes, f.series.spans), f"Magnets to {name}, {sc.newest_year_start[:4]} so far.", f.newest))
    names = {p: _name(data, p) for p in sc.raws}
    for _, r in f.inputs.iterrows():
        if r["product"] == "terbium":
            page.glue("flow_d_tb_value", r["value"], r["period"], f.partner, "terbium", "level", r["unit"], "destination figure")
            page.glue("flow_d_tb_share", r["share_pct"], r["period"], f.partner, "terbium", "share_pct", "%", "of the world figure, same period")
            page.glue("flow_d_tb_magnet_share", r["finished_share_pct"], r["period"], f.partner, sc.finished, "share_pct", "%",
                      "of the world figure, same period")
    page.glue("flow_n_dest_raw_d", len(f.inputs), f"{under.start}/{sc.end}", f.partner, "raw inputs", "count", "figures",
              "destination figures")
    glue_markdown("flow_focus_inputs", inputs_text(f.inputs, names, name, f.unreported))
