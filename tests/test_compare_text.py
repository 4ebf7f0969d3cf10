"""Every sentence of the comparison pages, one test per branch of its wording, from small hand-made
inputs; and the registration: every glued number has its metrics row, and the prose uses the
numbers as published."""

import math

import pandas as pd
import pytest

from rare_earth_exports.chapters.compare import measures as cmp
from rare_earth_exports.chapters.compare import text
from rare_earth_exports.chapters.compare.licensing import ALL
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.load import BookData, load_events, load_observations
from rare_earth_exports.core.words import possessive
from rare_earth_exports.present.page import Page, Prose

US, EU = "the United States", "the European Union"
NOV = pd.Period("2025-11", "M")
Q1 = Window("Q1 2025", "2025-01", "2025-03", "the three months just before the controls")
H2 = Window("July–December 2025", "2025-07", "2025-12", "after the truces")
Q1_26 = Window("Q1 2026", "2026-01", "2026-03", "the same months a year on")


def yardstick(name, changes):
    return cmp.Yardstick(name, "X", "2024-01/2025-03", pd.Series(changes, dtype=float))


def shift(label=US, before=12.2, after=9.8, change=-2.4, low=-5.8, high=1.0, other=H2, n_after=6.0):
    return text.ShiftWords(label, Q1, other, before, after, n_after, change, low, high, 95.0)


def test_verb_and_possessive():
    assert (text.verb(-3.0), text.verb(2.0), text.verb(0.0)) == ("fell", "rose", "did not change")
    assert (possessive(US), possessive("Japan")) == ("the United States'", "Japan's")


def test_event_name_is_the_title_up_to_a_colon():
    assert text.event_name("Announcement 18: seven heavy rare earths") == "Announcement 18"
    assert text.event_name("Trump–Xi meeting in Busan") == "Trump–Xi meeting in Busan"


def test_dated_quotes_the_title_and_date_span():
    assert text.dated([("Ban on dual-use exports", "2026-01-06"), ("Report", "2025-11")]) == [
        "“Ban on dual-use exports” (6 January 2026)", "“Report” (November 2025)"]
    assert text.date_span("2026-01-06", "2026-01-06") == "6 January 2026"
    assert text.date_span("2026-01-06", "2026-02-24") == "6 January 2026 to 24 February 2026"


# --- windows and shares -----------------------------------------------------------------------

def test_windows_text_names_each_window_with_its_months_and_reason():
    assert text.windows_text([Q1, H2]) == (
        "**Q1 2025** (January to March 2025): the three months just before the controls. "
        "**July–December 2025** (July to December 2025): after the truces.")


def test_shift_with_an_interval_that_includes_no_change():
    assert text.shift_sentence(shift()) == (
        "The United States' share of China's total fell from 12.2% in Q1 2025 to 9.8% in July–December 2025 "
        "(-2.4 points; 95% interval -5.8 to +1.0): the interval includes no change, so the share's own swings from "
        "month to month could produce a move this size.")


def test_shift_with_an_interval_wholly_below_no_change():
    assert text.shift_sentence(shift(low=-4.3, high=-0.5)).endswith(
        "(-2.4 points; 95% interval -4.3 to -0.5): the whole interval lies below no change, a move larger than the "
        "share's own swings from month to month.")


def test_shift_with_an_interval_wholly_above_no_change():
    assert text.shift_sentence(shift(after=14.6, change=2.4, low=0.5, high=4.3)).startswith(
        "The United States' share of China's total rose from 12.2% in Q1 2025 to 14.6% in July–December 2025 "
        "(+2.4 points; 95% interval +0.5 to +4.3): the whole interval lies above no change")


def test_shift_without_an_interval():
    assert text.shift_sentence(shift(low=None, high=None)).endswith(
        "(-2.4 points); with fewer than two figures in a window there is no interval.")


def test_shift_without_a_baseline_share():
    assert text.shift_sentence(shift(label=EU, before=None, after=40.1, change=None, low=None, high=None, n_after=4.0)) == (
        "The European Union has no figure in Q1 2025, so its share cannot be followed from before the controls; "
        "it took 40.1% of China's total in July–December 2025 (4 figures).")


def test_shift_without_a_share_after():
    assert text.shift_sentence(shift(after=None, change=None, low=None, high=None, n_after=None)) == (
        "The United States took 12.2% of China's total in Q1 2025 and has no figure in July–December 2025.")


