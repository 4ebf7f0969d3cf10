"""The collapse page's sentences, one test per branch of the wording, and what the page glues.

Every page is built from a small hand-made series (`collapse_helpers`), so what the sentence must
say, and the values its references must carry, are known in advance. A sentence refers to numbers
and words only by glue key; the tests check the wording, the keys it refers to and, through
`glue_page` with a recording `myst_nb.glue`, that each of those keys is glued with the expected
value and each number has its row in metrics.csv.
"""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from rare_earth_exports.chapters.collapse import text
from rare_earth_exports.present.page import METRICS_KEY

from collapse_helpers import QUARTER, WORLD_2024_MONTHS, WORLD_2025, YEAR, measured, monthly, page_of, small_world

REFERENCE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


def keys(markdown: str) -> set[str]:
    return {key for key, _ in REFERENCE.findall(markdown)}


def metrics_rows(glued: dict) -> pd.DataFrame:
    return pd.DataFrame(json.loads(glued[METRICS_KEY]))


def world(values: list, first: str = "2025-01", extra: list | None = None) -> list[tuple]:
    """China's total: the 2024 total (a flat pattern, 100 a month) and months from `first`."""
    return [("2024", "WLD", 1200), *monthly("WLD", first, values), *(extra or [])]


# --- the low ---------------------------------------------------------------------------------------

def test_low_with_every_month_around_it_is_the_trough(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.low_sentence(p) == (
        "Exports bottomed out in {glue:text}`collapse_low_words` at {glue:text}`collapse_low_level:,.0f` t. Every month "
        "from {glue:text}`collapse_control_month` to {glue:text}`collapse_low_after_words` has a figure, so this is the "
        "trough.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_low_words"], glued["collapse_low_level"], glued["collapse_control_month"],
            glued["collapse_low_after_words"]) == ("May 2025", 20.0, "April 2025", "June 2025")


def test_low_next_to_one_missing_month_may_not_be_the_trough(tmp_path, glued):
    p = measured(tmp_path, world([100, 90, 100, None, 20, 60, 105, 95]))
    assert text.low_sentence(p) == (
        "The lowest reported month after the controls is {glue:text}`collapse_low_words`, at "
        "{glue:text}`collapse_low_level:,.0f` t, but {glue:text}`collapse_low_unknown` has no figure, so the trough may "
        "have been deeper or at another time.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_low_words"], glued["collapse_low_unknown"]) == ("May 2025", "April 2025")


def test_low_after_several_missing_months_counts_them(tmp_path, glued):
    p = measured(tmp_path, world([100, 90, 100, None, None, 20, 50, 90]))
    assert text.low_sentence(p) == (
        "The lowest reported month after the controls is {glue:text}`collapse_low_words`, at "
        "{glue:text}`collapse_low_level:,.0f` t, but {glue:text}`collapse_low_n_unknown:,.0f` of the months from "
        "{glue:text}`collapse_control_month` to {glue:text}`collapse_low_after_words` have no figure, so the trough "
        "may have been deeper or at another time.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_low_words"], glued["collapse_low_n_unknown"], glued["collapse_low_unknown"]) == (
        "June 2025", 2.0, "April 2025 and May 2025")
    row = metrics_rows(glued).set_index("glue_key").loc["collapse_low_n_unknown"]
    assert (row["period"], row["basis"]) == ("2025-04/2025-07", "months without a figure around the low")


def test_no_figure_after_the_controls_means_no_low(tmp_path, glued):
    p = measured(tmp_path, world([100, 90, 100]))
    assert text.low_sentence(p) == (
        "No month from {glue:text}`collapse_control_month` to {glue:text}`collapse_end_words` has a figure, so the page "
        "can say nothing about the fall or the recovery.")
    assert text.falls_sentence(p) == "" and text.regain_sentence(p, "base") == ""
    text.glue_page(p, page_of(p))
    assert glued["collapse_end_words"] == "August 2025" and "collapse_low_words" not in glued


# --- the falls into the low ---------------------------------------------------------------------------

