"""The home page's headings are claims; each is checked here against the computed figures.

If a new data vintage overturns a claim, this test fails and names it, so the heading is
rewritten instead of silently going wrong.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def glued() -> dict[tuple[str, str], float]:
    m = pd.read_csv(ROOT / "book" / "results" / "metrics.csv", dtype={"glue_key": str})
    m = m[m["glue_key"].notna()]
    return {(page, key): value for page, key, value in zip(m["page"], m["glue_key"], m["value"])}


def test_magnet_exports_collapsed_then_came_back_within_months(glued):
    assert glued[("collapse", "cr_base_fall_pct")] > 50          # "collapsed": more than half gone
    assert glued[("collapse", "cr_base_regain_months")] <= 6       # "within months"
    assert glued[("collapse", "cr_base_newest_index")] >= 100      # and stayed back in the newest month


def test_finished_magnets_flowed_while_controlled_inputs_thinned(glued):
    assert glued[("flow", "flow_w_gap_dy")] > 1 and glued[("flow", "flow_w_gap_tb")] > 1
    assert glued[("flow", "flow_w_re_yoy")] > 0                    # the headline category grew


def test_the_eu_us_one_month_cannot_tell_and_the_us_share_fell_within_its_noise(glued):
    z_rule, z_kept = glued[("eu-us", "compare_z_gap_pooled")], glued[("eu-us", "compare_z_gap_pooled_seasonal")]
    assert not math.isnan(z_rule) and not math.isnan(z_kept)
    assert (abs(z_rule) < 2) != (abs(z_kept) < 2)                  # "one month cannot tell": the readings disagree
    assert glued[("eu-us", "compare_focus_gap_pp")] < 0            # the US side fell behind in that month
    assert glued[("eu-us", "compare_share_change_after_a")] < 0    # "the US share fell"
    assert glued[("eu-us", "compare_share_change_after_a_low")] < 0 < glued[("eu-us", "compare_share_change_after_a_high")]
    assert glued[("eu-us", "compare_restricted_a")] > 0 and glued[("eu-us", "compare_restricted_b")] == 0
