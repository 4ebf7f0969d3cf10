"""Finished against raw: indexes, stretches, the test over months, spans, annual totals, the newest
year and destinations, on small series whose results are worked out by hand in the comments."""

import math

import numpy as np
import pandas as pd
import pytest

from rare_earth_exports.chapters.flow import measures as dv
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.load import load_observations
from rare_earth_exports.present.page import Page

from flow_helpers import SCOPE, flow_data
from series_helpers import observations as series_observations

COLUMNS = "period,reporter,partner,flow,product,unit,value,status,source_ids,note"


def observations(tmp_path, rows: list[str]) -> pd.DataFrame:
    (tmp_path / "observations.csv").write_text("\n".join([COLUMNS, *rows]) + "\n", encoding="utf-8")
    return load_observations(tmp_path)


def row(period, partner, product, unit, value, status="reported", source="s-1", note=""):
    return f"{period},CHN,{partner},export,{product},{unit},{value},{status},{source},{note}"


@pytest.fixture
def obs(tmp_path):
    # Magnets in tonnes: 2024 only as an annual total (1,200 t, so 100 t a month), then months.
    # Dysprosium in kilograms: one month of 2024 (2,000 kg), then months, one of them zero.
    return observations(tmp_path, [
        row("2024", "WLD", "magnets", "t", 1200),
        row("2025-01", "WLD", "magnets", "t", 150),
        row("2025-02", "WLD", "magnets", "t", 50, status="derived"),
        row("2025-03", "WLD", "magnets", "t", 300),
        row("2025-04", "WLD", "magnets", "t", 900),
        row("2024-06", "WLD", "dysprosium", "kg", 2000),
        row("2025-01", "WLD", "dysprosium", "kg", 500),
        row("2025-02", "WLD", "dysprosium", "kg", 0),
        row("2025-03", "WLD", "dysprosium", "kg", 20),
    ])


def test_index_puts_tonnes_and_kilograms_on_one_scale(obs):
    mag = dv.indexed_series(obs, "magnets", "WLD", "2024-01", "2024-12", "2024-01", "2025-04")
    dy = dv.indexed_series(obs, "dysprosium", "WLD", "2024-01", "2024-12", "2024-01", "2025-04")
    assert mag.unit == "t" and dy.unit == "kg"
    # 150 t / (1,200 t / 12) = 150; 500 kg / 2,000 kg = 25
    assert mag.frame.at[pd.Period("2025-01", "M"), "index"] == pytest.approx(150)
    assert dy.frame.at[pd.Period("2025-01", "M"), "index"] == pytest.approx(25)
    assert dy.frame.at[pd.Period("2025-02", "M"), "index"] == 0
    assert mag.baseline_kind == "complete" and mag.baseline.months_with_data == 12
    assert dy.baseline_kind == "partial" and dy.baseline.months_with_data == 1 and dy.baseline.periods == ("2024-06",)


def test_index_status_tells_missing_from_in_a_total_and_no_baseline(obs):
    mag = dv.indexed_series(obs, "magnets", "WLD", "2024-01", "2024-12", "2024-01", "2025-04")
    dy = dv.indexed_series(obs, "dysprosium", "WLD", "2023-01", "2023-12", "2024-01", "2025-04")
    assert mag.frame.at[pd.Period("2024-03", "M"), "status"] == "in a total"
    assert mag.frame.at[pd.Period("2025-02", "M"), "status"] == "derived"
    assert dy.baseline_kind == "none"
    assert dy.frame.at[pd.Period("2025-01", "M"), "status"] == "no baseline"
    assert dy.frame.at[pd.Period("2024-03", "M"), "status"] == "missing"
    assert dy.frame["index"].isna().all()