def test_falls_into_the_low_and_the_rebound_after_it(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.falls_sentence(p) == (
        "Month on month, exports changed by {glue:text}`collapse_mom_2025_04:+.1f` % in "
        "{glue:text}`collapse_words_2025_04` and {glue:text}`collapse_mom_2025_05:+.1f` % in "
        "{glue:text}`collapse_words_2025_05`, then by {glue:text}`collapse_rebound_mom:+.1f` % in "
        "{glue:text}`collapse_rebound_words` ({glue:text}`collapse_rebound_level:,.0f` t).")
    text.glue_page(p, page_of(p))
    assert glued["collapse_mom_2025_04"] == pytest.approx((50 / 110 - 1) * 100, abs=1e-4)
    assert glued["collapse_mom_2025_05"] == pytest.approx(-60) and glued["collapse_rebound_mom"] == pytest.approx(200)
    assert (glued["collapse_rebound_words"], glued["collapse_rebound_level"]) == ("June 2025", 60.0)


def test_a_change_on_a_base_under_the_floor_is_not_meaningful(tmp_path, glued):
    # April 50 (from 110), May 5 (from 50), June 60 (from 5: a base under the 10 t floor)
    p = measured(tmp_path, world([100, 60, 110, 50, 5, 60, 105, 95]))
    assert text.falls_sentence(p) == (
        "Month on month, exports changed by {glue:text}`collapse_mom_2025_04:+.1f` % in "
        "{glue:text}`collapse_words_2025_04` and {glue:text}`collapse_mom_2025_05:+.1f` % in "
        "{glue:text}`collapse_words_2025_05`; the change into {glue:text}`collapse_rebound_words` "
        "({glue:text}`collapse_rebound_level:,.0f` t) is not meaningful (its base is under "
        "{glue:text}`collapse_floor:,.0f` t).")
    text.glue_page(p, page_of(p))
    assert glued["collapse_floor"] == 10.0 and "collapse_rebound_mom" not in glued
    p = measured(tmp_path, world([100, 60, 110, 8, 5, 60, 105, 95]))  # May's own base, April, is under the floor
    assert "a change not meaningful (its base is under {glue:text}`collapse_floor:,.0f` t) in " \
           "{glue:text}`collapse_words_2025_05`" in text.falls_sentence(p)


def test_falls_without_a_rebound_but_with_the_low_against_a_year_before(tmp_path, glued):
    p = measured(tmp_path, [("2024-05", "WLD", 80), *monthly("WLD", "2025-03", [100, 50, 20, None, 90])])
    assert text.falls_sentence(p) == (
        "Month on month, exports changed by {glue:text}`collapse_mom_2025_04:+.1f` % in "
        "{glue:text}`collapse_words_2025_04` and {glue:text}`collapse_mom_2025_05:+.1f` % in "
        "{glue:text}`collapse_words_2025_05`. Against {glue:text}`collapse_low_ago_words` "
        "({glue:text}`collapse_low_ago_level:,.0f` t), the low was a change of {glue:text}`collapse_low_yoy:+.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_low_ago_words"], glued["collapse_low_ago_level"], glued["collapse_low_yoy"]) == (
        "May 2024", 80.0, -75.0)


def test_falls_with_no_computable_change_say_so(tmp_path):
    p = measured(tmp_path, world([100, 90, 100, None, None, 20, 50, 90]))
    assert text.falls_sentence(p) == (
        "No month-on-month change can be computed from {glue:text}`collapse_control_month` to the low: a month next to "
        "each of them has no figure of its own.")


def test_falls_of_a_series_that_starts_after_the_controls_are_not_in_the_data(tmp_path):
    p = measured(tmp_path, monthly("WLD", "2025-04", [50, 20, 60]))
    assert text.falls_sentence(p) == (
        "No month before the controls has a figure: the fall itself is not in the data, only the level after it.")


# --- the depth against a named baseline, and why baselines differ ------------------------------------

def test_depth_against_a_named_baseline_with_its_reason(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.depth_sentence(p, "base") == (
        "Against {glue:text}`collapse_base_name` ({glue:text}`collapse_base_reason`), whose monthly mean was "
        "{glue:text}`collapse_base_mean:,.0f` t ({glue:text}`collapse_base_method`), exports in "
        "{glue:text}`collapse_low_words` were {glue:text}`collapse_base_low_index:.1f` % of that level: a fall of "
        "{glue:text}`collapse_base_fall_pct:.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_base_name"], glued["collapse_base_reason"], glued["collapse_base_mean"],
            glued["collapse_base_low_index"], glued["collapse_base_fall_pct"]) == (
        "2024", YEAR.reason, 100.0, 20.0, 80.0)
    assert glued["collapse_base_method"] == "the reported 2024 total spread over its months"
    assert (glued["collapse_alt_name"], glued["collapse_alt_mean"]) == ("Q1 2025", 90.0)
    assert glued["collapse_alt_method"] == "the mean of the figures that cover its months"
    row = metrics_rows(glued).set_index("glue_key").loc["collapse_base_mean"]
    assert (row["period"], row["metric"], row["basis"]) == ("2024", "baseline_mean", "baseline 2024")