def test_shift_without_any_share():
    assert text.shift_sentence(shift(label="Japan", before=None, after=None, change=None, low=None, high=None)) == (
        "Japan has no figure beside China's total in Q1 2025 or in July–December 2025.")


def test_recent_sentence_is_short_and_names_the_baseline():
    assert text.recent_sentence(shift(after=8.7, change=-3.5, low=-7.3, high=0.3, other=Q1_26)) == (
        "In Q1 2026, the same months of the year a year on, the share was 8.7% (-3.5 points on Q1 2025; 95% interval "
        "-7.3 to +0.3): the interval includes no change.")
    assert text.recent_sentence(shift(after=8.7, change=-3.5, low=-7.3, high=-0.3, other=Q1_26)).endswith(
        ": the whole interval lies below no change.")
    assert text.recent_sentence(shift(before=None, other=Q1_26)) == ""


def test_finding_windows_puts_the_shares_then_the_indexes():
    levels = [text.level_bit(US, H2, Q1, 91.9, 114.9)]
    found = text.finding_windows([shift()], [shift(after=8.7, change=-3.5, low=-7.3, high=0.3, other=Q1_26)], levels)
    assert found.startswith("The United States' share of China's total fell from 12.2%")
    assert "In Q1 2026, the same months of the year a year on, the share was 8.7%" in found
    assert found.endswith("In index terms, exports to the United States stood at an index of 91.9 in July–December 2025 "
                          "(Q1 2025 = 100), China's total at 114.9.")


def test_baseline_sentence_branches():
    assert text.baseline_sentence(EU, "t", Q1, H2, None, None, None) == "The European Union has no figure in Q1 2025."
    assert text.baseline_sentence(US, "t", Q1, H2, 622.1, 571.7667, 91.9091) == (
        "The United States averaged 622.1 t a month in Q1 2025 and 571.8 t in July–December 2025, an index of 91.9.")
    assert text.baseline_sentence("China's total", "t", Q1, H2, 5089.1767, None, None) == (
        "China's total averaged 5,089.2 t a month in Q1 2025, and has no figure in July–December 2025.")


def test_level_bit_without_the_total():
    assert text.level_bit(US, H2, Q1, 91.9, None) == (
        "exports to the United States stood at an index of 91.9 in July–December 2025 (Q1 2025 = 100)")


def test_tariff_sentence_with_the_truce_that_eased_it():
    assert text.tariff_sentence(US, Q1, [("US tariffs at 145%", "2025-04-10"), ("China tariffs at 125%", "2025-04-11")],
                                ("Geneva joint statement: 90-day tariff truce", "2025-05-12")) == (
        "The baseline, Q1 2025, covers the three months just before the controls. And the fall of exports to the "
        "United States after the controls has a second cause in the record, the tariff escalation: “US tariffs at 145%” "
        "(10 April 2025) and “China tariffs at 125%” (11 April 2025), eased by the “Geneva joint statement: 90-day "
        "tariff truce” (12 May 2025).")


def test_tariff_sentence_without_a_truce_and_without_tariffs():
    assert text.tariff_sentence(US, Q1, [("US tariffs at 145%", "2025-04-10")], None).endswith(
        "(10 April 2025); the record holds no truce that eased it.")
    assert text.tariff_sentence("Japan", Q1, [], None) == ""


# --- one month --------------------------------------------------------------------------------

def test_moved_text_branches():
    assert text.moved_text(US, "t", 656.3, 581.8, -11.3515, [], 100) == (
        "exports to the United States went from 656.3 t to 581.8 t (-11.4%)")
    assert text.moved_text("South Korea", "t", None, None, None, ["November 2025"], 100) == (
        "South Korea has no figure for November 2025")
    assert text.moved_text(US, "t", 46.0, 352.8, None, [], 100) == (
        "exports to the United States went from 46.0 t to 352.8 t, a change on a level under 100 t that is not meaningful")