def test_annual_comparison_only_where_both_years_are_covered(tmp_path):
    o = observations(tmp_path, [
        row("2024", "WLD", "magnets", "t", 1200),
        row("2025-01/2025-06", "WLD", "magnets", "t", 900),
        *[row(f"2025-{m:02d}", "WLD", "magnets", "t", 100) for m in range(7, 13)],
        row("2024-06", "WLD", "dysprosium", "kg", 2000),
        row("2025", "WLD", "dysprosium", "kg", 5000),
    ])
    a = dv.annual_comparison(o, ["magnets", "dysprosium", "yttrium"], "WLD", 2025, 2024).set_index("product")
    # 2025 = 900 + 6 x 100 = 1,500 t against 1,200 t: +25 %
    assert a.at["magnets", "current"] == pytest.approx(1500)
    assert a.at["magnets", "yoy_pct"] == pytest.approx(25)
    assert a.at["magnets", "current_baseline"].complete
    assert a.at["magnets", "current_baseline"].method.startswith("covered by 2025-01/2025-06")
    assert np.isnan(a.at["dysprosium", "prior"]) and np.isnan(a.at["dysprosium", "yoy_pct"])
    assert a.at["dysprosium", "prior_baseline"].months_with_data == 1
    assert a.at["dysprosium", "prior_baseline"].months_in_window == 12
    assert a.at["yttrium", "current_baseline"].months_with_data == 0


def test_annual_totals_and_period_total(tmp_path):
    o = observations(tmp_path, [row("2023", "WLD", "rare_earths", "t", 50), row("2024", "WLD", "rare_earths", "t", 70),
                                row("2025-01", "WLD", "rare_earths", "t", 5)])
    rows = o[o["product"] == "rare_earths"]
    totals = dv.annual_totals(rows, [2023, 2024, 2025])
    assert totals[2023] == 50 and totals[2024] == 70 and np.isnan(totals[2025])
    assert dv.period_total(rows, "2025-01")[0] == 5


def test_same_month_changes_need_both_months(tmp_path):
    o = observations(tmp_path, [row("2024-06", "WLD", "terbium", "kg", 8000), row("2025-06", "WLD", "terbium", "kg", 1000),
                                row("2025-07", "WLD", "terbium", "kg", 7000)])
    s = dv.same_month_changes(o, ["terbium", "magnets"], "WLD", "2025-01", "2025-12", {"kg": 100})
    assert len(s) == 1
    # 1,000 against 8,000: -87.5 %
    assert s.iloc[0]["month"] == "2025-06" and s.iloc[0]["yoy_pct"] == pytest.approx(-87.5)
    assert s.iloc[0]["year_before"] == 8000


def test_destination_table_sets_each_figure_against_the_world_of_the_same_period(tmp_path):
    o = observations(tmp_path, [
        row("2025-10", "WLD", "terbium", "kg", 12000), row("2025-10", "USA", "terbium", "kg", 6000),
        row("2025-10", "JPN", "terbium", "kg", 3000),
        row("2025-04/2025-11", "USA", "yttrium", "t", 17),
        row("2024-10", "JPN", "terbium", "kg", 1),  # before the window
    ])
    d = dv.destination_table(o, ["yttrium", "terbium"], "2025-04", "2025-12")
    assert list(zip(d["product"], d["partner"])) == [("yttrium", "USA"), ("terbium", "JPN"), ("terbium", "USA")]
    tb = d[(d["partner"] == "USA") & (d["product"] == "terbium")].iloc[0]
    assert tb["world"] == 12000 and tb["share_pct"] == pytest.approx(50)
    assert np.isnan(d.iloc[0]["world"]) and np.isnan(d.iloc[0]["share_pct"])
    assert dv.unreported(o, ["yttrium", "terbium", "dysprosium"], "USA", "2025-04", "2025-12") == ["dysprosium"]


def test_destination_shares_put_the_focus_first_and_mark_status(tmp_path):
    o = observations(tmp_path, [
        row("2025-01", "WLD", "magnets", "t", 1000), row("2025-02", "WLD", "magnets", "t", 500, status="derived"),
        row("2025-01", "DEU", "magnets", "t", 200), row("2025-02", "DEU", "magnets", "t", 100),
        row("2025-01", "USA", "magnets", "t", 100),
    ])
    s = dv.destination_shares(o, "magnets", "USA", "2025-01", "2025-02")
    assert list(s) == ["USA", "DEU"]
    assert list(s["DEU"]["share_pct"]) == pytest.approx([20, 20])
    assert list(s["DEU"]["status"]) == ["reported", "derived"]
    assert list(s["USA"]["status"]) == ["reported", "missing"]


