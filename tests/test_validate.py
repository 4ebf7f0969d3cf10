"""validate.py: every problem of every file at once, each at its file, line and column."""

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from rare_earth_exports.cli import main as rebook
from rare_earth_exports.curate.validate import SHOWN_PER_FILE, DataError, DataValidationError, validate_data_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def edit(path: Path, line: int, column: str, value: str) -> None:
    """Sets one cell (files without multi-line cells: line n is row n)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_an_error_reads_file_line_column_value_expected_hint():
    e = DataError("data/prices.csv", 7, "low", "1,200", "a number", "remove the thousands separators")
    assert str(e) == "data/prices.csv, line 7, column 'low': value '1,200': expected a number (hint: remove the thousands separators)"
    key = DataError("data/x.csv", 3, "period, partner", "2025-01|USA", "one row per key")
    assert str(key) == "data/x.csv, line 3, columns period, partner: value '2025-01|USA': expected one row per key"
    assert str(DataError("data/x.csv", None, None, None, "the file to exist")) == "data/x.csv: expected the file to exist"


def test_every_problem_of_every_file_is_reported_at_once(data):
    edit(data / "observations.csv", 3, "unit", "tonnes")
    edit(data / "observations.csv", 5, "period", "2025-13")
    edit(data / "prices.csv", 2, "low", "2 67")
    edit(data / "events.csv", 4, "kind", "war")
    with pytest.raises(DataValidationError) as info:
        validate_data_dir(data)
    where = [(e.file, e.line, e.column) for e in info.value.errors]
    assert where == [("data/events.csv", 4, "kind"), ("data/observations.csv", 3, "unit"),
                     ("data/observations.csv", 5, "period"), ("data/prices.csv", 2, "low")]
    message = str(info.value)
    assert message.startswith("4 problem(s) in the data:\n  - data/events.csv, line 4, column 'kind': value 'war'")
    assert all(str(e) in message for e in info.value.errors)


def test_lines_are_counted_as_an_editor_counts_them(data):
    path = data / "observations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[2].endswith(",,")  # no agency, no story date
    lines[2] = lines[2].removesuffix(",,") + ',"an agency\nover two lines",'  # line 3 now spans lines 3-4
    lines[5] = lines[5].replace(",export,", ",exports,", 1)              # was line 6, now line 7
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        validate_data_dir(data)
    (error,) = info.value.errors
    assert (error.line, error.column, error.value) == (7, "flow", "exports")


def test_a_file_with_many_problems_is_summarised(data):
    path = data / "observations.csv"
    text = path.read_text(encoding="utf-8").replace(",export,", ",Export,")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        validate_data_dir(data)
    n = len(info.value.errors)
    assert n > SHOWN_PER_FILE
    assert all(e.column == "flow" and "write 'export'" in e.hint for e in info.value.errors)
    message = str(info.value)
    assert message.count("\n  - data/observations.csv, line") == SHOWN_PER_FILE
    assert f"data/observations.csv: {n - SHOWN_PER_FILE} more problem(s) not shown" in message


def test_a_folder_without_a_schema_is_checked_against_the_projects(data):
    (data / "datapackage.json").unlink()
    validate_data_dir(data)
    edit(data / "partners.csv", 2, "partner", "WLD ")
    with pytest.raises(DataValidationError, match="remove the spaces around the value"):
        validate_data_dir(data)


def test_rebook_validate_exits_1_with_the_list(data, capsys):
    assert rebook(["validate", str(data)]) == 0
    assert capsys.readouterr().out == f"{data}: valid\n"
    edit(data / "sources.csv", 2, "url", "javascript://x")
    assert rebook(["validate", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rebook validate: 1 problem(s) in the data:\n  - data/sources.csv, line 2, column 'url'")


def readme_block(first: str) -> list[str]:
    """The lines of the README's code block that starts with `first` (line numbers blanked)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(first)
    block = text[start:text.index("```", start)].strip("\n").split("\n")
    return [re.sub(r"line \d+", "line N", b) for b in block]


def set_where(path: Path, where: dict, column: str, value: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    row = next(r for r in rows[1:] if all(r[header.index(k)] == v for k, v in where.items()))
    row[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_the_readme_shows_real_messages(data, capsys):
    deu = {"partner": "DEU", "product": "magnets", "unit": "t"}
    set_where(data / "observations.csv", {**deu, "period": "2025-07"}, "value", "1,116")
    set_where(data / "observations.csv", {**deu, "period": "2025-08"}, "period", "2025-13")
    set_where(data / "observations.csv", {**deu, "period": "2025-09"}, "partner", "304")
    set_where(data / "observations.csv", {"partner": "WLD", "product": "magnets", "unit": "t", "period": "2025-01/2025-06"},
              "value", "30000")
    set_where(data / "sources.csv", {"source_id": "adamasintel-com-ade032"}, "url", "javascript:alert(1)")
    assert rebook(["validate", str(data)]) == 1
    shown = [re.sub(r"line \d+", "line N", line) for line in capsys.readouterr().err.strip("\n").split("\n")]
    assert shown == readme_block("rebook validate: 5 problem(s)")
    shutil.copytree(ROOT / "data", data, dirs_exist_ok=True)
    set_where(data / "observations.csv", {**deu, "period": "2025-07"}, "note", "稀土永磁体")
    (data / "observations.csv").write_bytes((data / "observations.csv").read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataValidationError) as info:
        validate_data_dir(data)
    shown = [re.sub(r"line \d+", "line N", f"  - {e}") for e in info.value.errors]
    assert shown == readme_block("  - data/observations.csv, line 20, column 'note'")
