"""Every sentence of the comparison pages, one test per branch of its wording, from small hand-made
inputs; and the registration: every glued number has its metrics row, and the prose uses the
numbers as published."""

import math
from pathlib import Path

import pandas as pd
import pytest

from rare_earth_exports.chapters.compare import measures as cmp
from rare_earth_exports.chapters.compare import text
from rare_earth_exports.core.load import BookData, load_events, load_observations
from rare_earth_exports.curate.events import EventRules
from rare_earth_exports.present.page import Page

US, EU = "the United States", "the European Union"
NOV = pd.Period("2025-11", "M")


def yardstick(name, changes):
    return cmp.Yardstick(name, "X", "2024-01/2025-03", pd.Series(changes, dtype=float))


def test_verb():
    assert (text.verb(-3.0), text.verb(2.0), text.verb(0.0)) == ("fell", "rose", "did not change")


def test_event_name_is_the_title_up_to_a_colon():
    assert text.event_name("Announcement 18: seven heavy rare earths") == "Announcement 18"
    assert text.event_name("Trump–Xi meeting in Busan") == "Trump–Xi meeting in Busan"


# --- coverage ----------------------------------------------------------------------------------

def test_coverage_every_series_has_figures_before_the_controls():
    assert text.coverage_text(pd.Period("2025-04", "M"), [], [US, EU]) == "Every series has figures before April 2025."


def test_coverage_one_side_without_figures_before_the_controls_the_other_with_some():
    assert text.coverage_text(pd.Period("2025-04", "M"), [EU], [US]) == (
        "Before April 2025 there is no figure for the European Union; the United States has some. A series without "
        "figures before the controls has no pre-control baseline: its level after them cannot be set against its "
        "level before, only its month-to-month changes against the other side's.")


def test_coverage_several_with_some_have_some():
    assert text.coverage_text(pd.Period("2025-04", "M"), [EU], [US, "Germany"]).startswith(
        "Before April 2025 there is no figure for the European Union; the United States and Germany have some. ")


def test_coverage_no_series_has_figures_before_the_controls():
    assert text.coverage_text(pd.Period("2025-04", "M"), ["Japan", "South Korea"], []) == (
        "Before April 2025 there is no figure for Japan or South Korea. A series without figures before the controls "
        "has no pre-control baseline: its level after them cannot be set against its level before, only its "
        "month-to-month changes against the other side's.")


# --- baseline and shares -----------------------------------------------------------------------

def test_baseline_sentence_without_a_baseline():
    assert text.baseline_sentence(EU, "t", "2025-01/2025-03", "2025-07/2025-12", None, None, None) == (
        "The European Union has no figure in the baseline months (January to March 2025).")


def test_baseline_sentence_with_a_level_after_the_truces():
    assert text.baseline_sentence(US, "t", "2025-01/2025-03", "2025-07/2025-12", 622.1, 571.7667, 91.9091) == (
        "The United States averaged 622.1 t a month in January to March 2025 and 571.8 t in July to December 2025, "
        "an index of 91.9.")


def test_baseline_sentence_without_figures_after_the_truces():
    assert text.baseline_sentence("China's total", "t", "2025-01/2025-03", "2025-07/2025-12", 5089.1767, None, None) == (
        "China's total averaged 5,089.2 t a month in January to March 2025, and has no figure in July to December 2025.")


def test_share_sentence_before_and_after():
    assert text.share_sentence(US, "2025-01/2025-03", "2025-07/2025-12", 12.224, 9.7816) == (
        "The United States took 12.2% of China's total in January to March 2025 and 9.8% in July to December 2025.")


def test_share_sentence_only_after():
    assert text.share_sentence(EU, "2025-01/2025-03", "2025-07/2025-12", None, 40.0545) == (
        "The European Union took 40.1% of China's total in the months of July to December 2025 with a figure, "
        "but has no share before the controls to compare it with.")