def test_month_status_marks_months_inside_a_span(tmp_path):
    o = observations(tmp_path, [row("2025-04/2025-06", "USA", "yttrium", "t", 17), row("2025-08", "USA", "yttrium", "t", 2)])
    st = dv.month_status(o, pd.period_range("2025-03", "2025-08", freq="M"))
    assert list(st) == ["missing", "in a total", "in a total", "in a total", "missing", "reported"]


def test_parameters_and_month_sets():
    assert dv.as_list("a, b,,c") == ["a", "b", "c"] and dv.as_list(["a", "b"]) == ["a", "b"]
    assert dv.months_text(pd.PeriodIndex(["2025-05", "2025-06"], freq="M")) == "2025-05/2025-06"
    assert dv.months_text(pd.PeriodIndex(["2025-05", "2025-07"], freq="M")) == "2025-05, 2025-07"


def test_same_month_change_on_a_base_below_the_floor_is_not_meaningful(tmp_path):
    o = observations(tmp_path, [row("2024-06", "WLD", "terbium", "kg", 50), row("2025-06", "WLD", "terbium", "kg", 1000)])
    s = dv.same_month_changes(o, ["terbium"], "WLD", "2025-01", "2025-12", {"kg": 100})
    assert not s.iloc[0]["meaningful"] and np.isnan(s.iloc[0]["yoy_pct"])


# --- spans ----------------------------------------------------------------------------------

def test_drawn_spans_are_the_multi_month_figures_whose_months_have_none_of_their_own(tmp_path):
    o = observations(tmp_path, [
        row("2024", "WLD", "magnets", "t", 1200),                 # a year: never drawn as a span
        row("2024-11/2024-12", "WLD", "magnets", "t", 200, status="derived"),
        row("2025-01/2025-03", "WLD", "magnets", "t", 300),       # March has its own figure
        row("2025-03", "WLD", "magnets", "t", 110),
        row("2026-01/2026-02", "WLD", "magnets", "t", 240),
        row("2026-01/2026-03", "WLD", "magnets", "t", 350),       # overlaps the shorter span, and March
        row("2026-03", "WLD", "magnets", "t", 110)])
    spans = dv.drawn_spans(o, "2024-01", "2026-03")
    assert list(spans["period"]) == ["2024-11/2024-12", "2026-01/2026-02"]
    assert list(spans["monthly"]) == [100, 120]
    assert dv.drawn_spans(o, "2025-01", "2025-12").empty


def test_an_indexed_series_carries_its_spans_on_the_same_base(tmp_path):
    o = observations(tmp_path, [row("2024", "WLD", "magnets", "t", 1200), row("2026-01/2026-02", "WLD", "magnets", "t", 240)])
    s = dv.indexed_series(o, "magnets", "WLD", "2024-01", "2024-12", "2024-01", "2026-03")
    # 120 t a month on 100
    assert s.spans.iloc[0]["index"] == pytest.approx(120)
    assert s.frame.at[pd.Period("2026-02", "M"), "status"] == "in a total"


# --- stretches ------------------------------------------------------------------------------

@pytest.mark.parametrize("date, month", [("2025-10-30", "2025-11"), ("2025-11-01", "2025-11"), ("2025-05", "2025-05")])
def test_first_whole_month_after_a_date(date, month):
    assert dv.first_whole_month_after(date) == month


def test_phases_run_from_the_control_month_and_from_the_first_whole_month_after_the_truce():
    under, after = dv.phases("2025-04-04", "2025-10-30", "2026-03")
    assert (under.start, under.end, under.period) == ("2025-04", "2025-10", "2025-04/2025-10")
    assert (after.start, after.end, after.period) == ("2025-11", "2026-03", "2025-11/2026-03")


