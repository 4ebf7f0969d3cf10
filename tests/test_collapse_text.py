"""The collapse chapter's sentences, one test per branch of the wording, and what the page glues.

Every page is built from a small hand-made series (`collapse_helpers`), so what the
sentence must say, and the values its references must carry, are known in advance. A sentence
refers to numbers and words only by glue key; the tests check the wording, the keys it refers to
and, through `glue_page` with a recording `myst_nb.glue`, that each of those keys is glued with
the expected value and each number has its row in metrics.csv.
"""

from __future__ import annotations

import json
import math
import re

import myst_nb
import pandas as pd
import pytest

from rare_earth_exports.chapters.collapse import text
from rare_earth_exports.present.page import METRICS_KEY

from collapse_helpers import WORLD_2024_MONTHS, WORLD_2025, measured, monthly, page_of, small_world

REFERENCE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


def keys(markdown: str) -> set[str]:
    return {key for key, _ in REFERENCE.findall(markdown)}


@pytest.fixture
def glued(monkeypatch) -> dict:
    """What `glue_page` glues, by key, instead of writing it into a notebook."""
    recorded = {}

    def record(key, value, display=True):
        assert key not in recorded, f"{key} glued twice"
        recorded[key] = value

    monkeypatch.setattr(myst_nb, "glue", record)
    return recorded


def metrics_rows(glued: dict) -> pd.DataFrame:
    return pd.DataFrame(json.loads(glued[METRICS_KEY]))


# --- the low ---------------------------------------------------------------------------------------

def test_low_with_every_month_around_it_is_the_trough(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.low_sentence(p) == (
        "Exports bottomed out in {glue:text}`cr_low_words` at {glue:text}`cr_low_level:,.0f` t. Every month from "
        "{glue:text}`cr_control_month` to {glue:text}`cr_low_after_words` has a figure, so this is the trough.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_low_words"], glued["cr_low_level"], glued["cr_control_month"], glued["cr_low_after_words"]) == (
        "May 2025", 20.0, "April 2025", "June 2025")


def test_low_next_to_one_missing_month_may_not_be_the_trough(tmp_path, glued):
    p = measured(tmp_path, small_world(), partner="DEU")  # April 5, May missing, June 12
    assert text.low_sentence(p) == (
        "The lowest reported month after the controls is {glue:text}`cr_low_words`, at "
        "{glue:text}`cr_low_level:,.0f` t, but {glue:text}`cr_low_unknown` has no figure, so the trough may have "
        "been deeper or at another time.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_low_words"], glued["cr_low_level"], glued["cr_low_unknown"]) == ("April 2025", 5.0, "May 2025")


def test_low_after_several_missing_months_counts_them(tmp_path, glued):
    p = measured(tmp_path, [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [100, 90, 100, None, None, 20, 50, 90])])
    assert text.low_sentence(p) == (
        "The lowest reported month after the controls is {glue:text}`cr_low_words`, at "
        "{glue:text}`cr_low_level:,.0f` t, but {glue:text}`cr_low_n_unknown:,.0f` of the months from "
        "{glue:text}`cr_control_month` to {glue:text}`cr_low_after_words` have no figure, so the trough may have "
        "been deeper or at another time.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_low_words"], glued["cr_low_n_unknown"], glued["cr_low_unknown"]) == (
        "June 2025", 2.0, "April 2025 and May 2025")
    row = metrics_rows(glued).set_index("glue_key").loc["cr_low_n_unknown"]
    assert (row["period"], row["basis"]) == ("2025-04/2025-07", "months without a figure around the low")