@pytest.mark.parametrize("before", [None, 12.0])
def test_share_sentence_without_a_share_after_the_truces(before):
    assert text.share_sentence("Japan", "2025-01/2025-03", "2025-07/2025-12", before, None) == (
        "Japan has no month in July to December 2025 with both its own figure and China's total.")


# --- events and noise --------------------------------------------------------------------------

def test_events_text_with_proxies_and_events_without_a_comparison():
    assert text.events_text(8.0, 4.0, 2.0, ["Announcement 18 (2025-04-04)", "Geneva joint statement (2025-05-12)"]) == (
        "Of 8 comparisons, 4 have months in which both sides have a figure, 2 of them through a proxy. No comparison "
        "is possible around Announcement 18 (2025-04-04); Geneva joint statement (2025-05-12): one of the sides has "
        "no figure before or after the event.")


def test_events_text_without_proxies_and_every_event_comparable():
    assert text.events_text(2.0, 1.0, 0.0, []) == "Of 2 comparisons, 1 has months in which both sides have a figure. "


def test_noise_text_names_each_usable_yardstick_in_its_unit():
    used = {"w": yardstick("China's total, before the controls", [0, 10, 20]),
            "gap_recent": yardstick("Gap, A minus B, after the truces", [5, 15, 25])}
    assert text.noise_text(2.0, 6.0, 3, used) == (
        "2 of the 6 yardsticks have at least 3 changes: China's total, before the controls (3 changes, standard "
        "deviation 10.0%); Gap, A minus B, after the truces (3 changes, standard deviation 10.0 points). A spread "
        "estimated from so few changes is itself uncertain: read every z-score below as a rough guide.")


def test_noise_text_without_a_usable_yardstick():
    assert text.noise_text(0.0, 6.0, 3, {}) == (
        "0 of the 6 yardsticks have at least 3 changes. A spread estimated from so few changes is itself uncertain: "
        "read every z-score below as a rough guide.")


def test_noise_text_one_usable_yardstick_has():
    assert text.noise_text(1.0, 6.0, 3, {"w": yardstick("W", [0, 10, 20])}).startswith("1 of the 6 yardsticks has at least 3")


# --- the tested month --------------------------------------------------------------------------

def test_moved_text_with_a_change():
    assert text.moved_text(US, "t", 656.3, 581.8, -11.3515, []) == (
        "exports to the United States went from 656.3 t to 581.8 t (-11.4%)")


def test_moved_text_names_the_months_without_a_figure():
    assert text.moved_text("South Korea", "t", 569.0, None, None, ["November 2025"]) == (
        "South Korea has no figure for November 2025")
    assert text.moved_text("South Korea", "t", None, None, None, ["October 2025", "November 2025"]) == (
        "South Korea has no figure for October 2025 or November 2025")


def test_focus_text_with_the_total_shares_and_a_gap():
    assert text.focus_text(NOV, "exports to A went up", "exports to B went down", 12.3689,
                           [(US, 11.9916, 9.4602), (EU, 37.6448, 41.7694)], -36.0324, None) == (
        "From October 2025 to November 2025, exports to A went up, and exports to B went down. China's total changed "
        "by +12.4%. The share of China's total went from 12.0% to 9.5% for the United States and from 37.6% to 41.8% "
        "for the European Union. The gap between the two sides' changes is -36.0 percentage points.")


def test_focus_text_names_the_proxy_in_the_gap():
    assert text.focus_text(NOV, "a", "b", None, [], 12.0, (US, "Germany (proxy for the European Union)")).endswith(
        "The gap between the two sides' changes is +12.0 percentage points (the United States against Germany "
        "(proxy for the European Union)).")


def test_focus_text_without_the_total_shares_or_a_gap():
    assert text.focus_text(NOV, "a", "b", None, [], None, None) == (
        "From October 2025 to November 2025, a, and b. With no month in which both sides have a figure, there is no "
        "gap to measure.")


Z_NONE = {k: None for k in text.Z_KEYS}


