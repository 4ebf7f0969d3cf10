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


def test_finished_magnets_flowed_while_controlled_inputs_stayed_below_their_base(glued):
    assert glued[("flow", "flow_mag_after_index")] > 100            # magnets above their 2024 level after the truce
    assert glued[("flow", "flow_dy_after_index")] < 100 and glued[("flow", "flow_tb_after_index")] < 100
    assert glued[("flow", "flow_re_yoy")] > 0                      # the headline category grew


def test_the_eu_us_gap_lies_inside_ordinary_swings(glued):
    z = glued[("eu-us", "z_gap_pooled")]
    assert not math.isnan(z) and abs(z) < 2
    assert glued[("eu-us", "focus_gap_pp")] < 0                    # the US side fell behind
