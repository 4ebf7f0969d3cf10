"""Validation of a data folder against `datapackage.json`, with errors an analyst can act on.

The schema in `datapackage.json` is the single source of truth: types, required fields, enums,
patterns, primary and foreign keys are checked by the `frictionless` library. Around it come
what a schema cannot express or says poorly: the file itself (encoding, quotes, blank lines,
cells per line, the header), numbers written in full (no thousands separators, no NaN),
periods and dates that exist, list-valued foreign keys (`source_ids`), figures resting only on
weak or excluded pages, story dates without their agency, price ranges, shares above 100 %,
scheduled events without their reason, partners above the world total and totals
contradicted by their months (consistency.py).
Every problem in every file is collected and reported at once, each naming the file, the line
(as an editor counts them), the column, the value found, what was expected and a hint.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.periods import PERIOD_PATTERN, PeriodError, months_of, period_for

SCHEMA_FILE = "datapackage.json"
DEFAULT_SCHEMA = Path(__file__).resolve().parents[3] / "data" / SCHEMA_FILE
SHOWN_PER_FILE = 50  # a file whose layout is off yields an error per cell; the first ones suffice

NUMBER_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")
INTEGER_RE = re.compile(r"-?[0-9]+")
SEPARATORS = "[, '_\u00a0\u202f]"
THOUSANDS_RE = re.compile(r"-?[0-9]{1,3}(" + SEPARATORS + r"[0-9]{3})+(\.[0-9]+)?")
DECIMAL_COMMA_RE = re.compile(r"-?[0-9]+,[0-9]+")
NOT_A_NUMBER = {"nan", "na", "n/a", "n.a.", "null", "none", "-", "—", "inf", "-inf", "+inf", "infinity"}
PATTERN_HINTS = {
    "source_ids": "ids from sources.csv separated by ';' with no spaces (lower-case letters, digits, hyphens)",
    "url": "an address starting with http:// or https:// (the book links to nothing else)",
    "partner": "an upper-case code of 2 to 6 letters or digits, e.g. USA or EU27",
    "product": "a code of lower-case letters, digits and underscores, e.g. magnets",
    "source_id": "lower-case letters, digits and hyphens",
    "qualifier": "how the pages state the quote: about, over, under, at least or ask price, '; ' between several",
}
UNNAMED_TIERS = ("weak", "excluded")


@dataclass(frozen=True, order=True)
class DataError:
    file: str
    line: int | None
    column: str | None  # several columns (a key) are joined with ", "
    value: str | None
    expected: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        if self.column:
            where += f", columns {self.column}" if ", " in self.column else f", column '{self.column}'"
        found = f": value {self.value!r}" if self.value is not None else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}{found}: expected {self.expected}{hint}"


class DataValidationError(ValueError):
    """Raised with every problem found; `errors` holds them all, the message lists them."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(set(errors), key=_order)
        lines = [f"{len(self.errors)} problem(s) in the data:"]
        per_file: dict[str, int] = {}
        for e in self.errors:
            per_file[e.file] = per_file.get(e.file, 0) + 1
            if per_file[e.file] <= SHOWN_PER_FILE:
                lines.append(f"  - {e}")
        for name, n in per_file.items():
            if n > SHOWN_PER_FILE:
                lines.append(f"  - {name}: {n - SHOWN_PER_FILE} more problem(s) not shown; "
                             "fix the first ones (often one cause, such as a shifted column) and validate again")
        super().__init__("\n".join(lines))


def _order(e: DataError) -> tuple:
    return (e.file, e.line or 0, e.column or "", e.expected, e.value or "")


@dataclass
class Table:
    """A file that parsed: well-formed rows by column name, and the line each starts on."""

    name: str
    label: str
    rows: list[dict[str, str]]
    lines: list[int]


def load_schema(data_dir: Path) -> dict:
    """The folder's own datapackage.json, or the project's when the folder has none."""
    path = data_dir / SCHEMA_FILE
    if not path.exists():
        path = DEFAULT_SCHEMA
    return json.loads(path.read_text(encoding="utf-8"))


# --- the file: encoding, CSV structure, header ------------------------------------------------

