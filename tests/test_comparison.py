"""The comparison of two groups of destinations, on small series whose answers are worked by hand."""

import datetime
import math
from pathlib import Path

import pandas as pd
import pytest

from rare_earth_exports.chapters.compare import context, licensing
from rare_earth_exports.chapters.compare import measures as cmp
from rare_earth_exports.core.load import load_events, load_observations
from rare_earth_exports.core.series import Swing
from rare_earth_exports.curate.events import EventRules

OBS_HEADER = "period,reporter,partner,flow,product,unit,value,status,source_ids,note\n"
EVENTS_HEADER = "event_id,date,kind,status,actor,title,affects,licence_class,source_ids,note\n"
LICENCE_RULES = EventRules.load(Path(__file__).resolve().parents[1] / "curation")


def observations(tmp_path, rows):
    """rows: (period, partner, value[, status[, unit]]) of magnet exports."""
    lines = []
    for row in rows:
        period, partner, value = row[:3]
        status = row[3] if len(row) > 3 else "reported"
        unit = row[4] if len(row) > 4 else "t"
        lines.append(f"{period},CHN,{partner},export,magnets,{unit},{value},{status},src-{partner}-{period},\n")
    (tmp_path / "observations.csv").write_text(OBS_HEADER + "".join(lines), encoding="utf-8")
    return load_observations(tmp_path)


def events(tmp_path, rows):
    """rows: (event_id, date, kind, actor, title, affects[, status]); status 'happened' unless given."""
    text = EVENTS_HEADER + "".join(
        f'{i},{d},{k},{rest[0] if rest else "happened"},{a},"{t}",{f},{LICENCE_RULES.licence_class(t, k)},src-{i},\n'
        for i, d, k, a, t, f, *rest in rows)
    (tmp_path / "events.csv").write_text(text, encoding="utf-8")
    return load_events(tmp_path)


def monthly(values: dict) -> pd.Series:
    """A month-indexed series from {'2025-01': 100, ...}; None is a gap."""
    index = pd.period_range(min(values), max(values), freq="M", name="month")
    return pd.Series([values.get(str(m)) for m in index], index=index, dtype=float)


def months(*ms):
    return pd.PeriodIndex(list(ms), freq="M", name="month")


# --- parameters -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("USA", ("USA",)), ("usa, can", ("USA", "CAN")), ("DEU+FRA", ("DEU", "FRA")),
    (["EU27"], ("EU27",)), ([], ()), (None, ()), ("", ()),
])
def test_codes_accepts_a_code_a_list_or_a_joined_string(value, expected):
    assert cmp.codes(value) == expected


def test_proxy_is_keyed_by_the_sides_codes_so_other_pairs_do_not_inherit_it():
    proxies = {"EU27": ["DEU"], "DEU+FRA": "ITA"}
    assert cmp.proxy_for(("EU27",), proxies) == ("DEU",)
    assert cmp.proxy_for(("DEU", "FRA"), proxies) == ("ITA",)
    assert cmp.proxy_for(("KOR",), proxies) == ()


def test_side_name_prefers_the_given_name_then_the_partner_table():
    names = {"USA": "the United States"}
    assert cmp.side_name(("USA",), names, lambda c: c.lower()) == "the United States"
    assert cmp.side_name(("JPN", "KOR"), names, {"JPN": "Japan", "KOR": "South Korea"}.get) == "Japan and South Korea"


# --- group series ------------------------------------------------------------------------------

def test_group_sum_has_a_value_only_where_every_member_has_one(tmp_path):
    obs = observations(tmp_path, [
        ("2025-01", "DEU", 10), ("2025-02", "DEU", 20), ("2025-03", "DEU", 30, "derived"),
        ("2025-01", "FRA", 1), ("2025-03", "FRA", 3),
    ])
    s = cmp.group_series(obs, "magnets", ("DEU", "FRA"), "2025-01", "2025-04")
    v = s["value"]
    assert (v.iloc[0], v.iloc[2]) == (11.0, 33.0)
    assert math.isnan(v.iloc[1]) and math.isnan(v.iloc[3])
    assert s["status"].tolist() == ["reported", "missing", "derived", "missing"]
    assert s["source_ids"].iloc[0] == "src-DEU-2025-01;src-FRA-2025-01"
    assert s["source_ids"].iloc[1] == ""
    assert s.attrs["unit"] == "t"


