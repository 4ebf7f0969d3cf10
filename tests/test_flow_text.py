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
from rare_earth_exports.core.load import BookData
from rare_earth_exports.core.series import Baseline
from rare_earth_exports.present.page import Page

from flow_helpers import SCOPE, flow_data

NAN = float("nan")
UNDER, AFTER = "under the controls", "after the truce"
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "flow.ipynb"


# --- names -------------------------------------------------------------------------------

def test_product_phrase_lowers_the_first_letter_of_a_name():
    assert text.product_phrase("Dysprosium products") == "dysprosium products"


def test_product_phrase_keeps_a_name_that_starts_with_an_acronym():
    assert text.product_phrase("GACC headline category") == "GACC headline category"
    assert text.product_phrase("PrNd oxide") == "PrNd oxide"


def test_short_name_drops_the_note_in_brackets_and_pair_label_uses_it():
    assert text.short_name("Rare earths (GACC headline category)") == "Rare earths"
    assert text.short_name("Terbium products") == "Terbium products"
    assert text.pair_label("Rare earths (GACC headline category)") == "Magnets vs rare earths"


# --- compare_words -----------------------------------------------------------------------

def test_compare_words_above():
    assert text.compare_words(140, 100) == "above"


def test_compare_words_below():
    assert text.compare_words(300, 1000) == "below"


def test_compare_words_level():
    assert text.compare_words(100, 100) == "level with"


def test_compare_words_without_a_figure():
    assert text.compare_words(NAN, 100) == "not comparable with"
    assert text.compare_words(100, NAN) == "not comparable with"


# --- gap_verdict -------------------------------------------------------------------------

def test_gap_verdict_with_no_measurable_series():
    assert text.gap_verdict({"yttrium products": NAN}, "magnets", UNDER, AFTER) == (
        "No raw-material series has figures both under the controls and after the truce, "
        "so how the gap to magnets moved cannot be measured.")


def test_gap_verdict_with_no_raw_series_at_all():
    assert text.gap_verdict({}, "magnets", UNDER, AFTER).startswith("No raw-material series has figures")


def test_gap_verdict_only_wider():
    assert text.gap_verdict({"dysprosium products": 0.8, "terbium products": 1.2}, "magnets", UNDER, AFTER) == (
        "From the months under the controls to those after the truce, magnets pulled further ahead of "
        "dysprosium products and terbium products.")


def test_gap_verdict_wider_and_narrower():
    assert text.gap_verdict({"dysprosium products": 0.8, "rare earths": -0.1}, "magnets", UNDER, AFTER) == (
        "From the months under the controls to those after the truce, magnets pulled further ahead of "
        "dysprosium products, while rare earths gained on them.")


def test_gap_verdict_only_narrower():
    assert text.gap_verdict({"rare earths": -0.1, "terbium products": -2.0}, "magnets", UNDER, AFTER) == (
        "From the months under the controls to those after the truce, magnets pulled ahead of no raw-material "
        "series, while rare earths and terbium products gained on them.")


def test_gap_verdict_names_the_unknown_ones():
    got = text.gap_verdict({"dysprosium products": 0.8, "yttrium products": NAN, "rare earths": NAN}, "magnets", UNDER, AFTER)
    assert got == ("From the months under the controls to those after the truce, magnets pulled further ahead of "
                   "dysprosium products; for yttrium products and rare earths the change cannot be measured.")


def test_gap_verdict_unchanged_gap_is_neither_wider_nor_narrower():
    assert text.gap_verdict({"terbium products": 0.0}, "magnets", UNDER, AFTER).startswith("No raw-material series")


# --- the summary's words -------------------------------------------------------------------

def test_gap_word_widened():
    assert text.gap_word([0.8, 1.2]) == "widened"


def test_gap_word_narrowed():
    assert text.gap_word([-0.8, -1.2]) == "narrowed"


def test_gap_word_moved_both_ways():
    assert text.gap_word([0.8, -1.2]) == "moved both ways"
    assert text.gap_word([0.8, 0.0]) == "moved both ways"


def test_pattern_word_is():
    assert text.pattern_word(True) == "is"


def test_pattern_word_is_not():
    assert text.pattern_word(False) == "is not"


def test_rank_words_the_highest_year():
    assert text.rank_words(pd.Series({2023: 50.0, 2024: 55.0, 2025: 60.0}), 2025) == "the highest"


