"""The bad-input corpus (tests/corpus/cases.yml), one test per case, on a fresh copy of data/,
and the bad-download corpus (tests/corpus/imports.yml), one test per refused download.

A harmless variant must validate and load every row (no silent drop); a broken one must stop
validation with an error naming the file, the line, the column and the value. A bad download
must be refused as a whole, with the file and the line, and no row read from it.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from rare_earth_exports.core.load import load_book_data
from rare_earth_exports.curate.importers import load_reference
from rare_earth_exports.curate.importers.comtrade import read_comtrade
from rare_earth_exports.curate.importers.gacc import read_gacc
from rare_earth_exports.curate.importers.limits import LIMIT_VARIABLE
from rare_earth_exports.curate.validate import DataValidationError, validate_data_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CASES = yaml.safe_load((Path(__file__).parent / "corpus" / "cases.yml").read_text(encoding="utf-8"))
IMPORT_CASES = yaml.safe_load((Path(__file__).parent / "corpus" / "imports.yml").read_text(encoding="utf-8"))
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
TABLES = ("observations", "prices", "events", "sources", "products", "partners", "reconciliation", "stated_percentages")


def _render(cells: list[str], quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=quoting).writerow(cells)
    return out.getvalue()


def _select(where: dict | None, header: list[str], body: list[list[str]]) -> int:
    if not where:
        return 0
    for i, row in enumerate(body):
        if all(row[header.index(k)] == str(v) for k, v in where.items()):
            return i
    raise AssertionError(f"no row matches {where}: update the case's `where` to the current data")


def apply_case(case: dict, folder: Path) -> dict[str, int]:
    """Writes the case's variant of its file into `folder`; returns the lines it refers to."""
    path = folder / case["file"]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    index = len(body) - 1 if case.get("row") == "open_quote" else _select(case.get("where"), header, body)
    row = body[index]
    for column, value in (case.get("set") or {}).items():
        row[header.index(column)] = str(value)
    if "pad" in case:
        row[header.index(case["pad"])] = f"  {row[header.index(case['pad'])]} "
    op, _, arg = (case.get("column") or "").partition(" ")
    if op == "drop":
        i = header.index(arg)
        for r in [header, *body]:
            del r[i]
    elif op == "add":
        header.append(arg)
        for r in body:
            r.append("x")
    elif op == "rename":
        old, new = arg.split(">")
        header[header.index(old)] = new
    elif op == "reverse":
        for r in [header, *body]:
            r.reverse()
    elif op == "duplicate":
        i = header.index(arg)
        for r in [header, *body]:
            r.append(r[i])
    if case.get("row") == "duplicate":
        body.append(list(row))
    if case.get("row") == "cut":
        row.pop()
    quoting = csv.QUOTE_ALL if case.get("raw") == "quote_all" else csv.QUOTE_MINIMAL
    chunks = [_render(r, quoting) for r in [header, *body]]
    if case.get("row") == "extra_cell":
        chunks[index + 1] = chunks[index + 1].rstrip("\n") + ", and more\n"
    if case.get("row") == "open_quote":
        chunks[index + 1] = _render(row[:-1]).rstrip("\n") + ',"unclosed note\n'
    starts = [1]
    for chunk in chunks:
        starts.append(starts[-1] + chunk.count("\n"))
    lines = {"row": starts[index + 1], "row+1": starts[index + 1] + 1, "last": starts[len(chunks) - 1]}
    if case.get("row") == "blank_after":
        chunks.insert(index + 2, "\n")
    text = "".join(chunks)
    raw = case.get("raw")
    encoded = {
        "bom": lambda: b"\xef\xbb\xbf" + text.encode(),
        "crlf": lambda: text.replace("\n", "\r\n").encode(),
        "cr": lambda: text.replace("\n", "\r").encode(),
        "bom_crlf": lambda: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
        "utf16": lambda: text.encode("utf-16"),
        "gb18030": lambda: text.encode("gb18030"),
        "cp1252": lambda: text.encode("cp1252"),
        "empty": lambda: b"",
        "bom_only": lambda: b"\xef\xbb\xbf\r\n\r\n",
        "header_only": lambda: chunks[0].encode(),
        "trailing_blank_lines": lambda: (text + "\n\n").encode(),
        "no_final_newline": lambda: text.rstrip("\n").encode(),
    }.get(raw, text.encode)
    if raw == "delete":
        path.unlink()
    else:
        path.write_bytes(encoded())
    return lines


@pytest.fixture(scope="module")
def original():
    return load_book_data(DATA)


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "data"  # errors name files as data/<file>, like the real folder
    shutil.copytree(DATA, target)
    return target


def test_the_corpus_is_large_and_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert sum("fails" in c for c in CASES) >= 30
    assert all(("fails" in c) != ("loads" in c) and c.get("intent") for c in CASES)