def test_focus_text_with_shares_and_a_gap_through_a_proxy():
    moved_a = text.moved_text(US, "t", 100.0, 80.0, -20.0, [], 100)
    moved_b = text.moved_text("Germany (proxy for the European Union)", "t", 100.0, 110.0, 10.0, [], 100)
    assert text.focus_text(NOV, moved_a, moved_b, 5.0, [(US, 10.0, 8.0)], -30.0, ("the United States", "Germany")) == (
        "From October 2025 to November 2025, exports to the United States went from 100.0 t to 80.0 t (-20.0%), and "
        "exports to Germany (proxy for the European Union) went from 100.0 t to 110.0 t (+10.0%). China's total changed "
        "by +5.0%. The share of China's total went from 10.0% to 8.0% for the United States. The gap between the two "
        "sides' changes is -30.0 percentage points (the United States against Germany).")


def test_focus_text_without_a_gap():
    assert text.focus_text(NOV, "a", "b", None, [], None, None).endswith(
        "With no month in which both sides have a comparable change, there is no gap to measure.")


READ = dict(n_rule=3.0, n_seasonal=5.0, n_lunar=2.0, threshold=2.0)


def test_readings_that_disagree_because_of_the_holiday_swings():
    assert text.readings_text(text.Readings(z_rule=-5.92, z_seasonal=-0.78, **READ)) == (
        "Against China's ordinary month-to-month changes before the controls, that gap is -5.92 standard deviations by "
        "the book's seasonal rule (3 changes, the Lunar New Year months left out), and -0.78 if the 2 Lunar New Year "
        "swings are kept (5 changes). The verdict turns on 2 holiday swings: outside the ordinary spread by the rule, "
        "within it without, so the yardstick is too thin to say.")


def test_readings_that_agree_within():
    assert text.readings_text(text.Readings(z_rule=-1.5, z_seasonal=-0.4, **READ)).endswith(
        "Both readings put it within the ordinary spread (|z| below 2), but both rest on one month and on a yardstick "
        "of a handful of changes.")


def test_readings_that_agree_outside():
    assert "Both readings put it outside the ordinary spread" in text.readings_text(
        text.Readings(z_rule=-6.0, z_seasonal=-3.0, **READ))


def test_readings_with_too_few_changes_by_the_rule():
    assert text.readings_text(text.Readings(z_rule=None, z_seasonal=-0.78, n_rule=1.0, n_seasonal=3.0, n_lunar=2.0,
                                            threshold=2.0)) == (
        "By the book's seasonal rule there are too few ordinary changes of China's total before the controls (1) to "
        "judge it; keeping the 2 Lunar New Year swings would put it at -0.78 standard deviations, a reading the rule "
        "does not allow.")


def test_readings_by_the_rule_only_and_by_none():
    assert text.readings_text(text.Readings(z_rule=-5.9, z_seasonal=None, **READ)).endswith(
        "(3 changes, the Lunar New Year months left out), a yardstick of a handful of changes.")
    assert text.readings_text(text.Readings(z_rule=None, z_seasonal=None, **READ)) == (
        "No yardstick has enough ordinary changes to judge it.")


def test_finding_one_month_with_a_gap_says_one_month_cannot_tell():
    found = text.finding_one_month(NOV, [(US, -11.4), (EU, 24.7)], -36.0, [], None,
                                   text.Readings(z_rule=-5.92, z_seasonal=-0.78, **READ))
    assert found.startswith("From October 2025 to November 2025, exports to the United States fell 11.4% and exports to "
                            "the European Union rose 24.7%: a gap of -36.0 percentage points. Against China's")
    assert found.endswith("One month of figures neither shows nor rules out different treatment.")


def test_finding_one_month_through_a_proxy():
    found = text.finding_one_month(NOV, [(US, -11.4), ("Germany (proxy for the European Union)", 5.0)], -16.4, [],
                                   (US, "Germany (proxy for the European Union)"),
                                   text.Readings(z_rule=None, z_seasonal=None, **READ))
    assert "a gap of -16.4 percentage points (the United States against Germany (proxy for the European Union))." in found


def test_finding_one_month_without_a_gap():
    assert text.finding_one_month(NOV, [("Japan", 35.0), ("South Korea", None)], None, ["South Korea"], None,
                                  text.Readings(z_rule=None, z_seasonal=None, **READ)) == (
        "South Korea has no comparable change from October 2025 to November 2025, so no gap between the two sides "
        "can be tested in it.")