def _records(text: str) -> list[tuple[int, list[str]]]:
    """(start line, cells) per CSV record; raises csv.Error with the start line in `args[1]`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out, previous_end = [], 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise csv.Error(str(exc), previous_end + 1) from None
        out.append((previous_end + 1, cells))
        previous_end = reader.line_num


def _guess_encoding(raw: bytes) -> tuple[str, str]:
    """(codec, description) of the legacy encoding the bytes most likely are in."""
    runs = re.findall(rb"[\x80-\xff]+", raw)
    if runs and all(len(r) % 2 == 0 for r in runs):
        # Chinese text comes in pairs of high bytes; accented Latin letters are single bytes
        try:
            raw.decode("gb18030")
            return "gb18030", "GB18030 (Chinese Windows, as GACC downloads are; `rebook import gacc` reads those)"
        except UnicodeDecodeError:
            pass
    try:
        raw.decode("cp1252")
        return "cp1252", "Windows-1252 / Latin-1"
    except UnicodeDecodeError:
        return "latin-1", "Latin-1"  # decodes any byte


def _read_text(path: Path, label: str, errors: list[DataError]) -> str | None:
    """The file as text; an encoding that is not UTF-8 is reported at the first cell it garbles."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        errors.append(DataError(label, 1, None, None, "UTF-8 text",
                                "the file is UTF-16 (a byte-order mark FF FE): save it as CSV UTF-8"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column, value = raw[: exc.start].count(b"\n") + 1, None, None
        codec, described = _guess_encoding(raw)
        try:
            garbled, shown = _records(raw.decode("utf-8", errors="replace")), _records(raw.decode(codec))
            header = garbled[0][1]
            for (start, cells), (_, shown_cells) in zip(garbled, shown):
                bad = [i for i, c in enumerate(cells) if "\ufffd" in c]
                if bad:
                    line = start
                    column = header[bad[0]] if bad[0] < len(header) else None
                    value = shown_cells[bad[0]] if bad[0] < len(shown_cells) else None
                    break
        except (csv.Error, IndexError):
            pass  # the line of the first bad byte still locates it
        errors.append(DataError(label, line, column, value, "UTF-8 text",
                                f"the file looks like {described}: save it as CSV UTF-8 "
                                f"(byte 0x{raw[exc.start]:02X} is not UTF-8)"))
        return None


def _close_match(name: str, labels: list[str]) -> str | None:
    for label in labels:
        if label.strip().lower() == name:
            return label
    found = difflib.get_close_matches(name, labels, n=1, cutoff=0.8)
    return found[0] if found else None


def _parse(text: str, resource: dict, label: str, errors: list[DataError]) -> Table | None:
    """Checks the CSV structure and the header; returns the well-formed rows."""
    fields = [f["name"] for f in resource["schema"]["fields"]]
    try:
        records = _records(text)
    except csv.Error as exc:
        message, line = exc.args
        text_lines = text.splitlines()
        bad_line = text_lines[line - 1] if line - 1 < len(text_lines) else ""
        header = next(csv.reader(text_lines[:1]), [])
        quote = bad_line.find('"')
        position = bad_line[:quote].count(",") if quote >= 0 else len(header)
        column = header[position] if position < len(header) else None
        errors.append(DataError(label, line, column, None, "well-formed CSV: " + message,
                                "quotes must come in pairs around a whole cell; a quote inside quoted text "
                                'is written twice ("")'))
        return None
    while records and not any(c.strip() for c in records[-1][1]):
        records.pop()  # blank lines at the end of a file are harmless
    if not records:
        errors.append(DataError(label, 1, None, None, "a header line naming the columns " + ", ".join(fields),
                                "the file is empty"))
        return None
    header = records[0][1]
    problems = []
    for name in sorted({h for h in header if header.count(h) > 1}):
        problems.append(DataError(label, 1, name, None, "each column once", f"'{name}' appears {header.count(name)} times"))
    for name in fields:
        if name not in header:
            near = _close_match(name, [h for h in header if h not in fields])
            problems.append(DataError(label, 1, name, None, f"a column named '{name}' (it may be empty, not absent)",
                                      f"rename '{near}' to '{name}'" if near else "the header has: " + ", ".join(header)))
    for name in header:
        if name not in fields and not (name != name.strip() and name.strip() in fields):
            problems.append(DataError(label, 1, name, None, "only the columns " + ", ".join(fields),
                                      "remove the column or describe it in datapackage.json"))
    if problems:
        errors.extend(problems)
        return None
    body = records[1:]
    if not body:
        errors.append(DataError(label, 2, None, None, "at least one data row", "the file has a header only"))
        return None
    position = {name: header.index(name) for name in fields}
    rows, lines = [], []
    for start, cells in body:
        if not any(c.strip() for c in cells):
            errors.append(DataError(label, start, None, None, "a data row",
                                    "the line is blank: delete it (a blank line inside a table often marks two files pasted together)"))
        elif len(cells) > len(header):
            errors.append(DataError(label, start, None, ",".join(cells[len(header):]),
                                    f"{len(header)} cells, one per column, found {len(cells)}",
                                    "a text containing a comma must be quoted"))
        elif len(cells) < len(header):
            errors.append(DataError(label, start, header[len(cells)], None,
                                    f"{len(header)} cells, one per column, found {len(cells)} "
                                    f"(none from column '{header[len(cells)]}' on)", "a cell is missing: count the commas"))
        else:
            rows.append({name: cells[i] for name, i in position.items()})
            lines.append(start)
    return Table(resource["name"], label, rows, lines)