def test_group_of_one_is_the_partners_own_series(tmp_path):
    obs = observations(tmp_path, [("2025-01", "USA", 5), ("2025-03", "USA", 7)])
    s = cmp.group_series(obs, "magnets", ("USA",), "2025-01", "2025-03")
    assert s["value"].iloc[0] == 5 and math.isnan(s["value"].iloc[1]) and s["value"].iloc[2] == 7


def test_group_refuses_members_in_different_units(tmp_path):
    obs = observations(tmp_path, [("2025-01", "DEU", 10, "reported", "t"), ("2025-01", "FRA", 900, "reported", "kg")])
    with pytest.raises(ValueError, match="different units"):
        cmp.group_series(obs, "magnets", ("DEU", "FRA"), "2025-01", "2025-01")


def test_group_baseline_sums_members_and_is_nan_when_one_has_no_figure(tmp_path):
    obs = observations(tmp_path, [
        ("2025-01", "DEU", 10), ("2025-02", "DEU", 30),
        ("2025-01/2025-02", "FRA", 8),
        ("2025-01", "ITA", 4),
    ])
    both = cmp.group_baseline(obs, "magnets", ("DEU", "FRA"), "2025-01", "2025-02")
    assert both.mean == pytest.approx(20 + 4)  # DEU (10+30)/2, FRA 8/2 from its span
    assert math.isnan(cmp.group_baseline(obs, "magnets", ("DEU", "ESP"), "2025-01", "2025-02").mean)
    assert cmp.group_baseline(obs, "magnets", ("ITA",), "2025-01", "2025-02").months_with_data == 1


def test_group_rows_sum_a_period_only_where_every_member_reports_it(tmp_path):
    obs = observations(tmp_path, [
        ("2025-01", "DEU", 10), ("2025-01", "FRA", 1), ("2025-02", "DEU", 20),
        ("2026-01/2026-02", "DEU", 30), ("2026-01/2026-02", "FRA", 3),
    ])
    rows = cmp.group_rows(obs, "magnets", ("DEU", "FRA"))
    assert dict(zip(rows["period"], rows["value"])) == {"2025-01": 11.0, "2026-01/2026-02": 33.0}
    assert rows.loc[rows["period"] == "2026-01/2026-02", "n_months"].item() == 2
    assert cmp.group_rows(obs, "magnets", ("DEU",))["period"].tolist() == ["2025-01", "2025-02", "2026-01/2026-02"]


def test_missing_spans_and_month_runs():
    s = monthly({"2025-01": 1, "2025-02": None, "2025-03": None, "2025-04": 4, "2025-05": None})
    assert cmp.missing_spans(s) == ["2025-02/2025-03", "2025-05"]
    assert cmp.month_runs(["2025-03", "2025-01", "2025-02", "2025-06"]) == "2025-01 to 2025-03, 2025-06"


# --- before and after --------------------------------------------------------------------------

def test_event_month_counts_as_after_in_its_first_half_and_before_in_its_second():
    before, after = cmp.event_windows(pd.Timestamp("2025-04-04"), 1)
    assert (list(map(str, before)), list(map(str, after))) == (["2025-03"], ["2025-04"])
    before, after = cmp.event_windows(pd.Timestamp("2025-10-30"), 3)
    assert list(map(str, before)) == ["2025-08", "2025-09", "2025-10"]
    assert list(map(str, after)) == ["2025-11", "2025-12", "2026-01"]


def test_a_change_on_a_level_under_the_floor_is_not_meaningful():
    s = monthly({"2025-05": 46, "2025-06": 353})                 # US magnets: +667% says little
    ch = cmp.change(s, months("2025-05"), months("2025-06"), "t", {"t": 100})
    assert not ch.meaningful and ch.below_floor and math.isnan(ch.pct)
    assert cmp.change(s, months("2025-05"), months("2025-06")).pct == pytest.approx(667.3913, abs=1e-4)
    above = cmp.change(monthly({"2025-06": 353, "2025-07": 619}), months("2025-06"), months("2025-07"), "t", {"t": 100})
    assert above.meaningful and above.pct == pytest.approx(75.3541, abs=1e-4)
    gap = cmp.change(s, months("2025-04"), months("2025-06"), "t", {"t": 100})
    assert not gap.below_floor and math.isnan(gap.pct)     # no level before: a gap, not a small base