@pytest.fixture
def pair(tmp_path):
    """Magnets and dysprosium: (t, kg) in May (100, 100), June (200, 0), August (100, 900), November (300, 300), with a
    magnet figure but no dysprosium one in July and December."""
    o = observations(tmp_path, [
        *[row(m, "WLD", "magnets", "t", v) for m, v in (("2025-05", 100), ("2025-06", 200), ("2025-07", 150), ("2025-08", 100),
                                                       ("2025-11", 300), ("2025-12", 250))],
        *[row(m, "WLD", "dysprosium", "kg", v) for m, v in (("2025-05", 100), ("2025-06", 0), ("2025-08", 900), ("2025-11", 300))]])
    window = ("2024-01", "2024-12", "2025-05", "2025-12")
    return dv.indexed_series(o, "magnets", "WLD", *window), dv.indexed_series(o, "dysprosium", "WLD", *window)


def test_monthly_ratio_is_kilograms_per_tonne_in_months_with_both(pair):
    r = dv.monthly_ratio(*pair)
    assert [str(m) for m in r.index] == ["2025-05", "2025-06", "2025-08", "2025-11"]
    assert list(r) == [1.0, 0.0, 9.0, 1.0]


def test_a_stretch_uses_months_with_both_figures_and_can_leave_a_window_out(pair):
    under = dv.Phase("under the controls", "2025-04", "2025-10")
    s = dv.stretch(*pair, under)
    # May, June, August: magnets (100 + 200 + 100) / 3, dysprosium (100 + 0 + 900) / 3
    assert s.common == "2025-05, 2025-06, 2025-08" and s.n == 3
    assert s.ratio == pytest.approx(1000 / 400)
    without = dv.stretch(*pair, under, Window("the spike", "2025-08", "2025-09", "far above"))
    assert without.n == 2 and without.ratio == pytest.approx(100 / 300)
    assert without.name == "under the controls, without the spike"
    empty = dv.stretch(*pair, dv.Phase("before", "2025-01", "2025-03"))
    assert empty.n == 0 and np.isnan(empty.ratio)


def test_permutation_counts_every_split_of_the_months():
    before, after = pd.Series([5.0, 5.0, 11.25, 8.0]), pd.Series([2.0, 2.5])
    t = dv.permutation(before, after)
    # the two months after are the two lowest of six: 1 of the 15 ways to pick two is as low
    assert (t.as_low, t.splits, t.exact, t.before, t.after) == (1, 15, True, 4, 2)
    assert t.share == pytest.approx(1 / 15) and t.smallest_share == pytest.approx(1 / 15)
    assert t.observed == pytest.approx(2.25 - 7.3125)
    middling = dv.permutation(pd.Series([1.0, 3.0]), pd.Series([2.0]))
    # picking 1 gives 1 - 2.5, picking 2 gives 2 - 2, picking 3 gives 3 - 1.5: two of three are as low as 2 - 2
    assert (middling.as_low, middling.splits) == (2, 3)


def test_permutation_draws_seeded_picks_above_the_limit_and_is_empty_without_months():
    before, after = pd.Series(np.arange(10.0)), pd.Series([0.0, 0.5])
    sampled = dv.permutation(before, after, limit=20)
    assert not sampled.exact and sampled.splits == 20
    assert sampled == dv.permutation(before, after, limit=20), "the same seed gives the same picks"
    assert dv.permutation(pd.Series([1.0]), pd.Series(dtype=float)).splits == 0
    assert np.isnan(dv.permutation(pd.Series(dtype=float), pd.Series([1.0])).share)


def test_leave_out_seasonal_drops_the_lunar_new_year_months():
    v = pd.Series([1.0, 2.0, 3.0], index=pd.PeriodIndex(["2026-01", "2026-02", "2026-03"], freq="M"))
    kept, n = dv.leave_out_seasonal(v, (1, 2))
    assert list(kept) == [3.0] and n == 2
    assert dv.leave_out_seasonal(v, ())[1] == 0


