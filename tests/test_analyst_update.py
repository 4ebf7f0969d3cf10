"""An analyst's update, end to end: a GACC export of a new month, one import, one build; and the
2026 press vintage taken out of the book and listed again, as curation/inputs.yml documents.

The new month must reach every chapter, the home page and metrics.csv, and a second build with
nothing changed must execute nothing and say so. Each test runs in a temporary copy of the project;
the month used (April 2026, the month after the newest curated one) never touches the committed data.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, copy_project, run_build

METRICS = "book/results/metrics.csv"
VINTAGE_2026 = "sources/press/2026-03"  # the 2026 figures and events, as curation/inputs.yml lists them
MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")

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


def newest_months(project) -> dict[str, str]:
    """Each chapter's newest month: the latest month that has a figure of its own in metrics.csv.
    A window or a span may name months past the data (the comparison's fixed window Q1 2026, the
    months either side of an event), so only single months count."""
    metrics = pd.read_csv(project / METRICS, dtype=str, keep_default_na=False)
    months = metrics[metrics["period"].str.fullmatch(MONTH)]
    return months.groupby("chapter")["period"].max().to_dict()


def stamp(project) -> str:
    """The month the home page's stamp gives: 'Data through March 2026'."""
    html = (project / "_build" / "html" / "book" / "index.html").read_text(encoding="utf-8")
    found = re.search(r"Data through (\w+ \d{4}) ·", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))
    assert found, "no stamp on the home page"
    return found.group(1)


def curate_and_build(project) -> None:
    """`make curate`, then `make book`: what an analyst runs after changing curation/inputs.yml."""
    for proc in (rebook(project, "curate"), run_build(project)):
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_the_2026_vintage_moves_every_chapter_and_the_stamp(tmp_path):
    """Without the 2026 vintage the book ends in December 2025, every chapter and the stamp; listed
    again in curation/inputs.yml and curated, every chapter and the stamp reach March 2026, and the
    figures are the committed book's."""
    project = copy_project(tmp_path / "book")
    inputs = project / "curation" / "inputs.yml"
    listed = inputs.read_text(encoding="utf-8")
    entry = f"  - {VINTAGE_2026}\n"
    assert entry in listed
    inputs.write_text(listed.replace(entry, ""), encoding="utf-8")
    curate_and_build(project)
    chapters = set(newest_months(ROOT))
    assert newest_months(project) == dict.fromkeys(chapters, "2025-12")
    assert stamp(project) == "December 2025"

    inputs.write_text(listed, encoding="utf-8")
    curate_and_build(project)
    assert newest_months(project) == dict.fromkeys(chapters, "2026-03")
    assert stamp(project) == "March 2026"
    assert (project / METRICS).read_bytes() == (ROOT / METRICS).read_bytes()