def test_focus_z_text_against_every_yardstick():
    z = {"a_world": -0.3102, "b_world": 0.7869, "a_recent": -0.4325, "b_recent": 1.3493, "gap_pooled": -0.7758,
         "gap_recent": -0.7825}
    world = yardstick("China's total, before the controls", [0, 10, 20])
    gap = yardstick("Gap, United States minus Germany, after the truces", [1, 2, 3])
    side = yardstick("United States, after the truces", [4, 5, 6])
    assert text.focus_z_text(US, EU, z, world, 46.446, gap, side, 2.0) == (
        "Against month-to-month changes in China's total before the controls (3 changes, standard deviation 10.0%), "
        "the change for the United States sits at z = -0.31 and the change for the European Union at z = +0.79. "
        "The gap, against the 46.4 points that two such series would ordinarily differ by, sits at z = -0.78: within "
        "the ordinary spread (|z| below 2). Against the yardstick gap, united states minus germany, after the truces "
        "(3 changes), it sits at z = -0.78. Against the yardstick United States, after the truces (3 changes), the "
        "change for the United States sits at z = -0.43.")


def test_focus_z_text_one_side_only_and_a_gap_outside_the_spread():
    world = yardstick("W", [0, 10, 20])
    one_side = {**Z_NONE, "a_world": 1.0997}
    assert text.focus_z_text("Japan", "South Korea", one_side, world, 46.4, world, world, 2.0) == (
        "Against month-to-month changes in China's total before the controls (3 changes, standard deviation 10.0%), "
        "the change for Japan sits at z = +1.10.")
    outside = {**Z_NONE, "gap_pooled": -2.5}
    assert text.focus_z_text(US, EU, outside, world, 14.1, world, world, 2.0) == (
        "The gap, against the 14.1 points that two such series would ordinarily differ by, sits at z = -2.50: outside "
        "the ordinary spread (|z| below 2).")


def test_focus_z_text_without_any_yardstick():
    world = yardstick("W", [])
    assert text.focus_z_text(US, EU, Z_NONE, world, None, world, world, 2.0) == (
        "No yardstick has enough ordinary changes to say whether this month was unusual.")


# --- the licensing record ------------------------------------------------------------------------

def test_record_side_without_items():
    assert text.record_side_sentence("Japan", 0.0, []) == "The events data hold no licensing item specific to Japan."


def test_record_side_with_items_by_what_they_say():
    assert text.record_side_sentence(US, 3.0, [("approval figures", 1.0), ("general licence", 2.0)]) == (
        "For the United States the events data hold 3 licensing items (approval figures 1, general licence 2).")
    assert text.record_side_sentence(US, 1.0, [("general licence", 1.0)]) == (
        "For the United States the events data hold 1 licensing item (general licence 1).")


def test_record_items_for_all_destinations():
    assert text.record_all_sentence(1.0) == "1 item concerns all destinations alike."
    assert text.record_all_sentence(5.0) == "5 items concern all destinations alike."


def test_record_term():
    assert text.record_term_sentence(6.0, "time-limited licence", US, "2025-06-02", "2025-12-02") == (
        "A 6-month time-limited licence for the United States dated 2025-06-02 runs to 2025-12-02.")


def test_claims_text():
    assert text.claims_text(US, 5.0, EU, 18.0) == (
        "The events data hold 5 statements about the United States and 18 about the European Union, listed above.")
    assert text.claims_text("Japan", 1.0, "South Korea", 0.0).startswith("The events data hold 1 statement about Japan and 0 about")


# --- findings and summary ----------------------------------------------------------------------

def test_window_bit_with_and_without_a_proxy():
    assert text.window_bit(-36.0324, 1.0, None) == "-36.0 points with 1 month either side"
    assert text.window_bit(8.8, 3.0, (US, "Germany (proxy for the European Union)")) == (
        "+8.8 points with 3 months either side (the United States against Germany (proxy for the European Union))")