def test_spike_facts_name_the_largest_destination_figure(tmp_path):
    o = observations(tmp_path, [row("2025-05", "WLD", "dysprosium", "kg", 100), row("2025-08", "WLD", "dysprosium", "kg", 900),
                                row("2025-09", "WLD", "dysprosium", "kg", 1000), row("2025-09", "KOR", "dysprosium", "kg", 800),
                                row("2025-08", "JPN", "dysprosium", "kg", 50)])
    under = dv.Phase("under the controls", "2025-04", "2025-10")
    sp = dv.spike_facts(o, "dysprosium", Window("the spike", "2025-08", "2025-09", "far above"), under)
    assert sp.present and sp.total == 1900 and sp.share_of_under == pytest.approx(95)
    assert sp.top == {"partner": "KOR", "period": "2025-09", "value": 800.0, "unit": "kg", "share_pct": 80.0}
    none = dv.spike_facts(o, "dysprosium", Window("none", "2025-06", "2025-07", "quiet"), under)
    assert not none.present and none.top == {}


def element(after_n: int, under_ratio: float, after_ratio: float, share: float, without_ratio: float | None = None) -> dv.Element:
    def st(n, ratio):
        return dv.Stretch("s", "2025-04/2025-10", pd.period_range("2025-05", periods=n, freq="M"), 100.0, ratio * 100)
    t = dv.Permutation(6, after_n, -1.0, round(share * 28), 28, True) if after_n else dv.Permutation(6, 0, float("nan"), 0, 0, True)
    return dv.Element("dysprosium", None, st(6, under_ratio), st(after_n, after_ratio),
                      None if without_ratio is None else st(4, without_ratio), pd.Series(dtype=float), t, 0)


def claim(*elements: dv.Element) -> dv.Claim:
    base = dv.Baseline("2024-01", "2024-12", 100.0, 12, 12, "", ())
    sp = dv.Spike(Window("the spike", "2025-08", "2025-09", "far above"), "dysprosium", pd.Series(dtype=float), 0.0, {})
    return dv.Claim(base, base, base, {f"e{i}": e for i, e in enumerate(elements)} | (
        {"dysprosium": elements[0]} if elements else {}), sp, 3, 0.05)


def test_thinning_is_shown_only_with_enough_months_both_ways_and_rarely_by_chance():
    assert claim(element(4, 1.5, 0.4, 0.02, without_ratio=0.9)).thinning == "shown"


def test_thinning_with_too_few_months():
    assert claim(element(2, 1.5, 0.4, 0.02)).thinning == "too few months"


def test_thinning_unclear_when_the_spike_turns_it_or_chance_explains_it():
    turned = claim(element(4, 1.5, 0.4, 0.02, without_ratio=0.3))
    assert not turned.spike_agrees and turned.thinning == "unclear"
    common = claim(element(4, 1.5, 0.4, 0.4))
    assert not common.rare and common.thinning == "unclear"
    rose = claim(element(4, 0.4, 1.5, 0.02))
    assert rose.thinning == "unclear"


def test_thinning_without_months_after_the_truce():
    assert claim(element(0, 1.5, float("nan"), 0.0)).thinning == "no months"
    assert claim().thinning == "no months" and not claim().rare


# --- the newest year and the destination ------------------------------------------------------

def test_like_with_like_sets_a_span_against_the_same_months_and_applies_the_floor(tmp_path):
    o = observations(tmp_path, [
        row("2025-01", "WLD", "magnets", "t", 6000), row("2025-02", "WLD", "magnets", "t", 4000),
        row("2025-03", "WLD", "magnets", "t", 5000),
        row("2026-01/2026-02", "WLD", "magnets", "t", 11000), row("2026-03", "WLD", "magnets", "t", 5500),
        row("2026", "WLD", "magnets", "t", 60000),  # a year is never compared here
        row("2025-03", "USA", "magnets", "t", 50), row("2026-03", "USA", "magnets", "t", 60),
        row("2026-01/2026-02", "USA", "magnets", "t", 900)])
    y = dv.like_with_like(o, [("magnets", "WLD"), ("magnets", "USA")], "2026-01", "2026-03", {"t": 100})
    w = y[y["partner"] == "WLD"].set_index("period")
    # 11,000 against January and February 2025 together (10,000): +10 %; 5,500 against 5,000: +10 %
    assert list(w.index) == ["2026-01/2026-02", "2026-03"]
    assert w.at["2026-01/2026-02", "prior_period"] == "2025-01/2025-02" and w.at["2026-01/2026-02", "prior"] == 10000
    assert w["yoy_pct"].tolist() == pytest.approx([10.0, 10.0])
    us = y[y["partner"] == "USA"].set_index("period")
    assert np.isnan(us.at["2026-01/2026-02", "prior"]) and not us.at["2026-01/2026-02", "meaningful"]
    # 60 t against 50 t: a base below the 100 t floor
    assert not us.at["2026-03", "meaningful"] and np.isnan(us.at["2026-03", "yoy_pct"])