def test_no_figure_after_the_controls_means_no_low(tmp_path, glued):
    p = measured(tmp_path, [*small_world(), *monthly("JPN", "2025-01", [3, 4, 5])], partner="JPN")
    assert text.low_sentence(p) == (
        "No month from {glue:text}`cr_control_month` to {glue:text}`cr_end_words` has a figure for "
        "{glue:text}`cr_name`, so the page can say nothing about the fall or the recovery.")
    assert text.falls_sentence(p) == "" and text.regain_sentence(p, "base") == ""
    text.glue_page(p, page_of(p))
    assert (glued["cr_end_words"], glued["cr_name"]) == ("August 2025", "Japan")
    assert "cr_low_words" not in glued and "cr_low_level" not in glued


# --- the falls into the low ---------------------------------------------------------------------------

def test_falls_into_the_low_and_the_rebound_after_it(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.falls_sentence(p) == (
        "Month on month, exports changed by {glue:text}`cr_mom_2025_04:+.1f` % in {glue:text}`cr_words_2025_04` and "
        "{glue:text}`cr_mom_2025_05:+.1f` % in {glue:text}`cr_words_2025_05`, then by "
        "{glue:text}`cr_rebound_mom:+.1f` % in {glue:text}`cr_rebound_words`.")
    text.glue_page(p, page_of(p))
    assert glued["cr_mom_2025_04"] == pytest.approx((50 / 110 - 1) * 100, abs=1e-4)
    assert glued["cr_mom_2025_05"] == pytest.approx(-60) and glued["cr_rebound_mom"] == pytest.approx(200)
    assert (glued["cr_words_2025_04"], glued["cr_words_2025_05"], glued["cr_rebound_words"]) == (
        "April 2025", "May 2025", "June 2025")


def test_falls_without_a_rebound_but_with_the_low_against_a_year_before(tmp_path, glued):
    rows = [("2024-05", "WLD", 80), *monthly("WLD", "2025-03", [100, 50, 20, None, 90])]
    p = measured(tmp_path, rows)
    assert text.falls_sentence(p) == (
        "Month on month, exports changed by {glue:text}`cr_mom_2025_04:+.1f` % in {glue:text}`cr_words_2025_04` and "
        "{glue:text}`cr_mom_2025_05:+.1f` % in {glue:text}`cr_words_2025_05`. Against "
        "{glue:text}`cr_low_ago_words` ({glue:text}`cr_low_ago_level:,.0f` t), the low was a change of "
        "{glue:text}`cr_low_yoy:+.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_low_ago_words"], glued["cr_low_ago_level"], glued["cr_low_yoy"]) == ("May 2024", 80.0, -75.0)
    assert "cr_rebound_mom" not in glued


def test_falls_with_no_computable_change_say_so(tmp_path):
    p = measured(tmp_path, [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [100, 90, 100, None, None, 20, 50, 90])])
    assert text.falls_sentence(p) == (
        "No month-on-month change can be computed from {glue:text}`cr_control_month` to the low: a month next to "
        "each of them has no figure.")


def test_falls_of_a_series_that_starts_after_the_controls_are_not_in_the_data(tmp_path):
    p = measured(tmp_path, small_world(), partner="DEU")
    assert text.falls_sentence(p) == (
        "No month before the controls has a figure for {glue:text}`cr_name`: the fall itself is not in the data, "
        "only the level after it.")


# --- the depth against a baseline --------------------------------------------------------------------