def test_a_floored_pair_is_shown_when_no_pair_has_a_gap():
    a = cmp.Side("A", monthly({"2025-05": 46, "2025-06": 353}))
    eu = cmp.Side("EU", monthly({"2025-05": None, "2025-06": 1364}))
    de = cmp.Side("DE", monthly({"2025-05": 209, "2025-06": 764}), proxy=True)
    sa, sb, gap = cmp.first_comparable([a], [eu, de], months("2025-05"), months("2025-06"), "t", {"t": 100})
    assert (sa.label, sb.label) == ("A", "DE") and gap.a.below_floor and math.isnan(gap.pp)
    assert gap.b.pct == pytest.approx(265.5502, abs=1e-4)


def test_change_is_between_window_means_of_months_with_a_figure():
    s = monthly({"2025-01": 100, "2025-02": None, "2025-03": 200, "2025-04": 90})
    ch = cmp.change(s, months("2025-01", "2025-02", "2025-03"), months("2025-04", "2025-05"))
    assert (ch.before, ch.after, ch.pct) == (150.0, 90.0, pytest.approx(-40.0))
    assert ch.before_months == ("2025-01", "2025-03") and ch.after_months == ("2025-04",)
    assert math.isnan(cmp.change(s, months("2025-02"), months("2025-04")).pct)


def test_known_difference_in_differences():
    a = monthly({"2025-10": 100, "2025-11": 80})    # -20 %
    b = monthly({"2025-10": 200, "2025-11": 220})   # +10 %
    gap = cmp.matched_gap(a, b, months("2025-10"), months("2025-11"))
    assert (gap.a.pct, gap.b.pct, gap.pp) == (pytest.approx(-20.0), pytest.approx(10.0), pytest.approx(-30.0))


def test_matched_gap_drops_months_only_one_side_has():
    # A has every month, B skips January and May: both sides use February-March -> April.
    a = monthly({"2025-01": 10, "2025-02": 20, "2025-03": 40, "2025-04": 60, "2025-05": 600})
    b = monthly({"2025-01": None, "2025-02": 100, "2025-03": 100, "2025-04": 150, "2025-05": None})
    gap = cmp.matched_gap(a, b, months("2025-01", "2025-02", "2025-03"), months("2025-04", "2025-05"))
    assert gap.a.before_months == gap.b.before_months == ("2025-02", "2025-03")
    assert gap.a.after_months == gap.b.after_months == ("2025-04",)
    assert gap.a.pct == pytest.approx(100.0)   # 30 -> 60
    assert gap.b.pct == pytest.approx(50.0)    # 100 -> 150
    assert gap.pp == pytest.approx(50.0)
    assert gap.a.months == "2025-02 to 2025-03 → 2025-04"


def test_no_common_month_gives_no_gap():
    a = monthly({"2025-01": 10, "2025-02": 20})
    b = monthly({"2025-01": None, "2025-02": 100})
    assert math.isnan(cmp.matched_gap(a, b, months("2025-01"), months("2025-02")).pp)


def test_proxy_stands_in_only_where_the_primary_has_no_figure():
    a = cmp.Side("A", monthly({"2025-05": 50, "2025-06": 100, "2025-10": 100, "2025-11": 90}))
    eu = cmp.Side("EU", monthly({"2025-05": None, "2025-06": 1000, "2025-10": 1000, "2025-11": 1100}))
    de = cmp.Side("DE", monthly({"2025-05": 100, "2025-06": 300, "2025-10": 500, "2025-11": None}), proxy=True)
    sa, sb, gap = cmp.first_comparable([a], [eu, de], months("2025-05"), months("2025-06"))
    assert (sa.label, sb.label, sb.proxy) == ("A", "DE", True)
    assert gap.pp == pytest.approx(100.0 - 200.0)
    sa, sb, gap = cmp.first_comparable([a], [eu, de], months("2025-10"), months("2025-11"))
    assert sb.label == "EU" and gap.pp == pytest.approx(-10.0 - 10.0)
    side, ch = cmp.first_with_change([eu, de], months("2025-05"), months("2025-06"))
    assert side.label == "DE" and ch.pct == pytest.approx(200.0)