def test_finding_window_with_and_without_a_comparable_event():
    bits = ["-36.0 points with 1 month either side", "-17.2 points with 3 months either side"]
    assert text.finding_window("Trump–Xi meeting in Busan", "2025-10-30", bits) == (
        "Around the event nearest the tested month, Trump–Xi meeting in Busan (2025-10-30), the gap is -36.0 points "
        "with 1 month either side and -17.2 points with 3 months either side, comparing the same months on both sides.")
    assert text.finding_window("", "", []) == (
        "No event in the list has months in which both sides have a figure before and after it.")


def test_finding_focus_with_a_gap():
    assert text.finding_focus(NOV, [(US, -11.3515), (EU, 24.6809)], 12.3689, -36.0324, US, EU) == (
        "From October 2025 to November 2025, exports to the United States fell 11.4%, exports to the European Union "
        "rose 24.7% and China's total rose 12.4%: a gap of -36.0 percentage points between the United States and the "
        "European Union.")


def test_finding_focus_one_side_without_a_figure_and_no_total():
    assert text.finding_focus(NOV, [("Japan", 34.9558), ("South Korea", None)], None, None, "Japan", "South Korea") == (
        "From October 2025 to November 2025, exports to Japan rose 35.0%; with no month in which both sides have a "
        "figure, there is no gap between them to measure.")


def test_finding_noise_gap_within_the_spread():
    assert text.finding_noise(-0.7758, [], 5, 2.0) == (
        "A gap of that size is within the ordinary spread of one month's changes (z = -0.78), a spread that rests on "
        "only 5 month-to-month changes of China's total before the controls: one month of figures neither shows nor "
        "rules out differential treatment.")


def test_finding_noise_gap_outside_the_spread():
    assert text.finding_noise(2.4, [], 5, 2.0) == (
        "A gap of that size is outside the ordinary spread of one month's changes (z = +2.40), a spread that rests on "
        "only 5 month-to-month changes of China's total before the controls, so the gap looks unusual, but on thin "
        "evidence.")


def test_finding_noise_without_a_gap_reads_each_sides_change():
    assert text.finding_noise(None, [("Japan", 1.0997), ("South Korea", None)], 5, 2.0) == (
        "Without a gap, only each side's own change can be read against the ordinary spread of China's total before "
        "the controls (5 changes): Japan at z = +1.10.")


def test_finding_noise_without_ordinary_months():
    assert text.finding_noise(None, [("Japan", None), ("South Korea", None)], 1, 2.0) == (
        "There are too few ordinary months to say whether any change is unusual.")


def test_level_bit_with_the_total_and_the_share():
    assert text.level_bit(US, "2025-07/2025-12", "2025-01/2025-03", 91.9091, 114.858, -22.9489, 12.224, 9.7816) == (
        "exports to the United States stood at an index of 91.9 in July to December 2025 (January to March 2025 = 100), "
        "China's total at 114.9, a gap of -22.9 index points; the share going to the United States fell from 12.2% to 9.8%")


def test_level_bit_without_the_total_or_a_share():
    assert text.level_bit(US, "2025-07/2025-12", "2025-01/2025-03", 91.9, None, None, None, 9.8) == (
        "exports to the United States stood at an index of 91.9 in July to December 2025 (January to March 2025 = 100)")


def test_finding_levels_levels_and_a_side_without_a_baseline():
    assert text.finding_levels(["exports to A stood at 90"], [EU]) == (
        "Exports to A stood at 90. The European Union has no figure before the controls, so whether one side "
        "recovered more than the other since then cannot be measured.")


def test_finding_levels_levels_only_and_both_sides_blind():
    assert text.finding_levels(["exports to A stood at 90", "exports to B stood at 80"], []) == (
        "Exports to A stood at 90 and exports to B stood at 80.")
    assert text.finding_levels([], ["Japan", "South Korea"]) == (
        "Japan and South Korea have no figure before the controls, so whether one side recovered more than the other "
        "since then cannot be measured.")


def test_around_text():
    assert text.around_text("Busan", "2025-10-30", ["+8.8 points with 3 months either side"]) == (
        "around Busan (2025-10-30) the gap is +8.8 points with 3 months either side")
    assert text.around_text("", "", []) == "no event in the list has figures for both sides before and after it"


