"""The flow chapter's words: one test per branch of every word and sentence, then everything the
page glues, on the small hand-made data package of `flow_helpers` (figures worked out in comments)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from rare_earth_exports.chapters.flow import measures, text
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.load import BookData
from rare_earth_exports.core.series import Baseline
from rare_earth_exports.present.page import Page

from flow_helpers import SCOPE, flow_data

NAN = float("nan")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "flow.ipynb"
W2024 = Window("2024", "2024-01", "2024-12", "the last full year before the controls")


def base(months_with_data: int, periods=(), method="") -> Baseline:
    return Baseline("2024-01", "2024-12", 100.0 if months_with_data else NAN, 12, months_with_data, method, tuple(periods))


def months(*ms: str) -> pd.PeriodIndex:
    return pd.PeriodIndex(list(ms), freq="M")


def stretch(ms: list[str], finished: float, raw: float, name="under the controls") -> measures.Stretch:
    return measures.Stretch(name, "2025-04/2025-10", months(*ms), finished, raw)


# --- names and numbers ------------------------------------------------------------------------

def test_product_phrase_lowers_the_first_letter_unless_an_acronym_starts_it():
    assert text.product_phrase("Dysprosium products") == "dysprosium products"
    assert text.product_phrase("PrNd oxide") == "PrNd oxide"
    assert text.element_name("Terbium products") == "terbium"


def test_short_name_drops_the_note_in_brackets():
    assert text.short_name("Rare earths (GACC headline category)") == "Rare earths"


@pytest.mark.parametrize("index, words", [(116.0, "16.0% above"), (88.5, "11.5% below"), (100.02, "level with"),
                                          (NAN, "not comparable with")])
def test_against_says_how_a_level_stands_on_its_base(index, words):
    assert text.against(index) == words


@pytest.mark.parametrize("before, after, words", [(1.45, 0.42, "fell"), (0.32, 0.42, "rose"), (0.421, 0.423, "did not change")])
def test_moved_reads_a_ratio_as_printed(before, after, words):
    assert text.moved(before, after) == words


def test_rank_words_the_highest_year_or_not():
    assert text.rank_words(pd.Series({2023: 50.0, 2024: 55.0, 2025: 60.0}), 2025) == "the highest"
    assert text.rank_words(pd.Series({2023: 50.0, 2024: 65.0, 2025: 60.0}), 2025) == "not the highest"


def test_known_how_every_branch():
    assert text.known_how(Baseline("2024-01", "2024-12", 1.0, 12, 12, "covered by 2024", ("2024",))) == "covered by 2024"
    assert text.known_how(base(0)) == "no figure"
    assert text.known_how(base(1)) == "not known: figures for 1 of 12 months"


@pytest.mark.parametrize("ms, words", [
    ((), "no month"), (("2025-11",), "November 2025"), (("2025-11", "2025-12"), "November and December 2025"),
    (("2025-05", "2025-06", "2025-07"), "May to July 2025"), (("2025-05", "2025-06", "2025-10"), "May, June and October 2025"),
    (("2025-12", "2026-02"), "December 2025 and February 2026"), (("2025-12", "2026-01"), "December 2025 to January 2026")])
def test_months_words(ms, words):
    assert text.months_words(months(*ms)) == words


def test_span_words_names_two_months_together():
    assert text.span_words("2026-01/2026-02") == "January and February 2026"
    assert text.span_words("2026-03") == "March 2026"


@pytest.mark.parametrize("b, words, legend", [
    (Baseline("2024-01", "2024-12", 1.0, 12, 12, "covered by 2024", ("2024",)), "the average month of 2024", "2024 average = 100"),
    (base(0), "no figure in 2024", "no base"),
    (base(1, ["2024-06"]), "June 2024 alone, the only month of 2024 with a figure", "June 2024 = 100"),
    (base(3, ["2024-02", "2024-06", "2024-07"]), "the 3 months of 2024 with a figure", "mean of 3 months of 2024 = 100")])
def test_base_words_and_legend_name_what_100_is(b, words, legend):
    assert text.base_words(b, W2024) == words
    assert text.legend_base(b, W2024) == legend


# --- the answer -------------------------------------------------------------------------------

def test_elements_clause_all_below():
    assert text.elements_clause({"dysprosium": 9.8, "terbium": 35.9}, "June 2024") == (
        "dysprosium and terbium ran below June 2024 (at 9.8% and 35.9% of it)")


def test_elements_clause_all_above():
    assert text.elements_clause({"dysprosium": 100.0, "terbium": 120.0}, "June 2024") == (
        "dysprosium and terbium ran at or above June 2024 (100.0% and 120.0% of it)")


def test_elements_clause_mixed_and_one_without_a_figure():
    got = text.elements_clause({"dysprosium": 50.0, "terbium": 150.0, "yttrium": NAN}, "June 2024")
    assert got == "dysprosium at 50.0% and terbium at 150.0% of June 2024, with no yttrium figure after it"


def test_elements_clause_without_any_figure():
    assert text.elements_clause({"dysprosium": NAN, "terbium": NAN}, "June 2024") == (
        "no dysprosium or terbium figure after the truce has been reported")


@pytest.mark.parametrize("case, n, words", [
    ("shown", 4, "and they thinned further after the truce, with or without the spike, rarely by chance"),
    ("too few months", 1, "whether they thinned further after the truce, 1 month of figures cannot tell"),
    ("too few months", 2, "whether they thinned further after the truce, 2 months of figures cannot tell"),
    ("unclear", 5, "whether they thinned further after the truce, the figures cannot tell apart from a monthly swing"),
    ("no months", 0, "so whether they stayed restricted after it cannot be measured")])
def test_thinning_clause_every_case(case, n, words):
    assert text.thinning_clause(case, n, "the spike") == words


def test_answer_with_magnets_above_and_inputs_below_on_too_few_months():
    got = text.answer("30 October 2025", 116.0, "2024", {"dysprosium": 9.8, "terbium": 35.9},
                      "June 2024, their only month of 2024 with a figure", "too few months", 2, "the spike")
    assert got == ("After the truce of 30 October 2025, China's magnet exports stood 16.0% above their average month of 2024, "
                   "while dysprosium and terbium ran below June 2024, their only month of 2024 with a figure (at 9.8% and "
                   "35.9% of it); whether they thinned further after the truce, 2 months of figures cannot tell.")


def test_answer_with_magnets_below_and_inputs_above_when_thinning_is_shown():
    got = text.answer("30 October 2025", 90.0, "2024", {"dysprosium": 110.0}, "their average month of 2024", "shown", 4, "the spike")
    assert got == ("After the truce of 30 October 2025, China's magnet exports stood 10.0% below their average month of 2024, "
                   "and dysprosium ran at or above their average month of 2024 (110.0% of it); and they thinned further "
                   "after the truce, with or without the spike, rarely by chance.")


def test_answer_without_a_magnet_baseline_or_element_figures():
    got = text.answer("30 October 2025", NAN, "2024", {"dysprosium": NAN}, "June 2024", "no months", 0, "the spike")
    assert got == ("After the truce of 30 October 2025, China's magnet exports cannot be set against 2024, and no dysprosium "
                   "figure after the truce has been reported; so whether they stayed restricted after it cannot be measured.")


def test_elements_base_words_every_branch():
    one = base(1, ["2024-06"])
    assert text.elements_base_words([], W2024) == "their level of 2024"
    assert text.elements_base_words([one, base(2, ["2024-06", "2024-07"])], W2024) == "their own months of 2024 with a figure"
    assert text.elements_base_words([Baseline("2024-01", "2024-12", 1.0, 12, 12, "", ("2024",))], W2024) == "their average month of 2024"
    assert text.elements_base_words([base(0)], W2024) == "their level of 2024, which has no figure"
    assert text.elements_base_words([one, one], W2024) == "June 2024, their only month of 2024 with a figure"
    assert text.elements_base_words([base(2, ["2024-06", "2024-07"])], W2024) == "their 2 months of 2024 with a figure"


def test_windows_text_names_each_stretch_with_its_reason():
    got = text.windows_text(W2024, "April to October 2025", "November 2025 to March 2026", "4 April 2025", "30 October 2025", "March 2026")
    assert "the window “2024”: the last full year before the controls." in got
    assert "*after the truce* means November 2025 to March 2026, from the first whole month after the truce to March 2026" in got


# --- magnets and bases ------------------------------------------------------------------------

def test_span_clause_none_one_several():
    assert text.span_clause([]) == ""
    assert text.span_clause(["2026-01/2026-02"]) == (
        ", counting January and February 2026 once, as the one figure China's customs published for those months together")
    assert text.span_clause(["2024-11/2024-12", "2026-01/2026-02"]).startswith(
        ", counting November and December 2024 and January and February 2026 once, as the figures")


def test_magnets_text_sets_both_stretches_against_the_baseline():
    got = text.magnets_text(5620.6, 116.0, 4288.9, 88.5, 4846.0, "2024", "November 2025 to March 2026", "April to October 2025", [])
    assert got == ("After the truce (November 2025 to March 2026) China exported 5,621 t of magnets in an average month: 16.0% "
                   "above its average month of 2024 (4,846 t). Under the controls (April to October 2025) it exported 4,289 t a "
                   "month, 11.5% below that average.")


def test_bases_text_names_every_kind_of_baseline():
    complete = Baseline("2024-01", "2024-12", 1.0, 12, 12, "", ("2024",))
    got = text.bases_text([(["magnets"], complete), (["dysprosium products"], base(1, ["2024-06"])),
                           (["terbium products"], base(2, ["2024-06", "2024-07"])), (["yttrium products"], base(0))], W2024)
    assert got == ("Magnets rest on every month of 2024 (their reported totals cover it); dysprosium products rest on June 2024 "
                   "alone, the only month of 2024 with a figure: for them the index says how a month compares with that one "
                   "month, not with a normal year; terbium products rest on the 2 months of 2024 with a figure; yttrium "
                   "products have no figure in 2024 and are not indexed.")
    assert text.bases_text([], W2024) == ""


# --- the elements ------------------------------------------------------------------------------

def test_element_level_text_without_a_figure_after_the_truce():
    assert text.element_level_text("terbium products", stretch([], NAN, NAN), NAN, "June 2024", pd.Series(dtype=float)) == (
        "No terbium products figure after the truce has been reported.")


def test_element_level_text_below_in_every_month():
    got = text.element_level_text("dysprosium products", stretch(["2025-11", "2025-12"], 6051, 2557.5), 9.8, "June 2024 alone",
                                  pd.Series(dtype=float))
    assert got == ("After the truce China exported 2,558 kg of dysprosium products in an average month (November and December "
                   "2025): 9.8% of June 2024 alone. It stayed below that level in every month with a figure since the controls.")


def test_element_level_text_names_the_months_above_it():
    over = pd.Series([142.0], index=months("2025-10"))
    got = text.element_level_text("terbium products", stretch(["2025-11"], 6000, 3000), 35.9, "June 2024", over)
    assert got.endswith("Since the controls it rose above that level in October 2025.")


def test_ratio_text_compares_the_two_stretches():
    got = text.ratio_text("dysprosium products", stretch(["2025-05", "2025-06"], 100, 300), stretch(["2025-11"], 200, 100))
    assert got == ("Dysprosium products: 3.00 kg per tonne of magnets under the controls (May and June 2025), 0.50 kg after "
                   "the truce (November 2025): it fell.")


def test_ratio_text_without_months_in_a_stretch():
    assert text.ratio_text("terbium products", stretch([], NAN, NAN), stretch(["2025-11"], 200, 100)) == (
        "Terbium products: no month under the controls has figures for both, so the ratio cannot be compared.")
    assert text.ratio_text("terbium products", stretch(["2025-05"], 200, 100), stretch([], NAN, NAN)).endswith(
        "no month after the truce has figures for both, so the ratio cannot be compared.")


def spike(values: dict[str, float], top: dict | None = None) -> measures.Spike:
    s = pd.Series(values, dtype=float)
    s.index = pd.PeriodIndex(list(values), freq="M")
    return measures.Spike(Window("the spike", "2025-08", "2025-09", "far above"), "dysprosium", s, 40000.0, top or {})


TOP = {"partner": "KOR", "period": "2025-09", "value": 17000.0, "unit": "kg", "share_pct": 94.2}


def test_spike_text_when_the_data_has_no_spike():
    assert text.spike_text(spike({}), "the spike", "dysprosium", None, None, None, "") == (
        "The data has no dysprosium figure for the spike (August to September 2025), so no spike is set aside.")


def test_spike_text_when_leaving_it_out_turns_the_change():
    under, without = stretch(["2025-05"], 4566, 6605), stretch(["2025-05", "2025-07"], 3869, 1225.5)
    after = stretch(["2025-11"], 6051, 2557.5)
    got = text.spike_text(spike({"2025-08": 16686, "2025-09": 18043}, TOP), "the spike", "dysprosium", under, without, after,
                          "South Korea")
    # 34,729 kg of 40,000 under the controls; 1.45 -> 0.42 with it, 0.32 -> 0.42 without it
    assert got == ("The months under the controls include the spike: 34,729 kg of dysprosium in August and September 2025, "
                   "86.8% of all the dysprosium China exported under the controls, 17,000 kg of it to South Korea in "
                   "September 2025 alone (94.2% of that month's). Without them, dysprosium under the controls comes to 0.32 "
                   "kg per tonne of magnets (May and July 2025), and from there the ratio after the truce rose, where with "
                   "the spike it fell: the direction of the change rests on the spike.")


def test_spike_text_when_the_change_holds_without_it_and_no_destination_is_known():
    under, without, after = stretch(["2025-05"], 100, 900), stretch(["2025-05"], 100, 500), stretch(["2025-11"], 100, 200)
    got = text.spike_text(spike({"2025-08": 300}), "the spike", "dysprosium", under, without, after, "")
    assert "in August 2025, 0.8% of all the dysprosium China exported under the controls." in got
    assert got.endswith("and from there the ratio after the truce fell, as it did with the spike.")


def test_spike_text_when_nothing_is_left_without_it():
    got = text.spike_text(spike({"2025-08": 300}), "the spike", "dysprosium", stretch(["2025-08"], 1, 1), stretch([], NAN, NAN),
                          stretch(["2025-11"], 1, 1), "")
    assert got.endswith("Without those months no month under the controls has figures for both, so no comparison is left.")


def perm(as_low: int, splits: int, before: int = 6, after: int = 2, exact: bool = True) -> measures.Permutation:
    return measures.Permutation(before, after, -0.5, as_low, splits, exact)


def test_test_text_common_among_the_months_with_one_way_of_counting():
    got = text.test_text({"dysprosium": perm(12, 28), "terbium": perm(7, 28)}, 0.05, 0, "January and February")
    assert got == ("A comparison over every month treats each month alike. Take each month's kilograms per tonne and, of the "
                   "28 ways to pick 2 of the 8 months under the controls and after the truce, count those whose average is "
                   "as low, against the other months, as that of the months after the truce. For dysprosium 12 and terbium 7 "
                   "do. A fall like the one after the truce is common among these months: it cannot be told from a monthly "
                   "swing. None of these months is a Lunar New Year month (January and February), which the book's seasonal "
                   "rule would leave out.")


def test_test_text_rare_and_a_seasonal_month_left_out():
    got = text.test_text({"dysprosium": perm(1, 45, 8, 2)}, 0.05, 1, "January and February")
    assert "A fall that size is rare among these months, so it is unlikely to be a monthly swing." in got
    assert got.endswith("By the book's seasonal rule, 1 January and February month is left out.")
    many = text.test_text({"dysprosium": perm(1, 45, 8, 2)}, 0.05, 2, "January and February")
    assert many.endswith("2 January and February months are left out.")


def test_test_text_too_few_months_to_be_rare_with_different_counts():
    got = text.test_text({"dysprosium": perm(1, 15, 4, 2), "terbium": perm(1, 3, 2, 1)}, 0.05, 0, "January")
    assert "of all the ways to pick as many months as there are after the truce from the months under the controls" in got
    assert "For dysprosium 1 of 15 and terbium 1 of 3 do." in got
    assert "With so few months, not even the lowest possible count (1) would be rare" in got


def test_test_text_with_random_picks_and_without_any_months():
    assert "of 100,000 random picks of 10 of the 30 months" in text.test_text(
        {"dysprosium": perm(2000, 100_000, 20, 10, exact=False)}, 0.05, 0, "January")
    assert text.test_text({"dysprosium": perm(0, 0, 0, 0)}, 0.05, 0, "January") == (
        "No element has figures both under the controls and after the truce, so the months cannot be compared.")


@pytest.mark.parametrize("case, start", [
    ("shown", "The inputs thinned after the truce"),
    ("too few months", "With 2 months of element figures after the truce (the book reads a change only from 3)"),
    ("unclear", "The data does not show that the inputs thinned further"),
    ("no months", "No element figure after the truce has been reported")])
def test_thin_verdict_every_case(case, start):
    assert text.thin_verdict(case, 2, 3).startswith(start)


# --- 2026, prices, the destination --------------------------------------------------------------

def change_row(prior: float, change: float, meaningful: bool = True) -> pd.Series:
    return pd.Series({"period": "2026-01/2026-02", "n_months": 2, "value": 10763.0, "unit": "t", "prior_period": "2025-01/2025-02",
                      "prior": prior, "yoy_pct": change, "meaningful": meaningful})


@pytest.mark.parametrize("row, words", [
    (change_row(NAN, NAN, False), "no figure for January and February 2025 to compare with"),
    (change_row(46.0, NAN, False), "a change on January and February 2025 that is not meaningful (its base is below the floor)"),
    (change_row(10763.0, 0.0), "level with January and February 2025"),
    (change_row(9943.5, 8.24), "8.2% more than in January and February 2025"),
    (change_row(12000.0, -10.3), "10.3% less than in January and February 2025")])
def test_change_words_like_with_like(row, words):
    assert text.change_words(row) == words


def test_newest_change_words_every_case():
    span = measures.MonthChange("2026-03", 5238.0, NAN, NAN, "span", "2026-01/2026-02")
    assert text.newest_change_words(span) == (
        "The change from February 2026 to March 2026 cannot be computed: February 2026 has no figure of its own, because "
        "China's customs published January and February 2026 as one figure.")
    assert text.newest_change_words(measures.MonthChange("2026-03", 5238.0, NAN, NAN, "missing")).endswith("one of the two months has no figure.")
    assert text.newest_change_words(measures.MonthChange("2026-03", 110.0, 100.0, 10.0, "")) == "From February 2026 to March 2026 the figure changed by +10.0%."


def test_year_text_with_and_without_figures():
    newest = measures.MonthChange("2026-03", 110.0, 100.0, 10.0, "")
    assert text.year_text(pd.DataFrame(), "Magnets.", newest) == "Magnets. No figure for the months after the last full year has been reported."
    got = text.year_text(pd.DataFrame([change_row(9943.5, 8.24)]), "Magnets.", newest)
    assert got == ("Magnets. January and February 2026: 10,763 t (one figure for both months), 8.2% more than in January and "
                   "February 2025. From February 2026 to March 2026 the figure changed by +10.0%.")


def test_without_figures_text_names_the_inputs_or_nothing():
    assert text.without_figures_text([], "2026") == ""
    assert text.without_figures_text(["dysprosium products", "terbium products"], "2026") == (
        "No 2026 export figure for dysprosium products or terbium products has been reported, so 2026 cannot test the "
        "raw-input half of the claim.")


def quotes(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["product", "market", "market_words", "period", "low", "high"])


NAMES = {"dy_oxide": "dysprosium oxide", "nd_oxide": "neodymium oxide"}


def test_prices_since_text_without_quotes():
    assert text.prices_since_text(quotes(), {"dy_oxide"}, NAMES, "2026", []) == "No price quote for 2026 has been reported."


def test_prices_since_text_when_only_uncontrolled_inputs_are_quoted_abroad():
    q = quotes(("dy_oxide", "CHN", "inside China", "2026-01", 270, 311), ("nd_oxide", "EU27", "in Europe", "2026-01", 170, 200),
               ("nd_oxide", "CHN", "inside China", "2026-01", 120, 148), ("nd_oxide", "EU27", "in Europe", "2026-01", 180, 190))
    got = text.prices_since_text(q, {"dy_oxide"}, NAMES, "2026", ["nd_oxide"])
    assert got == ("Quotes for 2026: dysprosium oxide, USD 270 to 311 per kg inside China (January 2026); neodymium oxide, USD "
                   "170 to 200 per kg in Europe (January 2026) and USD 120 to 148 per kg inside China (January 2026). The only "
                   "2026 premium is for neodymium oxide, never controlled; no 2026 quote of a controlled input comes from "
                   "outside China, so 2026 prices cannot show whether the controlled inputs stayed scarce abroad.")


def test_prices_since_text_without_a_premium():
    got = text.prices_since_text(quotes(("dy_oxide", "CHN", "inside China", "2026-01", 280, 280)), {"dy_oxide"}, NAMES, "2026", [])
    assert got == ("Quotes for 2026: dysprosium oxide, USD 280 per kg inside China (January 2026). No 2026 quote of a controlled "
                   "input comes from outside China, so 2026 prices cannot show whether the controlled inputs stayed scarce "
                   "abroad.")


def test_prices_since_text_when_a_controlled_input_is_quoted_abroad():
    q = quotes(("dy_oxide", "EU27", "in Europe", "2026-01", 800, 900), ("dy_oxide", "CHN", "inside China", "2026-01", 270, 311))
    assert text.prices_since_text(q, {"dy_oxide"}, NAMES, "2026", ["dy_oxide"]).endswith(
        "Dysprosium oxide has a quote outside China in 2026.")


@pytest.mark.parametrize("input_share, finished_share, verdict", [
    (49.2, 12.0, "points the other way"), (5.0, 12.0, "fits the claim"), (NAN, 12.0, "cannot be read")])
def test_input_verdict(input_share, finished_share, verdict):
    assert text.input_verdict(input_share, finished_share) == verdict


def input_row(product, period, value, unit, share, finished_share) -> pd.Series:
    return pd.Series({"product": product, "period": period, "value": value, "unit": unit, "share_pct": share,
                      "finished_share_pct": finished_share})


def test_input_text_points_the_other_way():
    got = text.input_text(input_row("terbium", "2025-10", 6000, "kg", 49.18, 11.99), "terbium products", "the United States")
    assert got == ("6,000 kg of terbium products in October 2025, 49.2% of China's terbium exports that month, when the United "
                   "States took 12.0% of its magnets: this figure points the other way, a larger share of the input than of the magnets.")


def test_input_text_fits_the_claim_over_several_months():
    got = text.input_text(input_row("terbium", "2025-10/2025-11", 600, "kg", 5.0, 12.0), "terbium products", "the United States")
    assert "5.0% of China's terbium exports those months" in got and got.endswith("a smaller share of the input than of the magnets.")


def test_input_text_without_a_world_figure():
    got = text.input_text(input_row("yttrium", "2025-04/2025-11", 17, "t", NAN, 9.7), "yttrium products", "the United States")
    assert got == ("17 t of yttrium products in April to November 2025: there is no world figure for the same months to set it "
                   "against, so it cannot say whether the input was held back.")


def test_inputs_text_with_no_figure_and_with_unreported_inputs():
    names = {"dysprosium": "dysprosium products", "yttrium": "yttrium products"}
    empty = pd.DataFrame(columns=["product", "period", "value", "unit", "share_pct", "finished_share_pct"])
    assert text.inputs_text(empty, names, "Japan", []) == "The data holds no figure of a controlled input exported to Japan."
    rows = pd.DataFrame([input_row("yttrium", "2025-06", 1, "t", NAN, 5.0)])
    assert text.inputs_text(rows, names, "Japan", ["dysprosium"]).endswith(" For dysprosium products it holds none: unknown, not zero.")


def events(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "title"])


def test_tariffs_text_none_with_and_without_a_truce():
    assert text.tariffs_text(events(), events(), "the United States") == ""
    tariffs = events(("2025-04-10", "US tariffs at 145%"), ("2025-04-11", "China's tariffs at 125%"))
    got = text.tariffs_text(tariffs, events(("2025-05-12", "Geneva truce")), "the United States")
    assert got == ("Two causes overlap in the United States' figures: China's controls, and the tariff escalation of the same "
                   "weeks, “US tariffs at 145%” (10 April 2025) and “China's tariffs at 125%” (11 April 2025), eased by the "
                   "truce of 12 May 2025 (“Geneva truce”). The figures cannot tell the two apart.")
    assert text.tariffs_text(tariffs.head(1), events(), "Japan").endswith("(10 April 2025). The figures cannot tell the two apart.")


def test_focus_text_and_shares_text():
    got = text.focus_text("the United States", Window("Q1 2025", "2025-01", "2025-03", "before the controls"), 622.1, 418.51, 67.3,
                          509.2, 81.8, "April to October 2025", "November 2025 to March 2026")
    assert got == ("China's magnet exports to the United States averaged 622 t a month in Q1 2025 (the window “Q1 2025”: before "
                   "the controls). Under the controls (April to October 2025) they averaged 419 t, 32.7% below the Q1 2025 "
                   "average; after the truce (November 2025 to March 2026) 509 t, 18.2% below it.")
    assert text.shares_text("the United States", [(12.22, "in Q1 2025"), (NAN, "under the controls")]) == (
        "The United States' share of China's magnet exports: 12.2% in Q1 2025 and not known under the controls.")


# --- everything the page glues, on a small data package -----------------------------------

@pytest.fixture
def data(tmp_path) -> BookData:
    return flow_data(tmp_path)


@pytest.fixture
def flow_glued(data, glued):
    """What `text.glue` glues (conftest's `glued`), and the page it records the numbers on."""
    page = Page(chapter="flow", page="flow")
    text.glue(page, measures.measure(data, SCOPE), data)
    return glued, page


def test_glue_writes_the_answer_from_the_figures(flow_glued):
    words, _ = flow_glued
    # magnets 126 t a month after the truce on 100; dysprosium 300 and terbium 100 kg on June 2024's 1,000 and 500;
    # terbium has one month after the truce, fewer than the 3 the page asks for
    assert words["flow_answer"] == (
        "After the truce of 30 October 2025, China's magnet exports stood 26.0% above their average month of 2024, while "
        "dysprosium and terbium ran below June 2024, their only month of 2024 with a figure (at 30.0% and 20.0% of it); "
        "whether they thinned further after the truce, 1 month of figures cannot tell.")


def test_glue_writes_every_sentence_of_the_page(flow_glued):
    words, _ = flow_glued
    assert words["flow_magnets_text"].startswith(
        "After the truce (November 2025 to March 2026) China exported 126 t of magnets in an average month, counting January "
        "and February 2026 once")
    # 8.70 kg/t under the controls (May, June, August, September), 2.14 after; 5.00 without the spike
    assert "Dysprosium products: 8.70 kg per tonne of magnets under the controls (May, June, August and September 2025), " \
           "2.14 kg after the truce (November and December 2025): it fell." in words["flow_ratio_text"]
    assert "1,700 kg of dysprosium in August and September 2025, 85.0% of all the dysprosium" in words["flow_spike_text"]
    assert "700 kg of it to South Korea in September 2025 alone (87.5% of that month's)" in words["flow_spike_text"]
    assert words["flow_spike_text"].endswith("comes to 5.00 kg per tonne of magnets (May and June 2025), and from there the "
                                             "ratio after the truce fell, as it did with the spike.")
    assert "For dysprosium 1 of 15 and terbium 1 of 3 do." in words["flow_test_text"]
    # world January-February 2026: 240 t against 200; the United States: 16 t against 20, below the floor
    assert "240 t (one figure for both months), 20.0% more than in January and February 2025" in words["flow_year_text"]
    assert "not meaningful" in words["flow_focus_year"]
    assert words["flow_p_nd_inside"] == "China's export price (FOB)" and words["flow_p_y_inside"] == "inside China"
    assert words["flow_focus_inputs"].startswith("300 kg of terbium products in October 2025, 50.0% of China's terbium "
                                                 "exports that month, when the United States took 10.0% of its magnets: this "
                                                 "figure points the other way")
    assert "“Tariffs up” (10 April 2025), eased by the truce of 12 May 2025 (“Tariff truce”)" in words["flow_focus_tariffs"]
    assert words["flow_focus_shares"] == ("The United States' share of China's magnet exports: 10.0% in Q1 2025, 15.9% under "
                                          "the controls and 7.1% after the truce.")


def test_glue_writes_every_number_of_the_prose(flow_glued):
    numbers, _ = flow_glued
    expected = {
        "flow_mag_after_change": 26, "flow_mag_base_mean": 100, "flow_mag_under_mean": 440 / 7, "flow_mag_under_index": 440 / 7,
        "flow_mag_after_mean": 126, "flow_mag_after_index": 126,  # (130 + 150 + 240 + 110) / 5
        "flow_dy_after_index": 30, "flow_dy_after_n": 2, "flow_tb_after_index": 20, "flow_tb_after_n": 1, "flow_min_months_after": 3,
        "flow_dy_base": 1000, "flow_dy_after_mean": 300, "flow_dy_under_ratio": 500 / 57.5, "flow_dy_after_ratio": 300 / 140,
        "flow_dy_without_ratio": 5, "flow_dy_test_as_low": 1, "flow_dy_test_splits": 15, "flow_dy_n": 7,
        "flow_tb_base": 500, "flow_tb_after_mean": 100, "flow_tb_under_ratio": 325 / 60, "flow_tb_after_ratio": 100 / 130,
        "flow_tb_test_as_low": 1, "flow_tb_test_splits": 3, "flow_tb_n": 4,
        "flow_spike_total": 1700, "flow_spike_share": 85, "flow_spike_top": 700, "flow_spike_top_share": 87.5,
        "flow_re_year": 60000, "flow_re_yoy": (60000 / 55000 - 1) * 100, "flow_re_n_years": 3, "flow_prnd_n": 1, "flow_dyox": 0.5,
        "flow_n_annual_known": 2, "flow_n_products": 5, "flow_n_same_month": 1, "flow_floor_t": 100, "flow_floor_kg": 100,
        "flow_d_magnets_year": 120, "flow_w_magnets_year": 1020, "flow_d_share_year": 120 / 1020 * 100,
        "flow_d_share_min": 10 / 150 * 100, "flow_d_share_max": 50, "flow_n_dest_raw": 3,
        "flow_p_y_low": 20, "flow_p_y_high": 37.5, "flow_p_nd_low": 66 / 55, "flow_p_nd_high": 77 / 45,
        "flow_d_base_mean": 10, "flow_d_under_mean": 10, "flow_d_under_index": 100, "flow_d_after_mean": 9, "flow_d_after_index": 90,
        "flow_d_share_window": 10, "flow_d_share_under": 70 / 440 * 100, "flow_d_share_after": 45 / 630 * 100,
        "flow_d_tb_value": 300, "flow_d_tb_share": 50, "flow_d_tb_magnet_share": 10, "flow_n_dest_raw_d": 2,
    }
    got = {k: v for k, v in numbers.items() if not isinstance(v, str)}
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-4), key


