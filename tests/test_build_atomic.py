"""Atomic publishing: a notebook that raises leaves the last good site, book/ and results as
they were, and the build names the notebook, the cell and the error."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from papermill.exceptions import PapermillExecutionError

from rare_earth_exports.build.run import failure_message
from rare_earth_exports.build.plan import Job

ROOT = Path(__file__).resolve().parents[1]
JOB = Job("notebooks/broken.ipynb", "book/broken.ipynb", "broken", {})


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.cells[0].metadata["tags"] = ["parameters"]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
    return nb


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_message_names_the_cell_of_the_source_notebook(tmp_path):
    source = tmp_path / "broken.ipynb"
    nbformat.write(notebook('data_dir = "data"', "x = 1", "y = x / 0\nprint(y)"), source)
    exc = PapermillExecutionError(4, 4, "y = x / 0\nprint(y)", "ZeroDivisionError", "division by zero", [])
    assert failure_message(JOB, exc, source) == (
        "notebooks/broken.ipynb -> book/broken.ipynb failed in cell 3 (id cell-002), which starts `y = x / 0`: "
        "ZeroDivisionError: division by zero")
    injected = PapermillExecutionError(1, 2, "# Parameters\nstart = 2025-13", "SyntaxError", "invalid syntax", [])
    assert "failed in the injected parameters cell, which starts `# Parameters`: SyntaxError" in failure_message(JOB, injected, source)
    assert failure_message(JOB, RuntimeError("Kernel died"), source) == (
        "notebooks/broken.ipynb -> book/broken.ipynb failed before running a cell: RuntimeError: Kernel died")


def test_a_failing_notebook_leaves_the_previous_site_and_results_untouched(tmp_path):
    root = tmp_path / "project"
    for name in ("notebooks", "book/results", "_build/html/_static", "src/rare_earth_exports"):
        (root / name).mkdir(parents=True)  # src/rare_earth_exports marks the project root for `rebook`
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copyfile(ROOT / "_config.yml", root / "_config.yml")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: book/broken\n", encoding="utf-8")
    (root / "parameters.yml").write_text(
        "pages:\n  - notebook: notebooks/broken.ipynb\n    output: book/broken.ipynb\n    chapter: broken\n", encoding="utf-8")
    nbformat.write(notebook('data_dir = "data"', "total = 1 + 1", "raise ValueError('the months do not add up')"),
                   root / "notebooks" / "broken.ipynb")
    # the last good build: a site, an executed page and its metrics
    (root / "book" / "index.md").write_text("# The book\n", encoding="utf-8")
    (root / "_build" / "html" / "index.html").write_text("<p>last good site</p>\n", encoding="utf-8")
    (root / "_build" / "html" / "_static" / "marker.txt").write_text("previous\n", encoding="utf-8")
    good = notebook('data_dir = "data"', "total = 2")
    good.metadata["rebook"] = {"input_hash": "from-the-last-good-build"}
    nbformat.write(good, root / "book" / "broken.ipynb")
    (root / "book" / "results" / "metrics.csv").write_text(
        "chapter,page,period,partner,product,metric,basis,value,unit,glue_key\nbroken,broken,2025-12,WLD,magnets,level,,2.0,t,\n",
        encoding="utf-8")
    site, book = snapshot(root / "_build" / "html"), snapshot(root / "book")

    rebook = Path(sys.executable).with_name("rebook")
    command = [str(rebook)] if rebook.exists() else [sys.executable, "-m", "rare_earth_exports.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([*command, "build", "--jobs", "1"], cwd=root, env=env, capture_output=True, text=True)

    assert proc.returncode == 1, proc.stdout + proc.stderr
    message = ("rebook build: notebook execution failed; the previous book and site are untouched:\n"
               "  notebooks/broken.ipynb -> book/broken.ipynb failed in cell 3 (id cell-002), which starts "
               "`raise ValueError('the months do not add up')`: ValueError: the months do not add up")
    assert message in proc.stderr
    assert message in (ROOT / "README.md").read_text(encoding="utf-8"), "the README shows the real message"
    assert snapshot(root / "_build" / "html") == site
    after = snapshot(root / "book")
    after.pop("_static/vega-bundle.js", None)  # the charts' library, written before execution
    assert after == book