def test_period_shares_and_pooled_shares_match_the_months(tmp_path):
    o = observations(tmp_path, [
        row("2026-01/2026-02", "WLD", "magnets", "t", 1000), row("2026-01/2026-03", "WLD", "magnets", "t", 1500),
        row("2026-03", "WLD", "magnets", "t", 500), row("2026-01/2026-02", "USA", "magnets", "t", 100),
        row("2026-03", "USA", "magnets", "t", 25)])
    s = dv.period_shares(o, "magnets", "USA", "2026-01", "2026-03")
    assert list(s["period"]) == ["2026-01/2026-02", "2026-03"] and list(s["share_pct"]) == [10.0, 5.0]
    assert dv.pooled_share(o, "magnets", "USA", "2026-01/2026-03") == (125, 1500, pytest.approx(125 / 15))
    assert np.isnan(dv.pooled_share(o, "magnets", "USA", "2025-12")[2])


def test_input_figures_carry_the_destinations_share_of_magnets(tmp_path):
    o = observations(tmp_path, [row("2025-10", "WLD", "terbium", "kg", 12000), row("2025-10", "USA", "terbium", "kg", 6000),
                                row("2025-10", "WLD", "magnets", "t", 5000), row("2025-10", "USA", "magnets", "t", 600)])
    d = dv.input_figures(o, dv.destination_table(o, ["terbium"], "2025-04", "2025-12"), "magnets", "USA")
    assert (d.iloc[0]["share_pct"], d.iloc[0]["finished_share_pct"]) == (50, 12)


def event_frame(*rows) -> pd.DataFrame:
    ev = pd.DataFrame(rows, columns=["event_id", "date", "kind", "status", "title", "affects", "source_ids"])
    ev["day"] = pd.to_datetime([d if len(d) == 10 else d + "-01" for d in ev["date"]])
    ev["month"] = ev["day"].dt.to_period("M")
    return ev


def test_destination_events_are_reports_naming_it_and_an_input():
    ev = event_frame(("a", "2026-02-27", "other", "happened", "Yttrium scarce", "yttrium;aerospace;USA", "s"),
                     ("b", "2025-11-20", "data_release", "happened", "October figures", "terbium;USA", "s"),
                     ("c", "2025-12-01", "statement", "happened", "About Japan", "dysprosium;JPN", "s"),
                     ("d", "2025-10-01", "other", "happened", "Before the truce", "yttrium;USA", "s"),
                     ("e", "2025-11", "control", "happened", "End users", "magnets;heavy rare earths;USA", "s"))
    assert list(dv.destination_events(ev, "USA", "2025-11")["event_id"]) == ["e", "a"]


def test_confounders_are_tariffs_under_the_controls_and_the_truce_that_eased_them():
    ev = event_frame(("t1", "2025-04-10", "tariff", "happened", "US tariffs", "tariffs;CHN", "s"),
                     ("t2", "2025-04-11", "tariff", "happened", "China tariffs", "tariffs;USA", "s"),
                     ("g", "2025-05-12", "truce", "happened", "Geneva", "tariffs;USA", "s"),
                     ("b", "2025-10-30", "truce", "happened", "Busan", "rare earths;all", "s"))
    tariffs, truce = dv.confounders(ev, "USA", dv.Phase("under", "2025-04", "2025-10"))
    assert list(tariffs["event_id"]) == ["t1", "t2"] and list(truce["event_id"]) == ["g"]
    none, no_truce = dv.confounders(ev.iloc[2:], "USA", dv.Phase("under", "2025-04", "2025-10"))
    assert none.empty and no_truce.empty


