"""The committed executed notebooks are the outputs of the committed inputs.

Each executed notebook in book/ stores the hash of what it was executed from (its source
notebook, its parameters, the package code and the data). If any of those changed without a
rebuild, the committed page is stale and this test names it.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from rare_earth_exports.build.inputs import input_hash, stored_hash
from rare_earth_exports.build.plan import build_plan

from conftest import ROOT

JOBS = build_plan(ROOT, "data")


@pytest.mark.parametrize("job", JOBS, ids=[j.output for j in JOBS])
def test_committed_output_is_current(job):
    expected = input_hash(job, ROOT, ROOT / "data")
    assert stored_hash(ROOT / job.output) == expected, (
        f"{job.output} is stale or missing: run `make book` and commit book/")


def test_every_executed_notebook_is_planned():
    planned = {j.output for j in JOBS}
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "book").rglob("*.ipynb")}
    assert on_disk == planned


def test_input_hash_changes_with_the_data(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for f in (ROOT / "data").iterdir():
        (data / f.name).write_bytes(f.read_bytes())
    job = JOBS[0]
    before = input_hash(job, ROOT, data)
    obs = data / "observations.csv"
    obs.write_text(obs.read_text().replace("5952", "5953", 1))
    assert input_hash(job, ROOT, data) != before


def test_executed_notebooks_carry_no_volatile_metadata():
    for job in JOBS:
        nb = nbformat.read(ROOT / job.output, as_version=4)
        text = json.dumps(nb, sort_keys=True)
        assert "papermill" not in nb.metadata and "start_time" not in text and str(ROOT) not in text, job.output