def test_nothing_comparable_returns_the_primaries_with_nan():
    a = cmp.Side("A", monthly({"2025-01": 1, "2025-02": 2}))
    b = cmp.Side("B", monthly({"2025-01": None, "2025-02": None}))
    sa, sb, gap = cmp.first_comparable([a], [b], months("2025-01"), months("2025-02"))
    assert (sa.label, sb.label) == ("A", "B") and math.isnan(gap.pp)


def test_lookup_events_prefers_the_control_and_accepts_ids(tmp_path):
    ev = events(tmp_path, [
        ("e1", "2025-10-30", "statement", "USA", "Said something", "rare earths;all"),
        ("e2", "2025-10-30", "truce", "USA;CHN", "Busan deal", "rare earths;magnets;all"),
        ("e3", "2025-04-04", "control", "CHN", "Controls", "magnets;all"),
    ])
    found = cmp.lookup_events(ev, ["2025-04-04", "2025-10-30", "e1"])
    assert found["event_id"].tolist() == ["e3", "e2", "e1"]
    assert cmp.lookup_events(ev, [datetime.date(2025, 4, 4)])["event_id"].tolist() == ["e3"]
    with pytest.raises(ValueError, match="2025-01-01"):
        cmp.lookup_events(ev, ["2025-01-01"])


def test_event_comparisons_one_row_per_event_and_window(tmp_path):
    ev = events(tmp_path, [("busan", "2025-10-30", "truce", "USA;CHN", "Busan: deal", "magnets;all")])
    a = cmp.Side("A", monthly({"2025-08": 60, "2025-09": 60, "2025-10": 60, "2025-11": 30, "2025-12": 30}))
    b = cmp.Side("B", monthly({"2025-08": 100, "2025-09": None, "2025-10": 100, "2025-11": 100, "2025-12": None}))
    table = cmp.event_comparisons(cmp.lookup_events(ev, ["busan"]), [a], [b], [1, 3])
    assert table["window"].tolist() == [1, 3]
    assert table["period"].tolist() == ["2025-10/2025-11", "2025-08/2026-01"]
    assert table["gap_pp"].tolist() == [pytest.approx(-50.0), pytest.approx(-50.0)]
    assert table["months"].iloc[1] == "2025-08, 2025-10 → 2025-11"
    assert not table["proxy"].any() and not table["a_floor"].any()
    small = cmp.Side("S", monthly({"2025-10": 40, "2025-11": 80}))
    floored = cmp.event_comparisons(cmp.lookup_events(ev, ["busan"]), [small], [b], [1], "t", {"t": 100})
    assert floored["a_floor"].tolist() == [True] and floored["b_floor"].tolist() == [False]
    assert math.isnan(floored["a_pct"].iloc[0]) and math.isnan(floored["gap_pp"].iloc[0])


# --- noise -----------------------------------------------------------------------------------

def test_gap_changes_and_a_yardstick_from_them():
    a = monthly({"2025-05": 100, "2025-06": 110, "2025-07": 99, "2025-08": 99})
    b = monthly({"2025-05": 100, "2025-06": 100, "2025-07": 100, "2025-08": None})
    gaps = cmp.gap_changes(a, b, "2025-05", "2025-08", (1, 2))
    assert gaps.round(6).tolist() == [10.0, -10.0]
    y = cmp.yardstick("gap", "A vs B", a, "2025-05", "2025-08", (1, 2), b)
    assert (y.swing.n, y.swing.mean, y.window, y.partner) == (2, pytest.approx(0.0), "2025-05/2025-08", "A vs B")