def test_depth_against_a_baseline_with_no_low_after_it(tmp_path):
    p = measured(tmp_path, world([100, 90, 100]))
    assert text.depth_sentence(p, "base") == (
        "Against {glue:text}`collapse_base_name` ({glue:text}`collapse_base_reason`), whose monthly mean was "
        "{glue:text}`collapse_base_mean:,.0f` t ({glue:text}`collapse_base_method`).")


def test_a_window_the_figures_do_not_cover_is_no_baseline(tmp_path, glued):
    p = measured(tmp_path, monthly("WLD", "2025-01", WORLD_2025))  # no 2024 figure
    assert text.depth_sentence(p, "base") == (
        "{glue:text}`collapse_base_name` cannot serve as a baseline here: figures cover "
        "{glue:text}`collapse_base_with_data:,.0f` of its {glue:text}`collapse_base_months:,.0f` months, and the book "
        "sets a baseline only where figures cover every month.")
    assert text.regain_sentence(p, "base") == "" and text.baselines_sentence(p) == ""
    text.glue_page(p, page_of(p))
    assert (glued["collapse_base_with_data"], glued["collapse_base_months"]) == (0.0, 12.0)
    assert "collapse_base_mean" not in glued


def test_why_the_baselines_differ(tmp_path, glued):
    p = measured(tmp_path, world([120, 90, 120, 50, 20, 60, 105, 95]))  # Q1 2025: 110 a month, above 2024's 100
    assert text.baselines_sentence(p) == (
        "The baselines differ because they average different months. {glue:text}`collapse_alt_name` "
        "({glue:text}`collapse_alt_mean:,.0f` t a month) ran above {glue:text}`collapse_base_name` "
        "({glue:text}`collapse_base_mean:,.0f` t) although it holds the Lunar New Year months, when exports dip: freed "
        "of that season, by the pattern below, it stands for {glue:text}`collapse_alt_level:,.0f` t in an average "
        "month. The two windows taken together, {glue:text}`collapse_together_words`, give a third figure, "
        "{glue:text}`collapse_together_mean:,.0f` t, which a reader meets where the book measures ordinary "
        "month-to-month change over all the months before the controls. No window is the true level without the "
        "controls: the page states which one each figure uses, and gives the cost as a range between them.")
    text.glue_page(p, page_of(p))
    assert glued["collapse_together_words"] == "January 2024 to March 2025"
    assert glued["collapse_together_mean"] == pytest.approx((1200 + 330) / 15)
    assert glued["collapse_alt_level"] == pytest.approx(110)  # a flat 2024: no season to free it of


def test_a_lower_alternative_runs_below(tmp_path):
    p = measured(tmp_path, small_world())  # Q1 2025: 90 a month
    assert "{glue:text}`collapse_alt_mean:,.0f` t a month) ran below {glue:text}`collapse_base_name`" in \
        text.baselines_sentence(p)


# --- the recovery --------------------------------------------------------------------------------------

def test_regained_with_every_month_since_the_low_known(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.regain_sentence(p, "base") == (
        "Exports regained the level of {glue:text}`collapse_base_name` in {glue:text}`collapse_base_regained_words`, "
        "{glue:text}`collapse_base_regain_months:,.0f` months after the low; in {glue:text}`collapse_base_held:,.0f` of "
        "the {glue:text}`collapse_base_since:,.0f` months published on their own from then on they were at or above "
        "it. In {glue:text}`collapse_newest_words` they stood at {glue:text}`collapse_base_newest_index:.1f` % of it.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_base_regained_words"], glued["collapse_base_regain_months"], glued["collapse_base_held"],
            glued["collapse_base_since"], glued["collapse_base_newest_index"]) == ("July 2025", 2.0, 1.0, 2.0, 95.0)


def test_regained_after_a_missing_month_may_have_been_earlier(tmp_path, glued):
    p = measured(tmp_path, world([100, 90, 100, 50, 20, None, 110, 100]))
    assert ("(but {glue:text}`collapse_base_regain_unknown` had no figure, so it may have been earlier)"
            in text.regain_sentence(p, "base"))
    text.glue_page(p, page_of(p))
    assert (glued["collapse_base_regained_words"], glued["collapse_base_regain_unknown"]) == ("July 2025", "June 2025")


def test_not_regained_by_the_newest_month(tmp_path, glued):
    p = measured(tmp_path, small_world(), end="2025-06")
    assert text.regain_sentence(p, "base") == (
        "By {glue:text}`collapse_newest_words` exports had not regained the level of {glue:text}`collapse_base_name`. "
        "In {glue:text}`collapse_newest_words` they stood at {glue:text}`collapse_base_newest_index:.1f` % of it.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_newest_words"], glued["collapse_base_newest_index"]) == ("June 2025", 60.0)