# --- the schema, by frictionless ---------------------------------------------------------------

_FK_NOTE = re.compile(r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)"')
_PK_NOTE = re.compile(r'position "?(\d+)"?')


def _frictionless_errors(schema: dict, tables: dict[str, Table]) -> list[DataError]:
    from frictionless import Package

    descriptor = json.loads(json.dumps(schema))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in tables]
    for r in descriptor["resources"]:
        table = tables[r["name"]]
        names = [f["name"] for f in r["schema"]["fields"]]
        r["data"] = [names] + [[row[n] for n in names] for row in table.rows]
        for key in ("path", "format", "mediatype", "encoding"):
            r.pop(key, None)
        # frictionless cannot check foreign keys into a file that did not parse
        r["schema"]["foreignKeys"] = [fk for fk in r["schema"].get("foreignKeys", [])
                                      if fk["reference"]["resource"] in tables]
    report = Package(descriptor).validate()
    out = []
    for task in report.tasks:
        table = tables[task.name]
        resource = next(r for r in schema["resources"] if r["name"] == task.name)
        for e in task.errors:
            converted = _convert(e, table, resource)
            if converted is not None:
                out.append(converted)
    return out


def _line(table: Table, row_number: int | None) -> int | None:
    """Physical line of frictionless' row number (the header is row 1)."""
    if row_number is None:
        return None
    return table.lines[row_number - 2] if 2 <= row_number < len(table.lines) + 2 else row_number


def _spaces_hint(value: str | None) -> str:
    return "remove the spaces around the value" if value and value != value.strip() else ""


def _convert(e, table: Table, resource: dict) -> DataError | None:
    label = table.label
    line = _line(table, getattr(e, "row_number", None))
    column = getattr(e, "field_name", None)
    cell = getattr(e, "cell", None)
    cell = None if cell is None else str(cell)
    note = getattr(e, "note", "") or e.message
    primary_key = resource["schema"].get("primaryKey", [])
    if e.type == "foreign-key":
        m = _FK_NOTE.search(note)
        if m:
            column, cell, target = m.group(1), m.group(2), m.group(3)
            hint = _spaces_hint(cell) or f"unknown {column} {cell!r}: add it to {target}.csv or fix the code"
            if target == "partners" and cell.strip().isdigit():
                hint += " (a GACC numeric partner code: `rebook import gacc` maps them to the codes of partners.csv)"
            return DataError(label, line, column, cell, f"a value listed in {target}.csv", hint)
    if e.type == "primary-key":
        row = table.rows[_line_index(table, line)] if _line_index(table, line) is not None else {}
        other = _PK_NOTE.search(note)
        first = _line(table, int(other.group(1))) if other else None
        return DataError(label, line, ", ".join(primary_key), "|".join(row.get(k, "") for k in primary_key),
                         "one row per key", f"line {first} has the same key: keep one of the two" if first else note)
    if e.type == "unique-error" and primary_key == [column]:
        return None  # the primary-key error says it
    if e.type == "type-error":
        kind = re.search(r'type is "(\w+)', note)
        kind = kind.group(1) if kind else "valid"
        if kind == "date":
            return DataError(label, line, column, cell, "a date written YYYY-MM-DD", _date_hint(cell or ""))
        return DataError(label, line, column, cell, f"a value of type {kind}")
    if e.type == "constraint-error":
        m = re.search(r'constraint "(\w+)" is "(.*)"', note)
        name, arg = (m.group(1), m.group(2)) if m else ("", "")
        if name == "enum":
            options = [o.strip(" '") for o in arg.strip("[]").split(",")]
            near = [o for o in options if cell and o.lower() == cell.strip().lower()]
            hint = _spaces_hint(cell) or (f"write {near[0]!r}" if near else "")
            return DataError(label, line, column, cell, "one of " + ", ".join(options), hint)
        if name == "minimum":
            return DataError(label, line, column, cell, f"a value of at least {arg}",
                             "figures are never negative; a month without a figure has no row at all"
                             if arg == "0" else "")
        if name == "pattern":
            return DataError(label, line, column, cell, PATTERN_HINTS.get(column, f"text matching {arg}"),
                             _spaces_hint(cell))
        if name == "required":
            return DataError(label, line, column, cell or "", "a value (the column is required)")
        if name == "unique":
            return DataError(label, line, column, cell, "a value not used on another line")
        return DataError(label, line, column, cell, note.replace('"', ""))
    return DataError(label, line, column, cell, e.type.replace("-", " "), note)