def test_noise_text_with_and_without_usable_yardsticks():
    used = {"w": yardstick("China's total, before the controls", [1.0, -7.7, -3.9]),
            "gap_recent": yardstick("Gap, after the truces", [10.0, -10.0, 5.0])}
    assert text.noise_text(2, 6, 3, used).startswith(
        "2 of the 6 yardsticks that follow the seasonal rule have at least 3 changes: China's total, before the "
        "controls (3 changes, standard deviation 4.4%); Gap, after the truces (3 changes, standard deviation 10.4 points).")
    assert text.noise_text(0, 6, 3, {}).startswith("0 of the 6 yardsticks that follow the seasonal rule have at least 3 changes.")


def test_focus_z_text_every_yardstick():
    world = yardstick("China's total", [0.9, -7.7, -3.9])
    gap_recent = yardstick("Gap, United States minus Germany, after the truces", [10.0, -10.0, 5.0])
    a_recent = yardstick("United States, after the truces", [8.0, -5.0, 50.0])
    z = {"a_world": -1.81, "b_world": 6.56, "gap_pooled": -5.92, "gap_recent": -0.78, "a_recent": -0.43}
    found = text.focus_z_text(US, EU, z, world, 6.1, gap_recent, a_recent, 2.0)
    assert found.startswith("Against ordinary month-to-month changes in China's total before the controls (3 changes, "
                            "standard deviation 4.3%), the change for the United States sits at z = -1.81 and the change "
                            "for the European Union at z = +6.56.")
    assert "sits at z = -5.92: outside the ordinary spread (within it means |z| below 2)." in found
    assert "Against the yardstick gap, United States minus Germany, after the truces (3 changes), it sits at z = -0.78." in found


def test_focus_z_text_without_any_yardstick():
    none = {"a_world": None, "b_world": None, "gap_pooled": None, "gap_recent": None, "a_recent": None}
    assert text.focus_z_text(US, EU, none, yardstick("w", []), None, yardstick("g", []), yardstick("a", []), 2.0) == (
        "No yardstick has enough ordinary changes to say whether this month was unusual.")


# --- around events ---------------------------------------------------------------------------

def test_events_text_with_blind_events_and_the_floor():
    assert text.events_text(8, 2, 0, [("Announcement 18", "2025-04-04")], 100, "t") == (
        "Of 8 comparisons, 2 have months in which both sides have a figure. No comparison is possible around "
        "Announcement 18 (4 April 2025): one of the sides has no figure before or after the event, or its level before "
        "is under 100 t, where a change is not meaningful.")


def test_events_text_through_a_proxy_and_none_blind():
    assert text.events_text(4, 1, 1, [], 100, "t") == (
        "Of 4 comparisons, 1 has months in which both sides have a figure, 1 of them through a proxy. ")


def test_window_text_branches():
    bits = [text.window_bit(-36.0, 1, None), text.window_bit(-17.2, 3, (US, "Germany"))]
    assert text.window_text("Busan", "2025-10-30", bits) == (
        "Around the latest event with figures on both sides, Busan (30 October 2025), the gap is -36.0 points with 1 "
        "month either side and -17.2 points with 3 months either side (the United States against Germany), comparing "
        "the same months on both sides.")
    assert text.window_text("", "", []) == "No event in the list has months in which both sides have a figure before and after it."


def test_coverage_branches():
    apr = pd.Period("2025-04", "M")
    assert text.coverage_text(apr, [], [US, EU]) == "Every series has figures before April 2025."
    assert text.coverage_text(apr, [EU], [US]).startswith(
        "Before April 2025 there is no figure for the European Union; the United States has some. ")
    assert text.coverage_text(apr, [EU], [US, "Germany"]).startswith(
        "Before April 2025 there is no figure for the European Union; the United States and Germany have some. ")
    assert text.coverage_text(apr, ["Japan", "South Korea"], []).startswith(
        "Before April 2025 there is no figure for Japan or South Korea. A series")


# --- the licensing record ---------------------------------------------------------------------

RESTRICTED_US = [("28 US defence firms put on China's export control list", "2025-01-02"),
                 ("MP Materials put on export control list", "2026-06-22")]
US_REC = text.SideRecord(US, RESTRICTED_US, 2.0, ("Six-month licences", "2025-06-02"))
EU_REC = text.SideRecord(EU, [], 0.0, ("China begins issuing licences to European firms", "2025-06-26"))