def test_depth_against_a_baseline_the_figures_cover(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.depth_sentence(p, "base") == (
        "Against the {glue:text}`cr_base_words` monthly mean of {glue:text}`cr_base_mean:,.0f` t "
        "({glue:text}`cr_base_method`), exports in {glue:text}`cr_low_words` were "
        "{glue:text}`cr_base_low_index:.1f` % of that level: a fall of {glue:text}`cr_base_fall_pct:.1f` %.")
    assert keys(text.depth_sentence(p, "alt")) == {"cr_alt_words", "cr_alt_mean", "cr_alt_method", "cr_low_words",
                                                   "cr_alt_low_index", "cr_alt_fall_pct"}
    text.glue_page(p, page_of(p))
    assert (glued["cr_base_words"], glued["cr_base_mean"], glued["cr_base_low_index"], glued["cr_base_fall_pct"]) == (
        "2024", 100.0, 20.0, 80.0)
    assert glued["cr_base_method"] == "the reported 2024 total spread over its months"
    assert (glued["cr_alt_words"], glued["cr_alt_mean"]) == ("January to March 2025", 90.0)
    assert glued["cr_alt_method"] == "the mean of the figures that cover its months"
    base = metrics_rows(glued).set_index("glue_key").loc["cr_base_mean"]
    assert (base["period"], base["metric"], base["basis"]) == ("2024", "baseline_mean", "baseline 2024")


def test_depth_against_a_baseline_with_no_low_after_it(tmp_path):
    p = measured(tmp_path, [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [100, 90, 100])])
    assert text.depth_sentence(p, "base") == (
        "Against the {glue:text}`cr_base_words` monthly mean of {glue:text}`cr_base_mean:,.0f` t "
        "({glue:text}`cr_base_method`).")


def test_a_window_the_figures_do_not_cover_is_no_baseline(tmp_path, glued):
    p = measured(tmp_path, small_world(), partner="DEU")
    assert text.depth_sentence(p, "base") == (
        "{glue:text}`cr_base_words` cannot serve as a baseline here: figures cover "
        "{glue:text}`cr_base_with_data:,.0f` of its {glue:text}`cr_base_months:,.0f` months, and the book sets a "
        "baseline only where figures cover every month.")
    assert text.regain_sentence(p, "base") == ""
    text.glue_page(p, page_of(p))
    assert (glued["cr_base_with_data"], glued["cr_base_months"]) == (0.0, 12.0)
    assert "cr_base_mean" not in glued and "cr_base_low_index" not in glued


# --- the recovery --------------------------------------------------------------------------------------

def test_regained_with_every_month_since_the_low_known(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.regain_sentence(p, "base") == (
        "Exports regained the {glue:text}`cr_base_words` level in {glue:text}`cr_base_regained_words`, "
        "{glue:text}`cr_base_regain_months:,.0f` months after the low; in {glue:text}`cr_base_held:,.0f` of the "
        "{glue:text}`cr_base_since:,.0f` months with a figure from then on they were at or above it. In "
        "{glue:text}`cr_newest_words` they stood at {glue:text}`cr_base_newest_index:.1f` % of it.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_base_regained_words"], glued["cr_base_regain_months"], glued["cr_base_held"],
            glued["cr_base_since"], glued["cr_base_newest_index"]) == ("July 2025", 2.0, 1.0, 2.0, 95.0)
    assert (glued["cr_alt_regained_words"], glued["cr_alt_held"]) == ("July 2025", 2.0)  # both above 90


def test_regained_after_a_missing_month_may_have_been_earlier(tmp_path, glued):
    p = measured(tmp_path, [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [100, 90, 100, 50, 20, None, 110, 100])])
    assert text.regain_sentence(p, "base") == (
        "Exports regained the {glue:text}`cr_base_words` level in {glue:text}`cr_base_regained_words`, "
        "{glue:text}`cr_base_regain_months:,.0f` months after the low (but {glue:text}`cr_base_regain_unknown` had "
        "no figure, so it may have been earlier); in {glue:text}`cr_base_held:,.0f` of the "
        "{glue:text}`cr_base_since:,.0f` months with a figure from then on they were at or above it. In "
        "{glue:text}`cr_newest_words` they stood at {glue:text}`cr_base_newest_index:.1f` % of it.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_base_regained_words"], glued["cr_base_regain_unknown"], glued["cr_base_held"]) == (
        "July 2025", "June 2025", 2.0)


def test_not_regained_by_the_newest_month(tmp_path, glued):
    p = measured(tmp_path, small_world(), end="2025-06")
    assert text.regain_sentence(p, "base") == (
        "By {glue:text}`cr_newest_words` exports had not regained the {glue:text}`cr_base_words` level. In "
        "{glue:text}`cr_newest_words` they stood at {glue:text}`cr_base_newest_index:.1f` % of it.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_newest_words"], glued["cr_base_newest_index"]) == ("June 2025", 60.0)
    assert "cr_base_regained_words" not in glued