def test_a_yardstick_leaves_out_changes_into_or_out_of_the_lunar_new_year_months():
    # China's total before the controls, as the data hold it: five changes, two of them seasonal
    world = monthly({"2024-07": 5278, "2024-08": 5325, "2024-09": 4915, "2024-10": 4725,
                     "2025-01": 6357, "2025-02": 3586.53, "2025-03": 5324})
    rule = cmp.yardstick("rule", "WLD", world, "2024-01", "2025-03", (1, 2))
    kept = cmp.yardstick("kept", "WLD", world, "2024-01", "2025-03", ())
    assert list(map(str, rule.changes.index)) == ["2024-08", "2024-09", "2024-10"]
    assert (rule.swing.n, kept.swing.n) == (3, 5)
    assert rule.swing.std == pytest.approx(4.3033, abs=1e-4) and kept.swing.std == pytest.approx(32.8423, abs=1e-4)
    # the November 2025 gap (-36.03 points) against two such series: -5.9 by the rule, -0.78 without it
    assert -36.0324 / cmp.pooled_gap_std(rule.swing) == pytest.approx(-5.92, abs=0.01)
    assert -36.0324 / cmp.pooled_gap_std(kept.swing) == pytest.approx(-0.78, abs=0.01)


def test_sturdiest_takes_the_first_yardstick_with_enough_changes():
    thin = cmp.yardstick("thin", "EU27", monthly({"2025-05": 1, "2025-06": 2}), "2025-05", "2025-06", (1, 2))
    full = cmp.yardstick("full", "DEU", monthly({"2025-05": 1, "2025-06": 2, "2025-07": 3, "2025-08": 4}), "2025-05",
                         "2025-08", (1, 2))
    assert cmp.sturdiest([thin, full], 3).name == "full"
    assert cmp.sturdiest([thin, thin], 3).name == "thin"


def test_z_against_a_known_spread_and_only_with_enough_changes():
    swing = Swing(n=3, mean=0.0, std=10.0, min=-10.0, max=10.0)
    assert cmp.z_against(-25.0, swing, 3) == pytest.approx(-2.5)
    assert math.isnan(cmp.z_against(-25.0, swing, 4))
    assert cmp.pooled_gap_std(swing) == pytest.approx(10.0 * math.sqrt(2))
    assert math.isnan(cmp.pooled_gap_std(Swing(1, 5.0, float("nan"), 5.0, 5.0)))
    assert cmp.within(-1.9, 2.0) == "within" and cmp.within(2.0, 2.0) == "outside"
    assert cmp.within(float("nan"), 2.0) == "not measurable"


def test_month_test_uses_each_sides_own_change_and_the_common_months_for_the_gap():
    a = cmp.Side("A", monthly({"2025-10": 656.3, "2025-11": 581.8}))
    b = cmp.Side("B", monthly({"2025-10": 2060.3, "2025-11": 2568.8}))
    w = cmp.Side("W", monthly({"2025-10": 5473, "2025-11": 6149.95}))
    t = cmp.month_test([a], [b], w, "2025-11")
    assert round(t.a.pct, 2) == -11.35 and round(t.b.pct, 2) == 24.68 and round(t.world.pct, 2) == 12.37
    assert round(t.gap.pp, 2) == -36.03
    lone = cmp.Side("K", monthly({"2025-10": 569, "2025-11": None}))
    t = cmp.month_test([a], [lone], w, "2025-11")
    assert math.isnan(t.b.pct) and math.isnan(t.gap.pp) and round(t.a.pct, 2) == -11.35


# --- the licensing record --------------------------------------------------------------------

def test_term_months_and_stated_end():
    assert licensing.term_months("Six-month licences for suppliers") == 6
    assert licensing.term_months("First one-year 'general licences'") == 12
    assert licensing.term_months("Kuala Lumpur talks: China to defer licensing regime a year") == 12
    assert licensing.term_months("US-firm entity restrictions paused 90 days") == 3
    assert math.isnan(licensing.term_months("General-licence terms still under negotiation"))
    assert licensing.stated_end("Announcement 70 suspends October 9 measures to Nov 10, 2026") == "2026-11-10"
    assert licensing.stated_end("US-specific Ga/Ge/Sb ban suspended until Nov 27, 2026") == "2026-11-27"
    assert licensing.stated_end("Stricter review rules for exporters to Japan") == ""