def test_summary_gap_worse_and_within():
    assert text.summary_gap(NOV, -36.0324, US, EU, -0.7758, 2.0, "around X the gap is Y") == (
        "In November 2025, the United States fared worse than the European Union by 36.0 percentage points, within "
        "the ordinary spread of one month's changes (z = -0.78); around X the gap is Y.")


def test_summary_gap_better_without_a_yardstick():
    assert text.summary_gap(NOV, 5.0, US, EU, None, 2.0, "around X the gap is Y") == (
        "In November 2025, the United States fared better than the European Union by 5.0 percentage points, with too "
        "few ordinary months to judge it; around X the gap is Y.")


def test_summary_gap_without_a_gap():
    assert text.summary_gap(NOV, None, "Japan", "South Korea", None, 2.0, "no event in the list has figures") == (
        "November 2025 has no figure for one of the sides, so no gap can be tested; no event in the list has figures.")


def test_input_bit():
    assert text.input_bit("Dysprosium products", 0.0, []) == "0 monthly figures of dysprosium products"
    assert text.input_bit("Terbium products", 1.0, [("USA", "2025-10")]) == "1 monthly figure of terbium products (USA 2025-10)"
    assert text.input_bit("Terbium products", 3.0, [("JPN", "2025-08, 2025-09"), ("KOR", "2025-06")]) == (
        "3 monthly figures of terbium products (JPN 2025-08, 2025-09; KOR 2025-06)")


SETTLE_END = ("And counts of licences applied for and granted, by destination, from China's commerce ministry: the events "
              "data give only what each side said about its own applications.")


def test_settle_text_with_missing_months():
    missing = [(US, ["2024-01/2024-04", "2024-06/2024-12"]), (EU, [])]
    assert text.settle_text(missing, ["0 monthly figures of dysprosium products", "1 monthly figure of terbium products"]) == (
        "Monthly figures for the United States in January to April 2024 and June to December 2024. Exports of the "
        "controlled inputs to these destinations: the data hold 0 monthly figures of dysprosium products and 1 monthly "
        "figure of terbium products. " + SETTLE_END)


def test_settle_text_without_missing_months():
    assert text.settle_text([(US, []), (EU, [])], ["2 monthly figures of x"]) == (
        "Exports of the controlled inputs to these destinations: the data hold 2 monthly figures of x. " + SETTLE_END)


# --- the page: a small comparison, computed and glued ------------------------------------------

OBS_HEADER = "period,reporter,partner,flow,product,unit,value,status,source_ids,note\n"
EVENTS_HEADER = "event_id,date,kind,status,actor,title,affects,licence_class,source_ids,note\n"
LICENCE_RULES = EventRules.load(Path(__file__).resolve().parents[1] / "curation")