def _line_index(table: Table, line: int | None) -> int | None:
    try:
        return table.lines.index(line)
    except ValueError:
        return None


# --- what the schema cannot say ------------------------------------------------------------------

def _number_problem(text: str, integer: bool, required: bool) -> tuple[str, str] | None:
    """(expected, hint) when a number is not written in full, plain, with ASCII digits."""
    s = text.strip()
    if not s or (INTEGER_RE if integer else NUMBER_RE).fullmatch(s):
        return None
    expected = "a whole number" if integer else "a number written in full, e.g. 1234.5"
    if s.lower() in NOT_A_NUMBER:
        return expected, ("a month without a figure has no row at all, never NaN, a dash or infinity" if required
                          else "leave the cell empty when there is no value")
    if THOUSANDS_RE.fullmatch(s):
        return expected, f"remove the thousands separators ({s} -> {re.sub(SEPARATORS, '', s)})"
    if DECIMAL_COMMA_RE.fullmatch(s):
        return expected, f"use a point as the decimal separator ({s} -> {s.replace(',', '.')})"
    if re.fullmatch(r"-?[0-9.]+[eE][+-]?[0-9]+", s):
        return expected, "write the number without an exponent"
    if any(c.isdigit() and not c.isascii() for c in s):
        return expected, "use the digits 0-9 (the cell has full-width or other non-ASCII digits)"
    if s.startswith("+") and (INTEGER_RE if integer else NUMBER_RE).fullmatch(s[1:]):
        return expected, "drop the plus sign"
    if re.search(r"[0-9]", s):
        return expected, "the number alone: units and currencies have their own column"
    return expected, ""


def _date_hint(text: str) -> str:
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text.strip()):
        return "write dates as YYYY-MM-DD (day and month order is ambiguous)"
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if m:
        try:
            dt.date(*map(int, m.groups()))
        except ValueError as exc:
            return f"{text} is not a day of the calendar ({exc})"
    return ""


def _period_problem(text: str) -> tuple[str, str] | None:
    expected = "a period: YYYY-MM (a month, 01 to 12), YYYY (a year) or YYYY-MM/YYYY-MM (an inclusive span)"
    try:
        months = months_of(text)
    except PeriodError as exc:
        m = re.search(r"\d{4}-(\d{2})", text)
        if "before it starts" in str(exc):
            return "a span that ends after it starts", str(exc)
        if m and not 1 <= int(m.group(1)) <= 12:
            return expected, f"month {m.group(1)} does not exist"
        return expected, _spaces_hint(text)
    canonical = period_for(months)
    if canonical != text:
        return f"the period written as {canonical!r}", "one notation per period, so a total cannot be entered twice"
    return None


