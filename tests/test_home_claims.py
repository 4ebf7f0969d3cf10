"""The home page's answers and key numbers are claims; each is checked here against the computed
figures (metrics.csv, and the words the pages glue).

If a new data vintage overturns a claim, this test fails and names it, so the home page is
rewritten instead of silently going wrong.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rare_earth_exports.build.diff import glued_values

from conftest import ROOT


@pytest.fixture(scope="module")
def glued() -> dict[tuple[str, str], float]:
    m = pd.read_csv(ROOT / "book" / "results" / "metrics.csv", dtype={"glue_key": str})
    m = m[m["glue_key"].notna()]
    return {(page, key): value for page, key, value in zip(m["page"], m["glue_key"], m["value"])}


def words(page: str) -> dict[str, str]:
    """The texts a page glues (months in words, event titles)."""
    values = glued_values((ROOT / "book" / f"{page}.ipynb").read_text(encoding="utf-8"))
    return {k: v for k, v in values.items() if isinstance(v, str)}


def test_magnet_exports_collapsed_then_came_back_within_months(glued):
    assert glued[("collapse", "collapse_base_fall_pct")] > 50          # "Yes": more than half gone
    assert glued[("collapse", "collapse_base_regain_months")] <= 6       # back within months
    assert glued[("collapse", "collapse_base_newest_index")] >= 100      # and above the level in the newest month


def test_the_cost_is_a_shortfall_that_the_later_months_reduced(glued):
    low, high = glued[("collapse", "collapse_shortfall_recovery_t_low")], glued[("collapse", "collapse_shortfall_recovery_t_high")]
    assert 0 < low <= high                                                # "fewer than it would have"
    assert glued[("collapse", "collapse_shortfall_t_low")] < low           # "the months above ... since bring"
    assert glued[("collapse", "collapse_shortfall_t_high")] < high
    assert glued[("collapse", "collapse_shortfall_t_low")] <= glued[("collapse", "collapse_shortfall_t_high")]


def test_the_us_share_fell_over_many_months(glued):
    before, after, latest = (glued[("destinations", f"dest_USA_share_{k}")] for k in ("before", "after", "latest"))
    assert before > after > latest                                        # "fell ... and" / "kept falling"


def test_the_us_figures_readers_know(glued):
    dest = words("destinations")
    assert glued[("destinations", "dest_USA_low_level")] < glued[("destinations", "dest_floor")]   # "so small a base"
    assert glued[("destinations", "dest_USA_apart_mom")] < 0 < glued[("destinations", "dest_USA_apart_world_mom")]
    note = dest["dest_USA_low_since_note"]                                 # ", the lowest since ..." or nothing
    assert note == "" or note == f", the lowest since {dest['dest_USA_low_since_words']}"
    assert dest["dest_USA_tariff_words"]                                   # "US tariffs weigh on the same months"


def test_europe_s_rise_is_bounded(glued):
    assert glued[("destinations", "dest_europe_rise_max")] > 0            # "at most ... points": a rise is possible


def test_the_texts_on_the_newest_year_say_the_glued_figures(glued):
    """The home page shows the newest year's share and Europe's as texts (so data that end in
    December still build it); each says the figures glued on their own, as the page writes them."""
    dest = words("destinations")
    latest = f"{glued[('destinations', 'dest_USA_share_latest')]:.1f}% "
    assert dest["dest_USA_share_latest_lead"] == (f"The United States' share kept falling: {latest}of China's magnet "
                                                  f"exports over {dest['dest_USA_share_latest_words']}. ")
    europe = dest["dest_europe_note"]
    for key, fmt in (("dest_europe_pct", ".0f"), ("dest_eu_share", ".1f")):
        assert f" {glued[('destinations', key)]:{fmt}}% " in europe, key
    assert europe.endswith(f"rise was at most {glued[('destinations', 'dest_europe_rise_max')]:.1f} percentage points.")


def test_the_flow_answer_says_what_the_flow_figures_show(glued):
    """The home page pastes the flow page's answer: magnets above their 2024 level after the truce,
    dysprosium and terbium below theirs, and no verdict on thinning from too few months."""
    answer = words("flow")["flow_answer"]
    assert glued[("flow", "flow_mag_after_change")] > 0 and " above their average month of " in answer
    dy, tb = glued[("flow", "flow_dy_after_index")], glued[("flow", "flow_tb_after_index")]
    assert dy < 100 and tb < 100 and "dysprosium and terbium ran below" in answer
    assert f"(at {dy:.1f}% and {tb:.1f}% of it)" in answer
    months_after = min(glued[("flow", "flow_dy_after_n")], glued[("flow", "flow_tb_after_n")])
    too_few = months_after < glued[("flow", "flow_min_months_after")]          # "... months of figures cannot tell"
    months = f"{months_after:.0f} {'month' if months_after == 1 else 'months'}"
    assert (f"{months} of figures cannot tell" in answer) == too_few


def test_the_stamp_is_the_newest_month_and_a_release_date_is_expected():
    collapse = words("collapse")
    assert collapse["collapse_end_words"] == collapse["collapse_newest_words"]
    assert collapse["collapse_release_date_words"][0].isdigit()            # a date, not "no past release date"


def test_the_eu_us_one_month_cannot_tell_and_the_us_share_fell_within_its_noise(glued):
    z_rule, z_kept = glued[("eu-us", "compare_z_gap_pooled")], glued[("eu-us", "compare_z_gap_pooled_seasonal")]
    assert not math.isnan(z_rule) and not math.isnan(z_kept)
    assert (abs(z_rule) < 2) != (abs(z_kept) < 2)                  # "one month cannot tell": the readings disagree
    assert glued[("eu-us", "compare_focus_gap_pp")] < 0            # the US side fell behind in that month
    assert glued[("eu-us", "compare_share_change_after_a")] < 0    # "the US share fell"
    assert glued[("eu-us", "compare_share_change_after_a_low")] < 0 < glued[("eu-us", "compare_share_change_after_a_high")]
    assert glued[("eu-us", "compare_restricted_a")] > 0 and glued[("eu-us", "compare_restricted_b")] == 0
