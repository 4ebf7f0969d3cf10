"""Periods as the data package writes them: a month, a calendar year, or an inclusive span.

`2025-04` is a month, `2025` a calendar year, `2025-01/2025-06` the months January to June.
Every period is reduced to the tuple of months it covers, so totals and their parts can be
compared whatever the notation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
YEAR_RE = re.compile(r"^(\d{4})$")
SPAN_RE = re.compile(r"^(\d{4}-(?:0[1-9]|1[0-2]))/(\d{4}-(?:0[1-9]|1[0-2]))$")
# The pattern datapackage.json gives the `period` field (kept in step by a test).
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(/\d{4}-(0[1-9]|1[0-2]))?)?$"

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


class PeriodError(ValueError):
    """A period string that is not a month, a year or a span of months."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        m = MONTH_RE.match(text)
        if not m:
            raise PeriodError(f"{text!r} is not a month (expected YYYY-MM with MM from 01 to 12)")
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def ordinal(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_ordinal(cls, n: int) -> "Month":
        return cls(n // 12, n % 12 + 1)

    def shift(self, months: int) -> "Month":
        return Month.from_ordinal(self.ordinal + months)

    def in_words(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


def month_range(start: Month, end: Month) -> tuple[Month, ...]:
    return tuple(Month.from_ordinal(n) for n in range(start.ordinal, end.ordinal + 1))


def months_of(period: str) -> tuple[Month, ...]:
    """The months a period covers, in order; raises PeriodError for anything else."""
    if MONTH_RE.match(period):
        return (Month.parse(period),)
    if YEAR_RE.match(period):
        year = int(period)
        return tuple(Month(year, m) for m in range(1, 13))
    m = SPAN_RE.match(period)
    if m:
        start, end = Month.parse(m.group(1)), Month.parse(m.group(2))
        if end < start:
            raise PeriodError(f"span {period!r} ends ({end}) before it starts ({start})")
        return month_range(start, end)
    raise PeriodError(
        f"{period!r} is not a period (expected YYYY-MM, YYYY or YYYY-MM/YYYY-MM)"
    )


def period_kind(period: str) -> str:
    """'month', 'year' or 'span'."""
    months_of(period)
    if MONTH_RE.match(period):
        return "month"
    if YEAR_RE.match(period):
        return "year"
    return "span"


def period_for(months: tuple[Month, ...] | list[Month]) -> str:
    """The shortest notation for a contiguous run of months."""
    months = sorted(months)
    if not months:
        raise PeriodError("no months")
    if [m.ordinal for m in months] != list(range(months[0].ordinal, months[-1].ordinal + 1)):
        raise PeriodError("months are not contiguous: " + ", ".join(map(str, months)))
    if len(months) == 1:
        return str(months[0])
    first, last = months[0], months[-1]
    if first.month == 1 and last.month == 12 and first.year == last.year:
        return f"{first.year:04d}"
    return f"{first}/{last}"


def is_contiguous(months: list[Month] | tuple[Month, ...]) -> bool:
    ords = sorted(m.ordinal for m in months)
    return bool(ords) and ords == list(range(ords[0], ords[-1] + 1))


def period_in_words(period: str) -> str:
    """'December 2025', '2025', 'January to June 2025', 'November 2024 to March 2025'."""
    months = months_of(period)
    kind = period_kind(period)
    if kind == "month":
        return months[0].in_words()
    if kind == "year":
        return period
    first, last = months[0], months[-1]
    if first.year == last.year:
        return f"{MONTH_NAMES[first.month - 1]} to {last.in_words()}"
    return f"{first.in_words()} to {last.in_words()}"


def last_full_year(year: int, month: int) -> int:
    """The latest calendar year whose December is at or before the given month (March 2026 -> 2025)."""
    return year if month == 12 else year - 1


def year_before(period: str) -> str:
    """The same months a year before, in the same notation ('2026-01/2026-02' -> '2025-01/2025-02'):
    year-on-year compares like with like, a two-month figure with the same two months."""
    return period_for([m.shift(-12) for m in months_of(period)])


def sort_key(period: str) -> tuple[int, int]:
    """Orders periods by their first month, shorter periods first."""
    months = months_of(period)
    return (months[0].ordinal, len(months))


def disjoint(periods: list[str]) -> list[str]:
    """The periods, in the order given, that overlap none taken before them (the order decides
    which of two overlapping periods wins)."""
    chosen, used = [], set()
    for p in periods:
        ms = set(months_of(p))
        if not ms & used:
            chosen.append(p)
            used |= ms
    return chosen


def cover(total: str, known: dict[str, Decimal]) -> list[str]:
    """Non-overlapping known periods inside `total` (longest first), excluding `total` itself."""
    inside = set(months_of(total))
    candidates = [p for p in known if p != total and set(months_of(p)) <= inside]
    candidates.sort(key=lambda p: (-len(months_of(p)), sort_key(p)))
    return sorted(disjoint(candidates), key=sort_key)
