"""The input hash follows the package's imports into subpackages, so a page re-executes when
any module it uses changes, however deep the module sits and however it is imported; and it
covers the data the page read, so a page re-executes when that changed and only then."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from rare_earth_exports.build.inputs import (PACKAGE_DIR, DataSlices, extension_files, imported_modules, module_file,
                                             package_dependencies)
from rare_earth_exports.build.plan import build_plan

from conftest import ROOT


def loaded_by_python(code: str) -> set[str]:
    """The package files Python itself loads when it runs `code`'s imports (in a fresh process)."""
    imports = "\n".join(line for line in code.splitlines() if line.lstrip().startswith(("import ", "from ")))
    probe = imports + "\nimport json, sys\nprint(json.dumps(sorted(getattr(m, '__file__', '') or '' for n, m in sys.modules.items() if n.startswith('rare_earth_exports'))))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return {p for p in json.loads(out.splitlines()[-1]) if p}


def test_relative_imports_resolve_inside_subpackages():
    path = PACKAGE_DIR / "chapters" / "collapse" / "measures.py"
    names = imported_modules("from ...core.series import baseline\nfrom . import measures\n", path)
    assert "rare_earth_exports.core.series" in names
    assert "rare_earth_exports.chapters.collapse.measures" in names
    init = PACKAGE_DIR / "curate" / "importers" / "__init__.py"
    assert "rare_earth_exports.curate.rules" in imported_modules("from ..rules import x\n", init)


def test_module_file_finds_modules_and_packages():
    assert module_file("rare_earth_exports.core.series") == PACKAGE_DIR / "core" / "series.py"
    assert module_file("rare_earth_exports.curate.importers") == PACKAGE_DIR / "curate" / "importers" / "__init__.py"
    assert module_file("rare_earth_exports.core.series.baseline") is None  # a function, not a module
    assert module_file("pandas") is None


def test_a_deep_module_reached_only_through_relative_imports_counts():
    deps = package_dependencies("from rare_earth_exports.chapters.collapse import measures as rc\n")
    # chapters/collapse/measures.py imports ...core.series, which imports .periods
    for rel in ("chapters/collapse/measures.py", "core/series.py", "core/periods.py",
                "chapters/__init__.py", "chapters/collapse/__init__.py", "__init__.py"):
        assert PACKAGE_DIR / rel in deps, rel
    assert PACKAGE_DIR / "build" / "run.py" not in deps  # the build itself does not re-execute pages