def test_rank_words_not_the_highest_year():
    assert text.rank_words(pd.Series({2023: 50.0, 2024: 65.0, 2025: 60.0}), 2025) == "not the highest"


# --- table words ---------------------------------------------------------------------------

def baseline(months_with_data: int, method: str = "") -> Baseline:
    return Baseline(start="2024-01", end="2024-12", mean=NAN, months_in_window=12, months_with_data=months_with_data,
                    method=method)


def test_known_how_a_covered_year_says_what_covers_it():
    complete = Baseline(start="2024-01", end="2024-12", mean=100.0, months_in_window=12, months_with_data=12,
                        method="covered by 2024", periods=("2024",))
    assert complete.complete and text.known_how(complete) == "covered by 2024"


def test_known_how_without_any_figure():
    assert text.known_how(baseline(0)) == "no figure"


def test_known_how_with_some_months():
    assert text.known_how(baseline(1)) == "not known: figures for 1 of 12 months"


def test_common_months_a_run_in_words():
    assert text.common_months("2025-05/2025-06") == "May to June 2025"
    assert text.common_months("2025-11") == "November 2025"


def test_common_months_a_list_as_it_is():
    assert text.common_months("2025-05, 2025-07") == "2025-05, 2025-07"


def test_common_months_none():
    assert text.common_months("") == "—"


# --- everything the page glues, on a small data package -----------------------------------

@pytest.fixture
def data(tmp_path) -> BookData:
    return flow_data(tmp_path)


@pytest.fixture
def glued(data, monkeypatch):
    """What `text.glue` glues, and the page it records the numbers on."""
    import myst_nb

    out = {}

    def capture(key, value, display=True):
        assert key not in out, f"{key} glued twice"
        out[key] = value

    monkeypatch.setattr(myst_nb, "glue", capture)
    page = Page(chapter="flow", page="flow")
    text.glue(page, measures.measure(data, SCOPE), data)
    return out, page


def test_glue_writes_every_word_of_the_prose(glued):
    words, _ = glued
    assert {k: v for k, v in words.items() if isinstance(v, str)} == {
        "flow_partner": "All destinations",
        "flow_destination": "the United States",
        "flow_finished_name": "rare-earth permanent magnets",
        "flow_base_window": "January to December 2024",
        "flow_before_words": "January 2024 to March 2025",
        "flow_controls_words": "April to October 2025",
        "flow_after_words": "November to December 2025",
        "flow_year_words": "2025",
        "flow_prior_words": "2024",
        "flow_controls_start_words": "April 2025",
        # no raw series has a figure in 2024, so none is indexed
        "flow_raw_indexed_names": "none",
        "flow_raw_unindexed_names": "dysprosium products, terbium products and yttrium products",
        # the gap change needs no baseline: dysprosium and terbium have figures in both phases, yttrium none
        "flow_gap_verdict": ("From the months under the controls to those after the truce, rare-earth permanent magnets "
                             "pulled further ahead of dysprosium products and terbium products; for yttrium products "
                             "the change cannot be measured."),
        "flow_d_share_min_month": "December 2025",  # 10 of 150 t
        "flow_d_share_max_month": "May 2025",  # 10 of 20 t
        "flow_d_unreported": "dysprosium products and terbium products",
        "flow_p_y_month": "November 2025",
        "flow_p_nd_month": "December 2025",
        "flow_p_without": "dysprosium oxide",
        "flow_src_prices": "china.example, europe.example",
        "flow_w_re_rank": "the highest",  # 60,000 t in 2025 against 55,000 and 50,000
        "flow_w_mag_vs_pre": "above",  # 140 t a month after the truce against 100 before the controls
        "flow_w_under_words": "May to June 2025",  # the months under the controls with a dysprosium figure
        "flow_w_dy_vs_pre": "below",  # 300 kg against 1,000
        "flow_w_tb_vs_pre": "below",  # 100 kg against 500
        "flow_w_pre_words": "March 2025",
        "flow_w_gap_word": "widened",
        "flow_w_pattern": "is",
        "flow_w_dyox_month": "December 2025",
        "flow_src_magnets": "customs.example",  # only the 2024 total is a row for a whole year
        "flow_src_re": "re.example",
        "flow_src_elements": "elements.example",
    }