def test_scope_from_parameters_reads_windows_and_lists():
    sc = dv.Scope.from_parameters("USA", "magnets", "rare_earths, dysprosium", ["y_oxide"],
                                  {"name": "2024", "start": "2024-01", "end": "2024-12", "reason": "a year"},
                                  {"name": "Q1 2025", "start": "2025-01", "end": "2025-03", "reason": "before"},
                                  {"name": "the spike", "start": "2025-08", "end": "2025-09", "reason": "far above"},
                                  "dysprosium", "2024-01", "2026-03", "2025-04-04", "2025-10-30", "3", 0.05, [1, 2], {"t": 100})
    assert sc.raws == ["rare_earths", "dysprosium"] and sc.baseline.period == "2024-01/2024-12"
    assert (sc.year, sc.prior, sc.year_end, sc.newest_year_start) == (2025, 2024, "2025-12", "2026-01")
    assert sc.min_months_after == 3 and sc.floors == {"t": 100.0} and sc.seasonal_months == (1, 2)
    with pytest.raises(ValueError, match="a window needs reason"):
        dv.Scope.from_parameters("USA", "magnets", [], [], {"name": "2024", "start": "2024-01", "end": "2024-12"},
                                 {}, {}, "dysprosium", "2024-01", "2026-03", "2025-04-04", "2025-10-30", 3, 0.05, [], {})


def test_record_writes_the_page_series_and_tables_as_metrics_rows(tmp_path):
    page = Page(chapter="flow", page="flow")
    dv.record(page, dv.measure(flow_data(tmp_path), SCOPE))
    rows = pd.DataFrame(page.rows)
    assert (rows["glue_key"] == "").all()
    index = rows[(rows["metric"] == "index") & (rows["product"] == "magnets") & (rows["partner"] == "WLD")].set_index("period")["value"]
    # 2024 is known only as a total; January-February 2026 is one figure, indexed at its monthly average
    assert index["2025-12"] == 150 and "2024-01" not in index and index["2026-01/2026-02"] == 120
    ratios = rows[rows["metric"] == "input_ratio"].set_index(["product", "period"])["value"]
    assert ratios[("dysprosium/magnets", "2025-08")] == pytest.approx(11.25)  # 900 kg on 80 t
    premium = rows[rows["metric"] == "price_premium"]
    assert set(premium["basis"]) >= {"low: Europe over China's export price (FOB), same month", "low: Europe over inside China, same month"}
    yoy = rows[(rows["metric"] == "yoy_pct") & (rows["period"] == "2026-01/2026-02")].set_index("partner")["value"]
    assert yoy.to_dict() == {"WLD": 20.0}, "the US change rests on a base below the floor, so it is not recorded"
    span_share = rows[(rows["metric"] == "share_pct") & (rows["partner"] == "USA") & (rows["period"] == "2026-01/2026-02")]
    assert span_share["value"].tolist() == [pytest.approx(16 / 240 * 100, abs=1e-4)]


# --- a month against the one before ---------------------------------------------------------

def test_a_month_against_the_previous_when_both_months_have_a_figure(tmp_path):
    obs = series_observations(tmp_path, [("2026-02", "WLD", 100), ("2026-03", "WLD", 110)])
    c = dv.month_against_previous(obs, "2026-03")
    assert (c.previous, c.why) == (100, "") and c.change_pct == pytest.approx(10)


def test_a_month_against_the_previous_is_not_computable_after_a_span(tmp_path):
    obs = series_observations(tmp_path, [("2026-01/2026-02", "WLD", 10763), ("2026-01/2026-03", "WLD", 16001), ("2026-03", "WLD", 5238)])
    c = dv.month_against_previous(obs, "2026-03")
    # the January-March total also contains February but ends in March itself: the span named is January-February
    assert (c.why, c.span, c.value) == ("span", "2026-01/2026-02", 5238) and math.isnan(c.change_pct)


def test_a_month_against_the_previous_without_a_figure_for_either_month(tmp_path):
    obs = series_observations(tmp_path, [("2026-03", "WLD", 5238)])
    assert dv.month_against_previous(obs, "2026-03").why == "missing"
    assert dv.month_against_previous(obs, "2026-04").why == "missing"
