"""The input hash follows the package's imports into subpackages, so a page re-executes when
any module it uses changes, however deep the module sits and however it is imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rare_earth_exports.build.inputs import PACKAGE_DIR, extension_files, imported_modules, module_file, package_dependencies
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