def test_asymmetry_restrictions_aimed_at_one_side_only():
    assert text.asymmetry_clause(US_REC, EU_REC) == (
        "the one concrete asymmetry in the licensing record is the restrictions aimed at the United States (2 January "
        "2025 to 22 June 2026) and none at the European Union")
    assert text.asymmetry_clause(EU_REC, US_REC).endswith("aimed at the United States (2 January 2025 to 22 June 2026) "
                                                          "and none at the European Union")


def test_asymmetry_restrictions_aimed_at_both_and_at_neither():
    both = text.SideRecord(EU, [("Review tightened", "2025-07-01")], 1.0, None)
    assert text.asymmetry_clause(US_REC, both) == (
        "restrictions were aimed at both sides: at the United States (2 January 2025 to 22 June 2026) and at the "
        "European Union (1 July 2025)")
    assert text.asymmetry_clause(EU_REC, text.SideRecord("Japan", [], 0.0, None)) == (
        "the licensing record holds no restriction aimed at either side")


def test_grants_to_both_sides_and_to_every_destination():
    assert text.grants_clause(US_REC, EU_REC, ("First one-year general licences", "2025-12-02")) == (
        "Licences were granted to both sides (the United States from 2 June 2025, the European Union from 26 June "
        "2025); the first grant to every destination in the record is “First one-year general licences” "
        "(2 December 2025).")


def test_grants_to_one_side_only_and_to_neither():
    lone = text.SideRecord(EU, [], 0.0, None)
    assert text.grants_clause(US_REC, lone, None) == (
        "Only the United States was granted licences of its own in the record (from 2 June 2025); the European Union "
        "had only what every destination had.")
    assert text.grants_clause(lone, text.SideRecord("Japan", [], 0.0, None), None) == (
        "Neither side was granted licences of its own in the record.")


def test_finding_record_lists_the_one_sided_restrictions():
    assert text.finding_record(US_REC, EU_REC, None).startswith(
        "The one concrete asymmetry in the licensing record is the restrictions aimed at the United States (2 January "
        "2025 to 22 June 2026) and none at the European Union: “28 US defence firms put on China's export control "
        "list” (2 January 2025); “MP Materials put on export control list” (22 June 2026). Licences were granted")


def test_terms_and_scheduled_dates():
    terms = [(6.0, "Six-month licences", US, "2025-06-02", "2025-12-02"),
             (None, "Announcement 70 suspends measures to Nov 10, 2026", ALL, "2025-11-07", "2026-11-10")]
    assert text.terms_text(terms, [("Scheduled end of suspension", "2026-11-10")]) == (
        "For how long, where the record says: “Six-month licences” (the United States, 2 June 2025, 6 months, to "
        "2 December 2025); “Announcement 70 suspends measures to Nov 10, 2026” (every destination, 7 November 2025, "
        "to 10 November 2026). Still to come: “Scheduled end of suspension” (10 November 2026). The sources do not "
        "report what happened on this date; the page shows it as scheduled.")
    assert text.terms_text([], []) == "No grant or suspension in the record states its term."


def test_scheduled_text_branches():
    assert text.scheduled_text([]) == ""
    assert text.scheduled_text([("End A", "2026-11-09"), ("End B", "2026-11-27")]).endswith(
        "The sources do not report what happened on these dates; the page shows them as scheduled.")


# --- the newest months -----------------------------------------------------------------------

def period(period, value, yoy=None, world_yoy=None, share=None, mom=None, previous_span="", known=True):
    return text.PeriodWords(period, value, yoy, world_yoy, share, mom, previous_span, known)


def test_period_bit_a_span_against_the_same_months_a_year_before():
    assert text.period_bit(US, "t", period("2026-01/2026-02", 994.0, -22.5, 8.2, 9.2)) == (
        "in January to February 2026 (one figure for the two months, as China's customs published them), 994.0 t, 22.5% less "
        "than in January to February 2025 (China's total: +8.2%), 9.2% of China's total")


def test_period_bit_a_month_after_a_span_cannot_have_a_month_on_month_change():
    assert text.period_bit(US, "t", period("2026-03", 406.0, -30.5, -1.6, 7.8, previous_span="2026-01/2026-02")) == (
        "in March 2026, 406.0 t, 30.5% less than in March 2025 (China's total: -1.6%), 7.8% of China's total; the "
        "change from February 2026 cannot be computed, because February 2026 was published only inside the figure "
        "for January to February 2026")


