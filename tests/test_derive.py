"""derive.py: a gap is derived only when it is the one contiguous unknown part of a total."""

from decimal import Decimal as D

from rare_earth_exports.curate.derive import cover, derive_observations, derive_series


def test_a_month_from_a_year_to_date_total():
    known = {"2025-01/2025-03": D("30"), "2025-01": D("10"), "2025-03": D("12")}
    assert derive_series(known) == {
        "2025-02": (D("8"), "derived: 2025-01/2025-03 total minus 2025-01, 2025-03",
                    ["2025-01/2025-03", "2025-01", "2025-03"]),
    }


def test_a_span_from_an_annual_total_minus_a_year_to_date_total():
    known = {"2023": D("52576"), "2023-01/2023-07": D("31727")}
    value, note, inputs = derive_series(known)["2023-08/2023-12"]
    assert value == D("20849")
    assert note == "derived: 2023 total minus 2023-01/2023-07"
    assert inputs == ["2023", "2023-01/2023-07"]


def test_nothing_when_the_unknown_months_are_not_contiguous():
    known = {"2025-01/2025-04": D("40"), "2025-01": D("10"), "2025-03": D("10")}  # February and April unknown
    assert derive_series(known) == {}


def test_nothing_when_no_part_is_known():
    assert derive_series({"2025-01/2025-04": D("40")}) == {}


def test_a_negative_result_is_not_derived():
    assert derive_series({"2025-01/2025-02": D("5"), "2025-01": D("10")}) == {}


def test_derived_values_feed_longer_totals():
    known = {"2025-01": D("8"), "2025-01/2025-02": D("20"), "2025-01/2025-03": D("33")}
    derived = derive_series(known)
    assert derived["2025-02"][0] == D("12")
    assert derived["2025-03"][0] == D("13")  # 33 minus the January-February total
    assert derived["2025-03"][2] == ["2025-01/2025-03", "2025-01/2025-02"]


def test_a_known_figure_is_never_overwritten():
    known = {"2025-01/2025-02": D("20"), "2025-01": D("8"), "2025-02": D("15")}  # disagrees: left to the checks
    assert derive_series(known) == {}


def test_cover_takes_the_longest_non_overlapping_parts():
    known = {"2025": D(1), "2025-01/2025-06": D(1), "2025-01": D(1), "2025-07": D(1), "2025-06/2025-07": D(1)}
    assert cover("2025", known) == ["2025-01/2025-06", "2025-07"]


def obs(period, value, sources, partner="WLD"):
    return {"period": period, "reporter": "CHN", "partner": partner, "flow": "export", "product": "magnets",
            "unit": "t", "value": value, "status": "reported", "source_ids": sources, "note": ""}


def test_derive_observations_marks_rows_and_credits_every_source():
    rows = [obs("2025-01/2025-03", "30", "b;c"), obs("2025-01", "10", "a"), obs("2025-03", "12.5", "c"),
            obs("2025-01", "10", "a", partner="USA")]
    (row,) = derive_observations(rows)
    assert row["period"] == "2025-02" and row["partner"] == "WLD"
    assert row["value"] == "7.5" and row["status"] == "derived"
    assert row["source_ids"] == "a;b;c"
    assert row["note"] == "derived: 2025-01/2025-03 total minus 2025-01, 2025-03"


def test_series_are_kept_apart():
    rows = [obs("2025-01/2025-02", "30", "a"), obs("2025-01", "10", "a", partner="USA")]
    assert derive_observations(rows) == []


def test_a_two_month_figure_is_never_split_into_months():
    known = {"2026-01/2026-02": D("10763"), "2026-03": D("5238"), "2026-01/2026-03": D("16001")}
    assert derive_series(known) == {}
