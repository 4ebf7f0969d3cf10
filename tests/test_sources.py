"""The committed sources/: described, free of the pages' sentences, self-consistent, and the only input.

Curation must build data/ from the checkout alone; these tests hold the press vintages to what
sources/README.md and each origin.yml promise.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from rare_earth_exports.curate.customs import MANIFEST_FIELDS
from rare_earth_exports.curate.snapshot import COMPARES, CORRECTION_FIELDS, PERCENT_FIELDS, QUALIFIERS

ROOT = Path(__file__).resolve().parents[1]
PRESS = ROOT / "sources" / "press"
VINTAGES = sorted(p for p in PRESS.iterdir() if p.is_dir())


def read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def origin(folder: Path) -> dict:
    return yaml.safe_load((folder / "origin.yml").read_text(encoding="utf-8"))


def data_files(folder: Path, holds: tuple[str, ...] = ("figures", "events")) -> dict[str, str]:
    return {f["name"]: f["holds"] for f in origin(folder)["files"] if f["holds"] in holds}


def test_there_are_the_two_gathered_vintages_and_the_book_teams_events():
    assert [v.name for v in VINTAGES] == ["2025-12", "2026-03", "book-2026-11-30"]


@pytest.mark.parametrize("folder", VINTAGES, ids=lambda p: p.name)
def test_origin_describes_exactly_the_files_of_its_folder(folder):
    meta = origin(folder)
    assert meta["vintage"] == folder.name
    for key in ("producer", "gathered", "gathered_note", "licence", "files", "known_problems", "refresh"):
        assert meta.get(key), f"{folder.name}/origin.yml: {key} is empty"
    assert {f["name"] for f in meta["files"]} == {p.name for p in folder.iterdir() if p.suffix == ".csv"}


@pytest.mark.parametrize("folder", VINTAGES, ids=lambda p: p.name)
def test_no_page_text_is_kept(folder):
    for name in data_files(folder):
        columns, _ = read(folder / name)
        assert not {"quote", "detail"} & set(columns), f"{folder.name}/{name} keeps the pages' text"
        assert {"quote_ref", "credits", "headline"} <= set(columns)


@pytest.mark.parametrize("folder", VINTAGES, ids=lambda p: p.name)
def test_extracted_row_columns_use_the_documented_forms(folder):
    for name, holds in data_files(folder).items():
        for line, row in enumerate(read(folder / name)[1], start=2):
            assert re.fullmatch(r"[0-9a-f]{8}", row["quote_ref"]), f"{name}:{line}"
            if holds == "figures":
                assert set(filter(None, row["qualifier"].split("; "))) <= set(QUALIFIERS), f"{name}:{line}"


@pytest.mark.parametrize("folder", VINTAGES, ids=lambda p: p.name)
def test_every_stated_percentage_points_to_its_row(folder):
    columns, pcts = read(folder / "stated_percentages.csv")
    assert columns == PERCENT_FIELDS and pcts
    files = data_files(folder)
    rows = {name: read(folder / name)[1] for name in files}
    for p in pcts:
        where = f"{folder.name}/stated_percentages.csv: {p['input_file']}:{p['input_line']}"
        row = rows[p["input_file"]][int(p["input_line"]) - 2]
        assert p["quote_ref"] == row["quote_ref"], where
        assert re.fullmatch(r"-?\d+(?:\.\d+)?", p["stated_pct"]), where
        assert p["compares"] in COMPARES, where
        assert p["of_row_figure"] in (("yes", "no") if files[p["input_file"]] == "figures" else ("",)), where


EXTRACTED = [v for v in VINTAGES if data_files(v, ("corrections",))]


def test_only_the_book_teams_folder_was_not_extracted_from_excerpts():
    assert [v.name for v in VINTAGES if v not in EXTRACTED] == ["book-2026-11-30"]


@pytest.mark.parametrize("folder", EXTRACTED, ids=lambda p: p.name)
def test_every_hand_correction_names_a_row_and_says_why(folder):
    columns, corrections = read(folder / "extraction_corrections.csv")
    assert columns == CORRECTION_FIELDS
    files = data_files(folder)
    for c in corrections:
        assert c["input_file"] in files and c["reason"].strip()
        assert 2 <= int(c["input_line"]) <= len(read(folder / c["input_file"])[1]) + 1


def test_price_rows_pair_up_by_excerpt():
    """A price range is two rows of one excerpt: low and high share its quote_ref.

    One excerpt holds two ranges of one month (yttrium oxide in Europe, September 2025: the range
    a week before and the new one); quote_ref cannot tell them apart, curation has to.
    """
    groups: dict[tuple, list[str]] = {}
    for path in PRESS.glob("*/reported_*.csv"):
        _, rows = read(path)
        for r in rows:
            if r.get("metric") == "price_usd_per_kg":
                groups.setdefault((path.name, r["source_url"], r["period"], r["partner"], r["product"]), []).append(r["quote_ref"])
    assert all(len(set(refs)) == 1 for refs in groups.values())
    wider = sorted((k[0], k[2], k[3], k[4], len(refs)) for k, refs in groups.items() if len(refs) > 2)
    assert wider == [("reported_raw_gapfill.csv", "2025-09", "EU27", "y_oxide", 4)]


def test_the_customs_manifest_has_its_columns_and_every_kept_file():
    columns, entries = read(ROOT / "sources" / "customs" / "manifest.csv")
    assert columns == MANIFEST_FIELDS
    assert all((ROOT / "sources" / "customs" / e["file"]).is_file() for e in entries)


def test_curation_reads_only_folders_of_the_repository():
    spec = yaml.safe_load((ROOT / "curation" / "inputs.yml").read_text(encoding="utf-8"))
    assert spec["press"] == ["sources/press/2025-12", "sources/press/2026-03", "sources/press/book-2026-11-30"]
    assert spec["customs"] == "sources/customs"


def test_nothing_names_a_folder_outside_the_repository():
    outside = re.compile(r"\.\.[/\\]shared|parents?\b[^\n]{0,40}[\"']shared[\"']")
    paths = [ROOT / "Makefile", ROOT / "parameters.yml"]
    for folder in ("src", "notebooks", "tests"):
        paths += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in (".py", ".ipynb", ".yml", ".cfg", ".md")]
    named = [str(p.relative_to(ROOT)) for p in paths if outside.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert named == []
