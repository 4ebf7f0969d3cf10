"""Full customs extracts (millions of rows) loaded, validated and aggregated with DuckDB.

The curated tables in `data/` are small and pandas handles them. A full extract (every month x
partner x eight-digit code) is not: it is read from Parquet by DuckDB, which scans columns in
parallel within a memory limit, and only the aggregates (one row per month x product x partner)
come back to pandas, ready for a chart.

The rules are the curated package's: required columns, months as YYYY-MM, partners and codes
that the reference lists know, non-negative values, one row per key. A row that breaks a rule
is reported (a count and the first rows, with their row numbers in the file), never dropped;
aggregation refuses an extract that did not validate cleanly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ..core.series import mom_pct, share_pct

# One row per month x partner x eight-digit commodity code x flow. An empty value is a gap
# (not published), which is not zero.
COLUMNS = {"period": "text", "partner": "text", "code": "text", "flow": "text",
           "quantity": "number", "value_usd": "number"}
KEY = ("period", "partner", "code", "flow")
MEASURES = ("quantity", "value_usd")
FLOWS = ("export", "import")
TEXT_TYPES = ("VARCHAR",)
NUMBER_TYPES = ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT",
                "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")
EXAMPLES = 5
VIEW = "extract"


class ExtractError(ValueError):
    """An extract that cannot be aggregated; the message lists every problem."""


@dataclass(frozen=True)
class ExtractProblem:
    """Rows that break one rule: how many, and the first few (row numbers count from 1)."""

    rule: str
    column: str | None
    expected: str
    count: int
    examples: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)

    def __str__(self) -> str:
        where = f"column '{self.column}'" if self.column else "the file"
        rows = ""
        if len(self.examples) and "row" in self.examples:
            rows = "; first rows: " + ", ".join(str(r) for r in self.examples["row"])
        count = f"{self.count:,} row(s): " if self.count else ""
        return f"{where}: {count}expected {self.expected}{rows}"


@dataclass(frozen=True)
class ExtractReport:
    """What validation found; `ok` only when every rule held on every row."""

    rows: int
    problems: tuple[ExtractProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return f"{self.rows:,} rows: valid"
        return "\n".join([f"{self.rows:,} rows, {len(self.problems)} problem(s):"] + [f"  - {p}" for p in self.problems])


@dataclass(frozen=True)
class ExtractAggregates:
    """Small frames for the book: per product x partner, and world totals with their changes."""

    monthly: pd.DataFrame   # flow, product, partner, period, quantity, value_usd, rows, missing, share_pct
    world: pd.DataFrame     # flow, product, period, quantity, value_usd, rows, missing, *_mom_pct


def connect(memory_limit: str = "2GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to disk rather than exceed `memory_limit`."""
    con = duckdb.connect(config={"memory_limit": memory_limit})
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_extract(path: str | Path, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """Registers the Parquet file (or glob) as the view `extract`, read lazily, column by column.

    `row` is the row's position in the file counted from 1, so a problem names the row to fix.
    """
    con.execute(f"CREATE OR REPLACE VIEW {VIEW} AS SELECT *, file_row_number + 1 AS row "
                f"FROM read_parquet({_literal(str(path))}, file_row_number = true)")
    return con.table(VIEW)


def product_codes(products: pd.DataFrame) -> pd.DataFrame:
    """code -> product from products.csv's `gacc_codes` (eight-digit codes separated by ';')."""
    pairs = [(code.strip(), product) for product, codes in zip(products["product"], products["gacc_codes"])
             for code in str(codes).split(";") if code.strip()]
    return pd.DataFrame(pairs, columns=["code", "product"]).drop_duplicates("code").reset_index(drop=True)


def known_partners(partners: pd.DataFrame) -> pd.DataFrame:
    """Partner codes a row may carry: countries only, since aggregates (WLD, EU27) are computed."""
    keep = partners["kind"] != "aggregate" if "kind" in partners else pd.Series(True, index=partners.index)
    return partners.loc[keep, ["partner"]].drop_duplicates().reset_index(drop=True)


def _structure(con: duckdb.DuckDBPyConnection) -> list[ExtractProblem]:
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {VIEW})").fetchall())
    problems = []
    for name, kind in COLUMNS.items():
        if name not in types:
            problems.append(ExtractProblem("missing column", name, f"a column named '{name}'", 0))
            continue
        allowed = TEXT_TYPES if kind == "text" else NUMBER_TYPES
        if not any(types[name].startswith(t) for t in allowed):
            problems.append(ExtractProblem("column type", name, f"a {kind} column, found {types[name]}", 0))
    return problems