def test_every_glued_number_has_its_metrics_row(flow_glued):
    numbers, page = flow_glued
    rows = pd.DataFrame(page.rows)
    numeric = {k for k, v in numbers.items() if not isinstance(v, str)}
    assert set(rows["glue_key"]) == numeric
    for key in numeric:
        row = rows[rows["glue_key"] == key]
        assert len(row) == 1 and row.iloc[0]["value"] == numbers[key], key
    ratio = rows[rows["glue_key"] == "flow_dy_without_ratio"].iloc[0]
    assert (ratio["period"], ratio["product"], ratio["unit"]) == ("2025-05/2025-06", "dysprosium/magnets", "kg/t")


def test_the_page_uses_every_glued_word_and_glues_every_key_it_uses(flow_glued):
    keys, _ = flow_glued
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:(?:text|md)\}`([a-z_]+)", prose))
    words = {k for k, v in keys.items() if isinstance(v, str)}
    assert used <= set(keys), f"used but never glued: {sorted(used - set(keys))}"
    assert words <= used, f"glued but never used: {sorted(words - used)}"


def test_the_page_types_no_number_in_its_prose():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert not re.findall(r"(?<![\w`:.,])\d[\d,.]*(?![\w`])", re.sub(r"\{glue:[a-z]+\}`[^`]+`", "", prose))


def test_told_keeps_months_and_spans_drawn_as_one_not_totals_that_repeat_them():
    changes = pd.DataFrame({"period": ["2026-01/2026-02", "2026-01/2026-03", "2026-03"], "n_months": [2, 3, 1]})
    spans = pd.DataFrame({"period": ["2026-01/2026-02"]})
    assert list(text.told(changes, spans)["period"]) == ["2026-01/2026-02", "2026-03"]


def test_a_product_never_quoted_in_europe_and_in_china_in_one_month_glues_gaps(data, glued):
    """With no month quoted in Europe and in China (inside, or its export price), the page says so
    and glues gaps, never a premium."""
    out = glued
    p = data.prices
    data.prices = p[~((p["product"] == "nd_oxide") & p["market"].isin(["CHN", "CHNFOB"]))].reset_index(drop=True)
    page = Page(chapter="flow", page="flow")
    text.glue(page, measures.measure(data, SCOPE), data)
    assert out["flow_p_nd_month"] == "no month (no quote in China in a month with one in Europe)"
    assert math.isnan(out["flow_p_nd_low"]) and math.isnan(out["flow_p_nd_high"])
    assert "neodymium oxide" in out["flow_p_without"]
