"""checks.py: partners never above the world; totals against their months."""

from decimal import Decimal as D

import pytest

from rare_earth_exports.curate.consistency import consistency_errors, partner_above_world, span_checks, tolerance


def row(period, value, partner="WLD", product="magnets", unit="t"):
    return {"period": period, "reporter": "CHN", "partner": partner, "flow": "export", "product": product,
            "unit": unit, "value": value, "note": ""}


def months(values, year=2025, partner="WLD"):
    return [row(f"{year}-{i:02d}", v, partner) for i, v in enumerate(values, start=1)]


def test_a_partner_above_the_world_is_an_error_at_its_line():
    rows = [row("2025-07", "5577"), row("2025-07", "5578", "DEU"), row("2025-07", "5577", "USA"),
            row("2025-07", "9999", "DEU", unit="USD"), row("2025-08", "9999", "DEU")]
    (error,) = partner_above_world(rows, "data/observations.csv", lines=[10, 20, 30, 40, 50])
    assert (error.file, error.line, error.column, error.value) == ("data/observations.csv", 20, "value", "5578")
    assert "at most the world value for magnets in 2025-07 (5577 t)" in str(error)
    assert "partner DEU exceeds all destinations" in str(error)


def test_lines_default_to_file_order():
    (error,) = partner_above_world([row("2025-07", "1"), row("2025-07", "2", "DEU")], "f.csv")
    assert error.line == 3


def test_tolerance_is_half_a_percent_or_half_a_unit_per_month():
    assert tolerance(D("1000"), 2) == D("5")
    assert tolerance(D("100"), 6) == D("3")


@pytest.mark.parametrize("total, status", [
    ("600", "agrees"),        # exact
    ("597", "agrees"),        # within the tolerance: 6 x 0.5 t of rounding (0.5 % would be 3 t too)
    ("610", "disagrees"),     # beyond the tolerance, within 5 % of the total
    ("580", "disagrees"),
    ("640", "contradicts"),   # more than 5 % of the total off
    ("560", "contradicts"),
])
def test_a_total_whose_months_are_all_known(total, status):
    rows = months(["100"] * 6) + [row("2025-01/2025-06", total)]
    (rec,) = span_checks(rows)
    assert (rec["status"], rec["months_known"], rec["months_in_period"]) == (status, 6, 6)
    assert rec["sum_of_months"] == D("600") and rec["difference"] == D("600") - D(total)


def test_a_total_with_unknown_months_is_incomplete_unless_its_parts_exceed_it():
    rows = months(["10", "10"]) + [row("2025-01/2025-04", "45"), row("2025-01/2025-03", "15")]
    recs = {r["period"]: r for r in span_checks(rows)}
    assert recs["2025-01/2025-04"]["status"] == "incomplete"
    assert recs["2025-01/2025-03"]["status"] == "contradicts"  # two known months already sum to 20


def test_a_total_without_known_months_is_not_checked():
    assert span_checks([row("2025", "100"), row("2024-03", "5")]) == []


def test_a_year_against_its_months_and_derived_months_are_flagged():
    rows = months(["10"] * 12) + [row("2025", "120")]
    rows[1]["note"] = "derived: 2025 total minus ..."
    (rec,) = span_checks(rows)
    assert rec["status"] == "agrees" and rec["uses_derived_month"]


def test_only_contradictions_stop_the_build():
    rows = months(["10"] * 6) + [row("2025-01/2025-06", "62"), row("2025-01/2025-03", "100")]
    (error,) = consistency_errors(rows, "data/observations.csv", lines=list(range(2, 10)))
    assert (error.line, error.column, error.value) == (9, "value", "100")
    assert "3 of 3 months known sum to 30 t" in str(error)


def test_rows_that_do_not_parse_are_left_to_the_schema_checks():
    rows = [row("2025-13", "1"), row("2025-01", "abc"), row("2025-01", "5", "DEU")]
    assert consistency_errors(rows, "f.csv") == []


def test_a_two_month_figure_is_a_part_of_the_quarter_and_is_never_split():
    rows = [row("2026-01/2026-02", "10763"), row("2026-03", "5238"), row("2026-01/2026-03", "16001")]
    (rec,) = span_checks(rows)
    assert (rec["period"], rec["parts"], rec["status"]) == ("2026-01/2026-03", "2026-01/2026-02; 2026-03", "agrees")
    assert (rec["months_known"], rec["sum_of_months"]) == (3, D("16001"))
    rows[2]["value"] = "18000"
    (error,) = consistency_errors(rows, "data/observations.csv")
    assert (error.line, error.value) == (4, "18000") and "3 of 3 months known sum to 16001 t" in str(error)


def test_single_months_are_preferred_to_a_span_that_overlaps_them():
    rows = months(["10", "10", "10"]) + [row("2025-01/2025-02", "20"), row("2025-01/2025-03", "30")]
    recs = {r["period"]: r for r in span_checks(rows)}
    assert recs["2025-01/2025-03"]["parts"] == "2025-01; 2025-02; 2025-03"