def test_period_bit_a_month_after_a_month():
    assert text.period_bit(US, "t", period("2026-04", 500.0, 12.0, None, None, mom=23.2)) == (
        "in April 2026, 500.0 t, 12.0% more than in April 2025; +23.2% on March 2026")


def test_period_bit_a_small_base_and_no_base():
    assert text.period_bit(US, "t", period("2026-03", 406.0)) == (
        "in March 2026, 406.0 t, a change on March 2025 that is not meaningful (a level under the floor)")
    assert text.period_bit(US, "t", period("2026-03", 406.0, known=False)) == (
        "in March 2026, 406.0 t, with no figure for March 2025 to compare")


def test_newest_sentence_with_figures():
    assert text.newest_sentence(US, "t", 2026, [period("2026-03", 406.0, known=False)], "March 2026", 406.0) == (
        "Exports to the United States: in March 2026, 406.0 t, with no figure for March 2025 to compare.")


def test_newest_sentence_without_figures_after_the_last_full_year():
    assert text.newest_sentence("Japan", "t", 2026, [], "December 2025", 280.0) == (
        "Japan has no figure after December 2025 (280.0 t): none of the pages gathered for this book reports its "
        "figures for 2026, so what happened to its exports in 2026 cannot be measured here.")
    assert text.newest_sentence("Japan", "t", 2026, [], None, None) == "Japan has no figure in the data."


def test_newest_record_sentence_branches():
    assert text.newest_record_sentence("Japan", 2026, [("Ban", "2026-01-06"), ("Entity list", "2026-02-24")],
                                       [("Nikkei: about half approved", "2026-02-08")]) == (
        "In 2026 the record holds restrictions aimed at Japan (6 January 2026 to 24 February 2026). Approval rates "
        "reported for Japan: “Nikkei: about half approved” (8 February 2026).")
    assert text.newest_record_sentence("South Korea", 2026, [], []) == ""


# --- headline sentences ------------------------------------------------------------------------

def test_answer_when_the_interval_includes_no_change():
    assert text.answer_text("rare-earth magnets", shift(), US_REC, EU_REC, None) == (
        "The United States' share of China's exports of rare-earth magnets fell from 12.2% in Q1 2025 to 9.8% in "
        "July–December 2025, a change within the months' own swings (95% interval -5.8 to +1.0 points), and the one "
        "concrete asymmetry in the licensing record is the restrictions aimed at the United States (2 January 2025 to "
        "22 June 2026) and none at the European Union.")


def test_answer_when_the_interval_excludes_no_change_or_is_missing():
    assert "a change larger than the months' own swings (95% interval -4.3 to -0.5 points)" in text.answer_text(
        "magnets", shift(low=-4.3, high=-0.5), US_REC, EU_REC, None)
    assert "9.8% in July–December 2025, too few figures for an interval, and" in text.answer_text(
        "magnets", shift(low=None, high=None), US_REC, EU_REC, None)


def test_answer_when_the_figures_end_before_the_restrictions():
    japan = text.SideRecord("Japan", [("Ban", "2026-01-06"), ("Entity list", "2026-02-24")], 2.0, None)
    assert text.answer_text("magnets", None, japan, text.SideRecord("South Korea", [], 0.0, None),
                            "Japan's figures for magnets in these sources end in December 2025") == (
        "The one concrete asymmetry in the licensing record is the restrictions aimed at Japan (6 January 2026 to 24 "
        "February 2026) and none at South Korea, but Japan's figures for magnets in these sources end in December "
        "2025, so what they did to shipments cannot be measured.")


def test_answer_without_shares_or_blind_spot():
    assert text.answer_text("magnets", None, EU_REC, text.SideRecord("Japan", [], 0.0, None), None) == (
        "The licensing record holds no restriction aimed at either side, and neither side has figures before the "
        "controls to measure their exports against.")


def test_md_findings_put_measured_findings_first_and_drop_empty_ones():
    assert text.md_findings([("A.", "cannot be measured", False), ("B.", "", True), ("C.", "measured", True)]) == (
        "- **C.** measured\n- **A.** cannot be measured")


def test_input_bit_and_settle_text_use_names_and_months_in_words():
    bit = text.input_bit("Terbium products", 1, [(US, ["2025-10"])])
    assert bit == "1 monthly figure of terbium products (the United States: October 2025)"
    assert text.settle_text([(EU, ["2025-09", "2025-12/2026-03"])], [bit]) == (
        "Monthly figures for the European Union in September 2025 and December 2025 to March 2026. Exports of the "
        "controlled inputs to these destinations: the data hold 1 monthly figure of terbium products (the United "
        "States: October 2025). And counts of licences applied for and granted, by destination, from China's commerce "
        "ministry: the record gives only what each side said about its own applications.")


