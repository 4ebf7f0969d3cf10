"""Importers: customs downloads turned into rows of data/observations.csv.

A reader (`gacc.read_gacc`, `comtrade.read_comtrade`) never writes anything: it returns an
ImportResult with the rows it could read, the lines it skipped and why, and every problem it
found. `merge.import_into` refuses a result with problems, so a half-read file never reaches
the data package. A file too large or damaged to read is refused before it is read (`limits`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..rules import observation_sort_key


@dataclass(frozen=True)
class Problem:
    """One bad cell, located so it can be fixed in the file (or in data/partners.csv).

    The fields are those of validate.DataError, so one handler can print both.
    """

    file: str
    line: int | str  # CSV/Excel line number, or `data[i]` for a JSON record
    column: str
    value: str
    expected: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: column '{self.column}': value '{self.value}': expected {self.expected}"
        return f"{text}; hint: {self.hint}" if self.hint else text


class ImportFileError(ValueError):
    """Raised with every problem of a file at once, so one run shows all that needs fixing."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s):\n" + "\n".join(map(str, self.problems)))


class UnreadableFile(Exception):
    """A download a reader refuses as a whole (too large, cut short, a line too long); `problem` says where."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    skipped: list[tuple[int | str, str]] = field(default_factory=list)  # (line, reason)
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # file-level remarks: sums, currency, gaps

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ImportFileError(self.errors)


def format_value(value: Decimal) -> str:
    """The package's number format: no exponent, no thousands separators, no trailing zeros."""
    return format(value.normalize(), "f")


def observation(period: str, reporter: str, partner: str, flow: str, product: str, unit: str,
                value: Decimal, source_id: str, note: str = "") -> dict:
    return {
        "period": period, "reporter": reporter, "partner": partner, "flow": flow,
        "product": product, "unit": unit, "value": format_value(value), "status": "reported",
        "source_ids": source_id, "note": note,
    }


def row_key(row: dict) -> tuple:
    """The order data/observations.csv is kept in (reporter last: it is nearly always CHN)."""
    return (*observation_sort_key(row), row["reporter"])


def load_reference(data_dir: Path) -> tuple[list[dict], list[dict]]:
    """The rows of partners.csv and products.csv, as the readers take them."""
    tables = []
    for name in ("partners.csv", "products.csv"):
        with open(Path(data_dir) / name, newline="", encoding="utf-8") as fh:
            tables.append(list(csv.DictReader(fh)))
    return tables[0], tables[1]
