"""China Customs (GACC) online-query downloads turned into observations.

The files come from the manual query at stats.customs.gov.cn (headers as turbanisch/chinautils,
data-raw/cc_variable_names.R, lists them): CSV in GB18030 or UTF-8, or Excel; Chinese or
English headers; a trailing comma on every line; thousands separators; `?` for missing. They say
neither the flow (a query choice, so the caller gives it) nor, unless "分月展示" was ticked, the
month. Columns the package does not use (names, regime, province, the supplementary quantity
under either spelling) are ignored, so lines that differ only by regime or province are summed.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...core.periods import Month, PeriodError, months_of
from . import ImportResult, Problem, UnreadableFile, observation, row_key
from .limits import csv_records, file_problems, long_line

# Header (stripped, lower-case) -> field. Chinese names from the query system, English from its
# English interface (turbanisch/chinautils data-raw/cc_variable_names.R).
COLUMNS = {
    "数据年月": "date", "date of data": "date",
    "商品编码": "code", "commodity code": "code",
    "贸易伙伴编码": "partner", "trading partner code": "partner",
    "第一数量": "quantity", "quantity": "quantity",
    "第一计量单位": "unit", "unit": "unit",
    "美元": "usd", "us dollar": "usd",
    "人民币": "cny", "renminbi yuan": "cny", "renminbi": "cny",
}
REQUIRED = ("code", "quantity", "unit")
KILOGRAM = {"千克", "kilogram", "kilograms", "kg"}
MISSING = {"?", "？", ""}
# Products the package keeps in kilograms (small heavy-rare-earth volumes, as the press relays
# them); every other product's series is in tonnes.
KG_PRODUCTS = {"dysprosium", "terbium"}
ROW_LIMIT = 10_000  # the query system cuts files off here
FLOWS = ("export", "import")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030, GACC's own."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _excel_cell(value) -> str:
    """Excel stores codes as numbers: 85051110.0 must read back as '85051110'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_lines(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) for every line of a CSV or Excel download, header included.

    Raises UnreadableFile for a workbook the Excel reader refuses, or a line or cell over the
    length limit (see `limits`).
    """
    where = str(path)
    if path.suffix.lower() in (".xls", ".xlsx"):
        import pandas  # only Excel needs it, and it is slow to import

        try:
            frame = pandas.read_excel(path, header=None, dtype=object)
        except Exception as exc:  # whatever the Excel readers raise, the workbook is not one they can read
            raise UnreadableFile(Problem(where, 1, "(file)", type(exc).__name__, "an Excel workbook (.xlsx or .xls)",
                                         f"the Excel reader says: {exc}")) from exc
        return [(n, [_excel_cell(v) for v in row]) for n, row in enumerate(frame.itertuples(index=False), 1)]
    data = path.read_bytes()
    too_long = long_line(path, data)
    if too_long:
        raise UnreadableFile(too_long)
    return csv_records(path, decode(data))


def _number(text: str) -> Decimal | None:
    """'5,848,714' -> 5848714; '?' -> None (missing, which is not zero); raises on anything else."""
    text = text.strip()
    if text in MISSING:
        return None
    value = Decimal(text.replace(",", ""))
    if not value.is_finite() or value < 0:
        raise InvalidOperation(text)
    return value


def _codes(product: dict) -> list[str]:
    return [c.strip() for c in product["gacc_codes"].split(";") if c.strip()]


def read_gacc(path, *, flow: str, period: str | None = None, source_id: str,
              partners: list[dict], products: list[dict]) -> ImportResult:
    """Rows of one GACC download; `period` is required when the file has no 数据年月 column."""
    if flow not in FLOWS:
        raise ValueError(f"flow {flow!r}: expected one of {', '.join(FLOWS)}")
    if period is not None:
        months_of(period)
    path = Path(path)
    result = ImportResult(errors=file_problems(path))
    where = str(path)
    if result.errors:
        return result
    try:
        lines = [(n, cells) for n, cells in read_lines(path) if any(c.strip() for c in cells)]
    except UnicodeDecodeError as exc:
        result.errors.append(Problem(where, 1, "(file)", repr(exc.object[exc.start:exc.end]),
                                     "UTF-8 or GB18030 text"))
        return result
    except UnreadableFile as exc:
        result.errors.append(exc.problem)
        return result
    if not lines:
        result.errors.append(Problem(where, 1, "(header)", "", "a header line"))
        return result

    header_line, header = lines[0]
    cols: dict[str, tuple[int, str]] = {}
    for i, name in enumerate(header):
        name = name.strip()
        if name.lower() in COLUMNS:
            cols.setdefault(COLUMNS[name.lower()], (i, name))
    shown = ", ".join(h.strip() for h in header if h.strip())
    for need in REQUIRED:
        if need not in cols:
            names = " or ".join(k for k, v in COLUMNS.items() if v == need)
            result.errors.append(Problem(where, header_line, names, "(absent)", f"a column {names}",
                                         f"the header has: {shown}"))
    currency = "usd" if "usd" in cols else "cny" if "cny" in cols else None
    if currency is None:
        result.errors.append(Problem(where, header_line, "美元 or US dollar", "(absent)",
                                     "a value column (美元/US dollar or 人民币/Renminbi Yuan)",
                                     f"the header has: {shown}"))
    if "date" not in cols and period is None:
        result.errors.append(Problem(
            where, header_line, "数据年月 or Date of data", "(absent)",
            "a 数据年月/Date of data column, or the period from the caller",
            "the file was downloaded without 分月展示 (monthly display): give the period it covers, e.g. 2025-10"))
    if result.errors:
        return result
    if currency == "cny":
        result.notes.append(f"values are in {cols['cny'][1]} (CNY): the data package has no CNY unit, "
                            "so only quantities were imported")
    if len(lines) - 1 >= ROW_LIMIT:
        result.notes.append(f"the file has {len(lines) - 1} data lines, the query system's cut-off: "
                            "check it was not truncated and import the rest from a second query")

    products_of: dict[str, list[str]] = defaultdict(list)
    for p in products:
        for code in _codes(p):
            products_of[code].append(p["product"])
    partner_of = {r["gacc_code"]: r["partner"] for r in partners if r["gacc_code"]}

    totals: dict[tuple, list[Decimal | None]] = defaultdict(list)
    lines_of: dict[tuple, list[int]] = defaultdict(list)
    seen_codes: set[str] = set()
    for n, cells in lines[1:]:
        def cell(name: str) -> str:
            i = cols[name][0]
            return cells[i].strip() if i < len(cells) else ""

        def problem(name: str, value: str, expected: str, hint: str = "") -> None:
            result.errors.append(Problem(where, n, cols[name][1], value, expected, hint))

        errors_before = len(result.errors)
        code = cell("code")
        if len(code) == 10 and code.isdigit():
            code = code[:8]  # a 10-digit tariff code; the statistics are 8-digit
        if not (len(code) == 8 and code.isdigit()):
            problem("code", cell("code"), "an 8-digit commodity code (10-digit codes are cut to 8)")

        partner = "WLD"  # no partner column: the query was not grouped by partner
        if "partner" in cols:
            partner = partner_of.get(cell("partner"), "")
            if not partner:
                problem("partner", cell("partner"), "a GACC partner code listed in data/partners.csv gacc_code",
                        f"unknown partner code {cell('partner')}: GACC partner codes are mapped through "
                        "data/partners.csv gacc_code; add the partner's code there")

        row_period = period
        if "date" in cols:
            date = cell("date")
            try:
                row_period = str(Month.parse(f"{date[:4]}-{date[4:]}")) if len(date) == 6 else None
            except PeriodError:
                row_period = None
            if row_period is None:
                problem("date", date, "a month as YYYYMM, e.g. 202510")
            elif period is not None and row_period != period:
                problem("date", date, f"the period given by the caller ({period})")

        amounts: dict[str, Decimal | None] = {}
        for name in ("quantity", "usd") if currency == "usd" else ("quantity",):
            try:
                amounts[name] = _number(cell(name))
            except InvalidOperation:
                problem(name, cell(name), "a non-negative number (thousands separators allowed) or ? for missing")
        if amounts.get("quantity") is not None and cell("unit").lower() not in KILOGRAM:
            problem("unit", cell("unit"), "千克 or Kilogram (the quantity unit of rare-earth codes)")
        if len(result.errors) > errors_before:
            continue

        names = products_of.get(code)
        if not names:
            result.skipped.append((n, f"commodity code {code} is in no product's gacc_codes in data/products.csv"))
            continue
        seen_codes.add(code)
        for product in names:
            totals[(row_period, partner, product, "kg" if product in KG_PRODUCTS else "t")].append(amounts["quantity"])
            if "usd" in amounts:
                totals[(row_period, partner, product, "USD")].append(amounts["usd"])
            lines_of[(row_period, partner, product)].append(n)
        for name, value in amounts.items():
            if value is None:
                what = "quantity" if name == "quantity" else "USD"
                result.skipped.append((n, f"column '{cols[name][1]}' is '{cell(name)}': missing is not zero, "
                                          f"so {row_period} {partner} {' and '.join(names)} gets no {what} total"))

    for (row_period, partner, product, unit), values in totals.items():
        if None in values:
            continue
        total = sum(values, Decimal(0))
        if unit == "t":
            total /= 1000
        result.rows.append(observation(row_period, "CHN", partner, flow, product, unit, total, source_id))
    result.rows.sort(key=row_key)
    for (row_period, partner, product), numbers in lines_of.items():
        if len(numbers) > 1:
            result.notes.append(f"{row_period} {partner} {product}: {len(numbers)} lines summed "
                                f"(lines {', '.join(map(str, numbers))})")
    for p in products:
        codes = _codes(p)
        absent = [c for c in codes if c not in seen_codes]
        if absent and len(absent) < len(codes):
            result.notes.append(f"{p['product']} sums codes {'; '.join(codes)} but the file has no line for "
                                f"{'; '.join(absent)}: if they were not in the query, its totals are understated")
    return result