def test_event_side_uses_the_speaker_when_both_sides_are_named():
    ta, tb = licensing.side_tokens(("USA",)), licensing.side_tokens(("EU27", "DEU"))
    assert tb == {"EU27", "EU", "DEU"}
    side = lambda affects, actor: licensing.event_side(affects, actor, ta, tb, "US", "EU")
    assert side("magnets;EU;USA", "EU") == "EU"
    assert side("magnets;EU;USA", "CHN") == "both"
    assert side("magnets;DEU", "DEU") == "EU"
    assert side("rare earths;all", "CHN") == licensing.ALL
    assert side("gallium;JPN", "CHN") == ""


def test_licensing_record_classifies_sides_and_computes_expiry(tmp_path):
    ev = events(tmp_path, [
        ("six", "2025-06-02", "license", "CHN", "Six-month licences for suppliers of carmakers", "magnets;USA;automotive"),
        ("clepa", "2025-06", "statement", "EU", "CLEPA: approval rate rises from 25% to 60%", "magnets;EU;USA"),
        ("gl", "2025-12-02", "license", "CHN", "First one-year 'general licences' to three magnet makers", "magnets;all"),
        ("talk", "2025-12-04", "statement", "CHN", "MOFCOM: civilian applications approved in a timely way", "rare earths;all"),
        ("gallium", "2025-11-09", "relaxation", "CHN", "US-specific Ga ban suspended", "gallium;USA"),
        ("tariff", "2025-08-11", "truce", "USA", "Tariff truce extended", "tariffs;USA"),
    ])
    rec = licensing.licensing_record(ev, ("USA",), ("EU27",), "US", "EU", "2025-01")
    assert rec["event_id"].tolist() == ["clepa", "six", "gl"]
    assert rec["outcome"].tolist() == ["approval figures", "granted", "granted"]
    assert rec["side"].tolist() == ["EU", "US", licensing.ALL]
    assert rec.loc[rec["event_id"] == "six", "expires"].item() == "2025-12-02"
    assert rec.loc[rec["event_id"] == "gl", "expires"].item() == "2026-12-02"
    assert rec.loc[rec["event_id"] == "clepa", "expires"].item() == ""  # a month-only date has no expiry day
    said = licensing.statements(ev, ("USA",), ("EU27",), "US", "EU", "2025-01")
    assert said["event_id"].tolist() == ["clepa"]
    assert licensing.licensing_record(ev, ("USA",), ("EU27",), "US", "EU", "2025-07")["event_id"].tolist() == ["gl"]


def test_figures_by_destination_counts_monthly_quantities_only(tmp_path):
    obs = observations(tmp_path, [
        ("2025-10", "USA", 6000), ("2025-11", "USA", 26740000, "reported", "USD"), ("2025", "USA", 5933),
        ("2025-10", "JPN", 300),
    ])
    table = cmp.figures_by_destination(obs, ["magnets"], ("USA", "EU27"), "2025-01", "2025-12")
    assert table["months"].tolist() == [1, 0]
    assert table["periods"].tolist() == ["2025-10", ""]


@pytest.mark.parametrize("kind, actor, licence_class, status, expected", [
    ("control", "CHN", "end-user exclusion", "happened", "restricted"),
    ("control", "CHN", "", "happened", "restricted"),            # a control aimed at a side, without a class
    ("statement", "EU", "licences refused or review tightened", "happened", "restricted"),  # whoever reports it
    ("license", "USA", "approval figures", "happened", "approval figures"),
    ("license", "CHN", "general licence", "happened", "granted"),
    ("relaxation", "CHN", "priority channel", "happened", "faster route"),
    ("relaxation", "CHN", "suspension or deferral", "happened", "suspended"),
    ("truce", "USA;CHN", "suspension or deferral", "happened", "suspended"),
    ("truce", "USA", "general licence", "happened", "said"),         # a promise China did not make
    ("statement", "CHN", "general licence", "happened", "said"),      # China said, did not act
    ("other", "CHN", "suspension or deferral", "scheduled", "scheduled"),
])
def test_outcome_of_an_item_of_the_record(kind, actor, licence_class, status, expected):
    assert licensing.outcome(kind, actor, licence_class, status) == expected


