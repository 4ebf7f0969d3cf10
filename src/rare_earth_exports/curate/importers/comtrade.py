"""UN Comtrade Plus downloads (the UI's CSV or the API's JSON) turned into observations.

Both share one camelCase schema whose spelling varies (`isnetWgtEstimated`, `cifValue`/`CIFValue`),
so columns are matched without regard to case (ropensci/comtradr, data-raw/DATASET.R, lists the variants).
Comtrade is six-digit HS only: HS 850511 also holds non-rare-earth magnets, so its rows go to
their own product, `magnets_hs6`, and never overwrite the GACC 85051110 series.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...core.periods import Month, PeriodError, YEAR_RE
from . import ImportResult, Problem, UnreadableFile, observation, row_key
from .limits import csv_records, file_problems, long_line

FLOWS = {"X": "export", "M": "import"}
# HS6 -> (product, note). Only a heading that matches one product is mapped: 2805.30 and 2846.90
# hold every element, so they cannot say which one.
HS6_PRODUCTS = {
    "850511": ("magnets_hs6", "HS6 850511 (permanent magnets of metal) also includes non-rare-earth "
                          "magnets such as alnico; GACC 85051110 is rare-earth magnets alone"),
}
# Breakdown columns and the code of their total; a row for anything else is a part of a total.
TOTALS = {"partner2Code": "0", "customsCode": "C00", "motCode": "0"}
REQUIRED = ("reporterCode", "partnerCode", "flowCode", "cmdCode")


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def read_records(path: Path) -> list[tuple[int | str, dict[str, str]]]:
    """(line or `data[i]`, record with lower-case keys) for a Comtrade CSV or JSON file.

    The API's JSON is one long line, so only a CSV's lines are held to the length limit; a CSV
    line or cell over it raises UnreadableFile. A CSV record is read as csv.DictReader would:
    blank lines skipped, missing cells empty, cells beyond the header dropped.
    """
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    if text.lstrip().startswith("{"):
        records = json.loads(text).get("data")
        if not isinstance(records, list):
            raise ValueError(f"'data' is {records!r}, not a list of records")
        return [(f"data[{i}]", {k.lower(): _text(v) for k, v in rec.items()}) for i, rec in enumerate(records)]
    too_long = long_line(path, data)
    if too_long:
        raise UnreadableFile(too_long)
    rows = [(n, cells) for n, cells in csv_records(path, text) if cells]
    if not rows:
        return []
    header = [name.lower() for name in rows[0][1]]
    return [(n, {name: _text(cells[i]) if i < len(cells) else "" for i, name in enumerate(header) if name})
            for n, cells in rows[1:]]


def _period(rec: dict[str, str]) -> str | None:
    """`YYYY` for annual rows (freqCode A, refMonth 52), else `YYYY-MM`; None if unreadable."""
    year, month, period = rec.get("refyear", ""), rec.get("refmonth", ""), rec.get("period", "")
    if rec.get("freqcode", "").upper() == "A" or month == "52":
        year = year or period[:4]
        return year if YEAR_RE.match(year) else None
    if not (year and month):
        year, month = period[:4], period[4:]
    try:
        return str(Month.parse(f"{year}-{int(month):02d}"))
    except (ValueError, PeriodError):
        return None


def _excluded(rec: dict[str, str], known_products: set[str]) -> str | None:
    """Why a well-formed row is left out: a part of a total, another flow, or another product."""
    for name, total in TOTALS.items():
        if rec.get(name.lower(), total) not in (total, ""):
            return f"{name} {rec[name.lower()]} is a breakdown, not the total ({total})"
    if rec["flowcode"].upper() not in FLOWS:
        return f"flowCode {rec['flowcode']} is neither X (export) nor M (import)"
    if HS6_PRODUCTS.get(rec["cmdcode"], ("",))[0] not in known_products:
        return f"cmdCode {rec['cmdcode']} maps to no product (mapped: {', '.join(HS6_PRODUCTS)})"
    return None


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_comtrade(path, *, source_id: str, partners: list[dict], products: list[dict]) -> ImportResult:
    """Rows of one Comtrade Plus file; netWgt becomes tonnes and primaryValue USD."""
    path = Path(path)
    where = str(path)
    result = ImportResult(errors=file_problems(path))
    if result.errors:
        return result
    try:
        records = read_records(path)
    except UnreadableFile as exc:
        result.errors.append(exc.problem)
        return result
    except (ValueError, AttributeError) as exc:
        result.errors.append(Problem(where, 1, "(file)", type(exc).__name__,
                                     "a Comtrade Plus CSV or API JSON ({\"data\": [...]})", str(exc)))
        return result
    if records:
        for name in REQUIRED:
            if name.lower() not in records[0][1]:
                result.errors.append(Problem(where, 1, name, "(absent)", f"a column {name} (any case)"))
    if result.errors:
        return result

    country_of = {r["un_code"]: r["partner"] for r in partners if r["un_code"]}
    known_products = {p["product"] for p in products}
    first_line: dict[tuple, int | str] = {}
    for n, rec in records:
        reason = _excluded(rec, known_products)
        if reason:
            result.skipped.append((n, reason))
            continue
        flow = FLOWS[rec["flowcode"].upper()]
        product, note = HS6_PRODUCTS[rec["cmdcode"]]

        errors_before = len(result.errors)
        codes = {}
        for name in ("reporterCode", "partnerCode"):
            codes[name] = country_of.get(rec[name.lower()])
            if codes[name] is None:
                result.errors.append(Problem(
                    where, n, name, rec[name.lower()], "a UN country code listed in data/partners.csv un_code",
                    f"unknown {name[:-4]} code {rec[name.lower()]}: Comtrade codes are mapped through "
                    "data/partners.csv un_code (0 is WLD); add the country there"))
        period = _period(rec)
        if period is None:
            result.errors.append(Problem(where, n, "refYear/refMonth/period",
                                         f"{rec.get('refyear', '')}/{rec.get('refmonth', '')}/{rec.get('period', '')}",
                                         "refYear and refMonth (52 for a year), or period as YYYY or YYYYMM"))
        key = (period, codes["reporterCode"], codes["partnerCode"], flow, product)
        if key in first_line:
            result.errors.append(Problem(where, n, "cmdCode", rec["cmdcode"],
                                         f"one row per period, reporter, partner, flow and cmdCode; {first_line[key]} is the same"))
        if len(result.errors) > errors_before:
            continue
        first_line[key] = n

        for column, unit, scale, estimated in (("netWgt", "t", 1000, "isnetwgtestimated"),
                                               ("primaryValue", "USD", 1, "")):
            text = rec.get(column.lower(), "")
            value = _amount(text)
            if value is None:
                result.skipped.append((n, f"{column} is '{text}': missing is not zero, so no {unit} row"))
                continue
            row_note = note
            if estimated and rec.get(estimated, "").lower() == "true":
                row_note += f"; {column} estimated by UN Comtrade"
            result.rows.append(observation(period, codes["reporterCode"], codes["partnerCode"], flow,
                                           product, unit, value / scale, source_id, row_note))
    result.rows.sort(key=row_key)
    return result