def _row_rules() -> list[tuple[str, str, str, str]]:
    """(rule, column, expected, SQL condition that marks a bad row) over the joined extract."""
    flows = ", ".join(_literal(f) for f in FLOWS)
    rules = [
        ("period", "period", "a month written YYYY-MM",
         "period IS NULL OR NOT regexp_full_match(period, '[0-9]{4}-(0[1-9]|1[0-2])')"),
        ("unknown partner", "partner", "a country code listed in the partners (aggregates are computed, not read)",
         "known_partner IS NULL"),
        ("code format", "code", "an eight-digit commodity code",
         "code IS NULL OR NOT regexp_full_match(code, '[0-9]{8}')"),
        ("unknown code", "code", "a commodity code listed in the product codes",
         "regexp_full_match(code, '[0-9]{8}') AND known_code IS NULL"),
        ("flow", "flow", "one of " + ", ".join(FLOWS), f"flow IS NULL OR flow NOT IN ({flows})"),
    ]
    for m in MEASURES:
        rules.append((f"negative {m}", m, "a finite value of at least 0, or empty for a gap",
                      f"{m} IS NOT NULL AND (NOT isfinite({m}::DOUBLE) OR {m} < 0)"))
    return rules


def validate_extract(con: duckdb.DuckDBPyConnection, partners: pd.DataFrame, codes: pd.DataFrame,
                     examples: int = EXAMPLES) -> ExtractReport:
    """Checks every row of the view `extract` against the rules and the reference lists.

    `partners` has a `partner` column (and `kind`, as in partners.csv); `codes` has `code` and
    `product` (see `product_codes`). Two scans of the file: one for every row rule, one for
    duplicate keys; the offending rows are read again only for a rule that failed.
    """
    problems = _structure(con)
    if problems:
        return ExtractReport(con.execute(f"SELECT count(*) FROM {VIEW}").fetchall()[0][0], tuple(problems))
    con.register("known_partners_df", known_partners(partners))
    con.register("known_codes_df", codes[["code", "product"]].drop_duplicates("code"))
    joined = (f"SELECT e.*, p.partner AS known_partner, c.code AS known_code FROM {VIEW} e "
              "LEFT JOIN known_partners_df p ON e.partner = p.partner "
              "LEFT JOIN known_codes_df c ON e.code = c.code")
    rules = _row_rules()
    counts = con.execute("SELECT count(*), " + ", ".join(f"count_if({cond})" for *_, cond in rules)
                         + f" FROM ({joined})").fetchall()[0]
    total = counts[0]
    shown = ", ".join(["row", *COLUMNS])
    for (rule, column, expected, cond), n in zip(rules, counts[1:]):
        if n:
            rows = con.execute(f"SELECT {shown} FROM ({joined}) WHERE {cond} ORDER BY row LIMIT {int(examples)}").df()
            problems.append(ExtractProblem(rule, column, expected, int(n), rows))
    keys = ", ".join(KEY)
    dup = f"SELECT {keys}, count(*) AS n FROM {VIEW} GROUP BY ALL HAVING count(*) > 1"
    n_dup = con.execute(f"SELECT coalesce(sum(n), 0) FROM ({dup})").fetchall()[0][0]
    if n_dup:
        rows = con.execute(f"SELECT {shown} FROM {VIEW} SEMI JOIN ({dup}) d USING ({keys}) "
                           f"ORDER BY row LIMIT {int(examples)}").df()
        problems.append(ExtractProblem("duplicate key", None, "one row per " + " x ".join(KEY), int(n_dup), rows))
    return ExtractReport(int(total), tuple(problems))


def aggregate_extract(con: duckdb.DuckDBPyConnection, report: ExtractReport, codes: pd.DataFrame) -> ExtractAggregates:
    """Monthly totals per product x partner, world totals, shares and month-on-month changes.

    `codes` maps each eight-digit code to the book's product (several codes make one product).
    World totals are the sum over partners (an extract has no aggregate rows). A sum over rows
    that are all gaps stays a gap; `missing` counts the empty quantities inside each total.
    """
    if not report.ok:
        raise ExtractError("the extract did not validate; nothing was aggregated:\n" + str(report))
    con.register("product_codes_df", codes[["code", "product"]].drop_duplicates("code"))
    monthly = con.execute(
        f"SELECT e.flow, c.product, e.partner, e.period, sum(e.quantity)::DOUBLE AS quantity, "
        f"sum(e.value_usd)::DOUBLE AS value_usd, count(*) AS rows, count_if(e.quantity IS NULL) AS missing "
        f"FROM {VIEW} e JOIN product_codes_df c ON e.code = c.code "
        "GROUP BY ALL ORDER BY flow, product, partner, period").df()
    group = ["flow", "product", "period"]
    world = (monthly.groupby(group, sort=True)
             .agg(quantity=("quantity", lambda s: s.sum(min_count=1)),
                  value_usd=("value_usd", lambda s: s.sum(min_count=1)),
                  rows=("rows", "sum"), missing=("missing", "sum"))
             .reset_index())
    whole = monthly.merge(world[group + ["quantity"]], on=group, how="left", suffixes=("", "_world"))
    monthly["share_pct"] = share_pct(whole["quantity"], whole["quantity_world"])
    for m in MEASURES:
        world[f"{m}_mom_pct"] = float("nan")
        for _, part in world.groupby(["flow", "product"], sort=False):
            series = pd.Series(part[m].to_numpy(), index=pd.PeriodIndex(part["period"], freq="M"))
            world.loc[part.index, f"{m}_mom_pct"] = mom_pct(series).to_numpy()
    return ExtractAggregates(monthly=monthly.reset_index(drop=True), world=world)
