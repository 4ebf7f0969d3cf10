"""Full-extract path (DuckDB over Parquet) on a tiny extract whose totals are worked out by hand."""

import math

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rare_earth_exports.curate.extract import ExtractError, aggregate_extract, connect, known_partners, load_extract, product_codes, validate_extract
from rare_earth_exports.core.load import load_table

PARTNERS = pd.DataFrame({"partner": ["WLD", "DEU", "JPN"], "kind": ["aggregate", "country", "country"]})
CODES = pd.DataFrame({"code": ["85051110", "28053012", "28469015"],
                      "product": ["magnets", "dysprosium", "dysprosium"]})
SCHEMA = pa.schema([("period", pa.string()), ("partner", pa.string()), ("code", pa.string()),
                    ("flow", pa.string()), ("quantity", pa.float64()), ("value_usd", pa.float64())])
# Magnets: world 40 in January, 20 in February (Japan not published), 50 in March.
# Dysprosium: two codes for Germany in January, 1 + 2 = 3.
CLEAN = [
    ("2025-01", "DEU", "85051110", "export", 10.0, 100.0),
    ("2025-01", "JPN", "85051110", "export", 30.0, 330.0),
    ("2025-02", "DEU", "85051110", "export", 20.0, 220.0),
    ("2025-02", "JPN", "85051110", "export", None, None),
    ("2025-03", "DEU", "85051110", "export", 25.0, 250.0),
    ("2025-03", "JPN", "85051110", "export", 25.0, 300.0),
    ("2025-01", "DEU", "28053012", "export", 1.0, 50.0),
    ("2025-01", "DEU", "28469015", "export", 2.0, 70.0),
]
# Rows 9 to 17 of the bad file, each breaking one rule (row 17 repeats row 1's key).
BAD = [
    ("2025-13", "DEU", "85051110", "export", 1.0, 1.0),
    ("2025-04", "XXX", "85051110", "export", 1.0, 1.0),
    ("2025-04", "WLD", "85051110", "export", 1.0, 1.0),
    ("2025-04", "DEU", "8505111", "export", 1.0, 1.0),
    ("2025-04", "DEU", "99999999", "export", 1.0, 1.0),
    ("2025-04", "DEU", "28053012", "re-export", 1.0, 1.0),
    ("2025-05", "DEU", "85051110", "export", -1.0, 1.0),
    ("2025-05", "JPN", "85051110", "export", 1.0, math.inf),
    ("2025-01", "DEU", "85051110", "export", 99.0, 990.0),
]


def write(path, rows, schema=SCHEMA):
    table = pa.Table.from_pylist([dict(zip(schema.names, r)) for r in rows], schema=schema)
    pq.write_table(table, path, row_group_size=4)  # several row groups, as in a real extract
    return path


def validated(path):
    con = connect(memory_limit="256MB", threads=1)
    load_extract(path, con)
    return con, validate_extract(con, PARTNERS, CODES)


def test_clean_extract_validates(tmp_path):
    _, report = validated(write(tmp_path / "x.parquet", CLEAN))
    assert report.ok and report.rows == 8
    assert str(report) == "8 rows: valid"


def test_every_bad_row_is_reported_with_its_row_number(tmp_path):
    _, report = validated(write(tmp_path / "x.parquet", CLEAN + BAD))
    found = {p.rule: (p.count, list(p.examples["row"])) for p in report.problems}
    assert found == {
        "period": (1, [9]),
        "unknown partner": (2, [10, 11]),  # an aggregate such as WLD is computed, never read
        "code format": (1, [12]),
        "unknown code": (1, [13]),
        "flow": (1, [14]),
        "negative quantity": (1, [15]),
        "negative value_usd": (1, [16]),  # infinity is no value either
        "duplicate key": (2, [1, 17]),
    }
    assert report.rows == 17 and not report.ok  # nothing dropped
    assert "column 'code': 1 row(s): expected an eight-digit commodity code; first rows: 12" in str(report)


def test_examples_are_capped_but_the_count_is_not(tmp_path):
    rows = [(f"2025-{m:02d}", "XXX", "85051110", "export", 1.0, 1.0) for m in range(1, 13)]
    con = connect(memory_limit="256MB", threads=1)
    load_extract(write(tmp_path / "x.parquet", rows), con)
    (problem,) = validate_extract(con, PARTNERS, CODES, examples=3).problems
    assert problem.count == 12 and list(problem.examples["row"]) == [1, 2, 3]


def test_missing_and_mistyped_columns_stop_before_the_row_rules(tmp_path):
    schema = pa.schema([("period", pa.string()), ("partner", pa.string()), ("code", pa.string()),
                        ("quantity", pa.string()), ("value_usd", pa.float64())])
    _, report = validated(write(tmp_path / "x.parquet", [("2025-01", "XXX", "85051110", "10", 1.0)], schema))
    assert [(p.rule, p.column) for p in report.problems] == [("missing column", "flow"), ("column type", "quantity")]
    assert "column 'flow': expected a column named 'flow'" in str(report)


def test_aggregates_by_hand(tmp_path):
    con, report = validated(write(tmp_path / "x.parquet", CLEAN))
    agg = aggregate_extract(con, report, CODES)
    world = agg.world.set_index(["product", "period"])
    assert world.loc[("magnets", "2025-01"), "quantity"] == 40
    assert world.loc[("magnets", "2025-02"), "quantity"] == 20
    assert world.loc[("magnets", "2025-02"), "missing"] == 1
    assert world.loc[("magnets", "2025-03"), "value_usd"] == 550
    assert world.loc[("magnets", "2025-02"), "quantity_mom_pct"] == pytest.approx(-50)
    assert world.loc[("magnets", "2025-03"), "quantity_mom_pct"] == pytest.approx(150)
    assert math.isnan(world.loc[("magnets", "2025-01"), "quantity_mom_pct"])
    assert world.loc[("dysprosium", "2025-01"), "quantity"] == 3  # two codes, one product
    monthly = agg.monthly.set_index(["product", "partner", "period"])
    assert monthly.loc[("magnets", "DEU", "2025-01"), "share_pct"] == pytest.approx(25)
    assert monthly.loc[("magnets", "JPN", "2025-01"), "share_pct"] == pytest.approx(75)
    assert monthly.loc[("magnets", "DEU", "2025-02"), "share_pct"] == pytest.approx(100)
    assert math.isnan(monthly.loc[("magnets", "JPN", "2025-02"), "quantity"])  # a gap stays a gap
    assert math.isnan(monthly.loc[("magnets", "JPN", "2025-02"), "share_pct"])
    assert len(agg.monthly) == 7 and len(agg.world) == 4


def test_aggregation_refuses_an_extract_that_did_not_validate(tmp_path):
    con, report = validated(write(tmp_path / "x.parquet", CLEAN + BAD))
    with pytest.raises(ExtractError, match="did not validate"):
        aggregate_extract(con, report, CODES)


def test_reference_lists_come_from_the_curated_package():
    codes = product_codes(load_table("data", "products"))
    assert codes.loc[codes["code"] == "85051110", "product"].tolist() == ["magnets"]
    assert codes["code"].str.fullmatch(r"\d{8}").all() and codes["code"].is_unique
    partners = known_partners(load_table("data", "partners"))
    assert "DEU" in set(partners["partner"]) and not {"WLD", "EU27"} & set(partners["partner"])
