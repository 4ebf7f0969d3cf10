"""Validation of a data folder against `datapackage.json`, with errors an analyst can act on.

The schema in `datapackage.json` is the single source of truth: types, required fields, enums,
patterns, primary and foreign keys are checked by the `frictionless` library. On top of it come
the checks a schema cannot express: list-valued foreign keys (`source_ids`), spans that end before
they start, price ranges, partners above the world total and totals contradicted by their months.
Every problem in every file is collected and reported at once, each naming the file, the line,
the column, the value found and what was expected.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .periods import PeriodError, months_of

SCHEMA_FILE = "datapackage.json"
DEFAULT_SCHEMA = Path(__file__).resolve().parents[2] / "data" / SCHEMA_FILE


@dataclass(frozen=True, order=True)
class DataError:
    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        what = f", column '{self.column}'" if self.column else ""
        found = f": value {self.value!r}" if self.value is not None else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}{what}{found}: expected {self.expected}{hint}"


class DataValidationError(ValueError):
    """Raised with every problem found; `errors` holds them, the message lists them."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line or 0, e.column or ""))
        lines = [f"{len(self.errors)} problem(s) in the data:"] + [f"  - {e}" for e in self.errors]
        super().__init__("\n".join(lines))


def load_schema(data_dir: Path) -> dict:
    """The folder's own datapackage.json, or the project's when the folder has none."""
    path = data_dir / SCHEMA_FILE
    if not path.exists():
        path = DEFAULT_SCHEMA
    return json.loads(path.read_text(encoding="utf-8"))


