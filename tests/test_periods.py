"""periods.py: the three notations, spans, the shortest notation, periods in words, errors."""

import json
from pathlib import Path

import pytest

from rare_earth_exports.core.periods import PERIOD_PATTERN, Month, PeriodError, disjoint, is_contiguous, last_full_year, month_range, months_of, period_for, period_in_words, period_kind, sort_key, year_before

ROOT = Path(__file__).resolve().parents[1]


def m(text: str) -> Month:
    return Month.parse(text)


def test_month_parse_and_arithmetic():
    assert m("2025-04") == Month(2025, 4)
    assert str(Month(2025, 4)) == "2025-04"
    assert m("2025-01").shift(-1) == Month(2024, 12)
    assert m("2024-12").shift(13) == Month(2026, 1)
    assert Month.from_ordinal(m("2025-07").ordinal) == Month(2025, 7)
    assert m("2025-12").in_words() == "December 2025"


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-1", "25-01", "2025/01", "2025-01-01", " 2025-01", ""])
def test_month_parse_rejects(text):
    with pytest.raises(PeriodError, match="not a month"):
        Month.parse(text)


def test_months_of_each_notation():
    assert months_of("2025-04") == (Month(2025, 4),)
    assert months_of("2024") == tuple(Month(2024, k) for k in range(1, 13))
    assert months_of("2024-11/2025-02") == (Month(2024, 11), Month(2024, 12), Month(2025, 1), Month(2025, 2))
    assert months_of("2025-03/2025-03") == (Month(2025, 3),)


@pytest.mark.parametrize("text, message", [
    ("2025-13", "not a period"), ("2025-00", "not a period"), ("2025-06/2025-01", r"ends \(2025-01\) before it starts \(2025-06\)"),
    ("2025-01/2025-13", "not a period"), ("2025-01/2025", "not a period"), ("2025-01-YTD", "not a period"), ("Q1 2025", "not a period"),
])
def test_months_of_errors(text, message):
    with pytest.raises(PeriodError, match=message):
        months_of(text)


def test_period_kind():
    assert [period_kind(p) for p in ("2025-01", "2025", "2025-01/2025-03")] == ["month", "year", "span"]
    with pytest.raises(PeriodError):
        period_kind("2025-13")


def test_period_for_writes_the_shortest_notation():
    assert period_for([m("2025-02")]) == "2025-02"
    assert period_for(months_of("2023")) == "2023"
    assert period_for([m("2025-03"), m("2025-01"), m("2025-02")]) == "2025-01/2025-03"
    assert period_for(month_range(m("2024-02"), m("2025-01"))) == "2024-02/2025-01"  # twelve months, not a calendar year
    assert period_for(month_range(m("2024-01"), m("2025-12"))) == "2024-01/2025-12"


def test_period_for_errors():
    with pytest.raises(PeriodError, match="no months"):
        period_for([])
    with pytest.raises(PeriodError, match="not contiguous"):
        period_for([m("2025-01"), m("2025-03")])


def test_notation_round_trips():
    for text in ("2025-07", "2025", "2023-08/2023-12", "2024-11/2025-02"):
        assert period_for(months_of(text)) == text


def test_is_contiguous():
    assert is_contiguous([m("2024-12"), m("2025-01")])
    assert not is_contiguous([m("2025-01"), m("2025-03")])
    assert not is_contiguous([])


def test_period_in_words():
    assert period_in_words("2025-12") == "December 2025"
    assert period_in_words("2025") == "2025"
    assert period_in_words("2025-01/2025-06") == "January to June 2025"
    assert period_in_words("2024-11/2025-03") == "November 2024 to March 2025"


def test_sort_key_orders_by_first_month_then_length():
    periods = ["2025", "2025-02", "2025-01/2025-03", "2024-12", "2025-01"]
    assert sorted(periods, key=sort_key) == ["2024-12", "2025-01", "2025-01/2025-03", "2025", "2025-02"]


def test_the_schema_uses_the_same_period_pattern():
    schema = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    patterns = {f["constraints"]["pattern"] for r in schema["resources"] for f in r["schema"]["fields"]
                if f["name"] == "period" and "pattern" in f.get("constraints", {})}
    assert patterns == {PERIOD_PATTERN}


def test_last_full_year_is_the_latest_december_at_or_before_a_month():
    assert last_full_year(2026, 3) == 2025
    assert last_full_year(2025, 12) == 2025
    assert last_full_year(2026, 1) == 2025


def test_disjoint_keeps_the_first_of_overlapping_periods_in_the_order_given():
    assert disjoint(["2026-01", "2026-01/2026-02", "2026-03", "2026-01/2026-03"]) == ["2026-01", "2026-03"]
    assert disjoint(["2026-01/2026-02", "2026-01", "2026-03"]) == ["2026-01/2026-02", "2026-03"]
    assert disjoint([]) == []


def test_the_same_months_a_year_before_keep_their_notation():
    assert year_before("2026-01/2026-02") == "2025-01/2025-02"
    assert year_before("2026-03") == "2025-03"
    assert year_before("2025") == "2024"