def test_the_record_holds_controls_aimed_at_a_side_and_scheduled_dates(tmp_path):
    ev = events(tmp_path, [
        ("ban", "2026-01-06", "control", "CHN", "Ban on dual-use exports to Japanese military users", "dual-use items;rare earths;JPN"),
        ("nikkei", "2026-02-08", "license", "CHN", "Nikkei: about half of applications for Japan approved", "magnets;JPN"),
        ("a18", "2025-04-04", "control", "CHN", "Announcement 18: licences for seven rare earths", "magnets;all"),
        ("a70", "2025-11-07", "relaxation", "CHN", "Announcement 70 suspends October 9 measures to Nov 10, 2026", "rare earths;all"),
        ("end", "2026-11-10", "other", "CHN", "Scheduled end of suspension of October 2025 controls", "rare earths;all", "scheduled"),
    ])
    rec = licensing.licensing_record(ev, ("JPN",), ("KOR",), "Japan", "South Korea", "2024-01")
    assert rec["event_id"].tolist() == ["a70", "ban", "nikkei", "end"]   # the control for all has no class: not in it
    assert rec["outcome"].tolist() == ["suspended", "restricted", "approval figures", "scheduled"]
    assert rec.loc[rec["event_id"] == "a70", "expires"].item() == "2026-11-10"
    table = licensing.synthesis(rec, ["Japan", "South Korea"])
    assert table["outcome"].tolist() == ["suspended", "restricted", "approval figures", "scheduled"]
    restricted = table.set_index("outcome").loc["restricted"]
    assert [i["event_id"] for i in restricted["Japan"]] == ["ban"] and restricted["South Korea"] == []


def test_actor_words_name_codes_in_words():
    names = {"USA": "the United States", "EU27": "the European Union", "CHN": "China"}
    assert licensing.actor_words("USA;CHN", names.get) == "the United States and China"
    assert licensing.actor_words("EU", names.get) == "the European Union"
    assert licensing.actor_words("MKT", names.get) == "market reports"


def test_tariff_events_of_a_side_with_the_truce_that_eased_them(tmp_path):
    ev = events(tmp_path, [
        ("us145", "2025-04-10", "tariff", "USA", "US tariffs on Chinese goods at 145%", "tariffs;CHN"),
        ("cn125", "2025-04-11", "tariff", "CHN", "China raises tariffs on US goods to 125%", "tariffs;USA"),
        ("geneva", "2025-05-12", "truce", "USA;CHN", "Geneva: 90-day tariff truce", "tariffs;USA"),
        ("london", "2025-06-10", "truce", "USA;CHN", "London framework", "rare earths;USA"),
        ("busan", "2025-10-30", "truce", "USA;CHN", "Busan: tariff cut", "tariffs;USA"),
    ])
    us = context.tariff_events(ev, ("USA",))
    assert us["event_id"].tolist() == ["us145", "cn125", "geneva"]
    assert us["role"].tolist() == ["escalation", "escalation", "truce"]
    assert context.tariff_events(ev, ("EU27", "DEU")).empty


def test_newest_events_by_side_with_scheduled_dates_kept_as_scheduled(tmp_path):
    ev = events(tmp_path, [
        ("old", "2025-12-02", "license", "CHN", "General licences", "magnets;all"),
        ("ban", "2026-01-06", "control", "CHN", "Ban on dual-use exports to Japan", "dual-use items;JPN"),
        ("data", "2026-03-10", "data_release", "CHN", "Exports to Japan fall", "magnets;JPN"),
        ("talk", "2026-02-04", "statement", "USA", "Ministerial", "rare earths;all"),
        ("end", "2026-11-10", "other", "CHN", "Scheduled end of suspension", "rare earths;all", "scheduled"),
    ])
    table = context.newest_events(ev, {"Japan": ("JPN",), "South Korea": ("KOR",)}, "2026-01")
    assert list(zip(table["event_id"], table["side"], table["status"])) == [
        ("ban", "Japan", "happened"), ("end", licensing.ALL, "scheduled")]