# --- the newest figures ----------------------------------------------------------------------------------

def test_newest_month_against_the_same_month_a_year_before(tmp_path, glued):
    p = measured(tmp_path, small_world() + [("2024-08", "WLD", 76)])
    assert text.newest_sentence(p) == (
        "Against {glue:text}`collapse_ago_words` ({glue:text}`collapse_ago_before:,.0f` t), exports in "
        "{glue:text}`collapse_newest_words` ({glue:text}`collapse_newest_level:,.0f` t) changed by "
        "{glue:text}`collapse_ago_change:+.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_ago_words"], glued["collapse_ago_before"], glued["collapse_newest_level"],
            glued["collapse_ago_change"]) == ("August 2024", 76.0, 95.0, 25.0)


def test_a_small_change_in_one_month_cannot_be_told_from_ordinary_swings(tmp_path, glued):
    rows = [*monthly("WLD", "2024-01", WORLD_2024_MONTHS), *monthly("WLD", "2025-01", [95, 85, 100, 50, 20, 60, 105, 103])]
    p = measured(tmp_path, rows)  # August: 103 against 105, -1.9 %, inside two standard deviations of the swings
    assert text.newest_sentence(p).endswith(
        " A change this small cannot, in one month, be told apart from ordinary month-to-month swings (their standard "
        "deviation before the controls was {glue:text}`collapse_swing_sd:.1f` percentage points).")


def test_newest_month_published_a_year_before_only_within_a_short_total(tmp_path, glued):
    p = measured(tmp_path, small_world() + [("2024-07/2024-08", "WLD", 160, "derived")])
    assert text.newest_sentence(p) == (
        "{glue:text}`collapse_month_ago_words` was not published on its own, only within "
        "{glue:text}`collapse_ago_words` ({glue:text}`collapse_ago_before:,.0f` t, {glue:text}`collapse_ago_status`); "
        "the same months a year later, {glue:text}`collapse_ago_now_words`, came to {glue:text}`collapse_ago_now:,.0f` "
        "t, a change of {glue:text}`collapse_ago_change:+.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_ago_words"], glued["collapse_ago_status"], glued["collapse_ago_now"],
            glued["collapse_ago_change"]) == ("July to August 2024", "derived", 200.0, 25.0)
    row = metrics_rows(glued).set_index("glue_key").loc["collapse_ago_change"]
    assert (row["metric"], row["basis"]) == ("change_pct", "2025-07/2025-08 against 2024-07/2024-08")


def test_newest_month_with_nothing_to_compare_a_year_before(tmp_path, glued):
    p = measured(tmp_path, small_world())  # August 2024 lies only inside the 2024 total
    assert text.newest_sentence(p) == (
        "No figure covers {glue:text}`collapse_month_ago_words` on its own or in a short total, so "
        "{glue:text}`collapse_newest_words` cannot be set against the same month a year before.")
    text.glue_page(p, page_of(p))
    assert "collapse_ago_change" not in glued


SPAN_2026 = [*monthly("WLD", "2025-01", [100, 60, 110, 50, 20, 60, 105, 95, 100, 100, 100, 100]),
             ("2026-01/2026-02", "WLD", 176)]


def test_a_newest_two_month_total_is_compared_like_with_like(tmp_path, glued):
    p = measured(tmp_path, [("2024", "WLD", 1200), *SPAN_2026], end="2026-02")
    assert text.newest_sentence(p) == ""  # the two-month total has its own sentence
    assert text.span_sentence(p) == (
        "{glue:text}`collapse_span_words` was published as one figure for the {glue:text}`collapse_span_months:,.0f` "
        "months together: {glue:text}`collapse_span_level:,.0f` t, {glue:text}`collapse_span_monthly:,.0f` t a month "
        "on average. The book keeps it whole: the chart draws it as one bar across its months at that average, no "
        "single month of it has a figure, so the month-on-month change of each of its months and of the month after "
        "it is not computable. Set against the same months a year before, {glue:text}`collapse_span_ago_words` "
        "({glue:text}`collapse_span_before:,.0f` t), it is a change of {glue:text}`collapse_span_yoy:+.1f` %.")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_span_words"], glued["collapse_span_ago_words"], glued["collapse_span_level"],
            glued["collapse_span_monthly"], glued["collapse_span_before"], glued["collapse_span_yoy"]) == (
        "January to February 2026", "January to February 2025", 176.0, 88.0, 160.0, 10.0)
    assert glued["collapse_newest_words"] == "January to February 2026"