# --- a year before ---------------------------------------------------------------------------------------

def test_newest_month_against_the_same_month_a_year_before(tmp_path, glued):
    p = measured(tmp_path, [*small_world(), ("2024-08", "WLD", 76)])
    assert text.ago_sentence(p) == (
        "Against {glue:text}`cr_ago_words` ({glue:text}`cr_ago_before:,.0f` t), exports in "
        "{glue:text}`cr_newest_words` ({glue:text}`cr_newest_level:,.0f` t) changed by "
        "{glue:text}`cr_ago_change:+.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_ago_words"], glued["cr_ago_before"], glued["cr_newest_level"], glued["cr_ago_change"]) == (
        "August 2024", 76.0, 95.0, 25.0)
    row = metrics_rows(glued).set_index("glue_key").loc["cr_ago_change"]
    assert (row["period"], row["metric"], row["basis"]) == ("2025-08", "yoy_pct", "")


def test_newest_month_published_a_year_before_only_within_a_short_total(tmp_path, glued):
    rows = [*small_world(), ("2024-07/2024-08", "WLD", 160, "derived")]
    p = measured(tmp_path, rows)
    assert text.ago_sentence(p) == (
        "{glue:text}`cr_month_ago_words` was not published on its own, only within {glue:text}`cr_ago_words` "
        "({glue:text}`cr_ago_before:,.0f` t, {glue:text}`cr_ago_status`); the same months a year later, "
        "{glue:text}`cr_ago_now_words`, came to {glue:text}`cr_ago_now:,.0f` t, a change of "
        "{glue:text}`cr_ago_change:+.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_month_ago_words"], glued["cr_ago_words"], glued["cr_ago_status"], glued["cr_ago_now_words"]) == (
        "August 2024", "July to August 2024", "derived", "July to August 2025")
    assert (glued["cr_ago_before"], glued["cr_ago_now"], glued["cr_ago_change"]) == (160.0, 200.0, 25.0)
    row = metrics_rows(glued).set_index("glue_key").loc["cr_ago_change"]
    assert (row["metric"], row["basis"]) == ("change_pct", "2025-07/2025-08 against 2024-07/2024-08")


def test_newest_month_with_nothing_to_compare_a_year_before(tmp_path, glued):
    p = measured(tmp_path, small_world())  # August 2024 lies only inside the 2024 total
    assert text.ago_sentence(p) == (
        "No figure covers {glue:text}`cr_month_ago_words` on its own or in a short total, so "
        "{glue:text}`cr_newest_words` cannot be set against the same month a year before.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_month_ago_words"], glued["cr_newest_words"]) == ("August 2024", "August 2025")
    assert "cr_ago_change" not in glued


def test_a_series_without_any_figure_says_nothing_of_the_newest_month(tmp_path):
    p = measured(tmp_path, small_world(), partner="JPN")
    assert text.ago_sentence(p) == "" and text.year_sentence(p) == ""


# --- the calendar year -------------------------------------------------------------------------------------

def test_year_against_the_year_before(tmp_path, glued):
    p = measured(tmp_path, [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [90] * 12)], end="2025-12")
    assert text.year_sentence(p) == (
        "Over {glue:text}`cr_year` as a whole exports came to {glue:text}`cr_year_total:,.0f` t, a change of "
        "{glue:text}`cr_year_change:+.1f` % against {glue:text}`cr_prev_year` ({glue:text}`cr_prev_total:,.0f` t).")
    text.glue_page(p, page_of(p))
    assert (glued["cr_year"], glued["cr_prev_year"], glued["cr_year_total"], glued["cr_prev_total"],
            glued["cr_year_change"]) == ("2025", "2024", 1080.0, 1200.0, -10.0)