def _read_text(path: Path, label: str, errors: list[DataError]) -> str | None:
    raw = path.read_bytes()
    if not raw.strip():
        errors.append(DataError(label, None, None, None, "a header line and at least one row", "the file is empty"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(DataError(label, line, None, repr(raw[exc.start: exc.start + 4])[2:-1],
                                "UTF-8 text", "re-save the file as UTF-8 (GACC downloads are GB18030: use `rebook import gacc`)"))
        return None
    return text


def _check_header(text: str, fields: list[dict], label: str, errors: list[DataError]) -> list[dict] | None:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    names = [f["name"] for f in fields]
    missing = [n for n in names if n not in header and f_required(fields, n)]
    extra = [h for h in header if h not in names]
    for n in missing:
        errors.append(DataError(label, 1, n, None, f"a column named '{n}'", "the header has: " + ", ".join(header)))
    for h in extra:
        errors.append(DataError(label, 1, h, None, "only the columns " + ", ".join(names),
                                "remove the column or describe it in datapackage.json"))
    rows = list(reader)
    if not rows and not missing:
        errors.append(DataError(label, 2, None, None, "at least one data row", "the file has a header only"))
    if missing or extra or not rows:
        return None
    return rows


def f_required(fields: list[dict], name: str) -> bool:
    return any(f["name"] == name and f.get("constraints", {}).get("required") for f in fields)


_FK_NOTE = re.compile(r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)"')


def _frictionless_errors(data_dir: Path, schema: dict, resources: list[str]) -> list[DataError]:
    from frictionless import Package

    descriptor = json.loads(json.dumps(schema))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in resources]
    for r in descriptor["resources"]:
        r["encoding"] = "utf-8-sig"
        # frictionless cannot check foreign keys into a resource that was left out
        names = {x["name"] for x in descriptor["resources"]}
        r["schema"]["foreignKeys"] = [fk for fk in r["schema"].get("foreignKeys", [])
                                      if fk["reference"]["resource"] in names]
    package = Package(descriptor, basepath=str(data_dir.resolve()))
    report = package.validate()
    out = []
    for task in report.tasks:
        label = f"{data_dir.name}/{Path(task.place).name}" if task.place else task.name
        for e in task.errors:
            out.append(_convert(e, label))
    return out


def _convert(e, label: str) -> DataError:
    line = getattr(e, "row_number", None)
    column = getattr(e, "field_name", None)
    cell = getattr(e, "cell", None)
    note = getattr(e, "note", "") or e.message
    if e.type == "foreign-key":
        m = _FK_NOTE.search(note)
        if m:
            column, cell = m.group(1), m.group(2)
            return DataError(label, line, column, cell, f"a value listed in {m.group(3)}.csv",
                             f"unknown {column} {cell!r}: add it to {m.group(3)}.csv"
                             + (" (GACC partner codes: run `rebook import gacc`)" if cell.isdigit() else ""))
    if e.type == "primary-key":
        return DataError(label, line, None, None, "one row per key", note.replace("position", "line"))
    if e.type == "type-error":
        hint = "remove thousands separators" if cell and re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", str(cell)) else ""
        kind = re.search(r'type is "(\w+)', note)
        return DataError(label, line, column, cell, f"a {kind.group(1) if kind else 'valid'} value", hint)
    if e.type == "constraint-error":
        m = re.search(r'constraint "(\w+)" is "(.*)"', note)
        expected = {"enum": lambda v: "one of " + v.strip("[]").replace("'", ""),
                    "minimum": lambda v: f"a value of at least {v}",
                    "pattern": lambda v: f"text matching {v}",
                    "required": lambda v: "a value (the column is required)",
                    "unique": lambda v: "a value not used on another line"}
        if m and m.group(1) in expected:
            return DataError(label, line, column, cell, expected[m.group(1)](m.group(2)))
        return DataError(label, line, column, cell, note.replace('"', ""))
    return DataError(label, line, column, None if cell is None else str(cell), e.type, note)


def _check_rows(label: str, name: str, rows: list[dict], schema: dict, ids: dict[str, set[str]]) -> list[DataError]:
    out = []
    resource = next(r for r in schema["resources"] if r["name"] == name)
    for fk in resource["schema"].get("listForeignKeys", []):
        known = ids.get(fk["reference"]["resource"], set())
        for line, row in enumerate(rows, start=2):
            for item in filter(None, (row.get(fk["field"]) or "").split(fk["separator"])):
                if item not in known:
                    out.append(DataError(label, line, fk["field"], item,
                                         f"an id listed in {fk['reference']['resource']}.csv",
                                         "add the source to sources.csv or fix the id"))
    if "period" in resource_field_names(resource):
        for line, row in enumerate(rows, start=2):
            try:
                months_of(row.get("period", ""))
            except PeriodError as exc:
                if "/" in row.get("period", "") and "before it starts" in str(exc):
                    out.append(DataError(label, line, "period", row["period"], "a span that ends after it starts"))
    if name == "prices":
        for line, row in enumerate(rows, start=2):
            try:
                if float(row["high"]) < float(row["low"]):
                    out.append(DataError(label, line, "high", row["high"], f"at least low ({row['low']})"))
            except ValueError:
                pass  # reported by the type check
    return out


def resource_field_names(resource: dict) -> list[str]:
    return [f["name"] for f in resource["schema"]["fields"]]


def validate_data_dir(data_dir: Path | str) -> None:
    """Raises DataValidationError listing every problem in the folder; returns None when clean."""
    from .checks import consistency_errors

    data_dir = Path(data_dir)
    schema = load_schema(data_dir)
    errors: list[DataError] = []
    parsed: dict[str, list[dict]] = {}
    for resource in schema["resources"]:
        label = f"{data_dir.name}/{resource['path']}"
        path = data_dir / resource["path"]
        if not path.exists():
            errors.append(DataError(label, None, None, None, "the file to exist", f"the data folder {data_dir} lacks it"))
            continue
        text = _read_text(path, label, errors)
        if text is None:
            continue
        rows = _check_header(text, resource["schema"]["fields"], label, errors)
        if rows is not None:
            parsed[resource["name"]] = rows
    if not parsed:
        raise DataValidationError(errors)
    ids = {"sources": {r["source_id"] for r in parsed.get("sources", [])}}
    schema_errors = _frictionless_errors(data_dir, schema, list(parsed))
    errors.extend(schema_errors)
    for name, rows in parsed.items():
        errors.extend(_check_rows(f"{data_dir.name}/{name}.csv", name, rows, schema, ids))
    if not schema_errors and "observations" in parsed:
        errors.extend(consistency_errors(parsed["observations"], f"{data_dir.name}/observations.csv"))
    if errors:
        raise DataValidationError(sorted(set(errors), key=lambda e: (e.file, e.line or 0, e.column or "")))