def test_the_real_data_is_valid():
    validate_data_dir(DATA)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case, folder, original):
    lines = apply_case(case, folder)
    if "loads" in case:
        validate_data_dir(folder)
        loaded = load_book_data(folder)
        for name in TABLES:
            new, old = getattr(loaded, name), getattr(original, name)
            assert len(new) == len(old), f"{name}: {len(old)} rows in data/, {len(new)} loaded from the variant"
            if case["loads"] == "same":
                pd.testing.assert_frame_equal(new[list(old.columns)], old)
        if case["loads"] == "rows":
            table = getattr(loaded, case["file"].removesuffix(".csv"))
            for column, value in (case.get("set") or {}).items():
                assert value in set(table[column]), f"the changed {column} was not kept as written"
        return
    with pytest.raises(DataValidationError) as info:
        validate_data_dir(folder)
    errors, want = info.value.errors, case["fails"]
    line = want.get("line", "row")
    line = lines.get(line, line) if isinstance(line, str) else line
    label = f"data/{case['file']}"
    found = [e for e in errors
             if e.file == label and e.line == line and want["says"] in str(e)
             and ("column" not in want or e.column == want["column"])
             and ("value" not in want or e.value == str(want["value"]))]
    listing = "\n".join(map(str, errors))
    assert found, f"expected an error at {label} line {line} {want}; got:\n{listing}"
    assert str(found[0]) in str(info.value), "the message lists the error"
    assert all(e.file == label for e in errors), f"errors outside the changed file:\n{listing}"
    assert all(e.line for e in errors) or case.get("raw") == "delete", f"an error without a line:\n{listing}"


# --- the bad-download corpus ------------------------------------------------------------------

def gacc_workbook() -> bytes:
    """A real GACC download saved as Excel: the Chinese header and one line of the fixture."""
    book = openpyxl.Workbook()
    book.active.append(["数据年月", "商品编码", "贸易伙伴编码", "第一数量", "第一计量单位", "美元"])
    book.active.append([202510, 85051110, 502, 243955, "千克", 13482100])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_download(make: dict, path: Path) -> None:
    """Writes the file a case describes (see the header of tests/corpus/imports.yml)."""
    kind = make["kind"]
    if kind == "oversize":
        with open(path, "wb") as fh:
            fh.truncate(make["bytes"])  # sparse: the size is real, the disk is not used
    elif kind == "truncated_xlsx":
        workbook = gacc_workbook()
        path.write_bytes(workbook[:len(workbook) // 2])
    elif kind == "zip_bomb":
        path.write_bytes(gacc_workbook())
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
                for _ in range(make["mb"]):
                    part.write(bytes(10**6))
    elif kind == "not_a_workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
    elif kind in ("long_line", "long_cell", "fixture"):
        lines = (FIXTURES / make["fixture"]).read_bytes().splitlines(keepends=True)
        if kind == "long_line":
            lines.insert(make["line"] - 1, b"x" * make["bytes"] + b"\n")
        elif kind == "long_cell":
            chunk = 40_000
            cell = b"\n".join(b"y" * chunk for _ in range(-(-make["bytes"] // chunk)))
            lines.insert(make["line"] - 1, b'"' + cell + b'",1\n')
        path.write_bytes(b"".join(lines))
    else:
        raise AssertionError(f"unknown make kind {kind!r}")


@pytest.mark.parametrize("case", IMPORT_CASES, ids=[c["id"] for c in IMPORT_CASES])
def test_import_case(case, tmp_path, monkeypatch):
    path = tmp_path / case["file"]
    write_download(case["make"], path)
    if "limit_mb" in case:
        monkeypatch.setenv(LIMIT_VARIABLE, str(case["limit_mb"]))
    else:
        monkeypatch.delenv(LIMIT_VARIABLE, raising=False)
    partners, products = load_reference(DATA)
    if case["format"] == "gacc":
        result = read_gacc(path, flow="export", source_id="gacc-test", partners=partners, products=products)
    else:
        result = read_comtrade(path, source_id="ct-test", partners=partners, products=products)
    want = case["fails"]
    assert result.rows == [] and len(result.errors) == 1, result.errors
    [problem] = result.errors
    assert (problem.file, problem.line, problem.column) == (str(path), want["line"], want["column"])
    assert want["says"] in str(problem), str(problem)


def test_the_download_corpus_covers_every_way_a_file_is_refused():
    kinds = {c["make"]["kind"] for c in IMPORT_CASES}
    assert {"oversize", "truncated_xlsx", "zip_bomb", "long_line"} <= kinds
    assert {c["format"] for c in IMPORT_CASES} == {"gacc", "comtrade"}
    assert all(c.get("intent") for c in IMPORT_CASES)
    keys = {"id", "intent", "format", "file", "make", "limit_mb", "fails"}
    assert [c["id"] for c in IMPORT_CASES if not set(c) <= keys] == []  # a stray key is a YAML slip
    assert len({c["id"] for c in IMPORT_CASES}) == len(IMPORT_CASES)