def _cell_errors(table: Table, resource: dict, ids: dict) -> list[DataError]:
    out = []
    fields = resource["schema"]["fields"]
    for row, line in zip(table.rows, table.lines):
        for f in fields:
            name, text = f["name"], row[f["name"]]
            if f["type"] in ("number", "integer"):
                problem = _number_problem(text, f["type"] == "integer", f.get("constraints", {}).get("required", False))
                if problem:
                    out.append(DataError(table.label, line, name, text, *problem))
            pattern = f.get("constraints", {}).get("pattern")
            if pattern == PERIOD_PATTERN and text:
                problem = _period_problem(text)
                if problem:
                    out.append(DataError(table.label, line, name, text, *problem))
            if name == "date" and f["type"] == "string" and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
                try:
                    dt.date.fromisoformat(text if len(text) == 10 else text + "-01")
                except ValueError:
                    out.append(DataError(table.label, line, name, text, "a date that exists, YYYY-MM-DD or YYYY-MM",
                                         _date_hint(text)))
    for fk in resource["schema"].get("listForeignKeys", []):
        target = fk["reference"]["resource"]
        if target not in ids:
            continue  # the referenced file did not parse: its own errors say why
        for row, line in zip(table.rows, table.lines):
            for item in filter(None, row[fk["field"]].split(fk["separator"])):
                if item not in ids[target]:
                    out.append(DataError(table.label, line, fk["field"], item, f"an id listed in {target}.csv",
                                         _spaces_hint(item) or "add the source to sources.csv or fix the id"))
    if table.name == "observations":
        for row, line in zip(table.rows, table.lines):
            if row["unit"] == "pct" and NUMBER_RE.fullmatch(row["value"].strip()) and float(row["value"]) > 100:
                out.append(DataError(table.label, line, "value", row["value"], "a share of at most 100 (unit pct)",
                                     "a share in percent of all destinations cannot exceed the whole"))
    if table.name == "events":
        for row, line in zip(table.rows, table.lines):
            if row["status"] == "scheduled" and not row["note"].strip():
                out.append(DataError(table.label, line, "note", row["note"], "the reason a scheduled event's outcome is not given",
                                     "curation/event_status.csv gives it; a scheduled event never stands without it"))
    if table.name in ("observations", "prices"):
        for row, line in zip(table.rows, table.lines):
            if row["story_date"].strip() and not row["agency"].strip():
                out.append(DataError(table.label, line, "story_date", row["story_date"], "the agency whose story it dates",
                                     "a story date belongs to an agency's story: fill `agency` or empty the date"))
        tiers = ids.get("tiers", {})
        for row, line in zip(table.rows, table.lines):
            cited = [i for i in row["source_ids"].split(";") if i in tiers]
            if cited and all(tiers[i] in UNNAMED_TIERS for i in cited):
                out.append(DataError(table.label, line, "source_ids", row["source_ids"],
                                     "at least one page that is neither weak nor excluded",
                                     "a weak page never sets a value alone, and an excluded page sets none"))
    if table.name == "prices":
        for row, line in zip(table.rows, table.lines):
            if NUMBER_RE.fullmatch(row["low"].strip()) and NUMBER_RE.fullmatch(row["high"].strip()):
                if float(row["high"]) < float(row["low"]):
                    out.append(DataError(table.label, line, "high", row["high"], f"at least low ({row['low'].strip()})",
                                         "low and high are swapped?"))
    return out


def validate_data_dir(data_dir: Path | str) -> None:
    """Raises DataValidationError listing every problem in the folder; returns None when clean."""
    from .consistency import consistency_errors

    data_dir = Path(data_dir)
    schema = load_schema(data_dir)
    errors: list[DataError] = []
    tables: dict[str, Table] = {}
    for resource in schema["resources"]:
        label = f"{data_dir.name}/{resource['path']}"
        path = data_dir / resource["path"]
        if not path.exists():
            errors.append(DataError(label, None, None, None, "the file to exist", f"the data folder {data_dir} lacks it"))
            continue
        text = _read_text(path, label, errors)
        if text is not None:
            table = _parse(text, resource, label, errors)
            if table is not None:
                tables[resource["name"]] = table
    if tables:
        ids = {"sources": {r["source_id"] for r in tables["sources"].rows},
               "tiers": {r["source_id"]: r["reliability"] for r in tables["sources"].rows}} if "sources" in tables else {}
        own = [e for name, t in tables.items()
               for e in _cell_errors(t, next(r for r in schema["resources"] if r["name"] == name), ids)]
        seen = {(e.file, e.line, e.column) for e in own}
        # a cell our own checks explain is not reported again in frictionless' words
        errors.extend(own + [e for e in _frictionless_errors(schema, tables) if (e.file, e.line, e.column) not in seen])
        if "observations" in tables:
            obs = tables["observations"]
            bad = {e.line for e in errors if e.file == obs.label}
            keep = [i for i, line in enumerate(obs.lines) if line not in bad]
            errors.extend(consistency_errors([obs.rows[i] for i in keep], obs.label, [obs.lines[i] for i in keep]))
    if errors:
        raise DataValidationError(errors)