@pytest.mark.parametrize("notebook", sorted({j.notebook for j in build_plan(ROOT, "data")}))
def test_the_scan_sees_every_module_python_loads(notebook):
    import nbformat

    nb = nbformat.read(ROOT / notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    scanned = {str(p) for p in package_dependencies(code)}
    missed = loaded_by_python(code) - scanned
    assert not missed, f"{notebook}: the input hash would not see changes to {sorted(missed)}"


def test_the_sites_hash_covers_the_books_own_sphinx_extensions_and_what_they_import(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("sphinx:\n  config:\n    extensions:\n      - myst_nb\n"
                      "      - rare_earth_exports.build.glossary\n", encoding="utf-8")
    files = {p.relative_to(PACKAGE_DIR).as_posix() for p in extension_files(config)}
    assert {"build/glossary.py", "core/registry.py", "__init__.py", "build/__init__.py"} <= files
    assert "build/page_assets.py" not in files and not any(f.startswith("chapters/") for f in files)
    config.write_text("title: no extensions\n", encoding="utf-8")
    assert extension_files(config) == []


# --- the data a page read -------------------------------------------------------------------

OBSERVATIONS = """period,reporter,partner,flow,product,unit,value,status,source_ids,note
2025-01,CHN,USA,export,magnets,t,10,reported,s1,
2025-02,CHN,USA,export,magnets,t,12,reported,s1,
2025-01,CHN,KOR,export,magnets,t,7,reported,s2,
2025-01,CHN,WLD,export,magnets,t,100,reported,s3,
"""
USA_PAGE = {"observations": ["magnets/USA", "magnets/WLD"], "sources": None}


def data_folder(tmp_path, observations=OBSERVATIONS, sources="source_id,publisher\ns1,A\ns2,B\ns3,C\n", **files):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "observations.csv").write_text(observations, encoding="utf-8")
    (folder / "sources.csv").write_text(sources, encoding="utf-8")
    (folder / "events.csv").write_text(files.get("events", "event_id,date\ne1,2025-04-04\n"), encoding="utf-8")
    return folder


def digest(folder, reads=USA_PAGE):
    return DataSlices(folder).digest(reads)


def test_a_figure_the_page_did_not_read_leaves_its_hash_alone(tmp_path):
    before = digest(data_folder(tmp_path))
    assert digest(data_folder(tmp_path, OBSERVATIONS.replace("KOR,export,magnets,t,7,", "KOR,export,magnets,t,8,"))) == before


@pytest.mark.parametrize("change", [
    ("USA,export,magnets,t,12,", "USA,export,magnets,t,13,"),      # a figure of a destination it read
    ("WLD,export,magnets,t,100,", "WLD,export,magnets,t,101,"),    # the world total it divides by
    ("KOR,export,magnets,t,7,reported,s2", "KOR,export,magnets,t,7,derived,s2"),  # any row's other columns
    ("2025-01,CHN,KOR", "2025-02,CHN,KOR"),                         # a row relabelled
])
def test_a_change_the_page_read_changes_its_hash(tmp_path, change):
    before = digest(data_folder(tmp_path))
    assert digest(data_folder(tmp_path, OBSERVATIONS.replace(*change))) != before


def test_a_row_added_or_moved_anywhere_changes_the_hash(tmp_path):
    """Which rows exist, and in which order, is part of every page that used the table."""
    before = digest(data_folder(tmp_path))
    lines = OBSERVATIONS.splitlines(keepends=True)
    assert digest(data_folder(tmp_path, "".join(lines[:3] + lines[4:5] + lines[3:4]))) != before
    assert digest(data_folder(tmp_path, OBSERVATIONS + "2025-02,CHN,KOR,export,magnets,t,9,reported,s2,\n")) != before


def test_a_table_read_whole_counts_every_byte_and_an_unread_table_none(tmp_path):
    before = digest(data_folder(tmp_path))
    assert digest(data_folder(tmp_path, sources="source_id,publisher\ns1,A\ns2,B\ns3,D\n")) != before
    assert digest(data_folder(tmp_path, events="event_id,date\ne1,2025-04-05\n")) == before
    assert digest(data_folder(tmp_path, events="event_id,date\ne1,2025-04-05\n"), {**USA_PAGE, "events": None}) != \
        digest(data_folder(tmp_path), {**USA_PAGE, "events": None})


def test_figures_read_whole_count_every_figure(tmp_path):
    whole = {"observations": None}
    before = digest(data_folder(tmp_path), whole)
    assert digest(data_folder(tmp_path, OBSERVATIONS.replace("KOR,export,magnets,t,7,", "KOR,export,magnets,t,8,")),
                  whole) != before


def test_without_a_record_the_whole_folder_counts(tmp_path):
    """A page that never loaded data through core.load recorded nothing: every file counts."""
    before = digest(data_folder(tmp_path), None)
    assert digest(data_folder(tmp_path, events="event_id,date\ne1,2025-04-05\n"), None) != before
    folder = data_folder(tmp_path)
    (folder / "datapackage.json").write_text("{}", encoding="utf-8")
    assert digest(folder, None) != before


# Calls that read a file. core/load.py is the loader; present/render.py reads back the Vega
# bundle it writes, not data; curate/validate.py reads a folder to validate it before the build
# (the data page uses the checks of curate/consistency.py, which imports its error types).
FILE_READS = re.compile(r"\b(read_csv|read_excel|read_json|read_parquet|read_table|loadtxt|genfromtxt|read_text|read_bytes)\(|"
                        r"\bopen\(")
READERS = {"core/load.py", "present/render.py", "curate/validate.py"}


@pytest.mark.parametrize("notebook", sorted({j.notebook for j in build_plan(ROOT, "data")}))
def test_pages_read_the_data_only_through_the_loader(notebook):
    """What a page read is what `core.load` handed it (`core.reads`): a page or a module that
    opened a data file itself would depend on data its record does not name."""
    import nbformat

    nb = nbformat.read(ROOT / notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not FILE_READS.search(code), f"{notebook} reads a file itself: load the data with core.load"
    for path in package_dependencies(code):
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        if rel not in READERS:
            assert not FILE_READS.search(path.read_text(encoding="utf-8")), (
                f"{rel} reads a file: pages read the data through core/load.py only")