def test_glue_writes_every_number_of_the_prose(glued):
    numbers, _ = glued
    expected = {
        "flow_finished_base_months": 12, "flow_base_months_in_window": 12,
        "flow_finished_controls": 440 / 7,  # (50 + 20 + 40 + 60 + 80 + 90 + 100) / 7 on a baseline of 100
        "flow_finished_after": 140,  # (130 + 150) / 2
        "flow_n_raw": 3, "flow_n_raw_indexed": 0, "flow_n_gap_change": 2,
        "flow_n_annual_known": 1, "flow_n_products": 4, "flow_n_same_month": 0,
        "flow_d_magnets_year": 120, "flow_w_magnets_year": 1020, "flow_d_share_year": 120 / 1020 * 100,
        "flow_d_share_min": 10 / 150 * 100, "flow_d_share_max": 50,
        "flow_n_dest_raw": 1, "flow_n_dest_raw_d": 1,
        "flow_p_y_low": 200 / 10, "flow_p_y_high": 300 / 8, "flow_p_nd_low": 60 / 50, "flow_p_nd_high": 80 / 40,
        "flow_w_mag_year": 1020, "flow_w_mag_prior": 1200, "flow_w_mag_yoy": -15,
        "flow_w_re_year": 60000, "flow_w_re_yoy": (60000 / 55000 - 1) * 100, "flow_w_re_n_years": 3,
        "flow_w_mag_pre": 100,  # (1,200 + 3 x 100) / 15 months
        "flow_w_mag_after": 140, "flow_w_mag_under": 30,  # May and June: (20 + 40) / 2
        "flow_w_dy_after": 300, "flow_w_dy_under": 150, "flow_w_tb_after": 100, "flow_w_tb_under": 50,
        # (140 / 300) / (30 / 150) and (130 / 100) / (20 / 50)
        "flow_w_gap_dy": 7 / 3, "flow_w_gap_tb": 3.25,
        "flow_w_dy_n": 5, "flow_w_tb_n": 3, "flow_w_dy_pre": 1000, "flow_w_tb_pre": 500, "flow_w_dy_pre_n": 1,
        "flow_w_after_n": 2, "flow_w_prnd_n": 1, "flow_w_dyox": 0.5,
    }
    got = {k: v for k, v in numbers.items() if not isinstance(v, str)}
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-4), key


def test_every_glued_number_has_its_metrics_row(glued):
    numbers, page = glued
    rows = pd.DataFrame(page.rows)
    numeric = {k for k, v in numbers.items() if not isinstance(v, str)}
    assert set(rows["glue_key"]) == numeric
    for key in numeric:
        row = rows[rows["glue_key"] == key]
        assert len(row) == 1 and row.iloc[0]["value"] == numbers[key], key
    gap_dy = rows[rows["glue_key"] == "flow_w_gap_dy"].iloc[0]
    assert (gap_dy["period"], gap_dy["partner"], gap_dy["product"], gap_dy["unit"]) == (
        "2025-04/2025-10->2025-11/2025-12", "WLD", "magnets/dysprosium", "times")


def test_the_page_glues_exactly_what_its_prose_uses(glued):
    keys, _ = glued
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:text\}`([a-z_]+)", prose))
    assert used == set(keys)


def test_the_element_gap_factor_is_the_exponential_of_the_gap_change(data):
    el = measures.measure(data, SCOPE).world.elements["dysprosium"]
    assert el.gap_change == pytest.approx(math.log(7 / 3))


def test_a_product_never_quoted_in_both_markets_in_one_month_glues_gaps(data, monkeypatch):
    """Neodymium oxide once had a premium only because export (FOB) quotes were filed as prices
    inside China; with no month quoted in both markets the page says so and glues gaps."""
    import myst_nb

    out = {}
    monkeypatch.setattr(myst_nb, "glue", lambda key, value, display=True: out.__setitem__(key, value))
    data.prices.loc[(data.prices["product"] == "nd_oxide") & (data.prices["market"] == "CHN"), "market"] = "CHNFOB"
    page = Page(chapter="flow", page="flow")
    text.glue(page, measures.measure(data, SCOPE), data)
    assert out["flow_p_nd_month"] == "no month (no quote inside China in a month with one in Europe)"
    assert math.isnan(out["flow_p_nd_low"]) and math.isnan(out["flow_p_nd_high"])
    assert "neodymium oxide" in out["flow_p_without"]