def test_a_two_month_total_without_the_same_months_a_year_before(tmp_path):
    p = measured(tmp_path, [("2024", "WLD", 1200), *SPAN_2026[2:]], end="2026-02")
    assert text.span_sentence(p).endswith(" The same months a year before have no figure, so it cannot be set against them.")


def test_a_two_month_total_on_a_small_base(tmp_path):
    rows = [("2024", "WLD", 1200), ("2025-01", "WLD", 5), ("2025-02", "WLD", 6), *SPAN_2026[2:]]
    assert text.span_sentence(measured(tmp_path, rows, end="2026-02")).endswith(
        " Against the same months a year before, the change is not meaningful (its base is under "
        "{glue:text}`collapse_floor:,.0f` t).")


def test_no_two_month_total_after_the_controls_no_sentence(tmp_path):
    assert text.span_sentence(measured(tmp_path, small_world())) == ""


def test_the_year_so_far_against_the_same_months(tmp_path, glued):
    p = measured(tmp_path, [("2024", "WLD", 1200), *SPAN_2026, ("2026-03", "WLD", 99)], end="2026-03")
    assert text.ytd_sentence(p) == (
        "Over {glue:text}`collapse_ytd_words`, exports came to {glue:text}`collapse_ytd_now:,.0f` t, a change of "
        "{glue:text}`collapse_ytd_change:+.1f` % against {glue:text}`collapse_ytd_before_words` "
        "({glue:text}`collapse_ytd_before:,.0f` t).")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_ytd_words"], glued["collapse_ytd_now"], glued["collapse_ytd_before"]) == (
        "January to March 2026", 275.0, 270.0)
    assert glued["collapse_ytd_change"] == pytest.approx(275 / 270 * 100 - 100, abs=1e-4)


def test_the_year_so_far_not_covered_or_a_single_month(tmp_path):
    p = measured(tmp_path, [("2024", "WLD", 1200), *SPAN_2026[1:], ("2026-03", "WLD", 99)], end="2026-03")
    assert text.ytd_sentence(p) == (
        "The figures do not cover every month of {glue:text}`collapse_ytd_words` and of the same months a year before, "
        "so the year so far cannot be compared.")
    p = measured(tmp_path, [("2024", "WLD", 1200), *SPAN_2026[:12], ("2026-01", "WLD", 90)], end="2026-01")
    assert text.ytd_sentence(p) == ""  # January alone is the newest month itself


# --- the calendar year -------------------------------------------------------------------------------------

def test_year_against_the_year_before(tmp_path, glued):
    p = measured(tmp_path, world([90] * 12), end="2025-12")
    assert text.year_sentence(p) == (
        "Over {glue:text}`collapse_year` as a whole exports came to {glue:text}`collapse_year_total:,.0f` t, a change "
        "of {glue:text}`collapse_year_change:+.1f` % against {glue:text}`collapse_prev_year` "
        "({glue:text}`collapse_prev_total:,.0f` t).")
    text.glue_page(p, page_of(p))
    assert (glued["collapse_year"], glued["collapse_year_total"], glued["collapse_prev_total"],
            glued["collapse_year_change"]) == ("2025", 1080.0, 1200.0, -10.0)


def test_year_without_a_total_for_the_year_before(tmp_path):
    p = measured(tmp_path, monthly("WLD", "2025-01", [90] * 12), end="2025-12")
    assert text.year_sentence(p) == (
        "Over {glue:text}`collapse_year` as a whole exports came to {glue:text}`collapse_year_total:,.0f` t; no total "
        "for {glue:text}`collapse_prev_year` is known, so the year cannot be compared with the one before.")


def test_year_not_covered_by_the_figures(tmp_path):
    p = measured(tmp_path, [r for r in monthly("WLD", "2025-01", [90] * 12) if r[0] != "2025-06"], end="2025-12")
    assert text.year_sentence(p) == (
        "The figures do not cover every month of {glue:text}`collapse_year`, so no annual total is computed and the "
        "year cannot be compared with the one before.")


# --- the cost in tonnes ------------------------------------------------------------------------------------