# --- the page, end to end on a small book --------------------------------------------------------

OBS_HEADER = "period,reporter,partner,flow,product,unit,value,status,source_ids,note\n"
EVENTS_HEADER = "event_id,date,kind,status,actor,title,affects,licence_class,source_ids,note\n"


@pytest.fixture
def small_book(tmp_path):
    """World, US, EU27 and Germany (the EU's proxy) around one control and one truce, known by hand."""
    figures = {
        "WLD": {"2024-07": 1000, "2024-08": 1100, "2024-09": 1045, "2024-10": 1000,
                "2025-01": 1000, "2025-02": 1100, "2025-03": 1000, "2025-04": 500, "2025-05": 600, "2025-06": 800,
                "2025-07": 900, "2025-08": 1000, "2025-09": 1000, "2025-10": 1000, "2025-11": 1200, "2025-12": 1000,
                "2026-01/2026-02": 2000, "2026-03": 1000},
        "USA": {"2025-01": 100, "2025-02": 110, "2025-03": 100, "2025-04": 40, "2025-07": 80, "2025-08": 90,
                "2025-10": 100, "2025-11": 80, "2026-01/2026-02": 160, "2026-03": 70},
        "EU27": {"2025-10": 300, "2025-11": 330},
        "DEU": {"2025-09": 100, "2025-10": 100, "2025-11": 120},
    }
    lines = [f"{m},CHN,{p},export,magnets,t,{v},reported,src-{p}-{m},\n" for p, vs in figures.items() for m, v in vs.items()]
    (tmp_path / "observations.csv").write_text(OBS_HEADER + "".join(lines), encoding="utf-8")
    events = [
        ("ctl", "2025-04-04", "control", "happened", "CHN", "Announcement 18: magnets", "magnets;all", ""),
        ("tariff", "2025-04-10", "tariff", "happened", "USA", "US tariffs at 145%", "tariffs;CHN", ""),
        ("geneva", "2025-05-12", "truce", "happened", "USA;CHN", "Geneva: tariff truce", "tariffs;USA", ""),
        ("six", "2025-06-02", "license", "happened", "CHN", "Six-month licences for suppliers of carmakers", "magnets;USA",
         "time-limited licence"),
        ("said", "2025-06-10", "statement", "happened", "EU", "EU firms say licences are slow", "magnets;EU", ""),
        ("busan", "2025-10-30", "truce", "happened", "USA;CHN", "Busan: deal", "magnets;all", ""),
        ("list", "2026-02-01", "control", "happened", "CHN", "US firms put on export control list", "rare earths;USA", ""),
        ("end", "2026-11-10", "other", "scheduled", "CHN", "Scheduled end of suspension", "rare earths;all",
         "suspension or deferral"),
    ]
    (tmp_path / "events.csv").write_text(EVENTS_HEADER + "".join(
        f'{i},{d},{k},{st},{a},"{t}",{f},{c},src-{i},\n' for i, d, k, st, a, t, f, c in events), encoding="utf-8")
    products = pd.DataFrame({"product": ["magnets", "terbium"], "name": ["Rare-earth magnets", "Terbium products"],
                             "controlled_since": ["2025-04-04", ""]})
    partners = pd.DataFrame({"partner": ["USA", "EU27", "DEU", "WLD", "CHN"],
                             "name": ["United States", "European Union", "Germany", "World", "China"]})
    data = BookData(observations=load_observations(tmp_path), prices=pd.DataFrame(), events=load_events(tmp_path),
                    sources=pd.DataFrame(), products=products, partners=partners, reconciliation=pd.DataFrame())
    settings = cmp.Settings(
        product="magnets", group_a=["USA"], group_b=["EU27"], proxies={"EU27": ["DEU"]},
        names={"USA": US, "EU27": EU}, world="WLD", event_dates=["2025-04-04", "busan"], months_around=[1],
        base={"name": "Q1 2025", "start": "2025-01", "end": "2025-03", "reason": "before the controls"},
        after={"name": "July–December 2025", "start": "2025-07", "end": "2025-12", "reason": "after the truces"},
        recent={"name": "Q1 2026", "start": "2026-01", "end": "2026-03", "reason": "a year on"},
        noise={"name": "before the controls", "start": "2024-01", "end": "2025-03", "reason": "ordinary changes"},
        seasonal_months=[1, 2], floors={"t": 100}, focus_month="2025-11", z_threshold=2.0, min_changes=2,
        interval_level=0.95, input_products=["terbium"], start="2025-01", end="2026-03")
    return cmp.compare(data, settings)