@pytest.fixture
def small_book(tmp_path):
    """World, US, EU27 and Germany (the EU's proxy) around one control and one truce, known by hand."""
    figures = {
        "WLD": {"2025-01": 1000, "2025-02": 1100, "2025-03": 1000, "2025-04": 500, "2025-05": 600, "2025-06": 800,
                "2025-07": 900, "2025-08": 1000, "2025-09": 1000, "2025-10": 1000, "2025-11": 1200, "2025-12": 1000},
        "USA": {"2025-01": 100, "2025-02": 110, "2025-03": 100, "2025-04": 40, "2025-10": 100, "2025-11": 80},
        "EU27": {"2025-10": 300, "2025-11": 330},
        "DEU": {"2025-09": 100, "2025-10": 100, "2025-11": 120},
    }
    lines = [f"{m},CHN,{p},export,magnets,t,{v},reported,src-{p}-{m},\n" for p, vs in figures.items() for m, v in vs.items()]
    (tmp_path / "observations.csv").write_text(OBS_HEADER + "".join(lines), encoding="utf-8")
    events = [
        ("ctl", "2025-04-04", "control", "CHN", "Announcement 18: magnets", "magnets;all"),
        ("busan", "2025-10-30", "truce", "USA;CHN", "Busan: deal", "magnets;all"),
        ("six", "2025-06-02", "license", "CHN", "Six-month licences for suppliers of carmakers", "magnets;USA"),
        ("said", "2025-06-10", "statement", "EU", "EU firms say licences are slow", "magnets;EU"),
    ]
    text_ = EVENTS_HEADER + "".join(f'{i},{d},{k},happened,{a},"{t}",{f},{LICENCE_RULES.licence_class(t, k)},src-{i},\n'
                                    for i, d, k, a, t, f in events)
    (tmp_path / "events.csv").write_text(text_, encoding="utf-8")
    products = pd.DataFrame({"product": ["magnets", "terbium"], "name": ["Rare-earth magnets", "Terbium products"],
                             "controlled_since": ["2025-04-04", ""]})
    partners = pd.DataFrame({"partner": ["USA", "EU27", "DEU", "WLD"],
                             "name": ["United States", "European Union", "Germany", "World"]})
    data = BookData(observations=load_observations(tmp_path), prices=pd.DataFrame(), events=load_events(tmp_path),
                    sources=pd.DataFrame(), products=products, partners=partners, reconciliation=pd.DataFrame())
    settings = cmp.Settings(
        product="magnets", group_a=["USA"], group_b=["EU27"], proxies={"EU27": ["DEU"]},
        names={"USA": US, "EU27": EU}, world="WLD", event_dates=["2025-04-04", "busan"], windows=[1],
        baseline_start="2025-01", baseline_end="2025-03", noise_start="2025-01", noise_end="2025-03",
        after_start="2025-07", after_end="2025-12", focus_month="2025-11", z_threshold=2.0, min_changes=2,
        input_products=["terbium"], start="2025-01", end="2025-12")
    return cmp.compare(data, settings)


def test_compare_names_the_roles_and_measures_the_tested_month(small_book):
    c = small_book
    assert list(c.roles) == ["a", "b", "bp", "w"]
    assert c.roles["bp"].label == "Germany (proxy for the European Union)" and c.roles["bp"].code == "DEU"
    assert c.control_month == pd.Period("2025-04", "M")
    assert c.test.a.pct == pytest.approx(-20.0) and c.test.b.pct == pytest.approx(10.0)
    assert c.test.gap.pp == pytest.approx(-30.0) and c.test.world.pct == pytest.approx(20.0)
    assert c.baselines["a"].mean == pytest.approx(310 / 3) and math.isnan(c.baselines["b"].mean)
    assert c.index_roles == ["a", "w"]
    assert c.blind == ["Announcement 18 (2025-04-04)"]
    assert c.record["event_id"].tolist() == ["six"] and c.said["event_id"].tolist() == ["said"]


def test_every_glued_number_has_its_metrics_row_and_the_prose_uses_it(small_book, monkeypatch):
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display=True: glued.__setitem__(key, value))
    page = Page(chapter="eu-us", page="eu-us")
    text.glue_page(page, small_book)
    rows = page.frame()
    numbers = {k: v for k, v in glued.items() if isinstance(v, float)}
    keyed = rows[rows["glue_key"] != ""].set_index("glue_key")["value"]
    assert set(keyed.index) == {k for k, v in numbers.items() if not math.isnan(v)}
    assert all(keyed[k] == numbers[k] for k in keyed.index)
    assert numbers["focus_gap_pp"] == pytest.approx(-30.0) and math.isnan(numbers["baseline_b"])
    prose = {k: v.data for k, v in glued.items() if hasattr(v, "data")}
    assert prose["finding_focus"] == (
        "From October 2025 to November 2025, exports to the United States fell 20.0%, exports to the European Union "
        "rose 10.0% and China's total rose 20.0%: a gap of -30.0 percentage points between the United States and the "
        "European Union.")
    assert prose["record_text"].startswith("For the United States the events data hold 1 licensing item (time-limited licence 1). "
                                           "The events data hold no licensing item specific to the European Union.")
    assert glued["label_b"] == EU and glued["focus_words"] == "November 2025"