def test_the_pattern_read_at_the_detail_the_year_was_published(tmp_path, glued):
    rows = [("2024", "WLD", 1200), ("2024-01/2024-06", "WLD", 540), ("2024-02", "WLD", 60), *monthly("WLD", "2025-01", WORLD_2025)]
    p = measured(tmp_path, rows)
    assert text.pattern_sentence(p) == (
        "The seasonal pattern comes from {glue:text}`collapse_pattern_words`, read at the detail it was published: "
        "its figures fix {glue:text}`collapse_pattern_blocks:,.0f` separate parts of the year, some of several months "
        "known only together ({glue:text}`collapse_pattern_joint_words`), and each month of such a part is given the "
        "part's monthly mean. Set against the year's average month, the lowest part is "
        "{glue:text}`collapse_pattern_low_words` at {glue:text}`collapse_pattern_low_pct:.1f` % of it and the highest "
        "{glue:text}`collapse_pattern_high_words` at {glue:text}`collapse_pattern_high_pct:.1f` %. Each baseline "
        "window's mean, divided by the pattern of its own months, gives the level of an average month without the "
        "controls; times each month's share of the pattern, it gives that month's counterfactual.")
    text.glue_page(p, page_of(p))
    # February 60; January and March to June (540 - 60) / 5 = 96; July to December 660 / 6 = 110
    assert (glued["collapse_pattern_blocks"], glued["collapse_pattern_joint_words"]) == (
        3.0, "January and March to June; July to December")
    assert (glued["collapse_pattern_low_words"], glued["collapse_pattern_low_pct"]) == ("February", 60.0)
    assert (glued["collapse_pattern_high_words"], glued["collapse_pattern_high_pct"]) == ("July to December", 110.0)
    factors = metrics_rows(glued).query("metric == 'seasonal_factor'")
    assert sorted(factors["value"]) == [0.6, 0.96, 1.1]


def test_a_flat_pattern_and_no_pattern(tmp_path):
    assert text.pattern_sentence(measured(tmp_path, small_world())) == (
        "The seasonal pattern comes from {glue:text}`collapse_pattern_words`, whose figures give only the year's total: "
        "the pattern is flat, every month an average month, and each baseline window's mean is the counterfactual of "
        "every month.")
    assert text.pattern_sentence(measured(tmp_path, monthly("WLD", "2025-01", WORLD_2025))) == (
        "The figures do not fix the total of a full year before the controls, so no seasonal pattern, and no cost in "
        "tonnes, can be derived.")


COST_RECOVERY = ("From {glue:text}`collapse_control_month` to {glue:text}`collapse_shortfall_recovery_words`, the month "
                 "exports regained the baseline level, the shortfall came to between "
                 "{glue:text}`collapse_shortfall_recovery_t_low:,.0f` and "
                 "{glue:text}`collapse_shortfall_recovery_t_high:,.0f` t. ")
COST_NEWEST = ("From {glue:text}`collapse_control_month` to {glue:text}`collapse_newest_words`, exports fell short of "
               "the counterfactual by between {glue:text}`collapse_shortfall_t_low:,.0f` t (from "
               "{glue:text}`collapse_shortfall_low_words`) and {glue:text}`collapse_shortfall_t_high:,.0f` t (from "
               "{glue:text}`collapse_shortfall_high_words`), net of the months above it.")


def test_the_cost_as_a_range_between_two_baselines(tmp_path, glued):
    p = measured(tmp_path, small_world())
    assert text.cost_sentence(p) == COST_RECOVERY + COST_NEWEST
    text.glue_page(p, page_of(p))
    # against 2024 (100 a month): April to July 50 + 80 + 40 - 5 = 165, to August 170; against Q1 2025 (90 a
    # month, a flat pattern): 40 + 70 + 30 - 15 = 125, to August 120
    assert (glued["collapse_shortfall_recovery_words"], glued["collapse_shortfall_recovery_t_low"],
            glued["collapse_shortfall_recovery_t_high"]) == ("July 2025", 125.0, 165.0)
    assert (glued["collapse_shortfall_t_low"], glued["collapse_shortfall_low_words"], glued["collapse_shortfall_t_high"],
            glued["collapse_shortfall_high_words"]) == (120.0, "Q1 2025", 170.0, "2024")
    assert (glued["collapse_base_shortfall_recovery_t"], glued["collapse_alt_shortfall_newest_t"]) == (165.0, 120.0)
    rows = metrics_rows(glued).set_index("glue_key")
    assert (rows.loc["collapse_shortfall_t_low", "metric"], rows.loc["collapse_shortfall_t_low", "period"],
            rows.loc["collapse_shortfall_t_low", "unit"]) == ("shortfall", "2025-04/2025-08", "t")
    cf = metrics_rows(glued).query("metric == 'counterfactual' and basis == 'baseline 2025-01/2025-03'")
    assert cf["period"].tolist() == [f"2025-{k:02d}" for k in range(4, 9)] and set(cf["value"]) == {90.0}


