"""The committed executed notebooks are the outputs of the committed inputs.

Each executed notebook in book/ stores the hash of what it was executed from (its source
notebook, its parameters, the package code and the part of the data it read, recorded beside the
hash). If any of those changed without a rebuild, the committed page is stale and this test
names it.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from rare_earth_exports.build.inputs import DataSlices, code_hash, input_hash, stored_inputs
from rare_earth_exports.build.plan import build_plan

from conftest import ROOT

JOBS = build_plan(ROOT, "data")


@pytest.mark.parametrize("job", JOBS, ids=[j.output for j in JOBS])
def test_committed_output_is_current(job):
    stored, reads = stored_inputs(ROOT / job.output)
    assert stored == input_hash(code_hash(job, ROOT), DataSlices(ROOT / "data"), reads), (
        f"{job.output} is stale or missing: run `make book` and commit book/")


def test_every_executed_notebook_is_planned():
    planned = {j.output for j in JOBS}
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "book").rglob("*.ipynb")}
    assert on_disk == planned


def test_executed_notebooks_carry_no_volatile_metadata():
    for job in JOBS:
        nb = nbformat.read(ROOT / job.output, as_version=4)
        text = json.dumps(nb, sort_keys=True)
        assert "papermill" not in nb.metadata and "start_time" not in text and str(ROOT) not in text, job.output