def test_the_year_is_the_last_full_one_before_a_newest_month_inside_a_year(tmp_path, glued):
    p = measured(tmp_path, [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [90] * 15)], end="2026-03")
    text.glue_page(p, page_of(p))
    assert (glued["cr_year"], glued["cr_year_total"], glued["cr_prev_total"]) == ("2025", 1080.0, 1200.0)


def test_year_without_a_total_for_the_year_before(tmp_path):
    p = measured(tmp_path, monthly("WLD", "2025-01", [90] * 12), end="2025-12")
    assert text.year_sentence(p) == (
        "Over {glue:text}`cr_year` as a whole exports came to {glue:text}`cr_year_total:,.0f` t; no total for "
        "{glue:text}`cr_prev_year` is known, so the year cannot be compared with the one before.")


def test_year_not_covered_by_the_figures(tmp_path):
    rows = [r for r in monthly("WLD", "2025-01", [90] * 12) if r[0] != "2025-06"]  # June 2025 has no figure
    p = measured(tmp_path, rows, end="2025-12")
    assert text.year_sentence(p) == (
        "The figures do not cover every month of {glue:text}`cr_year`, so no annual total is computed and the year "
        "cannot be compared with the one before.")


# --- a destination's share ---------------------------------------------------------------------------------

def test_share_of_a_destination_with_figures_before_the_controls(tmp_path, glued):
    p = measured(tmp_path, small_world(), partner="USA")
    assert text.share_sentence(p) == (
        "Before the controls {glue:text}`cr_name` took {glue:text}`cr_share_before:.1f` % of China's exports of "
        "these goods (pooled over the {glue:text}`cr_share_n_before:,.0f` months with figures for both); from "
        "{glue:text}`cr_control_month` on it took {glue:text}`cr_share_after:.1f` % (pooled over "
        "{glue:text}`cr_share_n_after:,.0f` months), and {glue:text}`cr_share_newest:.1f` % in "
        "{glue:text}`cr_newest_words`.")
    text.glue_page(p, page_of(p))
    assert (glued["cr_share_before"], glued["cr_share_n_before"], glued["cr_share_n_after"], glued["cr_share_newest"]) == (
        10.0, 3.0, 5.0, 20.0)
    assert glued["cr_share_after"] == pytest.approx(53 / 330 * 100, abs=1e-4)
    row = metrics_rows(glued).set_index("glue_key").loc["cr_share_before"]
    assert (row["partner"], row["period"], row["basis"]) == ("USA", "2024-01/2025-03", "pooled before the control month")


def test_share_of_a_destination_whose_figures_start_after_the_controls(tmp_path):
    p = measured(tmp_path, small_world(), partner="DEU")
    assert text.share_sentence(p) == (
        "No month before the controls has a figure for {glue:text}`cr_name`, so its share of China's exports before "
        "them is unknown; from {glue:text}`cr_control_month` on it took {glue:text}`cr_share_after:.1f` % (pooled "
        "over {glue:text}`cr_share_n_after:,.0f` months), and {glue:text}`cr_share_newest:.1f` % in "
        "{glue:text}`cr_newest_words`.")


def test_share_of_a_destination_without_any_figure(tmp_path):
    p = measured(tmp_path, small_world(), partner="JPN")
    assert text.share_sentence(p) == (
        "No month before the controls has a figure for {glue:text}`cr_name`, so its share of China's exports before "
        "them is unknown.")