def test_the_cost_from_one_baseline(tmp_path):
    p = measured(tmp_path, small_world(), windows={"base": YEAR})
    assert text.cost_sentence(p) == (
        "From {glue:text}`collapse_control_month` to {glue:text}`collapse_shortfall_recovery_words`, the month exports "
        "regained the baseline level, the shortfall came to {glue:text}`collapse_shortfall_recovery_t_low:,.0f` t. "
        "From {glue:text}`collapse_control_month` to {glue:text}`collapse_newest_words`, exports fell short of the "
        "counterfactual from {glue:text}`collapse_shortfall_low_words` by {glue:text}`collapse_shortfall_t_low:,.0f` t "
        "in all, net of the months above it.")


def test_the_cost_while_exports_have_not_regained_a_baseline(tmp_path):
    p = measured(tmp_path, small_world(), end="2025-06")
    assert text.cost_sentence(p) == COST_NEWEST + " Exports have not regained a baseline level, so the shortfall is still growing."


def test_the_cost_made_up_against_both_baselines_or_one(tmp_path):
    both = measured(tmp_path, world([100, 60, 110, 50, 20, 60, 160, 200]))  # 2024: 110 then 10; Q1 2025: 70 then -40
    assert text.cost_sentence(both).endswith(
        " The months above the counterfactual since the recovery have made up nearly all of it.")
    one = measured(tmp_path, world([100, 60, 110, 50, 20, 60, 160, 165]))   # 2024: 110 then 45; Q1 2025: 70 then -5
    assert text.cost_sentence(one).endswith(
        " Against {glue:text}`collapse_shortfall_low_words`, the months above the counterfactual since the recovery "
        "have made up nearly all of the early loss; against {glue:text}`collapse_shortfall_high_words`, they have not.")


def test_no_cost_without_a_counterfactual_or_with_a_gap(tmp_path):
    assert text.cost_sentence(measured(tmp_path, monthly("WLD", "2025-01", WORLD_2025))) == (
        "No baseline window, or no seasonal pattern, supports a counterfactual, so the page cannot say how many tonnes "
        "the controls cost.")
    assert text.cost_sentence(measured(tmp_path, world([100, 90, 100, 50, None, 60, 105, 95]))) == (
        "Months from {glue:text}`collapse_control_month` on lack a figure, so the shortfall cannot be summed.")


# --- ordinary swings: one yardstick ---------------------------------------------------------------------------

def test_swings_by_the_one_seasonal_rule_and_the_largest_fall(tmp_path, glued):
    rows = [*monthly("WLD", "2024-01", WORLD_2024_MONTHS), *monthly("WLD", "2025-01", [95, 85, 100, *WORLD_2025[3:]])]
    p = measured(tmp_path, rows)
    assert text.swing_sentence(p) == (
        "Leaving out changes into or out of {glue:text}`collapse_seasonal_words`, {glue:text}`collapse_swing_n:,.0f` "
        "month-on-month changes can be computed before the controls, between {glue:text}`collapse_swing_min:+.1f` % "
        "and {glue:text}`collapse_swing_max:+.1f` %, with a standard deviation of {glue:text}`collapse_swing_sd:.1f` "
        "percentage points. Against them, the largest monthly fall after the controls, "
        "{glue:text}`collapse_worst_mom:+.1f` % in {glue:text}`collapse_worst_words`, lies {glue:text}`collapse_z:.1f` "
        "standard deviations from their mean.")
    text.glue_page(p, page_of(p))
    levels = WORLD_2024_MONTHS + [95, 85, 100]
    ordinary = pd.Series([(b / a - 1) * 100 for a, b in zip(levels, levels[1:])])[2:11]  # April to December 2024
    assert (glued["collapse_swing_n"], glued["collapse_seasonal_words"]) == (9.0, "January and February")
    assert glued["collapse_swing_sd"] == pytest.approx(ordinary.std(), abs=1e-4)
    assert (glued["collapse_worst_words"], glued["collapse_worst_mom"]) == ("May 2025", -60.0)
    assert glued["collapse_z"] == pytest.approx((-60 - ordinary.mean()) / ordinary.std(), abs=1e-4)


def test_a_thin_yardstick_says_so(tmp_path):
    p = measured(tmp_path, [*small_world(), ("2024-10", "WLD", 100), ("2024-11", "WLD", 105), ("2024-12", "WLD", 110)])
    assert text.swing_sentence(p).endswith(
        " So few changes make a thin yardstick: the figure says the fall was far outside ordinary swings, not precisely "
        "how far.")


