"""Source notebooks in notebooks/ are stored clean: no outputs, no execution counts, no run metadata.

Outputs belong in book/ (executed by the build, where nbval checks them); a source notebook that
carries them makes every diff noisy and can leak paths or stale numbers.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks").glob("*.ipynb"))
RUN_METADATA = ("papermill", "execution", "widgets")


def problems(path: Path) -> list[str]:
    """What keeps a source notebook from being clean, one line per cell and reason."""
    nb = nbformat.read(path, as_version=4)
    found = [f"notebook metadata has '{k}'" for k in RUN_METADATA if k in nb.metadata]
    for cell in nb.cells:
        where = f"cell {cell.get('id', '?')}"
        if cell.cell_type == "code":
            if cell.get("outputs"):
                found.append(f"{where}: {len(cell.outputs)} output(s)")
            if cell.get("execution_count") is not None:
                found.append(f"{where}: execution count {cell.execution_count}")
        found += [f"{where}: metadata has '{k}'" for k in RUN_METADATA if k in cell.metadata]
    return found


def test_there_are_source_notebooks():
    assert SOURCES, "no notebooks in notebooks/"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_notebook_is_clean(path):
    assert problems(path) == []


def test_a_notebook_with_outputs_is_reported(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title", id="cell-000"),
                nbformat.v4.new_code_cell("1 + 1", id="cell-001", execution_count=3,
                                          outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]),
                nbformat.v4.new_code_cell("x = 1", id="cell-002", metadata={"papermill": {"duration": 0.1}})]
    nb.metadata["papermill"] = {"parameters": {}}
    dirty = tmp_path / "dirty.ipynb"
    nbformat.write(nb, dirty)
    assert problems(dirty) == ["notebook metadata has 'papermill'", "cell cell-001: 1 output(s)",
                               "cell cell-001: execution count 3", "cell cell-002: metadata has 'papermill'"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill")
    nbformat.write(nb, dirty)
    assert problems(dirty) == []
