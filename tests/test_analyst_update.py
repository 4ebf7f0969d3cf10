"""An analyst's update, end to end: a GACC export of a new month, one import, one build.

The new month must reach every chapter, the home page and metrics.csv, and a second build with
nothing changed must execute nothing and say so. It runs in a temporary copy of the project;
the month used (April 2026, the month after the newest curated one) never touches the committed data.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import copy_project, run_build

HEADER = ('"Date of data","Commodity code","Commodity","Trading partner code","Trading partner",'
          '"Customs Regime code","Customs Regime","Quantity","Unit","US dollar",\n')
WORLD_HEADER = '"Date of data","Commodity code","Commodity","Quantity","Unit","US dollar",\n'


def gacc_line(*cells: str) -> str:
    return ",".join(f'"{c}"' for c in cells) + ",\n"


def rebook(project, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run([sys.executable, "-m", "rare_earth_exports.cli", *args], cwd=project, env=env,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_a_new_gacc_month_reaches_every_chapter(tmp_path):
    project = copy_project(tmp_path / "book")
    world = tmp_path / "gacc_world_202604.csv"
    world.write_text(WORLD_HEADER + gacc_line("202604", "85051110", "Rare-earth permanent magnets",
                                              "6,012,500", "Kilogram", "310,000,000"), encoding="utf-8")
    partners = tmp_path / "gacc_partners_202604.csv"
    partners.write_text(HEADER + "".join([
        gacc_line("202604", "85051110", "Magnets", "502", "United States", "10", "Ordinary Trade", "402,000", "Kilogram", "21,000,000"),
        gacc_line("202604", "85051110", "Magnets", "502", "United States", "15", "Processing", "201,000", "Kilogram", "10,500,000"),
        gacc_line("202604", "85051110", "Magnets", "304", "Germany", "10", "Ordinary Trade", "1,150,000", "Kilogram", "52,000,000"),
    ]), encoding="utf-8")

    for path in (world, partners):
        proc = rebook(project, "import", "gacc", str(path), "--flow", "export")
        assert proc.returncode == 0, proc.stdout + proc.stderr
    obs = pd.read_csv(project / "data" / "observations.csv", dtype=str)
    new = obs[obs["period"] == "2026-04"]
    assert sorted(zip(new["partner"], new["unit"], new["value"])) == [
        ("DEU", "USD", "52000000"), ("DEU", "t", "1150"), ("USA", "USD", "31500000"),
        ("USA", "t", "603"), ("WLD", "USD", "310000000"), ("WLD", "t", "6012.5")]

    first = run_build(project)
    assert first.returncode == 0, first.stdout + first.stderr
    metrics = pd.read_csv(project / "book" / "results" / "metrics.csv", dtype={"period": str})
    reached = set(metrics.loc[metrics["period"].str.contains("2026-04"), "chapter"])
    assert {"collapse", "flow", "compare", "data"} <= reached
    home = (project / "_build" / "html" / "book" / "index.html").read_text(encoding="utf-8")
    assert "April 2026" in home

    second = run_build(project)
    assert second.returncode == 0
    assert "executed 0 notebook(s)" in second.stdout and "nothing changed" in second.stdout