def test_swings_without_a_fall_after_the_controls(tmp_path, glued):
    rows = [*monthly("WLD", "2024-01", WORLD_2024_MONTHS), *monthly("WLD", "2025-01", [95, 85, 100, None, 20, 60])]
    p = measured(tmp_path, rows)
    assert text.swing_sentence(p).endswith("with a standard deviation of {glue:text}`collapse_swing_sd:.1f` percentage points.")
    text.glue_page(p, page_of(p))
    assert "collapse_worst_mom" not in glued and "collapse_z" not in glued


@pytest.mark.parametrize("extra, n", [([], "changes"), ([("2024-11", "WLD", 100), ("2024-12", "WLD", 110)], "change")])
def test_too_few_ordinary_changes(tmp_path, extra, n):
    p = measured(tmp_path, small_world() + extra)
    assert text.swing_sentence(p) == (
        "Leaving out changes into or out of {glue:text}`collapse_seasonal_words`, {glue:text}`collapse_swing_n:,.0f` "
        f"month-on-month {n} can be computed before the controls: too few to say how large an ordinary swing is.")


# --- the page's blocks of prose -----------------------------------------------------------------------------

def test_findings_lead_with_the_low_and_carry_the_cost(tmp_path):
    p = measured(tmp_path, small_world())
    assert text.findings(p) == "\n".join(f"- {s}" for s in (
        text.low_sentence(p), text.depth_sentence(p, "base"), text.regain_sentence(p, "base"), text.cost_sentence(p),
        text.newest_sentence(p), text.year_sentence(p)))


def test_an_alternative_that_is_the_baseline_is_left_out_of_the_prose(tmp_path):
    p = measured(tmp_path, small_world(), windows={"base": QUARTER, "alt": QUARTER})
    assert "collapse_alt_" not in text.collapse_prose(p) + text.recovery_prose(p)
    assert "collapse_base_mean" in text.collapse_prose(p)


SCENARIOS = {
    "world": (small_world(), "2025-08"),
    "world, year covered": (world([90] * 12), "2025-12"),
    "world, gaps around the low": (world([100, 90, 100, None, None, 20, 50, 90]), "2025-08"),
    "world, a two-month total": ([("2024", "WLD", 1200), *SPAN_2026, ("2026-03", "WLD", 99)], "2026-03"),
    "world, no baseline": (monthly("WLD", "2025-01", WORLD_2025), "2025-08"),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_reference_in_the_prose_is_glued_and_every_number_is_one_metrics_row(tmp_path, glued, scenario):
    rows, end = SCENARIOS[scenario]
    p = measured(tmp_path, rows, end=end)
    text.glue_page(p, page_of(p))
    blocks = {k: str(glued[k]) for k in ("collapse_md_findings", "collapse_md_collapse", "collapse_md_recovery",
                                         "collapse_md_cost", "collapse_md_swings")}
    assert blocks["collapse_md_collapse"] == text.collapse_prose(p) and blocks["collapse_md_cost"] == text.cost_prose(p)
    metrics = metrics_rows(glued)
    by_key = metrics[metrics["glue_key"] != ""].groupby("glue_key")
    for key, fmt in REFERENCE.findall("\n".join(blocks.values())):
        assert key in glued, f"the prose refers to {key}, which is not glued"
        if fmt:
            assert isinstance(glued[key], float) and math.isfinite(glued[key]), f"{key} = {glued[key]!r}"
            assert len(by_key.get_group(key)) == 1 and by_key.get_group(key)["value"].iloc[0] == glued[key]
        else:
            assert isinstance(glued[key], str)


def test_a_glued_figure_replaces_its_plain_row_in_metrics(tmp_path, glued):
    p = measured(tmp_path, small_world())
    text.glue_page(p, page_of(p))
    metrics = metrics_rows(glued)
    low = metrics[(metrics["period"] == "2025-05") & (metrics["metric"] == "level")]
    assert low[["glue_key", "value"]].to_dict("records") == [{"glue_key": "collapse_low_level", "value": 20.0}]
    july = metrics[(metrics["period"] == "2025-07") & (metrics["metric"] == "level")]  # not glued: one plain row
    assert july[["glue_key", "value"]].to_dict("records") == [{"glue_key": "", "value": 105.0}]


def test_findings_carry_the_year_so_far_when_it_can_be_compared(tmp_path):
    p = measured(tmp_path, [("2024", "WLD", 1200), *SPAN_2026, ("2026-03", "WLD", 99)], end="2026-03")
    assert text.ytd_sentence(p) in text.findings(p).split("\n")[-2]