def test_no_share_on_the_world_page(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.share_sentence(p) == ""
    text.glue_page(p, page_of(p))
    assert not {"cr_share_before", "cr_share_after", "cr_share_newest"} & set(glued)


# --- ordinary swings ----------------------------------------------------------------------------------------

def test_swings_with_ordinary_months_and_the_largest_fall(tmp_path, glued):
    rows = [*monthly("WLD", "2024-01", WORLD_2024_MONTHS), *monthly("WLD", "2025-01", [95, 85, 100, *WORLD_2025[3:]])]
    p = measured(tmp_path, rows)
    assert text.swing_sentence(p) == (
        "Before the controls, {glue:text}`cr_swing_all_n:,.0f` month-on-month changes can be computed; they ranged "
        "from {glue:text}`cr_swing_all_min:+.1f` % to {glue:text}`cr_swing_all_max:+.1f` %. Leaving out changes "
        "into or out of {glue:text}`cr_lunar_words`, {glue:text}`cr_swing_ord_n:,.0f` remain, between "
        "{glue:text}`cr_swing_ord_min:+.1f` % and {glue:text}`cr_swing_ord_max:+.1f` %, with a standard deviation "
        "of {glue:text}`cr_swing_ord_sd:.1f` percentage points. Measured against them, the largest monthly fall "
        "after the controls, {glue:text}`cr_worst_mom:+.1f` % in {glue:text}`cr_worst_words`, has a z-score of "
        "{glue:text}`cr_z_ord:.1f` (its distance from their mean in standard deviations); measured against all "
        "changes, holiday months included, its z-score is {glue:text}`cr_z_all:.1f`. With so few ordinary changes "
        "the yardstick is thin: the two values bracket how unusual the fall was.")
    text.glue_page(p, page_of(p))
    levels = WORLD_2024_MONTHS + [95, 85, 100]
    changes = pd.Series([(b / a - 1) * 100 for a, b in zip(levels, levels[1:])])  # February 2024 to March 2025
    ordinary = changes[2:11]  # April to December 2024: none into or out of January or February
    assert (glued["cr_swing_all_n"], glued["cr_swing_ord_n"], glued["cr_lunar_words"]) == (14.0, 9.0, "January and February")
    assert glued["cr_swing_all_min"] == pytest.approx(changes.min(), abs=1e-4)
    assert glued["cr_swing_ord_max"] == pytest.approx(ordinary.max(), abs=1e-4)
    assert glued["cr_swing_ord_sd"] == pytest.approx(ordinary.std(), abs=1e-4)
    assert (glued["cr_worst_words"], glued["cr_worst_mom"]) == ("May 2025", -60.0)
    assert glued["cr_z_ord"] == pytest.approx((-60 - ordinary.mean()) / ordinary.std(), abs=1e-4)
    assert glued["cr_z_all"] == pytest.approx((-60 - changes.mean()) / changes.std(), abs=1e-4)


def test_swings_without_a_computable_fall_after_the_controls(tmp_path, glued):
    rows = [*monthly("WLD", "2024-01", WORLD_2024_MONTHS), *monthly("WLD", "2025-01", [95, 85, 100, None, 20, 60])]
    p = measured(tmp_path, rows)
    sentence = text.swing_sentence(p)
    assert sentence.endswith("with a standard deviation of {glue:text}`cr_swing_ord_sd:.1f` percentage points.")
    assert "z-score" not in sentence
    text.glue_page(p, page_of(p))
    assert "cr_worst_mom" not in glued and "cr_z_ord" not in glued


def test_swings_with_too_few_ordinary_changes(tmp_path, glued):
    p = measured(tmp_path, [*small_world(), ("2024-11", "WLD", 100), ("2024-12", "WLD", 110)])
    assert text.swing_sentence(p) == (
        "Before the controls, {glue:text}`cr_swing_all_n:,.0f` month-on-month changes can be computed; they ranged "
        "from {glue:text}`cr_swing_all_min:+.1f` % to {glue:text}`cr_swing_all_max:+.1f` %. Leaving out changes "
        "into or out of {glue:text}`cr_lunar_words`, {glue:text}`cr_swing_ord_n:,.0f` remain: too few to say how "
        "large an ordinary swing is.")
    text.glue_page(p, page_of(p))
    # December 2024 to March 2025; only December's change touches neither January nor February
    assert (glued["cr_swing_all_n"], glued["cr_swing_all_min"], glued["cr_swing_ord_n"]) == (4.0, -40.0, 1.0)
    assert glued["cr_swing_all_max"] == pytest.approx(110 / 60 * 100 - 100, abs=1e-4)


def test_swings_with_no_change_before_the_controls(tmp_path):
    p = measured(tmp_path, small_world(), partner="DEU")
    assert text.swing_sentence(p) == (
        "No month-on-month change can be computed before the controls for {glue:text}`cr_name`, so there is no "
        "yardstick for how unusual the later changes were.")


# --- destinations -------------------------------------------------------------------------------------------

DESTINATIONS_READING = (
    " The other series start after the controls: their pages show the level and share since then, and say plainly "
    "that the fall itself is not in the data.\n\nIn the table, *trough pinned* says whether every month from "
    "{glue:text}`cr_control_month` to the month after the low has a figure; where it does not, the lowest reported "
    "month need not be the trough. Shares pool the months in which both the destination and the world total have a "
    "figure, before the controls and from {glue:text}`cr_control_month` on. In the chart below the table each panel "
    "has its own scale, so compare shapes, not heights; the dashed rule marks {glue:text}`cr_control_month`.")


def test_world_page_lists_the_destinations_and_the_shares_that_can_be_compared(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.destinations_sentence(p) == (
        "{glue:text}`cr_n_destinations:,.0f` destinations have at least {glue:text}`cr_min_months:,.0f` monthly "
        "figures since {glue:text}`cr_since_words` and so a page of their own: "
        "{doc}`Germany </book/destinations/DEU>` and {doc}`United States </book/destinations/USA>`. A share of "
        "China's exports before and after the controls can be compared only where a destination has figures from "
        "before them: United States from {glue:text}`cr_dest_USA_share_before:.1f` % before them to "
        "{glue:text}`cr_dest_USA_share_after:.1f` % from {glue:text}`cr_control_month` on." + DESTINATIONS_READING)
    text.glue_page(p, page_of(p))
    assert (glued["cr_n_destinations"], glued["cr_min_months"], glued["cr_since_words"]) == (2.0, 3.0, "January 2025")
    assert glued["cr_dest_USA_share_before"] == 10.0 and "cr_dest_DEU_share_before" not in glued
    row = metrics_rows(glued).set_index("glue_key").loc["cr_dest_USA_share_after"]
    assert (row["partner"], row["period"], row["value"]) == ("USA", "2025-04/2025-08", round(53 / 330 * 100, 4))


def test_world_page_without_a_destination_known_before_the_controls(tmp_path):
    p = measured(tmp_path, small_world(usa=False))
    assert text.destinations_sentence(p) == (
        "{glue:text}`cr_n_destinations:,.0f` destinations have at least {glue:text}`cr_min_months:,.0f` monthly "
        "figures since {glue:text}`cr_since_words` and so a page of their own: "
        "{doc}`Germany </book/destinations/DEU>`." + DESTINATIONS_READING)


def test_destination_page_links_back_to_the_chapter(tmp_path):
    p = measured(tmp_path, small_world(), partner="USA")
    assert text.destinations_sentence(p) == (
        "{doc}`The chapter page </book/collapse>` sets this destination beside every other one with a page.")


# --- the page's blocks of prose -----------------------------------------------------------------------------

def test_world_findings_leave_out_the_falls_and_end_with_the_year(tmp_path):
    p = measured(tmp_path, small_world())
    assert text.findings(p) == "\n".join(f"- {s}" for s in (
        text.low_sentence(p), text.depth_sentence(p, "base"), text.regain_sentence(p, "base"),
        text.ago_sentence(p), text.year_sentence(p)))


def test_destination_findings_say_the_fall_is_not_in_the_data_and_end_with_the_share(tmp_path):
    p = measured(tmp_path, small_world(), partner="DEU")
    assert text.findings(p) == "\n".join(f"- {s}" for s in (
        text.low_sentence(p), text.falls_sentence(p), text.depth_sentence(p, "base"), text.ago_sentence(p),
        text.share_sentence(p)))  # no recovery sentence: 2024 is no baseline for Germany


def test_collapse_and_recovery_prose_set_the_alternative_beside_the_baseline(tmp_path):
    p = measured(tmp_path, small_world())
    assert text.collapse_prose(p) == "\n\n".join((text.low_sentence(p), text.falls_sentence(p),
                                                 text.depth_sentence(p, "base"), text.depth_sentence(p, "alt")))
    assert text.recovery_prose(p) == "\n\n".join((text.regain_sentence(p, "base"), text.regain_sentence(p, "alt"),
                                                 text.ago_sentence(p), text.year_sentence(p)))


def test_an_alternative_that_is_the_baseline_is_left_out_of_the_prose(tmp_path):
    same = {"base": ("2025-01", "2025-03"), "alt": ("2025-01", "2025-03")}
    p = measured(tmp_path, small_world(), windows=same)
    assert "cr_alt_" not in text.collapse_prose(p) + text.recovery_prose(p)
    assert "cr_base_mean" in text.collapse_prose(p)


# --- what the page glues ----------------------------------------------------------------------------------

SCENARIOS = {
    "world": (small_world(), "WLD", "2025-08"),
    "world, year covered": ([("2024", "WLD", 1200), *monthly("WLD", "2025-01", [90] * 12)], "WLD", "2025-12"),
    "world, gaps around the low": ([("2024", "WLD", 1200), *monthly("WLD", "2025-01", [100, 90, 100, None, None, 20, 50, 90])],
                                   "WLD", "2025-08"),
    "destination known before": (small_world(), "USA", "2025-08"),
    "destination known after": (small_world(), "DEU", "2025-08"),
    "destination without figures": (small_world(), "JPN", "2025-08"),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_reference_in_the_prose_is_glued_and_every_number_is_one_metrics_row(tmp_path, glued, scenario):
    rows, partner, end = SCENARIOS[scenario]
    p = measured(tmp_path, rows, partner=partner, end=end)
    text.glue_page(p, page_of(p))
    blocks = {k: glued[k].data for k in ("cr_md_findings", "cr_md_collapse", "cr_md_recovery", "cr_md_destinations",
                                         "cr_md_swings")}
    assert blocks["cr_md_collapse"] == text.collapse_prose(p) and blocks["cr_md_swings"] == text.swings_prose(p)
    metrics = metrics_rows(glued)
    by_key = metrics[metrics["glue_key"] != ""].groupby("glue_key")
    for key, fmt in REFERENCE.findall("\n".join(blocks.values())):
        assert key in glued, f"the prose refers to {key}, which is not glued"
        if fmt:
            assert isinstance(glued[key], float) and math.isfinite(glued[key]), f"{key} = {glued[key]!r}"
            assert len(by_key.get_group(key)) == 1 and by_key.get_group(key)["value"].iloc[0] == glued[key]
        else:
            assert isinstance(glued[key], str)
    assert set(metrics["page"]) == {"collapse" if partner == "WLD" else f"destinations/{partner}"}


def test_a_glued_figure_replaces_its_plain_row_in_metrics(tmp_path, glued):
    p = measured(tmp_path, small_world())
    text.glue_page(p, page_of(p))
    metrics = metrics_rows(glued)
    low = metrics[(metrics["period"] == "2025-05") & (metrics["metric"] == "level")]
    assert low[["glue_key", "value"]].to_dict("records") == [{"glue_key": "cr_low_level", "value": 20.0}]
    june = metrics[(metrics["period"] == "2025-06") & (metrics["metric"] == "level")]  # not glued: one plain row
    assert june[["glue_key", "value"]].to_dict("records") == [{"glue_key": "", "value": 60.0}]
