"""Row accounting on the real data: every reported row is used, merged (into a row that exists)
or excluded with a reason, and `rebook curate` reproduces data/ byte for byte from the
repository alone (sources/ and curation/), everywhere: no input lives outside the checkout."""

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from rare_earth_exports.cli import main as rebook
from rare_earth_exports.curate.inputs import load_inputs
from rare_earth_exports.curate.rules import CURATED_FILES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIGURE_FILES = load_inputs(ROOT / "curation", ROOT).press.figures


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def log():
    return read(DATA / "reconciliation.csv")


def obs_key(o):
    return f"{o['period']}|{o['reporter']}|{o['partner']}|{o['flow']}|{o['product']}|{o['unit']}"


def price_key(p):
    return f"{p['product']}|{p['market']}|{p['period']}|{p['low']}|{p['high']}"


@pytest.fixture(scope="module")
def curated():
    obs = read(DATA / "observations.csv")
    return {"observations": {obs_key(o): o for o in obs},
            "prices": {price_key(p): p for p in read(DATA / "prices.csv")},
            "reported": {obs_key(o) for o in obs if o["status"] == "reported"}}


def test_every_input_line_is_accounted_for_once(log):
    by_file: dict[str, list[int]] = {}
    for r in log:
        by_file.setdefault(r["input_file"], []).append(int(r["input_line"]))
    assert set(by_file) == {p.name for p in FIGURE_FILES}
    for name, lines in by_file.items():
        assert sorted(lines) == list(range(2, len(lines) + 2)), f"{name}: a line is missing or decided twice"


def test_the_counts_add_up_to_the_rows_read(log):
    read_rows = {path.name: len(read(path)) for path in FIGURE_FILES}
    decided = Counter(r["input_file"] for r in log)
    assert decided == Counter(read_rows)
    counts = Counter(r["decision"] for r in log)
    assert set(counts) <= {"used", "merged", "excluded"}
    assert counts["used"] + counts["merged"] + counts["excluded"] == sum(read_rows.values())


def test_excluded_rows_say_why(log):
    excluded = [r for r in log if r["decision"] == "excluded"]
    assert excluded and all(r["reason"].strip() for r in excluded)
    assert all(not r["curated_key"] for r in excluded)


def test_merged_rows_point_to_a_curated_row_that_lists_their_source(log, curated):
    merged = [r for r in log if r["decision"] == "merged"]
    assert merged
    for r in merged:
        row = curated[r["curated_table"]].get(r["curated_key"])
        assert row is not None, f"{r['input_file']}:{r['input_line']} merged into a missing row {r['curated_key']}"
        assert r["source_id"] in row["source_ids"].split(";"), f"{r['input_file']}:{r['input_line']}"
        assert r["reason"], f"{r['input_file']}:{r['input_line']}: a merge records how"


def test_each_curated_row_is_set_by_exactly_one_used_row(log, curated):
    used = Counter((r["curated_table"], r["curated_key"]) for r in log if r["decision"] == "used")
    assert max(used.values()) == 1
    assert {k for t, k in used if t == "observations"} == curated["reported"]
    assert {k for t, k in used if t == "prices"} == set(curated["prices"])


def test_a_used_row_sets_the_curated_value(log, curated):
    for r in log:
        if r["decision"] == "used" and r["curated_table"] == "observations":
            assert Decimal(r["value"]) == Decimal(curated["observations"][r["curated_key"]]["value"])
        if r["decision"] == "used" and r["curated_table"] == "prices":
            p = curated["prices"][r["curated_key"]]
            assert Decimal(p["low"]) <= Decimal(r["value"]) <= Decimal(p["high"])


def test_derived_rows_cite_reported_rows():
    obs = read(DATA / "observations.csv")
    derived = [o for o in obs if o["status"] == "derived"]
    assert derived
    assert all(o["note"].startswith("derived: ") for o in derived)


def test_curate_reproduces_data_byte_for_byte(tmp_path, capsys):
    assert rebook(["curate", "--out", str(tmp_path)]) == 0
    for name in CURATED_FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), f"{name} differs: run `make curate`"