def test_compare_names_the_roles_and_measures_the_page(small_book):
    c = small_book
    assert list(c.roles) == ["a", "b", "bp", "w"]
    assert c.roles["bp"].label == "Germany (proxy for the European Union)" and c.roles["bp"].code == "DEU"
    assert c.settings.newest_since == "2026-01"
    assert c.test.a.pct == pytest.approx(-20.0) and c.test.b.pct == pytest.approx(10.0)
    assert c.test.gap.pp == pytest.approx(-30.0) and c.test.world.pct == pytest.approx(20.0)
    assert c.yardsticks["w"].swing.n == 3 and c.yardsticks["w_seasonal"].swing.n == 5 and c.seasonal_changes == 2
    assert c.baselines["a"].mean == pytest.approx(310 / 3) and math.isnan(c.baselines["b"].mean)
    assert c.shifts["a"]["after"].before.share == pytest.approx(310 / 3100 * 100)
    assert c.shifts["a"]["after"].after.share == pytest.approx(350 / 4100 * 100)
    assert [f.period for f in c.newest["a"]] == ["2026-01/2026-02", "2026-03"]
    assert c.blind == [("Announcement 18", "2025-04-04")]
    assert c.tariffs["a"]["event_id"].tolist() == ["tariff", "geneva"] and c.tariffs["b"].empty
    assert c.record["event_id"].tolist() == ["six", "list", "end"]
    assert c.record["outcome"].tolist() == ["granted", "restricted", "scheduled"]
    assert c.said["event_id"].tolist() == ["said"] and c.said["who"].tolist() == ["the European Union"]


def test_every_glued_number_has_its_metrics_row_and_the_prose_uses_it(small_book, monkeypatch):
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display=True: glued.__setitem__(key, value))
    page = Page(chapter="compare", page="eu-us")
    text.glue_page(page, small_book, "Did China treat the United States and the European Union differently?")
    rows = page.frame()
    assert all(k.startswith("compare_") for k in glued)
    numbers = {k: v for k, v in glued.items() if isinstance(v, float)}
    keyed = rows[rows["glue_key"] != ""].set_index("glue_key")["value"]
    assert set(keyed.index) == {k for k, v in numbers.items() if not math.isnan(v)}
    assert all(keyed[k] == numbers[k] for k in keyed.index)
    assert numbers["compare_focus_gap_pp"] == pytest.approx(-30.0) and math.isnan(numbers["compare_baseline_b"])
    assert numbers["compare_share_change_after_a"] == pytest.approx(
        round(numbers["compare_share_after_a"] - numbers["compare_share_base_a"], 4))
    assert numbers["compare_share_change_after_a_low"] < numbers["compare_share_change_after_a_high"]
    assert numbers["compare_newest_a_0_yoy"] == pytest.approx((160 / 210 - 1) * 100, abs=1e-4)
    assert math.isnan(numbers["compare_newest_a_1_mom"])          # February is inside the January–February figure
    prose = {k: str(v) for k, v in glued.items() if isinstance(v, Prose)}
    assert prose["compare_one_month_text"].startswith(
        "**One month cannot tell.** From October 2025 to November 2025, exports to the United States fell 20.0% and "
        "exports to the European Union rose 10.0%: a gap of -30.0 percentage points.")
    assert prose["compare_md_findings"].startswith("- **Over several months.** The United States' share of China's total fell")
    assert "- **What else moved the figures.** The baseline, Q1 2025, covers before the controls." in prose["compare_md_findings"]
    assert prose["compare_answer"].startswith("The United States' share of China's exports of rare-earth magnets fell from")
    assert prose["compare_answer"].endswith("and the one concrete asymmetry in the licensing record is the restrictions "
                                            "aimed at the United States (1 February 2026) and none at the European Union.")
    assert glued["compare_label_b"] == EU and glued["compare_focus_words"] == "November 2025"
